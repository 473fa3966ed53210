//! The `frontier` command: every world over several seeds, the Rule at each
//! target and the agent at each violation weight, printed as the
//! cost-reliability frontier (and written as CSV with `--out`). With `--shard
//! K/N` it plays one slice of the sweep into a part; with `--merge` it combines
//! the parts into what the whole sweep prints and writes.

use super::args::FrontierArgs;
use super::input::{in_file, load_replay, read_text, shown_path, Named};
use super::output::{print_out, CsvOut};
use super::progress::Progress;
use super::render::name;
use super::trained::trained_scenario;
use super::{work, Failure};
use autoscale_playground::frontier::{self, Frontier, Part, Plan, Shard};
use autoscale_playground::Scenario;

pub fn run(args: &FrontierArgs) -> Result<(), Failure> {
    if !args.merge.is_empty() {
        return merge(args);
    }
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
    let shard = args
        .shard
        .as_deref()
        .map(|text| Shard::parse(text).map_err(|e| Failure::Input(format!("--{e}"))))
        .transpose()?;
    let scenario = trained_scenario(&args.common)?;
    // Each agent point trains as `compare` does: the same cap on one training.
    work::training(&scenario)?;
    let plan = if args.quick {
        frontier::Plan::quick(&scenario, seeds)
    } else {
        frontier::Plan::new(&scenario, seeds)
    };
    plan.check(&scenario)?;
    let units = plan.units(&scenario);
    if let Some(shard) = shard {
        shard.check(units.len()).map_err(|e| Failure::Input(format!("--{e}")))?;
    }
    // Opened before the sweep, so that a bad path fails before a long run does.
    let out = args.out.as_deref().map(CsvOut::open).transpose()?;
    let replay = load_replay(&scenario)?;
    let chosen: Vec<usize> = match shard {
        Some(shard) => plan.slice(&scenario, shard),
        None => (0..units.len()).collect(),
    };
    // Every unit judges one world but the baselines', which judge three.
    let judged: u64 = chosen.iter().map(|&i| units[i].work.worlds().len() as u64).sum();
    work::exact(&scenario, replay.as_ref(), judged, 1.0)?;
    let total: u64 = chosen.iter().map(|&i| units[i].steps(&scenario)).sum();
    // Threads report as their units end, not always in order: show the most.
    let progress = std::sync::Mutex::new((Progress::on_terminal("frontier", total), 0));
    let report = |done: u64, _: u64| {
        let mut guard = progress.lock().unwrap_or_else(|e| e.into_inner());
        let (line, most) = &mut *guard;
        *most = done.max(*most);
        line.update(*most);
    };
    let label = args.common.scenario.preset.as_deref().unwrap_or("custom");
    if let Some(shard) = shard {
        let part =
            frontier::play_part(&scenario, replay.as_ref(), &plan, shard, label, threads, &report)?;
        progress.into_inner().unwrap_or_else(|e| e.into_inner()).0.finish();
        let (Some(mut out), Some(path)) = (out, args.out.as_deref()) else {
            return Err(Failure::Input("--shard writes its part to --out FILE.csv".into()));
        };
        out.text(&part.to_text())?;
        out.finish()?;
        return print_out(&format!(
            "shard {shard} of the frontier of {}: {} of its {} units played, written to '{}' (plan {}); merge the {} parts with: frontier --merge PART.csv...\n",
            heading(label),
            chosen.len(),
            units.len(),
            shown_path(path),
            part.plan_id,
            shard.count
        ));
    }
    let frontier = frontier::sweep(&scenario, replay.as_ref(), &plan, threads, &report)?;
    progress.into_inner().unwrap_or_else(|e| e.into_inner()).0.finish();
    show(&frontier, &scenario, &plan, label, out)
}

/// "preset NAME", or "the scenario" for a custom one.
fn heading(label: &str) -> String {
    if label == "custom" {
        "the scenario".to_string()
    } else {
        format!("preset {label}")
    }
}

/// Writes the CSV (when asked) and prints the heading, the table and the verdicts.
fn show(
    frontier: &Frontier,
    s: &Scenario,
    plan: &Plan,
    label: &str,
    out: Option<CsvOut>,
) -> Result<(), Failure> {
    if let Some(mut out) = out {
        out.text(&frontier.csv(label))?;
        out.finish()?;
    }
    print_out(&format!(
        "frontier of {}: {} seeds ({} to {}), {} steps of {} s, {} physics; each agent trained {} episodes (fluid)\n",
        heading(label),
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

/// `--merge`: reads every part (refusing one this build cannot read), merges
/// them (refusing parts of different sweeps, a slice missing or twice) and
/// shows the whole sweep.
fn merge(args: &FrontierArgs) -> Result<(), Failure> {
    let mut parts = Vec::new();
    for path in &args.merge {
        let text = read_text(path, Named::Part)?;
        let part = Part::read(&text)
            .map_err(|e| Failure::Input(in_file("--merge part", path, &e.to_string())))?;
        parts.push((shown_path(path), part));
    }
    let merged = frontier::merge(&parts)?;
    let out = args.out.as_deref().map(CsvOut::open).transpose()?;
    show(&merged.frontier, &merged.scenario, &merged.plan, &merged.label, out)
}
