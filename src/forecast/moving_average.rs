//! The mean of the last `window` observations, as a flat path.

use super::{admit, Forecaster};

/// The last `capacity` values pushed and their sum, in O(1) per push. The running
/// sum is re-summed exactly every `capacity` pushes, so the rounding of the
/// add-and-subtract updates never accumulates (a run of 10^6 followed by small
/// values would otherwise leave a visible residue).
#[derive(Debug, Clone)]
pub(super) struct Window {
    capacity: usize,
    /// Once full, `next` is the oldest value.
    ring: Vec<f64>,
    next: usize,
    sum: f64,
    since_resum: usize,
}

impl Window {
    /// A capacity of 0 is taken as 1.
    pub(super) fn new(capacity: usize) -> Window {
        let capacity = capacity.max(1);
        Window { capacity, ring: Vec::with_capacity(capacity), next: 0, sum: 0.0, since_resum: 0 }
    }

    pub(super) fn push(&mut self, v: f64) {
        if self.ring.len() < self.capacity {
            self.ring.push(v);
            self.sum += v;
        } else {
            self.sum += v - self.ring[self.next];
            self.ring[self.next] = v;
            self.next = (self.next + 1) % self.capacity;
        }
        self.since_resum += 1;
        if self.since_resum == self.capacity {
            self.sum = self.ring.iter().sum();
            self.since_resum = 0;
        }
    }

    /// The mean of the values held (`None` when empty).
    pub(super) fn mean(&self) -> Option<f64> {
        (!self.ring.is_empty()).then(|| self.sum / self.ring.len() as f64)
    }

    /// The mean of the values held once `capacity` of them were pushed.
    pub(super) fn full_mean(&self) -> Option<f64> {
        self.mean().filter(|_| self.ring.len() == self.capacity)
    }

    pub(super) fn clear(&mut self) {
        *self = Window::new(self.capacity);
    }
}

/// The mean of the last `window` observations (of all of them while fewer were
/// seen), predicted for every future step.
#[derive(Debug, Clone)]
pub struct MovingAverage {
    recent: Window,
}

impl MovingAverage {
    /// A window of 0 is taken as 1 (the scenario's validation already refuses it).
    pub fn new(window: usize) -> MovingAverage {
        MovingAverage { recent: Window::new(window) }
    }

    pub fn window(&self) -> usize {
        self.recent.capacity
    }
}

impl Forecaster for MovingAverage {
    fn name(&self) -> &'static str {
        "moving average"
    }

    fn observe(&mut self, demand: f64) {
        self.recent.push(admit(demand));
    }

    fn forecast_path(&self, h: usize, out: &mut Vec<f64>) {
        out.clear();
        if let Some(mean) = self.recent.mean() {
            // Between re-sums the running sum may sit a rounding error below 0.
            out.resize(h, mean.max(0.0));
        }
    }

    fn reset(&mut self) {
        self.recent.clear();
    }

    fn clone_box(&self) -> Box<dyn Forecaster> {
        Box::new(self.clone())
    }
}
