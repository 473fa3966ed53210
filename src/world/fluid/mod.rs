//! The default physics: the pointwise stationary fluid-flow approximation (Wang,
//! Tipper & Banerjee, INFOCOM 1996). The mean number in system `x` follows
//! `dx/dt = λ − c·μ·ρ̂(x)`, where `ρ̂(x)` inverts the stationary M/M/c mean
//! `L(ρ)`. It is integrated by implicit Euler (stable, monotone, and exact at
//! equilibrium) in sub-steps that start about one relaxation time long and double.
//!
//! Drops: a request that has waited `max_wait` without starting leaves, dropped. To
//! know how long requests have waited, the waiting mass `L_q(ρ̂) = x − c·ρ̂` is kept
//! as first-come-first-served cohorts, each the arrivals of one interval (uniform
//! within it): service takes from the oldest, and whatever has waited `max_wait`
//! is dropped. A backlog thus
//! drops what the ground truth drops, `max_wait` after it arrived, unless capacity
//! comes in time. The stationary tail's own drops (`C·e^{−θ·max_wait}` of arrivals,
//! which matter only for a fleet of one or two replicas held above 95 % utilisation)
//! are not modelled (see the README).
//!
//! Every count is an expected value, and `completed` is the balance
//! `arrivals − dropped − Δx`, so conservation holds by construction.
//!
//! Here are the state and what a step sets (its demand, its servers); the
//! integration of the queue over time is in `flow.rs`, and what the step's
//! completions come to (their response times, the p95, the SLA) in
//! `response_times.rs`.

mod flow;
mod response_times;

use crate::queueing::{LoadTable, LoadTables, Part};
use std::collections::VecDeque;
use std::sync::Arc;

/// Server counts whose tables a world keeps at hand.
const RECENT_TABLES: usize = 32;

/// Waiting requests that arrived uniformly over `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cohort {
    from: f64,
    to: f64,
    mass: f64,
}

impl Cohort {
    /// Takes `amount` (< mass) of the oldest requests.
    fn take_oldest(&mut self, amount: f64) {
        self.from += (amount / self.mass) * (self.to - self.from);
        self.mass -= amount;
    }
}

#[derive(Debug, Clone)]
pub struct Fluid {
    mu: f64,
    max_wait: f64,
    /// The SLA's bound on a step's p95 (s).
    sla: f64,
    /// Servers (ready replicas × slots).
    c: u32,
    /// `L`, `C` and p95 of `c` servers, tabulated.
    table: Arc<LoadTable>,
    /// Mean number in system, and the utilisation `ρ̂` whose stationary mean it is.
    x: f64,
    r: f64,
    /// Waiting requests, oldest first.
    cohorts: VecDeque<Cohort>,
    /// The waiting requests that started in the current sub-step (a buffer).
    started: Vec<Cohort>,
    /// Requests still in service on removed replicas: they finish where they are
    /// (no request is lost or queued again by a scale-down), each at rate `mu`.
    draining: f64,
    now: f64,
    lambda: f64,
    // Per-step accumulators.
    arrivals: f64,
    completed: f64,
    dropped: f64,
    /// The response-time distributions of the step's completions, with their weights.
    parts: Vec<Part>,
    /// Bounds on the p95 of each part alone (equal for a part without a floor).
    part_p95: Vec<(f64, f64)>,
    /// The mean response time of each part, and its share over the SLA.
    part_mean: Vec<f64>,
    part_over: Vec<f64>,
    /// Tables of the server counts this world used lately.
    recent: Vec<Arc<LoadTable>>,
    /// Where tables come from: the session's cache.
    tables: LoadTables,
    /// The step's start and length, and its rates over equal parts of it (empty
    /// when the demand is one rate over the step).
    step_start: f64,
    step_len: f64,
    sub: Vec<f64>,
    /// When set, the step's p95 is only resolved as far as it decides this SLA
    /// bound (training: see `sla_side_estimate` in `response_times.rs`).
    sla_only: Option<f64>,
}

impl Fluid {
    pub fn new(mu: f64, max_wait: f64, sla_p95_s: f64, servers: u32, tables: LoadTables) -> Fluid {
        Fluid {
            mu,
            max_wait,
            sla: sla_p95_s,
            c: servers,
            table: tables.get(servers, mu * max_wait, mu * sla_p95_s),
            x: 0.0,
            r: 0.0,
            cohorts: VecDeque::new(),
            started: Vec::new(),
            draining: 0.0,
            now: 0.0,
            lambda: 0.0,
            arrivals: 0.0,
            completed: 0.0,
            dropped: 0.0,
            parts: Vec::with_capacity(16),
            part_p95: Vec::with_capacity(16),
            part_mean: Vec::with_capacity(16),
            part_over: Vec::with_capacity(16),
            recent: Vec::new(),
            tables,
            step_start: 0.0,
            step_len: 0.0,
            sub: Vec::new(),
            sla_only: None,
        }
    }

    /// Resolves p95s only as far as they decide `sla_p95_s` (or fully, with `None`).
    pub fn set_sla_only(&mut self, sla_p95_s: Option<f64>) {
        self.sla_only = sla_p95_s;
    }

    pub fn in_system(&self) -> f64 {
        self.x + self.draining
    }

    /// Starts a step at `t0` with demand `lambda`, or, when the trace knows them,
    /// the rates `sub` over equal parts of the step's `dt` seconds.
    pub fn begin_step(&mut self, t0: f64, lambda: f64, dt: f64, sub: Option<&[f64]>) {
        self.now = t0;
        self.lambda = lambda;
        self.step_start = t0;
        self.step_len = dt;
        self.sub.clear();
        if let Some(rates) = sub.filter(|r| r.len() > 1) {
            self.sub.extend_from_slice(rates);
        }
        self.arrivals = 0.0;
        self.completed = 0.0;
        self.dropped = 0.0;
        self.parts.clear();
        self.part_p95.clear();
        self.part_mean.clear();
        self.part_over.clear();
    }

    pub fn set_servers(&mut self, servers: u32) {
        if servers != self.c {
            // The busy servers beyond the new count are on removed replicas.
            let busy = (self.c as f64 * self.r).min(self.x);
            let moved = (busy - servers as f64).max(0.0);
            self.draining += moved;
            self.x -= moved;
            self.c = servers;
            self.table = match self.recent.iter().find(|t| t.servers() == servers) {
                Some(t) => t.clone(),
                None => {
                    let t = self.tables.get(servers, self.mu * self.max_wait, self.mu * self.sla);
                    if self.recent.len() >= RECENT_TABLES {
                        self.recent.remove(0);
                    }
                    self.recent.push(t.clone());
                    t
                }
            };
            self.r = self.table.solve(0.0, self.x);
        }
    }
}
