//! Fuzzing of what a hostile link or file could carry (a module of `fuzz`, so
//! that `make fuzz` runs it at full size): links whose replay names paths,
//! FIFOs and devices, mutated, must never decode to a scenario naming a file;
//! and no message about an input carrying control characters (in a link, a
//! scenario's keys and values, an override) may echo one raw.

use super::{cases, run};
use autoscale_playground::link::{self, Presentation};
use autoscale_playground::scenario::{Scenario, SHIPPED_TRACES};

/// Sources a hand-edited link might carry: paths up and out of the folder,
/// devices and FIFOs, control characters, and the shipped traces' names.
const SOURCES: [&str; 14] = [
    "/etc/passwd",
    "../../../../etc/shadow",
    "traces/azure-llm-2023/../../../etc/passwd",
    "/dev/stdin",
    "/dev/zero",
    "/proc/self/fd/0",
    "/tmp/fifo",
    "C:\\\\Windows\\\\win.ini",
    "\\u001b]0;owned\\u0007\\u001b[2J.csv",
    "mine\\u202e.csv",
    "file:///etc/hosts",
    "azure-conv",
    "traces/azure-llm-2023/AzureLLMInferenceTrace_code.csv",
    "AzureLLMInferenceTrace_conv.csv",
];

/// A message must show no control character but its line breaks.
fn escaped(message: &str) {
    assert!(
        !message.chars().any(|c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        }),
        "a raw control character in {message:?}"
    );
}

/// A link of the payload `text`, wrapped by whitespace as a mail client wraps.
fn links_of(text: &str) -> (String, String) {
    let plain = format!("{}{}", link::PREFIX, link::base64url_encode(text.as_bytes()));
    let wrapped: String = plain
        .chars()
        .enumerate()
        .flat_map(|(i, c)| std::iter::once(c).chain((i % 23 == 22).then_some('\n')))
        .collect();
    (plain, wrapped)
}

#[test]
fn links_carrying_paths_never_name_a_file_and_never_echo_a_control_character() {
    let seeds: Vec<Vec<u8>> = SOURCES
        .iter()
        .map(|source| {
            format!("{{\"s\":{{\"workload\":{{\"family\":\"replay\",\"replay\":{{\"source\":\"{source}\"}}}}}},\"v\":{{\"autoplay\":true}}}}")
                .into_bytes()
        })
        .collect();
    let shipped: Vec<&str> =
        SOURCES.iter().filter_map(|s| autoscale_playground::scenario::shipped_trace(s)).collect();
    assert_eq!(shipped.len(), 3, "the corpus names each way of naming a shipped trace");
    run("link naming a file", &seeds, |text| {
        let (plain, wrapped) = links_of(text);
        let decoded = link::decode(&plain);
        // A wrapped link reads as the same link.
        assert_eq!(decoded, link::decode(&wrapped), "wrapped {plain}");
        match decoded {
            Ok((s, _)) => {
                let source = s.workload.replay.source.as_str();
                assert!(
                    source.is_empty() || SHIPPED_TRACES.iter().any(|t| t.1 == source),
                    "a link named the file {source:?}: {text}"
                );
                true
            }
            Err(e) => {
                escaped(&e.to_string());
                false
            }
        }
    });
}

#[test]
fn no_message_echoes_a_control_character_raw() {
    // Scenario JSON and overrides whose keys and values hold escapes, and raw
    // control bytes the mutations move about.
    let seeds: Vec<Vec<u8>> = vec![
        b"{\"seed\": \"\\u001b[2J\", \"workload\": {\"family\": \"bursty\\u0007\"}}".to_vec(),
        b"{\"\\u001b]0;title\\u0007\": 1, \"steps\": 10}".to_vec(),
        b"{\"workload\": {\"replay\": {\"source\": \"\\u001b[31mred.csv\"}}, \"dt_s\": 30}"
            .to_vec(),
        b"{\"agent\": {\"utilisation_bins\": [0.5, \"\\u009b2J\"]}, \"\x1b[2J\": \"\x07\"}"
            .to_vec(),
        Scenario::default().to_json().into_bytes(),
    ];
    run("control characters (scenario JSON)", &seeds, |text| match Scenario::from_json(text) {
        Ok(_) => true,
        Err(e) => {
            escaped(&e.to_string());
            false
        }
    });
    let overrides: Vec<Vec<u8>> = [
        "seed=7\nworkload.family=bursty",
        "workload.replay.source=\u{1b}[2J\u{7}.csv\nsteps=100",
        "\u{1b}]0;title\u{7}=1\nworkload.family=\u{1b}[5m",
        "agent.utilisation_bins=[0.5,\"\u{1b}\"]\n\u{202e}x",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    run("control characters (overrides)", &overrides, |text| {
        let lines: Vec<&str> = text.lines().collect();
        match Scenario::default().with_overrides(&lines) {
            Ok(_) => true,
            Err(e) => {
                escaped(&e.to_string());
                false
            }
        }
    });
    let links: Vec<Vec<u8>> = seeds
        .iter()
        .map(|s| format!("{{\"s\":{}}}", String::from_utf8_lossy(s)).into_bytes())
        .chain([link::encode(&Scenario::default(), &Presentation::default()).into_bytes()])
        .collect();
    run("control characters (links)", &links, |text| {
        // As a payload, and as the link's text itself.
        let (plain, _) = links_of(text);
        [link::decode(text), link::decode(&plain)].into_iter().fold(false, |any, decoded| {
            match decoded {
                Ok(_) => true,
                Err(e) => {
                    escaped(&e.to_string());
                    any
                }
            }
        })
    });
    assert!(cases() > 0);
}
