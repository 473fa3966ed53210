//! The page's view-model (`view::Page`), natively: what a frame does, training
//! chunked or adopted from a worker or the build, the scoreboard and its verdict,
//! the heatmap's cells and texts, the forensics pinned, and determinism.

use autoscale_playground::agent::{Action, Decision, Reading, State};
use autoscale_playground::forecast::Direction;
use autoscale_playground::forensics;
use autoscale_playground::judge::{verdict, RuleTarget, WorldResult};
use autoscale_playground::presets::preset;
use autoscale_playground::scenario::Scenario;
use autoscale_playground::train::{Prebuilt, Trainer};
use autoscale_playground::view::heatmap::{Cell, Grid, Slice};
use autoscale_playground::view::moments::MomentKind;
use autoscale_playground::view::rule_sweep::{self, RuleSweep};
use autoscale_playground::view::{FrameWork, Page, TrainingPlace};
use autoscale_playground::workload::replay;
use autoscale_playground::{Error, WorldKind};

/// A short run (12 hours) of a preset with few training episodes.
fn scenario(name: &str, episodes: u32) -> Scenario {
    preset(name)
        .unwrap()
        .with_overrides(&["steps=720".to_string(), format!("agent.episodes={episodes}")])
        .unwrap()
}

fn trained(episodes: u32) -> Page {
    let mut p = Page::new(scenario("diurnal", episodes), None).unwrap();
    while p.train(1).unwrap() > 0 {}
    p
}

/// Never out of time: a frame does all it may.
fn unlimited() -> bool {
    false
}

/// Plays the lookahead (the copy of the run and the Rule's sweep) to its end,
/// as the frames after training do before the run plays.
fn settle(p: &mut Page) {
    while !p.metrics().lookahead_done {
        assert_eq!(p.advance(1, unlimited).unwrap().work, FrameWork::Lookahead);
    }
}

/// A run's results as the lookahead has them: no latency histogram, so no
/// p95 or p99.
fn without_latency(worlds: Vec<WorldResult>) -> Vec<WorldResult> {
    worlds.into_iter().map(|w| WorldResult { p95_s: None, p99_s: None, ..w }).collect()
}

/// Frames until a seek (or a link's fast-forward) has arrived.
fn arrive(p: &mut Page) {
    settle(p);
    while p.seeking() {
        assert_eq!(p.advance(1, unlimited).unwrap().work, FrameWork::FastForward);
    }
}

#[test]
fn presets_train_for_the_scenario_default_episodes() {
    assert_eq!(preset("bursty").unwrap().agent.episodes, Scenario::default().agent.episodes);
    assert_eq!(Scenario::default().agent.episodes, 200);
}

#[test]
fn training_is_chunked_and_restarts_the_run_with_the_trained_agent() {
    let mut p = Page::new(scenario("diurnal", 3), None).unwrap();
    assert_eq!(p.metrics().training.episode, 0);
    assert_eq!(p.train(2).unwrap(), 2);
    assert!(!p.metrics().training.done);
    assert_eq!(p.step(10), 10);
    assert_eq!(p.train(5).unwrap(), 1, "only the planned episodes are played");
    let m = p.metrics();
    assert!(m.training.done);
    assert_eq!(m.step, 0, "the run restarts when training ends");
    assert!(m.training.last_reward.is_some());
    p.plan_training(2);
    assert_eq!(p.train(5).unwrap(), 2);
    assert_eq!(p.metrics().training.episodes, 5);
}

#[test]
fn a_frame_trains_here_then_plays_at_the_speed_asked() {
    let mut p = Page::new(scenario("diurnal", 2), None).unwrap();
    assert_eq!(
        p.advance(7, unlimited).unwrap().work,
        FrameWork::Idle,
        "nothing to do before training starts"
    );
    p.start_training(true);
    assert!(!p.set_playing(true), "no play while training runs on this thread");
    let f = p.advance(7, unlimited).unwrap();
    assert_eq!((f.work, f.played), (FrameWork::Training, 0));
    assert_eq!(p.training(), TrainingPlace::Idle, "both episodes in one unlimited frame");
    assert!(p.playing(), "play starts when training ends");
    let f = p.advance(7, unlimited).unwrap();
    assert_eq!(
        (f.work, f.played, f.changed),
        (FrameWork::Lookahead, 0, true),
        "the run is played ahead first"
    );
    assert!(p.metrics().lookahead_done && p.step_index() == 0);
    let f = p.advance(7, unlimited).unwrap();
    assert_eq!((f.work, f.played), (FrameWork::Playing, 7));
    assert_eq!(p.step_index(), 7);
}

#[test]
fn a_frame_stops_when_its_budget_is_spent() {
    let mut p = trained(1);
    settle(&mut p);
    p.set_playing(true);
    // Out of time at the first check: one piece of ten steps, not the 500 asked.
    let f = p.advance(500, || true).unwrap();
    assert_eq!(f.played, 10);
    let mut checks = 0;
    let f = p
        .advance(500, || {
            checks += 1;
            checks == 3
        })
        .unwrap();
    assert_eq!(f.played, 30);
}

#[test]
fn a_link_step_is_reached_paused_after_training() {
    let mut p = Page::new(scenario("diurnal", 1), None).unwrap();
    p.set_start_step(95);
    p.start_training(true);
    p.set_autoplay(false);
    p.advance(10, unlimited).unwrap();
    assert!(!p.playing());
    assert_eq!(p.advance(10, unlimited).unwrap().work, FrameWork::Lookahead);
    let f = p.advance(10, unlimited).unwrap();
    assert_eq!((f.work, p.step_index()), (FrameWork::FastForward, 95));
    assert_eq!(p.advance(10, unlimited).unwrap().work, FrameWork::Idle, "and stays there");
    assert!(!p.playing());
}

#[test]
fn with_autoplay_a_link_step_is_reached_then_played_on() {
    let mut p = Page::new(scenario("diurnal", 1), None).unwrap();
    p.set_start_step(95);
    p.start_training(true);
    p.advance(10, unlimited).unwrap();
    arrive(&mut p);
    assert_eq!(p.step_index(), 95);
    assert!(p.playing(), "autoplay (the default) plays on from the start step");
    let f = p.advance(10, unlimited).unwrap();
    assert_eq!((f.work, f.played, p.step_index()), (FrameWork::Playing, 10, 105));
}

#[test]
fn playing_no_step_changes_nothing_shown() {
    let mut p = trained(1);
    settle(&mut p);
    p.set_playing(true);
    // The page asks for 0 steps in most frames at 1 to 5 steps a second.
    let f = p.advance(0, unlimited).unwrap();
    assert_eq!((f.work, f.played, f.changed), (FrameWork::Playing, 0, false));
    let f = p.advance(1, unlimited).unwrap();
    assert_eq!((f.work, f.played, f.changed), (FrameWork::Playing, 1, true));
}

#[test]
fn a_finished_run_stops_playing_and_restarts_when_played_again() {
    let mut p = trained(1);
    settle(&mut p);
    p.set_playing(true);
    while p.advance(1000, unlimited).unwrap().work == FrameWork::Playing {}
    assert!(p.finished() && !p.playing());
    assert_eq!(p.step_index(), 720);
    assert!(p.set_playing(true));
    assert_eq!(p.step_index(), 0);
}

#[test]
fn a_run_steps_reports_its_metrics_and_pins_the_forensics_of_a_decision() {
    let mut p = trained(2);
    assert_eq!(p.step(100), 100);
    let m = p.metrics();
    assert_eq!((m.step, m.steps), (100, 720));
    let kinds: Vec<WorldKind> = m.worlds.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, WorldKind::STANDARD);
    assert_eq!(m.now.len(), 5);
    let text = p.explain(50).unwrap();
    assert!(text.starts_with("Step 50:"), "{text}");
    assert!(text.contains("Decisive factor"), "{text}");
    assert_eq!(p.forensics_text(), text, "explain pins its text to the panel");
    p.step(1);
    assert!(
        p.forensics_text().starts_with("Step 100:"),
        "a step unpins it: {}",
        p.forensics_text()
    );
    assert_eq!(p.step(10_000), 619, "the run ends at its last step");
    assert!(p.metrics().finished);
}

#[test]
fn reset_gives_identical_figures() {
    let mut p = trained(2);
    p.show_world(WorldKind::Rule, false);
    p.step(250);
    let first = serde_json::to_string(&p.metrics()).unwrap();
    p.step(100);
    p.reset();
    assert_eq!(p.step_index(), 0);
    p.step(250);
    assert_eq!(serde_json::to_string(&p.metrics()).unwrap(), first);
}

#[test]
fn reset_gives_up_a_seek_under_way_and_stays_at_step_0() {
    let mut p = trained(2);
    settle(&mut p);
    p.seek(300);
    p.set_autoplay(true);
    let f = p.advance(1, || true).unwrap();
    assert_eq!(f.work, FrameWork::FastForward);
    assert!(p.seeking() && p.step_index() > 0 && p.step_index() < 300, "at {}", p.step_index());
    p.reset();
    assert!(!p.seeking());
    assert_eq!(
        p.advance(10, unlimited).unwrap().work,
        FrameWork::Idle,
        "nothing goes on to the seek's step"
    );
    assert_eq!((p.step_index(), p.playing()), (0, false));
    assert_eq!(p.step(300), 300, "the Step button's steps count from step 0");
    assert_eq!(p.step_index(), 300);
}

#[test]
fn heatmap_cells_are_described_in_the_slice_shown() {
    let mut p = trained(2);
    p.step(300);
    let bins = p.metrics().grid.bins as usize;
    assert_eq!(bins, 7, "the calm agent's headroom bins");
    assert_eq!(p.metrics().grid.max, 9, "its utilisation bins");
    p.slice = Slice { trend: Some(Direction::Rising), forecast: Some(Direction::Falling) };
    let words = p.describe_cell(Cell { bin: 3, row: 4 }).unwrap();
    assert!(
        words.starts_with(
            "Headroom at the need, utilisation 60-70 %, demand rising, forecast falling"
        ),
        "{words}"
    );
    let words = p.describe_cell(Cell { bin: 1, row: 9 }).unwrap();
    assert!(words.starts_with("Headroom 2 replicas short, utilisation above 100 %"), "{words}");
    let err = p.describe_cell(Cell { bin: bins, row: 1 }).unwrap_err().to_string();
    assert_eq!(err, "no heatmap cell at bin 7, row 1 (bins 0..6, rows 1..=9)");
    let err = p.describe_cell(Cell { bin: 0, row: 0 }).unwrap_err().to_string();
    assert!(err.contains("row 0"), "{err}");
    // A visited cell replays the latest decision taken in it; another says why not.
    p.slice = Slice::default();
    let now = p.session.agent().unwrap().last.clone().unwrap().reading.state;
    let text = p.explain_cell(Cell { bin: now.bin, row: now.row }).unwrap();
    assert!(text.starts_with("Step 299:"), "{text}");
}

#[test]
fn the_heatmap_grid_maps_points_to_cells_and_back() {
    let g = Grid { left: 40, top: 10, right: 240, bottom: 210, bins: 5, max: 20 };
    assert_eq!(g.cell_at(39.0, 100.0), None);
    assert_eq!(g.cell_at(240.0, 100.0), None);
    assert_eq!(g.cell_at(40.0, 10.0), Some(Cell { bin: 0, row: 20 }));
    assert_eq!(g.cell_at(239.9, 209.9), Some(Cell { bin: 4, row: 1 }));
    for bin in 0..5 {
        for row in 1..=20 {
            let (x0, y0, x1, y1) = g.rect(Cell { bin, row });
            let centre = ((x0 + x1) as f64 / 2.0, (y0 + y1) as f64 / 2.0);
            assert_eq!(g.cell_at(centre.0, centre.1), Some(Cell { bin, row }));
        }
    }
}

#[test]
fn a_workers_training_is_adopted_as_local_training() {
    for method in ["naive", "moving-average", "seasonal"] {
        let s = scenario("flash-crowd", 3)
            .with_overrides(&[format!("forecast.method={method}")])
            .unwrap();
        let mut local = Page::new(s.clone(), None).unwrap();
        while local.train(1).unwrap() > 0 {}
        let mut worker = Trainer::new(&s, None);
        let mut adopted = Page::new(s.clone(), None).unwrap();
        worker.run(1).unwrap();
        assert!(!adopted.adopt_training(&worker.state()).unwrap());
        assert_eq!(adopted.step(20), 20, "the run plays on with a partial table");
        worker.run(10).unwrap();
        assert!(adopted.adopt_training(&worker.state()).unwrap());
        local.step(300);
        adopted.step(300);
        let json = |p: &Page| serde_json::to_string(&p.metrics()).unwrap();
        assert_eq!(json(&local), json(&adopted), "{method}");

        let other = Trainer::new(&s.with_overrides(&["scaling.max_replicas=12"]).unwrap(), None);
        let err = adopted.adopt_training(&other.state()).unwrap_err();
        assert!(
            matches!(err, Error::Training(_))
                && err.to_string().contains("state space does not match"),
            "{err}"
        );
        let mut state = worker.state();
        state.curve.pop();
        assert_eq!(
            adopted.adopt_training(&state).unwrap_err().to_string(),
            "inconsistent training state: 2 rewards for 3 of 3 episodes"
        );
    }
}

#[test]
fn a_prebuilt_training_is_adopted_only_for_exactly_its_scenario() {
    let s = scenario("bursty", 2);
    let mut trainer = Trainer::new(&s, None);
    trainer.run(2).unwrap();
    let built = Prebuilt::of(&s, trainer.state());
    let mut other = Page::new(s.with_overrides(&["seed=8"]).unwrap(), None).unwrap();
    assert!(
        !other.adopt_prebuilt(&built.fingerprint, &trainer.state()).unwrap(),
        "another seed is another scenario"
    );
    assert_eq!(other.metrics().training.episode, 0);
    // The same scenario read back from its JSON, compact or not, is the same.
    let again = Scenario::from_json(&serde_json::to_string(&s).unwrap()).unwrap();
    let mut page = Page::new(again, None).unwrap();
    assert!(page.adopt_prebuilt(&built.fingerprint, &trainer.state()).unwrap());
    assert_eq!(page.session.trainer.state(), trainer.state());
    // Every field counts: a change of one is another fingerprint.
    let mut seen = std::collections::BTreeSet::new();
    for k in autoscale_playground::scenario::knobs() {
        if let Some(v) = k.number(&s) {
            let changed =
                s.with_overrides(&[format!("{}={}", k.path, if v == 0.0 { 1.0 } else { v * 0.5 })]);
            if let Ok(c) = changed {
                assert!(seen.insert(c.fingerprint()), "{} did not change the fingerprint", k.path);
            }
        }
    }
    assert!(seen.len() > 40 && !seen.contains(&s.fingerprint()));
}

#[test]
fn live_learning_survives_a_restart() {
    let mut p = trained(1);
    p.set_learn_live(true);
    p.reset();
    assert_eq!(p.session.agent().unwrap().mode, autoscale_playground::agent::Mode::Learning);
    p.set_learn_live(false);
    assert_eq!(p.session.agent().unwrap().mode, autoscale_playground::agent::Mode::Greedy);
}

#[test]
fn a_loaded_table_restarts_the_run_and_a_wrong_one_changes_nothing() {
    let mut p = trained(1);
    p.step(40);
    let table = p.session.trainer.agent.table.to_json();
    p.load_table(&table).unwrap();
    assert_eq!(p.step_index(), 0);
    p.step(40);
    let err = p.load_table("{").unwrap_err().to_string();
    assert!(
        err.starts_with("this is not a Q-table this page can use: not a Q-table export"),
        "{err}"
    );
    assert_eq!(p.step_index(), 40);
}

#[test]
fn a_trace_file_becomes_a_replay_scenario_or_an_error_naming_every_bad_line() {
    let base = scenario("diurnal", 1);
    let csv = "minute,requests\n0,600\n1,900\n2,1200\n";
    let s = replay::scenario_for(&base, "mine.csv", csv).unwrap();
    assert_eq!(s.workload.replay.source, "mine.csv");
    assert_eq!(s.steps, 720);
    let data = replay::data_for(&s, Some(csv)).unwrap();
    let mut p = Page::new(s.clone(), data.as_ref()).unwrap();
    p.train(1).unwrap();
    assert_eq!(p.step(5), 5);
    // Step 4 is the trace's second minute again (it repeats): 900 requests a
    // minute, over 4 req/s a replica (8 slots, 2 s each).
    assert_eq!(p.metrics().demand_replicas, Some(900.0 / 60.0 / 4.0));
    let err = replay::data_for(&s, None).unwrap_err().to_string();
    assert!(err.starts_with("the trace 'mine.csv' is not loaded here"), "{err}");
    let err = replay::scenario_for(&base, "bad.csv", "minute,requests\n0,5\n1,many\n1,3\n")
        .unwrap_err()
        .to_string();
    assert_eq!(err, "replay file 'bad.csv' line 3: count 'many' is not a number\nline 4: interval is not increasing");
    let err = replay::scenario_for(&base, "empty.csv", "").unwrap_err().to_string();
    assert_eq!(err, "replay file 'empty.csv': the file is empty");
    let long = format!("{}.csv", "é".repeat(200));
    assert_eq!(
        replay::scenario_for(&base, &long, csv).unwrap().workload.replay.source,
        "é".repeat(128)
    );
}

#[test]
fn field_errors_name_their_fields_for_the_page_to_mark() {
    let err = Scenario::default()
        .with_overrides(&["agent.alpha=7", "scaling.max_replicas=0"])
        .unwrap_err();
    // One bad value, one message: the others are not compared with it.
    assert_eq!(err.fields(), ["scaling.max_replicas", "agent.alpha"]);
    let err = Scenario::from_json("{not json").unwrap_err();
    assert!(err.fields().is_empty() && err.to_string().starts_with("scenario JSON"), "{err}");
}

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
    assert!(with_blind(580.0, 5.0).ends_with("the forecast buys nothing on this run."));
    assert!(with_blind(580.0, 4.0).ends_with("the forecast buys nothing on this run."));
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

#[test]
fn the_ablation_world_joins_trains_and_leaves() {
    let mut p = trained(2);
    p.step(30);
    p.set_ablation(true);
    assert_eq!(p.step_index(), 0, "the run restarts with the new world");
    let m = p.metrics();
    assert_eq!(m.worlds.iter().map(|w| w.kind).collect::<Vec<_>>(), WorldKind::ALL);
    assert!(!p.trained() && !m.training.done);
    assert_eq!(
        (
            m.training.ablation.as_ref().unwrap().episode,
            m.training.ablation.as_ref().unwrap().episodes
        ),
        (0, 2)
    );
    p.start_training(true);
    while p.advance(10, unlimited).unwrap().work == FrameWork::Training {}
    assert!(p.trained() && p.playing(), "trained, it plays");
    assert_eq!(p.session.blind.as_ref().unwrap().episode, 2);
    assert_eq!(p.session.trainer.episode, 2, "the Elastic world's agent was not trained further");
    p.step(100);
    assert!(
        p.metrics().verdict.contains("Without the forecast in its state (No forecast) it costs"),
        "{}",
        p.metrics().verdict
    );
    // Train adds episodes to both.
    p.plan_training(1);
    assert_eq!(p.metrics().training.ablation.unwrap().episodes, 3);
    p.set_ablation(false);
    assert_eq!(p.metrics().worlds.iter().map(|w| w.kind).collect::<Vec<_>>(), WorldKind::STANDARD);
    assert!(p.metrics().training.ablation.is_none());
}

#[test]
fn a_workers_training_of_the_ablation_is_adopted_as_local_training() {
    let s = scenario("diurnal", 2);
    let mut local = Page::new(s.clone(), None).unwrap();
    local.set_ablation(true);
    while local.train(1).unwrap() > 0 {}
    // The worker trains both, from the page's states.
    let mut main = Trainer::new(&s, None);
    let mut blind = main.blind_twin();
    let mut adopted = Page::new(s.clone(), None).unwrap();
    adopted.set_ablation(true);
    main.run(2).unwrap();
    blind.run(1).unwrap();
    assert!(!adopted.adopt_ablation(&blind.state()).unwrap());
    assert!(
        !adopted.adopt_training(&main.state()).unwrap(),
        "the ablation's training is not done yet"
    );
    blind.run(1).unwrap();
    assert!(adopted.adopt_ablation(&blind.state()).unwrap(), "both done: the run restarts");
    local.step(300);
    adopted.step(300);
    let json = |p: &Page| serde_json::to_string(&p.metrics()).unwrap();
    assert_eq!(json(&local), json(&adopted));
    let mut none = Page::new(s, None).unwrap();
    assert_eq!(
        none.adopt_ablation(&blind.state()).unwrap_err().to_string(),
        "there is no Elastic, no forecast world to train"
    );
}

/// A calm agent's scale-up decision at step 40, having read `demand` now,
/// `previous` before, `ahead` the forecast's highest step over the boot delay,
/// with a headroom bin (3: at the need).
fn scale_up(
    demand: f64,
    previous: f64,
    ahead: Option<f64>,
    trend: Direction,
    bin: usize,
) -> Decision {
    let state = State { bin, row: 3, trend, forecast: Direction::Steady };
    let reading = Reading {
        state,
        demand,
        previous_demand: Some(previous),
        forecast: ahead,
        utilisation: 0.7,
        need: Some(9),
        sized: Some(9),
        ahead,
    };
    Decision {
        step: 40,
        reading,
        state_index: 0,
        action: Action::Up,
        explored: false,
        q: [0.0; 3],
        visits: [1; 3],
    }
}

#[test]
fn forensics_say_whether_a_scale_up_was_pre_emptive_or_a_reaction() {
    let space = autoscale_playground::agent::QAgent::new(&preset("diurnal").unwrap()).table.space;
    let timing = |d: &Decision| forensics::timing(&space, d);
    assert_eq!(
        timing(&scale_up(27.9, 27.8, Some(31.2), Direction::Steady, 3)).as_deref(),
        Some("Pre-emptive: the forecast rose 12 % over the boot delay (to 31.2 req/s at most, 27.9 now).")
    );
    assert_eq!(
        timing(&scale_up(27.9, 24.1, Some(28.3), Direction::Rising, 3)).as_deref(),
        Some("A reaction: the demand had already risen (to 27.9 req/s from 24.1 the step before); the forecast over the boot delay rose no further (at most 28.3).")
    );
    assert_eq!(
        timing(&scale_up(27.9, 27.9, None, Direction::Steady, 1)).as_deref(),
        Some("A reaction: the fleet was already short of the need (9 replicas for the demand now and the requests waiting).")
    );
    assert_eq!(
        timing(&scale_up(27.9, 27.9, Some(28.0), Direction::Steady, 3)),
        None,
        "the need held from the scale-in window: neither"
    );
    let mut hold = scale_up(27.9, 27.8, Some(31.2), Direction::Steady, 3);
    hold.action = Action::Hold;
    assert_eq!(timing(&hold), None, "only scale-ups");
    let mut seed = scale_up(27.9, 27.8, Some(31.2), Direction::Steady, 3);
    seed.reading.need = None;
    assert_eq!(timing(&seed), None, "the seed design reads no need");
}

#[test]
fn explaining_a_scale_up_says_whether_it_was_pre_emptive() {
    let mut p = trained(3);
    let mut found = None;
    while found.is_none() && p.step(1) == 1 {
        let agent = p.session.agent().unwrap();
        if let Some(d) = agent.last.as_ref().filter(|d| d.action == Action::Up) {
            found = forensics::timing(&agent.table.space, d).map(|t| (d.step, t));
        }
    }
    let (step, sentence) = found.expect("a scale-up with a reason within 12 hours");
    let text = p.explain(step).unwrap();
    assert!(
        text.starts_with(&format!("Step {step}:")) && text.contains(&format!("\n{sentence}\n")),
        "{text}"
    );
    assert!(
        sentence.starts_with("Pre-emptive: the forecast rose")
            || sentence.starts_with("A reaction:"),
        "{sentence}"
    );
}

#[test]
fn world_kinds_have_one_label_short_name_and_key_each() {
    let labels: Vec<&str> = WorldKind::ALL.iter().map(|k| k.label()).collect();
    assert_eq!(
        labels,
        ["Static", "Rule", "Elastic (RL)", "Oracle", "Predictive", "Elastic, no forecast"]
    );
    let shorts: Vec<&str> = WorldKind::ALL.iter().map(|k| k.short()).collect();
    assert_eq!(shorts, ["Static", "Rule", "Elastic", "Oracle", "Predictive", "No forecast"]);
    for k in WorldKind::ALL {
        assert_eq!(serde_json::to_value(k).unwrap(), k.key());
    }
}

/// Everything a page shows of its run, for comparing two pages exactly: the
/// metrics, the charts' history (f64s printed so that they read back to the
/// same bits) and the forensics panel.
fn board(p: &Page) -> (String, String, String) {
    (serde_json::to_string(&p.metrics()).unwrap(), format!("{:?}", p.history), p.forensics_text())
}

#[test]
fn seeking_to_a_step_gives_the_same_figures_as_playing_to_it() {
    for live in [false, true] {
        let page = || {
            let mut p = trained(2);
            p.set_learn_live(live);
            settle(&mut p);
            p
        };
        let played_to = |k: u32| {
            let mut p = page();
            assert_eq!(p.step(k), k);
            board(&p)
        };
        let mut p = page();
        // Forward from step 0, back, forward again past where it was.
        for k in [400usize, 150, 610, 610, 0, 720] {
            p.seek(k);
            arrive(&mut p);
            assert!(!p.playing() && !p.seeking());
            assert_eq!(p.step_index(), k);
            assert_eq!(board(&p), played_to(k as u32), "seek to {k}, learning live {live}");
        }
        // Beyond the run: its end.
        p.seek(99_999);
        arrive(&mut p);
        assert_eq!(p.step_index(), 720);
        // The forensics of a decision are the same however its step was reached.
        p.seek(300);
        arrive(&mut p);
        let mut q = page();
        q.step(300);
        assert_eq!(p.explain(200).unwrap(), q.explain(200).unwrap());
    }
}

#[test]
fn opening_a_moment_seeks_just_after_its_decision_and_pins_its_forensics() {
    let s = preset("diurnal")
        .unwrap()
        .with_overrides(&["steps=1440".to_string(), "agent.episodes=3".to_string()])
        .unwrap();
    let mut p = Page::new(s, None).unwrap();
    p.set_autoplay(false);
    p.start_training(true);
    p.advance(1, unlimited).unwrap();
    settle(&mut p);
    let moments = p.moments().to_vec();
    assert!(moments.len() >= 2, "{moments:?}");
    // The last, then the first: forward, then back.
    for i in [moments.len() - 1, 0] {
        let m = &moments[i];
        assert_eq!(p.open_moment(i).unwrap(), m.text);
        assert!(p.seeking());
        arrive(&mut p);
        assert_eq!(p.step_index(), m.step + 1);
        let pinned = p.forensics_text();
        // The moment, then (for a timed scale-up) how it was timed, then the decision's forensics.
        let heading = autoscale_playground::view::moment_heading(m);
        assert!(heading.starts_with(&format!("Moment: {}", m.text)), "{heading}");
        let timed = matches!(m.kind, MomentKind::PreEmptive | MomentKind::LateReaction);
        assert_eq!(heading.lines().count(), if timed { 2 } else { 1 }, "{heading}");
        assert_eq!(pinned, format!("{heading}\n{}", p.explain(m.step).unwrap()));
        assert!(
            pinned
                .lines()
                .nth(heading.lines().count())
                .unwrap()
                .starts_with(&format!("Step {}:", m.step)),
            "{pinned}"
        );
        assert!(!p.playing());
    }
    // Opened where the run already is: pinned at once.
    assert_eq!(p.open_moment(0).unwrap(), moments[0].text);
    assert!(
        !p.seeking() && p.forensics_text().starts_with(&format!("Moment: {}", moments[0].text))
    );
    // A seek elsewhere forgets the forensics asked for.
    p.open_moment(moments.len() - 1).unwrap();
    p.seek(10);
    arrive(&mut p);
    assert!(p.forensics_text().starts_with("Step 9:"), "{}", p.forensics_text());
    let n = moments.len();
    assert_eq!(
        p.open_moment(n).unwrap_err().to_string(),
        format!("moment {n}: there are {n} moments (0 to {})", n - 1)
    );
}

#[test]
fn a_retrained_agent_takes_over_at_the_old_step_as_if_it_had_played_from_the_start() {
    // The board plays the old agent to step 250; a new one (another reward) is
    // trained on a new page, which takes over there and plays on.
    let mut old = trained(1);
    settle(&mut old);
    old.step(250);
    let s =
        scenario("diurnal", 2).with_overrides(&["reward.sla_violated=-40".to_string()]).unwrap();
    let mut new = Page::new(s.clone(), None).unwrap();
    new.start_training(true);
    while new.advance(10, unlimited).unwrap().work == FrameWork::Training {}
    new.set_start_step(old.step_index());
    new.set_autoplay(true);
    arrive(&mut new);
    assert_eq!(new.step_index(), 250);
    assert!(new.playing(), "it plays on as the old board did");
    // A fresh run of the new agent played to 250.
    let mut fresh = Page::new(s, None).unwrap();
    while fresh.train(1).unwrap() > 0 {}
    settle(&mut fresh);
    fresh.step(250);
    fresh.set_playing(true);
    assert_eq!(board(&new), board(&fresh));
    // Paused when the old board was: the same step, not playing.
    let mut paused = Page::new(scenario("diurnal", 1), None).unwrap();
    paused.set_start_step(250);
    paused.set_autoplay(false);
    paused.start_training(true);
    paused.advance(10, unlimited).unwrap();
    arrive(&mut paused);
    assert_eq!((paused.step_index(), paused.playing()), (250, false));
}

#[test]
fn the_last_step_of_a_run_of_whole_days_reads_as_the_end_of_its_last_day() {
    let mut p = Page::new(preset("diurnal").unwrap(), None).unwrap();
    assert_eq!(p.clock(), "step 0 of 4320 · day 1, 00:00");
    p.step(1440);
    assert_eq!(p.clock(), "step 1440 of 4320 · day 2, 00:00");
    p.step(2879);
    assert_eq!(p.clock(), "step 4319 of 4320 · day 3, 23:59");
    p.step(1);
    assert_eq!(p.clock(), "step 4320 of 4320 · day 3, 24:00");
    assert_eq!(p.metrics().clock, p.clock());
    // A run that ends within a day reads its time.
    let mut q = Page::new(scenario("diurnal", 1), None).unwrap();
    q.step(10_000);
    assert_eq!(q.clock(), "step 720 of 720 · day 1, 12:00");
}

#[test]
fn a_never_visited_heatmap_state_explains_the_nearest_one_visited() {
    let mut p = trained(2);
    p.step(300);
    p.slice = Slice::default();
    let agent = p.session.agent().unwrap().clone();
    let space = &agent.table.space;
    let now = agent.last.clone().unwrap().reading.state;
    let visited =
        |bin: usize, row: u32| p.history.last_step_in(space.index(&State { bin, row, ..now }));
    let cells: Vec<(usize, u32)> =
        (0..space.bins()).flat_map(|b| (1..=space.rows()).map(move |r| (b, r))).collect();
    // An unvisited cell, and by the rule (fewest cells away, then the lowest
    // bin and row) the visited cell that stands in for it.
    let &(bin, row) = cells
        .iter()
        .find(|&&(b, r)| visited(b, r).is_none())
        .expect("some state is not visited in 300 steps");
    let away = |&(b, r): &(usize, u32)| b.abs_diff(bin) + r.abs_diff(row) as usize;
    let near = cells
        .iter()
        .filter(|&&(b, r)| visited(b, r).is_some())
        .min_by_key(|c| (away(c), c.0, c.1))
        .unwrap();
    let step = visited(near.0, near.1).unwrap();
    let text = p.explain_cell(Cell { bin, row }).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let d = away(near);
    assert!(
        lines[0].starts_with(&format!("Not visited in this run; the nearest state the Elastic world was in, {d} cell{} away, is explained instead: ", if d == 1 { "" } else { "s" })),
        "{text}"
    );
    assert!(lines[1].starts_with("Clicked: "), "{text}");
    assert!(lines[2].starts_with(&format!("Step {step}:")), "{text}");
    assert_eq!(p.forensics_text(), text, "pinned");
}
