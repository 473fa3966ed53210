//! The command line against hostile links and odd files: a link never chooses a
//! file (every command that reads one refuses it before opening anything); a
//! file named on the command line is read only if it is a regular file (a FIFO,
//! a device or a folder is refused at once, naming the flag and the path); what
//! a message echoes of a path, a value or a file is escaped and short; and a
//! scenario file is refused above a size fitted to what a scenario is.

use crate::common::cli::{assert_success, run, run_within, stderr, stdout, temp_path, TempFile};
use autoscale_playground::link::{base64url_encode, PREFIX};
use std::path::PathBuf;
use std::time::Duration;

/// At once: well under what reading a blocking file or a long run would take.
const AT_ONCE: Duration = Duration::from_secs(20);

/// A link whose payload is the given JSON value.
fn raw(json: serde_json::Value) -> String {
    format!("{PREFIX}{}", base64url_encode(json.to_string().as_bytes()))
}

/// A link of a replay of `source`, as a hand-edited link would carry it.
fn replay_link(source: &str) -> String {
    raw(
        serde_json::json!({"s": {"steps": 30, "agent": {"episodes": 1}, "workload": {"family": "replay", "replay": {"source": source}}}}),
    )
}

/// A FIFO at a fresh temp path, removed on drop.
struct Fifo(PathBuf);

impl Fifo {
    fn new(name: &str) -> Fifo {
        let path = temp_path(name);
        let _ = std::fs::remove_file(&path);
        let made = std::process::Command::new("mkfifo").arg(&path).status().expect("mkfifo runs");
        assert!(made.success(), "mkfifo {}", path.display());
        Fifo(path)
    }

    fn arg(&self) -> &str {
        self.0.to_str().expect("temp path is UTF-8")
    }
}

impl Drop for Fifo {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Every command that reads a scenario, with the arguments it needs beside it.
fn commands() -> [Vec<&'static str>; 5] {
    [
        vec!["simulate"],
        vec!["compare"],
        vec!["explain", "--step", "3"],
        vec!["frontier", "--quick", "--seeds", "2"],
        vec!["link"],
    ]
}

#[test]
fn a_link_naming_a_local_file_is_refused_by_every_command_before_it_is_opened() {
    let secret = TempFile::with("secret.csv", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1\n");
    let fifo = Fifo::new("link-fifo");
    for source in
        ["/etc/passwd", "../../../../../etc/passwd", secret.arg(), fifo.arg(), "/dev/stdin"]
    {
        for command in commands() {
            let link = replay_link(source);
            let args: Vec<&str> =
                command.iter().copied().chain(["--link", link.as_str()]).collect();
            let o = run_within(&args, AT_ONCE);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains("workload.replay.source = \""), "{args:?}: {err}");
            assert!(err.contains("a link names no file"), "{err}");
            assert!(
                !err.contains("root:") && !err.contains("daemon:") && !err.contains("line 2"),
                "{err}"
            );
            assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
        }
    }
}

#[test]
fn a_link_may_name_a_shipped_trace_and_the_cli_replays_it() {
    let o = run_within(
        &["simulate", "--link", &replay_link("azure-code"), "--set", "steps=20"],
        AT_ONCE,
    );
    assert_success(&o);
    let err = stderr(&o);
    assert!(err.contains("AzureLLMInferenceTrace_code.csv"), "{err}");
    assert!(
        stdout(&o).contains("replay of 'traces/azure-llm-2023/AzureLLMInferenceTrace_code.csv'"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn files_named_on_the_command_line_are_read_only_if_regular_files() {
    let fifo = Fifo::new("odd-fifo");
    let dir = std::env::temp_dir();
    let dir = dir.to_str().unwrap();
    for odd in [fifo.arg(), "/dev/stdin", dir] {
        let set = format!("workload.replay.source={odd}");
        for (args, flag) in [
            (vec!["simulate", "--scenario", odd], "--scenario"),
            (vec!["simulate", "--schedule", odd], "--schedule"),
            (vec!["compare", "--set", "steps=20", "--episodes", "1", "--q", odd], "--q"),
            (vec!["explain", "--step", "2", "--set", "steps=20", "--q", odd], "--q"),
            (
                vec!["simulate", "--set", "workload.family=replay", "--set", set.as_str()],
                "workload.replay.source",
            ),
        ] {
            let o = run_within(&args, AT_ONCE);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains(&format!("{flag} '{odd}'")), "{args:?}: {err}");
            assert!(err.contains("not a regular file"), "{args:?}: {err}");
        }
    }
    let fifo_err = stderr(&run_within(&["simulate", "--scenario", fifo.arg()], AT_ONCE));
    assert!(fifo_err.contains("is a FIFO"), "{fifo_err}");
    let dir_err = stderr(&run_within(&["simulate", "--scenario", dir], AT_ONCE));
    assert!(dir_err.contains("is a folder"), "{dir_err}");
    let dev_err = stderr(&run_within(&["simulate", "--scenario", "/dev/null"], AT_ONCE));
    assert!(dev_err.contains("is a device"), "{dev_err}");
}

#[test]
fn paths_values_and_contents_are_escaped_in_messages() {
    let hostile = "\u{1b}]0;owned\u{7}\u{1b}[2J";
    let escaped = "\\e]0;owned\\u{7}\\e[2J";
    // A path that does not exist, and a file whose name and value are hostile.
    let missing = format!("/nonexistent/{hostile}.json");
    let named = TempFile::with(
        &format!("{hostile}.json"),
        &format!("{{\"workload\":{{\"family\":\"{}\"}}}}", "\\u001b[31m"),
    );
    let schedule = TempFile::with("hostile-schedule.txt", &format!("3\n{hostile}\n"));
    let link = raw(serde_json::json!({"s": {hostile: 1}}));
    let preset = format!("diurnal{hostile}");
    for args in [
        vec!["simulate", "--scenario", missing.as_str()],
        vec!["simulate", "--scenario", named.arg()],
        vec!["simulate", "--schedule", schedule.arg()],
        vec!["simulate", "--link", link.as_str()],
        vec!["simulate", "--preset", preset.as_str()],
        vec!["simulate", "--set", &format!("{hostile}=1")],
        vec!["simulate", "--set", "workload.family=\u{1b}[5m"],
        vec!["simulate", "--seed", hostile],
        vec!["simulate", "--link", hostile],
    ] {
        let o = run(&args);
        let err = stderr(&o);
        assert!(matches!(o.status.code(), Some(1 | 2)), "{args:?}: {err}");
        assert!(
            !err.chars().any(|c| c.is_control() && c != '\n'),
            "{args:?}: raw control characters in {err:?}"
        );
        let shown = [escaped, "\\e]0;owned\\u{7}\\e[", "\\e[31m", "\\e[5m"];
        assert!(shown.iter().any(|s| err.contains(s)), "{args:?}: {err}");
    }
}

#[test]
fn a_scenario_file_is_refused_above_its_cap_saying_why() {
    // A million wrong keys: refused by its size, at once, in a few lines.
    let keys: Vec<String> = (0..1_000_000).map(|i| format!("\"k{i}\":1")).collect();
    let big = TempFile::with("million.json", &format!("{{{}}}", keys.join(",")));
    let o = run_within(&["simulate", "--scenario", big.arg()], AT_ONCE);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("--scenario '") && err.contains("at most 65,536 bytes"), "{err}");
    assert!(err.contains("every knob written out"), "the reason: {err}");
    assert!(err.lines().count() <= 3, "{err}");
    // Just under the cap is read (and its problems capped).
    let some: Vec<String> = (0..5000).map(|i| format!("\"k{i}\":1")).collect();
    let under = TempFile::with("under.json", &format!("{{{}}}", some.join(",")));
    let o = run_within(&["simulate", "--scenario", under.arg()], AT_ONCE);
    let err = stderr(&o);
    assert!(err.contains("… and 4,980 more") && err.lines().count() < 30, "{err}");
}

#[test]
fn an_empty_link_is_refused_and_a_wrapped_one_is_read() {
    let o = run(&["simulate", "--link", ""]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the link is empty"), "{}", stderr(&o));
    let link = raw(serde_json::json!({"s": {"steps": 12, "seed": 5}}));
    let (a, b) = link.split_at(9);
    let wrapped = format!("http://127.0.0.1:8000/#{a}\r\n   {b}\n");
    let o = run(&["simulate", "--link", &wrapped]);
    assert_success(&o);
    assert!(stdout(&o).contains("12 x 60 s") && stdout(&o).contains("seed 5"), "{}", stdout(&o));
}

#[test]
fn the_link_command_makes_no_link_that_names_a_local_file() {
    let o = run(&[
        "link",
        "--set",
        "workload.family=replay",
        "--set",
        "workload.replay.source=mine.csv",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("workload.replay.source = \"mine.csv\"")
            && err.contains("a link names no file"),
        "{err}"
    );
    let o = run(&["link", "--preset", "azure-conv"]);
    assert_success(&o);
}
