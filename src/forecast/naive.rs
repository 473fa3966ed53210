//! Persistence: the future is the last observed demand.

use super::{admit, Forecaster};

/// Every future step equals the last observed demand.
#[derive(Debug, Clone, Default)]
pub struct Naive {
    last: Option<f64>,
}

impl Forecaster for Naive {
    fn name(&self) -> &'static str {
        "naive"
    }

    fn observe(&mut self, demand: f64) {
        self.last = Some(admit(demand));
    }

    fn forecast_path(&self, h: usize, out: &mut Vec<f64>) {
        out.clear();
        if let Some(last) = self.last {
            out.resize(h, last);
        }
    }

    fn reset(&mut self) {
        self.last = None;
    }

    fn clone_box(&self) -> Box<dyn Forecaster> {
        Box::new(self.clone())
    }
}
