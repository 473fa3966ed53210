//! What a header's names say: the time unit a column is in, and whether it holds
//! times or request counts. Separate from the CSV's text: a name reads the same
//! whatever separates it from the next.

use crate::scenario::TimeUnit;

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

/// A unit of a counts file's time column: nanoseconds in one, and its name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Unit {
    pub ns: i64,
    pub words: &'static str,
}

impl Unit {
    pub fn of(u: TimeUnit) -> Unit {
        Unit { ns: u.nanos().unwrap_or(1_000_000_000), words: super::words::unit_words(u) }
    }
}

/// The unit a counts file's time column names: one of request logs' units, or
/// minutes or hours (`minute`, `time_min`, `hour`), which only intervals come in.
pub(super) fn counts_unit_hint(h: &str) -> Option<Unit> {
    if let Some(u) = unit_hint(h) {
        return Some(Unit::of(u));
    }
    Some(match header_words(h).last()?.as_str() {
        "min" | "mins" | "minute" | "minutes" => Unit { ns: 60_000_000_000, words: "minutes" },
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit { ns: 3_600_000_000_000, words: "hours" },
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

/// A column of prompt tokens, by its header (`ContextTokens`, `input_tokens`,
/// `prompt_len`, `tokens_in`).
pub(super) fn is_context_column(h: &str) -> bool {
    is_token_column(h, &["context", "input", "prompt"], "in")
}

/// A column of generated tokens, by its header (`GeneratedTokens`,
/// `output_tokens`, `completion_tokens`, `tokens_out`).
pub(super) fn is_generated_column(h: &str) -> bool {
    is_token_column(h, &["generated", "output", "completion"], "out")
}

/// A name holding one of `names`, or a word for tokens and the word `short`.
fn is_token_column(h: &str, names: &[&str], short: &str) -> bool {
    let lower = h.to_ascii_lowercase();
    let words = header_words(h);
    names.iter().any(|n| lower.contains(n))
        || (words.iter().any(|w| w.starts_with("token")) && words.iter().any(|w| w == short))
}

/// A column of times, by its header.
pub(super) fn is_time_column(h: &str) -> bool {
    h.to_ascii_lowercase().contains("time")
        || unit_hint(h).is_some()
        || header_words(h)
            .iter()
            .any(|w| matches!(w.as_str(), "t" | "ts" | "date" | "datetime" | "arrival" | "created"))
}
