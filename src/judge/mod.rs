//! The judge: several worlds in lock-step on the identical trace, each with its own
//! decision maker, and docs/model.md's metrics per world.
//!
//! Worlds share nothing but the (read-only) trace: each has its own fleet, queue,
//! decision maker and history, and the exact physics draws a step's requests from
//! the trace's seed and the step index only. Adding or removing a world therefore
//! never changes another world's numbers (`tests/decide/judge.rs` checks it).
//!
//! Here are the worlds and their stepping; what each world's run comes to is in
//! `results.rs`, and the verdict in words in `verdict.rs`.

mod results;
mod verdict;

pub use results::{results_table, Tally, WorldResult};
pub use verdict::{steps, verdict, RuleTarget};

use crate::agent::QAgent;
use crate::policy::{
    DecisionMaker, Observation, Oracle, Predictive, Rule, Sizer, Static, WorldKind,
};
use crate::proactivity::{self, Tracker};
use crate::queueing::LoadTables;
use crate::scenario::{Reward, Scenario};
use crate::workload::Trace;
use crate::world::{StepReport, World, WorldConfig};
use std::sync::Arc;

/// One world of the comparison with its decision maker and what it did.
#[derive(Debug, Clone)]
pub struct Lane {
    pub world: World,
    pub maker: Box<dyn DecisionMaker>,
    /// Every step's report, while the judge keeps them ([`Judge::keep_reports`]);
    /// empty otherwise, so that a long run holds no memory per step.
    pub reports: Vec<StepReport>,
    /// The last step's report (kept either way: the next decision reads it).
    pub last: Option<StepReport>,
    /// The run's metrics so far, summed step by step.
    pub tally: Tally,
    keep: bool,
    /// docs/model.md's reward, summed over the run (the same for every world).
    pub reward: f64,
    /// Its scale-ups, early or late for the rise they serve.
    pub scale_ups: Tracker,
}

impl Lane {
    pub fn kind(&self) -> WorldKind {
        self.maker.kind()
    }

    /// The Q-learning agent of this world, if its decision maker is one.
    pub fn agent(&self) -> Option<&QAgent> {
        self.maker.as_any().downcast_ref()
    }

    /// The same, mutable (live learning, counterfactual replays).
    pub fn agent_mut(&mut self) -> Option<&mut QAgent> {
        self.maker.as_any_mut().downcast_mut()
    }

    /// See [`Judge::keep_reports`].
    pub(crate) fn keep_reports(&mut self, on: bool) {
        self.keep = on;
        if !on {
            self.reports = Vec::new();
        }
    }

    pub(crate) fn record(&mut self, report: StepReport) {
        self.tally.add(&report, self.last.as_ref());
        if self.keep {
            self.reports.push(report);
        }
        self.last = Some(report);
    }
}

/// N worlds on one trace.
#[derive(Debug, Clone)]
pub struct Judge {
    pub trace: Arc<Trace>,
    pub lanes: Vec<Lane>,
    rewards: Reward,
    initial: u32,
    config: WorldConfig,
    /// Replicas for a demand, for the proactivity count (and the Predictive world).
    sizer: Sizer,
    /// The boot delay and the proactivity window, in steps.
    boot: usize,
    window: usize,
    step: usize,
    keep: bool,
}

impl Judge {
    /// Worlds for the given decision makers, all starting with the scenario's
    /// initial replicas.
    pub fn new(s: &Scenario, trace: Arc<Trace>, makers: Vec<Box<dyn DecisionMaker>>) -> Judge {
        Judge::sharing(s, trace, makers, &LoadTables::default())
    }

    /// The same, the worlds taking their load tables from `tables` (a session's).
    pub fn sharing(
        s: &Scenario,
        trace: Arc<Trace>,
        makers: Vec<Box<dyn DecisionMaker>>,
        tables: &LoadTables,
    ) -> Judge {
        let config = WorldConfig { tables: tables.clone(), ..WorldConfig::from_scenario(s) };
        let sizer = Sizer::new(&config, s.dt_s);
        let (boot, window) = (
            proactivity::boot_steps(s.scaling.boot_delay_s, s.dt_s),
            proactivity::window_steps(s.dt_s),
        );
        let mut judge = Judge {
            trace,
            lanes: Vec::new(),
            rewards: s.reward.clone(),
            initial: s.scaling.initial_replicas,
            config,
            sizer,
            boot,
            window,
            step: 0,
            keep: true,
        };
        for m in makers {
            judge.add(m);
        }
        judge
    }

    /// The standard worlds: docs/model.md's four (Static, Rule, Elastic with the given
    /// agent, Oracle) and the Predictive world, which forecasts with the agent's
    /// forecaster (pre-trained, for a learned one).
    pub fn standard(s: &Scenario, trace: Arc<Trace>, agent: QAgent) -> Judge {
        Judge::standard_sharing(s, trace, agent, None, &LoadTables::default())
    }

    /// The same, sharing a session's load tables, with the ablation world when
    /// `blind` is its agent (trained without the forecast in its state).
    pub fn standard_sharing(
        s: &Scenario,
        trace: Arc<Trace>,
        agent: QAgent,
        blind: Option<QAgent>,
        tables: &LoadTables,
    ) -> Judge {
        let oracle = Oracle::from_scenario(s, &trace);
        Judge::standard_planned(s, trace, agent, blind, tables, oracle)
    }

    /// The same with the Oracle's plan made before ([`Oracle::from_scenario`] of
    /// this scenario and trace): a session plans once and restarts with it (on a
    /// real trace the plan plays every step several times, a third of a second).
    pub fn standard_planned(
        s: &Scenario,
        trace: Arc<Trace>,
        agent: QAgent,
        blind: Option<QAgent>,
        tables: &LoadTables,
        oracle: Oracle,
    ) -> Judge {
        let forecaster = agent.forecaster().clone_box();
        let makers: Vec<Box<dyn DecisionMaker>> = vec![
            Box::new(Static::from_scenario(s, &trace)),
            Box::new(Rule::from_scenario(s)),
            Box::new(agent),
            Box::new(oracle),
        ];
        let mut judge = Judge::sharing(s, trace, makers, tables);
        // The Predictive world sizes with the judge's own sizer (one per judge).
        judge.add(Box::new(Predictive::new(s, forecaster, judge.sizer.clone())));
        if let Some(blind) = blind {
            judge.add(Box::new(blind));
        }
        judge
    }

    /// Adds a world (at step 0 only; later it would start behind the others).
    pub fn add(&mut self, maker: Box<dyn DecisionMaker>) {
        let mut world = World::new(self.config.clone(), self.initial);
        world.track_latency();
        // Not reserved for the whole trace: a lane that will not keep its reports
        // (the page turns that off after building the judge) must not hold a
        // million of them, even for a moment: wasm memory never shrinks.
        let scale_ups = Tracker::new(self.sizer.clone(), self.boot, self.window);
        self.lanes.push(Lane {
            world,
            maker,
            reports: Vec::new(),
            last: None,
            tally: Tally::default(),
            keep: self.keep,
            reward: 0.0,
            scale_ups,
        });
    }

    /// Whether every step's report is kept in `Lane::reports` (the default: the
    /// CLI writes them as CSV and tests read them). Off, a lane keeps its last
    /// report and running sums only, and a run of any length holds no memory per
    /// step: the page and the soak run this way. Turning it off drops the reports
    /// kept so far; the results stay whole either way.
    pub fn keep_reports(&mut self, on: bool) {
        self.keep = on;
        for lane in &mut self.lanes {
            lane.keep_reports(on);
        }
    }

    /// Worlds that keep what cost and SLA violations need, at step 0 only:
    /// without a latency histogram, each step's p95 resolved only as far as it
    /// decides the SLA (as training's). Every decision, cost and violation is
    /// unchanged (no decision maker reads a p95); the results' p95 and p99 are
    /// `None`. Nine tenths of a run's time go to the histogram (the page's
    /// lookahead and the Rule's sweep play this way).
    pub fn cost_and_violations_only(&mut self) {
        for lane in &mut self.lanes {
            let mut world = World::new(lane.world.config.clone(), self.initial);
            world.resolve_p95_for_sla_only();
            lane.world = world;
        }
    }

    /// Replicas for a demand, as the proactivity count sizes them.
    pub fn sizer(&self) -> &Sizer {
        &self.sizer
    }

    /// The boot delay in whole steps ([`proactivity::boot_steps`]).
    pub fn boot_steps(&self) -> usize {
        self.boot
    }

    /// The proactivity window in steps ([`proactivity::window_steps`]).
    pub fn window_steps(&self) -> usize {
        self.window
    }

    /// The replicas every world starts with (before step 0).
    pub fn initial_replicas(&self) -> u32 {
        self.initial
    }

    /// The price of one replica for an hour.
    pub fn price_per_hour(&self) -> f64 {
        self.config.price_per_hour
    }

    /// The next step to be played.
    pub fn step_index(&self) -> usize {
        self.step
    }

    pub fn len(&self) -> usize {
        self.trace.len()
    }

    pub fn is_empty(&self) -> bool {
        self.trace.len() == 0
    }

    pub fn finished(&self) -> bool {
        self.step >= self.trace.len()
    }

    /// The lane of a world.
    pub fn lane(&self, kind: WorldKind) -> Option<&Lane> {
        self.lanes.iter().find(|l| l.kind() == kind)
    }

    pub fn lane_mut(&mut self, kind: WorldKind) -> Option<&mut Lane> {
        self.lanes.iter_mut().find(|l| l.kind() == kind)
    }

    /// Plays one step in every world. Returns false when the trace is over.
    pub fn step(&mut self) -> bool {
        if self.finished() {
            return false;
        }
        let t = self.step;
        let history = &self.trace.rates[..t];
        for lane in &mut self.lanes {
            play_step(lane, &self.trace, history, &self.rewards);
        }
        self.step += 1;
        true
    }

    /// Plays up to `n` steps; returns how many were played.
    pub fn run(&mut self, n: usize) -> usize {
        let mut played = 0;
        while played < n && self.step() {
            played += 1;
        }
        played
    }

    /// The per-step report of every world over the steps played so far, as CSV: a
    /// `world` column, then [`StepReport::CSV_HEADER`]'s; world after world, each in
    /// step order. The CLI's `compare --out` and the page's export both write this.
    /// Only the reports kept are written ([`Judge::keep_reports`]).
    pub fn csv(&self) -> String {
        let mut text = format!("world,{}\n", StepReport::CSV_HEADER);
        for lane in &self.lanes {
            for r in &lane.reports {
                text.push_str(lane.kind().label());
                text.push(',');
                text.push_str(&r.csv_row());
                text.push('\n');
            }
        }
        text
    }
}

/// One step of one lane: decide, play, score.
pub(crate) fn play_step(lane: &mut Lane, trace: &Trace, history: &[f64], rewards: &Reward) {
    let before = lane.world.fleet.provisioned();
    let obs = Observation::of(&lane.world, history, lane.last.as_ref(), trace.dt);
    let target = lane.maker.decide(&obs);
    let report = lane.world.step(target, trace);
    lane.scale_ups.observe(history.len(), before, report.provisioned, &trace.rates);
    lane.reward += rewards.score(
        report.sla_held,
        report.provisioned,
        report.utilisation,
        report.provisioned != before,
    );
    lane.record(report);
}
