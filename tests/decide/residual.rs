//! The residual design: the Rule as a safe floor. Untrained (every tie goes
//! to hold) it decides as the Rule at its own target, but where the safety
//! floor decides; its up never releases a replica and reaches the need; its
//! down never releases a replica the need holds.

use autoscale_playground::agent::{Action, Mode, QAgent};
use autoscale_playground::policy::{DecisionMaker, Observation, Rule};
use autoscale_playground::presets::preset;
use autoscale_playground::scenario::{Design, Scenario};
use autoscale_playground::{StepReport, Trace, World, WorldConfig};

fn residual(name: &str, steps: usize) -> Scenario {
    let mut s = preset(name).unwrap().with_overrides(&[&format!("steps={steps}")]).unwrap();
    s.agent.design = Design::Residual;
    s
}

/// Plays `agent` alone over the scenario's trace, as the judge plays a world,
/// with a Rule at the scenario's target fed the same observations; returns
/// the decisions where the agent differs from that Rule, and how many of
/// them the floor decided.
fn lockstep(s: &Scenario, agent: &mut QAgent) -> (usize, usize, usize) {
    let trace = Trace::build(s, None).unwrap();
    let mut world = World::new(WorldConfig::from_scenario(s), s.scaling.initial_replicas);
    let mut rule = Rule::from_scenario(s);
    let mut last: Option<StepReport> = None;
    let (mut differ, mut floored, mut decided) = (0, 0, 0);
    for step in 0..trace.len() {
        let obs = Observation::of(&world, &trace.rates[..step], last.as_ref(), trace.dt);
        let target = agent.decide(&obs);
        let by_rule = rule.decide(&obs);
        assert_eq!(agent.rule_said(), Some(by_rule), "step {step}: the agent's Rule is the Rule");
        if target != by_rule {
            differ += 1;
            let d = agent.last.as_ref().unwrap();
            assert!(d.floored(), "step {step}: only the floor departs from the Rule: {d:?}");
            floored += 1;
        }
        decided += usize::from(agent.last.is_some());
        last = Some(world.step(target, &trace));
    }
    (differ, floored, decided)
}

#[test]
fn untrained_the_residual_agent_decides_as_the_rule_at_its_target_but_where_the_floor_decides() {
    for name in ["scheduled", "diurnal", "flash-crowd", "bursty"] {
        let s = residual(name, 1440);
        let mut agent = QAgent::new(&s);
        agent.mode = Mode::Greedy;
        let (differ, floored, decided) = lockstep(&s, &mut agent);
        assert_eq!(differ, floored, "{name}");
        assert!(decided >= 1439, "{name}: {decided} decisions");
        if name == "diurnal" {
            // Diurnal rises slowly enough that the Rule never leaves the fleet
            // short at over 100 %: the untrained agent is the Rule, step for step.
            assert_eq!(differ, 0, "diurnal");
        }
    }
}

#[test]
fn the_residual_agent_s_actions_pick_among_the_rules_recommendations() {
    let s = residual("scheduled", 1440);
    let trace = Trace::build(&s, None).unwrap();
    let mut world = World::new(WorldConfig::from_scenario(&s), s.scaling.initial_replicas);
    let mut agent = QAgent::new(&s);
    agent.mode = Mode::Greedy;
    let mut last: Option<StepReport> = None;
    let mut seen = [false; 3];
    for step in 0..trace.len() {
        let obs = Observation::of(&world, &trace.rates[..step], last.as_ref(), trace.dt);
        let target = agent.decide(&obs);
        if let Some(d) = agent.last.clone() {
            let (r, need, current) =
                (agent.rule_said().unwrap(), d.reading.need.unwrap(), d.before);
            let up = agent.target(Action::Up, current, Some(need));
            let down = agent.target(Action::Down, current, Some(need));
            assert_eq!(agent.target(Action::Hold, current, Some(need)), r, "step {step}: hold");
            assert!(up >= r && up >= current, "step {step}: up {up} releases (r {r}, {current})");
            assert!(up >= need.min(s.scaling.max_replicas), "step {step}: up {up} short of {need}");
            assert!(down <= r, "step {step}: down {down} above the Rule's {r}");
            assert!(down >= need.min(r), "step {step}: down {down} below the need {need}");
            seen[0] |= down < r;
            seen[1] |= up > r;
            seen[2] |= up > current;
            // The state's headroom is the Rule's recommendation against the need.
            let h = (r as i64 - need as i64).clamp(-3, 3) + 3;
            assert_eq!(d.reading.state.bin as i64, h, "step {step}");
        }
        last = Some(world.step(target, &trace));
    }
    assert_eq!(seen, [true; 3], "down releases, up adds to the Rule's and to the fleet");
}
