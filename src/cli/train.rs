//! The `train` command: the agent trained and its Q-table written (and, with
//! `--state`, the whole training state the page adopts at load).

use super::args::TrainArgs;
use super::input::shown_path;
use super::output::{print_out, OutFile};
use super::trained::{session, Judged};
use super::Failure;
use autoscale_playground::math::Figure;
use autoscale_playground::train::Prebuilt;

pub fn run(args: &TrainArgs) -> Result<(), Failure> {
    // Opened before training, so that an unwritable path fails before a long
    // run does; each replaces its file only once written whole.
    let mut out = OutFile::create(&args.out)?;
    let mut state = args.state.as_deref().map(OutFile::create).transpose()?;
    let mut blind = args.ablation_state.as_deref().map(OutFile::create).transpose()?;
    // Nothing is judged: the training alone.
    let mut session = session(&args.common, None, |_| Ok(Judged { worlds: 0, share: 0.0 }))?;
    if let Some(file) = &mut blind {
        // The ablation's agent, trained as the page's worker trains it.
        session.set_ablation(true);
        session.train_all()?;
        let trained = session.blind.as_ref().expect("the ablation was just added");
        let prebuilt = Prebuilt::of(&session.scenario, trained.state());
        file.write(&serde_json::to_string(&prebuilt).expect("a training state always serialises"))?;
    }
    let table = &session.trainer.agent.table;
    out.write(&table.to_json())?;
    let curve = &session.trainer.curve;
    if let Some(state) = &mut state {
        let prebuilt = Prebuilt::of(&session.scenario, session.trainer.state())
            .with_forecaster(&session.trainer);
        state.write(
            &serde_json::to_string(&prebuilt).expect("a training state always serialises"),
        )?;
    }
    out.finish()?;
    state.map(OutFile::finish).transpose()?;
    blind.map(OutFile::finish).transpose()?;
    let tenth = (curve.len() / 10).max(1);
    let mean =
        |xs: &[f64]| if xs.is_empty() { 0.0 } else { xs.iter().sum::<f64>() / xs.len() as f64 };
    print_out(&format!(
        "trained {} episodes: mean episode reward {:.0} over the first {tenth}, {:.0} over the last {tenth}; {} of {} states visited; Q-table written to '{}'\n",
        curve.len(),
        Figure(mean(&curve[..tenth.min(curve.len())])),
        Figure(mean(&curve[curve.len().saturating_sub(tenth)..])),
        table.visited_states(),
        table.q.len(),
        shown_path(&args.out)
    ))
}
