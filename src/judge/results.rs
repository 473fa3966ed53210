//! What the judge reports of each world: the running sums a lane keeps, the
//! metrics of docs/model.md over the run, and the table of them. Separate from
//! the stepping: these read the lanes and never change them.

use super::Judge;
use crate::math::Figure;
use crate::policy::WorldKind;
use crate::proactivity::Timings;
use crate::world::StepReport;
use serde::Serialize;

/// Running sums of a lane's reports: what [`Judge::results`] needs of them, so
/// that the results do not need the reports themselves. Each sum adds the steps
/// in order from -0.0, as `Iterator::sum` over the reports does, so the figures
/// equal [`crate::world::Summary::from_reports`]'s to the bit.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub steps: usize,
    pub cost: f64,
    pub dropped: f64,
    /// Sum of the provisioned replicas of every step.
    pub provisioned: f64,
    pub utilisation: f64,
    pub sla_violation_steps: f64,
    pub capacity_changes: usize,
}

impl Default for Tally {
    fn default() -> Tally {
        Tally {
            steps: 0,
            cost: -0.0,
            dropped: -0.0,
            provisioned: -0.0,
            utilisation: -0.0,
            sla_violation_steps: -0.0,
            capacity_changes: 0,
        }
    }
}

impl Tally {
    pub(crate) fn add(&mut self, r: &StepReport, previous: Option<&StepReport>) {
        self.steps += 1;
        self.cost += r.cost;
        self.dropped += r.dropped;
        self.provisioned += r.provisioned as f64;
        self.utilisation += r.utilisation;
        self.sla_violation_steps += r.violation;
        self.capacity_changes +=
            usize::from(previous.is_some_and(|p| p.provisioned != r.provisioned));
    }

    /// A share of the steps (0 before the first).
    pub(crate) fn share(&self, part: f64) -> f64 {
        if self.steps == 0 {
            0.0
        } else {
            part / self.steps as f64
        }
    }
}

/// The metrics of one world over the run, docs/model.md's last paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorldResult {
    /// The world's label ([`WorldKind::label`]).
    pub name: String,
    pub kind: WorldKind,
    /// Its short name ([`WorldKind::short`]), as the page shows it.
    pub short: String,
    pub cost: f64,
    pub replica_hours: f64,
    /// Saving against the Static world (%), when there is one.
    pub saving_pct: Option<f64>,
    /// SLA-violation steps: whole under the exact physics, expected under the fluid.
    pub sla_violation_steps: f64,
    pub sla_violation_pct: f64,
    /// Response-time percentiles over all the run's requests (s).
    pub p95_s: Option<f64>,
    pub p99_s: Option<f64>,
    pub dropped: f64,
    pub capacity_changes: usize,
    pub mean_utilisation: f64,
    pub total_reward: f64,
    /// Cost above the Oracle's (%), for the Rule and the Elastic world.
    pub above_oracle_pct: Option<f64>,
    /// Its scale-ups: early (a boot delay or more before the rise they serve),
    /// late, or with no rise within half an hour ([`crate::proactivity`]).
    pub scale_ups: Timings,
}

impl Judge {
    /// The metrics of every world over the steps played so far.
    pub fn results(&self) -> Vec<WorldResult> {
        let dt = self.trace.dt;
        let cost_of = |kind| self.lane(kind).map(|l| l.tally.cost);
        let static_cost = cost_of(WorldKind::Static);
        let oracle_cost = cost_of(WorldKind::Oracle);
        self.lanes
            .iter()
            .map(|lane| {
                let s = &lane.tally;
                let pct =
                    |base: Option<f64>| base.filter(|&b| b > 0.0).map(|b| 100.0 * (s.cost - b) / b);
                let kind = lane.kind();
                let compared = !matches!(kind, WorldKind::Static | WorldKind::Oracle);
                WorldResult {
                    name: kind.label().to_string(),
                    kind,
                    short: kind.short().to_string(),
                    saving_pct: static_cost.filter(|&b| b > 0.0).map(|b| 100.0 * (b - s.cost) / b),
                    above_oracle_pct: if compared { pct(oracle_cost) } else { None },
                    cost: s.cost,
                    replica_hours: s.provisioned * dt / 3600.0,
                    sla_violation_steps: s.sla_violation_steps,
                    sla_violation_pct: 100.0 * s.share(s.sla_violation_steps),
                    p95_s: lane.world.latency().and_then(|h| h.quantile(0.95)),
                    p99_s: lane.world.latency().and_then(|h| h.quantile(0.99)),
                    dropped: s.dropped,
                    capacity_changes: s.capacity_changes,
                    mean_utilisation: s.share(s.utilisation),
                    total_reward: lane.reward,
                    scale_ups: lane.scale_ups.timings,
                }
            })
            .collect()
    }
}

/// The results as a fixed-width table, one row per world.
pub fn results_table(results: &[WorldResult]) -> String {
    let opt = |v: Option<f64>, digits: usize| {
        v.map_or("-".to_string(), |x| format!("{:.digits$}", Figure(x)))
    };
    let mut out = format!(
        "{:<20} {:>9} {:>9} {:>8} {:>7} {:>7} {:>7} {:>7} {:>9} {:>7} {:>10} {:>6} {:>9} {:>8}\n",
        "world",
        "cost",
        "rep-h",
        "saving%",
        "viol",
        "viol%",
        "p95 s",
        "p99 s",
        "dropped",
        "changes",
        "early/late",
        "util%",
        "reward",
        ">oracle%"
    );
    for r in results {
        out += &format!(
            "{:<20} {:>9.2} {:>9.1} {:>8} {:>7.1} {:>7.2} {:>7} {:>7} {:>9.0} {:>7} {:>10} {:>6.1} {:>9.0} {:>8}\n",
            r.name,
            Figure(r.cost),
            Figure(r.replica_hours),
            opt(r.saving_pct, 1),
            Figure(r.sla_violation_steps),
            Figure(r.sla_violation_pct),
            opt(r.p95_s, 2),
            opt(r.p99_s, 2),
            Figure(r.dropped),
            r.capacity_changes,
            format!("{}/{}", r.scale_ups.early, r.scale_ups.late),
            Figure(100.0 * r.mean_utilisation),
            Figure(r.total_reward),
            opt(r.above_oracle_pct, 1)
        );
    }
    out
}
