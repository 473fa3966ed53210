//! A step's SLA is decided on the p95 of the requests it completed: a finite
//! sample, often a few hundred requests and sometimes a handful. Under the exact
//! physics that p95 is the sample's own (nearest rank); under the fluid it is a
//! random quantity whose law follows from the population's tail, and a step
//! counts as `P(sample p95 > SLA)` of a violation. This module gives that
//! probability.

use crate::math::{exp, ln, ln_gamma};

/// The number of a sample of `n` whose exceeding a bound makes the nearest-rank
/// p95 exceed it: the p95 is the `⌈0.95·n⌉`-th smallest, so it exceeds `t`
/// exactly when at least `n − ⌈0.95·n⌉ + 1` of the `n` exceed `t`.
pub fn p95_exceeding_count(n: u64) -> u64 {
    let k = ((0.95 * n as f64).ceil() as u64).clamp(1, n.max(1));
    n - k + 1
}

/// `−ln 1e−9`: a tail below `e^{−CHERNOFF_EXIT}` is taken as 0 (a run of a
/// million steps so gains or loses at most a thousandth of a violation step).
const CHERNOFF_EXIT: f64 = 20.723_265_836_946_41;

/// `P(X ≥ m)` for `X ~ Binomial(n, q)`, summed from the term nearest the mode on
/// the short side, in log space (no overflow for any `n`), until the terms no
/// longer count (below 1e−17 of the sum).
pub fn binomial_at_least(n: u64, q: f64, m: u64) -> f64 {
    if m == 0 || q >= 1.0 {
        return if m <= n { 1.0 } else { 0.0 };
    }
    if m > n || q <= 0.0 || q.is_nan() {
        return 0.0;
    }
    let (nf, lq, lp) = (n as f64, ln(q), ln(1.0 - q));
    // Decided by the Chernoff bound `P ≤ e^{−n·D(a‖q)}` (for the count `a·n` on
    // the far side of the mean), when that is below 1e−9: two logs instead of
    // the sum (a step of a healthy fleet, where about 2 % of requests exceed the
    // SLA by the service alone, is decided so).
    let far = |a: f64| nf * (a * (ln(a) - lq) + (1.0 - a) * (ln(1.0 - a) - lp));
    let (upper, lower) = (m as f64 / nf, (m - 1) as f64 / nf);
    if upper > q && upper < 1.0 && far(upper) > CHERNOFF_EXIT {
        return 0.0;
    }
    if lower < q && lower > 0.0 && far(lower) > CHERNOFF_EXIT {
        return 1.0;
    }
    let ln_choose =
        |j: u64| ln_gamma(nf + 1.0) - ln_gamma(j as f64 + 1.0) - ln_gamma((n - j) as f64 + 1.0);
    let term = |j: u64| exp(ln_choose(j) + j as f64 * lq + (n - j) as f64 * lp);
    let odds = q / (1.0 - q);
    if m as f64 > nf * q {
        // Upper tail: terms fall from j = m on.
        let mut t = term(m);
        let mut sum = t;
        let mut j = m;
        while j < n && t > 1e-17 * sum {
            t *= (n - j) as f64 / (j + 1) as f64 * odds;
            j += 1;
            sum += t;
        }
        sum.min(1.0)
    } else {
        // 1 − P(X ≤ m − 1): terms fall from j = m − 1 down.
        let mut t = term(m - 1);
        let mut sum = t;
        let mut j = m - 1;
        while j > 0 && t > 1e-17 * sum {
            t *= j as f64 / (n - j + 1) as f64 / odds;
            j -= 1;
            sum += t;
        }
        (1.0 - sum).clamp(0.0, 1.0)
    }
}

/// The probability that the nearest-rank p95 of `n` independent response times
/// exceeds a bound that each exceeds with probability `q`. `n` is rounded (a
/// fluid's completions are an expected count); no sample, no violation.
pub fn p95_exceeds_probability(n: f64, q: f64) -> f64 {
    if n.is_nan() || n < 0.5 {
        return 0.0;
    }
    let n = n.round() as u64;
    binomial_at_least(n, q.clamp(0.0, 1.0), p95_exceeding_count(n))
}
