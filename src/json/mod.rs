//! JSON as the core reads and writes it: a tree ([`Value`]), a strict reader
//! ([`parse`]: a key given twice is refused, naming the field), the compact
//! writer (`Display`) and values of serde's `Serialize` as trees
//! ([`to_value`], keys sorted) or text ([`to_string`], fields in their
//! structs' order). Its text is serde_json's to the byte (numbers shortest,
//! exact; keys sorted as serde_json's map sorts them), which the native tests
//! check against serde_json itself; serde_json stays out of the page's wasm,
//! the larger part of a tenth of its gzipped bytes.

mod read;
mod ser;
mod write;

pub use read::{parse, Error};
pub use ser::{to_string, to_value};

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A JSON number as written: a whole number is kept whole.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number(N);

#[derive(Debug, Clone, Copy, PartialEq)]
enum N {
    /// Non-negative.
    Whole(u64),
    /// Negative.
    Negative(i64),
    /// Finite.
    Real(f64),
}

impl Number {
    /// A finite float; `None` for NaN and the infinities, which JSON cannot hold.
    pub fn from_f64(v: f64) -> Option<Number> {
        v.is_finite().then_some(Number(N::Real(v)))
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            N::Whole(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> f64 {
        match self.0 {
            N::Whole(n) => n as f64,
            N::Negative(n) => n as f64,
            N::Real(v) => v,
        }
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Number {
        Number(N::Whole(n))
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Number {
        if n < 0 {
            Number(N::Negative(n))
        } else {
            Number(N::Whole(n as u64))
        }
    }
}

/// An object's fields, sorted by key (as serde_json's map keeps them), except
/// in the text of a struct ([`to_string`]), which keeps the struct's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map(Vec<(String, Value)>);

impl Map {
    pub fn new() -> Map {
        Map(Vec::new())
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.find(key).ok().map(|i| &mut self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it replaced.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// The value at `key`, made `Null` when there is none.
    pub fn entry(&mut self, key: &str) -> &mut Value {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key.to_string(), Value::Null));
                i
            }
        };
        &mut self.0[i].1
    }

    /// A field after the others, whatever its key (a struct's, in order).
    fn push(&mut self, key: String, value: Value) {
        self.0.push((key, value));
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (String, Value)>, MapPair<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

type MapPair<'a> = fn(&'a (String, Value)) -> (&'a String, &'a Value);

impl Value {
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(n.as_f64()),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(fields) => Some(fields),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(fields) => Some(fields),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// The value at a path of object keys (`/workload/replay/source`).
    pub fn pointer_mut(&mut self, pointer: &str) -> Option<&mut Value> {
        let mut node = self;
        for key in pointer.strip_prefix('/')?.split('/') {
            node = node.as_object_mut()?.get_mut(key)?;
        }
        Some(node)
    }
}

/// What a JSON value is, in words.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

static NULL: Value = Value::Null;

impl std::ops::Index<&str> for Value {
    type Output = Value;

    /// The field `key` of an object; `Null` when there is none.
    fn index(&self, key: &str) -> &Value {
        self.as_object().and_then(|o| o.get(key)).unwrap_or(&NULL)
    }
}
