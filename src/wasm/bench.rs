//! The browser's bench mode (`www/bench.html`, driven by
//! `scripts/bench-browser.mjs`): the figures of `benches/budgets.rs` on the same
//! workloads, timed inside wasm with `performance.now()`, so that their ratio to
//! native is the cost of the wasm build alone. Each function runs one figure and
//! returns it; nothing here is used by the page itself.

use super::Playground;
use crate::forecast;
use crate::scenario::{Family, Physics, Scenario};
use crate::session::Session;
use crate::train::Trainer;
use crate::workload::Trace;
use crate::world::{World, WorldConfig};
use wasm_bindgen::prelude::*;

/// Milliseconds since the page's time origin.
fn now() -> Result<f64, JsError> {
    let performance = web_sys::window().and_then(|w| w.performance()).ok_or_else(|| JsError::new("no performance clock: the bench runs in a page"))?;
    Ok(performance.now())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Milliseconds of each of `runs` calls of `f`.
fn timed(runs: u32, mut f: impl FnMut() -> Result<(), JsError>) -> Result<Vec<f64>, JsError> {
    let mut out = Vec::with_capacity(runs as usize);
    for _ in 0..runs.max(1) {
        let start = now()?;
        f()?;
        out.push(now()? - start);
    }
    Ok(out)
}

fn trace_of(s: &Scenario) -> Result<Trace, JsError> {
    Trace::build(s, None).map_err(|e| JsError::new(&e))
}

/// As in `benches/budgets.rs`: capacity following demand at 70 % utilisation,
/// one step late.
fn schedule(s: &Scenario, trace: &Trace) -> Vec<u32> {
    let per = s.replica.slots as f64 * s.mu() * 0.7;
    (0..trace.len()).map(|i| ((trace.rates[i.saturating_sub(1)] / per).ceil() as u32).clamp(1, s.scaling.max_replicas)).collect()
}

fn play(s: &Scenario, trace: &Trace, sch: &[u32]) -> f64 {
    let mut w = World::new(WorldConfig::from_scenario(s), sch.first().copied().unwrap_or(1));
    sch.iter().map(|&n| w.step(n, trace).completed).sum()
}

/// Fluid world-steps per second on the default diurnal scenario (median of `runs`).
#[wasm_bindgen(js_name = benchFluid)]
pub fn bench_fluid(runs: u32) -> Result<f64, JsError> {
    let s = Scenario::default();
    let trace = trace_of(&s)?;
    let sch = schedule(&s, &trace);
    let ms = median(timed(runs, || {
        std::hint::black_box(play(&s, &trace, &sch));
        Ok(())
    })?);
    Ok(1e3 * trace.len() as f64 / ms)
}

/// Exact physics: simulated requests per second at 50 req/s on 16 replicas.
#[wasm_bindgen(js_name = benchExact)]
pub fn bench_exact(runs: u32) -> Result<f64, JsError> {
    let mut e = Scenario::default();
    e.workload.family = Family::Constant;
    e.workload.base_rps = 50.0;
    e.steps = 300;
    e.queue.physics = Physics::Exact;
    let trace = trace_of(&e)?;
    let sch = vec![16; trace.len()];
    let mut served = 0.0;
    let ms = median(timed(runs, || {
        served = play(&e, &trace, &sch);
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
pub fn bench_training(episodes: u32) -> Result<f64, JsError> {
    let s = planned();
    let mut t = Trainer::new(&s, None);
    let ms = median(timed(1, || t.run(episodes).map(|_| ()).map_err(|e| JsError::new(&e)))?);
    Ok(ms / 1e3)
}

/// Judge steps (four worlds) per second over whole runs of the default scenario,
/// the agent trained 20 episodes, no per-step reports kept (as the page plays).
#[wasm_bindgen(js_name = benchJudge)]
pub fn bench_judge(runs: u32) -> Result<f64, JsError> {
    let mut session = Session::new(planned(), None).map_err(|e| JsError::new(&e))?;
    session.keep_reports(false);
    session.train(20).map_err(|e| JsError::new(&e))?;
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
pub fn bench_forecaster(method: &str, runs: u32) -> Result<f64, JsError> {
    // Through the overrides' reader, which names the methods allowed on error.
    let s = Scenario::default().with_overrides(&[format!("forecast.method={method}")]).map_err(|e| JsError::new(&e))?;
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
pub fn bench_render(playground: &mut Playground, frames: u32) -> Result<Vec<f64>, JsError> {
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
