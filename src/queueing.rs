//! M/M/c queueing: Erlang B and C by the stable recursion, waiting and response
//! times, the response-time tail and its percentiles, and the stationary mean number
//! in system with its inverse (used by the fluid physics).
//!
//! Notation: `c` servers of rate `mu`, arrival rate `lambda`, offered load
//! `a = lambda / mu`, utilisation `rho = a / c`, `theta = c·mu − lambda`.

use crate::math::{exp, one_minus_exp_over};

/// Erlang B and its derivative in `a`, by `B_0 = 1, B_k = a·B_{k−1} / (k + a·B_{k−1})`.
/// Every term lies in [0, 1], so the recursion is stable for thousands of servers.
pub fn erlang_b_with_derivative(c: u32, a: f64) -> (f64, f64) {
    let mut b = 1.0;
    let mut db = 0.0;
    for k in 1..=c {
        let k = k as f64;
        let den = k + a * b;
        db = k * (b + a * db) / (den * den);
        b = a * b / den;
    }
    (b, db)
}

/// Erlang B: the blocking probability of M/M/c/c.
pub fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    b
}

/// Erlang C: the probability that an arrival waits. 1 when `a ≥ c` (unstable).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let cf = c as f64;
    if c == 0 || a >= cf {
        return 1.0;
    }
    if a <= 0.0 {
        return 0.0;
    }
    let b = erlang_b(c, a);
    cf * b / (cf - a * (1.0 - b))
}

/// Erlang C and its derivative in the utilisation `rho`.
fn erlang_c_with_derivative(c: u32, rho: f64) -> (f64, f64) {
    let cf = c as f64;
    let a = cf * rho;
    let (b, db) = erlang_b_with_derivative(c, a);
    let d = cf - a * (1.0 - b);
    let ec = cf * b / d;
    let dc_da = cf * (db * (cf - a) + b * (1.0 - b)) / (d * d);
    (ec, cf * dc_da)
}

/// The distribution of the response time (wait + service) of the requests that are
/// served, in a stationary M/M/c whose requests leave after waiting `max_wait`
/// (infinite for the plain M/M/c). The wait is 0 with probability `1 − C` and
/// exponential of rate `theta` otherwise, truncated at `max_wait`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Response {
    /// Probability of waiting (Erlang C).
    pub c_wait: f64,
    pub mu: f64,
    pub theta: f64,
    pub max_wait: f64,
}

impl Response {
    /// The plain stationary M/M/c (requires `lambda < c·mu`).
    pub fn mmc(c: u32, lambda: f64, mu: f64) -> Response {
        Response::truncated(c, lambda, mu, f64::INFINITY)
    }

    /// M/M/c whose requests leave after waiting `max_wait`.
    pub fn truncated(c: u32, lambda: f64, mu: f64, max_wait: f64) -> Response {
        let theta = c as f64 * mu - lambda;
        Response { c_wait: erlang_c(c, lambda / mu), mu, theta, max_wait }
    }

    /// Fraction of arrivals that would wait longer than `max_wait`.
    pub fn drop_fraction(&self) -> f64 {
        if self.max_wait.is_infinite() {
            0.0
        } else {
            self.c_wait * exp(-self.theta * self.max_wait)
        }
    }

    /// `(e^{−mu·t} − e^{−theta·t}) / (theta − mu)`, stable for every `theta, mu > 0`.
    fn g(&self, t: f64) -> f64 {
        let lo = self.mu.min(self.theta);
        exp(-lo * t) * t * one_minus_exp_over((self.theta - self.mu).abs() * t)
    }

    /// `P(T > t)` and the density of `T` at `t`, among served requests.
    pub fn tail_and_density(&self, t: f64) -> (f64, f64) {
        let (c, mu, th, d) = (self.c_wait, self.mu, self.theta, self.max_wait);
        let m = t.min(d);
        let e_mt = exp(-mu * t);
        let served = (1.0 - c) * e_mt + c * th * exp(-mu * (t - m)) * self.g(m);
        let e_dd = if d.is_infinite() { 0.0 } else { exp(-th * d) };
        let waiting = c * (exp(-th * m) - e_dd);
        let z = 1.0 - c * e_dd;
        (((served + waiting) / z).clamp(0.0, 1.0), (mu * served / z).max(0.0))
    }

    /// `P(T > t)`.
    pub fn tail(&self, t: f64) -> f64 {
        self.tail_and_density(t).0
    }

    /// Mean waiting time of served requests.
    pub fn mean_wait(&self) -> f64 {
        let (c, th, d) = (self.c_wait, self.theta, self.max_wait);
        if d.is_infinite() {
            return c / th;
        }
        let e = exp(-th * d);
        c * (1.0 / th - e * (d + 1.0 / th)) / (1.0 - c * e)
    }

    /// Mean response time of served requests.
    pub fn mean_response(&self) -> f64 {
        self.mean_wait() + 1.0 / self.mu
    }

    /// The `p`-quantile of the response time (`0 < p < 1`).
    pub fn percentile(&self, p: f64) -> f64 {
        percentile_of(std::slice::from_ref(&(1.0, *self)), p)
    }
}

/// The `p`-quantile of a mixture of response-time distributions with the given
/// weights, by Newton's method kept inside a bracket (bisection when it strays).
pub fn percentile_of(parts: &[(f64, Response)], p: f64) -> f64 {
    let total: f64 = parts.iter().map(|(w, _)| *w).sum();
    let target = 1.0 - p;
    let eval = |t: f64| {
        parts.iter().fold((0.0, 0.0), |(s, f), (w, r)| {
            let (si, fi) = r.tail_and_density(t);
            (s + w * si, f + w * fi)
        })
    };
    let eval = |t: f64| {
        let (s, f) = eval(t);
        (s / total - target, f / total)
    };
    // Bracket: the slowest exponential rate bounds the tail from above.
    let slowest = parts.iter().map(|(_, r)| r.mu.min(r.theta)).fold(f64::INFINITY, f64::min);
    let mut lo = 0.0;
    let mut hi = (1.0 / slowest) * (-crate::math::ln(target) + 2.0);
    let mut guard = 0;
    while eval(hi).0 > 0.0 && guard < 200 {
        lo = hi;
        hi *= 2.0;
        guard += 1;
    }
    let mut t = 0.5 * (lo + hi);
    for _ in 0..100 {
        let (h, dens) = eval(t);
        if h.abs() <= 1e-15 {
            return t;
        }
        if h > 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        if hi - lo <= 1e-13 * hi {
            break;
        }
        let newton = t + h / dens;
        t = if dens > 0.0 && newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
    }
    0.5 * (lo + hi)
}

/// The stationary mean number in system of M/M/c at utilisation `rho < 1`,
/// `L(rho) = c·rho + C(c, c·rho)·rho / (1 − rho)`, and its derivative in `rho`.
pub fn mean_in_system(c: u32, rho: f64) -> (f64, f64) {
    if rho <= 0.0 {
        return (0.0, c as f64);
    }
    let (ec, dec) = erlang_c_with_derivative(c, rho);
    let one = 1.0 - rho;
    let cf = c as f64;
    (cf * rho + ec * rho / one, cf + dec * rho / one + ec / (one * one))
}

/// Solves `L(rho) + k·rho = y` for `rho` in [0, 1) (`k ≥ 0`, `y ≥ 0`). The left side
/// increases from 0 to infinity, so the root is unique.
pub fn solve_load(c: u32, k: f64, y: f64) -> f64 {
    if y <= 0.0 || c == 0 {
        return 0.0;
    }
    let cf = c as f64;
    let mut lo = 0.0;
    let mut hi = 1.0;
    // Light traffic: L ≈ c·rho, a good first guess; heavy: rho close to 1.
    let mut r = (y / (cf + k)).min(1.0 - 1.0 / (y + 2.0));
    for _ in 0..100 {
        let (l, dl) = mean_in_system(c, r);
        let h = l + k * r - y;
        if h > 0.0 {
            hi = r;
        } else {
            lo = r;
        }
        if h.abs() <= 1e-13 * y.max(1.0) {
            break;
        }
        let newton = r - h / (dl + k);
        r = if newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
        if hi - lo < 1e-16 {
            break;
        }
    }
    r
}
