//! The `train` command: the agent trained and its Q-table written (and, with
//! `--state`, the whole training state the page adopts at load).

use super::args::TrainArgs;
use super::output::print_out;
use super::trained::session;
use super::Failure;
use autoscale_playground::train::Prebuilt;
use std::fs::File;
use std::path::Path;

pub fn run(args: &TrainArgs) -> Result<(), Failure> {
    // Fail on an unwritable path before training, not after.
    File::create(&args.out)
        .map_err(|e| Failure::Io(format!("cannot write '{}': {e}", args.out.display())))?;
    let session = session(&args.common, None)?;
    let table = &session.trainer.agent.table;
    let write = |path: &Path, text: String| {
        std::fs::write(path, text)
            .map_err(|e| Failure::Io(format!("cannot write '{}': {e}", path.display())))
    };
    write(&args.out, table.to_json())?;
    let curve = &session.trainer.curve;
    if let Some(path) = &args.state {
        let prebuilt = Prebuilt::of(&session.scenario, session.trainer.state());
        write(path, serde_json::to_string(&prebuilt).expect("a training state always serialises"))?;
    }
    let tenth = (curve.len() / 10).max(1);
    let mean =
        |xs: &[f64]| if xs.is_empty() { 0.0 } else { xs.iter().sum::<f64>() / xs.len() as f64 };
    print_out(&format!(
        "trained {} episodes: mean episode reward {:.0} over the first {tenth}, {:.0} over the last {tenth}; {} of {} states visited; Q-table written to '{}'\n",
        curve.len(),
        mean(&curve[..tenth.min(curve.len())]),
        mean(&curve[curve.len().saturating_sub(tenth)..]),
        table.visited_states(),
        table.q.len(),
        args.out.display()
    ))
}
