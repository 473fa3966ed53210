//! Files as spreadsheets and other locales write them: `;` or tab separators
//! (found and said), decimal commas (read where the comma does not separate,
//! refused by name where it does), RFC 4180 quoting, UTC offsets, rows longer than
//! the header and repeated header names (warned), and a cause on many lines said
//! once with its lines.

use super::replay_scenario;
use autoscale_playground::scenario::ReplayFormat;
use autoscale_playground::workload::replay::Import;
use autoscale_playground::workload::{ReplayData, RequestRow};

fn import(csv: &str) -> Import {
    Import::read(csv, &replay_scenario(60, |_| {})).unwrap_or_else(|e| panic!("{e}"))
}

fn refused(csv: &str) -> String {
    match Import::read(csv, &replay_scenario(60, |_| {})) {
        Ok(i) => panic!("expected a refusal, read {:?}", i.lines()),
        Err(e) => e.to_string(),
    }
}

fn rows(i: &Import) -> &[RequestRow] {
    match &i.data {
        ReplayData::Requests(r) => r,
        _ => panic!("read as counts: {:?}", i.lines()),
    }
}

fn row(time_ns: i64, context: u32, generated: u32) -> RequestRow {
    RequestRow { time_ns, context_tokens: Some(context), generated_tokens: Some(generated) }
}

#[test]
fn a_semicolon_file_with_decimal_commas_keeps_its_fractions_and_tokens() {
    // Before: read with ',' as the separator, exit 0: times 0 and 1, tokens lost.
    let i = import("time;tokens_in;tokens_out\n0,5;100;20\n1,25;110;21\n2;120;22\n");
    assert_eq!(
        rows(&i),
        [row(500_000_000, 100, 20), row(1_250_000_000, 110, 21), row(2_000_000_000, 120, 22)]
    );
    let head = &i.lines()[0];
    assert!(head.contains("; ';'-separated, decimal commas read; timestamps in seconds"), "{head}");
    // Without a header too: ';' splits into more fields than ','.
    let i = import("0,5;100;20\n1,25;110;21\n");
    assert_eq!(rows(&i)[1], row(1_250_000_000, 110, 21));
    // A tie (',' and ';' split every line into as many fields) goes to ',',
    // the first tried: ';' is then a character of the note.
    let i = import("t_s,note;x\n1,a;b\n2,c;d\n");
    assert_eq!(
        rows(&i).iter().map(|r| r.time_ns).collect::<Vec<_>>(),
        [1_000_000_000, 2_000_000_000]
    );
    // One column: nothing separates, so a comma is a decimal one.
    let i = import("t_s\n0,5\n1,25\n");
    assert_eq!(rows(&i)[1].time_ns, 1_250_000_000);
    assert!(
        i.lines()[0].contains("; one column, decimal commas read; timestamps"),
        "{:?}",
        i.lines()
    );
}

#[test]
fn a_tab_separated_file_is_read_and_said() {
    let i = import("timestamp\tContextTokens\tGeneratedTokens\n2023-11-16 18:00:00\t10\t2\n2023-11-16 18:00:01.5\t11\t3\n");
    assert_eq!(rows(&i)[1].time_ns - rows(&i)[0].time_ns, 1_500_000_000);
    assert_eq!(rows(&i)[1].generated_tokens, Some(3));
    assert!(
        i.lines()[0].contains("; tab-separated; timestamps as dates and times"),
        "{:?}",
        i.lines()
    );
    // Counts too, with decimal counts.
    let i = import("interval;count\n0;1,5\n1;2,5\n");
    assert_eq!(i.summary.requests, 4.0);
}

#[test]
fn a_cell_with_commas_and_points_is_a_thousands_separator_only_when_it_reads_as_one() {
    // `1,2.3,4` is no number written with thousands separators (dropping its
    // points leaves two commas): it is refused as what it is, not as that.
    let e = refused("t_s;GeneratedTokens\n1;1,2.3,4\n");
    assert!(!e.contains("thousands"), "{e}");
    assert!(e.contains("'1,2.3,4'"), "{e}");
    // `1.234,5` is one: refused by name.
    let e = refused("t_s;GeneratedTokens\n1;1.234,5\n");
    assert!(e.contains("thousands"), "{e}");
}

#[test]
fn a_decimal_comma_where_the_comma_separates_is_refused_by_name() {
    // Before: the quoted "0,5" was split at its comma: time 0, context tokens 5.
    let e = refused("timestamp,ContextTokens,GeneratedTokens\n\"0,5\",100,20\n");
    assert_eq!(
        e,
        "line 2: timestamp '0,5' has a decimal comma, which a ','-separated file cannot hold: write a decimal point, or separate the fields with ';'"
    );
    let e = refused("t;count\n0;1.234,5\n");
    assert_eq!(
        e,
        "line 2: count '1.234,5' mixes '.' and ',' (thousands separators are not read): write the number without them"
    );
}

#[test]
fn quoted_fields_hold_separators_doubled_quotes_and_line_breaks() {
    // Before: "generated tokens 'b' is not a whole number".
    let text = "timestamp,note,GeneratedTokens\n1,\"a, b\",7\n2,\"say \"\"hi\"\"\",8\n3,\"two\nlines\",9\n\"4\",x,\"10\"\n5,\"a \"\"b\"\", c\",11\n\"6\"0,x,12\n";
    let i = import(text);
    let generated: Vec<Option<u32>> = rows(&i).iter().map(|r| r.generated_tokens).collect();
    assert_eq!(generated, [Some(7), Some(8), Some(9), Some(10), Some(11), Some(12)]);
    assert_eq!(rows(&i)[3].time_ns, 4_000_000_000);
    // What follows a closing quote is kept as written: `"6"0` is 60.
    assert_eq!(rows(&i)[5].time_ns, 60_000_000_000);
    // The line after a field spanning two lines is named as in the file.
    let e = refused("timestamp,note\n1,\"two\nlines\"\nsoon,x\n");
    assert_eq!(e, "line 4: timestamp 'soon' is neither a number nor YYYY-MM-DD HH:MM:SS[.fff]");
    // A quote never closed is named where it opens, not read to the end.
    let e = refused("timestamp,note\n1,x\n2,\"open\n3,x\n");
    assert_eq!(
        e,
        "line 3: a quoted field opens on this line and is never closed (a '\"' without its pair)"
    );
    let e = refused("timestamp,note,other\n1,\"two\nlines\",\"open\n3,x,y\n");
    assert!(e.starts_with("line 3: a quoted field opens on this line"), "{e}");
    // A value quoted in a message is as the file means it, its doubled quotes
    // single.
    let e = refused("t_s,GeneratedTokens\n1,\"a \"\"b\"\" c\"\n");
    assert_eq!(e, "line 2: generated tokens 'a \"b\" c' is not a whole number from 0 to 10000000");
    // A quote inside a field that did not open with one is a character of it
    // (a 5" screen), not the start of a quoted field.
    let i = import("timestamp,note,GeneratedTokens\n1,5\",7\n2,a 5\" screen,8\n3,y,9\n");
    let generated: Vec<Option<u32>> = rows(&i).iter().map(|r| r.generated_tokens).collect();
    assert_eq!(generated, [Some(7), Some(8), Some(9)]);
}

#[test]
fn a_quoted_field_after_blanks_still_holds_its_separator() {
    // Spaces, a tab (where ',' separates) and a carriage return before a field's
    // opening quote are blanks: the quote still opens it, and the ', ' inside it
    // is text, not a separator.
    let text = "timestamp, note, GeneratedTokens\r\n1, \"a, b\", 7\r\n2,\t\"c, d\" ,8\r\n3,  \"e,f\",9\r\n";
    let i = import(text);
    let generated: Vec<Option<u32>> = rows(&i).iter().map(|r| r.generated_tokens).collect();
    assert_eq!(generated, [Some(7), Some(8), Some(9)]);
    let times: Vec<i64> = rows(&i).iter().map(|r| r.time_ns).collect();
    assert_eq!(times, [1_000_000_000, 2_000_000_000, 3_000_000_000]);
    // Nothing is said of the separators or the rows (only the short span is).
    assert!(!i.warnings.iter().any(|w| !w.contains("spans only")), "{:?}", i.warnings);
}

#[test]
fn utc_offsets_are_converted_and_impossible_ones_refused_by_name() {
    // Before: "timestamp '2023-11-16T18:00:00+01:00' is neither a number nor ...".
    let i = import("timestamp\n2023-11-16T18:00:00+01:00\n2023-11-16T20:00:00+0300\n2023-11-16T19:00:00+02\n2023-11-16T17:30:00Z\n2023-11-16 12:00:00.5-05:30\n");
    let base = 1_700_157_600_000_000_000; // 2023-11-16 18:00:00 UTC
    let times: Vec<i64> = rows(&i).iter().map(|r| r.time_ns - base).collect();
    let hour = 3_600_000_000_000;
    assert_eq!(times, [-hour, -hour, -hour, -hour / 2, -hour / 2 + 500_000_000]);
    // An offset's colon goes between its hours and minutes, once.
    for odd in ["+010:0", "+0:100", "+01:0:0"] {
        let e = refused(&format!("timestamp\n2023-11-16T18:00:00{odd}\n"));
        assert_eq!(
            e,
            format!("line 2: timestamp '2023-11-16T18:00:00{odd}' is neither a number nor YYYY-MM-DD HH:MM:SS[.fff]")
        );
    }
    let e = refused("timestamp\n2023-11-16T18:00:00+14:30\n");
    assert!(
        e.ends_with("has a UTC offset '+14:30' beyond what clocks use (-14:00 to +14:00)"),
        "{e}"
    );
    // Fifty-nine minutes is an offset's most, and 14 hours.
    let i = import("timestamp\n2023-11-16T18:59:00+00:59\n2023-11-17T08:00:00+14:00\n");
    let times: Vec<i64> = rows(&i).iter().map(|r| r.time_ns - base).collect();
    assert_eq!(times, [0, 0]);
    let e = refused("timestamp\n2023-11-16T18:00:00+15:00\n");
    assert_eq!(
        e,
        "line 2: timestamp '2023-11-16T18:00:00+15:00' has a UTC offset '+15:00' beyond what clocks use (-14:00 to +14:00)"
    );
}

#[test]
fn rows_longer_than_the_header_and_repeated_names_are_warned() {
    // Before: read without a word.
    let i = import("t_s,GeneratedTokens\n0,5\n1,6,9\n2,7,9,9\n3,8\n");
    assert_eq!(rows(&i).len(), 4);
    assert!(
        i.warnings.iter().any(|w| w
            == "lines 3-4 (2 lines) have more fields than the header (2): the extra fields are not read"),
        "{:?}",
        i.warnings
    );
    let i = import("timestamp,GeneratedTokens,generatedtokens\n0,5,50\n1,6,60\n");
    assert_eq!(rows(&i)[1].generated_tokens, Some(6));
    assert!(
        i.warnings
            .iter()
            .any(|w| w
                == "the header names 'GeneratedTokens' in columns 2 and 3: only column 2 is read"),
        "{:?}",
        i.warnings
    );
    assert!(i.lines().iter().any(|l| l.starts_with("warning: the header names")));
}

#[test]
fn a_file_refused_for_one_cause_says_it_once_with_its_lines_and_the_separator() {
    // Before: twenty lines of "timestamp '0;100;20' is neither a number nor ...".
    let rows: String = (0..20).map(|i| format!("{i};100;20\n")).collect();
    let e = refused(&format!("timestamp,ContextTokens,GeneratedTokens\n{rows}"));
    assert_eq!(
        e,
        "lines 2-21 (20 lines): timestamp is neither a number nor YYYY-MM-DD HH:MM:SS[.fff] (the first: '0;100;20'); the value holds ';', but the file was read as one column: no separator splits both its first line and most of the others"
    );
    assert_eq!(e.lines().count(), 1);
    // Control characters in the quoted value are shown escaped.
    let e =
        ReplayData::parse("timestamp\n\u{1b}[2J\n", ReplayFormat::Auto).unwrap_err().to_string();
    assert_eq!(e, "line 2: timestamp '\\e[2J' is neither a number nor YYYY-MM-DD HH:MM:SS[.fff]");
    // The file's own separator in a quoted value is no hint of another.
    for (file, sep) in [("timestamp,note\n\"a,b\",x\n", ","), ("timestamp;note\n\"a;b\";x\n", ";")]
    {
        let e = refused(file);
        assert_eq!(
            e,
            format!(
                "line 2: timestamp 'a{sep}b' is neither a number nor YYYY-MM-DD HH:MM:SS[.fff]"
            )
        );
    }
}

#[test]
fn a_time_with_an_exponent_past_the_clock_is_refused_not_saturated() {
    // 1e10 s is 1e19 ns, past what 64 bits of nanoseconds hold (2262).
    let e = refused("t_s\n0\n1e10\n");
    assert_eq!(e, "line 3: timestamp '1e10' is out of range");
    let e = refused("t_s\n0\n-1e10\n");
    assert_eq!(e, "line 3: timestamp '-1e10' is out of range");
}

#[test]
fn dates_across_a_century_and_decimals_with_an_exponent_are_read() {
    // 2100 is no leap year: from the last day of 2099 to the first of 2101 is
    // 366 days. (Dates of this century never reach the century rule.)
    let i = import("timestamp\n2099-12-31 00:00:00\n2101-01-01 00:00:00\n");
    assert_eq!(rows(&i)[1].time_ns - rows(&i)[0].time_ns, 366 * 86_400 * 1_000_000_000);
    // A decimal with an exponent is read through the float: 1.5e3 s is 1,500 s.
    let i = import("t_s\n0\n1.5e3\n");
    assert_eq!(rows(&i)[1].time_ns, 1_500_000_000_000);
    // Exactly two days are told in days.
    let i = import("t_s\n0\n86400\n172800\n");
    assert!(i.lines()[0].starts_with("read 3 requests over 2.0 days:"), "{:?}", i.lines());
}

#[test]
fn a_date_with_nine_decimals_is_read_to_the_nanosecond_and_ten_are_refused() {
    let i = import("timestamp\n2023-11-16 18:15:46\n2023-11-16 18:16:46.123456789\n");
    assert_eq!(rows(&i)[1].time_ns - rows(&i)[0].time_ns, 60_123_456_789);
    let e = refused("timestamp\n2023-11-16 18:15:46\n2023-11-16 18:16:46.1234567891\n");
    assert_eq!(e, "line 3: timestamp '2023-11-16 18:16:46.1234567891' is neither a number nor YYYY-MM-DD HH:MM:SS[.fff]");
}

#[test]
fn an_exponent_at_the_clock_s_edge_is_refused_and_one_below_it_is_a_time() {
    // Times through the float are held below 9.2e18 ns (the 64-bit clock ends at
    // about 9.22e18): 9.2e9 s is refused as out of range; 9.1e9 s is read.
    let e = refused("t_s\n0\n9.2e9\n");
    assert_eq!(e, "line 3: timestamp '9.2e9' is out of range");
    let i = import("t_s\n0\n9.1e9\n");
    assert_eq!(rows(&i)[1].time_ns, 9_100_000_000_000_000_000);
}

#[test]
fn a_separator_splitting_exactly_half_the_lines_is_the_file_s() {
    // ';' splits the header and one row of four lines: half, which is enough.
    let times = semicolon_times("time;tokens_in;tokens_out\n0;100;20\n1\n2\n");
    assert_eq!(times, [0, 1_000_000_000, 2_000_000_000]);
    // Three of six lines: half again (twice the three, not two more).
    let times = semicolon_times("time;tokens_in;tokens_out\n0;100;20\n1;110;21\n2\n3\n4\n");
    assert_eq!(times.len(), 5);
}

/// The request times of a file that must read as ';'-separated.
fn semicolon_times(csv: &str) -> Vec<i64> {
    let i = import(csv);
    assert!(i.lines()[0].contains("';'-separated"), "{:?}", i.lines());
    rows(&i).iter().map(|r| r.time_ns).collect()
}

#[test]
fn a_header_of_one_unnamed_column_is_requests_of_two_is_counts_said_as_a_guess() {
    // One column holds one thing: each row is a request's time.
    let i = import("stamp\n0\n1\n2\n");
    assert_eq!(rows(&i).len(), 3);
    assert!(!i.lines().join(" ").contains("names neither"), "{:?}", i.lines());
    // Two columns named neither count nor time: read as counts, and said so.
    let i = import("slot,value\n0,5\n1,5\n2,5\n3,5\n4,5\n5,5\n");
    assert!(matches!(i.data, ReplayData::Counts { .. }), "{:?}", i.lines());
    assert!(
        i.lines().join(" ").contains("the header 'slot,value' names neither a count column"),
        "{:?}",
        i.lines()
    );
}

#[test]
fn of_two_separators_the_one_most_lines_agree_with_is_the_file_s() {
    // ',' and ';' each split the header in two; ';' splits every line so, ','
    // only half of them: ';' it is.
    let times = semicolon_times("t_s;note,more\n1;a,b\n2;c\n3;d\n");
    assert_eq!(times, [1_000_000_000, 2_000_000_000, 3_000_000_000]);
}
