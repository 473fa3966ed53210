//! A value of serde's `Serialize` as a JSON tree, as serde_json writes it: a
//! unit variant by its name, a newtype by its content, `None` as `null`, a
//! float JSON cannot hold as `null`.

use super::{Map, Number, Value};
use serde::ser::{self, Serialize};
use std::fmt;

/// `value` as a tree, every object's keys sorted.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Value {
    value.serialize(Tree { ordered: false }).unwrap_or(Value::Null)
}

/// `value` as compact JSON text, a struct's fields in its order.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    value.serialize(Tree { ordered: true }).unwrap_or(Value::Null).to_string()
}

/// What serde may refuse: a map key that is not text.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error(msg.to_string())
    }
}

/// The serializer: `ordered` keeps fields in the order given.
#[derive(Clone, Copy)]
struct Tree {
    ordered: bool,
}

/// An object or list being filled.
struct Fill {
    ordered: bool,
    fields: Map,
    items: Vec<Value>,
    key: Option<String>,
    /// A variant's name, wrapping the result (`{"name": ...}`).
    variant: Option<&'static str>,
}

impl Fill {
    fn new(ordered: bool, variant: Option<&'static str>) -> Fill {
        Fill { ordered, fields: Map::new(), items: Vec::new(), key: None, variant }
    }

    fn field(&mut self, key: String, value: Value) {
        if self.ordered {
            self.fields.push(key, value);
        } else {
            self.fields.insert(key, value);
        }
    }

    fn wrap(self, value: Value) -> Value {
        match self.variant {
            Some(name) => {
                let mut outer = Map::new();
                outer.insert(name.to_string(), value);
                Value::Object(outer)
            }
            None => value,
        }
    }

    fn list(mut self) -> Result<Value, Error> {
        let items = Value::Array(std::mem::take(&mut self.items));
        Ok(self.wrap(items))
    }

    fn object(mut self) -> Result<Value, Error> {
        let fields = Value::Object(std::mem::take(&mut self.fields));
        Ok(self.wrap(fields))
    }
}

fn number(n: impl Into<Number>) -> Result<Value, Error> {
    Ok(Value::Number(n.into()))
}

impl ser::Serializer for Tree {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Fill;
    type SerializeTuple = Fill;
    type SerializeTupleStruct = Fill;
    type SerializeTupleVariant = Fill;
    type SerializeMap = Fill;
    type SerializeStruct = Fill;
    type SerializeStructVariant = Fill;

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Error> {
        number(v as i64)
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Error> {
        number(v as i64)
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Error> {
        number(v as i64)
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Error> {
        number(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Error> {
        number(v as u64)
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Error> {
        number(v as u64)
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Error> {
        number(v as u64)
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Error> {
        number(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        self.serialize_f64(v as f64)
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn serialize_char(self, v: char) -> Result<Value, Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        Ok(Value::Array(v.iter().map(|&b| Value::Number((b as u64).into())).collect()))
    }
    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        Ok(Value::String(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        Ok(Fill::new(self.ordered, Some(variant)).wrap(value.serialize(self)?))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Fill, Error> {
        Ok(Fill::new(self.ordered, None))
    }
    fn serialize_tuple(self, _: usize) -> Result<Fill, Error> {
        Ok(Fill::new(self.ordered, None))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Fill, Error> {
        Ok(Fill::new(self.ordered, None))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Fill, Error> {
        Ok(Fill::new(self.ordered, Some(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Fill, Error> {
        Ok(Fill::new(self.ordered, None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fill, Error> {
        Ok(Fill::new(self.ordered, None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Fill, Error> {
        Ok(Fill::new(self.ordered, Some(variant)))
    }
}

impl Fill {
    fn tree(&self) -> Tree {
        Tree { ordered: self.ordered }
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let v = value.serialize(self.tree())?;
        self.items.push(v);
        Ok(())
    }

    fn named<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        let v = value.serialize(self.tree())?;
        self.field(key.to_string(), v);
        Ok(())
    }
}

impl ser::SerializeSeq for Fill {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }
    fn end(self) -> Result<Value, Error> {
        self.list()
    }
}

impl ser::SerializeTuple for Fill {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }
    fn end(self) -> Result<Value, Error> {
        self.list()
    }
}

impl ser::SerializeTupleStruct for Fill {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }
    fn end(self) -> Result<Value, Error> {
        self.list()
    }
}

impl ser::SerializeTupleVariant for Fill {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }
    fn end(self) -> Result<Value, Error> {
        self.list()
    }
}

impl ser::SerializeMap for Fill {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        match key.serialize(self.tree())? {
            Value::String(k) => self.key = Some(k),
            Value::Number(n) => self.key = Some(n.to_string()),
            _ => return Err(Error("key must be a string".into())),
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.key.take().unwrap_or_default();
        let v = value.serialize(self.tree())?;
        self.field(key, v);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        self.object()
    }
}

impl ser::SerializeStruct for Fill {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.named(key, value)
    }
    fn end(self) -> Result<Value, Error> {
        self.object()
    }
}

impl ser::SerializeStructVariant for Fill {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.named(key, value)
    }
    fn end(self) -> Result<Value, Error> {
        self.object()
    }
}
