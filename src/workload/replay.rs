//! Importing real traces from CSV: request-level logs (one timestamp per request,
//! optional token counts, as in the Azure LLM inference traces) and counts per
//! interval; and laying them out on a run's steps (time stretch, rate scale, repeat).

use crate::error::Error;
use super::Requests;
use crate::rng::{Rng, Stream};
use crate::scenario::{Replay, ReplayFormat};

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

/// Parses `YYYY-MM-DD HH:MM:SS[.fraction]` (or with `T`, optional `Z`), or plain
/// seconds, into nanoseconds.
fn parse_time(s: &str) -> Result<i64, String> {
    let s = s.trim().trim_end_matches('Z');
    if let Ok(v) = s.parse::<f64>() {
        if !v.is_finite() || v.abs() > 9e9 {
            return Err(format!("timestamp '{s}' is out of range"));
        }
        return Ok((v * 1e9).round() as i64);
    }
    let bad = || format!("timestamp '{s}' is neither seconds nor YYYY-MM-DD HH:MM:SS[.fff]");
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
        (Some(h), Some(mi), Some(se), None) => (number::<i64>(h), number::<i64>(mi), number::<i64>(se)),
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
    secs.checked_mul(1_000_000_000)
        .and_then(|n| n.checked_add(nanos))
        .ok_or_else(|| format!("timestamp '{s}' is out of range (dates from 1678 to 2262 are accepted)"))
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

impl ReplayData {
    /// Parses a CSV. Errors name the line and the problem.
    pub fn parse(text: &str, format: ReplayFormat) -> crate::error::Result<ReplayData> {
        ReplayData::parse_text(text, format).map_err(Error::Replay)
    }

    fn parse_text(text: &str, format: ReplayFormat) -> Result<ReplayData, String> {
        if text.len() > MAX_BYTES {
            return Err(format!("the file has {} bytes; at most {} are accepted", text.len(), MAX_BYTES));
        }
        let mut it = lines(text).peekable();
        let Some(&(first_no, first)) = it.peek() else {
            return Err("the file is empty".into());
        };
        let head = fields(first);
        let is_header = head.first().is_some_and(|f| f.parse::<f64>().is_err() && parse_time(f).is_err());
        let format = match format {
            ReplayFormat::Auto => {
                let looks_like_requests = if is_header {
                    head[0].to_ascii_lowercase().contains("time")
                } else {
                    head[0].contains(['-', ':', '.'])
                };
                if looks_like_requests {
                    ReplayFormat::Requests
                } else {
                    ReplayFormat::Counts
                }
            }
            f => f,
        };
        if is_header {
            it.next();
        }
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
        let mut rows = 0usize;
        let mut count_row = |line: usize| -> Result<(), String> {
            rows += 1;
            if rows > MAX_ROWS {
                Err(err(line, format!("more than {MAX_ROWS} rows; at most {MAX_ROWS} are accepted")))
            } else {
                Ok(())
            }
        };
        match format {
            ReplayFormat::Requests => {
                let ctx = col(&["context", "input", "prompt"], 1);
                let gen = col(&["generated", "output", "completion"], 2);
                let mut out = Vec::new();
                let mut last: Option<i64> = None;
                let mut problems = Problems::default();
                for (no, line) in it {
                    count_row(no)?;
                    let f = fields(line);
                    let row = (|| {
                        let t = parse_time(f[0]).map_err(|e| err(no, e))?;
                        if last.is_some_and(|prev| t < prev) {
                            return Err(err(no, "timestamp is not increasing"));
                        }
                        last = Some(t);
                        Ok(RequestRow {
                            time_ns: t,
                            context_tokens: parse_tokens(ctx.and_then(|i| f.get(i).copied()), no, "context tokens")?,
                            generated_tokens: parse_tokens(gen.and_then(|i| f.get(i).copied()), no, "generated tokens")?,
                        })
                    })();
                    match row {
                        Ok(row) => out.push(row),
                        Err(e) => {
                            if !problems.note(e) {
                                break;
                            }
                        }
                    }
                }
                problems.into_result()?;
                if out.is_empty() {
                    return Err(err(first_no, "no request rows after the header"));
                }
                Ok(ReplayData::Requests(out))
            }
            ReplayFormat::Counts | ReplayFormat::Auto => {
                let mut counts: Vec<f64> = Vec::new();
                let mut last: Option<u64> = None;
                let mut problems = Problems::default();
                for (no, line) in it {
                    count_row(no)?;
                    let f = fields(line);
                    let row = (|| {
                        if f.len() < 2 {
                            return Err(err(no, "expected two columns: interval, requests"));
                        }
                        let idx = number::<u64>(f[0])
                            .ok_or_else(|| err(no, format!("interval '{}' is not a whole number", f[0])))?;
                        if idx > MAX_INTERVALS {
                            return Err(err(no, format!("interval {idx} is beyond the largest accepted, {MAX_INTERVALS}")));
                        }
                        if last.is_some_and(|l| idx <= l) {
                            return Err(err(no, "interval is not increasing"));
                        }
                        last = Some(idx);
                        let c: f64 = f[1].parse().map_err(|_| err(no, format!("count '{}' is not a number", f[1])))?;
                        if !c.is_finite() || !(0.0..=1e9).contains(&c) {
                            return Err(err(no, format!("count '{}' must be from 0 to 1000000000", f[1])));
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
                Ok(ReplayData::Counts(counts))
            }
        }
    }

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
                Some(rows.iter().map(|r| r.generated_tokens.unwrap_or(0) as f64).sum::<f64>() / rows.len() as f64)
            }
            _ => None,
        }
    }

    /// Lays the trace out on `n` steps of `dt`: stretched in time, scaled in rate
    /// (request-level logs by thinning and copying requests, from the seed), and
    /// repeated or followed by zero demand.
    pub fn lay_out(&self, cfg: &Replay, seed: u64, dt: f64, n: usize) -> crate::error::Result<(Vec<f64>, Option<Requests>)> {
        match self {
            ReplayData::Counts(counts) if counts.is_empty() => Err(Error::Replay("the replay holds no intervals".into())),
            ReplayData::Counts(counts) => Ok((lay_out_counts(counts, cfg, dt, n), None)),
            ReplayData::Requests(rows) => {
                let req = lay_out_requests(rows, cfg, seed).map_err(Error::Replay)?;
                let mut rates = vec![0.0; n];
                for (i, rate) in rates.iter_mut().enumerate() {
                    let mut k = 0usize;
                    req.for_each_in(i as f64 * dt, (i + 1) as f64 * dt, |_, _| k += 1);
                    *rate = k as f64 / dt;
                }
                Ok((rates, Some(req)))
            }
        }
    }
}

fn lay_out_requests(rows: &[RequestRow], cfg: &Replay, seed: u64) -> Result<Requests, String> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Err("the replay holds no requests".into());
    };
    let origin = first.time_ns;
    let span = (last.time_ns - origin) as f64 * 1e-9;
    // One mean gap after the last request, so that a repeat has no seam.
    let gap = if rows.len() > 1 { span / (rows.len() - 1) as f64 } else { 1.0 };
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
            return Err(format!("the replay would hold more than {MAX_REQUESTS} requests per pass"));
        }
    }
    Ok(Requests {
        times,
        generated_tokens: tokens.then_some(generated),
        period,
        repeat: cfg.repeat,
    })
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

/// The replay data of a scenario: its CSV read by the importer when the scenario
/// is a replay, nothing otherwise. Errors name the file, as the CLI's do.
pub fn data_for(s: &crate::Scenario, csv: Option<&str>) -> crate::error::Result<Option<ReplayData>> {
    if s.workload.family != crate::scenario::Family::Replay {
        return Ok(None);
    }
    let source = &s.workload.replay.source;
    let csv = csv.ok_or_else(|| {
        Error::Replay(format!("the trace '{source}' is not loaded here: a replay needs its CSV file, which a link cannot carry; choose the file again"))
    })?;
    ReplayData::parse(csv, s.workload.replay.format).map(Some).map_err(|e| {
        let e = e.to_string();
        let sep = if e.starts_with("line ") { " " } else { ": " };
        Error::Replay(format!("replay file '{source}'{sep}{e}"))
    })
}

/// The scenario with its workload replaced by a replay of a CSV file: `file_name`
/// becomes `workload.replay.source` (cut to [`MAX_SOURCE_BYTES`]), `csv` is read
/// by the importer and laid out on the run, which finds what the rows alone
/// cannot (too many requests once rate-scaled, say). Nothing of a bad file is used.
pub fn scenario_for(s: &crate::Scenario, file_name: &str, csv: &str) -> crate::error::Result<crate::Scenario> {
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
