//! A run's work estimated before it starts, and refused at once when it is
//! beyond what a command line should start unasked: a training of too many
//! steps, or the exact physics simulating too many requests. Each refusal gives
//! the estimate, the limit and what to lower; below the limits a long run shows
//! its progress on a terminal, or says once into a pipe what it is doing.

use super::render::name;
use super::Failure;
use autoscale_playground::error::thousands;
use autoscale_playground::scenario::{Physics, Scenario};
use autoscale_playground::workload::ReplayData;
use autoscale_playground::Trace;

/// The most steps one training plays (episodes x steps): about half an hour
/// at the 0.6 M steps a second a native build trains (README, "Benchmarks");
/// the default training plays 864,000.
pub const MAX_TRAINING_STEPS: u64 = 1_000_000_000;
/// Steps a second of a native build's training, for the estimates said.
const TRAINING_STEPS_PER_S: f64 = 600_000.0;

/// The most requests the exact physics simulates in one command, every world
/// together: about 4 minutes at the 8 M requests a second of a native build.
pub const MAX_EXACT_REQUESTS: f64 = 2e9;
/// Requests a second of the exact physics natively, for the estimates said.
const EXACT_REQUESTS_PER_S: f64 = 8e6;

/// The steps of a run's trace read to estimate its mean demand: enough for a
/// day of any step length the scenario allows, and quick to build.
const SAMPLE_STEPS: u32 = 10_000;

/// Refuses a training of more than [`MAX_TRAINING_STEPS`], with its estimate.
pub fn training(s: &Scenario) -> Result<(), Failure> {
    let steps = u64::from(s.agent.episodes) * u64::from(s.steps);
    if steps <= MAX_TRAINING_STEPS {
        return Ok(());
    }
    Err(Failure::Input(format!(
        "training would play {} steps ({} episodes x {} steps), about {} at the {:.1} M steps a second of a native build; a training plays at most {} (about {}): lower --episodes (agent.episodes) or steps",
        thousands(steps),
        thousands(u64::from(s.agent.episodes)),
        thousands(u64::from(s.steps)),
        duration(steps as f64 / TRAINING_STEPS_PER_S),
        TRAINING_STEPS_PER_S / 1e6,
        thousands(MAX_TRAINING_STEPS),
        duration(MAX_TRAINING_STEPS as f64 / TRAINING_STEPS_PER_S),
    )))
}

/// Under the exact physics, refuses `runs` worlds playing `share` of the run
/// (each simulating every request) above [`MAX_EXACT_REQUESTS`], the demand
/// estimated from the start of the run's own trace.
pub fn exact(
    s: &Scenario,
    replay: Option<&ReplayData>,
    runs: u64,
    share: f64,
) -> Result<(), Failure> {
    if s.queue.physics != Physics::Exact {
        return Ok(());
    }
    let mut sample = s.clone();
    sample.steps = s.steps.min(SAMPLE_STEPS);
    let rates = Trace::build(&sample, replay)?.rates;
    let per_step = rates.iter().sum::<f64>() / rates.len().max(1) as f64 * s.dt_s;
    let steps = (f64::from(s.steps) * share).ceil();
    let requests = per_step * steps * runs as f64;
    if requests <= MAX_EXACT_REQUESTS {
        return Ok(());
    }
    Err(Failure::Input(format!(
        "the {} physics would simulate about {} requests ({runs} world{} x {} steps x {} a step on average), about {} at the {:.0} M requests a second of a native build; a run simulates at most {} (about {}): lower steps, dt_s or the demand, or use the fluid physics (--physics fluid)",
        name(&s.queue.physics),
        thousands(requests as u64),
        if runs == 1 { "" } else { "s" },
        thousands(steps as u64),
        thousands(per_step.round() as u64),
        duration(requests / EXACT_REQUESTS_PER_S),
        EXACT_REQUESTS_PER_S / 1e6,
        thousands(MAX_EXACT_REQUESTS as u64),
        duration(MAX_EXACT_REQUESTS / EXACT_REQUESTS_PER_S),
    )))
}

/// A time in words: "40 s", "28 min", "46 h", "3 days".
fn duration(s: f64) -> String {
    match s {
        s if s < 90.0 => format!("{s:.0} s"),
        s if s < 90.0 * 60.0 => format!("{:.0} min", s / 60.0),
        s if s < 48.0 * 3600.0 => format!("{:.0} h", s / 3600.0),
        s => format!("{} days", thousands((s / 86_400.0).round() as u64)),
    }
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_read_in_the_unit_that_suits_them() {
        assert_eq!(duration(40.0), "40 s");
        assert_eq!(duration(1667.0), "28 min");
        assert_eq!(duration(46.0 * 3600.0), "46 h");
        assert_eq!(duration(1e9), "11,574 days");
    }
}
