//! Every knob of a scenario in one typed list, as TensorFlow Playground's
//! `state.ts` keeps its parameters: the dotted path, the kind and allowed range,
//! the label, where the page's form shows it and for which workload families. The
//! list drives validation (its order is the order problems are reported in),
//! reading (each field given is written where its knob says), the `--set`
//! overrides' help, and the page's form, which is built from it at start; the
//! share link carries every field the scenario serialises. The struct and its
//! default are the only other places a field is written.

use super::{
    Checker, Design, Family, ForecastMethod, Physics, ReplayFormat, Scenario, ServiceModel, Spread,
    TimeUnit, MAX_REPLICAS, MAX_STEPS,
};
use serde::Serialize;
use serde_json::Value;

/// What values a knob takes, with the range validation allows.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A finite number in `[lo, hi]`.
    Real {
        lo: f64,
        hi: f64,
    },
    /// A whole number in `[lo, hi]` (a knob may narrow it by other fields: see
    /// [`Knob::check`]).
    Whole {
        lo: u32,
        hi: u32,
    },
    /// Any whole number (the seed).
    Seed,
    /// One of the names (as in scenario files).
    Choice {
        options: &'static [(&'static str, &'static str)],
    },
    Flag,
    Text {
        max_bytes: usize,
    },
    /// A list of numbers, each in `[lo, hi]`.
    List {
        lo: f64,
        hi: f64,
    },
}

impl Kind {
    /// The kind's name, as the page's form reads it.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Real { .. } => "real",
            Kind::Whole { .. } => "whole",
            Kind::Seed => "seed",
            Kind::Choice { .. } => "choice",
            Kind::Flag => "flag",
            Kind::Text { .. } => "text",
            Kind::List { .. } => "list",
        }
    }

    /// The allowed range of a number (of each number of a list).
    pub fn range(&self) -> Option<(f64, f64)> {
        match *self {
            Kind::Real { lo, hi } | Kind::List { lo, hi } => Some((lo, hi)),
            Kind::Whole { lo, hi } => Some((lo as f64, hi as f64)),
            _ => None,
        }
    }

    /// The values the kind takes, in words: "a number from 0 to 1". Validation's
    /// messages say "must be" and this; `keys` lists it.
    pub fn describe(&self) -> String {
        match *self {
            Kind::Real { lo, hi } => format!("a number from {lo} to {hi}"),
            Kind::Whole { lo, hi } => format!("a whole number from {lo} to {hi}"),
            Kind::Seed => format!("a whole number from 0 to {}", u64::MAX),
            Kind::Choice { options } => {
                format!("one of {}", options.iter().map(|o| o.0).collect::<Vec<_>>().join(", "))
            }
            Kind::Flag => "true or false".into(),
            Kind::Text { max_bytes } => format!("text of at most {max_bytes} bytes"),
            Kind::List { lo, hi } => format!("a list of numbers, each from {lo} to {hi}"),
        }
    }

    /// The names and labels of a choice.
    pub fn options(&self) -> &'static [(&'static str, &'static str)] {
        match self {
            Kind::Choice { options } => options,
            _ => &[],
        }
    }
}

/// Where the page's form shows a knob, in the form's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Not in the page's form (CLI, files and links only).
    None,
    Workload,
    FleetAndSla,
    Agent,
    Reward,
}

impl Group {
    pub fn legend(self) -> &'static str {
        match self {
            Group::None => "",
            Group::Workload => "Workload",
            Group::FleetAndSla => "Fleet and SLA",
            Group::Agent => "Agent",
            Group::Reward => "Reward weights",
        }
    }
}

/// One scenario field.
#[derive(Clone, Copy)]
pub struct Knob {
    /// Its dotted path, as `--set` and the page's form name it.
    pub path: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub group: Group,
    /// The workload families for which the page's form shows it; empty: all.
    pub families: &'static [Family],
    check: Check,
    place: Place,
}

impl std::fmt::Debug for Knob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Knob").field("path", &self.path).field("kind", &self.kind).finish()
    }
}

/// Another knob a whole number is compared with: its path and its value.
type Bound = (&'static str, fn(&Scenario) -> u32);

const fn bound(path: &'static str, get: fn(&Scenario) -> u32) -> Option<Bound> {
    Some((path, get))
}

/// Where a knob's value is in a scenario, to write it: reading a file, a link or
/// overrides writes each field given through this, so that no deserializer is
/// generated per struct (the page's wasm is smaller by them).
#[derive(Clone, Copy)]
enum Place {
    Real(fn(&mut Scenario) -> &mut f64),
    Whole(fn(&mut Scenario) -> &mut u32),
    Seed(fn(&mut Scenario) -> &mut u64),
    Flag(fn(&mut Scenario) -> &mut bool),
    Text(fn(&mut Scenario) -> &mut String),
    List(fn(&mut Scenario) -> &mut Vec<f64>),
    /// Sets the variant of that name; false when there is none.
    Choice(fn(&mut Scenario, &str) -> bool),
}

/// Sets `field` to the variant of `all` whose name (as in scenario files) is
/// `name`; false, nothing changed, when none is.
fn pick<T: Serialize>(field: &mut T, all: impl IntoIterator<Item = T>, name: &str) -> bool {
    match all
        .into_iter()
        .find(|v| serde_json::to_value(v).ok().as_ref().and_then(Value::as_str) == Some(name))
    {
        Some(v) => {
            *field = v;
            true
        }
        None => false,
    }
}

/// How validation reads and checks a knob.
#[derive(Clone, Copy)]
enum Check {
    Real(fn(&Scenario) -> f64),
    /// A whole number in its kind's range, and at least / at most other knobs
    /// (path, value), when given.
    Whole(fn(&Scenario) -> u32, Option<Bound>, Option<Bound>),
    /// A number in its range and at least another knob's value (path, value).
    AtLeast(fn(&Scenario) -> f64, &'static str, fn(&Scenario) -> f64),
    /// Nothing to check beyond its type, which serde checks.
    Unchecked,
    /// A rule of its own.
    Rule(fn(&Scenario, &mut Checker)),
}

impl Knob {
    /// The knob's value in `s`, for a number read by validation (`None` for the
    /// other kinds).
    pub fn number(&self, s: &Scenario) -> Option<f64> {
        match self.check {
            Check::Real(get) | Check::AtLeast(get, ..) => Some(get(s)),
            Check::Whole(get, ..) => Some(get(s) as f64),
            _ => None,
        }
    }

    /// Writes `value` (JSON) into the knob's field of `s` if it has the knob's
    /// type (a number for a real, a whole number that fits for a whole one, one
    /// of the names for a choice...; the range is validation's to check). False,
    /// nothing written, otherwise.
    pub(super) fn write(&self, s: &mut Scenario, value: &Value) -> bool {
        let whole = |max: u64| value.as_u64().filter(|&n| n <= max);
        match (self.place, self.kind) {
            (Place::Real(at), _) => value.as_f64().map(|v| *at(s) = v).is_some(),
            (Place::Whole(at), _) => whole(u32::MAX as u64).map(|v| *at(s) = v as u32).is_some(),
            (Place::Seed(at), _) => whole(u64::MAX).map(|v| *at(s) = v).is_some(),
            (Place::Flag(at), _) => value.as_bool().map(|v| *at(s) = v).is_some(),
            (Place::Text(at), _) => value.as_str().map(|v| *at(s) = v.to_string()).is_some(),
            (Place::List(at), _) => match value
                .as_array()
                .map(|items| items.iter().map(Value::as_f64).collect::<Option<Vec<f64>>>())
            {
                Some(Some(list)) => {
                    *at(s) = list;
                    true
                }
                _ => false,
            },
            (Place::Choice(set), Kind::Choice { options }) => {
                value.as_str().is_some_and(|v| options.iter().any(|o| o.0 == v) && set(s, v))
            }
            (Place::Choice(_), _) => false,
        }
    }

    /// Everything validation asks of the knob, in words: its kind's values and
    /// the other knobs it is compared with.
    pub fn allowed(&self) -> String {
        let mut text = self.kind.describe();
        let mut also = |word: &str, other: &str| text.push_str(&format!(", {word} {other}"));
        match self.check {
            Check::Whole(_, least, most) => {
                least.into_iter().for_each(|(other, _)| also("at least", other));
                most.into_iter().for_each(|(other, _)| also("at most", other));
            }
            Check::AtLeast(_, other, _) => also("at least", other),
            _ => {}
        }
        text
    }

    /// Adds this knob's problems with `s` to `c`.
    pub(super) fn check(&self, s: &Scenario, c: &mut Checker) {
        match self.check {
            Check::Real(get) => {
                if let Kind::Real { lo, hi } = self.kind {
                    c.real(self.path, get(s), lo, hi);
                }
            }
            Check::Whole(get, least, most) => {
                let v = get(s);
                if let Kind::Whole { lo, hi } = self.kind {
                    c.whole(self.path, v, lo, hi);
                }
                // A value out of its own range is reported once, by the line
                // above, and is not compared with others, nor others with it.
                let in_range = |path: &str, v: u32| {
                    knob(path)
                        .and_then(|k| k.kind.range())
                        .is_some_and(|(lo, hi)| (lo..=hi).contains(&(v as f64)))
                };
                let comparable =
                    |&(other, get): &Bound| in_range(self.path, v) && in_range(other, get(s));
                if let Some((other, at_least)) = least.filter(comparable) {
                    if v < at_least(s) {
                        c.push(self.path, v, format!("must be at least {other} ({})", at_least(s)));
                    }
                }
                if let Some((other, at_most)) = most.filter(comparable) {
                    if v > at_most(s) {
                        c.push(self.path, v, format!("must be at most {other} ({})", at_most(s)));
                    }
                }
            }
            Check::AtLeast(get, other, min) => {
                let (v, least) = (get(s), min(s));
                if let Kind::Real { lo, hi } = self.kind {
                    c.real(self.path, v, lo, hi);
                }
                if v < least {
                    c.push(self.path, v, format!("must be at least {other} ({least})"));
                }
            }
            Check::Unchecked => {}
            Check::Rule(rule) => rule(s, c),
        }
    }
}

/// The empty list of families: the page's form shows such a knob whatever the family.
const EVERY_FAMILY: &[Family] = &[];
const DAILY: &[Family] = &[Family::Diurnal, Family::FlashCrowd];
const FLASH: &[Family] = &[Family::FlashCrowd];
/// Where `base_rps` is the rate: the daily curve's mean, the constant rate, the
/// rate before a step.
const BASE: &[Family] = &[Family::Diurnal, Family::FlashCrowd, Family::Constant, Family::Step];
const STEP: &[Family] = &[Family::Step];
const BURSTY: &[Family] = &[Family::Bursty];
const REPLAY: &[Family] = &[Family::Replay];

#[allow(clippy::too_many_arguments)]
const fn real(
    path: &'static str,
    label: &'static str,
    lo: f64,
    hi: f64,
    group: Group,
    families: &'static [Family],
    get: fn(&Scenario) -> f64,
    at: fn(&mut Scenario) -> &mut f64,
) -> Knob {
    Knob {
        path,
        label,
        kind: Kind::Real { lo, hi },
        group,
        families,
        check: Check::Real(get),
        place: Place::Real(at),
    }
}

/// A real number in a fixed range: `|s| s.field` reads it, and names where it is written.
macro_rules! real {
    ($path:literal, $label:literal, $lo:expr, $hi:expr, $group:expr, $families:expr, |$s:ident| $get:expr) => {
        real($path, $label, $lo, $hi, $group, $families, |$s| $get, |$s| &mut $get)
    };
}

const fn whole(
    path: &'static str,
    label: &'static str,
    lo: u32,
    hi: u32,
    group: Group,
    get: fn(&Scenario) -> u32,
    at: fn(&mut Scenario) -> &mut u32,
) -> Knob {
    Knob {
        path,
        label,
        kind: Kind::Whole { lo, hi },
        group,
        families: EVERY_FAMILY,
        check: Check::Whole(get, None, None),
        place: Place::Whole(at),
    }
}

/// A whole number in a fixed range: `|s| s.field` reads it, and names where it is written.
macro_rules! whole {
    ($path:literal, $label:literal, $lo:expr, $hi:expr, $group:expr, |$s:ident| $get:expr) => {
        whole($path, $label, $lo, $hi, $group, |$s| $get, |$s| &mut $get)
    };
}

/// A whole number in a fixed range and at least / at most other knobs ([`bound`]).
macro_rules! whole_within {
    ($path:literal, $label:literal, $lo:expr, $hi:expr, $group:expr, |$s:ident| $get:expr, $least:expr, $most:expr) => {
        Knob {
            check: Check::Whole(|$s| $get, $least, $most),
            ..whole!($path, $label, $lo, $hi, $group, |$s| $get)
        }
    };
}

const FAMILIES: &[(&str, &str)] = &[
    ("diurnal", "diurnal"),
    ("flash-crowd", "flash crowd"),
    ("bursty", "bursty"),
    ("constant", "constant"),
    ("step", "step"),
    ("replay", "replay of the trace file"),
];
const METHODS: &[(&str, &str)] = &[
    ("naive", "naive (last value)"),
    ("moving-average", "moving average"),
    ("seasonal", "seasonal (daily)"),
    ("lstm", "LSTM (learned)"),
    ("tcn", "TCN (learned)"),
];

/// `set` sets the variant named (with [`pick`]).
const fn choice(
    path: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    group: Group,
    set: fn(&mut Scenario, &str) -> bool,
) -> Knob {
    Knob {
        path,
        label,
        kind: Kind::Choice { options },
        group,
        families: EVERY_FAMILY,
        check: Check::Unchecked,
        place: Place::Choice(set),
    }
}

const MOST_MAX: Option<Bound> = bound("scaling.max_replicas", |s| s.scaling.max_replicas);

/// Every knob, in the order validation reports problems.
pub fn knobs() -> &'static [Knob] {
    KNOBS
}

static KNOBS: &[Knob] = &[
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
    choice("workload.family", "Family", FAMILIES, Group::Workload, |s, name| {
        use Family::*;
        pick(&mut s.workload.family, [Diurnal, FlashCrowd, Bursty, Constant, Step, Replay], name)
    }),
    real!("workload.base_rps", "Mean demand (req/s)", 0.0, 100_000.0, Group::Workload, BASE, |s| s
        .workload
        .base_rps),
    real!("workload.amplitude", "Daily swing (0-1)", 0.0, 1.0, Group::Workload, DAILY, |s| s
        .workload
        .amplitude),
    real!("workload.peak_hour", "Peak hour (0-24)", 0.0, 24.0, Group::None, DAILY, |s| s
        .workload
        .peak_hour),
    real!("workload.noise", "Noise (0-1)", 0.0, 1.0, Group::Workload, DAILY, |s| s.workload.noise),
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
        kind: Kind::List { lo: 0.0, hi: 100_000.0 },
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
        kind: Kind::List { lo: 1.0, hi: 1e7 },
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
        |s, name| {
            use ReplayFormat::*;
            pick(&mut s.workload.replay.format, [Auto, Requests, Counts], name)
        },
    ),
    real!(
        "workload.replay.interval_s",
        "Interval of a counts file (s)",
        0.001,
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
            |s, name| {
                pick(
                    &mut s.workload.replay.spread,
                    [Spread::None, Spread::Even, Spread::Random],
                    name,
                )
            },
        )
    },
    Knob {
        check: Check::Rule(|s, c| {
            let (p, max) = (&s.replica, s.scaling.max_replicas);
            c.whole("replica.slots", p.slots, 1, 1024);
            if (p.slots as u64) * (max as u64) > 20_000 {
                c.push(
                    "replica.slots",
                    p.slots,
                    format!(
                        "slots x scaling.max_replicas must be at most 20000 servers (is {})",
                        p.slots as u64 * max as u64
                    ),
                );
            }
        }),
        ..whole!("replica.slots", "Requests a replica serves at once", 1, 1024, Group::None, |s| s
            .replica
            .slots)
    },
    real!(
        "replica.service_mean_s",
        "Mean service time (s)",
        0.001,
        3600.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.replica.service_mean_s
    ),
    real!(
        "replica.per_token_s",
        "Service time per token (s)",
        0.0,
        60.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.replica.per_token_s
    ),
    real!(
        "replica.price_per_hour",
        "Price per replica-hour",
        0.0,
        10_000.0,
        Group::FleetAndSla,
        EVERY_FAMILY,
        |s| s.replica.price_per_hour
    ),
    whole!("scaling.max_replicas", "Most replicas", 1, MAX_REPLICAS, Group::None, |s| s
        .scaling
        .max_replicas),
    whole_within!(
        "scaling.min_replicas",
        "Fewest replicas",
        1,
        MAX_REPLICAS,
        Group::None,
        |s| s.scaling.min_replicas,
        None,
        MOST_MAX
    ),
    whole_within!(
        "scaling.initial_replicas",
        "Replicas at the start",
        1,
        MAX_REPLICAS,
        Group::None,
        |s| s.scaling.initial_replicas,
        bound("scaling.min_replicas", |s| s.scaling.min_replicas),
        MOST_MAX
    ),
    whole_within!(
        "scaling.step_size",
        "Replicas per scaling action",
        1,
        MAX_REPLICAS,
        Group::None,
        |s| s.scaling.step_size,
        None,
        MOST_MAX
    ),
    real!(
        "scaling.boot_delay_s",
        "Boot delay (s)",
        0.0,
        86_400.0,
        Group::FleetAndSla,
        EVERY_FAMILY,
        |s| s.scaling.boot_delay_s
    ),
    real!(
        "queue.max_wait_s",
        "Longest wait before a drop (s)",
        0.001,
        86_400.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.queue.max_wait_s
    ),
    choice(
        "queue.physics",
        "Physics",
        &[("fluid", "fluid (fast)"), ("exact", "exact (per request)")],
        Group::None,
        |s, name| pick(&mut s.queue.physics, [Physics::Fluid, Physics::Exact], name),
    ),
    real!(
        "sla.p95_s",
        "SLA: p95 at most (s)",
        0.001,
        86_400.0,
        Group::FleetAndSla,
        EVERY_FAMILY,
        |s| s.sla.p95_s
    ),
    real!(
        "sla.drop_tolerance",
        "SLA: drops per step below",
        0.0,
        1e9,
        Group::None,
        EVERY_FAMILY,
        |s| s.sla.drop_tolerance
    ),
    real!("reward.sla_held", "SLA held", -1000.0, 1000.0, Group::Reward, EVERY_FAMILY, |s| s
        .reward
        .sla_held),
    real!(
        "reward.sla_violated",
        "SLA violated",
        -1000.0,
        1000.0,
        Group::Reward,
        EVERY_FAMILY,
        |s| s.reward.sla_violated
    ),
    real!("reward.per_replica", "Per replica", -1000.0, 1000.0, Group::Reward, EVERY_FAMILY, |s| s
        .reward
        .per_replica),
    real!(
        "reward.per_change",
        "Per capacity change",
        -1000.0,
        1000.0,
        Group::Reward,
        EVERY_FAMILY,
        |s| s.reward.per_change
    ),
    real!(
        "reward.low_utilisation",
        "Low utilisation",
        -1000.0,
        1000.0,
        Group::Reward,
        EVERY_FAMILY,
        |s| s.reward.low_utilisation
    ),
    real!(
        "reward.low_utilisation_below",
        "Low utilisation below",
        0.0,
        1.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.reward.low_utilisation_below
    ),
    real!("agent.alpha", "Learning rate α", 0.0, 1.0, Group::Agent, EVERY_FAMILY, |s| s
        .agent
        .alpha),
    real!("agent.gamma", "Discount γ", 0.0, 1.0, Group::Agent, EVERY_FAMILY, |s| s.agent.gamma),
    real!(
        "agent.epsilon_start",
        "Exploration ε, first episode",
        0.0,
        1.0,
        Group::Agent,
        EVERY_FAMILY,
        |s| s.agent.epsilon_start
    ),
    real!(
        "agent.epsilon_end",
        "Exploration ε, floor",
        0.0,
        1.0,
        Group::Agent,
        EVERY_FAMILY,
        |s| s.agent.epsilon_end
    ),
    real!(
        "agent.epsilon_decay",
        "ε decay per episode",
        0.0,
        1.0,
        Group::Agent,
        EVERY_FAMILY,
        |s| s.agent.epsilon_decay
    ),
    whole!("agent.episodes", "Training episodes", 0, 100_000, Group::Agent, |s| s.agent.episodes),
    Knob {
        path: "agent.utilisation_bins",
        place: Place::List(|s| &mut s.agent.utilisation_bins),
        label: "Utilisation bin edges",
        kind: Kind::List { lo: 0.0, hi: 100.0 },
        group: Group::None,
        families: EVERY_FAMILY,
        check: Check::Rule(|s, c| {
            let bins = &s.agent.utilisation_bins;
            if bins.is_empty() || bins.len() > 16 {
                c.push(
                    "agent.utilisation_bins",
                    format!("{bins:?}"),
                    "must list 1 to 16 edges".into(),
                );
            }
            for (i, e) in bins.iter().enumerate() {
                c.real(&format!("agent.utilisation_bins[{i}]"), *e, 0.0, 100.0);
            }
            if bins.windows(2).any(|p| p[0].partial_cmp(&p[1]) != Some(std::cmp::Ordering::Less)) {
                c.push("agent.utilisation_bins", format!("{bins:?}"), "edges must increase".into());
            }
        }),
    },
    real!("agent.trend_threshold", "Trend dead band", 0.0, 10.0, Group::None, EVERY_FAMILY, |s| s
        .agent
        .trend_threshold),
    real!(
        "agent.forecast_threshold",
        "Forecast dead band",
        0.0,
        10.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.agent.forecast_threshold
    ),
    choice(
        "agent.design",
        "Agent",
        &[("calm", "calm (headroom against the forecast)"), ("seed", "seed agent (docs/model.md)")],
        Group::Agent,
        |s, name| pick(&mut s.agent.design, [Design::Calm, Design::Seed], name),
    ),
    Knob {
        path: "agent.learn_live",
        label: "Learn during the run",
        kind: Kind::Flag,
        group: Group::None,
        families: EVERY_FAMILY,
        check: Check::Unchecked,
        place: Place::Flag(|s| &mut s.agent.learn_live),
    },
    choice("forecast.method", "Forecaster", METHODS, Group::Agent, |s, name| {
        use ForecastMethod::*;
        pick(&mut s.forecast.method, [Naive, MovingAverage, Seasonal, Lstm, Tcn], name)
    }),
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
    real!(
        "rule.target_utilisation",
        "Rule: target utilisation",
        0.05,
        1.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.rule.target_utilisation
    ),
    real!("rule.tolerance", "Rule: tolerance", 0.0, 1.0, Group::None, EVERY_FAMILY, |s| s
        .rule
        .tolerance),
    real!(
        "rule.stabilisation_s",
        "Rule: scale-down stabilisation (s)",
        0.0,
        86_400.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.rule.stabilisation_s
    ),
    real!(
        "rule.scale_up_period_s",
        "Rule: scale-up period (s)",
        1.0,
        86_400.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.rule.scale_up_period_s
    ),
    real!(
        "predictive.margin",
        "Predictive: margin over the forecast",
        0.0,
        10.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.predictive.margin
    ),
    real!(
        "predictive.stabilisation_s",
        "Predictive: scale-in stabilisation (s)",
        0.0,
        86_400.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.predictive.stabilisation_s
    ),
    real!(
        "static.buffer",
        "Static: headroom over the peak",
        0.0,
        10.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.static_fleet.buffer
    ),
];

/// The knob at a dotted path.
pub fn knob(path: &str) -> Option<&'static Knob> {
    knobs().iter().find(|k| k.path == path)
}
