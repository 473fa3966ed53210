//! The table of knobs, the scheduled family's section: the rates and times of
//! the day's events (`crate::workload` has the day they make).

use super::{real, Check, Group, Knob};
use crate::scenario::Family;

const SCHEDULED: &[Family] = &[Family::Scheduled];

pub(super) static KNOBS: &[Knob] = &[
    real!(
        "workload.scheduled.night_rps",
        "Night rate (req/s)",
        0.0,
        100_000.0,
        Group::Workload,
        SCHEDULED,
        |s| s.workload.scheduled.night_rps
    ),
    real!(
        "workload.scheduled.day_rps",
        "Day rate (req/s)",
        0.0,
        100_000.0,
        Group::Workload,
        SCHEDULED,
        |s| s.workload.scheduled.day_rps
    ),
    real!(
        "workload.scheduled.surge_at_h",
        "Morning surge at (hour, 0-24)",
        0.0,
        24.0,
        Group::Workload,
        SCHEDULED,
        |s| s.workload.scheduled.surge_at_h
    ),
    real!(
        "workload.scheduled.surge_ramp_s",
        "Surge ramp (s)",
        0.0,
        86_400.0,
        Group::Workload,
        SCHEDULED,
        |s| s.workload.scheduled.surge_ramp_s
    ),
    real!(
        "workload.scheduled.lunch_at_h",
        "Lunch dip at (hour, 0-24)",
        0.0,
        24.0,
        Group::None,
        SCHEDULED,
        |s| s.workload.scheduled.lunch_at_h
    ),
    real!(
        "workload.scheduled.lunch_s",
        "Lunch dip length (s)",
        0.0,
        86_400.0,
        Group::None,
        SCHEDULED,
        |s| s.workload.scheduled.lunch_s
    ),
    real!(
        "workload.scheduled.lunch_dip",
        "Lunch rate (share, 0-1)",
        0.0,
        1.0,
        Group::Workload,
        SCHEDULED,
        |s| s.workload.scheduled.lunch_dip
    ),
    real!(
        "workload.scheduled.lunch_ramp_s",
        "Lunch ramps (s)",
        0.0,
        86_400.0,
        Group::None,
        SCHEDULED,
        |s| s.workload.scheduled.lunch_ramp_s
    ),
    // The working day ends after it starts: an evening before the morning
    // would leave no day at all, and is more likely a typing slip.
    Knob {
        check: Check::AtLeast(
            |s| s.workload.scheduled.evening_at_h,
            "workload.scheduled.surge_at_h",
            |s| s.workload.scheduled.surge_at_h,
        ),
        ..real!(
            "workload.scheduled.evening_at_h",
            "Evening decline at (hour, 0-24)",
            0.0,
            24.0,
            Group::Workload,
            SCHEDULED,
            |s| s.workload.scheduled.evening_at_h
        )
    },
    real!(
        "workload.scheduled.evening_s",
        "Evening decline length (s)",
        0.0,
        86_400.0,
        Group::None,
        SCHEDULED,
        |s| s.workload.scheduled.evening_s
    ),
    real!(
        "workload.scheduled.weekend",
        "Weekend rate (x a weekday's)",
        0.0,
        10.0,
        Group::Workload,
        SCHEDULED,
        |s| s.workload.scheduled.weekend
    ),
    real!(
        "workload.scheduled.batch_rps",
        "Hourly batch burst (+req/s)",
        0.0,
        100_000.0,
        Group::Workload,
        SCHEDULED,
        |s| s.workload.scheduled.batch_rps
    ),
    real!(
        "workload.scheduled.batch_at_min",
        "Batch burst at (minute, 0-60)",
        0.0,
        60.0,
        Group::None,
        SCHEDULED,
        |s| s.workload.scheduled.batch_at_min
    ),
    real!(
        "workload.scheduled.batch_s",
        "Batch burst length (s)",
        0.0,
        3600.0,
        Group::None,
        SCHEDULED,
        |s| s.workload.scheduled.batch_s
    ),
];
