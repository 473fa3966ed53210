//! The line charts: capacity with demand, p95 latency, cumulative cost, forecast
//! against actual demand, and the learning curve. Each is one function from the
//! session and the bounded history to a frame; the axes come from the scenario
//! and the trace (known in advance), so they are drawn once per size.

use super::canvas::{fail, label_ends, stroke, Axes, Chart, EndLabel, TimeChart};
use crate::policy::WorldKind;
use crate::session::Session;
use crate::view::history::{self, highest, last, lowest, mean, Merge, Track, FORECAST_WINDOW, MAX_POINTS};
use crate::view::{palette, Page};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Drawing order: Elastic last, on top, its ablation just below it.
const ORDER: [WorldKind; 6] = [WorldKind::Oracle, WorldKind::Rule, WorldKind::Predictive, WorldKind::Static, WorldKind::NoForecast, WorldKind::Elastic];

fn hours(session: &Session, step: usize) -> f64 {
    step as f64 * session.trace.dt / 3600.0
}

/// The run-long time axis, in hours.
fn run_axes(session: &Session, y: (f64, f64), y_desc: &str) -> Axes {
    Axes { x: (0.0, hours(session, session.judge.len())), y, x_desc: "time (h)".into(), y_desc: y_desc.into(), x_ticks: 10, y_ticks: 6 }
}

/// The tracks shown, in drawing order.
fn shown(page: &Page) -> impl Iterator<Item = &Track> {
    ORDER.iter().filter(|&&k| page.shows(k)).filter_map(|&k| page.history.track(k))
}

/// A world's line in its style ([`palette::world`]).
fn world_line(chart: &mut Chart, c: &TimeChart, kind: WorldKind, points: Vec<(f64, f64)>) -> Result<(), String> {
    let s = &c.surface;
    let style = palette::world(kind);
    let draw = || chart.draw_series(LineSeries::new(points, stroke(s, style.colour, style.width))).map(|_| ()).map_err(fail);
    if style.dash.is_empty() {
        draw()
    } else {
        s.dashed(style.dash, draw)
    }
}

/// At most one point per pixel column of the chart ([`history::per_column`]).
fn per_column(c: &TimeChart, points: Vec<(f64, f64)>, merge: Merge) -> Vec<(f64, f64)> {
    history::per_column(c.surface.size().0.max(1) as usize, points, merge)
}

/// Capacity: demand in replica-equivalents (area), each world's provisioned
/// replicas (lines), the Elastic world's booting replicas (band).
pub fn capacity(c: &mut TimeChart, page: &Page) -> Result<(), String> {
    let (session, history) = (&page.session, &page.history);
    let s = session.run_scenario();
    let per_replica = s.replica.slots as f64 * s.mu();
    let peak = session.trace.rates.iter().copied().fold(0.0, f64::max) / per_replica;
    let top = (s.scaling.max_replicas as f64).max(peak).ceil() + 1.0;
    let axes = run_axes(session, (0.0, top), "replicas");
    let Some((area, mut chart)) = c.frame(&axes)? else { return Ok(()) };
    let x = |i: usize| hours(session, history.step_of(i));
    let demand: Vec<(f64, f64)> = history.demand.iter().enumerate().map(|(i, d)| (x(i), (d / per_replica).min(top))).collect();
    let mut labels = Vec::new();
    if let Some(&(lx, ly)) = demand.last() {
        labels.push(EndLabel { at: (lx, ly), text: "demand".into(), color: palette::MUTED });
    }
    chart.draw_series(AreaSeries::new(per_column(c, demand, mean), 0.0, palette::DEMAND.filled())).map_err(fail)?;
    if let Some(e) = history.track(WorldKind::Elastic).filter(|_| page.shows(WorldKind::Elastic)) {
        let mut band = per_column(c, e.provisioned.iter().enumerate().map(|(i, &p)| (x(i), p)).collect(), highest);
        let ready = per_column(c, e.ready.iter().enumerate().map(|(i, &r)| (x(i), r)).collect(), lowest);
        band.extend(ready.into_iter().rev());
        if band.len() > 2 {
            chart.draw_series(std::iter::once(Polygon::new(band, palette::BOOTING.filled()))).map_err(fail)?;
        }
    }
    for t in shown(page) {
        let points: Vec<(f64, f64)> = t.provisioned.iter().enumerate().map(|(i, &p)| (x(i), p)).collect();
        if let Some(&end) = points.last() {
            labels.push(EndLabel { at: end, text: format!("{} {}", t.kind.short(), end.1), color: palette::world(t.kind).colour });
        }
        let points = per_column(c, points, highest);
        world_line(&mut chart, c, t.kind, points)?;
    }
    label_ends(&area, &chart, &c.surface, labels)
}

/// p95 latency of each step per world, with the SLA line; clipped at 3x the SLA.
pub fn latency(c: &mut TimeChart, page: &Page) -> Result<(), String> {
    let (session, history) = (&page.session, &page.history);
    let sla = session.scenario.sla.p95_s;
    let top = 3.0 * sla;
    let axes = run_axes(session, (0.0, top), "p95 (s)");
    let Some((area, mut chart)) = c.frame(&axes)? else { return Ok(()) };
    let x = |i: usize| hours(session, history.step_of(i));
    let end = hours(session, session.judge.len());
    let s = &c.surface;
    chart
        .draw_series(DashedLineSeries::new([(0.0, sla), (end, sla)], s.px(6.0), s.px(4.0), stroke(s, palette::INK, 1.5)))
        .map_err(fail)?;
    let mut labels = vec![EndLabel { at: (end, sla), text: format!("SLA {sla:.0} s"), color: palette::INK }];
    for t in shown(page) {
        // A step in which no request completed has no p95: the line breaks there.
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (i, p) in t.p95.iter().enumerate() {
            match p {
                Some(p) => run.push((x(i), p.min(top))),
                None if !run.is_empty() => world_line(&mut chart, c, t.kind, per_column(c, std::mem::take(&mut run), highest))?,
                None => {}
            }
        }
        if let Some(&last) = run.last() {
            labels.push(EndLabel { at: last, text: format!("{} {:.1} s", t.kind.short(), last.1), color: palette::world(t.kind).colour });
        }
        world_line(&mut chart, c, t.kind, per_column(c, run, highest))?;
    }
    label_ends(&area, &chart, &c.surface, labels)
}

/// Cumulative cost per world, and the Elastic world's saving against Static.
pub fn cost(c: &mut TimeChart, page: &Page) -> Result<(), String> {
    let (session, history) = (&page.session, &page.history);
    let s = &session.scenario;
    let most = s.scaling.max_replicas as f64 * s.replica.price_per_hour * hours(session, session.judge.len());
    let axes = run_axes(session, (0.0, most.max(1.0)), "cost");
    let Some((area, mut chart)) = c.frame(&axes)? else { return Ok(()) };
    let x = |i: usize| hours(session, history.step_of(i));
    let mut labels = Vec::new();
    for t in shown(page) {
        let points: Vec<(f64, f64)> = t.cost.iter().enumerate().map(|(i, &v)| (x(i), v)).collect();
        if let Some(&end) = points.last() {
            labels.push(EndLabel { at: end, text: format!("{} {:.0}", t.kind.short(), end.1), color: palette::world(t.kind).colour });
        }
        world_line(&mut chart, c, t.kind, per_column(c, points, last))?;
    }
    let total = |kind| history.track(kind).and_then(|t| t.cost.last().copied());
    if let (Some(st), Some(el)) = (total(WorldKind::Static), total(WorldKind::Elastic)) {
        if st > 0.0 {
            let pct = 100.0 * (st - el) / st;
            let (el, st) = (WorldKind::Elastic.short(), WorldKind::Static.short());
            let words = if pct >= 0.0 { format!("{el} saves {pct:.1} % against {st} so far") } else { format!("{el} costs {:.1} % more than {st} so far", -pct) };
            let s = &c.surface;
            let (px, py) = chart.backend_coord(&(0.0, most.max(1.0)));
            let style = s.font(13.0).pos(Pos::new(HPos::Left, VPos::Top));
            area.draw(&Text::new(words, (px + s.px(8.0), py + s.px(6.0)), style)).map_err(fail)?;
        }
    }
    label_ends(&area, &chart, &c.surface, labels)
}

/// The last [`FORECAST_WINDOW`] steps of demand, and the forecaster's prediction of
/// each step made `horizon` steps before it (continuing past now).
pub fn forecast(c: &mut TimeChart, page: &Page) -> Result<(), String> {
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
    };
    let Some((area, mut chart)) = c.frame(&axes)? else { return Ok(()) };
    let s = &c.surface;
    let Some(now) = history.steps.checked_sub(1) else { return Ok(()) };
    let x = |step: usize| (step as f64 - now as f64) * minutes;
    chart.draw_series(LineSeries::new([(0.0, 0.0), (0.0, axes.y.1)], stroke(s, palette::MUTED, 1.0))).map_err(fail)?;
    let actual: Vec<(f64, f64)> = history.actual.iter().map(|&(t, d)| (x(t), d)).collect();
    let predicted: Vec<(f64, f64)> = history.forecast.iter().filter(|&&(t, _)| t + FORECAST_WINDOW > now).map(|&(t, f)| (x(t), f)).collect();
    let mut labels = Vec::new();
    if let Some(&end) = actual.last() {
        labels.push(EndLabel { at: end, text: "demand".into(), color: palette::INK });
    }
    if let Some(&end) = predicted.last() {
        labels.push(EndLabel { at: end, text: "forecast".into(), color: palette::FORECAST });
    }
    chart.draw_series(LineSeries::new(actual, stroke(s, palette::INK, 1.5))).map_err(fail)?;
    chart.draw_series(DashedLineSeries::new(predicted, s.px(5.0), s.px(3.0), stroke(s, palette::FORECAST, 2.0))).map_err(fail)?;
    if let Some((mae, persistence)) = history.forecast_mae() {
        let words = format!("MAE so far {mae:.2} req/s (last value: {persistence:.2}), {} steps ahead", history.horizon);
        let (px, py) = chart.backend_coord(&(axes.x.0, axes.y.1));
        let style = s.font(12.0).pos(Pos::new(HPos::Left, VPos::Top));
        area.draw(&Text::new(words, (px + s.px(8.0), py + s.px(6.0)), style)).map_err(fail)?;
    }
    label_ends(&area, &chart, s, labels)
}

/// Rounds a range outward to a round step, so that it changes rarely.
fn nice(lo: f64, hi: f64) -> (f64, f64) {
    let span = (hi - lo).abs().max(hi.abs() * 1e-3).max(1e-9);
    let step = 10f64.powf(span.log10().floor());
    ((lo / step).floor() * step, (hi / step).ceil() * step)
}

/// Reward per training episode and its 10-episode running mean.
pub fn curve(c: &mut TimeChart, session: &Session) -> Result<(), String> {
    let t = &session.trainer;
    let lo = t.curve.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = t.curve.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let y = if lo.is_finite() && hi.is_finite() { nice(lo, hi) } else { (0.0, 1.0) };
    let axes = Axes { x: (0.0, t.episodes.max(1) as f64), y, x_desc: "training episode".into(), y_desc: "reward".into(), x_ticks: 6, y_ticks: 5 };
    let Some((area, mut chart)) = c.frame(&axes)? else { return Ok(()) };
    let s = &c.surface;
    let stride = t.curve.len().div_ceil(MAX_POINTS).max(1);
    let raw: Vec<(f64, f64)> = t.curve.iter().enumerate().step_by(stride).map(|(i, &r)| (i as f64 + 1.0, r)).collect();
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
    label_ends(&area, &chart, s, labels)
}
