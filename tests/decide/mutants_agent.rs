//! The agent's learning, value by value: one Q-update is
//! `q + α(r + γ·max Q(s′) − q)`, the last of an episode has no future, the calm
//! agent's rate settles with the visits, and an agent that only follows its
//! table changes nothing; what the calm agent reads (the backlog it sizes for,
//! the need it holds through the scale-in window), and the residual design's
//! actions as the Rules either side of its target.

use autoscale_playground::agent::{
    Action, Mode, QAgent, QTable, StateSpace, RESIDUAL_SPREAD, SETTLE_VISITS,
};
use autoscale_playground::policy::{DecisionMaker, Observation, Rule, Sizer};
use autoscale_playground::presets;
use autoscale_playground::scenario::{Design, Scenario};
use autoscale_playground::world::StepReport;
use autoscale_playground::{Trace, World, WorldConfig};

/// An agent's run, step by step: the world it scales and the demand it meets.
struct Run {
    s: Scenario,
    trace: Trace,
    world: World,
    reports: Vec<StepReport>,
}

impl Run {
    fn new(s: &Scenario) -> Run {
        let trace = Trace::build(&Scenario { steps: 10, ..s.clone() }, None).expect("a trace");
        let world = World::new(WorldConfig::from_scenario(s), s.scaling.initial_replicas);
        Run { s: s.clone(), trace, world, reports: Vec::new() }
    }

    /// The agent decides the next step, which is played.
    fn step(&mut self, a: &mut QAgent) {
        let t = self.reports.len();
        let obs =
            Observation::of(&self.world, &self.trace.rates[..t], self.reports.last(), self.s.dt_s);
        let target = a.decide(&obs);
        let report = self.world.step(target, &self.trace);
        self.reports.push(report);
    }
}

/// An agent with every value of every state at `q` (so Hold, the middle, is
/// greedy when it is the highest), learning without exploring.
fn learning(s: &Scenario, q: [f64; 3]) -> QAgent {
    let mut a = QAgent::new(s);
    a.table.q.iter_mut().for_each(|row| *row = q);
    a.epsilon = 0.0;
    a.mode = Mode::Learning;
    a
}

#[test]
fn one_q_update_moves_the_value_by_alpha_times_the_td_error() {
    let s = Scenario::default();
    let mut a = learning(&s, [2.0, 5.0, 3.0]);
    let mut run = Run::new(&s);
    // Step 0 has nothing to read; at step 1 the agent reads step 0 and holds.
    run.step(&mut a);
    assert!(a.last.is_none());
    run.step(&mut a);
    let d = a.last.clone().expect("a decision");
    assert_eq!((d.action, d.explored), (Action::Hold, false));
    assert_eq!(a.episode_reward, 0.0, "nothing learnt yet");
    // At step 2 it learns from step 1's report: the reward of holding, and the
    // best value of the state it is in now (5, every state's).
    let provisioned_before = run.reports[0].provisioned;
    run.step(&mut a);
    let report = &run.reports[1];
    let r = s.reward.score(
        report.sla_held,
        report.provisioned,
        report.utilisation,
        report.provisioned != provisioned_before,
    );
    assert_eq!(a.episode_reward, r);
    let (alpha, gamma) = (a.alpha, a.gamma);
    assert_eq!((alpha, gamma), (0.1, 0.95));
    let expected = 5.0 + alpha * (r + gamma * 5.0 - 5.0);
    let got = a.table.q[d.state_index][Action::Hold.index()];
    assert!((got - expected).abs() < 1e-12, "{got} against {expected} (r = {r})");
    // The other actions of that state are untouched.
    assert_eq!(a.table.q[d.state_index][0], 2.0);
    assert_eq!(a.table.q[d.state_index][2], 3.0);
}

#[test]
fn the_last_update_of_an_episode_has_no_future() {
    let s = Scenario::default();
    let mut a = learning(&s, [2.0, 5.0, 3.0]);
    let mut run = Run::new(&s);
    run.step(&mut a);
    run.step(&mut a);
    let d = a.last.clone().expect("a decision");
    // The step it decided was the episode's last.
    let before = run.reports[0].provisioned;
    let last = &run.reports[1];
    a.finish(last);
    let r = a.episode_reward;
    assert_eq!(
        r,
        s.reward.score(
            last.sla_held,
            last.provisioned,
            last.utilisation,
            last.provisioned != before
        )
    );
    let expected = 5.0 + a.alpha * (r - 5.0);
    let got = a.table.q[d.state_index][Action::Hold.index()];
    assert!((got - expected).abs() < 1e-12, "{got} against {expected}");
    // Finished: nothing pending, a second finish learns nothing.
    a.finish(last);
    assert_eq!(a.table.q[d.state_index][Action::Hold.index()], got);
    assert_eq!(a.episode_reward, r);
}

#[test]
fn an_agent_that_follows_its_table_learns_nothing_and_counts_no_visits() {
    let s = Scenario::default();
    let mut a = learning(&s, [2.0, 5.0, 3.0]);
    a.mode = Mode::Greedy;
    a.epsilon = 1.0;
    let table = a.table.clone();
    let mut run = Run::new(&s);
    for _ in 0..6 {
        run.step(&mut a);
        if let Some(d) = &a.last {
            assert_eq!((d.action, d.explored), (Action::Hold, false), "never explores");
        }
    }
    assert_eq!(a.table, table);
    // It still adds up the rewards it would have learnt from.
    assert!(a.episode_reward != 0.0);
}

#[test]
fn the_calm_agents_rate_halves_after_settle_visits_of_a_state_and_action() {
    let s = presets::preset("diurnal").expect("a preset");
    for (visits_before, rate) in
        [(0u32, 1.0 / (1.0 + 1.0 / SETTLE_VISITS)), (299, 0.5), (899, 0.25)]
    {
        let mut a = learning(&s, [2.0, 5.0, 3.0]);
        a.table.visits.iter_mut().for_each(|v| *v = [visits_before; 3]);
        let mut run = Run::new(&s);
        run.step(&mut a);
        run.step(&mut a);
        let d = a.last.clone().expect("a decision");
        assert_eq!(d.action, Action::Hold);
        // The decision itself is a visit: the update sees one more.
        assert_eq!(a.table.visits[d.state_index][1], visits_before + 1);
        run.step(&mut a);
        let r = a.episode_reward;
        let expected = 5.0 + a.alpha * rate * (r + a.gamma * 5.0 - 5.0);
        let got = a.table.q[d.state_index][1];
        assert!(
            (got - expected).abs() < 1e-12,
            "{visits_before} visits before: {got} against {expected} (r = {r})"
        );
    }
}

#[test]
fn the_calm_agent_learns_from_the_violations_probability() {
    // Its reward is the held step's, moved towards the violated one's by the
    // probability of a violation (0 to 1), not by its rounding.
    let s = presets::preset("diurnal").expect("a preset");
    let mut a = learning(&s, [0.0, 0.0, 0.0]);
    let mut run = Run::new(&s);
    run.step(&mut a);
    run.step(&mut a);
    let before = run.reports[0].provisioned;
    run.step(&mut a);
    let report = &run.reports[1];
    let held =
        s.reward.score(true, report.provisioned, report.utilisation, report.provisioned != before);
    let v = report.violation.clamp(0.0, 1.0);
    let r = held + v * (s.reward.sla_violated - s.reward.sla_held);
    assert_eq!(a.episode_reward, r);
}

#[test]
fn the_actions_are_named_as_the_forensics_say_them_and_numbered_as_the_table_holds_them() {
    let named: Vec<(usize, &str)> = Action::ALL.iter().map(|a| (a.index(), a.label())).collect();
    assert_eq!(named, [(0, "scale down"), (1, "hold"), (2, "scale up")]);
    for (i, a) in Action::ALL.iter().enumerate() {
        assert_eq!(Action::from_index(i), *a);
    }
    // An index past the table's columns is the last action.
    assert_eq!(Action::from_index(7), Action::Up);
}

#[test]
fn the_calm_agent_sizes_as_the_world_does_and_steps_as_the_scenario_says() {
    let mut s = presets::preset("diurnal").unwrap();
    s.scaling.step_size = 3;
    let a = QAgent::new(&s);
    assert_eq!(a.step_size(), 3);
    let own = Sizer::new(&WorldConfig::from_scenario(&s), s.dt_s);
    let sizer = a.sizer().expect("the calm design sizes its need");
    for demand in [0.0, 3.0, 17.5, 40.0, 120.0] {
        assert_eq!(sizer.need(demand), own.need(demand), "{demand} req/s");
    }
    s.agent.design = Design::Seed;
    assert!(QAgent::new(&s).sizer().is_none(), "the seed design reads no need");
}

/// A real report of one step, whose requests in the system are then set.
fn report_with(s: &Scenario, in_system: f64) -> StepReport {
    let trace = Trace::build(&Scenario { steps: 1, ..s.clone() }, None).unwrap();
    let mut world = World::new(WorldConfig::from_scenario(s), 2);
    StepReport { in_system, ..world.step(2, &trace) }
}

#[test]
fn the_calm_agent_sizes_for_the_requests_waiting_beyond_its_ready_slots() {
    // Blind, so that the step's need is that of its demand and the backlog: the
    // requests in the system beyond the ready slots, to be served within a step.
    let s = presets::preset("diurnal").unwrap();
    let sizer = Sizer::new(&WorldConfig::from_scenario(&s), s.dt_s);
    let (ready, slots, dt) = (20, s.replica.slots, s.dt_s);
    let held_in_slots = (ready * slots) as f64;
    let history = [30.0];
    let mut distinct = std::collections::BTreeSet::new();
    for k in -10..40 {
        let in_system = (held_in_slots + k as f64 * dt / 4.0).max(0.0);
        let last = report_with(&s, in_system);
        let obs = Observation {
            step: 1,
            history: &history,
            ready,
            booting: 0,
            last: Some(&last),
            dt_s: dt,
        };
        let reading = QAgent::new(&s).blind().read(&obs).unwrap();
        let backlog = (in_system - held_in_slots).max(0.0) / dt;
        let want = sizer.need(30.0 + backlog);
        assert_eq!(reading.sized, Some(want), "{in_system} requests in the system");
        distinct.insert(want);
    }
    assert!(distinct.len() >= 3, "{distinct:?}");
}

#[test]
fn the_calm_agent_holds_a_need_through_the_scale_in_window_and_no_longer() {
    // 60 s steps: the window is 5 steps. A surge's need is held by the 5
    // readings after it, and released at the sixth.
    let s = presets::preset("diurnal").unwrap();
    assert_eq!(s.dt_s, 60.0);
    let sizer = Sizer::new(&WorldConfig::from_scenario(&s), s.dt_s);
    let (high, low) = (sizer.need(200.0), sizer.need(5.0));
    assert!(high > low);
    let last = report_with(&s, 0.0);
    let mut a = QAgent::new(&s).blind();
    let mut history = Vec::new();
    let mut needs = Vec::new();
    for (t, demand) in [200.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0].into_iter().enumerate() {
        history.push(demand);
        let obs = Observation {
            step: t + 1,
            history: &history,
            ready: 1,
            booting: 0,
            last: Some(&last),
            dt_s: 60.0,
        };
        needs.push(a.read(&obs).unwrap().need.unwrap());
    }
    assert_eq!(needs, [high, high, high, high, high, high, low, low]);
}

#[test]
fn the_residual_agents_actions_are_the_rules_below_at_and_above_its_target() {
    // Up takes the Rule at its target less 0.1 (more replicas), Down the one at
    // its target plus 0.1, Hold the Rule itself; each Rule decides every step.
    let mut s = presets::preset("diurnal").unwrap();
    s.agent.design = Design::Residual;
    s.steps = 120;
    let trace = Trace::build(&s, None).unwrap();
    let mut rules = [-RESIDUAL_SPREAD, 0.0, RESIDUAL_SPREAD].map(|d| {
        let mut r = s.clone();
        r.rule.target_utilisation += d;
        Rule::from_scenario(&r)
    });
    let mut a = QAgent::new(&s);
    let mut world = World::new(WorldConfig::from_scenario(&s), s.scaling.initial_replicas);
    let mut reports: Vec<StepReport> = Vec::new();
    let (mut apart_up, mut apart_down) = (0, 0);
    for t in 0..trace.len() {
        let obs = Observation::of(&world, &trace.rates[..t], reports.last(), s.dt_s);
        let [lo, r, hi] = rules.each_mut().map(|rule| rule.decide(&obs));
        let target = a.decide(&obs);
        assert_eq!(a.rule_said(), Some(r), "step {t}");
        assert_eq!(a.target(Action::Hold, 0, Some(0)), r, "step {t}");
        assert_eq!(a.target(Action::Up, 0, Some(0)), lo.max(r), "step {t}");
        assert_eq!(a.target(Action::Down, 10_000, Some(0)), hi.min(r), "step {t}");
        apart_up += usize::from(lo > r);
        apart_down += usize::from(hi < r);
        reports.push(world.step(target, &trace));
    }
    assert!(apart_up > 10 && apart_down > 10, "{apart_up} {apart_down}");
}

/// A table export whose state space is `space` (its values and visits sized to
/// it, so that only the space itself can be refused), read back.
fn read_back(space: &StateSpace) -> Result<QTable, String> {
    QTable::from_json(&QTable::new(space.clone()).to_json()).map_err(|e| {
        // The error shows as its message, as the page and the CLI print it.
        assert_eq!(e.to_string(), e.0);
        e.0
    })
}

#[test]
fn a_q_tables_state_space_outside_its_bounds_is_refused_naming_the_field() {
    let space = QAgent::new(&presets::preset("diurnal").unwrap()).table.space;
    let with = |f: &dyn Fn(&mut StateSpace)| {
        let mut s = space.clone();
        f(&mut s);
        s
    };
    let bins = "utilisation_bins must be 1 to 16 increasing positive numbers";
    let refused: [(StateSpace, &str); 11] = [
        (with(&|s| s.utilisation_bins.clear()), bins),
        (with(&|s| s.utilisation_bins = (1..=17).map(|i| i as f64 / 17.0).collect()), bins),
        (with(&|s| s.utilisation_bins = vec![0.5, 0.5, 0.9]), bins),
        (with(&|s| s.utilisation_bins = vec![0.0, 0.5]), bins),
        (with(&|s| s.utilisation_bins = vec![-0.1, 0.5]), bins),
        (with(&|s| s.max_replicas = 0), "max_replicas 0 is outside 1..=1000"),
        (with(&|s| s.max_replicas = 1001), "max_replicas 1001 is outside 1..=1000"),
        (with(&|s| s.trend_threshold = 1.0), "trend_threshold 1 is outside [0, 1)"),
        (with(&|s| s.trend_threshold = -0.1), "trend_threshold -0.1 is outside [0, 1)"),
        (with(&|s| s.forecast_threshold = 1.5), "forecast_threshold 1.5 is outside [0, 1)"),
        (with(&|s| s.forecast_threshold = -0.5), "forecast_threshold -0.5 is outside [0, 1)"),
    ];
    for (s, message) in &refused {
        assert_eq!(read_back(s).unwrap_err(), *message);
    }
    // The bounds themselves are inside.
    for s in [
        with(&|s| s.utilisation_bins = vec![1.0]),
        with(&|s| s.utilisation_bins = (1..=16).map(|i| i as f64 / 16.0).collect()),
        with(&|s| s.max_replicas = 1),
        with(&|s| s.max_replicas = 1000),
        with(&|s| s.trend_threshold = 0.0),
        with(&|s| s.forecast_threshold = 0.999),
    ] {
        assert_eq!(read_back(&s).map(|t| t.space), Ok(s));
    }
    // Values or visits of another size than the space's.
    let mut table = QTable::new(space.clone());
    table.q.pop();
    let n = space.len();
    assert_eq!(
        QTable::from_json(&table.to_json()).unwrap_err().0,
        format!(
            "the state space has {n} states but the table has {} values and {n} visit counts",
            n - 1
        )
    );
    let mut table = QTable::new(space);
    table.visits.push([0; 3]);
    assert!(QTable::from_json(&table.to_json())
        .unwrap_err()
        .0
        .contains(&format!("{} visit counts", n + 1)));
}

#[test]
fn visited_states_are_those_with_a_visit_of_any_action() {
    let mut table = QAgent::new(&presets::preset("diurnal").unwrap()).table;
    assert_eq!(table.visited_states(), 0);
    table.visits[0] = [0, 0, 1];
    table.visits[5] = [2, 0, 0];
    table.visits[9] = [0, 7, 3];
    assert_eq!(table.visited_states(), 3);
    assert_eq!(table.state_visits(9), 10);
}

#[test]
fn a_decision_is_exploring_only_when_the_random_action_is_not_the_greedy_one() {
    let s = presets::preset("diurnal").unwrap();
    let mut a = learning(&s, [0.0, 0.0, 5.0]);
    a.epsilon = 1.0;
    let (mut explored, mut greedy_anyway) = (0, 0);
    for episode in 0..5 {
        a.reset(s.seed, episode);
        let mut run = Run::new(&s);
        for _ in 0..run.trace.len() {
            run.step(&mut a);
            // No decision of its own before the first step's demand is seen.
            let Some(d) = a.last.as_ref() else { continue };
            // The table is as the decision found it until the next one.
            let greedy = a.greedy(d.state_index);
            assert_eq!(d.explored, d.chosen != greedy, "step {}", d.step);
            explored += usize::from(d.explored);
            greedy_anyway += usize::from(!d.explored);
        }
    }
    assert!(explored > 10 && greedy_anyway > 5, "{explored} {greedy_anyway}");
}

#[test]
fn every_bin_is_labelled_in_the_heatmaps_and_the_forensics_words() {
    let mut s = presets::preset("diurnal").unwrap();
    let calm = StateSpace::from_scenario(&s);
    let all = |f: &dyn Fn(usize) -> String, n: usize| (0..n).map(f).collect::<Vec<String>>();
    assert_eq!(calm.bins(), 7);
    // Every headroom bin and utilisation row, with the nine trend-forecast pairs.
    assert_eq!((calm.len(), calm.is_empty()), (7 * calm.rows() as usize * 9, false));
    assert_eq!(all(&|b| calm.short_label(b), 7), ["≤-3", "-2", "-1", "0", "+1", "+2", "≥+3"]);
    assert_eq!(
        all(&|b| calm.bin_label(b), 7),
        [
            "3 or more replicas short",
            "2 replicas short",
            "1 replica short",
            "at the need",
            "1 replica spare",
            "2 replicas spare",
            "3 or more replicas spare"
        ]
    );
    s.agent.design = Design::Seed;
    s.agent.utilisation_bins = vec![0.3, 0.5, 0.8, 1.0];
    let seed = StateSpace::from_scenario(&s);
    assert_eq!(all(&|b| seed.short_label(b), 5), ["<30", "30-50", "50-80", "80-100", ">100"]);
    let words = ["below 30 %", "30-50 %", "50-80 %", "80-100 %", "above 100 %"];
    assert_eq!(all(&|b| seed.bin_label(b), 5), words);
    // A calm space's utilisation rows, in the same words.
    let rows = StateSpace { utilisation_bins: seed.utilisation_bins.clone(), ..calm };
    assert_eq!(all(&|b| rows.bin_label_seed(b), 5), words);
}

#[test]
fn the_calm_state_reads_the_forecasts_mean_over_its_horizon_against_the_recent_demand() {
    use autoscale_playground::agent::Outlook;
    use autoscale_playground::forecast::Direction;
    let s = presets::preset("diurnal").unwrap();
    let space = StateSpace::from_scenario(&s);
    let sizer = Sizer::new(&WorldConfig::from_scenario(&s), s.dt_s);
    let outlook = |path: &'static [f64]| Outlook {
        sizer: &sizer,
        path,
        horizon: 2,
        recent: 20.0,
        held: 0,
        backlog: 0.0,
    };
    let read =
        |path: &'static [f64]| space.read(20.0, Some(20.0), None, 80.0, 5, Some(outlook(path)));
    // The forecast is the mean of the path's first `horizon` steps, its
    // direction that mean against the recent demand (20 req/s).
    let rising = read(&[25.0, 35.0, 5.0]);
    assert_eq!((rising.forecast, rising.state.forecast), (Some(30.0), Direction::Rising));
    let need = sizer.need(35.0);
    assert_eq!(
        space.describe(&rising),
        format!(
            "headroom {} ({need} needed), utilisation 25 %, demand steady (20.0 req/s), the \
             forecast is rising (30.0 req/s on average over the boot delay, at most 35.0; 20.0 now)",
            space.bin_label(rising.state.bin)
        )
    );
    let falling = read(&[10.0, 14.0, 90.0]);
    assert_eq!((falling.forecast, falling.state.forecast), (Some(12.0), Direction::Falling));
    let steady = read(&[19.0, 21.0]);
    assert_eq!((steady.forecast, steady.state.forecast), (Some(20.0), Direction::Steady));
    // The path's highest step is sized for, beyond the horizon's.
    assert_eq!(falling.ahead, Some(90.0));
    assert_eq!(falling.sized, Some(sizer.need(90.0)));
    // No forecast (the ablation): no mean, steady, sized for the demand now.
    let blind = read(&[]);
    assert_eq!(
        (blind.forecast, blind.state.forecast, blind.ahead),
        (None, Direction::Steady, None)
    );
    assert_eq!(blind.sized, Some(sizer.need(20.0)));
}

#[test]
fn a_state_beyond_the_spaces_ends_is_indexed_in_its_last_bin_and_row() {
    let space = StateSpace::from_scenario(&presets::preset("diurnal").unwrap());
    let last = space.index(&space.state(space.len() - 1));
    assert_eq!(last, space.len() - 1);
    let mut beyond = space.state(space.len() - 1);
    beyond.bin += 5;
    beyond.row += 5;
    assert_eq!(space.index(&beyond), last);
    let mut below = space.state(0);
    below.row = 0;
    assert_eq!(space.index(&below), 0);
}

/// The calm agent's eligibility traces are replacing: a state and action taken
/// again has its trace set back to 1, not a second trace added beside the
/// decayed one, so a repeated decision is updated once by the TD error.
#[test]
fn a_decision_taken_again_has_its_trace_replaced_not_added_to() {
    let s = presets::preset("diurnal").expect("a preset");
    let mut a = learning(&s, [2.0, 50.0, 3.0]);
    let flat = s.clone().with_overrides(&["steps=1", "workload.family=constant"]).unwrap();
    let mut played = World::new(WorldConfig::from_scenario(&s), 10);
    let step = played.step(10, &Trace::build(&flat, None).unwrap());
    let world = World::new(WorldConfig::from_scenario(&s), 10);
    let held = StepReport { violation: 0.0, sla_held: true, ..step };
    // The same demand, replicas and report three times over: one state.
    let history = [10.0; 20];
    let obs = |last| Observation::of(&world, &history, last, s.dt_s);
    a.decide(&obs(None));
    let first = a.last.clone().expect("a decision");
    a.decide(&obs(Some(&held)));
    let second = a.last.clone().expect("a decision");
    assert_eq!((first.state_index, first.action), (second.state_index, second.action));
    assert_eq!(second.action, Action::Hold);
    let (si, h) = (second.state_index, Action::Hold.index());
    let q1 = a.table.q[si][h];
    let visits = a.table.visits[si][h];
    assert_eq!(visits, 2, "both decisions are visits");
    let reward_before = a.episode_reward;
    a.decide(&obs(Some(&held)));
    let r = a.episode_reward - reward_before;
    // The state it moves to is its own: the best value there is Hold's, q1.
    let delta = r + a.gamma * q1 - q1;
    let rate = a.alpha / (1.0 + visits as f64 / SETTLE_VISITS);
    let expected = q1 + rate * delta;
    let got = a.table.q[si][h];
    assert!(
        (got - expected).abs() < 1e-12,
        "{got} against {expected} (an added trace would give {})",
        q1 + rate * delta * (1.0 + a.gamma * autoscale_playground::agent::TRACE_DECAY)
    );
    // The other actions of the state were never taken: untouched.
    assert_eq!((a.table.q[si][0], a.table.q[si][2]), (2.0, 3.0));
}
