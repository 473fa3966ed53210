//! Forecasters: what the demand will be over the next `h` steps, from the demand
//! seen so far and nothing later. The agent's state reads the forecast's direction.
//!
//! Every forecaster is fed the demand one step at a time ([`Forecaster::observe`]),
//! in order, and answers from what it was fed only: it has no access to the trace,
//! so it cannot see the future by construction (and `tests/decide/forecast.rs` checks it).
//! Demand is taken into `[0, 10^12]` req/s on the way in, and every forecast is
//! finite and non-negative.
//!
//! - [`Naive`] (persistence): every future step is the last observed demand. No
//!   constants; the baseline any other forecaster has to beat, and hard to beat a
//!   step or two ahead, where the demand barely moves.
//! - [`MovingAverage`]: the mean of the last `forecast.window` observations (of all
//!   of them while fewer were seen), as a flat path. It averages the per-step noise
//!   away at the price of lagging a trend by about half the window. A running sum
//!   keeps it O(1) per step; re-summing it exactly every `window` steps stops
//!   rounding from piling up after huge values.
//! - [`Seasonal`]: additive Holt-Winters with a damped trend and a daily season of
//!   `round(86400 / dt)` steps (at least 2). Until a whole day has been seen it is
//!   damped Holt (level and trend); the first day then sets the level to its mean,
//!   the trend to 0 and the seasonal indices to the day's deviations from the mean.
//!   Constants: level α = 0.2, trend β = 0.01 damped by φ = 0.98 per step (a trend
//!   adds at most φ/(1−φ) = 49 steps' worth, so the path never runs away), season
//!   γ = 0.2. One departure from the textbook: each index is the mean deviation over
//!   a centred window of ±30 min (±30 steps at 60 s; none at 1 h steps), updated
//!   half a window late so that only the past is used. With one noisy observation
//!   per index per day, plain indices carry the 5 % noise and the spikes of the
//!   first days into every later day: on the default diurnal trace (day 3, 2 steps
//!   ahead) the textbook model's mean absolute error, 1.55 req/s, was worse than
//!   persistence's 1.46; smoothed, it is 1.21, against 1.26 for the 10-step moving
//!   average. α, β and γ were picked on that error over seeds 1-5 and 42 from
//!   α ∈ {0.1, 0.2, 0.3}, β ∈ {0.01, 0.02, 0.05}, γ ∈ {0.1, 0.2, 0.3, 0.5}: β
//!   0.01 was best, α 0.2-0.3 and γ hardly mattered (±1 %), so the middle values
//!   were kept. The gain is small two steps ahead, where noise dominates, and large
//!   an hour ahead (1.57 against 2.75 req/s), where only the daily shape helps.
//!
//!   That smoothing rounds off a sharp event even when it comes back every day,
//!   so the forecaster also keeps the last days' demand step by step and, once a
//!   trace has shown that its events come back (on its training traces, learnt
//!   by [`Forecaster::fit_start`], and in its own run), forecasts the same time
//!   on those days at today's level: `repeats.rs` says how. Where the events are
//!   random (the diurnal, flash-crowd and bursty presets, the real traces) it
//!   never does, and forecasts exactly as the smooth model.
//!
//!   [`event_skill`] measures what that buys: the share of the rises that repeat
//!   a day later, each more than the Rule's fleet's headroom within a boot delay,
//!   that a forecaster saw coming a boot delay ahead.
//! - [`Lstm`] and [`Tcn`]: small neural nets ([`Learned`] around [`LstmNet`] or
//!   [`TcnNet`]), hand-written in `f64` (no library: a few hundred lines, all
//!   arithmetic and [`crate::math`], so training is bit-identical natively and in
//!   WebAssembly, and the wasm grows by the code alone). Each reads the last
//!   `forecast.net_window` observations (16) and predicts the next `h` steps at
//!   once. The LSTM has one layer of `forecast.hidden_size` units (8), run over the
//!   window from a zero state, its last hidden state mapped linearly to the `h`
//!   outputs. The TCN lifts the input to `hidden_size` channels, then stacks
//!   dilated causal convolutions of kernel 2 with dilations 1, 2, 4, 8 (as many
//!   levels as the window needs), each added to its input (residual), with a
//!   linear head at the last step.
//!
//!   On the workloads with a day, each step read also carries the sine and
//!   cosine of its time of day ([`net_config`] says where and why not elsewhere).
//!
//!   Inputs and targets are normalised by the window's mean, `y / mean − 1`, and
//!   the outputs scaled back: a running scale that makes a net indifferent to the
//!   demand's level (a net trained at 24 req/s forecasts a replay at 300 or a
//!   plateau at 10^6 alike) and keeps every input in `[−1, window − 1]`.
//!   Normalised targets are capped at 20 and gradients clipped to norm 1, so a 100x
//!   jump cannot throw the weights; forecasts are taken into `[0, 10^12]`. Until a
//!   whole window has been seen, the forecast is the mean of what was.
//!
//!   Pre-training ([`Forecaster::fit`], chunked by `fit_start` / `fit_more`, which
//!   the [`crate::train::Trainer`] calls on the traces of its first training
//!   episodes): `forecast.epochs` (8) passes of at most 8,192 windows drawn at
//!   random from the series (the work is bounded whatever their length), in
//!   mini-batches of 16 with one Adam step each, at `forecast.learning_rate`
//!   (0.01) shrinking linearly to a tenth. The loss is a Huber loss of the
//!   normalised errors ([`net::huber`]). Online learning ([`Forecaster::observe`]):
//!   every `forecast.update_every` (4) observations, one Adam step at 3 % of the
//!   learning rate on the newest window whose `h` targets have all been observed;
//!   [`Forecaster::reset`] returns to the pre-trained weights, so every run starts
//!   from them.
//!
//!   Measured by `make forecasts` (the README has the tables): 2 steps ahead on the
//!   default diurnal trace, mean absolute error 1.14 (LSTM) and 1.13 (TCN) req/s
//!   against 1.31 for the moving average (−13 %, short of the −20 % aimed at; the
//!   5 % noise alone costs 0.99, even to a forecaster that knew the curve and its
//!   spikes); on the flash-crowd −23 % / −25 %; on the bursty preset, where the
//!   averages lag every switch of rate, they alone come near persistence (2.17 and
//!   2.28 against 2.27; the moving average 5.40); on the replays, whose hour
//!   repeats and is seen in training, −64 % to −82 %. Speed (`make bench`): a
//!   forecaster step (observe, online update, predict) takes about 18 µs (LSTM)
//!   and 3 µs (TCN) natively (up to 30 and 6 on a loaded machine); an LSTM step is
//!   mostly its 640 `exp` and `tanh` per window. Sizes were picked for
//!   that: 16 hidden units or a window of 32 cost two to four times as much and
//!   gained at most 0.4 % on the diurnal trace and 3 % on the flash crowd; a window
//!   of 8 lost 4-5 % on the diurnal trace.

mod direction;
mod event_recall;
mod learned;
mod lstm;
mod moving_average;
mod naive;
pub mod net;
mod repeats;
mod seasonal;
mod skill;
mod tcn;

pub use direction::Direction;
pub use event_recall::{event_skill, onsets, real_rises, EventSkill, Rises};
pub use learned::Learned;
pub use lstm::LstmNet;
pub use moving_average::MovingAverage;
pub use naive::Naive;
pub use net::NetConfig;
pub use seasonal::Seasonal;
pub use skill::*;
pub use tcn::TcnNet;

/// The LSTM forecaster.
pub type Lstm = Learned<LstmNet>;
/// The TCN forecaster.
pub type Tcn = Learned<TcnNet>;

use crate::scenario::{Family, ForecastMethod, Scenario};

/// Demand above this (req/s) is taken as this, and negative or NaN demand as 0:
/// a million times any validated trace, it keeps every running sum and trend of
/// the forecasters far from overflow.
const MAX_DEMAND: f64 = 1e12;

/// The demand a forecaster learns from: `demand` brought into `[0, MAX_DEMAND]`.
fn admit(demand: f64) -> f64 {
    if demand.is_nan() {
        0.0
    } else {
        demand.clamp(0.0, MAX_DEMAND)
    }
}

/// A demand forecaster. Object-safe, cloneable through [`Forecaster::clone_box`] (the
/// forensics replay cloned worlds), and deterministic.
pub trait Forecaster: Send {
    /// A short name for tables and the page ("moving average", ...).
    fn name(&self) -> &'static str;

    /// Feeds the demand (req/s) of the next step; steps come in order from step 0.
    fn observe(&mut self, demand: f64);

    /// Predicted demand for each of the next `h` steps after the last observed one
    /// (`out` is cleared first). Before any observation, an empty path. (A net
    /// predicts its own horizon; beyond it, its last step is repeated.)
    fn forecast_path(&self, h: usize, out: &mut Vec<f64>);

    /// The mean predicted demand over the next `h` steps (`None` before any
    /// observation). Finite and non-negative.
    fn forecast_mean(&self, h: usize) -> Option<f64> {
        let mut path = Vec::with_capacity(h);
        self.forecast_path(h.max(1), &mut path);
        (!path.is_empty()).then(|| path.iter().sum::<f64>() / path.len() as f64)
    }

    /// Learns from whole demand series (training traces of other seeds) before a
    /// run, all at once: [`Forecaster::fit_start`], then [`Forecaster::fit_more`]
    /// until done.
    fn fit(&mut self, series: &[Vec<f64>]) {
        self.fit_start(series);
        self.fit_more(usize::MAX);
    }

    /// Starts learning from whole demand series; the work is done by `fit_more`,
    /// in chunks, and its result does not depend on the chunking. The statistical
    /// forecasters learn nothing from other series and ignore it.
    fn fit_start(&mut self, _series: &[Vec<f64>]) {}

    /// Does at most `batches` units of the learning started by `fit_start` (a
    /// unit is one mini-batch of a learned forecaster: well under a millisecond at
    /// the default sizes) and tells how far it is. Until it is done the forecaster
    /// keeps its weights from before.
    fn fit_more(&mut self, _batches: usize) -> FitProgress {
        FitProgress::default()
    }

    /// What `fit` learnt, in one flat list (a learned net's weights and its
    /// optimiser's state, what `reset` returns to), for a build to ship so that
    /// a page need not pre-train ([`pretrained`] takes it back); `None` for a
    /// forecaster with nothing to ship. Native only: the page never ships one
    /// (every method of the trait is in the wasm's vtables).
    #[cfg(not(target_arch = "wasm32"))]
    fn fitted_state(&self) -> Option<Vec<f64>> {
        None
    }

    /// Forgets everything observed (what was learnt by `fit` stays).
    fn reset(&mut self);

    fn clone_box(&self) -> Box<dyn Forecaster>;
}

/// How far a forecaster's learning from training series is, in units of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FitProgress {
    pub done: usize,
    pub total: usize,
}

impl FitProgress {
    pub fn is_done(&self) -> bool {
        self.done >= self.total
    }
}

/// A forecaster shows its name: the trait asks no `Debug` of its
/// implementations, whose derived `Debug` would otherwise sit in every
/// forecaster's vtable in the page's wasm, used or not.
impl std::fmt::Debug for dyn Forecaster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Clone for Box<dyn Forecaster> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// Feeds `f` the steps of `history` it has not seen (`fed` counts those it has),
/// for a decision maker that reads its forecaster at every decision; a history
/// shorter than what was fed is a new run, and the forecaster starts over.
pub fn catch_up(f: &mut dyn Forecaster, fed: &mut usize, history: &[f64]) {
    if history.len() < *fed {
        f.reset();
        *fed = 0;
    }
    for &d in &history[*fed..] {
        f.observe(d);
    }
    *fed = history.len();
}

/// The forecast horizon in steps: the scenario's, or the boot delay in steps (at
/// least 1) when it is 0.
pub fn horizon_steps(s: &Scenario) -> usize {
    if s.forecast.horizon_steps > 0 {
        s.forecast.horizon_steps as usize
    } else {
        ((s.scaling.boot_delay_s / s.dt_s).ceil() as usize).max(1)
    }
}

/// The scenario's forecaster, fresh.
pub fn from_scenario(s: &Scenario) -> Box<dyn Forecaster> {
    match s.forecast.method {
        ForecastMethod::Naive => Box::new(Naive::default()),
        ForecastMethod::MovingAverage => Box::new(MovingAverage::new(s.forecast.window as usize)),
        ForecastMethod::Seasonal => Box::new(Seasonal::new(s)),
        ForecastMethod::Lstm => Box::new(Lstm::new(net_config(s))),
        ForecastMethod::Tcn => Box::new(Tcn::new(net_config(s))),
    }
}

/// The scenario's learned forecaster with the pre-trained state a build shipped
/// ([`Forecaster::fitted_state`]), as if `fit` had learnt it; `None` for a
/// forecaster that does not pre-train or a state of another shape.
pub fn pretrained(s: &Scenario, state: &[f64]) -> Option<Box<dyn Forecaster>> {
    match s.forecast.method {
        ForecastMethod::Lstm => Lstm::pretrained(net_config(s), state).map(|f| Box::new(f) as _),
        ForecastMethod::Tcn => Tcn::pretrained(net_config(s), state).map(|f| Box::new(f) as _),
        _ => None,
    }
}

/// The shape and training knobs of the scenario's learned forecaster, predicting
/// [`horizon_steps`] steps. The nets read the time of day on the workloads with
/// a day (diurnal, flash crowd, scheduled), whose training traces start at
/// midnight as the run does. Not on the bursty, constant and step families,
/// which have no time of day (on the bursty preset it cost the nets 2-3 % of
/// accuracy two steps ahead), nor on a replay, whose training traces are the
/// trace rotated by any offset: their steps' times of day are not the run's.
pub fn net_config(s: &Scenario) -> NetConfig {
    let f = &s.forecast;
    NetConfig {
        window: f.net_window as usize,
        horizon: horizon_steps(s),
        hidden: f.hidden_size as usize,
        epochs: f.epochs as usize,
        learning_rate: f.learning_rate,
        update_every: f.update_every as usize,
        seed: s.seed,
        period: match s.workload.family {
            Family::Diurnal | Family::FlashCrowd | Family::Scheduled => {
                ((86_400.0 / s.dt_s).round() as usize).max(1)
            }
            Family::Bursty | Family::Constant | Family::Step | Family::Replay => 0,
        },
    }
}
