//! The page itself: its state (a session, what its charts show, how it plays),
//! made for a scenario, and what every other part of it reads or redoes: the
//! worlds shown, the live-learning switch, the charts' restart. Apart so that
//! the struct and its invariants read in one place; what it does is in the
//! rooms beside it.

use super::exact_replay::ExactReplay;
use super::heatmap::{Cell, Slice};
use super::history::History;
use super::lookahead::{Lookahead, Sweep};
use super::training::TrainingPlace;
use crate::agent::{Mode, QAgent};
use crate::error::{Error, Result};
use crate::judge::{Tally, WorldResult};
use crate::policy::WorldKind;
use crate::scenario::Scenario;
use crate::session::Session;
use crate::workload::ReplayData;
use crate::world::StepReport;

/// The longest run whose every step's report the page keeps, for the CSV
/// export: 4 worlds x 50,000 steps are about 24 MB; a longer run keeps sums only.
pub const CSV_STEPS: usize = 50_000;

/// The page: a session, what its charts show, and how it plays.
pub struct Page {
    pub session: Session,
    pub history: History,
    /// The heatmap's slice, keyboard cursor, and the worlds whose lines are hidden.
    pub slice: Slice,
    pub cursor: Option<Cell>,
    pub(super) hidden: Vec<WorldKind>,
    /// The forensics pinned to the panel by `explain`, until the next step.
    pub(super) pinned: Option<String>,
    pub(super) learn_live: bool,
    pub(super) playing: bool,
    pub(super) training: TrainingPlace,
    /// The step a link opens at: reached once training is done, then paused.
    pub(super) start_step: usize,
    /// Whether the run plays once training is done (a link opens paused).
    pub(super) autoplay: bool,
    pub(super) fast_forward_to: Option<usize>,
    /// Whether the run plays once the fast-forward ends (to a link's step with
    /// autoplay on).
    pub(super) play_when_there: bool,
    /// The decision whose forensics are pinned once the fast-forward ends
    /// ([`Page::open_moment`]). With a moment's heading ([`moment_heading`](super::moment_heading)) before it.
    pub(super) explain_when_there: Option<(usize, String)>,
    pub(super) sweep: Sweep,
    /// The capacity chart's zoom: a window of this many hours around the
    /// current step; 0 shows the whole run.
    pub(super) zoom_hours: f64,
    /// The whole run played ahead on a copy (moments, frontier).
    pub(super) lookahead: Lookahead,
    /// The run's decisions replayed with the exact physics, once asked for.
    pub(super) exact: Option<ExactReplay>,
    /// The previous agent's Elastic world, step by step, as its lookahead
    /// played the whole run, once a new agent took over ([`Page::keep_before`]);
    /// empty otherwise, and again after a reset.
    pub(super) before: Vec<StepReport>,
}

impl Page {
    /// A page for a scenario (and its replay data): the agent untrained, paused.
    pub fn new(scenario: Scenario, replay: Option<&ReplayData>) -> Result<Page> {
        let learn_live = scenario.agent.learn_live;
        let mut session = Session::new(scenario, replay)?;
        // A run may be a million steps long: beyond CSV_STEPS the page keeps
        // running sums, not every step's report (the CSV export needs them).
        session.keep_reports(session.trace.len() <= CSV_STEPS);
        let history = History::new(&session);
        let mut page = Page {
            session,
            history,
            slice: Slice::default(),
            cursor: None,
            hidden: Vec::new(),
            pinned: None,
            learn_live,
            playing: false,
            training: TrainingPlace::Idle,
            start_step: 0,
            autoplay: true,
            fast_forward_to: None,
            play_when_there: false,
            explain_when_there: None,
            sweep: Sweep::NotYet,
            zoom_hours: 0.0,
            lookahead: Lookahead::default(),
            exact: None,
            before: Vec::new(),
        };
        page.restarted();
        Ok(page)
    }

    /// Live learning: the Elastic agent (and the ablation's) keeps updating its
    /// table during the run (with the final exploration rate), from now on and
    /// after every restart.
    pub fn set_learn_live(&mut self, on: bool) {
        if on != self.learn_live {
            self.forget_lookahead();
        }
        self.learn_live = on;
        self.apply_learn_live();
    }

    pub fn show_world(&mut self, kind: WorldKind, on: bool) {
        self.hidden.retain(|&k| k != kind);
        if !on {
            self.hidden.push(kind);
        }
    }

    pub fn shows(&self, kind: WorldKind) -> bool {
        !self.hidden.contains(&kind)
    }

    /// The per-step report of every world so far as CSV (the CLI's `compare --out`).
    pub fn steps_csv(&self) -> Result<String> {
        let judge = &self.session.judge;
        if judge.lanes.iter().any(|l| l.reports.len() < judge.step_index()) {
            return Err(Error::Run(format!(
                "this run is {} steps long; the page keeps every step's report, which the CSV holds, for runs of at most {CSV_STEPS} steps",
                judge.len()
            )));
        }
        Ok(judge.csv())
    }

    /// After the session restarted its run: forget the chart history and the
    /// pinned text, re-apply the live-learning switch.
    pub(super) fn restarted(&mut self) {
        self.history = History::new(&self.session);
        self.pinned = None;
        self.apply_learn_live();
    }

    fn apply_learn_live(&mut self) {
        let epsilon = self.session.scenario.agent.epsilon_end;
        let on = self.learn_live;
        for kind in [WorldKind::Elastic, WorldKind::NoForecast] {
            if let Some(agent) = self.agent_mut(kind) {
                set_live(agent, on, epsilon);
            }
        }
    }

    /// A new agent takes over from `old`'s: its Elastic world over the whole
    /// run (`old`'s lookahead) is kept as this run's "before", the latest one
    /// only; nothing when that lookahead is not done or the runs differ in length.
    pub fn keep_before(&mut self, old: &Page) {
        let e = &old.lookahead.elastic;
        self.before = if e.len() == self.session.judge.len() { e.clone() } else { Vec::new() };
    }

    /// The previous agent's Elastic line (replicas at each step of the run).
    pub fn before_line(&self) -> impl Iterator<Item = u32> + '_ {
        self.before.iter().map(|r| r.provisioned)
    }

    /// The previous agent's figures over the steps played so far (the scoreboard's
    /// "Elastic (before)" row): cost, saving, violation steps, capacity changes.
    pub fn before(&self) -> Option<WorldResult> {
        if self.before.is_empty() {
            return None;
        }
        let n = self.session.judge.step_index().min(self.before.len());
        let mut s = Tally::default();
        for (i, r) in self.before[..n].iter().enumerate() {
            s.add(r, i.checked_sub(1).map(|p| &self.before[p]));
        }
        let base = self.session.judge.lane(WorldKind::Static).map(|l| l.tally.cost);
        Some(WorldResult {
            name: "Elastic (before)".into(),
            kind: WorldKind::Elastic,
            short: "Elastic (before)".into(),
            cost: s.cost,
            replica_hours: s.provisioned * self.session.scenario.dt_s / 3600.0,
            saving_pct: base.filter(|&b| b > 0.0).map(|b| 100.0 * (b - s.cost) / b),
            sla_violation_steps: s.sla_violation_steps,
            sla_violation_pct: 100.0 * s.share(s.sla_violation_steps),
            p95_s: None,
            p99_s: None,
            dropped: s.dropped,
            capacity_changes: s.capacity_changes,
            mean_utilisation: s.share(s.utilisation),
            total_reward: 0.0,
            above_oracle_pct: None,
            scale_ups: Default::default(),
        })
    }

    /// The Q-learning agent of world `kind` (Elastic or the ablation) in the run.
    pub(super) fn agent_mut(&mut self, kind: WorldKind) -> Option<&mut QAgent> {
        self.session.judge.lane_mut(kind)?.agent_mut()
    }
}

/// Live learning on or off for an agent of the run: learning with the final
/// exploration rate, or greedy.
pub(super) fn set_live(agent: &mut QAgent, on: bool, epsilon: f64) {
    agent.mode = if on { Mode::Learning } else { Mode::Greedy };
    agent.epsilon = if on { epsilon } else { 0.0 };
}
