//! What the commands read: the scenario (a preset, a share link or a JSON file,
//! then `--set`, `--physics` and `--seed`), the replay's CSV and any file named on
//! the command line, each bounded in size. One way in for every command.

use super::args::ScenarioArgs;
use super::output::say;
use super::Failure;
use autoscale_playground::scenario::{Family, Scenario};
use autoscale_playground::workload::replay::Import;
use autoscale_playground::workload::{replay, ReplayData};
use autoscale_playground::{link, presets};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest file the CLI reads (scenario, schedule or replay).
const MAX_INPUT_BYTES: u64 = replay::MAX_BYTES as u64;

/// The scenario the arguments name: a share link, a preset, a JSON file or
/// the defaults, then the overrides and the physics.
pub fn scenario(args: &ScenarioArgs) -> Result<Scenario, Failure> {
    let base = match (&args.link, &args.preset, &args.scenario) {
        (Some(link), _, _) => {
            link::decode(link.split_once('#').map_or(link.as_str(), |(_, h)| h))?.0
        }
        (None, Some(name), _) => presets::preset(name)?,
        (None, None, Some(path)) => {
            let text = read_text(path, "scenario file")?;
            Scenario::from_json(&text)
                .map_err(|e| Failure::Input(format!("scenario file '{}': {e}", path.display())))?
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
        Failure::Input(format!(
            "--seed {value}: give a whole number from 0 to {}, or 'random' for one drawn at random",
            u64::MAX
        ))
    })
}

/// The replay's CSV, read for the scenario; what was read, guessed and looks
/// wrong goes to stderr. A real-trace preset's file is found in the
/// repository when the current directory does not hold it.
pub fn load_replay(s: &Scenario) -> Result<Option<ReplayData>, Failure> {
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
pub fn in_file(what: &str, path: &Path, msg: &str) -> String {
    let sep = if msg.starts_with("line ") { " " } else { ": " };
    format!("{what} '{}'{sep}{msg}", path.display())
}

/// Reads a UTF-8 file of at most `MAX_INPUT_BYTES`, refusing a larger one before
/// reading it.
pub fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
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
