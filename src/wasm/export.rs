//! What the page exports and imports: the run as CSV (the CLI's `compare --out`
//! text, from the same function) and the agent's Q-table as JSON (the CLI's
//! `train --out` format), loaded back with the checks of the CLI's `--q`.

use super::{Playground, CSV_STEPS};
use crate::agent::QTable;
use wasm_bindgen::prelude::*;

/// Public methods, exported to JavaScript.
#[wasm_bindgen]
impl Playground {
    /// The per-step report of every world over the steps played so far, as CSV:
    /// the columns and number formatting of the CLI's `compare --out`.
    /// Needs the judge to keep every step's report (`Session::keep_reports`).
    #[wasm_bindgen(js_name = stepsCsv)]
    pub fn steps_csv(&self) -> Result<String, JsError> {
        let judge = &self.session.judge;
        if judge.lanes.iter().any(|l| l.reports.len() < judge.step_index()) {
            return Err(JsError::new(&format!(
                "this run is {} steps long; the page keeps every step's report, which the CSV holds, for runs of at most {CSV_STEPS} steps",
                judge.len()
            )));
        }
        Ok(judge.csv())
    }

    /// The trained agent's Q-table as JSON (versioned; the CLI's `train --out`).
    #[wasm_bindgen(js_name = tableJson)]
    pub fn table_json(&self) -> String {
        self.session.trainer.agent.table.to_json()
    }

    /// Takes a Q-table (JSON, as `tableJson` or the CLI write it) as the trained
    /// agent and restarts the run at step 0 with it. A wrong format, version or
    /// state space is an error naming it, and nothing changes then.
    #[wasm_bindgen(js_name = loadTable)]
    pub fn load_table(&mut self, json: &str) -> Result<(), JsError> {
        let table = QTable::from_json(json).map_err(|e| JsError::new(&format!("this is not a Q-table this page can use: {e}")))?;
        self.session.load_table(table).map_err(|e| JsError::new(&format!("this Q-table does not fit the scenario: {e}")))?;
        self.restarted();
        Ok(())
    }
}
