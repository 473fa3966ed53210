//! Proactivity at the edges the main tests leave open: the first steps of a run
//! (a scale-up whose step just played is step 0), the end of the trace, and the
//! bounds of the window and of the boot delay.

use crate::common::rise::{self, sizer, BOOT, WINDOW};
use autoscale_playground::proactivity::{self, classify, rise, Timing, Timings, Tracker};

#[test]
fn a_scale_up_at_step_one_after_a_short_step_zero_is_late_even_without_a_boot_delay() {
    let sizer = sizer();
    // 3 replicas carry 10 req/s, not 30: the trace is short from step 0 on.
    let short = vec![30.0; 40];
    // At step 1 the step just played (0) was already short: a reaction, late,
    // even though with no boot delay its replica is ready at once.
    assert_eq!(classify(1, 3, &short, &sizer, 0, WINDOW), Timing::Late);
    assert_eq!(classify(1, 3, &short, &sizer, BOOT, WINDOW), Timing::Late);
    // At step 0 nothing was played before it: the rise is the step itself,
    // early with no boot delay, late with one.
    assert_eq!(classify(0, 3, &short, &sizer, 0, WINDOW), Timing::Early);
    assert_eq!(classify(0, 3, &short, &sizer, BOOT, WINDOW), Timing::Late);
    // Step 0 not short, step 1 short: the rise is at the scale-up's own step.
    let from_one: Vec<f64> = (0..40).map(|t| if t == 0 { 10.0 } else { 30.0 }).collect();
    assert_eq!(classify(1, 3, &from_one, &sizer, 0, WINDOW), Timing::Early);
    assert_eq!(classify(1, 3, &from_one, &sizer, 1, WINDOW), Timing::Late);
}

#[test]
fn a_scale_up_just_after_the_trace_ends_looks_at_its_last_step() {
    let (sizer, demand) = (sizer(), rise::demand());
    let len = demand.len();
    // The step just played is the trace's last (short for 3 replicas): late.
    assert_eq!(classify(len, 3, &demand, &sizer, 0, WINDOW), Timing::Late);
    // Beyond it nothing is known: no rise, unprompted.
    assert_eq!(classify(len + 1, 3, &demand, &sizer, 0, WINDOW), Timing::Unprompted);
    assert_eq!(rise(len, 3, &demand, &sizer, WINDOW), None);
    assert_eq!(rise(len - 1, 3, &demand, &sizer, WINDOW), Some(len - 1));
}

#[test]
fn the_rise_is_the_first_short_step_of_the_window_and_no_later() {
    let (sizer, demand) = (sizer(), rise::demand());
    // From step 20 the window's 30 steps end at 49, just before the rise.
    assert_eq!(rise(20, 3, &demand, &sizer, WINDOW), None);
    assert_eq!(rise(21, 3, &demand, &sizer, WINDOW), Some(rise::RISE_AT));
    assert_eq!(rise(45, 3, &demand, &sizer, WINDOW), Some(rise::RISE_AT));
    // A window of one step sees only the scale-up's own step.
    assert_eq!(rise(49, 3, &demand, &sizer, 1), None);
    assert_eq!(rise(50, 3, &demand, &sizer, 1), Some(50));
    // A fleet that carries the new demand finds no rise.
    assert_eq!(rise(45, sizer.need(30.0), &demand, &sizer, WINDOW), None);
    // A window too large to add to the step is cut at the trace's end.
    assert_eq!(rise(45, 3, &demand, &sizer, usize::MAX), Some(rise::RISE_AT));
}

#[test]
fn early_needs_the_boot_delay_whole_and_late_is_one_step_less() {
    let (sizer, demand) = (sizer(), rise::demand());
    for boot in [0, 1, 2, 5] {
        let at = rise::RISE_AT - boot;
        assert_eq!(classify(at, 3, &demand, &sizer, boot, WINDOW), Timing::Early, "boot {boot}");
        assert_eq!(classify(at + 1, 3, &demand, &sizer, boot, WINDOW), Timing::Late, "boot {boot}");
    }
}

#[test]
fn counts_add_up_by_kind_and_share_the_prompted_ones() {
    let mut t = Timings::default();
    for timing in [Timing::Early, Timing::Early, Timing::Late, Timing::Unprompted, Timing::Early] {
        t.add(timing);
    }
    assert_eq!(t, Timings { early: 3, late: 1, unprompted: 1 });
    assert_eq!(t.total(), 5);
    assert_eq!(t.early_share(), Some(0.75));
    assert_eq!(Timings { early: 0, late: 0, unprompted: 4 }.early_share(), None);
    assert_eq!(Timings { early: 0, late: 2, unprompted: 0 }.early_share(), Some(0.0));
}

#[test]
fn the_tracker_counts_only_rises_of_the_fleet() {
    let (sizer, demand) = (sizer(), rise::demand());
    let mut tracker = Tracker::new(sizer, BOOT, WINDOW);
    // A hold and a fall are not scale-ups; 3 → 4 at 47 is early, 4 → 5 at 60 late.
    tracker.observe(10, 3, 3, &demand);
    tracker.observe(11, 3, 2, &demand);
    tracker.observe(47, 3, 4, &demand);
    tracker.observe(60, 4, 5, &demand);
    assert_eq!(tracker.timings, Timings { early: 1, late: 1, unprompted: 0 });
}

#[test]
fn boot_delays_and_windows_round_to_whole_steps() {
    // A boot delay rounds up: a part of a step is a whole one the replica is not ready.
    assert_eq!(proactivity::boot_steps(61.0, 60.0), 2);
    assert_eq!(proactivity::boot_steps(60.0, 60.0), 1);
    assert_eq!(proactivity::boot_steps(1.0, 60.0), 1);
    assert_eq!(proactivity::boot_steps(-5.0, 60.0), 0);
    assert_eq!(proactivity::boot_steps(f64::NAN, 60.0), 0);
    assert_eq!(proactivity::boot_steps(60.0, 0.0), 0);
    // The window rounds to the nearest step, at least one.
    assert_eq!(proactivity::window_steps(7.0), 257);
    assert_eq!(proactivity::window_steps(1801.0), 1);
    assert_eq!(proactivity::window_steps(2000.0), 1);
    assert_eq!(proactivity::window_steps(f64::NAN), 1);
    assert_eq!(proactivity::window_steps(f64::INFINITY), 1);
    assert_eq!(proactivity::window_steps(1200.0), 2);
}
