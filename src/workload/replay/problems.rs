//! What is wrong with a file's rows, said once a cause: each cause (the same words
//! on every line it occurs on) with the lines where it occurs and the first value
//! it is about, so that a file of the wrong kind yields a few lines, not one per
//! row. Values are quoted through [`crate::error::shown`].

use super::csv::{Separator, COMMA_IN_COMMA_FILE, THOUSANDS};
use crate::error::shown;

/// One thing wrong with one row: its subject ("timestamp", "count"), the value
/// it is about, and what is wrong with it ("is not a number").
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Bad {
    subject: &'static str,
    value: Option<String>,
    predicate: String,
}

impl Bad {
    pub fn about(subject: &'static str, value: &str, predicate: impl Into<String>) -> Bad {
        Bad { subject, value: Some(shown(value)), predicate: predicate.into() }
    }

    pub fn plain(subject: &'static str, predicate: impl Into<String>) -> Bad {
        Bad { subject, value: None, predicate: predicate.into() }
    }
}

/// Most causes an error lists; the rest are counted.
pub const MAX_PROBLEMS: usize = 20;
/// Most runs of lines named for one cause; the rest are counted.
const MAX_RUNS: usize = 6;

/// Line numbers, kept as runs of consecutive lines.
#[derive(Debug, Default)]
pub(super) struct Lines {
    runs: Vec<(usize, usize)>,
    count: usize,
    cut: bool,
}

impl Lines {
    /// Adds a line after those already added.
    pub fn add(&mut self, line: usize) {
        self.count += 1;
        let room = self.runs.len() < MAX_RUNS;
        match self.runs.last_mut() {
            Some(run) if run.1 + 1 == line => run.1 = line,
            _ if room => self.runs.push((line, line)),
            _ => self.cut = true,
        }
    }

    pub fn count(&self) -> usize {
        self.count
    }

    fn first(&self) -> usize {
        self.runs.first().map_or(0, |r| r.0)
    }

    /// "line 3", "lines 2-21 (20 lines)", "lines 2, 5-7, … (812 lines)".
    pub fn words(&self) -> String {
        if self.count == 1 {
            return format!("line {}", self.first());
        }
        let mut runs: Vec<String> = self
            .runs
            .iter()
            .map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") })
            .collect();
        if self.cut {
            runs.push("…".into());
        }
        format!("lines {} ({} lines)", runs.join(", "), self.count)
    }
}

struct Cause {
    subject: &'static str,
    predicate: String,
    first: Option<String>,
    lines: Lines,
}

/// The problems of a file's rows, by cause.
#[derive(Default)]
pub(super) struct Problems {
    causes: Vec<Cause>,
    /// Rows with a cause beyond the first [`MAX_PROBLEMS`] causes.
    more: usize,
}

impl Problems {
    pub fn note(&mut self, line: usize, bad: Bad) {
        let same = |c: &&mut Cause| c.subject == bad.subject && c.predicate == bad.predicate;
        if let Some(c) = self.causes.iter_mut().find(same) {
            c.lines.add(line);
        } else if self.causes.len() < MAX_PROBLEMS {
            let mut lines = Lines::default();
            lines.add(line);
            let Bad { subject, value, predicate } = bad;
            self.causes.push(Cause { subject, predicate, first: value, lines });
        } else {
            self.more += 1;
        }
    }

    /// One line a cause, in the order of the lines they first occur on. A value
    /// that holds a separator other than the file's gets a hint.
    pub fn into_result(mut self, sep: Separator) -> Result<(), String> {
        if self.causes.is_empty() {
            return Ok(());
        }
        // At most MAX_PROBLEMS: the small sort, stable as the standard one.
        crate::math::sort_small_by_key(&mut self.causes, |c| c.lines.first());
        let mut out: Vec<String> = self.causes.iter().map(|c| said(c, sep)).collect();
        if self.more > 0 {
            out.push(format!("(and {} more rows with other problems)", self.more));
        }
        Err(out.join("\n"))
    }
}

fn said(c: &Cause, sep: Separator) -> String {
    let subject = if c.subject.is_empty() { String::new() } else { format!("{} ", c.subject) };
    let mut text = match (&c.first, c.lines.count()) {
        (Some(v), 1) => format!("{}: {subject}'{v}' {}", c.lines.words(), c.predicate),
        (Some(v), _) => format!("{}: {subject}{} (the first: '{v}')", c.lines.words(), c.predicate),
        (None, _) => format!("{}: {subject}{}", c.lines.words(), c.predicate),
    };
    let about_commas = c.predicate == COMMA_IN_COMMA_FILE || c.predicate == THOUSANDS;
    if let Some(hint) = c.first.as_deref().filter(|_| !about_commas).and_then(|v| hint(v, sep)) {
        text.push_str(&hint);
    }
    text
}

/// When a value holds a separator other than the file's: what the file was read as.
fn hint(value: &str, sep: Separator) -> Option<String> {
    let (_, name) = [(";", "';'"), ("\\t", "a tab"), (",", "','")]
        .into_iter()
        .find(|(c, _)| Some(*c) != sep.escaped() && value.contains(c))?;
    Some(match sep {
        Separator::None => format!(
            "; the value holds {name}, but the file was read as one column: no separator splits both its first line and most of the others"
        ),
        _ => format!(
            "; the value holds {name}, but the file was read as {} from its first lines",
            sep.words()
        ),
    })
}
