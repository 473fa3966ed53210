//! Traces as users bring them: units, formats, degenerate files and
//! quantised timestamps, each read as meant or reported; the summary every import
//! prints; the real-trace presets. Each test names the finding it pins down.

use crate::common;
use crate::common::cli::{stderr, stdout, temp_path, BIN};

use autoscale_playground::presets;
use autoscale_playground::scenario::{Family, ReplayFormat, Scenario, Spread, TimeUnit};
use autoscale_playground::workload::replay::{import_for, Import, Ticks};
use autoscale_playground::workload::ReplayData;
use autoscale_playground::{link, Trace};

fn replay(edit: impl FnOnce(&mut Scenario)) -> Scenario {
    let mut s = Scenario::default();
    s.workload.family = Family::Replay;
    s.workload.replay.source = "mine.csv".into();
    edit(&mut s);
    assert_eq!(s.validate(), Ok(()));
    s
}

/// A requests file of one column, `t_s`, holding `seconds`.
fn seconds_file<T: std::fmt::Display>(seconds: impl IntoIterator<Item = T>) -> String {
    std::iter::once("t_s\n".to_string())
        .chain(seconds.into_iter().map(|t| format!("{t}\n")))
        .collect()
}

fn import(csv: &str, s: &Scenario) -> Import {
    Import::read(csv, s).unwrap_or_else(|e| panic!("{e}"))
}

fn rows(data: &ReplayData) -> &[autoscale_playground::workload::RequestRow] {
    match data {
        ReplayData::Requests(r) => r,
        ReplayData::Counts { .. } => panic!("read as counts"),
    }
}

/// Counts of one minute each, as interval numbers read by default.
fn per_minute(counts: &[f64]) -> ReplayData {
    ReplayData::Counts { counts: counts.to_vec(), interval_s: 60.0 }
}

fn has(list: &[String], part: &str) -> bool {
    list.iter().any(|w| w.contains(part))
}

/// 2,000 requests 1,770 ms apart: 58.97 minutes, as whole milliseconds from 0.
fn ms_log(header: Option<&str>) -> String {
    let mut text = header.map(|h| format!("{h}\n")).unwrap_or_default();
    for i in 0..2000u64 {
        text.push_str(&format!("{}\n", i * 1770));
    }
    text
}

const MS_SPAN_S: f64 = 1999.0 * 1.770;

// ---------------------------------------------------------------- units

#[test]
fn a_millisecond_header_reads_milliseconds_not_41_days_of_seconds() {
    let s = replay(|_| {});
    let i = import(&ms_log(Some("timestamp_ms")), &s);
    let r = rows(&i.data);
    assert_eq!(r.len(), 2000);
    assert_eq!(r[1].time_ns, 1_770_000_000);
    assert!((i.summary.span_s - MS_SPAN_S).abs() < 1e-9, "{}", i.summary.span_s);
    assert_eq!(i.summary.reading.unit, Some(TimeUnit::Ms));
    assert!(
        i.summary.reading.guesses.is_empty(),
        "a header hint is no guess: {:?}",
        i.summary.reading.guesses
    );
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    // An hour's run sees every request once, not 26 of them.
    let s = replay(|s| {
        s.steps = 60;
        s.workload.replay.repeat = false;
    });
    let t = Trace::build(&s, Some(&i.data)).unwrap();
    let total: f64 = t.rates.iter().map(|r| r * t.dt).sum();
    assert!((total - 2000.0).abs() < 1e-6, "{total}");
}

#[test]
fn every_header_unit_hint_is_honoured() {
    for (header, unit, ns) in [
        ("t_s", TimeUnit::S, 1_000_000_000),
        ("arrival_time_ms", TimeUnit::Ms, 1_000_000),
        ("timeUs", TimeUnit::Us, 1_000),
        ("time (ns)", TimeUnit::Ns, 1),
        ("time_seconds", TimeUnit::S, 1_000_000_000),
    ] {
        let i = import(&format!("{header}\n5\n7\n"), &replay(|_| {}));
        assert_eq!(i.summary.reading.unit, Some(unit), "{header}");
        assert_eq!(rows(&i.data)[1].time_ns, 7 * ns, "{header}");
        assert!(
            i.summary.reading.unit_from.contains(header),
            "{header}: {}",
            i.summary.reading.unit_from
        );
    }
}

#[test]
fn an_explicit_time_unit_overrides_the_header() {
    let s = replay(|s| s.workload.replay.time_unit = TimeUnit::S);
    let i = import(&ms_log(Some("timestamp_ms")), &s);
    assert_eq!(rows(&i.data)[1].time_ns, 1_770_000_000_000);
    assert!((i.summary.span_s - MS_SPAN_S * 1000.0).abs() < 1e-6);
    assert_eq!(i.summary.reading.unit_from, "as set by workload.replay.time_unit");
    // Read so, the demand is implausibly low for the fleet, and that is said.
    assert!(has(&i.warnings, "under 5 % of what one replica serves"), "{:?}", i.warnings);
}

#[test]
fn whole_numbers_without_a_unit_are_guessed_and_the_guess_is_said() {
    let i = import(&ms_log(Some("timestamp")), &replay(|_| {}));
    assert_eq!(i.summary.reading.unit, Some(TimeUnit::Ms));
    assert!((i.summary.span_s - MS_SPAN_S).abs() < 1e-9);
    let g = &i.summary.reading.guesses;
    assert_eq!(g.len(), 1, "{g:?}");
    assert!(
        g[0].contains("read as milliseconds")
            && g[0].contains("as seconds it would span 41.0 days"),
        "{}",
        g[0]
    );
    assert!(g[0].contains("workload.replay.time_unit"), "names the knob that decides: {}", g[0]);
    assert!(i.lines().iter().any(|l| l.starts_with("guessed: ")));

    // Seconds stay seconds: 200 requests a second apart.
    let secs: String =
        std::iter::once("time\n".to_string()).chain((0..200).map(|i| format!("{i}\n"))).collect();
    let i = import(&secs, &replay(|_| {}));
    assert_eq!(i.summary.reading.unit, Some(TimeUnit::S));
    assert_eq!(i.summary.span_s, 199.0);
    assert!(i.summary.reading.guesses[0].contains("read as seconds"));
}

#[test]
fn decimal_timestamps_keep_every_digit_in_their_unit() {
    let s = replay(|s| s.workload.replay.time_unit = TimeUnit::Ms);
    let i = import("t\n1700000000123.456789\n1700000000124\n", &s);
    assert_eq!(rows(&i.data)[0].time_ns, 1_700_000_000_123_456_789);
    assert_eq!(rows(&i.data)[1].time_ns, 1_700_000_000_124_000_000);
}

#[test]
fn dates_mixed_with_numbers_are_refused_by_line() {
    let e = ReplayData::parse("time\n2023-11-16 18:00:00\n12\n", ReplayFormat::Auto)
        .unwrap_err()
        .to_string();
    assert_eq!(e, "line 3: timestamp '12' is a number, but the rows before hold dates");
}

// ---------------------------------------------------------------- formats

#[test]
fn a_time_bucket_count_file_is_read_as_counts() {
    let text = "time_bucket,count\n0,5\n1,7\n3,9\n";
    let i = import(text, &replay(|_| {}));
    assert_eq!(i.data, per_minute(&[5.0, 7.0, 0.0, 9.0]));
    assert_eq!(i.summary.intervals, Some(4));
    assert_eq!(i.summary.requests, 21.0);
    assert_eq!(i.summary.span_s, 240.0);
    assert_eq!(i.summary.peak_per_min, 9.0);
    // The count column may come first, and be called otherwise.
    let i = import("num_requests,timestamp\n4,0\n6,1\n", &replay(|_| {}));
    assert_eq!(i.data, per_minute(&[4.0, 6.0]));
    // Token counts are not request counts.
    let i = import("timestamp,input_token_count\n1.5,10\n2.5,12\n", &replay(|_| {}));
    assert_eq!(rows(&i.data).len(), 2);
    assert_eq!(rows(&i.data)[0].context_tokens, Some(10));
    assert_eq!(i.summary.reading.token_columns, vec!["input_token_count".to_string()]);
}

#[test]
fn a_headerless_request_log_of_whole_seconds_is_read_as_requests() {
    // Before: taken for counts, then twenty lines of "interval is not increasing".
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!("{},{},{}\n", i / 2, 100 + i, 20 + i));
    }
    let i = import(&text, &replay(|_| {}));
    let r = rows(&i.data);
    assert_eq!(r.len(), 40);
    assert_eq!(r[3].time_ns, 1_000_000_000);
    assert_eq!(r[3].generated_tokens, Some(23));
    assert!(
        has(&i.summary.reading.guesses, "read as one request per row"),
        "{:?}",
        i.summary.reading.guesses
    );
    // Two columns with a repeating first one: requests too.
    let i = import("0,5\n0,6\n1,7\n", &replay(|_| {}));
    assert_eq!(rows(&i.data).len(), 3);
    // Two whole numbers a row, the first increasing: counts, and it says so.
    let i = import("0,5\n1,6\n2,7\n", &replay(|_| {}));
    assert_eq!(i.data, per_minute(&[5.0, 6.0, 7.0]));
    assert!(has(&i.summary.reading.guesses, "read as counts"));
}

#[test]
fn an_explicit_format_overrides_the_guess() {
    let s = replay(|s| s.workload.replay.format = ReplayFormat::Requests);
    let i = import("0,5\n1,6\n2,7\n", &s);
    assert_eq!(rows(&i.data).len(), 3);
    assert!(i.summary.reading.guesses.iter().all(|g| !g.contains("counts")));
    let s = replay(|s| s.workload.replay.format = ReplayFormat::Counts);
    assert_eq!(import("time,n\n0,5\n1,6\n", &s).data, per_minute(&[5.0, 6.0]));
}

// ---------------------------------------------------------------- the summary

#[test]
fn the_summary_of_the_azure_conv_trace_gives_its_figures() {
    let text = common::read_azure("AzureLLMInferenceTrace_conv.csv");
    let i = import(&text, &replay(|_| {}));
    let m = &i.summary;
    assert_eq!(m.requests, 19_366.0);
    assert!((m.span_s / 60.0 - 58.4).abs() < 0.05, "{}", m.span_s);
    assert!((m.mean_per_min.unwrap() - 19_366.0 / m.span_s * 60.0).abs() < 1e-9);
    // The busiest minute is the published per-minute aggregate's largest.
    let published =
        std::fs::read_to_string(common::azure_file("azure_llm_2023_conv_per_minute.csv")).unwrap();
    let peak = published
        .lines()
        .skip(1)
        .map(|l| l.split_once(',').unwrap().1.parse::<f64>().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(m.peak_per_min, peak);
    assert_eq!(m.reading.unit, None, "dates and times need no unit");
    assert_eq!(
        m.reading.token_columns,
        vec!["ContextTokens".to_string(), "GeneratedTokens".to_string()]
    );
    assert_eq!(m.ticks.unwrap().repeated_share, 0.0);
    assert_eq!(m.ticks.unwrap().quantised_ns, None);
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    let head = &i.lines()[0];
    assert!(
        head.starts_with("read 19,366 requests over 58.4 min: mean 332/min, peak 502/min"),
        "{head}"
    );
    assert!(head.ends_with("timestamps as dates and times; 0.0 % on repeated timestamps; token columns: ContextTokens, GeneratedTokens"), "{head}");
}

#[test]
fn the_peak_is_never_below_the_mean() {
    // Before: "mean 120/min, peak 2.0/min": the mean over the trace's 1 s, the
    // peak over the clock minute that holds it.
    let i = import("t_s\n0\n1\n", &replay(|_| {}));
    assert_eq!(i.summary.mean_per_min, Some(120.0));
    assert_eq!(i.summary.peak_per_min, 120.0);
    let head = &i.lines()[0];
    assert!(head.starts_with("read 2 requests over 1.0 s: mean 120/min, peak 120/min"), "{head}");
    // 91 requests a second apart from 0:30 to 2:00: 60.7 a minute over the trace,
    // no clock minute above 60.
    let text = seconds_file(30..=120);
    let m = import(&text, &replay(|_| {})).summary;
    let mean = m.mean_per_min.unwrap();
    assert!((mean - 91.0 / 90.0 * 60.0).abs() < 1e-9, "{mean}");
    assert_eq!(m.peak_per_min, mean);
    // A counts file: the busiest interval, never below the mean either.
    let m = import("interval,count\n0,5\n1,7\n", &replay(|_| {})).summary;
    assert_eq!((m.mean_per_min, m.peak_per_min), (Some(6.0), 7.0));
}

// ---------------------------------------------------------------- degenerate files

#[test]
fn two_rows_on_one_timestamp_are_warned_and_repeat_every_second_not_millisecond() {
    let text = "timestamp\n2023-11-16 18:00:00\n2023-11-16 18:00:00\n";
    let s = replay(|s| s.steps = 10);
    let i = import(text, &s);
    assert_eq!(i.summary.span_s, 0.0);
    assert_eq!(i.summary.mean_per_min, None);
    assert!(has(&i.warnings, "all 2 requests share one timestamp"), "{:?}", i.warnings);
    let t = Trace::build(&s, Some(&i.data)).unwrap();
    assert_eq!(t.requests.as_ref().unwrap().period, 1.0);
    assert!((t.mean() - 2.0).abs() < 1e-9, "2 req/s, not 2,000: {}", t.mean());
}

#[test]
fn a_single_row_is_warned() {
    let i = import("timestamp,GeneratedTokens\n2023-11-16 18:00:00,5\n", &replay(|_| {}));
    assert!(has(&i.warnings, "all 1 requests share one timestamp"), "{:?}", i.warnings);
    assert!(
        has(&i.warnings, "repeated through the run"),
        "looping is on by default, and said: {:?}",
        i.warnings
    );
}

#[test]
fn short_long_and_looped_short_traces_are_warned() {
    // Exactly five minutes is long enough; ten seconds less is not.
    let i = import(&seconds_file([0, 150, 300]), &replay(|_| {}));
    assert!(!has(&i.warnings, "spans only"), "{:?}", i.warnings);
    let i = import(&seconds_file([0, 150, 290]), &replay(|_| {}));
    assert!(has(&i.warnings, "the trace spans only 4.8 min (under 5 minutes)"), "{:?}", i.warnings);
    let minute = seconds_file((0..120).map(|i| i as f64 * 0.5));
    let i = import(&minute, &replay(|_| {}));
    assert!(has(&i.warnings, "the trace spans only 59.5 s (under 5 minutes)"), "{:?}", i.warnings);
    assert!(has(&i.warnings, "looped, it repeats 4,320 times"), "{:?}", i.warnings);
    // A pass of exactly 10 steps (65 requests 1 s apart: 65 s, of 6.5-s steps)
    // is a workload; with longer steps it is under 10 of them, a short pattern.
    let pass = seconds_file(0..65);
    let i = import(&pass, &replay(|s| s.dt_s = 6.5));
    assert!(!has(&i.warnings, "a short pattern"), "{:?}", i.warnings);
    // A run exactly one pass long (5 steps of 64 s; a request every 64 s, the
    // last closing the pass 64 s on: times whole in binary, so the pass is
    // exactly 320 s) does not loop it, so nothing repeats.
    let five = seconds_file([0, 64, 128, 192, 256]);
    let i = import(
        &five,
        &replay(|s| {
            s.steps = 5;
            s.dt_s = 64.0;
        }),
    );
    assert!(!has(&i.warnings, "a short pattern"), "{:?}", i.warnings);
    let i = import(
        &five,
        &replay(|s| {
            s.steps = 6;
            s.dt_s = 64.0;
        }),
    );
    assert!(has(&i.warnings, "looped, it repeats 1.2 times"), "{:?}", i.warnings);
    let i = import(&pass, &replay(|s| s.dt_s = 6.6));
    assert!(
        has(&i.warnings, "lasts 65.0 s, under 10 steps of the run (dt_s = 6.6)"),
        "{:?}",
        i.warnings
    );
    // Exactly two minutes (120 requests 1 s apart) are told in minutes.
    let two = seconds_file(0..120);
    let i = import(&two, &replay(|_| {}));
    assert!(
        has(&i.warnings, "one pass of the trace lasts 2.0 min, under 10 steps"),
        "{:?}",
        i.warnings
    );
    // A counts file's pass stretches with its time: 3 one-minute intervals
    // stretched 2 times last 6 minutes.
    let i = import(
        "interval,count\n0,5\n1,5\n2,5\n",
        &replay(|s| s.workload.replay.time_stretch = 2.0),
    );
    assert!(has(&i.warnings, "one pass of the trace lasts 6.0 min"), "{:?}", i.warnings);
    // Not looped: no loop warning.
    let i = import(&minute, &replay(|s| s.workload.replay.repeat = false));
    assert!(!has(&i.warnings, "looped"), "{:?}", i.warnings);
    // Over a year; exactly 365 days is not over it, a second more is.
    let i = import("t_s\n0\n40000000\n", &replay(|_| {}));
    assert!(has(&i.warnings, "over a year"), "{:?}", i.warnings);
    // (Counts of days: a span of exactly 365 intervals of 86,400 s.)
    let days = |n: usize| -> String {
        std::iter::once("interval,count\n".to_string())
            .chain((0..n).map(|d| format!("{d},1000\n")))
            .collect()
    };
    let daily = replay(|s| s.workload.replay.interval_s = 86_400.0);
    let i = import(&days(365), &daily);
    assert!(!has(&i.warnings, "over a year"), "{:?}", i.warnings);
    let i = import(&days(366), &daily);
    assert!(has(&i.warnings, "the trace spans 366.0 days (over a year)"), "{:?}", i.warnings);
    // A counts file's span comes from its intervals.
    let i = import("minute,requests\n0,5\n1,5\n", &replay(|_| {}));
    assert!(
        has(
            &i.warnings,
            "the trace spans only 2.0 min (under 5 minutes): check workload.replay.interval_s"
        ),
        "{:?}",
        i.warnings
    );
}

#[test]
fn demand_too_high_or_too_low_for_the_fleet_is_warned() {
    // 10 req/s over 20 minutes; the default fleet serves 20 x 8 / 2 s = 80 req/s.
    let log = seconds_file((0..12_000).map(|i| i as f64 * 0.1));
    assert!(import(&log, &replay(|_| {})).warnings.is_empty());
    let i = import(&log, &replay(|s| s.workload.replay.rate_scale = 10.0));
    assert!(
        has(
            &i.warnings,
            "is 100 req/s, more than the largest fleet serves (20 replicas: 80.0 req/s)"
        ),
        "{:?}",
        i.warnings
    );
    // Exactly what the largest fleet serves (8 x 10 req/s = 80) is no overload.
    let i = import(&log, &replay(|s| s.workload.replay.rate_scale = 8.0));
    assert!(!has(&i.warnings, "more than the largest fleet serves"), "{:?}", i.warnings);
    let i = import(&log, &replay(|s| s.workload.replay.rate_scale = 8.01));
    assert!(
        has(&i.warnings, "is 80.1 req/s, more than the largest fleet serves"),
        "{:?}",
        i.warnings
    );
    let i = import(&log, &replay(|s| s.workload.replay.rate_scale = 0.01));
    assert!(
        has(&i.warnings, "under 5 % of what one replica serves (4.0 req/s)"),
        "{:?}",
        i.warnings
    );
    // Played ten times as fast, ten times the demand; ten times as slow, a tenth
    // (1 req/s: neither warning).
    let i = import(&log, &replay(|s| s.workload.replay.time_stretch = 0.1));
    assert!(
        has(&i.warnings, "is 100 req/s, more than the largest fleet serves"),
        "{:?}",
        i.warnings
    );
    let i = import(&log, &replay(|s| s.workload.replay.time_stretch = 10.0));
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
}

// ---------------------------------------------------------------- quantised timestamps

/// 30 ticks 3 s apart, 8 to 12 requests on each.
fn quantised() -> String {
    let mut text = "t_s\n".to_string();
    for tick in 0..30 {
        for _ in 0..(8 + tick % 5) {
            text.push_str(&format!("{}\n", tick * 3));
        }
    }
    text
}

#[test]
fn quantised_ticks_are_detected_reported_and_warned() {
    let i = import(&quantised(), &replay(|_| {}));
    let t = i.summary.ticks.unwrap();
    assert_eq!(t.repeated_share, 1.0);
    assert_eq!(t.quantised_ns, Some(3_000_000_000));
    assert!((t.per_tick - 300.0 / 30.0).abs() < 1e-12);
    assert!(
        has(&i.warnings, "the timestamps fall on 3.0 s ticks, 10.0 requests a tick"),
        "{:?}",
        i.warnings
    );
    assert!(
        i.lines()[0].contains("100.0 % on repeated timestamps (quantised to 3.0 s ticks)"),
        "{}",
        i.lines()[0]
    );
    // Spread, it is reported but not warned.
    let i = import(&quantised(), &replay(|s| s.workload.replay.spread = Spread::Even));
    assert!(!has(&i.warnings, "ticks"), "{:?}", i.warnings);
    // A few shared timestamps are not a quantised trace.
    let rows = ReplayData::parse("t_s\n0\n0.5\n0.5\n1.25\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n", ReplayFormat::Auto).unwrap();
    let ReplayData::Requests(r) = &rows else { panic!() };
    assert_eq!(Ticks::of(r).quantised_ns, None);
}

fn laid_out(csv: &str, edit: impl FnOnce(&mut Scenario)) -> Vec<f64> {
    let s = replay(|s| {
        s.steps = 10;
        edit(s);
    });
    let i = import(csv, &s);
    Trace::build(&s, Some(&i.data)).unwrap().requests.unwrap().times
}

#[test]
fn spread_none_keeps_each_tick_a_batch() {
    let times = laid_out(&quantised(), |_| {});
    assert_eq!(&times[..8], &[0.0; 8]);
    assert_eq!(times[8], 3.0);
}

#[test]
fn spread_even_places_a_ticks_requests_evenly_within_it() {
    let times = laid_out(&quantised(), |s| s.workload.replay.spread = Spread::Even);
    assert_eq!(times.len(), 300);
    for (j, t) in times[..8].iter().enumerate() {
        assert!((t - 3.0 * j as f64 / 8.0).abs() < 1e-12, "{j}: {t}");
    }
    for (j, t) in times[8..17].iter().enumerate() {
        assert!((t - (3.0 + 3.0 * j as f64 / 9.0)).abs() < 1e-12, "{j}: {t}");
    }
    assert!(times.windows(2).all(|w| w[0] < w[1]), "no two at one instant");
}

#[test]
fn spread_even_of_a_stretched_trace_fills_each_stretched_tick() {
    // Stretched twice, the 3-s ticks are 6 s long, and each one's requests fill it.
    let times = laid_out(&quantised(), |s| {
        s.workload.replay.spread = Spread::Even;
        s.workload.replay.time_stretch = 2.0;
    });
    assert_eq!(times.len(), 300);
    for (j, t) in times[..8].iter().enumerate() {
        assert!((t - 6.0 * j as f64 / 8.0).abs() < 1e-12, "{j}: {t}");
    }
    for (j, t) in times[8..17].iter().enumerate() {
        assert!((t - (6.0 + 6.0 * j as f64 / 9.0)).abs() < 1e-12, "{j}: {t}");
    }
    // A tick with no request: the one before it spreads over its own tick (6 s
    // stretched), not up to the next request (12 s on).
    let mut gapped = "t_s\n".to_string();
    for tick in [0, 3, 9, 12, 15, 18, 21, 24, 27, 30, 33] {
        gapped.push_str(&format!("{tick}\n").repeat(4));
    }
    let times = laid_out(&gapped, |s| {
        s.workload.replay.spread = Spread::Even;
        s.workload.replay.time_stretch = 2.0;
    });
    let want = [0.0, 1.5, 3.0, 4.5, 6.0, 7.5, 9.0, 10.5, 18.0, 19.5, 21.0, 22.5];
    for (t, w) in times.iter().zip(want) {
        assert!((t - w).abs() < 1e-12, "{:?}", &times[..12]);
    }
}

#[test]
fn spread_random_is_seeded_sorted_and_within_the_tick() {
    let a = laid_out(&quantised(), |s| s.workload.replay.spread = Spread::Random);
    let b = laid_out(&quantised(), |s| s.workload.replay.spread = Spread::Random);
    let c = laid_out(&quantised(), |s| {
        s.workload.replay.spread = Spread::Random;
        s.seed = 7;
    });
    assert_eq!(a, b, "the same seed, the same offsets");
    assert_ne!(a, c, "another seed, other offsets");
    assert!(a.windows(2).all(|w| w[0] <= w[1]));
    assert!(a[..8].iter().all(|t| (0.0..3.0).contains(t)), "{:?}", &a[..8]);
    assert!(a[8..17].iter().all(|t| (3.0..6.0).contains(t)), "{:?}", &a[8..17]);
}

#[test]
fn a_fractional_rate_scale_adds_a_copy_to_that_share_of_the_requests() {
    // 1.25: every request once, a quarter of them twice (binomial, sd 14 of 1,000).
    let times = laid_out(&seconds_file(0..1000), |s| s.workload.replay.rate_scale = 1.25);
    assert!((1190..=1310).contains(&times.len()), "{} copies of 1,000 requests", times.len());
    let times = laid_out(&seconds_file(0..1000), |s| s.workload.replay.rate_scale = 1.8);
    assert!((1740..=1860).contains(&times.len()), "{} copies of 1,000 requests", times.len());
}

#[test]
fn rate_scaling_spreads_its_copies_up_to_the_next_request() {
    let log = "t_s\n0\n2\n3\n";
    let times = laid_out(log, |s| s.workload.replay.rate_scale = 3.0);
    assert_eq!(times, vec![0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0], "as written by default");
    let times = laid_out(log, |s| {
        s.workload.replay.rate_scale = 3.0;
        s.workload.replay.spread = Spread::Even;
    });
    // The last request's copies spread over the mean gap (1.5 s) that closes a pass.
    let want = [0.0, 2.0 / 3.0, 4.0 / 3.0, 2.0, 2.0 + 1.0 / 3.0, 2.0 + 2.0 / 3.0, 3.0, 3.5, 4.0];
    for (t, w) in times.iter().zip(want) {
        assert!((t - w).abs() < 1e-12, "{times:?}");
    }
    let s = replay(|s| s.workload.replay.rate_scale = 3.0);
    assert!(has(&import(log, &s).warnings, "copies each request at its own timestamp"));
}

// ---------------------------------------------------------------- scenarios and links

#[test]
fn a_scenario_without_the_new_fields_reads_with_their_defaults() {
    let s = Scenario::from_json(
        r#"{"workload": {"family": "replay", "replay": {"source": "x.csv", "rate_scale": 2}}}"#,
    )
    .unwrap();
    assert_eq!(s.workload.replay.time_unit, TimeUnit::Auto);
    assert_eq!(s.workload.replay.spread, Spread::None);
    let e = Scenario::default()
        .with_overrides(&["workload.replay.time_unit=minutes"])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("workload.replay.time_unit = \"minutes\"")
            && e.contains("must be one of auto, s, ms, us, ns"),
        "{e}"
    );
}

#[test]
fn links_carry_the_time_unit_and_the_spread() {
    // A link names only a shipped trace (tests/page/link_refusals.rs).
    let s = replay(|s| {
        s.workload.replay.source = presets::TRACES[0].1.into();
        s.workload.replay.time_unit = TimeUnit::Us;
        s.workload.replay.spread = Spread::Random;
    });
    let (back, _) = link::decode(&link::encode(&s, &Default::default())).unwrap();
    assert_eq!(back, s);
}

#[test]
fn import_for_names_the_file_in_its_errors() {
    let s = replay(|_| {});
    let e = import_for(&s, Some("t\n5\n4\n")).unwrap_err().to_string();
    assert_eq!(e, "replay file 'mine.csv' line 3: timestamp is not increasing");
    assert!(import_for(&Scenario::default(), None).unwrap().is_none());
}

// ---------------------------------------------------------------- presets of the real traces

#[test]
fn real_trace_presets_load_a_fleet_of_one_to_twenty_replicas_with_bursts_the_largest_absorbs() {
    for (name, path, scale, about) in presets::TRACES {
        assert!(presets::NAMES.contains(&name));
        let s = presets::preset(name).unwrap();
        assert_eq!(presets::name_of(&s), Some(name));
        assert_eq!(s.workload.replay.source, path);
        assert_eq!(s.workload.replay.rate_scale, scale);
        assert!(about.contains(&format!("x{scale}")), "{about}");
        let text =
            std::fs::read_to_string(common::traces_dir().join(path.trim_start_matches("traces/")))
                .unwrap();
        let i = import(&text, &s);
        assert!(i.warnings.is_empty(), "{name}: {:?}", i.warnings);
        let t = Trace::build(&s, Some(&i.data)).unwrap();
        // Replicas fully busy at 70 % utilisation (4 req/s each at the defaults).
        let per_replica = 0.7 * s.replica.slots as f64 / s.replica.service_mean_s;
        let (mean, peak) = (t.mean() / per_replica, t.peak() / per_replica);
        // The code trace is on/off: a low mean (1.8 replicas at x2), bursts that
        // set the fleet.
        assert!(mean >= 1.5 && peak <= 20.0, "{name}: mean {mean:.1}, peak {peak:.1} replicas");
        // Its busiest 5 s within what the queue absorbs beside the largest
        // fleet: at most 1.5 times what 20 replicas serve (x2.5 of the code
        // trace is 1.7 times, and breaks the SLA with any fleet).
        let largest =
            s.scaling.max_replicas as f64 * s.replica.slots as f64 / s.replica.service_mean_s;
        let busiest = t.sub_rates.as_ref().unwrap().rates.iter().fold(0.0f64, |m, &r| m.max(r));
        assert!(busiest <= 1.5 * largest, "{name}: busiest 5 s at {busiest:.1} req/s");
    }
    for name in ["diurnal", "flash-crowd", "bursty"] {
        assert_eq!(presets::name_of(&presets::preset(name).unwrap()), Some(name));
    }
    assert_eq!(presets::name_of(&replay(|_| {})), None);
}

#[test]
fn count_in_counts_what_for_each_in_visits_over_any_number_of_passes() {
    // A pass of a few milliseconds looped over minutes: counted, not walked.
    let s = replay(|s| {
        s.workload.replay.time_unit = TimeUnit::Ms;
        s.steps = 30;
    });
    let i = import("t\n0\n1\n1\n2.5\n", &s);
    let req = Trace::build(&s, Some(&i.data)).unwrap().requests.unwrap();
    assert!((req.period - 0.0025 * 4.0 / 3.0).abs() < 1e-15, "{}", req.period);
    for (t0, t1) in [
        (0.0, 0.01),
        (0.0031, 0.5),
        (1.0, 1.0),
        (2.0, 1.0),
        (0.0, req.period),
        (59.99, 60.0),
        (0.001, 0.0011),
    ] {
        let mut k = 0;
        req.for_each_in(t0, t1, |_, _| k += 1);
        assert_eq!(req.count_in(t0, t1), k, "[{t0}, {t1})");
    }
    let once = autoscale_playground::workload::Requests { repeat: false, ..req.clone() };
    assert_eq!(once.count_in(0.0, 100.0), 4);
    assert_eq!(once.count_in(0.0011, 100.0), 1);
    // 1,800 s of passes of 3.33 ms: 4 requests each.
    let t = Trace::build(&s, Some(&i.data)).unwrap();
    let total: f64 = t.rates.iter().map(|r| r * t.dt).sum();
    assert!((total - 4.0 * 1800.0 / req.period).abs() <= 4.0, "{total}");
}

#[test]
fn counts_in_parts_equal_count_in_of_each_part() {
    use autoscale_playground::workload::Requests;
    // Sorted times with ties, in passes shorter and longer than a part, looped
    // or not, over parts of several lengths: the sweep counts what a search per
    // part counts, part by part.
    let mut z = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        z ^= z << 13;
        z ^= z >> 7;
        z ^= z << 17;
        z
    };
    let mut cases = 0;
    for n in [1usize, 2, 7, 100, 5_000] {
        for period in [0.003, 1.0, 17.5, 3_600.0] {
            let mut times: Vec<f64> =
                (0..n).map(|_| (next() % 1_000_000) as f64 / 1_000_000.0 * period).collect();
            times.sort_by(f64::total_cmp);
            if n > 3 {
                times[2] = times[1];
            }
            for repeat in [true, false] {
                let req = Requests { times: times.clone(), generated_tokens: None, period, repeat };
                for h in [0.001, 0.37, 5.0, 60.0] {
                    let parts = 400;
                    let swept = req.counts_in_parts(h, parts);
                    for (j, &k) in swept.iter().enumerate() {
                        let (t0, t1) = (j as f64 * h, (j + 1) as f64 * h);
                        assert_eq!(
                            k,
                            req.count_in(t0, t1),
                            "n {n}, period {period}, repeat {repeat}, h {h}, part {j}"
                        );
                    }
                    cases += 1;
                }
            }
        }
    }
    assert_eq!(cases, 5 * 4 * 2 * 4);
    // A request at the last float before the period: one pass later it lands on
    // 2.0 exactly (1 + 0.99999999999999989 rounds up), so at t = 2.0 the pass
    // before the last is not yet whole, though t / period is 2: both counts
    // compare that pass request by request.
    let late = Requests {
        times: vec![0.0, 1.0 - f64::EPSILON / 2.0],
        generated_tokens: None,
        period: 1.0,
        repeat: true,
    };
    let mut visited = 0;
    late.for_each_in(0.0, 2.0, |_, _| visited += 1);
    assert_eq!((visited, late.count_in(0.0, 2.0)), (3, 3));
    assert_eq!(late.counts_in_parts(1.0, 3), vec![2, 1, 2]);
}

// ---------------------------------------------------------------- the CLI

fn cli(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    std::process::Command::new(BIN).args(args).current_dir(dir).output().expect("the binary runs")
}

#[test]
fn the_cli_prints_what_it_read_and_reads_a_ms_file_right() {
    let dir = temp_path("traces");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ms.csv"), ms_log(Some("timestamp_ms"))).unwrap();
    let o = cli(
        &[
            "simulate",
            "--set",
            "workload.family=replay",
            "--set",
            "workload.replay.source=ms.csv",
            "--set",
            "steps=60",
            "--set",
            "workload.replay.repeat=false",
        ],
        &dir,
    );
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("replay file 'ms.csv':\n  read 2,000 requests over 59.0 min: mean 33.9/min"),
        "{err}"
    );
    assert!(err.contains("timestamps in milliseconds (from the header 'timestamp_ms')"), "{err}");
    let arrivals = out.lines().find(|l| l.starts_with("arrivals")).unwrap();
    assert!(arrivals.contains("2000.0 requests"), "every request of the hour arrives: {arrivals}");
    // The real-trace preset from anywhere: its file is found in the repository.
    let o = cli(&["simulate", "--preset", "azure-code", "--set", "steps=30"], &dir);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("read 8,819 requests over 57.3 min"), "{err}");
    assert!(!err.contains("warning"), "{err}");
    let o = cli(&["presets", "--describe"], &dir);
    let list = stdout(&o);
    assert!(list.contains("azure-conv: Azure LLM conversation trace"), "{list}");
    std::fs::remove_dir_all(&dir).ok();
}
/// A span is told in the unit a reader takes in at once: two hours as hours.
#[test]
fn a_span_of_two_hours_is_told_in_hours() {
    let minutes = |n: usize| -> String {
        std::iter::once("minute,requests\n".to_string())
            .chain((0..n).map(|i| format!("{i},5\n")))
            .collect()
    };
    let i = import(&minutes(120), &replay(|_| {}));
    assert!(
        i.lines()[0].starts_with("read 120 intervals (600 requests) over 2.0 h:"),
        "{:?}",
        i.lines()
    );
    let i = import(&minutes(119), &replay(|_| {}));
    assert!(i.lines()[0].contains(" over 119.0 min:"), "{:?}", i.lines());
}

/// Past the twenty causes a refusal lists, the rows with yet other problems are
/// counted.
#[test]
fn rows_past_the_twenty_causes_listed_are_counted() {
    let rows: String = (0..25).map(|m| format!("2023-11-16T18:00:00+15:{m:02}\n")).collect();
    let e = match Import::read(&format!("timestamp\n{rows}"), &replay(|_| {})) {
        Ok(i) => panic!("read {:?}", i.lines()),
        Err(e) => e.to_string(),
    };
    let lines: Vec<&str> = e.lines().collect();
    assert_eq!(lines.len(), 21, "{e}");
    assert!(
        lines[19].starts_with("line 21: timestamp '2023-11-16T18:00:00+15:19' has a UTC offset"),
        "{e}"
    );
    assert_eq!(lines[20], "(and 5 more rows with other problems)");
}

#[test]
fn counts_stretched_to_widths_that_round_play_each_pass_whole_at_its_seam() {
    // 35 intervals of 2.2 s stretched 3 times: 6.6000000000000005 s each, a pass
    // of 231.00000000000003 s. At t = 231 s (1-s steps) the time into the pass
    // rounds to the pass's end, the 35th interval's end: its cumulative count is
    // the whole pass's, and the next step starts the second pass.
    let csv: String = std::iter::once("interval,count\n".to_string())
        .chain((0..35).map(|i| format!("{i},{}\n", 10 + i)))
        .collect();
    let s = replay(|s| {
        s.dt_s = 1.0;
        s.steps = 240;
        s.workload.replay.interval_s = 2.2;
        s.workload.replay.time_stretch = 3.0;
    });
    let i = import(&csv, &s);
    let trace = Trace::build(&s, Some(&i.data)).unwrap();
    let width = 2.2 * 3.0;
    assert!((trace.rates[229] - 44.0 / width).abs() < 1e-9, "{}", trace.rates[229]);
    assert!((trace.rates[230] - 44.0 / width).abs() < 1e-6, "{}", trace.rates[230]);
    assert!((trace.rates[231] - 10.0 / width).abs() < 1e-6, "{}", trace.rates[231]);
    // Every request of the first pass, once.
    let pass: f64 = trace.rates[..231].iter().sum();
    assert!((pass - (10..45).sum::<i32>() as f64).abs() < 1e-6, "{pass}");
}

#[test]
fn a_trace_of_no_requests_is_warned_of_that_alone() {
    // Three minutes of zero counts, looped: demand of zero throughout is the one
    // thing to say (not that it is under 5 % of a replica, nor a short loop).
    let i = import("minute,requests\n0,0\n1,0\n2,0\n", &replay(|_| {}));
    assert_eq!(i.warnings, ["the trace holds no requests: the replay's demand is zero throughout"]);
}
