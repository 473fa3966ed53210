//! The core's own JSON (src/json/) against serde_json, which it replaced in the
//! page's wasm: the same text for every value written, the same values and the
//! same refusals for every text read (bar its two strictnesses: a key given
//! twice, a number beyond every float), the same floats to the bit.

use autoscale_playground::json::{self, Value};
use autoscale_playground::link::Presentation;
use autoscale_playground::Scenario;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

fn parse(text: &str) -> Result<Value, json::Error> {
    json::parse(text, &|p| p.to_string())
}

/// Random floats of every size: random bits (NaN and infinities skipped), and
/// short decimals, whose shortest text is short.
fn floats(n: usize) -> Vec<f64> {
    let mut rng = Pcg64::seed_from_u64(7);
    let mut out = vec![0.0, -0.0, 1.0, 0.1, 1e-5, 9.999e-6, 1e15, 1e16, 123456789012345680.0];
    // The largest, the smallest normal, the smallest and the largest subnormal.
    out.extend([f64::MAX, f64::MIN_POSITIVE, 5e-324, f64::from_bits((1 << 52) - 1), 1e21, 1e-7]);
    while out.len() < n {
        let bits: u64 = rng.random();
        let x = f64::from_bits(bits);
        if x.is_finite() {
            out.push(x);
        }
        let digits: u32 = rng.random_range(1..1_000_000);
        let exp: i32 = rng.random_range(-30..30);
        out.push(digits as f64 * 10f64.powi(exp));
    }
    out
}

/// The core's text of `x` is serde_json's, or, where the shortest digits that
/// read back are not one text (`156589006745741.13` and `.12`, the float
/// between them), as many digits in the same layout: core's `{:e}` picks one,
/// serde_json's writer may pick the other; both read back to `x`. True when
/// they differ so.
fn same_or_twin(x: f64, ours: &str, theirs: &str) -> bool {
    let back = parse(ours).unwrap().as_f64().unwrap();
    assert_eq!(back.to_bits(), x.to_bits(), "{ours} does not read back");
    if ours == theirs {
        return false;
    }
    let shape =
        |t: &str| t.bytes().map(|b| if b.is_ascii_digit() { b'0' } else { b }).collect::<Vec<_>>();
    assert_eq!(shape(ours), shape(theirs), "{x:e}: {ours} against {theirs}");
    true
}

#[test]
fn floats_are_written_as_serde_json_writes_them() {
    let mut twins = 0;
    for x in floats(20_000) {
        let ours = Value::Number(json::Number::from_f64(x).unwrap()).to_string();
        twins += same_or_twin(x, &ours, &serde_json::Value::from(x).to_string()) as usize;
    }
    assert!(twins < 100, "{twins} of 20,000 written otherwise");
}

#[test]
fn numbers_are_read_to_the_bit_as_serde_json_reads_them() {
    let mut rng = Pcg64::seed_from_u64(11);
    let mut texts: Vec<String> = floats(5_000)
        .into_iter()
        .flat_map(|x| [format!("{x:e}"), format!("{x}"), format!("{x:.3e}")])
        .collect();
    texts.extend(
        ["0", "-0", "18446744073709551615", "18446744073709551616", "-9223372036854775808"]
            .map(String::from),
    );
    texts.extend(
        ["-9223372036854775809", "1e-400", "0.0e999", "2.4703282292062327e-324"].map(String::from),
    );
    texts.extend(
        ["2.4703282292062328e-324", "1.7976931348623157e308", "0.30000000000000004"]
            .map(String::from),
    );
    for _ in 0..3_000 {
        // Long decimals near halfway points: many digits, any exponent.
        let len = rng.random_range(16..60);
        let digits: String =
            (0..len).map(|i| char::from(b'0' + rng.random_range(u8::from(i == 0)..10))).collect();
        texts.push(format!("{digits}e{}", rng.random_range(-340..300)));
        texts.push(format!("0.{digits}"));
    }
    for text in &texts {
        let ours = parse(text).unwrap();
        let theirs: serde_json::Value = match serde_json::from_str(text) {
            Err(e) if e.to_string().starts_with("number out of range") => {
                assert_eq!(ours, Value::String(text.clone()));
                continue;
            }
            other => other.unwrap(),
        };
        match (&ours, &theirs) {
            (Value::Number(a), serde_json::Value::Number(b)) => {
                assert_eq!(a.as_u64(), b.as_u64(), "{text}");
                assert_eq!(a.as_f64().to_bits(), b.as_f64().unwrap().to_bits(), "{text}");
                same_or_twin(a.as_f64(), &a.to_string(), &b.to_string());
            }
            _ => panic!("{text}: {ours:?} against {theirs:?}"),
        }
    }
}

#[test]
fn documents_read_and_write_as_serde_jsons() {
    let docs = [
        r#"{"b":[1,2.5,-3,{"x":null}],"a":"t\"e\\x\n\u00e9\ud83d\ude00\u0001","c":true,"d":false,"e":{}}"#,
        " [ ] ",
        "\"\\/\\b\\f\\r\\t\"",
        "{\"z\":1,\"y\":{\"x\":[[],[[]]]}}",
    ];
    for doc in docs {
        let theirs: serde_json::Value = serde_json::from_str(doc).unwrap();
        assert_eq!(parse(doc).unwrap().to_string(), theirs.to_string(), "{doc}");
    }
}

#[test]
fn malformed_text_is_refused_in_serde_jsons_words_and_place() {
    let deep = "[".repeat(200);
    let bad = [
        "",
        "not json",
        "tru",
        "{",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":1",
        "{\"a\" 1}",
        "{a:1}",
        "[1,]",
        "{\"a\":1,}",
        "[1 2]",
        "01",
        "1.",
        "1.e3",
        "1e",
        "-",
        "-a",
        "\"abc",
        "\"\\q\"",
        "\"\\u12\"",
        "\"a\u{1}\"",
        "[1]x",
        "{\"a\":1}}",
        "\n\n  [1,\n  2,,]",
        "\"\\udc00\"",
        &deep,
    ];
    for text in bad {
        let ours = parse(text).expect_err(text).to_string();
        let theirs = serde_json::from_str::<serde_json::Value>(text).expect_err(text).to_string();
        assert_eq!(ours, theirs, "{text:?}");
    }
}

#[test]
fn the_core_keeps_a_number_beyond_every_float_as_its_text_and_refuses_a_key_given_twice() {
    assert_eq!(parse("[1e400,-2e999]").unwrap().to_string(), r#"["1e400","-2e999"]"#);
    let e = parse(r#"{"a":{"b":1,"b":2}}"#).unwrap_err();
    assert!(e.is_data());
    assert_eq!(e.message(), "a.b is given twice; give each field once");
    assert!(!parse("{").unwrap_err().is_data());
}

#[test]
fn scenarios_and_views_are_written_as_serde_json_writes_them() {
    let mut views = vec![Presentation::default()];
    views.push(Presentation { start_step: 17, autoplay: true, ..Presentation::default() });
    for view in &views {
        assert_eq!(json::to_string(view), serde_json::to_string(view).unwrap());
        assert_eq!(
            json::to_value(view).to_string(),
            serde_json::to_value(view).unwrap().to_string()
        );
    }
    for name in autoscale_playground::presets::NAMES {
        let s = autoscale_playground::presets::preset(name).unwrap();
        let theirs = serde_json::to_value(&s).unwrap();
        assert_eq!(json::to_value(&s).to_string(), theirs.to_string(), "{name}");
        // The text is made from the tree the table of knobs reads (not serde's).
        assert_eq!(s.to_json(), serde_json::to_string_pretty(&s).unwrap(), "{name}");
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s, "{name}");
    }
}
