//! The Rule over a grid of its four knobs on one preset, each setting played on
//! seeds 42 upwards exactly as a frontier's Rule point is ([`frontier::play`]:
//! the seed's trace, the fluid judge, 4,320 steps), and printed as CSV: the
//! setting, then the mean cost and violation steps with the half-widths of their
//! 95 % intervals (Student's t) and the mean capacity changes. Only the Rule is
//! played (no agent is trained), so the grid takes seconds, not hours.
//!
//! `cargo bench --bench rule_grid -- PRESET [SEEDS]` (10 seeds by default);
//! scripts/rule-grid.sh runs it on diurnal and flash-crowd and picks the
//! cheapest setting at no more violation steps than the Rule's own. It asserts
//! nothing; it is a bench only to be built with the release profile.
//!
//! The grid: target utilisation 0.60 to 0.80 by 0.01, tolerance 0, 0.05, 0.1,
//! 0.2, scale-down window 0, 150, 300, 600 s, scale-up period 15 and 60 s.

use autoscale_playground::frontier::{self, Stat, Unit, UnitKind};
use autoscale_playground::presets;
use autoscale_playground::queueing::LoadTables;

const TOLERANCES: [f64; 4] = [0.0, 0.05, 0.1, 0.2];
const WINDOWS_S: [f64; 4] = [0.0, 150.0, 300.0, 600.0];
const UP_PERIODS_S: [f64; 2] = [15.0, 60.0];

fn main() {
    // `cargo bench` adds `--bench`: the flags are not ours.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let Some(name) = args.first() else {
        eprintln!("usage: cargo bench --bench rule_grid -- PRESET [SEEDS]");
        std::process::exit(2);
    };
    let seeds: u64 = args.get(1).map_or(10, |n| n.parse().expect("SEEDS: a whole number"));
    let base = presets::preset(name).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let targets: Vec<f64> = (60..=80).map(|p| p as f64 / 100.0).collect();
    let tables = LoadTables::default();
    println!("preset,target,tolerance,window_s,up_period_s,cost,cost_95,violation_steps,violation_steps_95,capacity_changes");
    for &up in &UP_PERIODS_S {
        for &tol in &TOLERANCES {
            for &win in &WINDOWS_S {
                let mut s = base.clone();
                s.rule.tolerance = tol;
                s.rule.stabilisation_s = win;
                s.rule.scale_up_period_s = up;
                for &t in &targets {
                    let (mut cost, mut viol, mut changes) = (vec![], vec![], 0usize);
                    for seed in base.seed..base.seed + seeds {
                        let unit = Unit { work: UnitKind::Rule(t), seed };
                        let runs = frontier::play(&s, None, unit, &tables)
                            .unwrap_or_else(|e| panic!("{name} at {t}: {e}"));
                        let r = &runs[0].result;
                        cost.push(r.cost);
                        viol.push(r.sla_violation_steps);
                        changes += r.capacity_changes;
                    }
                    let (c, v) = (Stat::of(&cost), Stat::of(&viol));
                    println!(
                        "{name},{t:.2},{tol},{win},{up},{:.2},{:.2},{:.2},{:.2},{:.1}",
                        c.mean,
                        c.half_width_95,
                        v.mean,
                        v.half_width_95,
                        changes as f64 / seeds as f64
                    );
                }
            }
        }
    }
}
