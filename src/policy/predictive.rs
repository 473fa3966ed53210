//! Predictive: the autoscaler the major clouds ship as "predictive scaling". It
//! forecasts the demand over the boot delay, sizes the fleet for the highest step
//! of that forecast (and for the demand now, if higher) with a margin, by the
//! same M/M/c test as Static ([`Sizer`]), and scales out to it at once, so
//! that replicas are ready when the forecast rise comes. It scales in only
//! reactively: to what the demand seen, not the forecast, needs, and only when
//! nothing larger was recommended within the stabilisation window (the scale-in
//! cool-down of the clouds' predictive scaling, where scale-in is left to the
//! reactive policy).

use super::{DecisionMaker, Observation, Sizer, WorldKind};
use crate::forecast::{self, Forecaster};
use crate::scenario::Scenario;
use std::collections::VecDeque;

#[derive(Debug, Clone)]
pub struct Predictive {
    forecaster: Box<dyn Forecaster>,
    sizer: Sizer,
    /// Steps the forecast looks ahead: the step about to be played to the first
    /// one the replicas requested now serve (the boot delay in steps, plus one).
    horizon: usize,
    margin: f64,
    stabilisation_s: f64,
    min: u32,
    max: u32,
    fed: usize,
    path: Vec<f64>,
    /// Time (s) and fleet of the recommendations inside the window, oldest first.
    recommendations: VecDeque<(f64, u32)>,
    /// What the last decision sized for: the forecast's highest step over the
    /// boot delay, when there was one.
    pub last_ahead: Option<f64>,
}

impl Predictive {
    /// For the scenario, with its forecaster (a learned one pre-trained, as the
    /// agent carries it) and the sizing of the worlds' configuration.
    pub fn new(s: &Scenario, forecaster: Box<dyn Forecaster>, sizer: Sizer) -> Predictive {
        let mut forecaster = forecaster;
        forecaster.reset();
        Predictive {
            forecaster,
            sizer,
            horizon: (s.scaling.boot_delay_s / s.dt_s).ceil() as usize + 1,
            margin: s.predictive.margin,
            stabilisation_s: s.predictive.stabilisation_s,
            min: s.scaling.min_replicas,
            max: s.scaling.max_replicas.max(s.scaling.min_replicas),
            fed: 0,
            path: Vec::new(),
            recommendations: VecDeque::new(),
            last_ahead: None,
        }
    }
}

impl DecisionMaker for Predictive {
    fn kind(&self) -> WorldKind {
        WorldKind::Predictive
    }

    fn decide(&mut self, obs: &Observation) -> u32 {
        let current = obs.provisioned();
        forecast::catch_up(self.forecaster.as_mut(), &mut self.fed, obs.history);
        let Some(&now) = obs.history.last() else { return current.clamp(self.min, self.max) };
        self.path.clear();
        self.forecaster.forecast_path(self.horizon, &mut self.path);
        let ahead = self.path.iter().copied().fold(now, f64::max);
        self.last_ahead = (!self.path.is_empty()).then_some(ahead);
        let out = self.sizer.need(ahead * (1.0 + self.margin));
        let reactive = self.sizer.need(now * (1.0 + self.margin));
        let t = obs.step as f64 * obs.dt_s;
        let cutoff = t - self.stabilisation_s;
        self.recommendations.retain(|&(at, _)| at > cutoff);
        self.recommendations.push_back((t, reactive));
        let target = if out > current {
            out
        } else {
            // In: only as far as the largest reactive recommendation of the window.
            let window = self.recommendations.iter().fold(out, |m, &(_, r)| m.max(r));
            window.min(current)
        };
        target.clamp(self.min, self.max)
    }
}
