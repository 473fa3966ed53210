#![cfg(target_arch = "wasm32")]
//! The browser binding in headless Chromium (`make test-browser` runs it with
//! wasm-bindgen-test-runner): the `Playground` handle over the core's page
//! (whose logic `tests/page/` checks natively), canvases drawn after `render`,
//! HiDPI backing stores, errors as JavaScript errors with a message and the
//! offending fields, a reset drawing the same pixels, and a worker's `Training`.

use autoscale_playground::web::{
    apply_overrides, decode_link, encode_link, preset_scenario, replay_max_bytes, replay_scenario,
    Playground, SliceDirection, Training, WorldChoice,
};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

const PANELS: [&str; 7] =
    ["capacity", "latency", "cost", "heatmap", "forecast", "curve", "forensics"];

/// Canvases for every panel, ids prefixed with `prefix`, 400x220 CSS pixels.
fn canvases(prefix: &str) -> JsValue {
    let document = web_sys::window().unwrap().document().unwrap();
    let ids = js_sys::Object::new();
    for panel in PANELS {
        let id = format!("{prefix}-{panel}");
        if document.get_element_by_id(&id).is_none() {
            let canvas = document.create_element("canvas").unwrap();
            canvas.set_id(&id);
            canvas.set_attribute("style", "display:block;width:400px;height:220px").unwrap();
            document.body().unwrap().append_child(&canvas).unwrap();
        }
        js_sys::Reflect::set(&ids, &panel.into(), &id.into()).unwrap();
    }
    ids.into()
}

/// A short run (12 hours) of a preset with few training episodes.
fn scenario(preset: &str, episodes: u32) -> String {
    let base = preset_scenario(preset).map_err(message).unwrap();
    apply_overrides(&base, vec!["steps=720".into(), format!("agent.episodes={episodes}")])
        .map_err(message)
        .unwrap()
}

fn message(e: JsValue) -> String {
    e.dyn_into::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|v| format!("{v:?}"))
}

/// The `fields` an error names.
fn fields(e: &JsValue) -> Vec<String> {
    let fields = js_sys::Reflect::get(e, &"fields".into()).unwrap();
    js_sys::Array::from(&fields).iter().map(|f| f.as_string().unwrap()).collect()
}

fn metrics(p: &Playground) -> Value {
    serde_wasm_bindgen::from_value(p.metrics().map_err(message).unwrap()).unwrap()
}

/// Trains every planned episode in one frame with no time limit, as the page
/// does across frames; the run then plays.
fn train_all(p: &mut Playground) {
    p.start_training(true);
    p.advance(0, &js_sys::Function::new_no_args("return false")).map_err(message).unwrap();
    assert!(!p.training() && p.playing());
}

fn trained(prefix: &str, episodes: u32) -> Playground {
    let mut p = Playground::new(&scenario("diurnal", episodes), canvases(prefix), None)
        .map_err(message)
        .unwrap();
    train_all(&mut p);
    p
}

/// Pixels of a canvas that are not white.
fn inked(canvas: &HtmlCanvasElement) -> u32 {
    let count = js_sys::Function::new_with_args(
        "c",
        "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
         for (let i = 0; i < d.length; i += 4) if (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245) n++;
         return n;",
    );
    count.call1(&JsValue::NULL, canvas).unwrap().as_f64().unwrap() as u32
}

fn canvas(id: &str) -> HtmlCanvasElement {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .get_element_by_id(id)
        .unwrap()
        .dyn_into()
        .unwrap()
}

#[wasm_bindgen_test]
fn canvases_are_drawn_at_the_device_pixel_ratio() {
    let mut p = trained("draw", 2);
    p.step(200);
    p.render().map_err(message).unwrap();
    let ratio = web_sys::window().unwrap().device_pixel_ratio();
    for panel in PANELS {
        let c = canvas(&format!("draw-{panel}"));
        assert_eq!(
            c.width(),
            (c.client_width() as f64 * ratio).round() as u32,
            "{panel}: backing width"
        );
        assert_eq!(
            c.height(),
            (c.client_height() as f64 * ratio).round() as u32,
            "{panel}: backing height"
        );
        let ink = inked(&c);
        let area = c.width() * c.height();
        assert!(ink > area / 100, "{panel}: only {ink} of {area} pixels drawn");
    }
}

#[wasm_bindgen_test]
fn heatmap_cells_answer_hover_and_click() {
    let mut p = trained("cells", 2);
    p.step(300);
    p.render().map_err(message).unwrap();
    assert!(p.cell_at(1.0, 1.0).is_null(), "the corner is outside the cells");
    // The calm agent's grid: headroom bins by utilisation rows.
    let m: Value = serde_wasm_bindgen::from_value(p.metrics().unwrap()).unwrap();
    let (bins, rows) =
        (m["grid"]["bins"].as_u64().unwrap() as u32, m["grid"]["max"].as_u64().unwrap() as u32);
    let cell: Value = serde_wasm_bindgen::from_value(p.cell_at(200.0, 100.0)).unwrap();
    let (bin, row) = (cell["bin"].as_u64().unwrap() as u32, cell["row"].as_u64().unwrap() as u32);
    assert!(bin < bins && (1..=rows).contains(&row), "{cell}");
    let words = p.describe_cell(bin, row).map_err(message).unwrap();
    assert!(words.starts_with("Headroom "), "{words}");
    assert!(p.explain_cell(bin, row).is_ok());
    let err = message(p.describe_cell(bins, 1).unwrap_err());
    assert!(err.contains("no heatmap cell"), "{err}");
}

#[wasm_bindgen_test]
fn a_missing_or_wrong_canvas_is_an_error_naming_it() {
    let json = scenario("diurnal", 1);
    let ids = canvases("bad");
    js_sys::Reflect::set(&ids, &"heatmap".into(), &"no-such-canvas".into()).unwrap();
    let err = message(Playground::new(&json, ids.clone(), None).err().unwrap());
    assert!(err.contains("heatmap") && err.contains("no-such-canvas"), "{err}");
    let body = web_sys::window().unwrap().document().unwrap().body().unwrap();
    body.set_id("not-a-canvas");
    js_sys::Reflect::set(&ids, &"heatmap".into(), &"not-a-canvas".into()).unwrap();
    let err = message(Playground::new(&json, ids, None).err().unwrap());
    assert!(err.contains("is not a <canvas>"), "{err}");
    body.set_id("");
    let err = message(Playground::new(&json, JsValue::from_str("capacity"), None).err().unwrap());
    assert!(err.starts_with("canvases:"), "{err}");
}

#[wasm_bindgen_test]
fn a_bad_scenario_is_an_error_naming_the_problem_and_its_fields() {
    let err = message(Playground::new("{not json", canvases("scn"), None).err().unwrap());
    assert!(err.starts_with("scenario JSON"), "{err}");
    let err =
        Playground::new(r#"{"workload": {"amplitude": 2}}"#, canvases("scn"), None).err().unwrap();
    assert_eq!(fields(&err), ["workload.amplitude"]);
    let err = message(err);
    assert!(err.contains("workload.amplitude = 2"), "{err}");
    let base = preset_scenario("bursty").map_err(message).unwrap();
    let err =
        apply_overrides(&base, vec!["agent.alpha=7".into(), "agent.gamma=2".into()]).unwrap_err();
    assert_eq!(fields(&err), ["agent.alpha", "agent.gamma"]);
    let err = message(err);
    assert!(err.contains("agent.alpha = 7"), "{err}");
    let err = message(preset_scenario("tidal").unwrap_err());
    assert!(err.contains("no preset named 'tidal'"), "{err}");
    // A value of the wrong type is named with its field and what it must be.
    let err = Training::new("{\"seed\": -1}", None).err().unwrap();
    assert_eq!(fields(&err), ["seed"]);
    let err = message(err);
    assert!(err.contains("seed = -1") && err.contains("must be a whole number from 0"), "{err}");
}

#[wasm_bindgen_test]
fn reset_gives_identical_figures() {
    let mut p = trained("reset", 2);
    p.show_world(WorldChoice::Rule, false);
    p.set_slice(SliceDirection::Rising, SliceDirection::Follow);
    p.step(250);
    p.render().map_err(message).unwrap();
    let first = (metrics(&p), canvas("reset-capacity").to_data_url().unwrap());
    p.step(100);
    p.reset();
    assert_eq!(p.step_index(), 0);
    p.step(250);
    p.render().map_err(message).unwrap();
    let again = (metrics(&p), canvas("reset-capacity").to_data_url().unwrap());
    assert_eq!(first.0, again.0);
    assert!(first.1 == again.1, "the capacity chart differs after a reset");
}

#[wasm_bindgen_test]
fn a_workers_training_is_adopted_as_local_training() {
    adopted_equals_local(&scenario("flash-crowd", 3));
}

/// Training in a `Training` (the worker's), adopted midway and at the end, gives
/// the figures of training in the Playground itself.
fn adopted_equals_local(json: &str) {
    let mut local = Playground::new(json, canvases("local"), None).map_err(message).unwrap();
    train_all(&mut local);
    let mut training = Training::new(json, None).map_err(message).unwrap();
    let mut adopted = Playground::new(json, canvases("adopted"), None).map_err(message).unwrap();
    training.run(1).map_err(message).unwrap();
    let done = adopted
        .adopt_training(training.table(), training.curve(), training.episode(), training.episodes())
        .map_err(message)
        .unwrap();
    assert!(!done);
    assert_eq!(adopted.step(20), 20, "the run plays on with a partial table");
    training.run(10).map_err(message).unwrap();
    assert!(training.done());
    let done = adopted
        .adopt_training(training.table(), training.curve(), training.episode(), training.episodes())
        .map_err(message)
        .unwrap();
    assert!(done);
    assert!(adopted.playing(), "adopting the last table ends training and plays");
    local.step(300);
    adopted.step(300);
    assert_eq!(metrics(&local), metrics(&adopted));

    let other = Training::new(
        &apply_overrides(json, vec!["scaling.max_replicas=12".into()]).map_err(message).unwrap(),
        None,
    )
    .map_err(message)
    .unwrap();
    let err = message(adopted.adopt_training(other.table(), vec![], 0, 3).unwrap_err());
    assert!(err.contains("state space does not match"), "{err}");
}

#[wasm_bindgen_test]
fn a_new_playground_on_the_same_canvases_draws_as_the_first() {
    let json = scenario("diurnal", 1);
    let draw = |p: &mut Playground| {
        p.step(120);
        p.render().map_err(message).unwrap();
        PANELS.map(|panel| canvas(&format!("again-{panel}")).to_data_url().unwrap())
    };
    let mut first = Playground::new(&json, canvases("again"), None).map_err(message).unwrap();
    let before = draw(&mut first);
    drop(first);
    let mut second = Playground::new(&json, canvases("again"), None).map_err(message).unwrap();
    let after = draw(&mut second);
    for (panel, (a, b)) in PANELS.iter().zip(before.iter().zip(&after)) {
        assert!(a == b, "{panel} differs when drawn by a second Playground");
    }
}

#[wasm_bindgen_test]
fn share_links_round_trip_and_bad_links_are_refused() {
    let json = apply_overrides(
        &preset_scenario("bursty").map_err(message).unwrap(),
        vec!["seed=7".into()],
    )
    .map_err(message)
    .unwrap();
    let view =
        r#"{"show_rule": false, "show_oracle": true, "start_step": 600, "hide_controls": true}"#;
    let link = encode_link(&json, view).map_err(message).unwrap();
    assert!(link.starts_with("v1."), "{link}");
    let back: Value =
        serde_wasm_bindgen::from_value(decode_link(&format!("#{link}")).map_err(message).unwrap())
            .unwrap();
    assert_eq!(back["scenario"].as_str().unwrap(), json);
    // A view without the later toggles reads them as their defaults: Predictive shown, no ablation, no presenter mode.
    assert_eq!(
        back["view"],
        serde_json::json!({"show_rule": false, "show_oracle": true, "show_predictive": true, "show_no_forecast": false, "start_step": 600, "hide_controls": true, "controls": "full", "autoplay": false, "lesson": false, "presenter": false})
    );
    let err = message(decode_link("v0.abc").unwrap_err());
    assert!(err.contains("does not start with 'v1.'"), "{err}");
    let err = message(encode_link(&json, "rule").unwrap_err());
    assert!(err.starts_with("link view:"), "{err}");
}

#[wasm_bindgen_test]
fn a_trace_file_becomes_a_replay_scenario_that_the_playground_and_worker_need_the_text_of() {
    let base = scenario("diurnal", 1);
    let csv = "minute,requests\n0,600\n1,900\n2,1200\n";
    let json = replay_scenario(&base, "mine.csv", csv).map_err(message).unwrap();
    let s: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(s["workload"]["family"], "replay");
    assert_eq!(s["workload"]["replay"]["source"], "mine.csv");
    let mut p =
        Playground::new(&json, canvases("replay"), Some(csv.into())).map_err(message).unwrap();
    train_all(&mut p);
    assert_eq!(p.step(5), 5);
    assert!(Training::new(&json, Some(csv.into())).is_ok());
    let err = message(Playground::new(&json, canvases("replay"), None).err().unwrap());
    assert!(err.starts_with("the trace 'mine.csv' is not loaded here"), "{err}");
    let err = message(Training::new(&json, None).err().unwrap());
    assert!(err.starts_with("the trace 'mine.csv' is not loaded here"), "{err}");
    let err = message(
        replay_scenario(&base, "bad.csv", "minute,requests\n0,5\n1,many\n1,3\n").unwrap_err(),
    );
    assert_eq!(err, "replay file 'bad.csv' line 3: count 'many' is not a number\nline 4: interval is not increasing");
    assert_eq!(replay_max_bytes(), 64 << 20);
}

#[wasm_bindgen_test]
fn a_frame_asks_the_page_for_its_time_between_pieces_of_work() {
    let mut p = trained("frame", 1);
    // The first frame after training plays the run ahead (the lookahead).
    p.advance(0, &js_sys::Function::new_no_args("return false")).map_err(message).unwrap();
    assert!(p.set_playing(true));
    let calls = js_sys::Function::new_no_args(
        "globalThis.__checks = (globalThis.__checks || 0) + 1; return globalThis.__checks >= 2;",
    );
    let frame: Value =
        serde_wasm_bindgen::from_value(p.advance(100, &calls).map_err(message).unwrap()).unwrap();
    assert_eq!(frame["work"], "playing");
    assert_eq!(frame["played"], 20, "two pieces of ten steps, then out of time");
    assert_eq!(p.step_index(), 20);
    let thrown = js_sys::Function::new_no_args("throw new Error('no clock')");
    let frame: Value =
        serde_wasm_bindgen::from_value(p.advance(100, &thrown).map_err(message).unwrap()).unwrap();
    assert_eq!(frame["played"], 10, "a clock that throws ends the frame");
}

/// The texts of the last frame (`textBoxes`), as JSON.
fn text_boxes(p: &Playground) -> Vec<Value> {
    let v: Value =
        serde_wasm_bindgen::from_value(p.text_boxes().map_err(message).unwrap()).unwrap();
    v.as_array().unwrap().clone()
}

#[wasm_bindgen_test]
fn every_text_drawn_is_measured_and_lies_inside_its_area() {
    let mut p = trained("boxes", 2);
    p.step(300);
    p.explain(250).map_err(message).unwrap();
    p.render().map_err(message).unwrap();
    let boxes = text_boxes(&p);
    for panel in PANELS {
        assert!(boxes.iter().any(|b| b["panel"] == panel), "{panel}: no text recorded");
    }
    // The axes' ticks are recorded: the capacity chart's time axis reads 0 to 10 h.
    assert!(
        boxes.iter().any(|b| b["panel"] == "capacity" && b["text"] == "0"),
        "no tick label 0 on the capacity chart"
    );
    for b in &boxes {
        let (x, y, w, h) = (
            b["x"].as_f64().unwrap(),
            b["y"].as_f64().unwrap(),
            b["w"].as_f64().unwrap(),
            b["h"].as_f64().unwrap(),
        );
        let a = &b["area"];
        let (ax, ay, aw, ah) = (
            a["x"].as_f64().unwrap(),
            a["y"].as_f64().unwrap(),
            a["w"].as_f64().unwrap(),
            a["h"].as_f64().unwrap(),
        );
        assert!(h > 0.0 && (w > 0.0 || b["text"] == ""), "{b}: not measured");
        assert!(
            x >= ax - 0.5 && y >= ay - 0.5 && x + w <= ax + aw + 0.5 && y + h <= ay + ah + 0.5,
            "{b}: outside its area"
        );
    }
    // The forensics lose no word silently: a headline (the step and the choice,
    // the decisive factor), then whole paragraphs of the text in order, and, when
    // some do not fit, a last line saying how many lines are under Details.
    let text = p.forensics_text();
    let lines: Vec<String> = boxes
        .iter()
        .filter(|b| b["panel"] == "forensics")
        .map(|b| b["text"].as_str().unwrap().to_string())
        .collect();
    let shown = lines.join(" ");
    let norm = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(lines[0].starts_with("Step ") && lines[0].contains(": Chose "), "{lines:?}");
    let paragraphs: Vec<String> = text.lines().map(norm).collect();
    let start =
        norm(&shown).find(&paragraphs[0]).unwrap_or_else(|| panic!("no details in {shown:?}"));
    let details = norm(&shown)[start..].to_string();
    let (body, note) = match details.rfind(" more line") {
        Some(i) => {
            let cut = details[..i].rfind(' ').map_or(0, |j| j + 1);
            (details[..cut].trim_end().to_string(), Some(details[cut..].to_string()))
        }
        None => (details.clone(), None),
    };
    let whole: Vec<usize> =
        (0..=paragraphs.len()).filter(|&k| paragraphs[..k].join(" ") == body).collect();
    assert_eq!(
        whole.len(),
        1,
        "the details drawn are no whole paragraphs of the text: {body:?} of {text:?}"
    );
    assert_eq!(note.is_some(), whole[0] < paragraphs.len(), "{shown:?}");
    if let Some(note) = note {
        assert!(note.ends_with("under Details, below."), "{note}");
    }
    let tallest = boxes
        .iter()
        .filter(|b| b["panel"] == "forensics")
        .map(|b| b["h"].as_f64().unwrap())
        .fold(0.0, f64::max);
    // The headline's type: 20 to 44 px (a box a little taller than its size).
    assert!((20.0..=44.0 * 1.4).contains(&tallest), "forensics line height {tallest}");
}

#[wasm_bindgen_test]
fn the_capacity_plot_maps_a_point_to_a_step_of_its_window() {
    let mut p = trained("scrub", 2);
    p.step(400);
    p.render().map_err(message).unwrap();
    let steps = |p: &Playground, y: f64| {
        (0..400).filter_map(|x| p.step_at(x as f64, y)).collect::<Vec<u32>>()
    };
    let whole = steps(&p, 110.0);
    // Left to right, the whole run (720 steps), in order; nothing on the y axis's labels.
    assert_eq!(p.step_at(2.0, 110.0), None);
    assert_eq!(p.step_at(200.0, 219.0), None, "below the plot");
    assert!(whole.windows(2).all(|w| w[0] <= w[1]));
    assert!(
        whole[0] <= 5 && *whole.last().unwrap() >= 715 && *whole.last().unwrap() <= 720,
        "{:?}",
        (whole[0], whole.last())
    );
    // Zoomed to 2 hours (120 steps): the plot spans the zoom's window.
    p.set_zoom(2.0);
    p.render().map_err(message).unwrap();
    let (from, until) = (
        metrics(&p)["zoom"][0].as_u64().unwrap() as u32,
        metrics(&p)["zoom"][1].as_u64().unwrap() as u32,
    );
    assert_eq!(until - from, 120);
    let zoomed = steps(&p, 110.0);
    assert!(
        zoomed[0] >= from
            && zoomed[0] <= from + 1
            && *zoomed.last().unwrap() >= until - 1
            && *zoomed.last().unwrap() <= until,
        "{:?} in {from}..{until}",
        (zoomed[0], zoomed.last())
    );
    // No moments yet: no marker to hit.
    assert!((0..400).all(|x| p.moment_at(x as f64, 110.0).is_none()));
}

#[wasm_bindgen_test]
fn the_heatmap_scale_spans_the_95th_percentile_of_values_not_the_extremes() {
    use autoscale_playground::view::heatmap::robust_max;
    let values: Vec<f64> = (1..=100).map(f64::from).collect();
    assert_eq!(robust_max(values), 95.0);
    // One extreme value does not wash the others out.
    let mut values: Vec<f64> = (1..=99).map(|v| -f64::from(v)).collect();
    values.push(1e6);
    assert_eq!(robust_max(values), 95.0);
    assert_eq!(robust_max(vec![0.0, 0.0, 0.0, 4.0]), 4.0);
    let mut mostly_zero = vec![0.0; 40];
    mostly_zero.push(-2.0);
    assert_eq!(robust_max(mostly_zero), 2.0, "the largest where the quantile is 0");
    assert_eq!(robust_max(vec![0.0; 40]), 1.0, "all 0: a scale of 1");
    assert_eq!(robust_max(vec![0.0, f64::NAN]), 1.0);
    assert_eq!(robust_max(Vec::new()), 1.0);
}
