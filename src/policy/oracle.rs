//! Oracle: perfect foresight of the whole trace and of the world's physics, the
//! cost floor at its reliability.

use super::{DecisionMaker, Observation, WorldKind, SIZING_RISK};
use crate::queueing::p95_exceeds_probability;
use crate::scenario::{Physics, Scenario};
use crate::workload::Trace;
use crate::world::{World, WorldConfig};
use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};

/// Knows every step's demand in advance, and what the world makes of it.
///
/// **The need.** It plays the trace once, in advance, in a fluid world of its
/// own whose replicas are ready the moment they are asked for, and gives each
/// step `j` the fewest ready replicas `need[j]` whose step meets the SLA there:
/// a violation (the world's own: the chance that the step's p95 exceeds the
/// SLA, or a drop) at most [`SIZING_RISK`] above the floor no fleet avoids (the
/// service time's own tail at the number of requests the step completed), or
/// the largest fleet where none does (a cheaper one would leave a longer queue
/// to the steps after). Each step starts from the queue the earlier steps left, and
/// is played with its own demand, and with its rates within the step when the
/// trace has them (a replay's bursts within a minute): so a burst of a few
/// seconds that the queue absorbs is not paid for, and a backlog is.
///
/// **The lead.** At step `t` it provisions `max(need[t..=t + k])` with
/// `k = ceil(boot_delay / dt)`: a replica requested at the start of step `t` is
/// ready at `t·dt + boot_delay ≤ (t + k)·dt`, so it serves the whole of step
/// `t + k` and every later one (the world makes a booting replica ready at its
/// ready time, or at the start of the step when that time is the step's start).
/// Requesting `need[j]` at step `j − k` is therefore just in time, and keeping it
/// through steps `j − k ..= j` (each of whose windows contains `j`) means none of
/// them is removed while still needed; the world removes the youngest replicas
/// first, so the ones kept are the ready ones. Every schedule pays the same
/// for a replica ready at step `j`: it too must have asked for it `k` steps
/// before. Only the steps before `k` depend on the initial fleet. The world
/// played has at every step at least the ready replicas the need planned with,
/// so its queue is never longer than the plan's.
///
/// Under the exact physics the plan is the same: the Oracle foresees the
/// demand and the expected queue, not the draws of each request.
#[derive(Debug, Clone)]
pub struct Oracle {
    /// The provisioned count of each step, and what it is planned from until it
    /// is (shared: forensics clones decision makers, and the clones plan once).
    plan: Arc<Plan>,
}

#[derive(Debug)]
struct Plan {
    counts: OnceLock<Box<[u32]>>,
    /// The trace and world a deferred plan is made for, at its first use.
    from: Option<(Arc<Trace>, WorldConfig)>,
}

impl Oracle {
    /// Plans for `rates` (req/s per step of `dt_s` seconds), one rate a step.
    pub fn new(rates: &[f64], config: &WorldConfig, dt_s: f64) -> Oracle {
        let trace =
            Trace { dt: dt_s, rates: rates.to_vec(), requests: None, seed: 0, sub_rates: None };
        Oracle::for_trace(&trace, config)
    }

    /// Plans for a trace: each step played with its sub-step rates when the
    /// trace has them (a replay's bursts within a minute), else with its rate.
    pub fn for_trace(trace: &Trace, config: &WorldConfig) -> Oracle {
        let counts = OnceLock::from(planned(trace, config));
        Oracle { plan: Arc::new(Plan { counts, from: None }) }
    }

    /// Each step's fewest ready replicas meeting the SLA, before the lead: see
    /// the type's description.
    pub fn needs(trace: &Trace, config: &WorldConfig) -> Vec<u32> {
        needs(trace, config)
    }

    pub fn from_scenario(s: &Scenario, trace: &Trace) -> Oracle {
        Oracle::for_trace(trace, &WorldConfig::from_scenario(s))
    }

    /// The same plan as [`Oracle::from_scenario`], made when it is first read
    /// (the first step played), not now: a page draws its first frame without
    /// waiting for the whole run to be planned.
    pub fn deferred(s: &Scenario, trace: Arc<Trace>) -> Oracle {
        let from = Some((trace, WorldConfig::from_scenario(s)));
        Oracle { plan: Arc::new(Plan { counts: OnceLock::new(), from }) }
    }

    /// Whether the plan is made (a deferred one is, at its first read).
    pub fn is_planned(&self) -> bool {
        self.plan.counts.get().is_some()
    }

    /// The provisioned count planned for every step.
    pub fn plan(&self) -> &[u32] {
        self.plan.counts.get_or_init(|| match &self.plan.from {
            Some((trace, config)) => planned(trace, config),
            None => Box::default(),
        })
    }
}

/// The plan of a trace: each step's need, led by the boot delay (see [`Oracle`]).
fn planned(trace: &Trace, config: &WorldConfig) -> Box<[u32]> {
    let need = &needs(trace, config);
    let dt_s = trace.dt;
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
    plan.into_boxed_slice()
}

/// Each step's fewest ready replicas meeting the SLA, played in order in a
/// fluid world whose replicas are ready at once (see [`Oracle`]).
///
/// The search starts from the need of the step's mean rate in a settled queue
/// (`fewest_replicas_meeting_sla`), which is right or one off in most steps,
/// and walks from there; a step's violation does not rise with its replicas.
/// The world stepped with the count chosen is the one played on, so a step
/// costs about two fluid steps.
fn needs(trace: &Trace, config: &WorldConfig) -> Vec<u32> {
    let (lo, hi) = (config.min_replicas, config.max_replicas.max(config.min_replicas));
    let planner = WorldConfig { boot_delay_s: 0.0, physics: Physics::Fluid, ..config.clone() };
    let mut world = World::new(planner, lo);
    world.resolve_p95_for_sla_only();
    let service_tail = crate::math::exp(-config.mu * config.sla_p95_s);
    let mut need = Vec::with_capacity(trace.len());
    for j in 0..trace.len() {
        // Each count tried, whether step `j` met the SLA with it, and the world after.
        let mut tried: Vec<(u32, bool, World)> = Vec::with_capacity(4);
        let mut meets = |r: u32| -> bool {
            if let Some(t) = tried.iter().find(|t| t.0 == r) {
                return t.1;
            }
            let mut w = world.clone();
            let report = w.step(r, trace);
            let floor = p95_exceeds_probability(report.completed, service_tail);
            let met = report.violation <= floor + SIZING_RISK;
            tried.push((r, met, w));
            met
        };
        let guess = super::fewest_replicas_meeting_sla(trace.rates[j], config, trace.dt);
        let r = fewest_within(lo, hi, guess, &mut meets);
        if let Some(i) = tried.iter().position(|t| t.0 == r) {
            world = tried.swap_remove(i).2;
        }
        need.push(r);
    }
    need
}

/// The fewest `r` in `[lo, hi]` for which `meets(r)` holds (`meets` is taken
/// to hold from some count on), `hi` when none does: from `guess`, in steps
/// that double away from it until they cross, then by halving. Two calls when
/// the guess is right or one off; a few where no fleet meets it (the largest
/// fleet may be hundreds of replicas).
fn fewest_within(lo: u32, hi: u32, guess: u32, mut meets: impl FnMut(u32) -> bool) -> u32 {
    let g = guess.clamp(lo, hi);
    // `meets(ok)` holds and `meets(bad)` does not, `bad < ok`.
    let (mut bad, mut ok) = if meets(g) {
        let (mut ok, mut step) = (g, 1);
        loop {
            if ok == lo {
                return lo;
            }
            let c = ok.saturating_sub(step).max(lo);
            if !meets(c) {
                break (c, ok);
            }
            ok = c;
            step = step.saturating_mul(2);
        }
    } else {
        let (mut bad, mut step) = (g, 1);
        loop {
            if bad == hi {
                return hi;
            }
            let c = bad.saturating_add(step).min(hi);
            if meets(c) {
                break (bad, c);
            }
            bad = c;
            step = step.saturating_mul(2);
        }
    };
    while ok - bad > 1 {
        let mid = bad + (ok - bad) / 2;
        if meets(mid) {
            ok = mid;
        } else {
            bad = mid;
        }
    }
    ok
}

impl DecisionMaker for Oracle {
    fn kind(&self) -> WorldKind {
        WorldKind::Oracle
    }

    /// The planned count; past the trace's end, the last one.
    fn decide(&mut self, obs: &Observation) -> u32 {
        let plan = self.plan();
        plan.get(obs.step).or(plan.last()).copied().unwrap_or(obs.provisioned())
    }
}
