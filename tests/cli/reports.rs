//! What the commands report is what happened: a run on a loaded Q-table says
//! where the table came from; `link --link` keeps the link's view; a flag out of
//! its range is refused with the flag, the value and the range, never clamped;
//! no figure prints as `-0.00`; and `--out` replaces its file only once the
//! whole file is written, so that an interrupted run leaves the old one intact.

use crate::common::cli::{assert_success, run, stderr, stdout, TempFile, BIN};
use autoscale_playground::link::{self, Controls};
use std::time::Duration;

/// A short scenario that trains in a moment.
const SHORT: [&str; 4] = ["--set", "steps=40", "--episodes", "2"];

fn with(args: &[&str], extra: &[&str]) -> Vec<String> {
    args.iter().chain(extra).map(|s| s.to_string()).collect()
}

fn run_owned(args: &[String]) -> std::process::Output {
    run(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn a_run_on_a_loaded_q_table_says_where_the_table_came_from() {
    let q = TempFile::new("reports-q.json");
    assert_success(&run_owned(&with(&["train", "--out", q.arg()], &SHORT)));
    let o = run_owned(&with(&["compare", "--q", q.arg()], &SHORT));
    assert_success(&o);
    let out = stdout(&o);
    let head = out.lines().next().unwrap();
    assert!(!head.contains("agent trained"), "{head}");
    assert!(head.contains(&format!("agent loaded from the Q-table file '{}'", q.arg())), "{head}");
    assert!(head.contains("of 900 states visited"), "{head}");
    // The JSON says it too: no episode count it does not know.
    let o = run_owned(&with(&["compare", "--json", "--q", q.arg()], &SHORT));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["episodes"], serde_json::Value::Null, "{json}");
    assert_eq!(json["q_table"], q.arg());
    // Trained here: the episodes it trained.
    let o = run_owned(&with(&["compare"], &SHORT));
    assert!(
        stdout(&o).lines().next().unwrap().contains("agent trained 2 episodes"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn link_of_a_class_link_keeps_its_view_step_and_autoplay() {
    let o = run(&[
        "link",
        "--preset",
        "bursty",
        "--controls",
        "playback",
        "--autoplay",
        "--lesson",
        "--at",
        "300",
    ]);
    assert_success(&o);
    let class = stdout(&o).trim().to_string();
    let o = run(&["link", "--link", &class, "--page", "http://example.org/p/"]);
    assert_success(&o);
    let again = stdout(&o);
    let hash =
        again.trim().strip_prefix("http://example.org/p/#").expect("the page, then the link");
    let (_, view) = link::decode(hash).unwrap();
    assert_eq!(
        (view.controls(), view.autoplay, view.lesson, view.start_step),
        (Controls::Playback, true, true, 300)
    );
    // A flag given changes that field alone.
    let o = run(&["link", "--link", &class, "--controls", "charts", "--at", "12"]);
    let (_, view) = link::decode(stdout(&o).trim()).unwrap();
    assert_eq!(
        (view.controls(), view.autoplay, view.lesson, view.start_step),
        (Controls::Charts, true, true, 12)
    );
}

#[test]
fn flags_out_of_range_are_refused_with_the_flag_value_and_range() {
    for (args, expected) in [
        (with(&["compare", "--steps", "99"], &["--set", "steps=10", "--episodes", "1"]), "--steps 99: the run has 10 steps; give a step from 0 to 10"),
        (with(&["explain", "--step", "3", "--horizon", "0"], &SHORT), "--horizon 0: must be a whole number from 1 to 1000"),
        (with(&["explain", "--step", "3", "--horizon", "5000"], &SHORT), "--horizon 5000: must be a whole number from 1 to 1000"),
        (with(&["explain", "--step", "35", "--horizon", "10"], &SHORT), "--horizon 10 at --step 35: the run has 40 steps, so 5 remain from step 35; give --horizon from 1 to 5"),
        (with(&["explain", "--step", "40"], &SHORT), "--step 40: the run has 40 steps, and the agent decides from step 1 on; give a step from 1 to 39"),
        (with(&["compare", "--episodes", "100001"], &["--set", "steps=10"]), "--episodes 100001: must be a whole number from 0 to 100000 (agent.episodes)"),
    ] {
        let o = run_owned(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn no_figure_prints_as_a_negative_zero() {
    let o = run(&["compare", "--steps", "0", "--set", "steps=30", "--episodes", "1"]);
    assert_success(&o);
    let out = stdout(&o);
    assert!(!out.contains("-0.0") && !out.contains(" -0 "), "{out}");
    for args in [
        vec!["simulate", "--set", "workload.base_rps=0", "--set", "steps=30"],
        vec![
            "explain",
            "--step",
            "1",
            "--set",
            "workload.base_rps=0",
            "--set",
            "steps=30",
            "--episodes",
            "1",
        ],
        vec![
            "train",
            "--out",
            "/dev/null",
            "--set",
            "workload.base_rps=0",
            "--set",
            "steps=30",
            "--episodes",
            "1",
        ],
    ] {
        let o = run(&args);
        assert_success(&o);
        let out = stdout(&o);
        let negative_zero =
            out.split(|c: char| c.is_whitespace() || c == '(' || c == ',').any(|w| {
                w.starts_with('-') && w[1..].chars().all(|c| c == '0' || c == '.') && w.len() > 1
            });
        assert!(!negative_zero, "{args:?}: {out}");
    }
}

/// The files beside `out` whose name holds its name (a temporary file of it).
fn beside(out: &std::path::Path) -> Vec<std::path::PathBuf> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p != out && p.file_name().unwrap().to_string_lossy().contains(&name))
        .collect()
}

/// Starts the binary with `args`, waits until it has begun writing `out` (the
/// file changed, or a file of its name appeared beside it), lets it write a
/// moment, and kills it, as an interrupted run ends.
fn interrupt_while_writing(args: &[&str], out: &std::path::Path) {
    let old = std::fs::read(out).unwrap();
    let mut child = std::process::Command::new(BIN)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while std::fs::read(out).unwrap() == old && beside(out).is_empty() {
        assert!(started.elapsed() < Duration::from_secs(120), "{args:?} never began writing");
        assert!(child.try_wait().unwrap().is_none(), "{args:?} ended before it was interrupted");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "{args:?} ended before it was interrupted");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn an_interrupted_run_leaves_the_old_out_file_intact() {
    let out = TempFile::with("reports-out.csv", "the old file\n");
    // A long run with no spikes (their trace builds slowly over a long span).
    let long = ["simulate", "--set", "steps=1000000", "--set", "workload.spikes_per_day=0"];
    interrupt_while_writing(&[&long[..], &["--out", out.arg()]].concat(), &out.0);
    assert_eq!(std::fs::read_to_string(&out.0).unwrap(), "the old file\n");
    // (A kill runs no cleanup: the partial file beside it is the only trace.)
    beside(&out.0).iter().for_each(|p| std::fs::remove_file(p).unwrap());
    // A finished run replaces it whole, and leaves nothing beside it.
    assert_success(&run(&["simulate", "--set", "steps=5", "--out", out.arg()]));
    let text = std::fs::read_to_string(&out.0).unwrap();
    assert!(text.starts_with("step,") && text.lines().count() == 6, "{text}");
    assert_eq!(beside(&out.0), Vec::<std::path::PathBuf>::new());
    // A run refused after the file is opened leaves it as it was, and nothing beside.
    std::fs::write(&out.0, "kept\n").unwrap();
    let q = TempFile::with("reports-bad-q.json", "{}");
    let o = run(&["compare", "--set", "steps=5", "--q", q.arg(), "--out", out.arg()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out.0).unwrap(), "kept\n");
    assert_eq!(beside(&out.0), Vec::<std::path::PathBuf>::new());
    // train's table too.
    std::fs::write(&out.0, "old table\n").unwrap();
    let train = [
        "train",
        "--set",
        "steps=100000",
        "--set",
        "workload.spikes_per_day=0",
        "--episodes",
        "1000",
    ];
    interrupt_while_writing(&[&train[..], &["--out", out.arg()]].concat(), &out.0);
    assert_eq!(std::fs::read_to_string(&out.0).unwrap(), "old table\n");
    beside(&out.0).iter().for_each(|p| std::fs::remove_file(p).unwrap());
}

#[test]
fn compare_counts_each_worlds_absurd_decisions_and_the_presets_agent_has_none() {
    // Twelve hours of the scheduled preset: the morning surge comes at 08:00.
    let short = ["--preset", "scheduled", "--set", "steps=720", "--episodes", "20"];
    let absurd = |extra: &[&str]| {
        let o = run_owned(&with(&["compare", "--json"], &[&short[..], extra].concat()));
        assert_success(&o);
        let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        json["absurd_decisions"].clone()
    };
    let counts = absurd(&[]);
    assert_eq!(counts["elastic"], 0, "{counts}");
    assert_eq!(counts.as_object().unwrap().len(), 5, "one per world: {counts}");
    // The seed design has no floor: it holds a short fleet through the surge.
    let counts = absurd(&["--set", "agent.design=seed"]);
    assert!(counts["elastic"].as_u64().unwrap() > 0, "{counts}");
    // The table says it too, a count per world.
    let o = run_owned(&with(&["compare"], &short));
    let line = stdout(&o).lines().find(|l| l.starts_with("absurd decisions")).unwrap().to_string();
    assert!(line.ends_with("Static 0, Rule 0, Elastic (RL) 0, Oracle 0, Predictive 0"), "{line}");
}
