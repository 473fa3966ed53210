//! A number as the CLI and the page print it. Sums start from -0.0 (as
//! `Iterator::sum` does, so that running sums equal a sum of the reports to the
//! bit), and a tiny negative rounds to zero: printed with `{:.2}` either reads
//! `-0.00`, a sign that means nothing. [`Figure`] prints them as `0.00`.

use std::fmt;

/// `x` printed with the formatter's precision, width, alignment and `+` flag as
/// an `f64` is, but never as a negative zero: `format!("{:>7.2}", Figure(-0.0))`
/// is `   0.00`, `format!("{:+.1}", Figure(-0.04))` is `+0.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure(pub f64);

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        let digits = match f.precision() {
            Some(p) => format!("{:.*}", p, x.abs()),
            None => format!("{}", x.abs()),
        };
        // Negative only if what is printed is not zero (NaN has no sign to show).
        let zero = digits.bytes().all(|b| matches!(b, b'0' | b'.'));
        let negative = x.is_sign_negative() && !zero && !x.is_nan();
        f.pad_integral(!negative, "", &digits)
    }
}

#[cfg(test)]
mod tests {
    use super::Figure;

    #[test]
    fn a_zero_prints_without_a_sign_and_the_rest_as_f64_does() {
        assert_eq!(format!("{:.2}", Figure(-0.0)), "0.00");
        assert_eq!(format!("{:.2}", Figure(-0.001)), "0.00");
        assert_eq!(format!("{:.0}", Figure(-0.4)), "0");
        assert_eq!(format!("{:>7.2}", Figure(-0.0)), "   0.00");
        assert_eq!(format!("{:<6.1}|", Figure(-0.0)), "0.0   |");
        assert_eq!(format!("{:+.2}", Figure(-0.001)), "+0.00");
        assert_eq!(format!("{:+.2}", Figure(0.5)), "+0.50");
        for x in [-2.71, 2.5, -1.0, 1234.5678, -0.06, 0.0, f64::INFINITY] {
            for p in 1..4 {
                assert_eq!(format!("{:>9.p$}", Figure(x)), format!("{x:>9.p$}"), "{x} at {p}");
            }
        }
        assert_eq!(format!("{}", Figure(-2.5)), "-2.5");
        assert_eq!(format!("{:.1}", Figure(f64::NAN)), "NaN");
    }
}
