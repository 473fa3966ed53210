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
use crate::workload::Trace;
use crate::world::StepReport;
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
    /// Once done, likewise: the Elastic world's report at each step, which a
    /// new agent taking over keeps as its "before" ([`Page::keep_before`]).
    pub elastic: Vec<StepReport>,
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
                    let found = moments::find(&copy);
                    let (kept, note) = once_a_pass(found, &copy.trace);
                    self.lookahead.moments = kept;
                    self.lookahead.note = note;
                    if let Some(lane) = copy.lane(WorldKind::Elastic) {
                        self.lookahead.ghost = lane.reports.iter().map(|r| r.provisioned).collect();
                        self.lookahead.elastic = lane.reports.clone();
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

/// A trace that loops (a short replay laid over a longer run) repeats its
/// moments at every pass: about a hundred markers of each kind on the chart for
/// one story. Each moment is kept once, at its first pass, unless an earlier
/// pass holds none of its kind within [`PASS_SLACK`] steps of the same place;
/// a note says so. Runs that do not loop keep every moment.
fn once_a_pass(found: Vec<Moment>, trace: &Trace) -> (Vec<Moment>, Option<String>) {
    let Some(pass) = loop_steps(trace) else { return (found, None) };
    let before = found.len();
    let mut kept: Vec<Moment> = Vec::new();
    for m in found {
        let place = m.step % pass;
        let seen = kept.iter().any(|k| {
            let d = (k.step % pass).abs_diff(place);
            k.kind == m.kind && d.min(pass - d) <= PASS_SLACK
        });
        if !seen {
            kept.push(m);
        }
    }
    let dropped = before - kept.len();
    let note = (dropped > 0).then(|| {
        format!(
            "The trace repeats every {pass} steps: each moment is listed at its first pass ({dropped} repeats left out)."
        )
    });
    (kept, note)
}

/// How far apart two moments of one kind may lie, from one pass to the next,
/// and still be the same moment repeated (steps).
const PASS_SLACK: usize = 2;

/// The steps of one pass of a trace that loops within the run, if it does: a
/// request-level replay's period, or the shortest shift under which every
/// step's demand repeats exactly (a counts replay looped).
fn loop_steps(trace: &Trace) -> Option<usize> {
    let n = trace.rates.len();
    if let Some(r) = &trace.requests {
        let pass = (r.period / trace.dt).round() as usize;
        return (r.repeat && pass >= 1 && pass < n).then_some(pass);
    }
    let rates = &trace.rates;
    (1..=n / 2).find(|&p| rates[p..].iter().zip(rates).all(|(a, b)| a == b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::moments::MomentKind;
    use crate::workload::Requests;

    fn trace(rates: Vec<f64>) -> Trace {
        Trace { dt: 60.0, rates, requests: None, seed: 1, sub_rates: None }
    }

    fn moment(kind: MomentKind, step: usize) -> Moment {
        Moment { kind, step, from: step, until: step + 1, text: String::new() }
    }

    #[test]
    fn a_looped_trace_lists_each_moment_once_at_its_first_pass() {
        // A 10-step pattern played five times: its period is found.
        let pattern = [5.0, 6.0, 9.0, 9.0, 4.0, 3.0, 3.0, 7.0, 8.0, 5.0];
        let t = trace(pattern.iter().copied().cycle().take(50).collect());
        assert_eq!(loop_steps(&t), Some(10));
        let found = vec![
            moment(MomentKind::PreEmptive, 2),
            moment(MomentKind::Saving, 5),
            moment(MomentKind::PreEmptive, 12),
            // One step off its first pass's place: the same moment repeated.
            moment(MomentKind::PreEmptive, 23),
            moment(MomentKind::Saving, 15),
            // Exactly the slack (2 steps) off its first pass's place: a repeat.
            moment(MomentKind::Saving, 27),
            // A new place in a later pass (learning live, say): kept.
            moment(MomentKind::LateReaction, 37),
            // Three steps off: another moment.
            moment(MomentKind::PreEmptive, 35),
            // That one again a pass later: a repeat of the one kept at 35.
            moment(MomentKind::PreEmptive, 45),
            // Near a pass's end, then 2 steps later across the boundary: a repeat.
            moment(MomentKind::Oscillation, 9),
            moment(MomentKind::Oscillation, 21),
        ];
        let (kept, note) = once_a_pass(found, &t);
        let at: Vec<(MomentKind, usize)> = kept.iter().map(|m| (m.kind, m.step)).collect();
        assert_eq!(
            at,
            [
                (MomentKind::PreEmptive, 2),
                (MomentKind::Saving, 5),
                (MomentKind::LateReaction, 37),
                (MomentKind::PreEmptive, 35),
                (MomentKind::Oscillation, 9)
            ]
        );
        assert_eq!(
            note.as_deref(),
            Some("The trace repeats every 10 steps: each moment is listed at its first pass (6 repeats left out).")
        );
    }

    #[test]
    fn a_looped_trace_whose_moments_are_all_in_one_pass_keeps_them_without_a_note() {
        let pattern = [5.0, 6.0, 9.0, 9.0, 4.0, 3.0, 3.0, 7.0, 8.0, 5.0];
        let t = trace(pattern.iter().copied().cycle().take(40).collect());
        let found = vec![moment(MomentKind::PreEmptive, 2), moment(MomentKind::Saving, 5)];
        let (kept, note) = once_a_pass(found.clone(), &t);
        assert_eq!(kept, found);
        assert_eq!(note, None, "nothing was left out");
    }

    #[test]
    fn a_request_level_replay_loops_with_its_period_when_it_repeats_within_the_run() {
        // 40 steps of a minute over a replay of `period` seconds.
        let replay = |period: f64, repeat: bool| {
            let mut t = trace(vec![1.0; 40]);
            t.requests = Some(Requests {
                times: vec![0.5 * period],
                generated_tokens: None,
                period,
                repeat,
            });
            loop_steps(&t)
        };
        assert_eq!(replay(600.0, true), Some(10));
        assert_eq!(replay(630.0, true), Some(11), "10.5 steps round to 11");
        assert_eq!(replay(600.0, false), None, "played once, it does not loop");
        assert_eq!(replay(2400.0, true), None, "a pass as long as the run does not loop within it");
        assert_eq!(replay(3000.0, true), None);
        assert_eq!(replay(20.0, true), None, "a pass of under half a step is no pass of steps");
    }

    #[test]
    fn a_trace_that_does_not_loop_keeps_every_moment() {
        let t = trace((0..40).map(|i| f64::from(i % 7) + f64::from(i / 10)).collect());
        assert_eq!(loop_steps(&t), None);
        let found = vec![moment(MomentKind::Saving, 3), moment(MomentKind::Saving, 13)];
        let (kept, note) = once_a_pass(found.clone(), &t);
        assert_eq!(kept, found);
        assert_eq!(note, None);
    }
}
