//! The default physics: the pointwise stationary fluid-flow approximation (Wang,
//! Tipper & Banerjee, INFOCOM 1996). The mean number in system `x` follows
//! `dx/dt = λ − c·μ·ρ̂(x)`, where `ρ̂(x)` inverts the stationary M/M/c mean
//! `L(ρ)`. It is integrated by implicit Euler (stable, monotone, and exact at
//! equilibrium), on the variable `ρ̂` so that `L` is never inverted on the hot path.
//!
//! Drops: a request that would wait longer than `max_wait` is dropped. The queue of a
//! backlog is concentrated (every waiting request waits about `queue / (c·μ)`), so
//! the queue never holds more than the `c·μ·max_wait` requests that start within
//! `max_wait`, and what arrives beyond that is dropped. The stationary tail's own
//! drops (`C·e^{−θ·max_wait}` of the arrivals, which matter only for a fleet of one
//! or two replicas held above 95 % utilisation) are left out: applied pointwise to
//! a backlog they drop far more than the ground truth does (see the README).
//!
//! Every count is an expected value, and `completed` is the balance
//! `arrivals − dropped − Δx`, so conservation holds by construction.

use super::StepTotals;
use crate::queueing::{erlang_c, mean_in_system, percentile_of, solve_load, Response};

/// A step is treated as stationary when its transient (drain of a backlog plus five
/// relaxation times) fits in this fraction of it.
const TRANSIENT_SHARE: f64 = 0.05;
/// Sub-steps of a segment in overload.
const OVERLOAD_SUBSTEPS: usize = 8;
/// The first sub-step of a transient is at least this fraction of the segment.
const MIN_FIRST_SUBSTEP: f64 = 1.0 / 64.0;

#[derive(Debug, Clone)]
pub struct Fluid {
    mu: f64,
    max_wait: f64,
    /// Servers (ready replicas × slots).
    c: u32,
    /// Mean number in system, and the utilisation `ρ̂` whose stationary mean it is.
    x: f64,
    r: f64,
    now: f64,
    lambda: f64,
    // Per-step accumulators.
    arrivals: f64,
    completed: f64,
    dropped: f64,
    /// The response-time distributions of the step's completions, with their weights.
    parts: Vec<(f64, Response)>,
}

impl Fluid {
    pub fn new(mu: f64, max_wait: f64, servers: u32) -> Fluid {
        Fluid {
            mu,
            max_wait,
            c: servers,
            x: 0.0,
            r: 0.0,
            now: 0.0,
            lambda: 0.0,
            arrivals: 0.0,
            completed: 0.0,
            dropped: 0.0,
            parts: Vec::with_capacity(16),
        }
    }

    pub fn in_system(&self) -> f64 {
        self.x
    }

    pub fn begin_step(&mut self, t0: f64, lambda: f64) {
        self.now = t0;
        self.lambda = lambda;
        self.arrivals = 0.0;
        self.completed = 0.0;
        self.dropped = 0.0;
        self.parts.clear();
    }

    pub fn set_servers(&mut self, servers: u32) {
        if servers != self.c {
            self.c = servers;
            self.r = solve_load(servers, 0.0, self.x);
        }
    }

    fn response_at(&self, r: f64) -> Response {
        let cf = self.c as f64;
        Response {
            c_wait: erlang_c(self.c, cf * r),
            mu: self.mu,
            theta: cf * self.mu * (1.0 - r),
            max_wait: self.max_wait,
        }
    }

    fn record(&mut self, served: f64, resp: Response) {
        if served > 0.0 {
            self.parts.push((served, resp));
        }
    }

    /// Plays the queue from `now` to `t` with the current demand and servers.
    pub fn run_until(&mut self, t: f64) {
        let span = t - self.now;
        if span <= 0.0 {
            return;
        }
        self.now = t;
        let lam = self.lambda;
        self.arrivals += lam * span;
        if self.c == 0 {
            // No server: nothing starts, so everything is dropped.
            self.dropped += lam * span + self.x;
            self.x = 0.0;
            self.r = 0.0;
            return;
        }
        if lam <= 0.0 && self.x <= 0.0 {
            return;
        }
        let cf = self.c as f64;
        let cmu = cf * self.mu;
        let xmax = cf + cmu * self.max_wait;
        if lam < cmu {
            let rho = lam / cmu;
            let (xs, dxs) = mean_in_system(self.c, rho);
            if xs <= xmax {
                let tau = dxs / cmu;
                let drain = if self.x > xs { (self.x - xs) / (cmu - lam) } else { 0.0 };
                let served = lam * span - (xs - self.x);
                if drain + 5.0 * tau <= TRANSIENT_SHARE * span && served >= 0.0 {
                    let eq = Response { c_wait: erlang_c(self.c, cf * rho), mu: self.mu, theta: cmu - lam, max_wait: self.max_wait };
                    self.completed += served;
                    self.x = xs;
                    self.r = rho;
                    self.record(served, eq);
                    return;
                }
            }
            self.transient(span, cmu, xmax, tau_of(self.c, self.r.max(rho), cmu));
        } else {
            self.transient(span, cmu, xmax, span / OVERLOAD_SUBSTEPS as f64);
        }
    }

    /// Implicit-Euler sub-steps over `span`: the first about one relaxation time
    /// `tau` long, each next one twice as long, so that a transient is resolved and
    /// the equilibrium after it costs a few steps only.
    fn transient(&mut self, span: f64, cmu: f64, xmax: f64, tau: f64) {
        let mut h = tau.clamp(span * MIN_FIRST_SUBSTEP, span);
        let mut left = span;
        let mut r_cap = None;
        while left > 0.0 {
            let h_now = if left - h < 0.5 * h { left } else { h };
            left -= h_now;
            let y = self.x + h_now * self.lambda;
            let mut r1 = solve_load(self.c, h_now * cmu, y);
            let mut x1 = mean_in_system(self.c, r1).0;
            let mut cap_drop = 0.0;
            if x1 > xmax {
                let rc = *r_cap.get_or_insert_with(|| solve_load(self.c, 0.0, xmax));
                r1 = rc;
                x1 = xmax;
                cap_drop = (y - h_now * cmu * r1 - xmax).max(0.0);
            }
            let served = (y - x1 - cap_drop).max(0.0);
            self.dropped += cap_drop;
            self.completed += served;
            self.x = x1;
            self.r = r1;
            let resp = self.response_at(r1);
            self.record(served, resp);
            if self.lambda >= cmu {
                h = span / OVERLOAD_SUBSTEPS as f64;
            } else {
                h *= 2.0;
            }
        }
    }

    pub fn end_step(&mut self) -> StepTotals {
        let served: f64 = self.parts.iter().map(|(w, _)| w).sum();
        let (mean, p95) = if served > 0.0 {
            let mean = self.parts.iter().map(|(w, r)| w * r.mean_response()).sum::<f64>() / served;
            (Some(mean), Some(percentile_of(&self.parts, 0.95)))
        } else {
            (None, None)
        };
        StepTotals {
            arrivals: self.arrivals,
            completed: self.completed,
            dropped: self.dropped,
            in_system: self.x,
            mean_response_s: mean,
            p95_response_s: p95,
        }
    }
}

/// Relaxation time of the number in system near utilisation `rho`: `L'(ρ) / (c·μ)`.
fn tau_of(c: u32, rho: f64, cmu: f64) -> f64 {
    mean_in_system(c, rho.min(0.999_999)).1 / cmu
}
