//! Share links: the whole scenario (and how the page shows it) in a URL hash.
//!
//! Format: `v1.` followed by the base64url (no padding) of a JSON object
//! `{"s": <scenario fields that differ from the defaults>, "v": <view>}`. Only the
//! differences are written, so a link of the default scenario is a few characters
//! and a link stays valid when a later version adds fields (with their defaults).
//! The prefix names the format; a future `v2.` can change everything while `v1.`
//! links keep decoding.
//!
//! Decoding never trusts the link: it caps the length, checks the alphabet, reads
//! the JSON (a key given twice is refused) into the typed scenario (unknown
//! fields are refused by name), validates every value against its allowed
//! range, reporting every problem, and refuses a replay of anything but a trace
//! shipped with the playground: a link never chooses a file.

use crate::error::{shown, thousands, Error, FieldError, MAX_PROBLEMS_SHOWN};
use crate::json::{to_string, to_value, Map, Value};
use crate::scenario::{parse_json_naming, shipped_trace, shown_value, Scenario, SHIPPED_TRACES};
use serde::Serialize;

/// The prefix of links in this format.
pub const PREFIX: &str = "v1.";
/// The longest link accepted (characters after `#`).
pub const MAX_LINK_CHARS: usize = 16 * 1024;

/// How the page shows a run (not part of the simulation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Presentation {
    /// Worlds drawn besides Static and Elastic. Links made before Predictive
    /// and the ablation existed read them as their defaults: Predictive shown,
    /// the ablation (which costs a second training) off.
    pub show_rule: bool,
    pub show_oracle: bool,
    pub show_predictive: bool,
    pub show_no_forecast: bool,
    /// The step the run is fast-forwarded to on opening.
    pub start_step: u32,
    /// Hides the scenario controls (links made before `controls`: read as
    /// [`Controls::Charts`]).
    pub hide_controls: bool,
    /// What the students see of the controls ("Copy class link").
    pub controls: Controls,
    /// Plays as soon as the agent is trained; a link opens paused otherwise.
    pub autoplay: bool,
    /// Walks through the run's moments with a caption each and a Next button.
    pub lesson: bool,
    /// Scales the page for a projector: the run bar, the capacity chart and the
    /// forensics on one screen, down to 960 x 540 CSS pixels (1,920 x 1,080 at
    /// 200 % zoom).
    pub presenter: bool,
}

/// The controls a link shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Controls {
    /// Everything.
    #[default]
    Full,
    /// Playback, worlds shown, moments and the charts: no scenario, training,
    /// share or export.
    Charts,
    /// Playback only (play, step, speed, the scrubber) and the charts.
    Playback,
}

impl Presentation {
    /// The controls shown, `hide_controls` of older links read as `Charts`.
    pub fn controls(&self) -> Controls {
        if self.hide_controls && self.controls == Controls::Full {
            Controls::Charts
        } else {
            self.controls
        }
    }
}

impl Default for Presentation {
    fn default() -> Self {
        Presentation {
            show_rule: true,
            show_oracle: true,
            show_predictive: true,
            show_no_forecast: false,
            start_step: 0,
            hide_controls: false,
            controls: Controls::Full,
            autoplay: false,
            lesson: false,
            presenter: false,
        }
    }
}

/// The link (without `#`) of a scenario and a view: `{"s": the scenario's
/// fields that differ from the defaults, "v": the view in its struct's order,
/// or null when it is the default}` ([`decode`] reads it field by field, to
/// name every problem).
pub fn encode(scenario: &Scenario, view: &Presentation) -> String {
    let full = scenario.to_tree();
    let base = Scenario::default().to_tree();
    let s = diff(&full, &base).unwrap_or(Value::Object(Default::default()));
    let v = if view == &Presentation::default() { "null".to_string() } else { to_string(view) };
    let json = format!("{{\"s\":{s},\"v\":{v}}}");
    format!("{PREFIX}{}", base64url_encode(json.as_bytes()))
}

/// Reads a link (with or without a leading `#`; whitespace anywhere, as a mail
/// client wraps a long line, is dropped). Every problem is reported in the
/// message; nothing of a bad link is used. A link names no file: its replay's
/// source must be a trace shipped with the playground ([`shipped_trace`]), and
/// reads as that trace's path.
pub fn decode(link: &str) -> crate::error::Result<(Scenario, Presentation)> {
    let (mut fields, view) = decode_text(link).map_err(Error::Link)?;
    let mut problems = Vec::new();
    if let Some(source) = fields.pointer_mut("/workload/replay/source") {
        match source.as_str().map(|name| (name, shipped_trace(name))) {
            Some((_, Some(path))) => *source = Value::String(path.into()),
            Some((name, None)) if !name.is_empty() => {
                problems.push(file_named(name));
                // Nothing of it is used, even to check it further.
                *source = Value::String(String::new());
            }
            _ => {}
        }
    }
    // Every field's problem at once, each naming the field (the page marks them).
    let scenario = Scenario::from_fields_with(&fields, problems)
        .map_err(|e| e.context("the link's scenario"))?;
    Ok((scenario, view))
}

/// Refuses a scenario whose link would name a file (a replay's source that is
/// no shipped trace), as every reader of the link would refuse it: the `link`
/// command makes no link that cannot be opened.
pub fn check_carried(s: &Scenario) -> crate::error::Result<()> {
    let source = &s.workload.replay.source;
    if source.is_empty() || shipped_trace(source).is_some() {
        return Ok(());
    }
    Err(crate::error::ScenarioError(vec![file_named(source)]).into())
}

/// The problem of a link whose replay names a file (of the machine that opens
/// the link): refused before anything is opened.
fn file_named(name: &str) -> FieldError {
    let traces: Vec<&str> = SHIPPED_TRACES.iter().map(|t| t.0).collect();
    FieldError {
        field: "workload.replay.source".into(),
        value: format!("\"{}\"", shown(name)),
        allowed: format!(
            "a link names no file: it may replay only a trace shipped with the playground ({}, by that name or its path), as a link is pasted from others and never chooses a file on the machine that opens it; replay a file of yours by choosing it in the page, or with --set workload.replay.source=FILE",
            traces.join(", ")
        ),
    }
}

/// The link's scenario fields (an object) and its view.
fn decode_text(link: &str) -> Result<(Value, Presentation), String> {
    // (ASCII whitespace is what a mail client puts in when it wraps a line.)
    let link: String = link.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let link = link.trim_start_matches('#');
    if link.len() > MAX_LINK_CHARS {
        return Err(format!(
            "the link is {} characters long; at most {MAX_LINK_CHARS} are accepted",
            link.len()
        ));
    }
    if link.is_empty() {
        return Err(format!("the link is empty: give the part of the page's address after '#', which starts '{PREFIX}' (in a script, check that the variable holding it is set)"));
    }
    let Some(body) = link.strip_prefix(PREFIX) else {
        let start: String = link.chars().take(12).collect();
        return Err(format!("the link does not start with '{PREFIX}' (it starts '{}'): it is not a link of this playground, or of a newer version", shown(&start)));
    };
    let bytes = base64url_decode(body)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| "the link's content is not text: it was cut or altered".to_string())?;
    // A number too large for a float stays text here, to be reported with its field.
    // Without the error's line and column, which mean nothing in a link's
    // encoded text.
    let tree = parse_json_naming(&text, link_field)
        .map_err(|e| format!("the link's content is not valid: {}", e.message()))?;
    let Value::Object(payload) = tree else {
        return Err(format!(
            "the link's content is {}, not an object {{\"s\": scenario, \"v\": view}}: it was not made by this playground",
            crate::json::kind(&tree)
        ));
    };
    if let Some(other) = payload.keys().find(|k| !matches!(k.as_str(), "s" | "v")) {
        return Err(format!(
            "the link's content has a field '{}' that no link has (only s (the scenario) and v (the view))",
            shown(other)
        ));
    }
    let view = match payload.get("v") {
        None | Some(Value::Null) => Presentation::default(),
        Some(Value::Object(given)) => read_view(given)?,
        Some(_) => return Err("the link's view is not an object of fields".into()),
    };
    match payload.get("s") {
        None | Some(Value::Null) => Ok((Value::Object(Default::default()), view)),
        Some(s @ Value::Object(_)) => Ok((s.clone(), view)),
        Some(_) => Err("the link's scenario is not an object of fields".into()),
    }
}

/// A field of a link's payload as a message names it: a scenario's by its
/// dotted name (`workload.family`), the view's as "the view's autoplay".
fn link_field(path: &str) -> String {
    match (path.strip_prefix("s."), path.strip_prefix("v.")) {
        (Some(field), _) => field.to_string(),
        (_, Some(field)) => format!("the view's {field}"),
        _ => format!("the link's '{path}'"),
    }
}

/// A view given as JSON text (the page's), read as a link's view is.
pub fn read_view_json(text: &str) -> Result<Presentation, String> {
    match parse_json_naming(text, str::to_string).map_err(|e| e.to_string())? {
        Value::Object(given) => read_view(&given),
        _ => Err("a view is a JSON object of fields".into()),
    }
}

/// The view a link gives, each field checked alone so that every problem is
/// named with what is allowed.
fn read_view(given: &Map) -> Result<Presentation, String> {
    let defaults = match to_value(&Presentation::default()) {
        Value::Object(d) => d,
        _ => Map::new(),
    };
    let names: Vec<&str> = defaults.keys().map(String::as_str).collect();
    let mut problems = Vec::new();
    for (key, value) in given {
        let Some(default) = defaults.get(key) else {
            problems.push(format!(
                "{} = {}: no such field of a link's view (it has {})",
                shown(key),
                shown_value(value),
                names.join(", ")
            ));
            continue;
        };
        let fits = match default {
            Value::Bool(_) => value.as_bool().is_some(),
            Value::Number(_) => value.as_u64().is_some_and(|n| n <= u32::MAX as u64),
            _ => value.as_str().is_some_and(|name| CONTROLS.contains(&name)),
        };
        if fits {
            continue;
        }
        let allowed = match default {
            Value::Bool(_) => "true or false".to_string(),
            Value::Number(_) => format!("a whole number from 0 to {}", u32::MAX),
            _ => format!("one of {}", CONTROLS.join(", ")),
        };
        let text = if value.is_string() && !default.is_string() { ", not text" } else { "" };
        problems.push(format!("{key} = {}: must be {allowed}{text}", shown_value(value)));
    }
    if problems.is_empty() {
        return Ok(view_of(given));
    }
    let more = problems.len().saturating_sub(MAX_PROBLEMS_SHOWN);
    problems.truncate(MAX_PROBLEMS_SHOWN);
    if more > 0 {
        problems.push(format!("… and {} more", thousands(more as u64)));
    }
    Err(format!("the link's view is not valid:\n  {}", problems.join("\n  ")))
}

/// The names of [`Controls`], as links write them.
const CONTROLS: [&str; 3] = ["full", "charts", "playback"];

/// The view of checked fields (each of its default's type), the defaults for
/// the others.
fn view_of(given: &Map) -> Presentation {
    let d = Presentation::default();
    let flag =
        |key: &str, default: bool| given.get(key).and_then(Value::as_bool).unwrap_or(default);
    let controls = match given.get("controls").and_then(Value::as_str) {
        Some("charts") => Controls::Charts,
        Some("playback") => Controls::Playback,
        Some(_) => Controls::Full,
        None => d.controls,
    };
    Presentation {
        show_rule: flag("show_rule", d.show_rule),
        show_oracle: flag("show_oracle", d.show_oracle),
        show_predictive: flag("show_predictive", d.show_predictive),
        show_no_forecast: flag("show_no_forecast", d.show_no_forecast),
        start_step: given
            .get("start_step")
            .and_then(Value::as_u64)
            .map_or(d.start_step, |n| n as u32),
        hide_controls: flag("hide_controls", d.hide_controls),
        controls,
        autoplay: flag("autoplay", d.autoplay),
        lesson: flag("lesson", d.lesson),
        presenter: flag("presenter", d.presenter),
    }
}

/// The leaves of `full` that differ from `base` (objects recursively; arrays whole).
fn diff(full: &Value, base: &Value) -> Option<Value> {
    match (full, base) {
        (Value::Object(f), Value::Object(b)) => {
            let mut out = Map::new();
            for (k, v) in f {
                match b.get(k) {
                    Some(bv) => {
                        if let Some(d) = diff(v, bv) {
                            out.insert(k.clone(), d);
                        }
                    }
                    None => {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        _ => (full != base).then(|| full.clone()),
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..chunk.len() + 1 {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes base64url without padding (a trailing `=` padding is tolerated).
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, String> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return Err("the link is cut short (its length is not that of any encoded text)".into());
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for (i, c) in text.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => {
                return Err(format!(
                    "the link has a character that does not belong in it at position {} ('{}')",
                    i + PREFIX.len() + 1,
                    (c as char).escape_default()
                ))
            }
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for n in 0..64usize {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64url_encode(&bytes);
            assert!(text.bytes().all(|c| ALPHABET.contains(&c)));
            assert_eq!(base64url_decode(&text).unwrap(), bytes, "length {n}");
        }
        assert_eq!(base64url_encode(b"hello"), "aGVsbG8");
    }
}
