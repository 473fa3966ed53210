//! The trained session that `compare`, `train` and `explain` start from: the
//! scenario of the arguments, the agent trained with a progress line, or its
//! Q-table loaded from a file instead.

use super::args::TrainedArgs;
use super::input::{load_replay, read_text, scenario, shown_path, Named};
use super::progress::Progress;
use super::Failure;
use autoscale_playground::agent::QTable;
use autoscale_playground::session::Session;
use std::path::Path;

/// A session of the scenario the arguments name, trained (or loaded from `q`).
pub fn session(args: &TrainedArgs, q: Option<&Path>) -> Result<Session, Failure> {
    let mut scenario = scenario(&args.scenario)?;
    if let Some(n) = args.episodes {
        scenario.agent.episodes = n;
    }
    let replay = load_replay(&scenario)?;
    let mut session = Session::new(scenario, replay.as_ref())?;
    match q {
        Some(path) => {
            let text = read_text(path, Named::QTable)?;
            let refused = |e: &dyn std::fmt::Display| {
                Failure::Input(format!("Q-table file '{}': {e}", shown_path(path)))
            };
            let table = QTable::from_json(&text).map_err(|e| refused(&e))?;
            session.load_table(table).map_err(|e| refused(&e))?;
        }
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
