//! The line charts: capacity with demand, p95 latency, cumulative cost, forecast
//! against actual demand, the learning curve, and the frontier (cost against
//! SLA-violation steps over the whole run), one file each. Each is one function
//! from the page to a frame; the axes come from the scenario and the trace (known
//! in advance), so they are drawn once per size (and zoom). Every text drawn is
//! recorded ([`TextBox`]). Here: what the charts over the run's time share (its
//! hours, the zoom's window, the worlds' lines) and the note in a plot's corner.

mod capacity;
mod cost;
mod curve;
mod forecast;
mod frontier;
mod latency;

pub use capacity::{capacity, CapacityMap};
pub use cost::cost;
pub use curve::curve;
pub use forecast::forecast;
pub use frontier::frontier;
pub use latency::latency;

use super::axes::{Axes, Chart, TimeChart};
use super::canvas::{fail, stroke, Area, Surface, TextBox};
use crate::policy::WorldKind;
use crate::session::Session;
use crate::view::history::{self, History, Merge, Track};
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
