//! Explaining: the forensics pinned to the panel, of a decision, of a heatmap
//! cell (or the nearest state visited), of one of the run's moments; and the
//! current decision when nothing is pinned. Apart because it replays the run
//! (the costly part), while the rest plays it.

use super::heatmap::{self, Cell};
use super::moments::moment_heading;
use super::{text, Page};
use crate::error::{Error, Result};

/// Steps replayed after a decision to explain it (30 minutes at the default `dt`).
pub const EXPLAIN_HORIZON: usize = 30;

impl Page {
    /// The forensics of the Elastic world's decision at `step`, pinned to the
    /// panel until the next step. Costs a replay of the run up to `step`.
    pub fn explain(&mut self, step: usize) -> Result<String> {
        let text = self.session.explain(step, EXPLAIN_HORIZON)?.text();
        self.pinned = Some(text.clone());
        Ok(text)
    }

    /// What the forensics panel shows: pinned forensics, or the current decision.
    pub fn forensics_text(&self) -> String {
        self.pinned.clone().unwrap_or_else(|| text::decision(&self.session))
    }

    /// A heatmap cell of the slice shown, in words.
    pub fn describe_cell(&self, cell: Cell) -> Result<String> {
        let (agent, state) = self.slice.cell_state(&self.session, cell)?;
        Ok(heatmap::describe(agent, &state))
    }

    /// The forensics of a heatmap cell: the Elastic world's latest decision in
    /// that state in this run; for a state it has not been in, that of the
    /// nearest state of the same slice it has been in (fewest cells away across
    /// and up, then the lowest bin and row), said in the first line; or why
    /// there is none. Pinned to the panel.
    pub fn explain_cell(&mut self, cell: Cell) -> Result<String> {
        let (agent, state) = self.slice.cell_state(&self.session, cell)?;
        let space = &agent.table.space;
        if let Some(step) = self.history.last_step_in(space.index(&state)) {
            return self.explain(step as usize);
        }
        let described = heatmap::describe(agent, &state);
        let nearest = (0..space.bins())
            .flat_map(|bin| {
                (1..=space.rows()).map(move |row| crate::agent::State { bin, row, ..state })
            })
            .filter_map(|near| {
                self.history.last_step_in(space.index(&near)).map(|step| (near, step))
            })
            .min_by_key(|(near, _)| {
                (
                    near.bin.abs_diff(state.bin) + near.row.abs_diff(state.row) as usize,
                    near.bin,
                    near.row,
                )
            });
        let Some((near, step)) = nearest else {
            let text = format!("{described}\nThe Elastic world has not been in this state, or any other of this slice, in this run so far: there is no decision of it to replay.");
            self.pinned = Some(text.clone());
            return Ok(text);
        };
        let away = near.bin.abs_diff(state.bin) + near.row.abs_diff(state.row) as usize;
        let head = format!(
            "Not visited in this run; the nearest state the Elastic world was in, {away} cell{} away, is explained instead: {}.",
            if away == 1 { "" } else { "s" },
            heatmap::describe(agent, &near).split(':').next().unwrap_or_default()
        );
        let text = format!(
            "{head}\nClicked: {described}\n{}",
            self.session.explain(step as usize, EXPLAIN_HORIZON)?.text()
        );
        self.pinned = Some(text.clone());
        Ok(text)
    }

    /// Goes to moment `index` of [`Page::moments`] (seeks to just after its
    /// decision, paused) and pins its forensics once there. Errors name the
    /// index and how many moments there are.
    pub fn open_moment(&mut self, index: usize) -> Result<String> {
        let Some(m) = self.lookahead.moments.get(index).cloned() else {
            return Err(Error::Run(format!(
                "moment {index}: there are {} moments (0 to {})",
                self.lookahead.moments.len(),
                self.lookahead.moments.len().saturating_sub(1)
            )));
        };
        self.seek(m.step + 1);
        self.explain_when_there = Some((m.step, moment_heading(&m)));
        if !self.seeking() {
            self.arrived();
        }
        Ok(m.text)
    }
}
