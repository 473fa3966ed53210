//! The results table of the README: Static, the Rule (at the best of target
//! utilisations 0.5 / 0.6 / 0.7 / 0.8), the trained agent and the Oracle on every
//! preset (diurnal, flash-crowd, bursty, and the two real-trace ones, their traces
//! read from the repository). `make results` runs it; it prints the tables and
//! whether each aim of the issue is met, and asserts nothing.
//!
//! Then the cost-reliability frontier of every preset: every world
//! over 10 seeds on every core, the Rule along its target utilisation and the
//! agent along its violation weight ([`frontier`]), and the agent's aims as met or
//! missed with their numbers.

use autoscale_playground::frontier::{self, Frontier, Plan, Point};
use autoscale_playground::judge::{results_table, Judge, WorldResult};
use autoscale_playground::policy::{DecisionMaker, Rule};
use autoscale_playground::presets;
use autoscale_playground::scenario::{Family, Scenario};
use autoscale_playground::session::Session;
use autoscale_playground::workload::replay::Import;
use autoscale_playground::workload::ReplayData;
use autoscale_playground::WorldKind;
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
    let all: Vec<(f64, WorldResult)> =
        RULE_TARGETS.iter().map(|&t| (t, rule_at(session, t))).collect();
    for (t, r) in &all {
        println!(
            "  rule at target {t:.1}: cost {:.2}, violation steps {:.1} ({:.2} %)",
            r.cost, r.sla_violation_steps, r.sla_violation_pct
        );
    }
    let ok = all
        .iter()
        .filter(|(_, r)| r.sla_violation_pct <= 1.0)
        .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost));
    let best = ok
        .or_else(|| {
            all.iter()
                .min_by(|(_, a), (_, b)| a.sla_violation_steps.total_cmp(&b.sla_violation_steps))
        })
        .expect("four targets")
        .clone();
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
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let data = Import::read(&text, &s).expect("the preset's trace reads").data;
    (s, Some(data))
}

fn main() {
    let started = Instant::now();
    let mut summary = Vec::new();
    for name in presets::NAMES {
        let (s, replay) = preset(name);
        let start = Instant::now();
        let mut session = Session::new(s, replay.as_ref()).expect("preset is valid");
        session.train_all().expect("preset trains");
        session.step(usize::MAX);
        println!(
            "\n== {name}: {} episodes of training, {} steps judged ==",
            session.trainer.episode,
            session.trace.len()
        );
        let mut results = session.results();
        let (target, rule) = best_rule(&session);
        let stat_cost = results[0].cost;
        let oracle_cost = results
            .iter()
            .find(|r| r.kind == WorldKind::Oracle)
            .map(|r| r.cost)
            .unwrap_or(f64::NAN);
        let mut rule = rule;
        rule.name = format!("{} @{target:.1}", WorldKind::Rule.label());
        rule.saving_pct = Some(100.0 * (1.0 - rule.cost / stat_cost));
        rule.above_oracle_pct = Some(100.0 * (rule.cost / oracle_cost - 1.0));
        if let Some(slot) = results.iter_mut().find(|r| r.kind == WorldKind::Rule) {
            *slot = rule.clone();
        }
        print!("{}", results_table(&results));
        let rl =
            results.iter().find(|r| r.kind == WorldKind::Elastic).expect("elastic world").clone();
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
    frontiers();
    println!("\nwall time {:.1} s", started.elapsed().as_secs_f64());
}

/// The agent's and the Rule's default points, Predictive and the Oracle.
fn points(f: &Frontier) -> Option<(&Point, &Point, &Point, &Point)> {
    Some((f.agent()?, f.rule()?, f.world(WorldKind::Predictive)?, f.world(WorldKind::Oracle)?))
}

/// "met" or "missed".
fn met(yes: bool) -> &'static str {
    if yes {
        "met"
    } else {
        "missed"
    }
}

/// Every preset's frontier over 10 seeds, then the agent's aims.
fn frontiers() {
    let threads = frontier::available_threads();
    let mut all: Vec<(&str, Frontier)> = Vec::new();
    for name in presets::NAMES {
        let (s, replay) = preset(name);
        let start = Instant::now();
        let plan = Plan::new(&s, frontier::DEFAULT_SEEDS);
        let f = frontier::sweep(&s, replay.as_ref(), &plan, threads, &|_, _| {})
            .expect("the preset's frontier plays");
        println!(
            "\n== frontier of {name}: seeds {} to {}, {} steps judged, agents trained {} episodes, {threads} threads ({:.1} s) ==",
            plan.seeds[0],
            plan.seeds[plan.seeds.len() - 1],
            f.steps,
            f.episodes,
            start.elapsed().as_secs_f64()
        );
        print!("{}{}", f.table(), f.verdicts());
        all.push((name, f));
    }
    println!("\n== the agent's aims (means over {} seeds) ==", frontier::DEFAULT_SEEDS);
    let below: Vec<&str> = all
        .iter()
        .filter(|(_, f)| f.below_rule().is_some_and(|b| b.below))
        .map(|(n, _)| *n)
        .collect();
    let vacuous: Vec<&str> = all
        .iter()
        .filter(|(_, f)| {
            f.below_rule().is_some_and(|b| b.below && b.cheapest_as_reliable.is_none())
        })
        .map(|(n, _)| *n)
        .collect();
    println!(
        "(a) the agent below the Rule's frontier on at least 3 of {} presets: {} ({}){}: {}",
        all.len(),
        below.len(),
        below.join(", "),
        if vacuous.is_empty() {
            String::new()
        } else {
            format!(", of which {} only because no Rule target is as reliable", vacuous.join(", "))
        },
        met(below.len() >= 3)
    );
    for (name, f) in &all {
        let Some((agent, _, pred, _)) = points(f) else { continue };
        let ok = agent.cost.mean <= pred.cost.mean
            && agent.violation_steps.mean <= pred.violation_steps.mean;
        println!(
            "(b) {name}: no worse than Predictive on both axes: cost {:.1} against {:.1}, violation steps {:.1} against {:.1}: {}",
            agent.cost.mean,
            pred.cost.mean,
            agent.violation_steps.mean,
            pred.violation_steps.mean,
            met(ok)
        );
    }
    for (name, f) in &all {
        let Some((agent, rule, _, _)) = points(f) else { continue };
        println!(
            "(c) {name}: capacity changes at most 2x the Rule's at {:.2}: {:.1} against {:.1}: {}",
            f.own_target,
            agent.capacity_changes.mean,
            rule.capacity_changes.mean,
            met(agent.capacity_changes.mean <= 2.0 * rule.capacity_changes.mean)
        );
    }
    for (name, f) in all.iter().filter(|(n, _)| *n == "diurnal") {
        let Some((agent, _, _, oracle)) = points(f) else { continue };
        let above = 100.0 * (agent.cost.mean / oracle.cost.mean - 1.0);
        let pct = 100.0 * agent.violation_steps.mean / f.steps as f64;
        println!(
            "(d) {name}: cost within 15 % of the Oracle's with violation steps at most 1 %: {above:.1} % above ({:.1} against {:.1}), {pct:.2} % of steps: {}",
            agent.cost.mean,
            oracle.cost.mean,
            met(above <= 15.0 && pct <= 1.0)
        );
    }
    for (name, f) in &all {
        let m = f.monotone();
        println!(
            "(e) {name}: violation steps never rise beyond the intervals as the weight grows more negative: {}{}",
            met(m.holds),
            m.worst.map_or(String::new(), |w| format!(" (nearest its intervals: {:+.1} from {} to {} against ±{:.1})", w.rise, w.from, w.to, w.allowed))
        );
    }
    for (name, f) in &all {
        if points(f).is_none() {
            println!("{name}: a default point (agent, Rule, Predictive or Oracle) is missing");
        }
    }
}
