//! The browser binding: one [`Playground`] handle over the core's [`Page`], and
//! the dashboard drawn with plotters on the page's canvases. It only translates:
//! every decision and every text is the core's (`crate::view`); errors become
//! JavaScript `Error`s here, once ([`js`]), carrying the offending scenario
//! fields as `fields`. A panic (a bug) is reported by the hook in [`panic`].

#[cfg(feature = "bench")]
mod bench;
mod canvas;
mod charts;
mod dashboard;
mod heatmap;
mod panic;
mod training;

pub use training::Training;

use crate::error::Error;
use crate::forecast::Direction;
use crate::policy::WorldKind;
use crate::scenario::Scenario;
use crate::train::TrainingState;
use crate::view::heatmap::Cell;
use crate::view::Page;
use crate::workload::replay;
use crate::{link, presets};
use dashboard::{CanvasIds, Dashboard};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A core error as a JavaScript `Error`: its message, and `fields`, the dotted
/// scenario fields it is about (empty when none), for the page to mark.
pub(crate) fn js(e: Error) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    let fields: js_sys::Array = e.fields().into_iter().map(JsValue::from_str).collect();
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("fields"), &fields);
    error.into()
}

/// A value as plain JavaScript objects and arrays (maps too, not `Map`s).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_sys::Error::new(&e.to_string()).into())
}

/// A world of the comparison (the core's [`WorldKind`]), as JavaScript names it:
/// `World.Rule`; in Rust `WorldChoice`, since [`crate::world::World`] is the fleet.
#[wasm_bindgen(js_name = World)]
#[derive(Clone, Copy)]
pub enum WorldChoice {
    Static,
    Rule,
    Elastic,
    Oracle,
    Predictive,
    NoForecast,
}

impl From<WorldChoice> for WorldKind {
    fn from(w: WorldChoice) -> WorldKind {
        match w {
            WorldChoice::Static => WorldKind::Static,
            WorldChoice::Rule => WorldKind::Rule,
            WorldChoice::Elastic => WorldKind::Elastic,
            WorldChoice::Oracle => WorldKind::Oracle,
            WorldChoice::Predictive => WorldKind::Predictive,
            WorldChoice::NoForecast => WorldKind::NoForecast,
        }
    }
}

/// A direction of the heatmap's slice, or `Follow`: the current state's.
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub enum SliceDirection {
    Falling,
    Steady,
    Rising,
    Follow,
}

impl From<SliceDirection> for Option<Direction> {
    fn from(d: SliceDirection) -> Option<Direction> {
        match d {
            SliceDirection::Falling => Some(Direction::Falling),
            SliceDirection::Steady => Some(Direction::Steady),
            SliceDirection::Rising => Some(Direction::Rising),
            SliceDirection::Follow => None,
        }
    }
}

/// The simulation and its dashboard.
#[wasm_bindgen]
pub struct Playground {
    page: Page,
    dashboard: Dashboard,
}

/// Public methods, exported to JavaScript.
#[wasm_bindgen]
impl Playground {
    /// A playground for a scenario (JSON, as `presetScenario` returns) drawing on
    /// the canvases named in `canvases`: `{capacity, latency, cost, heatmap,
    /// forecast, curve, forensics}`, each a canvas element id. The agent is
    /// untrained: `startTraining`, or `adoptPrebuilt` a preset's training.
    /// A replay scenario needs the CSV text in `replay_csv`; others ignore it.
    #[wasm_bindgen(constructor)]
    pub fn new(
        scenario_json: &str,
        canvases: JsValue,
        replay_csv: Option<String>,
    ) -> Result<Playground, JsValue> {
        let ids = CanvasIds::read(&canvases).map_err(|e| js_sys::Error::new(&e))?;
        let scenario = Scenario::from_json(scenario_json).map_err(js)?;
        let replay = replay::data_for(&scenario, replay_csv.as_deref()).map_err(js)?;
        let dashboard = Dashboard::find(&ids).map_err(|e| js_sys::Error::new(&e))?;
        let page = Page::new(scenario, replay.as_ref()).map_err(js)?;
        Ok(Playground { page, dashboard })
    }

    /// One frame's work ([`Page::advance`]): `out_of_time` is called between
    /// small pieces of it and returns true once the frame's budget is spent.
    /// Returns `{work, played, changed}`.
    pub fn advance(
        &mut self,
        speed: u32,
        out_of_time: &js_sys::Function,
    ) -> Result<JsValue, JsValue> {
        let mut spent = || out_of_time.call0(&JsValue::NULL).map(|v| v.is_truthy()).unwrap_or(true);
        let frame = self.page.advance(speed, &mut spent).map_err(js)?;
        to_js(&frame)
    }

    /// Plays up to `n` steps of every world; returns how many were played.
    pub fn step(&mut self, n: u32) -> u32 {
        self.page.step(n)
    }

    /// Plays or pauses; false when refused (training on the page's thread).
    #[wasm_bindgen(js_name = setPlaying)]
    pub fn set_playing(&mut self, on: bool) -> bool {
        self.page.set_playing(on)
    }

    #[wasm_bindgen(getter)]
    pub fn playing(&self) -> bool {
        self.page.playing()
    }

    /// The next step to be played.
    #[wasm_bindgen(getter, js_name = stepIndex)]
    pub fn step_index(&self) -> u32 {
        self.page.step_index() as u32
    }

    /// Whether training is under way (on this thread or in a worker).
    #[wasm_bindgen(getter)]
    pub fn training(&self) -> bool {
        self.page.training() != crate::view::TrainingPlace::Idle
    }

    /// Whether every agent has played its planned episodes (the ablation's too,
    /// when its world is shown).
    #[wasm_bindgen(getter)]
    pub fn trained(&self) -> bool {
        self.page.trained()
    }

    /// Whether the forecaster's pre-training is over (at once unless learned).
    #[wasm_bindgen(getter)]
    pub fn fitted(&self) -> bool {
        self.page.session.trainer.fit_done()
    }

    /// Gives up the training under way (a worker that failed).
    #[wasm_bindgen(js_name = stopTraining)]
    pub fn stop_training(&mut self) {
        self.page.stop_training();
    }

    /// The step a link opens at, reached (paused) once training is done.
    #[wasm_bindgen(js_name = setStartStep)]
    pub fn set_start_step(&mut self, step: u32) {
        self.page.set_start_step(step as usize);
    }

    /// Whether the run plays once training is done (a link opens paused:
    /// `setAutoplay(false)`).
    #[wasm_bindgen(js_name = setAutoplay)]
    pub fn set_autoplay(&mut self, on: bool) {
        self.page.set_autoplay(on);
    }

    /// Goes to `step`, paused ([`Page::seek`]): forward by playing on, back by
    /// replaying from step 0, across frames (`seeking` until there).
    pub fn seek(&mut self, step: u32) {
        self.page.seek(step as usize);
    }

    #[wasm_bindgen(getter)]
    pub fn seeking(&self) -> bool {
        self.page.seeking()
    }

    /// Zooms the capacity chart to `hours` around the current step (0: the whole run).
    #[wasm_bindgen(js_name = setZoom)]
    pub fn set_zoom(&mut self, hours: f64) {
        self.page.set_zoom(hours);
    }

    /// Goes to moment `index` of `metrics().moments` ([`Page::open_moment`]);
    /// returns its line.
    #[wasm_bindgen(js_name = openMoment)]
    pub fn open_moment(&mut self, index: u32) -> Result<String, JsValue> {
        self.page.open_moment(index as usize).map_err(js)
    }

    /// The step under a point of the capacity chart (CSS pixels from its
    /// top-left corner), clamped to the run, or `undefined` outside its plot.
    #[wasm_bindgen(js_name = stepAt)]
    pub fn step_at(&self, x: f64, y: f64) -> Option<u32> {
        self.dashboard.step_at(x, y).map(|s| s as u32)
    }

    /// The moment marked under a point of the capacity chart (its index in
    /// `metrics().moments`), or `undefined`.
    #[wasm_bindgen(js_name = momentAt)]
    pub fn moment_at(&self, x: f64, y: f64) -> Option<u32> {
        self.dashboard.moment_at(x, y).map(|i| i as u32)
    }

    /// Every text drawn by the last `render`, `[{panel, text, x, y, w, h, area:
    /// {x, y, w, h}}]` in CSS pixels from its canvas's top-left corner, `area`
    /// being the box it must stay inside (for the tests: no label outside its
    /// chart).
    #[wasm_bindgen(js_name = textBoxes)]
    pub fn text_boxes(&self) -> Result<JsValue, JsValue> {
        to_js(&self.dashboard.text_boxes())
    }

    /// Starts the planned training: on this thread (`here`, no worker) or in a
    /// worker, whose tables `adoptTraining` takes.
    #[wasm_bindgen(js_name = startTraining)]
    pub fn start_training(&mut self, here: bool) {
        self.page.start_training(here);
    }

    /// Trains up to `episodes` more planned episodes on this thread (the bench
    /// mode's; the page trains through `startTraining` and `advance`).
    #[cfg(feature = "bench")]
    pub fn train(&mut self, episodes: u32) -> Result<u32, JsValue> {
        self.page.train(episodes).map_err(js)
    }

    /// Adds `episodes` to the training plan (the Train button).
    #[wasm_bindgen(js_name = planTraining)]
    pub fn plan_training(&mut self, episodes: u32) {
        self.page.plan_training(episodes);
    }

    /// Takes a worker's training state of the same scenario for the Elastic
    /// world's agent; true, and training finished (the run restarts, then plays
    /// or goes to the link's step), once every plan is complete.
    #[wasm_bindgen(js_name = adoptTraining)]
    pub fn adopt_training(
        &mut self,
        table: String,
        curve: Vec<f64>,
        episode: u32,
        episodes: u32,
    ) -> Result<bool, JsValue> {
        let done = self
            .page
            .adopt_training(&TrainingState { table, curve, episode, episodes })
            .map_err(js)?;
        if done {
            self.page.training_finished();
        }
        Ok(done)
    }

    /// The same for the ablation's agent (`Training.ablationTable` and the rest).
    #[wasm_bindgen(js_name = adoptAblation)]
    pub fn adopt_ablation(
        &mut self,
        table: String,
        curve: Vec<f64>,
        episode: u32,
        episodes: u32,
    ) -> Result<bool, JsValue> {
        let done = self
            .page
            .adopt_ablation(&TrainingState { table, curve, episode, episodes })
            .map_err(js)?;
        if done {
            self.page.training_finished();
        }
        Ok(done)
    }

    /// Adopts a preset's training done at build time (`trained-<preset>.json`:
    /// its fingerprint and state) if it was made for exactly this scenario: true,
    /// and training is finished unless the ablation's agent still needs it
    /// (`trained`). False, nothing changed, otherwise.
    #[wasm_bindgen(js_name = adoptPrebuilt)]
    pub fn adopt_prebuilt(
        &mut self,
        fingerprint: &str,
        table: String,
        curve: Vec<f64>,
        episode: u32,
        episodes: u32,
    ) -> Result<bool, JsValue> {
        let state = TrainingState { table, curve, episode, episodes };
        let adopted = self.page.adopt_prebuilt(fingerprint, &state).map_err(js)?
            && self.page.session.trainer.done();
        if adopted && self.page.trained() {
            self.page.training_finished();
        }
        Ok(adopted)
    }

    /// The training state, `{table, curve, episode, episodes}`, for a worker to
    /// continue from (`Training.resume`).
    #[wasm_bindgen(js_name = trainingState)]
    pub fn training_state(&self) -> Result<JsValue, JsValue> {
        to_js(&self.page.session.trainer.state())
    }

    /// The ablation's training state likewise (`Training.resumeAblation`), or
    /// `undefined` when its world is not shown.
    #[wasm_bindgen(js_name = ablationState)]
    pub fn ablation_state(&self) -> Result<JsValue, JsValue> {
        to_js(&self.page.session.blind.as_ref().map(|t| t.state()))
    }

    /// Adds or removes the ablation world, "Elastic, no forecast" (the agent
    /// trained without the forecast in its state); the run restarts. Added, its
    /// agent needs training (`trained` is false): `startTraining`.
    #[wasm_bindgen(js_name = setAblation)]
    pub fn set_ablation(&mut self, on: bool) {
        self.page.set_ablation(on);
    }

    /// Restarts the run at step 0 with the agent as trained so far.
    pub fn reset(&mut self) {
        self.page.reset();
    }

    /// Draws every panel.
    pub fn render(&mut self) -> Result<(), JsValue> {
        self.dashboard.draw(&self.page).map_err(|e| js_sys::Error::new(&e).into())
    }

    /// Step, training, the scoreboard with its verdict, each world now
    /// ([`crate::view::Metrics`]). Once a frame: the getters are cheaper.
    pub fn metrics(&self) -> Result<JsValue, JsValue> {
        to_js(&self.page.metrics())
    }

    /// The forensics of the Elastic world's decision at `step`, pinned to the
    /// forensics panel until the next step. Costs a replay: call it on demand.
    pub fn explain(&mut self, step: u32) -> Result<String, JsValue> {
        self.page.explain(step as usize).map_err(js)
    }

    #[wasm_bindgen(js_name = forensicsText)]
    pub fn forensics_text(&self) -> String {
        self.page.forensics_text()
    }

    /// The heatmap cell under a point of its canvas (CSS pixels from its top-left
    /// corner): `{bin, row}`, or `null` outside the cells.
    #[wasm_bindgen(js_name = cellAt)]
    pub fn cell_at(&self, x: f64, y: f64) -> JsValue {
        self.dashboard.heatmap.cell_at(x, y).and_then(|c| to_js(&c).ok()).unwrap_or(JsValue::NULL)
    }

    #[wasm_bindgen(js_name = describeCell)]
    pub fn describe_cell(&self, bin: u32, row: u32) -> Result<String, JsValue> {
        self.page.describe_cell(Cell { bin: bin as usize, row }).map_err(js)
    }

    #[wasm_bindgen(js_name = explainCell)]
    pub fn explain_cell(&mut self, bin: u32, row: u32) -> Result<String, JsValue> {
        self.page.explain_cell(Cell { bin: bin as usize, row }).map_err(js)
    }

    /// Marks a heatmap cell as the keyboard cursor.
    #[wasm_bindgen(js_name = setCursor)]
    pub fn set_cursor(&mut self, bin: u32, row: u32) {
        self.page.cursor = Some(Cell { bin: bin as usize, row });
    }

    #[wasm_bindgen(js_name = clearCursor)]
    pub fn clear_cursor(&mut self) {
        self.page.cursor = None;
    }

    /// The heatmap's slice.
    #[wasm_bindgen(js_name = setSlice)]
    pub fn set_slice(&mut self, trend: SliceDirection, forecast: SliceDirection) {
        self.page.slice.trend = trend.into();
        self.page.slice.forecast = forecast.into();
    }

    /// Shows or hides a world's lines.
    #[wasm_bindgen(js_name = showWorld)]
    pub fn show_world(&mut self, world: WorldChoice, on: bool) {
        self.page.show_world(world.into(), on);
    }

    #[wasm_bindgen(js_name = setLearnLive)]
    pub fn set_learn_live(&mut self, on: bool) {
        self.page.set_learn_live(on);
    }

    /// The scenario as JSON (every field, defaults included).
    #[wasm_bindgen(js_name = scenarioJson)]
    pub fn scenario_json(&self) -> String {
        self.page.session.scenario.to_json()
    }

    /// The per-step report of every world so far, as the CLI's `compare --out` CSV.
    #[wasm_bindgen(js_name = stepsCsv)]
    pub fn steps_csv(&self) -> Result<String, JsValue> {
        self.page.steps_csv().map_err(js)
    }

    /// The trained agent's Q-table as JSON (the CLI's `train --out`).
    #[wasm_bindgen(js_name = tableJson)]
    pub fn table_json(&self) -> String {
        self.page.session.trainer.agent.table.to_json()
    }

    /// Takes a Q-table (JSON) as the trained agent and restarts the run; an error
    /// names what is wrong, and nothing changes then.
    #[wasm_bindgen(js_name = loadTable)]
    pub fn load_table(&mut self, json: &str) -> Result<(), JsValue> {
        self.page.load_table(json).map_err(js)
    }
}

/// A preset scenario as JSON ([`presets::preset`]).
#[wasm_bindgen(js_name = presetScenario)]
pub fn preset_scenario(name: &str) -> Result<String, JsValue> {
    presets::preset(name).map(|s| s.to_json()).map_err(js)
}

/// The preset names, in the order the page lists them.
#[wasm_bindgen(js_name = presetNames)]
pub fn preset_names() -> Vec<String> {
    presets::NAMES.iter().map(|n| n.to_string()).collect()
}

/// What a preset is, in a sentence, and for a real-trace preset the path of its
/// CSV, which the page serves at that path beside itself: `{about, trace}`.
#[wasm_bindgen(js_name = presetInfo)]
pub fn preset_info(name: &str) -> Result<JsValue, JsValue> {
    let trace = presets::TRACES.iter().find(|t| t.0 == name).map(|t| t.1);
    to_js(&(presets::describe(name), trace))
}

/// The preset a scenario (JSON) is, by its workload, if any.
#[wasm_bindgen(js_name = presetOf)]
pub fn preset_of(scenario_json: &str) -> Result<Option<String>, JsValue> {
    let s = Scenario::from_json(scenario_json).map_err(js)?;
    Ok(presets::name_of(&s).map(String::from))
}

/// What the importer read of a replay scenario's (JSON) CSV, its guesses and its
/// warnings, one per line ([`replay::Import`]); empty for other scenarios.
#[wasm_bindgen(js_name = replayReport)]
pub fn replay_report(scenario_json: &str, csv: &str) -> Result<String, JsValue> {
    let s = Scenario::from_json(scenario_json).map_err(js)?;
    let import = replay::import_for(&s, Some(csv)).map_err(js)?;
    Ok(import.map(|i| i.lines().join("\n")).unwrap_or_default())
}

/// Every scenario knob ([`crate::scenario::knobs`]): `{path, label, kind, lo,
/// hi, options, group, legend, families}`, in order; the page builds its
/// scenario form from those with a group.
#[wasm_bindgen]
pub fn knobs() -> Result<JsValue, JsValue> {
    let mut list: Vec<Described> = crate::scenario::knobs()
        .iter()
        .map(|k| Described {
            path: k.path,
            label: k.label,
            kind: k.kind.name(),
            lo: k.kind.range().map(|r| r.0),
            hi: k.kind.range().map(|r| r.1),
            options: k.kind.options(),
            group: k.group,
            legend: k.group.legend(),
            families: k.families,
        })
        .collect();
    // The form's fieldsets in the groups' order, each knob in the table's.
    crate::math::sort_small_by_key(&mut list, |d| d.group);
    to_js(&list)
}

/// A knob as the page's form reads it.
#[derive(Serialize)]
struct Described {
    path: &'static str,
    label: &'static str,
    kind: &'static str,
    lo: Option<f64>,
    hi: Option<f64>,
    options: &'static [(&'static str, &'static str)],
    group: crate::scenario::Group,
    legend: &'static str,
    families: &'static [crate::scenario::Family],
}

/// The share link (the URL hash, without `#`) of a scenario (JSON) and of how the
/// page shows it (JSON: `{show_rule, show_oracle, show_predictive,
/// show_no_forecast, start_step, hide_controls}`).
#[wasm_bindgen(js_name = encodeLink)]
pub fn encode_link(scenario_json: &str, presentation_json: &str) -> Result<String, JsValue> {
    let s = Scenario::from_json(scenario_json).map_err(js)?;
    let p: link::Presentation = serde_json::from_str(presentation_json)
        .map_err(|e| js_sys::Error::new(&format!("link view: {e}")))?;
    Ok(link::encode(&s, &p))
}

/// Reads a share link (with or without `#`): `{scenario, view}`, the scenario as
/// JSON. The error says what is wrong with the link; nothing of it is used then.
#[wasm_bindgen(js_name = decodeLink)]
pub fn decode_link(text: &str) -> Result<JsValue, JsValue> {
    let (s, view) = link::decode(text).map_err(js)?;
    to_js(&Linked { scenario: s.to_json(), view })
}

#[derive(Serialize)]
struct Linked {
    scenario: String,
    view: link::Presentation,
}

/// The scenario (JSON) with its workload replaced by a replay of a CSV file
/// ([`replay::scenario_for`]). Pass the same `csv` to `Playground`.
#[wasm_bindgen(js_name = replayScenario)]
pub fn replay_scenario(scenario_json: &str, file_name: &str, csv: &str) -> Result<String, JsValue> {
    let s = Scenario::from_json(scenario_json).map_err(js)?;
    replay::scenario_for(&s, file_name, csv).map(|s| s.to_json()).map_err(js)
}

/// The largest trace file the page reads (bytes): the importer's cap.
#[wasm_bindgen(js_name = replayMaxBytes)]
pub fn replay_max_bytes() -> u32 {
    replay::MAX_BYTES as u32
}

/// A scenario (JSON) with `key=value` overrides applied (dotted keys, as the
/// CLI's `--set`), validated; the error names every field out of range.
#[wasm_bindgen(js_name = applyOverrides)]
pub fn apply_overrides(scenario_json: &str, overrides: Vec<String>) -> Result<String, JsValue> {
    let s = Scenario::from_json(scenario_json).map_err(js)?;
    s.with_overrides(&overrides).map(|s| s.to_json()).map_err(js)
}

/// A seed drawn from the platform's entropy (`getrandom`: the browser's
/// `crypto.getRandomValues`), for "New seed": shown and put in the link, so
/// the run it gives stays reproducible. Below 2^32, so that it reads easily.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<u32, JsValue> {
    crate::rng::entropy_seed().map_err(|e| js_sys::Error::new(&e).into())
}
