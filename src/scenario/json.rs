//! JSON text read into a tree for the scenario's reader, strictly where
//! serde_json is lenient: a key given twice in one object is refused, naming
//! the field (serde_json keeps the last silently, so a link or a file could show
//! one value and run another); a number too large for a float (`1e400`) is kept
//! as the text of that number, so that the field it stands in is reported with
//! its range instead of the whole document being refused.

use crate::error::shown;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses JSON text; a duplicate key's error names it by `name` of its dotted
/// path (`workload.family`; a list's item `agent.utilisation_bins[2]`).
pub(crate) fn parse_json_naming(text: &str, name: fn(&str) -> String) -> serde_json::Result<Value> {
    let mut text = text.to_string();
    // Each round quotes one such number; a document has few.
    for _ in 0..64 {
        match strict(&text, name) {
            Err(e) if e.to_string().starts_with("number out of range") => {
                let Some(end) = offset(&text, e.line(), e.column()) else { return Err(e) };
                let is_number = |c: char| c.is_ascii_digit() || "+-.eE".contains(c);
                let start = text[..end].rfind(|c: char| !is_number(c)).map_or(0, |i| i + 1);
                let stop =
                    text[start..].find(|c: char| !is_number(c)).map_or(text.len(), |i| start + i);
                if start == stop {
                    return Err(e);
                }
                text = format!("{}\"{}\"{}", &text[..start], &text[start..stop], &text[stop..]);
            }
            other => return other,
        }
    }
    strict(&text, name)
}

/// [`parse_json_naming`] with the fields named by their dotted paths.
pub(crate) fn parse_json(text: &str) -> serde_json::Result<Value> {
    parse_json_naming(text, str::to_string)
}

fn strict(text: &str, name: fn(&str) -> String) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Node { path: String::new(), name }.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// The byte offset of (1-based line, column) in `text`, clamped to the line.
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let start: usize = text.split_inclusive('\n').take(line.checked_sub(1)?).map(str::len).sum();
    let line_len = text[start..].find('\n').unwrap_or(text.len() - start);
    let mut at = start + column.min(line_len);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    Some(at)
}

/// A value being read, at its dotted path, as serde_json's own `Value` reads it
/// but for the keys of an object, each of which must be new.
struct Node {
    path: String,
    name: fn(&str) -> String,
}

impl Node {
    fn child(&self, key: &str) -> Node {
        let path =
            if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) };
        Node { path, name: self.name }
    }
}

impl<'de> DeserializeSeed<'de> for Node {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let item = Node { path: format!("{}[{}]", self.path, items.len()), name: self.name };
            match seq.next_element_seed(item)? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut fields = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = self.child(&key);
            if fields.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "{} is given twice; give each field once",
                    shown(&(self.name)(&child.path))
                )));
            }
            let value = map.next_value_seed(child)?;
            fields.insert(key, value);
        }
        Ok(Value::Object(fields))
    }
}
