//! Decision makers: each sets, before every step, how many replicas its world
//! provisions. Static, Rule (Kubernetes HPA), the Q-learning agent and the Oracle
//! all sit behind [`DecisionMaker`], so the judge plays them alike.

mod kind;
mod oracle;
mod predictive;
mod rule;
mod sizer;
mod static_fleet;

pub use kind::WorldKind;
pub use oracle::Oracle;
pub use predictive::Predictive;
pub use rule::Rule;
pub use sizer::Sizer;
pub use static_fleet::Static;

use crate::queueing::{p95_exceeds_probability, Response};
use crate::world::{StepReport, WorldConfig};

/// What a decision maker may know when it decides the provisioned count of step
/// `step`: the demand of the steps already played (`history`, steps `0..step`),
/// its own world now, and the report of the step just played. Nothing later.
#[derive(Debug, Clone, Copy)]
pub struct Observation<'a> {
    /// The step about to be played.
    pub step: usize,
    /// Demand (req/s) of steps `0..step`.
    pub history: &'a [f64],
    /// Ready and booting replicas of this world now.
    pub ready: u32,
    pub booting: u32,
    /// The report of step `step - 1` (`None` before the first step).
    pub last: Option<&'a StepReport>,
    /// Step length (s).
    pub dt_s: f64,
}

impl<'a> Observation<'a> {
    /// What a world shows before the step after `history`, with the report of the
    /// step just played.
    pub fn of(
        world: &crate::world::World,
        history: &'a [f64],
        last: Option<&'a StepReport>,
        dt_s: f64,
    ) -> Observation<'a> {
        Observation {
            step: history.len(),
            history,
            ready: world.fleet.ready,
            booting: world.fleet.booting.len() as u32,
            last,
            dt_s,
        }
    }

    pub fn provisioned(&self) -> u32 {
        self.ready + self.booting
    }
}

/// A scaler. Object-safe and cloneable (the forensics replay cloned worlds with
/// their decision makers), deterministic. It knows none of its implementations:
/// whoever needs one in particular (the forensics need the Q-learning agent)
/// downcasts through [`Erased::as_any`]. An implementation writes `kind` and
/// `decide`; being `Clone` gives it the rest.
pub trait DecisionMaker: Send + Erased {
    /// The world it plays.
    fn kind(&self) -> WorldKind;

    /// The provisioned replicas for step `obs.step` (the world clamps to its bounds).
    fn decide(&mut self, obs: &Observation) -> u32;
}

/// What every decision maker has by being `Clone` and `'static`: a boxed copy,
/// and itself as `Any`, to be downcast to its concrete type.
pub trait Erased {
    fn clone_box(&self) -> Box<dyn DecisionMaker>;

    fn as_any(&self) -> &dyn std::any::Any;

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any;
}

impl<T: DecisionMaker + Clone + 'static> Erased for T {
    fn clone_box(&self) -> Box<dyn DecisionMaker> {
        Box::new(self.clone())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// A decision maker shows its kind: the trait asks no `Debug` of its
/// implementations, whose derived `Debug` would otherwise sit in every
/// decision maker's vtable in the page's wasm, used or not.
impl std::fmt::Debug for dyn DecisionMaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.kind())
    }
}

impl Clone for Box<dyn DecisionMaker> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// The fewest replicas in `[min_replicas, max_replicas]` whose stationary M/M/c
/// (`R·slots` servers of rate `mu`) meets the SLA at `demand` req/s: stable
/// (`demand < c·mu`), the p95 of the step's requests above `sla_p95_s` with a
/// probability of at most [`SIZING_RISK`], and expected drops over a step of
/// `dt_s` seconds below `sla_drop_tolerance`, the test a fluid world's step
/// applies. `max_replicas` when none does, or when `demand` is not a number
/// or infinite; `min_replicas` when there is no demand.
///
/// Every count below `demand / (slots·mu)` is unstable, so the search starts there
/// and usually ends after one or two evaluations; nothing is allocated.
pub fn fewest_replicas_meeting_sla(demand: f64, config: &WorldConfig, dt_s: f64) -> u32 {
    fewest_replicas_meeting_sla_over(&[demand], config, dt_s)
}

/// The chance of an SLA violation a step may keep when a world sizes for it
/// (Static at its peak, the Oracle at every step): the p95 of a step's requests
/// is a sample's, so a fleet sized exactly at the SLA fails about half its steps.
pub const SIZING_RISK: f64 = 0.005;

/// [`fewest_replicas_meeting_sla`] for a step whose demand is `rates` over equal
/// parts of it (a replay's sub-step rates; one rate for the whole step): every
/// part below capacity, the expected drops below the tolerance, and the step's
/// requests' p95, a sample of about `demand × dt_s`, above the SLA with a
/// probability of at most [`SIZING_RISK`] above what no fleet avoids (the rule
/// that decides a fluid step). That floor is the service time's own: with few
/// requests in a step, their p95 exceeds the SLA now and then however many
/// replicas serve them (20 requests of exponential service of mean 2 s, with an
/// 8 s SLA: 5 % of such steps).
pub fn fewest_replicas_meeting_sla_over(rates: &[f64], config: &WorldConfig, dt_s: f64) -> u32 {
    let lo = config.min_replicas;
    let hi = config.max_replicas.max(lo);
    if rates.is_empty() || rates.iter().any(|r| !r.is_finite()) {
        return hi;
    }
    let peak = rates.iter().fold(0.0f64, |m, &r| m.max(r));
    if peak <= 0.0 {
        return lo;
    }
    let h = dt_s / rates.len() as f64;
    let per_replica = config.slots as f64 * config.mu;
    // `as` saturates, so an unstable configuration (zero capacity) starts at `hi`.
    let start = ((peak / per_replica).ceil() as u32).clamp(lo, hi);
    // The same strict comparison, and the same floor for a zero tolerance, as the
    // world's SLA test.
    let drop_limit = config.sla_drop_tolerance.max(f64::MIN_POSITIVE);
    let n: f64 = rates.iter().map(|&r| r.max(0.0) * h).sum();
    let floor = p95_exceeds_probability(n, crate::math::exp(-config.mu * config.sla_p95_s));
    let meets = |replicas: u32| {
        let c = replicas.saturating_mul(config.slots);
        if peak >= c as f64 * config.mu {
            return false;
        }
        let (mut n, mut over, mut drops) = (0.0, 0.0, 0.0);
        for &r in rates.iter().filter(|&&r| r > 0.0) {
            let law = Response::truncated(c, r, config.mu, config.max_wait_s);
            n += r * h;
            over += r * h * law.tail(config.sla_p95_s);
            drops += r * h * law.drop_fraction();
        }
        drops < drop_limit && p95_exceeds_probability(n, over / n) <= floor + SIZING_RISK
    };
    (start..=hi).find(|&r| meets(r)).unwrap_or(hi)
}
