//! What the benchmarks share, natively (`benches/`) and in the browser's bench
//! mode (`web::bench`): the median of timings, and a fleet that follows demand
//! like a scaler, so that each figure is measured on the same workload everywhere.
//! Nothing of the simulation uses it.

use crate::scenario::Scenario;
use crate::workload::Trace;
use crate::world::{World, WorldConfig};

/// The median of `v` (the upper one of an even count); NaN when empty.
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Capacity that follows demand at 70 % utilisation, one step late: a stand-in
/// for a scaler, so that the fleet moves as it would in a real run.
pub fn following_schedule(s: &Scenario, trace: &Trace) -> Vec<u32> {
    let per = s.replica.slots as f64 * s.mu() * 0.7;
    (0..trace.len())
        .map(|i| {
            ((trace.rates[i.saturating_sub(1)] / per).ceil() as u32)
                .clamp(1, s.scaling.max_replicas)
        })
        .collect()
}

/// Plays a world through `schedule` on `trace`; returns the requests completed.
/// The configuration's load tables are shared by every call with a clone of it,
/// as a session's worlds share them: a table is built once per server count.
pub fn play_schedule(config: &WorldConfig, trace: &Trace, schedule: &[u32]) -> f64 {
    let mut w = World::new(config.clone(), schedule.first().copied().unwrap_or(1));
    schedule.iter().map(|&n| w.step(n, trace).completed).sum()
}
