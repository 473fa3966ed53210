//! The cost-reliability frontier: the sweep's determinism whatever the threads,
//! its intervals, the order of its points, its verdicts, and the `frontier`
//! command as a user runs it.

use crate::common::cli::{run, temp_path, text};
use autoscale_playground::frontier::{
    self, Frontier, Plan, Point, Stat, RULE_TARGET, VIOLATION_WEIGHT,
};
use autoscale_playground::{Scenario, WorldKind};
use std::process::Output;

/// A short run: a day of one-minute steps, agents trained for 5 episodes.
fn short() -> Scenario {
    Scenario::default()
        .with_overrides(&["steps=720".to_string(), "agent.episodes=5".to_string()])
        .expect("a valid scenario")
}

fn plan(s: &Scenario, rule_targets: &[f64], violation_weights: &[f64]) -> Plan {
    Plan {
        rule_targets: rule_targets.to_vec(),
        violation_weights: violation_weights.to_vec(),
        ..Plan::new(s, 2)
    }
}

fn sweep(s: &Scenario, plan: &Plan, threads: usize) -> Frontier {
    frontier::sweep(s, None, plan, threads, &|_, _| {}).expect("the sweep plays")
}

#[test]
fn the_sweep_is_the_same_bit_for_bit_on_one_thread_and_on_three() {
    let s = short();
    let plan = Plan { seeds: vec![7, 8, 9], ..plan(&s, &[0.6, 0.8], &[-5.0, -20.0]) };
    let one = sweep(&s, &plan, 1);
    let three = sweep(&s, &plan, 3);
    assert_eq!(one.csv("t"), three.csv("t"));
    assert_eq!(one, three);
    // Static, Oracle, Predictive; the Rule at 0.6, 0.8 and the scenario's 0.7; the
    // agent at -5 (the scenario's) and -20; the agent without the forecast.
    assert_eq!(one.points.len(), 3 + 3 + 2 + 1);
    assert!(one.points.iter().all(|p| p.seeds == 3));
    let csv = one.csv("t");
    assert!(csv.starts_with(
        "preset,world,knob,value,seeds,cost,cost_ci95,violation_steps,violation_ci95,capacity_changes,changes_ci95,early_scale_ups,early_ci95,late_scale_ups,late_ci95\n"
    ));
    assert_eq!(csv.lines().count(), 1 + one.points.len());
    assert!(csv.contains("\nt,\"Elastic, no forecast\",,,3,"), "{csv}");
}

#[test]
fn a_rule_target_sweeps_points_come_in_the_order_given_with_the_scenarios_own_last() {
    let s = short();
    let f = sweep(&s, &plan(&s, &[0.9, 0.5, 0.6], &[-5.0]), 2);
    let targets: Vec<f64> = f.rules().iter().map(|p| p.knob.as_ref().expect("a knob").1).collect();
    assert_eq!(targets, [0.9, 0.5, 0.6, 0.7]);
    assert!(f.rules().iter().all(|p| p.world == "Rule" && p.kind == WorldKind::Rule));
    assert_eq!(f.rule().map(|p| p.knob.clone()), Some(Some((RULE_TARGET.to_string(), 0.7))));
    // Given in the list, the scenario's own target is not added again.
    let f = sweep(&s, &plan(&s, &[0.8, 0.7, 0.5], &[-5.0]), 2);
    let targets: Vec<f64> = f.rules().iter().map(|p| p.knob.as_ref().expect("a knob").1).collect();
    assert_eq!(targets, [0.8, 0.7, 0.5]);
    let kinds: Vec<WorldKind> = f.points.iter().map(|p| p.kind).collect();
    use WorldKind::*;
    assert_eq!(kinds, [Static, Oracle, Predictive, Rule, Rule, Rule, Elastic, NoForecast]);
}

#[test]
fn each_point_is_the_mean_of_its_seeds_runs_and_a_points_numbers_do_not_depend_on_the_others() {
    let s = short();
    let f = sweep(&s, &plan(&s, &[0.6], &[-5.0]), 2);
    let g = sweep(&s, &plan(&s, &[0.8, 0.6], &[-5.0]), 2);
    let at = |f: &Frontier, t: f64| {
        f.rules()
            .into_iter()
            .find(|p| p.knob.as_ref().is_some_and(|k| k.1 == t))
            .cloned()
            .expect("the target")
    };
    assert_eq!(at(&f, 0.6), at(&g, 0.6));
    // The Rule at 0.6 on seed 42 and 43, judged by hand.
    let tables = autoscale_playground::queueing::LoadTables::default();
    let costs: Vec<f64> = [42, 43]
        .iter()
        .map(|&seed| {
            let unit = frontier::Unit { work: frontier::UnitKind::Rule(0.6), seed };
            frontier::play(&s, None, unit, &tables).expect("plays")[0].result.cost
        })
        .collect();
    assert_eq!(at(&f, 0.6).cost, Stat::of(&costs));
    assert_eq!(at(&f, 0.6).cost.mean, (costs[0] + costs[1]) / 2.0);
}

#[test]
fn the_half_width_is_students_t_times_the_standard_error() {
    // Mean 5, squared deviations 32 over 7 degrees of freedom; t(7) = 2.3646242510.
    let st = Stat::of(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
    assert_eq!(st.mean, 5.0);
    let by_hand = 2.364_624_251_0 * (32.0f64 / 7.0).sqrt() / 8.0f64.sqrt();
    assert!((st.half_width_95 - by_hand).abs() < 1e-9, "{} against {by_hand}", st.half_width_95);
    assert!((st.half_width_95 - 1.787_488).abs() < 1e-6);
    // Ten seeds: t = 2.262.
    assert!((frontier::t_975(9) - 2.262_157).abs() < 1e-6);
    let ten: Vec<f64> = (1..=10).map(f64::from).collect();
    let st = Stat::of(&ten);
    assert_eq!(st.mean, 5.5);
    // Standard deviation of 1..=10: sqrt(82.5 / 9).
    assert!(
        (st.half_width_95 - 2.262_157_163 * (82.5f64 / 9.0).sqrt() / 10.0f64.sqrt()).abs() < 1e-8
    );
    assert_eq!(Stat::of(&[3.0, 3.0, 3.0]), Stat { mean: 3.0, half_width_95: 0.0 });
}

/// A point of a made-up frontier.
fn point(
    kind: WorldKind,
    knob: Option<(&str, f64)>,
    cost: f64,
    violations: f64,
    half_width: f64,
) -> Point {
    let stat = |mean| Stat { mean, half_width_95: half_width };
    Point {
        world: kind.label().to_string(),
        kind,
        knob: knob.map(|(k, v)| (k.to_string(), v)),
        seeds: 10,
        cost: stat(cost),
        violation_steps: stat(violations),
        capacity_changes: stat(0.0),
        early_scale_ups: stat(0.0),
        late_scale_ups: stat(0.0),
    }
}

/// The Rule at 0.5 (cost 900, no violations), 0.7 (700, 10) and 0.9 (500, 80),
/// and the agent at the given weights with (cost, violation steps).
fn made_up(agents: &[(f64, f64, f64)], half_width: f64) -> Frontier {
    let mut points: Vec<Point> = [(0.5, 900.0, 0.0), (0.7, 700.0, 10.0), (0.9, 500.0, 80.0)]
        .iter()
        .map(|&(t, c, v)| point(WorldKind::Rule, Some((RULE_TARGET, t)), c, v, 1.0))
        .collect();
    points.extend(agents.iter().map(|&(w, c, v)| {
        point(WorldKind::Elastic, Some((VIOLATION_WEIGHT, w)), c, v, half_width)
    }));
    Frontier { points, steps: 4320, episodes: 200, own_target: 0.7, own_weight: -20.0 }
}

#[test]
fn the_agent_is_below_the_rules_frontier_when_cheaper_than_every_rule_target_as_reliable() {
    // 10 violation steps: the Rule at 0.5 and 0.7 are as reliable; 650 < 700.
    let f = made_up(&[(-20.0, 650.0, 10.0)], 1.0);
    let b = f.below_rule().expect("an agent point");
    assert!(b.below);
    assert_eq!(b.cheapest_as_reliable.map(|p| p.cost.mean), Some(700.0));
    assert!(f.verdicts().starts_with("Below the Rule's frontier"), "{}", f.verdicts());
    // Dearer than the Rule at 0.7 with no fewer violations: not below.
    let f = made_up(&[(-20.0, 720.0, 10.0)], 1.0);
    assert!(!f.below_rule().expect("an agent point").below);
    assert!(f.verdicts().starts_with("Not below"), "{}", f.verdicts());
    // 5 violation steps: only the Rule at 0.5 is as reliable, and it costs 900.
    let f = made_up(&[(-20.0, 800.0, 5.0)], 1.0);
    let b = f.below_rule().expect("an agent point");
    assert!(b.below);
    assert_eq!(b.cheapest_as_reliable.map(|p| p.cost.mean), Some(900.0));
    // No Rule target at all is as reliable.
    let mut f = made_up(&[(-20.0, 2000.0, 0.0)], 1.0);
    f.points[0].violation_steps.mean = 0.5;
    let b = f.below_rule().expect("an agent point");
    assert!(b.below && b.cheapest_as_reliable.is_none());
    assert!(f.verdicts().contains("no Rule target is as reliable"), "{}", f.verdicts());
    // Only the agent at the scenario's own weight is its default point.
    assert!(made_up(&[(-5.0, 1.0, 0.0)], 1.0).below_rule().is_none());
}

#[test]
fn monotonicity_allows_a_rise_within_the_two_intervals_and_no_more() {
    // Weights in any order; compared from -5 to -80. -20 to -40 rises by 3 with
    // half-widths of 2 each: within.
    let f = made_up(
        &[(-40.0, 700.0, 8.0), (-5.0, 500.0, 30.0), (-20.0, 600.0, 5.0), (-80.0, 800.0, 1.0)],
        2.0,
    );
    let m = f.monotone();
    assert!(m.holds);
    assert_eq!(m.pairs, 3);
    let w = m.worst.expect("pairs");
    assert_eq!((w.from, w.to, w.rise, w.allowed), (-20.0, -40.0, 3.0, 4.0));
    // The same rise with half-widths of 1: beyond.
    let m =
        made_up(&[(-40.0, 700.0, 8.0), (-5.0, 500.0, 30.0), (-20.0, 600.0, 5.0)], 1.0).monotone();
    assert!(!m.holds);
    assert_eq!(m.worst.map(|w| (w.from, w.to)), Some((-20.0, -40.0)));
}

#[test]
fn a_plan_without_two_seeds_or_with_a_knob_out_of_range_is_refused_by_name() {
    let s = short();
    let one = Plan { seeds: vec![1], ..Plan::new(&s, 2) };
    let e = one.check(&s).expect_err("one seed").to_string();
    assert!(e.contains("1 seeds") && e.contains("from 2 to 1000"), "{e}");
    let bad = plan(&s, &[0.5, 1.5], &[-5.0]);
    let e = bad.check(&s).expect_err("a target above 1").to_string();
    assert!(e.contains("rule.target_utilisation = 1.5"), "{e}");
    let bad = plan(&s, &[0.5], &[-5000.0]);
    let e = bad.check(&s).expect_err("a weight out of range").to_string();
    assert!(e.contains("reward.sla_violated = -5000"), "{e}");
    let e = frontier::sweep(&s, None, &Plan::new(&s, 2), 0, &|_, _| {})
        .expect_err("no threads")
        .to_string();
    assert!(e.contains("0 threads") && e.contains("from 1 to 256"), "{e}");
}

#[test]
fn plans_play_the_seeds_from_the_scenarios_upwards() {
    let s = short();
    let p = Plan::new(&s, 10);
    assert_eq!(p.seeds, (42..52).collect::<Vec<u64>>());
    assert_eq!(p.rule_targets, [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
    assert_eq!(p.violation_weights, [-5.0, -10.0, -20.0, -40.0, -80.0]);
    assert_eq!(Plan::quick(&s, 3).rule_targets, [0.5, 0.6, 0.7, 0.8, 0.9]);
}

fn frontier_cli(args: &[&str]) -> Output {
    run(&[&["frontier"], args].concat())
}

#[test]
fn the_frontier_command_prints_the_table_and_writes_the_csv() {
    let out = temp_path("frontier.csv");
    let path = out.to_str().expect("UTF-8");
    let o = frontier_cli(&[
        "--set",
        "steps=720",
        "--set",
        "agent.episodes=5",
        "--seeds",
        "2",
        "--quick",
        "--threads",
        "2",
        "--out",
        path,
    ]);
    let csv = std::fs::read_to_string(&out);
    let _ = std::fs::remove_file(&out);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(stdout.starts_with("frontier of the scenario: 2 seeds (42 to 43), 720 steps of 60 s, fluid physics; each agent trained 5 episodes"), "{stdout}");
    assert!(stdout.contains("\nworld "), "{stdout}");
    assert!(stdout.contains("target 0.70 *"), "{stdout}");
    assert!(stdout.contains("weight -5 *"), "{stdout}");
    assert!(stdout.contains("the Rule's frontier"), "{stdout}");
    assert!(stdout.contains("along the agent's frontier"), "{stdout}");
    // Nothing of the progress line in a pipe.
    assert_eq!(text(&o.stderr), "");
    let csv = csv.expect("the CSV was written");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("preset,world,knob,value,seeds,cost,cost_ci95,"));
    // Static, Oracle, Predictive, the Rule at 0.5..0.9, the agent at -5, -20, -80,
    // the agent without the forecast.
    assert_eq!(lines.len(), 1 + 3 + 5 + 3 + 1, "{csv}");
    assert!(lines[1].starts_with("custom,Static,,,2,"), "{}", lines[1]);
    assert!(lines[4].starts_with("custom,Rule,rule.target_utilisation,0.5,2,"), "{}", lines[4]);
    // The same run on one thread writes the same table.
    let again = frontier_cli(&[
        "--set",
        "steps=720",
        "--set",
        "agent.episodes=5",
        "--seeds",
        "2",
        "--quick",
        "--threads",
        "1",
    ]);
    assert_eq!(text(&again.stdout), stdout);
}

#[test]
fn bad_seeds_or_threads_are_refused_naming_the_flag_and_the_range() {
    for (args, want) in [
        (&["--seeds", "0"][..], "error: --seeds 0: must be a whole number from 2 to 1000"),
        (&["--seeds", "1"][..], "error: --seeds 1: must be a whole number from 2 to 1000"),
        (&["--seeds", "1001"][..], "error: --seeds 1001: must be a whole number from 2 to 1000"),
        (&["--threads", "0"][..], "error: --threads 0: must be a whole number from 1 to 256"),
    ] {
        let o = frontier_cli(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(text(&o.stderr).starts_with(want), "{args:?}: {}", text(&o.stderr));
        assert!(o.stdout.is_empty());
    }
    for bad in ["--seeds=-3", "--seeds=ten"] {
        let o = frontier_cli(&[bad]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            text(&o.stderr).contains("invalid value") && text(&o.stderr).contains("--seeds"),
            "{}",
            text(&o.stderr)
        );
    }
    let o = frontier_cli(&["--seeds", "2", "--set", "rule.target_utilisation=2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("rule.target_utilisation = 2: must be a number from 0.05 to 1"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn the_help_lists_the_frontier_command() {
    let o = run(&["--help"]);
    assert!(text(&o.stdout).contains("frontier"), "{}", text(&o.stdout));
    let o = frontier_cli(&["--help"]);
    let help = text(&o.stdout);
    for flag in
        ["--seeds", "--threads", "--out", "--quick", "--preset", "--episodes", "--shard", "--merge"]
    {
        assert!(help.contains(flag), "{flag}: {help}");
    }
}
