//! The dashboard: which canvas shows which panel, what the viewer chose to see,
//! and the forensics panel's text.

use super::canvas::{fail, Surface, TimeChart, TEXT};
use super::charts;
use super::heatmap::{self, Heatmap};
use super::history::History;
use crate::agent::{Direction, QAgent, State};
use crate::session::Session;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Deserialize;

/// The canvas element id of each panel.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CanvasIds {
    pub capacity: String,
    pub latency: String,
    pub cost: String,
    pub heatmap: String,
    pub forecast: String,
    pub curve: String,
    pub forensics: String,
}

/// What the viewer chose to see.
#[derive(Debug, Default)]
pub struct View {
    /// The heatmap's slice; `None` follows the current state.
    pub trend: Option<Direction>,
    pub forecast: Option<Direction>,
    /// Worlds whose lines are hidden.
    pub hidden: Vec<String>,
    pub learn_live: bool,
    /// The heatmap's keyboard cursor (bin, capacity).
    pub cursor: Option<(usize, u32)>,
}

impl View {
    pub fn shows(&self, world: &str) -> bool {
        !self.hidden.iter().any(|h| h == world)
    }

    /// The heatmap's (trend, forecast) slice: the chosen one, else the current
    /// state's, else steady/steady.
    pub fn slice(&self, session: &Session) -> (Direction, Direction) {
        let current = session.agent().and_then(|a| a.last.as_ref()).map(|d| d.view.state);
        (
            self.trend.or(current.map(|c| c.trend)).unwrap_or(Direction::Steady),
            self.forecast.or(current.map(|c| c.forecast)).unwrap_or(Direction::Steady),
        )
    }

    /// The state of a heatmap cell in the slice shown, checked against the table.
    pub fn cell_state<'a>(&self, session: &'a Session, bin: usize, capacity: u32) -> Result<(&'a QAgent, State), String> {
        let agent = heatmap::shown_agent(session).ok_or("this run has no Elastic (RL) world")?;
        let space = &agent.table.space;
        if bin >= space.util_bins() || capacity == 0 || capacity > space.max_replicas {
            return Err(format!(
                "no heatmap cell at utilisation bin {bin}, capacity {capacity} (bins 0..{}, capacity 1..={})",
                space.util_bins() - 1,
                space.max_replicas
            ));
        }
        let (trend, forecast) = self.slice(session);
        Ok((agent, State { util_bin: bin, capacity, trend, forecast }))
    }
}

/// Every panel's canvas.
pub struct Dashboard {
    capacity: TimeChart,
    latency: TimeChart,
    cost: TimeChart,
    forecast: TimeChart,
    curve: TimeChart,
    pub heatmap: Heatmap,
    forensics: Surface,
}

impl Dashboard {
    /// Finds every canvas; the error names the first one missing.
    pub fn find(ids: &CanvasIds) -> Result<Dashboard, String> {
        let document = web_sys::window().and_then(|w| w.document()).ok_or("no document: the playground runs in a page")?;
        let surface = |id: &str, panel: &str| Surface::find(&document, id, panel);
        Ok(Dashboard {
            capacity: TimeChart::new(surface(&ids.capacity, "capacity")?),
            latency: TimeChart::new(surface(&ids.latency, "latency")?),
            cost: TimeChart::new(surface(&ids.cost, "cost")?),
            heatmap: Heatmap::new(surface(&ids.heatmap, "heatmap")?),
            forecast: TimeChart::new(surface(&ids.forecast, "forecast")?),
            curve: TimeChart::new(surface(&ids.curve, "learning curve")?),
            forensics: surface(&ids.forensics, "forensics")?,
        })
    }

    pub fn draw(&mut self, session: &Session, history: &History, view: &View, forensics: &str) -> Result<(), String> {
        charts::capacity(&mut self.capacity, session, history, view)?;
        charts::latency(&mut self.latency, session, history, view)?;
        charts::cost(&mut self.cost, session, history, view)?;
        charts::forecast(&mut self.forecast, session, history)?;
        charts::curve(&mut self.curve, session)?;
        self.heatmap.draw(session, view)?;
        draw_text(&mut self.forensics, forensics)
    }
}

/// The current decision of the Elastic world in words: cheap enough for every
/// frame (no replays; `explain` adds the counterfactuals).
pub fn decision_text(session: &Session) -> String {
    let Some(agent) = session.agent() else { return "This run has no Elastic (RL) world.".into() };
    let Some(d) = &agent.last else {
        return "No decision yet: the agent acts from step 1 on, once it has seen demand.".into();
    };
    let space = &agent.table.space;
    let state_visits: u64 = d.visits.iter().map(|&v| v as u64).sum();
    let confidence = if state_visits == 0 {
        "This state was never visited in training: the choice is the default (hold), not a judgement.".to_string()
    } else if state_visits < crate::forensics::FEW_VISITS {
        format!("This state was visited only {state_visits} times in training: weak evidence.")
    } else {
        format!("This state was visited {state_visits} times in training.")
    };
    format!(
        "Step {}: {}.\nChose {}{}. Q-values: down {:.2}, hold {:.2}, up {:.2}; visits {} / {} / {}.\n{confidence}\nPause, or click a heatmap cell, for what the other actions would have done.",
        d.step,
        space.describe(&d.view),
        d.action.label(),
        if d.explored { " (exploring)" } else { "" },
        d.q[0],
        d.q[1],
        d.q[2],
        d.visits[0],
        d.visits[1],
        d.visits[2]
    )
}

/// Text wrapped to the canvas, in a monospace font (so that wrapping needs no
/// measurement).
fn draw_text(surface: &mut Surface, text: &str) -> Result<(), String> {
    if !surface.fit() {
        return Ok(());
    }
    let s = &*surface;
    let area = s.blank()?;
    let (w, h) = s.size();
    let pad = s.px(8.0);
    let size = TEXT;
    let line_h = s.px(size * 1.45);
    let columns = (((w - 2 * pad) as f64 / (0.6 * size * s.scale)).floor() as usize).max(16);
    let rows = ((h - 2 * pad) / line_h).max(1) as usize;
    let mut lines: Vec<String> = text.lines().flat_map(|l| wrap(l, columns)).collect();
    if lines.len() > rows {
        lines.truncate(rows);
        if let Some(last) = lines.last_mut() {
            last.push_str(" ...");
        }
    }
    let style = s.mono(size).pos(Pos::new(HPos::Left, VPos::Top));
    for (i, line) in lines.into_iter().enumerate() {
        area.draw(&Text::new(line, (pad, pad + i as i32 * line_h), style.clone())).map_err(fail)?;
    }
    Ok(())
}

/// Splits a line at spaces into lines of at most `columns` characters.
fn wrap(line: &str, columns: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > columns {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push(current);
    out
}
