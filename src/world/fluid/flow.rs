//! The fluid's dynamics: the queue played over time at the current demand and
//! servers, at equilibrium when the transient to it is short, otherwise in
//! implicit-Euler sub-steps that move the waiting cohorts and drop whoever has
//! waited `max_wait`. Separate from what the completions score, which it only
//! hands on.

use super::{Cohort, Fluid};
use crate::math::exp;

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

impl Fluid {
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
}
