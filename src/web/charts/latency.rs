//! The p95 latency chart: each world's p95 per step against the SLA, over the
//! capacity chart's window.

use super::{hours, per_column, points_in, shown, time_axes, window, world_line};
use crate::view::history::highest;
use crate::view::{palette, Page};
use crate::web::axes::TimeChart;
use crate::web::canvas::{fail, stroke, TextBox};
use crate::web::labels::{label_ends, EndLabel};
use plotters::prelude::*;

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
