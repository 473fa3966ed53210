//! The run's moments a class should see, found over the whole run (the page
//! plays a copy of it ahead, [`super::Lookahead`]): a pre-emptive scale-up, a
//! late reaction and the SLA violation it let through, an oscillation, and a
//! demand dip where Elastic saves what Static wastes.
//!
//! SKELETON: the types and signatures are the contract between the core, the
//! charts and the page; `find` is filled in by the core's work.

use crate::judge::Judge;
use serde::Serialize;

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
    pub const ALL: [MomentKind; 4] = [MomentKind::PreEmptive, MomentKind::LateReaction, MomentKind::Oscillation, MomentKind::Saving];

    /// The name the page and the link use ("pre_emptive", ...).
    pub fn key(self) -> &'static str {
        match self {
            MomentKind::PreEmptive => "pre_emptive",
            MomentKind::LateReaction => "late_reaction",
            MomentKind::Oscillation => "oscillation",
            MomentKind::Saving => "saving",
        }
    }

    /// In words, for a list's heading ("Pre-emptive scale-ups").
    pub fn label(self) -> &'static str {
        match self {
            MomentKind::PreEmptive => "Pre-emptive scale-ups",
            MomentKind::LateReaction => "Late reactions",
            MomentKind::Oscillation => "Oscillations",
            MomentKind::Saving => "Savings in a dip",
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
    /// One line for the list: what happened, with its figures.
    pub text: String,
}

/// Every moment of a judge's run so far (its lanes keep every step's report),
/// in step order. A judge without reports, or without an Elastic or Static
/// world, has none.
pub fn find(_judge: &Judge, _boot_steps: usize) -> Vec<Moment> {
    Vec::new()
}
