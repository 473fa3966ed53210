//! The run's moments a class should see, found over the whole run (the page
//! plays a copy of it ahead, [`super::Lookahead`]): a pre-emptive scale-up, a
//! late reaction and the SLA violation it let through, an oscillation, and a
//! demand dip where Elastic saves what Static wastes.
//!
//! [`detect`] is a pure function of per-step series ([`Series`]): the demand,
//! the Elastic world's provisioned replicas and whether it broke the SLA, the
//! Static world's provisioned replicas, and what [`crate::proactivity`] needs
//! (the judge's sizer, the boot delay in steps, the window). [`find`] reads them
//! from a judge whose lanes keep their reports. A step's provisioned replicas
//! are those of the decision taken before it, so a scale-up's step is its
//! decision's step.
//!
//! - **Pre-emptive** (`pre_emptive`): an Elastic scale-up that
//!   [`proactivity::classify`] calls [`Timing::Early`]: within the window (30
//!   minutes) the demand first rises past what the old fleet carries a boot delay
//!   or more after the decision. `step` is the decision; `from..until` runs from
//!   the decision to the rise.
//! - **Late reaction** (`late_reaction`): an Elastic scale-up classified
//!   [`Timing::Late`] with at least one step of Elastic SLA violation from the
//!   rise (the first step of the short stretch just before the decision, looked
//!   for at most a window back; or the first short step after it) until its
//!   replicas are ready, `boot_steps` after the decision. `step` is the decision;
//!   `from..until` spans the violation steps, which the text names. A late
//!   scale-up without a violation is not a moment.
//! - **Oscillation** (`oscillation`): three or more consecutive changes of
//!   Elastic's capacity in alternating directions (up, down, up or down, up,
//!   down), each three consecutive ones within the window (30 minutes); a longer
//!   run of alternations is one moment. `step` is its first change; moments do
//!   not overlap. Two changes, or changes in the same direction, are not one.
//! - **Saving** (`saving`): a maximal stretch of at least an hour in which
//!   Static's provisioned replicas exceed Elastic's by at least
//!   max(2 replicas, 40 % of Static's). `step` is the step of the widest gap
//!   (the first, on a tie; not step 0, which no decision of Elastic's made);
//!   `from..until` is the stretch; the text gives the
//!   replica-hours saved over it and their cost at the scenario's price.
//!
//! At most [`MAX_PER_KIND`] moments of each kind are kept (the first ones), and
//! the list is in step order.
//!
//! Finding and wording are apart: [`spot`] finds each moment with the figures
//! its line needs ([`Found`], plain data), and `words.rs` words every one of
//! them, one line a lecturer can read aloud, with the run's clock and the
//! figures; so the rules read without their sentences, and every sentence is in
//! one place.

mod words;

use crate::judge::Judge;
use crate::policy::{Sizer, WorldKind};
use crate::proactivity::{self, Timing};
use serde::Serialize;
pub use words::moment_heading;

/// The most moments of one kind kept.
pub const MAX_PER_KIND: usize = 100;

/// Alternating capacity changes that make an oscillation.
pub const OSCILLATION_CHANGES: usize = 3;

/// The shortest saving stretch, in seconds (an hour).
pub const SAVING_MIN_S: f64 = 3600.0;

/// A saving's gap: at least this many replicas, and this share of Static's.
pub const SAVING_MIN_REPLICAS: u32 = 2;
pub const SAVING_MIN_SHARE: f64 = 0.4;

/// A kind of moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MomentKind {
    /// The Elastic world scaled up at least a boot delay before the demand rose
    /// past what its old fleet carried (the forecast rose first).
    PreEmptive,
    /// The Elastic world scaled up after the rise began (or too close to it) and
    /// broke the SLA meanwhile.
    LateReaction,
    /// The Elastic world's capacity went up and down repeatedly within a short
    /// window.
    Oscillation,
    /// A stretch of low demand in which Elastic runs far fewer replicas than
    /// Static: the saving, the area between their lines.
    Saving,
}

impl MomentKind {
    pub const ALL: [MomentKind; 4] = [
        MomentKind::PreEmptive,
        MomentKind::LateReaction,
        MomentKind::Oscillation,
        MomentKind::Saving,
    ];

    /// The name the page and the link use ("pre_emptive", ...).
    pub fn key(self) -> &'static str {
        match self {
            MomentKind::PreEmptive => "pre_emptive",
            MomentKind::LateReaction => "late_reaction",
            MomentKind::Oscillation => "oscillation",
            MomentKind::Saving => "saving",
        }
    }
}

/// A moment of the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moment {
    pub kind: MomentKind,
    /// The step to look at: the decision (a scale-up's step; an oscillation's
    /// first change; a dip's deepest step). The page seeks to `step + 1`, so
    /// that the decision is the last one played, and explains it.
    pub step: usize,
    /// The steps it spans, `from..until` (a dip's stretch, an oscillation's
    /// window, a late reaction's violations), for the charts' shading.
    pub from: usize,
    pub until: usize,
    /// One line for the list: what happened, with its figures (worded in `words.rs`).
    pub text: String,
}

/// A moment as found, not yet worded: where it is ([`Moment`]'s `step`,
/// `from`, `until`) and what happened, with the figures its line needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub step: usize,
    pub from: usize,
    pub until: usize,
    pub facts: Facts,
}

/// What happened at a moment, by kind, with the figures its line needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Facts {
    /// Scaled up from `before` to `after` replicas; the demand rose past what
    /// `before` carry at step `rise`.
    PreEmptive { before: u32, after: u32, rise: usize },
    /// Scaled up from `before` to `after` replicas, the rise at step `rise`
    /// (before the decision, at it, or after it); the SLA broke at the steps
    /// `broken` (in order, at least one) before the new replicas were ready.
    LateReaction { before: u32, after: u32, rise: usize, broken: Vec<usize> },
    /// From `start` replicas, each change in turn: whether it went up, and the
    /// replicas after it.
    Oscillation { start: u32, changes: Vec<(bool, u32)> },
    /// At the step of the widest gap, Elastic's and Static's replicas; the
    /// replica-hours saved over the stretch.
    Saving { elastic: u32, fixed: u32, replica_hours: f64 },
}

impl Facts {
    /// The kind of moment these facts are of.
    pub fn kind(&self) -> MomentKind {
        match self {
            Facts::PreEmptive { .. } => MomentKind::PreEmptive,
            Facts::LateReaction { .. } => MomentKind::LateReaction,
            Facts::Oscillation { .. } => MomentKind::Oscillation,
            Facts::Saving { .. } => MomentKind::Saving,
        }
    }
}

/// What the moments are found in: per-step series of a run (see the module
/// docs). The fleets' series cover the steps played; `demand` may run further
/// (a scale-up's rise is looked for ahead of it).
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    /// Demand (req/s) of every step.
    pub demand: &'a [f64],
    /// The Elastic world's provisioned replicas (ready and booting) each step.
    pub elastic: &'a [u32],
    /// Whether the Elastic world broke the SLA each step.
    pub violated: &'a [bool],
    /// The Static world's provisioned replicas each step.
    pub fixed: &'a [u32],
    /// The replicas every world starts with (before step 0).
    pub initial: u32,
    /// The fewest replicas that carry a demand within the SLA (the judge's).
    pub sizer: &'a Sizer,
    /// The boot delay, and the proactivity window, in steps.
    pub boot_steps: usize,
    pub window: usize,
    /// Seconds per step, and the price of a replica for an hour.
    pub dt_s: f64,
    pub price_per_hour: f64,
}

impl Series<'_> {
    /// The steps all the fleets' series cover.
    fn len(&self) -> usize {
        self.elastic.len().min(self.violated.len()).min(self.fixed.len())
    }

    /// Elastic's replicas before step `t` (the initial ones before step 0).
    fn before(&self, t: usize) -> u32 {
        if t == 0 {
            self.initial
        } else {
            self.elastic[t - 1]
        }
    }

    fn short(&self, t: usize, replicas: u32) -> bool {
        self.sizer.need(self.demand[t]) > replicas
    }
}

/// Every moment of a judge's run so far (its lanes keep every step's report),
/// in step order. A judge without reports, or without an Elastic or Static
/// world, has none.
pub fn find(judge: &Judge) -> Vec<Moment> {
    let (Some(elastic), Some(fixed)) =
        (judge.lane(WorldKind::Elastic), judge.lane(WorldKind::Static))
    else {
        return Vec::new();
    };
    // Every lane keeps its reports alike (`Judge::keep_reports`): a run whose
    // first steps were played without them has no moments.
    if elastic.reports.len() < judge.step_index() {
        return Vec::new();
    }
    let provisioned =
        |l: &crate::judge::Lane| l.reports.iter().map(|r| r.provisioned).collect::<Vec<u32>>();
    let violated: Vec<bool> = elastic.reports.iter().map(|r| !r.sla_held).collect();
    detect(&Series {
        demand: &judge.trace.rates,
        elastic: &provisioned(elastic),
        violated: &violated,
        fixed: &provisioned(fixed),
        initial: judge.initial_replicas(),
        sizer: judge.sizer(),
        boot_steps: judge.boot_steps(),
        window: judge.window_steps(),
        dt_s: judge.trace.dt,
        price_per_hour: judge.price_per_hour(),
    })
}

/// Every moment of the series, worded ([`spot`]'s, in its order).
pub fn detect(s: &Series) -> Vec<Moment> {
    spot(s).iter().map(|found| words::moment(found, s)).collect()
}

/// Every moment of the series, found, at most [`MAX_PER_KIND`] of each kind, in
/// step order (of equal steps, in [`MomentKind::ALL`]'s order).
pub fn spot(s: &Series) -> Vec<Found> {
    let mut all = scale_ups(s);
    all.extend(oscillations(s));
    all.extend(savings(s));
    crate::math::sort_small_by_key(&mut all, |m| (m.step, m.facts.kind()));
    let mut kept = [0usize; 4];
    all.retain(|m| {
        let n = &mut kept[m.facts.kind() as usize];
        *n += 1;
        *n <= MAX_PER_KIND
    });
    all
}

/// The pre-emptive scale-ups and the late reactions that broke the SLA.
fn scale_ups(s: &Series) -> Vec<Found> {
    let mut out = Vec::new();
    for step in 0..s.len() {
        let (before, after) = (s.before(step), s.elastic[step]);
        if after <= before {
            continue;
        }
        let timed = proactivity::timed(step, before, s.demand, s.sizer, s.boot_steps, s.window);
        match timed.timing {
            Timing::Early => {
                let Some(rise) = timed.rise else { continue };
                out.push(Found {
                    step,
                    from: step,
                    until: rise.max(step + 1),
                    facts: Facts::PreEmptive { before, after, rise },
                });
            }
            Timing::Late => {
                // The rise: the start of the short stretch just played, or the
                // first short step ahead (within the boot delay).
                let rise = if timed.short_before {
                    let floor = step.saturating_sub(s.window);
                    let mut r = step - 1;
                    while r > floor && s.short(r - 1, before) {
                        r -= 1;
                    }
                    r
                } else {
                    match timed.rise {
                        Some(r) => r,
                        None => continue,
                    }
                };
                let ready = (step + s.boot_steps).min(s.len());
                let broken: Vec<usize> = (rise..ready).filter(|&t| s.violated[t]).collect();
                let (Some(&first), Some(&last)) = (broken.first(), broken.last()) else { continue };
                out.push(Found {
                    step,
                    from: first,
                    until: last + 1,
                    facts: Facts::LateReaction { before, after, rise, broken },
                });
            }
            Timing::Unprompted => {}
        }
    }
    out
}

/// Runs of capacity changes in alternating directions (see the module docs).
fn oscillations(s: &Series) -> Vec<Found> {
    // Each change: its step, whether it went up, and the replicas after it.
    let changes: Vec<(usize, bool, u32)> = (0..s.len())
        .filter(|&t| s.elastic[t] != s.before(t))
        .map(|t| (t, s.elastic[t] > s.before(t), s.elastic[t]))
        .collect();
    let alternates = |i: usize| changes[i].1 != changes[i + 1].1;
    // Three consecutive changes, alternating, within the window.
    let fits = |i: usize| {
        i + 2 < changes.len()
            && alternates(i)
            && alternates(i + 1)
            && changes[i + 2].0 - changes[i].0 < s.window
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < changes.len() {
        if !fits(i) {
            i += 1;
            continue;
        }
        let mut j = i + 2;
        // `fits` checks that three changes remain from j - 1.
        while fits(j - 1) {
            j += 1;
        }
        let (first, last) = (changes[i].0, changes[j].0);
        out.push(Found {
            step: first,
            from: first,
            until: last + 1,
            facts: Facts::Oscillation {
                start: s.before(first),
                changes: changes[i..=j].iter().map(|c| (c.1, c.2)).collect(),
            },
        });
        i = j + 1;
    }
    out
}

/// Stretches of an hour or more in which Elastic runs far fewer replicas than
/// Static (see the module docs).
fn savings(s: &Series) -> Vec<Found> {
    let gap = |t: usize| s.fixed[t].saturating_sub(s.elastic[t]);
    let wide = |t: usize| {
        let g = gap(t);
        g >= SAVING_MIN_REPLICAS && g as f64 >= SAVING_MIN_SHARE * s.fixed[t] as f64
    };
    let min_steps = if s.dt_s > 0.0 { (SAVING_MIN_S / s.dt_s).ceil() as usize } else { usize::MAX };
    let mut out = Vec::new();
    let mut t = 0;
    while t < s.len() {
        if !wide(t) {
            t += 1;
            continue;
        }
        let from = t;
        while t < s.len() && wide(t) {
            t += 1;
        }
        if t - from < min_steps.max(1) {
            continue;
        }
        // Step 0 is no decision's (the worlds start alike): not a step to look at.
        let first = from.max(1);
        let widest = (first..t).fold(first, |w, u| if gap(u) > gap(w) { u } else { w });
        let replica_hours = (from..t).map(|u| gap(u) as f64).sum::<f64>() * s.dt_s / 3600.0;
        out.push(Found {
            step: widest,
            from,
            until: t,
            facts: Facts::Saving {
                elastic: s.elastic[widest],
                fixed: s.fixed[widest],
                replica_hours,
            },
        });
    }
    out
}
