//! Training off the page's thread: the page runs a [`Training`] in a Web Worker
//! (an episode can take longer than a frame) and hands each table it sends to its
//! [`Playground`](super::Playground) with `adoptTraining`. It is the session's own
//! [`Trainer`] for the same scenario, so the table is the one `Playground::train`
//! would have made on the page's thread.

use super::panic;
use crate::agent::QTable;
use crate::scenario::Scenario;
use crate::train::Trainer;
use serde::Serialize;
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
    pub fn new(scenario_json: &str, replay_csv: Option<String>) -> Result<Training, JsError> {
        panic::install();
        let scenario = Scenario::from_json(scenario_json).map_err(|e| JsError::new(&e))?;
        let replay = super::replay_data(&scenario, replay_csv.as_deref()).map_err(|e| JsError::new(&e))?;
        Ok(Training { trainer: Trainer::new(&scenario, replay.as_ref()) })
    }

    /// Plays up to `episodes` of the planned episodes; returns how many.
    pub fn run(&mut self, episodes: u32) -> Result<u32, JsError> {
        self.trainer.run(episodes).map_err(|e| JsError::new(&e))
    }

    /// Continues from a training state of the same scenario (the page's, after
    /// it adopted the build's training of a preset): its table (export format),
    /// learning curve, episodes played and planned.
    pub fn resume(&mut self, table_json: &str, curve: Vec<f64>, episode: u32, episodes: u32) -> Result<(), JsError> {
        set_state(&mut self.trainer, table_json, curve, episode, episodes).map_err(|e| JsError::new(&e))
    }

    /// Adds `episodes` to the plan.
    pub fn plan(&mut self, episodes: u32) {
        plan(&mut self.trainer, episodes);
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

/// Adds `episodes` to a trainer's plan, after the episodes already played.
pub fn plan(trainer: &mut Trainer, episodes: u32) {
    trainer.episodes = trainer.episodes.max(trainer.episode).saturating_add(episodes);
}

/// A trainer's state as handed between the page, its worker and the build:
/// the Q-table (export format), the learning curve, episodes played and planned.
#[derive(Serialize)]
pub struct State {
    pub table: String,
    pub curve: Vec<f64>,
    pub episode: u32,
    pub episodes: u32,
}

impl State {
    pub fn of(trainer: &Trainer) -> State {
        State { table: trainer.agent.table.to_json(), curve: trainer.curve.clone(), episode: trainer.episode, episodes: trainer.episodes }
    }
}

/// Sets a trainer's state from another trainer of the same scenario; refuses a
/// table of another state space or an inconsistent count, leaving it unchanged.
pub fn set_state(trainer: &mut Trainer, table_json: &str, curve: Vec<f64>, episode: u32, episodes: u32) -> Result<(), String> {
    let table = QTable::from_json(table_json).map_err(|e| e.to_string())?;
    if table.space != trainer.agent.table.space {
        return Err("the trained table's state space does not match this scenario's: it was trained for another scenario".into());
    }
    if curve.len() != episode as usize || episode > episodes {
        return Err(format!("inconsistent training state: {} rewards for {episode} of {episodes} episodes", curve.len()));
    }
    trainer.agent.table = table;
    trainer.curve = curve;
    trainer.episode = episode;
    trainer.episodes = episodes;
    Ok(())
}
