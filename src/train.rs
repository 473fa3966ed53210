//! Training: episodes of the Q-learning agent on traces of the scenario's family
//! with seeds other than the evaluation seed, one reward total per episode (the
//! learning curve). Chunkable: `run(k)` plays at most `k` episodes and returns, so
//! the page can show progress between frames; the result does not depend on how
//! the episodes were chunked.
//!
//! Training always plays the fluid physics (the exact one is for checking, and a
//! hundred times slower). A replay has one trace only: its training episodes are
//! that trace rotated by a seed-dependent offset, so the agent sees the same kind
//! of demand at other times of day (documented in the README as a limit: the
//! evaluation days are among the training data).
//!
//! A learned forecaster (LSTM, TCN) is pre-trained once, before the first
//! episode, on the traces of the first [`FIT_TRACES`] episodes, and the agent
//! carries it from then on: every episode, and the trained agent, start from the
//! pre-trained weights (each run then keeps learning online from its own past).
//! The seasonal forecaster learns from the same traces, in one quick pass when
//! the trainer is made, whether their events come back day after day.
//! Pre-training takes about 1.6 s (LSTM) or 0.2 s (TCN) natively at the default
//! sizes, so it is chunkable too:
//! `fit(k)` does at most `k` mini-batches (each well under a millisecond) and tells
//! the progress, for a page that calls it from animation frames; `run` first
//! finishes whatever pre-training is left, so other callers need not know. The
//! result does not depend on the chunking either.

use crate::agent::{Mode, QAgent, QTable};
use crate::error::{Error, Result};
use crate::forecast::{self, FitProgress, Forecaster};
use crate::policy::{DecisionMaker, Observation};
use crate::queueing::LoadTables;
use crate::scenario::{Family, Physics, Scenario};
use crate::workload::{ReplayData, Trace};
use crate::world::{World, WorldConfig};
use serde::{Deserialize, Serialize};

/// The seed of training episode `episode`: a mix of the scenario's seed and the
/// episode number, never the evaluation seed itself.
pub fn training_seed(seed: u64, episode: u32) -> u64 {
    let mut z = seed
        ^ 0x7261_696e_696e_6700u64
            .wrapping_add(episode as u64 + 1)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    if z == seed {
        z.wrapping_add(1)
    } else {
        z
    }
}

/// Training traces a learned forecaster is pre-trained on: those of the first
/// episodes (about a month of demand at the default 3-day runs).
pub const FIT_TRACES: u32 = 8;

/// The pre-training of the scenario's forecaster.
#[derive(Debug, Clone)]
enum Pretraining {
    /// Not started: the first `fit` builds the traces.
    Pending,
    Running(Box<dyn Forecaster>, FitProgress),
    /// Done, or nothing to learn: the agent carries the forecaster.
    Done(FitProgress),
}

/// A trainer's state as handed between the page, its worker and the build: the
/// Q-table (export format), the learning curve, episodes played and planned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingState {
    pub table: String,
    pub curve: Vec<f64>,
    pub episode: u32,
    pub episodes: u32,
}

/// A preset's training done when the page is built (`train --state`): the
/// scenario it was trained for (JSON, for people and the CLI) and its
/// [`Scenario::fingerprint`] beside the state, so that the page adopts it only
/// for exactly that scenario without reading the scenario back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prebuilt {
    pub scenario: String,
    pub fingerprint: String,
    pub table: String,
    pub curve: Vec<f64>,
    pub episode: u32,
    pub episodes: u32,
    /// A learned forecaster's pre-trained state ([`Trainer::fitted_forecaster`]),
    /// so that the page need not pre-train it (seconds on a real trace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecaster: Option<PrebuiltForecaster>,
}

/// A pre-trained forecaster as the build ships it: its flat state and the
/// mini-batches its pre-training took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrebuiltForecaster {
    pub state: Vec<f64>,
    pub batches: usize,
}

impl Prebuilt {
    /// A trainer's state with the scenario it was trained for.
    pub fn of(scenario: &Scenario, state: TrainingState) -> Prebuilt {
        let TrainingState { table, curve, episode, episodes } = state;
        Prebuilt {
            scenario: scenario.to_json(),
            fingerprint: scenario.fingerprint(),
            table,
            curve,
            episode,
            episodes,
            forecaster: None,
        }
    }

    /// With the trainer's pre-trained forecaster, when it has one.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn with_forecaster(mut self, trainer: &Trainer) -> Prebuilt {
        self.forecaster = trainer
            .fitted_forecaster()
            .map(|(state, batches)| PrebuiltForecaster { state, batches });
        self
    }
}

/// A training run in progress.
#[derive(Debug, Clone)]
pub struct Trainer {
    scenario: Scenario,
    /// The episodes' worlds' configuration: one, so that every episode shares
    /// the load tables built by the first.
    config: WorldConfig,
    replay: Option<ReplayData>,
    pretraining: Pretraining,
    pub agent: QAgent,
    /// Episodes played so far, and the number asked for.
    pub episode: u32,
    pub episodes: u32,
    /// Reward total of each episode played.
    pub curve: Vec<f64>,
}

impl Trainer {
    /// A fresh agent to be trained for `s.agent.episodes` episodes; `s` as the
    /// worlds see it ([`crate::world::service::for_run`]).
    pub fn new(s: &Scenario, replay: Option<&ReplayData>) -> Trainer {
        let mut scenario = s.clone();
        scenario.queue.physics = Physics::Fluid;
        let mut agent = QAgent::new(&scenario);
        agent.mode = Mode::Learning;
        let pretraining = if s.forecast.method.is_learned() {
            Pretraining::Pending
        } else {
            Pretraining::Done(FitProgress::default())
        };
        let mut t = Trainer {
            agent,
            replay: replay.cloned(),
            pretraining,
            episode: 0,
            episodes: s.agent.episodes,
            curve: Vec::new(),
            config: WorldConfig::from_scenario(&scenario),
            scenario,
        };
        if t.scenario.forecast.method.learns_at_once() {
            t.fit_at_once();
        }
        t
    }

    /// The forecaster's learning from the training traces when it is one quick
    /// pass (a few milliseconds): done here, so that the trainer is ready at once
    /// (a trace that cannot be built is left to `run`, which says why).
    fn fit_at_once(&mut self) {
        let mut series = Vec::with_capacity(FIT_TRACES as usize);
        for e in 0..FIT_TRACES {
            match self.episode_trace(e) {
                Ok(t) => series.push(t.rates),
                Err(_) => return,
            }
        }
        let mut f = self.agent.forecaster().clone_box();
        f.fit(&series);
        self.agent.set_forecaster(f);
    }

    /// A fresh trainer of the same scenario and replay whose agent leaves the
    /// forecast out of its state (the ablation world's): it has nothing to
    /// pre-train, since it never reads a forecast.
    pub fn blind_twin(&self) -> Trainer {
        let mut t = Trainer::new(&self.scenario, self.replay.as_ref());
        t.agent = t.agent.clone().blind();
        t.pretraining = Pretraining::Done(FitProgress::default());
        t
    }

    /// Whether its agent leaves the forecast out of its state.
    pub fn is_blind(&self) -> bool {
        self.agent.is_blind()
    }

    pub fn done(&self) -> bool {
        self.episode >= self.episodes
    }

    /// The load tables of this training's worlds, for the judged run to share.
    pub fn tables(&self) -> &LoadTables {
        &self.config.tables
    }

    /// Adds `episodes` to the plan, after the episodes already played.
    pub fn plan(&mut self, episodes: u32) {
        self.episodes = self.episodes.max(self.episode).saturating_add(episodes);
    }

    /// The state to hand to another trainer of the same scenario.
    pub fn state(&self) -> TrainingState {
        TrainingState {
            table: self.agent.table.to_json(),
            curve: self.curve.clone(),
            episode: self.episode,
            episodes: self.episodes,
        }
    }

    /// Continues from another trainer's state of the same scenario; refuses a
    /// table of another state space or an inconsistent count, and then changes
    /// nothing.
    pub fn restore(&mut self, state: &TrainingState) -> Result<()> {
        let table = QTable::from_json(&state.table)?;
        if table.space != self.agent.table.space {
            return Err(Error::Training("the trained table's state space does not match this scenario's: it was trained for another scenario".into()));
        }
        let TrainingState { curve, episode, episodes, .. } = state;
        if curve.len() != *episode as usize || episode > episodes {
            return Err(Error::Training(format!(
                "inconsistent training state: {} rewards for {episode} of {episodes} episodes",
                curve.len()
            )));
        }
        self.agent.table = table;
        self.curve = curve.clone();
        self.episode = *episode;
        self.episodes = *episodes;
        Ok(())
    }

    /// Whether the forecaster's pre-training is over (at once for a forecaster
    /// that learns nothing from training traces).
    pub fn fit_done(&self) -> bool {
        matches!(self.pretraining, Pretraining::Done(_))
    }

    /// How far the pre-training is, in mini-batches (a total of 0 before it starts
    /// and when there is nothing to learn).
    pub fn fit_progress(&self) -> FitProgress {
        match &self.pretraining {
            Pretraining::Pending => FitProgress::default(),
            Pretraining::Running(_, p) | Pretraining::Done(p) => *p,
        }
    }

    /// Pre-trains the learned forecaster for at most `batches` mini-batches (the
    /// first call also builds the [`FIT_TRACES`] training traces); once done, the
    /// agent carries the pre-trained forecaster.
    pub fn fit(&mut self, batches: usize) -> Result<FitProgress> {
        if let Pretraining::Pending = self.pretraining {
            let series = (0..FIT_TRACES)
                .map(|e| self.episode_trace(e).map(|t| t.rates))
                .collect::<Result<Vec<_>>>()?;
            let mut f = forecast::from_scenario(&self.scenario);
            f.fit_start(&series);
            self.pretraining = Pretraining::Running(f, FitProgress::default());
        }
        // Only a running fit is taken out: a finished one must stay finished (taking
        // it out unconditionally left it pending, and every other `run` built the
        // fit's traces again and gave the agent a fresh forecaster).
        if !matches!(self.pretraining, Pretraining::Running(..)) {
            return Ok(self.fit_progress());
        }
        if let Pretraining::Running(mut f, _) =
            std::mem::replace(&mut self.pretraining, Pretraining::Pending)
        {
            let progress = f.fit_more(batches);
            self.pretraining = if progress.is_done() {
                self.agent.set_forecaster(f);
                Pretraining::Done(progress)
            } else {
                Pretraining::Running(f, progress)
            };
        }
        Ok(self.fit_progress())
    }

    /// The pre-trained forecaster's state and its pre-training's length, once
    /// the pre-training is done, for the build to ship beside the table (`None`
    /// for a forecaster that learns nothing from training traces, or learns from
    /// them in a few milliseconds when the trainer is made).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn fitted_forecaster(&self) -> Option<(Vec<f64>, usize)> {
        match &self.pretraining {
            Pretraining::Done(p) => self.agent.forecaster().fitted_state().map(|w| (w, p.total)),
            _ => None,
        }
    }

    /// Takes the build's pre-trained forecaster ([`Trainer::fitted_forecaster`] of a
    /// trainer of this scenario) instead of pre-training it: the agent then carries
    /// the very weights the pre-training gives. Refused, with nothing changed, when
    /// the forecaster does not pre-train, is already pre-trained, or the state has
    /// another shape.
    pub fn adopt_fitted_forecaster(&mut self, state: &[f64], batches: usize) -> Result<()> {
        if !self.scenario.forecast.method.is_learned()
            || matches!(self.pretraining, Pretraining::Done(_))
        {
            return Err(Error::Training(
                "this scenario's forecaster has no pre-training left to replace".into(),
            ));
        }
        let Some(f) = forecast::pretrained(&self.scenario, state) else {
            return Err(Error::Training(
                "the pre-trained forecaster's state does not fit this scenario's forecaster".into(),
            ));
        };
        self.agent.set_forecaster(f);
        self.pretraining = Pretraining::Done(FitProgress { done: batches, total: batches });
        Ok(())
    }

    /// The trace of training episode `e`.
    pub fn episode_trace(&self, e: u32) -> Result<Trace> {
        let seed = training_seed(self.scenario.seed, e);
        let mut trace = Trace::build_with_seed(&self.scenario, seed, self.replay.as_ref())?;
        if self.scenario.workload.family == Family::Replay && !trace.rates.is_empty() {
            // The sub-step rates turn with the step rates: the fluid plays a
            // step's parts, and parts left in place played another hour's
            // demand than the agent saw (until 2026-12-06).
            trace.rotate_left(seed);
        }
        Ok(trace)
    }

    /// Plays up to `k` episodes, after finishing the forecaster's pre-training if
    /// any is left; returns how many episodes were played.
    pub fn run(&mut self, k: u32) -> Result<u32> {
        if k > 0 {
            self.fit(usize::MAX)?;
        }
        let mut played = 0;
        while played < k && !self.done() {
            self.play_episode()?;
            played += 1;
        }
        Ok(played)
    }

    fn play_episode(&mut self) -> Result<()> {
        let e = self.episode;
        let trace = self.episode_trace(e)?;
        let a = &self.scenario.agent;
        self.agent.epsilon = (a.epsilon_start * a.epsilon_decay.powi(e as i32)).max(a.epsilon_end);
        self.agent.mode = Mode::Learning;
        self.agent.reset(self.scenario.seed, e as u64 + 1);
        let mut world = World::new(self.config.clone(), self.scenario.scaling.initial_replicas);
        world.resolve_p95_for_sla_only();
        let mut last = None;
        for t in 0..trace.len() {
            let obs = Observation::of(&world, &trace.rates[..t], last.as_ref(), trace.dt);
            let target = self.agent.decide(&obs);
            last = Some(world.step(target, &trace));
        }
        if let Some(r) = &last {
            self.agent.finish(r);
        }
        self.curve.push(self.agent.episode_reward);
        self.episode += 1;
        Ok(())
    }

    /// The trained agent, greedy, ready for an evaluation run; it carries the
    /// pre-trained forecaster once `fit` is done (before, a learned forecaster's
    /// initial random weights).
    pub fn trained_agent(&self) -> QAgent {
        let mut agent = self.agent.clone();
        agent.mode = if self.scenario.agent.learn_live { Mode::Learning } else { Mode::Greedy };
        agent.epsilon =
            if self.scenario.agent.learn_live { self.scenario.agent.epsilon_end } else { 0.0 };
        agent.reset(self.scenario.seed, 0);
        agent
    }
}
