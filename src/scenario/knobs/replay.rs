//! The table of knobs, the replay's section: the trace file and how it is read
//! and laid out on the run.

use super::{choice, name_of, pick, real, Check, Group, Kind, Knob, Place};
use crate::scenario::{Family, ReplayFormat, ServiceModel, Spread, TimeUnit};

const REPLAY: &[Family] = &[Family::Replay];

pub(super) static KNOBS: &[Knob] = &[
    Knob {
        path: "workload.replay.source",
        place: Place::Text(|s| &mut s.workload.replay.source),
        label: "Trace file",
        kind: Kind::Text { max_bytes: 256 },
        group: Group::None,
        families: REPLAY,
        check: Check::Rule(|s, c| {
            let w = &s.workload;
            if w.replay.source.len() > 256 {
                c.push(
                    "workload.replay.source",
                    format!("{} characters", w.replay.source.len()),
                    "must be at most 256 characters".into(),
                );
            }
            if w.family == Family::Replay && w.replay.source.is_empty() {
                c.push("workload.replay.source", "\"\"", "a replay needs a CSV source".into());
            }
        }),
    },
    choice(
        "workload.replay.format",
        "Trace layout",
        &[
            ("auto", "from the header"),
            ("requests", "one row per request"),
            ("counts", "one row per interval"),
        ],
        Group::None,
        |s| name_of(&s.workload.replay.format),
        |s, name| {
            use ReplayFormat::*;
            pick(&mut s.workload.replay.format, [Auto, Requests, Counts], name)
        },
    ),
    real!(
        "workload.replay.interval_s",
        "Interval of a counts file (s; 0: from the file)",
        0.0,
        86_400.0,
        Group::None,
        REPLAY,
        |s| s.workload.replay.interval_s
    ),
    real!(
        "workload.replay.time_stretch",
        "Time stretch (x)",
        0.01,
        100.0,
        Group::Workload,
        REPLAY,
        |s| s.workload.replay.time_stretch
    ),
    real!(
        "workload.replay.rate_scale",
        "Rate scale (x)",
        0.0,
        1000.0,
        Group::Workload,
        REPLAY,
        |s| s.workload.replay.rate_scale
    ),
    Knob {
        path: "workload.replay.repeat",
        label: "Repeat the trace",
        kind: Kind::Flag,
        group: Group::None,
        families: REPLAY,
        check: Check::Unchecked,
        place: Place::Flag(|s| &mut s.workload.replay.repeat),
    },
    choice(
        "workload.replay.service",
        "Service time",
        &[("exponential", "exponential"), ("tokens", "per generated token")],
        Group::None,
        |s| name_of(&s.workload.replay.service),
        |s, name| {
            pick(
                &mut s.workload.replay.service,
                [ServiceModel::Exponential, ServiceModel::Tokens],
                name,
            )
        },
    ),
    Knob {
        families: REPLAY,
        ..choice(
            "workload.replay.time_unit",
            "Time unit of the trace",
            &[
                ("auto", "from the header or values"),
                ("s", "seconds"),
                ("ms", "milliseconds"),
                ("us", "microseconds"),
                ("ns", "nanoseconds"),
            ],
            Group::Workload,
            |s| name_of(&s.workload.replay.time_unit),
            |s, name| {
                use TimeUnit::*;
                pick(&mut s.workload.replay.time_unit, [Auto, S, Ms, Us, Ns], name)
            },
        )
    },
    Knob {
        families: REPLAY,
        ..choice(
            "workload.replay.spread",
            "Requests on one timestamp",
            &[
                ("none", "as written"),
                ("even", "spread evenly in the tick"),
                ("random", "spread at random in the tick"),
            ],
            Group::Workload,
            |s| name_of(&s.workload.replay.spread),
            |s, name| {
                pick(
                    &mut s.workload.replay.spread,
                    [Spread::None, Spread::Even, Spread::Random],
                    name,
                )
            },
        )
    },
];
