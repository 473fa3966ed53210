//! Reading JSON text into a [`Value`], strictly where serde_json is lenient:
//! a key given twice in one object is refused, naming the field (serde_json
//! keeps the last silently, so a link or a file could show one value and run
//! another); a number too large for a float (`1e400`) is kept as the text of
//! that number, so that the field it stands in is reported with its range
//! instead of the whole document being refused. Otherwise it reads what
//! serde_json reads, and refuses the rest in serde_json's words and places.

use super::{Map, Number, Value, N};
use crate::math::decimal_to_f64;
use std::fmt;

/// Deeper nesting is refused, as serde_json refuses it, before it can exhaust
/// the stack.
const MAX_DEPTH: usize = 128;

/// Why a text is not JSON, and where (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    message: String,
    line: usize,
    column: usize,
    /// A key given twice, in valid JSON.
    data: bool,
}

impl Error {
    /// The message without its place.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the text is valid JSON that gives a key twice (else it is no JSON).
    pub fn is_data(&self) -> bool {
        self.data
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.message, self.line, self.column)
    }
}

impl std::error::Error for Error {}

/// Parses JSON text; a duplicate key's error names it by `name` of its dotted
/// path (`workload.family`; a list's item `agent.utilisation_bins[2]`), which
/// escapes what it quotes.
pub fn parse(text: &str, name: &dyn Fn(&str) -> String) -> Result<Value, Error> {
    let mut r = Reader { text: text.as_bytes(), at: 0, name };
    let value = r.value(String::new(), 0)?;
    r.space();
    if r.at < r.text.len() {
        r.at += 1;
        return Err(r.error("trailing characters"));
    }
    Ok(value)
}

struct Reader<'t> {
    text: &'t [u8],
    /// The next byte.
    at: usize,
    name: &'t dyn Fn(&str) -> String,
}

impl Reader<'_> {
    /// An error at the last byte read.
    fn error(&self, message: &str) -> Error {
        let read = &self.text[..self.at.min(self.text.len())];
        let line_start = read.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        Error {
            message: message.to_string(),
            line: 1 + read.iter().filter(|&&b| b == b'\n').count(),
            column: read.len() - line_start,
            data: false,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek();
        self.at += b.is_some() as usize;
        b
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\t' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self, path: String, depth: usize) -> Result<Value, Error> {
        self.space();
        match self.peek() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'n') => self.ident(b"null", Value::Null),
            Some(b't') => self.ident(b"true", Value::Bool(true)),
            Some(b'f') => self.ident(b"false", Value::Bool(false)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'"') => {
                self.at += 1;
                self.string().map(Value::String)
            }
            Some(b'[') | Some(b'{') if depth >= MAX_DEPTH => {
                Err(self.error("recursion limit exceeded"))
            }
            Some(b'[') => {
                self.at += 1;
                self.list(path, depth + 1)
            }
            Some(b'{') => {
                self.at += 1;
                self.object(path, depth + 1)
            }
            Some(_) => {
                self.at += 1;
                Err(self.error("expected value"))
            }
        }
    }

    fn ident(&mut self, word: &[u8], value: Value) -> Result<Value, Error> {
        self.at += 1;
        for &expected in &word[1..] {
            match self.next() {
                None => return Err(self.error("EOF while parsing a value")),
                Some(b) if b != expected => return Err(self.error("expected ident")),
                Some(_) => {}
            }
        }
        Ok(value)
    }

    /// A number: whole when it has no point and no exponent and fits, else the
    /// nearest float; the number's text when it is beyond every float.
    fn number(&mut self) -> Result<Value, Error> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        self.at += negative as usize;
        let digits_from = self.at;
        match self.next() {
            None => return Err(self.error("EOF while parsing a value")),
            Some(b'0') => {
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.at += 1;
                    return Err(self.error("invalid number"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            Some(_) => return Err(self.error("invalid number")),
        }
        let int = &self.text[digits_from..self.at];
        let mut frac: &[u8] = &[];
        if self.peek() == Some(b'.') {
            self.at += 1;
            let from = self.at;
            self.digits();
            if self.at == from {
                return Err(self.invalid_or_eof());
            }
            frac = &self.text[from..self.at];
        }
        let mut exp10 = 0i64;
        let has_exponent = matches!(self.peek(), Some(b'e' | b'E'));
        if has_exponent {
            self.at += 1;
            let minus = match self.peek() {
                Some(b'-') => true,
                Some(b'+') => false,
                _ => {
                    self.at -= 1;
                    false
                }
            };
            self.at += 1;
            let from = self.at;
            self.digits();
            if self.at == from {
                return Err(self.invalid_or_eof());
            }
            let e = self.text[from..self.at]
                .iter()
                .fold(0i64, |e, b| (e * 10 + (b - b'0') as i64).min(1 << 40));
            exp10 = if minus { -e } else { e };
        }
        if frac.is_empty() && !has_exponent {
            let whole =
                int.iter().try_fold(0u64, |n, b| n.checked_mul(10)?.checked_add((b - b'0') as u64));
            if let Some(n) = whole {
                if !negative {
                    return Ok(Value::Number(n.into()));
                }
                let neg = (n as i64).wrapping_neg();
                // -0, and below the least i64, as serde_json: a float.
                let number = if neg >= 0 { Number(N::Real(-(n as f64))) } else { neg.into() };
                return Ok(Value::Number(number));
            }
        }
        let all: Vec<u8> = int.iter().chain(frac).copied().collect();
        let v = decimal_to_f64(&all, exp10.saturating_sub(frac.len() as i64));
        if v.is_infinite() {
            let text = std::str::from_utf8(&self.text[start..self.at]).expect("ASCII digits");
            return Ok(Value::String(text.to_string()));
        }
        Ok(Value::Number(Number(N::Real(if negative { -v } else { v }))))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

    /// A number cut short: at the end of the text, or by another character.
    fn invalid_or_eof(&mut self) -> Error {
        match self.next() {
            None => self.error("EOF while parsing a value"),
            Some(_) => self.error("invalid number"),
        }
    }

    /// A string's contents, after its opening quote.
    fn string(&mut self) -> Result<String, Error> {
        let mut out = Vec::new();
        loop {
            match self.next() {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    let c = match self.next() {
                        None => return Err(self.error("EOF while parsing a string")),
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.escaped()?,
                        Some(_) => return Err(self.error("invalid escape")),
                    };
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                Some(b) if b < 0x20 => {
                    return Err(self
                        .error("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                Some(b) => out.push(b),
            }
        }
        // The text was UTF-8 and every escape is written as UTF-8.
        Ok(String::from_utf8(out).expect("UTF-8 in, UTF-8 out"))
    }

    /// A `\u` escape's character (a surrogate pair's, from both escapes).
    fn escaped(&mut self) -> Result<char, Error> {
        let high = self.hex4()?;
        let code = match high {
            0xDC00..=0xDFFF => return Err(self.error("lone leading surrogate in hex escape")),
            0xD800..=0xDBFF => {
                if self.next() != Some(b'\\') || self.next() != Some(b'u') {
                    return Err(self.error("unexpected end of hex escape"));
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            c => c,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        if self.at + 4 > self.text.len() {
            self.at = self.text.len();
            return Err(self.error("EOF while parsing a string"));
        }
        let mut v = 0;
        for _ in 0..4 {
            let b = self.next().expect("four bytes are left");
            v = v * 16 + (b as char).to_digit(16).ok_or_else(|| self.error("invalid escape"))?;
        }
        Ok(v)
    }

    /// A list's items, after its `[`.
    fn list(&mut self, path: String, depth: usize) -> Result<Value, Error> {
        let mut items = Vec::new();
        self.space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(format!("{path}[{}]", items.len()), depth)?);
            self.space();
            match self.next() {
                None => return Err(self.error("EOF while parsing a list")),
                Some(b']') => return Ok(Value::Array(items)),
                Some(b',') => {
                    self.space();
                    if self.peek() == Some(b']') {
                        self.at += 1;
                        return Err(self.error("trailing comma"));
                    }
                }
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// An object's fields, after its `{`: each key once.
    fn object(&mut self, path: String, depth: usize) -> Result<Value, Error> {
        let mut fields = Map::new();
        self.space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(fields));
        }
        loop {
            match self.next() {
                None => return Err(self.error("EOF while parsing an object")),
                Some(b'"') => {}
                Some(_) => return Err(self.error("key must be a string")),
            }
            let key = self.string()?;
            self.space();
            match self.next() {
                None => return Err(self.error("EOF while parsing an object")),
                Some(b':') => {}
                Some(_) => return Err(self.error("expected `:`")),
            }
            let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            if fields.contains_key(&key) {
                let mut e = self.error(&format!(
                    "{} is given twice; give each field once",
                    (self.name)(&child)
                ));
                e.data = true;
                return Err(e);
            }
            let value = self.value(child, depth)?;
            fields.insert(key, value);
            self.space();
            match self.next() {
                None => return Err(self.error("EOF while parsing an object")),
                Some(b'}') => return Ok(Value::Object(fields)),
                Some(b',') => {
                    self.space();
                    if self.peek() == Some(b'}') {
                        self.at += 1;
                        return Err(self.error("trailing comma"));
                    }
                }
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }
}
