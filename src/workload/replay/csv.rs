//! A CSV's text as records and fields: the separator found from the first lines
//! (`,` `;` or a tab; none in a file of one column), RFC 4180 quoting (a quoted
//! field may hold the separator, a doubled quote or a line break), and numbers
//! written with a decimal comma where the comma is not the separator. Separate, so
//! that telling the file's layout and reading its rows split it the same way.

use super::problems::Bad;
use std::borrow::Cow;

/// What separates the fields of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    Comma,
    Semicolon,
    Tab,
    /// A file of one column: nothing is read as a separator.
    None,
}

impl Separator {
    fn byte(self) -> Option<u8> {
        match self {
            Separator::Comma => Some(b','),
            Separator::Semicolon => Some(b';'),
            Separator::Tab => Some(b'\t'),
            Separator::None => None,
        }
    }

    /// The separator as [`crate::error::shown`] writes it.
    pub(super) fn escaped(self) -> Option<&'static str> {
        match self {
            Separator::Comma => Some(","),
            Separator::Semicolon => Some(";"),
            Separator::Tab => Some("\\t"),
            Separator::None => None,
        }
    }

    /// The separator as the import's summary names it.
    pub fn words(self) -> &'static str {
        match self {
            Separator::Comma => "','-separated",
            Separator::Semicolon => "';'-separated",
            Separator::Tab => "tab-separated",
            Separator::None => "one column",
        }
    }
}

/// Lines looked at to find the separator.
const SAMPLED_LINES: usize = 50;

/// The separator of `text`: of `,` `;` and tab, one that splits the first line
/// and most of the first lines into at least two fields; of several, the one
/// splitting most lines into as many fields as the first, then the one giving the
/// most fields (a headerless `0,5;100;20` is `;`-separated with a decimal comma,
/// not `,`-separated); none when no candidate does.
pub(super) fn separator(text: &str) -> Separator {
    let sample: Vec<&str> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(SAMPLED_LINES)
        .collect();
    let mut best: Option<(usize, usize, Separator)> = None;
    for sep in [Separator::Comma, Separator::Semicolon, Separator::Tab] {
        let widths: Vec<usize> = sample.iter().map(|l| fields(l, sep).len()).collect();
        let Some(&first) = widths.first().filter(|&&w| w >= 2) else { continue };
        if 2 * widths.iter().filter(|&&w| w >= 2).count() < widths.len() {
            continue;
        }
        let agree = widths.iter().filter(|&&w| w == first).count();
        if best.is_none_or(|(a, w, _)| (agree, first) > (a, w)) {
            best = Some((agree, first, sep));
        }
    }
    best.map_or(Separator::None, |(_, _, sep)| sep)
}

/// Whitespace around a field or record (a tab only where it does not separate).
fn blank(b: u8, sep: Option<u8>) -> bool {
    matches!(b, b' ' | b'\r') || (b == b'\t' && sep != Some(b'\t'))
}

/// The end of the field or record starting at `from`: the next separator (when
/// `stop_at_sep`) or line break outside quotes, and the line breaks crossed inside
/// quotes. A quote opened at the start of a field and never closed is an error:
/// the line breaks before it.
fn scan(
    bytes: &[u8],
    from: usize,
    sep: Option<u8>,
    stop_at_sep: bool,
) -> Result<(usize, usize), usize> {
    let (mut i, mut breaks, mut opened) = (from, 0, 0);
    let (mut quoted, mut field_start) = (false, true);
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            } else if b == b'\n' {
                breaks += 1;
            }
        } else if b == b'\n' || (stop_at_sep && Some(b) == sep) {
            break;
        } else if Some(b) == sep {
            field_start = true;
        } else if b == b'"' && field_start {
            quoted = true;
            opened = breaks;
            field_start = false;
        } else if !blank(b, sep) {
            field_start = false;
        }
        i += 1;
    }
    if quoted {
        Err(opened)
    } else {
        Ok((i, breaks))
    }
}

/// The non-blank records of a CSV (at most `limit`) with the 1-based line each
/// starts on. A quoted field may span lines; one never closed is an error naming
/// its line.
pub(super) fn records(
    text: &str,
    sep: Separator,
    limit: usize,
) -> Result<Vec<(usize, &str)>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let (bytes, sep) = (text.as_bytes(), sep.byte());
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < bytes.len() && out.len() < limit {
        let (end, breaks) = scan(bytes, i, sep, false).map_err(|before| {
            format!(
                "line {}: a quoted field opens on this line and is never closed (a '\"' without its pair)",
                line + before
            )
        })?;
        let record = &text[i..end];
        if !record.trim().is_empty() {
            let blank = |c: char| c.is_ascii() && blank(c as u8, sep);
            out.push((line, record.trim_matches(blank)));
        }
        line += breaks + 1;
        i = end + 1;
    }
    Ok(out)
}

/// The fields of a record, trimmed, quoted ones unquoted.
pub(super) fn fields(record: &str, sep: Separator) -> Vec<Cow<'_, str>> {
    let (bytes, byte) = (record.as_bytes(), sep.byte());
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        // An unclosed quote runs to the end of the record.
        let end = scan(bytes, i, byte, byte.is_some()).map_or(bytes.len(), |(end, _)| end);
        out.push(unquoted(record[i..end].trim()));
        if end >= bytes.len() {
            return out;
        }
        i = end + 1;
    }
}

/// A field's value: a quoted field's content with its doubled quotes made single
/// (what follows the closing quote is kept as written), trimmed.
fn unquoted(field: &str) -> Cow<'_, str> {
    let Some(body) = field.strip_prefix('"') else { return Cow::Borrowed(field) };
    match body.find('"') {
        Some(close) if close + 1 == body.len() => Cow::Borrowed(body[..close].trim()),
        _ => {
            let mut out = String::with_capacity(body.len());
            let mut chars = body.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        out.push('"');
                    }
                    '"' => {
                        out.extend(chars.by_ref());
                        break;
                    }
                    c => out.push(c),
                }
            }
            Cow::Owned(out.trim().to_string())
        }
    }
}

/// `[+-]digits,digits`: a number with a decimal comma.
fn decimal_comma(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    body.split_once(',').is_some_and(|(int, frac)| {
        let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
        digits(int) && digits(frac)
    })
}

/// Why a number cannot be read for its comma, if it cannot.
pub(super) const COMMA_IN_COMMA_FILE: &str =
    "has a decimal comma, which a ','-separated file cannot hold: write a decimal point, or separate the fields with ';'";
pub(super) const THOUSANDS: &str =
    "mixes '.' and ',' (thousands separators are not read): write the number without them";

/// A number cell as the parsers read it: a decimal comma made a point where the
/// comma does not separate fields (`0,5` is 0.5 in a `;`-separated file); in a
/// `,`-separated file (a quoted `"0,5"`) it is refused, as is a number with
/// thousands separators (`1.234,5`). Returns the text and whether a decimal
/// comma was read.
fn number_cell(cell: &str, sep: Separator) -> Result<(Cow<'_, str>, bool), &'static str> {
    if !cell.contains(',') {
        return Ok((Cow::Borrowed(cell), false));
    }
    if decimal_comma(cell) {
        return if sep == Separator::Comma {
            Err(COMMA_IN_COMMA_FILE)
        } else {
            Ok((Cow::Owned(cell.replacen(',', ".", 1)), true))
        };
    }
    if decimal_comma(&cell.replace('.', "")) && cell.contains('.') {
        return Err(THOUSANDS);
    }
    Ok((Cow::Borrowed(cell), false))
}

/// How a file's cells are read: its separator, and whether a decimal comma was met.
pub(super) struct Cells {
    pub sep: Separator,
    pub decimal_commas: bool,
}

impl Cells {
    /// A number cell with its decimal comma made a point (see [`number_cell`]),
    /// kept borrowed from the file's text when it is unchanged.
    pub fn number<'a>(
        &mut self,
        subject: &'static str,
        cell: Cow<'a, str>,
    ) -> Result<Cow<'a, str>, Bad> {
        let (text, comma) =
            number_cell(&cell, self.sep).map_err(|why| Bad::about(subject, &cell, why))?;
        self.decimal_commas |= comma;
        let changed = match text {
            Cow::Borrowed(_) => None,
            Cow::Owned(t) => Some(t),
        };
        Ok(changed.map_or(cell, Cow::Owned))
    }

    /// A token count: empty or missing is none; else a whole number up to 10 M.
    pub fn tokens(&mut self, field: Option<&str>, what: &'static str) -> Result<Option<u32>, Bad> {
        let Some(v) = field.filter(|v| !v.is_empty()) else { return Ok(None) };
        let text = self.number(what, Cow::Borrowed(v))?;
        match number::<u64>(&text) {
            Some(n) if n <= 10_000_000 => Ok(Some(n as u32)),
            _ => Err(Bad::about(what, v, "is not a whole number from 0 to 10000000")),
        }
    }
}

/// A whole number of digits only (no sign, no point).
pub(super) fn number<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}
