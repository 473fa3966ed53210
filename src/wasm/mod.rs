//! The browser binding: one [`Playground`] handle over a [`Session`], and the
//! dashboard drawn with plotters on the page's canvases. Compiled for wasm32 only;
//! the simulation knows nothing of the browser.
//!
//! Long-lived data (the trace, the worlds, the Q-table, the chart history) stays
//! in wasm memory; JavaScript gets small results: counts, a metrics object, text.
//! Every failure reaches JavaScript as an `Error` with a message; a panic (a bug)
//! is reported to the page by the hook installed in [`panic`].

mod bench;
mod canvas;
mod charts;
mod dashboard;
mod export;
mod heatmap;
mod history;
mod palette;
mod panic;
mod training;

pub use training::Training;

use crate::agent::{Direction, Mode, QAgent};
use crate::judge::WorldResult;
use crate::scenario::{Family, Scenario};
use crate::session::{Session, ELASTIC};
use crate::workload::{replay, ReplayData, Trace};
use crate::{link, presets};
use dashboard::{CanvasIds, Dashboard, View};
use history::History;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The longest run whose every step's report the page keeps, for the CSV
/// export: 4 worlds x 50,000 steps are about 24 MB; a longer run keeps sums only.
const CSV_STEPS: usize = 50_000;

/// Steps replayed after a decision to explain it (30 minutes at the default `dt`).
const EXPLAIN_HORIZON: usize = 30;

/// Training episodes of the page's presets: the CLI's 200, the agent of the
/// README's results. A preset's training is done when the page is built
/// (scripts/build-wasm.sh, which must use the same number), so it costs the page
/// nothing; a changed scenario trains them in the background (about 8 s) while the
/// run plays with the table learnt so far.
pub const PAGE_EPISODES: u32 = 200;

/// The simulation and its dashboard.
#[wasm_bindgen]
pub struct Playground {
    session: Session,
    history: History,
    dashboard: Dashboard,
    view: View,
    /// The forensics pinned to the panel by `explain`, until the next step.
    pinned: Option<String>,
}

/// Public methods, exported to JavaScript.
#[wasm_bindgen]
impl Playground {
    /// A playground for a scenario (JSON, as `presetScenario` returns) drawing on
    /// the canvases named in `canvases`: `{capacity, latency, cost, heatmap,
    /// forecast, curve, forensics}`, each a canvas element id. The agent is
    /// untrained: call `train` until `metrics().training.done`, or hand it a
    /// worker's training with `adoptTraining`.
    /// A replay scenario (`workload.family` = replay, as `replayScenario` makes)
    /// needs the CSV text in `replay_csv`; other scenarios ignore it.
    #[wasm_bindgen(constructor)]
    pub fn new(scenario_json: &str, canvases: JsValue, replay_csv: Option<String>) -> Result<Playground, JsError> {
        panic::install();
        let ids: CanvasIds = serde_wasm_bindgen::from_value(canvases)
            .map_err(|e| JsError::new(&format!("canvases: expected {{capacity, latency, cost, heatmap, forecast, curve, forensics}} canvas ids ({e})")))?;
        let scenario = Scenario::from_json(scenario_json).map_err(|e| JsError::new(&e))?;
        let replay = replay_data(&scenario, replay_csv.as_deref()).map_err(|e| JsError::new(&e))?;
        let dashboard = Dashboard::find(&ids).map_err(|e| JsError::new(&e))?;
        let mut session = Session::new(scenario, replay.as_ref()).map_err(|e| JsError::new(&e))?;
        // A run may be a million steps long: beyond CSV_STEPS the page keeps running
        // sums, not every step's report (the CSV export needs them).
        session.keep_reports(session.trace.len() <= CSV_STEPS);
        let history = History::new(&session);
        let view = View { learn_live: session.scenario.agent.learn_live, ..View::default() };
        let mut playground = Playground { session, history, dashboard, view, pinned: None };
        playground.restarted();
        Ok(playground)
    }

    /// Plays up to `n` steps of every world; returns how many were played.
    pub fn step(&mut self, n: u32) -> u32 {
        let mut played = 0;
        while played < n && self.session.step(1) == 1 {
            self.history.record(&self.session);
            played += 1;
        }
        if played > 0 {
            self.pinned = None;
        }
        played
    }

    /// Trains up to `episodes` more of the planned episodes (call it once per frame
    /// with a few); when the plan is complete the run restarts with the trained
    /// agent. Returns the episodes played.
    pub fn train(&mut self, episodes: u32) -> Result<u32, JsError> {
        let played = self.session.train(episodes).map_err(|e| JsError::new(&e))?;
        if played > 0 {
            self.restarted();
        }
        Ok(played)
    }

    /// Pre-trains a learned forecaster (LSTM, TCN) for up to `batches`
    /// mini-batches; call it across frames until it returns true. A worker's
    /// training fits its own copy from the same traces and seed, hence to the same
    /// weights; this one is the Elastic world's. When the fit ends after training
    /// did, the run restarts with the fitted forecaster.
    pub fn fit(&mut self, batches: u32) -> Result<bool, JsError> {
        let t = &mut self.session.trainer;
        if t.fit_done() {
            return Ok(true);
        }
        let done = t.fit(batches as usize).map_err(|e| JsError::new(&e))?.is_done();
        if done && t.done() {
            self.session.restart();
            self.restarted();
        }
        Ok(done)
    }

    /// Adds `episodes` to the training plan (the Train button), continuing the
    /// agent's training and its exploration schedule where it stopped.
    #[wasm_bindgen(js_name = planTraining)]
    pub fn plan_training(&mut self, episodes: u32) {
        training::plan(&mut self.session.trainer, episodes);
    }

    /// Takes the state of a [`Training`] of the same scenario (run in a worker):
    /// its table (export format), learning curve, episodes played and planned.
    /// While the plan is unfinished the Elastic world plays on with the new table;
    /// when it is finished the run restarts with the trained agent, as after
    /// `train`. Returns whether training is finished.
    #[wasm_bindgen(js_name = adoptTraining)]
    pub fn adopt_training(&mut self, table_json: &str, curve: Vec<f64>, episode: u32, episodes: u32) -> Result<bool, JsError> {
        training::set_state(&mut self.session.trainer, table_json, curve, episode, episodes).map_err(|e| JsError::new(&e))?;
        let t = &self.session.trainer;
        if t.done() {
            self.session.restart();
            self.restarted();
            return Ok(true);
        }
        let table = t.agent.table.clone();
        if let Some(agent) = self.elastic_agent() {
            agent.table = table;
        }
        Ok(false)
    }

    /// The training state, `{table, curve, episode, episodes}`, for a worker to
    /// continue from (`Training.resume`).
    #[wasm_bindgen(js_name = trainingState)]
    pub fn training_state(&self) -> Result<JsValue, JsError> {
        serde_wasm_bindgen::to_value(&training::State::of(&self.session.trainer)).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Restarts the run at step 0 with the agent as trained so far: the same
    /// scenario and training give the same figures.
    pub fn reset(&mut self) {
        self.session.restart();
        self.restarted();
    }

    /// Draws every panel.
    pub fn render(&mut self) -> Result<(), JsError> {
        let forensics = self.forensics_text();
        self.dashboard.draw(&self.session, &self.history, &self.view, &forensics).map_err(|e| JsError::new(&e))
    }

    /// Step, training progress and the scoreboard (one entry per world).
    pub fn metrics(&self) -> Result<JsValue, JsError> {
        let t = &self.session.trainer;
        let m = Metrics {
            step: self.session.judge.step_index(),
            steps: self.session.judge.len(),
            finished: self.session.judge.finished(),
            training: TrainingState { episode: t.episode, episodes: t.episodes, done: t.done(), last_reward: t.curve.last().copied() },
            learn_live: self.view.learn_live,
            worlds: self.session.results(),
            now: self.now(),
            demand_replicas: self.session.judge.lanes.first().and_then(|l| l.last.as_ref()).map(|r| r.demand / self.replica_rps()),
            fit: {
                let p = t.fit_progress();
                FitState { done: p.done, total: p.total, finished: t.fit_done() }
            },
            forecast: self.history.forecast_mae().map(|(mae, persistence_mae)| ForecastError {
                mae,
                persistence_mae,
                horizon: self.history.horizon,
                steps: self.history.forecast_steps,
            }),
        };
        serde_wasm_bindgen::to_value(&m).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The forensics of the Elastic world's decision at `step` (counterfactual
    /// replays of the other actions), shown on the forensics panel until the next
    /// step is played. Costs a replay of the run up to `step`: call it on demand.
    pub fn explain(&mut self, step: u32) -> Result<String, JsError> {
        let text = self.session.explain(step as usize, EXPLAIN_HORIZON).map_err(|e| JsError::new(&e))?.text();
        self.pinned = Some(text.clone());
        Ok(text)
    }

    /// What the forensics panel shows: pinned forensics, or the current decision.
    #[wasm_bindgen(js_name = forensicsText)]
    pub fn forensics_text(&self) -> String {
        match &self.pinned {
            Some(text) => text.clone(),
            None => dashboard::decision_text(&self.session),
        }
    }

    /// The heatmap cell under a point of its canvas (CSS pixels from its top-left
    /// corner): `{bin, capacity}`, or `null` outside the cells.
    #[wasm_bindgen(js_name = cellAt)]
    pub fn cell_at(&self, x: f64, y: f64) -> JsValue {
        match self.dashboard.heatmap.cell_at(x, y) {
            Some(cell) => serde_wasm_bindgen::to_value(&cell).unwrap_or(JsValue::NULL),
            None => JsValue::NULL,
        }
    }

    /// A heatmap cell of the slice shown, in words: its Q-values and visits.
    #[wasm_bindgen(js_name = describeCell)]
    pub fn describe_cell(&self, bin: u32, capacity: u32) -> Result<String, JsError> {
        let (agent, state) = self.view.cell_state(&self.session, bin as usize, capacity).map_err(|e| JsError::new(&e))?;
        Ok(heatmap::describe(agent, &state))
    }

    /// The forensics of a heatmap cell: the Elastic world's latest decision in that
    /// state in this run, or why there is none. Shown on the forensics panel.
    #[wasm_bindgen(js_name = explainCell)]
    pub fn explain_cell(&mut self, bin: u32, capacity: u32) -> Result<String, JsError> {
        let (agent, state) = self.view.cell_state(&self.session, bin as usize, capacity).map_err(|e| JsError::new(&e))?;
        let index = agent.table.space.index(&state);
        let described = heatmap::describe(agent, &state);
        match self.history.last_step_in(index) {
            Some(step) => self.explain(step),
            None => {
                let text = format!("{described}\nThe Elastic world has not been in this state in this run so far: there is no decision of it to replay.");
                self.pinned = Some(text.clone());
                Ok(text)
            }
        }
    }

    /// Marks a heatmap cell as the keyboard cursor (`bin` < 0: none).
    #[wasm_bindgen(js_name = setCursor)]
    pub fn set_cursor(&mut self, bin: i32, capacity: u32) {
        self.view.cursor = (bin >= 0).then_some((bin as usize, capacity));
    }

    /// The heatmap's slice: trend and forecast as -1 falling, 0 steady, 1 rising,
    /// or anything else to follow the current state.
    #[wasm_bindgen(js_name = setSlice)]
    pub fn set_slice(&mut self, trend: i32, forecast: i32) {
        self.view.trend = direction(trend);
        self.view.forecast = direction(forecast);
    }

    /// Shows or hides a world's lines ("Rule", "Oracle", ...).
    #[wasm_bindgen(js_name = showWorld)]
    pub fn show_world(&mut self, name: &str, on: bool) {
        self.view.hidden.retain(|n| n != name);
        if !on {
            self.view.hidden.push(name.to_string());
        }
    }

    /// Live learning: the Elastic agent keeps updating its table during the run
    /// (with the final exploration rate), from now on and after every restart.
    #[wasm_bindgen(js_name = setLearnLive)]
    pub fn set_learn_live(&mut self, on: bool) {
        self.view.learn_live = on;
        self.apply_learn_live();
    }

    /// The scenario as JSON (every field, defaults included).
    #[wasm_bindgen(js_name = scenarioJson)]
    pub fn scenario_json(&self) -> String {
        self.session.scenario.to_json()
    }
}

/// A preset scenario for the page as JSON ("diurnal", "flash-crowd", "bursty":
/// [`presets::preset`], the tuned agent), with the page's number of training
/// episodes.
#[wasm_bindgen(js_name = presetScenario)]
pub fn preset_scenario(name: &str) -> Result<String, JsError> {
    panic::install();
    let mut s = presets::preset(name).map_err(|e| JsError::new(&e))?;
    s.agent.episodes = PAGE_EPISODES;
    Ok(s.to_json())
}

/// The share link (the URL hash, without `#`) of a scenario (JSON) and of how the
/// page shows it: `{show_rule, show_oracle, start_step, hide_controls}`.
#[wasm_bindgen(js_name = encodeLink)]
pub fn encode_link(scenario_json: &str, view: JsValue) -> Result<String, JsError> {
    panic::install();
    let s = Scenario::from_json(scenario_json).map_err(|e| JsError::new(&e))?;
    let view: link::View = serde_wasm_bindgen::from_value(view).map_err(|e| JsError::new(&format!("link view: {e}")))?;
    Ok(link::encode(&s, &view))
}

/// Reads a share link (with or without `#`): `{scenario, view}`, the scenario as
/// JSON. The error says what is wrong with the link; nothing of it is used then.
#[wasm_bindgen(js_name = decodeLink)]
pub fn decode_link(link: &str) -> Result<JsValue, JsError> {
    panic::install();
    let (s, view) = link::decode(link).map_err(|e| JsError::new(&e))?;
    serde_wasm_bindgen::to_value(&Linked { scenario: s.to_json(), view }).map_err(|e| JsError::new(&e.to_string()))
}

/// The scenario (JSON) with its workload replaced by a replay of a CSV file read
/// by the page: `file_name` becomes `workload.replay.source` (cut to the 256 bytes
/// a source may have), `csv` is read by the CLI's importer and laid out on the run.
/// The error names the file and every problem found (line numbers from the
/// importer); nothing of a bad file is used. Pass the same `csv` to `Playground`.
#[wasm_bindgen(js_name = replayScenario)]
pub fn replay_scenario(scenario_json: &str, file_name: &str, csv: &str) -> Result<String, JsError> {
    panic::install();
    let mut s = Scenario::from_json(scenario_json).map_err(|e| JsError::new(&e))?;
    s.workload.family = Family::Replay;
    s.workload.replay.source = shortened(file_name, MAX_SOURCE_BYTES);
    s.validate().map_err(|e| JsError::new(&e.to_string()))?;
    let data = replay_data(&s, Some(csv)).map_err(|e| JsError::new(&e))?;
    // Laying the trace out finds what the rows alone cannot (too many requests
    // once rate-scaled, say); the Playground would refuse it the same way.
    Trace::build(&s, data.as_ref()).map_err(|e| JsError::new(&e))?;
    Ok(s.to_json())
}

/// The largest trace file the page reads (bytes): the importer's cap, so that the
/// page refuses a larger file before reading it.
#[wasm_bindgen(js_name = replayMaxBytes)]
pub fn replay_max_bytes() -> u32 {
    replay::MAX_BYTES as u32
}

/// The longest `workload.replay.source` a scenario accepts (bytes).
const MAX_SOURCE_BYTES: usize = 256;

/// The replay data of a scenario: its CSV read by the importer when the scenario
/// is a replay, nothing otherwise. Errors name the file, as the CLI's do.
fn replay_data(s: &Scenario, csv: Option<&str>) -> Result<Option<ReplayData>, String> {
    if s.workload.family != Family::Replay {
        return Ok(None);
    }
    let source = &s.workload.replay.source;
    let csv = csv.ok_or_else(|| format!("the trace '{source}' is not loaded here: a replay needs its CSV file, which a link cannot carry; choose the file again"))?;
    ReplayData::parse(csv, s.workload.replay.format).map(Some).map_err(|e| {
        let sep = if e.starts_with("line ") { " " } else { ": " };
        format!("replay file '{source}'{sep}{e}")
    })
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn shortened(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

#[derive(Serialize)]
struct Linked {
    scenario: String,
    view: link::View,
}

/// A scenario (JSON) with `key=value` overrides applied (dotted keys, as the
/// CLI's `--set`), validated; the error names every field out of range.
#[wasm_bindgen(js_name = applyOverrides)]
pub fn apply_overrides(scenario_json: &str, overrides: Vec<String>) -> Result<String, JsError> {
    panic::install();
    let s = Scenario::from_json(scenario_json).map_err(|e| JsError::new(&e))?;
    s.with_overrides(&overrides).map(|s| s.to_json()).map_err(|e| JsError::new(&e))
}

#[derive(Serialize)]
struct TrainingState {
    episode: u32,
    episodes: u32,
    done: bool,
    last_reward: Option<f64>,
}

/// What `metrics()` returns (field names as in the core's results: snake_case).
#[derive(Serialize)]
struct Metrics {
    step: usize,
    steps: usize,
    finished: bool,
    training: TrainingState,
    learn_live: bool,
    worlds: Vec<WorldResult>,
    /// Each world after the last step played.
    now: Vec<Now>,
    /// The last step's demand in replicas fully busy.
    demand_replicas: Option<f64>,
    /// The learned forecaster's pre-training, in mini-batches (0 of 0 for a
    /// forecaster that learns nothing from training traces).
    fit: FitState,
    /// The forecast chart's running errors, once a forecast has come due.
    forecast: Option<ForecastError>,
}

#[derive(Serialize)]
struct FitState {
    done: usize,
    total: usize,
    finished: bool,
}

#[derive(Serialize)]
struct ForecastError {
    /// Mean absolute error (req/s) of the forecaster `horizon` steps ahead, and of
    /// persistence (the demand `horizon` steps before) over the same steps.
    mae: f64,
    persistence_mae: f64,
    horizon: usize,
    steps: usize,
}

#[derive(Serialize)]
struct Now {
    name: String,
    provisioned: u32,
    ready: u32,
    booting: u32,
    p95: Option<f64>,
}

fn direction(d: i32) -> Option<Direction> {
    match d {
        -1 => Some(Direction::Falling),
        0 => Some(Direction::Steady),
        1 => Some(Direction::Rising),
        _ => None,
    }
}

/// Helpers, not exported.
impl Playground {
    /// After the session restarted its run: forget the chart history, re-apply the
    /// live-learning switch.
    fn restarted(&mut self) {
        self.history = History::new(&self.session);
        self.pinned = None;
        self.apply_learn_live();
    }

    fn apply_learn_live(&mut self) {
        let epsilon = self.session.scenario.agent.epsilon_end;
        let on = self.view.learn_live;
        if let Some(agent) = self.elastic_agent() {
            agent.mode = if on { Mode::Learning } else { Mode::Greedy };
            agent.epsilon = if on { epsilon } else { 0.0 };
        }
    }

    /// Each world after the last step played.
    fn now(&self) -> Vec<Now> {
        let lanes = &self.session.judge.lanes;
        lanes
            .iter()
            .filter_map(|l| {
                let r = l.last.as_ref()?;
                Some(Now { name: l.name().to_string(), provisioned: r.provisioned, ready: r.ready, booting: r.booting, p95: r.p95_response_s })
            })
            .collect()
    }

    /// Requests per second one replica serves when fully busy.
    fn replica_rps(&self) -> f64 {
        let s = &self.session.scenario;
        s.replica.slots as f64 * s.mu()
    }

    /// The Elastic world's agent, to change it during the run.
    fn elastic_agent(&mut self) -> Option<&mut QAgent> {
        self.session.judge.lanes.iter_mut().find(|l| l.name() == ELASTIC)?.maker.agent_mut()
    }
}
