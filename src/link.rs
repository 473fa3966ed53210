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
//! the JSON into the typed scenario (unknown fields are refused by name), and
//! validates every value against its allowed range, reporting every problem.

use crate::error::Error;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The prefix of links in this format.
pub const PREFIX: &str = "v1.";
/// The longest link accepted (characters after `#`).
pub const MAX_LINK_CHARS: usize = 16 * 1024;

/// How the page shows a run (not part of the simulation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
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
}

/// The controls a link shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
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
        }
    }
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Payload {
    #[serde(default)]
    s: Value,
    #[serde(default)]
    v: Option<Presentation>,
}

/// The link (without `#`) of a scenario and a view.
pub fn encode(scenario: &Scenario, view: &Presentation) -> String {
    let full = serde_json::to_value(scenario).unwrap_or(Value::Null);
    let base = serde_json::to_value(Scenario::default()).unwrap_or(Value::Null);
    let s = diff(&full, &base).unwrap_or(Value::Object(Default::default()));
    let v = (view != &Presentation::default()).then(|| view.clone());
    let json = serde_json::to_string(&Payload { s, v }).unwrap_or_default();
    format!("{PREFIX}{}", base64url_encode(json.as_bytes()))
}

/// Reads a link (with or without a leading `#`). Every problem is reported in the
/// message; nothing of a bad link is used.
pub fn decode(link: &str) -> crate::error::Result<(Scenario, Presentation)> {
    let (fields, view) = decode_text(link).map_err(Error::Link)?;
    // Every field's problem at once, each naming the field (the page marks them).
    let scenario = Scenario::from_fields(&fields).map_err(|e| e.context("the link's scenario"))?;
    Ok((scenario, view))
}

/// The link's scenario fields (an object) and its view.
fn decode_text(link: &str) -> Result<(Value, Presentation), String> {
    let link = link.trim().trim_start_matches('#');
    if link.len() > MAX_LINK_CHARS {
        return Err(format!(
            "the link is {} characters long; at most {MAX_LINK_CHARS} are accepted",
            link.len()
        ));
    }
    if link.is_empty() {
        return Ok((Value::Object(Default::default()), Presentation::default()));
    }
    let Some(body) = link.strip_prefix(PREFIX) else {
        let shown: String = link.chars().take(12).collect();
        return Err(format!("the link does not start with '{PREFIX}' (it starts '{shown}'): it is not a link of this playground, or of a newer version"));
    };
    let bytes = base64url_decode(body)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| "the link's content is not text: it was cut or altered".to_string())?;
    // A number too large for a float stays text here, to be reported with its field.
    let tree = crate::scenario::parse_json(&text)
        .map_err(|e| format!("the link's content is not valid: {e}"))?;
    let payload: Payload = serde_json::from_str(&tree.to_string())
        .map_err(|e| format!("the link's content is not valid: {e}"))?;
    match payload.s {
        Value::Null => Ok((Value::Object(Default::default()), payload.v.unwrap_or_default())),
        s @ Value::Object(_) => Ok((s, payload.v.unwrap_or_default())),
        _ => Err("the link's scenario is not an object of fields".into()),
    }
}

/// The leaves of `full` that differ from `base` (objects recursively; arrays whole).
fn diff(full: &Value, base: &Value) -> Option<Value> {
    match (full, base) {
        (Value::Object(f), Value::Object(b)) => {
            let mut out = serde_json::Map::new();
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
