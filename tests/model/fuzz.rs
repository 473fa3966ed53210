//! Mutational fuzzing of every decoder of untrusted input: the share link, the
//! scenario JSON, both CSV importers (and laying out what they accept) and the
//! Q-table JSON. Each case starts from a valid input, applies random byte edits
//! (flip, insert, delete, duplicate, splice of another input, numbers swapped for
//! extreme ones) and must decode or yield a message: never a panic, never a trace
//! longer than asked.
//! Accepted and rejected cases are counted apart, and each target must have
//! both: a decoder that refuses everything (or nothing) fails.
//!
//! The test command runs a smoke of `FUZZ_CASES` (default 2,000) cases per target;
//! `make fuzz` runs 100,000 each and prints the counts.

use autoscale_playground::agent::{QAgent, QTable};
use autoscale_playground::link::{self, Presentation};
use autoscale_playground::rng::{Rng, Stream};
use autoscale_playground::scenario::{
    Family, ReplayFormat, Scenario, ServiceModel, Spread, TimeUnit,
};
use autoscale_playground::workload::replay::Import;
use autoscale_playground::world::service::service_mean_s;
use autoscale_playground::Trace;

fn cases() -> usize {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
}

const EXTREMES: [&str; 12] = [
    "0",
    "-1",
    "1e308",
    "-1e308",
    "NaN",
    "1e-320",
    "18446744073709551616",
    "4294967296",
    "\"\"",
    "null",
    "[]",
    "9999999999",
];

/// One random edit of `input`.
fn mutate(rng: &mut Rng, input: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    let edits = 1 + rng.below(4);
    for _ in 0..edits {
        let at = if out.is_empty() { 0 } else { rng.below(out.len() as u64) as usize };
        match rng.below(7) {
            0 if !out.is_empty() => out[at] ^= 1 << rng.below(8),
            1 => out.insert(at, rng.below(256) as u8),
            2 if !out.is_empty() => {
                let end = (at + 1 + rng.below(16) as usize).min(out.len());
                out.drain(at..end);
            }
            3 if !out.is_empty() => {
                let end = (at + 1 + rng.below(64) as usize).min(out.len());
                let chunk = out[at..end].to_vec();
                out.splice(at..at, chunk);
            }
            4 => {
                let other = &corpus[rng.below(corpus.len() as u64) as usize];
                if !other.is_empty() {
                    let from = rng.below(other.len() as u64) as usize;
                    let end = (from + rng.below(128) as usize).min(other.len());
                    out.splice(at..at, other[from..end].iter().copied());
                }
            }
            5 => {
                // Replace a run of digits with an extreme number.
                if let Some(start) =
                    out.iter().skip(at).position(u8::is_ascii_digit).map(|p| p + at)
                {
                    let end = out[start..]
                        .iter()
                        .position(|c| !c.is_ascii_digit() && *c != b'.')
                        .map_or(out.len(), |p| p + start);
                    let x = EXTREMES[rng.below(EXTREMES.len() as u64) as usize];
                    out.splice(start..end, x.bytes());
                }
            }
            _ => out.truncate(at),
        }
    }
    out
}

/// Runs `cases()` mutated inputs through `target`, which says whether it accepted
/// the input (decoded it into a valid value) or rejected it with a message. A
/// panic fails; so does a decoder that accepts everything or rejects everything
/// (a fuzz of nothing but error paths, or of nothing but the happy path).
fn run<F: Fn(&str) -> bool>(name: &str, seeds: &[Vec<u8>], target: F) {
    let n = cases();
    let mut rng = Rng::new(0xf022, Stream::Replay, name.len() as u64);
    let (mut accepted, mut rejected) = (0usize, 0usize);
    for i in 0..n {
        let seed = &seeds[i % seeds.len()];
        let bytes = mutate(&mut rng, seed, seeds);
        let text = String::from_utf8_lossy(&bytes);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target(&text)));
        match result {
            Ok(true) => accepted += 1,
            Ok(false) => rejected += 1,
            Err(_) => panic!(
                "{name}: case {i} panicked on input {:?}",
                text.chars().take(300).collect::<String>()
            ),
        }
    }
    println!(
        "fuzz {name}: {n} cases, {accepted} accepted, {rejected} rejected with a message, no panic"
    );
    assert_eq!(accepted + rejected, n);
    assert!(
        accepted > 0,
        "{name}: the decoder rejected all {n} cases: the fuzz never reached what follows a decode"
    );
    assert!(rejected > 0, "{name}: the decoder accepted all {n} cases: it checks nothing");
}

fn scenarios() -> Vec<Vec<u8>> {
    let mut s = Scenario::default();
    s.workload.family = Family::Bursty;
    s.agent.utilisation_bins = vec![0.2, 0.9];
    vec![
        Scenario::default().to_json().into_bytes(),
        s.to_json().into_bytes(),
        b"{\"steps\": 100, \"workload\": {\"family\": \"replay\"}}".to_vec(),
    ]
}

#[test]
fn scenario_json_never_panics_and_is_accepted_or_refused_with_a_message() {
    run("scenario json", &scenarios(), |text| match Scenario::from_json(text) {
        Ok(s) => {
            s.validate().expect("from_json returns only valid scenarios");
            true
        }
        Err(e) => {
            in_promised_form(&e);
            false
        }
    });
}

/// A refusal that is not JSON syntax names each field with what it allows:
/// serde's own words ("invalid type", "unknown variant") never reach the user.
fn in_promised_form(e: &autoscale_playground::Error) {
    let text = e.to_string();
    for serde_words in [
        "invalid type",
        "unknown variant",
        "unknown field",
        "invalid value",
        "expected f64",
        "expected u32",
    ] {
        assert!(!text.contains(serde_words), "not in the promised form: {text}");
    }
    if let autoscale_playground::Error::Fields { errors, .. } = e {
        assert!(errors.0.iter().all(|f| !f.field.is_empty() && !f.allowed.is_empty()), "{text}");
    }
}

#[test]
fn overrides_never_panic_and_are_refused_field_by_field() {
    let seeds: Vec<Vec<u8>> = [
        "workload.base_rps=30\nscaling.min_replicas=2\nscaling.max_replicas=12",
        "workload.family=replay\nworkload.replay.source=a.csv\nworkload.replay.service=tokens\nreplica.per_token_s=0.02",
        "agent.utilisation_bins=[0.2,0.9]\nforecast.method=tcn\nseed=7",
        "static.buffer=0.5\nqueue.physics=exact\nworkload.mmpp_rates=[3,9,27]\nworkload.mmpp_dwell_s=[60,60,60]",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    run("--set overrides", &seeds, |text| {
        let lines: Vec<&str> = text.lines().collect();
        match Scenario::default().with_overrides(&lines) {
            Ok(s) => {
                s.validate().expect("with_overrides returns only valid scenarios");
                true
            }
            Err(e) => {
                in_promised_form(&e);
                false
            }
        }
    });
}

#[test]
fn share_links_never_panic_and_are_accepted_or_refused_with_a_message() {
    let mut s = Scenario { seed: 9, steps: 500, ..Scenario::default() };
    s.scaling.boot_delay_s = 30.0;
    let seeds: Vec<Vec<u8>> = vec![
        link::encode(&Scenario::default(), &Presentation::default()).into_bytes(),
        link::encode(&s, &Presentation { hide_controls: true, ..Presentation::default() })
            .into_bytes(),
    ];
    // Mutate the payload's JSON as well as the encoded text.
    let payloads: Vec<Vec<u8>> = scenarios();
    run("share link (encoded)", &seeds, |text| {
        let Ok((s, _)) = link::decode(text) else { return false };
        s.validate().expect("decode returns only valid scenarios");
        true
    });
    run("share link (payload)", &payloads, |text| {
        let wrapped = format!("{{\"s\":{text}}}");
        let l = format!("{}{}", link::PREFIX, link::base64url_encode(wrapped.as_bytes()));
        let Ok((s, _)) = link::decode(&l) else { return false };
        s.validate().expect("decode returns only valid scenarios");
        true
    });
}

fn csv_seeds() -> Vec<Vec<u8>> {
    vec![
        b"TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n2023-11-16 18:15:51.2181030,879,80\n2023-11-16 18:16:03.0000000,10,2\n".to_vec(),
        b"minute,requests\n0,21\n1,236\n2,300\n3,0\n4,502\n".to_vec(),
        b"interval,count\n0,5\n5,9\n".to_vec(),
        b"timestamp_ms,prompt_tokens,output_tokens\n1700000000000,10,20\n1700000000250.5,11,21\n1700000001770,12,22\n".to_vec(),
        b"time_bucket,count\n0,12\n1,0\n3,40\n".to_vec(),
        b"0,5,7\n0,6,8\n3,7,9\n3,1,1\n3,2,2\n6,4,4\n".to_vec(),
        b"t_s\n0\n0\n0\n3\n3\n9\n9\n9\n".to_vec(),
    ]
}

#[test]
fn csv_importers_never_panic_and_accept_or_refuse_with_a_message() {
    // Every format, each with a time unit and a spread of its own, so that every
    // option meets every mutated file across the formats.
    let options = [
        (ReplayFormat::Auto, TimeUnit::Auto, Spread::None),
        (ReplayFormat::Requests, TimeUnit::Ms, Spread::Even),
        (ReplayFormat::Requests, TimeUnit::Auto, Spread::Random),
        (ReplayFormat::Auto, TimeUnit::Ns, Spread::Random),
        (ReplayFormat::Counts, TimeUnit::S, Spread::Even),
    ];
    for (format, unit, spread) in options {
        run(&format!("csv {format:?} {unit:?} {spread:?}"), &csv_seeds(), |text| {
            let mut s = Scenario { steps: 200, ..Scenario::default() };
            s.workload.family = Family::Replay;
            s.workload.replay.source = "fuzz.csv".into();
            s.workload.replay.format = format;
            s.workload.replay.time_unit = unit;
            s.workload.replay.spread = spread;
            s.workload.replay.rate_scale = 2.5;
            let Ok(import) = Import::read(text, &s) else { return false };
            // What is read is summarised in finite figures, and lays out into a
            // bounded trace, or says why not.
            let m = &import.summary;
            assert!(m.span_s.is_finite() && m.span_s >= 0.0 && m.peak_per_min.is_finite());
            assert!(!import.lines().is_empty());
            if let Ok(trace) = Trace::build(&s, Some(&import.data)) {
                assert_eq!(trace.rates.len(), 200);
                assert!(trace.rates.iter().all(|r| r.is_finite() && *r >= 0.0));
                if let Some(req) = &trace.requests {
                    assert!(
                        req.times.windows(2).all(|w| w[0] <= w[1]),
                        "laid-out times stay sorted"
                    );
                    assert!(req.times.iter().all(|t| *t >= 0.0 && *t <= req.period));
                }
            }
            // Token-based service: a mean service time in range, or a refusal
            // naming the field.
            s.workload.replay.service = ServiceModel::Tokens;
            match service_mean_s(&s, Some(&import.data)) {
                Ok(mean) => assert!((0.001..=3600.0).contains(&mean), "{mean}"),
                Err(e) => assert!(
                    matches!(e.fields()[..], ["workload.replay.service"] | ["replica.per_token_s"]),
                    "{e}"
                ),
            }
            true
        });
    }
}

/// Files as spreadsheets and other locales write them: `;` and tab separators,
/// decimal commas, RFC 4180 quoting (a separator, a doubled quote, a line break
/// in a field), UTC offsets, counts stamped in seconds, minutes and dates.
fn csv_layout_seeds() -> Vec<Vec<u8>> {
    [
        "time;tokens_in;tokens_out\n0,5;100;20\n1,25;110;21\n2;120;22\n",
        "0,5;100;20\n1,5;101;21\n2,75;99;19\n",
        "timestamp\tContextTokens\tGeneratedTokens\n2023-11-16 18:00:00,5\t10\t2\n2023-11-16 18:00:01\t11\t3\n",
        "timestamp,note,GeneratedTokens\n1,\"a, b\",7\n2,\"say \"\"hi\"\"\",8\n3,\"two\nlines\",9\n\"4\",x,\"10\"\n",
        "timestamp\n2023-11-16T18:00:00+01:00\n2023-11-16T20:00:00+0300\n2023-11-16T17:30:00Z\n2023-11-16 12:00:00.5-05:30\n",
        "seconds,count\n0,30\n60,31\n180,33\n240,34\n",
        "timestamp;count\n0;1,5\n60;2,5\n120;0\n",
        "minute,requests\n0,21\n1,236\n3,40\n",
        "time,count\n2023-11-16 18:00:00,60\n2023-11-16 18:00:10,30\n2023-11-16 18:00:30,0\n",
        "0,30\n60,31\n120,32\n",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

/// What an import says is text a terminal shows as it is: no control character
/// (but the line breaks between lines) reaches a message or the summary.
fn escaped(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() && c != '\n')
}

#[test]
fn csv_separators_quotes_decimal_commas_and_offsets_never_panic_nor_echo_raw() {
    // The time unit and a counts file's interval left to the file or set, so
    // that each guess and each knob meets every mutated layout.
    let options =
        [(TimeUnit::Auto, 0.0), (TimeUnit::S, 0.0), (TimeUnit::Auto, 30.0), (TimeUnit::Ms, 0.5)];
    for (unit, interval_s) in options {
        let name = format!("csv layouts {unit:?} interval_s={interval_s}");
        run(&name, &csv_layout_seeds(), |text| {
            let mut s = Scenario { steps: 120, ..Scenario::default() };
            s.workload.family = Family::Replay;
            s.workload.replay.source = "fuzz.csv".into();
            s.workload.replay.time_unit = unit;
            s.workload.replay.interval_s = interval_s;
            // The same text as a decimal-comma locale and a tab-separated export
            // would write it: read or refused, never a panic.
            let locale = text.replace(',', ";").replace('.', ",");
            let tabs = text.replace(',', "\t");
            let mut accepted = false;
            for (k, variant) in [text, locale.as_str(), tabs.as_str()].into_iter().enumerate() {
                match Import::read(variant, &s) {
                    Ok(import) => {
                        accepted |= k == 0;
                        let m = &import.summary;
                        assert!(m.span_s.is_finite() && m.span_s >= 0.0);
                        assert!(m.peak_per_min.is_finite());
                        if let Some(mean) = m.mean_per_min {
                            // To rounding (and below the smallest normal number).
                            let least = mean * (1.0 - 1e-12) - 1e-300;
                            assert!(m.peak_per_min >= least, "{:?}", import.lines());
                        }
                        assert!(import.lines().iter().all(|l| escaped(l)), "{:?}", import.lines());
                        if let Ok(trace) = Trace::build(&s, Some(&import.data)) {
                            assert_eq!(trace.rates.len(), 120);
                            assert!(trace.rates.iter().all(|r| r.is_finite() && *r >= 0.0));
                        }
                    }
                    Err(e) => assert!(escaped(&e.to_string()), "{e}"),
                }
            }
            accepted
        });
    }
}

/// Q-tables to mutate: an untrained table of the default scenario with a few
/// values and visits set, and a small one of another state space.
fn q_tables() -> Vec<Vec<u8>> {
    let mut trained = QAgent::new(&Scenario::default()).table;
    for (i, row) in trained.q.iter_mut().enumerate().step_by(7) {
        *row = [-(i as f64) * 0.37, 1.5e-3 * i as f64, 12.25];
        trained.visits[i] = [i as u32, 3, 0];
    }
    let mut small = Scenario::default();
    small.scaling.max_replicas = 2;
    small.scaling.initial_replicas = 1;
    small.agent.utilisation_bins = vec![0.5];
    let small = QAgent::new(&small).table;
    vec![trained.to_json().into_bytes(), small.to_json().into_bytes()]
}

#[test]
fn q_table_json_never_panics_and_is_accepted_or_refused_with_a_message() {
    run("q-table json", &q_tables(), |text| {
        let Ok(table) = QTable::from_json(text) else { return false };
        // What loads is whole: one row of values and visits per state, every
        // value finite, and it writes back to the same table.
        assert_eq!(table.q.len(), table.space.len());
        assert_eq!(table.visits.len(), table.space.len());
        assert!(table.q.iter().flatten().all(|v| v.is_finite()));
        assert_eq!(QTable::from_json(&table.to_json()).as_ref(), Ok(&table));
        true
    });
}

// Links and files as an attacker would make them: a module of this one, so
// that `make fuzz` (the `fuzz::` tests) runs it too.
#[path = "fuzz_hostile.rs"]
mod hostile;
