//! JSON text read into a tree for the scenario's reader ([`crate::json::parse`]:
//! strict where serde_json is lenient), a key given twice named by its field.

use crate::error::shown;
use crate::json::{parse, Error, Value};

/// Parses JSON text; a duplicate key's error names it by `name` of its dotted
/// path (`workload.family`; a list's item `agent.utilisation_bins[2]`).
pub(crate) fn parse_json_naming(text: &str, name: fn(&str) -> String) -> Result<Value, Error> {
    parse(text, &|path| shown(&name(path)))
}

/// [`parse_json_naming`] with the fields named by their dotted paths.
pub(crate) fn parse_json(text: &str) -> Result<Value, Error> {
    parse(text, &|path| shown(path))
}
