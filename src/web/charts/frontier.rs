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
    // The target the verdict cites: the cheapest with no more violation steps
    // than Elastic, else the one with the fewest.
    let elastic = view.worlds.iter().find(|w| w.kind == WorldKind::Elastic);
    let cited = elastic.and_then(|el| {
        let within = rule
            .iter()
            .enumerate()
            .filter(|(_, r)| r.sla_violation_steps <= el.sla_violation_steps)
            .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost).then(a.1.target.total_cmp(&b.1.target)));
        within
            .or_else(|| {
                rule.iter()
                    .enumerate()
                    .min_by(|a, b| a.1.sla_violation_steps.total_cmp(&b.1.sla_violation_steps))
            })
            .map(|(i, _)| i)
    });
    // The violation axis is clipped past the worlds and the cited target (a Rule
    // at 0.95 breaking the SLA in hundreds of steps would squeeze them all into
    // its first pixels); the Rule's line runs off at the edge, which says so.
    let finite = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let vmax = worlds
        .iter()
        .map(|w| w.sla_violation_steps)
        .chain(cited.map(|i| rule[i].sla_violation_steps))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let xmax = round_up((vmax * 1.25).max(1.0));
    let cmax = worlds
        .iter()
        .map(|w| (w.sla_violation_steps, w.cost))
        .chain(rule.iter().map(|r| (r.sla_violation_steps, r.cost)))
        .filter(finite)
        .filter(|p| p.0 <= xmax)
        .fold(0.0, |c, p| p.1.max(c));
    let axes = Axes {
        x: (0.0, xmax),
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
    let (line, beyond) = clip_right(&rule_points, xmax);
    chart
        .draw_series(LineSeries::new(line.iter().copied(), stroke(s, palette::RULE, 1.5)))
        .map_err(fail)?;
    let mut rule_labels = Vec::new();
    for (i, (r, p)) in rule.iter().zip(&rule_points).enumerate() {
        if p.0 > xmax {
            continue;
        }
        let at = chart.backend_coord(p);
        area.draw(&Circle::new(at, s.px(2.5), palette::RULE.filled())).map_err(fail)?;
        let text = if Some(i) == cited {
            format!("Rule {:.2}", r.target)
        } else {
            format!("{:.2}", r.target)
        };
        rule_labels.push((Some(i) == cited, text, at));
    }
    // The cited target's label first, placed whatever else is there.
    crate::math::sort_small_by_key(&mut rule_labels, |l| !l.0);
    // Where the line leaves the plot, said in its top right corner.
    let beyond = beyond.map(|(k, most)| {
        let last = rule.last().map_or(rule[k].target, |r| r.target);
        format!("Rule {:.2}-{:.2}: to {:.0} steps →", rule[k].target, last, most)
    });
    // The markers are taken before any label, the worlds' labels before the
    // targets': they matter more.
    let mut labels = PointLabels { area: &area, s, out, inside, taken: Vec::new() };
    if let Some(text) = beyond {
        let font = s.font(TEXT).color(&palette::RULE);
        let corner = (xr.end, yr.start + s.px(2.0));
        labels.place(&text, corner, &font, &[(HPos::Right, VPos::Top, 0, 0)], true)?;
    }
    let r = s.px(6.0);
    let at: Vec<(i32, i32)> =
        worlds.iter().map(|w| chart.backend_coord(&(w.sla_violation_steps, w.cost))).collect();
    for (w, &p) in worlds.iter().zip(&at) {
        marker(&area, s, palette::world_mark(w.kind), p, r, palette::world(w.kind).colour)?;
        labels.taken.push(((p.0 - r) as f64, (p.1 - r) as f64, 2.0 * r as f64, 2.0 * r as f64));
    }
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
    for (w, &p) in worlds.iter().zip(&at) {
        let colour = palette::world(w.kind).colour;
        let font = s.font(TEXT).color(&colour);
        labels.place(&w.short, p, &font, &spots, true)?;
    }
    for (cited, text, at) in rule_labels {
        let font = s.font(TEXT).color(&palette::RULE);
        let d = s.px(4.0);
        let near = [
            (HPos::Left, VPos::Bottom, d, -d),
            (HPos::Right, VPos::Top, -d, d),
            (HPos::Right, VPos::Bottom, -d, -d),
            (HPos::Left, VPos::Top, d, d),
        ];
        // The cited target's label anywhere round its point, the others only
        // where they are free.
        labels.place(&text, at, &font, if cited { &spots } else { &near }, cited)?;
    }
    Ok(())
}

/// Where the Rule's line leaves the plot: the first point beyond, and the
/// farthest violation count.
type Beyond = Option<(usize, f64)>;

/// The Rule's line (points in target order) cut where it first leaves the plot
/// at `xmax`: the part inside (ending on the edge), and, when it leaves, the
/// index of the first point beyond and the farthest violation count.
fn clip_right(points: &[(f64, f64)], xmax: f64) -> (Vec<(f64, f64)>, Beyond) {
    let mut line = Vec::new();
    for (k, &p) in points.iter().enumerate() {
        if p.0 <= xmax {
            line.push(p);
            continue;
        }
        if let Some(&q) = line.last() {
            let t = (xmax - q.0) / (p.0 - q.0);
            line.push((xmax, q.1 + t * (p.1 - q.1)));
        }
        let most = points[k..].iter().map(|p| p.0).fold(0.0, f64::max);
        return (line, Some((k, most)));
    }
    (line, None)
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
