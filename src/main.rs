//! The command line: `simulate` plays one world of a scenario under a fixed
//! capacity plan; `compare` trains the agent and judges the four worlds on one
//! trace (the page's scoreboard); `train` writes the trained Q-table (and the
//! state the page's build ships); `explain` gives the forensics of one decision;
//! `frontier` sweeps the Rule's target and the agent's violation weight over
//! several seeds (the cost-reliability frontier).
//! Every command reads the scenario the same way: a preset, a share link or a
//! JSON file, then `--set` overrides.
//!
//! This file parses the arguments and dispatches; the commands and what they
//! share live in `src/cli/`, one file per command.

// The browser uses the library; this binary is native only, and builds to nothing
// for wasm32 so that a wasm build of the whole package still succeeds.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser;
    use cli::args::{Cli, Command};
    use cli::Failure;
    use std::process::ExitCode;

    let result = match Cli::parse().command {
        Command::Simulate(args) => cli::simulate::run(&args),
        Command::Compare(args) => cli::compare::run(&args),
        Command::Train(args) => cli::train::run(&args),
        Command::Explain(args) => cli::explain::run(&args),
        Command::Frontier(args) => cli::frontier::run(&args),
        Command::Presets { describe } => cli::presets::run(describe),
        Command::Keys => cli::keys::run(),
        Command::Link(args) => cli::link::run(&args),
    };
    let (msg, code) = match result {
        // A closed pipe ends the program quietly and successfully, as a
        // reader that stops early (`| head`) means "enough", not "failed";
        // 0 also keeps `set -o pipefail` scripts going.
        Ok(()) | Err(Failure::Closed) => return ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => (msg, 2),
        Err(Failure::Io(msg)) => (msg, 1),
    };
    cli::output::say(&format!("error: {msg}"));
    ExitCode::from(code)
}
