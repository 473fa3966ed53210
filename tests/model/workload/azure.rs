//! The real Azure LLM inference traces imported: their request counts and token
//! means, every timestamp digit, and counts per interval equal to the published
//! aggregates.

use super::{raw, read};
use crate::common::azure_dir;
use autoscale_playground::scenario::ReplayFormat;
use autoscale_playground::workload::ReplayData;

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
            let ReplayData::Counts { counts: c, .. } = counts else { panic!() };
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
fn azure_code_trace_has_13_idle_minutes() {
    let dir = azure_dir();
    let per_minute = raw(&dir, "code").counts_per(60.0);
    assert_eq!(per_minute.len(), 58);
    assert_eq!(per_minute.iter().filter(|c| **c == 0).count(), 13);
}
