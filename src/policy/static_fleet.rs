//! Static: one fixed fleet for the whole run, sized for the trace's peak.

use super::{fewest_replicas_meeting_sla, DecisionMaker, Observation, WorldKind};
use crate::scenario::Scenario;
use crate::workload::Trace;
use crate::world::WorldConfig;

/// Provisions the same count in every step.
///
/// docs/model.md sizes it as "the fewest that meet the SLA at the trace's peak demand
/// plus a 20 % buffer". The buffer is read as extra demand: the fleet is the fewest
/// replicas that meet the SLA at `peak · (1 + buffer)`, so that a headroom of 20 %
/// is headroom against demand, not a rounding of replica counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Static {
    replicas: u32,
}

impl Static {
    pub fn new(peak_demand: f64, buffer: f64, config: &WorldConfig, dt_s: f64) -> Static {
        Static { replicas: fewest_replicas_meeting_sla(peak_demand * (1.0 + buffer), config, dt_s) }
    }

    /// Sized for the peak of `trace` with the scenario's buffer.
    pub fn from_scenario(s: &Scenario, trace: &Trace) -> Static {
        Static::new(trace.peak(), s.static_fleet.buffer, &WorldConfig::from_scenario(s), trace.dt)
    }

    /// The fixed provisioned count.
    pub fn replicas(&self) -> u32 {
        self.replicas
    }
}

impl DecisionMaker for Static {
    fn kind(&self) -> WorldKind {
        WorldKind::Static
    }

    fn decide(&mut self, _obs: &Observation) -> u32 {
        self.replicas
    }
}
