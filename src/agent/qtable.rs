//! The Q-table: a value per state and action, and how often each was tried while
//! learning. Exported and imported as JSON with a format name and version, so a
//! table trained once (on the CLI or the page) can be loaded again, and a table of
//! another shape or version is refused with a message, never half-loaded.

use super::state::StateSpace;
use crate::error::{shown, shown_within};
use crate::json::{Map, Value};
use crate::scenario::Design;
use serde::Serialize;

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

/// The export's fields, written in this order (read by [`export_of`]).
#[derive(Serialize)]
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
        crate::json::to_string(&e)
    }

    /// Reads an export. Refuses another format or version, a state space whose
    /// size does not match its values, and non-finite values.
    pub fn from_json(text: &str) -> Result<QTable, QTableError> {
        let e = crate::json::parse(text, &|path| shown(path))
            .map_err(|err| err.to_string())
            .and_then(|tree| export_of(&tree))
            .map_err(|err| {
                QTableError(format!("not a Q-table export: {}", shown_within(&err, 160)))
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

/// The export in a JSON tree: its fields of their types, no other field (the
/// state space's design missing: the seed's, as in tables older than it).
/// A problem names the field and what it must be.
fn export_of(tree: &Value) -> Result<Export, String> {
    let fields = object(tree, "the export")?;
    if let Some(other) = fields
        .keys()
        .find(|k| !matches!(k.as_str(), "format" | "version" | "space" | "q" | "visits"))
    {
        return Err(format!(
            "unknown field `{}`, expected one of `format`, `version`, `space`, `q`, `visits`",
            shown(other)
        ));
    }
    let space = object(field(fields, "space")?, "space")?;
    let design = match space.get("design").map(Value::as_str) {
        None | Some(Some("seed")) => Design::Seed,
        Some(Some("calm")) => Design::Calm,
        Some(Some("residual")) => Design::Residual,
        Some(_) => return Err("space.design must be seed, calm or residual".into()),
    };
    let format =
        read(field(fields, "format")?, "format", (|v| v.as_str().map(str::to_string), "text"))?;
    let bins = list(field(space, "utilisation_bins")?, "space.utilisation_bins")?;
    let space = StateSpace {
        design,
        utilisation_bins: bins
            .iter()
            .map(|b| read(b, "space.utilisation_bins", REAL))
            .collect::<Result<_, _>>()?,
        max_replicas: read(field(space, "max_replicas")?, "space.max_replicas", WHOLE)?,
        trend_threshold: read(field(space, "trend_threshold")?, "space.trend_threshold", REAL)?,
        forecast_threshold: read(
            field(space, "forecast_threshold")?,
            "space.forecast_threshold",
            REAL,
        )?,
    };
    Ok(Export {
        format,
        version: read(field(fields, "version")?, "version", WHOLE)?,
        space,
        q: triples(field(fields, "q")?, "q", REAL)?,
        visits: triples(field(fields, "visits")?, "visits", WHOLE)?,
    })
}

/// A whole number that fits 32 bits.
fn whole(v: &Value) -> Option<u32> {
    v.as_u64().and_then(|n| u32::try_from(n).ok())
}

/// How a field is read, and what it must be.
type Reading<T> = (fn(&Value) -> Option<T>, &'static str);
const REAL: Reading<f64> = (Value::as_f64, "a number");
const WHOLE: Reading<u32> = (whole, "a whole number from 0 to 4294967295");

/// `v` read as `how` reads it, or the problem of the field `name` holding
/// something else.
fn read<T>(v: &Value, name: &str, (get, what): Reading<T>) -> Result<T, String> {
    get(v).ok_or_else(|| format!("{name} must be {what}, not {}", crate::json::kind(v)))
}

/// A list of lists of three, each item read by `get`.
fn triples<T: Copy + Default>(
    v: &Value,
    name: &str,
    how: Reading<T>,
) -> Result<Vec<[T; 3]>, String> {
    let mut out = Vec::new();
    for row in list(v, name)? {
        let mut three = [T::default(); 3];
        match row.as_array().map(Vec::as_slice) {
            Some([a, b, c]) => {
                for (slot, item) in three.iter_mut().zip([a, b, c]) {
                    *slot = read(item, name, how)?;
                }
            }
            _ => return Err(format!("{name}[{}] must be a list of 3", out.len())),
        }
        out.push(three);
    }
    Ok(out)
}

fn list<'v>(v: &'v Value, name: &str) -> Result<&'v Vec<Value>, String> {
    v.as_array().ok_or_else(|| format!("{name} must be a list"))
}

fn object<'v>(v: &'v Value, name: &str) -> Result<&'v Map, String> {
    v.as_object().ok_or_else(|| format!("{name} must be an object"))
}

fn field<'v>(fields: &'v Map, name: &str) -> Result<&'v Value, String> {
    fields.get(name).ok_or_else(|| format!("missing field `{name}`"))
}
