//! The closed forms of the stationary M/M/c: Erlang B and C by the stable
//! recursion, and the response-time law (wait + service) with its tail, mean and
//! percentiles, for the plain queue and for one whose requests leave after a
//! maximum wait.

use crate::math::{exp, one_minus_exp_over};

/// Erlang B and its derivative in `a`, by the recursion of the reciprocal,
/// `I_0 = 1, I_k = 1 + (k/a)·I_{k−1}` with `B = 1/I_c` (the same recursion as
/// `B_k = a·B_{k−1} / (k + a·B_{k−1})`, without a division per server: the load
/// tables evaluate it thousands of times). Every term is positive, so it is stable;
/// where `I` overflows, `B` is below 1e−300 and taken as 0.
pub fn erlang_b_with_derivative(c: u32, a: f64) -> (f64, f64) {
    if a <= 0.0 {
        return (if c == 0 { 1.0 } else { 0.0 }, if c == 1 { 1.0 } else { 0.0 });
    }
    let inv = 1.0 / a;
    let (mut i, mut di) = (1.0f64, 0.0f64);
    for k in 1..=c {
        let q = k as f64 * inv;
        // d/da (k/a · I) = k/a · I' − k/a² · I
        di = q * (di - inv * i);
        i = 1.0 + q * i;
    }
    if !i.is_finite() || i > 1e300 {
        return (0.0, 0.0);
    }
    let b = 1.0 / i;
    (b, -di * b * b)
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
pub(super) fn erlang_c_with_derivative(c: u32, rho: f64) -> (f64, f64) {
    let cf = c as f64;
    let a = cf * rho;
    let (b, db) = erlang_b_with_derivative(c, a);
    let d = cf - a * (1.0 - b);
    let ec = cf * b / d;
    let dc_da = cf * (db * (cf - a) + b * (1.0 - b)) / (d * d);
    (ec, cf * dc_da)
}

/// Below this `θ·max_wait` (ρ within `1e-3/(c·μ·max_wait)` of
/// saturation) the truncated wait's closed forms are evaluated in their stable
/// forms: as written, `1/θ − e^{−θd}(d + 1/θ)` loses every digit to cancellation
/// (ρ = 1 − 1e−10 at one replica, a mean service of 1 s and a 30-s bound gave a
/// mean wait of 0 against 14.5 s).
pub(crate) const NEAR_SATURATION: f64 = 1e-3;

/// `(1 − e^{−z})/z − e^{−z}` for `0 ≤ z < NEAR_SATURATION`, where the two terms
/// agree in all but `z/2`: by its series, to within `z⁴/72` of it, relative.
fn spread_term(z: f64) -> f64 {
    z * (0.5 - z * (1.0 / 3.0 - z * (1.0 / 8.0 - z / 30.0)))
}

/// `∫ₐᵇ w·θe^{−θw} dw` for `0 ≤ a ≤ b < ∞` with `θ(b − a) < NEAR_SATURATION` (the
/// only place it is asked), stable as `θ(b − a) → 0`:
/// `e^{−θa}·(a·(1 − e^{−θΔ}) + Δ·((1 − e^{−θΔ})/(θΔ) − e^{−θΔ}))`, `Δ = b − a`.
pub(crate) fn truncated_first_moment(theta: f64, a: f64, b: f64) -> f64 {
    let dz = theta * (b - a);
    exp(-theta * a) * (a * dz * one_minus_exp_over(dz) + (b - a) * spread_term(dz))
}

/// `1 − C·e^{−z}`, the share of requests served (not dropped) of a truncated
/// wait, stable as `z → 0` with `C → 1`.
pub(crate) fn waited_or_not(c: f64, z: f64) -> f64 {
    (1.0 - c) + c * z * one_minus_exp_over(z)
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
    pub(crate) fn g(&self, t: f64) -> f64 {
        let lo = self.mu.min(self.theta);
        exp(-lo * t) * t * one_minus_exp_over((self.theta - self.mu).abs() * t)
    }

    /// `P(T > t)` and the density of `T` at `t`, among served requests.
    pub fn tail_and_density(&self, t: f64) -> (f64, f64) {
        let (c, mu, th, d) = (self.c_wait, self.mu, self.theta, self.max_wait);
        let m = t.min(d);
        let e_mt = exp(-mu * t);
        let served = (1.0 - c) * e_mt + c * th * exp(-mu * (t - m)) * self.g(m);
        if th * d < NEAR_SATURATION {
            // Stable forms (see `NEAR_SATURATION`): `e^{−θm} − e^{−θd}` and
            // `1 − C·e^{−θd}` are both of the order of `θd` here.
            let gap = th * (d - m);
            let waiting = c * exp(-th * m) * gap * one_minus_exp_over(gap);
            let z = waited_or_not(c, th * d);
            return (((served + waiting) / z).clamp(0.0, 1.0), (mu * served / z).max(0.0));
        }
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
        if th * d < NEAR_SATURATION {
            return c * truncated_first_moment(th, 0.0, d) / waited_or_not(c, th * d);
        }
        let e = exp(-th * d);
        c * (1.0 / th - e * (d + 1.0 / th)) / (1.0 - c * e)
    }

    /// Mean response time of served requests.
    pub fn mean_response(&self) -> f64 {
        self.mean_wait() + 1.0 / self.mu
    }
}
