//! Training speed: 200 episodes of 4,320 steps (864 k world-steps) of the default
//! scenario with the default forecaster (the seed agent), then of each synthetic
//! preset (the calm agent, seasonal forecaster: what the page trains), in release.
//! Prints figures, asserts nothing.

use autoscale_playground::train::Trainer;
use autoscale_playground::Scenario;
use std::time::Instant;

fn main() {
    let mut s = Scenario::default();
    s.agent.episodes = 200;
    let runs = 3;
    let mut secs: Vec<f64> = (0..runs)
        .map(|_| {
            let mut t = Trainer::new(&s, None);
            let start = Instant::now();
            t.run(200).expect("default scenario trains");
            let elapsed = start.elapsed().as_secs_f64();
            assert_eq!(t.curve.len(), 200);
            elapsed
        })
        .collect();
    secs.sort_by(f64::total_cmp);
    let median = secs[runs / 2];
    let steps = 200.0 * s.steps as f64;
    println!("{:<44} {:>14} {:>10}", "benchmark", "figure", "unit");
    println!("{:<44} {:>14.2} {:>10}", "train 200 episodes x 4,320 steps (median)", median, "s");
    println!(
        "{:<44} {:>14.0} {:>10}",
        "training world-steps per second",
        steps / median,
        "steps/s"
    );
    println!("aim: at most 0.5 s; {}", if median <= 0.5 { "met" } else { "missed" });
    for name in ["diurnal", "flash-crowd", "bursty", "scheduled"] {
        let p = autoscale_playground::presets::preset(name).expect("a preset");
        let mut secs: Vec<f64> = (0..runs)
            .map(|_| {
                let mut t = Trainer::new(&p, None);
                let start = Instant::now();
                t.run(p.agent.episodes).expect("the preset trains");
                start.elapsed().as_secs_f64()
            })
            .collect();
        secs.sort_by(f64::total_cmp);
        println!(
            "{:<44} {:>14.2} {:>10}",
            format!("train preset {name}, {} episodes (median)", p.agent.episodes),
            secs[runs / 2],
            "s"
        );
    }
}
