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
        percentile_of(&[Part::new(1.0, *self, 0.0)], p)
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
        let e_dd = if d.is_infinite() { 0.0 } else { exp(-th * d) };
        let z = 1.0 - c * e_dd;
        let cdf = (1.0 - c * exp(-th * floor)) / z;
        let above = c * ((floor + 1.0 / th) * exp(-th * floor) - if d.is_infinite() { 0.0 } else { (d + 1.0 / th) * e_dd }) / z;
        floor * cdf + above + 1.0 / l.mu
    }
}

/// The `p`-quantile of a mixture of response-time distributions with the given
/// weights, by Newton's method kept inside a bracket (bisection when it strays).
pub fn percentile_of(parts: &[Part], p: f64) -> f64 {
    let target = 1.0 - p;
    // Bracket: the slowest exponential rate bounds the tail from above.
    let slowest = parts.iter().map(|part| part.law.mu.min(part.law.theta)).fold(f64::INFINITY, f64::min);
    let longest = parts.iter().map(|part| part.min_wait).fold(0.0, f64::max);
    let mut lo = 0.0;
    let mut hi = longest + (1.0 / slowest) * (-crate::math::ln(target) + 2.0);
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

/// `L`, `L'`, `C` and the p95 response time of one server count, tabulated over the
/// utilisation so that the fluid physics' hot path costs a lookup, not an `O(c)`
/// recursion and a root search. The grid is uniform in `rho` up to 0.9 and uniform
/// in `−ln(1 − rho)` beyond, so it is as fine near saturation as it needs to be.
/// `L` and `C` are cubic Hermite interpolants of exact values and derivatives.
#[derive(Debug)]
pub struct LoadTable {
    c: u32,
    /// `mu · max_wait`, on which the (scaled) p95 depends.
    mu_wait: f64,
    /// Nodes on the linear part of the grid.
    linear: usize,
    rho: Vec<f64>,
    l: Vec<f64>,
    dl: Vec<f64>,
    ec: Vec<f64>,
    dec: Vec<f64>,
    /// p95 response time in mean service times (`mu = 1`), served requests.
    p95: Vec<f64>,
}

const LINEAR_STEPS: usize = 1024;
const LINEAR_UPTO: f64 = 0.9;
const LOG_STEPS_PER_UNIT: f64 = 64.0;
const LOG_UPTO: f64 = 18.0;

impl LoadTable {
    fn build(c: u32, mu_wait: f64) -> LoadTable {
        let mut rho = Vec::new();
        let mut k = 0;
        while (k as f64) / (LINEAR_STEPS as f64) < LINEAR_UPTO {
            rho.push(k as f64 / LINEAR_STEPS as f64);
            k += 1;
        }
        let s0 = -crate::math::ln(1.0 - LINEAR_UPTO);
        let mut j = 0;
        loop {
            let s = s0 + j as f64 / LOG_STEPS_PER_UNIT;
            if s > LOG_UPTO {
                break;
            }
            rho.push(1.0 - exp(-s));
            j += 1;
        }
        let n = rho.len();
        let mut t = LoadTable { c, mu_wait, linear: k, rho, l: vec![0.0; n], dl: vec![0.0; n], ec: vec![0.0; n], dec: vec![0.0; n], p95: vec![0.0; n] };
        for i in 0..n {
            let r = t.rho[i];
            let (ec, dec) = if r > 0.0 { erlang_c_with_derivative(c, r) } else { (0.0, 0.0) };
            let (l, dl) = mean_in_system(c, r);
            t.l[i] = l;
            t.dl[i] = dl;
            t.ec[i] = ec;
            t.dec[i] = dec;
            let resp = Response { c_wait: ec, mu: 1.0, theta: c as f64 * (1.0 - r), max_wait: mu_wait };
            t.p95[i] = resp.percentile(0.95);
        }
        t
    }

    /// The table of `c` servers (shared, built on first use).
    pub fn get(c: u32, mu_wait: f64) -> std::sync::Arc<LoadTable> {
        use std::collections::BTreeMap;
        use std::sync::{Arc, Mutex};
        static TABLES: Mutex<BTreeMap<(u32, u64), Arc<LoadTable>>> = Mutex::new(BTreeMap::new());
        let mut tables = TABLES.lock().unwrap_or_else(|e| e.into_inner());
        // Bounded: a long session of many scenarios must not grow without end.
        if tables.len() >= 512 {
            tables.clear();
        }
        tables.entry((c, mu_wait.to_bits())).or_insert_with(|| Arc::new(LoadTable::build(c, mu_wait))).clone()
    }

    pub fn servers(&self) -> u32 {
        self.c
    }

    /// Whether `rho` lies on the grid (else callers compute directly).
    fn covers(&self, rho: f64) -> bool {
        rho >= 0.0 && rho <= self.rho[self.rho.len() - 1]
    }

    fn interval(&self, rho: f64) -> usize {
        let last = self.rho.len() - 2;
        let i = if rho < LINEAR_UPTO {
            (rho * LINEAR_STEPS as f64) as usize
        } else {
            let s = -crate::math::ln(1.0 - rho) + crate::math::ln(1.0 - LINEAR_UPTO);
            self.linear + (s * LOG_STEPS_PER_UNIT) as usize
        };
        // Guard against rounding at the cell edges.
        let mut i = i.min(last);
        while i > 0 && self.rho[i] > rho {
            i -= 1;
        }
        while i < last && self.rho[i + 1] <= rho {
            i += 1;
        }
        i
    }

    fn hermite(&self, i: usize, rho: f64, f: &[f64], df: &[f64]) -> (f64, f64) {
        let (x0, x1) = (self.rho[i], self.rho[i + 1]);
        let h = x1 - x0;
        let t = (rho - x0) / h;
        let (t2, t3) = (t * t, t * t * t);
        let v = (2.0 * t3 - 3.0 * t2 + 1.0) * f[i] + (t3 - 2.0 * t2 + t) * h * df[i] + (-2.0 * t3 + 3.0 * t2) * f[i + 1] + (t3 - t2) * h * df[i + 1];
        let d = ((6.0 * t2 - 6.0 * t) * f[i] + (6.0 * t2 - 6.0 * t) * -f[i + 1]) / h + (3.0 * t2 - 4.0 * t + 1.0) * df[i] + (3.0 * t2 - 2.0 * t) * df[i + 1];
        (v, d)
    }

    /// `L(rho)` and `L'(rho)`.
    pub fn mean_in_system(&self, rho: f64) -> (f64, f64) {
        if !self.covers(rho) {
            return mean_in_system(self.c, rho);
        }
        self.hermite(self.interval(rho), rho, &self.l, &self.dl)
    }

    /// Erlang C at utilisation `rho`.
    pub fn erlang_c(&self, rho: f64) -> f64 {
        if !self.covers(rho) {
            return erlang_c(self.c, self.c as f64 * rho);
        }
        self.hermite(self.interval(rho), rho, &self.ec, &self.dec).0.clamp(0.0, 1.0)
    }

    /// p95 response time of served requests at utilisation `rho`, for service rate `mu`.
    pub fn p95(&self, rho: f64, mu: f64) -> f64 {
        if !self.covers(rho) {
            let r = Response { c_wait: self.erlang_c(rho), mu: 1.0, theta: self.c as f64 * (1.0 - rho), max_wait: self.mu_wait };
            return r.percentile(0.95) / mu;
        }
        let i = self.interval(rho);
        let t = (rho - self.rho[i]) / (self.rho[i + 1] - self.rho[i]);
        (self.p95[i] + t * (self.p95[i + 1] - self.p95[i])) / mu
    }

    /// Solves `L(rho) + k·rho = y` like [`solve_load`], on the interpolant.
    pub fn solve(&self, k: f64, y: f64) -> f64 {
        if y <= 0.0 || self.c == 0 {
            return 0.0;
        }
        let top = self.rho[self.rho.len() - 1];
        if self.l[self.l.len() - 1] + k * top < y {
            return solve_load(self.c, k, y);
        }
        let cf = self.c as f64;
        let (mut lo, mut hi) = (0.0, top);
        let mut r = (y / (cf + k)).min(1.0 - 1.0 / (y + 2.0)).min(top);
        for _ in 0..100 {
            let (l, dl) = self.mean_in_system(r);
            let h = l + k * r - y;
            if h > 0.0 {
                hi = r;
            } else {
                lo = r;
            }
            if h.abs() <= 1e-12 * y.max(1.0) || hi - lo < 1e-16 {
                break;
            }
            let newton = r - h / (dl + k);
            r = if newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
        }
        r
    }
}
