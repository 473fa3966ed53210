//! The demand that steps up once: 10 req/s (3 of the default replicas carry it)
//! until step 50, 30 req/s (8 needed) from there, with the default replica's
//! sizer, a boot delay of 2 steps and a window of 30. Proactivity and the run's
//! moments are both checked against scale-ups placed around this rise.

use autoscale_playground::policy::Sizer;
use autoscale_playground::{Scenario, WorldConfig};

/// The boot delay, in steps.
pub const BOOT: usize = 2;
/// How far before a scale-up a rise is looked for, in steps.
pub const WINDOW: usize = 30;
/// The steps of the demand.
pub const LEN: usize = 200;
/// The step at which the demand rises.
pub const RISE_AT: usize = 50;

/// The default replica's sizer at one-minute steps.
pub fn sizer() -> Sizer {
    Sizer::new(&WorldConfig::from_scenario(&Scenario::default()), 60.0)
}

/// 10 req/s until [`RISE_AT`], 30 req/s from there, [`LEN`] steps.
pub fn demand() -> Vec<f64> {
    (0..LEN).map(|t| if t < RISE_AT { 10.0 } else { 30.0 }).collect()
}
