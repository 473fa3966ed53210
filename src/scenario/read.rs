//! Reading a scenario from JSON, overrides and links: every field given is
//! checked against its knob's type and written where the table of knobs says
//! (serde reads only the JSON tree, never the scenario's structs), so that a
//! wrong type, a number JSON cannot hold (`NaN`, `1e400`) and an unknown key are
//! each reported with the field, the value given and what is allowed, together
//! with the other problems, instead of stopping at the first.

use super::knobs::{knob, knobs};
use super::Scenario;
use crate::error::{Error, FieldError, Result, ScenarioError};
use serde_json::{Map, Value};

/// `base` with the fields of `given` (a JSON object, as deep as the scenario)
/// written over it, checked and validated: every problem in the table's order,
/// then those found earlier (`early`: overrides that are not `key=value` or name
/// no field), in theirs.
pub(super) fn read(base: &Scenario, given: &Value, early: Vec<FieldError>) -> Result<Scenario> {
    let mut problems = Vec::new();
    let mut scenario = base.clone();
    match given {
        Value::Object(fields) => walk(fields, "", &mut scenario, &mut problems),
        _ => return Err(Error::ScenarioText("a scenario is a JSON object of fields".into())),
    }
    if let Err(ScenarioError(range)) = scenario.validate() {
        // A field of the wrong type kept its old value: its range says nothing.
        let mistyped: Vec<String> = problems.iter().map(|p| p.field.clone()).collect();
        problems.extend(range.into_iter().filter(|p| !mistyped.contains(&p.field)));
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
fn walk(
    given: &Map<String, Value>,
    prefix: &str,
    scenario: &mut Scenario,
    problems: &mut Vec<FieldError>,
) {
    for (key, value) in given {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match knob(&path) {
            Some(k) => {
                if !k.write(scenario, value) {
                    problems.push(FieldError {
                        field: path,
                        value: shown(value),
                        allowed: format!("must be {}", k.allowed()),
                    });
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
            None => problems.push(unknown(&path, shown(value))),
        }
    }
}

/// A value as the user wrote it: a number given as text (`NaN`, `inf`, `1e400`)
/// bare, any other text in quotes as written (not escaped: the user must
/// recognise it), the rest as JSON; cut to 60 characters.
fn shown(value: &Value) -> String {
    let text = match value {
        Value::String(s) if crate::math::parse_f64(s.trim()).is_some() => s.clone(),
        Value::String(s) => format!("\"{s}\""),
        v => v.to_string(),
    };
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
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

/// The problem of a field that does not exist, naming the closest that do.
pub(super) fn unknown(path: &str, value: String) -> FieldError {
    let near = closest(path);
    let (last, rest) = near.split_last().expect("the table is not empty");
    let names =
        if rest.is_empty() { last.to_string() } else { format!("{} or {last}", rest.join(", ")) };
    FieldError {
        field: path.into(),
        value,
        allowed: format!("no such field; did you mean {names}?"),
    }
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
        node =
            node.as_object_mut().expect("made an object above").entry(part).or_insert(Value::Null);
    }
    *node = value;
}

/// Parses JSON text, keeping a number too large for a float (`1e400`) as the
/// text of that number instead of refusing the whole document, so that the
/// field it stands in is reported with its range.
pub(crate) fn parse_json(text: &str) -> serde_json::Result<Value> {
    let mut text = text.to_string();
    // Each round quotes one such number; a document has few.
    for _ in 0..64 {
        match serde_json::from_str(&text) {
            Err(e) if e.to_string().starts_with("number out of range") => {
                let Some(end) = offset(&text, e.line(), e.column()) else { return Err(e) };
                let is_number = |c: char| c.is_ascii_digit() || "+-.eE".contains(c);
                let start = text[..end].rfind(|c: char| !is_number(c)).map_or(0, |i| i + 1);
                let stop =
                    text[start..].find(|c: char| !is_number(c)).map_or(text.len(), |i| start + i);
                if start == stop {
                    return Err(e);
                }
                text = format!("{}\"{}\"{}", &text[..start], &text[start..stop], &text[stop..]);
            }
            other => return other,
        }
    }
    serde_json::from_str(&text)
}

/// The byte offset of (1-based line, column) in `text`, clamped to the line.
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let start: usize = text.split_inclusive('\n').take(line.checked_sub(1)?).map(str::len).sum();
    let line_len = text[start..].find('\n').unwrap_or(text.len() - start);
    let mut at = start + column.min(line_len);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    Some(at)
}
