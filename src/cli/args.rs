//! The arguments of every command, as clap reads them, with the help texts: the
//! one place the command line's surface (names, defaults, help) is declared, apart
//! from what the commands do with it.

use autoscale_playground::scenario::Physics;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "autoscale-playground",
    version,
    about = "An elastic-autoscaling simulator: GPU replicas serving a small language model.",
    after_help = "Scenario keys for --set: `autoscale-playground keys` lists every one with its default and allowed values.\nTrace files (timestamp forms, header rules, token columns): the README's \"Trace formats\"."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
pub struct LinkArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// What the students see of the controls: everything, the charts with
    /// playback and moments, or playback only [default: full, or the --link's].
    #[arg(long, value_enum)]
    pub controls: Option<ControlsArg>,
    /// A guided lesson: the page walks through the run's moments, a caption each
    /// (a --link's lesson is kept).
    #[arg(long)]
    pub lesson: bool,
    /// Plays once the agent is trained (a link opens paused otherwise; a
    /// --link's autoplay is kept).
    #[arg(long)]
    pub autoplay: bool,
    /// Presenter mode: the page scaled for a projector, the run bar, the chart
    /// and the forensics on one screen (a --link's is kept).
    #[arg(long)]
    pub presenter: bool,
    /// Opens at this step (paused unless --autoplay) [default: 0, or the --link's].
    #[arg(long, value_name = "STEP")]
    pub at: Option<u32>,
    /// The page's address to put before the link (the part before '#');
    /// without it only the part after '#' is printed.
    #[arg(long, value_name = "URL")]
    pub page: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ControlsArg {
    Full,
    Charts,
    Playback,
}

/// The scenario, as every command reads it.
#[derive(Args)]
pub struct ScenarioArgs {
    /// Starts from a named preset (diurnal, flash-crowd, bursty, scheduled, and the real
    /// traces azure-conv, azure-code: the workload with the tuned agent; see
    /// `presets --describe`) instead of docs/model.md's defaults; --set applies on top.
    #[arg(long, value_name = "NAME", conflicts_with = "scenario")]
    pub preset: Option<String>,
    /// Starts from a share link of the page (the part after '#', or the whole
    /// address); --set applies on top.
    #[arg(long, value_name = "LINK", conflicts_with_all = ["scenario", "preset"])]
    pub link: Option<String>,
    /// Scenario JSON file; missing fields take their defaults.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Sets one scenario field by its dotted name, after --scenario (repeatable),
    /// e.g. --set steps=1440 --set workload.family=bursty; `keys` lists them all.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Queueing physics of the run (training always uses the fluid);
    /// overrides queue.physics.
    #[arg(long, value_enum)]
    pub physics: Option<PhysicsArg>,
    /// The scenario's seed, after --set: a whole number, or `random` for one
    /// drawn from the platform's entropy, printed (on stderr) so that
    /// `--seed N` repeats the run.
    #[arg(long, value_name = "N|random", allow_hyphen_values = true)]
    pub seed: Option<String>,
}

/// What every command that trains the agent needs.
#[derive(Args)]
pub struct TrainedArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Training episodes; overrides agent.episodes.
    #[arg(long, value_name = "N")]
    pub episodes: Option<u32>,
}

#[derive(Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub common: TrainedArgs,
    /// Loads a trained Q-table instead of training.
    #[arg(long, value_name = "FILE.json")]
    pub q: Option<PathBuf>,
    /// Writes one CSV row per world and step to FILE.
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
    /// Stops the judged run after N steps (the page's scoreboard at step N).
    #[arg(long, value_name = "N")]
    pub steps: Option<usize>,
    /// Prints the results as JSON, every figure at full precision, instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Adds the ablation world: the same agent trained and run without the
    /// forecast in its state ("Elastic, no forecast"); a --link whose page
    /// showed it adds it too.
    #[arg(long)]
    pub ablation: bool,
}

#[derive(Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub common: TrainedArgs,
    /// Where to write the Q-table (JSON, with a format version).
    #[arg(long, value_name = "FILE.json")]
    pub out: PathBuf,
    /// Also writes the whole training state, as the page adopts it at load:
    /// `{scenario, table, curve, episode, episodes}`, the scenario and table as
    /// JSON text. The page's build writes one per preset (scripts/build-wasm.sh).
    #[arg(long, value_name = "FILE.json")]
    pub state: Option<PathBuf>,
    /// Also trains the ablation's agent (the same agent without the forecast in
    /// its state, the page's "No forecast") and writes its training state in
    /// the same form. The page's build writes one per preset, which a lesson
    /// link (it shows No forecast) adopts instead of training it in the page.
    #[arg(long, value_name = "FILE.json")]
    pub ablation_state: Option<PathBuf>,
}

#[derive(Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub common: TrainedArgs,
    /// The step whose decision to explain.
    #[arg(long, value_name = "T")]
    pub step: usize,
    /// Steps replayed for each alternative action.
    #[arg(long, value_name = "H", default_value_t = 10)]
    pub horizon: usize,
    /// Loads a trained Q-table instead of training.
    #[arg(long, value_name = "FILE.json")]
    pub q: Option<PathBuf>,
}

#[derive(Args)]
pub struct FrontierArgs {
    #[command(flatten)]
    pub common: TrainedArgs,
    /// Seeds, from the scenario's seed upwards: 2 to 1000 [default: 10, with --quick 3].
    #[arg(long, value_name = "N")]
    pub seeds: Option<usize>,
    /// Threads playing the seeds and points, 1 to 256 [default: every core];
    /// the output is the same whatever their number.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Writes the points as CSV to FILE (with --shard, the part).
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
    /// Fewer points: the Rule at targets 0.5 to 0.9 by 0.1, the agent at
    /// weights -5, -20, -80.
    #[arg(long)]
    pub quick: bool,
    /// Plays only the K-th of N slices of the sweep's units (K from 1 to N) and
    /// writes them as a part to --out; `--merge` combines the N parts.
    #[arg(long, value_name = "K/N", requires = "out", conflicts_with = "merge")]
    pub shard: Option<String>,
    /// Merges the parts of a sharded sweep, given in any order, into its table,
    /// verdicts and (with --out) CSV, as the whole sweep prints and writes them.
    /// The sweep's settings come from the parts.
    #[arg(
        long,
        value_name = "PART.csv",
        num_args = 1..,
        conflicts_with_all = ["seeds", "threads", "quick", "preset", "link", "scenario", "set", "physics", "seed", "episodes"]
    )]
    pub merge: Vec<PathBuf>,
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

Shards: --shard K/N plays the K-th of N slices of the units (each a knob value
on one seed; the slices deal the longest first in turn) and writes them as a
part; --merge with the N parts, on any machine and in any order, prints and
writes byte for byte what the whole sweep does. Parts of another sweep or
version, and a slice missing or given twice, are refused. Recipes for one
machine (xargs -P), GNU parallel over ssh, a Slurm array and a Kubernetes
Indexed Job: scripts/shards/.

Examples:
  autoscale-playground frontier --preset diurnal --seeds 10 --out frontier.csv
  autoscale-playground frontier --preset diurnal --seeds 10 --shard 2/4 --out part2.csv
  autoscale-playground frontier --merge part*.csv --out frontier.csv";

const SIMULATE_HELP: &str = "\
Capacity: --replicas N holds N replicas every step; --schedule FILE asks for the
replicas of each step in turn; with neither, scaling.initial_replicas is held.
Values must lie within scaling.min_replicas..=scaling.max_replicas.

Schedule file: one whole number per line, the provisioned replicas of step 0, 1,
2, ... in order. Blank lines and lines starting with '#' are skipped. A schedule
shorter than the run holds its last value; values beyond the run are unused.
Replicas asked for after step 0 become ready after scaling.boot_delay_s; step
0's are ready at once, unless --initial N says how many are ready before it
(the page's worlds start from scaling.initial_replicas: `--initial` with that
number plays a world's decisions as the page does).

Replay: with --set workload.family=replay, the CSV named by
workload.replay.source is read (relative to the current directory; a regular
file of at most 64 MB; a shipped trace, azure-conv or azure-code, is found from
any directory, and is all a --link may name).

Exit status: 0 on success, 2 for a usage error or an invalid scenario, schedule
or replay file, 1 when a file cannot be read or written.

Example:
  autoscale-playground simulate --set steps=1440 --set workload.family=bursty \\
      --replicas 10 --physics exact --out run.csv";

#[derive(Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    pub common: ScenarioArgs,
    /// Holds N provisioned replicas every step.
    #[arg(long, value_name = "N", conflicts_with = "schedule")]
    pub replicas: Option<u32>,
    /// Reads the provisioned replicas of each step from FILE (see below).
    #[arg(long, value_name = "FILE")]
    pub schedule: Option<PathBuf>,
    /// Replicas ready before step 0, as the page's and `compare`'s worlds start
    /// (from scaling.initial_replicas): step 0's replicas then boot like any
    /// later ones [default: step 0's replicas, ready at once].
    #[arg(long, value_name = "N")]
    pub initial: Option<u32>,
    /// Writes one CSV row per step to FILE; without it nothing is written to disk.
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PhysicsArg {
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
