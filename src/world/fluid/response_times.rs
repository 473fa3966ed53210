//! What a step's completions come to: the response-time distribution of each
//! part of them (the stationary law at its utilisation, floored by how long its
//! requests had already waited), and from these parts the step's mean, its p95
//! against the SLA and its share of the run's latency histogram. Separate from
//! the dynamics, which decide how many complete and when they started.

use super::Fluid;
use crate::queueing::{mixture_tail, p95_exceeds_probability, percentile_in, Part, Response};
use crate::world::{LatencyHistogram, StepTotals};

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

/// The stationary law at one utilisation, with its p95 and mean wait (s).
struct Law {
    response: Response,
    p95: f64,
    wait: f64,
    /// `P(T > sla)`.
    over: f64,
}

impl Fluid {
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
    pub(super) fn record(&mut self, served: f64, r: f64, min_wait: f64) {
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
    pub(super) fn record_substep(&mut self, served: f64, r: f64, start_rate: f64, span: f64) {
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
