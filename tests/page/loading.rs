//! What the page takes in: training chunked here or adopted from a worker or the
//! build (the ablation's too), live learning, a loaded Q-table, a trace file made
//! a replay, and errors that name their fields. Apart from the frames: each test
//! is one way in and what it must refuse.

use crate::util::{scenario, trained, unlimited};
use autoscale_playground::policy::Oracle;
use autoscale_playground::scenario::Scenario;
use autoscale_playground::train::{Prebuilt, Trainer};
use autoscale_playground::view::{FrameWork, Page};
use autoscale_playground::workload::replay;
use autoscale_playground::{Error, WorldKind};

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

/// A learned forecaster's pre-training (seconds on a real trace in the page)
/// ships with the build's training: the page that adopts it has nothing left to
/// pre-train and plays, figure for figure, the run of one that pre-trained here.
#[test]
fn a_prebuilt_training_carries_its_pre_trained_forecaster() {
    let mut last = None;
    for method in ["tcn", "lstm"] {
        let mut s =
            scenario("bursty", 2).with_overrides(&[format!("forecast.method={method}")]).unwrap();
        s.steps = 240;
        let mut trainer = Trainer::new(&s, None);
        trainer.run(2).unwrap();
        let built = Prebuilt::of(&s, trainer.state()).with_forecaster(&trainer);
        let shipped =
            built.forecaster.clone().expect("a learned forecaster ships its pre-training");
        assert!(
            shipped.batches > 0 && shipped.state.len() > 100,
            "{method}: {} numbers",
            shipped.state.len()
        );
        // Through the JSON the build writes and the page reads.
        let back: Prebuilt = serde_json::from_str(&serde_json::to_string(&built).unwrap()).unwrap();
        assert_eq!(back, built);
        let f = back.forecaster.as_ref().map(|f| (f.state.as_slice(), f.batches));

        let mut adopted = Page::new(s.clone(), None).unwrap();
        assert!(adopted.adopt_prebuilt(&built.fingerprint, &trainer.state(), f).unwrap());
        assert!(adopted.session.trainer.fit_done(), "{method}: nothing left to pre-train");
        assert_eq!(adopted.metrics().fit.done, shipped.batches);
        let mut here = Page::new(s.clone(), None).unwrap();
        assert!(here.adopt_prebuilt(&built.fingerprint, &trainer.state(), None).unwrap());
        assert!(!here.session.trainer.fit_done(), "{method}: without it, the page pre-trains");
        while !here.fit(64).unwrap() {}
        adopted.step(240);
        here.step(240);
        let json = |p: &Page| serde_json::to_string(&p.metrics()).unwrap();
        assert_eq!(json(&adopted), json(&here), "{method}");

        // A state of another shape is refused and changes nothing.
        let mut other = Page::new(s.clone(), None).unwrap();
        let short = &shipped.state[..shipped.state.len() - 1];
        let err = other
            .adopt_prebuilt(&built.fingerprint, &trainer.state(), Some((short, shipped.batches)))
            .unwrap_err();
        assert!(err.to_string().contains("does not fit this scenario's"), "{err}");
        assert!(!other.session.trainer.fit_done());
        let mut nan = shipped.state.clone();
        nan[0] = f64::NAN;
        assert!(other
            .adopt_prebuilt(&built.fingerprint, &trainer.state(), Some((&nan, shipped.batches)))
            .is_err());
        assert!(!other.session.trainer.fit_done());
        // Once pre-trained, a trainer takes no other state.
        let mut again = Trainer::new(&s, None);
        again.adopt_fitted_forecaster(&shipped.state, shipped.batches).unwrap();
        let err = again.adopt_fitted_forecaster(&shipped.state, shipped.batches).unwrap_err();
        assert!(err.to_string().contains("no pre-training left"), "{err}");
        last = Some(shipped);
    }
    // A forecaster without pre-training ships nothing, and takes nothing.
    let s = scenario("bursty", 1);
    let mut trainer = Trainer::new(&s, None);
    trainer.run(1).unwrap();
    assert_eq!(Prebuilt::of(&s, trainer.state()).with_forecaster(&trainer).forecaster, None);
    let shipped = last.expect("the LSTM's state");
    let err = Trainer::new(&s, None)
        .adopt_fitted_forecaster(&shipped.state, shipped.batches)
        .unwrap_err();
    assert!(err.to_string().contains("no pre-training left"), "{err}");
}

#[test]
fn a_prebuilt_training_is_adopted_only_for_exactly_its_scenario() {
    let s = scenario("bursty", 2);
    let mut trainer = Trainer::new(&s, None);
    trainer.run(2).unwrap();
    let built = Prebuilt::of(&s, trainer.state());
    let mut other = Page::new(s.with_overrides(&["seed=8"]).unwrap(), None).unwrap();
    assert!(
        !other.adopt_prebuilt(&built.fingerprint, &trainer.state(), None).unwrap(),
        "another seed is another scenario"
    );
    assert_eq!(other.metrics().training.episode, 0);
    // The same scenario read back from its JSON, compact or not, is the same.
    let again = Scenario::from_json(&serde_json::to_string(&s).unwrap()).unwrap();
    let mut page = Page::new(again, None).unwrap();
    assert!(page.adopt_prebuilt(&built.fingerprint, &trainer.state(), None).unwrap());
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
    // Cut inside a character, the name ends before it.
    let long = format!("a{}.csv", "é".repeat(200));
    assert_eq!(
        replay::scenario_for(&base, &long, csv).unwrap().workload.replay.source,
        format!("a{}", "é".repeat(127))
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

/// A page draws its first frame before the Oracle has planned the whole run
/// (about 150 ms of the browser's start on the default preset): the plan is
/// made at the first step, once for every restart, and is the plan an Oracle
/// built at once makes.
#[test]
fn the_oracle_plans_at_the_first_step_once_and_as_it_would_at_once() {
    for name in ["diurnal", "azure-conv"] {
        let s = scenario(name, 1);
        let csv =
            (s.workload.family == autoscale_playground::scenario::Family::Replay).then(|| {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join(&s.workload.replay.source);
                std::fs::read_to_string(path).unwrap()
            });
        let data = replay::data_for(&s, csv.as_deref()).unwrap();
        let mut page = Page::new(s, data.as_ref()).unwrap();
        let session = &page.session;
        assert!(!session.oracle().is_planned(), "{name}: planned before any step");
        let eager = Oracle::from_scenario(session.run_scenario(), &session.trace);
        let world_of = |p: &Page| {
            p.session.judge.lanes.iter().position(|l| l.maker.kind() == WorldKind::Oracle).unwrap()
        };
        let oracle = world_of(&page);
        assert_eq!(page.step(3), 3);
        assert!(page.session.oracle().is_planned(), "{name}: not planned after 3 steps");
        assert_eq!(page.session.oracle().plan(), eager.plan(), "{name}");
        let played: Vec<u32> =
            page.session.judge.lanes[oracle].reports.iter().map(|r| r.provisioned).collect();
        assert_eq!(played, eager.plan()[..3], "{name}: the Oracle world played its plan");
        // A restart's Oracle reads the same plan, made once.
        let before = page.session.oracle().plan().as_ptr();
        page.session.restart();
        assert_eq!(page.session.oracle().plan().as_ptr(), before, "{name}: planned again");
    }
}

/// A new agent taking over keeps the previous agent's whole run (its lookahead)
/// as "before": its Elastic line at every step, and its figures over the steps
/// played so far, the previous run's own at that step; nothing from a run of
/// another length; cleared by a reset.
#[test]
fn a_new_agent_keeps_the_previous_agents_run_as_before() {
    let mut old = crate::util::trained(3);
    crate::util::settle(&mut old);
    let heavier =
        scenario("diurnal", 3).with_overrides(&["reward.sla_violated=-40".to_string()]).unwrap();
    let mut new = Page::new(heavier.clone(), None).unwrap();
    while new.train(1).unwrap() > 0 {}
    assert!(
        new.before().is_none() && new.before_line().next().is_none(),
        "nothing before a takeover"
    );
    new.keep_before(&old);
    let line: Vec<u32> = new.before_line().collect();
    assert_eq!(line.len(), 720);
    let elastic =
        |p: &Page| p.metrics().worlds.into_iter().find(|w| w.kind == WorldKind::Elastic).unwrap();
    let at_start = new.before().unwrap();
    assert_eq!(
        (at_start.cost, at_start.capacity_changes, at_start.name.as_str()),
        (0.0, 0, "Elastic (before)")
    );
    for step in [0u32, 1, 299, 420] {
        let played = new.step_index() as u32;
        assert_eq!(old.step(step - played), step - played);
        assert_eq!(new.step(step - played), step - played);
        let (was, kept) = (elastic(&old), new.before().unwrap());
        assert_eq!(kept.cost, was.cost, "cost at step {step}");
        assert_eq!(kept.replica_hours, was.replica_hours, "replica-hours at step {step}");
        assert_eq!(kept.saving_pct, was.saving_pct, "saving at step {step}");
        assert_eq!(
            kept.sla_violation_steps, was.sla_violation_steps,
            "violation steps at step {step}"
        );
        assert_eq!(kept.sla_violation_pct, was.sla_violation_pct, "violation share at step {step}");
        assert_eq!(kept.capacity_changes, was.capacity_changes, "changes at step {step}");
        assert_eq!(kept.dropped, was.dropped, "drops at step {step}");
        assert_eq!(kept.mean_utilisation, was.mean_utilisation, "utilisation at step {step}");
    }
    assert!(elastic(&old).capacity_changes > 0 && elastic(&old).cost > 0.0);
    // Each page's Elastic line as played so far.
    let played = |p: &Page| -> Vec<u32> {
        p.session
            .judge
            .lane(WorldKind::Elastic)
            .unwrap()
            .reports
            .iter()
            .map(|r| r.provisioned)
            .collect()
    };
    assert_eq!(line[..420], played(&old)[..], "the line is the previous run's");
    assert_ne!(line[..420], played(&new)[..], "the new agent decides otherwise");
    new.reset();
    assert!(new.before().is_none(), "a reset forgets it");
    // A run of another length keeps nothing.
    let mut shorter =
        Page::new(heavier.with_overrides(&["steps=700".to_string()]).unwrap(), None).unwrap();
    shorter.keep_before(&old);
    assert!(shorter.before().is_none() && shorter.before_line().next().is_none());
}

#[test]
fn a_workers_partial_tables_go_each_to_its_own_worlds_agent() {
    let s = scenario("diurnal", 3);
    let mut main = Trainer::new(&s, None);
    let mut blind = main.blind_twin();
    let mut p = Page::new(s, None).unwrap();
    p.set_ablation(true);
    main.run(1).unwrap();
    blind.run(2).unwrap();
    assert!(!p.adopt_training(&main.state()).unwrap());
    assert!(!p.adopt_ablation(&blind.state()).unwrap());
    let table = |k: WorldKind| p.session.judge.lane(k).unwrap().agent().unwrap().table.clone();
    assert_eq!(table(WorldKind::Elastic), main.agent.table);
    assert_eq!(table(WorldKind::NoForecast), blind.agent.table);
    assert_ne!(main.agent.table, blind.agent.table);
}

#[test]
fn the_ablation_removed_while_only_it_was_training_here_ends_the_training() {
    let mut p = trained(2);
    p.set_ablation(true);
    p.start_training(true);
    assert_eq!(p.training(), autoscale_playground::view::TrainingPlace::Here);
    p.set_ablation(false);
    assert_eq!(
        p.training(),
        autoscale_playground::view::TrainingPlace::Idle,
        "nothing left to train"
    );
    // Added while the Elastic world's agent is still training, it keeps training.
    let mut q = Page::new(scenario("diurnal", 2), None).unwrap();
    q.start_training(true);
    q.set_ablation(true);
    q.set_ablation(false);
    assert_eq!(q.training(), autoscale_playground::view::TrainingPlace::Here);
}

/// Trained by the build but pre-training its forecaster here: the run plays on
/// while the forecaster fits, and restarts with it only once it is fitted.
#[test]
fn a_forecaster_still_fitting_after_training_restarts_the_run_only_once_fitted() {
    let mut s = scenario("bursty", 2).with_overrides(&["forecast.method=tcn".to_string()]).unwrap();
    s.steps = 240;
    let mut trainer = Trainer::new(&s, None);
    trainer.run(2).unwrap();
    let built = Prebuilt::of(&s, trainer.state());
    let mut p = Page::new(s, None).unwrap();
    assert!(p.adopt_prebuilt(&built.fingerprint, &trainer.state(), None).unwrap());
    assert!(!p.session.trainer.fit_done());
    assert_eq!(p.step(50), 50);
    assert!(!p.fit(1).unwrap(), "one mini-batch: not fitted yet");
    assert_eq!(p.step_index(), 50, "the run plays on meanwhile");
    while !p.fit(1).unwrap() {
        assert_eq!(p.step_index(), 50);
    }
    assert_eq!(p.step_index(), 0, "fitted: the run restarts with it");
}
