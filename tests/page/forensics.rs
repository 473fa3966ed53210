//! The page's forensics: the heatmap's cells described and explained (the nearest
//! visited state for one never visited), a scale-up called pre-emptive or a
//! reaction, a moment opened with its decision pinned, and the worlds' names.
//! Apart from the frames: it is what the page explains.

use crate::util::{arrive, settle, trained, unlimited};
use autoscale_playground::agent::{Action, Decision, Reading, State};
use autoscale_playground::forecast::Direction;
use autoscale_playground::forensics;
use autoscale_playground::presets::preset;
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

/// A calm agent's scale-up decision at step 40, having read `demand` now,
/// `previous` before, `ahead` the forecast's highest step over the boot delay,
/// with a headroom bin (3: at the need).
fn scale_up(
    demand: f64,
    previous: f64,
    ahead: Option<f64>,
    trend: Direction,
    bin: usize,
) -> Decision {
    let state = State { bin, row: 3, trend, forecast: Direction::Steady };
    let reading = Reading {
        state,
        demand,
        previous_demand: Some(previous),
        forecast: ahead,
        utilisation: 0.7,
        need: Some(9),
        sized: Some(9),
        ahead,
    };
    Decision {
        step: 40,
        reading,
        state_index: 0,
        action: Action::Up,
        explored: false,
        q: [0.0; 3],
        visits: [1; 3],
    }
}

#[test]
fn forensics_say_whether_a_scale_up_was_pre_emptive_or_a_reaction() {
    let space = autoscale_playground::agent::QAgent::new(&preset("diurnal").unwrap()).table.space;
    let timing = |d: &Decision| forensics::timing(&space, d);
    assert_eq!(
        timing(&scale_up(27.9, 27.8, Some(31.2), Direction::Steady, 3)).as_deref(),
        Some("Pre-emptive: the forecast rose 12 % over the boot delay (to 31.2 req/s at most, 27.9 now).")
    );
    assert_eq!(
        timing(&scale_up(27.9, 24.1, Some(28.3), Direction::Rising, 3)).as_deref(),
        Some("A reaction: the demand had already risen (to 27.9 req/s from 24.1 the step before); the forecast over the boot delay rose no further (at most 28.3).")
    );
    assert_eq!(
        timing(&scale_up(27.9, 27.9, None, Direction::Steady, 1)).as_deref(),
        Some("A reaction: the fleet was already short of the need (9 replicas for the demand now and the requests waiting).")
    );
    assert_eq!(
        timing(&scale_up(27.9, 27.9, Some(28.0), Direction::Steady, 3)),
        None,
        "the need held from the scale-in window: neither"
    );
    let mut hold = scale_up(27.9, 27.8, Some(31.2), Direction::Steady, 3);
    hold.action = Action::Hold;
    assert_eq!(timing(&hold), None, "only scale-ups");
    let mut seed = scale_up(27.9, 27.8, Some(31.2), Direction::Steady, 3);
    seed.reading.need = None;
    assert_eq!(timing(&seed), None, "the seed design reads no need");
}

#[test]
fn explaining_a_scale_up_says_whether_it_was_pre_emptive() {
    let mut p = trained(3);
    let mut found = None;
    while found.is_none() && p.step(1) == 1 {
        let agent = p.session.agent().unwrap();
        if let Some(d) = agent.last.as_ref().filter(|d| d.action == Action::Up) {
            found = forensics::timing(&agent.table.space, d).map(|t| (d.step, t));
        }
    }
    let (step, sentence) = found.expect("a scale-up with a reason within 12 hours");
    let text = p.explain(step).unwrap();
    assert!(
        text.starts_with(&format!("Step {step}:")) && text.contains(&format!("\n{sentence}\n")),
        "{text}"
    );
    assert!(
        sentence.starts_with("Pre-emptive: the forecast rose")
            || sentence.starts_with("A reaction:"),
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
