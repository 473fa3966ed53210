//! Speed of the learned forecasters at the default sizes, natively: one
//! pre-training epoch, one forecaster step (observe with its online update every
//! `update_every` steps, then predict), and 20 episodes of the agent's training
//! with the net as its forecaster (against the default moving average, for
//! reference). Prints figures (medians of 5 but for training), asserts nothing.

use autoscale_playground::bench::median;
use autoscale_playground::forecast;
use autoscale_playground::scenario::{ForecastMethod, Scenario};
use autoscale_playground::train::{Trainer, FIT_TRACES};
use autoscale_playground::Trace;
use std::time::Instant;

const RUNS: usize = 5;

/// Seconds for the first 20 episodes of the agent's training on the default
/// scenario with `method` (pre-training excluded). Early episodes explore, and
/// their physics costs more than later ones'; the difference between methods is
/// the forecaster's.
fn training_20_episodes(method: ForecastMethod) -> f64 {
    let mut s = Scenario::default();
    s.forecast.method = method;
    s.agent.episodes = 20;
    let mut t = Trainer::new(&s, None);
    t.fit(usize::MAX).expect("pre-training");
    let start = Instant::now();
    t.run(20).expect("training");
    start.elapsed().as_secs_f64()
}

fn main() {
    println!("{:<58} {:>12} {:>6}", "benchmark", "figure", "unit");
    println!(
        "{:<58} {:>12.2} {:>6}",
        "moving average: agent training, 20 episodes",
        training_20_episodes(ForecastMethod::MovingAverage),
        "s"
    );
    for method in [ForecastMethod::Lstm, ForecastMethod::Tcn] {
        let mut s = Scenario::default();
        s.forecast.method = method;
        let name = forecast::from_scenario(&s).name();
        let trainer = Trainer::new(&s, None);
        let series: Vec<Vec<f64>> =
            (0..FIT_TRACES).map(|e| trainer.episode_trace(e).expect("a trace").rates).collect();
        let epoch = median(
            (0..RUNS)
                .map(|_| {
                    let mut one = s.clone();
                    one.forecast.epochs = 1;
                    let mut f = forecast::from_scenario(&one);
                    let start = Instant::now();
                    f.fit(&series);
                    start.elapsed().as_secs_f64()
                })
                .collect(),
        );
        println!(
            "{:<58} {:>12.1} {:>6}",
            format!("{name}: one pre-training epoch (8,192 windows)"),
            1e3 * epoch,
            "ms"
        );

        let mut fitted = forecast::from_scenario(&s);
        fitted.fit(&series);
        let rates = Trace::build(&s, None).expect("the trace").rates;
        let h = forecast::horizon_steps(&s);
        let mut path = Vec::with_capacity(h);
        let step = median(
            (0..RUNS)
                .map(|_| {
                    let mut f = fitted.clone();
                    let start = Instant::now();
                    for &y in &rates {
                        f.observe(y);
                        f.forecast_path(h, &mut path);
                    }
                    start.elapsed().as_secs_f64() / rates.len() as f64
                })
                .collect(),
        );
        println!(
            "{:<58} {:>12.2} {:>6}",
            format!("{name}: forecaster step (observe + online update + predict)"),
            1e6 * step,
            "us"
        );
        println!(
            "{:<58} {:>12.1} {:>6}",
            format!("{name}: a 4,320-step run with online learning"),
            1e3 * step * rates.len() as f64,
            "ms"
        );
        // The same without online updates (the weights do not change the time): a
        // forecaster caches its forecast of a step, so it is timed over new steps.
        let mut frozen = s.clone();
        frozen.forecast.update_every = 0;
        let predict = median(
            (0..RUNS)
                .map(|_| {
                    let mut f = forecast::from_scenario(&frozen);
                    let start = Instant::now();
                    for &y in &rates {
                        f.observe(y);
                        f.forecast_path(h, &mut path);
                    }
                    start.elapsed().as_secs_f64() / rates.len() as f64
                })
                .collect(),
        );
        println!(
            "{:<58} {:>12.2} {:>6}",
            format!("{name}: forecaster step without online updates"),
            1e6 * predict,
            "us"
        );

        println!(
            "{:<58} {:>12.2} {:>6}",
            format!("{name}: agent training, 20 episodes"),
            training_20_episodes(s.forecast.method.clone()),
            "s"
        );
    }
}
