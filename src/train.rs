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

use crate::agent::{Mode, QAgent};
use crate::policy::{DecisionMaker, Observation};
use crate::scenario::{Family, Physics, Scenario};
use crate::workload::{ReplayData, Trace};
use crate::world::{World, WorldConfig};

/// The seed of training episode `episode`: a mix of the scenario's seed and the
/// episode number, never the evaluation seed itself.
pub fn training_seed(seed: u64, episode: u32) -> u64 {
    let mut z = seed ^ 0x7261_696e_696e_6700u64.wrapping_add(episode as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    if z == seed {
        z.wrapping_add(1)
    } else {
        z
    }
}

/// A training run in progress.
#[derive(Debug, Clone)]
pub struct Trainer {
    scenario: Scenario,
    replay: Option<ReplayData>,
    pub agent: QAgent,
    /// Episodes played so far, and the number asked for.
    pub episode: u32,
    pub episodes: u32,
    /// Reward total of each episode played.
    pub curve: Vec<f64>,
}

impl Trainer {
    /// A fresh agent to be trained for `s.agent.episodes` episodes.
    pub fn new(s: &Scenario, replay: Option<&ReplayData>) -> Trainer {
        let mut scenario = s.clone();
        scenario.queue.physics = Physics::Fluid;
        let mut agent = QAgent::new(&scenario);
        agent.mode = Mode::Learning;
        Trainer { agent, replay: replay.cloned(), episode: 0, episodes: s.agent.episodes, curve: Vec::new(), scenario }
    }

    pub fn done(&self) -> bool {
        self.episode >= self.episodes
    }

    /// The trace of training episode `e`.
    pub fn episode_trace(&self, e: u32) -> Result<Trace, String> {
        let seed = training_seed(self.scenario.seed, e);
        let mut trace = Trace::build_with_seed(&self.scenario, seed, self.replay.as_ref())?;
        if self.scenario.workload.family == Family::Replay && !trace.rates.is_empty() {
            let offset = (seed % trace.rates.len() as u64) as usize;
            trace.rates.rotate_left(offset);
            trace.requests = None;
        }
        Ok(trace)
    }

    /// Plays up to `k` episodes; returns how many were played.
    pub fn run(&mut self, k: u32) -> Result<u32, String> {
        let mut played = 0;
        while played < k && !self.done() {
            self.play_episode()?;
            played += 1;
        }
        Ok(played)
    }

    fn play_episode(&mut self) -> Result<(), String> {
        let e = self.episode;
        let trace = self.episode_trace(e)?;
        let a = &self.scenario.agent;
        self.agent.epsilon = (a.epsilon_start * a.epsilon_decay.powi(e as i32)).max(a.epsilon_end);
        self.agent.mode = Mode::Learning;
        self.agent.reset(self.scenario.seed, e as u64 + 1);
        let mut world = World::new(WorldConfig::from_scenario(&self.scenario), self.scenario.scaling.initial_replicas);
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

    /// The trained agent, greedy, ready for an evaluation run.
    pub fn trained_agent(&self) -> QAgent {
        let mut agent = self.agent.clone();
        agent.mode = if self.scenario.agent.learn_live { Mode::Learning } else { Mode::Greedy };
        agent.epsilon = if self.scenario.agent.learn_live { self.scenario.agent.epsilon_end } else { 0.0 };
        agent.reset(self.scenario.seed, 0);
        agent
    }
}
