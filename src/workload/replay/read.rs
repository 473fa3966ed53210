//! Sniffing a CSV: its separator, whether it has a header, whether it is a
//! request log or counts per interval, which columns hold tokens; and saying how
//! it was read, what was guessed and what looks odd in its layout (repeated header
//! names, rows longer than the header). The rows themselves are read in `rows`
//! and `counts`.

use super::counts::read_counts;
use super::csv::{fields, number, records, separator, Cells, Separator};
use super::header::{is_context_column, is_count_column, is_generated_column, is_time_column};
use super::problems::Lines;
use super::rows::{read_requests, Columns};
use super::time::stamp;
use super::words::unit_words;
use super::{ReplayData, MAX_BYTES, MAX_ROWS};
use crate::error::{shown, Error};
use crate::scenario::{Replay, ReplayFormat, TimeUnit};

/// How a file was read: what the importer took it for, and why when it guessed.
#[derive(Debug, Clone, PartialEq)]
pub struct Interpretation {
    /// Requests or counts (never `Auto`).
    pub format: ReplayFormat,
    /// The unit of numeric timestamps (of a counts file's time column, when it is
    /// in one of these units); `None` for dates and times, and interval numbers.
    pub unit: Option<TimeUnit>,
    /// Where the unit came from: "set", "header 'timestamp_ms'", "guessed".
    pub unit_from: String,
    /// The token columns used, by header name (or position in a headerless file).
    pub token_columns: Vec<String>,
    /// Each guess made, with its reason and the knob that decides instead.
    pub guesses: Vec<String>,
    /// What separates the fields.
    pub separator: Separator,
    /// Numbers written with a decimal comma were read (`0,5` as 0.5).
    pub decimal_commas: bool,
    /// How the time column was read, in the summary's words.
    pub time_words: String,
    /// What is odd in the file's layout but was read past: repeated header names,
    /// rows with more fields than the header.
    pub warnings: Vec<String>,
}

impl ReplayData {
    /// Parses a CSV in a format, the rest as by default: numeric timestamps in the
    /// unit the header names or else guessed. Errors name the line and the problem.
    pub fn parse(text: &str, format: ReplayFormat) -> crate::error::Result<ReplayData> {
        let cfg = Replay { format, ..Replay::default() };
        ReplayData::read(text, &cfg).map(|(data, _)| data)
    }

    /// Parses a CSV as a replay's settings say (its format, time unit and a
    /// counts file's interval, each of which may be left to the file), and says
    /// how it read it.
    pub fn read(text: &str, cfg: &Replay) -> crate::error::Result<(ReplayData, Interpretation)> {
        read_text(text, cfg).map_err(Error::ReplayFile)
    }
}

/// The layout of a headerless file of whole numbers: counts when every row has
/// two and the first column increases (interval numbers), else requests.
fn headerless_format(rows: &[(usize, &str)], sep: Separator) -> (ReplayFormat, String) {
    let mut last: Option<u64> = None;
    let mut reason = None;
    for (_, line) in rows {
        let f = fields(line, sep);
        if f.len() != 2 {
            reason = Some(format!(
                "a row has {} column{}",
                f.len(),
                if f.len() == 1 { "" } else { "s" }
            ));
            break;
        }
        match number::<u64>(&f[0]) {
            Some(i) if last.is_none_or(|l| i > l) => last = Some(i),
            _ => {
                reason = Some("the first column repeats or decreases".to_string());
                break;
            }
        }
    }
    match reason {
        Some(why) => (ReplayFormat::Requests, format!("no header, whole numbers, and {why}: read as one request per row (timestamp, context tokens, generated tokens). Set workload.replay.format to decide")),
        None => (ReplayFormat::Counts, "no header, and every row holds two whole numbers of which the first increases: read as counts (the first column the interval, the second its requests). Set workload.replay.format = requests if each row is a request".to_string()),
    }
}

/// Header names given to more than one column, each with its columns (1-based).
fn repeated_names(head: &[std::borrow::Cow<'_, str>]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, name) in head.iter().enumerate() {
        let key = name.to_ascii_lowercase();
        let same: Vec<usize> = (0..head.len())
            .filter(|&j| head[j].to_ascii_lowercase() == key)
            .map(|j| j + 1)
            .collect();
        if key.is_empty() || same.len() < 2 || same[0] != i + 1 {
            continue;
        }
        let (last, rest) = same.split_last().expect("two or more");
        let rest: Vec<String> = rest.iter().map(usize::to_string).collect();
        out.push(format!(
            "the header names '{}' in columns {} and {last}: only column {} is read",
            shown(name),
            rest.join(", "),
            same[0]
        ));
    }
    out
}

/// Rows with more fields than the header (than the first row without one).
fn longer_rows(
    body: &[(usize, &str)],
    width: usize,
    sep: Separator,
    is_header: bool,
) -> Option<String> {
    let mut lines = Lines::default();
    for &(no, line) in body {
        if fields(line, sep).len() > width {
            lines.add(no);
        }
    }
    (lines.count() > 0).then(|| {
        let than = if is_header { "the header" } else { "the first row" };
        format!(
            "{} {} more fields than {than} ({width}): the extra fields are not read",
            lines.words(),
            if lines.count() == 1 { "has" } else { "have" }
        )
    })
}

fn read_text(text: &str, cfg: &Replay) -> Result<(ReplayData, Interpretation), String> {
    if text.len() > MAX_BYTES {
        return Err(format!(
            "the file has {} bytes; at most {} are accepted",
            text.len(),
            MAX_BYTES
        ));
    }
    let sep = separator(text);
    // The header, the rows accepted and one more, to say the cap was passed.
    let all = records(text, sep, MAX_ROWS + 2)?;
    let Some(&(first_no, first)) = all.first() else {
        return Err("the file is empty".into());
    };
    let head = fields(first, sep);
    // A header's first name is no timestamp (a number with a decimal comma the
    // file cannot hold is one: its row is refused, not taken for a header).
    let is_header = Cells { sep, decimal_commas: false }
        .number("", head[0].clone())
        .is_ok_and(|t| stamp(&t).is_err());
    let body = if is_header { &all[1..] } else { &all[..] };
    if body.len() > MAX_ROWS {
        let over = body[MAX_ROWS].0;
        return Err(format!(
            "line {over}: more than {MAX_ROWS} rows; at most {MAX_ROWS} are accepted"
        ));
    }
    let mut warnings = if is_header { repeated_names(&head) } else { Vec::new() };
    let width =
        if is_header { head.len() } else { body.first().map_or(0, |(_, l)| fields(l, sep).len()) };
    warnings.extend(longer_rows(body, width, sep, is_header));
    let mut guesses = Vec::new();
    let count_col = if is_header { head.iter().position(|h| is_count_column(h)) } else { None };
    let format = match cfg.format {
        ReplayFormat::Auto if is_header => {
            if count_col.is_some() {
                ReplayFormat::Counts
            } else if head.len() == 1 || is_time_column(&head[0]) {
                ReplayFormat::Requests
            } else {
                guesses.push(format!(
                    "the header '{}' names neither a count column (count, requests, ...) nor a time column: read as counts (interval number, requests). Set workload.replay.format = requests if each row is a request",
                    shown(first)
                ));
                ReplayFormat::Counts
            }
        }
        ReplayFormat::Auto => {
            if head[0].contains(['-', ':', '.']) {
                ReplayFormat::Requests
            } else {
                let (f, why) = headerless_format(body, sep);
                guesses.push(why);
                f
            }
        }
        f => f,
    };
    let mut cells = Cells { sep, decimal_commas: false };
    let reading =
        |unit, unit_from, token_columns, guesses, time_words, cells: &Cells| Interpretation {
            format,
            unit,
            unit_from,
            token_columns,
            guesses,
            separator: sep,
            decimal_commas: cells.decimal_commas,
            time_words,
            warnings: warnings.clone(),
        };
    if format != ReplayFormat::Requests {
        let count = count_col.unwrap_or(1);
        let time = if count == 0 { 1 } else { 0 };
        let header = head.get(time).filter(|_| is_header).map(|h| h.as_ref());
        let c = read_counts(body, (time, count), cfg, header, &mut cells, &mut guesses)?;
        if c.counts.is_empty() {
            return Err(format!("line {first_no}: no count rows after the header"));
        }
        let r = reading(c.unit, c.unit_from, Vec::new(), guesses, c.time_words, &cells);
        let data = ReplayData::Counts { counts: c.counts, interval_s: c.interval_s };
        return Ok((data, r));
    }
    // Token columns by header name, else by position (context, generated).
    let col = |named: fn(&str) -> bool, fallback: usize| -> Option<usize> {
        if is_header {
            head.iter().position(|h| named(h))
        } else {
            Some(fallback)
        }
    };
    let cols =
        Columns { context: col(is_context_column, 1), generated: col(is_generated_column, 2) };
    let token_columns = [(cols.context, "context"), (cols.generated, "generated")]
        .iter()
        .filter_map(|&(c, what)| {
            let c = c?;
            if is_header {
                Some(shown(&head[c]))
            } else {
                (c < width).then(|| format!("column {} ({what} tokens)", c + 1))
            }
        })
        .collect();
    let time_header = is_header.then(|| head[0].as_ref());
    let (rows, unit, unit_from) =
        read_requests(body, &cols, cfg.time_unit, time_header, &mut cells, &mut guesses)?;
    if rows.is_empty() {
        return Err(format!("line {first_no}: no request rows after the header"));
    }
    let time_words = match unit {
        Some(u) => format!("timestamps in {} ({unit_from})", unit_words(u)),
        None => "timestamps as dates and times".into(),
    };
    let r = reading(unit, unit_from, token_columns, guesses, time_words, &cells);
    Ok((ReplayData::Requests(rows), r))
}
