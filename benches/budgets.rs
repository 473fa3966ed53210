//! The native half of `make bench`: the figures the browser's bench mode
//! (`www/bench.html`, `src/web/bench.rs`) measures too, on the same workloads, so
//! that the two compare; plus forensics and heatmap data per call. Prints a table
//! and writes `target/bench/native.json`, which `scripts/bench-browser.mjs` reads
//! for the browser/native ratios. Medians of several runs; asserts nothing.

use autoscale_playground::agent::{QAgent, State};
use autoscale_playground::bench::{following_schedule as schedule, median, play_schedule as play};
use autoscale_playground::forecast;
use autoscale_playground::forecast::Direction;
use autoscale_playground::presets;
use autoscale_playground::scenario::{Family, ForecastMethod, Physics, Scenario};
use autoscale_playground::session::Session;
use autoscale_playground::train::Trainer;
use autoscale_playground::view::{heatmap, rule_sweep, Page};
use autoscale_playground::{Trace, WorldConfig};
use std::hint::black_box;
use std::time::Instant;

/// Seconds of each of `runs` calls of `f`.
fn timed(runs: usize, mut f: impl FnMut()) -> Vec<f64> {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .collect()
}

/// The exact physics' workload: 50 req/s on 16 replicas (utilisation 0.78).
fn exact_scenario(steps: u32) -> Scenario {
    let mut e = Scenario::default();
    e.workload.family = Family::Constant;
    e.workload.base_rps = 50.0;
    e.steps = steps;
    e.queue.physics = Physics::Exact;
    e
}

/// What the heatmap panel computes per frame before drawing (the model's
/// functions in src/view/heatmap.rs; the drawing is wasm-only): the colour scale
/// over the visited states, then each cell's state index, visits, value and
/// greedy action for one slice.
fn heatmap_data(agent: &QAgent) -> f64 {
    let t = &agent.table;
    let mut acc = heatmap::scale(agent);
    for bin in 0..t.space.bins() {
        for row in 1..=t.space.rows() {
            let i = t.space.index(&State {
                bin,
                row,
                trend: Direction::Steady,
                forecast: Direction::Rising,
            });
            if t.state_visits(i) > 0 {
                acc += heatmap::value(agent, i) + agent.greedy(i).index() as f64;
            }
        }
    }
    acc
}

fn main() {
    let mut rows: Vec<(&str, String, f64, &str)> = Vec::new();
    let s = Scenario::default();
    let trace = Trace::build(&s, None).expect("default scenario builds");
    let sch = schedule(&s, &trace);
    // One configuration for every run: its load tables are built once per
    // server count, as in a session (the first run builds them; the median
    // is of the runs after).
    let s_config = WorldConfig::from_scenario(&s);
    let fluid = trace.len() as f64
        / median(timed(9, || {
            black_box(play(&s_config, &trace, &sch));
        }));
    rows.push(("fluid_steps_per_s", "fluid world-steps, default diurnal".into(), fluid, "steps/s"));

    let e = exact_scenario(300);
    let etrace = Trace::build(&e, None).expect("constant scenario builds");
    let esch = vec![16; etrace.len()];
    let e_config = WorldConfig::from_scenario(&e);
    let mut served = 0.0;
    let secs = median(timed(5, || served = black_box(play(&e_config, &etrace, &esch))));
    rows.push((
        "exact_requests_per_s",
        "exact physics, 50 req/s on 16 replicas".into(),
        served / secs,
        "req/s",
    ));

    // Training: the first 20 episodes (the browser's figure), then all 200.
    let mut planned = s.clone();
    planned.agent.episodes = 200;
    let t20 = median(timed(3, || {
        black_box(Trainer::new(&planned, None).run(20).expect("trains"));
    }));
    rows.push(("train20_s", "train 20 episodes x 4,320 steps".into(), t20, "s"));
    let t200 = median(timed(3, || {
        black_box(Trainer::new(&planned, None).run(200).expect("trains"));
    }));
    rows.push(("train200_s", "train 200 episodes x 4,320 steps".into(), t200, "s"));

    // The judge: four worlds with the agent after 20 episodes, a whole run, as the
    // page plays it (no per-step reports kept).
    let mut session = Session::new(planned.clone(), None).expect("default session");
    session.keep_reports(false);
    session.train(20).expect("trains");
    let judge = median(timed(5, || {
        session.restart();
        session.step(usize::MAX);
    }));
    rows.push((
        "judge_steps_per_s",
        "judge steps (5 worlds), default diurnal".into(),
        trace.len() as f64 / judge,
        "steps/s",
    ));

    // Forensics of a decision mid-run (replays 2,160 steps, then 3 x 30).
    let forensics =
        median(timed(7, || drop(black_box(session.explain(2160, 30).expect("explains")))));
    rows.push((
        "forensics_ms",
        "forensics per call (step 2,160, 30-step replays)".into(),
        1e3 * forensics,
        "ms",
    ));
    // The Rule at twelve targets over the whole run (the verdict's frontier):
    // once per scenario on the page, in pieces after the run is over.
    let sweep = median(timed(5, || drop(black_box(rule_sweep::sweep(&session)))));
    rows.push(("rule_sweep_ms", "Rule sweep, 12 targets x 4,320 steps".into(), 1e3 * sweep, "ms"));
    // The page's lookahead (a copy of the whole run with every step's report,
    // its moments, and the Rule's sweep) once the agent is trained: it comes
    // before the run plays, so its budget is 300 ms here, under a second in a
    // browser. The diurnal preset with the table of 20 episodes' training.
    let mut diurnal = presets::preset("diurnal").expect("the diurnal preset");
    diurnal.agent.episodes = 20;
    let mut trained = Page::new(diurnal.clone(), None).expect("the diurnal page");
    while trained.train(5).expect("trains") > 0 {}
    let table = trained.session.trainer.agent.table.to_json();
    let pages: Vec<Page> = (0..5)
        .map(|_| {
            let mut p = Page::new(diurnal.clone(), None).expect("the diurnal page");
            p.load_table(&table).expect("the table fits the preset");
            p
        })
        .collect();
    let lookahead = median(
        pages
            .into_iter()
            .map(|mut p| {
                let t = Instant::now();
                while !p.metrics().lookahead_done {
                    p.advance(0, || false).expect("plays ahead");
                }
                t.elapsed().as_secs_f64()
            })
            .collect(),
    );
    rows.push((
        "lookahead_ms",
        "lookahead, diurnal: copy + Rule sweep (budget 300)".into(),
        1e3 * lookahead,
        "ms",
    ));
    let agent = session.agent().expect("an elastic world").clone();
    let heat = median(timed(9, || {
        for _ in 0..1000 {
            black_box(heatmap_data(black_box(&agent)));
        }
    })) / 1000.0;
    rows.push(("heatmap_us", "heatmap data per call (scale + one slice)".into(), 1e6 * heat, "us"));

    // A forecaster step (observe, with the nets' online update every 4 steps,
    // then predict the horizon's path) over the default trace. The nets are
    // timed unfitted: their weights do not change the time.
    let h = forecast::horizon_steps(&s);
    for (key, method) in [
        ("forecaster_naive_us", ForecastMethod::Naive),
        ("forecaster_moving_average_us", ForecastMethod::MovingAverage),
        ("forecaster_seasonal_us", ForecastMethod::Seasonal),
        ("forecaster_lstm_us", ForecastMethod::Lstm),
        ("forecaster_tcn_us", ForecastMethod::Tcn),
    ] {
        let mut fs = s.clone();
        fs.forecast.method = method;
        let mut path = Vec::with_capacity(h);
        let step = median(timed(5, || {
            let mut f = forecast::from_scenario(&fs);
            for &y in &trace.rates {
                f.observe(y);
                f.forecast_path(h, &mut path);
            }
            black_box(&path);
        })) / trace.len() as f64;
        let name = forecast::from_scenario(&fs).name();
        rows.push((key, format!("forecaster step: {name}"), 1e6 * step, "us"));
    }

    println!("native (release, medians)");
    println!("{:<52} {:>14} {:>8}", "figure", "value", "unit");
    for (_, label, v, unit) in &rows {
        println!("{label:<52} {v:>14.3} {unit:>8}");
    }
    let json: serde_json::Map<String, serde_json::Value> =
        rows.iter().map(|(k, _, v, _)| (k.to_string(), serde_json::json!(v))).collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let written = std::fs::create_dir_all(&dir).and_then(|_| {
        std::fs::write(dir.join("native.json"), serde_json::Value::Object(json).to_string())
    });
    if let Err(e) = written {
        eprintln!("could not write target/bench/native.json: {e}");
    }
}
