//! A learned net as a [`Forecaster`]: the window, its normalisation, pre-training
//! in chunks, online learning from the run's own past, and the reset to the
//! pre-trained weights.

use super::net::{huber, loss_and_grad, phase, Adam, Net, NetConfig};
use super::{admit, FitProgress, Forecaster, MAX_DEMAND};
use crate::rng::{Rng, Stream};
use std::cell::RefCell;
use std::collections::VecDeque;

/// Windows per pre-training mini-batch (one Adam step each).
const BATCH: usize = 16;
/// Windows per pre-training epoch at most, whatever the length of the series:
/// the pre-training's work is bounded by `epochs` alone.
const MAX_EPOCH_WINDOWS: usize = 8192;
/// Online steps are this fraction of `learning_rate`: the gradient of one window
/// is far noisier than a mini-batch's. Mean absolute error 2 steps ahead (req/s,
/// LSTM / TCN) with online steps at the full rate, at 0.1, at 0.03 and none:
/// diurnal 1.32/1.45, 1.13/1.16, 1.14/1.13, 1.14/1.13; bursty 2.74/3.07,
/// 2.22/2.46, 2.17/2.28, 2.14/2.28. A net pre-trained on the run's own family has
/// little left to learn from one run; at this rate online learning costs nothing
/// there and still learns what pre-training did not teach: nets that were not
/// pre-trained at all, learning online only, went on the bursty preset from
/// 6.66 to 5.61 (LSTM) and from 6.89 to 3.51 (TCN).
const ONLINE_RATE: f64 = 0.03;
/// A window's mean below this (req/s) is taken as this: an all-zero window
/// normalises to −1 everywhere instead of dividing by zero.
const TINY: f64 = 1e-9;
/// Normalised targets above this are taken as this: a 100x jump after a window
/// teaches "much higher", not a loss ten thousand times any other.
const MAX_TARGET: f64 = 20.0;

/// The scale of a window and its normalised values `y / mean − 1`, into the
/// first of every `features` values of `x`; with the time of day (`period` not
/// 0), its sine and cosine after each, the window's first step being `first`.
fn normalise(
    window: &[f64],
    x: &mut [f64],
    features: usize,
    (first, period): (usize, usize),
) -> f64 {
    let mean = (window.iter().sum::<f64>() / window.len() as f64).max(TINY);
    for (i, (x, y)) in x.chunks_mut(features).zip(window).enumerate() {
        x[0] = y / mean - 1.0;
        if features == 3 {
            (x[1], x[2]) = phase(first + i, period);
        }
    }
    mean
}

/// Pre-training in progress: the net being trained (the forecaster keeps
/// forecasting with its weights until the job ends), the series, and how many
/// mini-batches are done.
#[derive(Debug, Clone)]
struct FitJob<N> {
    net: N,
    adam: Adam,
    series: Vec<Vec<f64>>,
    /// Windows (with their targets) that start in each series, cumulated.
    ends: Vec<usize>,
    batches: usize,
    done: usize,
    rng: Rng,
}

/// Buffers reused from step to step.
#[derive(Default)]
struct Scratch<T> {
    tape: T,
    x: Vec<f64>,
    target: Vec<f64>,
    out: Vec<f64>,
    dout: Vec<f64>,
    grad: Vec<f64>,
    /// The last forecast's scale and normalised outputs, and the `version` they
    /// are for: the agent and the page both ask for the forecast of a step, and
    /// the second asks for free.
    forecast: (u64, f64, Vec<f64>),
    /// The observations a forecast reads, in one piece.
    window: Vec<f64>,
}

/// A forecaster around a net `N` ([`super::Lstm`], [`super::Tcn`]).
pub struct Learned<N: Net> {
    cfg: NetConfig,
    net: N,
    adam: Adam,
    /// The weights (and Adam's moments) after pre-training: `reset` returns here.
    fitted: (N, Adam),
    /// The last `window + horizon` observations.
    recent: VecDeque<f64>,
    seen: usize,
    /// Changes with every observation and every change of weights.
    version: u64,
    fit: Option<FitJob<N>>,
    scratch: RefCell<Scratch<N::Tape>>,
}

/// Its state in brief: a listing of every weight, tape and scratch buffer is no
/// reading matter, and its code is carried by the page for nothing.
impl<N: Net> std::fmt::Debug for Learned<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(N::NAME)
            .field("seen", &self.seen)
            .field("weights", &self.net.params().len())
            .finish()
    }
}

impl<T: Default> Scratch<T> {
    /// Buffers of the sizes `net` reads and writes, holding nothing yet.
    fn for_net<N: Net<Tape = T>>(net: &N) -> Scratch<T> {
        Scratch {
            tape: T::default(),
            x: vec![0.0; net.window() * net.features()],
            target: vec![0.0; net.horizon()],
            out: vec![0.0; net.horizon()],
            dout: vec![0.0; net.horizon()],
            grad: vec![0.0; net.params().len()],
            forecast: (u64::MAX, 0.0, Vec::new()),
            window: Vec::with_capacity(net.window()),
        }
    }
}

/// A copy starts with buffers of its own: the scratch holds nothing between
/// calls that a result depends on (the gradient is zero at rest, the last
/// forecast is computed again).
impl<N: Net> Clone for Learned<N> {
    fn clone(&self) -> Self {
        Learned {
            cfg: self.cfg.clone(),
            net: self.net.clone(),
            adam: self.adam.clone(),
            fitted: self.fitted.clone(),
            recent: self.recent.clone(),
            seen: self.seen,
            version: self.version,
            fit: self.fit.clone(),
            scratch: RefCell::new(Scratch::for_net(&self.net)),
        }
    }
}

impl<N: Net> Learned<N> {
    /// A net with random weights from `(cfg.seed, Stream::Forecaster)`, untrained.
    pub fn new(cfg: NetConfig) -> Learned<N> {
        let net = N::new(&cfg, &mut Rng::new(cfg.seed, Stream::Forecaster, 0));
        let adam = Adam::new(net.params().len());
        let scratch = Scratch::for_net(&net);
        Learned {
            fitted: (net.clone(), adam.clone()),
            recent: VecDeque::with_capacity(net.window() + net.horizon()),
            net,
            adam,
            seen: 0,
            version: 0,
            fit: None,
            cfg,
            scratch: RefCell::new(scratch),
        }
    }

    /// A net of that shape holding a pre-trained state ([`Forecaster::fitted_state`]:
    /// the weights, then Adam's), as `fit` leaves it; `None` when the state is
    /// not of this shape or not finite.
    pub fn pretrained(cfg: NetConfig, state: &[f64]) -> Option<Learned<N>> {
        let mut f = Learned::<N>::new(cfg);
        let n = f.net.params().len();
        if state.len() != 3 * n + 2 || !state[..n].iter().all(|x| x.is_finite()) {
            return None;
        }
        f.adam = Adam::from_flat(n, &state[n..])?;
        f.net.params_mut().copy_from_slice(&state[..n]);
        f.fitted = (f.net.clone(), f.adam.clone());
        f.version += 1;
        Some(f)
    }

    /// The mean loss (the Huber loss of the normalised outputs' errors, averaged
    /// over the horizon) over every window of `series` and its targets; `None` when the
    /// series is shorter than one window and its targets.
    pub fn mean_loss(&self, series: &[f64]) -> Option<f64> {
        let (w, h) = (self.net.window(), self.net.horizon());
        let count = (series.len() + 1).checked_sub(w + h).filter(|&c| c > 0)?;
        let s = &mut *self.scratch.borrow_mut();
        let mut total = 0.0;
        for start in 0..count {
            prepare(&self.net, &series[start..start + w + h], (start, self.cfg.period), s);
            self.net.forward(&s.x, &mut s.tape, &mut s.out);
            total += s.out.iter().zip(&s.target).map(|(o, t)| huber(o - t)).sum::<f64>() / h as f64;
        }
        Some(total / count as f64)
    }
}

/// One Adam step on the mean of the gradients summed in `grad` over `windows`
/// windows; clears `grad`.
fn descend<N: Net>(net: &mut N, adam: &mut Adam, grad: &mut [f64], windows: usize, lr: f64) {
    if windows > 1 {
        let scale = 1.0 / windows as f64;
        grad.iter_mut().for_each(|g| *g *= scale);
    }
    adam.step(net.params_mut(), grad, lr);
    grad.fill(0.0);
}

/// Puts into the scratch the inputs and targets of `w` (the net's window, then
/// its horizon's targets), both normalised by the window's mean; `at` is the
/// window's first step and the steps in a day.
fn prepare<N: Net>(net: &N, w: &[f64], at: (usize, usize), s: &mut Scratch<N::Tape>) {
    let n = net.window();
    let mean = normalise(&w[..n], &mut s.x, net.features(), at);
    for (t, y) in s.target.iter_mut().zip(&w[n..]) {
        *t = (y / mean - 1.0).min(MAX_TARGET);
    }
}

/// The loss of the window `w` (see [`prepare`]); its gradient is added to the
/// scratch's.
fn window_loss<N: Net>(net: &N, w: &[f64], at: (usize, usize), s: &mut Scratch<N::Tape>) -> f64 {
    prepare(net, w, at, s);
    loss_and_grad(net, &s.x, &s.target, &mut s.tape, &mut s.out, &mut s.dout, &mut s.grad)
}

impl<N: Net> Forecaster for Learned<N> {
    fn name(&self) -> &'static str {
        N::NAME
    }

    fn observe(&mut self, demand: f64) {
        let (w, h) = (self.net.window(), self.net.horizon());
        if self.recent.len() == w + h {
            self.recent.pop_front();
        }
        self.recent.push_back(admit(demand));
        self.seen += 1;
        self.version += 1;
        let k = self.cfg.update_every;
        if k > 0 && self.seen % k == 0 && self.recent.len() == w + h {
            // The newest complete window: its targets are the last `h` observations.
            let s = self.scratch.get_mut();
            let first = self.seen - (w + h);
            window_loss(&self.net, self.recent.make_contiguous(), (first, self.cfg.period), s);
            descend(
                &mut self.net,
                &mut self.adam,
                &mut s.grad,
                1,
                ONLINE_RATE * self.cfg.learning_rate,
            );
        }
    }

    fn forecast_path(&self, h: usize, out: &mut Vec<f64>) {
        out.clear();
        if self.recent.is_empty() || h == 0 {
            return;
        }
        let w = self.net.window();
        if self.recent.len() < w {
            // Too few observations for the net: their mean, like the moving average.
            let mean = self.recent.iter().sum::<f64>() / self.recent.len() as f64;
            out.resize(h, mean);
            return;
        }
        let s = &mut *self.scratch.borrow_mut();
        if s.forecast.0 != self.version {
            let skip = self.recent.len() - w;
            let at = (self.seen - w, self.cfg.period);
            s.window.clear();
            for &y in self.recent.iter().skip(skip) {
                s.window.push(y);
            }
            let mean = normalise(&s.window, &mut s.x, self.net.features(), at);
            self.net.forward(&s.x, &mut s.tape, &mut s.out);
            s.forecast.0 = self.version;
            s.forecast.1 = mean;
            s.forecast.2.clear();
            s.forecast.2.extend_from_slice(&s.out);
        }
        let (_, mean, outputs) = &s.forecast;
        for k in 0..h {
            let y = mean * (1.0 + outputs[k.min(outputs.len() - 1)]);
            out.push(if y.is_finite() { y.clamp(0.0, MAX_DEMAND) } else { *mean });
        }
    }

    fn fit_start(&mut self, series: &[Vec<f64>]) {
        let span = self.net.window() + self.net.horizon();
        let series: Vec<Vec<f64>> = series
            .iter()
            .filter(|s| s.len() >= span)
            .map(|s| s.iter().map(|&d| admit(d)).collect())
            .collect();
        let mut ends = Vec::with_capacity(series.len());
        let mut total = 0;
        for s in &series {
            total += s.len() + 1 - span;
            ends.push(total);
        }
        let per_epoch = total.min(MAX_EPOCH_WINDOWS).div_ceil(BATCH);
        // From the weights `reset` returns to, whatever the run did since.
        self.fit = Some(FitJob {
            net: self.fitted.0.clone(),
            adam: self.fitted.1.clone(),
            series,
            ends,
            batches: if total == 0 { 0 } else { self.cfg.epochs * per_epoch },
            done: 0,
            rng: Rng::new(self.cfg.seed, Stream::Forecaster, 1),
        });
    }

    fn fit_more(&mut self, batches: usize) -> FitProgress {
        let Some(mut job) = self.fit.take() else {
            return FitProgress::default();
        };
        let span = self.net.window() + self.net.horizon();
        let total = *job.ends.last().unwrap_or(&0);
        let until = job.done.saturating_add(batches).min(job.batches);
        let s = self.scratch.get_mut();
        while job.done < until {
            for _ in 0..BATCH {
                let i = job.rng.below(total as u64) as usize;
                let k = job.ends.partition_point(|&e| e <= i);
                let start = i - if k == 0 { 0 } else { job.ends[k - 1] };
                window_loss(
                    &job.net,
                    &job.series[k][start..start + span],
                    (start, self.cfg.period),
                    s,
                );
            }
            // The step shrinks linearly to a tenth of `learning_rate` by the end.
            let decay = 1.0 - 0.9 * job.done as f64 / job.batches as f64;
            descend(
                &mut job.net,
                &mut job.adam,
                &mut s.grad,
                BATCH,
                self.cfg.learning_rate * decay,
            );
            job.done += 1;
        }
        let progress = FitProgress { done: job.done, total: job.batches };
        if job.done < job.batches {
            self.fit = Some(job);
        } else {
            // From now on, the pre-trained weights: live, and what `reset` returns to.
            self.fitted = (job.net.clone(), job.adam.clone());
            self.net = job.net;
            self.adam = job.adam;
            self.version += 1;
        }
        progress
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn fitted_state(&self) -> Option<Vec<f64>> {
        let mut out = self.fitted.0.params().to_vec();
        out.extend(self.fitted.1.flat());
        Some(out)
    }

    fn reset(&mut self) {
        self.net = self.fitted.0.clone();
        self.adam = self.fitted.1.clone();
        self.recent.clear();
        self.seen = 0;
        self.version += 1;
    }

    fn clone_box(&self) -> Box<dyn Forecaster> {
        Box::new(self.clone())
    }
}
