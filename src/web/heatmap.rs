//! The Q-value heatmap drawn: the model ([`crate::view::heatmap`]) says what each
//! cell holds; here a cell's colour is its value on the diverging map, its mark
//! the action the agent takes there, an unvisited state is drawn as unknown, and
//! the current state is framed. The colour scale saturates beyond a high
//! percentile of the values ([`scale`]).

use super::canvas::{fail, Area, Surface, TextBox, TEXT};
use crate::agent::StateSpace;
use crate::agent::{Action, State};
use crate::view::heatmap::{scale, shown_agent, value, Cell, Grid};
use crate::view::palette::{self, Rgb};
use crate::view::Page;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct Heatmap {
    pub surface: Surface,
    grid: Option<Grid>,
    /// The texts drawn with the layer.
    frame_texts: Vec<TextBox>,
}

impl Heatmap {
    pub fn new(surface: Surface) -> Heatmap {
        Heatmap { surface, grid: None, frame_texts: Vec::new() }
    }

    /// The cell under a point given in CSS pixels from the canvas's corner.
    pub fn cell_at(&self, x: f64, y: f64) -> Option<Cell> {
        let s = self.surface.scale;
        self.grid?.cell_at(x * s, y * s)
    }

    /// Draws the heatmap; its texts are added to `out`.
    pub fn draw(&mut self, page: &Page, out: &mut Vec<TextBox>) -> Result<(), String> {
        let session = &page.session;
        let Some(agent) = shown_agent(session) else { return Ok(()) };
        if !self.surface.fit() {
            return Ok(());
        }
        let space = &agent.table.space;
        let s = &self.surface;
        let (w, h) = s.size();
        // Room on the left for the rotated axis title and the row labels in the
        // charts' type (a character is about 0.6 em wide).
        let chars =
            (1..=space.rows()).map(|r| space.row_label(r).chars().count()).max().unwrap_or(2);
        let grid = Grid {
            left: s.px((24.0 + 0.6 * chars as f64 * TEXT).max(44.0)),
            top: s.px(8.0),
            right: w - s.px(96.0),
            bottom: h - s.px(64.0),
            bins: space.bins(),
            max: space.rows(),
        };
        if grid.right <= grid.left || grid.bottom <= grid.top {
            return Ok(());
        }
        let g = &grid;
        let key = format!("{} {} {} {} {} {}", g.left, g.top, g.right, g.bottom, g.bins, g.max);
        if let Some(layer) = self.surface.layer(key)? {
            self.frame_texts.clear();
            draw_frame(&layer, &self.surface, &grid, space, &mut self.frame_texts)?;
        }
        out.extend(self.frame_texts.iter().cloned());
        self.grid = Some(grid);
        let s = &self.surface;
        let area = s.frame()?;
        let current = session.agent().and_then(|a| a.last.as_ref()).map(|d| d.reading.state);
        let (trend, forecast) = page.slice.resolve(session);
        let vmax = scale(agent);
        let thin = super::canvas::stroke(s, palette::MUTED, 1.0);
        for bin in 0..grid.bins {
            for row in 1..=grid.max {
                let cell = Cell { bin, row };
                let (x0, y0, x1, y1) = grid.rect(cell);
                let index = space.index(&State { bin, row, trend, forecast });
                if agent.table.state_visits(index) == 0 {
                    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], palette::UNKNOWN.filled()))
                        .map_err(fail)?;
                    area.draw(&PathElement::new(vec![(x0, y1), (x1, y0)], thin)).map_err(fail)?;
                    continue;
                }
                let v = value(agent, index) / vmax;
                let fill = palette::diverging(v);
                area.draw(&Rectangle::new([(x0, y0), (x1, y1)], fill.filled())).map_err(fail)?;
                let ink = if v.abs() > 0.55 { palette::PAPER } else { palette::INK };
                mark(&area, agent.greedy(index), (x0, y0, x1, y1), ink)?;
            }
        }
        // Cell borders: one line per row and column.
        let border = super::canvas::stroke(s, palette::PAPER, 1.0);
        for bin in 1..grid.bins {
            let (x, _, _, _) = grid.rect(Cell { bin, row: grid.max });
            area.draw(&PathElement::new(vec![(x, grid.top), (x, grid.bottom)], border))
                .map_err(fail)?;
        }
        for row in 1..grid.max {
            let (_, y, _, _) = grid.rect(Cell { bin: 0, row });
            area.draw(&PathElement::new(vec![(grid.left, y), (grid.right, y)], border))
                .map_err(fail)?;
        }
        if let Some(c) = current.filter(|c| c.trend == trend && c.forecast == forecast) {
            let (x0, y0, x1, y1) =
                grid.rect(Cell { bin: c.bin.min(grid.bins - 1), row: c.row.min(grid.max) });
            area.draw(&Rectangle::new(
                [(x0, y0), (x1, y1)],
                super::canvas::stroke(s, palette::INK, 3.0),
            ))
            .map_err(fail)?;
        }
        if let Some(Cell { bin, row }) = page.cursor {
            if bin < grid.bins && (1..=grid.max).contains(&row) {
                let (x0, y0, x1, y1) = grid.rect(Cell { bin, row });
                let d = s.px(2.0);
                area.draw(&Rectangle::new(
                    [(x0 + d, y0 + d), (x1 - d, y1 - d)],
                    super::canvas::stroke(s, palette::FORECAST, 2.0),
                ))
                .map_err(fail)?;
            }
        }
        // The scale's end values (they change as the agent learns): the colours
        // saturate beyond them.
        let lx = grid.right + s.px(26.0);
        let canvas = s.bounds();
        let label = |v: VPos| s.font(TEXT).color(&palette::MUTED).pos(Pos::new(HPos::Left, v));
        s.write(&area, out, &format!("≥ +{vmax:.1}"), (lx, grid.top), &label(VPos::Top), canvas)?;
        s.write(&area, out, "0", (lx, (grid.top + grid.bottom) / 2), &label(VPos::Center), canvas)?;
        s.write(
            &area,
            out,
            &format!("≤ −{vmax:.1}"),
            (lx, grid.bottom - s.px(18.0)),
            &label(VPos::Bottom),
            canvas,
        )?;
        let slice = format!("slice: demand {}, forecast {}", trend.word(), forecast.word());
        let (slice, size) = s.fit_line(&slice, TEXT, TEXT, (w - s.px(4.0)) as f64);
        let style = s.font(size).pos(Pos::new(HPos::Center, VPos::Bottom));
        // Centred under the cells, moved in where that would cross the canvas's edge.
        let half = (s.measure(&slice, &style).0 / 2.0).ceil() as i32;
        let at = ((grid.left + grid.right) / 2).min(w - half).max(half);
        s.write(&area, out, &slice, (at, h - s.px(2.0)), &style, canvas)?;
        Ok(())
    }
}

/// The action mark: ▲ scale up, ▼ scale down, a bar for hold.
fn mark(
    area: &Area,
    action: Action,
    (x0, y0, x1, y1): (i32, i32, i32, i32),
    ink: Rgb,
) -> Result<(), String> {
    let (cx, cy) = ((x0 + x1) / 2, (y0 + y1) / 2);
    let r = ((x1 - x0).min(y1 - y0) * 3 / 10).max(2);
    let shape = match action {
        Action::Up => vec![(cx, cy - r), (cx + r, cy + r), (cx - r, cy + r)],
        Action::Down => vec![(cx - r, cy - r), (cx + r, cy - r), (cx, cy + r)],
        Action::Hold => vec![
            (cx - r, cy - r / 3),
            (cx + r, cy - r / 3),
            (cx + r, cy + r / 3),
            (cx - r, cy + r / 3),
        ],
    };
    area.draw(&Polygon::new(shape, ink.filled())).map_err(fail)
}

/// The static part: axis labels, the colour scale's bar and the unknown swatch.
fn draw_frame(
    area: &Area,
    s: &Surface,
    grid: &Grid,
    space: &StateSpace,
    out: &mut Vec<TextBox>,
) -> Result<(), String> {
    let canvas = s.bounds();
    let small = |h: HPos, v: VPos| s.font(TEXT).color(&palette::MUTED).pos(Pos::new(h, v));
    // Bin labels in the charts' type, every one that fits: where columns are
    // narrower than a label (a character is about 0.6 em wide), every other
    // one, or every third.
    let labels: Vec<String> = (0..grid.bins).map(|bin| space.short_label(bin)).collect();
    let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64;
    let column = (grid.right - grid.left) as f64 / grid.bins as f64 / s.scale;
    let every = (0.6 * widest * TEXT / column).ceil().max(1.0) as usize;
    for (bin, label) in labels.into_iter().enumerate().filter(|(bin, _)| bin % every == 0) {
        let (x0, _, x1, _) = grid.rect(Cell { bin, row: 1 });
        s.write(
            area,
            out,
            &label,
            ((x0 + x1) / 2, grid.bottom + s.px(3.0)),
            &small(HPos::Center, VPos::Top),
            canvas,
        )?;
    }
    s.write(
        area,
        out,
        space.axis(),
        ((grid.left + grid.right) / 2, grid.bottom + s.px(22.0)),
        &small(HPos::Center, VPos::Top),
        canvas,
    )?;
    let row_h = (grid.bottom - grid.top) as f64 / grid.max as f64 / s.scale;
    let every = ((TEXT + 2.0) / row_h).ceil().max(1.0) as u32;
    for row in (1..=grid.max).filter(|c| c % every == 0 || *c == 1) {
        let (_, y0, _, y1) = grid.rect(Cell { bin: 0, row });
        s.write(
            area,
            out,
            &space.row_label(row),
            (grid.left - s.px(4.0), (y0 + y1) / 2),
            &small(HPos::Right, VPos::Center),
            canvas,
        )?;
    }
    let rotated = s
        .font(TEXT)
        .color(&palette::MUTED)
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Top));
    s.write(
        area,
        out,
        space.row_axis(),
        (s.px(2.0), (grid.top + grid.bottom) / 2),
        &rotated,
        canvas,
    )?;
    // The colour scale: +max at the top, -max at the bottom.
    let (bx0, bx1) = (grid.right + s.px(10.0), grid.right + s.px(22.0));
    let (top, bottom) = (grid.top, grid.bottom - s.px(18.0));
    let steps = 24;
    for i in 0..steps {
        let y0 = top + (bottom - top) * i / steps;
        let y1 = top + (bottom - top) * (i + 1) / steps;
        let v = 1.0 - 2.0 * (i as f64 + 0.5) / steps as f64;
        area.draw(&Rectangle::new([(bx0, y0), (bx1, y1)], palette::diverging(v).filled()))
            .map_err(fail)?;
    }
    let (uy0, uy1) = (grid.bottom - s.px(12.0), grid.bottom);
    area.draw(&Rectangle::new([(bx0, uy0), (bx1, uy1)], palette::UNKNOWN.filled()))
        .map_err(fail)?;
    let style = small(HPos::Left, VPos::Center);
    s.write(area, out, "unvisited", (bx1 + s.px(4.0), (uy0 + uy1) / 2), &style, canvas)?;
    Ok(())
}
