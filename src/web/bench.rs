//! The browser's bench mode (`www/bench.html`, driven by
//! `scripts/bench-browser.mjs`): the figures of `benches/budgets.rs` on the same
//! workloads, timed inside wasm with `performance.now()`, so that their ratio to
//! native is the cost of the wasm build alone. Each function runs one figure and
//! returns it. Built only with the `bench` feature (`make bench`): the page's
//! wasm does not carry it.

use super::Playground;
use crate::bench::{following_schedule as schedule, median, play_schedule as play};
use crate::forecast;
use crate::scenario::{Family, Physics, Scenario};
use crate::session::Session;
use crate::train::Trainer;
use crate::workload::Trace;
use crate::world::WorldConfig;
use wasm_bindgen::prelude::*;

/// Milliseconds since the page's time origin.
fn now() -> Result<f64, JsValue> {
    let performance = web_sys::window().and_then(|w| w.performance()).ok_or_else(|| {
        JsValue::from(js_sys::Error::new("no performance clock: the bench runs in a page"))
    })?;
    Ok(performance.now())
}

/// Milliseconds of each of `runs` calls of `f`.
fn timed(runs: u32, mut f: impl FnMut() -> Result<(), JsValue>) -> Result<Vec<f64>, JsValue> {
    let mut out = Vec::with_capacity(runs as usize);
    for _ in 0..runs.max(1) {
        let start = now()?;
        f()?;
        out.push(now()? - start);
    }
    Ok(out)
}

fn trace_of(s: &Scenario) -> Result<Trace, JsValue> {
    Trace::build(s, None).map_err(super::js)
}

/// Fluid world-steps per second on the default diurnal scenario (median of `runs`).
#[wasm_bindgen(js_name = benchFluid)]
pub fn bench_fluid(runs: u32) -> Result<f64, JsValue> {
    let s = Scenario::default();
    let trace = trace_of(&s)?;
    let sch = schedule(&s, &trace);
    let s_config = WorldConfig::from_scenario(&s);
    let ms = median(timed(runs, || {
        std::hint::black_box(play(&s_config, &trace, &sch));
        Ok(())
    })?);
    Ok(1e3 * trace.len() as f64 / ms)
}

/// Exact physics: simulated requests per second at 50 req/s on 16 replicas.
#[wasm_bindgen(js_name = benchExact)]
pub fn bench_exact(runs: u32) -> Result<f64, JsValue> {
    let mut e = Scenario::default();
    e.workload.family = Family::Constant;
    e.workload.base_rps = 50.0;
    e.steps = 300;
    e.queue.physics = Physics::Exact;
    let trace = trace_of(&e)?;
    let sch = vec![16; trace.len()];
    let e_config = WorldConfig::from_scenario(&e);
    let mut served = 0.0;
    let ms = median(timed(runs, || {
        served = play(&e_config, &trace, &sch);
        Ok(())
    })?);
    Ok(1e3 * served / ms)
}

/// The default scenario with 200 training episodes planned.
fn planned() -> Scenario {
    let mut s = Scenario::default();
    s.agent.episodes = 200;
    s
}

/// Seconds to train the first `episodes` of 200 planned episodes of the default
/// scenario (once: training is long).
#[wasm_bindgen(js_name = benchTraining)]
pub fn bench_training(episodes: u32) -> Result<f64, JsValue> {
    let s = planned();
    let mut t = Trainer::new(&s, None);
    let ms = median(timed(1, || t.run(episodes).map(|_| ()).map_err(super::js))?);
    Ok(ms / 1e3)
}

/// Judge steps (five worlds) per second over whole runs of the default scenario,
/// the agent trained 20 episodes, no per-step reports kept (as the page plays).
#[wasm_bindgen(js_name = benchJudge)]
pub fn bench_judge(runs: u32) -> Result<f64, JsValue> {
    let mut session = Session::new(planned(), None).map_err(super::js)?;
    session.keep_reports(false);
    session.train(20).map_err(super::js)?;
    let ms = median(timed(runs, || {
        session.restart();
        session.step(usize::MAX);
        Ok(())
    })?);
    Ok(1e3 * session.trace.len() as f64 / ms)
}

/// Microseconds per forecaster step (observe, with a net's online update every
/// 4 steps, then predict the horizon's path) over the default trace; `method` is
/// a `forecast.method` value ("naive", "moving-average", "seasonal", "lstm",
/// "tcn"). Nets are timed unfitted: their weights do not change the time.
#[wasm_bindgen(js_name = benchForecaster)]
pub fn bench_forecaster(method: &str, runs: u32) -> Result<f64, JsValue> {
    // Through the overrides' reader, which names the methods allowed on error.
    let s = Scenario::default()
        .with_overrides(&[format!("forecast.method={method}")])
        .map_err(super::js)?;
    let trace = trace_of(&s)?;
    let h = forecast::horizon_steps(&s);
    let mut path = Vec::with_capacity(h);
    let ms = median(timed(runs, || {
        let mut f = forecast::from_scenario(&s);
        for &y in &trace.rates {
            f.observe(y);
            f.forecast_path(h, &mut path);
        }
        std::hint::black_box(&path);
        Ok(())
    })?);
    Ok(1e3 * ms / trace.len() as f64)
}

/// Milliseconds of each of `frames` dashboard renders, one step played before
/// each (the step is not timed); stops early at the end of the run.
#[wasm_bindgen(js_name = benchRender)]
pub fn bench_render(playground: &mut Playground, frames: u32) -> Result<Vec<f64>, JsValue> {
    let mut out = Vec::with_capacity(frames as usize);
    for _ in 0..frames {
        if playground.step(1) == 0 {
            break;
        }
        let start = now()?;
        playground.render()?;
        out.push(now()? - start);
    }
    Ok(out)
}
