//! Reading a scenario from JSON, overrides and links: every field given is
//! checked against its knob's type and written where the table of knobs says
//! (serde reads only the JSON tree, never the scenario's structs), so that a
//! wrong type, a number JSON cannot hold (`NaN`, `1e400`) and an unknown key are
//! each reported with the field, the value given and what is allowed, together
//! with the other problems, instead of stopping at the first.

use super::knobs::{knob, knobs, Kind, Knob};
use super::Scenario;
use crate::error::{self, Error, FieldError, Result, ScenarioError, MAX_PROBLEMS_SHOWN};
use crate::json::{Map, Value};

/// `base` with the fields of `given` (a JSON object, as deep as the scenario)
/// written over it, checked and validated: every problem in the table's order,
/// then those found earlier (`early`: overrides that are not `key=value` or name
/// no field, a link's replay naming a file), in theirs.
pub(super) fn read(base: &Scenario, given: &Value, early: Vec<FieldError>) -> Result<Scenario> {
    let mut problems = Vec::new();
    let mut scenario = base.clone();
    match given {
        Value::Object(fields) => walk(fields, "", &mut scenario, &mut problems),
        _ => return Err(Error::ScenarioText("a scenario is a JSON object of fields".into())),
    }
    if let Err(ScenarioError(range)) = scenario.validate() {
        // A field of the wrong type kept its old value, and one refused early
        // was not used: their ranges say nothing.
        let refused: Vec<String> = problems.iter().chain(&early).map(|p| p.field.clone()).collect();
        problems.extend(range.into_iter().filter(|p| !refused.contains(&p.field)));
    }
    crate::math::sort_small_by_key(&mut problems, |p| order(&p.field));
    problems.extend(early);
    if problems.is_empty() {
        return Ok(scenario);
    }
    Err(ScenarioError(problems).into())
}

/// The position of a field's knob in the table (a list item's is its list's);
/// unknown fields last.
fn order(field: &str) -> usize {
    let list = field.split_once('[').map_or(field, |(head, _)| head);
    knobs().iter().position(|k| k.path == list).unwrap_or(usize::MAX)
}

/// Checks each field of `given` under `prefix` and writes the good ones into
/// `scenario` (a field of the wrong type keeps its value).
fn walk(given: &Map, prefix: &str, scenario: &mut Scenario, problems: &mut Vec<FieldError>) {
    for (key, value) in given {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match knob(&path) {
            Some(k) => {
                if !k.write(scenario, value) {
                    problems.push(mistyped(k, value));
                }
            }
            None if is_group(&path) => match value {
                Value::Object(fields) => walk(fields, &path, scenario, problems),
                _ => problems.push(FieldError {
                    field: path,
                    value: shown(value),
                    allowed: "must be an object of fields".into(),
                }),
            },
            // Past the problems a message shows, no closest names are sought:
            // a file of a million wrong keys costs a count, not a million searches.
            None => {
                problems.push(unknown(&path, shown(value), problems.len() < MAX_PROBLEMS_SHOWN))
            }
        }
    }
}

/// The problem of a value of the wrong type for its knob: text where a number
/// or a flag belongs says so, as `"42"` and `42` read alike in a message; a
/// list longer than the knob takes is counted, not echoed.
fn mistyped(k: &Knob, value: &Value) -> FieldError {
    let mut allowed = format!("must be {}", k.allowed());
    let value = match (value, k.kind) {
        (Value::Array(items), Kind::List { max_items, .. }) if items.len() > max_items => {
            format!("a list of {} items", crate::error::thousands(items.len() as u64))
        }
        (Value::String(text), Kind::Real { .. } | Kind::Whole { .. } | Kind::Seed)
        | (Value::String(text), Kind::Flag | Kind::List { .. })
            if !unreadable_number(text) =>
        {
            allowed.push_str(", not text");
            shown(value)
        }
        _ => shown(value),
    };
    FieldError { field: k.path.into(), value, allowed }
}

/// A number JSON cannot hold (`NaN`, `inf`, `1e400`), which reaches the reader
/// as text: from a file's number too large for a float, or an override's bare
/// value.
fn unreadable_number(text: &str) -> bool {
    crate::math::parse_f64(text.trim()).is_some_and(|x| !x.is_finite())
}

/// A value as the user wrote it, escaped and cut ([`crate::error::shown`]): a
/// number JSON cannot hold bare (`NaN`, `1e400`), any other text in quotes, the
/// rest as JSON.
pub(crate) fn shown(value: &Value) -> String {
    match value {
        Value::String(s) if unreadable_number(s) => error::shown(s),
        Value::String(s) => format!("\"{}\"", error::shown(s)),
        v => error::shown(&v.to_string()),
    }
}

/// Whether `path` names a group of knobs (`workload`, `workload.replay`).
pub(super) fn is_group(path: &str) -> bool {
    knobs().iter().any(|k| {
        k.path.len() > path.len()
            && k.path.starts_with(path)
            && k.path.as_bytes()[path.len()] == b'.'
    })
}

/// The longest unknown key for which the closest known ones are sought (the
/// search's cost grows with the key's length; no knob's path is near this long).
const MAX_SUGGESTED_KEY_CHARS: usize = 64;

/// The problem of a field that does not exist, shown escaped, naming the
/// closest that do when `suggest` (and the key is not too long to compare).
pub(super) fn unknown(path: &str, value: String, suggest: bool) -> FieldError {
    let allowed = if suggest && path.chars().count() <= MAX_SUGGESTED_KEY_CHARS {
        let near = closest(path);
        let (last, rest) = near.split_last().expect("the table is not empty");
        let names = if rest.is_empty() {
            last.to_string()
        } else {
            format!("{} or {last}", rest.join(", "))
        };
        format!("no such field; did you mean {names}?")
    } else {
        "no such field (`autoscale-playground keys` lists them all)".to_string()
    };
    FieldError { field: error::shown(path), value, allowed }
}

/// The knobs whose paths are closest to `key` (one to three, best first): by edit
/// distance of the whole path, or of the last segment when the group differs
/// (`fleet.min_replicas` is `scaling.min_replicas`).
pub fn closest(key: &str) -> Vec<&'static str> {
    fn split(p: &str) -> (&str, &str) {
        p.rsplit_once('.').unwrap_or(("", p))
    }
    let (group, leaf) = split(key);
    let mut scored: Vec<(usize, usize, &'static str)> = knobs()
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let (g, l) = split(k.path);
            let by_leaf = distance(leaf, l) + if g == group { 0 } else { 2 };
            (distance(key, k.path).min(by_leaf), i, k.path)
        })
        .collect();
    crate::math::sort_small_by_key(&mut scored, |s| *s);
    let best = scored[0].0;
    scored.into_iter().take_while(|s| s.0 == best).take(3).map(|s| s.2).collect()
}

/// Levenshtein distance (insertions, deletions and substitutions of characters).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Writes `value` at the dotted `path` of the object `tree`, making the groups
/// on the way.
pub(super) fn insert(tree: &mut Value, path: &str, value: Value) {
    let mut node = tree;
    for part in path.split('.') {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        node = node.as_object_mut().expect("made an object above").entry(part);
    }
    *node = value;
}
