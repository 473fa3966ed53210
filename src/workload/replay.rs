//! Importing real traces from CSV: request-level logs (one timestamp per request,
//! optional token counts, as in the Azure LLM inference traces) and counts per
//! interval; and laying them out on a run's steps (time stretch, rate scale, repeat).

use super::Requests;
use crate::error::Error;
use crate::rng::{Rng, Stream};
use crate::scenario::{Replay, ReplayFormat, Spread, TimeUnit};

/// Largest CSV accepted (bytes).
pub const MAX_BYTES: usize = 64 << 20;
/// Most data rows accepted.
pub const MAX_ROWS: usize = 2_000_000;
/// Largest interval index of a counts file (sizes the per-interval table).
pub const MAX_INTERVALS: u64 = 10_000_000;
/// Most requests in a laid-out request-level replay (after rate scaling).
pub const MAX_REQUESTS: usize = 20_000_000;

/// A request-level log, times in integer nanoseconds so that wall-clock timestamps
/// with 100 ns digits keep every digit.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRow {
    pub time_ns: i64,
    pub context_tokens: Option<u32>,
    pub generated_tokens: Option<u32>,
}

/// An imported trace.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplayData {
    /// One row per request, sorted by time.
    Requests(Vec<RequestRow>),
    /// Requests per interval, indexed by interval (gaps hold zero).
    Counts(Vec<f64>),
}

fn err(line: usize, msg: impl std::fmt::Display) -> String {
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

fn number<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses `YYYY-MM-DD HH:MM:SS[.fraction]` (or with `T`, optional `Z`) into
/// nanoseconds since 1970.
fn parse_time(s: &str) -> Result<i64, String> {
    let s = s.trim().trim_end_matches('Z');
    let bad = || format!("timestamp '{s}' is neither a number nor YYYY-MM-DD HH:MM:SS[.fff]");
    let (date, time) = s.split_once([' ', 'T']).ok_or_else(bad)?;
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
        return Err(format!("timestamp '{s}' has an impossible date"));
    }
    let (hms, frac) = match time.split_once('.') {
        Some((a, b)) => (a, b),
        None => (time, ""),
    };
    let mut tp = hms.split(':');
    let (h, mi, se) = match (tp.next(), tp.next(), tp.next(), tp.next()) {
        (Some(h), Some(mi), Some(se), None) => {
            (number::<i64>(h), number::<i64>(mi), number::<i64>(se))
        }
        _ => return Err(bad()),
    };
    let (Some(h), Some(mi), Some(se)) = (h, mi, se) else { return Err(bad()) };
    if !(0..=23).contains(&h) || !(0..=59).contains(&mi) || !(0..=60).contains(&se) {
        return Err(format!("timestamp '{s}' has an impossible time of day"));
    }
    let mut nanos = 0i64;
    if !frac.is_empty() {
        if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 9 {
            return Err(bad());
        }
        nanos = frac.parse::<i64>().map_err(|_| bad())? * 10i64.pow(9 - frac.len() as u32);
    }
    // Nanoseconds since 1970 fit an i64 until 2262: later dates are refused.
    let secs = days_from_civil(y, m, d) * 86_400 + h * 3600 + mi * 60 + se;
    secs.checked_mul(1_000_000_000).and_then(|n| n.checked_add(nanos)).ok_or_else(|| {
        format!("timestamp '{s}' is out of range (dates from 1678 to 2262 are accepted)")
    })
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

/// The non-empty lines of a CSV with their 1-based line numbers.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

fn fields(line: &str) -> Vec<&str> {
    line.split(',').map(|f| f.trim().trim_matches('"')).collect()
}

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

/// A header's words, lower case: split at every character other than an ASCII
/// letter or digit, and where a lower-case letter meets an upper-case one
/// (`timeMs` is `time ms`). ASCII only: Unicode's tables would cost the page's
/// wasm more than headers need.
fn header_words(h: &str) -> Vec<String> {
    let mut words = vec![String::new()];
    let mut prev_lower = false;
    for c in h.chars() {
        if !c.is_ascii_alphanumeric() || (prev_lower && c.is_ascii_uppercase()) {
            words.push(String::new());
        }
        if c.is_ascii_alphanumeric() {
            words.last_mut().expect("never empty").push(c.to_ascii_lowercase());
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    words.retain(|w| !w.is_empty());
    words
}

/// The time unit a header names by its last word (`timestamp_ms`, `time (s)`).
fn unit_hint(h: &str) -> Option<TimeUnit> {
    Some(match header_words(h).last()?.as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" => TimeUnit::S,
        "ms" | "msec" | "millis" | "millisecond" | "milliseconds" => TimeUnit::Ms,
        "us" | "usec" | "micros" | "microsecond" | "microseconds" => TimeUnit::Us,
        "ns" | "nsec" | "nanos" | "nanosecond" | "nanoseconds" => TimeUnit::Ns,
        _ => return None,
    })
}

/// A column of request counts, by its header (`count`, `requests`, `num_requests`;
/// never a token count).
fn is_count_column(h: &str) -> bool {
    let words = header_words(h);
    !words.iter().any(|w| w.starts_with("token"))
        && words.iter().any(|w| {
            matches!(w.as_str(), "count" | "counts" | "requests" | "reqs" | "arrivals" | "n")
        })
}

/// A column of times, by its header.
fn is_time_column(h: &str) -> bool {
    h.to_ascii_lowercase().contains("time")
        || unit_hint(h).is_some()
        || header_words(h)
            .iter()
            .any(|w| matches!(w.as_str(), "t" | "ts" | "date" | "datetime" | "arrival" | "created"))
}

/// A timestamp as written: a date and time (nanoseconds since 1970) or a number
/// whose unit is decided once the whole column is read.
enum Stamp<'a> {
    Date(i64),
    Number(&'a str, f64),
}

fn stamp(s: &str) -> Result<Stamp<'_>, String> {
    let s = s.trim();
    match crate::math::parse_f64(s) {
        Some(v) => Ok(Stamp::Number(s, v)),
        None => parse_time(s).map(Stamp::Date),
    }
}

/// A number of `unit_ns` nanoseconds each as nanoseconds, exactly for decimals
/// to the nanosecond (`1700000000123.456789` ms keeps every digit).
fn number_ns(s: &str, v: f64, unit_ns: i64) -> Result<i64, String> {
    let out_of_range = || format!("timestamp '{s}' is out of range");
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
    // in seconds, and never more than i64 holds once multiplied by the unit).
    let frac = &frac[..frac.len().min(9)];
    let part = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().map_err(|_| out_of_range())? * unit_ns / 10i64.pow(frac.len() as u32)
    };
    let ns = int
        .parse::<i64>()
        .ok()
        .and_then(|i| i.checked_mul(unit_ns))
        .and_then(|w| w.checked_add(part))
        .ok_or_else(out_of_range)?;
    Ok(if neg { -ns } else { ns })
}

const DAY_S: f64 = 86_400.0;

/// The guessed unit of numeric timestamps: the largest of s, ms, us, ns under
/// which the trace spans at most 30 days and averages at least one request a
/// minute; seconds when none does. Returns the unit and the sentence saying so.
fn guess_unit(first: f64, last: f64, n: usize) -> (TimeUnit, String) {
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

fn unit_words(u: TimeUnit) -> &'static str {
    match u {
        TimeUnit::Auto => "guessed",
        TimeUnit::S => "seconds",
        TimeUnit::Ms => "milliseconds",
        TimeUnit::Us => "microseconds",
        TimeUnit::Ns => "nanoseconds",
    }
}

fn per_minute(n: usize, span_s: f64) -> String {
    if span_s > 0.0 {
        rate(n as f64 / span_s * 60.0)
    } else {
        "any number of".into()
    }
}

/// A length of time in the unit a reader takes in at once.
pub fn duration(s: f64) -> String {
    if s < 120.0 {
        format!("{s:.1} s")
    } else if s < 2.0 * 3600.0 {
        format!("{:.1} min", s / 60.0)
    } else if s < 2.0 * DAY_S {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} days", s / DAY_S)
    }
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

type Requested = (Vec<RequestRow>, Option<TimeUnit>, String);

fn read_requests(
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

fn read_counts(
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

impl ReplayData {
    /// Requests per interval of `interval_s` seconds, counted from the start of the
    /// first timestamp's minute (the layout of the Azure aggregates: their 10 s bins
    /// start at that minute too, not at the first request). A counts file gives its
    /// own intervals, rounded. `interval_s` must be at least a nanosecond.
    pub fn counts_per(&self, interval_s: f64) -> Vec<u64> {
        match self {
            ReplayData::Counts(c) => c.iter().map(|v| v.round() as u64).collect(),
            ReplayData::Requests(rows) => {
                const MINUTE_NS: i64 = 60_000_000_000;
                let Some(first) = rows.first() else { return Vec::new() };
                let step = (interval_s * 1e9).round() as i64;
                let origin = first.time_ns.div_euclid(MINUTE_NS) * MINUTE_NS;
                let mut out: Vec<u64> = Vec::new();
                for r in rows {
                    let i = (r.time_ns - origin).div_euclid(step) as usize;
                    if out.len() <= i {
                        out.resize(i + 1, 0);
                    }
                    out[i] += 1;
                }
                out
            }
        }
    }

    /// Mean generated tokens per request, when the log has them.
    pub fn mean_generated_tokens(&self) -> Option<f64> {
        match self {
            ReplayData::Requests(rows) if rows.iter().all(|r| r.generated_tokens.is_some()) => {
                Some(
                    rows.iter().map(|r| r.generated_tokens.unwrap_or(0) as f64).sum::<f64>()
                        / rows.len() as f64,
                )
            }
            _ => None,
        }
    }

    /// Lays the trace out on `n` steps of `dt`: stretched in time, scaled in rate
    /// (request-level logs by thinning and copying requests, from the seed), and
    /// repeated or followed by zero demand.
    pub fn lay_out(
        &self,
        cfg: &Replay,
        seed: u64,
        dt: f64,
        n: usize,
    ) -> crate::error::Result<(Vec<f64>, Option<Requests>)> {
        match self {
            ReplayData::Counts(counts) if counts.is_empty() => {
                Err(Error::ReplayFile("the replay holds no intervals".into()))
            }
            ReplayData::Counts(counts) => Ok((lay_out_counts(counts, cfg, dt, n), None)),
            ReplayData::Requests(rows) => {
                let req = lay_out_requests(rows, cfg, seed).map_err(Error::ReplayFile)?;
                let mut rates = vec![0.0; n];
                for (i, rate) in rates.iter_mut().enumerate() {
                    *rate = req.count_in(i as f64 * dt, (i + 1) as f64 * dt) as f64 / dt;
                }
                Ok((rates, Some(req)))
            }
        }
    }
}

/// How a log's timestamps share instants: the share of requests on a timestamp
/// that another request also has, and the tick (the greatest common divisor of
/// the gaps between distinct timestamps).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ticks {
    pub repeated_share: f64,
    /// The tick (ns) when the trace is quantised: at least a tenth of its requests
    /// share a timestamp, and it has at least two.
    pub quantised_ns: Option<i64>,
    /// Requests per distinct timestamp, on average.
    pub per_tick: f64,
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Ticks {
    pub fn of(rows: &[RequestRow]) -> Ticks {
        let n = rows.len();
        let repeated = (0..n)
            .filter(|&i| {
                (i > 0 && rows[i - 1].time_ns == rows[i].time_ns)
                    || (i + 1 < n && rows[i + 1].time_ns == rows[i].time_ns)
            })
            .count();
        let mut distinct = 0usize;
        let mut tick = 0u64;
        for (i, r) in rows.iter().enumerate() {
            if i == 0 || rows[i - 1].time_ns != r.time_ns {
                if i > 0 {
                    tick = gcd(tick, r.time_ns.abs_diff(rows[i - 1].time_ns));
                }
                distinct += 1;
            }
        }
        let repeated_share = if n == 0 { 0.0 } else { repeated as f64 / n as f64 };
        let quantised = repeated_share >= 0.1 && distinct >= 2 && tick > 0;
        Ticks {
            repeated_share,
            quantised_ns: quantised.then(|| i64::try_from(tick).unwrap_or(i64::MAX)),
            per_tick: if distinct == 0 { 0.0 } else { n as f64 / distinct as f64 },
        }
    }
}

/// One mean gap between requests (s), the time a pass of a log lasts beyond its
/// last request, so that a repeat has no seam; a second when the log has no length.
fn tail_gap_s(rows: &[RequestRow]) -> f64 {
    match (rows.first(), rows.last()) {
        (Some(first), Some(last)) if last.time_ns > first.time_ns => {
            (last.time_ns - first.time_ns) as f64 * 1e-9 / (rows.len() - 1) as f64
        }
        _ => 1.0,
    }
}

fn lay_out_requests(rows: &[RequestRow], cfg: &Replay, seed: u64) -> Result<Requests, String> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Err("the replay holds no requests".into());
    };
    let origin = first.time_ns;
    let span = (last.time_ns - origin) as f64 * 1e-9;
    let gap = tail_gap_s(rows);
    let period = ((span + gap) * cfg.time_stretch).max(1e-3);
    let whole = cfg.rate_scale.floor();
    let frac = cfg.rate_scale - whole;
    let expected = rows.len() as f64 * cfg.rate_scale;
    if expected > MAX_REQUESTS as f64 * 0.9 {
        return Err(format!(
            "workload.replay.rate_scale = {} would make about {} requests per pass; at most {} are accepted",
            cfg.rate_scale, expected as u64, MAX_REQUESTS
        ));
    }
    let mut rng = Rng::new(seed, Stream::Replay, 0);
    let tokens = rows.iter().all(|r| r.generated_tokens.is_some());
    let mut times = Vec::with_capacity(expected.ceil() as usize + 1);
    let mut generated = Vec::new();
    for r in rows {
        let copies = whole as usize + usize::from(frac > 0.0 && rng.uniform() < frac);
        let t = (r.time_ns - origin) as f64 * 1e-9 * cfg.time_stretch;
        for _ in 0..copies {
            times.push(t);
            if tokens {
                generated.push(r.generated_tokens.unwrap_or(0));
            }
        }
        if times.len() > MAX_REQUESTS {
            return Err(format!(
                "the replay would hold more than {MAX_REQUESTS} requests per pass"
            ));
        }
    }
    if cfg.spread != Spread::None {
        let tick = Ticks::of(rows).quantised_ns.map(|t| t as f64 * 1e-9 * cfg.time_stretch);
        spread(&mut times, period, tick, cfg.spread, seed);
    }
    Ok(Requests {
        times,
        generated_tokens: tokens.then_some(generated),
        period,
        repeat: cfg.repeat,
    })
}

/// Spreads each group of requests at one instant (a quantised tick's, or a
/// request's copies) over the time to the next instant, at most `tick`: evenly
/// (the first keeps its time) or at uniform offsets from the seed. A request
/// alone at its instant keeps it. The times stay sorted and within the period.
fn spread(times: &mut [f64], period: f64, tick: Option<f64>, how: Spread, seed: u64) {
    let mut rng = Rng::new(seed, Stream::Replay, 1);
    let mut i = 0;
    while i < times.len() {
        let t = times[i];
        let k = times[i..].iter().take_while(|&&x| x == t).count();
        if k > 1 {
            let next = times.get(i + k).copied().unwrap_or(period);
            let width = tick.map_or(next - t, |w| w.min(next - t));
            let group = &mut times[i..i + k];
            match how {
                Spread::Random => {
                    // k sorted uniform offsets without a sort: the partial sums
                    // of k + 1 exponential gaps, over their total.
                    let mut sum = 0.0;
                    for x in group.iter_mut() {
                        sum += rng.exponential(1.0);
                        *x = sum;
                    }
                    let total = sum + rng.exponential(1.0);
                    for x in group.iter_mut() {
                        *x = t + width * (*x / total);
                    }
                }
                _ => {
                    for (j, x) in group.iter_mut().enumerate() {
                        *x = t + width * j as f64 / k as f64;
                    }
                }
            }
        }
        i += k;
    }
}

fn lay_out_counts(counts: &[f64], cfg: &Replay, dt: f64, n: usize) -> Vec<f64> {
    let width = cfg.interval_s * cfg.time_stretch;
    let period = width * counts.len() as f64;
    // Integral of the piecewise-constant rate over [0, t) within one pass.
    let mut prefix = Vec::with_capacity(counts.len() + 1);
    prefix.push(0.0);
    for c in counts {
        prefix.push(prefix[prefix.len() - 1] + c * cfg.rate_scale);
    }
    let within = |t: f64| -> f64 {
        let x = t / width;
        let i = (x.floor() as usize).min(counts.len());
        let part = if i < counts.len() { (x - i as f64) * counts[i] * cfg.rate_scale } else { 0.0 };
        prefix[i] + part
    };
    let cumulative = |t: f64| -> f64 {
        let passes = (t / period).floor();
        if !cfg.repeat && passes >= 1.0 {
            return prefix[counts.len()];
        }
        passes * prefix[counts.len()] + within(t - passes * period)
    };
    (0..n)
        .map(|i| ((cumulative((i + 1) as f64 * dt) - cumulative(i as f64 * dt)) / dt).max(0.0))
        .collect()
}

/// The longest `workload.replay.source` a scenario accepts (bytes).
pub const MAX_SOURCE_BYTES: usize = 256;

/// What an import read, for the user to check against what they meant.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportSummary {
    pub reading: Interpretation,
    /// Requests in the file (a counts file: their sum).
    pub requests: f64,
    /// Intervals of a counts file.
    pub intervals: Option<usize>,
    /// From the first request to the last (a counts file: its intervals).
    pub span_s: f64,
    /// Requests a minute over the span (`None` when it has no length).
    pub mean_per_min: Option<f64>,
    /// The busiest minute (a counts file: its busiest interval, per minute).
    pub peak_per_min: f64,
    /// Timestamps shared by several requests (request logs only).
    pub ticks: Option<Ticks>,
}

/// A trace file read for a scenario: the data, what was read, and what looks wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub data: ReplayData,
    pub summary: ImportSummary,
    /// Things that are not errors but likely not what the user meant.
    pub warnings: Vec<String>,
}

/// A whole number with thousands separators.
fn thousands(n: f64) -> String {
    let digits = format!("{:.0}", n.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A quantity of requests a minute, to three significant figures at most.
fn rate(x: f64) -> String {
    if x >= 100.0 {
        thousands(x)
    } else if x >= 1.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}

/// The longest trace before a warning, and the shortest (s).
const LONGEST_S: f64 = 365.0 * DAY_S;
const SHORTEST_S: f64 = 300.0;

impl Import {
    /// Reads `csv` as the replay of `s` (its format, time unit and layout) and
    /// warns of what is likely not what the user meant.
    pub fn read(csv: &str, s: &crate::scenario::Scenario) -> crate::error::Result<Import> {
        let cfg = &s.workload.replay;
        let (data, reading) = ReplayData::read(csv, cfg.format, cfg.time_unit)?;
        let summary = match &data {
            ReplayData::Requests(rows) => {
                let span_s = (rows[rows.len() - 1].time_ns - rows[0].time_ns) as f64 * 1e-9;
                let n = rows.len() as f64;
                ImportSummary {
                    reading,
                    requests: n,
                    intervals: None,
                    span_s,
                    mean_per_min: (span_s > 0.0).then(|| n / span_s * 60.0),
                    peak_per_min: data.counts_per(60.0).into_iter().max().unwrap_or(0) as f64,
                    ticks: Some(Ticks::of(rows)),
                }
            }
            ReplayData::Counts(c) => {
                let span_s = c.len() as f64 * cfg.interval_s;
                let requests: f64 = c.iter().sum();
                ImportSummary {
                    reading,
                    requests,
                    intervals: Some(c.len()),
                    span_s,
                    mean_per_min: Some(requests / span_s * 60.0),
                    peak_per_min: c.iter().copied().fold(0.0, f64::max) * 60.0 / cfg.interval_s,
                    ticks: None,
                }
            }
        };
        let warnings = warnings(&summary, &data, s);
        Ok(Import { data, summary, warnings })
    }

    /// The summary, the guesses and the warnings, one line each.
    pub fn lines(&self) -> Vec<String> {
        let m = &self.summary;
        let r = &m.reading;
        let what = match m.intervals {
            Some(k) => {
                format!("{} intervals ({} requests)", thousands(k as f64), thousands(m.requests))
            }
            None => format!("{} requests", thousands(m.requests)),
        };
        let unit = match (m.intervals, r.unit) {
            (Some(_), _) => "interval numbers".to_string(),
            (None, Some(u)) => format!("timestamps in {} ({})", unit_words(u), r.unit_from),
            (None, None) => "timestamps as dates and times".into(),
        };
        let mean = m
            .mean_per_min
            .map_or("no mean rate (no length)".into(), |x| format!("mean {}/min", rate(x)));
        let mut head = format!(
            "read {what} over {}: {mean}, peak {}/min; {unit}",
            duration(m.span_s),
            rate(m.peak_per_min)
        );
        if let Some(t) = &m.ticks {
            head.push_str(&format!("; {:.1} % on repeated timestamps", 100.0 * t.repeated_share));
            if let Some(tick) = t.quantised_ns {
                head.push_str(&format!(" (quantised to {} ticks)", duration(tick as f64 * 1e-9)));
            }
            let cols = if r.token_columns.is_empty() {
                "none".to_string()
            } else {
                r.token_columns.join(", ")
            };
            head.push_str(&format!("; token columns: {cols}"));
        }
        let mut out = vec![head];
        out.extend(r.guesses.iter().map(|g| format!("guessed: {g}")));
        out.extend(self.warnings.iter().map(|w| format!("warning: {w}")));
        out
    }
}

fn warnings(m: &ImportSummary, data: &ReplayData, s: &crate::scenario::Scenario) -> Vec<String> {
    let cfg = &s.workload.replay;
    let mut out = Vec::new();
    let check_unit = if m.intervals.is_some() {
        "workload.replay.interval_s"
    } else {
        "workload.replay.time_unit"
    };
    // One pass of the laid-out trace (s), as lay_out makes it.
    let pass_s = match data {
        ReplayData::Requests(rows) => (m.span_s + tail_gap_s(rows)) * cfg.time_stretch,
        ReplayData::Counts(_) => m.span_s * cfg.time_stretch,
    };
    if m.requests == 0.0 {
        out.push("the trace holds no requests: the replay's demand is zero throughout".into());
    } else if m.span_s == 0.0 {
        out.push(format!(
            "all {} requests share one timestamp: the trace has no length, so one pass is taken to last {}, {} requests a second{}",
            thousands(m.requests),
            duration(pass_s),
            rate(m.requests * cfg.rate_scale / pass_s),
            if cfg.repeat { ", repeated through the run" } else { "" }
        ));
    } else if m.span_s < SHORTEST_S {
        out.push(format!(
            "the trace spans only {} (under {} minutes): check {check_unit}",
            duration(m.span_s),
            SHORTEST_S / 60.0
        ));
    } else if m.span_s > LONGEST_S {
        out.push(format!(
            "the trace spans {} (over a year): check {check_unit}",
            duration(m.span_s)
        ));
    }
    // Demand against the fleet: the laid-out mean against what one replica and
    // the largest fleet serve at replica.service_mean_s.
    let mean_rps = m.requests * cfg.rate_scale / pass_s.max(1e-9);
    let one = s.replica.slots as f64 / s.replica.service_mean_s;
    let fleet = one * s.scaling.max_replicas as f64;
    if m.requests > 0.0 && mean_rps > fleet {
        out.push(format!(
            "the mean demand, after rate scaling, is {} req/s, more than the largest fleet serves ({} replicas: {} req/s): every world is overloaded; lower workload.replay.rate_scale or check {check_unit}",
            rate(mean_rps), s.scaling.max_replicas, rate(fleet)
        ));
    } else if m.requests > 0.0 && mean_rps < 0.05 * one {
        out.push(format!(
            "the mean demand, after rate scaling, is {} req/s, under 5 % of what one replica serves ({} req/s): the fleet idles at its least; raise workload.replay.rate_scale or check {check_unit}",
            rate(mean_rps), rate(one)
        ));
    }
    if let Some(t) = &m.ticks {
        if let (Some(tick), Spread::None) = (t.quantised_ns, cfg.spread) {
            out.push(format!(
                "{:.0} % of requests share their timestamp with others: the timestamps fall on {} ticks, {:.1} requests a tick on average (a quantised trace), and the exact physics serves each tick's requests as one batch; workload.replay.spread = even spreads them within their tick",
                100.0 * t.repeated_share, duration(tick as f64 * 1e-9), t.per_tick
            ));
        }
        if cfg.rate_scale >= 2.0 && cfg.spread == Spread::None {
            out.push(format!(
                "workload.replay.rate_scale = {} copies each request at its own timestamp (the exact physics serves the copies as a batch); workload.replay.spread = even spreads the copies up to the next request",
                cfg.rate_scale
            ));
        }
    }
    let run_s = s.steps as f64 * s.dt_s;
    if cfg.repeat && m.requests > 0.0 && pass_s < 10.0 * s.dt_s && run_s > pass_s {
        out.push(format!(
            "one pass of the trace lasts {}, under 10 steps of the run (dt_s = {}): looped, it repeats {} times, a short pattern rather than a workload",
            duration(pass_s), s.dt_s, thousands(run_s / pass_s)
        ));
    }
    out
}

/// The replay data of a scenario, read by the importer when the scenario is a
/// replay, nothing otherwise. Errors name the file, as the CLI's do.
pub fn import_for(
    s: &crate::scenario::Scenario,
    csv: Option<&str>,
) -> crate::error::Result<Option<Import>> {
    if s.workload.family != crate::scenario::Family::Replay {
        return Ok(None);
    }
    let source = &s.workload.replay.source;
    let csv = csv.ok_or_else(|| {
        Error::ReplayFile(format!("the trace '{source}' is not loaded here: a replay needs its CSV file, which a link cannot carry; choose the file again"))
    })?;
    Import::read(csv, s).map(Some).map_err(|e| {
        let e = e.to_string();
        let sep = if e.starts_with("line ") { " " } else { ": " };
        Error::ReplayFile(format!("replay file '{source}'{sep}{e}"))
    })
}

/// The replay data of a scenario ([`import_for`] without the summary).
pub fn data_for(
    s: &crate::scenario::Scenario,
    csv: Option<&str>,
) -> crate::error::Result<Option<ReplayData>> {
    import_for(s, csv).map(|i| i.map(|i| i.data))
}

/// The scenario with its workload replaced by a replay of a CSV file: `file_name`
/// becomes `workload.replay.source` (cut to [`MAX_SOURCE_BYTES`]), `csv` is read
/// by the importer and laid out on the run, which finds what the rows alone
/// cannot (too many requests once rate-scaled, say). Nothing of a bad file is used.
pub fn scenario_for(
    s: &crate::scenario::Scenario,
    file_name: &str,
    csv: &str,
) -> crate::error::Result<crate::scenario::Scenario> {
    let mut s = s.clone();
    s.workload.family = crate::scenario::Family::Replay;
    s.workload.replay.source = shortened(file_name, MAX_SOURCE_BYTES);
    s.validate()?;
    let data = data_for(&s, Some(csv))?;
    super::Trace::build(&s, data.as_ref())?;
    Ok(s)
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn shortened(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}
