//! The run played ahead: the whole run on a copy of its worlds (its moments and
//! whole-run figures) and the Rule swept over its targets, in pieces within the
//! frame budget, before the run shown gets there. Apart because it plays its
//! own copies, never the run shown.

use super::moments::{self, Moment};
use super::page::{set_live, CSV_STEPS};
use super::playback::STEPS_PER_CHECK;
use super::rule_sweep::RuleSweep;
use super::Page;
use crate::judge::{Judge, RuleTarget, WorldResult};
use crate::policy::WorldKind;
use serde::Serialize;

/// Steps of the Rule's sweep (twelve Rule lanes, lighter than the run's) between
/// two checks of the frame's time budget: about as long as [`STEPS_PER_CHECK`]
/// steps of the run (0.6 ms natively).
const SWEEP_STEPS_PER_CHECK: usize = 5;

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
    /// Once done (a run short enough to keep every step): the Elastic world's
    /// replicas at each step of the whole run, what the capacity chart draws
    /// faintly past "now" so that the minutes after a moment are on screen.
    pub ghost: Vec<u32>,
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
    /// The Rule at 0.40..0.95 ([`rule_sweep::targets`](super::rule_sweep::targets)), once played.
    pub rule: Vec<RuleTarget>,
}

/// The Rule at other targets for the verdict and the frontier panel: played
/// with the first lookahead (or once an untrained run is over), then kept for
/// the page's life (it does not depend on the agent).
#[derive(Debug, Clone)]
pub(super) enum Sweep {
    NotYet,
    Running(Box<RuleSweep>),
    Done(Vec<RuleTarget>),
}

impl Page {
    /// A piece of the lookahead: the copy of the run, then the Rule's sweep, in
    /// pieces until `out_of_time`. True when something new is known (the copy's
    /// figures and moments, or the sweep's points).
    pub(super) fn look_ahead(&mut self, out_of_time: &mut impl FnMut() -> bool) -> bool {
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
                    if let Some(lane) = copy.lane(WorldKind::Elastic) {
                        self.lookahead.ghost = lane.reports.iter().map(|r| r.provisioned).collect();
                    }
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
    pub(super) fn sweep_piece(&mut self, out_of_time: &mut impl FnMut() -> bool) -> bool {
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

    /// The run's worlds changed: the lookahead is played again (the Rule's
    /// sweep, which does not depend on the agent, is kept).
    pub(super) fn forget_lookahead(&mut self) {
        self.lookahead = Lookahead::default();
        self.forget_exact();
    }

    /// The Elastic world's replicas at each step of the whole run, as the
    /// lookahead played them (empty until it is done, or for a run too long to
    /// keep every step).
    pub fn ghost(&self) -> &[u32] {
        &self.lookahead.ghost
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
}
