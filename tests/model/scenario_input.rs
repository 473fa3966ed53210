//! A scenario read from hostile or careless text (a file, `--set`): a key given
//! twice is refused by name, text where a number belongs says so, a list longer
//! than any knob takes is refused as it is read and counted rather than echoed,
//! what is echoed is escaped and cut, and the problems listed are capped with a
//! count of the rest.

use autoscale_playground::error::MAX_PROBLEMS_SHOWN;
use autoscale_playground::scenario::Scenario;

fn refusal(json: &str) -> String {
    Scenario::from_json(json).unwrap_err().to_string()
}

#[test]
fn a_key_given_twice_in_a_file_is_refused_naming_the_field_and_where() {
    let text = refusal(
        "{\n  \"seed\": 1,\n  \"workload\": {\"family\": \"bursty\",\n \"family\": \"step\"}\n}",
    );
    assert!(text.contains("workload.family is given twice; give each field once"), "{text}");
    assert!(text.contains("line 4"), "{text}");
    let text = refusal(r#"{"steps": 10, "steps": 20}"#);
    assert!(text.contains("steps is given twice"), "{text}");
    // In an override's JSON value too.
    let e = Scenario::default()
        .with_overrides(&[r#"workload={"family":"bursty","family":"step"}"#])
        .unwrap_err()
        .to_string();
    assert!(e.contains("workload: family is given twice"), "{e}");
    // The same key in two objects is no duplicate.
    let s = Scenario::from_json(
        r#"{"rule":{"stabilisation_s":60},"predictive":{"stabilisation_s":90}}"#,
    )
    .unwrap();
    assert_eq!((s.rule.stabilisation_s, s.predictive.stabilisation_s), (60.0, 90.0));
}

#[test]
fn text_where_a_number_or_a_flag_belongs_says_it_is_text() {
    let text = refusal(
        r#"{"seed": "42", "steps": "10", "agent": {"learn_live": "false", "utilisation_bins": "0.5"}}"#,
    );
    for line in [
        "seed = \"42\": must be a whole number from 0 to 18446744073709551615, not text",
        "steps = \"10\": must be a whole number from 1 to 1000000, not text",
        "agent.learn_live = \"false\": must be true or false, not text",
        "agent.utilisation_bins = \"0.5\": must be a list of at most 16 numbers, each from 0 to 100, not text",
    ] {
        assert!(text.contains(line), "'{line}' in {text}");
    }
    let e = Scenario::default().with_overrides(&["seed=\"42\""]).unwrap_err().to_string();
    assert!(
        e.contains(
            "seed = \"42\": must be a whole number from 0 to 18446744073709551615, not text"
        ),
        "{e}"
    );
    // A number JSON cannot hold is no text: shown bare, as the README's example.
    let e = Scenario::default()
        .with_overrides(&["workload.base_rps=NaN", "seed=1e400"])
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "invalid scenario:\n  seed = 1e400: must be a whole number from 0 to 18446744073709551615\n  workload.base_rps = NaN: must be a number from 0 to 100000"
    );
}

#[test]
fn a_list_longer_than_any_knob_takes_is_refused_as_read_counted_not_echoed() {
    let items: Vec<String> = (0..100_000).map(|i| format!("{}", i as f64 / 1000.0)).collect();
    let json = format!("{{\"agent\":{{\"utilisation_bins\":[{}]}}}}", items.join(","));
    let text = refusal(&json);
    assert_eq!(
        text,
        "invalid scenario:\n  agent.utilisation_bins = a list of 100,000 items: must be a list of at most 16 numbers, each from 0 to 100"
    );
    let e = Scenario::default()
        .with_overrides(&[format!("workload.mmpp_rates=[{}]", vec!["1"; 17].join(","))])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(
            "workload.mmpp_rates = a list of 17 items: must be a list of at most 16 numbers"
        ),
        "{e}"
    );
    // Sixteen is taken.
    let bins: Vec<String> = (1..=16).map(|i| format!("{}", i as f64 / 16.0)).collect();
    let s = Scenario::from_json(&format!(
        "{{\"agent\":{{\"utilisation_bins\":[{}]}}}}",
        bins.join(",")
    ))
    .unwrap();
    assert_eq!(s.agent.utilisation_bins.len(), 16);
    // A list no longer than the knob takes, with an item that is no number, is
    // shown as given: sixteen items, and two.
    for items in [15, 1] {
        let e = Scenario::default()
            .with_overrides(&[format!(
                "workload.mmpp_rates=[{},\"x\"]",
                vec!["1"; items].join(",")
            )])
            .unwrap_err()
            .to_string();
        let shown = format!("[{},\"x\"]", vec!["1"; items].join(","));
        assert!(e.contains(&format!("workload.mmpp_rates = {shown}: must be a list")), "{e}");
    }
}

#[test]
fn the_problems_listed_are_capped_and_the_rest_counted() {
    let keys: Vec<String> = (0..1000).map(|i| format!("\"nope{i}\":{i}")).collect();
    let text = refusal(&format!("{{\"agent\":{{\"alpha\":7}},{}}}", keys.join(",")));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + MAX_PROBLEMS_SHOWN + 1, "{text}");
    assert_eq!(lines[1], "  agent.alpha = 7: must be a number from 0 to 1");
    assert!(lines[2].contains(": no such field; did you mean"), "{}", lines[2]);
    assert_eq!(lines[MAX_PROBLEMS_SHOWN + 1], "  … and 981 more");
    // Overrides too.
    let many: Vec<String> = (0..50).map(|i| format!("bogus{i}=1")).collect();
    let e = Scenario::default().with_overrides(&many).unwrap_err().to_string();
    assert!(e.ends_with("\n  … and 30 more"), "{e}");
}

#[test]
fn keys_and_values_are_escaped_and_cut_in_messages() {
    let text = refusal("{\"\\u001b[2J\\u0007\": \"\\u001b]0;title\\u0007\", \"workload\": {\"family\": \"\\u202eevil\"}}");
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    assert!(!text.contains('\u{202e}'), "{text:?}");
    assert!(text.contains("\\e[2J\\u{7} = \"\\e]0;title\\u{7}\": no such field"), "{text}");
    assert!(text.contains("workload.family = \"\\u{202e}evil\""), "{text}");
    let long_key = "k".repeat(10_000);
    let text = refusal(&format!("{{\"{long_key}\": \"{}\"}}", "v".repeat(10_000)));
    assert!(text.len() < 400, "{} bytes: {:.300}", text.len(), text);
    assert!(text.contains("(10000 characters)"), "{text}");
    // An override that is not key=value, escaped.
    let e = Scenario::default().with_overrides(&["\u{1b}[2Jnothing"]).unwrap_err().to_string();
    assert!(e.contains("\\e[2Jnothing: an override is key=value") && !e.contains('\u{1b}'), "{e}");
}
