//! The results table of the README: Static, the Rule (at the best of target
//! utilisations 0.5 / 0.6 / 0.7 / 0.8), the trained agent and the Oracle on every
//! preset (diurnal, flash-crowd, bursty, and the two real-trace ones, their traces
//! read from the repository). `make results` runs it; it prints the tables and
//! whether each aim of the issue is met, and asserts nothing.

use autoscale_playground::judge::{results_table, Judge, WorldResult};
use autoscale_playground::policy::{DecisionMaker, Rule};
use autoscale_playground::presets;
use autoscale_playground::scenario::{Family, Scenario};
use autoscale_playground::session::Session;
use autoscale_playground::WorldKind;
use autoscale_playground::workload::replay::Import;
use autoscale_playground::workload::ReplayData;
use std::time::Instant;

const RULE_TARGETS: [f64; 4] = [0.5, 0.6, 0.7, 0.8];

/// The Rule at one target utilisation, judged alone on the session's trace.
fn rule_at(session: &Session, target: f64) -> WorldResult {
    let mut s = session.scenario.clone();
    s.rule.target_utilisation = target;
    let makers: Vec<Box<dyn DecisionMaker>> = vec![Box::new(Rule::from_scenario(&s))];
    let mut judge = Judge::new(&s, session.trace.clone(), makers);
    judge.run(usize::MAX);
    judge.results().remove(0)
}

/// The best Rule: the cheapest whose violation steps are at most 1 %, else the one
/// with the fewest violations.
fn best_rule(session: &Session) -> (f64, WorldResult) {
    let all: Vec<(f64, WorldResult)> = RULE_TARGETS.iter().map(|&t| (t, rule_at(session, t))).collect();
    for (t, r) in &all {
        println!("  rule at target {t:.1}: cost {:.2}, violation steps {:.1} ({:.2} %)", r.cost, r.sla_violation_steps, r.sla_violation_pct);
    }
    let ok = all.iter().filter(|(_, r)| r.sla_violation_pct <= 1.0).min_by(|a, b| a.1.cost.total_cmp(&b.1.cost));
    let best = ok.or_else(|| all.iter().min_by(|(_, a), (_, b)| a.sla_violation_steps.total_cmp(&b.sla_violation_steps))).expect("four targets").clone();
    best
}

/// A preset and, for a real-trace one, its trace from the repository (a missing
/// file fails, naming the path: never a table without its row).
fn preset(name: &str) -> (Scenario, Option<ReplayData>) {
    let s = presets::preset(name).expect("a preset");
    if s.workload.family != Family::Replay {
        return (s, None);
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&s.workload.replay.source);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let data = Import::read(&text, &s).expect("the preset's trace reads").data;
    (s, Some(data))
}

fn main() {
    let mut summary = Vec::new();
    for name in presets::NAMES {
        let (s, replay) = preset(name);
        let start = Instant::now();
        let mut session = Session::new(s, replay.as_ref()).expect("preset is valid");
        session.train_all().expect("preset trains");
        session.step(usize::MAX);
        println!("\n== {name}: {} episodes of training, {} steps judged ==", session.trainer.episode, session.trace.len());
        let mut results = session.results();
        let (target, rule) = best_rule(&session);
        let stat_cost = results[0].cost;
        let oracle_cost = results.iter().find(|r| r.kind == WorldKind::Oracle).map(|r| r.cost).unwrap_or(f64::NAN);
        let mut rule = rule;
        rule.name = format!("{} @{target:.1}", WorldKind::Rule.label());
        rule.saving_pct = Some(100.0 * (1.0 - rule.cost / stat_cost));
        rule.above_oracle_pct = Some(100.0 * (rule.cost / oracle_cost - 1.0));
        if let Some(slot) = results.iter_mut().find(|r| r.kind == WorldKind::Rule) {
            *slot = rule.clone();
        }
        print!("{}", results_table(&results));
        let rl = results.iter().find(|r| r.kind == WorldKind::Elastic).expect("elastic world").clone();
        println!("  ({:.1} s)", start.elapsed().as_secs_f64());
        summary.push((name, rl, rule));
    }
    println!("\n== aims ==");
    for (name, rl, rule) in &summary {
        let saving = rl.saving_pct.unwrap_or(0.0);
        println!(
            "{name}: RL saves {saving:.1} % vs Static ({}), violations {:.2} % ({}), vs Rule: cost {:+.1} %, violations {:.1} vs {:.1} ({}){}",
            if saving >= 35.0 { "aim met" } else { "aim missed" },
            rl.sla_violation_pct,
            if rl.sla_violation_pct <= 1.0 { "aim met" } else { "aim missed" },
            100.0 * (rl.cost / rule.cost - 1.0),
            rl.sla_violation_steps,
            rule.sla_violation_steps,
            if rl.cost < rule.cost && rl.sla_violation_steps <= rule.sla_violation_steps { "beats the Rule" } else { "does not beat the Rule" },
            if *name == "diurnal" {
                format!(", {:.1} % above the Oracle ({})", rl.above_oracle_pct.unwrap_or(f64::NAN), if rl.above_oracle_pct.unwrap_or(f64::INFINITY) <= 15.0 { "aim met" } else { "aim missed" })
            } else {
                String::new()
            }
        );
    }
}
