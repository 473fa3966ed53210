//! Playing: what a frame does ([`Page::advance`], which hands out the work of
//! the other rooms), playing and pausing, seeking back and forth, and the
//! capacity chart's zoom. Apart as the one place that moves the run's step.

use super::lookahead::Sweep;
use super::training::TrainingPlace;
use super::Page;
use crate::error::Result;
use serde::Serialize;

/// Steps played per call of the world's step loop between two checks of the
/// frame's time budget (a step of four worlds takes about half a millisecond).
pub(super) const STEPS_PER_CHECK: u32 = 10;

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
    /// Played the Rule at other targets, the run being over ([`rule_sweep`](super::rule_sweep)).
    Sweeping,
    /// Played the whole run ahead on a copy, and the Rule's sweep ([`Lookahead`](super::Lookahead)).
    Lookahead,
    /// Replayed the run's decisions with the exact physics ([`Page::replay_exact`]).
    ExactReplay,
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

impl Page {
    /// Does one frame's work within `out_of_time` (checked between small pieces
    /// of work): pre-training a learned forecaster first, else training on this
    /// thread, else, once trained, the lookahead ([`Lookahead`](super::Lookahead): the whole run
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
        if self.replaying_exact() {
            let changed = self.exact_piece(&mut out_of_time);
            return Ok(Frame { work: FrameWork::ExactReplay, played: 0, changed });
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

    /// The fast-forward has reached its step: pins the forensics asked for
    /// there (or why there are none), and plays on if asked.
    pub(super) fn arrived(&mut self) {
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

    /// Restarts the run at step 0 with the agent as trained so far: the same
    /// scenario and training give the same figures. A seek under way (to a
    /// moment, a link's step, the step a new agent took over at) is given up:
    /// the run stays at step 0.
    pub fn reset(&mut self) {
        self.fast_forward_to = None;
        self.play_when_there = false;
        self.explain_when_there = None;
        self.before = Vec::new();
        self.restart();
    }

    /// Back to step 0, a seek under way kept (the worlds changed under it).
    pub(super) fn restart(&mut self) {
        self.session.restart();
        self.restarted();
    }

    pub fn step_index(&self) -> usize {
        self.session.judge.step_index()
    }

    pub fn finished(&self) -> bool {
        self.session.judge.finished()
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
        // "Now" a third of the way in: the minutes that follow it (drawn
        // faintly from the lookahead) take the larger part of the window.
        let from = self.step_index().saturating_sub(width / 3).min(len.saturating_sub(width));
        Some((from, (from + width).min(len)))
    }
}
