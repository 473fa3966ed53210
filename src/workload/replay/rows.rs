//! Reading a request log's rows once its layout is known: each request's
//! timestamp and tokens, every problem said once with its lines, and the unit of
//! numeric timestamps decided once the column is read. Counts files are read in
//! `counts`.

use super::csv::{fields, Cells};
use super::header::unit_hint;
use super::problems::{Bad, Problems};
use super::time::{guess_unit, number_ns, stamp, Stamp};
use super::RequestRow;
use crate::scenario::TimeUnit;
use std::borrow::Cow;

/// A row read: its line, its timestamp as a date or a number (the number's
/// text kept for the exact conversion once the unit is known), and its tokens.
struct Row<'a> {
    line: usize,
    stamp: Kept<'a>,
    context: Option<u32>,
    generated: Option<u32>,
}

enum Kept<'a> {
    Date(i64),
    Number(Cow<'a, str>, f64),
}

/// A time too far after the first for their difference to fit nanoseconds.
const TOO_FAR: &str = "is more than 292 years after the first, the longest span accepted: check the unit (workload.replay.time_unit)";

/// The rows read, the unit of their numeric timestamps and where it came from.
pub(super) type Requested = (Vec<RequestRow>, Option<TimeUnit>, String);

/// The columns of a request log: context and generated tokens by position.
pub(super) struct Columns {
    pub context: Option<usize>,
    pub generated: Option<usize>,
}

pub(super) fn read_requests(
    body: &[(usize, &str)],
    cols: &Columns,
    unit: TimeUnit,
    time_header: Option<&str>,
    cells: &mut Cells,
    guesses: &mut Vec<String>,
) -> Result<Requested, String> {
    let mut problems = Problems::default();
    let mut rows: Vec<Row> = Vec::with_capacity(body.len());
    let mut dates = None;
    for &(no, line) in body {
        let mut f = fields(line, cells.sep);
        let mut row = || -> Result<Row, Bad> {
            // Only a number has its decimal comma made a point: a timestamp
            // that fails to read is quoted as written.
            let text = cells.number("timestamp", std::mem::take(&mut f[0]))?;
            let t = stamp(&text).map_err(|why| Bad::about("timestamp", &text, why))?;
            let is_date = matches!(t, Stamp::Date(_));
            match dates {
                Some(d) if d != is_date => {
                    let why = if is_date {
                        "is a date, but the rows before hold numbers"
                    } else {
                        "is a number, but the rows before hold dates"
                    };
                    return Err(Bad::about("timestamp", &text, why));
                }
                _ => dates = Some(is_date),
            }
            let stamp = match t {
                Stamp::Date(ns) => Kept::Date(ns),
                Stamp::Number(v) => Kept::Number(text, v),
            };
            let token = |i: Option<usize>| i.and_then(|i| f.get(i)).map(|c| c.as_ref());
            let context = cells.tokens(token(cols.context), "context tokens")?;
            let generated = cells.tokens(token(cols.generated), "generated tokens")?;
            Ok(Row { line: no, stamp, context, generated })
        };
        match row() {
            Ok(row) => rows.push(row),
            Err(bad) => problems.note(no, bad),
        }
    }
    let numbers: Vec<f64> = rows
        .iter()
        .filter_map(|r| if let Kept::Number(_, v) = r.stamp { Some(v) } else { None })
        .collect();
    let (unit, unit_from) = match (dates, unit, time_header.and_then(unit_hint)) {
        // Dates, or no row read: no unit (a file of dates holds no number, as a
        // number among dates is refused).
        _ if numbers.is_empty() => (None, String::new()),
        (_, TimeUnit::Auto, Some(hint)) => {
            let header = crate::error::shown(time_header.unwrap_or_default());
            (Some(hint), format!("from the header '{header}'"))
        }
        (_, TimeUnit::Auto, None) => {
            let (first, last) = (numbers[0], numbers[numbers.len() - 1]);
            let (u, why) = guess_unit(first, last, numbers.len());
            guesses.push(why);
            (Some(u), "guessed".into())
        }
        (_, set, _) => (Some(set), "as set by workload.replay.time_unit".into()),
    };
    let unit_ns = unit.and_then(TimeUnit::nanos).unwrap_or(1);
    let mut out = Vec::with_capacity(rows.len());
    let mut last: Option<i64> = None;
    for row in rows {
        let ns = match &row.stamp {
            Kept::Date(ns) => Ok(*ns),
            Kept::Number(s, v) => {
                number_ns(s, *v, unit_ns).map_err(|why| Bad::about("timestamp", s, why))
            }
        };
        // Every later time minus the first must fit nanoseconds too.
        let first = out.first().map_or(0, |r: &RequestRow| r.time_ns);
        let ns = match ns {
            Ok(ns) if last.is_some_and(|prev| ns < prev) => {
                Err(Bad::plain("timestamp", "is not increasing"))
            }
            Ok(ns) if ns.checked_sub(first).is_none() => Err(match &row.stamp {
                Kept::Number(s, _) => Bad::about("timestamp", s, TOO_FAR),
                Kept::Date(_) => Bad::plain("timestamp", TOO_FAR),
            }),
            other => other,
        };
        match ns {
            Ok(ns) => {
                last = Some(ns);
                out.push(RequestRow {
                    time_ns: ns,
                    context_tokens: row.context,
                    generated_tokens: row.generated,
                });
            }
            Err(bad) => problems.note(row.line, bad),
        }
    }
    problems.into_result(cells.sep)?;
    Ok((out, unit, unit_from))
}
