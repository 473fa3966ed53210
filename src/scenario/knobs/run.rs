//! The table of knobs, its first section: the run itself (seed, step length,
//! steps).

use super::{real, whole, Check, Group, Kind, Knob, Place, EVERY_FAMILY};
use crate::scenario::MAX_STEPS;

pub(super) static KNOBS: &[Knob] = &[
    Knob {
        path: "seed",
        label: "Seed",
        kind: Kind::Seed,
        group: Group::None,
        families: EVERY_FAMILY,
        check: Check::Unchecked,
        place: Place::Seed(|s| &mut s.seed),
    },
    real!("dt_s", "Step length (s)", 1.0, 3600.0, Group::None, EVERY_FAMILY, |s| s.dt_s),
    whole!("steps", "Steps in a run", 1, MAX_STEPS, Group::None, |s| s.steps),
];
