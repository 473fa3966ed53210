//! The scenario: every knob of the simulated world in one value, with its defaults,
//! its validation, and reading from JSON and from `key=value` overrides.
//!
//! Defaults follow the model (`docs/model.md`), except `sla.p95_s` (see the README's
//! "Departures from the model").

mod knobs;
mod read;

pub use knobs::{knob, knobs, Group, Kind, Knob};
pub use read::closest;
pub(crate) use read::parse_json;

use crate::error::{Error, FieldError, ScenarioError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The workload families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// A daily sinusoid with noise and random spikes.
    Diurnal,
    /// Diurnal plus sudden multi-minute surges of 2-4x.
    FlashCrowd,
    /// A Markov-modulated Poisson process.
    Bursty,
    /// A flat rate, for validation.
    Constant,
    /// One rate, then another from a given time on, for validation.
    Step,
    /// A real trace, imported from CSV.
    Replay,
}

/// The queueing physics of a world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Physics {
    /// Pointwise stationary fluid-flow approximation of M/M/c (fast, default).
    Fluid,
    /// Per-request discrete-event simulation (the ground truth).
    Exact,
}

/// How the exact physics draws a request's service time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceModel {
    /// Exponential with mean `replica.service_mean_s`.
    Exponential,
    /// `replica.per_token_s` per generated token, from a request-level replay.
    Tokens,
}

/// The layout of a replay CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplayFormat {
    /// Decided from the header: a `TIMESTAMP` column means requests, else counts.
    #[default]
    Auto,
    /// One row per request: timestamp, then optional context and generated tokens.
    Requests,
    /// One row per interval: interval index, request count.
    Counts,
}

/// The unit of a replay's numeric timestamps (dates and times need none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeUnit {
    /// From the time column's header (`_s`, `_ms`, `_us`, `_ns`), else guessed
    /// from the values; the import says which and why.
    #[default]
    Auto,
    S,
    Ms,
    Us,
    Ns,
}

impl TimeUnit {
    /// Nanoseconds in one unit (`Auto`: none).
    pub fn nanos(self) -> Option<i64> {
        match self {
            TimeUnit::Auto => None,
            TimeUnit::S => Some(1_000_000_000),
            TimeUnit::Ms => Some(1_000_000),
            TimeUnit::Us => Some(1_000),
            TimeUnit::Ns => Some(1),
        }
    }

    /// The unit's name, as in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Auto => "auto",
            TimeUnit::S => "s",
            TimeUnit::Ms => "ms",
            TimeUnit::Us => "us",
            TimeUnit::Ns => "ns",
        }
    }
}

/// Where a replay puts requests that share a timestamp (a quantised trace's tick,
/// or the copies of rate scaling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Spread {
    /// At their timestamp, as written: the file is never altered by default.
    #[default]
    None,
    /// Evenly within their tick (the gap to the next timestamp, at most the tick).
    Even,
    /// At uniform offsets within their tick, from the seed.
    Random,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Workload {
    pub family: Family,
    /// Mean demand of the daily cycle (req/s); the constant rate; the rate before a step.
    pub base_rps: f64,
    /// Relative daily swing: the curve runs from base·(1−amplitude) to base·(1+amplitude).
    pub amplitude: f64,
    /// Hour of the day (0-24) at which the daily curve peaks.
    pub peak_hour: f64,
    /// Relative standard deviation of the per-step noise.
    pub noise: f64,
    /// Expected number of random spikes per day.
    pub spikes_per_day: f64,
    /// A spike multiplies demand by this factor.
    pub spike_height: f64,
    pub spike_duration_s: f64,
    /// flash-crowd: expected surges per day.
    pub surges_per_day: f64,
    /// flash-crowd: a surge multiplies demand by a factor drawn in [min, max].
    pub surge_min: f64,
    pub surge_max: f64,
    /// flash-crowd: a surge lasts a time drawn in [min, max] seconds.
    pub surge_min_s: f64,
    pub surge_max_s: f64,
    /// bursty: the rates of the modulating states (req/s), at least two.
    pub mmpp_rates: Vec<f64>,
    /// bursty: the mean time spent in each state (s), one per rate.
    pub mmpp_dwell_s: Vec<f64>,
    /// step: the time of the step (s) and the rate after it.
    pub step_at_s: f64,
    pub step_to_rps: f64,
    pub replay: Replay,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Replay {
    /// Where the CSV came from (a path for the CLI, a file name in the page).
    pub source: String,
    pub format: ReplayFormat,
    /// Length of one interval of a counts file (s).
    pub interval_s: f64,
    /// Time stretch: 2 makes the trace last twice as long (at half the rate).
    pub time_stretch: f64,
    /// Rate scale: 2 doubles the demand.
    pub rate_scale: f64,
    /// Repeat the trace to fill the run; otherwise demand is zero after its end.
    pub repeat: bool,
    pub service: ServiceModel,
    /// The unit of numeric timestamps.
    pub time_unit: TimeUnit,
    /// Requests sharing a timestamp: left together, or spread within their tick.
    pub spread: Spread,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Replica {
    /// Requests one replica serves at once (continuous batching).
    pub slots: u32,
    /// Mean service time of one request (s).
    pub service_mean_s: f64,
    /// Service time per generated token (s), for token-based service.
    pub per_token_s: f64,
    /// Price of one provisioned replica per hour.
    pub price_per_hour: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scaling {
    pub step_size: u32,
    pub boot_delay_s: f64,
    pub min_replicas: u32,
    pub max_replicas: u32,
    /// Ready replicas at the start of a run (elastic worlds).
    pub initial_replicas: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Queue {
    /// A request that has waited this long without starting is dropped (s).
    pub max_wait_s: f64,
    pub physics: Physics,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sla {
    /// A step violates the SLA when its p95 response time exceeds this (s)...
    pub p95_s: f64,
    /// ...or when it drops at least this many requests (the fluid physics drops
    /// fractions of a request; 0.5 means "rounds to at least one").
    pub drop_tolerance: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Reward {
    pub sla_held: f64,
    pub sla_violated: f64,
    pub per_replica: f64,
    pub per_change: f64,
    pub low_utilisation: f64,
    pub low_utilisation_below: f64,
}

impl Reward {
    /// The reward of one step, docs/model.md's: `sla_held` or `sla_violated`,
    /// `per_replica` for each provisioned replica, `per_change` when the
    /// provisioned count changed, `low_utilisation` when utilisation was below
    /// `low_utilisation_below`. Every world is scored by it, not only the agent.
    pub fn score(&self, sla_held: bool, provisioned: u32, utilisation: f64, changed: bool) -> f64 {
        let mut r = if sla_held { self.sla_held } else { self.sla_violated };
        r += self.per_replica * provisioned as f64;
        if changed {
            r += self.per_change;
        }
        if utilisation < self.low_utilisation_below {
            r += self.low_utilisation;
        }
        r
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Agent {
    pub alpha: f64,
    pub gamma: f64,
    pub epsilon_start: f64,
    pub epsilon_end: f64,
    /// Multiplies ε after every training episode.
    pub epsilon_decay: f64,
    pub episodes: u32,
    /// Utilisation bin edges, increasing.
    pub utilisation_bins: Vec<f64>,
    /// Relative change of demand over one step counted as rising or falling.
    pub trend_threshold: f64,
    /// Relative difference of forecast to current demand counted as rising or falling.
    pub forecast_threshold: f64,
    /// Keep learning during the evaluation run.
    pub learn_live: bool,
    /// The agent's design: docs/model.md's seed agent, or the calm one.
    pub design: Design,
}

/// What the agent sees and how it acts ([`crate::agent`] has the details).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Design {
    /// docs/model.md's agent: utilisation bin, capacity, trend, forecast against the
    /// demand now; actions of `scaling.step_size` replicas.
    Seed,
    /// Headroom in replicas against what the forecast over the boot delay needs,
    /// capacity, trend and the forecast's own direction; scale-ups reach that
    /// need at once.
    Calm,
}

/// The Predictive world: what the cloud vendors' predictive scaling does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PredictiveSettings {
    /// Extra demand the fleet is sized for on top of the forecast (0.1: 10 %).
    pub margin: f64,
    /// It scales in only when no larger fleet was recommended within this long (s).
    pub stabilisation_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForecastMethod {
    Naive,
    MovingAverage,
    Seasonal,
    /// A one-layer LSTM, pre-trained on the training traces, learning online.
    Lstm,
    /// A dilated causal convolutional net, pre-trained and learning online.
    Tcn,
}

impl ForecastMethod {
    /// Whether the method learns weights from the training traces (the nets).
    pub fn is_learned(&self) -> bool {
        matches!(self, ForecastMethod::Lstm | ForecastMethod::Tcn)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Forecast {
    pub method: ForecastMethod,
    /// Steps ahead; 0 means the boot delay in steps, at least 1.
    pub horizon_steps: u32,
    /// Moving-average window (steps).
    pub window: u32,
    /// lstm, tcn: hidden units of the LSTM, channels of the TCN.
    pub hidden_size: u32,
    /// lstm, tcn: observations a net reads (the TCN rounds up to a power of two).
    pub net_window: u32,
    /// lstm, tcn: pre-training passes over the training traces (each at most 8,192
    /// windows).
    pub epochs: u32,
    /// lstm, tcn: Adam's step size, in pre-training and online.
    pub learning_rate: f64,
    /// lstm, tcn: one online Adam step every this many steps (0: no online learning).
    pub update_every: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSettings {
    pub target_utilisation: f64,
    pub tolerance: f64,
    pub stabilisation_s: f64,
    pub scale_up_period_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StaticFleet {
    /// Extra capacity on top of the fewest replicas that meet the SLA at peak.
    pub buffer: f64,
}

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

impl Default for Workload {
    fn default() -> Self {
        Workload {
            family: Family::Diurnal,
            base_rps: 24.0,
            amplitude: 0.55,
            peak_hour: 14.0,
            noise: 0.05,
            spikes_per_day: 2.0,
            spike_height: 1.5,
            spike_duration_s: 600.0,
            surges_per_day: 1.0,
            surge_min: 2.0,
            surge_max: 4.0,
            surge_min_s: 300.0,
            surge_max_s: 1200.0,
            mmpp_rates: vec![12.0, 40.0],
            mmpp_dwell_s: vec![1800.0, 600.0],
            step_at_s: 3600.0,
            step_to_rps: 48.0,
            replay: Replay::default(),
        }
    }
}

impl Default for Replay {
    fn default() -> Self {
        Replay {
            source: String::new(),
            format: ReplayFormat::Auto,
            interval_s: 60.0,
            time_stretch: 1.0,
            rate_scale: 1.0,
            repeat: true,
            service: ServiceModel::Exponential,
            time_unit: TimeUnit::Auto,
            spread: Spread::None,
        }
    }
}

impl Default for Replica {
    fn default() -> Self {
        Replica { slots: 8, service_mean_s: 2.0, per_token_s: 0.0095, price_per_hour: 1.0 }
    }
}

impl Default for Scaling {
    fn default() -> Self {
        Scaling {
            step_size: 1,
            boot_delay_s: 120.0,
            min_replicas: 1,
            max_replicas: 20,
            initial_replicas: 4,
        }
    }
}

impl Default for Queue {
    fn default() -> Self {
        Queue { max_wait_s: 30.0, physics: Physics::Fluid }
    }
}

impl Default for Sla {
    fn default() -> Self {
        Sla { p95_s: 8.0, drop_tolerance: 0.5 }
    }
}

impl Default for Reward {
    fn default() -> Self {
        Reward {
            sla_held: 1.0,
            sla_violated: -5.0,
            per_replica: -0.1,
            per_change: -0.2,
            low_utilisation: -0.5,
            low_utilisation_below: 0.3,
        }
    }
}

impl Default for Agent {
    fn default() -> Self {
        Agent {
            alpha: 0.1,
            gamma: 0.95,
            epsilon_start: 1.0,
            epsilon_end: 0.05,
            epsilon_decay: 0.98,
            episodes: 200,
            utilisation_bins: vec![0.3, 0.5, 0.8, 1.0],
            trend_threshold: 0.02,
            forecast_threshold: 0.05,
            learn_live: false,
            design: Design::Seed,
        }
    }
}

impl Default for Forecast {
    fn default() -> Self {
        Forecast {
            method: ForecastMethod::MovingAverage,
            horizon_steps: 0,
            window: 10,
            hidden_size: 8,
            net_window: 16,
            epochs: 8,
            learning_rate: 0.01,
            update_every: 4,
        }
    }
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            target_utilisation: 0.7,
            tolerance: 0.1,
            stabilisation_s: 300.0,
            scale_up_period_s: 15.0,
        }
    }
}

impl Default for PredictiveSettings {
    fn default() -> Self {
        PredictiveSettings { margin: 0.1, stabilisation_s: 300.0 }
    }
}

impl Default for StaticFleet {
    fn default() -> Self {
        StaticFleet { buffer: 0.2 }
    }
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            seed: 42,
            dt_s: 60.0,
            steps: 4320,
            workload: Workload::default(),
            replica: Replica::default(),
            scaling: Scaling::default(),
            queue: Queue::default(),
            sla: Sla::default(),
            reward: Reward::default(),
            agent: Agent::default(),
            forecast: Forecast::default(),
            rule: RuleSettings::default(),
            predictive: PredictiveSettings::default(),
            static_fleet: StaticFleet::default(),
        }
    }
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
        let given = read::parse_json(text)
            .map_err(|e| Error::ScenarioText(format!("scenario JSON: {e}")))?;
        Scenario::from_fields(&given)
    }

    /// The defaults with the fields of a JSON tree (a file's, a link's) over them,
    /// checked as [`Scenario::from_json`] checks them.
    pub(crate) fn from_fields(given: &serde_json::Value) -> crate::error::Result<Scenario> {
        read::read(&Scenario::default(), given, Vec::new())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scenario always serialises")
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
        let mut given = serde_json::Value::Object(Default::default());
        let mut problems = Vec::new();
        for item in overrides {
            let item = item.as_ref();
            let Some((key, raw)) = item.split_once('=').filter(|(key, _)| !key.is_empty()) else {
                problems.push(FieldError {
                    field: item.into(),
                    value: String::new(),
                    allowed: "an override is key=value".into(),
                });
                continue;
            };
            let text = || serde_json::Value::String(raw.to_string());
            let value = match knob(key) {
                Some(Knob { kind: Kind::Text { .. }, .. }) => text(),
                Some(_) => serde_json::from_str(raw).unwrap_or_else(|_| text()),
                None if read::is_group(key) => serde_json::from_str(raw).unwrap_or_else(|_| text()),
                None => {
                    problems.push(read::unknown(key, raw.to_string()));
                    continue;
                }
            };
            read::insert(&mut given, key, value);
        }
        read::read(self, &given, problems)
    }

    /// The service rate of one slot (requests per second).
    pub fn mu(&self) -> f64 {
        1.0 / self.replica.service_mean_s
    }
}
