//! Timestamps as written in a trace: dates and times read to the nanosecond, and
//! plain numbers whose unit is named by the header, set, or guessed from the
//! values. Separate from the CSV's layout: a timestamp reads the same in any file.

use super::csv::number;
use super::words::{duration, per_minute, unit_words, DAY_S};
use crate::scenario::TimeUnit;

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// What a timestamp that is neither a number nor a date is told. Kept word for
/// word: the page's tests and users' scripts match it.
pub(super) const NOT_A_TIMESTAMP: &str = "is neither a number nor YYYY-MM-DD HH:MM:SS[.fff]";

/// Splits a UTC offset off a time of day (`18:00:00+01:00`, `18:00:00.5-0530`,
/// `18:00:00Z`): the time and the offset in seconds east of UTC (`+01:00` is
/// 3,600). An offset beyond ±14:00 or with more than 59 minutes is refused, named.
fn offset_of(time: &str) -> Result<(&str, i64), String> {
    if let Some(t) = time.strip_suffix(['Z', 'z']) {
        return Ok((t.trim_end(), 0));
    }
    let Some(at) = time.rfind(['+', '-']) else { return Ok((time, 0)) };
    let (t, off) = time.split_at(at);
    let sign = if off.starts_with('-') { -1 } else { 1 };
    let digits: String = off[1..].chars().filter(|&c| c != ':').collect();
    let (h, m) = match digits.len() {
        2 => (number::<i64>(&digits), Some(0)),
        4 => (number::<i64>(&digits[..2]), number::<i64>(&digits[2..])),
        _ => (None, None),
    };
    let colons = off.matches(':').count();
    let (Some(h), Some(m)) = (h, m) else {
        return Err(NOT_A_TIMESTAMP.into());
    };
    if colons > 1 || (colons == 1 && off.find(':') != Some(3)) {
        return Err(NOT_A_TIMESTAMP.into());
    }
    if m > 59 || h * 60 + m > 14 * 60 {
        return Err(format!(
            "has a UTC offset '{}' beyond what clocks use (-14:00 to +14:00)",
            crate::error::shown(off)
        ));
    }
    Ok((t.trim_end(), sign * (h * 3600 + m * 60)))
}

/// Parses `YYYY-MM-DD HH:MM:SS[.fraction]` (or with `T`; the fraction after `.`
/// or `,`; a UTC offset `Z`, `+01:00`, `-0530` converted to UTC) into
/// nanoseconds since 1970, UTC. Errors are what is wrong, without the value.
fn parse_time(s: &str) -> Result<i64, String> {
    let bad = || String::from(NOT_A_TIMESTAMP);
    let (date, time) = s.trim().split_once([' ', 'T']).ok_or_else(bad)?;
    let mut dp = date.split('-');
    let (y, m, d) = match (dp.next(), dp.next(), dp.next(), dp.next()) {
        (Some(y), Some(m), Some(d), None) => (number::<i64>(y), number::<i64>(m), number::<i64>(d)),
        _ => return Err(bad()),
    };
    let (Some(y), Some(m), Some(d)) = (y, m, d) else { return Err(bad()) };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=12).contains(&m) || !(1..=month_days).contains(&d) || !(1..=9999).contains(&y) {
        return Err("has an impossible date".into());
    }
    let (time, offset_s) = offset_of(time.trim())?;
    let (hms, frac) = time.split_once(['.', ',']).unwrap_or((time, ""));
    let mut tp = hms.split(':');
    let (h, mi, se) = match (tp.next(), tp.next(), tp.next(), tp.next()) {
        (Some(h), Some(mi), Some(se), None) => {
            (number::<i64>(h), number::<i64>(mi), number::<i64>(se))
        }
        _ => return Err(bad()),
    };
    let (Some(h), Some(mi), Some(se)) = (h, mi, se) else { return Err(bad()) };
    if !(0..=23).contains(&h) || !(0..=59).contains(&mi) || !(0..=60).contains(&se) {
        return Err("has an impossible time of day".into());
    }
    let mut nanos = 0i64;
    if !frac.is_empty() {
        if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 9 {
            return Err(bad());
        }
        nanos = frac.parse::<i64>().map_err(|_| bad())? * 10i64.pow(9 - frac.len() as u32);
    }
    // Nanoseconds since 1970 fit an i64 until 2262: later dates are refused.
    let secs = days_from_civil(y, m, d) * 86_400 + h * 3600 + mi * 60 + se - offset_s;
    secs.checked_mul(1_000_000_000)
        .and_then(|n| n.checked_add(nanos))
        .ok_or_else(|| "is out of range (dates from 1678 to 2262 are accepted)".into())
}

/// A timestamp as written: a date and time (nanoseconds since 1970) or a number
/// whose unit is decided once the whole column is read (its text kept by the
/// caller, for the exact conversion).
pub(super) enum Stamp {
    Date(i64),
    Number(f64),
}

/// A timestamp cell (its decimal comma already a point); errors say what is
/// wrong, without the value.
pub(super) fn stamp(s: &str) -> Result<Stamp, String> {
    let s = s.trim();
    match crate::math::parse_f64(s) {
        Some(v) => Ok(Stamp::Number(v)),
        None => parse_time(s).map(Stamp::Date),
    }
}

/// A number of `unit_ns` nanoseconds each as nanoseconds, exactly for decimals
/// to the nanosecond (`1700000000123.456789` ms keeps every digit). Errors say
/// what is wrong, without the value.
pub(super) fn number_ns(s: &str, v: f64, unit_ns: i64) -> Result<i64, String> {
    let out_of_range = || String::from("is out of range");
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) {
        // Exponents and the like: through the float.
        let x = v * unit_ns as f64;
        return if x.is_finite() && x.abs() < 9.2e18 {
            Ok(x.round() as i64)
        } else {
            Err(out_of_range())
        };
    }
    // The fraction's digits below a nanosecond are dropped (at most 9 kept: 1 ns
    // in seconds); in i128, as an hour's fraction times its nanoseconds passes i64.
    let frac = &frac[..frac.len().min(9)];
    let part = if frac.is_empty() {
        0
    } else {
        frac.parse::<i128>().map_err(|_| out_of_range())? * unit_ns as i128
            / 10i128.pow(frac.len() as u32)
    };
    let ns = int
        .parse::<i128>()
        .ok()
        .and_then(|i| i.checked_mul(unit_ns as i128))
        .map(|w| w + part)
        .and_then(|n| i64::try_from(n).ok())
        .ok_or_else(out_of_range)?;
    Ok(if neg { -ns } else { ns })
}

/// The guessed unit of numeric timestamps: the largest of s, ms, us, ns under
/// which the trace spans at most 30 days and averages at least one request a
/// minute; seconds when none does. Returns the unit and the sentence saying so.
pub(super) fn guess_unit(first: f64, last: f64, n: usize) -> (TimeUnit, String) {
    let units = [TimeUnit::S, TimeUnit::Ms, TimeUnit::Us, TimeUnit::Ns];
    let span_as = |u: TimeUnit| (last - first) * u.nanos().unwrap_or(1) as f64 * 1e-9;
    let plausible = |u: TimeUnit| {
        let span = span_as(u);
        span <= 30.0 * DAY_S && (n < 2 || span == 0.0 || n as f64 / span * 60.0 >= 1.0)
    };
    let unit = units.into_iter().find(|&u| plausible(u)).unwrap_or(TimeUnit::S);
    let other = if unit == TimeUnit::S { TimeUnit::Ms } else { TimeUnit::S };
    let text = format!(
        "the timestamps are plain numbers and the time column's header names no unit: read as {} (the trace spans {}, {} requests a minute), the largest unit giving at most 30 days and at least one request a minute; as {} it would span {}. Set workload.replay.time_unit to decide",
        unit_words(unit),
        duration(span_as(unit)),
        per_minute(n, span_as(unit)),
        unit_words(other),
        duration(span_as(other)),
    );
    (unit, text)
}
