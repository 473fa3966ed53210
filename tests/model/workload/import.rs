//! The CSV importer against broken files: each error names its line and value,
//! the caps on size, rows, intervals and problems hold, and what is well formed
//! (headers by name, CRLF, a BOM, blank lines, gaps) is read as meant.

use super::counts;
use autoscale_playground::scenario::ReplayFormat;
use autoscale_playground::workload::{replay, ReplayData};

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
    // An hour, a minute or a second out of range, each alone.
    for odd in ["25:00:00", "12:60:00", "12:30:61"] {
        let text = format!("{HEAD}2023-11-16 {odd},1,1\n");
        assert_eq!(
            parse_err(&text, ReplayFormat::Auto),
            format!("line 2: timestamp '2023-11-16 {odd}' has an impossible time of day")
        );
    }
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
    // Interval numbers are whole (a time column in a unit may be negative).
    let text = "interval,requests\n-1,5\n";
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
    assert_eq!(data, counts(vec![0.0, 5.0, 0.0, 0.0, 2.5], 60.0));
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

    let per_minute =
        ReplayData::parse("\u{feff}minute,requests\r\n0,5\r\n\r\n1,6\r\n", ReplayFormat::Auto)
            .unwrap();
    assert_eq!(per_minute, counts(vec![5.0, 6.0], 60.0));
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
    for i in 0..replay::MAX_ROWS {
        text.push_str(&i.to_string());
        text.push_str(",1\n");
    }
    // Exactly as many rows as the cap are read.
    match ReplayData::parse(&text, ReplayFormat::Counts) {
        Ok(ReplayData::Counts { counts, .. }) => assert_eq!(counts.len(), replay::MAX_ROWS),
        other => panic!("{:?}", other.map(|_| "not counts")),
    }
    text.push_str(&format!("{},1\n", replay::MAX_ROWS));
    assert!(text.len() <= replay::MAX_BYTES);
    let over = replay::MAX_ROWS + 2; // the header is line 1
    let cap =
        format!("line {over}: more than {0} rows; at most {0} are accepted", replay::MAX_ROWS);
    assert_eq!(parse_err(&text, ReplayFormat::Counts), cap);
    // Past the cap the reader stops at its first row over it: what follows is
    // never read, so a broken line there is not what the message is about.
    text.push_str("\"never closed,1\n");
    text.push_str(&format!("{},1\n", replay::MAX_ROWS + 1));
    assert_eq!(parse_err(&text, ReplayFormat::Counts), cap);
}

#[test]
fn an_interval_number_with_a_sign_is_not_a_whole_number() {
    for signed in ["+1", "-1"] {
        let text = format!("interval,requests\n0,1\n{signed},2\n");
        assert_eq!(
            parse_err(&text, ReplayFormat::Counts),
            format!("line 3: interval '{signed}' is not a whole number")
        );
    }
}

#[test]
fn the_largest_interval_number_accepted_is_read() {
    let text = format!("interval,requests\n0,1\n{},1\n", replay::MAX_INTERVALS);
    match ReplayData::parse(&text, ReplayFormat::Counts) {
        Ok(ReplayData::Counts { counts, .. }) => {
            assert_eq!(counts.len() as u64, replay::MAX_INTERVALS + 1);
            assert_eq!(counts.iter().sum::<f64>(), 2.0);
        }
        other => panic!("{:?}", other.map(|_| "not counts")),
    }
}

#[test]
fn import_error_names_the_interval_cap() {
    let text = format!("interval,requests\n0,1\n{},1\n", replay::MAX_INTERVALS + 1);
    assert_eq!(
        parse_err(&text, ReplayFormat::Counts),
        format!(
            "line 3: interval '{}' is beyond the largest accepted, {}",
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
fn a_cause_on_many_lines_is_said_once_with_its_lines() {
    // Before: twenty copies of "line N: count 'many' is not a number", then
    // "(reading stopped after 20 problems)".
    let rows: String = (0..100).map(|i| format!("{i},many\n")).collect();
    let text = format!("interval,requests\n{rows}");
    assert_eq!(
        parse_err(&text, ReplayFormat::Auto),
        "lines 2-101 (100 lines): count is not a number (the first: 'many')"
    );
    // Runs of lines, the first few named, the rest counted; another cause apart.
    let rows: String = (0..40)
        .map(|i| if i % 2 == 0 { format!("{i},many\n") } else { format!("{i},1\n") })
        .collect();
    let e = parse_err(&format!("interval,requests\n{rows}39,1\n"), ReplayFormat::Auto);
    assert_eq!(
        e,
        "lines 2, 4, 6, 8, 10, 12, … (20 lines): count is not a number (the first: 'many')\nline 42: interval is not increasing"
    );
}

#[test]
fn import_error_quoting_a_huge_field_is_cut_short() {
    let text = format!("minute,requests\n0,{}\n", "é".repeat(10_000));
    let e = parse_err(&text, ReplayFormat::Auto);
    assert_eq!(
        e,
        format!("line 2: count '{}… (10000 characters)' is not a number", "é".repeat(60))
    );
}

#[test]
fn timestamps_spanning_more_than_292_years_are_refused_not_overflowed() {
    // Before: each fits in nanoseconds, their difference did not: a panic in
    // a debug build, a wrapped span in a release one.
    let e = parse_err("t_s\n-9000000000\n9000000000\n", ReplayFormat::Auto);
    assert_eq!(
        e,
        "line 3: timestamp '9000000000' is more than 292 years after the first, the longest span accepted: check the unit (workload.replay.time_unit)"
    );
    let e = parse_err("t\n1678-01-02 00:00:00\n2261-12-31 00:00:00\n", ReplayFormat::Auto);
    assert!(e.starts_with("line 3: timestamp is more than 292 years after the first"), "{e}");
}
