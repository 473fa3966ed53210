//! Training the agent and taking its tables: training on this thread or in a
//! worker, pre-training a learned forecaster, adopting a worker's, a build's or
//! a file's tables, the ablation, and where the run goes once training is done.
//! Apart because it changes the run's worlds, which the rest only plays.

use super::Page;
use crate::agent::QTable;
use crate::error::{Error, Result};
use crate::policy::WorldKind;
use crate::train::TrainingState;
use serde::Serialize;

/// Where the agent's training runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingPlace {
    /// Not training: the trained agent plays.
    Idle,
    /// On the page's thread, across frames; the run waits.
    Here,
    /// In a worker, whose tables the page adopts; the run plays on.
    Elsewhere,
}

impl Page {
    /// Starts the planned training: on this thread across frames (`here`, the
    /// run paused), or in a worker while the run plays on.
    pub fn start_training(&mut self, here: bool) {
        self.training = if here { TrainingPlace::Here } else { TrainingPlace::Elsewhere };
        self.playing = !here;
    }

    pub fn training(&self) -> TrainingPlace {
        self.training
    }

    /// Gives up the training under way (a worker that failed); the agent keeps
    /// what it learnt so far.
    pub fn stop_training(&mut self) {
        self.training = TrainingPlace::Idle;
    }

    /// Training ended (here, or the worker's last table adopted): to the start
    /// step, then play if autoplay is on.
    pub fn training_finished(&mut self) {
        self.training = TrainingPlace::Idle;
        self.go_to_start();
    }

    /// The step the run goes to once training is done (a link's, or the step
    /// at which a retrained agent takes over from the previous one); then it
    /// plays if autoplay is on ([`Page::set_autoplay`]). Set once training is
    /// already done, the run goes there now.
    pub fn set_start_step(&mut self, step: usize) {
        self.start_step = step;
        if self.ready() {
            self.go_to_start();
        }
    }

    /// Whether the run plays once training is done and the start step reached
    /// (true unless a link says otherwise: a link opens paused). Set once
    /// training is already done, it applies now: to the start step under way,
    /// or else at once.
    pub fn set_autoplay(&mut self, on: bool) {
        self.autoplay = on;
        if self.ready() {
            if self.seeking() {
                self.play_when_there = on;
            } else {
                self.playing = on && !self.finished();
            }
        }
    }

    /// Whether training is done and not running: the run is the trained agent's.
    fn ready(&self) -> bool {
        self.training == TrainingPlace::Idle && self.session.trained()
    }

    /// To the start step (a fast-forward, after the lookahead), then playing if
    /// autoplay is on.
    fn go_to_start(&mut self) {
        let start = std::mem::take(&mut self.start_step);
        self.seek(start);
        if self.seeking() {
            self.play_when_there = self.autoplay;
        } else if self.autoplay {
            self.set_playing(true);
        }
    }

    /// Pre-trains a learned forecaster for up to `batches` mini-batches; true once
    /// done. When the fit ends after training did, the run restarts with it.
    pub fn fit(&mut self, batches: usize) -> Result<bool> {
        let t = &mut self.session.trainer;
        if t.fit_done() {
            return Ok(true);
        }
        let done = t.fit(batches)?.is_done();
        if done && self.session.trained() {
            self.restart();
            self.forget_lookahead();
        }
        Ok(done)
    }

    /// Trains up to `episodes` more of the planned episodes (of each agent, the
    /// ablation's too when it is shown); when the plan is complete the run
    /// restarts with the trained agents. Returns those played (by the agent that
    /// played more).
    pub fn train(&mut self, episodes: u32) -> Result<u32> {
        let played = self.session.train(episodes)?;
        if played > 0 {
            self.restarted();
            self.forget_lookahead();
        }
        Ok(played)
    }

    /// Adds `episodes` to the training plan of each agent (the Train button).
    pub fn plan_training(&mut self, episodes: u32) {
        self.session.trainer.plan(episodes);
        if let Some(blind) = &mut self.session.blind {
            blind.plan(episodes);
        }
    }

    /// Whether every agent shown has played its planned episodes.
    pub fn trained(&self) -> bool {
        self.session.trained()
    }

    /// Takes a training state of the same scenario (a worker's) for the Elastic
    /// world's agent. While a plan is unfinished the worlds play on with the
    /// tables so far; once every plan is finished (the ablation's too, when it is
    /// shown) the run restarts with the trained agents and true is returned.
    pub fn adopt_training(&mut self, state: &TrainingState) -> Result<bool> {
        self.session.trainer.restore(state)?;
        Ok(self.adopted(WorldKind::Elastic))
    }

    /// The same for the ablation's agent (a worker trains both).
    pub fn adopt_ablation(&mut self, state: &TrainingState) -> Result<bool> {
        let blind = self.session.blind.as_mut().ok_or_else(|| {
            Error::Training(format!("there is no {} world to train", WorldKind::NoForecast))
        })?;
        blind.restore(state)?;
        Ok(self.adopted(WorldKind::NoForecast))
    }

    /// After a training state was taken for the agent of world `kind`: restarts
    /// the run if every plan is finished (true), else gives that world's agent
    /// the new table.
    fn adopted(&mut self, kind: WorldKind) -> bool {
        if self.session.trained() {
            self.restart();
            self.forget_lookahead();
            return true;
        }
        let trainer = if kind == WorldKind::NoForecast {
            self.session.blind.as_ref()
        } else {
            Some(&self.session.trainer)
        };
        let table = trainer.map(|t| t.agent.table.clone());
        if let (Some(table), Some(agent)) = (table, self.agent_mut(kind)) {
            agent.table = table;
        }
        false
    }

    /// Adds the ablation world ("Elastic, no forecast": the agent trained and run
    /// without the forecast in its state), untrained until training trains it, or
    /// removes it; the run restarts when it changes. Removed, nothing of it is
    /// left to train: training under way stops once the Elastic world's is done.
    pub fn set_ablation(&mut self, on: bool) {
        if on == self.session.blind.is_some() {
            return;
        }
        self.session.set_ablation(on);
        self.restarted();
        self.forget_lookahead();
        if !on && self.session.trained() {
            self.training = TrainingPlace::Idle;
        }
    }

    /// Adopts a preset's training done at build time ([`crate::train::Prebuilt`])
    /// when it was made for exactly this scenario (its fingerprint is this
    /// scenario's): true, and the Elastic world's agent is trained (the
    /// ablation's, when shown, still needs training: [`Page::trained`]); false,
    /// and nothing changed, for another scenario.
    /// With the build's pre-trained forecaster (`forecaster`: its state and
    /// batches), the forecaster's pre-training is taken too instead of run here.
    pub fn adopt_prebuilt(
        &mut self,
        fingerprint: &str,
        state: &TrainingState,
        forecaster: Option<(&[f64], usize)>,
    ) -> Result<bool> {
        if fingerprint != self.session.scenario.fingerprint() {
            return Ok(false);
        }
        if let Some((weights, batches)) = forecaster {
            if !self.session.trainer.fit_done() {
                self.session.trainer.adopt_fitted_forecaster(weights, batches)?;
            }
        }
        self.adopt_training(state)?;
        Ok(true)
    }

    /// Takes a Q-table (export format) as the trained agent and restarts the run;
    /// training under way is given up (it would replace the table).
    pub fn load_table(&mut self, json: &str) -> Result<()> {
        let table = QTable::from_json(json)
            .map_err(|e| Error::QTable(format!("this is not a Q-table this page can use: {e}")))?;
        self.session
            .load_table(table)
            .map_err(|e| e.context("this Q-table does not fit the scenario"))?;
        self.training = TrainingPlace::Idle;
        self.restarted();
        self.forget_lookahead();
        Ok(())
    }
}
