//! The `explain` command: the forensics of the elastic world's decision at one
//! step.

use super::args::ExplainArgs;
use super::output::print_out;
use super::trained::{session, Judged};
use super::Failure;
use autoscale_playground::forensics::MAX_HORIZON;

pub fn run(args: &ExplainArgs) -> Result<(), Failure> {
    let (step, horizon) = (args.step, args.horizon);
    // The flags against the run, before anything is trained: refused, not clamped.
    let judged = |s: &autoscale_playground::Scenario| {
        let steps = s.steps as usize;
        // The agent decides from step 1 on, once it has seen demand.
        if step == 0 || step >= steps {
            return Err(Failure::Input(format!(
                "--step {step}: the run has {steps} steps, and the agent decides from step 1 on; give a step from 1 to {}",
                steps - 1
            )));
        }
        if !(1..=MAX_HORIZON).contains(&horizon) {
            return Err(Failure::Input(format!(
                "--horizon {horizon}: must be a whole number from 1 to {MAX_HORIZON}"
            )));
        }
        let after = steps - step;
        if horizon > after {
            return Err(Failure::Input(format!(
                "--horizon {horizon} at --step {step}: the run has {steps} steps, so {after} remain from step {step}; give --horizon from 1 to {after}"
            )));
        }
        // The elastic world played to the step, then each action for the horizon.
        let played = step + 3 * horizon;
        Ok(Judged { worlds: 1, share: (played as f64 / steps as f64).min(1.0) })
    };
    let session = session(&args.common, args.q.as_deref(), judged)?;
    let f = session.explain(step, horizon)?;
    print_out(&format!("{}\n", f.text()))
}
