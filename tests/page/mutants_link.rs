//! Share links at the edges the round trips leave open: a view without a
//! scenario, a null scenario, the exact text written, the length bound, and the
//! controls of links made before class links.

use autoscale_playground::link::{
    base64url_decode, base64url_encode, decode, encode, Controls, Presentation, MAX_LINK_CHARS,
    PREFIX,
};
use autoscale_playground::scenario::Scenario;

/// A link whose payload is the given JSON text.
fn raw(json: &str) -> String {
    format!("{PREFIX}{}", base64url_encode(json.as_bytes()))
}

/// The JSON text a link carries.
fn payload(link: &str) -> String {
    let body = link.strip_prefix(PREFIX).expect("a link of this format");
    String::from_utf8(base64url_decode(body).expect("base64url")).expect("text")
}

#[test]
fn a_link_with_a_view_and_no_scenario_is_the_default_scenario_shown_so() {
    let (s, v) = decode(&raw(r#"{"v":{"autoplay":true,"start_step":9}}"#)).expect("a valid link");
    assert_eq!(s, Scenario::default());
    assert_eq!(v, Presentation { autoplay: true, start_step: 9, ..Presentation::default() });
    // "s": null reads as no field changed.
    let (s, v) = decode(&raw(r#"{"s":null,"v":{"lesson":true}}"#)).expect("a valid link");
    assert_eq!(s, Scenario::default());
    assert_eq!(v, Presentation { lesson: true, ..Presentation::default() });
    // Neither: the defaults, shown the default way.
    assert_eq!(
        decode(&raw("{}")).expect("a valid link"),
        (Scenario::default(), Presentation::default())
    );
    // A scenario that is not an object is refused, null or not.
    for bad in [r#"{"s":[1]}"#, r#"{"s":"seed=3"}"#, r#"{"s":true,"v":{"lesson":true}}"#] {
        let e = decode(&raw(bad)).expect_err(bad).to_string();
        assert!(e.contains("the link's scenario is not an object of fields"), "{bad}: {e}");
    }
}

#[test]
fn a_link_writes_only_what_differs_and_no_view_when_the_view_is_the_default() {
    assert_eq!(
        payload(&encode(&Scenario::default(), &Presentation::default())),
        r#"{"s":{},"v":null}"#
    );
    let s = Scenario { seed: 7, steps: 100, ..Scenario::default() };
    assert_eq!(
        payload(&encode(&s, &Presentation::default())),
        r#"{"s":{"seed":7,"steps":100},"v":null}"#
    );
    let mut nested = Scenario::default();
    nested.agent.alpha = 0.25;
    assert_eq!(
        payload(&encode(&nested, &Presentation::default())),
        r#"{"s":{"agent":{"alpha":0.25}},"v":null}"#
    );
    let view = Presentation { autoplay: true, ..Presentation::default() };
    let text = payload(&encode(&Scenario::default(), &view));
    assert!(text.starts_with(r#"{"s":{},"v":{"#) && text.contains(r#""autoplay":true"#), "{text}");
}

#[test]
fn a_link_of_the_longest_length_is_read_and_one_longer_is_refused() {
    // 16,384 characters after '#': read (and refused only as cut short, its
    // length being no encoded text's).
    let longest = format!("{PREFIX}{}", "A".repeat(MAX_LINK_CHARS - PREFIX.len()));
    assert_eq!(longest.len(), MAX_LINK_CHARS);
    let e = decode(&format!("#{longest}")).expect_err("cut short").to_string();
    assert!(e.contains("cut short") && !e.contains("at most"), "{e}");
    let e = decode(&format!("{longest}A")).expect_err("too long").to_string();
    assert!(e.contains("the link is 16385 characters long; at most 16384 are accepted"), "{e}");
    // Spaces around a link are not part of it, and a link of spaces is empty.
    let e = decode("  ").expect_err("empty").to_string();
    assert!(e.starts_with("the link is empty"), "{e}");
    let link = encode(&Scenario { seed: 3, ..Scenario::default() }, &Presentation::default());
    assert_eq!(decode(&format!(" #{link}\n")).expect("a valid link").0.seed, 3);
}

#[test]
fn a_bad_link_is_quoted_where_it_goes_wrong() {
    // White space inside is a mail client's wrapping, left out before reading.
    let e = decode("hello world, this is not a link").expect_err("no prefix").to_string();
    assert!(e.contains("(it starts 'helloworld,t')"), "{e}");
    // The position counts from the '#': "v1." is 1 to 3, so the '$' of "ab$d" is 6.
    let e = decode(&format!("{PREFIX}ab$d")).expect_err("a bad character").to_string();
    assert!(e.contains("at position 6 ('$')"), "{e}");
    let e = decode(&format!("{PREFIX}abc\u{1}")).expect_err("a control character").to_string();
    assert!(e.contains("at position 7 ('\\u{1}')"), "{e}");
    // Padding is tolerated; a body of 4k + 1 characters is no encoded text.
    assert_eq!(base64url_decode("aGVsbG8=").expect("padded"), b"hello");
    assert_eq!(base64url_decode("aGVsbG8").expect("unpadded"), b"hello");
    assert_eq!(base64url_decode("aGVsbA").expect("two left over"), b"hell");
    assert!(base64url_decode("aGVsb").is_err());
    assert_eq!(base64url_decode("-_-_").expect("the url alphabet"), [0xfb, 0xff, 0xbf]);
    assert_eq!(base64url_encode(&[0xfb, 0xff, 0xbf]), "-_-_");
    assert_eq!(base64url_encode(&[]), "");
    assert_eq!(base64url_encode(&[0]), "AA");
    assert_eq!(base64url_encode(&[0, 0]), "AAA");
}

#[test]
fn hidden_controls_of_an_older_link_read_as_the_charts_unless_the_link_says_more() {
    let old = Presentation { hide_controls: true, ..Presentation::default() };
    assert_eq!(old.controls(), Controls::Charts);
    let playback = Presentation {
        hide_controls: true,
        controls: Controls::Playback,
        ..Presentation::default()
    };
    assert_eq!(playback.controls(), Controls::Playback);
    let full =
        Presentation { hide_controls: false, controls: Controls::Full, ..Presentation::default() };
    assert_eq!(full.controls(), Controls::Full);
    let charts = Presentation {
        hide_controls: false,
        controls: Controls::Charts,
        ..Presentation::default()
    };
    assert_eq!(charts.controls(), Controls::Charts);
}

#[test]
fn the_pages_view_text_reads_as_a_links_view_and_a_bad_one_is_refused_by_name() {
    use autoscale_playground::link::read_view_json;
    // The page hands its view over as JSON text; it reads as a link's "v" does.
    let v = read_view_json(r#"{"autoplay":true,"start_step":120,"controls":"playback"}"#)
        .expect("a valid view");
    assert_eq!(
        v,
        Presentation {
            autoplay: true,
            start_step: 120,
            controls: Controls::Playback,
            ..Presentation::default()
        }
    );
    assert_eq!(read_view_json("{}"), Ok(Presentation::default()));
    // Not an object, not JSON, or a field out of its range: refused with what is allowed.
    assert_eq!(read_view_json("[true]"), Err("a view is a JSON object of fields".to_string()));
    assert!(read_view_json("{\"autoplay\":").is_err());
    let e = read_view_json(r#"{"start_step":-1}"#).expect_err("a negative step");
    assert!(e.contains("start_step = -1: must be a whole number from 0 to 4294967295"), "{e}");
    let e = read_view_json(r#"{"zoom":2}"#).expect_err("no such field");
    assert!(e.contains("zoom = 2: no such field of a link's view"), "{e}");
}

#[test]
fn a_views_problems_say_not_text_only_for_text_and_past_twenty_how_many_more() {
    use autoscale_playground::error::MAX_PROBLEMS_SHOWN;
    use autoscale_playground::link::read_view_json;
    // Text where a flag or a number belongs is named as text; a name that is
    // not one of the controls is text where text belongs.
    let e = read_view_json(r#"{"autoplay":"yes"}"#).unwrap_err();
    assert!(e.ends_with("autoplay = \"yes\": must be true or false, not text"), "{e}");
    let e = read_view_json(r#"{"controls":"teacher"}"#).unwrap_err();
    assert!(e.ends_with("controls = \"teacher\": must be one of full, charts, playback"), "{e}");
    let e = read_view_json(r#"{"controls":3}"#).unwrap_err();
    assert!(e.ends_with("controls = 3: must be one of full, charts, playback"), "{e}");
    // Twenty problems are all shown; one more is counted, not listed.
    let view = |n: usize| {
        let fields: Vec<String> = (0..n).map(|i| format!("\"x{i:02}\":1")).collect();
        format!("{{{}}}", fields.join(","))
    };
    let e = read_view_json(&view(MAX_PROBLEMS_SHOWN)).unwrap_err();
    assert_eq!(e.lines().count(), 1 + MAX_PROBLEMS_SHOWN, "{e}");
    assert!(!e.contains("more"), "{e}");
    let e = read_view_json(&view(MAX_PROBLEMS_SHOWN + 3)).unwrap_err();
    assert_eq!(e.lines().count(), 2 + MAX_PROBLEMS_SHOWN, "{e}");
    assert!(e.ends_with("… and 3 more"), "{e}");
}
