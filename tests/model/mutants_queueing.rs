//! The M/M/c mathematics at the edges the reference tables leave open: a
//! fluid's fractional count of completions, and the probabilities out of range.

use autoscale_playground::queueing::{binomial_at_least, p95_exceeds_probability};

#[test]
fn a_fractional_sample_count_is_rounded_to_whole_requests() {
    let q = 0.3;
    // Half a request rounds to one: its p95 is itself, above the bound with probability q.
    // (Summed in log space: within a few ulps.)
    assert!((p95_exceeds_probability(0.5, q) - q).abs() < 1e-12);
    assert!((p95_exceeds_probability(1.49, q) - q).abs() < 1e-12);
    // Just under half a request: no sample, no violation.
    assert_eq!(p95_exceeds_probability(0.499, q), 0.0);
    // 2.5 rounds to 3 (its p95 is the largest of three): 1 − 0.7³, not 1 − 0.7².
    let p = p95_exceeds_probability(2.5, q);
    assert!((p - (1.0 - 0.7f64.powi(3))).abs() < 1e-12, "{p}");
    // 20.4 requests are 20: at least 2 of 20 above.
    let twenty = 1.0 - 0.7f64.powi(20) - 20.0 * 0.3 * 0.7f64.powi(19);
    assert!((p95_exceeds_probability(20.4, q) - twenty).abs() < 1e-12);
    assert!(p95_exceeds_probability(f64::NAN, q) == 0.0);
    assert!(p95_exceeds_probability(-3.0, q) == 0.0);
}

#[test]
fn a_share_above_the_bound_out_of_range_is_clamped() {
    // Every request above: the p95 too; none above: never.
    assert_eq!(p95_exceeds_probability(10.0, 1.5), 1.0);
    assert_eq!(p95_exceeds_probability(10.0, 1.0), 1.0);
    assert_eq!(p95_exceeds_probability(10.0, -0.2), 0.0);
    assert_eq!(p95_exceeds_probability(10.0, 0.0), 0.0);
    assert_eq!(p95_exceeds_probability(10.0, f64::NAN), 0.0);
    // The binomial's own bounds: none needed is certain; more than n, impossible.
    assert_eq!(binomial_at_least(5, 0.2, 0), 1.0);
    assert_eq!(binomial_at_least(5, 1.0, 5), 1.0);
    assert_eq!(binomial_at_least(5, 1.0, 6), 0.0);
    assert_eq!(binomial_at_least(5, 0.2, 6), 0.0);
    assert_eq!(binomial_at_least(5, 0.0, 1), 0.0);
    assert_eq!(binomial_at_least(5, f64::NAN, 1), 0.0);
    assert_eq!(binomial_at_least(0, 0.5, 0), 1.0);
    assert_eq!(binomial_at_least(0, 0.5, 1), 0.0);
}
