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

use super::LatencyHistogram;
use super::StepTotals;
use crate::math::exp;
use crate::queueing::{
    mixture_tail, p95_exceeds_probability, percentile_in, LoadTable, LoadTables, Part, Response,
};
use std::collections::VecDeque;
use std::sync::Arc;

/// A step is taken as stationary when the relaxation time is below this share of
/// it and the response time at its start and at equilibrium differ by < 1 %.
const RELAXATION_SHARE: f64 = 1.0 / 20.0;
/// A segment whose relaxation time exceeds `1/SLOW_SUBSTEPS` of it (near or past
/// saturation, or with a backlog) is played in this many equal sub-steps.
const SLOW_SUBSTEPS: f64 = 8.0;
/// The utilisation at which the relaxation time is evaluated at most.
const MAX_RHO: f64 = 0.999_999;
/// The number in system is at its equilibrium when within this share of it.
const SETTLED: f64 = 1e-3;
/// The first sub-step of a transient is at least this share of the segment.
const MIN_FIRST_SUBSTEP: f64 = 1.0 / 64.0;
/// Cohorts lighter than this are merged into their neighbour.
const TINY: f64 = 1e-12;
/// Parts of a step whose utilisations differ by less than this are one part.
const SAME_RHO: f64 = 1e-9;
/// When the parts' own p95s lie within this relative band, the step's p95 is their
/// weighted mean (the mixture's quantile lies inside the band) rather than a root.
const P95_BAND: f64 = 1e-3;
/// Where in each started cohort the least wait is taken (its middle: the
/// quartiles, tried, moved no validation figure and cost a fifth of training).
const FLOOR_POINTS: [f64; 1] = [0.5];
/// A step's latency is reported when it completed at least this many requests
/// (in expectation): the residue of a drained backlog is no request anyone waits
/// for, and its latency must not decide the step's SLA.
const MIN_SERVED_FOR_LATENCY: f64 = 0.5;
/// Server counts whose tables a world keeps at hand.
const RECENT_TABLES: usize = 32;

/// The stationary law at one utilisation, with its p95 and mean wait (s).
struct Law {
    response: Response,
    p95: f64,
    wait: f64,
    /// `P(T > sla)`.
    over: f64,
}

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
    /// bound (training: see [`sla_side_estimate`]).
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

    /// The stationary law at utilisation `r`, with its p95 and mean wait.
    fn law_at(&self, r: f64) -> Law {
        let (c_wait, p95, wait, over) = self.table.stationary(r, self.mu);
        let response = Response {
            c_wait,
            mu: self.mu,
            theta: self.c as f64 * self.mu * (1.0 - r),
            max_wait: self.max_wait,
        };
        Law { response, p95, wait, over }
    }

    /// Adds completions with the response-time distribution at utilisation `r`,
    /// waiting at least `min_wait`, merged with the previous part when it is the
    /// same distribution.
    fn record(&mut self, served: f64, r: f64, min_wait: f64) {
        if served <= 0.0 {
            return;
        }
        let law = self.law_at(r);
        self.record_law(served, &law, min_wait);
    }

    /// [`Fluid::record`] with the law at hand.
    fn record_law(&mut self, served: f64, at: &Law, min_wait: f64) {
        if served <= 0.0 {
            return;
        }
        let law = at.response;
        if let Some(last) = self.parts.last_mut() {
            let l = last.law();
            if l.theta > 0.0
                && (l.theta - law.theta).abs() <= SAME_RHO * l.theta
                && l.mu == law.mu
                && last.min_wait() == min_wait
            {
                last.weight += served;
                return;
            }
        }
        let part = Part::new(served, law, min_wait);
        self.part_p95.push(part.p95_bounds(at.p95));
        self.part_mean.push(if min_wait > 0.0 {
            part.mean_response()
        } else {
            at.wait + 1.0 / self.mu
        });
        self.part_over.push(if min_wait > 0.0 {
            mixture_tail(std::slice::from_ref(&part), self.sla).0
        } else {
            at.over
        });
        self.parts.push(part);
    }

    /// Adds a sub-step's completions. Those that had queued waited at least from
    /// their arrival, in the cohort they started from, to their start: the queued
    /// requests started in order, at the rate `start_rate` the busy servers free up,
    /// from the sub-step's start on.
    fn record_substep(&mut self, served: f64, r: f64, start_rate: f64, span: f64) {
        let started = std::mem::take(&mut self.started);
        let starts: f64 = started.iter().map(|c| c.mass).sum();
        if starts <= 0.0 {
            self.record(served, r, 0.0);
        } else {
            let begin = self.now - span;
            let start_at =
                |m: f64| begin + if start_rate > 0.0 { (m / start_rate).min(span) } else { span };
            // The law at `r` already holds the stationary queue's wait: the floor
            // is what the queue's own order adds beyond its mean (none at the
            // equilibrium, where the first-come-first-served wait is that mean).
            let law = self.law_at(r);
            let mut before = 0.0;
            for piece in &started {
                for q in FLOOR_POINTS {
                    let arrival = piece.from + q * (piece.to - piece.from);
                    let wait = (start_at(before + q * piece.mass) - arrival - law.wait)
                        .clamp(0.0, self.max_wait);
                    self.record_law(
                        served * piece.mass / starts / FLOOR_POINTS.len() as f64,
                        &law,
                        wait,
                    );
                }
                before += piece.mass;
            }
        }
        self.started = started;
        self.started.clear();
    }

    /// Plays the queue from `now` to `t` with the current servers, at the step's
    /// demand, part by part when it has sub-step rates.
    pub fn run_until(&mut self, t: f64) {
        if self.sub.is_empty() {
            return self.run_piece(t);
        }
        let h = self.step_len / self.sub.len() as f64;
        while self.now < t {
            let k = (((self.now - self.step_start) / h) as usize).min(self.sub.len() - 1);
            let end = (self.step_start + (k + 1) as f64 * h).min(t);
            self.lambda = self.sub[k];
            if end <= self.now {
                break;
            }
            self.run_piece(if k + 1 == self.sub.len() { t } else { end });
        }
    }

    /// Plays the queue from `now` to `t` with the current demand and servers.
    fn run_piece(&mut self, t: f64) {
        let span = t - self.now;
        if span <= 0.0 {
            return;
        }
        let lam = self.lambda;
        self.arrivals += lam * span;
        if self.draining > 0.0 {
            // Each finishes at rate `mu`; a residue of 1e−9 requests is done.
            let left = self.draining * crate::math::exp(-self.mu * span);
            let done = if left < 1e-9 { self.draining } else { self.draining - left };
            self.draining -= done;
            // Their waits began before the scale-down and are not tracked, so they
            // count as completed but not in the step's latency (which they would
            // only lower, by scoring long-waited requests as short ones).
            self.completed += done;
        }
        if self.c == 0 {
            // No server: nothing starts, and everything is dropped.
            self.dropped += lam * span + self.x;
            self.x = 0.0;
            self.r = 0.0;
            self.cohorts.clear();
            self.now = t;
            return;
        }
        if lam <= 0.0 && self.x <= 0.0 {
            self.now = t;
            return;
        }
        let cmu = self.c as f64 * self.mu;
        if lam < cmu && self.stationary(span) {
            return;
        }
        // Relaxation time near the current state or the equilibrium, whichever is
        // more loaded; it grows without bound as ρ → 1, on both sides alike.
        let near = self.r.max(lam / cmu).min(MAX_RHO);
        let tau = self.table.mean_in_system(near).1 / cmu;
        self.transient(span, cmu, tau);
    }

    /// The whole span at equilibrium, when the transient to it is short and changes
    /// the response time by less than 1 %. Returns whether it applied.
    fn stationary(&mut self, span: f64) -> bool {
        let lam = self.lambda;
        let cmu = self.c as f64 * self.mu;
        let rho = lam / cmu;
        let (xs, dxs) = self.table.mean_in_system(rho);
        let waiting = xs - self.c as f64 * rho;
        // A request that has waited half the bound is a backlog's, not the
        // stationary queue's: it may be dropped, which only the transient tracks.
        let oldest_wait = self.cohorts.front().map_or(0.0, |c| self.now - c.from);
        if oldest_wait >= 0.5 * self.max_wait
            || waiting / lam.max(f64::MIN_POSITIVE) >= 0.5 * self.max_wait
        {
            return false;
        }
        // A slow relaxation (near saturation) must be played out, unless the
        // state is already at the equilibrium.
        let settled = (self.x - xs).abs() <= SETTLED * xs.max(1.0);
        // Parts of a step (sub-step rates) are short; their relaxation is judged
        // against the step, as the rates within it are a sample of one demand.
        let reference = if self.sub.is_empty() { span } else { self.step_len };
        if !settled && dxs / cmu > RELAXATION_SHARE * reference {
            return false;
        }
        let before = self.table.mean_wait(self.r, self.mu);
        let after = self.table.mean_wait(rho, self.mu);
        let (before, after) = (before + 1.0 / self.mu, after + 1.0 / self.mu);
        if (before - after).abs() > 0.01 * after {
            return false;
        }
        let served = lam * span - (xs - self.x);
        if served < 0.0 {
            return false;
        }
        self.now += span;
        self.completed += served;
        self.x = xs;
        self.r = rho;
        // At equilibrium the waiting requests are the last `waiting / λ` seconds' arrivals.
        self.cohorts.clear();
        if waiting > TINY {
            self.cohorts.push_back(Cohort {
                from: self.now - waiting / lam,
                to: self.now,
                mass: waiting,
            });
        }
        self.record(served, rho, 0.0);
        true
    }

    /// Implicit-Euler sub-steps over `span`: the first about one relaxation time
    /// `tau` long, each next one twice as long, so that a transient is resolved and
    /// the equilibrium after it costs a few steps only; a slow segment (relaxation
    /// longer than an eighth of it) in equal eighths.
    fn transient(&mut self, span: f64, cmu: f64, tau: f64) {
        let slow = tau >= span / SLOW_SUBSTEPS;
        let cf = self.c as f64;
        // The equilibrium, when the demand is below capacity.
        let rho = self.lambda / cmu;
        let equilibrium = (rho < 1.0).then(|| self.table.mean_in_system(rho));
        let mut h = if slow { span / SLOW_SUBSTEPS } else { tau.max(span * MIN_FIRST_SUBSTEP) };
        let mut left = span;
        let mut first = true;
        while left > 0.0 {
            // Once the transient has settled, the rest of the span is stationary.
            if !first && equilibrium.is_some() && self.stationary(left) {
                return;
            }
            first = false;
            let h_now = if left - h < 0.5 * h { left } else { h };
            left -= h_now;
            let t_end = self.now + h_now;
            let y = self.x + h_now * self.lambda;
            let mut r1 = self.table.solve_from(h_now * cmu, y, self.r);
            let mut x1 = y - h_now * cmu * r1;
            // Implicit Euler lags a fast relaxation by τ/h (its decay is 1/(1 + h/τ),
            // not e^{−h/τ}). An exponential step is exact there, and never faster
            // than the truth with the right rate: draining, the chord of ρ̂ (concave
            // in x) to the equilibrium; filling, its tangent at the equilibrium. Both
            // lag; whichever is closer to the equilibrium is the better.
            if let Some((xs, dxs)) = equilibrium {
                let gap = self.x - xs;
                if gap.abs() > TINY {
                    let rate = if gap > 0.0 { cmu * (self.r - rho) / gap } else { cmu / dxs };
                    let x_exp = xs + gap * exp(-rate * h_now);
                    if (x_exp - xs).abs() < (x1 - xs).abs() {
                        x1 = x_exp;
                        r1 = self.table.solve_from(0.0, x1, r1);
                    }
                }
            }
            // The outflow; x follows from the balance, so that conservation does not
            // depend on how closely a root was found.
            let served = (y - x1).clamp(0.0, y);
            x1 = y - served;
            self.completed += served;
            // Cohorts: this sub-step's arrivals join the back; starts leave the front
            // until the waiting mass is the stationary L_q at the new state.
            if self.lambda > 0.0 {
                self.cohorts.push_back(Cohort {
                    from: self.now,
                    to: t_end,
                    mass: h_now * self.lambda,
                });
            }
            let target = (x1 - cf * r1).max(0.0);
            let mut excess = self.cohorts.iter().map(|c| c.mass).sum::<f64>() - target;
            if excess < 0.0 {
                if let Some(back) = self.cohorts.back_mut() {
                    back.mass -= excess;
                }
            }
            // The requests that start now, oldest first.
            while excess > 0.0 {
                let Some(front) = self.cohorts.front_mut() else { break };
                if front.mass <= excess + TINY {
                    excess -= front.mass;
                    self.started.push(*front);
                    self.cohorts.pop_front();
                } else {
                    let from = front.from;
                    front.take_oldest(excess);
                    self.started.push(Cohort { from, to: front.from, mass: excess });
                    excess = 0.0;
                }
            }
            let start_rate = cmu * self.r.max(r1);
            // Whoever has waited max_wait by the end of the sub-step leaves.
            let deadline = t_end - self.max_wait;
            let mut reneged = 0.0;
            while let Some(front) = self.cohorts.front_mut() {
                if front.from >= deadline {
                    break;
                }
                if front.to <= deadline {
                    reneged += front.mass;
                    self.cohorts.pop_front();
                } else {
                    let part = front.mass * (deadline - front.from) / (front.to - front.from);
                    reneged += part;
                    front.take_oldest(part);
                    break;
                }
            }
            if reneged > 0.0 {
                x1 = (x1 - reneged).max(0.0);
                r1 = self.table.solve_from(0.0, x1, r1);
                self.dropped += reneged;
            }
            self.x = x1;
            self.r = r1;
            self.now = t_end;
            self.record_substep(served, r1, start_rate, h_now);
            if !slow {
                h *= 2.0;
            }
        }
    }

    /// Adds the step's scored completions to a run's histogram (after `end_step`).
    pub fn add_latency(&self, hist: &mut LatencyHistogram) {
        let served: f64 = self.parts.iter().map(|part| part.weight).sum();
        if served < MIN_SERVED_FOR_LATENCY {
            return;
        }
        // The tail at every `STRIDE`-th edge (and the last); between them ln(tail) is
        // interpolated linearly in t (exact for an exponential tail, and within a
        // small fraction of a bin for these mixtures).
        const STRIDE: usize = 3;
        let edges = hist.edges();
        let mut tails = vec![0.0; edges.len()];
        let last = edges.len() - 1;
        let mut i = 0;
        let mut prev: Option<(usize, f64)> = None;
        loop {
            let tail = mixture_tail(&self.parts, edges[i]).0;
            tails[i] = tail;
            if let Some((j, tj)) = prev {
                for k in j + 1..i {
                    let w = (edges[k] - edges[j]) / (edges[i] - edges[j]);
                    tails[k] = if tj > 0.0 && tail > 0.0 {
                        tj * crate::math::exp(w * crate::math::ln(tail / tj))
                    } else {
                        tj + w * (tail - tj)
                    };
                }
            }
            if i == last {
                break;
            }
            prev = Some((i, tail));
            i = (i + STRIDE).min(last);
        }
        hist.add_tails(served, &tails);
    }

    pub fn end_step(&mut self) -> StepTotals {
        let served: f64 = self.parts.iter().map(|part| part.weight).sum();
        let (mean, p95, over) = if served >= MIN_SERVED_FOR_LATENCY {
            let mean = self
                .parts
                .iter()
                .zip(&self.part_mean)
                .map(|(part, m)| part.weight * m)
                .sum::<f64>()
                / served;
            // The mixture's p95 lies between the least and the greatest of its parts'.
            let lo = self.part_p95.iter().map(|b| b.0).fold(f64::INFINITY, f64::min);
            let hi = self.part_p95.iter().map(|b| b.1).fold(0.0, f64::max);
            let mid = self
                .parts
                .iter()
                .zip(&self.part_p95)
                .map(|(part, b)| part.weight * 0.5 * (b.0 + b.1))
                .sum::<f64>()
                / served;
            let p95 = if hi - lo <= P95_BAND * lo {
                mid
            } else if let Some(sla) = self.sla_only {
                sla_side_estimate(&self.parts, sla, lo, hi, mid)
            } else {
                percentile_in(&self.parts, 0.95, lo, hi, mid)
            };
            // The step's requests are a sample: its p95 exceeds the SLA with the
            // probability that enough of them do.
            let q = self
                .parts
                .iter()
                .zip(&self.part_over)
                .map(|(part, o)| part.weight * o)
                .sum::<f64>()
                / served;
            (Some(mean), Some(p95), Some(p95_exceeds_probability(served, q)))
        } else {
            (None, None, None)
        };
        StepTotals {
            arrivals: self.arrivals,
            completed: self.completed,
            dropped: self.dropped,
            in_system: self.in_system(),
            mean_response_s: mean,
            p95_response_s: p95,
            p95_over_sla: over,
        }
    }
}

/// A p95 estimate on the right side of `sla`: the true p95 of the mixture lies in
/// `[lo, hi]`; when that interval (with a 1 % margin for the tabulated bounds) is on
/// one side of `sla`, the estimate `mid` is returned clamped into it; otherwise one
/// evaluation of the tail at `sla` decides the side, and the estimate is clamped to
/// that side. So `p95 > sla` holds exactly when it holds for the true p95, at a
/// fraction of the cost of the root.
fn sla_side_estimate(parts: &[Part], sla: f64, lo: f64, hi: f64, mid: f64) -> f64 {
    let est = mid.clamp(lo, hi);
    if hi <= sla * 0.99 || lo > sla * 1.01 {
        return est;
    }
    if mixture_tail(parts, sla).0 > 0.05 {
        est.max(sla * (1.0 + 1e-12))
    } else {
        est.min(sla)
    }
}
