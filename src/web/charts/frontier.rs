//! The frontier: cost against SLA-violation steps over the whole run, a point per
//! world and the Rule's sweep as a line. Not a chart over time: its labels sit
//! round points, placed so that none overlaps another ([`PointLabels`]).

use crate::policy::WorldKind;
use crate::view::{palette, Page};
use crate::web::axes::{Axes, TimeChart};
use crate::web::canvas::{fail, marker, stroke, Area, Bounds, Surface, TextBox, TEXT};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// `v` rounded up to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten.
fn round_up(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    let m = [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .find(|&m| m * p >= v * (1.0 - 1e-12))
        .unwrap_or(10.0);
    m * p
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
    let mut labels = PointLabels { area: &area, s, out, inside, taken: Vec::new() };
    let r = s.px(6.0);
    let at: Vec<(i32, i32)> =
        worlds.iter().map(|w| chart.backend_coord(&(w.sla_violation_steps, w.cost))).collect();
    for (w, &p) in worlds.iter().zip(&at) {
        marker(&area, s, palette::world_mark(w.kind), p, r, palette::world(w.kind).colour)?;
        labels.taken.push(((p.0 - r) as f64, (p.1 - r) as f64, 2.0 * r as f64, 2.0 * r as f64));
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
        labels.place(&w.short, p, &font, &spots, true)?;
    }
    for (text, at) in rule_labels {
        let font = s.font(TEXT).color(&palette::RULE);
        let d = s.px(4.0);
        let spots = [(HPos::Left, VPos::Bottom, d, -d), (HPos::Right, VPos::Top, -d, d)];
        labels.place(&text, at, &font, &spots, false)?;
    }
    Ok(())
}

/// Labels placed round their points, each where it overlaps none placed before
/// it: the boxes `taken` so far (backing pixels: left, top, width, height) and
/// the box every label stays `inside`.
struct PointLabels<'a> {
    area: &'a Area,
    s: &'a Surface,
    out: &'a mut Vec<TextBox>,
    inside: Bounds,
    taken: Vec<(f64, f64, f64, f64)>,
}

impl PointLabels<'_> {
    /// Draws a label at the first of `spots` (anchor and offset from the point
    /// `at`) where it overlaps no box taken and stays inside; with none free, at
    /// the first that stays inside when `always`, else not at all.
    fn place(
        &mut self,
        text: &str,
        at: (i32, i32),
        font: &TextStyle,
        spots: &[(HPos, VPos, i32, i32)],
        always: bool,
    ) -> Result<(), String> {
        let (s, inside) = (self.s, self.inside);
        let fits = |b: &(f64, f64, f64, f64)| {
            b.0 >= inside.0 as f64
                && b.1 >= inside.1 as f64
                && b.0 + b.2 <= inside.2 as f64
                && b.1 + b.3 <= inside.3 as f64
        };
        let overlaps = |b: &(f64, f64, f64, f64)| {
            self.taken
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
            self.taken.push(*b);
            s.write(self.area, self.out, text, *p, style, inside)?;
        }
        Ok(())
    }
}
