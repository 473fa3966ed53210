//! Quantities in the words the importer writes to the user (lengths of time,
//! counts, rates, units), shared by the unit guess's reason and the import's
//! summary and warnings, so that both say a quantity the same way.

use crate::scenario::TimeUnit;

pub(super) const DAY_S: f64 = 86_400.0;

pub(super) fn unit_words(u: TimeUnit) -> &'static str {
    match u {
        TimeUnit::Auto => "guessed",
        TimeUnit::S => "seconds",
        TimeUnit::Ms => "milliseconds",
        TimeUnit::Us => "microseconds",
        TimeUnit::Ns => "nanoseconds",
    }
}

pub(super) fn per_minute(n: usize, span_s: f64) -> String {
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

/// A whole number with thousands separators.
pub(super) fn thousands(n: f64) -> String {
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
pub(super) fn rate(x: f64) -> String {
    if x >= 100.0 {
        thousands(x)
    } else if x >= 1.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}

/// `text` cut to at most `max` bytes, at a character boundary.
pub(super) fn shortened(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}
