//! Response times of mixed populations: the fluid physics scores a step's
//! completions as weighted parts, each a closed-form law with a floor on the wait
//! (requests queued behind a backlog), and needs the mixture's tail and quantiles.

use super::closed_form::{truncated_first_moment, waited_or_not, Response, NEAR_SATURATION};
use crate::math::exp;

/// The quantiles of a single law are those of a one-part mixture: one search
/// for both, kept here so that the closed forms do not depend on the mixtures.
impl Response {
    /// The `p`-quantile of the response time (`0 < p < 1`).
    pub fn percentile(&self, p: f64) -> f64 {
        percentile_of(&[Part::new(1.0, *self, 0.0)], p)
    }

    /// The `p`-quantile, known to be at least `below` (> 0): the search starts
    /// there, bracketed by it and twice it (checked, with the full search as the
    /// fallback), so a quantile close to `below` costs a few Newton steps.
    pub fn percentile_from(&self, p: f64, below: f64) -> f64 {
        percentile_in(&[Part::new(1.0, *self, 0.0)], p, below, 2.0 * below, below * (1.0 + 1e-3))
    }
}

/// A share of requests whose wait is that of `law` but at least `min_wait` (the
/// fluid physics' backlog: a request queued behind earlier arrivals waits at least
/// until they have started), with the law's service time on top:
/// `T = max(W, min_wait) + S`. With `min_wait = 0` it is `law` itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Part {
    pub weight: f64,
    law: Response,
    min_wait: f64,
    /// For `t ≥ min_wait`, `P(T > t) = P(W + S > t) + lift·e^{−μ(t − min_wait)}`:
    /// the requests that would have waited less than `min_wait` and now start at it.
    lift: f64,
}

impl Part {
    pub fn new(weight: f64, law: Response, min_wait: f64) -> Part {
        let min_wait = min_wait.max(0.0);
        let lift = if min_wait > 0.0 {
            let (c, mu, th, d) = (law.c_wait, law.mu, law.theta, law.max_wait);
            let e_dd = if d.is_infinite() { 0.0 } else { exp(-th * d) };
            let z = 1.0 - c * e_dd;
            // P(W ≤ m), less the part of P(W + S > t) with W ≤ m (which is the
            // same multiple of e^{−μ(t − m)} for every t ≥ m).
            let below = (1.0 - c * exp(-th * min_wait)) / z;
            let passed = ((1.0 - c) * exp(-mu * min_wait) + c * th * law.g(min_wait)) / z;
            below - passed
        } else {
            0.0
        };
        Part { weight, law, min_wait, lift }
    }

    pub fn law(&self) -> &Response {
        &self.law
    }

    pub fn min_wait(&self) -> f64 {
        self.min_wait
    }

    /// `P(T > t)` and the density of `T` at `t`, given the law's own at `t`.
    fn tail_and_density_from(&self, t: f64, law_at_t: (f64, f64)) -> (f64, f64) {
        if self.min_wait <= 0.0 {
            return law_at_t;
        }
        if t < self.min_wait {
            return (1.0, 0.0);
        }
        let mu = self.law.mu;
        let lifted = self.lift * exp(-mu * (t - self.min_wait));
        ((law_at_t.0 + lifted).clamp(0.0, 1.0), (law_at_t.1 + mu * lifted).max(0.0))
    }

    pub fn mean_response(&self) -> f64 {
        let l = &self.law;
        let floor = self.min_wait;
        if floor <= 0.0 {
            return l.mean_response();
        }
        let (c, th, d) = (l.c_wait, l.theta, l.max_wait);
        if th * d < NEAR_SATURATION {
            // Stable forms near saturation (see `NEAR_SATURATION`); the floor is
            // at most `d` in the fluid physics.
            let floor = floor.min(d);
            let z = waited_or_not(c, th * d);
            let cdf = waited_or_not(c, th * floor) / z;
            return floor * cdf + c * truncated_first_moment(th, floor, d) / z + 1.0 / l.mu;
        }
        let e_dd = if d.is_infinite() { 0.0 } else { exp(-th * d) };
        let z = 1.0 - c * e_dd;
        let cdf = (1.0 - c * exp(-th * floor)) / z;
        let above = c
            * ((floor + 1.0 / th) * exp(-th * floor)
                - if d.is_infinite() { 0.0 } else { (d + 1.0 / th) * e_dd })
            / z;
        floor * cdf + above + 1.0 / l.mu
    }
}

/// The `p`-quantile of a mixture of response-time distributions with the given
/// weights, by Newton's method kept inside a bracket (bisection when it strays).
pub fn percentile_of(parts: &[Part], p: f64) -> f64 {
    let target = 1.0 - p;
    // Bracket: the slowest exponential rate bounds the tail from above.
    let slowest =
        parts.iter().map(|part| part.law.mu.min(part.law.theta)).fold(f64::INFINITY, f64::min);
    let longest = parts.iter().map(|part| part.min_wait).fold(0.0, f64::max);
    let mut lo = 0.0;
    let mut hi = longest + (1.0 / slowest) * (-crate::math::ln(target) + 2.0);
    // Near saturation the wait's rate θ bounds nothing: a wait truncated at `d`
    // leaves the service's tail past it (the bracket of `1/θ`, 1e10 s, lost the
    // root in the search's 100 steps).
    let near = parts.iter().any(|p| p.law.theta * p.law.max_wait < NEAR_SATURATION);
    if near && parts.iter().all(|p| p.law.max_wait.is_finite()) {
        let d = parts.iter().map(|p| p.law.max_wait).fold(0.0, f64::max);
        let mu = parts.iter().map(|p| p.law.mu).fold(f64::INFINITY, f64::min);
        hi = hi.min(longest + d + (1.0 / mu) * (-crate::math::ln(target) + 2.0));
    }
    let mut guard = 0;
    while mixture_tail(parts, hi).0 > target && guard < 200 {
        lo = hi;
        hi *= 2.0;
        guard += 1;
    }
    percentile_in(parts, p, lo, hi, 0.5 * (lo + hi))
}

/// The mixture's tail `P(T > t)` and density at `t`. Neighbouring parts often
/// share a law (one fluid sub-step's), which is then evaluated once.
pub fn mixture_tail(parts: &[Part], t: f64) -> (f64, f64) {
    let (mut total, mut s, mut f) = (0.0, 0.0, 0.0);
    let mut last: Option<(&Response, (f64, f64))> = None;
    for part in parts {
        let law_at_t = match last {
            Some((law, v)) if *law == part.law => v,
            _ => {
                let v = part.law.tail_and_density(t);
                last = Some((&part.law, v));
                v
            }
        };
        let (si, fi) = part.tail_and_density_from(t, law_at_t);
        total += part.weight;
        s += part.weight * si;
        f += part.weight * fi;
    }
    (s / total, f / total)
}

/// The `p`-quantile of a mixture expected to lie in `[lo, hi]`, by Newton's method
/// from `guess`, kept inside the bracket (bisection when it strays). Converges to a
/// relative 1e-10, far below any difference a p95 is compared at. An end of the
/// bracket that no iterate confirmed is checked at the end; if the quantile lies
/// outside after all, the full search of [`percentile_of`] decides.
pub fn percentile_in(parts: &[Part], p: f64, lo: f64, hi: f64, guess: f64) -> f64 {
    let target = 1.0 - p;
    let (mut lo, mut hi) = (lo, hi);
    let (mut lo_seen, mut hi_seen) = (false, false);
    let mut t = if guess > lo && guess < hi { guess } else { 0.5 * (lo + hi) };
    let mut found = f64::NAN;
    for _ in 0..100 {
        let (tail, dens) = mixture_tail(parts, t);
        let h = tail - target;
        if h.abs() <= 1e-15 {
            return t;
        }
        if h > 0.0 {
            lo = t;
            lo_seen = true;
        } else {
            hi = t;
            hi_seen = true;
        }
        let newton = t + h / dens;
        let inside = dens > 0.0 && newton > lo && newton < hi;
        if hi - lo <= 1e-13 * hi || (inside && (newton - t).abs() <= 1e-10 * t) {
            found = if inside { newton } else { 0.5 * (lo + hi) };
            break;
        }
        t = if inside { newton } else { 0.5 * (lo + hi) };
    }
    if found.is_nan() {
        found = 0.5 * (lo + hi);
    }
    let lo_holds = lo_seen || lo <= 0.0 || mixture_tail(parts, lo).0 >= target;
    let hi_holds = hi_seen || mixture_tail(parts, hi).0 <= target;
    if lo_holds && hi_holds {
        found
    } else {
        percentile_of(parts, p)
    }
}

/// `ln 20`: the p95 of an exponential of rate 1.
const LN_20: f64 = 2.995_732_273_553_991;

impl Part {
    /// Bounds on this part's p95 from the p95 `law_p95` of its law without a floor:
    /// `T = max(W, m) + S` lies between `W + S` and `m + S` from below and
    /// `W + S + m` from above.
    pub fn p95_bounds(&self, law_p95: f64) -> (f64, f64) {
        if self.min_wait <= 0.0 {
            return (law_p95, law_p95);
        }
        (law_p95.max(self.min_wait + LN_20 / self.law.mu), law_p95 + self.min_wait)
    }
}
