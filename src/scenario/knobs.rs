//! Every knob of a scenario in one typed list, as TensorFlow Playground's
//! `state.ts` keeps its parameters: the dotted path, the kind and allowed range,
//! the label, where the page's form shows it and for which workload families. The
//! list drives validation (its order is the order problems are reported in),
//! reading (each field given is written where its knob says), the `--set`
//! overrides' help, and the page's form, which is built from it at start; the
//! share link carries every field the scenario serialises. The section's struct
//! and its default are the only other places a field is written.
//!
//! This file is what a knob is and how it is read, checked and written; the list
//! itself is in `knobs/`, a file per section of the scenario, joined in its order.

use super::{Checker, Family, Scenario};
use crate::json::{to_value, Number, Value};
use serde::Serialize;
use std::sync::OnceLock;

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
    /// A list of at most `max_items` numbers, each in `[lo, hi]`. A longer list
    /// is refused as it is read, counted and not echoed: the longest a scenario
    /// needs has 16 (the MMPP's states, the agent's bin edges).
    List {
        lo: f64,
        hi: f64,
        max_items: usize,
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
            Kind::Real { lo, hi } | Kind::List { lo, hi, .. } => Some((lo, hi)),
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
            Kind::List { lo, hi, max_items } => {
                format!("a list of at most {max_items} numbers, each from {lo} to {hi}")
            }
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
    /// Reads the variant's name; sets the variant of that name (false when
    /// there is none).
    Choice(fn(&Scenario) -> Value, fn(&mut Scenario, &str) -> bool),
}

/// A variant's name, as in scenario files.
fn name_of<T: Serialize>(v: &T) -> Value {
    to_value(v)
}

/// Sets `field` to the variant of `all` whose name (as in scenario files) is
/// `name`; false, nothing changed, when none is.
fn pick<T: Serialize>(field: &mut T, all: impl IntoIterator<Item = T>, name: &str) -> bool {
    match all.into_iter().find(|v| to_value(v).as_str() == Some(name)) {
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
            (Place::List(at), Kind::List { max_items, .. }) => match value
                .as_array()
                .filter(|items| items.len() <= max_items)
                .map(|items| items.iter().map(Value::as_f64).collect::<Option<Vec<f64>>>())
            {
                Some(Some(list)) => {
                    *at(s) = list;
                    true
                }
                _ => false,
            },
            (Place::Choice(_, set), Kind::Choice { options }) => {
                value.as_str().is_some_and(|v| options.iter().any(|o| o.0 == v) && set(s, v))
            }
            (Place::Choice(..) | Place::List(_), _) => false,
        }
    }

    /// The knob's value in `s` as JSON (a choice by its name, a number JSON
    /// cannot hold as `null`): what `to_value` makes of the field. `s` is a
    /// scratch copy: the places are where fields are written.
    pub(super) fn value(&self, s: &mut Scenario) -> Value {
        let real = |v: f64| Number::from_f64(v).map_or(Value::Null, Value::Number);
        match self.place {
            Place::Real(at) => real(*at(s)),
            Place::Whole(at) => Value::Number((*at(s) as u64).into()),
            Place::Seed(at) => Value::Number((*at(s)).into()),
            Place::Flag(at) => Value::Bool(*at(s)),
            Place::Text(at) => Value::String(at(s).clone()),
            Place::List(at) => Value::Array(at(s).iter().map(|&v| real(v)).collect()),
            Place::Choice(get, _) => get(s),
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

/// `get` reads the variant's name (with [`name_of`]), `set` sets the variant named (with [`pick`]).
const fn choice(
    path: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    group: Group,
    get: fn(&Scenario) -> Value,
    set: fn(&mut Scenario, &str) -> bool,
) -> Knob {
    Knob {
        path,
        label,
        kind: Kind::Choice { options },
        group,
        families: EVERY_FAMILY,
        check: Check::Unchecked,
        place: Place::Choice(get, set),
    }
}

// The table, a file per section of the scenario, in its order; declared after
// the macros above, which its files use.
mod agent;
mod fleet;
mod forecast;
mod policies;
mod replay;
mod reward;
mod run;
mod scheduled;
mod workload;

/// Every knob, in the order validation reports problems: the table's sections
/// one after another, joined once.
pub fn knobs() -> &'static [Knob] {
    static KNOBS: OnceLock<Vec<Knob>> = OnceLock::new();
    KNOBS.get_or_init(|| {
        [
            run::KNOBS,
            workload::KNOBS,
            scheduled::KNOBS,
            replay::KNOBS,
            fleet::KNOBS,
            reward::KNOBS,
            agent::KNOBS,
            forecast::KNOBS,
            policies::KNOBS,
        ]
        .concat()
    })
}

/// The knob at a dotted path.
pub fn knob(path: &str) -> Option<&'static Knob> {
    knobs().iter().find(|k| k.path == path)
}
