//! The `frontier` command: every world over several seeds, the Rule at each
//! target and the agent at each violation weight, printed as the
//! cost-reliability frontier (and written as CSV with `--out`).

use super::args::FrontierArgs;
use super::input::load_replay;
use super::output::{print_out, CsvOut};
use super::progress::Progress;
use super::render::name;
use super::trained::trained_scenario;
use super::{work, Failure};
use autoscale_playground::frontier;

pub fn run(args: &FrontierArgs) -> Result<(), Failure> {
    let seeds = args.seeds.unwrap_or(if args.quick { 3 } else { frontier::DEFAULT_SEEDS });
    if !(frontier::MIN_SEEDS..=frontier::MAX_SEEDS).contains(&seeds) {
        return Err(Failure::Input(format!(
            "--seeds {seeds}: must be a whole number from {} to {} (a 95 % interval needs two seeds)",
            frontier::MIN_SEEDS,
            frontier::MAX_SEEDS
        )));
    }
    let threads = args.threads.unwrap_or_else(frontier::available_threads);
    if !(1..=frontier::MAX_THREADS).contains(&threads) {
        return Err(Failure::Input(format!(
            "--threads {threads}: must be a whole number from 1 to {}",
            frontier::MAX_THREADS
        )));
    }
    let scenario = trained_scenario(&args.common)?;
    // Each agent point trains as `compare` does: the same cap on one training.
    work::training(&scenario)?;
    let plan = if args.quick {
        frontier::Plan::quick(&scenario, seeds)
    } else {
        frontier::Plan::new(&scenario, seeds)
    };
    plan.check(&scenario)?;
    // Opened before the sweep, so that a bad path fails before a long run does.
    let out = args.out.as_deref().map(CsvOut::open).transpose()?;
    let replay = load_replay(&scenario)?;
    let units = plan.units(&scenario);
    // Every unit judges one world but the baselines', which judge three.
    let judged = (units.len() + 2 * plan.seeds.len()) as u64;
    work::exact(&scenario, replay.as_ref(), judged, 1.0)?;
    let total: u64 = units.iter().map(|u| u.steps(&scenario)).sum();
    // Threads report as their units end, not always in order: show the most.
    let progress = std::sync::Mutex::new((Progress::on_terminal("frontier", total), 0));
    let frontier = frontier::sweep(&scenario, replay.as_ref(), &plan, threads, &|done, _| {
        let mut guard = progress.lock().unwrap_or_else(|e| e.into_inner());
        let (line, most) = &mut *guard;
        *most = done.max(*most);
        line.update(*most);
    })?;
    progress.into_inner().unwrap_or_else(|e| e.into_inner()).0.finish();
    let preset = args.common.scenario.preset.as_deref().unwrap_or("custom");
    if let Some(mut out) = out {
        out.text(&frontier.csv(preset))?;
        out.finish()?;
    }
    let s = &scenario;
    print_out(&format!(
        "frontier of {}: {} seeds ({} to {}), {} steps of {} s, {} physics; each agent trained {} episodes (fluid)\n",
        if preset == "custom" { "the scenario".to_string() } else { format!("preset {preset}") },
        plan.seeds.len(),
        plan.seeds[0],
        plan.seeds[plan.seeds.len() - 1],
        frontier.steps,
        s.dt_s,
        name(&s.queue.physics),
        frontier.episodes
    ))?;
    print_out(&frontier.table())?;
    print_out(&frontier.verdicts())
}
