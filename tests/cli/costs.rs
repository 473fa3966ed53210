//! A run's work is estimated before it starts: the exact physics asked to
//! simulate too many requests, or a training of too many steps, is refused at
//! once with the estimate and the limit; a long run allowed into a pipe says
//! once what it is doing rather than sitting silent.

use crate::common::cli::{run_within, stderr, BIN};
use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

/// At once: well under what the refused work would take.
const AT_ONCE: Duration = Duration::from_secs(20);

#[test]
fn the_exact_physics_with_too_many_requests_is_refused_at_once_with_the_estimate() {
    for (args, estimate) in [
        (
            vec!["simulate", "--physics", "exact", "--set", "steps=100000", "--set", "dt_s=3600", "--set", "workload.base_rps=1e5"],
            None,
        ),
        // Each step within the per-step cap, the run far beyond the total's.
        (
            vec!["simulate", "--physics", "exact", "--set", "steps=1000000", "--set", "workload.base_rps=100", "--set", "workload.family=constant"],
            Some("about 6,000,000,000 requests (1 world x 1,000,000 steps x 6,000 a step on average)"),
        ),
        (
            vec!["compare", "--physics", "exact", "--set", "steps=100000", "--set", "workload.base_rps=100", "--set", "workload.family=constant", "--episodes", "1"],
            Some("about 3,000,000,000 requests (5 worlds x 100,000 steps x 6,000 a step on average)"),
        ),
    ] {
        let started = Instant::now();
        let o = run_within(&args, AT_ONCE);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(started.elapsed() < Duration::from_secs(10), "{args:?} took {:?}", started.elapsed());
        assert!(err.contains("exact physics"), "{err}");
        if let Some(estimate) = estimate {
            assert!(err.contains(estimate), "{args:?}: {err}");
            assert!(err.contains("a run simulates at most 2,000,000,000"), "{err}");
            assert!(err.contains("--physics fluid"), "{err}");
        }
    }
    // The same run judged to step 10 only: within the limit.
    let o = run_within(
        &[
            "compare",
            "--physics",
            "exact",
            "--set",
            "steps=100000",
            "--set",
            "workload.base_rps=100",
            "--set",
            "workload.family=constant",
            "--episodes",
            "1",
            "--steps",
            "10",
        ],
        Duration::from_secs(120),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_training_of_too_many_steps_is_refused_at_once_with_the_estimate() {
    for args in [
        vec!["compare", "--set", "steps=1000000", "--episodes", "100000"],
        vec!["train", "--out", "/dev/null", "--set", "steps=1000000", "--episodes", "1001"],
        vec!["explain", "--step", "5", "--set", "steps=100000", "--episodes", "20000"],
        vec!["frontier", "--quick", "--seeds", "2", "--set", "steps=1000000", "--episodes", "2000"],
    ] {
        let started = Instant::now();
        let o = run_within(&args, AT_ONCE);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{args:?} took {:?}",
            started.elapsed()
        );
        assert!(err.contains("training would play"), "{err}");
        assert!(err.contains("a training plays at most 1,000,000,000"), "{err}");
    }
    let err = stderr(&run_within(
        &["compare", "--set", "steps=1000000", "--episodes", "100000"],
        AT_ONCE,
    ));
    assert!(err.contains("training would play 100,000,000,000 steps (100,000 episodes x 1,000,000 steps), about "), "{err}");
    // With a loaded table nothing is trained: no such limit.
    let o = run_within(
        &["compare", "--set", "steps=1000000", "--episodes", "100000", "--q", "/nonexistent.json"],
        AT_ONCE,
    );
    assert!(stderr(&o).contains("cannot read --q '/nonexistent.json'"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("training would play"), "{}", stderr(&o));
}

#[test]
fn a_long_run_into_a_pipe_says_once_what_it_is_doing() {
    // 2,000 episodes of 10,000 steps: 20 M steps, within the limit, long.
    let mut child = std::process::Command::new(BIN)
        .args(["compare", "--set", "steps=10000", "--episodes", "2000"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr_pipe = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stderr_pipe);
        let mut first = String::new();
        let _ = reader.read_line(&mut first);
        let _ = tx.send(first);
    });
    if let Ok(first) = rx.recv_timeout(Duration::from_secs(30)) {
        line = first;
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.starts_with("training: 20,000,000 steps to play")
            && line.contains("no progress line follows"),
        "the first line on stderr: {line:?}"
    );
}
