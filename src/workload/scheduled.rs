//! The scheduled family: a working day whose events come at the same time every
//! day, so that a forecaster that remembers yesterday can see them coming. Only
//! the per-step noise is random (from the seed); the events are not.
//!
//! The day, in the scenario's `workload.scheduled` knobs (times of day from
//! midnight; the run starts on a Monday at midnight):
//! - the **night** rate `night_rps` until `surge_at_h`, then the **morning surge**:
//!   a linear ramp over `surge_ramp_s` to the **day** rate `day_rps`;
//! - the **lunch dip**: from `lunch_at_h` the rate ramps down over `lunch_ramp_s`
//!   to `lunch_dip` of what it would be, holds there `lunch_s`, and ramps back up
//!   over `lunch_ramp_s`;
//! - the **evening decline** from `evening_at_h`: a linear ramp over `evening_s`
//!   from the day rate back to the night rate (a decline that would run past
//!   midnight ends there);
//! - the **weekend**: on days 6 and 7 of every week, all of that times `weekend`;
//! - the **hourly batch burst**: `batch_rps` more for `batch_s` from `batch_at_min`
//!   past every hour, every day (a batch job's load does not follow the users');
//! - **noise**: each step's rate times `1 + noise·z`, `z` standard normal (at
//!   least 0), as the diurnal family's.
//!
//! A step's rate is the mean over the step: the users' part by the midpoint rule
//! on parts of at most 10 s (exact for the ramps, whose ends fall on such parts
//! when the times are whole minutes), the batch burst by its exact overlap.

use crate::rng::{Rng, Stream};
use crate::scenario::Scheduled;

const DAY_S: f64 = 86_400.0;
const HOUR_S: f64 = 3_600.0;
/// The longest part of a step the users' rate is sampled at.
const PART_S: f64 = 10.0;
/// At most this many parts a step (60 at one-hour steps: one a minute).
const MAX_PARTS: usize = 60;

/// `clamp((t − start) / len, 0, 1)`: a ramp from 0 to 1, a step when `len` is 0.
fn ramp(t: f64, start: f64, len: f64) -> f64 {
    if len > 0.0 {
        ((t - start) / len).clamp(0.0, 1.0)
    } else if t >= start {
        1.0
    } else {
        0.0
    }
}

/// Whether day `day` (0 from the start of the run) is a weekend day: the 6th or
/// 7th of its week.
pub fn is_weekend(day: u64) -> bool {
    day % 7 >= 5
}

/// The users' rate (req/s) at `t` seconds into the run, without the batch burst
/// and the noise.
pub fn users_rate(w: &Scheduled, t: f64) -> f64 {
    let day = (t / DAY_S).floor();
    let at = t - day * DAY_S;
    let up = ramp(at, w.surge_at_h * HOUR_S, w.surge_ramp_s);
    let down = 1.0 - ramp(at, w.evening_at_h * HOUR_S, w.evening_s);
    let working = up.min(down);
    let lunch_at = w.lunch_at_h * HOUR_S;
    let into_lunch = ramp(at, lunch_at, w.lunch_ramp_s)
        - ramp(at, lunch_at + w.lunch_ramp_s + w.lunch_s, w.lunch_ramp_s);
    let lunch = 1.0 - (1.0 - w.lunch_dip) * into_lunch;
    let week = if is_weekend(day.max(0.0) as u64) { w.weekend } else { 1.0 };
    (w.night_rps + (w.day_rps - w.night_rps) * working) * lunch * week
}

/// Seconds of batch burst in `[0, t)`: whole hours' bursts, then the part of
/// this hour's.
fn batch_time_before(w: &Scheduled, t: f64) -> f64 {
    let len = w.batch_s.min(HOUR_S);
    let from = t - w.batch_at_min * 60.0;
    let hours = (from / HOUR_S).floor();
    hours * len + (from - hours * HOUR_S).min(len)
}

/// The mean batch burst over `[t0, t1)` (req/s).
pub fn batch_rate(w: &Scheduled, t0: f64, t1: f64) -> f64 {
    if w.batch_rps <= 0.0 || t1 <= t0 {
        return 0.0;
    }
    w.batch_rps * (batch_time_before(w, t1) - batch_time_before(w, t0)) / (t1 - t0)
}

/// The noise-free mean rate of the step `[t0, t0 + dt)`.
pub fn step_rate(w: &Scheduled, t0: f64, dt: f64) -> f64 {
    let parts = ((dt / PART_S).ceil() as usize).clamp(1, MAX_PARTS);
    let h = dt / parts as f64;
    let users =
        (0..parts).map(|k| users_rate(w, t0 + (k as f64 + 0.5) * h)).sum::<f64>() / parts as f64;
    users + batch_rate(w, t0, t0 + dt)
}

/// `n` steps of `dt` seconds of the scheduled day with multiplicative noise.
pub fn scheduled(w: &Scheduled, noise: f64, seed: u64, dt: f64, n: usize) -> Vec<f64> {
    let mut rng = Rng::new(seed, Stream::Demand, 0);
    (0..n)
        .map(|i| {
            let rate = step_rate(w, i as f64 * dt, dt);
            let factor = (1.0 + noise * rng.normal()).max(0.0);
            rate * factor
        })
        .collect()
}
