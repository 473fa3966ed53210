//! What the forecaster tests share: a forecaster's path forecast after each
//! step of a series, those paths as bits for comparing them exactly, and a
//! series changed after a step, for showing that no forecast sees the future.

use autoscale_playground::forecast::Forecaster;

/// Feeds `series` in order and returns the `h`-step path forecast after each step.
/// One buffer serves every step, as the agent's does: each forecast clears it.
pub fn paths(f: &mut dyn Forecaster, series: &[f64], h: usize) -> Vec<Vec<f64>> {
    let mut path = Vec::new();
    series
        .iter()
        .map(|&y| {
            f.observe(y);
            f.forecast_path(h, &mut path);
            path.clone()
        })
        .collect()
}

/// Each forecast's bits, so that paths compare to the bit.
pub fn bits(paths: &[Vec<f64>]) -> Vec<Vec<u64>> {
    paths.iter().map(|p| p.iter().map(|v| v.to_bits()).collect()).collect()
}

/// The same demand up to and including step `cut`, tripled after it.
pub fn tripled_after(series: &[f64], cut: usize) -> Vec<f64> {
    series.iter().enumerate().map(|(i, &y)| if i > cut { 3.0 * y } else { y }).collect()
}
