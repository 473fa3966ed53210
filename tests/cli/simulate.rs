//! The `simulate` command, run as a user runs it: the built binary, its exit
//! status, its messages, its CSV and its summary.

use crate::common;
use crate::common::cli::{assert_success, run, stderr, stdout, TempFile, BIN};
use autoscale_playground::scenario::Scenario;
use autoscale_playground::workload::ReplayData;
use autoscale_playground::{StepReport, Trace};
use std::path::Path;
use std::process::{Command, Output};

fn simulate(args: &[&str]) -> Output {
    run(&[&["simulate"], args].concat())
}

/// A step CSV read back by column name.
struct Csv {
    header: String,
    names: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn read(path: &Path) -> Csv {
        let text = std::fs::read_to_string(path).expect("the CSV was written");
        let mut lines = text.lines();
        let header = lines.next().expect("a header").to_string();
        let names = header.split(',').map(String::from).collect::<Vec<_>>();
        let rows: Vec<Vec<String>> =
            lines.map(|l| l.split(',').map(String::from).collect()).collect();
        for r in &rows {
            assert_eq!(r.len(), names.len(), "row {r:?}");
        }
        Csv { header, names, rows }
    }

    fn col(&self, name: &str) -> Vec<f64> {
        let i =
            self.names.iter().position(|n| n == name).unwrap_or_else(|| panic!("no column {name}"));
        self.rows
            .iter()
            .map(|r| r[i].parse().unwrap_or_else(|_| panic!("{name} = '{}'", r[i])))
            .collect()
    }
}

/// The number after `label` on its summary line.
fn summary_value(out: &str, label: &str) -> f64 {
    let line = out
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no '{label}' in:\n{out}"));
    let value = line[label.len()..].split_whitespace().next().expect("a value");
    value.parse().unwrap_or_else(|_| panic!("'{line}'"))
}

#[test]
fn fixed_replicas_write_one_consistent_row_per_step_and_a_summary() {
    let out = TempFile::new("fixed.csv");
    let o = simulate(&["--set", "steps=100", "--replicas", "8", "--out", out.arg()]);
    assert_success(&o);
    let csv = Csv::read(&out.0);
    assert_eq!(csv.header, StepReport::CSV_HEADER);
    assert_eq!(
        csv.names,
        [
            "step",
            "time_s",
            "demand",
            "ready",
            "booting",
            "provisioned",
            "arrivals",
            "completed",
            "dropped",
            "in_system",
            "mean_response_s",
            "p95_response_s",
            "utilisation",
            "cost",
            "sla_held"
        ]
    );
    assert_eq!(csv.rows.len(), 100);
    let steps = csv.col("step");
    let time = csv.col("time_s");
    for i in 0..100 {
        assert_eq!((steps[i], time[i]), (i as f64, 60.0 * i as f64));
    }
    assert!(csv.col("ready").iter().all(|&r| r == 8.0));
    assert!(csv.col("booting").iter().all(|&r| r == 0.0));
    assert!(csv.col("provisioned").iter().all(|&r| r == 8.0));
    // 8 replicas for one minute at 1.00 per replica-hour.
    assert!(csv.col("cost").iter().all(|&c| c == 0.133333));

    // Fluid arrivals are the demand over the step; every step conserves requests.
    let (demand, arrivals) = (csv.col("demand"), csv.col("arrivals"));
    let (completed, dropped, in_system) =
        (csv.col("completed"), csv.col("dropped"), csv.col("in_system"));
    let mut before = 0.0;
    for i in 0..100 {
        assert!((arrivals[i] - 60.0 * demand[i]).abs() < 1e-3, "step {i}");
        let balance = arrivals[i] - completed[i] - dropped[i] - (in_system[i] - before);
        assert!(balance.abs() < 1e-5, "step {i}: balance {balance}");
        before = in_system[i];
    }

    let text = stdout(&o);
    assert!(text.contains("8 replicas held (--replicas)"), "{text}");
    assert_eq!(summary_value(&text, "steps"), 100.0);
    assert_eq!(summary_value(&text, "cost"), 13.33);
    assert_eq!(summary_value(&text, "replica-hours"), 13.33);
    assert_eq!(summary_value(&text, "capacity changes"), 0.0);
    let total: f64 = arrivals.iter().sum();
    assert!((summary_value(&text, "arrivals") - total).abs() < 0.1, "{text}");
}

#[test]
fn the_same_command_writes_byte_identical_csv() {
    let out = TempFile::new("twice.csv");
    let args = [
        "--set",
        "steps=100",
        "--set",
        "workload.family=bursty",
        "--replicas",
        "8",
        "--out",
        out.arg(),
    ];
    assert_success(&simulate(&args));
    let first = std::fs::read(&out.0).expect("written");
    assert_success(&simulate(&args));
    assert_eq!(std::fs::read(&out.0).expect("written"), first);
    assert_eq!(first.iter().filter(|&&b| b == b'\n').count(), 101);
}

#[test]
fn exact_physics_counts_whole_requests_near_the_demand() {
    let out = TempFile::new("exact.csv");
    let o = simulate(&[
        "--set",
        "steps=100",
        "--replicas",
        "8",
        "--physics",
        "exact",
        "--out",
        out.arg(),
    ]);
    assert_success(&o);
    assert!(
        stdout(&o).lines().any(|l| l.starts_with("physics") && l.ends_with("exact")),
        "{}",
        stdout(&o)
    );
    let csv = Csv::read(&out.0);
    assert_eq!(csv.rows.len(), 100);
    for name in ["arrivals", "completed", "dropped"] {
        assert!(csv.col(name).iter().all(|v| v.fract() == 0.0), "{name} not whole");
    }
    let arrivals: f64 = csv.col("arrivals").iter().sum();
    let expected: f64 = csv.col("demand").iter().map(|d| 60.0 * d).sum();
    // About 73,000 Poisson arrivals: 2 % is over five standard deviations.
    assert!((arrivals / expected - 1.0).abs() < 0.02, "{arrivals} vs {expected}");
}

#[test]
fn invalid_fields_are_all_named_with_their_ranges() {
    let o = simulate(&["--set", "dt_s=-5", "--set", "replica.slots=0"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("dt_s = -5: must be a number from 1 to 3600"), "{err}");
    assert!(err.contains("replica.slots = 0: must be a whole number from 1 to 1024"), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn an_unknown_field_is_named() {
    let o = simulate(&["--set", "nosuch=1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nosuch = 1: no such field; did you mean "), "{}", stderr(&o));
}

#[test]
fn replicas_must_lie_within_the_scenario_bounds() {
    let o = simulate(&["--replicas", "99"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--replicas 99: must be from 1 to 20 replicas"), "{}", stderr(&o));
    // The bounds are the scenario's, after overrides.
    let o =
        simulate(&["--set", "steps=5", "--set", "scaling.max_replicas=100", "--replicas", "99"]);
    assert_success(&o);
    assert!(stdout(&o).contains("99 replicas held"), "{}", stdout(&o));
}

#[test]
fn replicas_and_schedule_together_are_a_usage_error() {
    let o = simulate(&["--replicas", "3", "--schedule", "plan.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

#[test]
fn a_bad_schedule_line_is_named() {
    let bad = TempFile::with("bad-schedule.txt", "2\n\nfour\n");
    let o = simulate(&["--schedule", bad.arg()]);
    assert_eq!(o.status.code(), Some(2));
    let expected = format!("schedule file '{}' line 3: 'four' is not a whole number", bad.arg());
    assert!(stderr(&o).contains(&expected), "{}", stderr(&o));

    let high = TempFile::with("high-schedule.txt", "# replicas per step\n2\n25\n");
    let o = simulate(&["--schedule", high.arg()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 3: 25 must be from 1 to 20 replicas"), "{}", stderr(&o));
}

#[test]
fn a_schedule_is_followed_and_holds_its_last_value() {
    let plan = TempFile::with("schedule.txt", "# two, then six from step 3\n2\n2\n2\n6\n");
    let out = TempFile::new("schedule.csv");
    let o = simulate(&["--set", "steps=10", "--schedule", plan.arg(), "--out", out.arg()]);
    assert_success(&o);
    let csv = Csv::read(&out.0);
    assert_eq!(csv.col("provisioned"), [2.0, 2.0, 2.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0]);
    // Asked for at 180 s, ready 120 s later: at the start of step 5.
    assert_eq!(csv.col("ready"), [2.0, 2.0, 2.0, 2.0, 2.0, 6.0, 6.0, 6.0, 6.0, 6.0]);
    assert_eq!(csv.col("booting"), [0.0, 0.0, 0.0, 4.0, 4.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    assert_eq!(summary_value(&stdout(&o), "capacity changes"), 1.0);
}

#[test]
fn initial_replicas_are_ready_before_step_0_and_step_0_s_boot_after_them() {
    let out = TempFile::new("initial.csv");
    let o =
        simulate(&["--set", "steps=5", "--replicas", "6", "--initial", "2", "--out", out.arg()]);
    assert_success(&o);
    assert!(
        stdout(&o).contains("6 replicas held (--replicas), from 2 ready before step 0 (--initial)"),
        "{}",
        stdout(&o)
    );
    let csv = Csv::read(&out.0);
    assert_eq!(csv.col("provisioned"), [6.0; 5]);
    // Asked for at 0 s, ready 120 s later: at the start of step 2.
    assert_eq!(csv.col("ready"), [2.0, 2.0, 6.0, 6.0, 6.0]);
    assert_eq!(csv.col("booting"), [4.0, 4.0, 0.0, 0.0, 0.0]);
    // Without it, step 0's replicas are ready at once.
    let o = simulate(&["--set", "steps=5", "--replicas", "6", "--out", out.arg()]);
    assert_success(&o);
    assert_eq!(Csv::read(&out.0).col("ready"), [6.0; 5]);
    // Outside the scenario's bounds: named, with the range.
    for bad in ["0", "21"] {
        let o = simulate(&["--set", "steps=5", "--replicas", "6", "--initial", bad]);
        assert_eq!(o.status.code(), Some(2));
        let want = format!("--initial {bad}: must be from 1 to 20 replicas");
        assert!(stderr(&o).contains(&want), "{}", stderr(&o));
    }
}

#[test]
fn a_real_request_log_replays() {
    let path = common::azure_file("AzureLLMInferenceTrace_code.csv");
    let path = path.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let source = path.to_str().expect("UTF-8 path");
    let out = TempFile::new("replay.csv");
    let overrides = [
        "workload.family=replay".to_string(),
        format!("workload.replay.source={source}"),
        "steps=120".into(),
    ];
    let mut args: Vec<&str> = overrides.iter().flat_map(|o| ["--set", o.as_str()]).collect();
    args.extend(["--out", out.arg()]);
    let o = simulate(&args);
    assert_success(&o);
    // The path as messages show it: whole here, cut at its start when the
    // checkout lies deep (the file's name is kept either way).
    let shown = autoscale_playground::error::shown_path(source);
    assert!(shown.ends_with("/AzureLLMInferenceTrace_code.csv"), "{shown}");
    assert!(stdout(&o).contains(&format!("replay of '{shown}'")), "{}", stdout(&o));

    // The CLI's demand is the library's layout of the same file.
    let scenario = Scenario::default().with_overrides(&overrides).expect("valid");
    let text = common::read_azure("AzureLLMInferenceTrace_code.csv");
    let data = ReplayData::parse(&text, scenario.workload.replay.format).expect("parses");
    let ReplayData::Requests(rows) = &data else { panic!("a request-level log") };
    assert_eq!(rows.len(), 8819);
    let trace = Trace::build(&scenario, Some(&data)).expect("builds");
    let csv = Csv::read(&out.0);
    assert_eq!(csv.rows.len(), 120);
    for (i, (d, r)) in csv.col("demand").iter().zip(&trace.rates).enumerate() {
        assert!((d - r).abs() < 1e-6, "step {i}: {d} vs {r}");
    }
    // 120 minutes repeat the 57.3-minute log twice and a little more.
    let arrivals: f64 = csv.col("arrivals").iter().sum();
    assert!(arrivals > 2.0 * 8819.0 && arrivals < 3.0 * 8819.0, "{arrivals}");
}

#[test]
fn a_broken_replay_names_its_file_and_line() {
    let bad = TempFile::with(
        "broken-replay.csv",
        "TIMESTAMP,ContextTokens,GeneratedTokens\n\
         2023-11-16 18:17:03.98,4808,10\n\
         2023-11-16 18:17:02.00,3180,8\n",
    );
    let source = format!("workload.replay.source={}", bad.arg());
    let o = simulate(&["--set", "workload.family=replay", "--set", &source]);
    assert_eq!(o.status.code(), Some(2));
    let expected = format!("replay file '{}' line 3: timestamp is not increasing", bad.arg());
    assert!(stderr(&o).contains(&expected), "{}", stderr(&o));
}

#[test]
fn a_missing_file_is_an_io_error() {
    let o = simulate(&["--scenario", "/nonexistent/scenario.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot read --scenario '/nonexistent/scenario.json'"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn keys_lists_every_knob_with_its_default_and_allowed_values() {
    use autoscale_playground::scenario::knobs;
    let o = run(&["keys"]);
    assert_success(&o);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), knobs().len() + 1, "a header and one line per knob:\n{text}");
    assert!(
        lines[0].starts_with("KEY") && lines[0].contains("DEFAULT") && lines[0].contains("ALLOWED")
    );
    for (k, line) in knobs().iter().zip(&lines[1..]) {
        assert_eq!(line.split_whitespace().next(), Some(k.path), "in the table's order");
        assert!(line.contains(&k.allowed()), "{line} lacks '{}'", k.allowed());
        assert!(line.ends_with(k.label), "{line} lacks its label");
    }
    let line = |path: &str| {
        lines.iter().find(|l| l.split_whitespace().next() == Some(path)).copied().unwrap()
    };
    let fields = |path: &str| {
        line(path).split_whitespace().skip(1).take(1).collect::<Vec<_>>()[0].to_string()
    };
    assert_eq!(fields("workload.base_rps"), "24.0");
    assert_eq!(fields("scaling.max_replicas"), "20");
    assert_eq!(fields("workload.replay.service"), "exponential");
    assert_eq!(fields("agent.utilisation_bins"), "[0.3,0.5,0.8,1.0]");
    assert_eq!(fields("workload.replay.source"), "\"\"");
    assert!(line("scaling.min_replicas")
        .contains("a whole number from 1 to 1000, at most scaling.max_replicas"));
    // A number that must be at least another knob says which.
    assert!(
        line("workload.surge_max").contains("a number from 1 to 100, at least workload.surge_min")
    );
    assert!(line("workload.scheduled.evening_at_h")
        .contains(", at least workload.scheduled.surge_at_h  -- Evening decline at"));
    assert!(line("workload.replay.service").contains("one of exponential, tokens"));
}

#[test]
fn help_names_the_keys_command_and_the_trace_formats() {
    let text = stdout(&run(&["--help"]));
    assert!(text.contains("`autoscale-playground keys` lists every one"), "{text}");
    assert!(text.contains("\"Trace formats\""), "{text}");
    assert!(stdout(&simulate(&["--help"])).contains("`keys` lists them all"));
}

#[test]
fn not_a_number_and_min_above_max_are_named_with_their_ranges() {
    let o = simulate(&[
        "--set",
        "workload.base_rps=NaN",
        "--set",
        "dt_s=inf",
        "--set",
        "scaling.min_replicas=12",
        "--set",
        "scaling.max_replicas=10",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: invalid scenario:
  dt_s = inf: must be a number from 1 to 3600
  workload.base_rps = NaN: must be a number from 0 to 100000
  scaling.min_replicas = 12: must be at most scaling.max_replicas (10)
  scaling.initial_replicas = 4: must be at least scaling.min_replicas (12)
"
    );
}

/// Runs the binary with stdout or stderr a pipe whose reader is closed at once.
fn with_closed(args: &[&str], close_stdout: bool) -> std::process::ExitStatus {
    use std::process::Stdio;
    let mut cmd = Command::new(BIN);
    cmd.args(args).stdin(Stdio::null());
    if close_stdout {
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    } else {
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("the binary runs");
    drop(child.stdout.take());
    drop(child.stderr.take());
    child.wait().expect("the binary ends")
}

#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    // The summary comes after a run of a second or so, long after the reader
    // has gone: `print!` panicked there (exit 101).
    let status = with_closed(&["simulate", "--set", "steps=5000"], true);
    assert_eq!(status.code(), Some(0), "{status}");
    for args in [&["keys"][..], &["presets"]] {
        assert_eq!(with_closed(args, true).code(), Some(0), "{args:?}");
    }
    // An error message to a closed stderr: the exit status still says why.
    assert_eq!(with_closed(&["simulate", "--set", "steps=0"], false).code(), Some(2));
}

#[test]
fn a_long_run_into_a_pipe_prints_no_progress() {
    // Over 100,000 steps (zero demand, so it is quick); stderr is a pipe here.
    let o = simulate(&[
        "--set",
        "steps=120000",
        "--set",
        "workload.family=constant",
        "--set",
        "workload.base_rps=0",
    ]);
    assert_success(&o);
    assert_eq!(stderr(&o), "", "progress belongs on a terminal only");
    assert!(stdout(&o).contains("steps             120000 x 60 s"), "{}", stdout(&o));
}

/// The seed `--seed random` drew, from its line on stderr.
fn drawn_seed(o: &Output) -> u64 {
    let err = stderr(o);
    let line = err
        .lines()
        .find(|l| l.starts_with("seed: "))
        .unwrap_or_else(|| panic!("no seed line: {err}"));
    let seed: u64 = line["seed: ".len()..].split(' ').next().unwrap().parse().unwrap();
    assert_eq!(line, format!("seed: {seed} (drawn at random; --seed {seed} repeats this run)"));
    seed
}

#[test]
fn a_random_seed_is_printed_and_given_back_repeats_the_run() {
    let args = ["--set", "steps=300", "--set", "workload.family=bursty", "--replicas", "6"];
    let drawn = simulate(&[&args[..], &["--seed", "random"]].concat());
    assert_success(&drawn);
    let seed = drawn_seed(&drawn);
    let again = simulate(&[&args[..], &["--seed", &seed.to_string()]].concat());
    assert_success(&again);
    assert_eq!(stdout(&again), stdout(&drawn), "the printed seed repeats the run");
    assert_eq!(stderr(&again), "", "a seed given is not said");
    // Another seed, another run: the seed is used.
    let other = simulate(&[&args[..], &["--seed", &seed.wrapping_add(1).to_string()]].concat());
    assert_ne!(stdout(&other), stdout(&drawn));
    // The same for a command that trains.
    let compare = |seed: &str| {
        run(&["compare", "--episodes", "1", "--set", "steps=120", "--json", "--seed", seed])
    };
    let drawn = compare("random");
    assert_success(&drawn);
    let seed = drawn_seed(&drawn);
    assert_eq!(stdout(&compare(&seed.to_string())), stdout(&drawn));
}

#[test]
fn a_seed_that_is_neither_a_number_nor_random_is_named_with_the_forms_allowed() {
    for bad in ["banana", "-3", "1.5"] {
        let o = simulate(&["--seed", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert_eq!(
            stderr(&o),
            format!("error: --seed {bad}: give a whole number from 0 to 18446744073709551615, or 'random' for one drawn at random\n")
        );
    }
}

#[test]
fn the_link_command_prints_a_class_link_the_page_reads_as_asked() {
    use autoscale_playground::link::{self, Controls};
    use autoscale_playground::presets;
    let o = run(&[
        "link",
        "--preset",
        "diurnal",
        "--lesson",
        "--controls",
        "playback",
        "--page",
        "http://127.0.0.1:8000/#old",
    ]);
    assert_success(&o);
    let out = stdout(&o);
    let hash = out
        .trim()
        .strip_prefix("http://127.0.0.1:8000/#")
        .unwrap_or_else(|| panic!("the page's address, then the link: {out}"));
    let (s, view) = link::decode(hash).expect("the printed link decodes");
    assert_eq!(s, presets::preset("diurnal").unwrap(), "the preset's scenario, every field");
    assert!(view.lesson && !view.autoplay);
    assert_eq!(view.controls(), Controls::Playback);
    assert_eq!(view.start_step, 0);
    // A step, playing: only the part after '#' without --page.
    let o = run(&["link", "--preset", "bursty", "--at", "600", "--autoplay"]);
    assert_success(&o);
    let (_, view) = link::decode(stdout(&o).trim()).unwrap();
    assert_eq!(
        (view.start_step, view.autoplay, view.lesson, view.controls()),
        (600, true, false, Controls::Full)
    );
}

#[test]
fn the_link_command_refuses_a_step_beyond_the_run_naming_the_flag_and_the_range() {
    let o = run(&["link", "--preset", "diurnal", "--at", "99999"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("--at 99999") && err.contains("from 0 to 4320"), "{err}");
}
