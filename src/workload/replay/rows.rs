//! Reading a CSV's rows once its layout is known: each request's timestamp and
//! tokens, or each interval's count, every bad line named in one error (up to a
//! cap), and the unit of numeric timestamps decided once the column is read.

use super::csv::{fields, number, unit_hint};
use super::time::{guess_unit, number_ns, stamp, Stamp};
use super::{RequestRow, MAX_INTERVALS};
use crate::scenario::TimeUnit;

pub(super) fn err(line: usize, msg: impl std::fmt::Display) -> String {
    format!("line {line}: {msg}")
}

/// Most problems a file's error lists; the reading stops at the next one, so that
/// a file of the wrong kind yields a short message, not one line per row.
pub const MAX_PROBLEMS: usize = 20;
/// Longest problem message kept (bytes).
pub const MAX_PROBLEM_BYTES: usize = 200;

/// The rows' problems, so that one error names every bad line (up to a cap).
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    /// Records a problem; false when the cap is reached and reading should stop.
    /// A problem quoting a huge field (a binary file read as text) is cut short.
    fn note(&mut self, mut problem: String) -> bool {
        if self.0.len() == MAX_PROBLEMS {
            self.0.push(format!("(reading stopped after {MAX_PROBLEMS} problems)"));
            return false;
        }
        if problem.len() > MAX_PROBLEM_BYTES {
            let mut end = MAX_PROBLEM_BYTES;
            while !problem.is_char_boundary(end) {
                end -= 1;
            }
            problem.truncate(end);
            problem.push_str("...");
        }
        self.0.push(problem);
        true
    }

    fn into_result(self) -> Result<(), String> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0.join("\n"))
        }
    }
}

fn parse_tokens(field: Option<&str>, line: usize, what: &str) -> Result<Option<u32>, String> {
    match field.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => match number::<u64>(v) {
            Some(n) if n <= 10_000_000 => Ok(Some(n as u32)),
            _ => Err(err(line, format!("{what} '{v}' is not a whole number from 0 to 10000000"))),
        },
    }
}

type Requested = (Vec<RequestRow>, Option<TimeUnit>, String);

pub(super) fn read_requests(
    body: &[(usize, &str)],
    ctx: Option<usize>,
    gen: Option<usize>,
    unit: TimeUnit,
    time_header: Option<&str>,
    guesses: &mut Vec<String>,
) -> Result<Requested, String> {
    let mut problems = Problems::default();
    let mut rows = Vec::with_capacity(body.len());
    let mut dates = None;
    for &(no, line) in body {
        let f = fields(line);
        let row = (|| {
            let t = stamp(f[0]).map_err(|e| err(no, e))?;
            let is_date = matches!(t, Stamp::Date(_));
            match dates {
                Some(d) if d != is_date => {
                    let (this, rest) =
                        if is_date { ("a date", "numbers") } else { ("a number", "dates") };
                    return Err(err(
                        no,
                        format!("timestamp '{}' is {this}, but the rows before hold {rest}", f[0]),
                    ));
                }
                _ => dates = Some(is_date),
            }
            let c = parse_tokens(ctx.and_then(|i| f.get(i).copied()), no, "context tokens")?;
            let g = parse_tokens(gen.and_then(|i| f.get(i).copied()), no, "generated tokens")?;
            Ok((no, t, c, g))
        })();
        match row {
            Ok(row) => rows.push(row),
            Err(e) => {
                if !problems.note(e) {
                    break;
                }
            }
        }
    }
    std::mem::take(&mut problems).into_result()?;
    let numbers: Vec<f64> = rows
        .iter()
        .filter_map(|r| if let Stamp::Number(_, v) = r.1 { Some(v) } else { None })
        .collect();
    let (unit, unit_from) = match (dates, unit, time_header.and_then(unit_hint)) {
        (Some(true) | None, ..) => (None, String::new()),
        (_, TimeUnit::Auto, Some(hint)) => {
            (Some(hint), format!("from the header '{}'", time_header.unwrap_or_default()))
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
    for (no, t, context_tokens, generated_tokens) in rows {
        let ns = match t {
            Stamp::Date(ns) => Ok(ns),
            Stamp::Number(s, v) => number_ns(s, v, unit_ns).map_err(|e| err(no, e)),
        };
        let ns = match ns {
            Ok(ns) if last.is_some_and(|prev| ns < prev) => {
                Err(err(no, "timestamp is not increasing"))
            }
            other => other,
        };
        match ns {
            Ok(ns) => {
                last = Some(ns);
                out.push(RequestRow { time_ns: ns, context_tokens, generated_tokens });
            }
            Err(e) => {
                if !problems.note(e) {
                    break;
                }
            }
        }
    }
    problems.into_result()?;
    Ok((out, unit, unit_from))
}

pub(super) fn read_counts(
    body: &[(usize, &str)],
    interval_col: usize,
    count_col: usize,
    first_no: usize,
) -> Result<Vec<f64>, String> {
    let mut counts: Vec<f64> = Vec::new();
    let mut last: Option<u64> = None;
    let mut problems = Problems::default();
    for &(no, line) in body {
        let f = fields(line);
        let row = (|| {
            if f.len() < 2 {
                return Err(err(no, "expected two columns: interval, requests"));
            }
            let (fi, fc) = (f[interval_col], f.get(count_col).copied().unwrap_or(""));
            let idx = number::<u64>(fi)
                .ok_or_else(|| err(no, format!("interval '{fi}' is not a whole number")))?;
            if idx > MAX_INTERVALS {
                return Err(err(
                    no,
                    format!("interval {idx} is beyond the largest accepted, {MAX_INTERVALS}"),
                ));
            }
            if last.is_some_and(|l| idx <= l) {
                return Err(err(no, "interval is not increasing"));
            }
            last = Some(idx);
            let c = crate::math::parse_f64(fc)
                .ok_or_else(|| err(no, format!("count '{fc}' is not a number")))?;
            if !c.is_finite() || !(0.0..=1e9).contains(&c) {
                return Err(err(no, format!("count '{fc}' must be from 0 to 1000000000")));
            }
            Ok((idx, c))
        })();
        match row {
            Ok((idx, c)) => {
                counts.resize(idx as usize, 0.0);
                counts.push(c);
            }
            Err(e) => {
                if !problems.note(e) {
                    break;
                }
            }
        }
    }
    problems.into_result()?;
    if counts.is_empty() {
        return Err(err(first_no, "no count rows after the header"));
    }
    Ok(counts)
}
