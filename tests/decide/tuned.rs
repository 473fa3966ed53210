//! The presets' tuned agent against the aims it is judged by, on seeds 42 to
//! 44, trained as `compare` trains it. The README's figures are the
//! frontier's, over ten seeds; these three hold the behaviour behind them:
//! on the scheduled workload the agent is cheaper than the Rule at its own
//! target at under half its violation steps, most of its timed scale-ups come
//! early, and without its forecast it breaks the SLA far more often; on
//! flash-crowd it changes its fleet at most twice as often as the Rule.

use autoscale_playground::judge::WorldResult;
use autoscale_playground::presets::preset;
use autoscale_playground::session::Session;
use autoscale_playground::WorldKind;

const SEEDS: [u64; 3] = [42, 43, 44];

/// Every world's results over the whole run of a preset at a seed, the agent
/// (and, with `ablation`, the agent without the forecast) trained first.
fn results(name: &str, seed: u64, ablation: bool) -> Vec<WorldResult> {
    let mut s = preset(name).unwrap();
    s.seed = seed;
    let mut session = Session::new(s, None).unwrap();
    session.set_ablation(ablation);
    session.train_all().unwrap();
    session.restart();
    while session.step(4096) > 0 {}
    session.results()
}

fn of(results: &[WorldResult], kind: WorldKind) -> &WorldResult {
    results.iter().find(|r| r.kind == kind).unwrap()
}

#[test]
fn on_the_scheduled_preset_the_agent_is_cheaper_than_the_rule_and_breaks_the_sla_far_less_early_and_by_its_forecast(
) {
    for seed in SEEDS {
        let r = results("scheduled", seed, true);
        let (agent, rule) = (of(&r, WorldKind::Elastic), of(&r, WorldKind::Rule));
        let blind = of(&r, WorldKind::NoForecast);
        assert!(
            agent.cost < rule.cost,
            "seed {seed}: the agent costs {} against the Rule's {}",
            agent.cost,
            rule.cost
        );
        assert!(
            agent.sla_violation_steps <= 0.5 * rule.sla_violation_steps,
            "seed {seed}: {} violation steps against the Rule's {}",
            agent.sla_violation_steps,
            rule.sla_violation_steps
        );
        let timed = agent.scale_ups.early + agent.scale_ups.late;
        assert!(
            timed > 20 && agent.scale_ups.early as f64 >= 0.7 * timed as f64,
            "seed {seed}: {} of {timed} timed scale-ups early",
            agent.scale_ups.early
        );
        // Ten seeds give 2.4 times (the README); one seed is noisier.
        assert!(
            blind.sla_violation_steps >= 1.5 * agent.sla_violation_steps,
            "seed {seed}: without the forecast {} violation steps, with it {}",
            blind.sla_violation_steps,
            agent.sla_violation_steps
        );
    }
}

#[test]
fn on_the_flash_crowd_preset_the_agent_changes_its_fleet_at_most_twice_as_often_as_the_rule() {
    let (mut agent, mut rule) = (0, 0);
    for seed in SEEDS {
        let r = results("flash-crowd", seed, false);
        agent += of(&r, WorldKind::Elastic).capacity_changes;
        rule += of(&r, WorldKind::Rule).capacity_changes;
    }
    assert!(rule > 200, "the Rule changes its fleet about 100 times a run: {rule} in three");
    assert!(agent <= 2 * rule, "the agent changed its fleet {agent} times, the Rule {rule}");
}
