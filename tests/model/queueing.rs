//! The M/M/c mathematics against docs/model.md's reference table and at scale.

use autoscale_playground::queueing::{
    erlang_b, erlang_c, mean_in_system, percentile_of, solve_load, Part, Response,
};

/// (c, a, C, Wq, W, p95, p99) with mu = 1, from docs/model.md.
const REFERENCE: [(u32, f64, f64, f64, f64, f64, f64); 7] = [
    (1, 0.5, 0.500000, 1.000000, 2.000000, 5.9915, 9.2103),
    (2, 1.0, 0.333333, 0.333333, 1.333333, 3.8165, 5.6660),
    (4, 2.5, 0.319857, 0.213238, 1.213238, 3.4170, 5.0683),
    (5, 4.0, 0.554113, 0.554113, 1.554113, 4.1975, 6.0797),
    (10, 8.0, 0.409180, 0.204590, 1.204590, 3.3283, 4.9461),
    (20, 18.0, 0.550769, 0.275385, 1.275385, 3.4228, 5.0416),
    (50, 45.0, 0.363864, 0.072773, 1.072773, 3.0828, 4.6922),
];

#[test]
fn reference_table_matches_to_1e_4() {
    for (c, a, ec, wq, w, p95, p99) in REFERENCE {
        let r = Response::mmc(c, a, 1.0);
        let row = format!("c={c} a={a}");
        assert!((erlang_c(c, a) - ec).abs() < 1e-4, "{row}: C = {}", erlang_c(c, a));
        assert!((r.mean_wait() - wq).abs() < 1e-4, "{row}: Wq = {}", r.mean_wait());
        assert!((r.mean_response() - w).abs() < 1e-4, "{row}: W = {}", r.mean_response());
        assert!((r.percentile(0.95) - p95).abs() < 1e-4, "{row}: p95 = {}", r.percentile(0.95));
        assert!((r.percentile(0.99) - p99).abs() < 1e-4, "{row}: p99 = {}", r.percentile(0.99));
    }
}

#[test]
fn percentile_is_the_root_of_the_tail() {
    for (c, a, ..) in REFERENCE {
        let r = Response::mmc(c, a, 1.0);
        for p in [0.5, 0.9, 0.95, 0.99, 0.999] {
            let t = r.percentile(p);
            assert!((r.tail(t) - (1.0 - p)).abs() < 1e-10, "c={c} a={a} p={p}");
        }
    }
}

#[test]
fn theta_equal_to_mu_uses_the_limit_form() {
    // c = 2, a = 1, mu = 1: theta = 2 - 1 = 1 = mu, so P(T>t) = e^{-t}(1 + C t).
    let r = Response::mmc(2, 1.0, 1.0);
    for t in [0.1f64, 1.0, 3.0, 10.0] {
        let expected = (-t).exp() * (1.0 + erlang_c(2, 1.0) * t);
        assert!((r.tail(t) - expected).abs() < 1e-12, "t={t}");
    }
}

#[test]
fn erlang_stays_finite_and_correct_up_to_2000_servers() {
    // Against the direct Erlang B sum in log space.
    fn erlang_b_direct(c: u32, a: f64) -> f64 {
        let ln_term = |k: u32| k as f64 * a.ln() - (1..=k).map(|i| (i as f64).ln()).sum::<f64>();
        let top = ln_term(c);
        let sum: f64 = (0..=c).map(|k| (ln_term(k) - top).exp()).sum();
        1.0 / sum
    }
    for c in [100u32, 500, 1000, 2000, 2500] {
        for rho in [0.1, 0.5, 0.9, 0.99, 0.9999] {
            let a = c as f64 * rho;
            let b = erlang_b(c, a);
            let direct = erlang_b_direct(c, a);
            assert!(
                b.is_finite() && (b - direct).abs() <= 1e-9 * direct.max(1e-300) + 1e-300,
                "c={c} rho={rho}: {b} vs {direct}"
            );
            let ec = erlang_c(c, a);
            assert!(ec.is_finite() && (0.0..=1.0).contains(&ec), "c={c} rho={rho}: C={ec}");
            let r = Response::mmc(c, a, 1.0);
            let p95 = r.percentile(0.95);
            assert!(p95.is_finite() && p95 >= 2.99, "c={c} rho={rho}: p95={p95}");
        }
    }
    // Heavy load on 2000 servers: C near 1, waits of order 1/theta.
    let r = Response::mmc(2000, 1999.0, 1.0);
    assert!((r.mean_wait() - r.c_wait / 1.0).abs() < 1e-12);
    assert!(r.c_wait > 0.97 && r.c_wait < 1.0, "C = {}", r.c_wait);
}

#[test]
fn unstable_load_has_erlang_c_of_one() {
    assert_eq!(erlang_c(4, 4.0), 1.0);
    assert_eq!(erlang_c(4, 9.0), 1.0);
    assert_eq!(erlang_c(4, 0.0), 0.0);
}

#[test]
fn truncated_wait_bounds_the_tail_and_counts_drops() {
    // At rho = 0.99 on 8 servers (mu = 0.5), waits are long; with max_wait = 30 s the
    // served requests' responses beyond 30 s come from service only.
    let plain = Response::mmc(8, 0.99 * 4.0, 0.5);
    let cut = Response::truncated(8, 0.99 * 4.0, 0.5, 30.0);
    assert!(cut.percentile(0.95) < plain.percentile(0.95));
    let expected_drop = plain.c_wait * (-plain.theta * 30.0f64).exp();
    assert!((cut.drop_fraction() - expected_drop).abs() < 1e-15);
    assert!(cut.drop_fraction() > 0.1, "drop fraction {}", cut.drop_fraction());
    // Tail starts at 1 and is continuous across t = max_wait.
    assert!((cut.tail(0.0) - 1.0).abs() < 1e-12);
    assert!((cut.tail(30.0 - 1e-9) - cut.tail(30.0 + 1e-9)).abs() < 1e-8);
    // The mean wait of served requests is below max_wait and below the plain mean.
    assert!(cut.mean_wait() < 30.0 && cut.mean_wait() < plain.mean_wait());
}

#[test]
fn mean_in_system_and_its_inverse() {
    for c in [1u32, 8, 80, 160] {
        for rho in [0.0, 0.2, 0.7, 0.95, 0.999] {
            let (l, dl) = mean_in_system(c, rho);
            // Derivative against a central difference.
            if rho > 0.0 {
                let h = 1e-7;
                let num = (mean_in_system(c, rho + h).0 - mean_in_system(c, rho - h).0) / (2.0 * h);
                assert!((num - dl).abs() <= 1e-5 * dl, "c={c} rho={rho}: {dl} vs {num}");
            }
            let back = solve_load(c, 0.0, l);
            assert!((back - rho).abs() < 1e-9, "c={c} rho={rho}: {back}");
        }
    }
}

/// Near saturation (a mean of 100,000 in system) Newton's step from the
/// light-traffic guess leaves the bracket, and the search goes on by bisection:
/// the root is still found. With one server `L = rho / (1 - rho)`, so the root
/// is `y / (1 + y)`; with more, `L(rho) + k·rho` gives back the load.
#[test]
fn solve_load_finds_the_root_near_saturation_where_newton_leaves_its_bracket() {
    for y in [1e4, 1e5, 1e6] {
        let r = solve_load(1, 0.0, y);
        assert!((r - y / (1.0 + y)).abs() < 1e-12, "y={y}: {r} against {}", y / (1.0 + y));
    }
    for c in [2u32, 8, 80, 160] {
        for k in [0.0, 1.0, 10.0] {
            let y = 1e5;
            let r = solve_load(c, k, y);
            assert!((0.0..1.0).contains(&r), "c={c} k={k}: {r}");
            let back = mean_in_system(c, r).0 + k * r;
            assert!((back - y).abs() <= 1e-9 * y, "c={c} k={k}: L + k·rho = {back}, not {y}");
        }
    }
}

/// `P(max(W, m) + S > t)` by quadrature over the served requests' wait: an atom
/// `(1 − C)/z` at 0 and density `C·θ·e^{−θw}/z` on `(0, d)`.
fn floored_tail_by_quadrature(law: &Response, m: f64, t: f64) -> f64 {
    let (c, mu, th, d) = (law.c_wait, law.mu, law.theta, law.max_wait);
    let z = 1.0 - c * (-th * d).exp();
    let service_tail = |s: f64| if s <= 0.0 { 1.0 } else { (-mu * s).exp() };
    let below = (1.0 - c * (-th * m).exp()) / z;
    let n = 200_000;
    let h = (d - m) / n as f64;
    let integral: f64 = (0..n)
        .map(|i| {
            let w = m + (i as f64 + 0.5) * h;
            c * th * (-th * w).exp() / z * service_tail(t - w) * h
        })
        .sum();
    below * service_tail(t - m) + integral
}

#[test]
fn floored_part_quantile_and_mean_match_quadrature() {
    // 4 servers at rho 0.9, mean service 2 s, max wait 30 s; floors below, at and
    // above the typical wait.
    let law = Response::truncated(4, 1.8, 0.5, 30.0);
    for m in [0.0, 0.5, 3.0, 12.0] {
        let part = Part::new(1.0, law, m);
        let p95 = percentile_of(&[part], 0.95);
        let tail = floored_tail_by_quadrature(&law, m, p95);
        assert!((tail - 0.05).abs() < 1e-5, "m={m}: tail at p95 {p95} is {tail}");
        // Mean: E[max(W, m)] + 1/mu, by the same quadrature.
        let (c, th, d) = (law.c_wait, law.theta, law.max_wait);
        let z = 1.0 - c * (-th * d).exp();
        let n = 200_000;
        let h = (d - m) / n as f64;
        let above: f64 = (0..n)
            .map(|i| m + (i as f64 + 0.5) * h)
            .map(|w| w * c * th * (-th * w).exp() / z * h)
            .sum();
        let mean = m * (1.0 - c * (-th * m).exp()) / z + above + 1.0 / law.mu;
        assert!(
            (part.mean_response() - mean).abs() < 1e-6 * mean,
            "m={m}: mean {} vs {mean}",
            part.mean_response()
        );
        // A higher floor never lowers the quantile.
        assert!(p95 >= law.percentile(0.95) - 1e-9);
    }
    // A mixture's quantile lies between its parts' and equals the quadrature's.
    let parts = [Part::new(0.7, law, 0.0), Part::new(0.3, law, 12.0)];
    let p95 = percentile_of(&parts, 0.95);
    let tail = 0.7 * floored_tail_by_quadrature(&law, 0.0, p95)
        + 0.3 * floored_tail_by_quadrature(&law, 12.0, p95);
    assert!((tail - 0.05).abs() < 1e-5, "mixture tail at p95 {p95} is {tail}");
}

/// The probability that a step's nearest-rank p95 exceeds the SLA, against a
/// direct sum of the binomial terms (small n, where every term is exact enough
/// in f64), and the rank rule against a sorted sample.
#[test]
fn sample_p95_exceeds_with_the_binomial_probability() {
    use autoscale_playground::queueing::{
        binomial_at_least, p95_exceeding_count, p95_exceeds_probability,
    };
    // Nearest rank: the p95 of n values is the ceil(0.95 n)-th smallest, so it
    // exceeds t exactly when n - ceil(0.95 n) + 1 of them do.
    for n in 1..=200u64 {
        let m = p95_exceeding_count(n);
        let k = (0.95 * n as f64).ceil() as u64;
        assert_eq!(m, n - k + 1, "n {n}");
        // A sample with m - 1 values above 1 has its p95 at most 1; with m, above.
        let sample = |above: u64| -> f64 {
            let mut v: Vec<f64> = (0..n).map(|i| if i < above { 2.0 } else { 0.5 }).collect();
            v.sort_by(f64::total_cmp);
            v[(k - 1) as usize]
        };
        assert!(sample(m - 1) <= 1.0 && sample(m) > 1.0, "n {n}");
    }
    assert_eq!(
        (p95_exceeding_count(20), p95_exceeding_count(100), p95_exceeding_count(1)),
        (2, 6, 1)
    );
    let choose =
        |n: u64, j: u64| (1..=j).fold(1.0f64, |acc, i| acc * (n - j + i) as f64 / i as f64);
    for n in [1u64, 2, 5, 20, 57, 100] {
        for q in [1e-6f64, 0.001, 0.018, 0.05, 0.2, 0.5, 0.9] {
            for m in 0..=n + 1 {
                let direct: f64 = (m..=n)
                    .map(|j| choose(n, j) * q.powi(j as i32) * (1.0 - q).powi((n - j) as i32))
                    .sum();
                let got = binomial_at_least(n, q, m);
                // Exact but for tails below 1e-9, which are decided as 0 (or 1).
                assert!(
                    (got - direct).abs() <= 1e-9 + 1e-9 * direct,
                    "n {n} q {q} m {m}: {got} vs {direct}"
                );
            }
        }
    }
    // 20 requests of exponential service (mean 2 s) against an 8 s SLA: q = e^-4,
    // and their p95 exceeds it in 5 % of steps, however large the fleet.
    let p = p95_exceeds_probability(20.0, (-4.0f64).exp());
    // 1 - (1 - q)^20 - 20 q (1 - q)^19 with q = e^-4: 0.0512.
    assert!((p - 0.0512).abs() < 1e-4, "{p}");
    // Large samples: near q = 0.05 the p95 is a coin toss; far from it, decided.
    assert!(p95_exceeds_probability(5000.0, 0.03) < 1e-9);
    assert!(p95_exceeds_probability(5000.0, 0.09) > 1.0 - 1e-12);
    let half = p95_exceeds_probability(5000.0, 0.05);
    assert!(half > 0.4 && half < 0.6, "{half}");
    assert_eq!(p95_exceeds_probability(0.2, 0.5), 0.0, "no request, no violation");
}

/// The load table's root of `L(ρ) + k·ρ = y` is the root of the table's own
/// interpolant `L` (`mean_in_system`, which looks up the cell of each ρ), from
/// any starting guess: the search keeps a cell across Newton's steps and must
/// use the cell that ρ is in, whichever way the iterates move.
#[test]
fn the_load_tables_root_is_its_own_interpolants_from_any_guess() {
    use autoscale_playground::queueing::LoadTable;
    let mut checked = 0;
    for c in [1, 2, 5, 8, 20, 56] {
        let table = LoadTable::build(c, 30.0, 4.0);
        for &rho in &[0.01, 0.2, 0.5, 0.85, 0.899, 0.9, 0.93, 0.97, 0.995, 0.999_9] {
            for &k in &[0.0, 0.5, 3.0] {
                let y = table.mean_in_system(rho).0 + k * rho;
                for &guess in &[f64::NAN, 0.001, 0.3, 0.6, 0.9, 0.95, 0.999, 0.999_999] {
                    let r = table.solve_from(k, y, guess);
                    let residual = table.mean_in_system(r).0 + k * r - y;
                    assert!(
                        residual.abs() <= 1e-9 * y.max(1.0),
                        "c {c}, rho {rho}, k {k}, guess {guess}: root {r}, residual {residual:e}"
                    );
                    assert!(
                        (r - rho).abs() <= 1e-6,
                        "c {c}, rho {rho}, k {k}, guess {guess}: root {r}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 6 * 10 * 3 * 8);
}

/// Past the table's last point (1 − e^{−18}) the load table answers from the
/// closed forms: the p95, the mean wait and the share over the SLA go on rising
/// towards saturation as on the table, without a jump at its end.
#[test]
fn the_load_table_past_its_last_point_goes_on_as_the_closed_forms() {
    use autoscale_playground::queueing::LoadTable;
    for c in [1, 4, 56] {
        let table = LoadTable::build(c, 30.0, 4.0);
        let rhos = [0.99, 0.999_99, 1.0 - 1e-8, 1.0 - 1e-10, 1.0 - 1e-13];
        let mut last = (0.0, 0.0, 0.0);
        for rho in rhos {
            let (_, p95, wait, over) = table.stationary(rho, 0.5);
            assert_eq!(p95, table.p95(rho, 0.5));
            assert_eq!(wait, table.mean_wait(rho, 0.5));
            // Within 1e-4: so near 1, Erlang C's own rounding (1 − C is of the
            // order of 1 − ρ) moves the figures in their fifth digit.
            let rises = |now: f64, before: f64| now >= before * (1.0 - 1e-4);
            assert!(
                rises(p95, last.0) && rises(wait, last.1) && rises(over, last.2),
                "c {c}, rho {rho}: p95 {p95}, wait {wait}, over {over} after {last:?}"
            );
            last = (p95, wait, over);
        }
        // Saturated with a 60-s bound on the wait (30 at μ = 0.5), the wait is
        // near uniform over it: a mean near 30 s, a p95 near 57 s plus service.
        assert!(last.1 > 25.0 && last.1 < 30.0, "c {c}: mean wait {}", last.1);
        assert!(last.0 > 55.0 && last.0 < 62.0, "c {c}: p95 {}", last.0);
    }
}

/// The truncated wait's stable forms near saturation, against references
/// computed apart: the mean wait of a queue that always waits (`C = 1`), as
/// `d·(1 − e^{−z} − z·e^{−z}) / (z·(1 − e^{−z}))` with `z = θd` (its own rounding
/// under 1e-11 here), and a floored part's mean in the limit of a uniform wait.
#[test]
fn near_saturation_the_truncated_wait_means_match_their_references() {
    let d = 30.0;
    // Below `θd` = 1e-3 the series; above it the forms as written (at `θd` 0.01
    // to 0.9 a series would be off by up to a third).
    for z in [0.9, 0.3, 0.01, 1.001e-3, 0.999e-3, 3e-4, 1e-4] {
        let law = Response { c_wait: 1.0, mu: 0.5, theta: z / d, max_wait: d };
        let em1 = -(-z).exp_m1();
        let reference = d * (em1 - z * (-z).exp()) / (z * em1);
        let mean = law.mean_wait();
        assert!(
            ((mean - reference) / reference).abs() < 1e-11,
            "z {z}: {mean} against {reference}"
        );
        // A floored part's mean, E[max(W, m)] + 1/μ, by quadrature over the wait.
        let m = 12.0;
        let (th, n) = (z / d, 200_000);
        let h = (d - m) / n as f64;
        let above: f64 =
            (0..n).map(|i| m + (i as f64 + 0.5) * h).map(|w| w * th * (-th * w).exp() * h).sum();
        let want = (m * -(-th * m).exp_m1() + above) / em1 + 2.0;
        let got = Part::new(1.0, law, m).mean_response();
        assert!(((got - want) / want).abs() < 1e-8, "z {z}: floored mean {got} against {want}");
    }
    // One replica at ρ = 1 − 2e-11 (θd 3e-10): in the limit a served request
    // waits not at all with the chance (1/μ)/(d + 1/μ) = 1/16 (M/M/1's 1 − C is
    // θ/μ), and otherwise uniformly over the 30 s: a mean wait of 15·15/16 s, and
    // with a floor of 12 s a mean response of 12/16 + (15/16)·(12·12 + (30² −
    // 12²)/2)/30 + 2 = 19.0625 s.
    let law = Response::truncated(1, 0.5 - 1e-11, 0.5, d);
    let mean = Part::new(1.0, law, 12.0).mean_response();
    assert!((mean - 19.0625).abs() < 1e-6, "{mean}");
    assert!((law.mean_wait() - 15.0 * 15.0 / 16.0).abs() < 1e-6, "{}", law.mean_wait());
}
