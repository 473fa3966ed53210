//! Event recall: how many of the demand's repeating rises a forecaster saw coming
//! a boot delay ahead, and how often its "rising" was right.
//!
//! Steps are indexed from 0; `h` is the boot delay in steps, so that a replica
//! requested at the decision before step `t` (the steps `..t` played, `t ≥ 1`)
//! serves from step `t + h`. The **reach** of that decision is the steps
//! `t..=t + h`: from the step about to be played to the first one such a replica
//! serves, as Predictive and the calm agent's need read the forecast.
//!
//! - **The fleet's headroom**, in replicas' worth of demand: with the demand now
//!   `λ = demand[t−1]` and one replica serving `c·μ` req/s (slots over the mean
//!   service time), the demand is `λ / cμ` replicas' worth; the Rule's fleet at
//!   its target utilisation `u` holds `max(λ / (u·cμ), 1)` (at least one
//!   replica), so its headroom is the difference. Its capacity in req/s, the
//!   **threshold** `max(λ / u, cμ)`, is what the demand must exceed to use the
//!   headroom up.
//! - **A rise** at the decision `t`: some step of the reach has demand above the
//!   threshold of `λ` (a rise of more than the headroom within a boot delay).
//!   **"Rising" is said** at `t` when the forecast made there (`h + 1` steps,
//!   from `demand[..t]` only) has a step above the same threshold.
//! - **A rise event** is a run of consecutive decisions at which a rise is real;
//!   its **onset** is the first of them, the last decision whose replicas are
//!   ready for the rise's first step above the threshold. It is **foreseen** when
//!   "rising" was said at its onset: at least a boot delay ahead.
//! - An event from day 2 on is **repeating** when an event's onset lies within
//!   `h` steps of the same time the day before, or (from day 8) the week before.
//!
//! Counted from the decision `from` on (the events by their onsets):
//! **recall** = repeating events foreseen / repeating events; **precision** =
//! decisions at which "rising" was said and a rise was real / decisions at which
//! it was said. Random spikes are rises too, but never repeating: nothing could
//! foresee them, so they count against no forecaster's recall, and a "rising"
//! said before one counts as right.

use super::Forecaster;
use serde::Serialize;

/// What counts as a rise: the boot delay in steps, the Rule's target utilisation,
/// what one replica serves and the steps in a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rises {
    /// `h`: the boot delay in steps, at least 1.
    pub boot_steps: usize,
    /// `u`: the utilisation the reference fleet is held at (the Rule's target).
    pub target: f64,
    /// `cμ`: the requests per second one replica serves fully busy.
    pub replica_rps: f64,
    /// Steps in a day.
    pub period: usize,
}

impl Rises {
    /// The rises of a scenario: its boot delay, the Rule's target and its
    /// replica (for token-based service, pass the scenario as its run sees it,
    /// with the trace's mean service time: `world::service::for_run`).
    pub fn of(s: &crate::scenario::Scenario) -> Rises {
        Rises {
            boot_steps: ((s.scaling.boot_delay_s / s.dt_s).ceil() as usize).max(1),
            target: s.rule.target_utilisation,
            replica_rps: s.replica.slots as f64 / s.replica.service_mean_s,
            period: ((86_400.0 / s.dt_s).round() as usize).max(1),
        }
    }

    /// The demand that uses up the headroom of a fleet carrying `now` (req/s).
    pub fn threshold(&self, now: f64) -> f64 {
        (now / self.target).max(self.replica_rps)
    }
}

/// Counts of rises and of "rising" said (see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EventSkill {
    /// Decisions compared.
    pub steps: usize,
    /// Decisions at which "rising" was said.
    pub said: usize,
    /// Of those, the ones at which a rise was real.
    pub said_right: usize,
    /// Rise events (by onset).
    pub rises: usize,
    /// Of those, the repeating ones.
    pub repeating: usize,
    /// Of those, the ones foreseen at their onset.
    pub foreseen: usize,
}

impl EventSkill {
    /// Repeating rises foreseen, as a share (`None` without repeating rises).
    pub fn recall(&self) -> Option<f64> {
        (self.repeating > 0).then(|| self.foreseen as f64 / self.repeating as f64)
    }

    /// "Rising" followed by a rise, as a share (`None` when never said).
    pub fn precision(&self) -> Option<f64> {
        (self.said > 0).then(|| self.said_right as f64 / self.said as f64)
    }
}

/// Whether a rise is real at each decision `t` (index `t`; `false` at 0 and
/// where the reach runs past the trace).
pub fn real_rises(demand: &[f64], rises: &Rises) -> Vec<bool> {
    let h = rises.boot_steps.max(1);
    (0..demand.len())
        .map(|t| {
            t >= 1 && t + h < demand.len() && {
                let limit = rises.threshold(demand[t - 1]);
                demand[t..=t + h].iter().any(|&d| d > limit)
            }
        })
        .collect()
}

/// The onsets of the rise events of `real` (see [`real_rises`]).
pub fn onsets(real: &[bool]) -> Vec<usize> {
    (0..real.len()).filter(|&t| real[t] && (t == 0 || !real[t - 1])).collect()
}

/// The event skill of `forecaster` on `demand` (req/s per step), counted from
/// the decision `from` on; the forecaster is reset first and fed every step.
pub fn event_skill(
    forecaster: &mut dyn Forecaster,
    demand: &[f64],
    rises: &Rises,
    from: usize,
) -> EventSkill {
    let h = rises.boot_steps.max(1);
    let real = real_rises(demand, rises);
    let starts = onsets(&real);
    let mut said = vec![false; demand.len()];
    let mut skill = EventSkill::default();
    let mut path = Vec::with_capacity(h + 1);
    forecaster.reset();
    for t in 1..demand.len().saturating_sub(h) {
        forecaster.observe(demand[t - 1]);
        if t < from {
            continue;
        }
        forecaster.forecast_path(h + 1, &mut path);
        let limit = rises.threshold(demand[t - 1]);
        said[t] = path.iter().any(|&f| f > limit);
        skill.steps += 1;
        skill.said += usize::from(said[t]);
        skill.said_right += usize::from(said[t] && real[t]);
    }
    let near = |t: usize, back: usize| {
        t.checked_sub(back)
            .is_some_and(|at| starts.iter().any(|&s| s + h >= at && s <= at + h && s < t))
    };
    for &t in starts.iter().filter(|&&t| t >= from.max(1)) {
        skill.rises += 1;
        let week = 7 * rises.period;
        if near(t, rises.period) || (t >= week && near(t, week)) {
            skill.repeating += 1;
            skill.foreseen += usize::from(said[t]);
        }
    }
    skill
}
