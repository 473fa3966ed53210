//! The page's view-model, plain Rust and tested natively: what a frame does
//! (pre-train a forecaster, train, fast-forward, play), the bounded history the
//! charts draw, the heatmap's slice and cells, the texts and the scoreboard. The
//! web layer (`crate::web`) only translates calls and draws what this holds.

pub mod heatmap;
pub mod history;
pub mod moments;
pub mod palette;
pub mod rule_sweep;
pub mod text;

use crate::agent::{Mode, QAgent, QTable};
use crate::error::{Error, Result};
use crate::judge::{self, Judge, RuleTarget, WorldResult};
use crate::policy::WorldKind;
use crate::scenario::Scenario;
use crate::session::Session;
use crate::train::TrainingState;
use crate::workload::ReplayData;
use heatmap::{Cell, Slice};
pub use history::History;
pub use moments::moment_heading;
use moments::Moment;
use rule_sweep::RuleSweep;
use serde::Serialize;

/// The longest run whose every step's report the page keeps, for the CSV
/// export: 4 worlds x 50,000 steps are about 24 MB; a longer run keeps sums only.
pub const CSV_STEPS: usize = 50_000;

/// Steps replayed after a decision to explain it (30 minutes at the default `dt`).
pub const EXPLAIN_HORIZON: usize = 30;

/// Steps played per call of the world's step loop between two checks of the
/// frame's time budget (a step of four worlds takes about half a millisecond).
const STEPS_PER_CHECK: u32 = 10;

/// Steps of the Rule's sweep (twelve Rule lanes, lighter than the run's) between
/// two checks of the frame's time budget: about as long as [`STEPS_PER_CHECK`]
/// steps of the run (0.6 ms natively).
const SWEEP_STEPS_PER_CHECK: usize = 5;

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

/// What a frame did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameWork {
    /// Nothing: paused, trained, not fast-forwarding.
    Idle,
    /// Pre-trained the learned forecaster.
    Fitting,
    /// Trained the agent on this thread.
    Training,
    /// Went on towards the step a link opens at.
    FastForward,
    Playing,
    /// Played the Rule at other targets, the run being over ([`rule_sweep`]).
    Sweeping,
    /// Played the whole run ahead on a copy, and the Rule's sweep ([`Lookahead`]).
    Lookahead,
}

/// A frame's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Frame {
    pub work: FrameWork,
    /// Steps played.
    pub played: u32,
    /// Whether anything shown changed (the page redraws then).
    pub changed: bool,
}

/// The page: a session, what its charts show, and how it plays.
pub struct Page {
    pub session: Session,
    pub history: History,
    /// The heatmap's slice, keyboard cursor, and the worlds whose lines are hidden.
    pub slice: Slice,
    pub cursor: Option<Cell>,
    hidden: Vec<WorldKind>,
    /// The forensics pinned to the panel by `explain`, until the next step.
    pinned: Option<String>,
    learn_live: bool,
    playing: bool,
    training: TrainingPlace,
    /// The step a link opens at: reached once training is done, then paused.
    start_step: usize,
    /// Whether the run plays once training is done (a link opens paused).
    autoplay: bool,
    fast_forward_to: Option<usize>,
    /// Whether the run plays once the fast-forward ends (to a link's step with
    /// autoplay on).
    play_when_there: bool,
    /// The decision whose forensics are pinned once the fast-forward ends
    /// ([`Page::open_moment`]). With a moment's heading ([`moment_heading`]) before it.
    explain_when_there: Option<(usize, String)>,
    sweep: Sweep,
    /// The capacity chart's zoom: a window of this many hours around the
    /// current step; 0 shows the whole run.
    zoom_hours: f64,
    /// The whole run played ahead on a copy (moments, frontier).
    lookahead: Lookahead,
}

/// The whole run played ahead on a copy of the run's worlds, once the agent is
/// trained, in pieces within the frame budget: the moments of the whole run and
/// every world's whole-run figures (the frontier panel), before the run shown
/// gets there. The copy starts from the run's step 0 with the same agents and
/// live-learning switch, so it is the run's future: the run shown, played to its
/// end, has these figures. Forgotten (and played again) whenever the run's
/// worlds change: new training, the ablation, a loaded table, the live-learning
/// switch, a forecaster's fit ending; not when the same run restarts. Its
/// worlds keep no latency histogram ([`Judge::cost_and_violations_only`]: nine
/// tenths of the time), so its results have no p95 or p99; every other figure
/// is the run's to the bit.
#[derive(Debug, Clone, Default)]
pub struct Lookahead {
    /// Once done: the whole run's moments, in step order.
    pub moments: Vec<Moment>,
    /// Once done: every world's whole-run results (`p95_s`, `p99_s`: `None`).
    pub results: Vec<WorldResult>,
    pub done: bool,
    /// Why there are no moments (a run too long to keep every step's report).
    pub note: Option<String>,
    /// The copy under way, until it has played the whole run.
    copy: Option<Box<Judge>>,
    /// Whether the copy has played the whole run (`results` are filled in).
    played: bool,
}

/// The frontier panel's data: cost against SLA-violation steps over the whole
/// run, for each world and for the Rule at each target of its sweep.
#[derive(Debug, Clone, Serialize)]
pub struct FrontierView {
    pub worlds: Vec<WorldResult>,
    /// The Rule at 0.40..0.95 ([`rule_sweep::targets`]), once played.
    pub rule: Vec<RuleTarget>,
}

/// The Rule at other targets for the verdict and the frontier panel: played
/// with the first lookahead (or once an untrained run is over), then kept for
/// the page's life (it does not depend on the agent).
#[derive(Debug, Clone)]
enum Sweep {
    NotYet,
    Running(Box<RuleSweep>),
    Done(Vec<RuleTarget>),
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
        };
        page.restarted();
        Ok(page)
    }

    // ---- playing ----

    /// Does one frame's work within `out_of_time` (checked between small pieces
    /// of work): pre-training a learned forecaster first, else training on this
    /// thread, else, once trained, the lookahead ([`Lookahead`]: the whole run
    /// on a copy, and the Rule's sweep), else fast-forwarding to a seek's or a
    /// link's step, else playing up to `speed` steps, else, the run being over
    /// and the sweep not played, playing it. The results do not depend on how
    /// the work is cut into frames.
    pub fn advance(&mut self, speed: u32, mut out_of_time: impl FnMut() -> bool) -> Result<Frame> {
        if !self.session.trainer.fit_done() {
            while !self.fit(1)? && !out_of_time() {}
            return Ok(Frame { work: FrameWork::Fitting, played: 0, changed: true });
        }
        if self.training == TrainingPlace::Here {
            while self.train(1)? > 0 && !out_of_time() {}
            if self.session.trained() {
                self.training_finished();
            }
            return Ok(Frame { work: FrameWork::Training, played: 0, changed: true });
        }
        if self.training == TrainingPlace::Idle && self.session.trained() && !self.lookahead.done {
            let changed = self.look_ahead(&mut out_of_time);
            return Ok(Frame { work: FrameWork::Lookahead, played: 0, changed });
        }
        if let Some(target) = self.fast_forward_to {
            let played =
                self.play(target.saturating_sub(self.step_index()) as u32, &mut out_of_time);
            if self.step_index() >= target || self.finished() {
                self.arrived();
            }
            return Ok(Frame { work: FrameWork::FastForward, played, changed: true });
        }
        if self.playing {
            let played = self.play(speed, &mut out_of_time);
            if self.finished() {
                self.playing = false;
            }
            return Ok(Frame { work: FrameWork::Playing, played, changed: played > 0 });
        }
        if self.finished() && !matches!(self.sweep, Sweep::Done(_)) {
            let done = self.sweep_piece(&mut out_of_time);
            return Ok(Frame { work: FrameWork::Sweeping, played: 0, changed: done });
        }
        Ok(Frame { work: FrameWork::Idle, played: 0, changed: false })
    }

    /// A piece of the lookahead: the copy of the run, then the Rule's sweep, in
    /// pieces until `out_of_time`. True when something new is known (the copy's
    /// figures and moments, or the sweep's points).
    fn look_ahead(&mut self, out_of_time: &mut impl FnMut() -> bool) -> bool {
        let mut changed = false;
        if !self.lookahead.played {
            let len = self.session.judge.len();
            let keep = len <= CSV_STEPS;
            let copy = self.lookahead.copy.get_or_insert_with(|| {
                let mut judge = self.session.fresh_judge();
                judge.cost_and_violations_only();
                // The moments read the Elastic and Static worlds' reports only.
                judge.keep_reports(false);
                for kind in [WorldKind::Elastic, WorldKind::Static] {
                    if let Some(lane) = judge.lane_mut(kind) {
                        lane.keep_reports(keep);
                    }
                }
                let epsilon = self.session.scenario.agent.epsilon_end;
                for kind in [WorldKind::Elastic, WorldKind::NoForecast] {
                    if let Some(agent) = judge.lane_mut(kind).and_then(|l| l.agent_mut()) {
                        set_live(agent, self.learn_live, epsilon);
                    }
                }
                Box::new(judge)
            });
            copy.run(STEPS_PER_CHECK as usize);
            while !copy.finished() && !out_of_time() {
                copy.run(STEPS_PER_CHECK as usize);
            }
            if !copy.finished() {
                return false;
            }
            let copy = self.lookahead.copy.take().map(|c| *c);
            if let Some(copy) = copy {
                self.lookahead.results = copy.results();
                if keep {
                    self.lookahead.moments = moments::find(&copy);
                } else {
                    self.lookahead.note = Some(format!(
                        "This run is {len} steps long: moments are found in runs of at most {CSV_STEPS} steps, whose every step the page keeps."
                    ));
                }
            }
            self.lookahead.played = true;
            changed = true;
            if out_of_time() {
                return changed;
            }
        }
        if !self.sweep_piece(out_of_time) {
            return changed;
        }
        self.lookahead.done = true;
        true
    }

    /// Plays the Rule's sweep on in pieces until `out_of_time`; true once it
    /// is done (at once when it was already).
    fn sweep_piece(&mut self, out_of_time: &mut impl FnMut() -> bool) -> bool {
        let session = &self.session;
        let mut sweep = match std::mem::replace(&mut self.sweep, Sweep::NotYet) {
            Sweep::Done(points) => {
                self.sweep = Sweep::Done(points);
                return true;
            }
            Sweep::Running(s) => s,
            Sweep::NotYet => Box::new(RuleSweep::new(session)),
        };
        let mut done = sweep.run(SWEEP_STEPS_PER_CHECK);
        while !done && !out_of_time() {
            done = sweep.run(SWEEP_STEPS_PER_CHECK);
        }
        self.sweep = if done { Sweep::Done(sweep.points()) } else { Sweep::Running(sweep) };
        done
    }

    /// The fast-forward has reached its step: pins the forensics asked for
    /// there (or why there are none), and plays on if asked.
    fn arrived(&mut self) {
        self.fast_forward_to = None;
        if std::mem::take(&mut self.play_when_there) {
            self.set_playing(true);
        }
        if let Some((step, heading)) = self.explain_when_there.take() {
            match self.explain(step) {
                Ok(text) => self.pinned = Some(format!("{heading}\n{text}")),
                Err(e) => self.pinned = Some(e.to_string()),
            }
        }
    }

    /// Plays up to `n` steps in pieces, until `out_of_time`.
    fn play(&mut self, n: u32, out_of_time: &mut impl FnMut() -> bool) -> u32 {
        let mut played = 0;
        while played < n {
            let k = self.step((n - played).min(STEPS_PER_CHECK));
            played += k;
            if k == 0 || out_of_time() {
                break;
            }
        }
        played
    }

    /// Plays up to `n` steps of every world; returns how many were played.
    pub fn step(&mut self, n: u32) -> u32 {
        let mut played = 0;
        while played < n && self.session.step(1) == 1 {
            self.history.record(&self.session);
            played += 1;
        }
        if played > 0 {
            self.pinned = None;
        }
        played
    }

    /// Plays or pauses. Refused (false) while training runs on this thread;
    /// playing a finished run restarts it.
    pub fn set_playing(&mut self, on: bool) -> bool {
        if on && self.training == TrainingPlace::Here {
            return false;
        }
        if on && self.finished() {
            self.reset();
        }
        self.playing = on;
        true
    }

    pub fn playing(&self) -> bool {
        self.playing
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

    /// Goes to `step` (clamped to the run), paused: forward by playing on, back by
    /// replaying from step 0 (the worlds are deterministic, so the figures at a
    /// step are the same however it was reached). Done across frames
    /// ([`Page::advance`]'s fast-forward, after the lookahead); `seeking` until
    /// there.
    pub fn seek(&mut self, step: usize) {
        let step = step.min(self.session.judge.len());
        self.playing = false;
        self.play_when_there = false;
        self.explain_when_there = None;
        if step < self.step_index() {
            self.reset();
        }
        self.fast_forward_to = (step > self.step_index()).then_some(step);
    }

    /// Whether a seek (or a link's fast-forward) is under way.
    pub fn seeking(&self) -> bool {
        self.fast_forward_to.is_some()
    }

    /// The capacity chart's zoom: `hours` around the current step (0: the whole run).
    pub fn set_zoom(&mut self, hours: f64) {
        self.zoom_hours = if hours.is_finite() && hours > 0.0 { hours } else { 0.0 };
    }

    /// The steps the zoomed charts show, `from..until`: a window of the zoom's
    /// hours centred on the current step, kept within the run; `None` unzoomed.
    pub fn zoom_window(&self) -> Option<(usize, usize)> {
        if self.zoom_hours <= 0.0 {
            return None;
        }
        let len = self.session.judge.len();
        let width = ((self.zoom_hours * 3600.0 / self.session.scenario.dt_s).round() as usize)
            .clamp(2, len.max(2));
        let from = self.step_index().saturating_sub(width / 2).min(len.saturating_sub(width));
        Some((from, (from + width).min(len)))
    }

    /// The whole run's moments (empty until the lookahead is done).
    pub fn moments(&self) -> &[Moment] {
        &self.lookahead.moments
    }

    /// The frontier panel's data, once the lookahead has played the whole run.
    pub fn frontier(&self) -> Option<FrontierView> {
        let rule = match &self.sweep {
            Sweep::Done(points) => points.clone(),
            _ => Vec::new(),
        };
        self.lookahead.done.then(|| FrontierView { worlds: self.lookahead.results.clone(), rule })
    }

    /// Goes to moment `index` of [`Page::moments`] (seeks to just after its
    /// decision, paused) and pins its forensics once there. Errors name the
    /// index and how many moments there are.
    pub fn open_moment(&mut self, index: usize) -> Result<String> {
        let Some(m) = self.lookahead.moments.get(index).cloned() else {
            return Err(Error::Run(format!(
                "moment {index}: there are {} moments (0 to {})",
                self.lookahead.moments.len(),
                self.lookahead.moments.len().saturating_sub(1)
            )));
        };
        self.seek(m.step + 1);
        self.explain_when_there = Some((m.step, moment_heading(&m)));
        if !self.seeking() {
            self.arrived();
        }
        Ok(m.text)
    }

    /// Restarts the run at step 0 with the agent as trained so far: the same
    /// scenario and training give the same figures. A seek under way (to a
    /// moment, a link's step, the step a new agent took over at) is given up:
    /// the run stays at step 0.
    pub fn reset(&mut self) {
        self.fast_forward_to = None;
        self.play_when_there = false;
        self.explain_when_there = None;
        self.restart();
    }

    /// Back to step 0, a seek under way kept (the worlds changed under it).
    fn restart(&mut self) {
        self.session.restart();
        self.restarted();
    }

    pub fn step_index(&self) -> usize {
        self.session.judge.step_index()
    }

    pub fn finished(&self) -> bool {
        self.session.judge.finished()
    }

    // ---- training ----

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
    pub fn adopt_prebuilt(&mut self, fingerprint: &str, state: &TrainingState) -> Result<bool> {
        if fingerprint != self.session.scenario.fingerprint() {
            return Ok(false);
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

    // ---- what is shown ----

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

    /// The forensics of the Elastic world's decision at `step`, pinned to the
    /// panel until the next step. Costs a replay of the run up to `step`.
    pub fn explain(&mut self, step: usize) -> Result<String> {
        let text = self.session.explain(step, EXPLAIN_HORIZON)?.text();
        self.pinned = Some(text.clone());
        Ok(text)
    }

    /// What the forensics panel shows: pinned forensics, or the current decision.
    pub fn forensics_text(&self) -> String {
        self.pinned.clone().unwrap_or_else(|| text::decision(&self.session))
    }

    /// A heatmap cell of the slice shown, in words.
    pub fn describe_cell(&self, cell: Cell) -> Result<String> {
        let (agent, state) = self.slice.cell_state(&self.session, cell)?;
        Ok(heatmap::describe(agent, &state))
    }

    /// The forensics of a heatmap cell: the Elastic world's latest decision in
    /// that state in this run; for a state it has not been in, that of the
    /// nearest state of the same slice it has been in (fewest cells away across
    /// and up, then the lowest bin and row), said in the first line; or why
    /// there is none. Pinned to the panel.
    pub fn explain_cell(&mut self, cell: Cell) -> Result<String> {
        let (agent, state) = self.slice.cell_state(&self.session, cell)?;
        let space = &agent.table.space;
        if let Some(step) = self.history.last_step_in(space.index(&state)) {
            return self.explain(step as usize);
        }
        let described = heatmap::describe(agent, &state);
        let nearest = (0..space.bins())
            .flat_map(|bin| {
                (1..=space.rows()).map(move |row| crate::agent::State { bin, row, ..state })
            })
            .filter_map(|near| {
                self.history.last_step_in(space.index(&near)).map(|step| (near, step))
            })
            .min_by_key(|(near, _)| {
                (
                    near.bin.abs_diff(state.bin) + near.row.abs_diff(state.row) as usize,
                    near.bin,
                    near.row,
                )
            });
        let Some((near, step)) = nearest else {
            let text = format!("{described}\nThe Elastic world has not been in this state, or any other of this slice, in this run so far: there is no decision of it to replay.");
            self.pinned = Some(text.clone());
            return Ok(text);
        };
        let away = near.bin.abs_diff(state.bin) + near.row.abs_diff(state.row) as usize;
        let head = format!(
            "Not visited in this run; the nearest state the Elastic world was in, {away} cell{} away, is explained instead: {}.",
            if away == 1 { "" } else { "s" },
            heatmap::describe(agent, &near).split(':').next().unwrap_or_default()
        );
        let text = format!(
            "{head}\nClicked: {described}\n{}",
            self.session.explain(step as usize, EXPLAIN_HORIZON)?.text()
        );
        self.pinned = Some(text.clone());
        Ok(text)
    }

    /// Step, training, the scoreboard and its verdict, and each world now.
    pub fn metrics(&self) -> Metrics {
        let t = &self.session.trainer;
        let worlds = self.session.results();
        let space = heatmap::shown_agent(&self.session).map(|a| &a.table.space);
        let p = t.fit_progress();
        // Whole-run figures: the Rule's other targets are compared once the run is over.
        let rule_targets = match (&self.sweep, self.finished()) {
            (Sweep::Done(points), true) => points.clone(),
            _ => Vec::new(),
        };
        Metrics {
            clock: self.clock(),
            step: self.step_index(),
            steps: self.session.judge.len(),
            finished: self.finished(),
            playing: self.playing,
            training: TrainingProgress {
                episode: t.episode,
                episodes: t.episodes,
                done: self.session.trained(),
                last_reward: t.curve.last().copied(),
                runs: self.training,
                ablation: self
                    .session
                    .blind
                    .as_ref()
                    .map(|b| Episodes { episode: b.episode, episodes: b.episodes }),
            },
            learn_live: self.learn_live,
            verdict: judge::verdict(&worlds, |k| self.shows(k), &rule_targets),
            worlds,
            rule_targets,
            now: self.now(),
            demand_replicas: self
                .session
                .judge
                .lanes
                .first()
                .and_then(|l| l.last.as_ref())
                .map(|r| r.demand / self.replica_rps()),
            fit: FitState { done: p.done, total: p.total, finished: t.fit_done() },
            forecast: self.history.forecast_mae().map(|(mae, persistence_mae)| ForecastError {
                mae,
                persistence_mae,
                horizon: self.history.horizon,
                steps: self.history.forecast_steps,
            }),
            grid: GridSize {
                bins: space.map_or(0, |s| s.bins()),
                max: space.map_or(0, |s| s.rows()),
            },
            moments: self.lookahead.moments.clone(),
            moments_note: self.lookahead.note.clone(),
            lookahead_done: self.lookahead.done,
            frontier: self.frontier(),
            zoom: self.zoom_window(),
            seeking: self.seeking(),
        }
    }

    /// Where the run is, in words: "step 725 of 4320 · day 1, 12:05"; a finished
    /// run of whole days ends at 24:00 of its last one ("day 3, 24:00").
    pub fn clock(&self) -> String {
        let step = self.step_index();
        let t = step as f64 * self.session.scenario.dt_s;
        let time = if self.finished() { text::day_end(t) } else { text::day_time(t) };
        format!("step {step} of {} · {time}", self.session.judge.len())
    }

    // ---- helpers ----

    /// After the session restarted its run: forget the chart history and the
    /// pinned text, re-apply the live-learning switch.
    fn restarted(&mut self) {
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

    /// The run's worlds changed: the lookahead is played again (the Rule's
    /// sweep, which does not depend on the agent, is kept).
    fn forget_lookahead(&mut self) {
        self.lookahead = Lookahead::default();
    }

    fn now(&self) -> Vec<Now> {
        let lanes = &self.session.judge.lanes;
        lanes
            .iter()
            .filter_map(|l| {
                let r = l.last.as_ref()?;
                Some(Now {
                    kind: l.kind(),
                    name: l.kind().label(),
                    short: l.kind().short(),
                    provisioned: r.provisioned,
                    ready: r.ready,
                    booting: r.booting,
                    p95: r.p95_response_s,
                })
            })
            .collect()
    }

    /// Requests per second one replica serves when fully busy.
    fn replica_rps(&self) -> f64 {
        let s = self.session.run_scenario();
        s.replica.slots as f64 * s.mu()
    }

    /// The Q-learning agent of world `kind` (Elastic or the ablation) in the run.
    fn agent_mut(&mut self, kind: WorldKind) -> Option<&mut QAgent> {
        self.session.judge.lane_mut(kind)?.agent_mut()
    }
}

/// Live learning on or off for an agent of the run: learning with the final
/// exploration rate, or greedy.
fn set_live(agent: &mut QAgent, on: bool, epsilon: f64) {
    agent.mode = if on { Mode::Learning } else { Mode::Greedy };
    agent.epsilon = if on { epsilon } else { 0.0 };
}

/// What the page shows besides the canvases (field names snake_case, as the
/// core's results).
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    /// Where the run is, in words ([`Page::clock`]).
    pub clock: String,
    pub step: usize,
    pub steps: usize,
    pub finished: bool,
    pub playing: bool,
    pub training: TrainingProgress,
    pub learn_live: bool,
    pub worlds: Vec<WorldResult>,
    /// The scoreboard in words ([`judge::verdict`]), hidden worlds left out.
    pub verdict: String,
    /// The Rule at other targets over the whole run, once the run is over and
    /// they have been played (empty before).
    pub rule_targets: Vec<RuleTarget>,
    /// Each world after the last step played.
    pub now: Vec<Now>,
    /// The last step's demand in replicas fully busy.
    pub demand_replicas: Option<f64>,
    /// The learned forecaster's pre-training, in mini-batches (0 of 0 for a
    /// forecaster that learns nothing from training traces).
    pub fit: FitState,
    /// The forecast chart's running errors, once a forecast has come due.
    pub forecast: Option<ForecastError>,
    /// The heatmap's cells: utilisation bins by capacities 1..=max.
    pub grid: GridSize,
    /// The whole run's moments, in step order (empty until the lookahead is done).
    pub moments: Vec<Moment>,
    /// Why a run has no moments although its lookahead is done (a run too long
    /// for them), else `None`.
    pub moments_note: Option<String>,
    pub lookahead_done: bool,
    /// The frontier panel's data (once the lookahead is done).
    pub frontier: Option<FrontierView>,
    /// The zoomed charts' steps, `[from, until)`, when zoomed.
    pub zoom: Option<(usize, usize)>,
    /// Whether a seek is under way.
    pub seeking: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrainingProgress {
    pub episode: u32,
    pub episodes: u32,
    pub done: bool,
    pub last_reward: Option<f64>,
    /// Where training runs now.
    pub runs: TrainingPlace,
    /// The ablation's agent's episodes, when its world is shown.
    pub ablation: Option<Episodes>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Episodes {
    pub episode: u32,
    pub episodes: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct FitState {
    pub done: usize,
    pub total: usize,
    pub finished: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForecastError {
    /// Mean absolute error (req/s) of the forecaster `horizon` steps ahead, and of
    /// persistence (the demand `horizon` steps before) over the same steps.
    pub mae: f64,
    pub persistence_mae: f64,
    pub horizon: usize,
    pub steps: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Now {
    pub kind: WorldKind,
    /// Its label and short name ([`WorldKind`]).
    pub name: &'static str,
    pub short: &'static str,
    pub provisioned: u32,
    pub ready: u32,
    pub booting: u32,
    pub p95: Option<f64>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct GridSize {
    pub bins: usize,
    pub max: u32,
}
