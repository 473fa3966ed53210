//! The cost-reliability frontier: every world over several seeds, the
//! Rule along its target utilisation and the agent along the weight of a violated
//! step, each point a mean with its 95 % interval. One run on one seed says
//! little: a Rule target or a reward weight moves a world along a curve of cost
//! against SLA-violation steps, and the question is whose curve lies lower.
//!
//! A sweep is a list of independent units of work, one knob value on one seed
//! each ([`Unit`]); [`play`] plays one. Natively [`sweep`] plays them on several
//! threads and combines them in the units' order, so its output is bit for bit
//! the same whatever the number of threads; in WebAssembly it plays them in turn.
//!
//! Each unit builds its own trace, trains its own agent and judges its worlds
//! alone: a world's numbers never depend on which other worlds share its judge
//! ([`crate::judge`]), so grouping them is only a matter of cost.
//!
//! A replay's trace is the same on every seed: there the seeds vary only the
//! agent's training (the replay rotated by a seed's offset, [`crate::train`]),
//! and the worlds without an agent have intervals of zero.
//!
//! A sweep can be cut into slices of its units, each played on its own machine
//! into a part, and the parts merged into the frontier of the whole sweep
//! (`shard.rs`).
//!
//! The plan and its units are in `plan.rs`, playing them in `run.rs`, the text
//! forms in `report.rs`; here are the points and the two verdicts read from
//! them. The statistics of a point are the floor's ([`crate::math::stats`]).

mod plan;
mod report;
mod run;
mod shard;

pub use crate::math::stats::{t_975, Stat};
pub use plan::{Plan, Unit, UnitKind};
pub use run::{available_threads, play, sweep, Outcome, WorldRun};
pub use shard::{
    merge, play_part, trace_fingerprint, Merged, Part, Shard, PART_FORMAT, PART_MAGIC, VERSION,
};

use crate::policy::WorldKind;

/// The knob the Rule is swept along.
pub const RULE_TARGET: &str = "rule.target_utilisation";
/// The knob the agent is swept along.
pub const VIOLATION_WEIGHT: &str = "reward.sla_violated";

/// Seeds a frontier plays: at least two, for an interval.
pub const MIN_SEEDS: usize = 2;
pub const MAX_SEEDS: usize = 1000;
/// Seeds by default: 10 (the interval's t quantile is then 2.262).
pub const DEFAULT_SEEDS: usize = 10;
pub const MAX_THREADS: usize = 256;

/// The label of the agent of docs/model.md's seed design, shown beside a calm agent.
pub const SEED_DESIGN: &str = "Seed agent (docs/model.md)";

/// One world at one knob value, over the seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The world's label ("Rule", "Elastic (RL)", "Static", ...).
    pub world: String,
    pub kind: WorldKind,
    /// The knob swept and its value ([`RULE_TARGET`], [`VIOLATION_WEIGHT`]);
    /// `None` for a world at the scenario's own settings.
    pub knob: Option<(String, f64)>,
    pub seeds: usize,
    pub cost: Stat,
    pub violation_steps: Stat,
    pub capacity_changes: Stat,
    /// Scale-ups a boot delay or more before the rise they serve, and late ones
    /// ([`crate::proactivity`]).
    pub early_scale_ups: Stat,
    pub late_scale_ups: Stat,
}

impl Point {
    fn value(&self) -> Option<f64> {
        self.knob.as_ref().map(|k| k.1)
    }
}

/// A sweep's points and what they were played with.
#[derive(Debug, Clone, PartialEq)]
pub struct Frontier {
    /// Static, Oracle, Predictive; the Rule at each target; the agent at each
    /// weight; the agent without the forecast; the seed-design agent (when the
    /// scenario's agent is of another design).
    pub points: Vec<Point>,
    /// Steps of each judged run.
    pub steps: usize,
    /// Training episodes of each agent.
    pub episodes: u32,
    /// The scenario's own Rule target and violation weight: the default points.
    pub own_target: f64,
    pub own_weight: f64,
}

/// Whether the agent's default point lies below the Rule's frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct BelowRule<'a> {
    /// Cheaper than every Rule target with no more violation steps (means).
    pub below: bool,
    pub agent: &'a Point,
    /// The cheapest Rule point with no more violation steps than the agent's;
    /// `None` when no target is that reliable.
    pub cheapest_as_reliable: Option<&'a Point>,
    /// The Rule's most reliable point (fewest violation steps).
    pub most_reliable: Option<&'a Point>,
}

/// Whether the agent's violation steps never rise as its weight grows more
/// negative, beyond what the intervals allow.
#[derive(Debug, Clone, PartialEq)]
pub struct Monotone {
    pub holds: bool,
    /// Neighbouring weights compared.
    pub pairs: usize,
    /// The pair whose rise exceeds its allowance the most (or falls short of it
    /// the least).
    pub worst: Option<Rise>,
}

/// From weight `from` to the more negative `to`, violation steps rose by `rise`
/// (negative: fell); `allowed` is the sum of the two half-widths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rise {
    pub from: f64,
    pub to: f64,
    pub rise: f64,
    pub allowed: f64,
}

impl Frontier {
    /// The first point of a world at the scenario's own settings (no knob).
    pub fn world(&self, kind: WorldKind) -> Option<&Point> {
        self.points.iter().find(|p| p.kind == kind && p.knob.is_none())
    }

    /// The Rule's points, in the plan's order.
    pub fn rules(&self) -> Vec<&Point> {
        self.swept(RULE_TARGET)
    }

    /// The agent's points along the violation weight, in the plan's order.
    pub fn agents(&self) -> Vec<&Point> {
        self.swept(VIOLATION_WEIGHT)
    }

    fn swept(&self, knob: &str) -> Vec<&Point> {
        self.points.iter().filter(|p| p.knob.as_ref().is_some_and(|k| k.0 == knob)).collect()
    }

    /// The Rule at the scenario's own target.
    pub fn rule(&self) -> Option<&Point> {
        self.rules().into_iter().find(|p| p.value() == Some(self.own_target))
    }

    /// The agent at the scenario's own weight: its default point.
    pub fn agent(&self) -> Option<&Point> {
        self.agents().into_iter().find(|p| p.value() == Some(self.own_weight))
    }

    /// The agent's default point against the Rule's: below the Rule's frontier
    /// when it is cheaper than every Rule target with no more violation steps
    /// (comparing means; so also when no target is as reliable).
    pub fn below_rule(&self) -> Option<BelowRule<'_>> {
        let agent = self.agent()?;
        let rules = self.rules();
        let cheapest_as_reliable = rules
            .iter()
            .copied()
            .filter(|r| r.violation_steps.mean <= agent.violation_steps.mean)
            .min_by(|a, b| a.cost.mean.total_cmp(&b.cost.mean));
        let most_reliable = rules
            .iter()
            .copied()
            .min_by(|a, b| a.violation_steps.mean.total_cmp(&b.violation_steps.mean));
        Some(BelowRule {
            below: cheapest_as_reliable.is_none_or(|r| agent.cost.mean < r.cost.mean),
            agent,
            cheapest_as_reliable,
            most_reliable,
        })
    }

    /// Along the agent's frontier, weights from the least negative to the most:
    /// violation steps may not rise from one weight to the next by more than the
    /// two points' half-widths together.
    pub fn monotone(&self) -> Monotone {
        let mut agents = self.agents();
        agents.sort_by(|a, b| b.value().unwrap_or(0.0).total_cmp(&a.value().unwrap_or(0.0)));
        let rises: Vec<Rise> = agents
            .windows(2)
            .map(|w| Rise {
                from: w[0].value().unwrap_or(f64::NAN),
                to: w[1].value().unwrap_or(f64::NAN),
                rise: w[1].violation_steps.mean - w[0].violation_steps.mean,
                allowed: w[0].violation_steps.half_width_95 + w[1].violation_steps.half_width_95,
            })
            .collect();
        let worst = rises
            .iter()
            .copied()
            .max_by(|a, b| (a.rise - a.allowed).total_cmp(&(b.rise - b.allowed)));
        Monotone { holds: rises.iter().all(|r| r.rise <= r.allowed), pairs: rises.len(), worst }
    }
}
