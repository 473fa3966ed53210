//! The command line: `simulate` plays one world of a scenario under a fixed
//! capacity plan; `compare` trains the agent and judges the four worlds on one
//! trace (the page's scoreboard); `train` writes the trained Q-table (and the
//! state the page's build ships); `explain` gives the forensics of one decision;
//! `frontier` sweeps the Rule's target and the agent's violation weight over
//! several seeds (the cost-reliability frontier).
//! Every command reads the scenario the same way: a preset, a share link or a
//! JSON file, then `--set` overrides.

// The browser uses the library; this binary is native only, and builds to nothing
// for wasm32 so that a wasm build of the whole package still succeeds.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use autoscale_playground::agent::QTable;
    use autoscale_playground::judge::results_table;
    use autoscale_playground::scenario::{Family, Physics, Scenario};
    use autoscale_playground::session::Session;
    use autoscale_playground::train::Prebuilt;
    use autoscale_playground::workload::replay::Import;
    use autoscale_playground::workload::{replay, ReplayData};
    use autoscale_playground::world::schedule::{self, Schedule};
    use autoscale_playground::world::service;
    use autoscale_playground::{frontier, link, presets};
    use autoscale_playground::{StepReport, Summary, Trace, World, WorldConfig};
    use clap::{Args, Parser, Subcommand, ValueEnum};
    use std::fs::File;
    use std::io::{BufWriter, IsTerminal, Read, Write};
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;
    use std::time::{Duration, Instant};

    /// Largest file the CLI reads (scenario, schedule or replay).
    const MAX_INPUT_BYTES: u64 = replay::MAX_BYTES as u64;

    #[derive(Parser)]
    #[command(
        name = "autoscale-playground",
        version,
        about = "An elastic-autoscaling simulator: GPU replicas serving a small language model.",
        after_help = "Scenario keys for --set: `autoscale-playground keys` lists every one with its default and allowed values.\nTrace files (timestamp forms, header rules, token columns): the README's \"Trace formats\"."
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Plays one world of a scenario under a fixed capacity plan and prints a summary.
        #[command(after_help = SIMULATE_HELP)]
        Simulate(SimulateArgs),
        /// Trains the agent, runs Static, Rule, Elastic (RL) and Oracle on the same
        /// trace and prints one row of metrics per world.
        Compare(CompareArgs),
        /// Trains the agent and writes its Q-table as JSON.
        Train(TrainArgs),
        /// Trains the agent (or loads --q), runs to step T and explains the elastic
        /// world's decision there.
        Explain(ExplainArgs),
        /// Plays every world over several seeds, the Rule at each target utilisation
        /// and the agent trained at each weight of a violated step, and prints the
        /// cost-reliability frontier: each point's mean with its 95 % interval.
        #[command(after_help = FRONTIER_HELP)]
        Frontier(FrontierArgs),
        /// Lists the preset names, one per line (for --preset).
        Presets {
            /// Each name followed by what the preset is.
            #[arg(long)]
            describe: bool,
        },
        /// Lists every scenario key (for --set and scenario files) with its default
        /// and allowed values, from the table of knobs.
        Keys,
        /// Prints the page's share link of a scenario: a class link, a guided
        /// lesson or a link to a step (what the page's "Copy class link" makes).
        Link(LinkArgs),
    }

    #[derive(Args)]
    struct LinkArgs {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// What the students see of the controls: everything, the charts with
        /// playback and moments, or playback only.
        #[arg(long, value_enum, default_value = "full")]
        controls: ControlsArg,
        /// A guided lesson: the page walks through the run's moments, a caption each.
        #[arg(long)]
        lesson: bool,
        /// Plays once the agent is trained (a link opens paused otherwise).
        #[arg(long)]
        autoplay: bool,
        /// Opens at this step (paused unless --autoplay).
        #[arg(long, value_name = "STEP", default_value_t = 0)]
        at: u32,
        /// The page's address to put before the link (the part before '#');
        /// without it only the part after '#' is printed.
        #[arg(long, value_name = "URL")]
        page: Option<String>,
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum ControlsArg {
        Full,
        Charts,
        Playback,
    }

    /// The scenario, as every command reads it.
    #[derive(Args)]
    struct ScenarioArgs {
        /// Starts from a named preset (diurnal, flash-crowd, bursty, and the real
        /// traces azure-conv, azure-code: the workload with the tuned agent; see
        /// `presets --describe`) instead of docs/model.md's defaults; --set applies on top.
        #[arg(long, value_name = "NAME", conflicts_with = "scenario")]
        preset: Option<String>,
        /// Starts from a share link of the page (the part after '#', or the whole
        /// address); --set applies on top.
        #[arg(long, value_name = "LINK", conflicts_with_all = ["scenario", "preset"])]
        link: Option<String>,
        /// Scenario JSON file; missing fields take their defaults.
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
        /// Sets one scenario field by its dotted name, after --scenario (repeatable),
        /// e.g. --set steps=1440 --set workload.family=bursty; `keys` lists them all.
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Queueing physics of the run (training always uses the fluid);
        /// overrides queue.physics.
        #[arg(long, value_enum)]
        physics: Option<PhysicsArg>,
        /// The scenario's seed, after --set: a whole number, or `random` for one
        /// drawn from the platform's entropy, printed (on stderr) so that
        /// `--seed N` repeats the run.
        #[arg(long, value_name = "N|random", allow_hyphen_values = true)]
        seed: Option<String>,
    }

    /// What every command that trains the agent needs.
    #[derive(Args)]
    struct TrainedArgs {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Training episodes; overrides agent.episodes.
        #[arg(long, value_name = "N")]
        episodes: Option<u32>,
    }

    #[derive(Args)]
    struct CompareArgs {
        #[command(flatten)]
        common: TrainedArgs,
        /// Loads a trained Q-table instead of training.
        #[arg(long, value_name = "FILE.json")]
        q: Option<PathBuf>,
        /// Writes one CSV row per world and step to FILE.
        #[arg(long, value_name = "FILE.csv")]
        out: Option<PathBuf>,
        /// Stops the judged run after N steps (the page's scoreboard at step N).
        #[arg(long, value_name = "N")]
        steps: Option<usize>,
        /// Prints the results as JSON, every figure at full precision, instead of the table.
        #[arg(long)]
        json: bool,
        /// Adds the ablation world: the same agent trained and run without the
        /// forecast in its state ("Elastic, no forecast"); a --link whose page
        /// showed it adds it too.
        #[arg(long)]
        ablation: bool,
    }

    #[derive(Args)]
    struct TrainArgs {
        #[command(flatten)]
        common: TrainedArgs,
        /// Where to write the Q-table (JSON, with a format version).
        #[arg(long, value_name = "FILE.json")]
        out: PathBuf,
        /// Also writes the whole training state, as the page adopts it at load:
        /// `{scenario, table, curve, episode, episodes}`, the scenario and table as
        /// JSON text. The page's build writes one per preset (scripts/build-wasm.sh).
        #[arg(long, value_name = "FILE.json")]
        state: Option<PathBuf>,
    }

    #[derive(Args)]
    struct ExplainArgs {
        #[command(flatten)]
        common: TrainedArgs,
        /// The step whose decision to explain.
        #[arg(long, value_name = "T")]
        step: usize,
        /// Steps replayed for each alternative action.
        #[arg(long, value_name = "H", default_value_t = 10)]
        horizon: usize,
        /// Loads a trained Q-table instead of training.
        #[arg(long, value_name = "FILE.json")]
        q: Option<PathBuf>,
    }

    #[derive(Args)]
    struct FrontierArgs {
        #[command(flatten)]
        common: TrainedArgs,
        /// Seeds, from the scenario's seed upwards: 2 to 1000 [default: 10, with --quick 3].
        #[arg(long, value_name = "N")]
        seeds: Option<usize>,
        /// Threads playing the seeds and points, 1 to 256 [default: every core];
        /// the output is the same whatever their number.
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// Writes the points as CSV to FILE.
        #[arg(long, value_name = "FILE.csv")]
        out: Option<PathBuf>,
        /// Fewer points: the Rule at targets 0.5 to 0.9 by 0.1, the agent at
        /// weights -5, -20, -80.
        #[arg(long)]
        quick: bool,
    }

    const FRONTIER_HELP: &str = "\
Worlds: Static, Oracle and Predictive at the scenario's settings; the Rule at
target utilisations 0.40, 0.45, ..., 0.95 (and the scenario's own); the agent
trained and judged at violation weights -5, -10, -20, -40, -80 (and the
scenario's own reward.sla_violated); at the scenario's own weight, the agent
without the forecast in its state (and docs/model.md's seed design when the scenario's
agent is another). Each point is the mean over the seeds with the half-width of
its 95 % interval (Student's t). The default points are marked '*'.

Early scale-ups: scale-ups ahead of need, made while the fleet already carried
the demand just seen within the SLA (for demand not yet seen).

Example:
  autoscale-playground frontier --preset diurnal --seeds 10 --out frontier.csv";

    const SIMULATE_HELP: &str = "\
Capacity: --replicas N holds N replicas every step; --schedule FILE asks for the
replicas of each step in turn; with neither, scaling.initial_replicas is held.
Values must lie within scaling.min_replicas..=scaling.max_replicas.

Schedule file: one whole number per line, the provisioned replicas of step 0, 1,
2, ... in order. Blank lines and lines starting with '#' are skipped. A schedule
shorter than the run holds its last value; values beyond the run are unused.
Replicas asked for after step 0 become ready after scaling.boot_delay_s.

Replay: with --set workload.family=replay, the CSV named by
workload.replay.source is read (relative to the current directory).

Exit status: 0 on success, 2 for a usage error or an invalid scenario, schedule
or replay file, 1 when a file cannot be read or written.

Example:
  autoscale-playground simulate --set steps=1440 --set workload.family=bursty \\
      --replicas 10 --physics exact --out run.csv";

    #[derive(Args)]
    struct SimulateArgs {
        #[command(flatten)]
        common: ScenarioArgs,
        /// Holds N provisioned replicas every step.
        #[arg(long, value_name = "N", conflicts_with = "schedule")]
        replicas: Option<u32>,
        /// Reads the provisioned replicas of each step from FILE (see below).
        #[arg(long, value_name = "FILE")]
        schedule: Option<PathBuf>,
        /// Writes one CSV row per step to FILE; without it nothing is written to disk.
        #[arg(long, value_name = "FILE.csv")]
        out: Option<PathBuf>,
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum PhysicsArg {
        /// Pointwise stationary fluid-flow approximation (fast).
        Fluid,
        /// Per-request discrete-event simulation (the ground truth).
        Exact,
    }

    impl From<PhysicsArg> for Physics {
        fn from(p: PhysicsArg) -> Physics {
            match p {
                PhysicsArg::Fluid => Physics::Fluid,
                PhysicsArg::Exact => Physics::Exact,
            }
        }
    }

    /// Why a command failed, and who can fix it: the user's input (exit 2) or the
    /// file system (exit 1).
    enum Failure {
        Input(String),
        Io(String),
        /// Whoever read the output stopped reading (`| head`): nothing more to say.
        Closed,
    }

    /// The core's errors are all the user's input to fix.
    impl From<autoscale_playground::Error> for Failure {
        fn from(e: autoscale_playground::Error) -> Failure {
            Failure::Input(e.to_string())
        }
    }

    pub fn main() -> ExitCode {
        let result = match Cli::parse().command {
            Command::Simulate(args) => simulate(&args),
            Command::Compare(args) => compare(&args),
            Command::Train(args) => train(&args),
            Command::Explain(args) => explain(&args),
            Command::Frontier(args) => frontier(&args),
            Command::Presets { describe } => presets::NAMES.iter().try_for_each(|name| {
                if describe {
                    print_out(&format!("{name}: {}\n", presets::describe(name)))
                } else {
                    print_out(&format!("{name}\n"))
                }
            }),
            Command::Keys => print_out(&keys()),
            Command::Link(args) => share_link(&args),
        };
        let (msg, code) = match result {
            // A closed pipe ends the program quietly and successfully, as a
            // reader that stops early (`| head`) means "enough", not "failed";
            // 0 also keeps `set -o pipefail` scripts going.
            Ok(()) | Err(Failure::Closed) => return ExitCode::SUCCESS,
            Err(Failure::Input(msg)) => (msg, 2),
            Err(Failure::Io(msg)) => (msg, 1),
        };
        say(&format!("error: {msg}"));
        ExitCode::from(code)
    }

    /// Writes `text` to stdout. `print!` panics when the reader has gone; this
    /// reports it as [`Failure::Closed`].
    fn print_out(text: &str) -> Result<(), Failure> {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| written("standard output", e))
    }

    /// A line on stderr; a closed stderr is ignored (`eprintln!` would panic).
    fn say(line: &str) {
        let _ = writeln!(std::io::stderr(), "{line}");
    }

    /// The failure of a write to `what`.
    fn written(what: &str, e: std::io::Error) -> Failure {
        match e.kind() {
            std::io::ErrorKind::BrokenPipe => Failure::Closed,
            _ => Failure::Io(format!("cannot write {what}: {e}")),
        }
    }

    /// Every scenario key with its default and what it allows, from the table of
    /// knobs, one per line.
    fn keys() -> String {
        let defaults =
            serde_json::to_value(Scenario::default()).expect("a scenario always serialises");
        let rows: Vec<[String; 3]> = autoscale_playground::scenario::knobs()
            .iter()
            .map(|k| {
                let default = match defaults.pointer(&format!("/{}", k.path.replace('.', "/"))) {
                    Some(serde_json::Value::String(s)) if s.is_empty() => "\"\"".to_string(),
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                    None => String::new(),
                };
                [k.path.to_string(), default, format!("{}  -- {}", k.allowed(), k.label)]
            })
            .collect();
        let width = |i: usize| rows.iter().map(|r| r[i].len()).max().unwrap_or(0) + 2;
        let (w0, w1) = (width(0), width(1));
        let mut text = format!("{:<w0$}{:<w1$}{}\n", "KEY", "DEFAULT", "ALLOWED");
        for [path, default, allowed] in rows {
            text.push_str(&format!("{path:<w0$}{default:<w1$}{allowed}\n"));
        }
        text
    }

    fn simulate(args: &SimulateArgs) -> Result<(), Failure> {
        let scenario = scenario(&args.common)?;
        let replay = load_replay(&scenario)?;
        let trace = Trace::build(&scenario, replay.as_ref())?;
        let plan = Plan::from_args(args, &scenario)?;
        if plan.schedule.targets().len() > trace.len() {
            let unused = plan.schedule.targets().len() - trace.len();
            say(&format!(
                "warning: {} has {unused} values beyond the run's {} steps; they are not used",
                plan.source,
                trace.len()
            ));
        }
        // Opened before the run, so that a bad path fails before a long run does.
        let mut out = args.out.as_deref().map(CsvOut::create).transpose()?;

        let run = service::for_run(&scenario, replay.as_ref())?;
        let mut world = World::new(WorldConfig::from_scenario(&run), plan.at(0));
        let mut reports = Vec::with_capacity(trace.len());
        let mut progress = Progress::on_terminal("simulate", trace.len() as u64);
        for step in 0..trace.len() {
            progress.update(step as u64);
            let report = world.step(plan.at(step), &trace);
            if let Some(out) = &mut out {
                out.row(&report)?;
            }
            reports.push(report);
        }
        if let Some(out) = out {
            out.finish()?;
        }
        progress.finish();
        let summary = Summary::from_reports(&reports, scenario.dt_s);
        print_out(&render(args, &scenario, &plan, &summary))
    }

    /// The `link` command: the scenario's share link with the view asked for.
    fn share_link(args: &LinkArgs) -> Result<(), Failure> {
        let s = scenario(&args.scenario)?;
        // A replay's length is its file's, which the link does not carry.
        if s.workload.family != autoscale_playground::scenario::Family::Replay && args.at > s.steps
        {
            return Err(Failure::Input(format!(
                "--at {}: the run has {} steps; give a step from 0 to {}",
                args.at, s.steps, s.steps
            )));
        }
        let view = link::Presentation {
            controls: match args.controls {
                ControlsArg::Full => link::Controls::Full,
                ControlsArg::Charts => link::Controls::Charts,
                ControlsArg::Playback => link::Controls::Playback,
            },
            lesson: args.lesson,
            autoplay: args.autoplay,
            start_step: args.at,
            ..link::Presentation::default()
        };
        let hash = link::encode(&s, &view);
        let page = args.page.as_deref().map(|p| p.split_once('#').map_or(p, |(before, _)| before));
        print_out(&format!("{}#{hash}\n", page.unwrap_or("")))
    }

    /// The scenario the arguments name: a share link, a preset, a JSON file or
    /// the defaults, then the overrides and the physics.
    fn scenario(args: &ScenarioArgs) -> Result<Scenario, Failure> {
        let base = match (&args.link, &args.preset, &args.scenario) {
            (Some(link), _, _) => {
                link::decode(link.split_once('#').map_or(link.as_str(), |(_, h)| h))?.0
            }
            (None, Some(name), _) => presets::preset(name)?,
            (None, None, Some(path)) => {
                let text = read_text(path, "scenario file")?;
                Scenario::from_json(&text).map_err(|e| {
                    Failure::Input(format!("scenario file '{}': {e}", path.display()))
                })?
            }
            (None, None, None) => Scenario::default(),
        };
        let mut scenario = base.with_overrides(&args.set)?;
        if let Some(p) = args.physics {
            scenario.queue.physics = p.into();
        }
        if let Some(seed) = &args.seed {
            scenario.seed = seed_arg(seed)?;
        }
        Ok(scenario)
    }

    /// The value of `--seed`: a whole number, or `random` for one drawn from
    /// the platform's entropy, said on stderr with how to repeat the run.
    fn seed_arg(value: &str) -> Result<u64, Failure> {
        if value.trim().eq_ignore_ascii_case("random") {
            let seed = u64::from(
                autoscale_playground::rng::entropy_seed()
                    .map_err(|e| Failure::Input(format!("--seed random: {e}")))?,
            );
            say(&format!("seed: {seed} (drawn at random; --seed {seed} repeats this run)"));
            return Ok(seed);
        }
        value.trim().parse::<u64>().map_err(|_| {
            Failure::Input(format!("--seed {value}: give a whole number from 0 to {}, or 'random' for one drawn at random", u64::MAX))
        })
    }

    /// A session of the scenario the arguments name, trained (or loaded from `q`).
    fn session(args: &TrainedArgs, q: Option<&Path>) -> Result<Session, Failure> {
        let mut scenario = scenario(&args.scenario)?;
        if let Some(n) = args.episodes {
            scenario.agent.episodes = n;
        }
        let replay = load_replay(&scenario)?;
        let mut session = Session::new(scenario, replay.as_ref())?;
        match q {
            Some(path) => {
                let text = read_text(path, "Q-table file")?;
                let table = QTable::from_json(&text).map_err(|e| {
                    Failure::Input(format!("Q-table file '{}': {e}", path.display()))
                })?;
                session.load_table(table).map_err(|e| {
                    Failure::Input(format!("Q-table file '{}': {e}", path.display()))
                })?;
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

    fn compare(args: &CompareArgs) -> Result<(), Failure> {
        // Opened before training, so that a bad path fails before a long run does.
        let mut out = args.out.as_deref().map(CsvOut::open).transpose()?;
        let mut session = session(&args.common, args.q.as_deref())?;
        // A page's link with "No forecast" switched on asks for the ablation too.
        let linked = match &args.common.scenario.link {
            Some(link) => {
                link::decode(link.split_once('#').map_or(link.as_str(), |(_, h)| h))?
                    .1
                    .show_no_forecast
            }
            None => false,
        };
        if args.ablation || linked {
            session.set_ablation(true);
            let left = session.blind.as_ref().map_or(0, |t| t.episodes.saturating_sub(t.episode));
            let mut progress = Progress::on_terminal("training without the forecast", left as u64);
            for e in 0..left {
                progress.update(e as u64);
                if let Some(t) = &mut session.blind {
                    t.run(1)?;
                }
            }
            progress.finish();
            session.restart();
        }
        // Only the CSV needs every step's report; the results are running sums.
        session.keep_reports(out.is_some());
        let want = args.steps.unwrap_or(usize::MAX).min(session.trace.len());
        let mut progress = Progress::on_terminal("judged run", want as u64);
        let mut done = 0;
        while done < want {
            progress.update(done as u64);
            let played = session.step((want - done).min(PROGRESS_CHUNK));
            if played == 0 {
                break;
            }
            done += played;
        }
        progress.finish();
        if let Some(mut out) = out.take() {
            // The page's CSV export writes the same text (Judge::csv).
            out.text(&session.judge.csv())?;
            out.finish()?;
        }
        if args.json {
            // serde_json writes each f64 so that it reads back to the same bits:
            // the figures can be compared exactly with the page's.
            let results = serde_json::json!({ "step": session.judge.step_index(), "episodes": session.trainer.episode, "worlds": session.results() });
            return print_out(&format!("{results}\n"));
        }
        let s = &session.scenario;
        print_out(&format!(
            "{} steps of {} s, {} workload, seed {}, {} physics; agent trained {} episodes (fluid), final episode reward {:.0}\n",
            s.steps,
            s.dt_s,
            name(&s.workload.family),
            s.seed,
            name(&s.queue.physics),
            session.trainer.episode,
            session.trainer.curve.last().copied().unwrap_or(0.0)
        ))?;
        print_out(&results_table(&session.results()))?;
        print_out(&forecast_skill(&session))
    }

    /// How often the forecast direction "rising" of the agent's forecaster was
    /// followed by a real rise over its horizon, on this run's trace.
    fn forecast_skill(session: &Session) -> String {
        use autoscale_playground::forecast::direction_skill;
        let Some(agent) = session.agent() else { return String::new() };
        let mut f = agent.forecaster().clone_box();
        let s = session.run_scenario();
        let h = agent.horizon();
        let k = direction_skill(f.as_mut(), &session.trace.rates, h, s.agent.forecast_threshold);
        let pct = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{:.0} %", 100.0 * x));
        format!(
            "forecast direction ({}, {h} step{} ahead, {:.0} % band): \"rising\" said {} times, {} followed by a real rise (precision {}); {} real rises, {} foreseen (recall {})\n",
            f.name(),
            if h == 1 { "" } else { "s" },
            100.0 * s.agent.forecast_threshold,
            k.predicted,
            k.hits,
            pct(k.precision()),
            k.real,
            k.hits,
            pct(k.recall())
        )
    }

    fn train(args: &TrainArgs) -> Result<(), Failure> {
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
            write(
                path,
                serde_json::to_string(&prebuilt).expect("a training state always serialises"),
            )?;
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

    fn explain(args: &ExplainArgs) -> Result<(), Failure> {
        let session = session(&args.common, args.q.as_deref())?;
        let f = session.explain(args.step, args.horizon)?;
        print_out(&format!("{}\n", f.text()))
    }

    fn frontier(args: &FrontierArgs) -> Result<(), Failure> {
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
        let mut scenario = scenario(&args.common.scenario)?;
        if let Some(n) = args.common.episodes {
            scenario.agent.episodes = n;
        }
        let plan = if args.quick {
            frontier::Plan::quick(&scenario, seeds)
        } else {
            frontier::Plan::new(&scenario, seeds)
        };
        plan.check(&scenario)?;
        // Opened before the sweep, so that a bad path fails before a long run does.
        let out = args.out.as_deref().map(CsvOut::open).transpose()?;
        let replay = load_replay(&scenario)?;
        let total: u64 = plan.units(&scenario).iter().map(|u| u.steps(&scenario)).sum();
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

    /// The replay's CSV, read for the scenario; what was read, guessed and looks
    /// wrong goes to stderr. A real-trace preset's file is found in the
    /// repository when the current directory does not hold it.
    fn load_replay(s: &Scenario) -> Result<Option<ReplayData>, Failure> {
        if s.workload.family != Family::Replay {
            return Ok(None);
        }
        let source = &s.workload.replay.source;
        let mut path = PathBuf::from(source);
        if let (false, Some(trace)) = (path.exists(), presets::trace_of(source)) {
            path = Path::new(env!("CARGO_MANIFEST_DIR")).join(trace);
        }
        let text = read_text(&path, "replay file")?;
        let import = Import::read(&text, s)
            .map_err(|e| Failure::Input(in_file("replay file", &path, &e.to_string())))?;
        say(&format!("replay file '{}':", path.display()));
        for line in import.lines() {
            say(&format!("  {line}"));
        }
        Ok(Some(import.data))
    }

    /// Prefixes a parser's message with the file it is about: "replay file 'x.csv'
    /// line 17: ..." for a message that names a line, else "...'x.csv': ...".
    fn in_file(what: &str, path: &Path, msg: &str) -> String {
        let sep = if msg.starts_with("line ") { " " } else { ": " };
        format!("{what} '{}'{sep}{msg}", path.display())
    }

    /// Reads a UTF-8 file of at most `MAX_INPUT_BYTES`, refusing a larger one before
    /// reading it.
    fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
        let shown = path.display();
        let io = |e: std::io::Error| Failure::Io(format!("cannot read {what} '{shown}': {e}"));
        let too_big = || {
            Failure::Input(format!(
                "{what} '{shown}' is larger than {MAX_INPUT_BYTES} bytes, the most accepted"
            ))
        };
        let file = File::open(path).map_err(io)?;
        if file.metadata().map_err(io)?.len() > MAX_INPUT_BYTES {
            return Err(too_big());
        }
        // A pipe reports length 0 and a file may grow meanwhile: cap the read too.
        let mut bytes = Vec::new();
        file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(too_big());
        }
        String::from_utf8(bytes).map_err(|e| {
            Failure::Input(format!(
                "{what} '{shown}' is not UTF-8 text (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })
    }

    /// The provisioned replicas each step asks for, and where they came from.
    struct Plan {
        schedule: Schedule,
        /// For messages and the summary.
        source: String,
    }

    impl Plan {
        fn from_args(args: &SimulateArgs, s: &Scenario) -> Result<Plan, Failure> {
            let (min, max) = (s.scaling.min_replicas, s.scaling.max_replicas);
            if let Some(n) = args.replicas {
                if !(min..=max).contains(&n) {
                    return Err(Failure::Input(format!(
                        "--replicas {n}: {}",
                        schedule::allowed(min, max)
                    )));
                }
                return Ok(Plan { schedule: Schedule::hold(n), source: "--replicas".into() });
            }
            if let Some(path) = &args.schedule {
                let text = read_text(path, "schedule file")?;
                let schedule = Schedule::parse(&text, min, max)
                    .map_err(|e| Failure::Input(in_file("schedule file", path, &e.to_string())))?;
                return Ok(Plan {
                    schedule,
                    source: format!("schedule file '{}'", path.display()),
                });
            }
            Ok(Plan {
                schedule: Schedule::hold(s.scaling.initial_replicas),
                source: "scaling.initial_replicas".into(),
            })
        }

        fn at(&self, step: usize) -> u32 {
            self.schedule.at(step)
        }

        fn describe(&self) -> String {
            match self.schedule.targets() {
                [n] => format!("{n} replicas held ({})", self.source),
                all => {
                    let lo = all.iter().min().copied().unwrap_or_default();
                    let hi = all.iter().max().copied().unwrap_or_default();
                    format!("{} ({} values, {lo} to {hi} replicas)", self.source, all.len())
                }
            }
        }
    }

    /// The per-step CSV, written as the run goes.
    struct CsvOut {
        path: PathBuf,
        writer: BufWriter<File>,
    }

    impl CsvOut {
        fn create(path: &Path) -> Result<CsvOut, Failure> {
            let mut out = CsvOut::open(path)?;
            out.line(StepReport::CSV_HEADER)?;
            Ok(out)
        }

        /// An empty file, for text written whole (`text`).
        fn open(path: &Path) -> Result<CsvOut, Failure> {
            let file = File::create(path)
                .map_err(|e| Failure::Io(format!("cannot write '{}': {e}", path.display())))?;
            Ok(CsvOut { path: path.to_owned(), writer: BufWriter::new(file) })
        }

        fn row(&mut self, report: &StepReport) -> Result<(), Failure> {
            self.line(&report.csv_row())
        }

        fn line(&mut self, text: &str) -> Result<(), Failure> {
            writeln!(self.writer, "{text}").map_err(|e| self.failure(e))
        }

        fn text(&mut self, text: &str) -> Result<(), Failure> {
            self.writer.write_all(text.as_bytes()).map_err(|e| self.failure(e))
        }

        fn finish(mut self) -> Result<(), Failure> {
            self.writer.flush().map_err(|e| self.failure(e))
        }

        fn failure(&self, e: std::io::Error) -> Failure {
            written(&format!("'{}'", self.path.display()), e)
        }
    }

    /// The kebab-case name an enum has in scenario files.
    fn name(value: &impl serde::Serialize) -> String {
        serde_json::to_value(value)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The one-screen summary printed after a run.
    fn render(args: &SimulateArgs, s: &Scenario, plan: &Plan, sum: &Summary) -> String {
        let a = &args.common;
        let scenario = match (&a.link, &a.preset, &a.scenario) {
            (Some(_), _, _) => "share link".into(),
            (None, Some(name), _) => format!("preset {name}"),
            (None, None, Some(path)) => format!("'{}'", path.display()),
            (None, None, None) => "defaults".into(),
        };
        let overrides: String = a.set.iter().map(|kv| format!(" --set {kv}")).collect();
        let family = match s.workload.family {
            Family::Replay => format!("replay of '{}'", s.workload.replay.source),
            f => name(&f),
        };
        let hours = s.steps as f64 * s.dt_s / 3600.0;
        let seconds = |v: Option<f64>| {
            v.map_or("none (no step completed a request)".into(), |x| format!("{x:.3} s"))
        };
        let rows = [
            ("scenario", format!("{scenario}{overrides}")),
            ("workload", format!("{family}, seed {}", s.seed)),
            ("steps", format!("{} x {} s ({hours:.2} h)", s.steps, s.dt_s)),
            ("physics", name(&s.queue.physics)),
            ("capacity", plan.describe()),
            ("", String::new()),
            ("arrivals", format!("{:.1} requests", sum.arrivals)),
            ("completed", format!("{:.1} requests", sum.completed)),
            ("dropped", format!("{:.1} requests", sum.dropped)),
            (
                "SLA violations",
                format!(
                    "{} steps ({:.2} %)",
                    autoscale_playground::judge::steps(sum.sla_violation_steps),
                    sum.sla_violation_pct
                ),
            ),
            (
                "cost",
                format!("{:.2} (at {:.2} per replica-hour)", sum.cost, s.replica.price_per_hour),
            ),
            ("replica-hours", format!("{:.2}", sum.replica_hours)),
            ("capacity changes", sum.capacity_changes.to_string()),
            ("mean utilisation", format!("{:.1} %", 100.0 * sum.mean_utilisation)),
            ("p95 median", seconds(sum.p95_median_s)),
            ("p95 max", seconds(sum.p95_max_s)),
        ];
        let mut text = String::new();
        for (label, value) in rows {
            text.push_str(format!("{label:<18}{value}").trim_end());
            text.push('\n');
        }
        text
    }

    /// Runs longer than this many steps show their progress (on a terminal).
    const PROGRESS_STEPS: u64 = 100_000;
    /// Steps of the judged run played between two looks at the clock.
    const PROGRESS_CHUNK: usize = 4096;
    /// The least time between two redrawings of the progress line.
    const PROGRESS_EVERY: Duration = Duration::from_millis(250);

    /// One line on stderr, redrawn in place, saying how far a long run is; only
    /// when stderr is a terminal, so a pipe or a log file gets nothing.
    struct Progress {
        what: &'static str,
        total: u64,
        on: bool,
        started: Instant,
        drawn: Option<Instant>,
    }

    impl Progress {
        /// Shown when the run is over [`PROGRESS_STEPS`] and stderr is a terminal.
        fn on_terminal(what: &'static str, total: u64) -> Progress {
            let on = total > PROGRESS_STEPS && std::io::stderr().is_terminal();
            Progress { what, total, on, started: Instant::now(), drawn: None }
        }

        /// Redraws the line for `done` steps, at most every [`PROGRESS_EVERY`].
        fn update(&mut self, done: u64) {
            let now = Instant::now();
            if self.on && self.due(now) {
                let _ = write!(
                    std::io::stderr(),
                    "\r{}\x1b[K",
                    progress_line(self.what, done, self.total, now - self.started)
                );
            }
        }

        /// Whether the line is due at `now`; the first time at once.
        fn due(&mut self, now: Instant) -> bool {
            if self.drawn.is_some_and(|t| now.duration_since(t) < PROGRESS_EVERY) {
                return false;
            }
            self.drawn = Some(now);
            true
        }

        /// Clears the line.
        fn finish(self) {
            if self.on && self.drawn.is_some() {
                let _ = write!(std::io::stderr(), "\r\x1b[K");
            }
        }
    }

    /// "training: 250000 of 1000000 steps (25 %), about 30 s left".
    fn progress_line(what: &str, done: u64, total: u64, elapsed: Duration) -> String {
        let pct = if total == 0 { 100 } else { done.min(total) * 100 / total };
        let left = match done {
            0 => String::new(),
            _ => format!(
                ", about {:.0} s left",
                elapsed.as_secs_f64() * total.saturating_sub(done) as f64 / done as f64
            ),
        };
        format!("{what}: {done} of {total} steps ({pct} %){left}")
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_progress_line_says_how_far_and_how_long_is_left() {
            assert_eq!(
                progress_line("training", 0, 1_000_000, Duration::from_secs(0)),
                "training: 0 of 1000000 steps (0 %)"
            );
            assert_eq!(
                progress_line("training", 250_000, 1_000_000, Duration::from_secs(10)),
                "training: 250000 of 1000000 steps (25 %), about 30 s left"
            );
            assert_eq!(
                progress_line("simulate", 999_999, 1_000_000, Duration::from_secs(40)),
                "simulate: 999999 of 1000000 steps (99 %), about 0 s left"
            );
        }

        #[test]
        fn the_progress_line_is_redrawn_at_most_every_quarter_second() {
            let mut p = Progress {
                what: "simulate",
                total: 200_000,
                on: true,
                started: Instant::now(),
                drawn: None,
            };
            let t0 = Instant::now();
            assert!(p.due(t0), "the first time at once");
            assert!(!p.due(t0 + Duration::from_millis(100)));
            assert!(!p.due(t0 + Duration::from_millis(249)));
            assert!(p.due(t0 + Duration::from_millis(250)));
            assert!(!p.due(t0 + Duration::from_millis(300)));
        }

        #[test]
        fn a_short_run_or_a_pipe_shows_no_progress() {
            assert!(
                !Progress::on_terminal("simulate", PROGRESS_STEPS).on,
                "100,000 steps is not over 100,000"
            );
            // The tests' stderr is captured, not a terminal.
            assert!(!Progress::on_terminal("simulate", 10 * PROGRESS_STEPS).on);
        }
    }
}
