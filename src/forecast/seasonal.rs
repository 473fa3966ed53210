//! Additive Holt-Winters with a damped trend and a daily season whose indices are
//! smoothed over neighbouring steps, and the sharp events that repeat carried
//! over unsmoothed from yesterday or last week ([`Repeats`]).

use super::moving_average::Window;
use super::repeats::{ratio, Repeats};
use super::{admit, Forecaster};
use crate::scenario::Scenario;

const DAY_S: f64 = 86_400.0;

// Smoothing constants, chosen on the default diurnal family (see the module docs).
const ALPHA: f64 = 0.2;
const BETA: f64 = 0.01;
const GAMMA: f64 = 0.2;
const PHI: f64 = 0.98;
/// Half-width of the centred window over which seasonal deviations are averaged.
const SMOOTH_HALF_S: f64 = 1800.0;

/// Level + damped trend + one additive index per step of the day.
#[derive(Clone)]
pub struct Seasonal {
    /// Steps in a day (at least 2).
    period: usize,
    /// Half-width of the seasonal smoothing window (steps), less than half a day.
    half: usize,
    /// Observations so far.
    seen: usize,
    level: f64,
    trend: f64,
    /// During the first day, the raw observations; afterwards, the seasonal index
    /// of each step of the day (indexed by step modulo `period`).
    season: Vec<f64>,
    /// The last `2·half + 1` deviations `y − level`, whose mean updates the index
    /// of the window's centre step.
    deviations: Window,
    /// Each step's demand against the smooth fit, the previous days' kept.
    repeats: Repeats,
}

impl Seasonal {
    pub fn new(s: &Scenario) -> Seasonal {
        let period = ((DAY_S / s.dt_s).round() as usize).max(2);
        let half = ((SMOOTH_HALF_S / s.dt_s) as usize).min((period - 1) / 2);
        Seasonal {
            period,
            half,
            seen: 0,
            level: 0.0,
            trend: 0.0,
            season: Vec::with_capacity(period),
            deviations: Window::new(2 * half + 1),
            repeats: Repeats::new(period),
        }
    }

    /// Steps in one season (a day).
    pub fn period(&self) -> usize {
        self.period
    }

    fn is_seasonal(&self) -> bool {
        self.seen >= self.period
    }

    /// One damped-Holt update of level and trend from a deseasonalised value.
    fn update_level_trend(&mut self, y: f64) {
        (self.level, self.trend) = level_trend((self.level, self.trend), y);
    }

    /// Turns the first day's observations into the initial state: the level is the
    /// day's mean, the trend flat (one day cannot tell a trend from the daily
    /// shape), and each index the centred mean deviation around its step, read
    /// around the clock.
    fn start_season(&mut self) {
        let m = self.period;
        let mean = self.season.iter().sum::<f64>() / m as f64;
        let raw: Vec<f64> = self.season.iter().map(|v| v - mean).collect();
        let mut window = Window::new(2 * self.half + 1);
        for j in 0..m + 2 * self.half {
            window.push(raw[(j + m - self.half) % m]);
            if let Some(centred) = window.full_mean() {
                self.season[j - 2 * self.half] = centred;
            }
        }
        self.level = mean;
        self.trend = 0.0;
        // The first day against the one-step fits the model would have made of
        // it with these indices, as every later day is measured: played through
        // a copy, level and trend moving, the indices kept.
        let mut probe = (mean, 0.0);
        let mut ratios = Vec::with_capacity(m);
        for (d, index) in raw.iter().zip(&self.season) {
            let y = d + mean;
            ratios.push(ratio(y, probe.0 + PHI * probe.1 + index));
            probe = level_trend(probe, y - index);
        }
        self.repeats.start_noise(&ratios);
    }

    /// The smooth model's forecast of the step `k` steps after the last one
    /// observed, its trend damped by `damping` (`Σ φ^j` up to `k`).
    fn smooth(&self, k: usize, damping: f64) -> f64 {
        let index =
            if self.is_seasonal() { self.season[(self.seen - 1 + k) % self.period] } else { 0.0 };
        self.level + damping * self.trend + index
    }

    /// Whether it forecasts the repeats now: the trace has shown that its
    /// events come back (see [`Repeats`]); otherwise it forecasts with the
    /// smooth model alone.
    pub fn trusts_repeats(&self) -> bool {
        self.is_seasonal() && self.repeats.trusted()
    }

    /// The claims of repeating events checked in this run: (hits, misses).
    pub fn repeat_claims(&self) -> (f64, f64) {
        self.repeats.claims_checked()
    }
}

/// Its state in brief: the days it keeps are no reading matter, and a derived
/// listing of them would be code the page carries for nothing.
impl std::fmt::Debug for Seasonal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seasonal")
            .field("seen", &self.seen)
            .field("level", &self.level)
            .field("trend", &self.trend)
            .finish()
    }
}

/// One damped-Holt update of `(level, trend)` from a deseasonalised value `y`.
fn level_trend((level, trend): (f64, f64), y: f64) -> (f64, f64) {
    let damped = PHI * trend;
    let next = ALPHA * y + (1.0 - ALPHA) * (level + damped);
    (next, BETA * (next - level) + (1.0 - BETA) * damped)
}

impl Forecaster for Seasonal {
    fn name(&self) -> &'static str {
        "seasonal"
    }

    fn observe(&mut self, demand: f64) {
        let y = admit(demand);
        if self.is_seasonal() {
            let index = self.season[self.seen % self.period];
            self.repeats.record(y, Some(self.level + PHI * self.trend + index));
            self.update_level_trend(y - index);
            self.deviations.push(y - self.level);
            if let Some(deviation) = self.deviations.full_mean() {
                // The centre of the window is `half` steps back: only the past is used.
                let c = (self.seen - self.half) % self.period;
                self.season[c] = GAMMA * deviation + (1.0 - GAMMA) * self.season[c];
            }
        } else {
            self.repeats.record(y, None);
            if self.seen == 0 {
                self.level = y;
            } else {
                self.update_level_trend(y);
            }
            self.season.push(y);
            if self.season.len() == self.period {
                self.start_season();
            }
        }
        self.seen += 1;
    }

    fn forecast_path(&self, h: usize, out: &mut Vec<f64>) {
        out.clear();
        if self.seen == 0 {
            return;
        }
        // Σ_{j=1..k} φ^j: the damped trend adds less and less, to at most φ/(1−φ) steps' worth.
        let mut damping = 0.0;
        let mut phi_k = 1.0;
        // A miss just observed keeps the repeat out of the run of steps at odds
        // that follows it: the event it expected did not come.
        let trusted = self.trusts_repeats();
        let mut silenced = self.repeats.silenced();
        for k in 1..=h {
            phi_k *= PHI;
            damping += phi_k;
            let smooth = self.smooth(k, damping).max(0.0);
            let Some((repeat, odds)) =
                trusted.then(|| self.repeats.forecast(self.seen - 1 + k, smooth)).flatten()
            else {
                out.push(smooth);
                continue;
            };
            silenced &= odds;
            out.push(if silenced { smooth } else { repeat });
        }
    }

    /// Learns from the training traces whether their sharp events repeat: the
    /// claims each makes of itself, played through a copy of this forecaster,
    /// become the prior of [`Repeats`]. One pass over each series, at once (a
    /// few milliseconds at a month of one-minute steps): nothing is left for
    /// [`Forecaster::fit_more`].
    fn fit_start(&mut self, series: &[Vec<f64>]) {
        let (mut hits, mut misses) = (0.0, 0.0);
        for one in series {
            let mut probe = self.clone();
            probe.reset();
            for &d in one {
                probe.observe(d);
            }
            let (h, m) = probe.repeats.claims_checked();
            hits += h;
            misses += m;
        }
        self.repeats.learn(hits, misses);
    }

    fn reset(&mut self) {
        self.seen = 0;
        self.level = 0.0;
        self.trend = 0.0;
        self.season.clear();
        self.deviations.clear();
        self.repeats.reset();
    }

    fn clone_box(&self) -> Box<dyn Forecaster> {
        Box::new(self.clone())
    }
}
