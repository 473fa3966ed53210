//! The page's forensics: the heatmap's cells described and explained (the nearest
//! visited state for one never visited), a scale-up called pre-emptive or a
//! reaction, a moment opened with its decision pinned, and the worlds' names.
//! Apart from the frames: it is what the page explains.

use crate::common::rise;
use crate::util::{arrive, settle, trained, unlimited};
use autoscale_playground::agent::{Action, Decision, Reading, State};
use autoscale_playground::forecast::Direction;
use autoscale_playground::forensics;
use autoscale_playground::presets::preset;
use autoscale_playground::proactivity::{self, Timing, Tracker};
use autoscale_playground::view::heatmap::{Cell, Grid, Slice};
use autoscale_playground::view::moments::MomentKind;
use autoscale_playground::view::Page;
use autoscale_playground::WorldKind;

#[test]
fn heatmap_cells_are_described_in_the_slice_shown() {
    let mut p = trained(2);
    p.step(300);
    let bins = p.metrics().grid.bins;
    assert_eq!(bins, 7, "the calm agent's headroom bins");
    assert_eq!(p.metrics().grid.max, 9, "its utilisation bins");
    p.slice = Slice { trend: Some(Direction::Rising), forecast: Some(Direction::Falling) };
    let words = p.describe_cell(Cell { bin: 3, row: 4 }).unwrap();
    assert!(
        words.starts_with(
            "Headroom at the need, utilisation 60-70 %, demand rising, forecast falling"
        ),
        "{words}"
    );
    let words = p.describe_cell(Cell { bin: 1, row: 9 }).unwrap();
    assert!(words.starts_with("Headroom 2 replicas short, utilisation above 100 %"), "{words}");
    let err = p.describe_cell(Cell { bin: bins, row: 1 }).unwrap_err().to_string();
    assert_eq!(err, "no heatmap cell at bin 7, row 1 (bins 0..6, rows 1..=9)");
    let err = p.describe_cell(Cell { bin: 0, row: 0 }).unwrap_err().to_string();
    assert!(err.contains("row 0"), "{err}");
    // A visited cell replays the latest decision taken in it; another says why not.
    p.slice = Slice::default();
    let now = p.session.agent().unwrap().last.clone().unwrap().reading.state;
    let text = p.explain_cell(Cell { bin: now.bin, row: now.row }).unwrap();
    assert!(text.starts_with("Step 299:"), "{text}");
}

#[test]
fn the_heatmap_grid_maps_points_to_cells_and_back() {
    let g = Grid { left: 40, top: 10, right: 240, bottom: 210, bins: 5, max: 20 };
    assert_eq!(g.cell_at(39.0, 100.0), None);
    assert_eq!(g.cell_at(240.0, 100.0), None);
    assert_eq!(g.cell_at(40.0, 10.0), Some(Cell { bin: 0, row: 20 }));
    assert_eq!(g.cell_at(239.9, 209.9), Some(Cell { bin: 4, row: 1 }));
    for bin in 0..5 {
        for row in 1..=20 {
            let (x0, y0, x1, y1) = g.rect(Cell { bin, row });
            let centre = ((x0 + x1) as f64 / 2.0, (y0 + y1) as f64 / 2.0);
            assert_eq!(g.cell_at(centre.0, centre.1), Some(Cell { bin, row }));
        }
    }
}

/// A calm agent's decision at `step`, from 3 replicas to `target`, having
/// read `demand` now and `ahead` the forecast's highest step over the boot
/// delay.
fn decision(step: usize, target: u32, demand: f64, ahead: Option<f64>) -> Decision {
    let state = State { bin: 3, row: 3, trend: Direction::Steady, forecast: Direction::Steady };
    let reading = Reading {
        state,
        demand,
        previous_demand: Some(demand),
        forecast: ahead,
        utilisation: 0.7,
        need: Some(target),
        sized: Some(target),
        ahead,
    };
    Decision {
        step,
        reading,
        state_index: 0,
        action: Action::Up,
        chosen: Action::Up,
        explored: false,
        q: [0.0; 3],
        visits: [1; 3],
        before: 3,
        target,
    }
}

#[test]
fn forensics_time_a_scale_up_by_the_demand_that_followed_as_the_scoreboard_does() {
    // 10 req/s (3 replicas carry it) until step 50, then 30 (8 needed); a boot
    // delay of 2 steps.
    let demand = rise::demand();
    let judged = Tracker::new(rise::sizer(), rise::BOOT, rise::WINDOW);
    let timing = |d: &Decision| forensics::timing(d, &judged, &demand, 60.0, 0.05);
    assert_eq!(
        timing(&decision(45, 8, 10.0, Some(30.0))).as_deref(),
        Some("Pre-emptive: the demand rose past what 3 replicas carry 5 min later, and the new replicas were ready after 2 min. The agent's forecast rose 200 % over the boot delay (to 30.0 req/s at most, 10.0 now).")
    );
    assert_eq!(
        timing(&decision(49, 8, 10.0, Some(10.2))).as_deref(),
        Some("A reaction: the demand rose past what 3 replicas carry 1 min later, before the new replicas were ready (booting takes 2 min). The agent's forecast over the boot delay rose no further (at most 10.2 req/s, 10.0 now).")
    );
    assert_eq!(
        timing(&decision(50, 8, 10.0, None)).as_deref(),
        Some("A reaction: the demand rose past what 3 replicas carry in the very step, before the new replicas were ready (booting takes 2 min).")
    );
    assert_eq!(
        timing(&decision(52, 8, 30.0, None)).as_deref(),
        Some("A reaction: the fleet was already short (3 replicas did not carry the 30.0 req/s of the step just played).")
    );
    assert_eq!(
        timing(&decision(5, 4, 10.0, None)).as_deref(),
        Some("Unprompted: the demand did not rise past what 3 replicas carry within 30 min.")
    );
    // The scoreboard's and the moments' classification of the same scale-ups.
    for (step, word) in
        [(45, "Pre-emptive"), (49, "A reaction"), (52, "A reaction"), (5, "Unprompted")]
    {
        let t = proactivity::classify(step, 3, &demand, &rise::sizer(), rise::BOOT, rise::WINDOW);
        let expected = match t {
            Timing::Early => "Pre-emptive",
            Timing::Late => "A reaction",
            Timing::Unprompted => "Unprompted",
        };
        assert_eq!(word, expected, "step {step}");
    }
    // Only what scaled up is timed: a Down or an Up that added nothing is not.
    let mut held = decision(45, 3, 10.0, Some(30.0));
    assert_eq!((held.effect(), timing(&held)), (Action::Hold, None));
    held.action = Action::Down;
    held.chosen = Action::Down;
    assert_eq!(timing(&held), None);
}

#[test]
fn forensics_name_the_effective_action_and_the_floor() {
    let mut d = decision(45, 8, 10.0, Some(30.0));
    assert_eq!(forensics::choice(&d), "Chose scale up: 3 → 8 replicas.");
    d.action = Action::Down;
    d.chosen = Action::Down;
    d.target = 3;
    d.reading.need = Some(3);
    assert_eq!(
        forensics::choice(&d),
        "Chose scale down, in effect a hold: the need (3 replicas) holds every one of the 3 provisioned, so it released or added nothing."
    );
    d.reading.need = Some(1);
    assert_eq!(
        forensics::choice(&d),
        "Chose scale down, in effect a hold: the fleet is at its fewest replicas (3), so it released or added nothing."
    );
    d.explored = true;
    d.action = Action::Hold;
    d.chosen = Action::Hold;
    assert_eq!(forensics::choice(&d), "Chose hold (exploring): 3 replicas.");
    // The floor decided: Up, whatever the table chose.
    let mut d = decision(45, 8, 20.0, None);
    d.reading.utilisation = 1.25;
    d.chosen = Action::Down;
    d.q = [-65.7, -66.0, -68.6];
    assert!(d.floored());
    assert_eq!(
        forensics::choice(&d),
        "The safety floor scaled up (3 → 8 replicas): utilisation 125 % with 3 provisioned, 8 needed, so holding would let the queue grow until replicas booted; the Q-values preferred scale down."
    );
    d.visits = [0, 0, 5];
    assert!(
        forensics::choice(&d)
            .ends_with("preferred scale down, never taken there (its value is the initial 0)."),
        "{}",
        forensics::choice(&d)
    );
}

#[test]
fn explaining_a_scale_up_says_whether_it_was_pre_emptive() {
    let mut p = trained(3);
    let mut found = None;
    while found.is_none() && p.step(1) == 1 {
        let lane = p.session.judge.lane(WorldKind::Elastic).unwrap();
        let agent = lane.agent().unwrap();
        if let Some(d) = agent.last.as_ref().filter(|d| d.effect() == Action::Up) {
            let (trace, band) = (&p.session.trace, agent.table.space.forecast_threshold);
            found = forensics::timing(d, &lane.scale_ups, &trace.rates, trace.dt, band)
                .map(|t| (d.step, t));
        }
    }
    let (step, sentence) = found.expect("a scale-up within 12 hours");
    let text = p.explain(step).unwrap();
    assert!(
        text.starts_with(&format!("Step {step}:")) && text.contains(&format!("\n{sentence}\n")),
        "{text}"
    );
    assert!(
        ["Pre-emptive:", "A reaction:", "Unprompted:"].iter().any(|w| sentence.starts_with(w)),
        "{sentence}"
    );
}

#[test]
fn world_kinds_have_one_label_short_name_and_key_each() {
    let labels: Vec<&str> = WorldKind::ALL.iter().map(|k| k.label()).collect();
    assert_eq!(
        labels,
        ["Static", "Rule", "Elastic (RL)", "Oracle", "Predictive", "Elastic, no forecast"]
    );
    let shorts: Vec<&str> = WorldKind::ALL.iter().map(|k| k.short()).collect();
    assert_eq!(shorts, ["Static", "Rule", "Elastic", "Oracle", "Predictive", "No forecast"]);
    for k in WorldKind::ALL {
        assert_eq!(serde_json::to_value(k).unwrap(), k.key());
    }
}

#[test]
fn opening_a_moment_seeks_just_after_its_decision_and_pins_its_forensics() {
    let s = preset("diurnal")
        .unwrap()
        .with_overrides(&["steps=1440".to_string(), "agent.episodes=3".to_string()])
        .unwrap();
    let mut p = Page::new(s, None).unwrap();
    p.set_autoplay(false);
    p.start_training(true);
    p.advance(1, unlimited).unwrap();
    settle(&mut p);
    let moments = p.moments().to_vec();
    assert!(moments.len() >= 2, "{moments:?}");
    // The last, then the first: forward, then back.
    for i in [moments.len() - 1, 0] {
        let m = &moments[i];
        assert_eq!(p.open_moment(i).unwrap(), m.text);
        assert!(p.seeking());
        arrive(&mut p);
        assert_eq!(p.step_index(), m.step + 1);
        let pinned = p.forensics_text();
        // The moment, then (for a timed scale-up) how it was timed, then the decision's forensics.
        let heading = autoscale_playground::view::moment_heading(m);
        assert!(heading.starts_with(&format!("Moment: {}", m.text)), "{heading}");
        let timed = matches!(m.kind, MomentKind::PreEmptive | MomentKind::LateReaction);
        assert_eq!(heading.lines().count(), if timed { 2 } else { 1 }, "{heading}");
        assert_eq!(pinned, format!("{heading}\n{}", p.explain(m.step).unwrap()));
        assert!(
            pinned
                .lines()
                .nth(heading.lines().count())
                .unwrap()
                .starts_with(&format!("Step {}:", m.step)),
            "{pinned}"
        );
        assert!(!p.playing());
    }
    // Opened where the run already is: pinned at once.
    assert_eq!(p.open_moment(0).unwrap(), moments[0].text);
    assert!(
        !p.seeking() && p.forensics_text().starts_with(&format!("Moment: {}", moments[0].text))
    );
    // A seek elsewhere forgets the forensics asked for.
    p.open_moment(moments.len() - 1).unwrap();
    p.seek(10);
    arrive(&mut p);
    assert!(p.forensics_text().starts_with("Step 9:"), "{}", p.forensics_text());
    let n = moments.len();
    assert_eq!(
        p.open_moment(n).unwrap_err().to_string(),
        format!("moment {n}: there are {n} moments (0 to {})", n - 1)
    );
}

#[test]
fn a_never_visited_heatmap_state_explains_the_nearest_one_visited() {
    let mut p = trained(2);
    p.step(300);
    p.slice = Slice::default();
    let agent = p.session.agent().unwrap().clone();
    let space = &agent.table.space;
    let now = agent.last.clone().unwrap().reading.state;
    let visited =
        |bin: usize, row: u32| p.history.last_step_in(space.index(&State { bin, row, ..now }));
    let cells: Vec<(usize, u32)> =
        (0..space.bins()).flat_map(|b| (1..=space.rows()).map(move |r| (b, r))).collect();
    // An unvisited cell, and by the rule (fewest cells away, then the lowest
    // bin and row) the visited cell that stands in for it.
    let &(bin, row) = cells
        .iter()
        .find(|&&(b, r)| visited(b, r).is_none())
        .expect("some state is not visited in 300 steps");
    let away = |&(b, r): &(usize, u32)| b.abs_diff(bin) + r.abs_diff(row) as usize;
    let near = cells
        .iter()
        .filter(|&&(b, r)| visited(b, r).is_some())
        .min_by_key(|c| (away(c), c.0, c.1))
        .unwrap();
    let step = visited(near.0, near.1).unwrap();
    let text = p.explain_cell(Cell { bin, row }).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let d = away(near);
    assert!(
        lines[0].starts_with(&format!("Not visited in this run; the nearest state the Elastic world was in, {d} cell{} away, is explained instead: ", if d == 1 { "" } else { "s" })),
        "{text}"
    );
    assert!(lines[1].starts_with("Clicked: "), "{text}");
    assert!(lines[2].starts_with(&format!("Step {step}:")), "{text}");
    assert_eq!(p.forensics_text(), text, "pinned");
}
