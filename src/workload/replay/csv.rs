//! What a CSV's text says before it is read as a trace: its lines and fields, its
//! whole numbers, and what a header's words name (a unit, a count or time
//! column). Separate, so that telling the file's layout and reading its rows
//! share them.

use crate::scenario::TimeUnit;

pub(super) fn number<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The non-empty lines of a CSV with their 1-based line numbers.
pub(super) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

pub(super) fn fields(line: &str) -> Vec<&str> {
    line.split(',').map(|f| f.trim().trim_matches('"')).collect()
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
pub(super) fn unit_hint(h: &str) -> Option<TimeUnit> {
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
pub(super) fn is_count_column(h: &str) -> bool {
    let words = header_words(h);
    !words.iter().any(|w| w.starts_with("token"))
        && words.iter().any(|w| {
            matches!(w.as_str(), "count" | "counts" | "requests" | "reqs" | "arrivals" | "n")
        })
}

/// A column of times, by its header.
pub(super) fn is_time_column(h: &str) -> bool {
    h.to_ascii_lowercase().contains("time")
        || unit_hint(h).is_some()
        || header_words(h)
            .iter()
            .any(|w| matches!(w.as_str(), "t" | "ts" | "date" | "datetime" | "arrival" | "created"))
}
