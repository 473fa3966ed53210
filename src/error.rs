//! The core's one error type. Every message is for the user to act on; the page
//! and the CLI each turn it into their own form once (a JS `Error` that also names
//! the offending fields, so the page can mark them; a line on stderr and an exit
//! code).

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// Scenario fields out of their allowed ranges, each with its value and range;
    /// `context` says where the scenario came from ("the link's scenario"), or is
    /// empty.
    Fields { context: String, errors: ScenarioError },
    /// Text that is not a scenario: JSON syntax, a wrong type, an unknown key, an
    /// override that is not `key=value`.
    ScenarioText(String),
    /// A replay file: its name and every problem found, with line numbers.
    ReplayFile(String),
    /// A capacity schedule file, with the line of its first problem.
    Schedule(String),
    /// A share link that cannot be read.
    Link(String),
    /// A Q-table that is not one, or does not fit the scenario.
    QTable(String),
    /// A training state that does not fit this scenario or is inconsistent.
    Training(String),
    /// A request about the run that it cannot answer (a step outside it, a world
    /// it lacks).
    Run(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The scenario fields this error is about (dotted paths), for the page to mark.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Error::Fields { errors, .. } => {
                errors.0.iter().map(|f: &FieldError| f.field.as_str()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The same error with `context` before its message ("the link's scenario: ...").
    pub fn context(mut self, context: &str) -> Error {
        let message = match &mut self {
            Error::Fields { context: m, .. } if m.is_empty() => {
                *m = context.to_string();
                return self;
            }
            Error::Fields { context: m, .. }
            | Error::ScenarioText(m)
            | Error::ReplayFile(m)
            | Error::Schedule(m)
            | Error::Link(m)
            | Error::QTable(m)
            | Error::Training(m)
            | Error::Run(m) => m,
        };
        message.insert_str(0, &format!("{context}: "));
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Fields { context, errors } if context.is_empty() => errors.fmt(f),
            Error::Fields { context, errors } => write!(f, "{context}: {errors}"),
            Error::ScenarioText(m)
            | Error::ReplayFile(m)
            | Error::Schedule(m)
            | Error::Link(m)
            | Error::QTable(m)
            | Error::Training(m)
            | Error::Run(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl From<ScenarioError> for Error {
    fn from(e: ScenarioError) -> Error {
        Error::Fields { context: String::new(), errors: e }
    }
}

/// One problem with one field: its dotted name, the value given and what is allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub value: String,
    pub allowed: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.field, self.allowed)
        } else {
            write!(f, "{} = {}: {}", self.field, self.value, self.allowed)
        }
    }
}

/// Every problem found in a scenario at once.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError(pub Vec<FieldError>);

/// The most problems a message lists; the rest are counted ("… and 990 more"),
/// so that a file of a million wrong keys gives a screen, not a million lines.
pub const MAX_PROBLEMS_SHOWN: usize = 20;

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid scenario:")?;
        for e in self.0.iter().take(MAX_PROBLEMS_SHOWN) {
            write!(f, "\n  {e}")?;
        }
        match self.0.len().checked_sub(MAX_PROBLEMS_SHOWN) {
            Some(more) if more > 0 => write!(f, "\n  … and {} more", thousands(more as u64)),
            _ => Ok(()),
        }
    }
}

/// A count with its thousands separated by commas: `999,990`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl std::error::Error for ScenarioError {}

/// The most characters of an outside value that a message quotes.
pub const MAX_SHOWN_CHARS: usize = 80;

/// A value from outside (a link's field, a file name, a CSV cell) as a message
/// shows it: control characters, bidirectional overrides and the backslash
/// escaped (`\e`, `\n`, `\u{7}`, `\\`), so that nothing echoed can move the
/// cursor, clear a terminal or reorder what follows; and a value longer than
/// [`MAX_SHOWN_CHARS`] cut, with its length given.
pub fn shown(value: &str) -> String {
    shown_within(value, MAX_SHOWN_CHARS)
}

/// [`shown`] with another cut, for a message that quotes the value in its own
/// words (a parser's, which names what it expected after what it got).
pub fn shown_within(value: &str, max_chars: usize) -> String {
    shown_pieces(value.chars().map(Piece::Char), max_chars.max(40), Cut::End)
}

/// [`shown`] for a file's path: a long one keeps its end, where the file's name
/// is, and loses its start ("… (120 characters) /data/trace.csv"), so that a
/// checkout or a home folder deep in the tree still names the file.
pub fn shown_path(path: &str) -> String {
    shown_pieces(path.chars().map(Piece::Char), MAX_SHOWN_CHARS, Cut::Start)
}

/// [`shown_path`] for a path's bytes, which may not be UTF-8.
pub fn shown_path_bytes(bytes: &[u8]) -> String {
    shown_pieces(pieces_of(bytes), MAX_SHOWN_CHARS, Cut::Start)
}

/// [`shown`] for bytes that may not be UTF-8: each invalid byte reads `\x{ff}`.
pub fn shown_bytes(bytes: &[u8]) -> String {
    shown_pieces(pieces_of(bytes), MAX_SHOWN_CHARS, Cut::End)
}

/// Bytes as characters, each invalid byte a piece of its own.
fn pieces_of(bytes: &[u8]) -> impl Iterator<Item = Piece> + Clone + '_ {
    bytes.utf8_chunks().flat_map(|chunk| {
        chunk
            .valid()
            .chars()
            .map(Piece::Char)
            .chain(chunk.invalid().iter().map(|&b| Piece::Byte(b)))
    })
}

/// Which part of a long value a message loses: its end (a value), or its start
/// (a path, whose end names the file).
#[derive(Clone, Copy, PartialEq)]
enum Cut {
    End,
    Start,
}

#[derive(Clone, Copy)]
enum Piece {
    Char(char),
    Byte(u8),
}

fn shown_pieces(pieces: impl Iterator<Item = Piece> + Clone, max_chars: usize, cut: Cut) -> String {
    let total = pieces.clone().count();
    let keep = if total > max_chars { max_chars - 20 } else { total };
    let mut out = String::with_capacity(keep + 8);
    if keep < total && cut == Cut::Start {
        out.push_str(&format!("… ({total} characters) "));
    }
    let skip = if cut == Cut::Start { total - keep } else { 0 };
    for piece in pieces.skip(skip).take(keep) {
        match piece {
            Piece::Byte(b) => out.push_str(&format!("\\x{{{b:02x}}}")),
            Piece::Char('\\') => out.push_str("\\\\"),
            Piece::Char('\u{1b}') => out.push_str("\\e"),
            Piece::Char('\n') => out.push_str("\\n"),
            Piece::Char('\r') => out.push_str("\\r"),
            Piece::Char('\t') => out.push_str("\\t"),
            Piece::Char(c)
                if c.is_control()
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            Piece::Char(c) => out.push(c),
        }
    }
    if keep < total && cut == Cut::End {
        out.push_str(&format!("… ({total} characters)"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_long_values_cut_with_their_length() {
        assert_eq!(shown("a\u{1b}[2Jb\u{7}c\\d\ne"), "a\\e[2Jb\\u{7}c\\\\d\\ne");
        assert_eq!(shown("x\u{202e}y"), "x\\u{202e}y");
        let long = "é".repeat(100);
        assert_eq!(shown(&long), format!("{}… (100 characters)", "é".repeat(60)));
        assert_eq!(shown(&"z".repeat(80)), "z".repeat(80));
        assert_eq!(shown_bytes(b"ok\xff\xfe!"), "ok\\x{ff}\\x{fe}!");
    }

    #[test]
    fn a_long_path_keeps_its_end_where_the_file_is_named() {
        let deep = format!("/{}/traces/AzureLLMInferenceTrace_code.csv", "d".repeat(70));
        let n = deep.chars().count();
        let tail: String = deep.chars().skip(n - 60).collect();
        assert_eq!(shown_path(&deep), format!("… ({n} characters) {tail}"));
        assert!(shown_path(&deep).ends_with("/traces/AzureLLMInferenceTrace_code.csv"));
        assert_eq!(shown_path("traces/a.csv"), "traces/a.csv");
        assert_eq!(shown_path(&"p".repeat(80)), "p".repeat(80));
        // Escaped as any value, the cut counted in characters, not bytes.
        assert_eq!(shown_path_bytes(b"a\x1b\xffb.csv"), "a\\e\\x{ff}b.csv");
        let bytes = [vec![b'x'; 90], b"\xff/f.csv".to_vec()].concat();
        assert!(
            shown_path_bytes(&bytes).ends_with("x\\x{ff}/f.csv"),
            "{}",
            shown_path_bytes(&bytes)
        );
    }

    #[test]
    fn counts_are_written_with_thousands_separated() {
        let cases = [(0, "0"), (999, "999"), (1000, "1,000"), (999_990, "999,990")];
        for (n, text) in cases {
            assert_eq!(thousands(n), text);
        }
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }
}
