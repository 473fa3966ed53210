//! The Q-value heatmap's model: the state's first axis (utilisation or headroom
//! bin) × its second (provisioned replicas or utilisation bin) for one
//! (trend, forecast) slice of the state space. A cell's colour is the value of its
//! best action on a diverging scale (the whole table's, so that slices compare,
//! saturating beyond a high percentile of the values, [`scale`]);
//! a state never visited is unknown, never a confident choice. The web layer only
//! draws what this says.

use crate::agent::{QAgent, State};
use crate::error::{Error, Result};
use crate::forecast::Direction;
use crate::session::Session;
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

/// A cell: a bin of the first axis and a row of the second (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub bin: usize,
    pub row: u32,
}

/// Which (trend, forecast) slice the heatmap shows: a chosen one, or the
/// current state's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Slice {
    /// `None` follows the current state.
    pub trend: Option<Direction>,
    pub forecast: Option<Direction>,
}

impl Slice {
    /// The (trend, forecast) shown: the chosen one, else the current state's, else
    /// steady/steady.
    pub fn resolve(&self, session: &Session) -> (Direction, Direction) {
        let current = session.agent().and_then(|a| a.last.as_ref()).map(|d| d.reading.state);
        (
            self.trend.or(current.map(|c| c.trend)).unwrap_or(Direction::Steady),
            self.forecast.or(current.map(|c| c.forecast)).unwrap_or(Direction::Steady),
        )
    }

    /// The state of a cell in this slice, checked against the shown table.
    pub fn cell_state<'a>(&self, session: &'a Session, cell: Cell) -> Result<(&'a QAgent, State)> {
        let agent = shown_agent(session)
            .ok_or_else(|| Error::Run("this run has no Elastic (RL) world".into()))?;
        let space = &agent.table.space;
        let Cell { bin, row } = cell;
        if bin >= space.bins() || row == 0 || row > space.rows() {
            return Err(Error::Run(format!(
                "no heatmap cell at bin {bin}, row {row} (bins 0..{}, rows 1..={})",
                space.bins() - 1,
                space.rows()
            )));
        }
        let (trend, forecast) = self.resolve(session);
        Ok((agent, State { bin, row, trend, forecast }))
    }
}

/// The heatmap's grid in pixels: where the cells are drawn, row 1 the
/// bottom row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    pub bins: usize,
    pub max: u32,
}

impl Grid {
    /// A cell's rectangle (x0, y0, x1, y1).
    pub fn rect(&self, c: Cell) -> (i32, i32, i32, i32) {
        let (w, h) = ((self.right - self.left) as f64, (self.bottom - self.top) as f64);
        let x = |i: usize| self.left + (w * i as f64 / self.bins as f64).round() as i32;
        let y = |row: u32| self.top + (h * row as f64 / self.max as f64).round() as i32;
        let row = self.max - c.row;
        (x(c.bin), y(row), x(c.bin + 1), y(row + 1))
    }

    /// The cell under a point, `None` outside the cells.
    pub fn cell_at(&self, px: f64, py: f64) -> Option<Cell> {
        if px < self.left as f64
            || px >= self.right as f64
            || py < self.top as f64
            || py >= self.bottom as f64
        {
            return None;
        }
        let bin =
            ((px - self.left as f64) / (self.right - self.left) as f64 * self.bins as f64) as usize;
        let row =
            ((py - self.top as f64) / (self.bottom - self.top) as f64 * self.max as f64) as u32;
        Some(Cell { bin: bin.min(self.bins - 1), row: self.max - row.min(self.max - 1) })
    }
}

/// A state's value: the Q of the action the agent takes there.
pub fn value(agent: &QAgent, index: usize) -> f64 {
    agent.table.q[index][agent.greedy(index).index()]
}

/// The share of visited states whose |value| the colour scale spans; the rest
/// saturate.
pub const SCALE_QUANTILE: f64 = 0.95;

/// The colour scale: the [`SCALE_QUANTILE`] quantile of |value| over the visited
/// states ([`robust_max`]). The largest |value| would wash most cells out to
/// near-white: a few rarely visited states hold values far beyond the rest.
pub fn scale(agent: &QAgent) -> f64 {
    let t = &agent.table;
    robust_max(
        (0..t.q.len()).filter(|&s| t.state_visits(s) > 0).map(|s| value(agent, s).abs()).collect(),
    )
}

/// The [`SCALE_QUANTILE`] quantile of the finite magnitudes (the smallest
/// magnitude at or below which that share of them lie); the largest where that
/// is 0; 1 when every one is 0 or there is none. Found by halving the range of magnitudes (a page's table has
/// a few thousand states), which needs no sort in the page's wasm.
pub fn robust_max(values: Vec<f64>) -> f64 {
    let m: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).map(f64::abs).collect();
    let need = (m.len() as f64 * SCALE_QUANTILE).ceil() as usize;
    let at_most = |t: f64| m.iter().filter(|&&v| v <= t).count();
    // The quantile lies in (lo, hi]: fewer than `need` magnitudes are at most
    // lo, at least `need` at most hi.
    let largest = m.iter().copied().fold(0.0, f64::max);
    let (mut lo, mut hi) = (-1.0, largest);
    for _ in 0..64 {
        let mid = 0.5 * (lo + hi);
        if at_most(mid) >= need {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let q = m.iter().copied().filter(|&v| v > lo && v <= hi).fold(f64::INFINITY, f64::min);
    if q > 0.0 && q.is_finite() {
        q
    } else if largest > 0.0 {
        largest
    } else {
        1.0
    }
}

/// A state in words, with its Q-values and visits.
pub fn describe(agent: &QAgent, state: &State) -> String {
    let space = &agent.table.space;
    let i = space.index(state);
    let (q, v) = (agent.table.q[i], agent.table.visits[i]);
    let second = match space.design {
        crate::scenario::Design::Seed => {
            format!("{} replica{}", state.row, if state.row == 1 { "" } else { "s" })
        }
        crate::scenario::Design::Calm | crate::scenario::Design::Residual => {
            format!("utilisation {}", space.bin_label_seed(state.row.saturating_sub(1) as usize))
        }
    };
    let first = match space.design {
        crate::scenario::Design::Seed => format!("Utilisation {}", space.bin_label(state.bin)),
        crate::scenario::Design::Calm => format!("Headroom {}", space.bin_label(state.bin)),
        crate::scenario::Design::Residual => {
            format!("The Rule's headroom {}", space.bin_label(state.bin))
        }
    };
    let head = format!(
        "{first}, {second}, demand {}, forecast {}",
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
