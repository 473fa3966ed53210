//! Counts files whose first column holds times, not interval numbers: named in a
//! unit by the header (`seconds`, `time_ms`, `minutes`), set by
//! `workload.replay.time_unit`, dates, or whole numbers stepping by more than 1.
//! Each is read in its unit, every guess said with the knob that decides, and an
//! explicit knob always wins.

use super::replay_scenario;
use autoscale_playground::scenario::{ReplayFormat, Scenario, TimeUnit};
use autoscale_playground::workload::replay::Import;
use autoscale_playground::Trace;

fn import(csv: &str, edit: impl FnOnce(&mut Scenario)) -> Import {
    let s = replay_scenario(60, edit);
    Import::read(csv, &s).unwrap_or_else(|e| panic!("{e}"))
}

/// An hour of counts a minute apart, stamped in `unit_per_minute` units a
/// minute: 30, 31, … 89 requests.
fn hour(header: Option<&str>, unit_per_minute: u64) -> String {
    let mut text = header.map(|h| format!("{h}\n")).unwrap_or_default();
    for i in 0..60u64 {
        text.push_str(&format!("{},{}\n", i * unit_per_minute, 30 + i));
    }
    text
}

/// 30 + 31 + … + 89.
const HOUR_REQUESTS: f64 = 3_570.0;

/// Sixty intervals of a minute, the hour's requests, laid out one a step.
fn assert_read_as_the_hour(i: &Import, what: &str) {
    let m = &i.summary;
    assert_eq!(m.intervals, Some(60), "{what}: {:?}", i.lines());
    assert_eq!(m.span_s, 3_600.0, "{what}");
    assert_eq!(m.requests, HOUR_REQUESTS, "{what}");
    assert_eq!(m.peak_per_min, 89.0, "{what}");
    let s = replay_scenario(60, |_| {});
    let t = Trace::build(&s, Some(&i.data)).unwrap();
    for (k, r) in t.rates.iter().enumerate() {
        assert!((r * 60.0 - (30 + k) as f64).abs() < 1e-9, "{what}: step {k}: {r}");
    }
}

fn has(lines: &[String], part: &str) -> bool {
    lines.iter().any(|l| l.contains(part))
}

#[test]
fn a_seconds_count_file_is_read_in_seconds_not_as_3541_intervals() {
    // Before: "read 3,541 intervals (3,570 requests) over 2.5 days", 1.7 % of the
    // real demand.
    let i = import(&hour(Some("seconds,count"), 60), |_| {});
    assert_read_as_the_hour(&i, "seconds");
    let head = &i.lines()[0];
    assert!(
        head.contains("times in seconds (from the header 'seconds'), 60.0 s intervals (the step between rows)"),
        "{head}"
    );
    let g = &i.summary.reading.guesses;
    assert!(
        has(g, "the rows step evenly by 60.0 s: each is read as a 60.0 s interval. Set workload.replay.interval_s to decide"),
        "{g:?}"
    );
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
}

#[test]
fn rows_stepping_by_the_named_unit_are_its_intervals_without_a_word() {
    // Seconds a second apart: each row is a second, as the header says; there
    // is nothing to guess, so nothing is said of the step.
    let i = import(&hour(Some("seconds,count"), 1), |_| {});
    assert_eq!(i.summary.intervals, Some(60));
    assert_eq!(i.summary.span_s, 60.0);
    let g = &i.summary.reading.guesses;
    assert!(!has(g, "the rows step"), "{g:?}");
    // Two seconds apart, the step is said.
    let i = import(&hour(Some("seconds,count"), 2), |_| {});
    let g = &i.summary.reading.guesses;
    assert!(has(g, "the rows step evenly by 2.0 s: each is read as a 2.0 s interval"), "{g:?}");
}

#[test]
fn a_span_of_exactly_the_interval_cap_is_read_one_more_refused() {
    // Tenths of a second over 11.6 days: 10,000,000 intervals, the most accepted.
    let last = (autoscale_playground::workload::replay::MAX_INTERVALS - 1) as f64 / 10.0;
    let text = format!("seconds,count\n0,1\n{last:.1},1\n");
    let i = import(&text, |s| s.workload.replay.interval_s = 0.1);
    assert_eq!(
        i.summary.intervals,
        Some(autoscale_playground::workload::replay::MAX_INTERVALS as usize)
    );
    let text = format!("seconds,count\n0,1\n{:.1},1\n", last + 0.1);
    let s = replay_scenario(60, |s| s.workload.replay.interval_s = 0.1);
    let Err(e) = Import::read(&text, &s) else { panic!("one interval over the cap was read") };
    let e = e.to_string();
    assert!(e.contains("10000001 intervals, more than the 10000000 accepted"), "{e}");
}

#[test]
fn every_unit_a_header_names_is_read() {
    for (header, per_minute) in [
        ("secs,count", 60),
        ("s,requests", 60),
        ("timestamp_s,count", 60),
        ("time (sec),n", 60),
        ("ms,count", 60_000),
        ("time_ms,count", 60_000),
        ("timeUs,count", 60_000_000),
        ("minutes,count", 1),
        ("minute,requests", 1),
        ("time_min,count", 1),
    ] {
        let i = import(&hour(Some(header), per_minute), |_| {});
        assert_read_as_the_hour(&i, header);
        assert!(has(&i.lines(), "from the header"), "{header}: {:?}", i.lines());
    }
    // An hour of counts stamped in hours: one interval of an hour.
    let i = import("hour,count\n0,120\n1,60\n", |_| {});
    assert_eq!(i.summary.intervals, Some(2));
    assert_eq!(i.summary.span_s, 7_200.0);
    assert_eq!(i.summary.peak_per_min, 2.0);
}

#[test]
fn a_timestamp_header_or_none_with_values_stepping_by_60_is_read_as_seconds_and_said() {
    for (text, column) in [
        (hour(Some("timestamp,count"), 60), "the first column, 'timestamp', names no unit"),
        (hour(None, 60), "the first column has no header"),
    ] {
        let i = import(&text, |_| {});
        assert_read_as_the_hour(&i, column);
        let g = &i.summary.reading.guesses;
        assert!(
            has(g, &format!("{column} and its values step evenly by 60: read as seconds, so each row is a 60.0 s interval. Set workload.replay.time_unit to read another unit, or workload.replay.interval_s alone to read interval numbers of that length")),
            "{g:?}"
        );
        assert!(has(&i.lines(), "times in seconds (guessed)"), "{:?}", i.lines());
    }
}

#[test]
fn rows_missing_from_an_even_step_hold_zero_and_that_is_said() {
    let i = import("seconds,count\n0,6\n60,6\n180,12\n", |_| {});
    assert_eq!(i.data.counts_per(60.0), vec![6, 6, 0, 12]);
    assert_eq!(i.summary.span_s, 240.0);
    assert!(
        has(&i.summary.reading.guesses, "the rows step by multiples of 60.0 s: each is read as a 60.0 s interval (the longest dividing every step), the intervals without a row holding zero"),
        "{:?}",
        i.summary.reading.guesses
    );
}

#[test]
fn a_counts_file_of_dates_steps_as_its_rows() {
    // Before: "interval '2023-11-16 18:00:00' is not a whole number".
    let text =
        "time,count\n2023-11-16 18:00:00,60\n2023-11-16 18:00:10,30\n2023-11-16 18:00:30,0\n";
    let i = import(text, |_| {});
    assert_eq!(i.data.counts_per(10.0), vec![60, 30, 0, 0]);
    assert_eq!(i.summary.span_s, 40.0);
    assert_eq!(i.summary.peak_per_min, 360.0);
    assert!(has(&i.lines(), "dates and times, 10.0 s intervals"), "{:?}", i.lines());
}

#[test]
fn interval_numbers_under_a_time_header_are_said_with_the_knobs() {
    let i = import("timestamp,count\n0,5\n1,6\n2,7\n", |_| {});
    assert_eq!(i.summary.span_s, 180.0);
    assert!(
        has(&i.summary.reading.guesses, "the first column, 'timestamp', names no unit and steps by 1: read as interval numbers of 60.0 s each. Set workload.replay.time_unit if they are times, or workload.replay.interval_s for the intervals' length"),
        "{:?}",
        i.summary.reading.guesses
    );
    // A column named for intervals is no guess.
    let i = import("interval,count\n0,5\n1,6\n2,7\n", |_| {});
    assert!(i.summary.reading.guesses.is_empty(), "{:?}", i.summary.reading.guesses);
    assert!(
        has(
            &i.lines(),
            "interval numbers, 60.0 s each (the default of workload.replay.interval_s)"
        ),
        "{:?}",
        i.lines()
    );
}

#[test]
fn an_explicit_time_unit_or_interval_wins_over_the_file() {
    // The unit set: the same values in milliseconds.
    let i =
        import(&hour(Some("seconds,count"), 60), |s| s.workload.replay.time_unit = TimeUnit::Ms);
    assert!((i.summary.span_s - 3.6).abs() < 1e-12, "60 intervals of 60 ms: {}", i.summary.span_s);
    assert!(has(&i.lines(), "times in milliseconds (as set by workload.replay.time_unit)"));
    // The interval set: rows binned into intervals of that length.
    let i = import(&hour(Some("seconds,count"), 60), |s| s.workload.replay.interval_s = 300.0);
    assert_eq!(i.summary.intervals, Some(12));
    assert_eq!(i.summary.span_s, 3_600.0);
    assert_eq!(i.data.counts_per(300.0)[0], 30 + 31 + 32 + 33 + 34);
    assert!(i.summary.reading.guesses.is_empty(), "{:?}", i.summary.reading.guesses);
    assert!(has(&i.lines(), "5.0 min intervals (as set by workload.replay.interval_s)"));
    // The interval alone on whole numbers without a unit: interval numbers of it.
    let i = import(&hour(Some("timestamp,count"), 60), |s| s.workload.replay.interval_s = 10.0);
    assert_eq!(i.summary.intervals, Some(3_541));
    assert!(has(
        &i.lines(),
        "interval numbers, 10.0 s each (as set by workload.replay.interval_s)"
    ));
    // Both: times in the unit, binned.
    let i = import(&hour(Some("timestamp,count"), 60), |s| {
        s.workload.replay.time_unit = TimeUnit::S;
        s.workload.replay.interval_s = 120.0;
    });
    assert_eq!(i.summary.intervals, Some(30));
}

#[test]
fn a_step_too_fine_for_the_interval_cap_is_refused_with_the_knob() {
    let e = Import::read("seconds,count\n0,1\n0.000001,1\n100,1\n", &replay_scenario(60, |_| {}))
        .unwrap_err()
        .to_string();
    assert!(e.contains("100,000,001 intervals") || e.contains("100000001 intervals"), "{e}");
    assert!(e.contains("set workload.replay.interval_s"), "{e}");
    // With the interval set, the same rows are binned.
    let i =
        import("seconds,count\n0,1\n0.000001,1\n100,1\n", |s| s.workload.replay.interval_s = 60.0);
    assert_eq!(i.data.counts_per(60.0), vec![2, 1]);
}

/// Whole numbers stepping by 60 are guessed to be seconds only when every value
/// of the column is whole: one that is not makes them interval numbers, and it
/// is refused by its line rather than read as a time.
#[test]
fn one_fractional_value_among_whole_ones_is_no_guess_of_seconds() {
    let s = replay_scenario(60, |s| s.workload.replay.format = ReplayFormat::Counts);
    let e = Import::read("0,5\n60,6\n120,7\n150.5,8\n", &s).unwrap_err().to_string();
    assert_eq!(e, "line 4: interval '150.5' is not a whole number");
    assert!(Import::read("0,5\n60,6\n120,7\n180,8\n", &s).is_ok());
}
