//! Proactivity: a scale-up before a demand rise by at least the boot delay is
//! early, one after it or within the boot delay is late, one with no rise in the
//! window is unprompted; the step-by-step tracker counts as the whole-run count.

use crate::common::rise::{self, sizer, BOOT, WINDOW};
use autoscale_playground::policy::Sizer;
use autoscale_playground::proactivity::{self, classify, count, Timing, Timings, Tracker};

/// The fleet that carries 10 req/s but not 30, checked so that the traces below
/// mean what they say: it is not short before the rise, and short after it
/// even with one or two more replicas.
fn base(sizer: &Sizer) -> u32 {
    let base = sizer.need(10.0);
    assert_eq!(
        (base, sizer.need(30.0)),
        (3, 8),
        "the default replica: 3 carry 10 req/s, 8 are needed for 30"
    );
    base
}

/// A fleet of `base` that adds one replica at `at` and keeps it.
fn one_scale_up(base: u32, at: usize, len: usize) -> Vec<u32> {
    (0..len).map(|t| if t < at { base } else { base + 1 }).collect()
}

fn timings_of(at: usize) -> Timings {
    let (sizer, demand) = (sizer(), rise::demand());
    let fleet = one_scale_up(base(&sizer), at, demand.len());
    count(&fleet, base(&sizer), &demand, &sizer, BOOT, WINDOW)
}

#[test]
fn a_scale_up_three_steps_before_the_rise_is_early() {
    assert_eq!(timings_of(47), Timings { early: 1, late: 0, unprompted: 0 });
    // Exactly the boot delay ahead is still in time: ready at the rise.
    assert_eq!(timings_of(48), Timings { early: 1, late: 0, unprompted: 0 });
    assert_eq!(timings_of(47).early_share(), Some(1.0));
}

#[test]
fn a_scale_up_one_step_before_the_rise_is_late() {
    // Its replica is still booting when the rise comes.
    assert_eq!(timings_of(49), Timings { early: 0, late: 1, unprompted: 0 });
    assert_eq!(timings_of(49).early_share(), Some(0.0));
}

#[test]
fn a_scale_up_after_the_rise_is_late() {
    // At 50 the rise is the step itself; at 51 the fleet was already short at the
    // step just played (a reaction).
    assert_eq!(timings_of(50), Timings { early: 0, late: 1, unprompted: 0 });
    assert_eq!(timings_of(51), Timings { early: 0, late: 1, unprompted: 0 });
    let (sizer, demand) = (sizer(), rise::demand());
    assert_eq!(classify(51, base(&sizer), &demand, &sizer, BOOT, WINDOW), Timing::Late);
    // Even with no boot delay a reaction is late.
    assert_eq!(classify(51, base(&sizer), &demand, &sizer, 0, WINDOW), Timing::Late);
}

#[test]
fn a_scale_up_with_no_rise_in_the_window_is_unprompted() {
    assert_eq!(timings_of(5), Timings { early: 0, late: 0, unprompted: 1 });
    assert_eq!(timings_of(5).early_share(), None);
    // The window is the scale-up's step and the 29 after it: from step 20 it ends
    // at 49, just before the rise; from 21 it reaches it.
    assert_eq!(timings_of(20), Timings { early: 0, late: 0, unprompted: 1 });
    assert_eq!(timings_of(21), Timings { early: 1, late: 0, unprompted: 0 });
    // After the rise, a fleet already carrying 30 req/s meets no shortfall.
    let (sizer, demand) = (sizer(), rise::demand());
    assert_eq!(classify(100, sizer.need(30.0), &demand, &sizer, BOOT, WINDOW), Timing::Unprompted);
    // A scale-up at or past the end of the trace finds nothing.
    assert_eq!(classify(200, 1, &demand, &sizer, BOOT, WINDOW), Timing::Late);
    assert_eq!(classify(201, 1, &demand, &sizer, BOOT, WINDOW), Timing::Unprompted);
}

#[test]
fn each_step_of_a_scale_up_is_classified_against_its_own_old_fleet() {
    // 3 → 4 at step 47 and 4 → 5 at 48: both ready by step 50, both early;
    // 5 → 6 at 49 is late; falls and holds are not counted.
    let (sizer, demand) = (sizer(), rise::demand());
    let b = base(&sizer);
    let fleet: Vec<u32> = (0..demand.len())
        .map(|t| match t {
            47 => b + 1,
            48 => b + 2,
            49..=99 => b + 3,
            _ => b,
        })
        .collect();
    assert_eq!(
        count(&fleet, b, &demand, &sizer, BOOT, WINDOW),
        Timings { early: 2, late: 1, unprompted: 0 }
    );
    // The initial count is the step before step 0: a fleet that starts above it
    // scaled up at step 0, late when the initial fleet was short at once, and
    // unprompted when it was not (against a trace that starts at 30 req/s instead,
    // which the initial 8 carry).
    assert_eq!(
        count(&fleet, b - 1, &demand, &sizer, BOOT, WINDOW),
        Timings { early: 2, late: 2, unprompted: 0 }
    );
    let high = vec![30.0; 40];
    assert_eq!(
        count(&[9; 40], 8, &high, &sizer, BOOT, WINDOW),
        Timings { early: 0, late: 0, unprompted: 1 }
    );
}

/// A small deterministic generator for the schedule below.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn the_tracker_counts_as_the_whole_run_count() {
    let sizer = sizer();
    let mut rng = Lcg(7);
    let len = 3000;
    // A daily-ish wave with noise and a few surges.
    let demand: Vec<f64> = (0..len)
        .map(|t| {
            let wave = 22.0 + 14.0 * (t as f64 * std::f64::consts::TAU / 720.0).sin();
            let noise = (rng.next() % 1000) as f64 / 1000.0 * 4.0 - 2.0;
            let surge = if (t / 97) % 7 == 3 { 15.0 } else { 0.0 };
            (wave + noise + surge).max(0.0)
        })
        .collect();
    // A fleet that sizes for the demand some steps ahead or behind (a lead that
    // changes every 40 steps, from 4 behind to 6 ahead), give or take a replica.
    let initial = 4u32;
    let mut lead = 0i64;
    let fleet: Vec<u32> = (0..len)
        .map(|t| {
            if t % 40 == 0 {
                lead = (rng.next() % 11) as i64 - 4;
            }
            let seen = (t as i64 + lead).clamp(0, len as i64 - 1) as usize;
            let jitter = [0i64, 0, 0, 1, -1][(rng.next() % 5) as usize];
            (sizer.need(demand[seen]) as i64 + jitter).clamp(1, 20) as u32
        })
        .collect();
    let ups = (0..len).filter(|&t| fleet[t] > if t == 0 { initial } else { fleet[t - 1] }).count();
    for (boot, window) in [(BOOT, WINDOW), (0, 1), (3, 10), (5, proactivity::window_steps(60.0))] {
        let whole = count(&fleet, initial, &demand, &sizer, boot, window);
        let mut tracker = Tracker::new(sizer.clone(), boot, window);
        let mut before = initial;
        for (t, &after) in fleet.iter().enumerate() {
            tracker.observe(t, before, after, &demand);
            before = after;
        }
        assert_eq!(tracker.timings, whole, "boot {boot}, window {window}");
        assert_eq!(whole.total(), ups);
        assert!(
            whole.early > 0 && whole.late > 0 && whole.unprompted > 0,
            "{whole:?}: the schedule should meet every case"
        );
    }
}

#[test]
fn the_default_window_is_half_an_hour() {
    assert_eq!(proactivity::window_steps(60.0), 30);
    assert_eq!(proactivity::window_steps(10.0), 180);
    assert_eq!(proactivity::window_steps(3600.0), 1);
    assert_eq!(proactivity::window_steps(0.0), 1);
    assert_eq!(proactivity::boot_steps(120.0, 60.0), 2);
    assert_eq!(proactivity::boot_steps(90.0, 60.0), 2);
    assert_eq!(proactivity::boot_steps(0.0, 60.0), 0);
}

#[test]
fn the_tracker_judges_with_the_window_it_was_given_and_reports_it() {
    // The forensics name the window an unprompted scale-up looked over
    // ("within 30 min"): the tracker's own, as its classification uses it.
    let (sizer, demand) = (sizer(), rise::demand());
    let b = base(&sizer);
    for (window, from_20) in
        [(WINDOW, Timing::Unprompted), (WINDOW + 1, Timing::Early), (7, Timing::Unprompted)]
    {
        let tracker = Tracker::new(sizer.clone(), BOOT, window);
        assert_eq!(tracker.window(), window);
        assert_eq!(tracker.boot_steps(), BOOT);
        assert_eq!(tracker.timed(20, b, &demand).timing, from_20, "window {window}");
    }
}
