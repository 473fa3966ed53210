//! The forecast chart: recent demand and the forecaster's predictions of it, in
//! minutes from now, with its error so far against the last value's.

use super::note;
use crate::view::history::FORECAST_WINDOW;
use crate::view::{palette, Page};
use crate::web::axes::{Axes, TimeChart};
use crate::web::canvas::{fail, stroke, TextBox};
use crate::web::labels::{label_ends, EndLabel};
use plotters::prelude::*;

/// The last [`FORECAST_WINDOW`] steps of demand, and the forecaster's prediction of
/// each step made `horizon` steps before it (continuing past now), drawn on top
/// of the demand with a paper-white edge, so that it shows where they agree.
pub fn forecast(c: &mut TimeChart, page: &Page, out: &mut Vec<TextBox>) -> Result<(), String> {
    let (session, history) = (&page.session, &page.history);
    let minutes = session.trace.dt / 60.0;
    let peak = session.trace.rates.iter().copied().fold(0.0, f64::max);
    let axes = Axes {
        x: (-(FORECAST_WINDOW as f64) * minutes, history.horizon as f64 * minutes),
        y: (0.0, (peak * 1.1).max(1.0)),
        x_desc: "minutes from now".into(),
        y_desc: "demand (req/s)".into(),
        x_ticks: 8,
        y_ticks: 5,
        top: 0.0,
    };
    let Some((area, mut chart)) = c.frame(&axes, out)? else { return Ok(()) };
    let s = &c.surface;
    let Some(now) = history.steps.checked_sub(1) else { return Ok(()) };
    let x = |step: usize| (step as f64 - now as f64) * minutes;
    chart
        .draw_series(LineSeries::new([(0.0, 0.0), (0.0, axes.y.1)], stroke(s, palette::MUTED, 1.0)))
        .map_err(fail)?;
    let actual: Vec<(f64, f64)> = history.actual.iter().map(|&(t, d)| (x(t), d)).collect();
    let predicted: Vec<(f64, f64)> = history
        .forecast
        .iter()
        .filter(|&&(t, _)| t + FORECAST_WINDOW > now)
        .map(|&(t, f)| (x(t), f))
        .collect();
    let mut labels = Vec::new();
    if let Some(&end) = actual.last() {
        labels.push(EndLabel { at: end, text: "demand".into(), color: palette::INK });
    }
    if let Some(&end) = predicted.last() {
        labels.push(EndLabel { at: end, text: "forecast".into(), color: palette::FORECAST });
    }
    chart.draw_series(LineSeries::new(actual, stroke(s, palette::INK, 1.5))).map_err(fail)?;
    chart
        .draw_series(LineSeries::new(predicted.iter().copied(), stroke(s, palette::PAPER, 5.0)))
        .map_err(fail)?;
    s.dashed(&[6.0, 3.0], || {
        chart
            .draw_series(LineSeries::new(predicted, stroke(s, palette::FORECAST, 2.5)))
            .map(|_| ())
            .map_err(fail)
    })?;
    if let Some((mae, persistence)) = history.forecast_mae() {
        let words = format!(
            "MAE so far {mae:.2} req/s (last value: {persistence:.2}), {} steps ahead",
            history.horizon
        );
        note(&area, &chart, s, &words, 12.0, out)?;
    }
    label_ends(&area, &chart, s, labels, out)
}
