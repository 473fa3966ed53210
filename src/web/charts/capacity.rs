//! The capacity chart: demand, each world's replicas, the booting band, the
//! moments marked with their legend, and where it put them ([`CapacityMap`]).
//! Apart as the largest chart, and the only one the page asks what lies under a
//! click.

use super::{hours, per_column, points_in, shown, time_axes, window, world_line};
use crate::policy::WorldKind;
use crate::view::history::{highest, lowest, mean, Track};
use crate::view::moments::MomentKind;
use crate::view::{palette, Page};
use crate::web::axes::{Axes, Chart, TimeChart};
use crate::web::canvas::{fail, marker, stroke, Area, Rect, Surface, TextBox, TEXT};
use crate::web::labels::{label_ends, EndLabel};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A moment's marker on the Elastic line, and a coming one's on the time axis
/// (CSS pixels from centre to edge).
const MARK: f64 = 6.0;
const MARK_AHEAD: f64 = 4.0;
/// How far from a marker's centre a click still hits it (CSS pixels).
const HIT: f64 = MARK + 4.0;

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
    ghost(&mut chart, c, page, span, per_replica, top)?;
    // The previous agent's Elastic line over the steps played, grey, after a
    // new agent took over.
    let now = page.step_index();
    if page.shows(WorldKind::Elastic) {
        let before: Vec<(f64, f64)> = page
            .before_line()
            .enumerate()
            .take(now.min(span.1))
            .skip(span.0)
            .map(|(i, p)| (hours(session, i + 1), p as f64))
            .collect();
        if let Some(&end) = before.last() {
            labels.push(EndLabel {
                at: end,
                text: format!("Elastic before {}", end.1),
                color: palette::MUTED,
            });
            let style =
                palette::MUTED.mix(0.6).stroke_width((2.0 * c.surface.scale).round() as u32);
            chart
                .draw_series(LineSeries::new(per_column(c, before, highest), style))
                .map_err(fail)?;
        }
    }
    let sf = &c.surface;
    let yr = chart.plotting_area().get_pixel_range().1;
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

/// What follows "now" in the window, faintly: the demand (the trace is known in
/// advance) and the Elastic world's replicas as the lookahead played them, so
/// that the rise after a pre-emptive scale-up, or the wiggle after a change, is
/// on screen before it is played. Nothing until the lookahead is done.
fn ghost(
    chart: &mut Chart,
    c: &TimeChart,
    page: &Page,
    (from, until): (usize, usize),
    per_replica: f64,
    top: f64,
) -> Result<(), String> {
    let session = &page.session;
    let ahead = page.ghost();
    let now = page.step_index().max(from);
    let end = until.min(ahead.len());
    if now + 1 >= end || !page.shows(WorldKind::Elastic) {
        return Ok(());
    }
    let rates = &session.trace.rates;
    let demand: Vec<(f64, f64)> = (now..end.min(rates.len()))
        .map(|i| (hours(session, i), (rates[i] / per_replica).min(top)))
        .collect();
    chart
        .draw_series(AreaSeries::new(
            per_column(c, demand, mean),
            0.0,
            palette::DEMAND.mix(0.4).filled(),
        ))
        .map_err(fail)?;
    let line: Vec<(f64, f64)> =
        (now..end).map(|i| (hours(session, i + 1), ahead[i] as f64)).collect();
    let s = &c.surface;
    let style = palette::world(WorldKind::Elastic)
        .colour
        .mix(0.3)
        .stroke_width((2.0 * s.scale).round().max(1.0) as u32);
    chart
        .draw_series(LineSeries::new(per_column(c, line, highest), style))
        .map(|_| ())
        .map_err(fail)
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
    // The rest of the saving under way, paler, from the lookahead (Static holds
    // its fleet): a saving opened at its deepest step shows its whole dip. Only
    // the one under way: the savings further ahead are not shaded.
    let ahead = page.ghost();
    let now = page.step_index();
    let Some(&fixed) = st.provisioned.last() else { return Ok(()) };
    let under_way = |m: &&crate::view::moments::Moment| m.from <= now && now < m.until;
    for m in page.moments().iter().filter(|m| m.kind == MomentKind::Saving).filter(under_way) {
        let (a, b) = (m.from.max(from).max(now), m.until.min(until).min(ahead.len()));
        if b <= a + 1 || !page.shows(WorldKind::Elastic) {
            continue;
        }
        let mut area: Vec<(f64, f64)> = (a..b).map(|i| (hours(session, i + 1), fixed)).collect();
        area.extend((a..b).rev().map(|i| (hours(session, i + 1), ahead[i] as f64)));
        chart
            .draw_series(std::iter::once(Polygon::new(area, palette::YELLOW.mix(0.2).filled())))
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
    let style = s.font(TEXT).color(&palette::MUTED).pos(Pos::new(HPos::Left, VPos::Center));
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
