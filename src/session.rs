//! A session: one scenario's trace, the agent's training and the judged run, as
//! the CLI and the page drive them. Everything is a function of the scenario (and
//! the replay data): two sessions of the same scenario that are trained and stepped
//! alike hold identical numbers.

use crate::agent::{QAgent, QTable};
use crate::error::{Error, Result};
use crate::forensics::{self, Forensics};
use crate::judge::{Judge, WorldResult};
use crate::policy::{Oracle, WorldKind};
use crate::scenario::Scenario;
use crate::train::Trainer;
use crate::workload::{ReplayData, Trace};
use crate::world::service;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Session {
    pub scenario: Scenario,
    /// The scenario as the worlds see it ([`service::for_run`]).
    run: Scenario,
    pub trace: Arc<Trace>,
    pub trainer: Trainer,
    /// The ablation's training (the same agent without the forecast in its
    /// state), when its world is asked for ([`Session::set_ablation`]).
    pub blind: Option<Trainer>,
    pub judge: Judge,
    /// The judge as it was at step 0 (forensics replay from it).
    start: Judge,
    /// Whether the judge keeps every step's report ([`Judge::keep_reports`]).
    keep: bool,
    /// The Oracle of this scenario and trace, planned once (every restart's).
    oracle: Oracle,
}

impl Session {
    /// Validates the scenario, builds its trace and a judge whose agent is untrained.
    pub fn new(scenario: Scenario, replay: Option<&ReplayData>) -> Result<Session> {
        scenario.validate()?;
        let trace = Arc::new(Trace::build(&scenario, replay)?);
        let run = service::for_run(&scenario, replay)?;
        let trainer = Trainer::new(&run, replay);
        let oracle = Oracle::deferred(&run, trace.clone());
        let judge = Judge::standard_planned(
            &run,
            trace.clone(),
            trainer.trained_agent(),
            None,
            trainer.tables(),
            oracle.clone(),
        );
        Ok(Session {
            start: judge.clone(),
            scenario,
            run,
            trace,
            trainer,
            blind: None,
            judge,
            keep: true,
            oracle,
        })
    }

    /// The Oracle's plan, shared by every restart's Oracle; made at the first
    /// step played, not when the session is built ([`Oracle::deferred`]).
    pub fn oracle(&self) -> &Oracle {
        &self.oracle
    }

    /// The scenario as the worlds see it: with token-based service, its
    /// `replica.service_mean_s` is the trace's ([`service::for_run`]).
    pub fn run_scenario(&self) -> &Scenario {
        &self.run
    }

    /// Trains up to `k` more episodes (of the ablation's agent too, when it is
    /// asked for); when training is complete the run restarts with the trained
    /// agents. Returns the episodes played by the agent that played more (the
    /// run restarted if it is not 0).
    pub fn train(&mut self, k: u32) -> Result<u32> {
        let was_done = self.trained();
        let played = self.trainer.run(k)?;
        let blind_played = match &mut self.blind {
            Some(t) => t.run(k)?,
            None => 0,
        };
        if played > 0 || blind_played > 0 || (!was_done && self.trained()) {
            self.restart();
        }
        Ok(played.max(blind_played))
    }

    /// Whether every agent has played its planned episodes (the ablation's too,
    /// when it is asked for).
    pub fn trained(&self) -> bool {
        self.trainer.done() && self.blind.as_ref().is_none_or(Trainer::done)
    }

    /// Trains every episode left.
    pub fn train_all(&mut self) -> Result<()> {
        let left = self.trainer.episodes.saturating_sub(self.trainer.episode);
        let blind_left = self.blind.as_ref().map_or(0, |t| t.episodes.saturating_sub(t.episode));
        self.train(left.max(blind_left)).map(|_| ())
    }

    /// Adds the ablation world (the agent trained and run without the forecast
    /// in its state), untrained until `train` trains it; or removes it. The run
    /// restarts either way when it changes.
    pub fn set_ablation(&mut self, on: bool) {
        if on == self.blind.is_some() {
            return;
        }
        self.blind = on.then(|| self.trainer.blind_twin());
        self.restart();
    }

    /// Restarts the run at step 0 with the agent as trained so far.
    pub fn restart(&mut self) {
        // The old worlds go first: on a long trace the Oracle's plan is megabytes,
        // and building the new one beside it would raise the peak at each restart.
        self.judge.lanes.clear();
        self.start.lanes.clear();
        let blind = self.blind.as_ref().map(|t| t.trained_agent());
        self.judge = Judge::standard_planned(
            &self.run,
            self.trace.clone(),
            self.trainer.trained_agent(),
            blind,
            self.trainer.tables(),
            self.oracle.clone(),
        );
        self.judge.keep_reports(self.keep);
        self.start = self.judge.clone();
    }

    /// Whether the judge keeps every step's report, in this run and after every
    /// restart ([`Judge::keep_reports`]): the page and the soak turn it off.
    pub fn keep_reports(&mut self, on: bool) {
        self.keep = on;
        self.judge.keep_reports(on);
        self.start.keep_reports(on);
    }

    /// Replaces the agent's table (an import) and restarts the run. Refuses a table
    /// whose state space differs from the scenario's.
    pub fn load_table(&mut self, table: QTable) -> Result<()> {
        let want = QAgent::new(&self.scenario).table.space;
        if table.space != want {
            return Err(Error::QTable(format!(
                "the table's state space ({} utilisation bins, {} replicas) does not match the scenario's ({} bins, {} replicas)",
                table.space.bins(),
                table.space.max_replicas,
                want.bins(),
                want.max_replicas
            )));
        }
        // A learned forecaster is fitted as training would have fitted it (the
        // same traces and seed, so the same weights) before the table takes over.
        self.trainer.fit(usize::MAX)?;
        self.trainer.agent.table = table;
        self.trainer.episode = self.trainer.episodes;
        self.restart();
        Ok(())
    }

    /// The run's judge as it was at step 0: a copy of the run to play ahead
    /// (the page's lookahead). Its agents learn live as the scenario says, whatever
    /// the page has switched since.
    pub fn fresh_judge(&self) -> Judge {
        self.start.clone()
    }

    /// Plays up to `n` steps of every world.
    pub fn step(&mut self, n: usize) -> usize {
        self.judge.run(n)
    }

    pub fn results(&self) -> Vec<WorldResult> {
        self.judge.results()
    }

    /// The elastic world's agent as it is now.
    pub fn agent(&self) -> Option<&QAgent> {
        self.judge.lane(WorldKind::Elastic).and_then(|l| l.agent())
    }

    /// The forensics of the elastic world's decision at `step`, with a replay
    /// window of `horizon` steps.
    pub fn explain(&self, step: usize, horizon: usize) -> Result<Forensics> {
        let lane = self
            .start
            .lane(WorldKind::Elastic)
            .ok_or_else(|| Error::Run(format!("this run has no {} world", WorldKind::Elastic)))?;
        forensics::explain(lane, &self.trace, &self.scenario.reward, step, horizon)
    }
}
