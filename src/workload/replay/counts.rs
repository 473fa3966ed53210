//! Reading a counts file's rows: each row's time and request count, and what its
//! first column is. Interval numbers (0, 1, 2 …, each `workload.replay.interval_s`
//! long, 60 s unless set) or times: in the unit `workload.replay.time_unit` sets or
//! the header names (`seconds`, `time_ms`, `minute`), dates, or whole numbers
//! without a unit that step by more than 1 (0, 60, 120 … are seconds). Times make
//! intervals as long as the step between rows (the longest dividing every step,
//! missing rows holding zero) unless `interval_s` is set, which then bins them.

use super::csv::{fields, number, Cells};
use super::header::{counts_unit_hint, is_time_column, Unit};
use super::problems::{Bad, Problems};
use super::time::{number_ns, stamp, Stamp};
use super::words::duration;
use super::MAX_INTERVALS;
use crate::scenario::{Replay, TimeUnit};
use std::borrow::Cow;

/// The interval of interval numbers when `workload.replay.interval_s` is 0 (s).
pub const DEFAULT_INTERVAL_S: f64 = 60.0;

/// A counts file read: requests per interval, the interval (s), the unit of its
/// time column (one of the scenario's) and where it came from, and the summary's
/// words for how the first column was read.
pub(super) struct Counted {
    pub counts: Vec<f64>,
    pub interval_s: f64,
    pub unit: Option<TimeUnit>,
    pub unit_from: String,
    pub time_words: String,
}

enum Time<'a> {
    Date(i64),
    Number(Cow<'a, str>, f64),
}

struct Row<'a> {
    line: usize,
    time: Option<Time<'a>>,
    count: Option<f64>,
}

/// How the first column is read.
enum Reading {
    Intervals,
    /// Times in a unit (ignored by dates), where the unit came from, and whether
    /// it was guessed from the values.
    Times(Unit, String, bool),
}

/// The greatest common divisor of the steps between increasing values, and
/// whether every step is that one.
fn step_of(values: impl Iterator<Item = i128>) -> Option<(u128, bool)> {
    let (mut gcd, mut prev, mut widest) = (0u128, None::<i128>, 0u128);
    for v in values {
        if let Some(p) = prev.filter(|&p| v > p) {
            let (mut a, mut b) = (gcd, (v - p) as u128);
            widest = widest.max(b);
            while b != 0 {
                (a, b) = (b, a % b);
            }
            gcd = a;
        }
        prev = Some(v);
    }
    (gcd > 0).then_some((gcd, widest == gcd))
}

pub(super) fn read_counts(
    body: &[(usize, &str)],
    (time_col, count_col): (usize, usize),
    cfg: &Replay,
    header: Option<&str>,
    cells: &mut Cells,
    guesses: &mut Vec<String>,
) -> Result<Counted, String> {
    let mut problems = Problems::default();
    let mut rows: Vec<Row> = Vec::with_capacity(body.len());
    let mut dates = None;
    for &(no, line) in body {
        let mut f = fields(line, cells.sep);
        if f.len() < 2 {
            problems.note(no, Bad::plain("", "expected two columns: interval, requests"));
            continue;
        }
        // A count column beyond the row's fields reads as an empty cell.
        let mut cell = |i: usize| f.get_mut(i).map(std::mem::take).unwrap_or_default();
        let time =
            read_time(cell(time_col), cells, &mut dates).map_err(|bad| problems.note(no, bad)).ok();
        let count = read_count(cell(count_col), cells).map_err(|bad| problems.note(no, bad)).ok();
        rows.push(Row { line: no, time, count });
    }
    let numbers = || {
        rows.iter().filter_map(|r| match &r.time {
            Some(Time::Number(s, _)) => number::<u64>(s).map(i128::from),
            _ => None,
        })
    };
    let explicit_interval = cfg.interval_s > 0.0;
    let whole = rows.iter().all(|r| match &r.time {
        Some(Time::Number(s, _)) => number::<u64>(s).is_some(),
        _ => true,
    });
    let hint = header.and_then(counts_unit_hint);
    let reading = match (dates, cfg.time_unit, hint) {
        (Some(true), ..) => Reading::Times(Unit::of(TimeUnit::Ns), String::new(), false),
        (_, TimeUnit::Auto, Some(u)) => {
            let header = crate::error::shown(header.unwrap_or_default());
            Reading::Times(u, format!("from the header '{header}'"), false)
        }
        // Only a time's header, or none, makes whole numbers stepping by more
        // than 1 seconds: `interval` 1, 4 are interval numbers with gaps.
        (_, TimeUnit::Auto, None)
            if explicit_interval || !whole || header.is_some_and(|h| !is_time_column(h)) =>
        {
            Reading::Intervals
        }
        (_, TimeUnit::Auto, None) => match step_of(numbers()) {
            Some((step, _)) if step > 1 => {
                Reading::Times(Unit::of(TimeUnit::S), "guessed".into(), true)
            }
            _ => Reading::Intervals,
        },
        (_, set, _) => {
            Reading::Times(Unit::of(set), "as set by workload.replay.time_unit".into(), false)
        }
    };
    let counted = match reading {
        Reading::Intervals => intervals(&rows, cfg, header, &mut problems, guesses),
        Reading::Times(unit, from, guessed) => {
            let dated = dates == Some(true);
            times(&rows, cfg, (unit, from, guessed, dated), header, &mut problems, guesses)
        }
    };
    problems.into_result(cells.sep)?;
    counted
}

fn read_time<'a>(
    cell: Cow<'a, str>,
    cells: &mut Cells,
    dates: &mut Option<bool>,
) -> Result<Time<'a>, Bad> {
    let text = cells.number("interval", cell)?;
    let t = stamp(&text).map_err(|why| Bad::about("interval", &text, why))?;
    let is_date = matches!(t, Stamp::Date(_));
    if dates.is_some_and(|d| d != is_date) {
        let why = if is_date {
            "is a date, but the rows before hold numbers"
        } else {
            "is a number, but the rows before hold dates"
        };
        return Err(Bad::about("interval", &text, why));
    }
    *dates = Some(is_date);
    Ok(match t {
        Stamp::Date(ns) => Time::Date(ns),
        Stamp::Number(v) => Time::Number(text, v),
    })
}

fn read_count(cell: Cow<'_, str>, cells: &mut Cells) -> Result<f64, Bad> {
    let text = cells.number("count", cell)?;
    let c = crate::math::parse_f64(&text)
        .ok_or_else(|| Bad::about("count", &text, "is not a number"))?;
    if !c.is_finite() || !(0.0..=1e9).contains(&c) {
        return Err(Bad::about("count", &text, "must be from 0 to 1000000000"));
    }
    Ok(c)
}

/// The rows' counts at their interval numbers.
fn intervals(
    rows: &[Row],
    cfg: &Replay,
    header: Option<&str>,
    problems: &mut Problems,
    guesses: &mut Vec<String>,
) -> Result<Counted, String> {
    let mut counts: Vec<f64> = Vec::new();
    let mut last: Option<u64> = None;
    for row in rows {
        let Some(Time::Number(s, _)) = &row.time else { continue };
        let Some(idx) = number::<u64>(s) else {
            problems.note(row.line, Bad::about("interval", s, "is not a whole number"));
            continue;
        };
        if idx > MAX_INTERVALS {
            let why = format!("is beyond the largest accepted, {MAX_INTERVALS}");
            problems.note(row.line, Bad::about("interval", s, why));
            continue;
        }
        if last.is_some_and(|l| idx <= l) {
            problems.note(row.line, Bad::plain("interval", "is not increasing"));
            continue;
        }
        last = Some(idx);
        if let Some(c) = row.count {
            counts.resize(idx as usize, 0.0);
            counts.push(c);
        }
    }
    let set = cfg.interval_s > 0.0;
    let interval_s = if set { cfg.interval_s } else { DEFAULT_INTERVAL_S };
    if !set && header.is_none_or(is_time_column) {
        let column = match header {
            Some(h) => format!("the first column, '{}', names no unit", crate::error::shown(h)),
            None => "the first column has no header".to_string(),
        };
        guesses.push(format!(
            "{column} and steps by 1: read as interval numbers of {} each. Set workload.replay.time_unit if they are times, or workload.replay.interval_s for the intervals' length",
            duration(interval_s)
        ));
    }
    let from = if set { "as set by" } else { "the default of" };
    let time_words = format!(
        "interval numbers, {} each ({from} workload.replay.interval_s)",
        duration(interval_s)
    );
    Ok(Counted { counts, interval_s, unit: None, unit_from: String::new(), time_words })
}

/// The rows' counts at their times, in intervals of the step between rows or of
/// `interval_s` when set.
fn times(
    rows: &[Row],
    cfg: &Replay,
    (unit, from, guessed, dated): (Unit, String, bool, bool),
    header: Option<&str>,
    problems: &mut Problems,
    guesses: &mut Vec<String>,
) -> Result<Counted, String> {
    let mut at: Vec<(i64, Option<f64>)> = Vec::with_capacity(rows.len());
    for row in rows {
        let ns = match &row.time {
            Some(Time::Date(ns)) => Ok(*ns),
            Some(Time::Number(s, v)) => {
                number_ns(s, *v, unit.ns).map_err(|why| Bad::about("interval", s, why))
            }
            None => continue,
        };
        match ns {
            Ok(ns) if at.last().is_some_and(|&(prev, _)| ns <= prev) => {
                problems.note(row.line, Bad::plain("interval", "is not increasing"));
            }
            Ok(ns) => at.push((ns, row.count)),
            Err(bad) => problems.note(row.line, bad),
        }
    }
    let (Some(&(first, _)), Some(&(last, _))) = (at.first(), at.last()) else {
        return Ok(Counted {
            counts: Vec::new(),
            interval_s: DEFAULT_INTERVAL_S,
            unit: None,
            unit_from: String::new(),
            time_words: String::new(),
        });
    };
    let step = step_of(at.iter().map(|&(t, _)| t as i128));
    let set = cfg.interval_s > 0.0;
    let (width_ns, said_from) = match step {
        _ if set => (
            (cfg.interval_s * 1e9).round().max(1.0) as i128,
            "as set by workload.replay.interval_s",
        ),
        Some((step, _)) => (step as i128, "the step between rows"),
        None => (
            (DEFAULT_INTERVAL_S * 1e9) as i128,
            "one row: the default of workload.replay.interval_s",
        ),
    };
    let span = last as i128 - first as i128;
    let n = span / width_ns + 1;
    if n > MAX_INTERVALS as i128 {
        return Err(format!(
            "the rows span {} in intervals of {}: {n} intervals, more than the {MAX_INTERVALS} accepted; set workload.replay.interval_s to a longer interval",
            duration(span as f64 * 1e-9),
            duration(width_ns as f64 * 1e-9)
        ));
    }
    let mut counts = vec![0.0; n as usize];
    for &(t, c) in &at {
        counts[((t as i128 - first as i128) / width_ns) as usize] += c.unwrap_or(0.0);
    }
    let interval_s = width_ns as f64 / 1e9;
    let width = duration(interval_s);
    let column = match header {
        Some(h) => format!("the first column, '{}', names no unit", crate::error::shown(h)),
        None => "the first column has no header".to_string(),
    };
    let missing = if step.is_some_and(|(_, even)| !even) {
        " (the longest dividing every step), the intervals without a row holding zero".to_string()
    } else {
        String::new()
    };
    match step {
        _ if set => {}
        Some((step, even)) if guessed => guesses.push(format!(
            "{column} and its values step {} {}: read as seconds, so each row is a {width} interval{missing}. Set workload.replay.time_unit to read another unit, or workload.replay.interval_s alone to read interval numbers of that length",
            if even { "evenly by" } else { "by multiples of" },
            step / unit.ns as u128,
        )),
        Some((step, even)) if dated || step != unit.ns as u128 => guesses.push(format!(
            "the rows step {} {width}: each is read as a {width} interval{missing}. Set workload.replay.interval_s to decide",
            if even { "evenly by" } else { "by multiples of" },
        )),
        Some(_) => {}
        None => guesses.push(format!(
            "the file has one row: its interval is taken to last {width}. Set workload.replay.interval_s to decide"
        )),
    }
    let column_words = if dated {
        "dates and times".to_string()
    } else {
        format!("times in {} ({from})", unit.words)
    };
    let time_words = format!("{column_words}, {width} intervals ({said_from})");
    let (unit, unit_from) = match (dated, unit.ns) {
        (false, 1_000_000_000) => (Some(TimeUnit::S), from),
        (false, 1_000_000) => (Some(TimeUnit::Ms), from),
        (false, 1_000) => (Some(TimeUnit::Us), from),
        (false, 1) => (Some(TimeUnit::Ns), from),
        _ => (None, from),
    };
    Ok(Counted { counts, interval_s, unit, unit_from, time_words })
}
