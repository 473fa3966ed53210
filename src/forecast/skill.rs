//! Direction skill: how often a forecaster's "rising" was followed by a real
//! rise over its horizon, and how many real rises it foresaw.
//!
//! At the decision before step `t` (the steps `..t` played, `t ≥ 1`) the calm
//! agent reads the forecast direction
//! `Direction::of(mean(forecast over the next h steps), mean(demand[t−h..t]), threshold)`:
//! the forecast against the mean of the last `h` steps observed (of all of them
//! while fewer than `h` were). The real direction is the same comparison with the
//! demand that came, `Direction::of(mean(demand[t..t+h]), mean(demand[t−h..t]), threshold)`,
//! defined while `t + h ≤ len`. Counted over those decision points:
//!
//! - `predicted`: "rising" forecast; `real`: a real rise; `hits`: both;
//! - precision = hits / predicted (how often "rising" was right), recall =
//!   hits / real (how many rises were seen coming).
//!
//! The forecaster is fed the demand one step at a time and asked after each, so
//! it sees `demand[..t]` only; the real direction alone reads `demand[t..t+h]`.
//!
//! The horizon decides what counts as a rise. At the calm agent's default, the
//! boot delay (2 steps at 60 s), a rise needs the demand to grow by about 2.5 %
//! a step: a daily ramp from 10 to 30 req/s over two hours is no rise at all, and
//! one over an hour only at its foot. `tests/decide/forecast_skill.rs` measures the
//! forecasters at 5 and 10 steps, where such ramps register.
use super::Direction;
use super::Forecaster;
use serde::Serialize;

/// Counts of "rising", forecast and real, over a run's decision points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Skill {
    /// Decision points at which the forecast direction was rising.
    pub predicted: usize,
    /// Decision points followed by a real rise over the horizon.
    pub real: usize,
    /// Both.
    pub hits: usize,
    /// Decision points compared.
    pub steps: usize,
}

impl Skill {
    /// hits / predicted: how often "rising" was followed by a rise (`None` when
    /// rising was never forecast).
    pub fn precision(&self) -> Option<f64> {
        (self.predicted > 0).then(|| self.hits as f64 / self.predicted as f64)
    }

    /// hits / real: the share of the real rises forecast (`None` when there were none).
    pub fn recall(&self) -> Option<f64> {
        (self.real > 0).then(|| self.hits as f64 / self.real as f64)
    }
}

/// The direction skill of `forecaster` on `demand` (req/s per step) at a horizon
/// of `h` steps (at least 1) and a relative dead band `threshold`, over every
/// decision point (see the module docs). The forecaster is reset first.
pub fn direction_skill(
    forecaster: &mut dyn Forecaster,
    demand: &[f64],
    h: usize,
    threshold: f64,
) -> Skill {
    direction_skill_from(forecaster, demand, h, threshold, 1)
}

/// The same, counting only the decision points from step `from` on (say, after a
/// seasonal forecaster's first day); the forecaster still sees every step before.
pub fn direction_skill_from(
    forecaster: &mut dyn Forecaster,
    demand: &[f64],
    h: usize,
    threshold: f64,
    from: usize,
) -> Skill {
    let h = h.max(1);
    let mut skill = Skill::default();
    let mut path = Vec::with_capacity(h);
    forecaster.reset();
    // Decision points t = 1..=len − h: the forecaster has seen demand[..t].
    for t in 1..=demand.len().saturating_sub(h) {
        forecaster.observe(demand[t - 1]);
        if t < from {
            continue;
        }
        forecaster.forecast_path(h, &mut path);
        let recent = mean(&demand[t.saturating_sub(h)..t]);
        let forecast = (!path.is_empty()).then(|| mean(&path));
        let predicted =
            forecast.is_some_and(|f| Direction::of(f, recent, threshold) == Direction::Rising);
        let real = Direction::of(mean(&demand[t..t + h]), recent, threshold) == Direction::Rising;
        skill.steps += 1;
        skill.predicted += usize::from(predicted);
        skill.real += usize::from(real);
        skill.hits += usize::from(predicted && real);
    }
    skill
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}
