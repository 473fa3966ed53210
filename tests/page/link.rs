//! Share links: exact round trips, compactness, and a clear message (never a panic)
//! for every broken or hostile link.

use crate::common::cli::{run, stderr, stdout};
use autoscale_playground::link::{
    base64url_encode, decode, encode, Controls, Presentation, MAX_LINK_CHARS, PREFIX,
};
use autoscale_playground::scenario::{Family, ForecastMethod, Physics, Scenario};
use proptest::prelude::*;

fn changed() -> Scenario {
    let mut s = Scenario { seed: 123_456_789_012_345, ..Scenario::default() };
    s.workload.family = Family::FlashCrowd;
    s.workload.base_rps = 0.1 + 0.2; // not representable in a short decimal
    s.scaling.boot_delay_s = 45.0;
    s.sla.p95_s = 9.5;
    s.agent.utilisation_bins = vec![0.25, 0.5, 0.9];
    s.agent.alpha = 0.123_456_789_012_345_67;
    s.forecast.method = ForecastMethod::Seasonal;
    s.queue.physics = Physics::Exact;
    s
}

#[test]
fn links_round_trip_two_scenarios_and_every_view_field_exactly() {
    let view = Presentation {
        show_rule: false,
        show_oracle: true,
        show_predictive: false,
        show_no_forecast: true,
        start_step: 1234,
        hide_controls: true,
        presenter: true,
        ..Presentation::default()
    };
    for (s, v) in [(Scenario::default(), Presentation::default()), (changed(), view)] {
        let link = encode(&s, &v);
        assert!(link.starts_with(PREFIX));
        let (back, vback) = decode(&link).unwrap();
        assert_eq!(back, s);
        assert_eq!(vback, v);
        // And with the '#' of a URL.
        assert_eq!(decode(&format!("#{link}")).unwrap().0, s);
    }
}

#[test]
fn a_link_made_before_predictive_and_the_ablation_shows_predictive_not_the_ablation() {
    // The view of an older page: no show_predictive, no show_no_forecast.
    let old = serde_json::json!({ "s": {}, "v": { "show_rule": false, "show_oracle": true, "start_step": 7, "hide_controls": false } });
    let link = format!("{PREFIX}{}", base64url_encode(old.to_string().as_bytes()));
    let (_, view) = decode(&link).unwrap();
    assert_eq!(
        view,
        Presentation {
            show_rule: false,
            show_oracle: true,
            show_predictive: true,
            show_no_forecast: false,
            start_step: 7,
            hide_controls: false,
            ..Presentation::default()
        }
    );
}

#[test]
fn class_links_round_trip_what_students_see_whether_it_plays_and_the_lesson() {
    for controls in [Controls::Full, Controls::Charts, Controls::Playback] {
        for (autoplay, lesson) in [(false, false), (true, false), (false, true), (true, true)] {
            let view = Presentation {
                controls,
                autoplay,
                lesson,
                start_step: 60,
                ..Presentation::default()
            };
            let (_, back) = decode(&encode(&changed(), &view)).unwrap();
            assert_eq!(back, view);
            assert_eq!(back.controls(), controls);
        }
    }
    // The default view is no view at all in the link: it opens paused, with
    // every control, no lesson.
    let plain = Presentation::default();
    assert_eq!((plain.controls(), plain.autoplay, plain.lesson), (Controls::Full, false, false));
    assert_eq!(
        encode(&Scenario::default(), &plain),
        format!("{PREFIX}{}", base64url_encode(br#"{"s":{},"v":null}"#))
    );
    let class = encode(
        &Scenario::default(),
        &Presentation { controls: Controls::Playback, ..plain.clone() },
    );
    let json = String::from_utf8(
        autoscale_playground::link::base64url_decode(&class[PREFIX.len()..]).unwrap(),
    )
    .unwrap();
    assert!(json.contains(r#""controls":"playback""#), "{json}");
}

#[test]
fn a_link_made_before_class_links_reads_as_before() {
    // hide_controls of an older page hid the scenario controls: read as Charts.
    for (hide, controls) in [(true, Controls::Charts), (false, Controls::Full)] {
        let old = serde_json::json!({ "s": {}, "v": { "show_rule": true, "show_oracle": false, "show_predictive": true, "show_no_forecast": false, "start_step": 12, "hide_controls": hide } });
        let (_, view) =
            decode(&format!("{PREFIX}{}", base64url_encode(old.to_string().as_bytes()))).unwrap();
        assert_eq!(view.controls(), controls);
        assert_eq!(
            (view.start_step, view.show_oracle, view.autoplay, view.lesson),
            (12, false, false, false)
        );
    }
    // A newer link's own choice wins over the old flag.
    let both = Presentation {
        hide_controls: true,
        controls: Controls::Playback,
        ..Presentation::default()
    };
    assert_eq!(
        decode(&encode(&Scenario::default(), &both)).unwrap().1.controls(),
        Controls::Playback
    );
    // A value the page does not know is refused, naming it and the forms allowed.
    let bad = serde_json::json!({ "s": {}, "v": { "controls": "everything" } });
    let err = decode(&format!("{PREFIX}{}", base64url_encode(bad.to_string().as_bytes())))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("controls = \"everything\": must be one of full, charts, playback"),
        "{err}"
    );
}

/// The paths of every leaf of a JSON value (arrays are leaves).
fn leaves(v: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                path.push(k.clone());
                leaves(child, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

/// Other values to try for a leaf: the first that makes a valid scenario is used.
fn candidates(v: &serde_json::Value) -> Vec<serde_json::Value> {
    use serde_json::{json, Value};
    let enums = [
        "flash-crowd",
        "bursty",
        "constant",
        "step",
        "replay",
        "diurnal",
        "exact",
        "fluid",
        "tokens",
        "exponential",
        "requests",
        "counts",
        "auto",
        "moving-average",
        "seasonal",
        "lstm",
        "tcn",
        "naive",
        "ms",
        "even",
        "random",
        "none",
        "calm",
        "seed",
    ];
    match v {
        Value::Bool(b) => vec![json!(!b)],
        Value::Number(n) if n.is_u64() => {
            let n = n.as_u64().unwrap();
            [n + 1, n.saturating_sub(1), n * 2, n + 7, 1, 2]
                .into_iter()
                .filter(|&m| m != n)
                .map(|m| json!(m))
                .collect()
        }
        Value::Number(n) => {
            // Values with no short decimal form, so that "exactly" is tested.
            let x = n.as_f64().unwrap();
            [
                x * 1.1 + 0.1 + 0.2,
                x * 0.9 + 0.01,
                x + 0.1 + 0.2,
                x - 0.1,
                0.1 + 0.2,
                0.7 + 0.1,
                1.3,
                2.5,
                60.7,
            ]
            .into_iter()
            .filter(|&y| y != x)
            .map(|y| json!(y))
            .collect()
        }
        Value::String(text) => {
            let mut c: Vec<Value> =
                enums.iter().filter(|e| **e != text.as_str()).map(|e| json!(e)).collect();
            // A link names only a shipped trace (tests/page/link_refusals.rs).
            c.insert(0, json!(autoscale_playground::scenario::SHIPPED_TRACES[1].1));
            c
        }
        Value::Array(items) => {
            let scaled: Vec<Value> = items
                .iter()
                .map(|x| x.as_f64().map_or(x.clone(), |x| json!(x * 1.1 + 0.001)))
                .collect();
            let mut shorter = items.clone();
            shorter.pop();
            vec![json!(scaled), json!(shorter), json!([0.1 + 0.2, 0.7, 0.9]), json!([0.5, 7.25])]
        }
        Value::Null => vec![json!(1), json!(0.1 + 0.2), json!("traces/x.csv"), json!([1.5, 2.5])],
        Value::Object(_) => Vec::new(),
    }
}

#[test]
fn links_round_trip_every_field_of_the_scenario_changed_alone_exactly() {
    let base: serde_json::Value = serde_json::from_str(&Scenario::default().to_json()).unwrap();
    let mut paths = Vec::new();
    leaves(&base, &mut Vec::new(), &mut paths);
    assert!(paths.len() >= 40, "{} fields", paths.len());
    let mut unchanged = Vec::new();
    for path in &paths {
        let leaf = path.iter().fold(&base, |v, k| &v[k]);
        let changed = candidates(leaf).into_iter().find_map(|value| {
            let mut v = base.clone();
            *path.iter().fold(&mut v, |v, k| &mut v[k]) = value;
            Scenario::from_json(&v.to_string()).ok().filter(|s| *s != Scenario::default())
        });
        let Some(s) = changed else {
            unchanged.push(path.join("."));
            continue;
        };
        let (back, _) = decode(&encode(&s, &Presentation::default()))
            .unwrap_or_else(|e| panic!("{}: {e}", path.join(".")));
        assert_eq!(back, s, "{}", path.join("."));
    }
    assert_eq!(unchanged, Vec::<String>::new(), "fields with no other valid value tried");
}

#[test]
fn links_hold_only_what_differs_from_the_defaults() {
    let plain = encode(&Scenario::default(), &Presentation::default());
    assert!(plain.len() < 30, "{plain}");
    let s = Scenario { seed: 7, ..Scenario::default() };
    let one = encode(&s, &Presentation::default());
    assert!(one.len() < 40, "{one}");
    assert!(encode(&changed(), &Presentation::default()).len() < 400);
    // An empty link is refused (tests/page/link_refusals.rs); the defaults' is short.
    assert!(decode("").is_err());
    assert_eq!(decode(&plain).unwrap().0, Scenario::default());
}

/// A link whose payload is the given JSON text.
fn raw(json: &str) -> String {
    format!("{PREFIX}{}", base64url_encode(json.as_bytes()))
}

#[test]
fn broken_links_say_what_is_wrong() {
    let cases: Vec<(String, &str)> = vec![
        ("v9.abc".into(), "does not start with 'v1.'"),
        ("hello".into(), "does not start with 'v1.'"),
        (format!("{PREFIX}ab$d"), "character that does not belong"),
        (format!("{PREFIX}abcde"), "cut short"),
        (raw("{\"s\":{\"seed\":"), "not valid"),
        (raw("[1,2]"), "is a list, not an object"),
        (raw("{\"s\":{\"colour\":\"red\"}}"), "colour = \"red\": no such field; did you mean "),
        (raw("{\"s\":{\"agent\":{\"alpha\":7}}}"), "agent.alpha"),
        (raw("{\"s\":{\"steps\":0,\"dt_s\":-1}}"), "dt_s"),
        (raw("{\"s\":{\"workload\":{\"family\":\"tsunami\"}}}"), "workload.family = \"tsunami\": must be one of diurnal,"),
        (raw("{\"s\":{\"workload\":{\"base_rps\":1e400}}}"), "workload.base_rps = 1e400: must be a number from 0 to 100000"),
        (raw("{\"s\":{\"workload\":{\"base_rps\":\"NaN\"},\"steps\":\"x\"}}"), "steps = \"x\": must be a whole number from 1 to 1000000, not text\n  workload.base_rps = NaN: must be"),
        (raw("{\"s\":5}"), "not an object"),
        (raw("{\"x\":1}"), "a field 'x' that no link has"),
        (format!("{PREFIX}{}", "A".repeat(MAX_LINK_CHARS)), "at most 16384"),
    ];
    for (link, expected) in cases {
        let err = decode(&link).unwrap_err().to_string();
        assert!(err.contains(expected), "link {:.40}: '{err}' lacks '{expected}'", link);
    }
    // Every problem at once: two bad values, two messages.
    let err =
        decode(&raw("{\"s\":{\"agent\":{\"alpha\":7,\"gamma\":3}}}")).unwrap_err().to_string();
    assert!(err.contains("agent.alpha") && err.contains("agent.gamma"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, rng_seed: proptest::test_runner::RngSeed::Fixed(0x11c), ..ProptestConfig::default() })]

    #[test]
    fn any_text_decodes_or_errs_never_panics(text in ".{0,300}") {
        let _ = decode(&text);
        let _ = decode(&format!("{PREFIX}{text}"));
    }

    #[test]
    fn any_json_payload_decodes_to_a_valid_scenario_or_errs(seed in any::<u64>(), rps in -1e3f64..1e6, slots in 0u32..100, bins in proptest::collection::vec(-1f64..3.0, 0..6)) {
        let json = format!("{{\"s\":{{\"seed\":{seed},\"workload\":{{\"base_rps\":{rps}}},\"replica\":{{\"slots\":{slots}}},\"agent\":{{\"utilisation_bins\":{bins:?}}}}}}}");
        match decode(&raw(&json)) {
            Ok((s, _)) => prop_assert!(s.validate().is_ok()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn the_cli_reproduces_a_link() {
    let mut s = Scenario { steps: 360, ..Scenario::default() };
    s.workload.family = Family::Bursty;
    s.agent.episodes = 2;
    let link = format!("http://127.0.0.1:8000/#{}", encode(&s, &Presentation::default()));
    let by_link = run(&["compare", "--link", &link]);
    assert_eq!(by_link.status.code(), Some(0), "{}", stderr(&by_link));
    let by_set = run(&[
        "compare",
        "--set",
        "steps=360",
        "--set",
        "workload.family=bursty",
        "--episodes",
        "2",
    ]);
    assert_eq!(stdout(&by_link), stdout(&by_set));
    let bad = run(&["compare", "--link", "v1.%%%"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("does not belong"));
}
