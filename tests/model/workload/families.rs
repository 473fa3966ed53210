//! The synthetic families: deterministic from the seed, one finite rate a step,
//! the diurnal cosine with its noise and spikes, flash crowds, the bursty MMPP,
//! constant and step.

use super::{close, scenario};
use autoscale_playground::scenario::{Family, Scenario};
use autoscale_playground::Trace;
use std::f64::consts::TAU;

const DAY_STEPS: usize = 1440;

fn rates(s: &Scenario) -> Vec<f64> {
    Trace::build(s, None).unwrap().rates
}

fn argmax(v: &[f64]) -> usize {
    (0..v.len()).fold(0, |b, i| if v[i] > v[b] { i } else { b })
}

fn argmin(v: &[f64]) -> usize {
    (0..v.len()).fold(0, |b, i| if v[i] < v[b] { i } else { b })
}

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
