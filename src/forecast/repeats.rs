//! What repeats: the demand of the last days (or weeks), kept step by step, so
//! that the seasonal forecaster can carry a sharp event of yesterday into today
//! unsmoothed, and the evidence of whether this trace's events come back.
//!
//! - The **reference** of a step is the demand at the same time on each of the
//!   last three days seen (of the last three weeks, once a week is seen): the
//!   one, the mean of two, the median of three. Across days, not across the
//!   steps of one: an event a few minutes long keeps its shape, and a lone
//!   noisy day or a random spike is outvoted once there are three.
//! - The **repeat** forecast of a step is its reference times the current
//!   **scale**: today's level against those days' (a weekend's lull included),
//!   the median of the demand against the references over the last five blocks
//!   of six steps.
//! - The repeat and the smooth model's forecast of a step are **at odds** when
//!   their ratio is further from 1 than [`KAPPA`] times the trace's noise (the
//!   spread of the demand around the repeat, estimated from the running first
//!   quartile of `|y / repeat − 1|`), and than [`MIN_SHARP`]: around an event
//!   the smoothing rounds off (a surge's foot and shoulder, a burst of a few
//!   minutes, a random spike of yesterday's), not where they differ by noise.
//! - Each observed step at which they were at odds is a **claim**: a hit when
//!   the repeat was nearer the demand, a miss when the smooth forecast was. A
//!   miss silences the repeat for the rest of that run of steps at odds: the
//!   event did not come today.
//! - The repeats are **trusted** once they have won [`MIN_HITS`] claims and at
//!   least as many as they lost, with the prior learnt from training traces
//!   (the claims of a copy of the forecaster played through each). While
//!   trusted, every step is forecast by the repeat (but a silenced one);
//!   otherwise by the smooth model alone, exactly as before there were repeats.
//!   On the diurnal, flash-crowd and bursty families and the looped real traces
//!   the events are random spikes, surges and switches, which miss; on the
//!   scheduled family they hit.

/// How far apart the two forecasts are at odds, in the trace's noise (the
/// standard deviation of `y / repeat`, estimated from the running first quartile
/// of `|y / repeat − 1|`, which is 0.319 σ for Gaussian noise and which the
/// events, a minority of the steps and all far from 1, hardly move). At 5 %
/// noise (the repeat's own error included, about 5.6 %) 17 %.
const KAPPA: f64 = 3.0;
/// The first quartile of `|N(0, 1)|`.
const QUARTILE_SIGMAS: f64 = 0.319;
/// Forecasts nearer than this are never at odds, however smooth the trace.
const MIN_SHARP: f64 = 0.05;
/// The running quartile moves by at most this fraction a step.
const QUARTILE_STEP: f64 = 0.02;
/// The scale's blocks: 5 of 6 steps, half an hour at one-minute steps.
const SCALE_BLOCK: usize = 6;
const SCALE_BLOCKS: usize = 5;
/// Past days (or weeks) whose demand at the same time is the reference's.
const REFERENCES: usize = 3;
/// Keeps a ratio finite over an empty fit (req/s).
const EPSILON: f64 = 1e-3;
/// Largest ratio kept.
const MAX_RATIO: f64 = 1e3;
/// Most steps kept: three weeks at one-minute steps and more; three days when
/// three weeks of steps are more than this, a day when three days are.
const MAX_KEPT: usize = 32_768;
/// Claims the repeat must have won before it is used: two bursts of a few
/// minutes, a surge's foot and shoulder.
const MIN_HITS: f64 = 10.0;
/// Claims the prior from training traces weighs at most: less than a day of a
/// scheduled trace's events, so that the run's own evidence soon outweighs it.
const PRIOR_WEIGHT: f64 = 100.0;

/// The ratio of a demand to its fit.
pub(super) fn ratio(y: f64, fit: f64) -> f64 {
    let q = (y + EPSILON) / (fit.max(0.0) + EPSILON);
    if q.is_finite() {
        q.min(MAX_RATIO)
    } else {
        1.0
    }
}

/// The median of one to three values: the one, the mean of two, the middle of
/// three.
fn median(v: &[f64]) -> f64 {
    match *v {
        [a] => a,
        [a, b] => 0.5 * (a + b),
        [a, b, c] => a.min(b).max(a.max(b).min(c)),
        _ => 1.0,
    }
}

/// Today's level against the references': the median of the ratios of the
/// demand's sum to the references' over the last [`SCALE_BLOCKS`] blocks of
/// [`SCALE_BLOCK`] steps (an event a step early or late today moves a block or
/// two, which the median leaves out), computed once a block.
#[derive(Clone)]
struct Scale {
    /// The current block's sums of demand and of references, and its steps.
    demand: f64,
    reference: f64,
    steps: usize,
    /// The last blocks' ratios (a ring: the next one replaces the oldest, at
    /// `next`), and how many there are.
    blocks: [f64; SCALE_BLOCKS],
    len: usize,
    next: usize,
    /// Their median, 1 before the first block ends.
    value: f64,
}

impl Scale {
    fn new() -> Scale {
        Scale {
            demand: 0.0,
            reference: 0.0,
            steps: 0,
            blocks: [1.0; SCALE_BLOCKS],
            len: 0,
            next: 0,
            value: 1.0,
        }
    }

    fn push(&mut self, y: f64, reference: f64) {
        self.demand += y;
        self.reference += reference;
        self.steps += 1;
        if self.steps < SCALE_BLOCK {
            return;
        }
        self.blocks[self.next] = ratio(self.demand, self.reference);
        self.next = (self.next + 1) % SCALE_BLOCKS;
        self.len = (self.len + 1).min(SCALE_BLOCKS);
        (self.demand, self.reference, self.steps) = (0.0, 0.0, 0);
        let mut sorted = self.blocks;
        crate::math::sort_small_by_key(&mut sorted[..self.len], |x| x.to_bits());
        self.value = match self.len {
            n if n % 2 == 1 => sorted[n / 2],
            n => 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]),
        };
    }

    fn get(&self) -> f64 {
        self.value
    }
}

#[derive(Clone)]
pub(super) struct Repeats {
    /// Steps in a day.
    period: usize,
    /// Steps kept: three weeks, three days or a day (see [`MAX_KEPT`]).
    kept: usize,
    /// Step `s`'s demand, at `s & mask`: a ring of a power of two at least `kept`.
    steps: Vec<f64>,
    mask: usize,
    /// Steps recorded: `0..recorded`.
    recorded: usize,
    /// The running first quartile of `|y / repeat − 1|`.
    quartile: f64,
    /// Today's level against the references'.
    scale: Scale,
    hits: f64,
    misses: f64,
    /// (hits, misses) learnt from training traces, at most [`PRIOR_WEIGHT`] together.
    prior: (f64, f64),
    /// The last step observed was a miss: the steps at odds that follow it take
    /// no repeat.
    quiet: bool,
}

impl Repeats {
    pub(super) fn new(period: usize) -> Repeats {
        let kept = [7 * REFERENCES * period, REFERENCES * period, period]
            .into_iter()
            .find(|&k| k <= MAX_KEPT)
            .unwrap_or(period);
        Repeats {
            period,
            kept,
            steps: Vec::new(),
            mask: kept.next_power_of_two() - 1,
            recorded: 0,
            quartile: 0.0,
            scale: Scale::new(),
            hits: 0.0,
            misses: 0.0,
            prior: (0.0, 0.0),
            quiet: false,
        }
    }

    /// Forgets the run (the prior stays).
    pub(super) fn reset(&mut self) {
        self.steps.clear();
        self.recorded = 0;
        self.quartile = 0.0;
        self.scale = Scale::new();
        self.hits = 0.0;
        self.misses = 0.0;
        self.quiet = false;
    }

    /// Step `s`'s demand, if it is still kept.
    fn at(&self, s: usize) -> Option<f64> {
        (s < self.recorded && s + self.kept >= self.recorded).then(|| self.steps[s & self.mask])
    }

    /// The demand of `step`'s reference: at the same time on each of the last
    /// [`REFERENCES`] days kept (of the last weeks, once a week is kept), their
    /// median (the mean of two, the one alone); `None` before a day is seen.
    fn reference_demand(&self, step: usize) -> Option<f64> {
        let week = 7 * self.period;
        let lag = if step >= week && self.at(step - week).is_some() { week } else { self.period };
        let mut found = [0.0; REFERENCES];
        let mut n = 0;
        for back in 1..=REFERENCES {
            if let Some(y) = step.checked_sub(back * lag).and_then(|s| self.at(s)) {
                found[n] = y;
                n += 1;
            }
        }
        (n > 0).then(|| median(&found[..n]))
    }

    /// The repeat forecast of `step`, when it has a reference.
    fn repeat(&self, step: usize) -> Option<f64> {
        self.reference_demand(step).map(|r| self.scale.get() * r)
    }

    /// The trace's noise, as the relative spread of the demand around the repeat.
    fn noise(&self) -> f64 {
        (KAPPA * self.quartile / QUARTILE_SIGMAS).max(MIN_SHARP)
    }

    /// The repeat forecast of `step`, when it has a reference, and whether it is
    /// at odds with the smooth forecast `smooth`.
    pub(super) fn forecast(&self, step: usize, smooth: f64) -> Option<(f64, bool)> {
        let repeat = self.repeat(step)?;
        Some((repeat, self.at_odds(repeat, smooth)))
    }

    fn at_odds(&self, repeat: f64, smooth: f64) -> bool {
        (ratio(repeat, smooth) - 1.0).abs() > self.noise()
    }

    /// Takes the first quartile of the distances from 1 of `ratios` (a day's
    /// demand against the fit the smooth model would have made of it) as the
    /// noise to start from.
    pub(super) fn start_noise(&mut self, ratios: &[f64]) {
        // Every k-th step, at most 144 of them (every 10 minutes of a day of
        // one-minute steps): a start, which the running quartile then refines,
        // sorted in a few thousand moves (every minute took a sixth of training).
        let k = ratios.len().div_ceil(144).max(1);
        let mut d = Vec::with_capacity(145);
        let mut i = 0;
        while i < ratios.len() {
            d.push((ratios[i] - 1.0).abs());
            i += k;
        }
        crate::math::sort_small_by_key(&mut d, |v| v.to_bits());
        self.quartile = d.get(d.len() / 4).copied().unwrap_or(0.0);
    }

    /// Records the next step's demand `y`, with the smooth model's one-step
    /// forecast of it once it has a season (`fit`): first the claim, when the
    /// two forecasts of it were at odds, then the noise, the scale and the demand.
    pub(super) fn record(&mut self, y: f64, fit: Option<f64>) {
        let step = self.recorded;
        let reference = self.reference_demand(step);
        if let (Some(fit), Some(reference)) = (fit, reference) {
            let repeat = self.scale.get() * reference;
            let odds = self.at_odds(repeat, fit);
            self.quiet = odds && (y - repeat).abs() >= (y - fit).abs();
            if odds {
                if self.quiet {
                    self.misses += 1.0;
                } else {
                    self.hits += 1.0;
                }
            }
            // Up by a quarter of the step, down by three quarters: at rest a
            // quarter of the distances lie below.
            let d = (ratio(y, repeat) - 1.0).abs();
            self.quartile = if d > self.quartile {
                (self.quartile * (1.0 + 0.25 * QUARTILE_STEP)).max(QUARTILE_STEP * d)
            } else {
                self.quartile * (1.0 - 0.75 * QUARTILE_STEP)
            };
        }
        if let Some(r) = reference {
            self.scale.push(y, r);
        }
        if self.steps.len() <= self.mask {
            self.steps.push(y);
        } else {
            self.steps[step & self.mask] = y;
        }
        self.recorded += 1;
    }

    /// Whether the repeat has won at least [`MIN_HITS`] claims, and at least as
    /// many as it lost (the prior's included): a trace must show that its events
    /// come back before they are forecast.
    pub(super) fn trusted(&self) -> bool {
        let (hits, misses) = (self.hits + self.prior.0, self.misses + self.prior.1);
        hits >= MIN_HITS && hits >= misses
    }

    /// Whether the last step observed was a miss: the steps at odds right after
    /// it take the smooth forecast.
    pub(super) fn silenced(&self) -> bool {
        self.quiet
    }

    /// The claims checked so far in this run: (hits, misses).
    pub(super) fn claims_checked(&self) -> (f64, f64) {
        (self.hits, self.misses)
    }

    /// Takes the claims of training traces as the prior, scaled to at most
    /// [`PRIOR_WEIGHT`] claims.
    pub(super) fn learn(&mut self, hits: f64, misses: f64) {
        let total = hits + misses;
        let scale = if total > PRIOR_WEIGHT { PRIOR_WEIGHT / total } else { 1.0 };
        self.prior = (hits * scale, misses * scale);
    }
}
