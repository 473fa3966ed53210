//! The synthetic workload families, each deterministic from its seed.

use crate::math;
use crate::rng::{Rng, Stream};
use crate::scenario::Workload;

const DAY_S: f64 = 86_400.0;

/// Rectangular pulses `(start, end, factor)` placed at random over `[0, span)`:
/// a Poisson number with the given rate per day.
fn pulses(
    rng: &mut Rng,
    span: f64,
    per_day: f64,
    factor: impl Fn(&mut Rng) -> f64,
    length: impl Fn(&mut Rng) -> f64,
) -> Vec<(f64, f64, f64)> {
    let count = rng.poisson(per_day * span / DAY_S);
    (0..count)
        .map(|_| {
            let start = rng.range(0.0, span);
            let len = length(rng);
            (start, start + len, factor(rng))
        })
        .collect()
}

/// The mean over `[t0, t1)` of the largest pulse factor (1 outside every pulse).
fn pulse_factor(pulses: &[(f64, f64, f64)], t0: f64, t1: f64) -> f64 {
    if pulses.is_empty() {
        return 1.0;
    }
    // Pulses may overlap; the strongest one wins, measured on a fine grid of the step.
    const PARTS: usize = 8;
    let h = (t1 - t0) / PARTS as f64;
    let mut sum = 0.0;
    for k in 0..PARTS {
        let t = t0 + (k as f64 + 0.5) * h;
        let f =
            pulses.iter().filter(|(a, b, _)| *a <= t && t < *b).map(|p| p.2).fold(1.0, f64::max);
        sum += f;
    }
    sum / PARTS as f64
}

/// Daily sinusoid with multiplicative noise and random spikes; with `surges`, the
/// flash-crowd family's sudden 2-4x surges on top.
pub fn diurnal(w: &Workload, seed: u64, dt: f64, n: usize, surges: bool) -> Vec<f64> {
    let mut rng = Rng::new(seed, Stream::Demand, 0);
    let span = dt * n as f64;
    let mut events =
        pulses(&mut rng, span, w.spikes_per_day, |_| w.spike_height, |_| w.spike_duration_s);
    if surges {
        // Surges draw from their own stream, so that a flash crowd is exactly the
        // same seed's diurnal curve (same noise, same spikes) with surges on top.
        events.extend(pulses(
            &mut Rng::new(seed, Stream::Demand, 1),
            span,
            w.surges_per_day,
            |r| r.range(w.surge_min, w.surge_max),
            |r| r.range(w.surge_min_s, w.surge_max_s),
        ));
    }
    let phase = w.peak_hour / 24.0;
    (0..n)
        .map(|i| {
            let t0 = i as f64 * dt;
            let mid = t0 + 0.5 * dt;
            let daily =
                1.0 + w.amplitude * math::cos(std::f64::consts::TAU * (mid / DAY_S - phase));
            let noise = (1.0 + w.noise * rng.normal()).max(0.0);
            w.base_rps * daily * noise * pulse_factor(&events, t0, t0 + dt)
        })
        .collect()
}

/// A Markov-modulated rate: exponential dwell in each state, then a jump to a
/// uniformly chosen other state. A step's rate is the time-weighted mean.
pub fn mmpp(w: &Workload, seed: u64, dt: f64, n: usize) -> Vec<f64> {
    let mut rng = Rng::new(seed, Stream::Demand, 0);
    let k = w.mmpp_rates.len();
    let mut state = 0usize;
    let mut next_switch = rng.exponential(1.0 / w.mmpp_dwell_s[0]);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (t0, t1) = (i as f64 * dt, (i + 1) as f64 * dt);
        let mut t = t0;
        let mut acc = 0.0;
        while next_switch < t1 {
            acc += w.mmpp_rates[state] * (next_switch - t);
            t = next_switch;
            state = (state + 1 + rng.below(k as u64 - 1) as usize) % k;
            next_switch = t + rng.exponential(1.0 / w.mmpp_dwell_s[state]);
        }
        acc += w.mmpp_rates[state] * (t1 - t);
        out.push(acc / dt);
    }
    out
}

/// `base_rps` until `step_at_s`, then `step_to_rps`.
pub fn step(w: &Workload, dt: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| {
            let (t0, t1) = (i as f64 * dt, (i + 1) as f64 * dt);
            let after = ((t1 - w.step_at_s.max(t0)) / dt).clamp(0.0, 1.0);
            w.base_rps * (1.0 - after) + w.step_to_rps * after
        })
        .collect()
}
