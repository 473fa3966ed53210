//! A replay laid out on a run's steps: every request once a pass, time stretch,
//! rate scale, repeat, resampling of counts, and the window walk that yields
//! each request once.

use super::{close, counts, raw, replay_scenario, requests_at};
use crate::common::azure_dir;
use autoscale_playground::workload::{ReplayData, Requests};
use autoscale_playground::Trace;

fn total(t: &Trace) -> f64 {
    t.rates.iter().map(|r| r * t.dt).sum()
}

fn last_busy_step(t: &Trace) -> usize {
    t.rates.iter().rposition(|r| *r > 0.0).unwrap()
}

#[test]
fn lay_out_of_an_empty_trace_is_an_error() {
    let s = replay_scenario(3, |_| {});
    assert_eq!(
        Trace::build(&s, Some(&ReplayData::Requests(Vec::new()))).unwrap_err().to_string(),
        "the replay holds no requests"
    );
    assert_eq!(
        Trace::build(&s, Some(&counts(Vec::new(), 60.0))).unwrap_err().to_string(),
        "the replay holds no intervals"
    );
    // Counts built in code (not read from a file) with an interval that is no
    // length are refused by name, not laid out.
    for bad in [0.0, -60.0, f64::NAN, f64::INFINITY] {
        assert_eq!(
            Trace::build(&s, Some(&counts(vec![5.0, 6.0], bad))).unwrap_err().to_string(),
            format!("the replay's interval is {bad} s; it must be positive")
        );
    }
}

#[test]
fn replay_of_the_conv_log_carries_every_request_once_per_pass() {
    let dir = azure_dir();
    let data = raw(&dir, "conv");
    let t = Trace::build(&replay_scenario(90, |_| {}), Some(&data)).unwrap();
    assert!((total(&t) - 19_366.0).abs() < 1e-6, "total {}", total(&t));
    let req = t.requests.as_ref().unwrap();
    assert_eq!(req.times.len(), 19_366);
    assert_eq!(req.times[0], 0.0, "the first request opens the trace");
    assert_eq!(req.generated_tokens.as_ref().unwrap().len(), 19_366);
    // 58.4 minutes, plus one mean gap so that a repeat has no seam.
    let span = *req.times.last().unwrap();
    assert!(close(req.period, span * 19_366.0 / 19_365.0, 1e-12));
    assert_eq!(last_busy_step(&t), 58);
    assert!(t.rates[59..].iter().all(|r| *r == 0.0), "no demand after the end without repeat");
}

#[test]
fn a_replay_without_its_data_is_an_error() {
    let e = Trace::build(&replay_scenario(10, |_| {}), None).unwrap_err().to_string();
    assert_eq!(e, "workload.family = replay needs the CSV data of 'azure'");
}

#[test]
fn replay_time_stretch_2_halves_the_rate_and_doubles_the_span() {
    let dir = azure_dir();
    let data = raw(&dir, "conv");
    let one = Trace::build(&replay_scenario(150, |_| {}), Some(&data)).unwrap();
    let two =
        Trace::build(&replay_scenario(150, |s| s.workload.replay.time_stretch = 2.0), Some(&data))
            .unwrap();
    let (r1, r2) = (one.requests.as_ref().unwrap(), two.requests.as_ref().unwrap());
    assert_eq!(r2.period, 2.0 * r1.period);
    assert!(r1.times.iter().zip(&r2.times).all(|(a, b)| *b == 2.0 * a));
    assert_eq!(
        r2.times.len() as f64 / r2.period,
        0.5 * (r1.times.len() as f64 / r1.period),
        "mean rate halves"
    );
    assert!((total(&two) - 19_366.0).abs() < 1e-6, "the same requests");
    assert_eq!(last_busy_step(&one), 58);
    assert_eq!(last_busy_step(&two), 116);
}

#[test]
fn replay_time_stretch_of_counts_spreads_each_interval() {
    let counts = counts(vec![60.0, 0.0, 120.0], 60.0);
    let mut s = replay_scenario(8, |s| s.workload.replay.time_stretch = 2.0);
    let t = Trace::build(&s, Some(&counts)).unwrap();
    assert_eq!(t.rates, vec![0.5, 0.5, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
    // Scaled 3 times, each half of an interval holds three times its half.
    s.workload.replay.rate_scale = 3.0;
    let t = Trace::build(&s, Some(&counts)).unwrap();
    assert_eq!(t.rates, vec![1.5, 1.5, 0.0, 0.0, 3.0, 3.0, 0.0, 0.0]);
    s.workload.replay.rate_scale = 1.0;
    s.workload.replay.time_stretch = 0.5;
    s.steps = 3;
    let t = Trace::build(&s, Some(&counts)).unwrap();
    // 30 s intervals: two in the first step, the third in the first half of the next.
    assert_eq!(t.rates, vec![1.0, 2.0, 0.0]);
}

#[test]
fn replay_rate_scale_2_doubles_every_request_exactly() {
    let dir = azure_dir();
    let data = raw(&dir, "conv");
    let one = Trace::build(&replay_scenario(90, |_| {}), Some(&data)).unwrap();
    let two =
        Trace::build(&replay_scenario(90, |s| s.workload.replay.rate_scale = 2.0), Some(&data))
            .unwrap();
    assert!((total(&two) - 38_732.0).abs() < 1e-6);
    assert!(one.rates.iter().zip(&two.rates).all(|(a, b)| close(*b, 2.0 * a, 1e-12)));
    let req = two.requests.as_ref().unwrap();
    assert_eq!(req.times.len(), 38_732);
    assert_eq!(req.generated_tokens.as_ref().unwrap().len(), 38_732);
}

#[test]
fn replay_rate_scale_half_thins_to_about_half_deterministically() {
    let dir = azure_dir();
    let data = raw(&dir, "conv");
    let half = |seed: u64| {
        let s = replay_scenario(90, |s| {
            s.workload.replay.rate_scale = 0.5;
            s.seed = seed;
        });
        Trace::build(&s, Some(&data)).unwrap()
    };
    let (a, b, c) = (half(1), half(1), half(2));
    assert_eq!(a, b, "the same seed thins the same requests");
    assert_ne!(a.rates, c.rates, "another seed thins others");
    for t in [&a, &c] {
        assert!(close(total(t), 9_683.0, 0.03), "total {}", total(t));
        let req = t.requests.as_ref().unwrap();
        assert_eq!(req.times.len() as f64, total(t).round());
        assert_eq!(req.generated_tokens.as_ref().unwrap().len(), req.times.len());
    }
}

#[test]
fn replay_rate_scale_of_counts_scales_the_rates() {
    let counts = counts(vec![60.0, 30.0], 60.0);
    let s = replay_scenario(2, |s| s.workload.replay.rate_scale = 0.5);
    assert_eq!(Trace::build(&s, Some(&counts)).unwrap().rates, vec![0.5, 0.25]);
}

#[test]
fn replay_repeat_loops_the_pattern() {
    let dir = azure_dir();
    let data = raw(&dir, "conv");
    let s = replay_scenario(240, |s| s.workload.replay.repeat = true);
    let t = Trace::build(&s, Some(&data)).unwrap();
    let req = t.requests.as_ref().unwrap();
    assert!(req.repeat);
    let mut second = Vec::new();
    req.for_each_in(req.period, 2.0 * req.period, |at, i| second.push((at, i)));
    assert_eq!(second.len(), 19_366);
    for (k, (at, i)) in second.iter().enumerate() {
        assert_eq!(*i, k);
        assert!(close(*at, req.times[k] + req.period, 1e-12));
    }
    // Four passes of 58.4 minutes fill the 4 hours: no idle step.
    assert!(t.rates.iter().all(|r| *r > 0.0));
    // Four whole passes, then the opening of a fifth.
    let mut opening = 0;
    req.for_each_in(0.0, 240.0 * 60.0 - 4.0 * req.period, |_, _| opening += 1);
    assert!((total(&t) - (4 * 19_366 + opening) as f64).abs() < 1e-6, "total {}", total(&t));

    let per_minute = counts(data.counts_per(60.0).iter().map(|c| *c as f64).collect(), 60.0);
    let t = Trace::build(&s, Some(&per_minute)).unwrap();
    for i in 0..180 {
        assert!(close(t.rates[i + 60], t.rates[i], 1e-9), "step {i}");
    }
}

#[test]
fn replay_of_counts_without_repeat_is_zero_after_the_end() {
    let counts = counts(vec![60.0, 120.0], 60.0);
    let s = replay_scenario(5, |_| {});
    assert_eq!(Trace::build(&s, Some(&counts)).unwrap().rates, vec![1.0, 2.0, 0.0, 0.0, 0.0]);
    let s = replay_scenario(5, |s| s.workload.replay.repeat = true);
    assert_eq!(Trace::build(&s, Some(&counts)).unwrap().rates, vec![1.0, 2.0, 1.0, 2.0, 1.0]);
}

#[test]
fn replay_of_counts_resamples_to_dt() {
    // 10 s intervals laid on 60 s steps: each step averages six intervals.
    let tens = counts((0..12).map(|i| i as f64).collect(), 10.0);
    let s = replay_scenario(2, |_| {});
    assert_eq!(Trace::build(&s, Some(&tens)).unwrap().rates, vec![15.0 / 60.0, 51.0 / 60.0]);
}

#[test]
fn replay_code_trace_idle_minutes_are_zero_rate_steps() {
    let dir = azure_dir();
    let data = raw(&dir, "code");
    let s = replay_scenario(70, |_| {});
    let t = Trace::build(&s, Some(&data)).unwrap();
    assert!(t.rates.iter().all(|r| r.is_finite() && *r >= 0.0));
    assert!((total(&t) - 8_819.0).abs() < 1e-6);
    let idle = t.rates[..57].iter().filter(|r| **r == 0.0).count();
    assert!(idle >= 8, "{idle} idle steps inside the trace");

    // The per-minute counts laid on minutes: exactly the 13 idle minutes.
    let per_minute = counts(data.counts_per(60.0).iter().map(|c| *c as f64).collect(), 60.0);
    let t = Trace::build(&s, Some(&per_minute)).unwrap();
    assert_eq!(t.rates[..58].iter().filter(|r| **r == 0.0).count(), 13);
    assert!(t.rates.iter().all(|r| r.is_finite() && *r >= 0.0));
}

#[test]
fn for_each_in_yields_each_request_once_across_consecutive_windows() {
    let req = Requests {
        times: vec![0.0, 0.5, 2.0, 2.0, 7.5],
        generated_tokens: None,
        period: 10.0,
        repeat: true,
    };
    let mut seen = Vec::new();
    let mut t = 0.0;
    while t < 30.0 {
        let next = (t + 0.7_f64).min(30.0);
        req.for_each_in(t, next, |at, i| seen.push((at, i)));
        t = next;
    }
    let want: Vec<(f64, usize)> = (0..3)
        .flat_map(|p| req.times.iter().enumerate().map(move |(i, x)| (x + 10.0 * p as f64, i)))
        .collect();
    assert_eq!(seen, want);

    let once = Requests { repeat: false, ..req.clone() };
    let mut n = 0;
    once.for_each_in(0.0, 100.0, |_, _| n += 1);
    assert_eq!(n, 5, "without repeat, one pass only");
    once.for_each_in(10.0, 20.0, |_, _| panic!("nothing after the end"));
    req.for_each_in(5.0, 5.0, |_, _| panic!("an empty window is empty"));
}

#[test]
fn for_each_in_over_the_conv_log_in_odd_windows_sees_every_request_once() {
    let dir = azure_dir();
    let data = raw(&dir, "conv");
    let s = replay_scenario(1, |s| s.workload.replay.repeat = true);
    let t = Trace::build(&s, Some(&data)).unwrap();
    let req = t.requests.unwrap();
    let end = 3.0 * req.period;
    let (mut count, mut expect, mut last) = (0usize, 0usize, f64::NEG_INFINITY);
    let mut t0 = 0.0;
    while t0 < end {
        let t1 = (t0 + 7.3_f64).min(end);
        req.for_each_in(t0, t1, |at, i| {
            assert_eq!(i, expect % req.times.len());
            assert!(at >= t0 && at < t1 && at >= last);
            last = at;
            expect += 1;
            count += 1;
        });
        t0 = t1;
    }
    assert_eq!(count, 3 * 19_366);
}

/// A rate scale that would make more than 90 % of the 20,000,000 requests a pass
/// may hold is refused before any request is laid out, with its figures.
#[test]
fn a_rate_scale_past_the_request_cap_is_refused_before_the_layout() {
    let data = requests_at(0..19_000);
    let s = replay_scenario(10, |s| s.workload.replay.rate_scale = 1000.0);
    let e = Trace::build(&s, Some(&data)).unwrap_err().to_string();
    assert!(
        e.contains("workload.replay.rate_scale = 1000 would make about 19000000 requests per pass; at most 20000000 are accepted"),
        "{e}"
    );
    // Exactly 90 % (18,000,000) is laid out.
    let data = requests_at(0..18_000);
    let trace = Trace::build(&s, Some(&data)).unwrap();
    assert_eq!(trace.requests.unwrap().times.len(), 18_000_000);
}

/// Spread at random, the requests that share an instant move within the time to
/// the next one; a request alone at its instant keeps its time.
#[test]
fn a_request_alone_at_its_instant_keeps_its_time_when_the_others_are_spread() {
    use autoscale_playground::scenario::Spread;
    let data = requests_at([0, 10, 10, 10, 20, 30]);
    for spread in [Spread::Random, Spread::Even] {
        let s = replay_scenario(10, |s| s.workload.replay.spread = spread);
        let times = Trace::build(&s, Some(&data)).unwrap().requests.unwrap().times;
        let kept = [(0, 0.0), (4, 20.0), (5, 30.0)];
        assert!(kept.iter().all(|&(i, t)| close(times[i], t, 1e-12)), "{spread:?}: {times:?}");
        assert!(times[1..4].iter().all(|t| (10.0..20.0).contains(t)), "{spread:?}: {times:?}");
        assert!(times[1..4].windows(2).all(|p| p[0] < p[1]), "{spread:?}: {times:?}");
    }
}
