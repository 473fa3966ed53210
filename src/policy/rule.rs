//! Rule: the Kubernetes Horizontal Pod Autoscaler (autoscaling/v2 with its default
//! behaviour), driven by the utilisation of the step just played.

use super::{DecisionMaker, Observation, WorldKind};
use crate::scenario::Scenario;
use std::collections::VecDeque;

/// HPA's scale-up policies by default: per period, add at most 100 % of the
/// replicas at the period's start or 4 replicas, whichever is more.
const SCALE_UP_PODS: u32 = 4;

/// The HPA algorithm, one controller sync per step:
///
/// 1. metric: `u`, the utilisation of the step just played (demand over its ready
///    capacity); `desired = ceil(ready · u / target)`, or the current count when
///    `|u / target − 1| ≤ tolerance`. Before the first step it holds. On a
///    scale-up while replicas boot, HPA counts the booting ones as idle and holds
///    when that ratio, `ready · u / (target · provisioned)`, is within the
///    tolerance or below 1: booting capacity is never cancelled for being unready.
/// 2. stabilisation: the recommendation may fall no lower than the highest
///    `desired` of the last `stabilisation_s` seconds (this one included), and no
///    lower than the current count unless `desired` is (HPA's
///    `max(current, desired)` capped by the window's maximum).
/// 3. rate: a scale-up adds at most `max(100 %, 4 replicas)` per
///    `scale_up_period_s`, compounded over the period starts within one step
///    (4 in a 60 s step with 15 s periods), as the controller acting every period
///    would; scale-down is unlimited (HPA's default allows 100 % per period).
/// 4. bounds: clamped to `[min, max]`.
///
/// "Current" is the provisioned count (ready + booting): HPA counts the spec's
/// replicas, not the ready pods. With a boot delay that is a multiple of the step,
/// replicas become ready at step boundaries, so `ready · u` is exactly the last
/// step's load in replicas.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    target: f64,
    tolerance: f64,
    stabilisation_s: f64,
    scale_up_period_s: f64,
    min: u32,
    max: u32,
    /// Time (s) and unstabilised `desired` of the recommendations still inside
    /// the stabilisation window, oldest first.
    recommendations: VecDeque<(f64, u32)>,
}

impl Rule {
    pub fn new(
        target: f64,
        tolerance: f64,
        stabilisation_s: f64,
        scale_up_period_s: f64,
        min: u32,
        max: u32,
    ) -> Rule {
        Rule {
            target,
            tolerance,
            stabilisation_s,
            scale_up_period_s,
            min,
            max: max.max(min),
            recommendations: VecDeque::new(),
        }
    }

    pub fn from_scenario(s: &Scenario) -> Rule {
        let r = &s.rule;
        Rule::new(
            r.target_utilisation,
            r.tolerance,
            r.stabilisation_s,
            r.scale_up_period_s,
            s.scaling.min_replicas,
            s.scaling.max_replicas,
        )
    }

    /// Step 1: the metric's recommendation.
    fn desired(&self, obs: &Observation) -> u32 {
        let current = obs.provisioned();
        let Some(last) = obs.last else {
            return current;
        };
        if obs.ready == 0 {
            // No ready replica to measure; with demand waiting, ask for one more.
            return if last.demand > 0.0 { current.saturating_add(1) } else { current };
        }
        let ratio = last.utilisation / self.target;
        if !ratio.is_finite() || (ratio - 1.0).abs() <= self.tolerance {
            return current;
        }
        // The relative nudge keeps float noise (6 · 1.05 / 0.7 = 9.000000000000002)
        // from adding a replica; `as` saturates a huge ratio, which step 3 then limits.
        let desired = (obs.ready as f64 * ratio * (1.0 - 1e-12)).ceil() as u32;
        if obs.booting > 0 && ratio > 1.0 {
            // HPA on a scale-up with unready pods: they count as idle, and if the
            // ratio over all pods is then within the tolerance or below 1, it holds.
            let with_booting = obs.ready as f64 * ratio / current as f64;
            if with_booting - 1.0 <= self.tolerance {
                return current;
            }
        }
        desired
    }

    /// Step 3: the most a scale-up from `current` may reach within one step.
    fn scale_up_limit(&self, current: u32, dt_s: f64) -> u32 {
        let periods = (dt_s / self.scale_up_period_s - 1e-9).ceil().max(1.0);
        let mut limit = current;
        let mut done = 0.0;
        while done < periods && limit < self.max {
            limit = limit.saturating_add(limit.max(SCALE_UP_PODS));
            done += 1.0;
        }
        limit
    }
}

impl DecisionMaker for Rule {
    fn kind(&self) -> WorldKind {
        WorldKind::Rule
    }

    fn decide(&mut self, obs: &Observation) -> u32 {
        let now = obs.step as f64 * obs.dt_s;
        let current = obs.provisioned();
        let desired = self.desired(obs);

        let cutoff = now - self.stabilisation_s;
        self.recommendations.retain(|&(t, _)| t > cutoff);
        let window_max = self.recommendations.iter().fold(desired, |m, &(_, r)| m.max(r));
        self.recommendations.push_back((now, desired));
        let stabilised = current.max(desired).min(window_max);

        let limited = if stabilised > current {
            stabilised.min(self.scale_up_limit(current, obs.dt_s))
        } else {
            stabilised
        };
        limited.clamp(self.min, self.max)
    }
}
