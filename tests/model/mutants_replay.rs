//! The trace importer's guesses at their bounds: the unit of plain-number
//! timestamps decided by the rate check or by the 30-day span, and the layout of
//! a headerless file decided by its column count and its first column.

use autoscale_playground::scenario::{Replay, ReplayFormat, TimeUnit};
use autoscale_playground::workload::{replay::Interpretation, ReplayData};

fn read(text: &str) -> (ReplayData, Interpretation) {
    ReplayData::read(text, &Replay::default()).expect("a readable trace")
}

/// One timestamp a line: `n` of them, `gap` apart from 0.
fn stamps(n: usize, gap: u64) -> String {
    (0..n as u64).map(|i| format!("{}\n", i * gap)).collect()
}

fn gaps_ns(data: &ReplayData) -> Vec<i64> {
    let ReplayData::Requests(rows) = data else { panic!("requests expected, got {data:?}") };
    rows.windows(2).map(|w| w[1].time_ns - w[0].time_ns).collect()
}

#[test]
fn a_hundred_stamps_a_thousand_apart_are_milliseconds_by_the_rate_check() {
    // As seconds they would span 27.5 hours at 0.06 requests a minute: too few.
    let (data, how) = read(&stamps(100, 1000));
    assert_eq!((how.unit, how.unit_from.as_str()), (Some(TimeUnit::Ms), "guessed"));
    assert!(gaps_ns(&data).iter().all(|&g| g == 1_000_000_000));
    assert_eq!(
        how.guesses.last().map(String::as_str),
        Some("the timestamps are plain numbers and the time column's header names no unit: read as milliseconds (the trace spans 99.0 s, 60.6 requests a minute), the largest unit giving at most 30 days and at least one request a minute; as seconds it would span 27.5 h. Set workload.replay.time_unit to decide")
    );
}

#[test]
fn exactly_one_request_a_minute_is_enough_for_seconds() {
    // Three stamps three minutes apart: one a minute as seconds, exactly.
    let (data, how) = read("0\n90\n180\n");
    assert_eq!(how.unit, Some(TimeUnit::S));
    assert_eq!(gaps_ns(&data), [90_000_000_000, 90_000_000_000]);
    assert!(
        how.guesses
            .last()
            .expect("the guess")
            .contains("(the trace spans 3.0 min, 1.0 requests a minute)"),
        "{:?}",
        how.guesses
    );
    // A hair fewer: milliseconds.
    let (_, how) = read("0\n90\n181\n");
    assert_eq!(how.unit, Some(TimeUnit::Ms));
    // One stamp, or several on one instant: no span, seconds.
    assert_eq!(read("5\n").1.unit, Some(TimeUnit::S));
    let (_, how) = read("5\n5\n5\n");
    assert_eq!(how.unit, Some(TimeUnit::S));
    assert!(
        how.guesses
            .last()
            .expect("the guess")
            .contains("(the trace spans 0.0 s, any number of requests a minute)"),
        "{:?}",
        how.guesses
    );
}

#[test]
fn a_span_of_exactly_thirty_days_is_read_in_seconds_and_one_minute_more_is_not() {
    // One stamp a minute for 30 days: 43,201 of them, a request a minute.
    let (data, how) = read(&stamps(43_201, 60));
    assert_eq!(how.unit, Some(TimeUnit::S));
    let ReplayData::Requests(rows) = &data else { panic!() };
    assert_eq!(rows.last().map(|r| r.time_ns), Some(30 * 86_400 * 1_000_000_000));
    assert!(
        how.guesses
            .last()
            .expect("the guess")
            .contains("(the trace spans 30.0 days, 1.0 requests a minute)"),
        "{:?}",
        how.guesses
    );
    // A minute more than 30 days: not seconds.
    let (_, how) = read(&stamps(43_202, 60));
    assert_eq!(how.unit, Some(TimeUnit::Ms));
}

#[test]
fn nanoseconds_are_guessed_when_nothing_larger_fits() {
    // 1,001 stamps 0.1 s apart in nanoseconds: as microseconds they would span
    // 28 hours at 0.6 a minute; as nanoseconds, 100 s.
    let (data, how) = read(&stamps(1001, 100_000_000));
    assert_eq!(how.unit, Some(TimeUnit::Ns));
    assert!(gaps_ns(&data).iter().all(|&g| g == 100_000_000));
    // 0.1 ms apart in microseconds: as milliseconds 28 hours at 0.6 a minute.
    let (data, how) = read(&stamps(1001, 100_000));
    assert_eq!(how.unit, Some(TimeUnit::Us));
    assert!(gaps_ns(&data).iter().all(|&g| g == 100_000_000));
    // Two stamps 200 s apart in nanoseconds are too few a minute in every unit:
    // seconds, the fallback, and as seconds they are out of range.
    let e = ReplayData::read("0\n200000000000\n", &Replay::default())
        .expect_err("no unit fits")
        .to_string();
    assert!(e.contains("line 2: timestamp '200000000000' is out of range"), "{e}");
}

#[test]
fn a_headerless_file_of_three_columns_is_requests_even_when_its_first_column_increases() {
    let (data, how) = read("1,100,7\n2,200,8\n3,300,9\n");
    assert_eq!(how.format, ReplayFormat::Requests);
    let ReplayData::Requests(rows) = &data else { panic!("requests expected") };
    assert_eq!(rows.len(), 3);
    assert_eq!((rows[1].context_tokens, rows[1].generated_tokens), (Some(200), Some(8)));
    assert_eq!(how.token_columns, ["column 2 (context tokens)", "column 3 (generated tokens)"]);
    assert_eq!(
        how.guesses.first().map(String::as_str),
        Some("no header, whole numbers, and a row has 3 columns: read as one request per row (timestamp, context tokens, generated tokens). Set workload.replay.format to decide")
    );
    // One column: requests, "a row has 1 column".
    let (_, how) = read("1\n2\n4\n");
    assert_eq!(how.format, ReplayFormat::Requests);
    assert!(how.guesses[0].contains("a row has 1 column:"), "{:?}", how.guesses);
    assert!(how.token_columns.is_empty(), "{:?}", how.token_columns);
}

#[test]
fn a_headerless_file_of_two_columns_is_counts_only_when_its_first_column_increases() {
    let (data, how) = read("0,5\n1,7\n3,2\n");
    assert_eq!(how.format, ReplayFormat::Counts);
    assert_eq!(data, ReplayData::Counts { counts: vec![5.0, 7.0, 0.0, 2.0], interval_s: 60.0 });
    assert_eq!(
        how.guesses,
        [
            "no header, and every row holds two whole numbers of which the first increases: read as counts (the first column the interval, the second its requests). Set workload.replay.format = requests if each row is a request",
            "the first column has no header and steps by 1: read as interval numbers of 60.0 s each. Set workload.replay.time_unit if they are times, or workload.replay.interval_s for the intervals' length",
        ]
    );
    // A format given is taken, not guessed: the same rows as requests.
    let ReplayData::Requests(rows) =
        ReplayData::parse("0,5\n1,7\n3,2\n", ReplayFormat::Requests).unwrap()
    else {
        panic!("requests expected: the format was given")
    };
    assert_eq!(
        rows.iter().map(|r| r.context_tokens).collect::<Vec<_>>(),
        [Some(5), Some(7), Some(2)]
    );
    assert_eq!(ReplayData::parse("0,5\n1,7\n3,2\n", ReplayFormat::Auto).unwrap(), data);
    // A repeated first column: one request per row.
    let (data, how) = read("0,5\n1,7\n1,2\n");
    assert_eq!(how.format, ReplayFormat::Requests);
    assert!(how.guesses[0].contains("the first column repeats or decreases"), "{:?}", how.guesses);
    let ReplayData::Requests(rows) = &data else { panic!() };
    assert_eq!(rows.len(), 3);
    assert_eq!(how.token_columns, ["column 2 (context tokens)"]);
    // Decreasing: the same, and as requests its timestamps go back.
    let e = ReplayData::read("3,5\n1,7\n", &Replay::default())
        .expect_err("a timestamp going back")
        .to_string();
    assert!(e.contains("line 2: timestamp is not increasing"), "{e}");
}

#[test]
fn a_counts_file_in_each_unit_its_header_names_reports_that_unit() {
    for (header, step, unit) in [
        ("seconds,count", 60, TimeUnit::S),
        ("time_ms,count", 60_000, TimeUnit::Ms),
        ("time_us,count", 60_000_000, TimeUnit::Us),
        ("time_ns,count", 60_000_000_000u64, TimeUnit::Ns),
    ] {
        let text: String = std::iter::once(format!("{header}\n"))
            .chain((0..5u64).map(|i| format!("{},{}\n", i * step, 10 + i)))
            .collect();
        let (data, how) = read(&text);
        assert!(
            matches!(data, ReplayData::Counts { interval_s, .. } if interval_s == 60.0),
            "{header}: {data:?}"
        );
        assert_eq!(how.unit, Some(unit), "{header}");
    }
}

#[test]
fn a_counts_file_of_one_timed_row_takes_the_default_interval_and_says_so() {
    // One row has no step between rows: its interval is the default, 60 s.
    let (data, how) = read("seconds,count\n120,30\n");
    assert!(
        matches!(data, ReplayData::Counts { interval_s, ref counts, .. } if interval_s == 60.0 && counts == &[30.0]),
        "{data:?}"
    );
    assert!(
        how.time_words
            .ends_with("60.0 s intervals (one row: the default of workload.replay.interval_s)"),
        "{}",
        how.time_words
    );
}

#[test]
fn a_first_column_named_only_by_its_unit_is_a_time_column() {
    // "elapsed_ms" says neither "time" nor t/ts/date: its unit makes it times.
    let (data, how) = read("elapsed_ms,tokens_out\n0,5\n1500,6\n3000,7\n");
    assert_eq!(how.format, ReplayFormat::Requests, "{:?}", how.guesses);
    assert_eq!(how.unit, Some(TimeUnit::Ms));
    assert_eq!(gaps_ns(&data), [1_500_000_000, 1_500_000_000]);
}
