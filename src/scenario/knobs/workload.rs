//! The table of knobs, the workload's section: the family and the parameters of
//! the generated families (the replay's own knobs follow in `replay`).

use super::{choice, name_of, pick, real, Check, Group, Kind, Knob, Place};
use crate::scenario::Family;

const DAILY: &[Family] = &[Family::Diurnal, Family::FlashCrowd];
/// Where a step's demand carries multiplicative noise.
const NOISY: &[Family] = &[Family::Diurnal, Family::FlashCrowd, Family::Scheduled];
const FLASH: &[Family] = &[Family::FlashCrowd];
/// Where `base_rps` is the rate: the daily curve's mean, the constant rate, the
/// rate before a step.
const BASE: &[Family] = &[Family::Diurnal, Family::FlashCrowd, Family::Constant, Family::Step];
const STEP: &[Family] = &[Family::Step];
const BURSTY: &[Family] = &[Family::Bursty];

const FAMILIES: &[(&str, &str)] = &[
    ("diurnal", "diurnal"),
    ("flash-crowd", "flash crowd"),
    ("bursty", "bursty"),
    ("constant", "constant"),
    ("step", "step"),
    ("scheduled", "scheduled events"),
    ("replay", "replay of the trace file"),
];

pub(super) static KNOBS: &[Knob] = &[
    choice(
        "workload.family",
        "Family",
        FAMILIES,
        Group::Workload,
        |s| name_of(&s.workload.family),
        |s, name| {
            use Family::*;
            pick(
                &mut s.workload.family,
                [Diurnal, FlashCrowd, Bursty, Constant, Step, Scheduled, Replay],
                name,
            )
        },
    ),
    real!("workload.base_rps", "Mean demand (req/s)", 0.0, 100_000.0, Group::Workload, BASE, |s| s
        .workload
        .base_rps),
    real!("workload.amplitude", "Daily swing (0-1)", 0.0, 1.0, Group::Workload, DAILY, |s| s
        .workload
        .amplitude),
    real!("workload.peak_hour", "Peak hour (0-24)", 0.0, 24.0, Group::None, DAILY, |s| s
        .workload
        .peak_hour),
    real!("workload.noise", "Noise (0-1)", 0.0, 1.0, Group::Workload, NOISY, |s| s.workload.noise),
    real!("workload.spikes_per_day", "Spikes per day", 0.0, 1000.0, Group::Workload, DAILY, |s| s
        .workload
        .spikes_per_day),
    real!("workload.spike_height", "Spike height (x)", 1.0, 100.0, Group::None, DAILY, |s| s
        .workload
        .spike_height),
    real!(
        "workload.spike_duration_s",
        "Spike length (s)",
        0.0,
        86_400.0,
        Group::None,
        DAILY,
        |s| s.workload.spike_duration_s
    ),
    real!("workload.surges_per_day", "Surges per day", 0.0, 1000.0, Group::Workload, FLASH, |s| s
        .workload
        .surges_per_day),
    real!(
        "workload.surge_min",
        "Surge height, least (x)",
        1.0,
        100.0,
        Group::Workload,
        FLASH,
        |s| s.workload.surge_min
    ),
    Knob {
        check: Check::AtLeast(
            |s| s.workload.surge_max,
            "workload.surge_min",
            |s| s.workload.surge_min,
        ),
        ..real!(
            "workload.surge_max",
            "Surge height, most (x)",
            1.0,
            100.0,
            Group::Workload,
            FLASH,
            |s| s.workload.surge_max
        )
    },
    real!(
        "workload.surge_min_s",
        "Surge length, least (s)",
        0.0,
        86_400.0,
        Group::None,
        FLASH,
        |s| s.workload.surge_min_s
    ),
    Knob {
        check: Check::AtLeast(
            |s| s.workload.surge_max_s,
            "workload.surge_min_s",
            |s| s.workload.surge_min_s,
        ),
        ..real!(
            "workload.surge_max_s",
            "Surge length, most (s)",
            0.0,
            86_400.0,
            Group::None,
            FLASH,
            |s| s.workload.surge_max_s
        )
    },
    Knob {
        path: "workload.mmpp_rates",
        place: Place::List(|s| &mut s.workload.mmpp_rates),
        label: "Rates (req/s, comma-separated)",
        kind: Kind::List { lo: 0.0, hi: 100_000.0, max_items: 16 },
        group: Group::Workload,
        families: BURSTY,
        check: Check::Rule(|s, c| {
            let rates = &s.workload.mmpp_rates;
            if rates.len() < 2 || rates.len() > 16 {
                c.push(
                    "workload.mmpp_rates",
                    format!("{rates:?}"),
                    "must list 2 to 16 rates".into(),
                );
            }
            for (i, r) in rates.iter().enumerate() {
                c.real(&format!("workload.mmpp_rates[{i}]"), *r, 0.0, 100_000.0);
            }
        }),
    },
    Knob {
        path: "workload.mmpp_dwell_s",
        place: Place::List(|s| &mut s.workload.mmpp_dwell_s),
        label: "Mean time in each rate (s)",
        kind: Kind::List { lo: 1.0, hi: 1e7, max_items: 16 },
        group: Group::Workload,
        families: BURSTY,
        check: Check::Rule(|s, c| {
            let w = &s.workload;
            if w.mmpp_dwell_s.len() != w.mmpp_rates.len() {
                c.push(
                    "workload.mmpp_dwell_s",
                    format!("{:?}", w.mmpp_dwell_s),
                    format!("must list one mean dwell time per rate ({})", w.mmpp_rates.len()),
                );
            }
            for (i, d) in w.mmpp_dwell_s.iter().enumerate() {
                c.real(&format!("workload.mmpp_dwell_s[{i}]"), *d, 1.0, 1e7);
            }
        }),
    },
    real!("workload.step_at_s", "Step at (s)", 0.0, 1e9, Group::Workload, STEP, |s| s
        .workload
        .step_at_s),
    real!(
        "workload.step_to_rps",
        "Rate after the step (req/s)",
        0.0,
        100_000.0,
        Group::Workload,
        STEP,
        |s| s.workload.step_to_rps
    ),
];
