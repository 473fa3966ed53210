//! Direct labels at the ends of a chart's lines, in place of a legend: stacked
//! apart where they would overlap and joined to their lines when moved off them.
//! A layout of its own, apart from the axes, which never move.

use super::axes::Chart;
use super::canvas::{fail, stroke, Area, Surface, TextBox, TEXT};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::view::palette::{self, Rgb};

/// A line's label at its end: the value where the line ends, the words, the colour.
pub struct EndLabel {
    pub at: (f64, f64),
    pub text: String,
    pub color: Rgb,
}

/// Labels lines directly, to the right of their ends, kept as close to them as
/// they can be without overlapping (a run of labels that would overlap is
/// centred on its lines' ends), within the plot's height (above the x axis's
/// ticks) and the canvas's width; a label moved off its line is joined to it by
/// a thin stroke. Labels whose ends are far apart (the SLA's at the chart's end,
/// the worlds' at the step played) stack apart: one never moves another.
pub fn label_ends(
    area: &Area,
    chart: &Chart,
    s: &Surface,
    labels: Vec<EndLabel>,
    out: &mut Vec<TextBox>,
) -> Result<(), String> {
    let gap = s.px(TEXT + 2.0) as f64;
    let near = s.px(40.0);
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (width, _) = s.size();
    let inside = (xr.start, yr.start, width, yr.end);
    let (top, bottom) = (yr.start as f64 + gap / 2.0, yr.end as f64 - gap / 2.0);
    let mut stacks: Vec<Vec<(i32, i32, EndLabel)>> = Vec::new();
    for l in labels {
        let (x, y) = chart.backend_coord(&l.at);
        match stacks.iter_mut().find(|st| (st[0].0 - x).abs() < near) {
            Some(stack) => stack.push((x, y, l)),
            None => stacks.push(vec![(x, y, l)]),
        }
    }
    // Where a run of `n` labels starts (its first label's centre) when centred on
    // the sum of its ends' heights, within the plot.
    let start = |n: usize, sum: f64| {
        (sum / n as f64 - (n - 1) as f64 * gap / 2.0).min(bottom - (n - 1) as f64 * gap).max(top)
    };
    for mut stack in stacks {
        crate::math::sort_small_by_key(&mut stack, |p| p.1);
        // Runs of labels (count, sum of ends' heights, start), merged while they overlap.
        let mut runs: Vec<(usize, f64, f64)> = Vec::new();
        for &(_, y, _) in &stack {
            runs.push((1, y as f64, start(1, y as f64)));
            while runs.len() > 1 {
                let (n2, s2, t2) = runs[runs.len() - 1];
                let (n1, s1, t1) = runs[runs.len() - 2];
                if t1 + n1 as f64 * gap <= t2 {
                    break;
                }
                runs.truncate(runs.len() - 2);
                runs.push((n1 + n2, s1 + s2, start(n1 + n2, s1 + s2)));
            }
        }
        let placed = runs.iter().flat_map(|&(n, _, t)| (0..n).map(move |j| t + j as f64 * gap));
        for ((x, y, l), ly) in stack.into_iter().zip(placed) {
            let ly = ly.round() as i32;
            let style = s.font(TEXT).color(&l.color).pos(Pos::new(HPos::Left, VPos::Center));
            let (w, _) = s.measure(&l.text, &style);
            let tx = (x + s.px(6.0)).min(width - 1 - w.ceil() as i32).max(inside.0);
            if (ly - y).abs() as f64 > gap * 0.6 && tx > x + s.px(2.0) {
                area.draw(&PathElement::new(
                    vec![(x + s.px(1.0), y), (tx - s.px(1.0), ly)],
                    stroke(s, l.color, 1.0),
                ))
                .map_err(fail)?;
            }
            // On paper, so that a line crossing it (the SLA's, the current step's)
            // does not strike it through.
            let (bx, by, bw, bh) = s.place(&l.text, (tx, ly), &style);
            let back = [
                (bx as i32 - 1, by as i32),
                ((bx + bw).ceil() as i32 + 1, (by + bh).ceil() as i32),
            ];
            area.draw(&Rectangle::new(back, palette::PAPER.mix(0.85).filled())).map_err(fail)?;
            s.write(area, out, &l.text, (tx, ly), &style, inside)?;
        }
    }
    Ok(())
}
