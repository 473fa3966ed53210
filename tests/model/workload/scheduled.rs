//! The scheduled family: its events at their set times (the morning surge's ramp,
//! the lunch dip and return, the evening decline, the weekend lull on days 6 and
//! 7, the hourly batch burst), the noise from the seed and nothing else, the
//! scale of the other presets, and its knobs validated with their ranges.

use super::scenario;
use autoscale_playground::presets;
use autoscale_playground::scenario::{Family, Scenario};
use autoscale_playground::Trace;

const DAY: usize = 1440;

/// The scheduled family at its defaults, one-minute steps, without noise, and
/// without the batch burst unless `batch`.
fn quiet(days: usize, batch: bool) -> Vec<f64> {
    let mut s = scenario(Family::Scheduled);
    s.workload.noise = 0.0;
    if !batch {
        s.workload.scheduled.batch_rps = 0.0;
    }
    s.steps = (days * DAY) as u32;
    Trace::build(&s, None).unwrap().rates
}

/// Step `t` of the day at `hh:mm`.
fn at(hour: usize, minute: usize) -> usize {
    60 * hour + minute
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn the_morning_surge_ramps_from_the_set_minute_for_three_minutes() {
    let d = quiet(1, false);
    // 8 req/s all night, up to the step before 08:00.
    assert!(d[..at(8, 0)].iter().all(|&r| close(r, 8.0)), "{:?}", &d[at(7, 58)..at(8, 0)]);
    // 08:00 to 08:03, a linear ramp to 36: each step's mean, exactly.
    let ramp = &d[at(8, 0)..at(8, 3)];
    for (got, want) in ramp.iter().zip([8.0 + 28.0 / 6.0, 8.0 + 28.0 / 2.0, 8.0 + 28.0 * 5.0 / 6.0])
    {
        assert!(close(*got, want), "{ramp:?}");
    }
    // From 08:03 the day's 36 until the lunch dip.
    assert!(d[at(8, 3)..at(12, 0)].iter().all(|&r| close(r, 36.0)));
}

#[test]
fn the_lunch_dip_falls_holds_an_hour_and_returns() {
    let d = quiet(1, false);
    let low = 36.0 * 0.25;
    assert!(close(d[at(11, 59)], 36.0));
    // Down over two minutes from 12:00, a quarter of the day's rate for an hour,
    // back over two minutes.
    assert!(close(d[at(12, 0)], 36.0 - 27.0 * 0.25) && close(d[at(12, 1)], 36.0 - 27.0 * 0.75));
    assert!(d[at(12, 2)..at(13, 2)].iter().all(|&r| close(r, low)));
    assert!(close(d[at(13, 2)], low + 27.0 * 0.25) && close(d[at(13, 3)], low + 27.0 * 0.75));
    assert!(d[at(13, 4)..at(17, 0)].iter().all(|&r| close(r, 36.0)));
}

#[test]
fn the_evening_declines_to_the_night_rate_by_half_past_six() {
    let d = quiet(1, false);
    let evening = &d[at(17, 0)..at(18, 30)];
    assert!(evening.windows(2).all(|w| w[1] < w[0]), "falls every step");
    assert!(close(evening[45], 8.0 + 28.0 * (1.0 - 45.5 / 90.0)), "{}", evening[45]);
    assert!(d[at(18, 30)..DAY].iter().all(|&r| close(r, 8.0)));
}

#[test]
fn the_weekend_lull_is_days_6_and_7_and_the_week_repeats() {
    let d = quiet(9, false);
    let day = |k: usize| &d[k * DAY..(k + 1) * DAY];
    for k in 1..5 {
        assert_eq!(day(k), day(0), "weekday {}", k + 1);
    }
    for k in [5, 6] {
        for (lull, weekday) in day(k).iter().zip(day(0)) {
            assert!(close(*lull, 0.5 * weekday), "day {}", k + 1);
        }
    }
    assert_eq!(day(7), day(0), "day 8 is a Monday again");
    assert_eq!(day(8), day(0));
}

#[test]
fn the_batch_burst_adds_its_rate_from_half_past_every_hour_for_five_minutes() {
    let (with, without) = (quiet(2, true), quiet(2, false));
    for hour in 0..48 {
        for minute in 0..60 {
            let t = 60 * hour + minute;
            let extra = if (30..35).contains(&minute) { 6.0 } else { 0.0 };
            assert!(close(with[t] - without[t], extra), "{hour}:{minute:02}");
        }
    }
    // A burst over a step's boundary counts for the part of each step it covers.
    let mut s = scenario(Family::Scheduled);
    s.workload.noise = 0.0;
    s.workload.scheduled.batch_at_min = 30.5;
    s.steps = DAY as u32;
    let half = Trace::build(&s, None).unwrap().rates;
    assert!(close(half[at(0, 30)], 8.0 + 3.0) && close(half[at(0, 35)], 8.0 + 3.0));
    assert!(close(half[at(0, 31)], 14.0) && close(half[at(0, 36)], 8.0));
}

#[test]
fn only_the_noise_comes_from_the_seed() {
    let mut s = scenario(Family::Scheduled);
    let a = Trace::build(&s, None).unwrap().rates;
    assert_eq!(a, Trace::build(&s, None).unwrap().rates, "same seed, same trace");
    s.seed += 1;
    let b = Trace::build(&s, None).unwrap().rates;
    assert_ne!(a, b, "another seed, other noise");
    // The noise is 5 %: every step within 30 % of the noise-free day.
    let plain = quiet(3, true);
    for (noisy, clean) in a.iter().zip(&plain) {
        assert!(noisy.is_finite() && (noisy / clean - 1.0).abs() < 0.3, "{noisy} against {clean}");
    }
    // Without noise every seed gives the same day.
    s.workload.noise = 0.0;
    let one = Trace::build(&s, None).unwrap().rates;
    s.seed = 12345;
    assert_eq!(one, Trace::build(&s, None).unwrap().rates);
    assert_eq!(one, plain);
}

#[test]
fn its_peak_needs_12_to_16_replicas_at_70_percent_as_the_other_presets() {
    // A replica serves 8 slots / 2 s = 4 req/s; at 70 % utilisation, 2.8.
    let peak = quiet(1, true).into_iter().fold(0.0, f64::max);
    assert!(close(peak, 42.0), "{peak}");
    let replicas = peak / (0.7 * 8.0 / 2.0);
    assert!((12.0..=16.0).contains(&replicas), "{replicas}");
}

#[test]
fn the_scheduled_preset_is_listed_and_plays_the_family_with_the_tuned_agent() {
    assert!(presets::NAMES.contains(&"scheduled"));
    assert!(presets::NAMES.len() >= 6);
    let p = presets::preset("scheduled").unwrap();
    assert_eq!(p.workload.family, Family::Scheduled);
    assert_eq!(p.workload.scheduled, Scenario::default().workload.scheduled);
    assert_eq!(presets::name_of(&p), Some("scheduled"));
    assert!(presets::describe("scheduled").contains("08:00"));
    p.validate().unwrap();
}

#[test]
fn its_knobs_are_validated_with_the_field_the_value_and_the_range() {
    let e = Scenario::default()
        .with_overrides(&[
            "workload.family=scheduled",
            "workload.scheduled.night_rps=-1",
            "workload.scheduled.surge_at_h=25",
            "workload.scheduled.lunch_dip=1.5",
            "workload.scheduled.weekend=NaN",
            "workload.scheduled.batch_s=4000",
        ])
        .unwrap_err()
        .to_string();
    for line in [
        "workload.scheduled.night_rps = -1: must be a number from 0 to 100000",
        "workload.scheduled.surge_at_h = 25: must be a number from 0 to 24",
        "workload.scheduled.lunch_dip = 1.5: must be a number from 0 to 1",
        "workload.scheduled.weekend = NaN: must be a number from 0 to 10",
        "workload.scheduled.batch_s = 4000: must be a number from 0 to 3600",
    ] {
        assert!(e.contains(line), "{line} not in:\n{e}");
    }
    // An evening before the morning is refused, naming both fields.
    let e = Scenario::default()
        .with_overrides(&["workload.scheduled.evening_at_h=7"])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("workload.scheduled.evening_at_h = 7: must be at least workload.scheduled.surge_at_h (8)"),
        "{e}"
    );
    // A slip of the key names the knob meant.
    let e = Scenario::default().with_overrides(&["workload.scheduled.lunch_dips=0.5"]).unwrap_err();
    assert!(e.to_string().contains("did you mean workload.scheduled.lunch_dip?"), "{e}");
    // At their ends every knob is taken.
    let s = Scenario::default()
        .with_overrides(&[
            "workload.family=scheduled",
            "workload.scheduled.surge_ramp_s=0",
            "workload.scheduled.lunch_dip=0",
            "workload.scheduled.evening_at_h=24",
            "workload.scheduled.evening_s=86400",
            "workload.scheduled.weekend=10",
            "workload.scheduled.batch_at_min=60",
            "workload.scheduled.batch_s=3600",
        ])
        .unwrap();
    let r = Trace::build(&s, None).unwrap().rates;
    assert!(r.iter().all(|v| v.is_finite() && *v >= 0.0));
}
