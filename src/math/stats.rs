//! Means over a sample and their 95 % confidence intervals (Student's t): the
//! statistics a sweep over seeds reports. Plain arithmetic on a slice, so it sits
//! on the floor beside the functions it calls, not in the frontier that uses it.

/// A mean over seeds and the half-width of its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    pub mean: f64,
    /// `t · s / √n`, with `s` the sample's standard deviation and `t` Student's
    /// 97.5 % quantile for `n − 1` degrees of freedom; not a number below two values.
    pub half_width_95: f64,
}

impl Stat {
    /// The mean of `sample` and its interval, summed in the sample's order.
    pub fn of(sample: &[f64]) -> Stat {
        let n = sample.len();
        let mean = sample.iter().sum::<f64>() / n as f64;
        if n < 2 {
            return Stat { mean, half_width_95: f64::NAN };
        }
        let squares: f64 = sample.iter().map(|x| (x - mean) * (x - mean)).sum();
        let sd = crate::math::sqrt(squares / (n - 1) as f64);
        Stat { mean, half_width_95: t_975(n - 1) * sd / crate::math::sqrt(n as f64) }
    }
}

/// Student's t quantile at 97.5 % for `df` degrees of freedom (the half-width of a
/// two-sided 95 % interval in standard errors): 12.706 for 1, 2.262 for 9, towards
/// 1.960. Found by bisection on the distribution's closed form for whole degrees
/// of freedom; not a number for 0.
pub fn t_975(df: usize) -> f64 {
    if df == 0 {
        return f64::NAN;
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while central_t(hi, df) < 0.95 {
        lo = hi;
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if central_t(mid, df) < 0.95 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// `P(|T| < t)` for Student's t with `df` degrees of freedom: with
/// `θ = atan(t / √df)`, a finite series in `cos θ` (even and odd `df` apart).
fn central_t(t: f64, df: usize) -> f64 {
    let nu = df as f64;
    let r = crate::math::sqrt(nu + t * t);
    let (sin, cos) = (t / r, crate::math::sqrt(nu) / r);
    let c2 = cos * cos;
    if df % 2 == 0 {
        // sin θ · (1 + ½cos²θ + (1·3)/(2·4)cos⁴θ + … up to cos^(df−2)θ)
        let (mut term, mut sum) = (1.0, 1.0);
        for k in 1..df / 2 {
            term *= c2 * (2 * k - 1) as f64 / (2 * k) as f64;
            sum += term;
        }
        sin * sum
    } else {
        // (2/π)(θ + sin θ · (cos θ + (2/3)cos³θ + … up to cos^(df−2)θ))
        let theta = crate::math::atan(t / crate::math::sqrt(nu));
        let (mut term, mut sum) = (cos, 0.0);
        if df > 1 {
            sum = cos;
            for k in 1..(df - 1) / 2 {
                term *= c2 * (2 * k) as f64 / (2 * k + 1) as f64;
                sum += term;
            }
        }
        std::f64::consts::FRAC_2_PI * (theta + sin * sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_the_known_values() {
        for (df, t) in [
            (1, 12.706_204_736),
            (2, 4.302_652_730),
            (3, 3.182_446_305),
            (9, 2.262_157_163),
            (29, 2.045_229_642),
            (1000, 1.962_339_081),
        ] {
            assert!((t_975(df) - t).abs() < 1e-8, "df {df}: {} against {t}", t_975(df));
        }
        assert!(t_975(0).is_nan());
    }
}
