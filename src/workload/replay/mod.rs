//! Importing real traces from CSV: request-level logs (one timestamp per request,
//! optional token counts, as in the Azure LLM inference traces) and counts per
//! interval; and laying them out on a run's steps (time stretch, rate scale, repeat).
//!
//! This file holds what a trace is once read (its rows or counts, and what they
//! measure) and the importer's limits. The files beside it each do one step:
//! `csv` splits the text into records and fields, `header` reads a header's
//! names, `time` reads timestamps, `read` tells the file's layout, `rows` reads a
//! request log's rows and `counts` a counts file's, `problems` says what is wrong
//! with them, `layout` lays a trace out on a run, `import` sums an import up for
//! the user, and `words` says quantities as that summary does.

mod counts;
mod csv;
mod header;
mod import;
mod layout;
mod problems;
mod read;
mod rows;
mod time;
mod words;

pub use counts::DEFAULT_INTERVAL_S;
pub use csv::Separator;
pub use import::{data_for, import_for, scenario_for, Import, ImportSummary, MAX_SOURCE_BYTES};
pub use problems::MAX_PROBLEMS;
pub use read::Interpretation;
pub use words::duration;

/// Largest CSV accepted (bytes).
pub const MAX_BYTES: usize = 64 << 20;
/// Most data rows accepted.
pub const MAX_ROWS: usize = 2_000_000;
/// Most intervals of a counts file: its largest interval number, or the intervals
/// its times span (sizes the per-interval table).
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
    /// Requests per interval, indexed by interval (gaps hold zero), and the
    /// interval's length (s): as the file's rows step, or as set.
    Counts { counts: Vec<f64>, interval_s: f64 },
}

impl ReplayData {
    /// Requests per interval of `interval_s` seconds, counted from the start of the
    /// first timestamp's minute (the layout of the Azure aggregates: their 10 s bins
    /// start at that minute too, not at the first request). A counts file gives its
    /// own intervals, rounded. `interval_s` must be at least a nanosecond.
    pub fn counts_per(&self, interval_s: f64) -> Vec<u64> {
        match self {
            ReplayData::Counts { counts, .. } => counts.iter().map(|v| v.round() as u64).collect(),
            ReplayData::Requests(rows) => {
                // In i128: the minute before the earliest time can pass i64.
                const MINUTE_NS: i128 = 60_000_000_000;
                let Some(first) = rows.first() else { return Vec::new() };
                let step = ((interval_s * 1e9).round() as i128).max(1);
                let origin = (first.time_ns as i128).div_euclid(MINUTE_NS) * MINUTE_NS;
                let mut out: Vec<u64> = Vec::new();
                for r in rows {
                    let i = (r.time_ns as i128 - origin).div_euclid(step) as usize;
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
