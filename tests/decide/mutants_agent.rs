//! The agent's learning, value by value: one Q-update is
//! `q + α(r + γ·max Q(s′) − q)`, the last of an episode has no future, the calm
//! agent's rate settles with the visits, and an agent that only follows its
//! table changes nothing; what the calm agent reads (the backlog it sizes for,
//! the need it holds through the scale-in window), and the residual design's
//! actions as the Rules either side of its target.

use autoscale_playground::agent::{Action, Mode, QAgent, RESIDUAL_SPREAD, SETTLE_VISITS};
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
