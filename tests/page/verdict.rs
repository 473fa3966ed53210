//! The scoreboard's verdict in words (who beats whom, what the forecast buys,
//! where the Elastic world stands against the Rule's frontier), the Rule swept
//! over its targets, and the lookahead that plays the run ahead for them. Apart
//! from the frames: it is what the page concludes, not how it plays.

use crate::util::{settle, trained, unlimited, without_latency};
use autoscale_playground::judge::{verdict, RuleTarget, WorldResult};
use autoscale_playground::presets::preset;
use autoscale_playground::view::rule_sweep::{self, RuleSweep};
use autoscale_playground::view::{FrameWork, Page};
use autoscale_playground::WorldKind;

/// A world's results with only its cost and violation steps set, for verdicts
/// worked out by hand.
fn result(kind: WorldKind, cost: f64, violations: f64) -> WorldResult {
    WorldResult {
        name: kind.label().into(),
        kind,
        short: kind.short().into(),
        cost,
        replica_hours: cost,
        saving_pct: None,
        sla_violation_steps: violations,
        sla_violation_pct: 0.0,
        p95_s: None,
        p99_s: None,
        dropped: 0.0,
        capacity_changes: 0,
        mean_utilisation: 0.0,
        total_reward: 0.0,
        above_oracle_pct: None,
        scale_ups: Default::default(),
    }
}

#[test]
fn the_verdict_says_who_beats_whom_and_at_what_price() {
    let all = |rule: (f64, f64)| {
        vec![
            result(WorldKind::Static, 1000.0, 0.0),
            result(WorldKind::Rule, rule.0, rule.1),
            result(WorldKind::Elastic, 600.0, 5.0),
            result(WorldKind::Oracle, 500.0, 0.0),
            result(WorldKind::Predictive, 650.0, 4.0),
        ]
    };
    let v = verdict(&all((700.0, 8.0)), |_| true, &[]);
    assert_eq!(
        v,
        "Elastic costs 40.0 % less than Static, with 5 SLA-violation steps (Static 0). It beats Rule: 14.3 % cheaper, with no more violations (5 against 8). \
         It is 7.7 % cheaper than Predictive but breaks the SLA more often (5 steps against 4). It costs 20.0 % more than the Oracle (perfect foresight)."
    );
    let say = |rule: (f64, f64)| verdict(&all(rule), |_| true, &[]);
    assert!(say((550.0, 2.0)).contains(
        "Rule beats it on this run: 8.3 % cheaper, with no more violations (2 against 5)."
    ));
    assert!(say((700.0, 1.0)).contains(
        "It is 14.3 % cheaper than Rule but breaks the SLA more often (5 steps against 1)."
    ));
    assert!(say((550.0, 9.0))
        .contains("Rule is 8.3 % cheaper but breaks the SLA more often (9 steps against 5)."));
    assert!(
        say((550.0, 2.4)).contains(
            "Rule beats it on this run: 8.3 % cheaper, with no more violations (2.4 against 5)."
        ),
        "expected counts show one decimal"
    );
    // A difference under the words' rounding reads as none: never "0.0 %
    // cheaper", never "more often (6.0 against 6.0)".
    assert!(say((600.2, 5.0))
        .contains("It matches Rule: the same cost, and as many violation steps (5)."));
    assert!(say((599.8, 5.04))
        .contains("It matches Rule: the same cost, and as many violation steps (5)."));
    assert!(say((600.2, 7.0))
        .contains("It costs the same as Rule and breaks the SLA less often (5 steps against 7)."));
    assert!(say((600.2, 2.0))
        .contains("It costs the same as Rule but breaks the SLA more often (5 steps against 2)."));
    assert!(say((700.0, 5.04))
        .contains("It beats Rule: 14.3 % cheaper, with no more violations (5 against 5.0)."));
    let level = [
        result(WorldKind::Static, 600.1, 0.0),
        result(WorldKind::Elastic, 600.0, 0.0),
        result(WorldKind::Oracle, 600.2, 0.0),
    ];
    assert_eq!(
        verdict(&level, |_| true, &[]),
        "Elastic costs the same as Static, with 0 SLA-violation steps (Static 0). It costs the same as the Oracle (perfect foresight)."
    );
    // Predictive: who wins, or which wins on which axis.
    let with_predictive = |cost: f64, violations: f64| {
        let mut worlds = all((700.0, 8.0));
        worlds[4] = result(WorldKind::Predictive, cost, violations);
        verdict(&worlds, |_| true, &[])
    };
    assert!(with_predictive(700.0, 6.0)
        .contains("It beats Predictive: 14.3 % cheaper, with no more violations (5 against 6)."));
    assert!(with_predictive(550.0, 4.0).contains(
        "Predictive beats it on this run: 8.3 % cheaper, with no more violations (4 against 5)."
    ));
    assert!(with_predictive(550.0, 9.0).contains(
        "Predictive is 8.3 % cheaper but breaks the SLA more often (9 steps against 5)."
    ));
    let hidden =
        verdict(&all((700.0, 8.0)), |k| k == WorldKind::Static || k == WorldKind::Elastic, &[]);
    assert!(
        !hidden.contains("Rule") && !hidden.contains("Oracle") && !hidden.contains("Predictive"),
        "{hidden}"
    );
    assert_eq!(
        verdict(
            &[result(WorldKind::Static, 0.0, 0.0), result(WorldKind::Elastic, 0.0, 0.0)],
            |_| true,
            &[]
        ),
        "",
        "nothing to say before costs"
    );
}

#[test]
fn the_verdict_says_what_the_forecast_buys_when_the_ablation_is_shown() {
    let with_blind = |cost: f64, violations: f64| {
        let worlds = [
            result(WorldKind::Static, 1000.0, 0.0),
            result(WorldKind::Elastic, 600.0, 5.0),
            result(WorldKind::NoForecast, cost, violations),
        ];
        verdict(&worlds, |_| true, &[])
    };
    assert_eq!(
        with_blind(660.0, 8.0),
        "Elastic costs 40.0 % less than Static, with 5 SLA-violation steps (Static 0). \
         Without the forecast in its state (No forecast) it costs 660.00 with 8 violation steps: the forecast buys a 9.1 % saving and 3 fewer violation steps."
    );
    assert!(with_blind(660.0, 5.0)
        .ends_with("the forecast buys a 9.1 % saving with no more violation steps."));
    assert!(with_blind(660.0, 3.0)
        .ends_with("the forecast buys a 9.1 % saving at the price of 2 more violation steps."));
    assert!(with_blind(580.0, 7.5).ends_with("it costs 580.00 with 7.5 violation steps: the forecast buys 2.5 fewer violation steps for 3.4 % more cost."));
    assert!(with_blind(580.0, 5.0).ends_with("the forecast buys nothing: it costs 3.4 % more."));
    assert!(with_blind(580.0, 4.0)
        .ends_with("the forecast buys nothing: it costs 3.4 % more, with 1 more violation steps."));
    // Differences the words' rounding hides read as none.
    assert!(with_blind(600.2, 5.04).ends_with("the forecast buys nothing on this run."));
    assert!(with_blind(600.2, 6.0)
        .ends_with("the forecast buys 1 fewer violation steps for the same cost."));
    assert!(with_blind(600.2, 4.0).ends_with(
        "the forecast buys nothing: it breaks the SLA in 1 more steps at the same cost."
    ));
    let worlds = [
        result(WorldKind::Static, 1000.0, 0.0),
        result(WorldKind::Elastic, 600.0, 5.0),
        result(WorldKind::NoForecast, 660.0, 8.0),
    ];
    assert!(
        !verdict(&worlds, |k| k != WorldKind::NoForecast, &[]).contains("forecast"),
        "a hidden ablation is left out"
    );
}

#[test]
fn the_verdict_places_the_elastic_world_against_the_rules_frontier() {
    let worlds = [
        result(WorldKind::Static, 1000.0, 0.0),
        result(WorldKind::Rule, 700.0, 8.0),
        result(WorldKind::Elastic, 600.0, 5.0),
    ];
    // Cheaper targets break the SLA more often, as a Rule's do.
    let targets = |costs_and_violations: &[(f64, f64)]| -> Vec<RuleTarget> {
        rule_sweep::targets()
            .zip(costs_and_violations)
            .map(|(target, &(cost, v))| RuleTarget { target, cost, sla_violation_steps: v })
            .collect()
    };
    let curve: Vec<(f64, f64)> =
        (0..12).map(|i| (900.0 - 30.0 * i as f64, 1.0 + i as f64)).collect();
    let below = verdict(&worlds, |_| true, &targets(&curve));
    assert!(
        below.contains(
            "(5 against 8). It is below the Rule's frontier (targets 40 to 95 %): cheaper than every target with no more violation steps; the cheapest of those, 60 %, costs 780.00 with 5 violation steps."
        ),
        "{below}"
    );
    let mut rival = curve.clone();
    rival[7] = (590.0, 4.5);
    assert!(verdict(&worlds, |_| true, &targets(&rival))
        .contains("It is not below the Rule's frontier (targets 40 to 95 %): at 75 % the Rule costs 590.00 (Elastic 600.00) with 4.5 violation steps (Elastic 5)."));
    let never: Vec<(f64, f64)> =
        (0..12).map(|i| (900.0 - 30.0 * i as f64, 6.0 + i as f64)).collect();
    assert!(verdict(&worlds, |_| true, &targets(&never))
        .contains("No Rule target from 40 to 95 % breaks the SLA as rarely: the fewest violation steps, 6 at 40 %, cost 900.00."));
    assert!(
        !verdict(&worlds, |k| k != WorldKind::Rule, &targets(&curve)).contains("frontier"),
        "the frontier goes with the Rule"
    );
}

#[test]
fn the_rule_sweep_plays_twelve_targets_and_its_own_target_is_the_rule_world() {
    let mut p = trained(1);
    p.step(10_000);
    let points = rule_sweep::sweep(&p.session);
    let targets: Vec<f64> = points.iter().map(|t| t.target).collect();
    assert_eq!(targets, [0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95]);
    // The scenario's own target (70 %) on the same trace is the Rule world itself.
    assert_eq!(p.session.scenario.rule.target_utilisation, 0.7);
    let rule = p.metrics().worlds.into_iter().find(|w| w.kind == WorldKind::Rule).unwrap();
    assert_eq!(
        (points[6].cost, points[6].sla_violation_steps),
        (rule.cost, rule.sla_violation_steps)
    );
    assert!(points[0].cost > points[11].cost, "a higher target runs fewer replicas: {points:?}");
    // Played in pieces, the same figures.
    let mut pieces = RuleSweep::new(&p.session);
    let mut calls = 1;
    while !pieces.run(7) {
        calls += 1;
    }
    assert_eq!(calls, 720usize.div_ceil(7));
    assert_eq!(pieces.points(), points);
}

#[test]
fn the_lookahead_plays_the_run_and_the_rule_sweep_first_and_the_verdict_names_the_frontier_at_the_end(
) {
    let mut p = trained(1);
    p.set_playing(true);
    // A frame out of time at once plays one piece of it: nothing new known yet.
    let f = p.advance(1, || true).unwrap();
    assert_eq!((f.work, f.played, f.changed), (FrameWork::Lookahead, 0, false));
    assert!(p.frontier().is_none() && p.moments().is_empty());
    settle(&mut p);
    let frontier = p.frontier().expect("known once the lookahead is done");
    assert_eq!(
        frontier.rule,
        rule_sweep::sweep(&p.session),
        "the Rule's frontier, known before the run is played"
    );
    assert_eq!(p.step_index(), 0);
    assert!(
        p.metrics().rule_targets.is_empty() && !p.metrics().verdict.contains("frontier"),
        "the verdict's frontier waits for the run's end"
    );
    while p.playing() {
        assert_eq!(p.advance(1000, unlimited).unwrap().work, FrameWork::Playing);
    }
    assert_eq!(
        p.advance(1, unlimited).unwrap().work,
        FrameWork::Idle,
        "the sweep is not played again"
    );
    let m = p.metrics();
    assert_eq!(m.rule_targets, frontier.rule);
    assert_eq!(
        without_latency(m.worlds.clone()),
        frontier.worlds,
        "the lookahead's figures are the run's"
    );
    assert!(m.worlds.iter().all(|w| w.p95_s.is_some()));
    assert!(
        m.verdict.contains("the Rule's frontier (targets 40 to 95 %)")
            || m.verdict.contains("No Rule target from 40 to 95 %"),
        "{}",
        m.verdict
    );
    // A new run: whole-run figures only once it is over again.
    p.reset();
    p.step(10);
    assert!(p.metrics().rule_targets.is_empty() && !p.metrics().verdict.contains("frontier"));
    assert!(p.metrics().lookahead_done, "a restart of the same run keeps the lookahead");
    p.step(10_000);
    assert_eq!(p.metrics().rule_targets.len(), 12, "kept: it does not depend on the agent");
}

#[test]
fn the_lookahead_is_played_again_when_the_runs_worlds_change() {
    let mut p = trained(1);
    settle(&mut p);
    let before = p.frontier().unwrap().worlds;
    p.set_learn_live(true);
    assert!(!p.metrics().lookahead_done && p.frontier().is_none(), "live learning switched");
    settle(&mut p);
    assert_ne!(p.frontier().unwrap().worlds, before);
    // Live learning: the copy learns as the run does, so it is the run's future.
    p.step(10_000);
    assert_eq!(without_latency(p.metrics().worlds), p.frontier().unwrap().worlds);
    p.set_learn_live(false);
    settle(&mut p);
    assert_eq!(p.frontier().unwrap().worlds, before, "the same worlds, the same figures");
    p.set_ablation(true);
    assert!(!p.metrics().lookahead_done, "the ablation added");
    p.set_ablation(false);
    p.start_training(true);
    while p.advance(10, unlimited).unwrap().work == FrameWork::Training {}
    settle(&mut p);
    p.plan_training(1);
    p.train(1).unwrap();
    assert!(!p.metrics().lookahead_done, "new training");
    settle(&mut p);
    let table = p.session.trainer.agent.table.to_json();
    p.load_table(&table).unwrap();
    assert!(!p.metrics().lookahead_done, "a loaded table");
}

#[test]
fn a_run_longer_than_the_csv_limit_finds_no_moments_and_says_so() {
    let s = preset("diurnal")
        .unwrap()
        .with_overrides(&["steps=50001".to_string(), "agent.episodes=0".to_string()])
        .unwrap();
    let mut p = Page::new(s, None).unwrap();
    settle(&mut p);
    let m = p.metrics();
    assert!(m.moments.is_empty());
    assert_eq!(m.moments_note.as_deref(), Some("This run is 50001 steps long: moments are found in runs of at most 50000 steps, whose every step the page keeps."));
    assert!(
        m.frontier.unwrap().worlds[0].replica_hours > 0.0,
        "the results of the whole run, played"
    );
}
