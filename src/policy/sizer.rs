//! The fewest replicas a demand needs, as a lookup: for each fleet size the most
//! demand it carries within the SLA ([`fewest_replicas_meeting_sla`]'s test, the
//! one a fluid step is judged by), found once by bisection. The calm agent and
//! the Predictive world ask it every step; a search of the closed forms there
//! would cost more than the step itself.

use super::fewest_replicas_meeting_sla;
use crate::world::WorldConfig;
use std::sync::Arc;

/// Replicas needed for a demand, from precomputed capacities.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizer {
    min: u32,
    max: u32,
    /// `carries[i]`: the most demand (req/s) that `min + i` replicas carry
    /// within the SLA over one step.
    carries: Arc<[f64]>,
}

impl Sizer {
    /// The capacities of every fleet size of `config`, for steps of `dt_s`.
    pub fn new(config: &WorldConfig, dt_s: f64) -> Sizer {
        let (min, max) = (config.min_replicas, config.max_replicas.max(config.min_replicas));
        let per_replica = config.slots as f64 * config.mu;
        // The test is not monotone in the demand where steps hold few requests
        // (the service time's own tail decides there, and it shrinks with the
        // sample): 2.6 req/s needs 2 replicas, 2.7 needs 1. The sizer keeps the
        // monotone envelope, the most replicas any lower demand needs: it scans
        // each fleet's range on a grid of 1/64 of a replica's service rate for
        // the first demand it does not carry, then bisects that cell.
        let step = per_replica / 64.0;
        let mut carries = Vec::with_capacity((max - min + 1) as usize);
        let mut from = 0.0f64;
        for r in min..=max {
            let top = r as f64 * per_replica;
            if !(step > 0.0 && top.is_finite()) {
                carries.push(0.0);
                continue;
            }
            let mut lo = from;
            let mut hi = lo;
            while hi < top {
                hi = (hi + step).min(top);
                if fewest_replicas_meeting_sla(hi, config, dt_s) > r {
                    break;
                }
                lo = hi;
            }
            for _ in 0..40 {
                let mid = 0.5 * (lo + hi);
                if fewest_replicas_meeting_sla(mid, config, dt_s) <= r {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            carries.push(lo);
            from = lo;
        }
        let carries: Arc<[f64]> = carries.into();
        Sizer { min, max, carries }
    }

    /// The fewest replicas that carry `demand` within the SLA, and every lower
    /// demand too (see `new`): `max` when none does or the demand is not a
    /// number, `min` for none.
    pub fn need(&self, demand: f64) -> u32 {
        if demand.is_nan() {
            return self.max;
        }
        let i = self.carries.partition_point(|&c| c < demand);
        self.min + (i as u32).min(self.max - self.min)
    }

    /// The most demand `replicas` carry within the SLA (0 below the minimum).
    pub fn carries(&self, replicas: u32) -> f64 {
        if replicas < self.min {
            return 0.0;
        }
        self.carries[((replicas - self.min) as usize).min(self.carries.len() - 1)]
    }
}
