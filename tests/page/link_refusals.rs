//! Links that must be refused, each with its own plain message: a link naming a
//! file (a link is pasted from others and never chooses a file on the reader's
//! machine), an empty link, a payload that is no object, a key given twice, text
//! where a number belongs; and what a link's message shows of it (escaped, cut).
//! A link wrapped by a mail client is read once its whitespace is stripped.

use autoscale_playground::link::{base64url_encode, decode, encode, Presentation, PREFIX};
use autoscale_playground::scenario::{Family, Scenario, SHIPPED_TRACES};

/// A link whose payload is the given JSON text.
fn raw(json: &str) -> String {
    format!("{PREFIX}{}", base64url_encode(json.as_bytes()))
}

/// The message of a link that must be refused.
fn refusal(link: &str) -> String {
    match decode(link) {
        Ok((s, _)) => panic!("accepted {link:.60}: source {:?}", s.workload.replay.source),
        Err(e) => e.to_string(),
    }
}

/// A link of a replay of `source`, as a hand-edited link would carry it.
fn replay_of(source: &str) -> String {
    let s =
        serde_json::json!({"s": {"workload": {"family": "replay", "replay": {"source": source}}}});
    raw(&s.to_string())
}

#[test]
fn a_link_naming_a_file_of_this_machine_is_refused_naming_the_field() {
    for source in [
        "/etc/passwd",
        "../../../../etc/passwd",
        "mine.csv",
        "/dev/stdin",
        "/tmp/fifo",
        "C:\\Users\\me\\trace.csv",
        "traces/azure-llm-2023/../../../etc/passwd",
        "./traces/azure-llm-2023/AzureLLMInferenceTrace_conv.csv",
    ] {
        let e = decode(&replay_of(source)).unwrap_err();
        assert_eq!(e.fields(), vec!["workload.replay.source"], "{source}");
        let text = e.to_string();
        let quoted = autoscale_playground::error::shown(source);
        assert!(
            text.contains(&format!("workload.replay.source = \"{quoted}\": a link names no file")),
            "{source}: {text}"
        );
        assert!(text.contains("azure-conv, azure-code"), "{text}");
    }
    // Carried by a link of another family too: a later `--set
    // workload.family=replay` would open it.
    let other = raw(r#"{"s":{"workload":{"family":"bursty","replay":{"source":"/etc/shadow"}}}}"#);
    assert!(refusal(&other).contains("workload.replay.source = \"/etc/shadow\""));
    // With the other problems of the link, all at once.
    let both = raw(r#"{"s":{"agent":{"alpha":7},"workload":{"replay":{"source":"/etc/shadow"}}}}"#);
    let text = refusal(&both);
    assert!(text.contains("agent.alpha = 7") && text.contains("/etc/shadow"), "{text}");
}

#[test]
fn a_link_names_a_shipped_trace_by_its_preset_path_or_file_name() {
    for (preset, path) in SHIPPED_TRACES {
        let file = path.rsplit('/').next().unwrap();
        for name in [preset, path, file] {
            let (s, _) = decode(&replay_of(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(s.workload.replay.source, path, "{name}");
            assert_eq!(s.workload.family, Family::Replay);
        }
    }
    // The page's own link of a real-trace preset reads back as it was.
    let s = autoscale_playground::presets::preset("azure-code").unwrap();
    assert_eq!(decode(&encode(&s, &Presentation::default())).unwrap().0, s);
}

#[test]
fn an_empty_link_is_refused_not_read_as_the_defaults() {
    for link in ["", "#", "   ", "\n"] {
        let text = refusal(link);
        assert!(text.starts_with("the link is empty"), "{link:?}: {text}");
    }
}

#[test]
fn a_payload_that_is_no_object_is_refused_saying_what_it_is() {
    for (json, what) in [
        ("[1,2]", "a list"),
        ("[]", "a list"),
        ("5", "a number"),
        ("\"s\"", "text"),
        ("null", "null"),
        ("true", "true or false"),
    ] {
        let text = refusal(&raw(json));
        assert!(
            text.contains(&format!("the link's content is {what}, not an object")),
            "{json}: {text}"
        );
    }
    assert!(refusal(&raw(r#"{"s":[1]}"#)).contains("the link's scenario is not an object"));
    assert!(refusal(&raw(r#"{"v":[true]}"#)).contains("the link's view is not an object"));
    let text = refusal(&raw(r#"{"x":1}"#));
    assert!(
        text.contains("'x'") && text.contains("only s (the scenario) and v (the view)"),
        "{text}"
    );
}

#[test]
fn a_key_given_twice_is_refused_naming_the_field() {
    for (json, field) in [
        (r#"{"s":{"seed":1,"seed":2}}"#, "seed is given twice"),
        (
            r#"{"s":{"workload":{"family":"bursty","family":"step"}}}"#,
            "workload.family is given twice",
        ),
        (r#"{"s":{},"s":{"seed":3}}"#, "the link's 's' is given twice"),
        (r#"{"v":{"autoplay":true,"autoplay":false}}"#, "the view's autoplay is given twice"),
    ] {
        let text = refusal(&raw(json));
        assert!(text.contains(field), "{json}: {text}");
        assert!(!text.contains(" at line "), "no position inside a link's hidden text: {text}");
    }
}

#[test]
fn text_where_a_number_belongs_says_it_is_text() {
    let text = refusal(&raw(r#"{"s":{"seed":"42"}}"#));
    assert!(
        text.contains(
            "seed = \"42\": must be a whole number from 0 to 18446744073709551615, not text"
        ),
        "{text}"
    );
    let text =
        refusal(&raw(r#"{"s":{"workload":{"base_rps":"24"},"agent":{"learn_live":"true"}}}"#));
    assert!(
        text.contains("workload.base_rps = \"24\": must be a number from 0 to 100000, not text"),
        "{text}"
    );
    assert!(
        text.contains("agent.learn_live = \"true\": must be true or false, not text"),
        "{text}"
    );
    // A number JSON cannot hold is shown bare, as written: it is no text.
    let text = refusal(&raw(r#"{"s":{"workload":{"base_rps":1e400}}}"#));
    assert!(
        text.contains("workload.base_rps = 1e400: must be a number from 0 to 100000\n")
            || text.ends_with("workload.base_rps = 1e400: must be a number from 0 to 100000"),
        "{text}"
    );
    // The view's fields, each with its range.
    let text =
        refusal(&raw(r#"{"v":{"start_step":"5","autoplay":"yes","controls":"all","colour":1}}"#));
    for line in [
        "start_step = \"5\": must be a whole number from 0 to 4294967295, not text",
        "autoplay = \"yes\": must be true or false, not text",
        "controls = \"all\": must be one of full, charts, playback",
        "colour = 1: no such field of a link's view",
    ] {
        assert!(text.contains(line), "'{line}' in {text}");
    }
}

#[test]
fn a_link_wrapped_by_a_mail_client_is_read_once_its_whitespace_is_stripped() {
    let mut s = Scenario { seed: 987_654_321, steps: 777, ..Scenario::default() };
    s.workload.family = Family::Bursty;
    let view = Presentation { start_step: 12, autoplay: true, ..Presentation::default() };
    let link = encode(&s, &view);
    let wrapped: String = link
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let cut = if i % 17 == 16 {
                "\r\n  "
            } else if i % 11 == 10 {
                " \t"
            } else {
                ""
            };
            std::iter::once(c).chain(cut.chars())
        })
        .collect();
    assert!(wrapped.contains('\n') && wrapped.len() > link.len() + 20);
    let (back, back_view) = decode(&format!("\n #{wrapped}\n")).expect("a wrapped link reads");
    assert_eq!((back, back_view), (s, view));
}

#[test]
fn what_a_refused_link_shows_of_itself_is_escaped_and_short() {
    let e = refusal("\u{1b}[2J\u{7}hello");
    assert!(!e.contains('\u{1b}') && !e.contains('\u{7}'), "{e:?}");
    assert!(e.contains("\\e[2J\\u{7}"), "{e}");
    let text = refusal(&raw(
        "{\"s\":{\"\\u001b]0;owned\\u0007\":1,\"workload\":{\"family\":\"\\u001b[31mred\"}}}",
    ));
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    assert!(text.contains("\\e]0;owned\\u{7} = 1: no such field"), "{text}");
    assert!(text.contains("workload.family = \"\\e[31mred\""), "{text}");
    // A long value is cut, with its length.
    let long = format!("{{\"s\":{{\"workload\":{{\"family\":\"{}\"}}}}}}", "x".repeat(5000));
    let text = refusal(&raw(&long));
    assert!(text.len() < 400 && text.contains("(5000 characters)"), "{text}");
    // A link naming a file with control characters: the path escaped.
    let text = refusal(&replay_of("/tmp/\u{1b}[2Jx.csv"));
    assert!(text.contains("/tmp/\\e[2Jx.csv") && !text.contains('\u{1b}'), "{text}");
}
