//! Training off the page's thread: the page runs a [`Training`] in a Web Worker
//! (an episode can take longer than a frame) and hands each table it sends to its
//! [`Playground`](super::Playground) with `adoptTraining`. It is the core's
//! [`Trainer`] for the same scenario, so the table is the one the page's thread
//! would have made.

use super::js;
use crate::scenario::Scenario;
use crate::train::{Trainer, TrainingState};
use crate::workload::replay;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Training {
    trainer: Trainer,
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
        Ok(Training { trainer: Trainer::new(&run, replay.as_ref()) })
    }

    /// Plays up to `episodes` of the planned episodes; returns how many.
    pub fn run(&mut self, episodes: u32) -> Result<u32, JsValue> {
        self.trainer.run(episodes).map_err(js)
    }

    /// Continues from a training state of the same scenario (the page's).
    pub fn resume(&mut self, table: String, curve: Vec<f64>, episode: u32, episodes: u32) -> Result<(), JsValue> {
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

    pub fn done(&self) -> bool {
        self.trainer.done()
    }

    /// The Q-table as trained so far (the Q-table export format).
    pub fn table(&self) -> String {
        self.trainer.agent.table.to_json()
    }

    /// Reward of each episode played.
    pub fn curve(&self) -> Vec<f64> {
        self.trainer.curve.clone()
    }
}
