//! The frontier's verdicts at their bounds (a tie on cost, a rise exactly at its
//! allowance), Student's t for even and odd degrees of freedom, and the text
//! forms of made-up points.

use autoscale_playground::frontier::{self, Frontier, Point, Stat, RULE_TARGET, VIOLATION_WEIGHT};
use autoscale_playground::WorldKind;

/// A point of a made-up frontier: `half_width` on every figure.
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
        capacity_changes: stat(3.0),
        early_scale_ups: stat(2.0),
        late_scale_ups: stat(1.0),
    }
}

/// The Rule at the given (target, cost, violation steps) and the agent at the
/// given (weight, cost, violation steps), each agent point with `half_width`.
fn made_up(rules: &[(f64, f64, f64)], agents: &[(f64, f64, f64)], half_width: f64) -> Frontier {
    let mut points: Vec<Point> = rules
        .iter()
        .map(|&(t, c, v)| point(WorldKind::Rule, Some((RULE_TARGET, t)), c, v, 1.0))
        .collect();
    points.extend(agents.iter().map(|&(w, c, v)| {
        point(WorldKind::Elastic, Some((VIOLATION_WEIGHT, w)), c, v, half_width)
    }));
    Frontier { points, steps: 4320, episodes: 200, own_target: 0.7, own_weight: -20.0 }
}

#[test]
fn an_agent_that_costs_the_same_as_the_cheapest_rule_as_reliable_is_not_below() {
    let rules = [(0.5, 900.0, 0.0), (0.7, 700.0, 10.0), (0.9, 500.0, 80.0)];
    // A tie on cost is not cheaper.
    let f = made_up(&rules, &[(-20.0, 700.0, 10.0)], 1.0);
    let b = f.below_rule().expect("an agent point");
    assert!(!b.below);
    assert_eq!(b.cheapest_as_reliable.map(|p| p.cost.mean), Some(700.0));
    assert!(f.verdicts().starts_with("Not below the Rule's frontier: the agent (weight -20) costs 700.0 at 10 violation steps; the Rule at target 0.70 costs 700.0 at 10 violation steps."), "{}", f.verdicts());
    // A tie on violation steps counts as reliable; one step more does not.
    let f = made_up(&rules, &[(-20.0, 699.0, 10.0)], 1.0);
    assert!(f.below_rule().expect("an agent point").below);
    let f = made_up(&rules, &[(-20.0, 699.0, 9.0)], 1.0);
    let b = f.below_rule().expect("an agent point");
    assert!(b.below);
    assert_eq!(b.cheapest_as_reliable.map(|p| p.cost.mean), Some(900.0));
    // The most reliable Rule is the one with the fewest violation steps, wherever it is listed.
    let f = made_up(
        &[(0.9, 500.0, 80.0), (0.5, 900.0, 2.0), (0.7, 700.0, 10.0)],
        &[(-20.0, 1.0, 0.0)],
        1.0,
    );
    let b = f.below_rule().expect("an agent point");
    assert_eq!(b.most_reliable.map(|p| p.violation_steps.mean), Some(2.0));
    assert!(b.cheapest_as_reliable.is_none() && b.below);
    assert!(f.verdicts().starts_with("Below the Rule's frontier, as no Rule target is as reliable: the agent (weight -20) costs 1.0 at 0 violation steps; the most reliable Rule, target 0.50, costs 900.0 at 2 violation steps."), "{}", f.verdicts());
}

#[test]
fn a_rise_exactly_at_its_allowance_still_holds_and_a_hair_more_does_not() {
    let rules = [(0.7, 700.0, 10.0)];
    // From -5 to -20 violation steps rise by 4; the half-widths are 2 each.
    let f = made_up(&rules, &[(-5.0, 500.0, 30.0), (-20.0, 600.0, 34.0)], 2.0);
    let m = f.monotone();
    assert!(m.holds);
    assert_eq!(m.pairs, 1);
    assert_eq!(m.worst.map(|w| (w.from, w.to, w.rise, w.allowed)), Some((-5.0, -20.0, 4.0, 4.0)));
    assert!(f.verdicts().contains("Monotone along the agent's frontier: violation steps never rise beyond the intervals as the weight grows more negative (1 pairs; closest, -5 to -20: +4.0 against ±4.0)."), "{}", f.verdicts());
    let f = made_up(&rules, &[(-5.0, 500.0, 30.0), (-20.0, 600.0, 34.5)], 2.0);
    let m = f.monotone();
    assert!(!m.holds);
    assert!(f.verdicts().contains("Not monotone along the agent's frontier: from weight -5 to -20 violation steps rise by 4.5, more than the intervals' 4.0."), "{}", f.verdicts());
}

#[test]
fn the_worst_pair_is_the_one_whose_rise_exceeds_its_allowance_most() {
    // The agent at (weight, violation steps), half-widths of 1: whether the
    // frontier holds, its pairs, and its worst (from, to, rise, allowed).
    let worst = |agents: &[(f64, f64)]| {
        let agents: Vec<(f64, f64, f64)> = agents.iter().map(|&(w, v)| (w, 600.0, v)).collect();
        let m = made_up(&[(0.7, 700.0, 10.0)], &agents, 1.0).monotone();
        (m.holds, m.pairs, m.worst.map(|w| (w.from, w.to, w.rise, w.allowed)))
    };
    // -5 → -10 falls by 10, -10 → -20 rises by 1, -20 → -40 rises by 3: with
    // half-widths of 1 the last is the worst (3 − 2 = 1 beyond).
    assert_eq!(
        worst(&[(-20.0, 21.0), (-5.0, 30.0), (-40.0, 24.0), (-10.0, 20.0)]),
        (false, 3, Some((-20.0, -40.0, 3.0, 2.0)))
    );
    // The worst first: -5 → -10 rises by 4 (2 beyond), -10 → -20 by 1 (within).
    assert_eq!(
        worst(&[(-5.0, 20.0), (-10.0, 24.0), (-20.0, 25.0)]).2,
        Some((-5.0, -10.0, 4.0, 2.0))
    );
    // Beyond is a difference, not a ratio: rises of 7 then 6 (5 and 4 beyond).
    assert_eq!(
        worst(&[(-5.0, 10.0), (-10.0, 17.0), (-20.0, 23.0)]).2,
        Some((-5.0, -10.0, 7.0, 2.0))
    );
    // And a later pair no worse by the difference, but by the ratio: rises of 3
    // (1 beyond, 1.5 times) then 2.5 (0.5 beyond, 1.25 times, more than 1).
    assert_eq!(
        worst(&[(-5.0, 10.0), (-10.0, 13.0), (-20.0, 15.5)]).2,
        Some((-5.0, -10.0, 3.0, 2.0))
    );
    // One weight: no pair, holds, and says so.
    let f = made_up(&[(0.7, 700.0, 10.0)], &[(-20.0, 600.0, 21.0)], 1.0);
    let m = f.monotone();
    assert!(m.holds && m.pairs == 0 && m.worst.is_none());
    assert!(
        f.verdicts().ends_with("The agent's frontier has one weight: nothing to compare.\n"),
        "{}",
        f.verdicts()
    );
}

#[test]
fn students_t_matches_the_tables_for_even_and_odd_degrees_of_freedom() {
    // The 97.5 % quantiles (two-sided 95 %), to 9 digits.
    for (df, t) in [
        (1, 12.706_204_736),
        (2, 4.302_652_730),
        (3, 3.182_446_305),
        (4, 2.776_445_105),
        (5, 2.570_581_836),
        (6, 2.446_911_851),
        (7, 2.364_624_252),
        (8, 2.306_004_135),
        (10, 2.228_138_852),
        (20, 2.085_963_447),
        (30, 2.042_272_456),
        (120, 1.979_930_405),
    ] {
        let got = frontier::t_975(df);
        assert!((got - t).abs() < 1e-8, "df {df}: {got} against {t}");
    }
    assert!(frontier::t_975(0).is_nan());
}

#[test]
fn an_interval_over_three_seeds_uses_t_for_two_degrees_of_freedom() {
    // 1, 2, 3: mean 2, standard deviation 1, standard error 1/√3.
    let st = Stat::of(&[1.0, 2.0, 3.0]);
    assert_eq!(st.mean, 2.0);
    assert!((st.half_width_95 - 4.302_652_730 / 3f64.sqrt()).abs() < 1e-8, "{}", st.half_width_95);
    // Two seeds: one degree of freedom; 4 and 6 have a standard deviation of √2.
    let st = Stat::of(&[4.0, 6.0]);
    assert!((st.half_width_95 - 12.706_204_736).abs() < 1e-8, "{}", st.half_width_95);
    // One value: a mean, no interval.
    let st = Stat::of(&[7.5]);
    assert_eq!(st.mean, 7.5);
    assert!(st.half_width_95.is_nan());
}

#[test]
fn the_table_marks_the_default_points_and_gives_the_violation_share() {
    let f = made_up(
        &[(0.5, 900.0, 0.0), (0.7, 700.0, 43.2)],
        &[(-20.0, 650.0, 21.6), (-80.0, 800.0, 4.32)],
        2.0,
    );
    let table = f.table();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 5, "{table}");
    assert!(lines[0].starts_with("world"), "{table}");
    assert!(
        lines[1].starts_with("Rule")
            && lines[1].contains("target 0.50 ")
            && !lines[1].contains('*'),
        "{table}"
    );
    // 43.2 violation steps of 4,320: 1.00 %.
    assert!(lines[2].contains("target 0.70 *") && lines[2].contains("  1.00  "), "{table}");
    assert!(lines[3].contains("weight -20 *") && lines[3].contains("0.50"), "{table}");
    assert!(
        lines[4].contains("weight -80 ") && !lines[4].contains('*') && lines[4].contains("0.10"),
        "{table}"
    );
    assert!(lines[2].contains("700.0 ± 1.0"), "{table}");
    assert!(lines[3].contains("650.0 ± 2.0") && lines[3].contains("3 ± 2"), "{table}");
}

#[test]
fn the_csv_quotes_a_field_with_a_comma_or_a_quote() {
    let mut f = made_up(&[(0.7, 700.0, 10.0)], &[], 1.0);
    f.points[0].world = "Rule, \"tuned\"".into();
    let csv = f.csv("my,preset");
    let row = csv.lines().nth(1).expect("a row");
    assert_eq!(row, "\"my,preset\",\"Rule, \"\"tuned\"\"\",rule.target_utilisation,0.7,10,700,1,10,1,3,1,2,1,1,1");
}

#[test]
fn a_plan_lists_its_knob_values_and_seeds_from_the_scenarios_own() {
    use autoscale_playground::frontier::Plan;
    let s = autoscale_playground::Scenario { seed: 41, ..Default::default() };
    let p = Plan::new(&s, 3);
    assert_eq!(p.seeds, [41, 42, 43]);
    let targets: Vec<f64> = (8..=19).map(|i| i as f64 * 0.05).collect();
    assert_eq!(p.rule_targets.len(), 12);
    for (got, want) in p.rule_targets.iter().zip(&targets) {
        assert!((got - want).abs() < 1e-12, "{:?}", p.rule_targets);
    }
    assert_eq!(p.violation_weights, [-5.0, -10.0, -20.0, -40.0, -80.0]);
    let q = Plan::quick(&s, 2);
    assert_eq!(q.seeds, [41, 42]);
    assert_eq!(q.rule_targets, [0.5, 0.6, 0.7, 0.8, 0.9]);
    assert_eq!(q.violation_weights, [-5.0, -20.0, -80.0]);
    // Seeds wrap past the largest.
    let last = autoscale_playground::Scenario { seed: u64::MAX, ..Default::default() };
    assert_eq!(Plan::new(&last, 3).seeds, [u64::MAX, 0, 1]);
}

#[test]
fn a_plan_plays_the_scenarios_own_values_once_and_every_seed_of_each() {
    use autoscale_playground::frontier::{Plan, UnitKind};
    use autoscale_playground::presets;
    let s = autoscale_playground::Scenario::default();
    let plan =
        Plan { seeds: vec![7, 8], rule_targets: vec![0.5, 0.7], violation_weights: vec![-20.0] };
    // The scenario's target (0.7) and weight (-5): 0.7 is listed, -5 is added.
    assert_eq!(plan.targets_played(&s), [0.5, 0.7]);
    assert_eq!(plan.weights_played(&s), [-20.0, -5.0]);
    let units = plan.units(&s);
    let works: Vec<UnitKind> = units.iter().step_by(2).map(|u| u.work).collect();
    assert_eq!(
        works,
        [
            UnitKind::Baselines,
            UnitKind::Rule(0.5),
            UnitKind::Rule(0.7),
            UnitKind::Agent(-20.0),
            UnitKind::Agent(-5.0),
            UnitKind::Blind
        ],
        "the seed design is the scenario's: no separate point"
    );
    assert!(units.chunks(2).all(|c| c[0].work == c[1].work && (c[0].seed, c[1].seed) == (7, 8)));
    // A tuned agent (its own weight -20, listed): the seed design's point is added last.
    let tuned = presets::preset("diurnal").expect("a preset");
    assert_eq!((tuned.rule.target_utilisation, tuned.reward.sla_violated), (0.7, -20.0));
    let units = plan.units(&tuned);
    assert_eq!(units.last().map(|u| u.work), Some(UnitKind::SeedDesign));
    assert_eq!(units.len(), 2 * (1 + 2 + 1 + 1 + 1), "{units:?}");
    // Each unit's scenario: its seed and its knob.
    let u = units.iter().find(|u| u.work == UnitKind::Rule(0.5) && u.seed == 8).expect("a unit");
    let us = u.scenario(&tuned);
    assert_eq!((us.seed, us.rule.target_utilisation), (8, 0.5));
    let a = units.iter().find(|u| u.work == UnitKind::Agent(-20.0)).expect("a unit");
    assert_eq!(a.scenario(&tuned).reward.sla_violated, -20.0);
    let d = units.iter().find(|u| u.work == UnitKind::SeedDesign).expect("a unit");
    let mut seed = tuned.clone();
    presets::seed_agent(&mut seed);
    assert_eq!(d.scenario(&tuned).agent, seed.agent);
    // Their sizes in world-steps: three worlds, one, or the training and a run.
    let steps = tuned.steps as u64;
    let episodes = tuned.agent.episodes as u64;
    assert_eq!(units[0].steps(&tuned), 3 * steps);
    assert_eq!(u.steps(&tuned), steps);
    assert_eq!(a.steps(&tuned), (episodes + 1) * steps);
    assert_eq!(d.steps(&tuned), (episodes + 1) * steps);
}

#[test]
fn a_plan_with_a_weight_the_scenario_refuses_is_refused_and_names_the_plan() {
    use autoscale_playground::frontier::Plan;
    let s = autoscale_playground::Scenario::default();
    let none = Plan { seeds: vec![1, 2], rule_targets: vec![], violation_weights: vec![-5.0] };
    let e = none.check(&s).expect_err("no target").to_string();
    assert!(
        e.contains("a frontier needs at least one Rule target and one violation weight"),
        "{e}"
    );
    let none = Plan { seeds: vec![1, 2], rule_targets: vec![0.5], violation_weights: vec![] };
    assert!(none.check(&s).is_err());
    let many = Plan { seeds: (0..1001).collect(), ..Plan::new(&s, 2) };
    let e = many.check(&s).expect_err("too many seeds").to_string();
    assert!(e.contains("1001 seeds: a frontier needs from 2 to 1000"), "{e}");
    assert!(Plan { seeds: (0..1000).collect(), ..Plan::new(&s, 2) }.check(&s).is_ok());
    assert!(Plan::new(&s, 2).check(&s).is_ok());
    let bad = Plan { violation_weights: vec![-5000.0], ..Plan::new(&s, 2) };
    let e = bad.check(&s).expect_err("a weight out of range").to_string();
    assert!(e.contains("the frontier's plan") && e.contains("reward.sla_violated = -5000"), "{e}");
}

/// A world at the scenario's own settings is its point without a knob: the
/// Rule and the agent swept along a knob have none, and a world not played
/// has none either (the results' bench reads Predictive's and the Oracle's so).
#[test]
fn a_world_at_its_own_settings_is_its_point_without_a_knob() {
    let mut f = made_up(&[(0.7, 700.0, 10.0)], &[(-20.0, 650.0, 12.0)], 1.0);
    f.points.push(point(WorldKind::Static, None, 1000.0, 0.0, 0.0));
    f.points.push(point(WorldKind::Predictive, None, 600.0, 30.0, 2.0));
    let cost = |kind| f.world(kind).map(|p| p.cost.mean);
    assert_eq!(cost(WorldKind::Static), Some(1000.0));
    assert_eq!(cost(WorldKind::Predictive), Some(600.0));
    assert_eq!(cost(WorldKind::Rule), None, "the Rule is there only along its target");
    assert_eq!(cost(WorldKind::Elastic), None, "the agent only along its weight");
    assert_eq!(cost(WorldKind::Oracle), None, "not played");
}

/// The table names any other knob by its own name and value, and a world at
/// its own settings with a dash.
#[test]
fn the_table_names_a_knob_it_does_not_know_and_dashes_a_world_without_one() {
    let mut f = made_up(&[], &[], 1.0);
    f.points.push(point(WorldKind::Static, None, 1000.0, 0.0, 0.0));
    f.points.push(point(WorldKind::Elastic, Some(("epsilon", 0.25)), 700.0, 5.0, 1.0));
    let table = f.table();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    let knob = |line: &str| line.get(27..41).map(str::trim_end).map(str::to_string);
    assert_eq!(knob(lines[1]).as_deref(), Some("-"), "{table}");
    assert_eq!(knob(lines[2]).as_deref(), Some("epsilon 0.25"), "{table}");
}

/// Figures far from zero with a small spread (a long run's cost over seeds)
/// keep their interval: the squares are of the deviations from the mean, not
/// the difference of two large sums, which would lose the spread to rounding.
#[test]
fn an_interval_of_large_figures_with_a_small_spread_keeps_its_precision() {
    // 1,000,000.25, .5 and 1.0: mean 1,000,000.583…, squared deviations 0.291 66….
    let st = Stat::of(&[1e6 + 0.25, 1e6 + 0.5, 1e6 + 1.0]);
    let sd = (0.291_666_666_666_666_7f64 / 2.0).sqrt();
    let want = 4.302_652_729_749_464 * sd / 3f64.sqrt();
    assert!((st.half_width_95 - want).abs() < 1e-9 * want, "{} against {want}", st.half_width_95);
}
