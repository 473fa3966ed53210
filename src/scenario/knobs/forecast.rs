//! The table of knobs, the forecast's section: the method, its horizon and the
//! nets' sizes and learning.

use super::{choice, name_of, pick, real, whole, Group, Knob, EVERY_FAMILY};
use crate::scenario::ForecastMethod;

const METHODS: &[(&str, &str)] = &[
    ("naive", "naive (last value)"),
    ("moving-average", "moving average"),
    ("seasonal", "seasonal (daily)"),
    ("lstm", "LSTM (learned)"),
    ("tcn", "TCN (learned)"),
];

pub(super) static KNOBS: &[Knob] = &[
    choice(
        "forecast.method",
        "Forecaster",
        METHODS,
        Group::Agent,
        |s| name_of(&s.forecast.method),
        |s, name| {
            use ForecastMethod::*;
            pick(&mut s.forecast.method, [Naive, MovingAverage, Seasonal, Lstm, Tcn], name)
        },
    ),
    whole!(
        "forecast.horizon_steps",
        "Forecast horizon (steps; 0: the boot delay)",
        0,
        10_000,
        Group::None,
        |s| s.forecast.horizon_steps
    ),
    whole!("forecast.window", "Moving-average window (steps)", 1, 10_000, Group::None, |s| s
        .forecast
        .window),
    // The nets' sizes are bounded so that the largest takes about a
    // millisecond a step natively (an LSTM of 32 units over 64 steps,
    // learning every step; the defaults take 3-20 µs).
    whole!("forecast.hidden_size", "Net size (units or channels)", 1, 32, Group::None, |s| s
        .forecast
        .hidden_size),
    whole!("forecast.net_window", "Net window (steps)", 2, 64, Group::None, |s| s
        .forecast
        .net_window),
    whole!("forecast.epochs", "Pre-training epochs", 0, 50, Group::None, |s| s.forecast.epochs),
    real!(
        "forecast.learning_rate",
        "Net learning rate",
        1e-6,
        1.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.forecast.learning_rate
    ),
    whole!(
        "forecast.update_every",
        "Online update every (steps; 0: never)",
        0,
        10_000,
        Group::None,
        |s| s.forecast.update_every
    ),
];
