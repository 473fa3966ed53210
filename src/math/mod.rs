//! One implementation of the transcendental functions for every target.
//!
//! Platform math libraries differ in the last bits of `exp`, `ln` or `sin`, and a
//! simulation that feeds its own output back (a queue, a learning agent) amplifies
//! that. Everything in the core calls these wrappers over the pure-Rust `libm`, so a
//! run is bit-identical natively and in WebAssembly.
//!
//! Beside them: a float parser, a small sort, and the statistics of a sample
//! ([`stats`]), all free of the simulation; and how a figure is printed
//! ([`Figure`]: never `-0.00`).

mod figure;
pub mod stats;

pub use figure::Figure;

#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

#[inline]
pub fn expm1(x: f64) -> f64 {
    libm::expm1(x)
}

#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// `(1 - e^{-z}) / z`, continuous at `z = 0` (value 1) and accurate for small `z`.
#[inline]
pub fn one_minus_exp_over(z: f64) -> f64 {
    if z.abs() < 1e-12 {
        1.0 - 0.5 * z
    } else {
        -expm1(-z) / z
    }
}

#[inline]
pub fn atan(x: f64) -> f64 {
    libm::atan(x)
}

#[inline]
pub fn tanh(x: f64) -> f64 {
    libm::tanh(x)
}

/// Square root (correctly rounded everywhere; a wrapper so that every function of
/// the learned forecasters comes from one place).
#[inline]
pub fn sqrt(x: f64) -> f64 {
    libm::sqrt(x)
}

/// The logistic function `1 / (1 + e^{-x})`, without overflow for any finite `x`.
#[inline]
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + exp(-x))
    } else {
        let e = exp(x);
        e / (1.0 + e)
    }
}

/// `ln Γ(x)` for `x > 0`.
#[inline]
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// `s.parse::<f64>()`: the same grammar (a sign, digits with an optional point,
/// an optional exponent; `inf`, `infinity`, `nan` in any case) and the same
/// correctly rounded value, read by serde_json's exact number reader, which the
/// page's wasm carries anyway: core's float parser and its 10 KB table stay out
/// of it.
pub fn parse_f64(s: &str) -> Option<f64> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let signed = |v: f64| if negative { -v } else { v };
    if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        return Some(signed(f64::INFINITY));
    }
    if body.eq_ignore_ascii_case("nan") {
        return Some(signed(f64::NAN));
    }
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !digits(int) || !digits(frac) || (int.is_empty() && frac.is_empty()) {
        return None;
    }
    // The same number as JSON: no `+`, no leading zeros, digits on both sides of
    // the point (or no point).
    let mut json = String::with_capacity(body.len() + 2);
    let int = int.trim_start_matches('0');
    json.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        json.push('.');
        json.push_str(frac);
    }
    if let Some(e) = exponent {
        let e_digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e_digits.is_empty() || !digits(e_digits) {
            return None;
        }
        json.push('e');
        json.push_str(e);
    }
    match serde_json::from_str::<f64>(&json) {
        Ok(v) => Some(signed(v)),
        // Beyond the largest float: infinity, as core's parser says.
        Err(e) if e.to_string().starts_with("number out of range") => Some(signed(f64::INFINITY)),
        Err(_) => None,
    }
}

/// Sorts a short slice by a key, stably, by insertion: the standard library's
/// sorts are several kilobytes of wasm per instantiation, which the page's size
/// budget counts, and the page sorts only lists of tens to hundreds of items
/// (labels, knobs, the run's moments).
pub fn sort_small_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    /// The same answer as core's parser, bit for bit (any NaN for a NaN).
    fn same(s: &str) {
        let want = s.parse::<f64>().ok();
        let got = parse_f64(s);
        let bits =
            |v: Option<f64>| {
                v.map(|v| {
                    if v.is_nan() {
                        (u64::MAX, v.is_sign_negative())
                    } else {
                        (v.to_bits(), false)
                    }
                })
            };
        assert_eq!(bits(got), bits(want), "{s:?}: {got:?}, core says {want:?}");
    }

    #[test]
    fn parse_f64_reads_what_core_reads() {
        for s in [
            "",
            "+",
            "-",
            ".",
            "e",
            "e5",
            "1e",
            "1e+",
            "1e-",
            "+.e1",
            "0",
            "-0",
            "+0",
            "00",
            "-00.000",
            "007",
            "0.5",
            ".5",
            "5.",
            "-.5e3",
            "1e400",
            "-1e400",
            "1e-400",
            "0e99999999999999999999",
            "1e99999999999999999999",
            "-1e-99999999999999999999",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "4.9e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "inf",
            "-Infinity",
            "+INF",
            "nan",
            "-NaN",
            "infinit",
            "nana",
            "1.2.3",
            "1e2e3",
            "--1",
            "+-1",
            " 1",
            "1 ",
            "1_0",
            "0x10",
            "1E5",
            "1e+05",
            "1e-05",
            "9007199254740993",
            "18446744073709551616",
            "123456789012345678901234567890123456789012345678901234567890",
            "0.1",
            "0.3",
            "1700000000.123456789",
        ] {
            same(s);
        }
        // Long decimals near halfway points, and random strings of the grammar's characters.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..200_000 {
            let v = f64::from_bits(next());
            if v.is_finite() {
                same(&v.to_string());
                same(&format!("{v:e}"));
                same(&format!("{v:.30e}"));
                same(&format!("{:.17}", v * 1e-300));
            }
            let alphabet = b"0123456789.eE+-0000119";
            let len = (next() % 24) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char)
                .collect();
            same(&s);
        }
    }
}
