//! The two agent designs: the seed agent is docs/model.md's, the calm one reads its
//! headroom against the forecast's need, and the ablation differs from it only
//! in leaving the forecast out of its state.

use autoscale_playground::agent::{Action, Mode, QAgent};
use autoscale_playground::forecast::Direction;
use autoscale_playground::policy::{DecisionMaker, Observation, Sizer};
use autoscale_playground::presets;
use autoscale_playground::scenario::{Design, Family, ForecastMethod, Scenario};
use autoscale_playground::train::Trainer;
use autoscale_playground::{StepReport, World, WorldConfig};

#[test]
fn the_seed_agent_is_model_md_s_agent_with_its_defaults() {
    let s = Scenario::default();
    assert_eq!(s.agent.design, Design::Seed);
    let a = QAgent::new(&s);
    let space = &a.table.space;
    assert_eq!(space.design, Design::Seed);
    assert_eq!(space.utilisation_bins, [0.3, 0.5, 0.8, 1.0]);
    assert_eq!((space.bins(), space.rows(), space.len()), (5, 20, 5 * 20 * 9));
    assert_eq!((space.trend_threshold, space.forecast_threshold), (0.02, 0.05));
    assert_eq!((a.alpha, a.gamma, a.epsilon), (0.1, 0.95, 1.0));
    assert_eq!((s.agent.epsilon_end, s.agent.epsilon_decay), (0.05, 0.98));
    assert_eq!(a.step_size(), 1);
    assert_eq!(a.horizon(), 2, "the boot delay in steps");
    assert!(a.sizer().is_none(), "it sizes nothing");
    let r = &s.reward;
    assert_eq!(
        (
            r.sla_held,
            r.sla_violated,
            r.per_replica,
            r.per_change,
            r.low_utilisation,
            r.low_utilisation_below
        ),
        (1.0, -5.0, -0.1, -0.2, -0.5, 0.3)
    );
    // Its state: utilisation of the ready capacity, provisioned replicas, the
    // trend over a step and the forecast mean against the demand now.
    let reading = space.read(20.0, Some(19.0), Some(22.0), 10.0 * 8.0 * 0.5, 11, None);
    assert_eq!(
        (reading.state.bin, reading.state.row, reading.state.trend, reading.state.forecast),
        (2, 11, Direction::Rising, Direction::Rising)
    );
    // A scale-up adds its step, whatever the demand.
    let mut world = World::new(WorldConfig::from_scenario(&s), 4);
    let mut a = QAgent::new(&s);
    a.mode = Mode::Greedy;
    a.table.q.iter_mut().for_each(|q| *q = [0.0, 0.0, 1.0]);
    let history = [200.0];
    let report = world.step(
        4,
        &autoscale_playground::Trace {
            rates: vec![200.0],
            ..autoscale_playground::Trace::build(&Scenario { steps: 1, ..s.clone() }, None).unwrap()
        },
    );
    let obs = Observation::of(&world, &history, Some(&report), 60.0);
    assert_eq!(a.decide(&obs), 5, "one step up from 4, not the 20 that 200 req/s needs");
    // Selecting it on a preset gives it back with the preset's workload only.
    let mut p = presets::preset("diurnal").unwrap();
    presets::seed_agent(&mut p);
    assert_eq!(Scenario { workload: s.workload.clone(), ..p.clone() }, s);
}

#[test]
fn the_calm_agent_reads_its_headroom_against_the_forecast_need_and_scales_up_to_it() {
    let s = presets::preset("diurnal").unwrap();
    let a = QAgent::new(&s);
    assert_eq!(a.table.space.design, Design::Calm);
    assert_eq!((a.table.space.bins(), a.table.space.rows()), (7, 9));
    let sizer = Sizer::new(&WorldConfig::from_scenario(&s), s.dt_s);
    let mut a = a;
    a.mode = Mode::Greedy;
    a.table.q.iter_mut().for_each(|q| *q = [0.0, 0.0, 1.0]);
    let mut world = World::new(WorldConfig::from_scenario(&s), 4);
    let history = vec![10.0; 30].into_iter().chain([40.0]).collect::<Vec<f64>>();
    let obs = Observation::of(&world, &history, None, 60.0);
    let target = a.decide(&obs);
    let d = a.last.clone().unwrap();
    let need = d.reading.need.unwrap();
    assert!(need >= sizer.need(40.0), "the need covers the demand now: {need}");
    assert_eq!(d.reading.state.bin, 0, "4 replicas against a need of {need}: 3 or more short");
    assert_eq!((d.action, target), (Action::Up, need), "a scale-up reaches the need at once");
    // A scale-down never releases what the need holds.
    a.table.q.iter_mut().for_each(|q| *q = [1.0, 0.0, 0.0]);
    world.fleet.ready = need;
    let obs = Observation::of(&world, &history, None, 60.0);
    assert_eq!(a.decide(&obs), need, "at the need, down holds");
}

/// On a flat demand with a persistence forecast, the forecast says nothing the
/// demand does not: the ablation then reads the same states, takes the same
/// actions and learns the same table as the agent. It differs in its state only.
#[test]
fn the_ablation_differs_from_the_agent_only_in_its_state() {
    let mut s = presets::preset("diurnal").unwrap();
    s.workload.family = Family::Constant;
    s.workload.base_rps = 30.0;
    s.workload.noise = 0.0;
    s.forecast.method = ForecastMethod::Naive;
    s.steps = 720;
    s.agent.episodes = 3;
    let mut with = Trainer::new(&s, None);
    let mut blind = with.blind_twin();
    assert!(blind.is_blind() && !with.is_blind());
    with.run(3).unwrap();
    blind.run(3).unwrap();
    assert_eq!(with.curve, blind.curve);
    assert_eq!(with.agent.table, blind.agent.table);
    assert_eq!(blind.trained_agent().kind(), autoscale_playground::WorldKind::NoForecast);
    // Where the forecast does say something, their states differ in it.
    let mut s = presets::preset("diurnal").unwrap();
    s.steps = 720;
    let (mut a, mut b) = (QAgent::new(&s), QAgent::new(&s).blind());
    let world = World::new(WorldConfig::from_scenario(&s), 8);
    let history: Vec<f64> = (0..200).map(|t| 10.0 + 0.2 * t as f64).collect();
    let obs = Observation::of(&world, &history, None, 60.0);
    let (ra, rb) = (a.read(&obs).unwrap(), b.read(&obs).unwrap());
    assert_eq!(
        (ra.demand, ra.utilisation, ra.state.row, ra.state.trend),
        (rb.demand, rb.utilisation, rb.state.row, rb.state.trend)
    );
    assert!(ra.ahead.is_some() && rb.ahead.is_none() && rb.state.forecast == Direction::Steady);
}

/// The calm agent learns with eligibility traces: a violation two steps on
/// also lowers the value of the decision before the one it follows; the seed
/// design's one-step update leaves that decision as it was.
#[test]
fn the_calm_agent_credits_a_violation_to_the_decisions_a_few_steps_before() {
    let run = |s: &Scenario| {
        let mut a = QAgent::new(s);
        a.epsilon = 0.0;
        let mut world = World::new(WorldConfig::from_scenario(s), 10);
        let flat = s.clone().with_overrides(&["steps=1", "workload.family=constant"]).unwrap();
        let step = world.step(10, &autoscale_playground::Trace::build(&flat, None).unwrap());
        let held = StepReport { violation: 0.0, sla_held: true, ..step };
        let broke = StepReport { violation: 1.0, sla_held: false, ..step };
        // Demand 10, 20 and 30 req/s on 10 ready replicas: three states apart.
        let history = |last: f64| [10.0; 20].into_iter().chain([last]).collect::<Vec<f64>>();
        let world = World::new(WorldConfig::from_scenario(s), 10);
        let (h1, h2, h3) = (history(10.0), history(20.0), history(30.0));
        a.decide(&Observation::of(&world, &h1, None, 60.0));
        let first = a.last.clone().unwrap();
        a.decide(&Observation::of(&world, &h2, Some(&held), 60.0));
        let second = a.last.clone().unwrap();
        assert_ne!(first.state_index, second.state_index);
        let before = a.table.q[first.state_index][first.action.index()];
        a.decide(&Observation::of(&world, &h3, Some(&broke), 60.0));
        (before, a.table.q[first.state_index][first.action.index()])
    };
    let (before, after) = run(&presets::preset("diurnal").unwrap());
    assert!(after < before - 1.0, "the violation reached back: {before} -> {after}");
    let (before, after) = run(&Scenario::default());
    assert_eq!(after, before, "the seed design updates the last decision only");
}

#[test]
fn the_heatmap_axes_and_rows_are_labelled_by_the_design() {
    use autoscale_playground::agent::StateSpace;
    // The calm and residual designs' rows are the utilisation bins, lowest
    // first; the seed design's are the provisioned replicas.
    let mut s = Scenario::default();
    for design in [Design::Calm, Design::Residual] {
        s.agent.design = design;
        s.agent.utilisation_bins = vec![0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 1.0];
        let space = StateSpace::from_scenario(&s);
        let labels: Vec<String> = (1..=space.rows()).map(|r| space.row_label(r)).collect();
        assert_eq!(
            labels,
            ["<30", "30-50", "50-60", "60-70", "70-80", "80-85", "85-90", "90-100", ">100"],
            "{design:?}"
        );
        assert_eq!(space.row_axis(), "utilisation bin");
    }
    // The columns: the headroom over the need, the residual's measured from the Rule.
    s.agent.design = Design::Calm;
    assert_eq!(StateSpace::from_scenario(&s).axis(), "headroom (replicas over need)");
    s.agent.design = Design::Residual;
    assert_eq!(
        StateSpace::from_scenario(&s).axis(),
        "the Rule's headroom (its replicas over need)"
    );
    s.agent.design = Design::Seed;
    let space = StateSpace::from_scenario(&s);
    assert_eq!((space.row_label(1), space.row_label(7)), ("1".to_string(), "7".to_string()));
    assert_eq!((space.axis(), space.row_axis()), ("utilisation (%)", "provisioned replicas"));
}
