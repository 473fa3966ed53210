//! Training off the page's thread: the page runs a [`Training`] in a Web Worker
//! (an episode can take longer than a frame) and hands each table it sends to its
//! [`Playground`](super::Playground) with `adoptTraining`, and the ablation's with
//! `adoptAblation`. It is the core's [`Trainer`] for the same scenario (and its
//! [`Trainer::blind_twin`] for the ablation), trained as the page's session trains
//! them, so the tables are the ones the page's thread would have made.

use super::{js, to_js};
use crate::scenario::Scenario;
use crate::train::{Trainer, TrainingState};
use crate::workload::replay;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Training {
    trainer: Trainer,
    /// The ablation's agent's training, when asked for.
    blind: Option<Trainer>,
}

/// Public methods, exported to JavaScript.
#[wasm_bindgen]
impl Training {
    /// Training of the scenario's agent, `agent.episodes` episodes planned.
    /// A replay scenario needs its CSV text in `replay_csv`, as `Playground` does.
    #[wasm_bindgen(constructor)]
    pub fn new(scenario_json: &str, replay_csv: Option<String>) -> Result<Training, JsValue> {
        let scenario = Scenario::from_json(scenario_json).map_err(js)?;
        let replay = replay::data_for(&scenario, replay_csv.as_deref()).map_err(js)?;
        let run = crate::world::service::for_run(&scenario, replay.as_ref()).map_err(js)?;
        Ok(Training { trainer: Trainer::new(&run, replay.as_ref()), blind: None })
    }

    /// Plays up to `episodes` of each agent's planned episodes (as the page's
    /// session does); returns how many the agent that played more played.
    pub fn run(&mut self, episodes: u32) -> Result<u32, JsValue> {
        // A finished plan plays nothing (nor pre-trains a forecaster again).
        let played =
            if self.trainer.done() { 0 } else { self.trainer.run(episodes).map_err(js)? };
        let blind = match &mut self.blind {
            Some(t) => t.run(episodes).map_err(js)?,
            None => 0,
        };
        Ok(played.max(blind))
    }

    /// Trains the ablation's agent too (the same agent without the forecast in
    /// its state), continuing from the page's state of it (its plan included).
    #[wasm_bindgen(js_name = resumeAblation)]
    pub fn resume_ablation(
        &mut self,
        table: String,
        curve: Vec<f64>,
        episode: u32,
        episodes: u32,
    ) -> Result<(), JsValue> {
        let blind = self.blind.get_or_insert_with(|| self.trainer.blind_twin());
        blind.restore(&TrainingState { table, curve, episode, episodes }).map_err(js)
    }

    /// Continues from a training state of the same scenario (the page's).
    pub fn resume(
        &mut self,
        table: String,
        curve: Vec<f64>,
        episode: u32,
        episodes: u32,
    ) -> Result<(), JsValue> {
        self.trainer.restore(&TrainingState { table, curve, episode, episodes }).map_err(js)
    }

    /// Adds `episodes` to the plan.
    pub fn plan(&mut self, episodes: u32) {
        self.trainer.plan(episodes);
    }

    pub fn episode(&self) -> u32 {
        self.trainer.episode
    }

    pub fn episodes(&self) -> u32 {
        self.trainer.episodes
    }

    /// Whether every agent has played its planned episodes.
    pub fn done(&self) -> bool {
        self.trainer.done() && self.blind.as_ref().is_none_or(Trainer::done)
    }

    /// The Q-table as trained so far (the Q-table export format).
    pub fn table(&self) -> String {
        self.trainer.agent.table.to_json()
    }

    /// Reward of each episode played.
    pub fn curve(&self) -> Vec<f64> {
        self.trainer.curve.clone()
    }

    /// The ablation's training: `{episode, episodes}`, with its `table` and
    /// `curve` when `with_table`; `undefined` when there is none.
    pub fn ablation(&self, with_table: bool) -> Result<JsValue, JsValue> {
        let Some(t) = &self.blind else { return Ok(JsValue::UNDEFINED) };
        let table = with_table.then(|| t.agent.table.to_json());
        let curve = with_table.then_some(t.curve.as_slice());
        to_js(&Ablation { episode: t.episode, episodes: t.episodes, table, curve })
    }
}

/// The ablation's training as the worker posts it.
#[derive(Serialize)]
struct Ablation<'a> {
    episode: u32,
    episodes: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    curve: Option<&'a [f64]>,
}
