//! The free functions the page calls on scenarios as JSON text, with no
//! `Playground` yet or beside one: the presets, the table of knobs for the form,
//! overrides, a trace's replay, the share link, and a fresh seed. None holds
//! state, so they stand apart from the handle.

use super::{js, to_js};
use crate::scenario::Scenario;
use crate::workload::replay;
use crate::{link, presets};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A preset scenario as JSON ([`presets::preset`]).
#[wasm_bindgen(js_name = presetScenario)]
pub fn preset_scenario(name: &str) -> Result<String, JsValue> {
    presets::preset(name).map(|s| s.to_json()).map_err(js)
}

/// The preset names, in the order the page lists them.
#[wasm_bindgen(js_name = presetNames)]
pub fn preset_names() -> Vec<String> {
    presets::NAMES.iter().map(|n| n.to_string()).collect()
}

/// What a preset is, in a sentence, and for a real-trace preset the path of its
/// CSV, which the page serves at that path beside itself: `{about, trace}`.
#[wasm_bindgen(js_name = presetInfo)]
pub fn preset_info(name: &str) -> Result<JsValue, JsValue> {
    let trace = presets::TRACES.iter().find(|t| t.0 == name).map(|t| t.1);
    to_js(&(presets::describe(name), trace))
}

/// The preset a scenario (JSON) is, by its workload, if any.
#[wasm_bindgen(js_name = presetOf)]
pub fn preset_of(scenario_json: &str) -> Result<Option<String>, JsValue> {
    let s = Scenario::from_json(scenario_json).map_err(js)?;
    Ok(presets::name_of(&s).map(String::from))
}

/// What the importer read of a replay scenario's (JSON) CSV, its guesses and its
/// warnings, one per line ([`replay::Import`]); empty for other scenarios.
#[wasm_bindgen(js_name = replayReport)]
pub fn replay_report(scenario_json: &str, csv: &str) -> Result<String, JsValue> {
    let s = Scenario::from_json(scenario_json).map_err(js)?;
    let import = replay::import_for(&s, Some(csv)).map_err(js)?;
    Ok(import.map(|i| i.lines().join("\n")).unwrap_or_default())
}

/// Every scenario knob ([`crate::scenario::knobs`]): `{path, label, kind, lo,
/// hi, options, group, legend, families}`, in order; the page builds its
/// scenario form from those with a group.
#[wasm_bindgen]
pub fn knobs() -> Result<JsValue, JsValue> {
    let mut list: Vec<Described> = crate::scenario::knobs()
        .iter()
        .map(|k| Described {
            path: k.path,
            label: k.label,
            kind: k.kind.name(),
            lo: k.kind.range().map(|r| r.0),
            hi: k.kind.range().map(|r| r.1),
            options: k.kind.options(),
            group: k.group,
            legend: k.group.legend(),
            families: k.families,
        })
        .collect();
    // The form's fieldsets in the groups' order, each knob in the table's.
    crate::math::sort_small_by_key(&mut list, |d| d.group);
    to_js(&list)
}

/// A knob as the page's form reads it.
#[derive(Serialize)]
struct Described {
    path: &'static str,
    label: &'static str,
    kind: &'static str,
    lo: Option<f64>,
    hi: Option<f64>,
    options: &'static [(&'static str, &'static str)],
    group: crate::scenario::Group,
    legend: &'static str,
    families: &'static [crate::scenario::Family],
}

/// The share link (the URL hash, without `#`) of a scenario (JSON) and of how the
/// page shows it (JSON: `{show_rule, show_oracle, show_predictive,
/// show_no_forecast, start_step, hide_controls}`).
#[wasm_bindgen(js_name = encodeLink)]
pub fn encode_link(scenario_json: &str, presentation_json: &str) -> Result<String, JsValue> {
    let s = Scenario::from_json(scenario_json).map_err(js)?;
    let p = link::read_view_json(presentation_json)
        .map_err(|e| js_sys::Error::new(&format!("link view: {e}")))?;
    Ok(link::encode(&s, &p))
}

/// Reads a share link (with or without `#`): `{scenario, view}`, the scenario as
/// JSON. The error says what is wrong with the link; nothing of it is used then.
#[wasm_bindgen(js_name = decodeLink)]
pub fn decode_link(text: &str) -> Result<JsValue, JsValue> {
    let (s, view) = link::decode(text).map_err(js)?;
    to_js(&Linked { scenario: s.to_json(), view })
}

#[derive(Serialize)]
struct Linked {
    scenario: String,
    view: link::Presentation,
}

/// The scenario (JSON) with its workload replaced by a replay of a CSV file
/// ([`replay::scenario_for`]). Pass the same `csv` to `Playground`.
#[wasm_bindgen(js_name = replayScenario)]
pub fn replay_scenario(scenario_json: &str, file_name: &str, csv: &str) -> Result<String, JsValue> {
    let s = Scenario::from_json(scenario_json).map_err(js)?;
    replay::scenario_for(&s, file_name, csv).map(|s| s.to_json()).map_err(js)
}

/// The largest trace file the page reads (bytes): the importer's cap.
#[wasm_bindgen(js_name = replayMaxBytes)]
pub fn replay_max_bytes() -> u32 {
    replay::MAX_BYTES as u32
}

/// A scenario (JSON) with `key=value` overrides applied (dotted keys, as the
/// CLI's `--set`), validated; the error names every field out of range.
#[wasm_bindgen(js_name = applyOverrides)]
pub fn apply_overrides(scenario_json: &str, overrides: Vec<String>) -> Result<String, JsValue> {
    let s = Scenario::from_json(scenario_json).map_err(js)?;
    s.with_overrides(&overrides).map(|s| s.to_json()).map_err(js)
}

/// A value from outside (a file's name) as a message quotes it
/// ([`crate::error::shown`]): control characters and bidirectional overrides
/// escaped, a long value cut with its length; the page's own texts quote it
/// through this, as the core's messages do.
#[wasm_bindgen]
pub fn shown(value: &str) -> String {
    crate::error::shown(value)
}
