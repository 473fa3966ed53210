//! A one-layer LSTM read over the window from a zero state, its last hidden state
//! mapped linearly to the horizon's outputs. Trained by backpropagation through
//! the whole window.

use super::net::{add_scaled, dot, uniform, Net, NetConfig};
use crate::math::{self, sigmoid, tanh};
use crate::rng::Rng;

/// One-layer LSTM, input size 1 (the demand), or 3 with the time of day's sine
/// and cosine. Gates in the order input, forget, cell, output:
/// `z = Wx·x_t + Wp·(sin, cos)_t + Wh·h_{t-1} + b`, `c_t = f∘c_{t-1} + i∘g`,
/// `h_t = o∘tanh(c_t)`; the outputs are `Wy·h_W + by`.
#[derive(Debug, Clone)]
pub struct LstmNet {
    window: usize,
    hidden: usize,
    horizon: usize,
    features: usize,
    /// `Wx` (4H), `Wh` (4H × H, row-major), `b` (4H), `Wy` (horizon × H), `by`
    /// (horizon), then with the time of day `Wp` (4H × 2: each gate row's sine
    /// and cosine weights). Without it the layout and the initial weights are
    /// those of a net that never had it.
    params: Vec<f64>,
}

/// Per step of the window: the gates `i f g o` (4H), `c`, `tanh c` and `h` (H
/// each); and the backward pass's scratch.
#[derive(Debug, Clone, Default)]
pub struct LstmTape {
    steps: Vec<f64>,
    /// The zero initial state.
    zeros: Vec<f64>,
    dz: Vec<f64>,
    dh: Vec<f64>,
    dh_prev: Vec<f64>,
    dc: Vec<f64>,
}

impl LstmNet {
    fn offsets(&self) -> (usize, usize, usize, usize) {
        let g = 4 * self.hidden;
        let wh = g;
        let b = wh + g * self.hidden;
        let wy = b + g;
        let by = wy + self.horizon * self.hidden;
        (wh, b, wy, by)
    }
}

impl Net for LstmNet {
    type Tape = LstmTape;
    const NAME: &'static str = "LSTM";

    fn new(cfg: &NetConfig, rng: &mut Rng) -> LstmNet {
        let hidden = cfg.hidden.max(1);
        let horizon = cfg.horizon.max(1);
        let features = cfg.features();
        let mut net =
            LstmNet { window: cfg.window.max(1), hidden, horizon, features, params: Vec::new() };
        let (_, b, wy, by) = net.offsets();
        let phase = by + horizon;
        let mut p = vec![0.0; phase + (features - 1) * 4 * hidden];
        let bound = 1.0 / math::sqrt(hidden as f64);
        uniform(&mut p[..b], bound, rng);
        // Forget gates start open, so the state carries over the window.
        p[b + hidden..b + 2 * hidden].fill(1.0);
        // A small head: an untrained net predicts about the window's mean.
        uniform(&mut p[wy..by], 0.1 * bound, rng);
        uniform(&mut p[phase..], bound, rng);
        net.params = p;
        net
    }

    fn window(&self) -> usize {
        self.window
    }

    fn features(&self) -> usize {
        self.features
    }

    fn horizon(&self) -> usize {
        self.horizon
    }

    fn params(&self) -> &[f64] {
        &self.params
    }

    fn params_mut(&mut self) -> &mut [f64] {
        &mut self.params
    }

    fn forward(&self, x: &[f64], tape: &mut LstmTape, out: &mut [f64]) {
        let hn = self.hidden;
        let stride = 7 * hn;
        let (wh, b, wy, by) = self.offsets();
        let (p, f, phase) = (&self.params, self.features, by + self.horizon);
        tape.steps.resize(self.window * stride, 0.0);
        tape.zeros.clear();
        tape.zeros.resize(hn, 0.0);
        for t in 0..self.window {
            let xt = &x[t * f..(t + 1) * f];
            let (before, now) = tape.steps.split_at_mut(t * stride);
            let now = &mut now[..stride];
            let (c_prev, h_prev) = if t == 0 {
                (&tape.zeros[..], &tape.zeros[..])
            } else {
                let last = &before[(t - 1) * stride..];
                (&last[4 * hn..5 * hn], &last[6 * hn..7 * hn])
            };
            for r in 0..4 * hn {
                let mut z =
                    p[r] * xt[0] + p[b + r] + dot(&p[wh + r * hn..wh + (r + 1) * hn], h_prev);
                if f == 3 {
                    z += p[phase + 2 * r] * xt[1] + p[phase + 2 * r + 1] * xt[2];
                }
                now[r] = if (2 * hn..3 * hn).contains(&r) { tanh(z) } else { sigmoid(z) };
            }
            for j in 0..hn {
                let (i, f, g, o) = (now[j], now[hn + j], now[2 * hn + j], now[3 * hn + j]);
                let c = f * c_prev[j] + i * g;
                let tc = tanh(c);
                now[4 * hn + j] = c;
                now[5 * hn + j] = tc;
                now[6 * hn + j] = o * tc;
            }
        }
        let last = &tape.steps[(self.window - 1) * stride + 6 * hn..self.window * stride];
        for (k, o) in out.iter_mut().enumerate() {
            *o = p[by + k] + dot(&p[wy + k * hn..wy + (k + 1) * hn], last);
        }
    }

    fn backward(&self, x: &[f64], tape: &mut LstmTape, dout: &[f64], grad: &mut [f64]) {
        let hn = self.hidden;
        let stride = 7 * hn;
        let (wh, b, wy, by) = self.offsets();
        let (p, f, phase) = (&self.params, self.features, by + self.horizon);
        let LstmTape { steps, zeros, dz, dh, dh_prev, dc } = tape;
        for v in [&mut *dh, &mut *dh_prev, &mut *dc] {
            v.clear();
            v.resize(hn, 0.0);
        }
        dz.clear();
        dz.resize(4 * hn, 0.0);
        let w = self.window;
        let h_last = &steps[(w - 1) * stride + 6 * hn..w * stride];
        for (k, &d) in dout.iter().enumerate() {
            grad[by + k] += d;
            add_scaled(&mut grad[wy + k * hn..wy + (k + 1) * hn], d, h_last);
            add_scaled(dh, d, &p[wy + k * hn..wy + (k + 1) * hn]);
        }
        for t in (0..w).rev() {
            let now = &steps[t * stride..(t + 1) * stride];
            let (c_prev, h_prev) = if t == 0 {
                (&zeros[..], &zeros[..])
            } else {
                let last = &steps[(t - 1) * stride..t * stride];
                (&last[4 * hn..5 * hn], &last[6 * hn..7 * hn])
            };
            for j in 0..hn {
                let (i, f, g, o) = (now[j], now[hn + j], now[2 * hn + j], now[3 * hn + j]);
                let tc = now[5 * hn + j];
                // dL/dc_t: from later steps through the cell, and from h_t.
                let c = dc[j] + dh[j] * o * (1.0 - tc * tc);
                dz[j] = c * g * i * (1.0 - i);
                dz[hn + j] = c * c_prev[j] * f * (1.0 - f);
                dz[2 * hn + j] = c * i * (1.0 - g * g);
                dz[3 * hn + j] = dh[j] * tc * o * (1.0 - o);
                dc[j] = c * f;
            }
            dh_prev.fill(0.0);
            for (r, &d) in dz.iter().enumerate() {
                grad[r] += d * x[t * f];
                if f == 3 {
                    grad[phase + 2 * r] += d * x[t * f + 1];
                    grad[phase + 2 * r + 1] += d * x[t * f + 2];
                }
                grad[b + r] += d;
                let row = wh + r * hn..wh + (r + 1) * hn;
                add_scaled(&mut grad[row.clone()], d, h_prev);
                add_scaled(dh_prev, d, &p[row]);
            }
            std::mem::swap(dh, dh_prev);
        }
    }
}
