//! The stationary load: the mean number in system and its inverse, and the
//! [`LoadTable`] that tabulates them (with Erlang C and the p95) per server count,
//! so that the fluid physics' hot path costs a lookup. Tables are shared through
//! [`LoadTables`], a cache that a session owns.

use super::closed_form::{erlang_c, erlang_c_with_derivative, Response};
use crate::math::exp;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

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

/// `ln y` for `y > 0` (normal), within 1e−4: the exponent from the bits, and the
/// mantissa's log by the series of atanh, on the bits alone (no platform math).
fn approx_ln(y: f64) -> f64 {
    let bits = y.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    e as f64 * std::f64::consts::LN_2 + 2.0 * t * (1.0 + t2 * (1.0 / 3.0 + t2 * (0.2 + t2 / 7.0)))
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
    /// Mean wait of served requests in mean service times (`mu = 1`).
    wait: Vec<f64>,
    /// `mu · sla`, and `P(T > sla)` of served requests (the share of a step's
    /// requests over the SLA, which decides its violation).
    mu_sla: f64,
    over: Vec<f64>,
}

const LINEAR_STEPS: usize = 512;
const LINEAR_UPTO: f64 = 0.9;
const LOG_STEPS_PER_UNIT: f64 = 64.0;
const LOG_UPTO: f64 = 18.0;
/// `−ln(1 − LINEAR_UPTO)`, where the logarithmic grid starts.
const LOG_START: f64 = std::f64::consts::LN_10;

impl LoadTable {
    pub fn build(c: u32, mu_wait: f64, mu_sla: f64) -> LoadTable {
        let mut rho = Vec::new();
        let mut k = 0;
        while (k as f64) / (LINEAR_STEPS as f64) < LINEAR_UPTO {
            rho.push(k as f64 / LINEAR_STEPS as f64);
            k += 1;
        }
        let s0 = LOG_START;
        debug_assert_eq!(s0, -crate::math::ln(1.0 - LINEAR_UPTO));
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
        let zero = vec![0.0; n];
        let mut t = LoadTable {
            c,
            mu_wait,
            linear: k,
            rho,
            l: zero.clone(),
            dl: zero.clone(),
            ec: zero.clone(),
            dec: zero.clone(),
            p95: zero.clone(),
            wait: zero.clone(),
            mu_sla,
            over: zero,
        };
        let cf = c as f64;
        // The p95 grows with the utilisation: each node's search starts from the
        // previous node's, bracketed by it (a few Newton steps, not a full search).
        let mut below = 0.0;
        for i in 0..n {
            let r = t.rho[i];
            let (ec, dec) = if r > 0.0 { erlang_c_with_derivative(c, r) } else { (0.0, 0.0) };
            let one = 1.0 - r;
            t.l[i] = cf * r + ec * r / one;
            t.dl[i] = cf + dec * r / one + ec / (one * one);
            t.ec[i] = ec;
            t.dec[i] = dec;
            let resp = Response { c_wait: ec, mu: 1.0, theta: cf * one, max_wait: mu_wait };
            t.p95[i] =
                if i == 0 { resp.percentile(0.95) } else { resp.percentile_from(0.95, below) };
            below = t.p95[i];
            t.wait[i] = resp.mean_wait();
            t.over[i] = if mu_sla.is_finite() { resp.tail(mu_sla) } else { 0.0 };
        }
        t
    }

    pub fn servers(&self) -> u32 {
        self.c
    }

    /// Whether `rho` lies on the grid (else callers compute directly).
    fn covers(&self, rho: f64) -> bool {
        rho >= 0.0 && rho <= self.rho[self.rho.len() - 1]
    }

    fn interval(&self, rho: f64) -> usize {
        debug_assert!((approx_ln(0.037) - crate::math::ln(0.037)).abs() < 1e-4);
        let last = self.rho.len() - 2;
        let i = if rho < LINEAR_UPTO {
            (rho * LINEAR_STEPS as f64) as usize
        } else {
            // Only the cell is needed, and the guards below correct a cell or two.
            let s = -approx_ln(1.0 - rho) - LOG_START;
            self.linear + (s * LOG_STEPS_PER_UNIT).max(0.0) as usize
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
        let v = (2.0 * t3 - 3.0 * t2 + 1.0) * f[i]
            + (t3 - 2.0 * t2 + t) * h * df[i]
            + (-2.0 * t3 + 3.0 * t2) * f[i + 1]
            + (t3 - t2) * h * df[i + 1];
        let d = ((6.0 * t2 - 6.0 * t) * f[i] + (6.0 * t2 - 6.0 * t) * -f[i + 1]) / h
            + (3.0 * t2 - 4.0 * t + 1.0) * df[i]
            + (3.0 * t2 - 2.0 * t) * df[i + 1];
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
            let r = Response {
                c_wait: self.erlang_c(rho),
                mu: 1.0,
                theta: self.c as f64 * (1.0 - rho),
                max_wait: self.mu_wait,
            };
            return r.percentile(0.95) / mu;
        }
        let i = self.interval(rho);
        let t = (rho - self.rho[i]) / (self.rho[i + 1] - self.rho[i]);
        (self.p95[i] + t * (self.p95[i + 1] - self.p95[i])) / mu
    }

    /// Erlang C, the p95 response time, the mean wait of served requests and the
    /// share of them over the SLA at utilisation `rho`, for service rate `mu`:
    /// [`LoadTable::erlang_c`], [`LoadTable::p95`], [`LoadTable::mean_wait`] and
    /// `P(T > sla)` with one cell lookup.
    pub fn stationary(&self, rho: f64, mu: f64) -> (f64, f64, f64, f64) {
        if !self.covers(rho) {
            let r = Response {
                c_wait: self.erlang_c(rho),
                mu: 1.0,
                theta: self.c as f64 * (1.0 - rho),
                max_wait: self.mu_wait,
            };
            let over = if self.mu_sla.is_finite() { r.tail(self.mu_sla) } else { 0.0 };
            return (r.c_wait, self.p95(rho, mu), self.mean_wait(rho, mu), over);
        }
        let i = self.interval(rho);
        let t = (rho - self.rho[i]) / (self.rho[i + 1] - self.rho[i]);
        let ec = self.hermite(i, rho, &self.ec, &self.dec).0.clamp(0.0, 1.0);
        let p95 = (self.p95[i] + t * (self.p95[i + 1] - self.p95[i])) / mu;
        let wait = (self.wait[i] + t * (self.wait[i + 1] - self.wait[i])) / mu;
        let over = self.over[i] + t * (self.over[i + 1] - self.over[i]);
        (ec, p95, wait, over)
    }

    /// Mean wait of served requests at utilisation `rho`, for service rate `mu`.
    pub fn mean_wait(&self, rho: f64, mu: f64) -> f64 {
        if !self.covers(rho) {
            let r = Response {
                c_wait: self.erlang_c(rho),
                mu: 1.0,
                theta: self.c as f64 * (1.0 - rho),
                max_wait: self.mu_wait,
            };
            return r.mean_wait() / mu;
        }
        let i = self.interval(rho);
        let t = (rho - self.rho[i]) / (self.rho[i + 1] - self.rho[i]);
        (self.wait[i] + t * (self.wait[i + 1] - self.wait[i])) / mu
    }

    /// Solves `L(rho) + k·rho = y` like [`solve_load`], on the interpolant.
    pub fn solve(&self, k: f64, y: f64) -> f64 {
        self.solve_from(k, y, f64::NAN)
    }

    /// [`LoadTable::solve`] starting Newton's method from `guess` (a nearby
    /// earlier root), or from the light-traffic guess when it is not a number.
    pub fn solve_from(&self, k: f64, y: f64, guess: f64) -> f64 {
        if y <= 0.0 || self.c == 0 {
            return 0.0;
        }
        let top = self.rho[self.rho.len() - 1];
        if self.l[self.l.len() - 1] + k * top < y {
            return solve_load(self.c, k, y);
        }
        let cf = self.c as f64;
        let (mut lo, mut hi) = (0.0, top);
        let mut r = if guess > 0.0 && guess < top {
            guess
        } else {
            (y / (cf + k)).min(1.0 - 1.0 / (y + 2.0)).min(top)
        };
        // The iterates stay on the grid (in [0, top]), mostly in one cell of
        // it: the cell is looked up again only when an iterate is not inside it
        // (at `top`, the last cell's end, it is: `interval` finds the last cell),
        // so `L` is `mean_in_system`'s, bit for bit, a lookup saved a step.
        let mut cell = self.interval(r);
        for _ in 0..100 {
            if !(self.rho[cell] <= r && r < self.rho[cell + 1]) {
                cell = self.interval(r);
            }
            let (l, dl) = self.hermite(cell, r, &self.l, &self.dl);
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

/// The load tables of the server counts a session's worlds use, built on first
/// use and shared by every world that holds a clone (a table takes a few hundred
/// microseconds to build, and a run visits the same counts over and over). A
/// value, not a global: each session owns its own, and two sessions never see
/// each other's.
#[derive(Debug, Clone, Default)]
pub struct LoadTables(Arc<Mutex<BTreeMap<TableKey, Arc<LoadTable>>>>);

/// What tells two load tables apart: the servers, and the bits of the two rates
/// (the waiting law's and the SLA's), so that equal rates share one table.
type TableKey = (u32, u64, u64);

impl LoadTables {
    /// Tables kept at most: a long page session of many scenarios must not grow
    /// without end.
    const MAX: usize = 512;

    /// The table of `c` servers whose requests leave after `mu_wait` mean
    /// service times of waiting, with an SLA of `mu_sla` mean service times.
    pub fn get(&self, c: u32, mu_wait: f64, mu_sla: f64) -> Arc<LoadTable> {
        let mut tables = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if tables.len() >= Self::MAX {
            tables.clear();
        }
        tables
            .entry((c, mu_wait.to_bits(), mu_sla.to_bits()))
            .or_insert_with(|| Arc::new(LoadTable::build(c, mu_wait, mu_sla)))
            .clone()
    }
}

/// Tables are a cache: any two hold the same values for the same key, so every
/// two compare equal (a world's configuration compares by its parameters).
impl PartialEq for LoadTables {
    fn eq(&self, _: &LoadTables) -> bool {
        true
    }
}
