//! Benchmarks of the physics: prints figures (medians of several runs), asserts
//! nothing. `make bench` runs it in release.

use autoscale_playground::scenario::{Family, Physics, Scenario};
use autoscale_playground::{Trace, World, WorldConfig};
use std::hint::black_box;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Capacity that follows demand at 70 % utilisation, one step late (a stand-in for
/// a scaler, so that the fleet changes as it would in a real run).
fn schedule(s: &Scenario, trace: &Trace) -> Vec<u32> {
    let per = s.replica.slots as f64 * s.mu() * 0.7;
    (0..trace.len())
        .map(|i| ((trace.rates[i.saturating_sub(1)] / per).ceil() as u32).clamp(1, s.scaling.max_replicas))
        .collect()
}

fn run(s: &Scenario, trace: &Trace, sch: &[u32]) -> f64 {
    let mut w = World::new(WorldConfig::from_scenario(s), sch[0]);
    let mut acc = 0.0;
    for &n in sch {
        acc += w.step(n, trace).completed;
    }
    acc
}

fn main() {
    let runs = 15;
    println!("{:<44} {:>14} {:>10}", "benchmark", "figure", "unit");

    // Fluid world-steps per second on the default diurnal scenario (3 days).
    let s = Scenario::default();
    let trace = Trace::build(&s, None).expect("default scenario builds");
    let sch = schedule(&s, &trace);
    let fluid: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(run(&s, &trace, &sch));
            trace.len() as f64 / t.elapsed().as_secs_f64()
        })
        .collect();
    println!("{:<44} {:>14.0} {:>10}", "fluid world-steps, default diurnal", median(fluid), "steps/s");

    // Exact physics at 50 req/s on 16 replicas (rho 0.78), 1,000 steps (3 M requests).
    let mut e = Scenario::default();
    e.workload.family = Family::Constant;
    e.workload.base_rps = 50.0;
    e.steps = 1000;
    e.queue.physics = Physics::Exact;
    let trace = Trace::build(&e, None).expect("constant scenario builds");
    let sch = vec![16; trace.len()];
    let exact: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let served = black_box(run(&e, &trace, &sch));
            served / t.elapsed().as_secs_f64()
        })
        .collect();
    println!("{:<44} {:>14.0} {:>10}", "exact physics, 50 req/s on 16 replicas", median(exact), "requests/s");
    let steps_exact: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            black_box(run(&e, &trace, &sch));
            trace.len() as f64 / t.elapsed().as_secs_f64()
        })
        .collect();
    println!("{:<44} {:>14.0} {:>10}", "exact world-steps, same", median(steps_exact), "steps/s");
}
