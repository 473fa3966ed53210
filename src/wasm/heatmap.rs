//! The Q-value heatmap: utilisation bin × provisioned capacity for one (trend,
//! forecast) slice of the state space. A cell's colour is the value of its best
//! action on a diverging map (the scale is the whole table's, so slices compare);
//! its mark is the action the agent takes there; a state never visited is drawn
//! as unknown, never as a confident choice; the current state is framed.

use super::canvas::{fail, Area, Surface, TEXT};
use super::dashboard::View;
use super::palette;
use crate::agent::{Action, QAgent, State};
use crate::session::Session;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

/// The agent whose table is shown: the one in training while training is under
/// way (the table fills in as it learns), else the Elastic world's (which changes
/// during the run only when learning live).
pub fn shown_agent(session: &Session) -> Option<&QAgent> {
    if session.trainer.done() {
        session.agent()
    } else {
        Some(&session.trainer.agent)
    }
}

/// A cell: a utilisation bin and a provisioned capacity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cell {
    pub bin: usize,
    pub capacity: u32,
}

/// Where the cells were last drawn (backing pixels).
#[derive(Debug, Clone, Copy)]
struct Grid {
    left: i32,
    top: i32,
    right: i32,
    bottom: i32,
    bins: usize,
    max: u32,
}

impl Grid {
    /// Capacity 1 is the bottom row.
    fn rect(&self, c: Cell) -> (i32, i32, i32, i32) {
        let (w, h) = ((self.right - self.left) as f64, (self.bottom - self.top) as f64);
        let x = |i: usize| self.left + (w * i as f64 / self.bins as f64).round() as i32;
        let y = |row: u32| self.top + (h * row as f64 / self.max as f64).round() as i32;
        let row = self.max - c.capacity;
        (x(c.bin), y(row), x(c.bin + 1), y(row + 1))
    }

    fn cell_at(&self, px: f64, py: f64) -> Option<Cell> {
        if px < self.left as f64 || px >= self.right as f64 || py < self.top as f64 || py >= self.bottom as f64 {
            return None;
        }
        let bin = ((px - self.left as f64) / (self.right - self.left) as f64 * self.bins as f64) as usize;
        let row = ((py - self.top as f64) / (self.bottom - self.top) as f64 * self.max as f64) as u32;
        Some(Cell { bin: bin.min(self.bins - 1), capacity: self.max - row.min(self.max - 1) })
    }
}

pub struct Heatmap {
    pub surface: Surface,
    grid: Option<Grid>,
}

/// The words for utilisation bins, short enough for a column ("<30", "30-50").
fn short_bin(edges: &[f64], bin: usize) -> String {
    let pct = |x: f64| format!("{:.0}", x * 100.0);
    match (bin.checked_sub(1).and_then(|i| edges.get(i)), edges.get(bin)) {
        (None, Some(hi)) => format!("<{}", pct(*hi)),
        (Some(lo), Some(hi)) => format!("{}-{}", pct(*lo), pct(*hi)),
        (Some(lo), None) => format!(">{}", pct(*lo)),
        (None, None) => "all".into(),
    }
}

/// A state's value: the Q of the action the agent takes there.
fn value(agent: &QAgent, index: usize) -> f64 {
    agent.table.q[index][agent.greedy(index).index()]
}

/// The colour scale: the largest |value| over the visited states.
fn scale(agent: &QAgent) -> f64 {
    let t = &agent.table;
    let m = (0..t.q.len()).filter(|&s| t.state_visits(s) > 0).map(|s| value(agent, s).abs()).fold(0.0, f64::max);
    if m > 0.0 && m.is_finite() {
        m
    } else {
        1.0
    }
}

/// A state in words, with its Q-values and visits.
pub fn describe(agent: &QAgent, state: &State) -> String {
    let space = &agent.table.space;
    let i = space.index(state);
    let (q, v) = (agent.table.q[i], agent.table.visits[i]);
    let head = format!(
        "Utilisation {}, {} replica{}, demand {}, forecast {}",
        space.bin_label(state.util_bin),
        state.capacity,
        if state.capacity == 1 { "" } else { "s" },
        state.trend.word(),
        state.forecast.word()
    );
    if agent.table.state_visits(i) == 0 {
        return format!("{head}: never visited in training, its values are unknown (the agent would hold by default).");
    }
    format!(
        "{head}: Q down {:.2}, hold {:.2}, up {:.2}; visits {} / {} / {}; the agent would {}.",
        q[0],
        q[1],
        q[2],
        v[0],
        v[1],
        v[2],
        agent.greedy(i).label()
    )
}

impl Heatmap {
    pub fn new(surface: Surface) -> Heatmap {
        Heatmap { surface, grid: None }
    }

    /// The cell under a point given in CSS pixels from the canvas's corner.
    pub fn cell_at(&self, x: f64, y: f64) -> Option<Cell> {
        let s = self.surface.scale;
        self.grid?.cell_at(x * s, y * s)
    }

    pub fn draw(&mut self, session: &Session, view: &View) -> Result<(), String> {
        let Some(agent) = shown_agent(session) else { return Ok(()) };
        if !self.surface.fit() {
            return Ok(());
        }
        let space = &agent.table.space;
        let s = &self.surface;
        let (w, h) = s.size();
        let grid = Grid {
            left: s.px(44.0),
            top: s.px(8.0),
            right: w - s.px(84.0),
            bottom: h - s.px(54.0),
            bins: space.util_bins(),
            max: space.max_replicas.max(1),
        };
        if grid.right <= grid.left || grid.bottom <= grid.top {
            return Ok(());
        }
        let key = format!("{grid:?}");
        if let Some(layer) = self.surface.layer(key)? {
            draw_frame(&layer, &self.surface, &grid, &space.utilisation_bins)?;
        }
        self.grid = Some(grid);
        let s = &self.surface;
        let area = s.frame()?;
        let current = session.agent().and_then(|a| a.last.as_ref()).map(|d| d.view.state);
        let (trend, forecast) = view.slice(session);
        let vmax = scale(agent);
        let thin = super::canvas::stroke(s, palette::MUTED, 1.0);
        for bin in 0..grid.bins {
            for capacity in 1..=grid.max {
                let cell = Cell { bin, capacity };
                let (x0, y0, x1, y1) = grid.rect(cell);
                let index = space.index(&State { util_bin: bin, capacity, trend, forecast });
                if agent.table.state_visits(index) == 0 {
                    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], palette::UNKNOWN.filled())).map_err(fail)?;
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
            let (x, _, _, _) = grid.rect(Cell { bin, capacity: grid.max });
            area.draw(&PathElement::new(vec![(x, grid.top), (x, grid.bottom)], border)).map_err(fail)?;
        }
        for capacity in 1..grid.max {
            let (_, y, _, _) = grid.rect(Cell { bin: 0, capacity });
            area.draw(&PathElement::new(vec![(grid.left, y), (grid.right, y)], border)).map_err(fail)?;
        }
        if let Some(c) = current.filter(|c| c.trend == trend && c.forecast == forecast) {
            let (x0, y0, x1, y1) = grid.rect(Cell { bin: c.util_bin.min(grid.bins - 1), capacity: c.capacity.min(grid.max) });
            area.draw(&Rectangle::new([(x0, y0), (x1, y1)], super::canvas::stroke(s, palette::INK, 3.0))).map_err(fail)?;
        }
        if let Some((bin, capacity)) = view.cursor {
            if bin < grid.bins && (1..=grid.max).contains(&capacity) {
                let (x0, y0, x1, y1) = grid.rect(Cell { bin, capacity });
                let d = s.px(2.0);
                area.draw(&Rectangle::new([(x0 + d, y0 + d), (x1 - d, y1 - d)], super::canvas::stroke(s, palette::FORECAST, 2.0))).map_err(fail)?;
            }
        }
        // The scale's end values (they change as the agent learns).
        let lx = grid.right + s.px(26.0);
        let label = |text: String, y: i32, v: VPos| Text::new(text, (lx, y), s.font(10.0).color(&palette::MUTED).pos(Pos::new(HPos::Left, v)));
        area.draw(&label(format!("+{vmax:.1}"), grid.top, VPos::Top)).map_err(fail)?;
        area.draw(&label("0".into(), (grid.top + grid.bottom) / 2, VPos::Center)).map_err(fail)?;
        area.draw(&label(format!("-{vmax:.1}"), grid.bottom - s.px(18.0), VPos::Bottom)).map_err(fail)?;
        let slice = format!("slice: demand {}, forecast {}", trend.word(), forecast.word());
        area.draw(&Text::new(slice, ((grid.left + grid.right) / 2, h - s.px(2.0)), s.font(TEXT).pos(Pos::new(HPos::Center, VPos::Bottom)))).map_err(fail)?;
        Ok(())
    }
}

/// The action mark: ▲ scale up, ▼ scale down, a bar for hold.
fn mark(area: &Area, action: Action, (x0, y0, x1, y1): (i32, i32, i32, i32), ink: RGBColor) -> Result<(), String> {
    let (cx, cy) = ((x0 + x1) / 2, (y0 + y1) / 2);
    let r = ((x1 - x0).min(y1 - y0) * 3 / 10).max(2);
    let shape = match action {
        Action::Up => vec![(cx, cy - r), (cx + r, cy + r), (cx - r, cy + r)],
        Action::Down => vec![(cx - r, cy - r), (cx + r, cy - r), (cx, cy + r)],
        Action::Hold => vec![(cx - r, cy - r / 3), (cx + r, cy - r / 3), (cx + r, cy + r / 3), (cx - r, cy + r / 3)],
    };
    area.draw(&Polygon::new(shape, ink.filled())).map_err(fail)
}

/// The static part: axis labels, the colour scale's bar and the unknown swatch.
fn draw_frame(area: &Area, s: &Surface, grid: &Grid, edges: &[f64]) -> Result<(), String> {
    let small = |h: HPos, v: VPos| s.font(11.0).color(&palette::MUTED).pos(Pos::new(h, v));
    // Bin labels shrink to fit their columns (a character is about 0.6 em wide).
    let labels: Vec<String> = (0..grid.bins).map(|bin| short_bin(edges, bin)).collect();
    let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64;
    let column = (grid.right - grid.left) as f64 / grid.bins as f64 / s.scale;
    let size = (column / (0.6 * widest)).clamp(7.0, 11.0);
    for (bin, label) in labels.into_iter().enumerate() {
        let (x0, _, x1, _) = grid.rect(Cell { bin, capacity: 1 });
        let style = s.font(size).color(&palette::MUTED).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw(&Text::new(label, ((x0 + x1) / 2, grid.bottom + s.px(4.0)), style)).map_err(fail)?;
    }
    area.draw(&Text::new("utilisation (%)", ((grid.left + grid.right) / 2, grid.bottom + s.px(18.0)), small(HPos::Center, VPos::Top))).map_err(fail)?;
    let row_h = (grid.bottom - grid.top) as f64 / grid.max as f64 / s.scale;
    let every = (13.0 / row_h).ceil().max(1.0) as u32;
    for capacity in (1..=grid.max).filter(|c| c % every == 0 || *c == 1) {
        let (_, y0, _, y1) = grid.rect(Cell { bin: 0, capacity });
        area.draw(&Text::new(capacity.to_string(), (grid.left - s.px(4.0), (y0 + y1) / 2), small(HPos::Right, VPos::Center))).map_err(fail)?;
    }
    let rotated = s.font(11.0).color(&palette::MUTED).transform(FontTransform::Rotate270).pos(Pos::new(HPos::Center, VPos::Top));
    area.draw(&Text::new("provisioned replicas", (s.px(2.0), (grid.top + grid.bottom) / 2), rotated)).map_err(fail)?;
    // The colour scale: +max at the top, -max at the bottom.
    let (bx0, bx1) = (grid.right + s.px(10.0), grid.right + s.px(22.0));
    let (top, bottom) = (grid.top, grid.bottom - s.px(18.0));
    let steps = 24;
    for i in 0..steps {
        let y0 = top + (bottom - top) * i / steps;
        let y1 = top + (bottom - top) * (i + 1) / steps;
        let v = 1.0 - 2.0 * (i as f64 + 0.5) / steps as f64;
        area.draw(&Rectangle::new([(bx0, y0), (bx1, y1)], palette::diverging(v).filled())).map_err(fail)?;
    }
    let (uy0, uy1) = (grid.bottom - s.px(12.0), grid.bottom);
    area.draw(&Rectangle::new([(bx0, uy0), (bx1, uy1)], palette::UNKNOWN.filled())).map_err(fail)?;
    let tiny = s.font(10.0).color(&palette::MUTED).pos(Pos::new(HPos::Left, VPos::Center));
    area.draw(&Text::new("unvisited", (bx1 + s.px(4.0), (uy0 + uy1) / 2), tiny)).map_err(fail)?;
    Ok(())
}
