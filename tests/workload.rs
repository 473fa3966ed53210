//! Workloads: the synthetic families, the CSV importer (against the real Azure LLM
//! traces and against broken files), and the layout of a replay on a run's steps.

mod common;

use autoscale_playground::scenario::{Family, ReplayFormat, Scenario};
use autoscale_playground::workload::{replay, ReplayData, Requests};
use autoscale_playground::Trace;
use std::f64::consts::TAU;

const DAY_STEPS: usize = 1440;

fn scenario(family: Family) -> Scenario {
    let mut s = Scenario::default();
    s.workload.family = family;
    s
}

fn rates(s: &Scenario) -> Vec<f64> {
    Trace::build(s, None).unwrap().rates
}

fn argmax(v: &[f64]) -> usize {
    (0..v.len()).fold(0, |b, i| if v[i] > v[b] { i } else { b })
}

fn argmin(v: &[f64]) -> usize {
    (0..v.len()).fold(0, |b, i| if v[i] < v[b] { i } else { b })
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs())
}

// ---------------------------------------------------------------- families

const RANDOM: [Family; 3] = [Family::Diurnal, Family::FlashCrowd, Family::Bursty];
const FIXED: [Family; 2] = [Family::Constant, Family::Step];

#[test]
fn random_families_are_deterministic_from_the_seed() {
    for f in RANDOM {
        let mut s = scenario(f);
        let a = rates(&s);
        assert_eq!(a, rates(&s), "{f:?}: same seed, same trace");
        s.seed += 1;
        let b = rates(&s);
        assert_ne!(a, b, "{f:?}: another seed, another trace");
        let other = Trace::build_with_seed(&scenario(f), s.seed, None).unwrap();
        assert_eq!(other.rates, b, "{f:?}: build_with_seed is build with that seed");
        assert_eq!(other.seed, s.seed);
    }
}

#[test]
fn constant_and_step_do_not_depend_on_the_seed() {
    for f in FIXED {
        let mut s = scenario(f);
        let a = rates(&s);
        s.seed = 12345;
        assert_eq!(a, rates(&s), "{f:?}");
    }
}

#[test]
fn every_family_has_one_finite_non_negative_rate_per_step() {
    for f in RANDOM.into_iter().chain(FIXED) {
        for steps in [1, 7, 4320] {
            let mut s = scenario(f);
            s.steps = steps;
            let t = Trace::build(&s, None).unwrap();
            assert_eq!(t.len(), steps as usize, "{f:?}");
            assert_eq!(t.dt, 60.0);
            assert!(t.requests.is_none());
            assert!(t.rates.iter().all(|r| r.is_finite() && *r >= 0.0), "{f:?}");
        }
    }
}

#[test]
fn extreme_parameters_stay_finite_and_non_negative() {
    let mut s = scenario(Family::FlashCrowd);
    s.workload.amplitude = 1.0;
    s.workload.noise = 1.0;
    s.workload.spikes_per_day = 50.0;
    s.workload.spike_height = 100.0;
    s.workload.surges_per_day = 50.0;
    s.workload.surge_max = 100.0;
    s.dt_s = 1.0;
    s.steps = 50_000;
    assert_eq!(s.validate(), Ok(()));
    let r = rates(&s);
    assert!(r.iter().all(|r| r.is_finite() && *r >= 0.0));
    assert!(r.contains(&0.0), "noise 1 clips some steps to zero");

    let mut s = scenario(Family::Bursty);
    s.workload.mmpp_rates = vec![0.0, 1e5];
    s.workload.mmpp_dwell_s = vec![1.0, 1.0];
    let r = rates(&s);
    assert!(r.iter().all(|r| r.is_finite() && (0.0..=1e5).contains(r)));
}

#[test]
fn diurnal_without_noise_is_the_daily_cosine() {
    let mut s = scenario(Family::Diurnal);
    s.workload.noise = 0.0;
    s.workload.spikes_per_day = 0.0;
    let w = s.workload.clone();
    let r = rates(&s);
    for (i, v) in r.iter().enumerate() {
        let mid = (i as f64 + 0.5) * 60.0;
        let want =
            w.base_rps * (1.0 + w.amplitude * (TAU * (mid / 86_400.0 - w.peak_hour / 24.0)).cos());
        assert!(close(*v, want, 1e-12), "step {i}: {v} vs {want}");
    }
    // The peak step's midpoint is 30 s from 14:00, the trough 30 s from 02:00.
    for day in 0..3 {
        let d = &r[day * DAY_STEPS..(day + 1) * DAY_STEPS];
        assert!([839, 840].contains(&argmax(d)), "day {day}: peak at step {}", argmax(d));
        assert!([119, 120].contains(&argmin(d)), "day {day}: trough at step {}", argmin(d));
        let swing = (TAU * 30.0 / 86_400.0).cos();
        assert!(close(d[argmax(d)], 24.0 * (1.0 + 0.55 * swing), 1e-12));
        assert!(close(d[argmin(d)], 24.0 * (1.0 - 0.55 * swing), 1e-12));
    }
}

#[test]
fn diurnal_with_noise_peaks_at_peak_hour_and_bottoms_12_hours_away() {
    for peak_hour in [14.0, 3.0, 21.5] {
        let mut s = scenario(Family::Diurnal);
        s.workload.spikes_per_day = 0.0;
        s.workload.peak_hour = peak_hour;
        let r = rates(&s);
        // The phase of the daily Fourier component is the time of the peak.
        let (mut c, mut sn) = (0.0, 0.0);
        for (i, v) in r.iter().enumerate() {
            let angle = TAU * (i as f64 + 0.5) / DAY_STEPS as f64;
            c += v * angle.cos();
            sn += v * angle.sin();
        }
        let fitted = (sn.atan2(c) / TAU * 24.0).rem_euclid(24.0);
        assert!((fitted - peak_hour).abs() < 0.1, "peak at {fitted} h, want {peak_hour} h");
        // Hourly means over the three days: the busiest hour is the peak's, the
        // quietest is 12 h away (within the hour: neighbours differ by 3 %, noise 0.4 %).
        let hourly: Vec<f64> = (0..24)
            .map(|h| {
                r.iter()
                    .enumerate()
                    .filter(|(i, _)| i % DAY_STEPS / 60 == h)
                    .map(|(_, v)| v)
                    .sum::<f64>()
                    / 180.0
            })
            .collect();
        let hour_of = |x: f64| (x.floor() as usize) % 24;
        let near =
            |got: usize, want: usize| [want, (want + 1) % 24, (want + 23) % 24].contains(&got);
        assert!(
            near(argmax(&hourly), hour_of(peak_hour)),
            "busiest hour {}: {hourly:?}",
            argmax(&hourly)
        );
        assert!(
            near(argmin(&hourly), hour_of(peak_hour + 12.0)),
            "quietest hour {}: {hourly:?}",
            argmin(&hourly)
        );
    }
}

#[test]
fn diurnal_spikes_raise_demand_by_their_height() {
    let mut s = scenario(Family::Diurnal);
    s.workload.noise = 0.0;
    let base = {
        let mut q = s.clone();
        q.workload.spikes_per_day = 0.0;
        rates(&q)
    };
    s.workload.spikes_per_day = 20.0;
    let spiky = rates(&s);
    let ratios: Vec<f64> = spiky.iter().zip(&base).map(|(a, b)| a / b).collect();
    assert!(
        ratios.iter().all(|q| (1.0 - 1e-12..=1.5 + 1e-12).contains(q)),
        "a spike multiplies by 1.5 at most"
    );
    let full = ratios.iter().filter(|q| close(**q, 1.5, 1e-12)).count();
    assert!(full >= 100, "about 60 spikes of 10 minutes: {full} steps at the full height");
}

#[test]
fn flash_crowd_is_the_same_seeds_diurnal_with_2_to_4x_surges() {
    let mut s = scenario(Family::FlashCrowd);
    s.workload.surges_per_day = 24.0;
    let flash = rates(&s);
    s.workload.family = Family::Diurnal;
    let calm = rates(&s);
    let ratios: Vec<f64> = flash.iter().zip(&calm).map(|(f, c)| f / c).collect();
    let lo = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = ratios.iter().copied().fold(0.0, f64::max);
    assert!(lo >= 1.0 - 1e-12, "a surge never lowers demand: min ratio {lo}");
    assert!(hi <= 4.0 + 1e-12, "a surge is at most 4x: max ratio {hi}");
    assert!(hi > 1.9, "surges reach at least 2x: max ratio {hi}");
    let surged = ratios.iter().filter(|q| **q > 1.0 + 1e-12).count();
    // About 72 surges of 5-20 minutes.
    assert!((300..=1500).contains(&surged), "{surged} surged steps");
}

#[test]
fn flash_crowd_without_surges_is_diurnal() {
    let mut s = scenario(Family::FlashCrowd);
    s.workload.surges_per_day = 0.0;
    let flash = rates(&s);
    s.workload.family = Family::Diurnal;
    assert_eq!(flash, rates(&s));
}

#[test]
fn bursty_visits_every_state_rate() {
    for (rates_rps, dwell) in [
        (vec![12.0, 40.0], vec![1800.0, 600.0]),
        (vec![5.0, 20.0, 60.0], vec![600.0, 300.0, 240.0]),
    ] {
        let mut s = scenario(Family::Bursty);
        s.workload.mmpp_rates = rates_rps.clone();
        s.workload.mmpp_dwell_s = dwell;
        let r = rates(&s);
        for want in &rates_rps {
            let steps = r.iter().filter(|v| close(**v, *want, 1e-12)).count();
            assert!(steps >= 20, "rate {want}: {steps} whole steps in that state");
        }
        let (lo, hi) = (rates_rps[0], *rates_rps.last().unwrap());
        assert!(
            r.iter().all(|v| (lo - 1e-9..=hi + 1e-9).contains(v)),
            "a step mixes the states' rates"
        );
    }
}

#[test]
fn bursty_long_run_mean_is_the_dwell_weighted_mean_rate() {
    for (rates_rps, dwell) in [
        (vec![12.0, 40.0], vec![1800.0, 600.0]),
        (vec![5.0, 20.0, 60.0], vec![600.0, 300.0, 120.0]),
    ] {
        let want = rates_rps.iter().zip(&dwell).map(|(r, d)| r * d).sum::<f64>()
            / dwell.iter().sum::<f64>();
        let mut s = scenario(Family::Bursty);
        s.workload.mmpp_rates = rates_rps;
        s.workload.mmpp_dwell_s = dwell;
        s.steps = 400_000;
        let t = Trace::build(&s, None).unwrap();
        assert!(close(t.mean(), want, 0.03), "mean {} vs {want}", t.mean());
    }
    // The default: (12·1800 + 40·600) / 2400 = 19 req/s.
    let d = Scenario::default().workload;
    let w = d.mmpp_rates.iter().zip(&d.mmpp_dwell_s).map(|(r, d)| r * d).sum::<f64>()
        / d.mmpp_dwell_s.iter().sum::<f64>();
    assert_eq!(w, 19.0);
}

#[test]
fn constant_is_flat_at_base_rps() {
    let mut s = scenario(Family::Constant);
    s.workload.base_rps = 7.25;
    let t = Trace::build(&s, None).unwrap();
    assert!(t.rates.iter().all(|r| *r == 7.25));
    assert_eq!(t.peak(), 7.25);
    assert_eq!(t.mean(), 7.25);
}

#[test]
fn step_changes_rate_at_step_at_s_and_mixes_the_step_it_falls_in() {
    let mut s = scenario(Family::Step);
    s.steps = 120;
    let r = rates(&s);
    // Default: 24 req/s, then 48 from 3600 s (the start of step 60).
    assert!(r[..60].iter().all(|v| *v == 24.0));
    assert!(r[60..].iter().all(|v| *v == 48.0));

    s.workload.step_at_s = 3630.0;
    let r = rates(&s);
    assert!(r[..60].iter().all(|v| *v == 24.0));
    assert_eq!(r[60], 36.0, "half the step before, half after");
    assert!(r[61..].iter().all(|v| *v == 48.0));

    s.workload.step_at_s = 3645.0;
    assert_eq!(rates(&s)[60], 24.0 * 0.75 + 48.0 * 0.25);

    s.workload.step_at_s = 0.0;
    assert!(rates(&s).iter().all(|v| *v == 48.0));
    s.workload.step_at_s = 1e9;
    assert!(rates(&s).iter().all(|v| *v == 24.0));
}

// ---------------------------------------------------------------- the Azure traces

use common::azure_dir;

fn read(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The second column of an aggregate, read without the importer.
fn aggregate(dir: &std::path::Path, name: &str) -> Vec<u64> {
    read(dir, name)
        .lines()
        .skip(1)
        .enumerate()
        .map(|(i, l)| {
            let (idx, n) = l.split_once(',').unwrap();
            assert_eq!(idx.parse::<usize>().unwrap(), i, "{name} lists every interval");
            n.parse().unwrap()
        })
        .collect()
}

const SERVICES: [(&str, usize, f64); 2] = [("conv", 19_366, 211.0), ("code", 8_819, 28.0)];

fn raw(dir: &std::path::Path, service: &str) -> ReplayData {
    ReplayData::parse(
        &read(dir, &format!("AzureLLMInferenceTrace_{service}.csv")),
        ReplayFormat::Auto,
    )
    .unwrap()
}

#[test]
fn azure_request_logs_import_with_their_request_counts_and_token_means() {
    let dir = azure_dir();
    for (service, requests, tokens) in SERVICES {
        let data = raw(&dir, service);
        let ReplayData::Requests(rows) = &data else { panic!("{service}: not read as requests") };
        assert_eq!(rows.len(), requests, "{service}");
        assert!(rows.iter().all(|r| r.context_tokens.is_some() && r.generated_tokens.is_some()));
        assert!(rows.windows(2).all(|w| w[0].time_ns < w[1].time_ns), "{service}: sorted");
        assert_eq!(data.mean_generated_tokens().unwrap().round(), tokens, "{service}");
    }
}

#[test]
fn azure_first_request_keeps_every_timestamp_digit() {
    let dir = azure_dir();
    let ReplayData::Requests(rows) = raw(&dir, "conv") else { panic!() };
    // 2023-11-16 18:15:46.6805900, 374 context tokens, 44 generated.
    let day = 19_677i64; // days from 1970-01-01 to 2023-11-16
    assert_eq!(
        rows[0].time_ns,
        (day * 86_400 + 18 * 3600 + 15 * 60 + 46) * 1_000_000_000 + 680_590_000
    );
    assert_eq!(rows[0].context_tokens, Some(374));
    assert_eq!(rows[0].generated_tokens, Some(44));
}

#[test]
fn azure_counts_per_minute_and_per_10s_equal_the_published_aggregates() {
    let dir = azure_dir();
    for (service, requests, _) in SERVICES {
        let data = raw(&dir, service);
        for (interval, file) in [(60.0, "per_minute"), (10.0, "per_10s")] {
            let want = aggregate(&dir, &format!("azure_llm_2023_{service}_{file}.csv"));
            assert_eq!(data.counts_per(interval), want, "{service} {file}");
            assert_eq!(want.iter().sum::<u64>(), requests as u64);
        }
    }
}

#[test]
fn azure_aggregates_import_as_counts_with_the_same_numbers() {
    let dir = azure_dir();
    for (service, _, _) in SERVICES {
        for file in ["per_minute", "per_10s"] {
            let name = format!("azure_llm_2023_{service}_{file}.csv");
            let want = aggregate(&dir, &name);
            let text = read(&dir, &name);
            let counts = ReplayData::parse(&text, ReplayFormat::Counts).unwrap();
            assert_eq!(counts.counts_per(60.0), want, "{name}");
            assert_eq!(
                ReplayData::parse(&text, ReplayFormat::Auto).unwrap(),
                counts,
                "{name}: auto reads counts"
            );
            let ReplayData::Counts(c) = counts else { panic!() };
            assert_eq!(c.len(), want.len());
        }
    }
}

#[test]
fn counts_per_counts_from_the_start_of_the_first_minute() {
    let data = ReplayData::parse("t\n125\n130\n185\n", ReplayFormat::Requests).unwrap();
    assert_eq!(data.counts_per(60.0), vec![2, 1]);
    assert_eq!(data.counts_per(10.0), vec![1, 1, 0, 0, 0, 0, 1]);
    assert_eq!(data.counts_per(7.0), vec![1, 1, 0, 0, 0, 0, 0, 0, 0, 1], "bins of 7 s from 120 s");
    assert_eq!(data.counts_per(3600.0), vec![3]);
    assert_eq!(ReplayData::Requests(Vec::new()).counts_per(60.0), Vec::<u64>::new());
}

#[test]
fn lay_out_of_an_empty_trace_is_an_error() {
    let s = replay_scenario(3, |_| {});
    assert_eq!(
        Trace::build(&s, Some(&ReplayData::Requests(Vec::new()))).unwrap_err().to_string(),
        "the replay holds no requests"
    );
    assert_eq!(
        Trace::build(&s, Some(&ReplayData::Counts(Vec::new()))).unwrap_err().to_string(),
        "the replay holds no intervals"
    );
}

#[test]
fn azure_code_trace_has_13_idle_minutes() {
    let dir = azure_dir();
    let per_minute = raw(&dir, "code").counts_per(60.0);
    assert_eq!(per_minute.len(), 58);
    assert_eq!(per_minute.iter().filter(|c| **c == 0).count(), 13);
}

// ---------------------------------------------------------------- replay layout

fn replay_scenario(steps: u32, edit: impl FnOnce(&mut Scenario)) -> Scenario {
    let mut s = scenario(Family::Replay);
    s.workload.replay.source = "azure".into();
    s.workload.replay.repeat = false;
    s.steps = steps;
    edit(&mut s);
    assert_eq!(s.validate(), Ok(()));
    s
}

fn total(t: &Trace) -> f64 {
    t.rates.iter().map(|r| r * t.dt).sum()
}

fn last_busy_step(t: &Trace) -> usize {
    t.rates.iter().rposition(|r| *r > 0.0).unwrap()
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
    let counts = ReplayData::Counts(vec![60.0, 0.0, 120.0]);
    let mut s = replay_scenario(8, |s| s.workload.replay.time_stretch = 2.0);
    let t = Trace::build(&s, Some(&counts)).unwrap();
    assert_eq!(t.rates, vec![0.5, 0.5, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
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
    let counts = ReplayData::Counts(vec![60.0, 30.0]);
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

    let per_minute = ReplayData::Counts(data.counts_per(60.0).iter().map(|c| *c as f64).collect());
    let t = Trace::build(&s, Some(&per_minute)).unwrap();
    for i in 0..180 {
        assert!(close(t.rates[i + 60], t.rates[i], 1e-9), "step {i}");
    }
}

#[test]
fn replay_of_counts_without_repeat_is_zero_after_the_end() {
    let counts = ReplayData::Counts(vec![60.0, 120.0]);
    let s = replay_scenario(5, |_| {});
    assert_eq!(Trace::build(&s, Some(&counts)).unwrap().rates, vec![1.0, 2.0, 0.0, 0.0, 0.0]);
    let s = replay_scenario(5, |s| s.workload.replay.repeat = true);
    assert_eq!(Trace::build(&s, Some(&counts)).unwrap().rates, vec![1.0, 2.0, 1.0, 2.0, 1.0]);
}

#[test]
fn replay_of_counts_resamples_to_dt() {
    // 10 s intervals laid on 60 s steps: each step averages six intervals.
    let counts = ReplayData::Counts((0..12).map(|i| i as f64).collect());
    let s = replay_scenario(2, |s| s.workload.replay.interval_s = 10.0);
    assert_eq!(Trace::build(&s, Some(&counts)).unwrap().rates, vec![15.0 / 60.0, 51.0 / 60.0]);
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
    let per_minute = ReplayData::Counts(data.counts_per(60.0).iter().map(|c| *c as f64).collect());
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

// ---------------------------------------------------------------- import errors

fn parse_err(text: &str, format: ReplayFormat) -> String {
    match ReplayData::parse(text, format) {
        Ok(d) => panic!("expected an error, got {d:?}"),
        Err(e) => e.to_string(),
    }
}

const HEAD: &str = "TIMESTAMP,ContextTokens,GeneratedTokens\n";

#[test]
fn import_reads_requests_with_header_by_column_name() {
    let text = "time,output_tokens,prompt_tokens\n1.5,7,100\n2,8,200\n";
    let ReplayData::Requests(rows) = ReplayData::parse(text, ReplayFormat::Auto).unwrap() else {
        panic!()
    };
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].time_ns, 1_500_000_000);
    assert_eq!(rows[0].generated_tokens, Some(7));
    assert_eq!(rows[0].context_tokens, Some(100));
    assert_eq!(rows[1].time_ns, 2_000_000_000);
}

#[test]
fn import_reads_requests_without_tokens() {
    let text = "2023-11-16T18:00:00Z\n2023-11-16T18:00:01.5Z\n";
    let data = ReplayData::parse(text, ReplayFormat::Auto).unwrap();
    let ReplayData::Requests(rows) = &data else { panic!() };
    assert_eq!(rows[1].time_ns - rows[0].time_ns, 1_500_000_000);
    assert_eq!(rows[0].generated_tokens, None);
    assert_eq!(data.mean_generated_tokens(), None);
}

#[test]
fn import_error_decreasing_timestamp_names_the_line() {
    let text = format!("{HEAD}2023-11-16 18:00:02,1,1\n2023-11-16 18:00:01,1,1\n");
    assert_eq!(parse_err(&text, ReplayFormat::Auto), "line 3: timestamp is not increasing");
}

#[test]
fn import_error_bad_timestamp_names_the_line_and_value() {
    let text = format!("{HEAD}2023-11-16 18:00:02,1,1\nyesterday,1,1\n");
    assert_eq!(
        parse_err(&text, ReplayFormat::Auto),
        "line 3: timestamp 'yesterday' is neither a number nor YYYY-MM-DD HH:MM:SS[.fff]"
    );
    let text = format!("{HEAD}2023-13-01 00:00:00,1,1\n");
    assert_eq!(
        parse_err(&text, ReplayFormat::Auto),
        "line 2: timestamp '2023-13-01 00:00:00' has an impossible date"
    );
    let text = format!("{HEAD}2023-11-16 25:00:00,1,1\n");
    assert_eq!(
        parse_err(&text, ReplayFormat::Auto),
        "line 2: timestamp '2023-11-16 25:00:00' has an impossible time of day"
    );
    let text = format!("{HEAD}NaN,1,1\n");
    assert_eq!(parse_err(&text, ReplayFormat::Auto), "line 2: timestamp 'NaN' is out of range");
}

#[test]
fn import_error_day_beyond_the_month() {
    for bad in ["2023-02-29 00:00:00", "2023-04-31 00:00:00", "2100-02-29 00:00:00"] {
        let text = format!("{HEAD}{bad},1,1\n");
        assert_eq!(
            parse_err(&text, ReplayFormat::Auto),
            format!("line 2: timestamp '{bad}' has an impossible date")
        );
    }
    for good in ["2024-02-29 00:00:00", "2000-02-29 00:00:00", "2023-12-31 23:59:59"] {
        assert!(
            ReplayData::parse(&format!("{HEAD}{good},1,1\n"), ReplayFormat::Auto).is_ok(),
            "{good}"
        );
    }
}

#[test]
fn import_accepts_requests_at_the_same_instant() {
    let text = format!("{HEAD}2023-11-16 18:00:01,1,1\n2023-11-16 18:00:01,2,2\n");
    let ReplayData::Requests(rows) = ReplayData::parse(&text, ReplayFormat::Auto).unwrap() else {
        panic!()
    };
    assert_eq!(rows[0].time_ns, rows[1].time_ns);
}

#[test]
fn import_error_bad_token_count_names_the_line_and_value() {
    let text = format!("{HEAD}2023-11-16 18:00:02,12,many\n");
    assert_eq!(
        parse_err(&text, ReplayFormat::Auto),
        "line 2: generated tokens 'many' is not a whole number from 0 to 10000000"
    );
    let text = format!("{HEAD}2023-11-16 18:00:02,-4,1\n");
    assert_eq!(
        parse_err(&text, ReplayFormat::Auto),
        "line 2: context tokens '-4' is not a whole number from 0 to 10000000"
    );
}

#[test]
fn import_error_an_empty_file_says_so() {
    assert_eq!(parse_err("", ReplayFormat::Auto), "the file is empty");
    assert_eq!(parse_err("\n \r\n\n", ReplayFormat::Auto), "the file is empty");
    assert_eq!(parse_err("\u{feff}", ReplayFormat::Counts), "the file is empty");
}

#[test]
fn import_error_a_header_without_rows_says_so() {
    assert_eq!(parse_err(HEAD, ReplayFormat::Auto), "line 1: no request rows after the header");
    assert_eq!(
        parse_err("minute,requests\n\n", ReplayFormat::Auto),
        "line 1: no count rows after the header"
    );
}

#[test]
fn import_error_counts_interval_not_increasing() {
    let text = "minute,requests\n0,5\n2,6\n2,7\n";
    assert_eq!(parse_err(text, ReplayFormat::Counts), "line 4: interval is not increasing");
    let text = "minute,requests\n3,5\n1,6\n";
    assert_eq!(parse_err(text, ReplayFormat::Counts), "line 3: interval is not increasing");
    let text = "minute,requests\n-1,5\n";
    assert_eq!(
        parse_err(text, ReplayFormat::Counts),
        "line 2: interval '-1' is not a whole number"
    );
}

#[test]
fn import_error_counts_negative_or_not_a_number() {
    let text = "minute,requests\n0,5\n1,-3\n";
    assert_eq!(
        parse_err(text, ReplayFormat::Counts),
        "line 3: count '-3' must be from 0 to 1000000000"
    );
    let text = "minute,requests\n0,lots\n";
    assert_eq!(parse_err(text, ReplayFormat::Counts), "line 2: count 'lots' is not a number");
    let text = "minute,requests\n0,NaN\n";
    assert_eq!(
        parse_err(text, ReplayFormat::Counts),
        "line 2: count 'NaN' must be from 0 to 1000000000"
    );
}

#[test]
fn import_error_counts_too_few_columns() {
    let text = "minute,requests\n0,5\n1\n";
    assert_eq!(
        parse_err(text, ReplayFormat::Counts),
        "line 3: expected two columns: interval, requests"
    );
}

#[test]
fn import_counts_gaps_hold_zero() {
    let data = ReplayData::parse("interval,requests\n1,5\n4,2.5\n", ReplayFormat::Auto).unwrap();
    assert_eq!(data, ReplayData::Counts(vec![0.0, 5.0, 0.0, 0.0, 2.5]));
    assert_eq!(data.counts_per(60.0), vec![0, 5, 0, 0, 3]);
}

#[test]
fn import_accepts_crlf_bom_and_blank_lines() {
    let unix = format!("{HEAD}2023-11-16 18:00:01,10,20\n2023-11-16 18:00:02.25,11,21\n");
    let messy = format!(
        "\u{feff}\r\n{}\r\n\r\n2023-11-16 18:00:01,10,20\r\n   \r\n2023-11-16 18:00:02.25,11,21\r\n\r\n",
        HEAD.trim_end()
    );
    let a = ReplayData::parse(&unix, ReplayFormat::Auto).unwrap();
    assert_eq!(ReplayData::parse(&messy, ReplayFormat::Auto).unwrap(), a);
    let ReplayData::Requests(rows) = a else { panic!() };
    assert_eq!(rows.len(), 2);

    let counts =
        ReplayData::parse("\u{feff}minute,requests\r\n0,5\r\n\r\n1,6\r\n", ReplayFormat::Auto)
            .unwrap();
    assert_eq!(counts, ReplayData::Counts(vec![5.0, 6.0]));
}

#[test]
fn import_error_names_the_size_cap() {
    let text = "0".repeat(replay::MAX_BYTES + 1);
    assert_eq!(
        parse_err(&text, ReplayFormat::Auto),
        format!(
            "the file has {} bytes; at most {} are accepted",
            replay::MAX_BYTES + 1,
            replay::MAX_BYTES
        )
    );
}

#[test]
fn import_error_names_the_row_cap() {
    let mut text = String::with_capacity(12 * replay::MAX_ROWS);
    text.push_str("interval,requests\n");
    for i in 0..=replay::MAX_ROWS {
        text.push_str(&i.to_string());
        text.push_str(",1\n");
    }
    assert!(text.len() <= replay::MAX_BYTES);
    let over = replay::MAX_ROWS + 2; // the header is line 1
    assert_eq!(
        parse_err(&text, ReplayFormat::Counts),
        format!("line {over}: more than {0} rows; at most {0} are accepted", replay::MAX_ROWS)
    );
}

#[test]
fn import_error_names_the_interval_cap() {
    let text = format!("minute,requests\n0,1\n{},1\n", replay::MAX_INTERVALS + 1);
    assert_eq!(
        parse_err(&text, ReplayFormat::Counts),
        format!(
            "line 3: interval {} is beyond the largest accepted, {}",
            replay::MAX_INTERVALS + 1,
            replay::MAX_INTERVALS
        )
    );
}

#[test]
fn timestamps_beyond_2262_are_refused_not_wrapped() {
    let text = "TIMESTAMP,ContextTokens,GeneratedTokens\n9999-12-31 23:59:59,1,1\n";
    let err = autoscale_playground::workload::ReplayData::parse(text, Default::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("out of range"), "{err}");
    let text = "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 -1:00:00,1,1\n";
    assert!(autoscale_playground::workload::ReplayData::parse(text, Default::default()).is_err());
}

#[test]
fn import_error_names_every_bad_line() {
    let text = format!("{HEAD}2023-11-16 18:00:01,1,1\nsoon,1,1\n2023-11-16 18:00:02,1,1\n2023-11-16 18:00:03,x,1\n");
    assert_eq!(
        parse_err(&text, ReplayFormat::Auto),
        "line 3: timestamp 'soon' is neither a number nor YYYY-MM-DD HH:MM:SS[.fff]\nline 5: context tokens 'x' is not a whole number from 0 to 10000000"
    );
    let text = "minute,requests\n0,5\n0,6\n2,-1\n3\n";
    assert_eq!(
        parse_err(text, ReplayFormat::Auto),
        "line 3: interval is not increasing\nline 4: count '-1' must be from 0 to 1000000000\nline 5: expected two columns: interval, requests"
    );
}

#[test]
fn import_error_list_stops_at_its_cap() {
    use autoscale_playground::workload::replay::MAX_PROBLEMS;
    let text =
        format!("minute,requests\n{}", (0..100).map(|i| format!("{i},many\n")).collect::<String>());
    let e = parse_err(&text, ReplayFormat::Auto);
    let lines: Vec<&str> = e.lines().collect();
    assert_eq!(lines.len(), MAX_PROBLEMS + 1);
    assert_eq!(lines[0], "line 2: count 'many' is not a number");
    assert_eq!(lines[MAX_PROBLEMS - 1], "line 21: count 'many' is not a number");
    assert_eq!(lines[MAX_PROBLEMS], format!("(reading stopped after {MAX_PROBLEMS} problems)"));
}

#[test]
fn import_error_quoting_a_huge_field_is_cut_short() {
    use autoscale_playground::workload::replay::MAX_PROBLEM_BYTES;
    let text = format!("minute,requests\n0,{}\n", "é".repeat(10_000));
    let e = parse_err(&text, ReplayFormat::Auto);
    assert!(e.starts_with("line 2: count 'ééé"), "{e}");
    assert!(e.len() <= MAX_PROBLEM_BYTES + 3 && e.ends_with("..."), "{} bytes", e.len());
}
