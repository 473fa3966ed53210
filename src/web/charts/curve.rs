//! The learning curve: reward per training episode, over the episodes planned.

use crate::session::Session;
use crate::view::history::MAX_POINTS;
use crate::view::palette;
use crate::web::axes::{Axes, TimeChart};
use crate::web::canvas::{fail, stroke, TextBox};
use crate::web::labels::{label_ends, EndLabel};
use plotters::prelude::*;

/// Rounds a range outward to a round step, so that it changes rarely.
fn nice(lo: f64, hi: f64) -> (f64, f64) {
    let span = (hi - lo).abs().max(hi.abs() * 1e-3).max(1e-9);
    let step = 10f64.powf(span.log10().floor());
    ((lo / step).floor() * step, (hi / step).ceil() * step)
}

/// Reward per training episode and its 10-episode running mean.
pub fn curve(c: &mut TimeChart, session: &Session, out: &mut Vec<TextBox>) -> Result<(), String> {
    let t = &session.trainer;
    let lo = t.curve.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = t.curve.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let y = if lo.is_finite() && hi.is_finite() { nice(lo, hi) } else { (0.0, 1.0) };
    let axes = Axes {
        x: (0.0, t.episodes.max(1) as f64),
        y,
        x_desc: "training episode".into(),
        y_desc: "reward".into(),
        x_ticks: 6,
        y_ticks: 5,
        top: 0.0,
    };
    let Some((area, mut chart)) = c.frame(&axes, out)? else { return Ok(()) };
    let s = &c.surface;
    let stride = t.curve.len().div_ceil(MAX_POINTS).max(1);
    let raw: Vec<(f64, f64)> =
        t.curve.iter().enumerate().step_by(stride).map(|(i, &r)| (i as f64 + 1.0, r)).collect();
    let mut sum = 0.0;
    let mean: Vec<(f64, f64)> = t
        .curve
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            sum += r;
            if i >= 10 {
                sum -= t.curve[i - 10];
            }
            (i as f64 + 1.0, sum / (i + 1).min(10) as f64)
        })
        .step_by(stride)
        .collect();
    let mut labels = Vec::new();
    if let Some(&end) = mean.last() {
        labels.push(EndLabel { at: end, text: "mean of 10".into(), color: palette::ELASTIC });
    }
    chart.draw_series(LineSeries::new(raw, stroke(s, palette::BOOTING, 1.0))).map_err(fail)?;
    chart.draw_series(LineSeries::new(mean, stroke(s, palette::ELASTIC, 2.0))).map_err(fail)?;
    label_ends(&area, &chart, s, labels, out)
}
