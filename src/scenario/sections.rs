//! The scenario's sections: the struct of each group of knobs (workload, replica,
//! scaling, ...) and the enums its choices name, with the few methods that only
//! read them. Their defaults are in `defaults`, their ranges in the table of
//! knobs; here is only what a scenario file's fields are. Each struct lists its
//! fields in the table's order, which is the order the scenario's JSON is
//! written in (`write`).

use serde::{Deserialize, Serialize};

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
    /// Events at set times of every day (and week): a morning surge, a lunch
    /// dip, an evening decline, a weekend lull and an hourly batch burst.
    Scheduled,
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
    pub scheduled: Scheduled,
    pub replay: Replay,
}

/// The scheduled family's day: `night_rps` until the morning surge, a ramp to
/// `day_rps`, a lunch dip and return, an evening decline back to `night_rps`;
/// weekends (days 6 and 7 of each week, the run starting on a Monday at
/// midnight) at a share of it; an hourly batch burst on top.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scheduled {
    /// The rate at night, before the morning surge and after the evening decline (req/s).
    pub night_rps: f64,
    /// The rate of the working day, after the morning surge (req/s).
    pub day_rps: f64,
    /// Hour of the day (0-24) at which the morning surge starts.
    pub surge_at_h: f64,
    /// The surge's ramp from the night rate to the day rate (s).
    pub surge_ramp_s: f64,
    /// Hour of the day at which the lunch dip starts.
    pub lunch_at_h: f64,
    /// How long the lunch dip holds its low, after its ramp down (s).
    pub lunch_s: f64,
    /// The rate during the lunch dip, as a share of what it would be.
    pub lunch_dip: f64,
    /// The lunch dip's ramps, down and back up (s each).
    pub lunch_ramp_s: f64,
    /// Hour of the day at which the evening decline starts.
    pub evening_at_h: f64,
    /// The evening decline from the day rate to the night rate (s).
    pub evening_s: f64,
    /// The weekend's rate as a share of a weekday's (1: no lull).
    pub weekend: f64,
    /// The hourly batch burst: demand added on top (req/s; 0: none).
    pub batch_rps: f64,
    /// Minute past each hour at which the batch burst starts.
    pub batch_at_min: f64,
    /// How long each batch burst lasts (s).
    pub batch_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Replay {
    /// Where the CSV came from (a path for the CLI, a file name in the page).
    pub source: String,
    pub format: ReplayFormat,
    /// Length of one interval of a counts file (s); 0 leaves it to the file: the
    /// step between its rows when they hold times, 60 s for interval numbers.
    pub interval_s: f64,
    /// Time stretch: 2 makes the trace last twice as long (at half the rate).
    pub time_stretch: f64,
    /// Rate scale: 2 doubles the demand.
    pub rate_scale: f64,
    /// Repeat the trace to fill the run; otherwise demand is zero after its end.
    pub repeat: bool,
    pub service: ServiceModel,
    /// The unit of numeric timestamps (and of a counts file's time column).
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
    pub max_replicas: u32,
    pub min_replicas: u32,
    /// Ready replicas at the start of a run (elastic worlds).
    pub initial_replicas: u32,
    pub step_size: u32,
    pub boot_delay_s: f64,
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
    /// The agent's design: docs/model.md's seed agent, or the calm one.
    pub design: Design,
    /// Keep learning during the evaluation run.
    pub learn_live: bool,
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
    /// The Rule as a safe floor: the calm state with the headroom measured
    /// from the Rule's recommendation (HPA at `rule.target_utilisation`), and
    /// actions among the Rule's recommendations at that target and 0.1 either
    /// side: hold is the Rule's count, up the most of the lower target's, the
    /// need and the fleet now, down the higher target's but never below the
    /// need. Untrained (every tie goes to hold) it is the Rule, but for the
    /// safety floor.
    Residual,
}

impl Design {
    /// Whether the state is the calm one (headroom against the need, sized
    /// with the forecast), as the calm and residual designs read it.
    pub fn sizes_need(self) -> bool {
        matches!(self, Design::Calm | Design::Residual)
    }
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
    /// Whether the method learns weights from the training traces (the nets),
    /// mini-batch by mini-batch.
    pub fn is_learned(&self) -> bool {
        matches!(self, ForecastMethod::Lstm | ForecastMethod::Tcn)
    }

    /// Whether the method learns something from the training traces at once, in
    /// one quick pass: the seasonal forecaster, whether their events come back.
    pub fn learns_at_once(&self) -> bool {
        matches!(self, ForecastMethod::Seasonal)
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
