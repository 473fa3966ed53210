//! Oracle: perfect foresight of the whole trace, the cost floor for zero
//! under-capacity.

use super::{
    fewest_replicas_meeting_sla, fewest_replicas_meeting_sla_over, DecisionMaker, Observation,
    WorldKind,
};
use crate::scenario::Scenario;
use crate::workload::Trace;
use crate::world::WorldConfig;
use std::collections::VecDeque;
use std::sync::Arc;

/// Knows every step's demand in advance. `need[j]` is the fewest replicas meeting
/// the SLA at step `j`'s demand; at step `t` it provisions
/// `max(need[t..=t + k])` with `k = ceil(boot_delay / dt)`.
///
/// Why that window: a replica requested at the start of step `t` is ready at
/// `t·dt + boot_delay ≤ (t + k)·dt`, so it serves the whole of step `t + k` and
/// every later one (the world makes a booting replica ready at its ready time,
/// or at the start of the step when that time is the step's start). Requesting
/// `need[j]` at step `j − k` is therefore just in time, and keeping it through
/// steps `j − k ..= j` (each of whose windows contains `j`) means none of them is
/// removed while still needed; the world removes the youngest replicas first, so
/// the ones kept are the ready ones. No shorter window suffices when the boot
/// delay is a whole number of steps, and a longer one would only cost more.
/// Only the steps before `k` depend on the initial fleet.
#[derive(Debug, Clone)]
pub struct Oracle {
    /// The provisioned count of each step (shared: forensics clones decision makers).
    plan: Arc<[u32]>,
}

impl Oracle {
    /// Plans for `rates` (req/s per step of `dt_s` seconds).
    pub fn new(rates: &[f64], config: &WorldConfig, dt_s: f64) -> Oracle {
        let need: Vec<u32> =
            rates.iter().map(|&d| fewest_replicas_meeting_sla(d, config, dt_s)).collect();
        Oracle::planned(&need, config, dt_s)
    }

    /// Plans for a trace: each step sized for its sub-step rates when the trace
    /// has them (a replay's bursts within a minute), else for its rate.
    pub fn for_trace(trace: &Trace, config: &WorldConfig) -> Oracle {
        let need: Vec<u32> = (0..trace.len())
            .map(|i| match trace.sub_rates(i) {
                Some(sub) => fewest_replicas_meeting_sla_over(sub, config, trace.dt),
                None => fewest_replicas_meeting_sla(trace.rates[i], config, trace.dt),
            })
            .collect();
        Oracle::planned(&need, config, trace.dt)
    }

    fn planned(need: &[u32], config: &WorldConfig, dt_s: f64) -> Oracle {
        let lead = (config.boot_delay_s / dt_s).ceil();
        // `as` saturates a lead longer than any trace.
        let k = if lead.is_finite() && lead > 0.0 { lead as usize } else { 0 };
        // Sliding maximum over `need[t..=t + k]`, from the end: `window` holds
        // indices whose needs strictly decrease from front to back.
        let mut plan = vec![0; need.len()];
        let mut window: VecDeque<usize> = VecDeque::new();
        for t in (0..need.len()).rev() {
            while window.back().is_some_and(|&j| need[j] <= need[t]) {
                window.pop_back();
            }
            window.push_back(t);
            while window.front().is_some_and(|&j| j - t > k) {
                window.pop_front();
            }
            plan[t] = need[window[0]];
        }
        let plan = plan.into();
        Oracle { plan }
    }

    pub fn from_scenario(s: &Scenario, trace: &Trace) -> Oracle {
        Oracle::for_trace(trace, &WorldConfig::from_scenario(s))
    }

    /// The provisioned count planned for every step.
    pub fn plan(&self) -> &[u32] {
        &self.plan
    }
}

impl DecisionMaker for Oracle {
    fn kind(&self) -> WorldKind {
        WorldKind::Oracle
    }

    /// The planned count; past the trace's end, the last one.
    fn decide(&mut self, obs: &Observation) -> u32 {
        self.plan.get(obs.step).or(self.plan.last()).copied().unwrap_or(obs.provisioned())
    }
}
