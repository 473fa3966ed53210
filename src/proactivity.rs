//! Proactivity: how many of a world's scale-ups came early enough to serve the
//! demand rise they were for, and how many came late.
//!
//! A scale-up is a step whose provisioned replicas (ready + booting, what is paid
//! for during the step) exceed the step before's (at step 0: the initial
//! replicas). Its replicas are ready `boot_steps` steps later. It is classified
//! against the demand trace, where "short" means that a fleet of the old size
//! (`before`) cannot carry the demand within the SLA: `sizer.need(demand) > before`,
//! with [`Sizer::need`] the fewest replicas that carry a demand within the SLA.
//!
//! - **Late** (a reaction): the old fleet was already short at the step just played
//!   (the step before the scale-up), so the rise had come before the decision; or
//!   the first short step within the window comes fewer than `boot_steps` steps
//!   after the scale-up, so its replicas were still booting when the rise came.
//! - **Early** (proactive): the old fleet was not short at the step just played,
//!   and the first step within the window at which it is short comes `boot_steps`
//!   or more steps after the scale-up: its replicas were ready when the rise came.
//! - **Unprompted**: the old fleet is not short at any step of the window (the
//!   scale-up's own step and the `window − 1` after it): no rise it could serve,
//!   at least not soon. Neither early nor late: a spare replica, or noise.
//!
//! The window is [`WINDOW_S`] (30 minutes) of simulated time, [`window_steps`] in
//! steps: long enough to span any boot delay the scenarios allow (up to a few
//! minutes) many times over, short enough that a scale-up is not credited with a
//! rise hours later, which a fleet that simply never scaled down would also meet.
//!
//! This is the one meaning of "pre-emptive" ([`timed`]): the scoreboard's
//! early / late counts, the page's moments and the forensics' sentence on a
//! scale-up all classify by it.
//!
//! This is a judge's measure, not something a decision maker may read: it looks
//! at the demand after the scale-up. [`count`] classifies a whole run after the
//! fact; a [`Tracker`] does the same step by step and gives the same counts.
use crate::policy::Sizer;
use serde::Serialize;

/// The look-ahead window for the rise a scale-up serves, in seconds (30 min).
pub const WINDOW_S: f64 = 1800.0;

/// [`WINDOW_S`] in steps of `dt_s` seconds, rounded, at least 1 (30 at 60 s steps).
pub fn window_steps(dt_s: f64) -> usize {
    let steps = (WINDOW_S / dt_s).round();
    if steps.is_finite() && steps >= 1.0 {
        steps as usize
    } else {
        1
    }
}

/// A boot delay of `boot_delay_s` in whole steps of `dt_s` seconds, rounded up,
/// as the fleet counts it (0 for no delay).
pub fn boot_steps(boot_delay_s: f64, dt_s: f64) -> usize {
    let steps = (boot_delay_s / dt_s).ceil();
    if steps.is_finite() && steps > 0.0 {
        steps as usize
    } else {
        0
    }
}

/// How one scale-up met the demand rise it served (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Timing {
    Early,
    Late,
    Unprompted,
}

/// Scale-ups counted by [`Timing`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Timings {
    pub early: usize,
    pub late: usize,
    pub unprompted: usize,
}

impl Timings {
    pub fn add(&mut self, timing: Timing) {
        match timing {
            Timing::Early => self.early += 1,
            Timing::Late => self.late += 1,
            Timing::Unprompted => self.unprompted += 1,
        }
    }

    /// All scale-ups counted.
    pub fn total(&self) -> usize {
        self.early + self.late + self.unprompted
    }

    /// The share of the prompted scale-ups that came early: early / (early + late),
    /// `None` when there were none.
    pub fn early_share(&self) -> Option<f64> {
        let prompted = self.early + self.late;
        (prompted > 0).then(|| self.early as f64 / prompted as f64)
    }
}

/// A scale-up classified, with what decided it: the one meaning of
/// "pre-emptive" (early) the scoreboard, the moments and the forensics share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Timed {
    pub timing: Timing,
    /// The old fleet was already short at the step just played (a reaction).
    pub short_before: bool,
    /// The first step of the window at which the old fleet is short, if any
    /// (not looked for when it was already short).
    pub rise: Option<usize>,
}

/// Classifies a scale-up decided before step `step`, at which the provisioned
/// replicas rose from `before`: `demand` is the whole trace's demand per step
/// (req/s), `boot_steps` the boot delay in steps, `window` the steps looked
/// ahead (from `step` itself). A step beyond the trace finds no rise.
pub fn classify(
    step: usize,
    before: u32,
    demand: &[f64],
    sizer: &Sizer,
    boot_steps: usize,
    window: usize,
) -> Timing {
    timed(step, before, demand, sizer, boot_steps, window).timing
}

/// [`classify`], with the rise it found.
pub fn timed(
    step: usize,
    before: u32,
    demand: &[f64],
    sizer: &Sizer,
    boot_steps: usize,
    window: usize,
) -> Timed {
    if step >= 1 && step <= demand.len() && sizer.need(demand[step - 1]) > before {
        return Timed { timing: Timing::Late, short_before: true, rise: None };
    }
    let rise = rise(step, before, demand, sizer, window);
    let timing = match rise {
        None => Timing::Unprompted,
        Some(t) if t - step >= boot_steps => Timing::Early,
        Some(_) => Timing::Late,
    };
    Timed { timing, short_before: false, rise }
}

/// The first step of the window from `step` (itself and the `window − 1` after
/// it) at which a fleet of `before` replicas is short of the demand: the rise a
/// scale-up at `step` serves, if any.
pub fn rise(
    step: usize,
    before: u32,
    demand: &[f64],
    sizer: &Sizer,
    window: usize,
) -> Option<usize> {
    let end = step.saturating_add(window).min(demand.len());
    (step..end).find(|&t| sizer.need(demand[t]) > before)
}

/// The scale-ups of a whole run, classified: `provisioned[t]` is the count paid
/// during step `t`, `initial` the count before step 0.
pub fn count(
    provisioned: &[u32],
    initial: u32,
    demand: &[f64],
    sizer: &Sizer,
    boot_steps: usize,
    window: usize,
) -> Timings {
    let mut timings = Timings::default();
    for (step, &after) in provisioned.iter().enumerate() {
        let before = if step == 0 { initial } else { provisioned[step - 1] };
        if after > before {
            timings.add(classify(step, before, demand, sizer, boot_steps, window));
        }
    }
    timings
}

/// [`count`] step by step, for a judge that plays the run one step at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracker {
    sizer: Sizer,
    boot_steps: usize,
    window: usize,
    /// The scale-ups classified so far.
    pub timings: Timings,
}

impl Tracker {
    pub fn new(sizer: Sizer, boot_steps: usize, window: usize) -> Tracker {
        Tracker { sizer, boot_steps, window, timings: Timings::default() }
    }

    /// A scale-up from `before` replicas decided before step `step`, classified
    /// against `demand`, the whole trace ([`timed`]).
    pub fn timed(&self, step: usize, before: u32, demand: &[f64]) -> Timed {
        timed(step, before, demand, &self.sizer, self.boot_steps, self.window)
    }

    /// The boot delay in steps, as the classification counts it.
    pub fn boot_steps(&self) -> usize {
        self.boot_steps
    }

    /// The window looked ahead, in steps.
    pub fn window(&self) -> usize {
        self.window
    }

    /// Step `step` was played with `after` replicas provisioned, `before` in the
    /// step before (or initially): a rise is classified against `demand`, the
    /// whole trace.
    pub fn observe(&mut self, step: usize, before: u32, after: u32, demand: &[f64]) {
        if after > before {
            self.timings.add(classify(
                step,
                before,
                demand,
                &self.sizer,
                self.boot_steps,
                self.window,
            ));
        }
    }
}
