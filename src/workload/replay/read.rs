//! Sniffing a CSV: whether it has a header, whether it is a request log or counts
//! per interval, which columns hold tokens; and saying how it was read and what
//! was guessed. The rows themselves are read in `rows`.

use super::csv::{fields, is_count_column, is_time_column, lines, number};
use super::rows::{err, read_counts, read_requests};
use super::time::stamp;
use super::words::shortened;
use super::{ReplayData, MAX_BYTES, MAX_ROWS};
use crate::error::Error;
use crate::scenario::{ReplayFormat, TimeUnit};

/// How a file was read: what the importer took it for, and why when it guessed.
#[derive(Debug, Clone, PartialEq)]
pub struct Interpretation {
    /// Requests or counts (never `Auto`).
    pub format: ReplayFormat,
    /// The unit of numeric timestamps; `None` for dates and times, and for counts.
    pub unit: Option<TimeUnit>,
    /// Where the unit came from: "set", "header 'timestamp_ms'", "guessed".
    pub unit_from: String,
    /// The token columns used, by header name (or position in a headerless file).
    pub token_columns: Vec<String>,
    /// Each guess made, with its reason and the knob that decides instead.
    pub guesses: Vec<String>,
}

impl ReplayData {
    /// Parses a CSV, numeric timestamps in the unit the header names or else
    /// guessed. Errors name the line and the problem.
    pub fn parse(text: &str, format: ReplayFormat) -> crate::error::Result<ReplayData> {
        ReplayData::read(text, format, TimeUnit::Auto).map(|(data, _)| data)
    }

    /// Parses a CSV in a format and time unit (either may be `Auto`), and says
    /// how it read it.
    pub fn read(
        text: &str,
        format: ReplayFormat,
        unit: TimeUnit,
    ) -> crate::error::Result<(ReplayData, Interpretation)> {
        read_text(text, format, unit).map_err(Error::ReplayFile)
    }
}

/// The layout of a headerless file of whole numbers: counts when every row has
/// two and the first column increases (interval numbers), else requests.
fn headerless_format(rows: &[(usize, &str)]) -> (ReplayFormat, String) {
    let mut last: Option<u64> = None;
    let mut reason = None;
    for (_, line) in rows {
        let f = fields(line);
        if f.len() != 2 {
            reason = Some(format!(
                "a row has {} column{}",
                f.len(),
                if f.len() == 1 { "" } else { "s" }
            ));
            break;
        }
        match number::<u64>(f[0]) {
            Some(i) if last.is_none_or(|l| i > l) => last = Some(i),
            _ => {
                reason = Some("the first column repeats or decreases".to_string());
                break;
            }
        }
    }
    match reason {
        Some(why) => (ReplayFormat::Requests, format!("no header, whole numbers, and {why}: read as one request per row (timestamp, context tokens, generated tokens). Set workload.replay.format to decide")),
        None => (ReplayFormat::Counts, "no header, and every row holds two whole numbers of which the first increases: read as counts (interval number, requests). Set workload.replay.format = requests if each row is a request".to_string()),
    }
}

fn read_text(
    text: &str,
    format: ReplayFormat,
    unit: TimeUnit,
) -> Result<(ReplayData, Interpretation), String> {
    if text.len() > MAX_BYTES {
        return Err(format!(
            "the file has {} bytes; at most {} are accepted",
            text.len(),
            MAX_BYTES
        ));
    }
    let all: Vec<(usize, &str)> = lines(text).collect();
    let Some(&(first_no, first)) = all.first() else {
        return Err("the file is empty".into());
    };
    let head = fields(first);
    let is_header = head.first().is_some_and(|f| stamp(f).is_err());
    let body = if is_header { &all[1..] } else { &all[..] };
    if body.len() > MAX_ROWS {
        let over = body[MAX_ROWS].0;
        return Err(err(
            over,
            format!("more than {MAX_ROWS} rows; at most {MAX_ROWS} are accepted"),
        ));
    }
    let mut guesses = Vec::new();
    let count_col = if is_header { head.iter().position(|h| is_count_column(h)) } else { None };
    let format = match format {
        ReplayFormat::Auto if is_header => {
            if count_col.is_some() {
                ReplayFormat::Counts
            } else if head.len() == 1 || is_time_column(head[0]) {
                ReplayFormat::Requests
            } else {
                guesses.push(format!(
                    "the header '{}' names neither a count column (count, requests, ...) nor a time column: read as counts (interval number, requests). Set workload.replay.format = requests if each row is a request",
                    shortened(first, 80)
                ));
                ReplayFormat::Counts
            }
        }
        ReplayFormat::Auto => {
            if head[0].contains(['-', ':', '.']) {
                ReplayFormat::Requests
            } else {
                let (f, why) = headerless_format(body);
                guesses.push(why);
                f
            }
        }
        f => f,
    };
    match format {
        ReplayFormat::Counts | ReplayFormat::Auto => {
            let count = count_col.unwrap_or(1);
            let interval = if count == 0 { 1 } else { 0 };
            let counts = read_counts(body, interval, count, first_no)?;
            let reading = Interpretation {
                format: ReplayFormat::Counts,
                unit: None,
                unit_from: String::new(),
                token_columns: Vec::new(),
                guesses,
            };
            Ok((ReplayData::Counts(counts), reading))
        }
        ReplayFormat::Requests => {
            // Token columns by header name, else by position (context, generated).
            let col = |names: &[&str], fallback: usize| -> Option<usize> {
                if is_header {
                    head.iter().position(|h| {
                        let h = h.to_ascii_lowercase();
                        names.iter().any(|n| h.contains(n))
                    })
                } else {
                    Some(fallback)
                }
            };
            let ctx = col(&["context", "input", "prompt"], 1);
            let gen = col(&["generated", "output", "completion"], 2);
            let width = body.first().map_or(0, |(_, l)| fields(l).len());
            let token_columns = [(ctx, "context"), (gen, "generated")]
                .iter()
                .filter_map(|&(c, what)| {
                    let c = c?;
                    if is_header {
                        Some(head[c].to_string())
                    } else {
                        (c < width).then(|| format!("column {} ({what} tokens)", c + 1))
                    }
                })
                .collect();
            let (rows, unit, unit_from) =
                read_requests(body, ctx, gen, unit, is_header.then_some(head[0]), &mut guesses)?;
            if rows.is_empty() {
                return Err(err(first_no, "no request rows after the header"));
            }
            Ok((
                ReplayData::Requests(rows),
                Interpretation {
                    format: ReplayFormat::Requests,
                    unit,
                    unit_from,
                    token_columns,
                    guesses,
                },
            ))
        }
    }
}
