//! The line charts: capacity with demand, p95 latency, cumulative cost, forecast
//! against actual demand, the learning curve, and the frontier (cost against
//! SLA-violation steps over the whole run). Each is one function from the page
//! to a frame; the axes come from the scenario and the trace (known in advance),
//! so they are drawn once per size (and zoom). Every text drawn is recorded
//! ([`TextBox`]).

use super::axes::{Axes, Chart, TimeChart};
use super::canvas::{fail, marker, stroke, Area, Bounds, Rect, Surface, TextBox, TEXT};
use super::labels::{label_ends, EndLabel};
use crate::policy::WorldKind;
use crate::session::Session;
use crate::view::history::{
    self, highest, last, lowest, mean, History, Merge, Track, FORECAST_WINDOW, MAX_POINTS,
};
use crate::view::moments::MomentKind;
use crate::view::{palette, Page};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

/// Drawing order: Elastic last, on top, its ablation just below it.
const ORDER: [WorldKind; 6] = [
    WorldKind::Oracle,
    WorldKind::Rule,
    WorldKind::Predictive,
    WorldKind::Static,
    WorldKind::NoForecast,
    WorldKind::Elastic,
];

/// A moment's marker on the Elastic line, and a coming one's on the time axis
/// (CSS pixels from centre to edge).
const MARK: f64 = 6.0;
const MARK_AHEAD: f64 = 4.0;
/// How far from a marker's centre a click still hits it (CSS pixels).
const HIT: f64 = MARK + 4.0;

fn hours(session: &Session, step: usize) -> f64 {
    step as f64 * session.trace.dt / 3600.0
}

/// The time axis over steps `from..until`, in hours of the run.
fn time_axes(
    session: &Session,
    (from, until): (usize, usize),
    y: (f64, f64),
    y_desc: &str,
) -> Axes {
    Axes {
        x: (hours(session, from), hours(session, until)),
        y,
        x_desc: "time (h)".into(),
        y_desc: y_desc.into(),
        x_ticks: 10,
        y_ticks: 6,
        top: 0.0,
    }
}

/// The steps the capacity and latency charts show: the zoom's window, else the
/// whole run.
fn window(page: &Page) -> (usize, usize) {
    page.zoom_window().unwrap_or((0, page.session.judge.len()))
}

/// The history's points whose steps lie in `from..=until`.
fn points_in(history: &History, len: usize, (from, until): (usize, usize)) -> Range<usize> {
    let b = history.bucket.max(1);
    from.div_ceil(b).min(len)..(until / b + 1).min(len)
}

/// The tracks shown, in drawing order.
fn shown(page: &Page) -> impl Iterator<Item = &Track> {
    ORDER.iter().filter(|&&k| page.shows(k)).filter_map(|&k| page.history.track(k))
}

/// A world's line in its style ([`palette::world`]).
fn world_line(
    chart: &mut Chart,
    c: &TimeChart,
    kind: WorldKind,
    points: Vec<(f64, f64)>,
) -> Result<(), String> {
    let s = &c.surface;
    let style = palette::world(kind);
    let draw = || {
        chart
            .draw_series(LineSeries::new(points, stroke(s, style.colour, style.width)))
            .map(|_| ())
            .map_err(fail)
    };
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

/// The plot's rectangle in CSS pixels.
fn plot_rect(c: &TimeChart, chart: &Chart) -> Rect {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let k = c.surface.scale;
    Rect {
        x: xr.start as f64 / k,
        y: yr.start as f64 / k,
        w: (xr.end - xr.start) as f64 / k,
        h: (yr.end - yr.start) as f64 / k,
    }
}

/// Where the capacity chart put things, for the page's clicks: its plot (CSS
/// pixels), the steps it shows, and each moment's marker (index, centre).
#[derive(Debug, Clone)]
pub struct CapacityMap {
    pub plot: Rect,
    pub window: (usize, usize),
    pub marks: Vec<(usize, f64, f64)>,
}

impl CapacityMap {
    /// The step under `x` (CSS pixels) if the point is on the plot.
    pub fn step_at(&self, x: f64, y: f64) -> Option<usize> {
        if !self.plot.contains(x, y) || self.plot.w <= 0.0 {
            return None;
        }
        let (from, until) = self.window;
        let t = (x - self.plot.x) / self.plot.w;
        Some((from + (t * (until - from) as f64).round() as usize).min(until))
    }

    /// The moment whose marker is nearest the point, within [`HIT`] pixels.
    pub fn moment_at(&self, x: f64, y: f64) -> Option<usize> {
        let d = |&&(_, mx, my): &&(usize, f64, f64)| (mx - x).hypot(my - y);
        self.marks.iter().filter(|m| d(m) <= HIT).min_by(|a, b| d(a).total_cmp(&d(b))).map(|m| m.0)
    }
}

/// Capacity: demand in replica-equivalents (area), each world's provisioned
/// replicas (lines), the Elastic world's booting replicas (band), the moments
/// (markers, and the saving shaded between the Static and Elastic lines), and a
/// line at the current step; over the zoom's window, else the whole run.
pub fn capacity(
    c: &mut TimeChart,
    page: &Page,
    out: &mut Vec<TextBox>,
) -> Result<Option<CapacityMap>, String> {
    let (session, history) = (&page.session, &page.history);
    let s = session.run_scenario();
    let per_replica = s.replica.slots as f64 * s.mu();
    let peak = session.trace.rates.iter().copied().fold(0.0, f64::max) / per_replica;
    let top = (s.scaling.max_replicas as f64).max(peak).ceil() + 1.0;
    let span = window(page);
    let axes = Axes { top: 20.0, ..time_axes(session, span, (0.0, top), "replicas") };
    let Some((area, mut chart)) = c.frame(&axes, out)? else { return Ok(None) };
    let x = |i: usize| hours(session, history.step_of(i));
    let range = points_in(history, history.demand.len(), span);
    let demand: Vec<(f64, f64)> =
        range.clone().map(|i| (x(i), (history.demand[i] / per_replica).min(top))).collect();
    let mut labels = Vec::new();
    if let Some(&(lx, ly)) = demand.last() {
        labels.push(EndLabel { at: (lx, ly), text: "demand".into(), color: palette::MUTED });
    }
    chart
        .draw_series(AreaSeries::new(per_column(c, demand, mean), 0.0, palette::DEMAND.filled()))
        .map_err(fail)?;
    let track = |kind| history.track(kind).filter(|_| page.shows(kind));
    let series = |v: &[f64]| -> Vec<(f64, f64)> {
        let r = points_in(history, v.len(), span);
        r.clone().map(|i| (x(i), v[i])).collect()
    };
    if let Some(e) = track(WorldKind::Elastic) {
        let mut band = per_column(c, series(&e.provisioned), highest);
        let ready = per_column(c, series(&e.ready), lowest);
        band.extend(ready.into_iter().rev());
        if band.len() > 2 {
            chart
                .draw_series(std::iter::once(Polygon::new(band, palette::BOOTING.filled())))
                .map_err(fail)?;
        }
    }
    if let (Some(st), Some(el)) = (track(WorldKind::Static), track(WorldKind::Elastic)) {
        shade_savings(&mut chart, page, st, el, span)?;
    }
    for t in shown(page) {
        let points = series(&t.provisioned);
        if let Some(&end) = points.last() {
            labels.push(EndLabel {
                at: end,
                text: format!("{} {}", t.kind.short(), end.1),
                color: palette::world(t.kind).colour,
            });
        }
        let points = per_column(c, points, highest);
        world_line(&mut chart, c, t.kind, points)?;
    }
    let sf = &c.surface;
    let yr = chart.plotting_area().get_pixel_range().1;
    let now = page.step_index();
    if (span.0..=span.1).contains(&now) {
        let (nx, _) = chart.backend_coord(&(hours(session, now), 0.0));
        area.draw(&PathElement::new(
            vec![(nx, yr.start), (nx, yr.end)],
            stroke(sf, palette::INK, 1.0),
        ))
        .map_err(fail)?;
    }
    let marks = mark_moments(&area, &chart, sf, page, track(WorldKind::Elastic), span)?;
    legend(&area, sf, page, yr.start, out)?;
    label_ends(&area, &chart, sf, labels, out)?;
    Ok(Some(CapacityMap { plot: plot_rect(c, &chart), window: span, marks }))
}

/// The saving moments' stretches, played so far, shaded between the Static line
/// (above) and the Elastic line (below).
fn shade_savings(
    chart: &mut Chart,
    page: &Page,
    st: &Track,
    el: &Track,
    (from, until): (usize, usize),
) -> Result<(), String> {
    let (session, history) = (&page.session, &page.history);
    let len = st.provisioned.len().min(el.provisioned.len());
    for m in page.moments().iter().filter(|m| m.kind == MomentKind::Saving) {
        let r = points_in(history, len, (m.from.max(from), m.until.min(until)));
        if r.len() < 2 {
            continue;
        }
        let x = |i: usize| hours(session, history.step_of(i));
        let mut area: Vec<(f64, f64)> = r.clone().map(|i| (x(i), st.provisioned[i])).collect();
        area.extend(r.rev().map(|i| (x(i), el.provisioned[i])));
        chart
            .draw_series(std::iter::once(Polygon::new(area, palette::YELLOW.mix(0.45).filled())))
            .map_err(fail)?;
    }
    Ok(())
}

/// Each moment in the window: on the Elastic line once played, else (or with the
/// Elastic world hidden) a small marker on the time axis. Returns the markers'
/// centres in CSS pixels.
fn mark_moments(
    area: &Area,
    chart: &Chart,
    s: &Surface,
    page: &Page,
    elastic: Option<&Track>,
    (from, until): (usize, usize),
) -> Result<Vec<(usize, f64, f64)>, String> {
    let (session, history) = (&page.session, &page.history);
    let bottom = chart.plotting_area().get_pixel_range().1.end;
    let mut marks = Vec::new();
    for (i, m) in
        page.moments().iter().enumerate().filter(|(_, m)| (from..=until).contains(&m.step))
    {
        let (shape, fill, _) = palette::moment(m.kind);
        let on_line = elastic
            .filter(|_| m.step < history.steps)
            .and_then(|e| e.provisioned.get(m.step / history.bucket.max(1)));
        let (c, r) = match on_line {
            Some(&p) => (chart.backend_coord(&(hours(session, m.step), p)), s.px(MARK)),
            None => {
                let (x, _) = chart.backend_coord(&(hours(session, m.step), 0.0));
                ((x, bottom - s.px(MARK_AHEAD + 1.0)), s.px(MARK_AHEAD))
            }
        };
        marker(area, s, shape, c, r, fill)?;
        marks.push((i, c.0 as f64 / s.scale, c.1 as f64 / s.scale));
    }
    Ok(marks)
}

/// The moments' legend in the row above the plot (a marker and a word per
/// kind), or why there are no markers yet; items that would not fit the
/// canvas's width are left out.
fn legend(
    area: &Area,
    s: &Surface,
    page: &Page,
    plot_top: i32,
    out: &mut Vec<TextBox>,
) -> Result<(), String> {
    let y = plot_top - s.px(12.0);
    let canvas = s.bounds();
    let style = s.font(11.0).color(&palette::MUTED).pos(Pos::new(HPos::Left, VPos::Center));
    let mut x = s.px(8.0);
    if page.session.agent().is_none() {
        return Ok(());
    }
    if page.moments().is_empty() {
        let words = if page.frontier().is_some() {
            "No moments found in this run."
        } else {
            "Finding the run's moments…"
        };
        return s.write(area, out, words, (x, y), &style, canvas);
    }
    let r = s.px(5.0);
    for kind in MomentKind::ALL {
        let (shape, fill, word) = palette::moment(kind);
        let (w, _) = s.measure(word, &style);
        let end = x + 2 * r + s.px(4.0) + w.ceil() as i32;
        if end > canvas.2 - s.px(2.0) {
            break;
        }
        marker(area, s, shape, (x + r, y), r, fill)?;
        s.write(area, out, word, (x + 2 * r + s.px(4.0), y), &style, canvas)?;
        x = end + s.px(12.0);
    }
    Ok(())
}

/// p95 latency of each step per world, with the SLA line; clipped at 3x the
/// SLA; over the capacity chart's window.
pub fn latency(c: &mut TimeChart, page: &Page, out: &mut Vec<TextBox>) -> Result<(), String> {
    let (session, history) = (&page.session, &page.history);
    let sla = session.scenario.sla.p95_s;
    let top = 3.0 * sla;
    let span = window(page);
    let axes = time_axes(session, span, (0.0, top), "p95 (s)");
    let Some((area, mut chart)) = c.frame(&axes, out)? else { return Ok(()) };
    let x = |i: usize| hours(session, history.step_of(i));
    let end = axes.x.1;
    let s = &c.surface;
    s.dashed(&[6.0, 4.0], || {
        chart
            .draw_series(LineSeries::new(
                [(axes.x.0, sla), (end, sla)],
                stroke(s, palette::INK, 1.5),
            ))
            .map(|_| ())
            .map_err(fail)
    })?;
    let mut labels =
        vec![EndLabel { at: (end, sla), text: format!("SLA {sla:.0} s"), color: palette::INK }];
    for t in shown(page) {
        // A step in which no request completed has no p95: the line breaks there.
        let mut run: Vec<(f64, f64)> = Vec::new();
        for i in points_in(history, t.p95.len(), span) {
            match t.p95[i] {
                Some(p) => run.push((x(i), p.min(top))),
                None if !run.is_empty() => world_line(
                    &mut chart,
                    c,
                    t.kind,
                    per_column(c, std::mem::take(&mut run), highest),
                )?,
                None => {}
            }
        }
        // The label sits at the end of the line as drawn (its last column's
        // worst), not at the last step's value, which may lie far below it.
        let run = per_column(c, run, highest);
        if let Some(&last) = run.last() {
            labels.push(EndLabel {
                at: last,
                text: format!("{} {:.1} s", t.kind.short(), last.1),
                color: palette::world(t.kind).colour,
            });
        }
        world_line(&mut chart, c, t.kind, run)?;
    }
    label_ends(&area, &chart, &c.surface, labels, out)
}

/// Cumulative cost per world, and the Elastic world's saving against Static.
pub fn cost(c: &mut TimeChart, page: &Page, out: &mut Vec<TextBox>) -> Result<(), String> {
    let (session, history) = (&page.session, &page.history);
    let s = &session.scenario;
    let most = s.scaling.max_replicas as f64
        * s.replica.price_per_hour
        * hours(session, session.judge.len());
    let axes = time_axes(session, (0, session.judge.len()), (0.0, most.max(1.0)), "cost");
    let Some((area, mut chart)) = c.frame(&axes, out)? else { return Ok(()) };
    let x = |i: usize| hours(session, history.step_of(i));
    let mut labels = Vec::new();
    for t in shown(page) {
        let points: Vec<(f64, f64)> = t.cost.iter().enumerate().map(|(i, &v)| (x(i), v)).collect();
        if let Some(&end) = points.last() {
            labels.push(EndLabel {
                at: end,
                text: format!("{} {:.0}", t.kind.short(), end.1),
                color: palette::world(t.kind).colour,
            });
        }
        world_line(&mut chart, c, t.kind, per_column(c, points, last))?;
    }
    let total = |kind| {
        history.track(kind).filter(|_| page.shows(kind)).and_then(|t| t.cost.last().copied())
    };
    if let (Some(st), Some(el)) = (total(WorldKind::Static), total(WorldKind::Elastic)) {
        if st > 0.0 {
            let pct = 100.0 * (st - el) / st;
            let (el, st) = (WorldKind::Elastic.short(), WorldKind::Static.short());
            let words = if pct >= 0.0 {
                format!("{el} saves {pct:.1} % against {st} so far")
            } else {
                format!("{el} costs {:.1} % more than {st} so far", -pct)
            };
            note(&area, &chart, &c.surface, &words, 13.0, out)?;
        }
    }
    label_ends(&area, &chart, &c.surface, labels, out)
}

/// A note in the plot's top-left corner, in a smaller font (down to 9 CSS
/// pixels) where the plot is too narrow for it.
fn note(
    area: &Area,
    chart: &Chart,
    s: &Surface,
    words: &str,
    size: f64,
    out: &mut Vec<TextBox>,
) -> Result<(), String> {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let pad = s.px(8.0);
    let (text, size) = s.fit_line(words, size, 9.0, (xr.end - xr.start - 2 * pad) as f64);
    let style = s.font(size).pos(Pos::new(HPos::Left, VPos::Top));
    s.write(
        area,
        out,
        &text,
        (xr.start + pad, yr.start + s.px(6.0)),
        &style,
        (xr.start, yr.start, xr.end, yr.end),
    )
}

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

/// Rounds a range outward to a round step, so that it changes rarely.
fn nice(lo: f64, hi: f64) -> (f64, f64) {
    let span = (hi - lo).abs().max(hi.abs() * 1e-3).max(1e-9);
    let step = 10f64.powf(span.log10().floor());
    ((lo / step).floor() * step, (hi / step).ceil() * step)
}

/// `v` rounded up to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten.
fn round_up(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    let m = [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .find(|&m| m * p >= v * (1.0 - 1e-12))
        .unwrap_or(10.0);
    m * p
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

/// The frontier over the whole run: each shown world's cost against its
/// SLA-violation steps (its marker and short name), and the Rule at each target
/// of its sweep joined as a line with the targets as small labels (with the
/// Rule). Labels that would overlap one already drawn are moved round their
/// point, or left out (a target's). Before the lookahead has played the whole
/// run, a line says so.
pub fn frontier(c: &mut TimeChart, page: &Page, out: &mut Vec<TextBox>) -> Result<(), String> {
    let Some(view) = page.frontier() else {
        if !c.surface.fit() {
            return Ok(());
        }
        let s = &c.surface;
        let area = s.blank()?;
        let (w, h) = s.size();
        let (text, size) = s.fit_line(
            "Playing the whole run ahead for the frontier…",
            TEXT,
            9.0,
            (w - s.px(16.0)) as f64,
        );
        return s.write(
            &area,
            out,
            &text,
            (w / 2, h / 2),
            &s.font(size).color(&palette::MUTED).pos(Pos::new(HPos::Center, VPos::Center)),
            s.bounds(),
        );
    };
    let worlds: Vec<_> = view.worlds.iter().filter(|w| page.shows(w.kind)).collect();
    // In the order of their targets, as the sweep plays them.
    let rule = if page.shows(WorldKind::Rule) { view.rule } else { Vec::new() };
    let points = worlds
        .iter()
        .map(|w| (w.sla_violation_steps, w.cost))
        .chain(rule.iter().map(|r| (r.sla_violation_steps, r.cost)));
    let (vmax, cmax) = points
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .fold((0.0, 0.0), |(v, c), p| (p.0.max(v), p.1.max(c)));
    let axes = Axes {
        x: (0.0, round_up((vmax * 1.1).max(1.0))),
        y: (0.0, round_up((cmax * 1.1).max(1.0))),
        x_desc: "SLA-violation steps (whole run)".into(),
        y_desc: "cost (whole run)".into(),
        x_ticks: 6,
        y_ticks: 5,
        top: 0.0,
    };
    let Some((area, mut chart)) = c.frame(&axes, out)? else { return Ok(()) };
    let s = &c.surface;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (width, _) = s.size();
    // Data labels stay in the plot and the room on its right.
    let inside = (xr.start, yr.start, width, yr.end);
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    let rule_points: Vec<(f64, f64)> =
        rule.iter().map(|r| (r.sla_violation_steps, r.cost)).collect();
    chart
        .draw_series(LineSeries::new(rule_points.iter().copied(), stroke(s, palette::RULE, 1.5)))
        .map_err(fail)?;
    let mut rule_labels = Vec::new();
    for (r, p) in rule.iter().zip(&rule_points) {
        let at = chart.backend_coord(p);
        area.draw(&Circle::new(at, s.px(2.5), palette::RULE.filled())).map_err(fail)?;
        rule_labels.push((format!("{:.2}", r.target), at));
    }
    // The markers are taken before any label, the worlds' labels before the
    // targets': they matter more.
    let r = s.px(6.0);
    let at: Vec<(i32, i32)> =
        worlds.iter().map(|w| chart.backend_coord(&(w.sla_violation_steps, w.cost))).collect();
    for (w, &p) in worlds.iter().zip(&at) {
        marker(&area, s, palette::world_mark(w.kind), p, r, palette::world(w.kind).colour)?;
        taken.push(((p.0 - r) as f64, (p.1 - r) as f64, 2.0 * r as f64, 2.0 * r as f64));
    }
    for (w, &p) in worlds.iter().zip(&at) {
        let colour = palette::world(w.kind).colour;
        let font = s.font(TEXT).color(&colour);
        let spots: Vec<_> = [1, 2, 3]
            .into_iter()
            .flat_map(|k| {
                let (d, e) = (s.px(9.0) * k, s.px(7.0) * k);
                [
                    (HPos::Left, VPos::Center, d, 0),
                    (HPos::Right, VPos::Center, -d, 0),
                    (HPos::Left, VPos::Bottom, e, -e),
                    (HPos::Left, VPos::Top, e, e),
                    (HPos::Right, VPos::Bottom, -e, -e),
                    (HPos::Right, VPos::Top, -e, e),
                ]
            })
            .collect();
        place_label(&area, s, out, &mut taken, &w.short, p, &font, &spots, inside, true)?;
    }
    for (text, at) in rule_labels {
        let font = s.font(10.0).color(&palette::RULE);
        let d = s.px(4.0);
        let spots = [(HPos::Left, VPos::Bottom, d, -d), (HPos::Right, VPos::Top, -d, d)];
        place_label(&area, s, out, &mut taken, &text, at, &font, &spots, inside, false)?;
    }
    Ok(())
}

/// Draws a label at the first of `spots` (anchor and offset from the point `at`)
/// where it overlaps no label in `taken` and stays `inside`; with none free, at
/// the first that stays inside when `always`, else not at all.
#[allow(clippy::too_many_arguments)]
fn place_label(
    area: &Area,
    s: &Surface,
    out: &mut Vec<TextBox>,
    taken: &mut Vec<(f64, f64, f64, f64)>,
    text: &str,
    at: (i32, i32),
    font: &TextStyle,
    spots: &[(HPos, VPos, i32, i32)],
    inside: Bounds,
    always: bool,
) -> Result<(), String> {
    let fits = |b: &(f64, f64, f64, f64)| {
        b.0 >= inside.0 as f64
            && b.1 >= inside.1 as f64
            && b.0 + b.2 <= inside.2 as f64
            && b.1 + b.3 <= inside.3 as f64
    };
    let overlaps = |b: &(f64, f64, f64, f64)| {
        taken
            .iter()
            .any(|t| b.0 < t.0 + t.2 && t.0 < b.0 + b.2 && b.1 < t.1 + t.3 && t.1 < b.1 + b.3)
    };
    let candidates: Vec<_> = spots
        .iter()
        .map(|&(h, v, dx, dy)| {
            let style = font.clone().pos(Pos::new(h, v));
            let p = (at.0 + dx, at.1 + dy);
            (s.place(text, p, &style), p, style)
        })
        .filter(|(b, _, _)| fits(b))
        .collect();
    let chosen = candidates.iter().find(|(b, _, _)| !overlaps(b)).or(if always {
        candidates.first()
    } else {
        None
    });
    if let Some((b, p, style)) = chosen {
        taken.push(*b);
        s.write(area, out, text, *p, style, inside)?;
    }
    Ok(())
}
