//! What the commands read: the scenario (a preset, a share link or a JSON file,
//! then `--set`, `--physics` and `--seed`), the replay's CSV and any file named on
//! the command line: regular files only, each bounded in a size fitted to what it
//! holds, and every path shown escaped. One way in for every command.

use super::args::ScenarioArgs;
use super::output::say;
use super::Failure;
use autoscale_playground::error::{shown, shown_path_bytes, thousands};
use autoscale_playground::scenario::{Family, Scenario};
use autoscale_playground::workload::replay::Import;
use autoscale_playground::workload::{replay, ReplayData};
use autoscale_playground::{link, presets};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The scenario the arguments name: a share link, a preset, a JSON file or
/// the defaults, then the overrides and the physics.
pub fn scenario(args: &ScenarioArgs) -> Result<Scenario, Failure> {
    let base = match (&args.link, &args.preset, &args.scenario) {
        (Some(link), _, _) => {
            link::decode(link.split_once('#').map_or(link.as_str(), |(_, h)| h))?.0
        }
        (None, Some(name), _) => presets::preset(name)?,
        (None, None, Some(path)) => {
            let text = read_text(path, Named::Scenario)?;
            Scenario::from_json(&text)
                .map_err(|e| Failure::Input(format!("scenario file '{}': {e}", shown_path(path))))?
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
            "--seed {}: give a whole number from 0 to {}, or 'random' for one drawn at random",
            shown(value),
            u64::MAX
        ))
    })
}

/// The replay's CSV, read for the scenario; what was read, guessed and looks
/// wrong goes to stderr. A shipped trace (a real-trace preset's, named by the
/// preset, its path or its file's name) is read from the repository, from any
/// directory; any other source is a file the user named.
pub fn load_replay(s: &Scenario) -> Result<Option<ReplayData>, Failure> {
    if s.workload.family != Family::Replay {
        return Ok(None);
    }
    let source = &s.workload.replay.source;
    let path = match presets::trace_of(source) {
        Some(trace) => {
            let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join(trace);
            if shipped.is_file() {
                shipped
            } else {
                PathBuf::from(trace)
            }
        }
        None => PathBuf::from(source),
    };
    let text = read_text(&path, Named::Replay)?;
    let import = Import::read(&text, s)
        .map_err(|e| Failure::Input(in_file("replay file", &path, &e.to_string())))?;
    say(&format!("replay file '{}':", shown_path(&path)));
    for line in import.lines() {
        say(&format!("  {line}"));
    }
    Ok(Some(import.data))
}

/// Prefixes a parser's message with the file it is about: "replay file 'x.csv'
/// line 17: ..." for a message that names a line, else "...'x.csv': ...".
pub fn in_file(what: &str, path: &Path, msg: &str) -> String {
    let sep = if msg.starts_with("line ") { " " } else { ": " };
    format!("{what} '{}'{sep}{msg}", shown_path(path))
}

/// A path as a message shows it: escaped, as a file name may hold anything a
/// terminal would obey, and a long one cut at its start, keeping the file's name
/// ([`shown_path_bytes`]).
pub fn shown_path(path: &Path) -> String {
    shown_path_bytes(path.as_os_str().as_encoded_bytes())
}

/// A file the command line names: the flag (or key) that names it, and the most
/// bytes read of it, each fitted to what the file holds.
#[derive(Clone, Copy)]
pub enum Named {
    Scenario,
    Schedule,
    QTable,
    Replay,
    Part,
}

impl Named {
    /// The flag or key that names the file, as messages name it.
    pub fn flag(self) -> &'static str {
        match self {
            Named::Scenario => "--scenario",
            Named::Schedule => "--schedule",
            Named::QTable => "--q",
            Named::Replay => "workload.replay.source",
            Named::Part => "--merge",
        }
    }

    /// The most bytes read, and why that many.
    fn cap(self) -> (u64, &'static str) {
        match self {
            Named::Scenario => (64 * 1024, "a scenario with every knob written out is about 3 KB"),
            Named::Schedule => (
                16 << 20,
                "a schedule holds one number per step, and a run at most 1,000,000 steps",
            ),
            Named::QTable => (
                32 << 20,
                "the largest state space's table (17 bins x 1,001 fleet sizes x 9) is about 15 MB",
            ),
            Named::Replay => (
                replay::MAX_BYTES as u64,
                "the importer's cap, as in the page (README, \"Trace files\")",
            ),
            Named::Part => (
                16 << 20,
                "a part holds a line of about 100 bytes per world and seed, a sweep at most 1,000 seeds of about 25 worlds",
            ),
        }
    }
}

/// Reads a UTF-8 file that the command line names, refusing, before reading
/// it, one that is not a regular file (a FIFO or a device could block or never
/// end; a folder has no text) or is larger than its cap.
pub fn read_text(path: &Path, named: Named) -> Result<String, Failure> {
    let at = format!("{} '{}'", named.flag(), shown_path(path));
    let io = |e: std::io::Error| Failure::Io(format!("cannot read {at}: {e}"));
    let (cap, why) = named.cap();
    let too_big = |len: u64| {
        Failure::Input(format!(
            "{at} has {} bytes; at most {} bytes are read ({why})",
            thousands(len),
            thousands(cap)
        ))
    };
    // The kind is checked before the file is opened (opening a FIFO blocks) and
    // again on the file opened, in case it was swapped in between.
    regular(&std::fs::metadata(path).map_err(io)?, &at)?;
    let file = File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    regular(&meta, &at)?;
    if meta.len() > cap {
        return Err(too_big(meta.len()));
    }
    // A file may grow meanwhile: cap the read too.
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(too_big(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        Failure::Input(format!(
            "{at} is not UTF-8 text (bad byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Refuses what is not a regular file, saying what it is.
fn regular(meta: &std::fs::Metadata, at: &str) -> Result<(), Failure> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() { "is a folder" } else { odd_kind(&kind) };
    Err(Failure::Input(format!(
        "{at} {what}, not a regular file: only regular files are read (a pipe or a device could block or never end)"
    )))
}

#[cfg(unix)]
fn odd_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "is a FIFO (a named pipe)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "is a device"
    } else if kind.is_socket() {
        "is a socket"
    } else {
        "is no regular file"
    }
}

#[cfg(not(unix))]
fn odd_kind(_: &std::fs::FileType) -> &'static str {
    "is no regular file"
}
