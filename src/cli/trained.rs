//! The trained session that `compare`, `train` and `explain` start from: the
//! scenario of the arguments, its work estimated before anything starts, the
//! agent trained with a progress line, or its Q-table loaded from a file instead.

use super::args::TrainedArgs;
use super::input::{load_replay, read_text, scenario, shown_path, Named};
use super::progress::Progress;
use super::{work, Failure};
use autoscale_playground::agent::QTable;
use autoscale_playground::scenario::{knob, Scenario};
use autoscale_playground::session::Session;
use std::path::Path;

/// What a command plays besides the training, for its estimate: how many worlds
/// judge the run, and what share of the run they play.
pub struct Judged {
    pub worlds: u64,
    pub share: f64,
}

/// A session of the scenario the arguments name, trained (or loaded from `q`).
/// `check` refuses the command's own flags against the scenario (a step beyond
/// the run) before anything is read or trained; `judged` says what the command
/// plays beside the training, so that its work is estimated before it starts.
pub fn session(
    args: &TrainedArgs,
    q: Option<&Path>,
    check: impl FnOnce(&Scenario) -> Result<Judged, Failure>,
) -> Result<Session, Failure> {
    let scenario = trained_scenario(args)?;
    let judged = check(&scenario)?;
    if q.is_none() {
        work::training(&scenario)?;
    }
    // A table named is read before anything is built: a bad one fails at once.
    let refused = |path: &Path, e: &dyn std::fmt::Display| {
        Failure::Input(format!("Q-table file '{}': {e}", shown_path(path)))
    };
    let table = match q {
        Some(path) => {
            let text = read_text(path, Named::QTable)?;
            Some((path, QTable::from_json(&text).map_err(|e| refused(path, &e))?))
        }
        None => None,
    };
    let replay = load_replay(&scenario)?;
    work::exact(&scenario, replay.as_ref(), judged.worlds, judged.share)?;
    let mut session = Session::new(scenario, replay.as_ref())?;
    match table {
        Some((path, table)) => session.load_table(table).map_err(|e| refused(path, &e))?,
        None => {
            // One episode at a time, for the progress line: the same training.
            let (steps, left) = (
                session.trace.len() as u64,
                session.trainer.episodes.saturating_sub(session.trainer.episode),
            );
            let mut progress = Progress::on_terminal("training", steps * left as u64);
            for e in 0..left {
                progress.update(e as u64 * steps);
                session.trainer.run(1)?;
            }
            progress.finish();
            if left > 0 {
                session.restart();
            }
        }
    }
    Ok(session)
}

/// The scenario of the arguments, with `--episodes` (checked as
/// `agent.episodes` is).
pub fn trained_scenario(args: &TrainedArgs) -> Result<Scenario, Failure> {
    let mut scenario = scenario(&args.scenario)?;
    if let Some(n) = args.episodes {
        let (lo, hi) = knob("agent.episodes").and_then(|k| k.kind.range()).unwrap_or((0.0, 0.0));
        if !(lo..=hi).contains(&f64::from(n)) {
            return Err(Failure::Input(format!(
                "--episodes {n}: must be a whole number from {lo} to {hi} (agent.episodes)"
            )));
        }
        scenario.agent.episodes = n;
    }
    Ok(scenario)
}
