//! Benchmarks of the physics: prints figures (medians of several runs), asserts
//! nothing. `make bench` runs it in release.

use autoscale_playground::bench::{following_schedule as schedule, median, play_schedule as run};
use autoscale_playground::scenario::{Family, Physics, Scenario};
use autoscale_playground::{Trace, WorldConfig};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let runs = 15;
    println!("{:<44} {:>14} {:>10}", "benchmark", "figure", "unit");

    // Fluid world-steps per second on the default diurnal scenario (3 days).
    let s = Scenario::default();
    let trace = Trace::build(&s, None).expect("default scenario builds");
    let sch = schedule(&s, &trace);
    let s_config = WorldConfig::from_scenario(&s);
    let fluid: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(run(&s_config, &trace, &sch));
            trace.len() as f64 / t.elapsed().as_secs_f64()
        })
        .collect();
    println!(
        "{:<44} {:>14.0} {:>10}",
        "fluid world-steps, default diurnal",
        median(fluid),
        "steps/s"
    );

    // Exact physics at 50 req/s on 16 replicas (rho 0.78), 1,000 steps (3 M requests).
    let mut e = Scenario::default();
    e.workload.family = Family::Constant;
    e.workload.base_rps = 50.0;
    e.steps = 1000;
    e.queue.physics = Physics::Exact;
    let trace = Trace::build(&e, None).expect("constant scenario builds");
    let sch = vec![16; trace.len()];
    let e_config = WorldConfig::from_scenario(&e);
    let exact: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let served = black_box(run(&e_config, &trace, &sch));
            served / t.elapsed().as_secs_f64()
        })
        .collect();
    println!(
        "{:<44} {:>14.0} {:>10}",
        "exact physics, 50 req/s on 16 replicas",
        median(exact),
        "requests/s"
    );
    let steps_exact: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            black_box(run(&e_config, &trace, &sch));
            trace.len() as f64 / t.elapsed().as_secs_f64()
        })
        .collect();
    println!("{:<44} {:>14.0} {:>10}", "exact world-steps, same", median(steps_exact), "steps/s");
}
