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

mod decimal;
mod figure;
pub mod stats;

pub use decimal::decimal_to_f64;
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
/// correctly rounded value ([`decimal_to_f64`]): core's float parser and its
/// 10 KB table stay out of the page's wasm.
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
    let exp10 = match exponent {
        Some(e) => {
            let (minus, e_digits) = match e.as_bytes().first() {
                Some(b'-') => (true, &e[1..]),
                Some(b'+') => (false, &e[1..]),
                _ => (false, e),
            };
            if e_digits.is_empty() || !digits(e_digits) {
                return None;
            }
            // Saturated: far beyond any float either way.
            let e = e_digits.bytes().fold(0i64, |e, b| (e * 10 + (b - b'0') as i64).min(1 << 40));
            if minus {
                -e
            } else {
                e
            }
        }
        None => 0,
    };
    let all: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    Some(signed(decimal_to_f64(&all, exp10 - frac.len() as i64)))
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

/// The `k`-th smallest of `v` (from 0) in [`f64::total_cmp`]'s order: the
/// value `select_nth_unstable_by(k, f64::total_cmp)` finds (a unique bit
/// pattern in that order), without a copy of the standard selection in the
/// page's wasm. `v` is reordered. Three-way partitions around the middle item:
/// equal values cost one pass.
pub fn nth_smallest(v: &mut [f64], k: usize) -> f64 {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let (mut lo, mut hi) = (0, v.len());
    loop {
        let pivot = v[lo + (hi - lo) / 2];
        // v[lo..lt] below the pivot, v[lt..i] equal to it, v[gt..hi] above.
        let (mut lt, mut i, mut gt) = (lo, lo, hi);
        while i < gt {
            match v[i].total_cmp(&pivot) {
                Less => {
                    v.swap(lt, i);
                    lt += 1;
                    i += 1;
                }
                Equal => i += 1,
                Greater => {
                    gt -= 1;
                    v.swap(i, gt);
                }
            }
        }
        if k < lt {
            hi = lt;
        } else if k >= gt {
            lo = gt;
        } else {
            return pivot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{nth_smallest, parse_f64};

    #[test]
    fn nth_smallest_is_the_standard_selections_value() {
        let mut state = 1u64;
        for n in 1..200 {
            let v: Vec<f64> = (0..n)
                .map(|i| {
                    state =
                        state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    // Repeats, signed zeros and a sorted run among random values.
                    match (state >> 60) % 4 {
                        0 => (state >> 61) as f64,
                        1 => {
                            if state & 1 == 0 {
                                0.0
                            } else {
                                -0.0
                            }
                        }
                        2 => i as f64,
                        _ => f64::from_bits(state >> 2) - 1e300,
                    }
                })
                .collect();
            for k in 0..n {
                let mut ours = v.clone();
                let mut theirs = v.clone();
                let want = *theirs.select_nth_unstable_by(k, f64::total_cmp).1;
                assert_eq!(nth_smallest(&mut ours, k).to_bits(), want.to_bits(), "n {n} k {k}");
            }
        }
    }

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
