//! Compact JSON text, as serde_json writes it.

use super::{Number, Value, N};
use std::fmt::{self, Display, Write};

impl Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => n.fmt(f),
            Value::String(s) => quoted(s, f),
            Value::Array(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    item.fmt(f)?;
                }
                f.write_char(']')
            }
            Value::Object(fields) => {
                f.write_char('{')?;
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    quoted(key, f)?;
                    f.write_char(':')?;
                    value.fmt(f)?;
                }
                f.write_char('}')
            }
        }
    }
}

impl Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            N::Whole(n) => write!(f, "{n}"),
            N::Negative(n) => write!(f, "{n}"),
            N::Real(v) => real(v, f),
        }
    }
}

/// A string in quotes: `"` and `\` escaped, control characters as `\n` and
/// the like or `\u00XX`; everything else as it is.
fn quoted(s: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            '\u{8}' => f.write_str("\\b")?,
            '\u{c}' => f.write_str("\\f")?,
            c if (c as u32) < 0x20 => write!(f, "\\u{:04x}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

/// A finite float, shortest digits that read back exactly: plain from 1e-5 to
/// below 1e16 (always with a point: `60.0`), else `1.5e+20`, `1e-7`.
fn real(v: f64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    // Core's `{:e}` gives the shortest digits: `-1.2345e-7`.
    let text = format!("{:e}", v.abs());
    let (mantissa, exp) = text.split_once('e').expect("`{:e}` writes an exponent");
    let exp: i32 = exp.parse().expect("`{:e}` writes a whole exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let n = digits.len() as i32;
    if v.is_sign_negative() {
        f.write_char('-')?;
    }
    if !(-5..=15).contains(&exp) {
        f.write_str(&digits[..1])?;
        if n > 1 {
            write!(f, ".{}", &digits[1..])?;
        }
        return write!(f, "e{}{}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
    if exp < 0 {
        f.write_str("0.")?;
        for _ in 0..-exp - 1 {
            f.write_char('0')?;
        }
        return f.write_str(&digits);
    }
    let int = (exp + 1) as usize;
    if n as usize <= int {
        f.write_str(&digits)?;
        for _ in 0..int - n as usize {
            f.write_char('0')?;
        }
        f.write_str(".0")
    } else {
        write!(f, "{}.{}", &digits[..int], &digits[int..])
    }
}
