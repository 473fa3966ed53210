//! Workloads: the demand trace every world of a run sees, a pure function of the
//! scenario (its workload parameters and seed) and, for a replay, the imported CSV.

mod families;
pub mod replay;
pub mod scheduled;

pub use replay::{ReplayData, RequestRow};

use crate::error::{Error, Result};
use crate::scenario::{Family, Scenario};

/// Requests of a request-level replay, laid out on the run's time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Requests {
    /// Arrival times (s) from the trace origin, sorted, within `[0, period)`.
    pub times: Vec<f64>,
    /// Generated tokens per request, when the CSV had them.
    pub generated_tokens: Option<Vec<u32>>,
    /// Length of one pass of the trace (s).
    pub period: f64,
    /// Whether the trace repeats after `period`.
    pub repeat: bool,
}

impl Requests {
    /// Calls `f(time, index)` for every request arriving in `[t0, t1)`, in order.
    pub fn for_each_in(&self, t0: f64, t1: f64, mut f: impl FnMut(f64, usize)) {
        if self.times.is_empty() || t1 <= t0 {
            return;
        }
        let mut pass = (t0 / self.period).floor().max(0.0);
        loop {
            let offset = pass * self.period;
            if offset >= t1 || (!self.repeat && pass > 0.0) {
                return;
            }
            let lo = self.times.partition_point(|&t| t + offset < t0);
            for (i, &t) in self.times[lo..].iter().enumerate() {
                let at = t + offset;
                if at >= t1 {
                    return;
                }
                f(at, lo + i);
            }
            pass += 1.0;
        }
    }
}

impl Requests {
    /// The number of requests arriving in `[t0, t1)`: what [`Requests::for_each_in`]
    /// visits, by the same comparisons, in time logarithmic in the trace however
    /// many passes the interval spans.
    pub fn count_in(&self, t0: f64, t1: f64) -> usize {
        if t1 <= t0 {
            return 0;
        }
        self.before(t1) - self.before(t0)
    }

    /// The requests arriving in each of `parts` consecutive intervals of `h`
    /// from 0, `[j·h, (j + 1)·h)`: `count_in` of each, by the same comparisons,
    /// in one sweep (each pass's cursor only moves forward as the intervals
    /// do) instead of a search per interval. A replay's sub-step rates are
    /// counted this way for every training episode's trace.
    pub fn counts_in_parts(&self, h: f64, parts: usize) -> Vec<usize> {
        let mut sweep = Sweep { req: self, cursors: [(u64::MAX, 0); 2] };
        let mut last = sweep.before(0.0);
        (0..parts)
            .map(|j| {
                let next = sweep.before((j + 1) as f64 * h);
                let n = next.saturating_sub(last);
                last = next;
                n
            })
            .collect()
    }

    /// Requests arriving before `t` (from 0).
    fn before(&self, t: f64) -> usize {
        self.before_by(t, |p| {
            let offset = p as f64 * self.period;
            self.times.partition_point(|&x| x + offset < t)
        })
    }

    /// Requests arriving before `t` (from 0), given `in_pass(p)`: the requests of
    /// pass `p` before `t`. Every pass ending a whole period before `t` counts in
    /// full; the last two are compared request by request.
    fn before_by(&self, t: f64, mut in_pass: impl FnMut(u64) -> usize) -> usize {
        let n = self.times.len();
        if n == 0 || t <= 0.0 {
            return 0;
        }
        if !self.repeat {
            return in_pass(0);
        }
        let last = (t / self.period).floor();
        let full = (last - 1.0).max(0.0);
        full as usize * n + (full as u64..=last as u64).map(&mut in_pass).sum::<usize>()
    }
}

/// [`Requests::before`] for times that never decrease: the same passes counted
/// the same way ([`Requests::before_by`]), each pass's partition point searched
/// from where it was at the time before (the predicate holds on a prefix of each
/// pass: sorted times, monotone rounding), so a forward search stops where the
/// binary search does.
struct Sweep<'a> {
    req: &'a Requests,
    /// (pass, partition point at the time before), pass `p` in slot `p % 2`: the
    /// two passes `before_by` compares are consecutive.
    cursors: [(u64, usize); 2],
}

impl Sweep<'_> {
    fn before(&mut self, t: f64) -> usize {
        let req = self.req;
        req.before_by(t, |p| self.in_pass(p, t))
    }

    /// Where pass `p`'s search starts: its partition point at the time before,
    /// or its first request. Any start at or below the partition point counts
    /// the same; only the speed depends on it.
    fn start(&self, p: u64) -> usize {
        match self.cursors[(p % 2) as usize] {
            (q, i) if q == p => i,
            _ => 0,
        }
    }

    fn in_pass(&mut self, p: u64, t: f64) -> usize {
        let r = self.req;
        let offset = p as f64 * r.period;
        // Galloping from the start, then a binary search in the last stride:
        // a few comparisons however far the point moved (a pass of a million
        // requests looped every second must not be walked request by request).
        let below = |x: &f64| *x + offset < t;
        let times = &r.times;
        let mut stride = 1;
        let mut lo = self.start(p);
        while lo + stride <= times.len() && below(&times[lo + stride - 1]) {
            lo += stride;
            stride *= 2;
        }
        let hi = (lo + stride).min(times.len());
        let i = lo + times[lo..hi].partition_point(below);
        self.cursors[(p % 2) as usize] = (p, i);
        i
    }
}

/// The demand of a run: one rate per step, and the real requests of a replay.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// Step length (s).
    pub dt: f64,
    /// Mean demand of each step (req/s).
    pub rates: Vec<f64>,
    /// Real request timestamps (request-level replays only).
    pub requests: Option<Requests>,
    /// The seed the trace was built from; the exact physics draws each step's
    /// requests from it, so every world of a run sees the same requests.
    pub seed: u64,
    /// A request-level replay's rates within each step, from its own timestamps:
    /// what the fluid physics and the Oracle know of a step's burstiness.
    pub sub_rates: Option<SubRates>,
}

/// Rates over equal parts of each step, `per_step` parts a step, step-major.
#[derive(Debug, Clone, PartialEq)]
pub struct SubRates {
    pub per_step: usize,
    pub rates: Vec<f64>,
}

/// The length of the parts of a step that a replay's sub-step rates count
/// arrivals over (s): short enough to see a burst of a few seconds' worth of
/// requests, long enough to hold a handful of them at the traces' rates.
pub const SUB_STEP_S: f64 = 5.0;

impl Trace {
    pub fn len(&self) -> usize {
        self.rates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rates.is_empty()
    }

    /// The trace started `by` steps later, wrapping round: its step rates and
    /// its sub-step rates alike, so that each step's parts still sum to it.
    /// The requests' timestamps cannot turn with them and are dropped (a
    /// rotated trace is for the fluid physics, which reads the rates).
    /// The offset is reduced in 64 bits, so that a seed gives the same rotation
    /// natively and in WebAssembly (whose usize is 32 bits).
    pub fn rotate_left(&mut self, by: u64) {
        if self.rates.is_empty() {
            return;
        }
        let by = (by % self.rates.len() as u64) as usize;
        self.rates.rotate_left(by);
        if let Some(sub) = self.sub_rates.as_mut() {
            sub.rates.rotate_left(by * sub.per_step);
        }
        self.requests = None;
    }

    /// The rates within step `i`, for a request-level replay.
    pub fn sub_rates(&self, i: usize) -> Option<&[f64]> {
        let s = self.sub_rates.as_ref()?;
        s.rates.get(i * s.per_step..(i + 1) * s.per_step)
    }

    /// The largest per-step demand.
    pub fn peak(&self) -> f64 {
        self.rates.iter().copied().fold(0.0, f64::max)
    }

    pub fn mean(&self) -> f64 {
        if self.rates.is_empty() {
            0.0
        } else {
            self.rates.iter().sum::<f64>() / self.rates.len() as f64
        }
    }

    /// Builds the trace of a scenario with its own seed.
    pub fn build(s: &Scenario, replay: Option<&ReplayData>) -> Result<Trace> {
        Trace::build_with_seed(s, s.seed, replay)
    }

    /// Builds the trace of a scenario's family with another seed (training traces).
    pub fn build_with_seed(s: &Scenario, seed: u64, replay: Option<&ReplayData>) -> Result<Trace> {
        let n = s.steps as usize;
        let dt = s.dt_s;
        let w = &s.workload;
        let (rates, requests) = match w.family {
            Family::Diurnal => (families::diurnal(w, seed, dt, n, false), None),
            Family::FlashCrowd => (families::diurnal(w, seed, dt, n, true), None),
            Family::Bursty => (families::mmpp(w, seed, dt, n), None),
            Family::Constant => (vec![w.base_rps; n], None),
            Family::Step => (families::step(w, dt, n), None),
            Family::Scheduled => (scheduled::scheduled(&w.scheduled, w.noise, seed, dt, n), None),
            Family::Replay => {
                let data = replay.ok_or_else(|| {
                    Error::ReplayFile(format!(
                        "workload.family = replay needs the CSV data of '{}'",
                        w.replay.source
                    ))
                })?;
                data.lay_out(&w.replay, seed, dt, n)?
            }
        };
        if s.queue.physics == crate::scenario::Physics::Exact {
            let busiest = rates.iter().fold(0.0f64, |m, &r| m.max(r)) * dt;
            if busiest > MAX_EXACT_REQUESTS_PER_STEP {
                return Err(Error::ScenarioText(format!(
                    "the exact physics simulates every request, at most {MAX_EXACT_REQUESTS_PER_STEP:.0} in a step; this trace's busiest step holds {busiest:.0} (demand x dt_s): lower the demand or dt_s, or use the fluid physics"
                )));
            }
        }
        let sub_rates = requests.as_ref().map(|req| {
            let per_step = ((dt / SUB_STEP_S).round() as usize).clamp(1, 60);
            let h = dt / per_step as f64;
            let rates =
                req.counts_in_parts(h, n * per_step).into_iter().map(|c| c as f64 / h).collect();
            SubRates { per_step, rates }
        });
        Ok(Trace { dt, rates, requests, seed, sub_rates })
    }
}

/// The most requests one step may hold under the exact physics (memory and time
/// grow with it; the fluid physics has no such limit).
pub const MAX_EXACT_REQUESTS_PER_STEP: f64 = 2_000_000.0;
