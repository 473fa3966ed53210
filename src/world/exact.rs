//! The ground truth: a per-request discrete-event simulation of the same world.
//! Poisson arrivals at the step's rate (or a replay's real timestamps), exponential
//! service (or service from token counts), first come first served over all ready
//! slots, and a request that has waited `max_wait` without starting leaves, dropped
//! (the same requests as rejecting, on arrival, those that would wait longer).
//!
//! A step's requests and service times are drawn from the trace's seed and the step
//! index only, so every world of a run sees the very same requests.

use super::{StepTotals, WorldConfig};
use crate::rng::{Rng, Stream};
use crate::scenario::ServiceModel;
use crate::workload::Trace;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};

#[derive(Debug, Clone, Copy, PartialEq)]
struct Request {
    arrival: f64,
    service: f64,
}

/// A request in service, ordered by its completion time.
#[derive(Debug, Clone, Copy, PartialEq)]
struct InService {
    done: f64,
    arrival: f64,
}

impl Eq for InService {}

impl PartialOrd for InService {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for InService {
    fn cmp(&self, other: &Self) -> Ordering {
        self.done.total_cmp(&other.done)
    }
}

#[derive(Debug, Clone)]
pub struct Exact {
    mu: f64,
    max_wait: f64,
    service: ServiceModel,
    per_token_s: f64,
    servers: u32,
    now: f64,
    waiting: VecDeque<Request>,
    running: BinaryHeap<Reverse<InService>>,
    /// This step's arrivals, in time order, and the next one to come.
    arrivals: Vec<Request>,
    next_arrival: usize,
    // Per-step accumulators.
    completed: u64,
    dropped: u64,
    responses: Vec<f64>,
}

impl Exact {
    pub fn new(config: &WorldConfig, servers: u32) -> Exact {
        Exact {
            mu: config.mu,
            max_wait: config.max_wait_s,
            service: config.service,
            per_token_s: config.per_token_s,
            servers,
            now: 0.0,
            waiting: VecDeque::new(),
            running: BinaryHeap::new(),
            arrivals: Vec::new(),
            next_arrival: 0,
            completed: 0,
            dropped: 0,
            responses: Vec::new(),
        }
    }

    pub fn in_system(&self) -> f64 {
        (self.waiting.len() + self.running.len()) as f64
    }

    /// Draws the step's arrivals: the replay's own requests when it has them,
    /// otherwise a Poisson process at the step's rate.
    pub fn begin_step(&mut self, step: usize, t0: f64, trace: &Trace) {
        self.now = t0;
        self.completed = 0;
        self.dropped = 0;
        self.responses.clear();
        self.arrivals.clear();
        self.next_arrival = 0;
        let t1 = t0 + trace.dt;
        let mut rng = Rng::new(trace.seed, Stream::Requests, step as u64);
        match &trace.requests {
            Some(req) => {
                let tokens = match self.service {
                    ServiceModel::Tokens => req.generated_tokens.as_deref(),
                    ServiceModel::Exponential => None,
                };
                let (mu, per_token) = (self.mu, self.per_token_s);
                let arrivals = &mut self.arrivals;
                req.for_each_in(t0, t1, |at, i| {
                    let service = match tokens {
                        Some(tok) => tok[i] as f64 * per_token,
                        None => rng.exponential(mu),
                    };
                    arrivals.push(Request { arrival: at, service });
                });
            }
            None => {
                let rate = trace.rates[step];
                if rate > 0.0 {
                    let mut t = t0 + rng.exponential(rate);
                    while t < t1 {
                        let service = rng.exponential(self.mu);
                        self.arrivals.push(Request { arrival: t, service });
                        t += rng.exponential(rate);
                    }
                }
            }
        }
    }

    pub fn set_servers(&mut self, servers: u32) {
        self.servers = servers;
        self.start_waiting();
    }

    /// Starts waiting requests while a slot is free (a removed replica's requests
    /// finish first: no new request starts while more are running than slots exist).
    fn start_waiting(&mut self) {
        while (self.running.len() as u32) < self.servers {
            let Some(req) = self.waiting.pop_front() else { break };
            self.running
                .push(Reverse(InService { done: self.now + req.service, arrival: req.arrival }));
        }
    }

    pub fn run_until(&mut self, t: f64) {
        loop {
            let next_done = self.running.peek().map_or(f64::INFINITY, |r| r.0.done);
            let next_expiry =
                self.waiting.front().map_or(f64::INFINITY, |r| r.arrival + self.max_wait);
            let next_arrival =
                self.arrivals.get(self.next_arrival).map_or(f64::INFINITY, |r| r.arrival);
            let next = next_done.min(next_expiry).min(next_arrival);
            if next >= t {
                break;
            }
            self.now = next;
            if next_done == next {
                let r = self.running.pop().expect("peeked").0;
                self.completed += 1;
                self.responses.push(r.done - r.arrival);
                self.start_waiting();
            } else if next_expiry == next {
                self.waiting.pop_front();
                self.dropped += 1;
            } else {
                let req = self.arrivals[self.next_arrival];
                self.next_arrival += 1;
                self.waiting.push_back(req);
                self.start_waiting();
            }
        }
        self.now = t;
    }

    /// Adds the step's completed requests to a run's histogram.
    pub fn add_latency(&self, hist: &mut super::LatencyHistogram) {
        for &r in &self.responses {
            hist.add_sample(r);
        }
    }

    pub fn end_step(&mut self) -> StepTotals {
        let n = self.responses.len();
        let (mean, p95) = if n == 0 {
            (None, None)
        } else {
            let mean = self.responses.iter().sum::<f64>() / n as f64;
            // Nearest rank: the smallest response time with at least 95 % at or below it.
            let k = ((0.95 * n as f64).ceil() as usize).clamp(1, n) - 1;
            let p95 = crate::math::nth_smallest(&mut self.responses, k);
            (Some(mean), Some(p95))
        };
        StepTotals {
            arrivals: self.next_arrival as f64,
            completed: self.completed as f64,
            dropped: self.dropped as f64,
            in_system: self.in_system(),
            mean_response_s: mean,
            p95_response_s: p95,
            p95_over_sla: None,
        }
    }
}
