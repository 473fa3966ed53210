//! The `Playground` handle: the page's one object over the core's [`Page`] and
//! the dashboard drawing it. Each method only translates a call from JavaScript
//! into the page's view-model (or the dashboard's hit-testing) and its answer
//! back; it is separate from the free functions ([`super::scenarios`]), which need
//! no simulation.

use super::dashboard::{CanvasIds, Dashboard};
use super::{js, to_js, SliceDirection, WorldChoice};
use crate::scenario::Scenario;
use crate::train::TrainingState;
use crate::view::heatmap::Cell;
use crate::view::Page;
use crate::workload::replay;
use wasm_bindgen::prelude::*;

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

    /// Replays every world's decisions so far with the exact physics, over the
    /// next frames (the run pauses); `metrics().exact` shows both physics'
    /// figures. An error says why it cannot (nothing played yet, a run too long).
    #[wasm_bindgen(js_name = replayExact)]
    pub fn replay_exact(&mut self) -> Result<(), JsValue> {
        self.page.replay_exact().map_err(|e| js_sys::Error::new(&e).into())
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
    /// (`trained`). False, nothing changed, otherwise. With the file's
    /// pre-trained forecaster (`forecaster`: its state, `batches` its length),
    /// none is pre-trained here.
    /// Each field of the file is an argument, as the page reads them (a struct
    /// passed through serde would cost the page's wasm its deserialiser).
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = adoptPrebuilt)]
    pub fn adopt_prebuilt(
        &mut self,
        fingerprint: &str,
        table: String,
        curve: Vec<f64>,
        episode: u32,
        episodes: u32,
        forecaster: Option<Vec<f64>>,
        batches: u32,
    ) -> Result<bool, JsValue> {
        let state = TrainingState { table, curve, episode, episodes };
        let fitted = forecaster.as_deref().map(|w| (w, batches as usize));
        let adopted = self.page.adopt_prebuilt(fingerprint, &state, fitted).map_err(js)?
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

    /// This Playground's new agent takes over from `old`'s, whose Elastic line
    /// and figures it keeps as "before" ([`crate::view::Page::keep_before`]).
    #[wasm_bindgen(js_name = keepBefore)]
    pub fn keep_before(&mut self, old: &Playground) {
        self.page.keep_before(&old.page);
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
