//! The scenario: every knob of the simulated world in one value, with its
//! validation, and reading from JSON and from `key=value` overrides. The
//! sections' types are in `sections`, their defaults in `defaults`, the table of
//! knobs (ranges, labels, the page's form) in `knobs`.

mod defaults;
mod json;
mod knobs;
mod read;
mod sections;
mod shipped;
mod write;

pub(crate) use json::parse_json_naming;
pub use knobs::{knob, knobs, Group, Kind, Knob};
pub use read::closest;
pub(crate) use read::shown as shown_value;
pub use sections::{
    Agent, Design, Family, Forecast, ForecastMethod, Physics, PredictiveSettings, Queue, Replay,
    ReplayFormat, Replica, Reward, RuleSettings, Scaling, Scheduled, ServiceModel, Sla, Spread,
    StaticFleet, TimeUnit, Workload,
};
pub use shipped::{shipped_trace, SHIPPED_TRACES};

use crate::error::{Error, FieldError, ScenarioError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Every knob of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    pub seed: u64,
    /// Length of one step (s).
    pub dt_s: f64,
    /// Steps in a run.
    pub steps: u32,
    pub workload: Workload,
    pub replica: Replica,
    pub scaling: Scaling,
    pub queue: Queue,
    pub sla: Sla,
    pub reward: Reward,
    pub agent: Agent,
    pub forecast: Forecast,
    pub rule: RuleSettings,
    pub predictive: PredictiveSettings,
    #[serde(rename = "static")]
    pub static_fleet: StaticFleet,
}

/// Collects range problems.
pub(crate) struct Checker(Vec<FieldError>);

impl Checker {
    fn push(&mut self, field: &str, value: impl fmt::Display, allowed: String) {
        self.0.push(FieldError { field: field.into(), value: value.to_string(), allowed });
    }

    fn real(&mut self, field: &str, v: f64, lo: f64, hi: f64) {
        if !v.is_finite() || v < lo || v > hi {
            self.push(field, v, format!("must be a number from {lo} to {hi}"));
        }
    }

    fn whole(&mut self, field: &str, v: u32, lo: u32, hi: u32) {
        if v < lo || v > hi {
            self.push(field, v, format!("must be a whole number from {lo} to {hi}"));
        }
    }
}

/// Largest run length accepted: long enough for a year of minutes, small enough
/// that every per-step series fits comfortably in a browser tab.
pub const MAX_STEPS: u32 = 1_000_000;
/// Largest fleet accepted.
pub const MAX_REPLICAS: u32 = 1000;

impl Scenario {
    /// Returns every problem at once, each naming the field, its value and the
    /// allowed range.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let mut c = Checker(Vec::new());
        for knob in knobs::knobs() {
            knob.check(self, &mut c);
        }
        if c.0.is_empty() {
            Ok(())
        } else {
            Err(ScenarioError(c.0))
        }
    }

    /// Reads a scenario from JSON: missing fields take their defaults; a wrong
    /// type, an unknown field and a value out of range are all reported at once,
    /// each with the field, its value and what is allowed.
    pub fn from_json(text: &str) -> crate::error::Result<Scenario> {
        let given = json::parse_json(text)
            .map_err(|e| Error::ScenarioText(format!("scenario JSON: {e}")))?;
        Scenario::from_fields(&given)
    }

    /// The defaults with the fields of a JSON tree (a file's, a link's) over them,
    /// checked as [`Scenario::from_json`] checks them.
    pub(crate) fn from_fields(given: &crate::json::Value) -> crate::error::Result<Scenario> {
        Scenario::from_fields_with(given, Vec::new())
    }

    /// [`Scenario::from_fields`] with problems found before (a link's), reported
    /// after the fields'.
    pub(crate) fn from_fields_with(
        given: &crate::json::Value,
        early: Vec<FieldError>,
    ) -> crate::error::Result<Scenario> {
        read::read(&Scenario::default(), given, early)
    }

    /// The scenario as pretty JSON, every field in the structs' order.
    pub fn to_json(&self) -> String {
        write::pretty(&self.to_tree())
    }

    /// The scenario as a JSON tree, field by field along the table of knobs
    /// (which has every field: a test of the table says so), as serde's
    /// `to_value` makes it, without the sections' serialisers in the page's wasm.
    pub(crate) fn to_tree(&self) -> crate::json::Value {
        let mut scratch = self.clone();
        let mut tree = crate::json::Value::Object(Default::default());
        for k in knobs::knobs() {
            read::insert(&mut tree, k.path, k.value(&mut scratch));
        }
        tree
    }

    /// A short name of this exact scenario: FNV-1a (64 bits, hex) of its JSON,
    /// which is one text per value (every field, in order, numbers exact). Two
    /// scenarios have the same fingerprint when they are equal, and (but for a
    /// chance of 2^-64) only then.
    pub fn fingerprint(&self) -> String {
        let hash = self
            .to_json()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
        format!("{hash:016x}")
    }

    /// Applies `key=value` overrides with dotted keys (`workload.family=bursty`,
    /// `agent.utilisation_bins=[0.3,0.6]`). A value is read as JSON, or else as a
    /// string; a text field always takes the value as text (a file named `2023`).
    /// The result is checked and validated, every problem reported at once (an
    /// unknown key with the closest known ones); nothing is changed on error.
    pub fn with_overrides<S: AsRef<str>>(&self, overrides: &[S]) -> crate::error::Result<Scenario> {
        let mut given = crate::json::Value::Object(Default::default());
        let mut problems = Vec::new();
        for item in overrides {
            let item = item.as_ref();
            let Some((key, raw)) = item.split_once('=').filter(|(key, _)| !key.is_empty()) else {
                problems.push(FieldError {
                    field: crate::error::shown(item),
                    value: String::new(),
                    allowed: "an override is key=value".into(),
                });
                continue;
            };
            let text = || crate::json::Value::String(raw.to_string());
            // A value that is not JSON is text (`bursty`, a file name, `NaN`); one
            // that is JSON but gives a key twice is refused.
            let json = || match json::parse_json(raw) {
                Ok(v) => Ok(v),
                Err(e) if e.is_data() => Err(FieldError {
                    field: key.into(),
                    value: String::new(),
                    allowed: e.to_string(),
                }),
                Err(_) => Ok(text()),
            };
            let value = match knob(key) {
                Some(Knob { kind: Kind::Text { .. }, .. }) => Ok(text()),
                Some(_) => json(),
                None if read::is_group(key) => json(),
                None => {
                    let suggest = problems.len() < crate::error::MAX_PROBLEMS_SHOWN;
                    problems.push(read::unknown(key, crate::error::shown(raw), suggest));
                    continue;
                }
            };
            match value {
                Ok(value) => read::insert(&mut given, key, value),
                Err(problem) => problems.push(problem),
            }
        }
        read::read(self, &given, problems)
    }

    /// The service rate of one slot (requests per second).
    pub fn mu(&self) -> f64 {
        1.0 / self.replica.service_mean_s
    }
}
