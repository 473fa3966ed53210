//! The `compare`, `train` and `explain` commands, run as a user runs them.

use crate::common::cli::{run, temp_path, text};
use autoscale_playground::agent::QTable;
use std::process::Output;

/// One day, few episodes: quick.
const SMALL: [&str; 4] = ["--set", "steps=720", "--episodes", "4"];

#[test]
fn compare_prints_one_row_per_world_with_the_metrics() {
    let csv = temp_path("judge-run.csv");
    let o = run(&[&["compare"], &SMALL[..], &["--out", csv.to_str().unwrap()]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let header = out.lines().find(|l| l.starts_with("world")).expect("a header row");
    for col in [
        "cost", "rep-h", "saving%", "viol", "viol%", "p95 s", "p99 s", "dropped", "changes",
        "util%", "reward", ">oracle%",
    ] {
        assert!(header.contains(col), "column {col} missing: {header}");
    }
    for world in ["Static", "Rule", "Elastic (RL)", "Oracle", "Predictive"] {
        assert!(out.lines().any(|l| l.starts_with(world)), "no row for {world}:\n{out}");
    }
    let rows = std::fs::read_to_string(&csv).unwrap();
    let _ = std::fs::remove_file(&csv);
    assert!(rows.starts_with("world,step,"));
    assert_eq!(rows.lines().count(), 1 + 5 * 720);
    // Same command, same output: deterministic.
    let again = run(&[&["compare"], &SMALL[..]].concat());
    let table =
        |s: &str| s.lines().skip_while(|l| !l.starts_with("world")).collect::<Vec<_>>().join("\n");
    assert_eq!(table(&out), table(&text(&again.stdout)));
}

#[test]
fn train_writes_a_table_that_compare_and_explain_load() {
    let q = temp_path("judge-q.json");
    let o = run(&[&["train"], &SMALL[..], &["--out", q.to_str().unwrap()]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("trained 4 episodes"));
    let table = QTable::from_json(&std::fs::read_to_string(&q).unwrap()).unwrap();
    assert!(table.visited_states() > 0);
    // Loading the table gives the same run as training in place.
    let loaded = run(&["compare", "--set", "steps=720", "--q", q.to_str().unwrap()]);
    let trained = run(&[&["compare"], &SMALL[..]].concat());
    let row =
        |o: &Output| text(&o.stdout).lines().find(|l| l.starts_with("Elastic")).map(str::to_owned);
    assert_eq!(row(&loaded), row(&trained));
    let e = run(&["explain", "--set", "steps=720", "--q", q.to_str().unwrap(), "--step", "300"]);
    assert_eq!(e.status.code(), Some(0), "{}", text(&e.stderr));
    let out = text(&e.stdout);
    assert!(out.starts_with("Step 300: utilisation"), "{out}");
    assert!(
        out.contains("Q-values: down") && out.contains("If ") && out.contains("Decisive factor"),
        "{out}"
    );
    let _ = std::fs::remove_file(&q);
}

#[test]
fn bad_input_is_refused_with_a_message() {
    let o = run(&["explain", "--set", "steps=100", "--episodes", "0", "--step", "100"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--step 100: the run has 100 steps"), "{}", text(&o.stderr));
    let bad = temp_path("judge-bad.json");
    std::fs::write(&bad, "{\"format\":\"autoscale-playground/q-table\",\"version\":7}").unwrap();
    let o = run(&["compare", "--q", bad.to_str().unwrap()]);
    let _ = std::fs::remove_file(&bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("Q-table file"), "{}", text(&o.stderr));
    let o = run(&["compare", "--set", "agent.alpha=7"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("agent.alpha"), "{}", text(&o.stderr));
}

/// `train` on a short bursty run (360 steps, 3 episodes), its table to `out`,
/// with the outputs `extra` names.
fn train_bursty(out: &std::path::Path, extra: &[&str]) -> Output {
    let head = ["train", "--preset", "bursty", "--set", "steps=360", "--episodes", "3", "--out"];
    run(&[&head[..], &[out.to_str().unwrap()], extra].concat())
}

#[test]
fn train_state_holds_the_scenario_table_and_curve_the_page_adopts() {
    let (q, state) = (temp_path("judge-state-q.json"), temp_path("judge-state.json"));
    let o = train_bursty(&q, &["--state", state.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    let table = std::fs::read_to_string(&q).unwrap();
    let _ = (std::fs::remove_file(&q), std::fs::remove_file(&state));
    assert_eq!(v["table"].as_str(), Some(table.as_str()));
    assert_eq!(v["curve"].as_array().map(Vec::len), Some(3));
    assert_eq!((v["episode"].as_u64(), v["episodes"].as_u64()), (Some(3), Some(3)));
    let scenario =
        autoscale_playground::scenario::Scenario::from_json(v["scenario"].as_str().unwrap())
            .unwrap();
    use autoscale_playground::scenario::Family;
    assert_eq!(
        (scenario.workload.family, scenario.steps, scenario.agent.episodes),
        (Family::Bursty, 360, 3)
    );
}

#[test]
fn train_ablation_state_holds_the_no_forecast_agent_of_the_same_scenario() {
    let (q, state, blind) = (
        temp_path("judge-blind-q.json"),
        temp_path("judge-blind-state.json"),
        temp_path("judge-blind.json"),
    );
    let o = train_bursty(
        &q,
        &["--state", state.to_str().unwrap(), "--ablation-state", blind.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let read = |path: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let (s, b) = (read(&state), read(&blind));
    let _ = (std::fs::remove_file(&q), std::fs::remove_file(&state), std::fs::remove_file(&blind));
    // The same scenario, its own agent: trained as long, on another table.
    assert_eq!(b["fingerprint"], s["fingerprint"]);
    assert_eq!(b["scenario"], s["scenario"]);
    assert_eq!((b["episode"].as_u64(), b["episodes"].as_u64()), (Some(3), Some(3)));
    assert_eq!(b["curve"].as_array().map(Vec::len), Some(3));
    assert_ne!(b["table"], s["table"]);
    let table = autoscale_playground::agent::QTable::from_json(b["table"].as_str().unwrap());
    assert!(table.is_ok(), "the ablation's table reads back");
}

#[test]
fn compare_stops_at_steps_and_prints_full_precision_json() {
    let o = run(&[&["compare"], &SMALL[..], &["--steps", "300", "--json"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let printed: serde_json::Value =
        serde_json::from_str(&text(&o.stdout)).expect("the output is JSON");
    assert_eq!(printed["step"], 300);
    assert_eq!(printed["episodes"], 4);
    // The same session in the library, stepped as far: every figure equal, to the bit.
    let scenario = autoscale_playground::Scenario::default()
        .with_overrides(&["steps=720", "agent.episodes=4"])
        .unwrap();
    let mut session = autoscale_playground::session::Session::new(scenario, None).unwrap();
    session.train_all().unwrap();
    assert_eq!(session.step(300), 300);
    let expected = serde_json::to_value(session.results()).unwrap();
    assert_eq!(printed["worlds"], expected);
    let names: Vec<&str> =
        expected.as_array().unwrap().iter().map(|w| w["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Static", "Rule", "Elastic (RL)", "Oracle", "Predictive"]);
}

#[test]
fn compare_adds_the_ablation_when_asked_or_when_the_link_showed_it() {
    use autoscale_playground::link::{encode, Presentation};
    let s = autoscale_playground::presets::preset("diurnal")
        .unwrap()
        .with_overrides(&["steps=360", "agent.episodes=3"])
        .unwrap();
    let rows = |o: &Output| {
        text(&o.stdout).lines().filter(|l| l.starts_with("Elastic, no forecast")).count()
    };
    let shown = encode(&s, &Presentation { show_no_forecast: true, ..Presentation::default() });
    let o = run(&["compare", "--link", &shown]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(rows(&o), 1, "{}", text(&o.stdout));
    let plain = encode(&s, &Presentation::default());
    let o = run(&["compare", "--link", &plain]);
    assert_eq!(rows(&o), 0, "{}", text(&o.stdout));
    let o = run(&["compare", "--link", &plain, "--ablation"]);
    assert_eq!(rows(&o), 1, "{}", text(&o.stdout));
    assert!(
        text(&o.stdout).contains("forecast direction (seasonal, 2 steps ahead, 5 % band)"),
        "{}",
        text(&o.stdout)
    );
}
