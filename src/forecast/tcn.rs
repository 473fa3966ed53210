//! A temporal convolutional network: dilated causal convolutions of kernel 2 with
//! dilations 1, 2, 4, 8, ..., each level added to its input (a residual
//! connection), and a linear head from the top level at the last step.
//!
//! With kernel 2 and doubling dilations, the output at the last step reads level
//! `l` at the steps `T−1 − j·2^l` only, and each of those reads two steps of
//! level `l−1`: a binary tree over the window. Only that tree is computed (2^L − 1
//! convolution outputs instead of L·2^L for whole levels), and the window is the
//! receptive field, `2^L` steps.

use super::net::{add_scaled, dot, uniform, Net, NetConfig};
use crate::math;
use crate::rng::Rng;

/// Most levels (a window of 256 steps).
const MAX_LEVELS: usize = 8;

/// `L` levels of `C` channels. The input is lifted to `C` channels by a 1×1
/// convolution, `v₀ = w·x + b` (`+ w_s·sin + w_c·cos` of the time of day, when
/// the net reads it); level `l` (dilation `2^{l-1}`) computes
/// `v_l(t) = v_{l-1}(t) + relu(A_l·v_{l-1}(t) + B_l·v_{l-1}(t − 2^{l-1}) + b_l)`;
/// the outputs are `Wy·v_L(T−1) + by`.
#[derive(Debug, Clone)]
pub struct TcnNet {
    levels: usize,
    channels: usize,
    horizon: usize,
    features: usize,
    /// Lift `w` (C), `b` (C); per level `A` (C × C), `B` (C × C), `b` (C); head
    /// `Wy` (horizon × C), `by` (horizon); then with the time of day the lift's
    /// `(w_s, w_c)` per channel (C × 2). Without it the layout and the initial
    /// weights are those of a net that never had it.
    params: Vec<f64>,
}

/// The tree's values: every level's entries (`2^L`, `2^{L-1}`, ..., 1 of C
/// values; entry `j` of level `l` is step `T−1 − j·2^l`), the pre-activations of
/// levels 1..L, and their gradients in the backward pass.
#[derive(Debug, Clone, Default)]
pub struct TcnTape {
    v: Vec<f64>,
    u: Vec<f64>,
    dv: Vec<f64>,
    du: Vec<f64>,
}

impl TcnNet {
    /// The levels for a window of `window` steps: enough for the receptive field
    /// to cover it, from 1 to `MAX_LEVELS` (8).
    pub fn levels_for(window: usize) -> usize {
        let mut levels = 1;
        while (1 << levels) < window && levels < MAX_LEVELS {
            levels += 1;
        }
        levels
    }

    pub fn levels(&self) -> usize {
        self.levels
    }

    fn span(&self) -> usize {
        1 << self.levels
    }

    /// Where level `l`'s `A` starts (`l` from 1).
    fn level_offset(&self, l: usize) -> usize {
        let c = self.channels;
        2 * c + (l - 1) * (2 * c * c + c)
    }

    /// Where the head starts.
    fn head_offset(&self) -> usize {
        self.level_offset(self.levels + 1)
    }

    /// Where the lift's time-of-day weights start (after the head).
    fn phase_offset(&self) -> usize {
        self.head_offset() + self.horizon * self.channels + self.horizon
    }

    /// Where level `l`'s entries start in the tape's `v` (in values).
    fn entry_offset(&self, l: usize) -> usize {
        // Σ_{k<l} 2^{L-k} entries.
        let span = self.span();
        (2 * span - (span >> l) * 2) * self.channels
    }
}

impl Net for TcnNet {
    type Tape = TcnTape;
    const NAME: &'static str = "TCN";

    fn new(cfg: &NetConfig, rng: &mut Rng) -> TcnNet {
        let channels = cfg.hidden.max(1);
        let horizon = cfg.horizon.max(1);
        let features = cfg.features();
        let mut net = TcnNet {
            levels: TcnNet::levels_for(cfg.window),
            channels,
            horizon,
            features,
            params: Vec::new(),
        };
        let c = channels;
        let head = net.head_offset();
        let phase = net.phase_offset();
        let mut p = vec![0.0; phase + (features - 1) * c];
        uniform(&mut p[..c], 1.0, rng);
        uniform(&mut p[c..2 * c], 0.5, rng);
        let bound = 1.0 / math::sqrt(2.0 * c as f64);
        for l in 1..=net.levels {
            let at = net.level_offset(l);
            uniform(&mut p[at..at + 2 * c * c], bound, rng);
            // Slightly positive biases: fewer units start (and stay) off.
            p[at + 2 * c * c..at + 2 * c * c + c].fill(0.1);
        }
        // A small head: an untrained net predicts about the window's mean.
        uniform(&mut p[head..head + horizon * c], 0.1 / math::sqrt(c as f64), rng);
        uniform(&mut p[phase..], 1.0, rng);
        net.params = p;
        net
    }

    fn window(&self) -> usize {
        self.span()
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

    fn forward(&self, x: &[f64], tape: &mut TcnTape, out: &mut [f64]) {
        let c = self.channels;
        let span = self.span();
        let p = &self.params;
        tape.v.resize((2 * span - 1) * c, 0.0);
        tape.u.resize((span - 1) * c, 0.0);
        let (f, phase) = (self.features, self.phase_offset());
        for i in 0..span {
            let xi = &x[(span - 1 - i) * f..(span - i) * f];
            for k in 0..c {
                let mut v = p[k] * xi[0] + p[c + k];
                if f == 3 {
                    v += p[phase + 2 * k] * xi[1] + p[phase + 2 * k + 1] * xi[2];
                }
                tape.v[i * c + k] = v;
            }
        }
        for l in 1..=self.levels {
            let (a, bb, bias) = {
                let at = self.level_offset(l);
                (at, at + c * c, at + 2 * c * c)
            };
            let (below, above) = tape.v.split_at_mut(self.entry_offset(l));
            let below = &below[self.entry_offset(l - 1)..];
            let u_at = self.entry_offset(l) - span * c;
            for j in 0..span >> l {
                let cur = &below[2 * j * c..(2 * j + 1) * c];
                let del = &below[(2 * j + 1) * c..(2 * j + 2) * c];
                for k in 0..c {
                    let u = p[bias + k]
                        + dot(&p[a + k * c..a + (k + 1) * c], cur)
                        + dot(&p[bb + k * c..bb + (k + 1) * c], del);
                    tape.u[u_at + j * c + k] = u;
                    above[j * c + k] = cur[k] + u.max(0.0);
                }
            }
        }
        let top = &tape.v[self.entry_offset(self.levels)..];
        let head = self.head_offset();
        let by = head + self.horizon * c;
        for (k, o) in out.iter_mut().enumerate() {
            *o = p[by + k] + dot(&p[head + k * c..head + (k + 1) * c], top);
        }
    }

    fn backward(&self, x: &[f64], tape: &mut TcnTape, dout: &[f64], grad: &mut [f64]) {
        let c = self.channels;
        let span = self.span();
        let p = &self.params;
        let TcnTape { v, u, dv, du } = tape;
        dv.clear();
        dv.resize(v.len(), 0.0);
        du.clear();
        du.resize(c, 0.0);
        let head = self.head_offset();
        let by = head + self.horizon * c;
        let top = self.entry_offset(self.levels);
        for (k, &d) in dout.iter().enumerate() {
            grad[by + k] += d;
            add_scaled(&mut grad[head + k * c..head + (k + 1) * c], d, &v[top..top + c]);
            add_scaled(&mut dv[top..top + c], d, &p[head + k * c..head + (k + 1) * c]);
        }
        for l in (1..=self.levels).rev() {
            let at = self.level_offset(l);
            let (a, bb, bias) = (at, at + c * c, at + 2 * c * c);
            let below_at = self.entry_offset(l - 1);
            let above_at = self.entry_offset(l);
            let u_at = above_at - span * c;
            for j in 0..span >> l {
                let cur = below_at + 2 * j * c;
                let del = cur + c;
                for k in 0..c {
                    let d = dv[above_at + j * c + k];
                    // The residual path.
                    dv[cur + k] += d;
                    du[k] = if u[u_at + j * c + k] > 0.0 { d } else { 0.0 };
                }
                for (k, &d) in du.iter().enumerate() {
                    if d == 0.0 {
                        continue;
                    }
                    grad[bias + k] += d;
                    add_scaled(&mut grad[a + k * c..a + (k + 1) * c], d, &v[cur..cur + c]);
                    add_scaled(&mut grad[bb + k * c..bb + (k + 1) * c], d, &v[del..del + c]);
                    add_scaled(&mut dv[cur..cur + c], d, &p[a + k * c..a + (k + 1) * c]);
                    add_scaled(&mut dv[del..del + c], d, &p[bb + k * c..bb + (k + 1) * c]);
                }
            }
        }
        let (f, phase) = (self.features, self.phase_offset());
        for i in 0..span {
            let xi = &x[(span - 1 - i) * f..(span - i) * f];
            for k in 0..c {
                let d = dv[i * c + k];
                grad[k] += d * xi[0];
                grad[c + k] += d;
                if f == 3 {
                    grad[phase + 2 * k] += d * xi[1];
                    grad[phase + 2 * k + 1] += d * xi[2];
                }
            }
        }
    }
}
