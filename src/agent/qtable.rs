//! The Q-table: a value per state and action, and how often each was tried while
//! learning. Exported and imported as JSON with a format name and version, so a
//! table trained once (on the CLI or the page) can be loaded again, and a table of
//! another shape or version is refused with a message, never half-loaded.

use super::state::StateSpace;
use crate::error::{shown, shown_within};
use serde::{Deserialize, Serialize};

/// The version written into every export; an import of another version is refused.
pub const FORMAT_VERSION: u32 = 1;
const FORMAT_NAME: &str = "autoscale-playground/q-table";

#[derive(Debug, Clone, PartialEq)]
pub struct QTable {
    pub space: StateSpace,
    pub q: Vec<[f64; 3]>,
    pub visits: Vec<[u32; 3]>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QTableError(pub String);

impl std::fmt::Display for QTableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QTableError {}

impl From<QTableError> for crate::error::Error {
    fn from(e: QTableError) -> crate::error::Error {
        crate::error::Error::QTable(e.0)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Export {
    format: String,
    version: u32,
    space: StateSpace,
    q: Vec<[f64; 3]>,
    visits: Vec<[u32; 3]>,
}

impl QTable {
    /// All values 0, no visits.
    pub fn new(space: StateSpace) -> QTable {
        let n = space.len();
        QTable { space, q: vec![[0.0; 3]; n], visits: vec![[0; 3]; n] }
    }

    /// Visits of a state, all actions together.
    pub fn state_visits(&self, state: usize) -> u64 {
        self.visits[state].iter().map(|&v| v as u64).sum()
    }

    /// States visited at least once.
    pub fn visited_states(&self) -> usize {
        (0..self.q.len()).filter(|&s| self.state_visits(s) > 0).count()
    }

    pub fn to_json(&self) -> String {
        let e = Export {
            format: FORMAT_NAME.into(),
            version: FORMAT_VERSION,
            space: self.space.clone(),
            q: self.q.clone(),
            visits: self.visits.clone(),
        };
        serde_json::to_string(&e).unwrap_or_default()
    }

    /// Reads an export. Refuses another format or version, a state space whose
    /// size does not match its values, and non-finite values.
    pub fn from_json(text: &str) -> Result<QTable, QTableError> {
        let e: Export = serde_json::from_str(text).map_err(|err| {
            QTableError(format!("not a Q-table export: {}", shown_within(&err.to_string(), 160)))
        })?;
        if e.format != FORMAT_NAME {
            return Err(QTableError(format!(
                "format is \"{}\", expected \"{FORMAT_NAME}\"",
                shown(&e.format)
            )));
        }
        if e.version != FORMAT_VERSION {
            return Err(QTableError(format!(
                "format version {} is not supported (this build reads version {FORMAT_VERSION})",
                e.version
            )));
        }
        let bins = &e.space.utilisation_bins;
        if bins.is_empty()
            || bins.len() > 16
            || bins.windows(2).any(|w| w[0] >= w[1])
            || bins.iter().any(|b| !b.is_finite() || *b <= 0.0)
        {
            return Err(QTableError(
                "utilisation_bins must be 1 to 16 increasing positive numbers".into(),
            ));
        }
        if e.space.max_replicas == 0 || e.space.max_replicas > 1000 {
            return Err(QTableError(format!(
                "max_replicas {} is outside 1..=1000",
                e.space.max_replicas
            )));
        }
        for (name, v) in [
            ("trend_threshold", e.space.trend_threshold),
            ("forecast_threshold", e.space.forecast_threshold),
        ] {
            if !(v.is_finite() && (0.0..1.0).contains(&v)) {
                return Err(QTableError(format!("{name} {v} is outside [0, 1)")));
            }
        }
        let n = e.space.len();
        if e.q.len() != n || e.visits.len() != n {
            return Err(QTableError(format!(
                "the state space has {n} states but the table has {} values and {} visit counts",
                e.q.len(),
                e.visits.len()
            )));
        }
        if let Some(i) = e.q.iter().position(|row| row.iter().any(|v| !v.is_finite())) {
            return Err(QTableError(format!("Q-value of state {i} is not a finite number")));
        }
        Ok(QTable { space: e.space, q: e.q, visits: e.visits })
    }
}
