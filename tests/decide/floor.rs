//! The safety floor: a fleet over 100 % utilisation and short of its need
//! grows while it can, whatever the agent's table prefers; and no decision of
//! the presets' agent, nor of its ablation, leaves the fleet short there, on
//! any preset nor on a held-out variant of the scheduled workload, while the
//! count finds such decisions where a world has no floor.

use autoscale_playground::agent::{floor_holds, Action, Mode, QAgent};
use autoscale_playground::forensics::absurd_decisions;
use autoscale_playground::policy::{DecisionMaker, Observation};
use autoscale_playground::presets::{self, preset, NAMES};
use autoscale_playground::scenario::{Design, Family, Scenario};
use autoscale_playground::session::Session;
use autoscale_playground::workload::replay::data_for;
use autoscale_playground::{StepReport, World, WorldConfig, WorldKind};

#[test]
fn the_floor_holds_over_full_utilisation_short_of_the_need_below_the_most_replicas() {
    assert!(floor_holds(1.01, 4, 6, 20));
    assert!(floor_holds(f64::INFINITY, 0, 1, 20), "demand and no ready replica");
    assert!(!floor_holds(1.0, 4, 6, 20), "at 100 % exactly");
    assert!(!floor_holds(0.9, 4, 6, 20), "short, but the ready replicas carry the demand");
    assert!(!floor_holds(1.5, 6, 6, 20), "at the need: booting replicas cover it");
    assert!(!floor_holds(1.5, 20, 25, 20), "at the most replicas: Up is not possible");
}

#[test]
fn over_full_utilisation_and_short_the_floor_scales_up_whatever_the_table_prefers() {
    let s = preset("diurnal").unwrap();
    let mut a = QAgent::new(&s);
    a.mode = Mode::Greedy;
    // A table that prefers scaling down everywhere.
    a.table.q.iter_mut().for_each(|q| *q = [1.0, 0.5, -1.0]);
    let mut world = World::new(WorldConfig::from_scenario(&s), 4);
    let history: Vec<f64> = [10.0; 30].into_iter().chain([40.0]).collect();
    let target = a.decide(&Observation::of(&world, &history, None, 60.0));
    let d = a.last.clone().unwrap();
    let need = d.reading.need.unwrap();
    assert!(d.reading.utilisation > 1.0 && need > 4, "{:?}", d.reading);
    assert_eq!((d.chosen, d.action, d.effect()), (Action::Down, Action::Up, Action::Up));
    assert!(d.floored());
    assert_eq!((d.before, d.target, target), (4, need, need), "Up reaches the need at once");
    // Carried by the ready replicas, the table decides: down, which the need
    // holds at the need (a hold in effect).
    world.fleet.ready = need;
    let target = a.decide(&Observation::of(&world, &history, None, 60.0));
    let d = a.last.clone().unwrap();
    assert!(d.reading.utilisation <= 1.0);
    assert_eq!(
        (d.chosen, d.action, d.effect(), target),
        (Action::Down, Action::Down, Action::Hold, need)
    );
    assert!(!d.floored());
    // Exploring, the floor overrides every random draw too.
    a.mode = Mode::Learning;
    a.epsilon = 1.0;
    world.fleet.ready = 4;
    let mut chosen = [0; 3];
    for episode in 0..60 {
        a.reset(7, episode);
        let target = a.decide(&Observation::of(&world, &history, None, 60.0));
        let d = a.last.clone().unwrap();
        chosen[d.chosen.index()] += 1;
        assert_eq!((d.action, target), (Action::Up, need));
    }
    assert!(chosen.iter().all(|&n| n > 10), "every action drawn, and overridden: {chosen:?}");
}

/// A preset's scenario, with its trace's data for a real-trace one.
fn session_of(s: Scenario) -> Session {
    let csv = (s.workload.family == Family::Replay).then(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&s.workload.replay.source);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    });
    let data = data_for(&s, csv.as_deref()).unwrap();
    Session::new(s, data.as_ref()).unwrap()
}

/// The absurd decisions of each world of a trained run, with the ablation,
/// and how often the floor decided for the agent.
fn absurd_of(s: Scenario) -> (Vec<(WorldKind, usize)>, usize) {
    let mut session = session_of(s);
    session.set_ablation(true);
    session.train_all().unwrap();
    session.restart();
    session.keep_reports(true);
    let mut floored = 0;
    while session.step(1) == 1 {
        floored += usize::from(session.agent().unwrap().last.as_ref().is_some_and(|d| d.floored()));
    }
    let judge = &session.judge;
    let counts = judge
        .lanes
        .iter()
        .map(|l| (l.kind(), absurd_decisions(&l.reports, &l.world.config, judge.sizer())))
        .collect();
    (counts, floored)
}

/// The scheduled workload as no preset has it: its events at other hours and
/// heights, over four days.
fn held_out() -> Scenario {
    preset("scheduled")
        .unwrap()
        .with_overrides(&[
            "steps=5760",
            "workload.scheduled.night_rps=6",
            "workload.scheduled.day_rps=30",
            "workload.scheduled.surge_at_h=7",
            "workload.scheduled.surge_ramp_s=120",
            "workload.scheduled.lunch_at_h=11.5",
            "workload.scheduled.lunch_dip=0.5",
            "workload.scheduled.batch_rps=10",
            "workload.scheduled.batch_at_min=10",
            "workload.scheduled.batch_s=120",
        ])
        .unwrap()
}

#[test]
fn no_decision_of_the_presets_agent_leaves_the_fleet_short_at_full_utilisation() {
    let mut floored_somewhere = 0;
    let runs = NAMES.iter().map(|n| (n.to_string(), preset(n).unwrap()));
    for (name, s) in runs.chain([("held-out scheduled".to_string(), held_out())]) {
        let (counts, floored) = absurd_of(s);
        for (kind, n) in &counts {
            if matches!(kind, WorldKind::Elastic | WorldKind::NoForecast) {
                assert_eq!(*n, 0, "{name}: {kind:?} left its fleet short {n} times");
            }
        }
        assert_eq!(counts.len(), 6, "{name}: the five worlds and the ablation");
        floored_somewhere += floored;
    }
    // The floor is no dead letter: it decided in these runs.
    assert!(floored_somewhere > 0);
}

#[test]
fn no_decision_of_the_residual_agent_leaves_the_fleet_short_at_full_utilisation() {
    // The residual design (learning on top of the Rule) keeps the floor: on
    // the synthetic presets and the held-out scheduled day, trained.
    let synthetic = ["scheduled", "diurnal", "flash-crowd", "bursty"];
    let runs = synthetic.iter().map(|n| (n.to_string(), preset(n).unwrap()));
    for (name, mut s) in runs.chain([("held-out scheduled".to_string(), held_out())]) {
        s.agent.design = Design::Residual;
        let (counts, _) = absurd_of(s);
        for (kind, n) in &counts {
            if matches!(kind, WorldKind::Elastic | WorldKind::NoForecast) {
                assert_eq!(*n, 0, "{name}: the residual {kind:?} left its fleet short {n} times");
            }
        }
    }
}

#[test]
fn the_count_finds_the_decisions_of_a_world_without_the_floor() {
    // The seed agent has no floor: untrained, it holds (its ties go to hold)
    // through a rise its fleet cannot carry.
    let mut s = preset("scheduled").unwrap().with_overrides(&["steps=720"]).unwrap();
    presets::seed_agent(&mut s);
    s.agent.episodes = 0;
    let mut session = session_of(s);
    session.keep_reports(true);
    while session.step(720) > 0 {}
    let judge = &session.judge;
    let elastic = judge.lane(WorldKind::Elastic).unwrap();
    let n = absurd_decisions(&elastic.reports, &elastic.world.config, judge.sizer());
    assert!(n > 0, "the seed agent's holds through the morning surge");
}

/// A report of `ready` ready and `provisioned` provisioned replicas at `demand`.
fn report(demand: f64, ready: u32, provisioned: u32) -> StepReport {
    let s = Scenario::default();
    let trace = autoscale_playground::Trace::build(
        &s.with_overrides(&["steps=1", "workload.family=constant"]).unwrap(),
        None,
    )
    .unwrap();
    let mut w = World::new(WorldConfig::from_scenario(&s), ready);
    let r = w.step(ready, &trace);
    StepReport { demand, ready, booting: provisioned - ready, provisioned, ..r }
}

#[test]
fn a_decision_is_absurd_only_short_over_full_utilisation_below_the_most_and_not_scaling_up() {
    let s = Scenario::default();
    let config = WorldConfig::from_scenario(&s);
    let sizer = autoscale_playground::policy::Sizer::new(&config, s.dt_s);
    // A replica serves 4 req/s; 4 ready carry 16 at 100 %.
    let count = |steps: &[StepReport]| absurd_decisions(steps, &config, &sizer);
    assert_eq!(count(&[report(20.0, 4, 4), report(20.0, 4, 4)]), 1, "held, short, over 100 %");
    assert_eq!(count(&[report(20.0, 4, 4), report(20.0, 3, 3)]), 1, "scaled down");
    assert_eq!(count(&[report(20.0, 4, 4), report(20.0, 4, 5)]), 0, "scaled up");
    assert_eq!(count(&[report(15.0, 4, 4), report(15.0, 4, 4)]), 0, "under 100 %");
    let need = sizer.need(20.0);
    assert_eq!(count(&[report(20.0, 4, need), report(20.0, 4, need)]), 0, "booting to the need");
    assert_eq!(count(&[report(200.0, 20, 20), report(200.0, 20, 20)]), 0, "at the most");
    assert_eq!(count(&[report(20.0, 4, 4)]), 0, "no decision after the last step");
}
