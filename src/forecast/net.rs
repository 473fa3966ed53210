//! The small hand-written pieces the two learned forecasters share: a network's
//! shape, the [`Net`] interface (a flat parameter vector, a forward pass that keeps
//! a tape, a backward pass from it), the loss, and Adam. All in `f64`, with the
//! transcendental functions of [`crate::math`], so a net trains to the same bits
//! natively and in WebAssembly.

use crate::math;
use crate::rng::Rng;

/// The shape and training knobs of a learned forecaster.
#[derive(Debug, Clone, PartialEq)]
pub struct NetConfig {
    /// Observations the net reads (the TCN rounds it up to a power of two).
    pub window: usize,
    /// Steps it predicts.
    pub horizon: usize,
    /// LSTM hidden units, or TCN channels.
    pub hidden: usize,
    /// Passes of pre-training over the training series.
    pub epochs: usize,
    pub learning_rate: f64,
    /// One online Adam step every this many observations (0: no online learning).
    pub update_every: usize,
    /// Seeds the initial weights and the pre-training's sampling.
    pub seed: u64,
    /// Steps in a day: when not 0, every step the net reads also carries the
    /// sine and cosine of its time of day (its index from the run's midnight,
    /// modulo `period`), so that a net can learn what the hour brings.
    pub period: usize,
}

impl NetConfig {
    /// Inputs a net reads per step: the demand, and the time of day's sine and
    /// cosine when [`NetConfig::period`] is set.
    pub fn features(&self) -> usize {
        if self.period > 0 {
            3
        } else {
            1
        }
    }
}

/// The time of day's `(sine, cosine)` at step `step` of a day of `period` steps.
pub fn phase(step: usize, period: usize) -> (f64, f64) {
    let angle = std::f64::consts::TAU * (step % period.max(1)) as f64 / period.max(1) as f64;
    (math::sin(angle), math::cos(angle))
}

/// A network mapping a normalised window to `horizon` normalised outputs. The
/// parameters are one flat vector (Adam, gradient checks and snapshots treat every
/// net alike); the tape holds what the backward pass needs.
pub trait Net: Clone + std::fmt::Debug + Send + 'static {
    type Tape: Default + Clone + std::fmt::Debug + Send;

    /// "LSTM" or "TCN".
    const NAME: &'static str;

    /// A net of that shape with random initial weights.
    fn new(cfg: &NetConfig, rng: &mut Rng) -> Self;

    /// Steps read per prediction.
    fn window(&self) -> usize;

    /// Inputs per step read: 1 (the demand), or 3 with the time of day.
    fn features(&self) -> usize;

    /// Outputs per prediction.
    fn horizon(&self) -> usize;

    fn params(&self) -> &[f64];

    fn params_mut(&mut self) -> &mut [f64];

    /// The outputs for the inputs `x` (`window()` steps of `features()` values,
    /// step by step) into `out` (`horizon()`), recording the tape.
    fn forward(&self, x: &[f64], tape: &mut Self::Tape, out: &mut [f64]);

    /// Adds to `grad` the gradient of a loss with respect to every parameter,
    /// given its gradient `dout` with respect to the outputs of the last
    /// `forward` (whose tape and inputs these are; the tape also holds scratch).
    fn backward(&self, x: &[f64], tape: &mut Self::Tape, dout: &[f64], grad: &mut [f64]);
}

/// Errors (normalised: relative to the window's mean) up to this count squared in
/// the loss, larger ones linearly (a Huber loss).
pub const HUBER_DELTA: f64 = 0.05;

/// The Huber loss of one error: `e²` up to [`HUBER_DELTA`], then `2δ|e| − δ²`.
/// Squared errors alone make the rare large misses (a switch of the bursty rate, a
/// spike's first step) pull every forecast towards them: a net trained on them
/// hedged, and lost to persistence on the bursty preset (2.7 against 2.3 req/s
/// mean absolute error, 2 steps ahead; 2.2 and 2.3 with this loss, LSTM and TCN).
/// δ is about the diurnal noise (5 %).
pub fn huber(e: f64) -> f64 {
    if e.abs() <= HUBER_DELTA {
        e * e
    } else {
        HUBER_DELTA * (2.0 * e.abs() - HUBER_DELTA)
    }
}

/// The loss of one window: the mean over the horizon of the [`huber`] losses of
/// the errors. Adds its gradient to `grad` and returns it; `out` and `dout` are
/// scratch of `horizon()` values.
pub fn loss_and_grad<N: Net>(
    net: &N,
    x: &[f64],
    target: &[f64],
    tape: &mut N::Tape,
    out: &mut [f64],
    dout: &mut [f64],
    grad: &mut [f64],
) -> f64 {
    net.forward(x, tape, out);
    let scale = 1.0 / out.len() as f64;
    let mut loss = 0.0;
    for ((d, o), t) in dout.iter_mut().zip(out.iter()).zip(target) {
        let e = o - t;
        loss += huber(e) * scale;
        *d = 2.0 * e.clamp(-HUBER_DELTA, HUBER_DELTA) * scale;
    }
    net.backward(x, tape, dout, grad);
    loss
}

/// Adam (Kingma & Ba) with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8. The bias
/// corrections use running products, not powers, so no platform's `powi` enters.
#[derive(Debug, Clone)]
pub struct Adam {
    m: Vec<f64>,
    v: Vec<f64>,
    beta1_t: f64,
    beta2_t: f64,
}

const BETA1: f64 = 0.9;
const BETA2: f64 = 0.999;
const EPS: f64 = 1e-8;
/// Gradients are scaled down to at most this global norm before a step: one
/// window of 100x demand must not throw the weights (or Adam's second moments,
/// which remember it for thousands of steps) far off.
const CLIP_NORM: f64 = 1.0;

impl Adam {
    pub fn new(n: usize) -> Adam {
        Adam { m: vec![0.0; n], v: vec![0.0; n], beta1_t: 1.0, beta2_t: 1.0 }
    }

    /// Its whole state in one flat list (`m`, `v`, then the two powers of the
    /// betas): what a build ships beside a pre-trained net's weights.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn flat(&self) -> Vec<f64> {
        let mut out = Vec::with_capacity(2 * self.m.len() + 2);
        out.extend_from_slice(&self.m);
        out.extend_from_slice(&self.v);
        out.extend_from_slice(&[self.beta1_t, self.beta2_t]);
        out
    }

    /// The state [`Adam::flat`] gave, for `n` parameters; `None` when it is not
    /// `2n + 2` finite numbers.
    pub fn from_flat(n: usize, state: &[f64]) -> Option<Adam> {
        if state.len() != 2 * n + 2 || !state.iter().all(|x| x.is_finite()) {
            return None;
        }
        Some(Adam {
            m: state[..n].to_vec(),
            v: state[n..2 * n].to_vec(),
            beta1_t: state[2 * n],
            beta2_t: state[2 * n + 1],
        })
    }

    /// One step of size `lr` along `grad` (clipped to norm `CLIP_NORM`, 1).
    pub fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64) {
        let norm = math::sqrt(grad.iter().map(|g| g * g).sum::<f64>());
        let clip = if norm > CLIP_NORM { CLIP_NORM / norm } else { 1.0 };
        self.beta1_t *= BETA1;
        self.beta2_t *= BETA2;
        let step = lr / (1.0 - self.beta1_t);
        let v_scale = 1.0 / (1.0 - self.beta2_t);
        for (((p, &g), m), v) in params.iter_mut().zip(grad).zip(&mut self.m).zip(&mut self.v) {
            let g = g * clip;
            *m = BETA1 * *m + (1.0 - BETA1) * g;
            *v = BETA2 * *v + (1.0 - BETA2) * g * g;
            *p -= step * *m / (math::sqrt(*v * v_scale) + EPS);
        }
    }
}

/// `Σ a_i b_i`.
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `y += a·x`.
#[inline]
pub fn add_scaled(y: &mut [f64], a: f64, x: &[f64]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

/// Fills `w` uniformly in `[-bound, bound]`.
pub fn uniform(w: &mut [f64], bound: f64, rng: &mut Rng) {
    for v in w {
        *v = rng.range(-bound, bound);
    }
}
