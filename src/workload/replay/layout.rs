//! Laying a trace out on a run's steps: stretched in time, scaled in rate
//! (a request log by copying and thinning its requests from the seed), spread
//! within its ticks, and repeated or followed by zero demand.

use super::{ReplayData, RequestRow, Ticks, MAX_REQUESTS};
use crate::error::Error;
use crate::rng::{Rng, Stream};
use crate::scenario::{Replay, Spread};
use crate::workload::Requests;

impl ReplayData {
    /// Lays the trace out on `n` steps of `dt`: stretched in time, scaled in rate
    /// (request-level logs by thinning and copying requests, from the seed), and
    /// repeated or followed by zero demand.
    pub fn lay_out(
        &self,
        cfg: &Replay,
        seed: u64,
        dt: f64,
        n: usize,
    ) -> crate::error::Result<(Vec<f64>, Option<Requests>)> {
        match self {
            ReplayData::Counts { counts, .. } if counts.is_empty() => {
                Err(Error::ReplayFile("the replay holds no intervals".into()))
            }
            ReplayData::Counts { interval_s, .. }
                if !(*interval_s > 0.0 && interval_s.is_finite()) =>
            {
                Err(Error::ReplayFile(format!(
                    "the replay's interval is {interval_s} s; it must be positive"
                )))
            }
            ReplayData::Counts { counts, interval_s } => {
                Ok((lay_out_counts(counts, *interval_s, cfg, dt, n), None))
            }
            ReplayData::Requests(rows) => {
                let req = lay_out_requests(rows, cfg, seed).map_err(Error::ReplayFile)?;
                let rates = req.counts_in_parts(dt, n).into_iter().map(|c| c as f64 / dt).collect();
                Ok((rates, Some(req)))
            }
        }
    }
}

/// One mean gap between requests (s), the time a pass of a log lasts beyond its
/// last request, so that a repeat has no seam; a second when the log has no length.
pub(super) fn tail_gap_s(rows: &[RequestRow]) -> f64 {
    match (rows.first(), rows.last()) {
        (Some(first), Some(last)) if last.time_ns > first.time_ns => {
            (last.time_ns - first.time_ns) as f64 * 1e-9 / (rows.len() - 1) as f64
        }
        _ => 1.0,
    }
}

fn lay_out_requests(rows: &[RequestRow], cfg: &Replay, seed: u64) -> Result<Requests, String> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Err("the replay holds no requests".into());
    };
    let origin = first.time_ns;
    let span = (last.time_ns - origin) as f64 * 1e-9;
    let gap = tail_gap_s(rows);
    let period = ((span + gap) * cfg.time_stretch).max(1e-3);
    let whole = cfg.rate_scale.floor();
    let frac = cfg.rate_scale - whole;
    let expected = rows.len() as f64 * cfg.rate_scale;
    if expected > MAX_REQUESTS as f64 * 0.9 {
        return Err(format!(
            "workload.replay.rate_scale = {} would make about {} requests per pass; at most {} are accepted",
            cfg.rate_scale, expected as u64, MAX_REQUESTS
        ));
    }
    let mut rng = Rng::new(seed, Stream::Replay, 0);
    let tokens = rows.iter().all(|r| r.generated_tokens.is_some());
    let mut times = Vec::with_capacity(expected.ceil() as usize + 1);
    let mut generated = Vec::new();
    for r in rows {
        let copies = whole as usize + usize::from(frac > 0.0 && rng.uniform() < frac);
        let t = (r.time_ns - origin) as f64 * 1e-9 * cfg.time_stretch;
        for _ in 0..copies {
            times.push(t);
            if tokens {
                generated.push(r.generated_tokens.unwrap_or(0));
            }
        }
        if times.len() > MAX_REQUESTS {
            return Err(format!(
                "the replay would hold more than {MAX_REQUESTS} requests per pass"
            ));
        }
    }
    if cfg.spread != Spread::None {
        let tick = Ticks::of(rows).quantised_ns.map(|t| t as f64 * 1e-9 * cfg.time_stretch);
        spread(&mut times, period, tick, cfg.spread, seed);
    }
    Ok(Requests {
        times,
        generated_tokens: tokens.then_some(generated),
        period,
        repeat: cfg.repeat,
    })
}

/// Spreads each group of requests at one instant (a quantised tick's, or a
/// request's copies) over the time to the next instant, at most `tick`: evenly
/// (the first keeps its time) or at uniform offsets from the seed. A request
/// alone at its instant keeps it. The times stay sorted and within the period.
fn spread(times: &mut [f64], period: f64, tick: Option<f64>, how: Spread, seed: u64) {
    let mut rng = Rng::new(seed, Stream::Replay, 1);
    let mut i = 0;
    while i < times.len() {
        let t = times[i];
        let k = times[i..].iter().take_while(|&&x| x == t).count();
        if k > 1 {
            let next = times.get(i + k).copied().unwrap_or(period);
            let width = tick.map_or(next - t, |w| w.min(next - t));
            let group = &mut times[i..i + k];
            match how {
                Spread::Random => {
                    // k sorted uniform offsets without a sort: the partial sums
                    // of k + 1 exponential gaps, over their total.
                    let mut sum = 0.0;
                    for x in group.iter_mut() {
                        sum += rng.exponential(1.0);
                        *x = sum;
                    }
                    let total = sum + rng.exponential(1.0);
                    for x in group.iter_mut() {
                        *x = t + width * (*x / total);
                    }
                }
                _ => {
                    for (j, x) in group.iter_mut().enumerate() {
                        *x = t + width * j as f64 / k as f64;
                    }
                }
            }
        }
        i += k;
    }
}

fn lay_out_counts(counts: &[f64], interval_s: f64, cfg: &Replay, dt: f64, n: usize) -> Vec<f64> {
    let width = interval_s * cfg.time_stretch;
    let period = width * counts.len() as f64;
    // Integral of the piecewise-constant rate over [0, t) within one pass.
    let mut prefix = Vec::with_capacity(counts.len() + 1);
    prefix.push(0.0);
    for c in counts {
        prefix.push(prefix[prefix.len() - 1] + c * cfg.rate_scale);
    }
    let within = |t: f64| -> f64 {
        let x = t / width;
        let i = (x.floor() as usize).min(counts.len());
        let part = if i < counts.len() { (x - i as f64) * counts[i] * cfg.rate_scale } else { 0.0 };
        prefix[i] + part
    };
    let cumulative = |t: f64| -> f64 {
        let passes = (t / period).floor();
        if !cfg.repeat && passes >= 1.0 {
            return prefix[counts.len()];
        }
        passes * prefix[counts.len()] + within(t - passes * period)
    };
    (0..n)
        .map(|i| ((cumulative((i + 1) as f64 * dt) - cumulative(i as f64 * dt)) / dt).max(0.0))
        .collect()
}
