//! The response times of a whole run, for its p95 and p99: a histogram on a fixed
//! log-spaced grid. The exact physics adds each request; the fluid adds each step's
//! response-time distribution (its mixture's tail at the grid points) weighted by
//! the requests it completed. Quantiles interpolate log-linearly within a bin, so
//! their error is a small fraction of the bin's width (grid ratio 1.1).

/// Requests completed, by response-time bin.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyHistogram {
    /// Bin edges (s): bin 0 is `[0, edges[0]]`, bin `i` is `(edges[i−1], edges[i]]`,
    /// the last bin is everything above the last edge.
    edges: Vec<f64>,
    counts: Vec<f64>,
    total: f64,
}

impl LatencyHistogram {
    /// A grid from `lo` to `hi` seconds (`0 < lo < hi`), about 10 % per bin.
    pub fn new(lo: f64, hi: f64) -> LatencyHistogram {
        let (lo, hi) =
            if lo > 0.0 && hi > lo && hi.is_finite() { (lo, hi) } else { (0.01, 1000.0) };
        let n = ((crate::math::ln(hi / lo) / crate::math::ln(1.1)).ceil() as usize).clamp(8, 400);
        let ratio = crate::math::ln(hi / lo) / n as f64;
        let edges = (0..=n).map(|i| lo * crate::math::exp(ratio * i as f64)).collect::<Vec<_>>();
        let bins = edges.len() + 1;
        LatencyHistogram { edges, counts: vec![0.0; bins], total: 0.0 }
    }

    /// The grid for a service of mean `service_s` and a wait bound `max_wait_s`.
    pub fn for_service(service_s: f64, max_wait_s: f64) -> LatencyHistogram {
        let top = if max_wait_s.is_finite() { max_wait_s } else { 100.0 * service_s };
        LatencyHistogram::new(0.01 * service_s, top + 15.0 * service_s)
    }

    pub fn edges(&self) -> &[f64] {
        &self.edges
    }

    pub fn total(&self) -> f64 {
        self.total
    }

    /// One request of response time `t`.
    pub fn add_sample(&mut self, t: f64) {
        if !t.is_finite() || t < 0.0 {
            return;
        }
        let bin = self.edges.partition_point(|&e| e < t);
        self.counts[bin] += 1.0;
        self.total += 1.0;
    }

    /// `weight` requests whose response time has tail `tails[i] = P(T > edges[i])`.
    pub fn add_tails(&mut self, weight: f64, tails: &[f64]) {
        if !(weight > 0.0 && weight.is_finite()) || tails.len() != self.edges.len() {
            return;
        }
        let mut above = 1.0;
        for (i, &tail) in tails.iter().enumerate() {
            let tail = tail.clamp(0.0, above);
            self.counts[i] += weight * (above - tail);
            above = tail;
        }
        let last = self.counts.len() - 1;
        self.counts[last] += weight * above;
        self.total += weight;
    }

    /// The `p`-quantile (0 < p < 1), `None` when nothing was added. Within a bin
    /// the tail is taken as exponential (ln of the tail linear in t), as response
    /// times' tails are; in the first bin, the mass as uniform.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        if self.total <= 0.0 {
            return None;
        }
        let want = (1.0 - p.clamp(0.0, 1.0)) * self.total;
        // `above` is the mass above the bin's lower edge.
        let mut above = self.total;
        for (i, &c) in self.counts.iter().enumerate() {
            let next = above - c;
            if next <= want && c > 0.0 {
                return Some(match i {
                    0 => self.edges[0] * ((self.total - want) / c).clamp(0.0, 1.0),
                    i if i == self.edges.len() => self.edges[i - 1],
                    _ => {
                        let (a, b) = (self.edges[i - 1], self.edges[i]);
                        let share = if next > 0.0 && want > 0.0 {
                            crate::math::ln(above / want) / crate::math::ln(above / next)
                        } else {
                            (above - want) / c
                        };
                        a + share.clamp(0.0, 1.0) * (b - a)
                    }
                });
            }
            above = next;
        }
        self.edges.last().copied()
    }
}
