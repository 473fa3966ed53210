//! The run's moments (`view::moments`): each kind is found on a constructed
//! series where it happens, at the step expected, and not on one where it does
//! not; and a page's lookahead finds them over its whole run.

use crate::common::rise::{self, sizer, BOOT, LEN, WINDOW};
use autoscale_playground::agent::Action;
use autoscale_playground::forensics;
use autoscale_playground::judge::WorldResult;
use autoscale_playground::presets::{preset, NAMES};
use autoscale_playground::scenario::Family;
use autoscale_playground::session::Session;
use autoscale_playground::view::moments::{detect, find, Moment, MomentKind, Series, MAX_PER_KIND};
use autoscale_playground::view::{FrameWork, Page};
use autoscale_playground::workload::replay;
use autoscale_playground::WorldKind;

/// 10 req/s (3 replicas carry it) until step 50, 30 req/s (8 needed) from there.
fn rising() -> Vec<f64> {
    let s = sizer();
    assert_eq!((s.need(10.0), s.need(30.0)), (3, 8), "the default replica");
    rise::demand()
}

fn flat() -> Vec<f64> {
    vec![10.0; LEN]
}

/// A fleet of `base` replicas that changes to `to[i].1` at step `to[i].0`.
fn fleet(base: u32, to: &[(usize, u32)]) -> Vec<u32> {
    let mut f = vec![base; LEN];
    for &(at, n) in to {
        f[at..].fill(n);
    }
    f
}

fn violations(steps: &[usize]) -> Vec<bool> {
    (0..LEN).map(|t| steps.contains(&t)).collect()
}

/// The moments of Elastic's `elastic` against Static's `fixed` (1-minute steps,
/// 3 replicas at the start, 1.00 a replica-hour).
fn moments(demand: &[f64], elastic: &[u32], violated: &[bool], fixed: &[u32]) -> Vec<Moment> {
    let sizer = sizer();
    detect(&Series {
        demand,
        elastic,
        violated,
        fixed,
        initial: elastic[0],
        sizer: &sizer,
        boot_steps: BOOT,
        window: WINDOW,
        dt_s: 60.0,
        price_per_hour: 1.0,
    })
}

fn of(kind: MomentKind, all: &[Moment]) -> Vec<Moment> {
    all.iter().filter(|m| m.kind == kind).cloned().collect()
}

/// Elastic's fleet itself as Static's: no saving in sight.
fn alone(demand: &[f64], elastic: &[u32], violated: &[bool]) -> Vec<Moment> {
    moments(demand, elastic, violated, elastic)
}

#[test]
fn a_scale_up_a_boot_delay_or_more_before_the_rise_is_pre_emptive() {
    let elastic = fleet(3, &[(46, 5)]);
    let found = alone(&rising(), &elastic, &violations(&[]));
    assert_eq!(found.len(), 1, "{found:?}");
    let m = &found[0];
    assert_eq!((m.kind, m.step, m.from, m.until), (MomentKind::PreEmptive, 46, 46, 50));
    assert_eq!(m.text, "Day 1, 00:46: scaled up 3 → 5 replicas 4 min before demand rose past what 3 carry (booting takes 2 min).");
    // Exactly the boot delay ahead is still pre-emptive.
    let found = alone(&rising(), &fleet(3, &[(48, 4)]), &violations(&[]));
    assert_eq!(
        found.iter().map(|m| (m.kind, m.step)).collect::<Vec<_>>(),
        [(MomentKind::PreEmptive, 48)]
    );
}

#[test]
fn no_pre_emptive_moment_on_flat_demand_a_fleet_that_never_changes_or_a_late_scale_up() {
    assert_eq!(
        alone(&flat(), &fleet(3, &[(46, 5)]), &violations(&[])),
        [],
        "flat demand: no rise to be early for"
    );
    assert_eq!(
        alone(&rising(), &fleet(3, &[]), &violations(&[])),
        [],
        "a fleet that never changes"
    );
    // One step before the rise: its replica boots until after the rise; no
    // violation, so no late reaction either.
    assert_eq!(alone(&rising(), &fleet(3, &[(49, 4)]), &violations(&[])), []);
}

#[test]
fn a_late_scale_up_that_broke_the_sla_is_a_late_reaction_spanning_its_violations() {
    // Two steps after the rise; violations from the rise until the replicas are
    // ready (52 + 2 = 54), and one later that is not this scale-up's.
    let elastic = fleet(3, &[(52, 8)]);
    let found = alone(&rising(), &elastic, &violations(&[50, 51, 52, 53, 56]));
    assert_eq!(found.len(), 1, "{found:?}");
    let m = &found[0];
    assert_eq!((m.kind, m.step, m.from, m.until), (MomentKind::LateReaction, 52, 50, 54));
    assert_eq!(
        m.text,
        "Day 1, 00:52: scaled up 3 → 8 replicas 2 min after demand rose past what 3 carry (booting takes 2 min); the SLA broke in 4 steps before they were ready: steps 50-53 (00:50 to 00:53)."
    );
    // Late by the boot delay: decided one step before the rise, broken at the rise.
    let found = alone(&rising(), &fleet(3, &[(49, 8)]), &violations(&[50]));
    assert_eq!(
        found.iter().map(|m| (m.kind, m.step, m.from, m.until)).collect::<Vec<_>>(),
        [(MomentKind::LateReaction, 49, 50, 51)]
    );
    assert!(
        found[0].text.contains("only 1 min before demand rose past what 3 carry")
            && found[0].text.contains("step 50 (00:50)"),
        "{}",
        found[0].text
    );
}

#[test]
fn no_late_reaction_without_a_violation_before_the_replicas_are_ready() {
    let elastic = fleet(3, &[(52, 8)]);
    assert_eq!(alone(&rising(), &elastic, &violations(&[])), []);
    // Violations only once the new replicas were ready (from step 54).
    assert_eq!(alone(&rising(), &elastic, &violations(&[54, 55])), []);
    // Violations, but no scale-up at all.
    assert_eq!(alone(&rising(), &fleet(3, &[]), &violations(&[50, 51])), []);
}

#[test]
fn three_alternating_changes_within_half_an_hour_are_an_oscillation() {
    let elastic = fleet(4, &[(10, 5), (15, 4), (20, 5)]);
    let found = alone(&flat(), &elastic, &violations(&[]));
    let osc = of(MomentKind::Oscillation, &found);
    assert_eq!(osc.len(), 1, "{found:?}");
    assert_eq!((osc[0].step, osc[0].from, osc[0].until), (10, 10, 21));
    assert_eq!(
        osc[0].text,
        "Day 1, 00:10: capacity went up, down, up within 11 min: 4 → 5 → 4 → 5 replicas."
    );
    // A longer thrash is one moment, and the next apart from it another.
    let elastic = fleet(
        4,
        &[(10, 5), (15, 4), (20, 5), (25, 4), (30, 5), (35, 4), (120, 6), (125, 4), (130, 6)],
    );
    let osc = of(MomentKind::Oscillation, &alone(&flat(), &elastic, &violations(&[])));
    assert_eq!(osc.iter().map(|m| (m.step, m.until)).collect::<Vec<_>>(), [(10, 36), (120, 131)]);
    assert!(
        osc[0]
            .text
            .contains("up and down 6 times within 26 min: 4 → 5 → 4 → 5 → 4 → 5 → 4 replicas"),
        "{}",
        osc[0].text
    );
}

#[test]
fn two_changes_changes_one_way_or_spread_over_more_than_half_an_hour_are_no_oscillation() {
    let none = |to: &[(usize, u32)]| {
        of(MomentKind::Oscillation, &alone(&flat(), &fleet(4, to), &violations(&[])))
    };
    assert_eq!(none(&[(10, 5), (15, 4)]), [], "two changes only");
    assert_eq!(none(&[(10, 5), (15, 6), (20, 7)]), [], "always up");
    assert_eq!(none(&[(10, 5), (11, 6), (20, 7), (25, 6)]), [], "up, up, up, down");
    assert_eq!(
        none(&[(10, 5), (25, 4), (40, 5)]),
        [],
        "30 steps from first to third: not within the window"
    );
    assert_eq!(none(&[(10, 5), (25, 4), (39, 5)]).len(), 1, "29 steps: within it");
}

#[test]
fn an_hour_of_a_wide_gap_under_static_is_a_saving_at_its_widest_step() {
    // Static holds 10; Elastic runs 4 for an hour (one step at 3), 10 elsewhere.
    let mut elastic = fleet(10, &[(100, 4), (160, 10)]);
    elastic[130] = 3;
    let found = moments(&flat(), &elastic, &violations(&[]), &fleet(10, &[]));
    let saving = of(MomentKind::Saving, &found);
    assert_eq!(saving.len(), 1, "{found:?}");
    assert_eq!((saving[0].step, saving[0].from, saving[0].until), (130, 100, 160));
    // 59 steps of 6 replicas and one of 7: 361 replica-minutes.
    assert_eq!(
        saving[0].text,
        "Day 1, 02:10: Elastic ran 3 replicas where Static ran 10; from 01:40 to 02:40 (1 h) it saved 6.0 replica-hours, 6.02 at 1.00 a replica-hour."
    );
}

#[test]
fn a_saving_across_midnight_names_the_days_of_its_stretch() {
    // Ten-minute steps: 23:00 on day 1 is step 138; two hours of 4 under 10.
    let (sizer, demand) = (sizer(), flat());
    let elastic = fleet(10, &[(138, 4), (150, 10)]);
    let fixed = fleet(10, &[]);
    let found = detect(&Series {
        demand: &demand,
        elastic: &elastic,
        violated: &violations(&[]),
        fixed: &fixed,
        initial: 10,
        sizer: &sizer,
        boot_steps: 1,
        window: 3,
        dt_s: 600.0,
        price_per_hour: 2.5,
    });
    let saving = of(MomentKind::Saving, &found);
    assert_eq!(saving.len(), 1, "{found:?}");
    assert_eq!(
        saving[0].text,
        "Day 1, 23:00: Elastic ran 4 replicas where Static ran 10; from day 1, 23:00 to day 2, 01:00 (2 h) it saved 12.0 replica-hours, 30.00 at 2.50 a replica-hour."
    );
}

#[test]
fn a_fifty_minute_dip_or_a_narrow_gap_is_no_saving() {
    let saving = |elastic: Vec<u32>, fixed: Vec<u32>| {
        of(MomentKind::Saving, &moments(&flat(), &elastic, &violations(&[]), &fixed))
    };
    assert_eq!(saving(fleet(10, &[(100, 4), (150, 10)]), fleet(10, &[])), [], "50 minutes");
    assert_eq!(saving(fleet(1, &[]), fleet(2, &[])), [], "a gap of 1 replica (half of Static's)");
    assert_eq!(saving(fleet(8, &[]), fleet(10, &[])), [], "2 replicas, 20 % of Static's");
    assert_eq!(saving(fleet(6, &[]), fleet(10, &[])).len(), 1, "4 replicas, 40 %: the whole run");
}

#[test]
fn each_kind_is_capped_and_the_list_is_in_step_order() {
    let len = 2000;
    // 500 oscillations (up, down, up every 4 steps)...
    let elastic: Vec<u32> = (0..len).map(|t| 4 + u32::from(matches!(t % 4, 1 | 3))).collect();
    let sizer = sizer();
    let demand = vec![10.0; len];
    let found = detect(&Series {
        demand: &demand,
        elastic: &elastic,
        violated: &vec![false; len],
        fixed: &elastic,
        initial: 4,
        sizer: &sizer,
        boot_steps: BOOT,
        window: WINDOW,
        dt_s: 60.0,
        price_per_hour: 1.0,
    });
    // ...one long one, in fact: every three changes lie within the window.
    assert_eq!(found.len(), 1);
    // Apart by more than the window, each a moment of its own: capped.
    let elastic: Vec<u32> = (0..len).map(|t| 4 + u32::from(matches!(t % 40, 1 | 3))).collect();
    let found = detect(&Series {
        demand: &demand,
        elastic: &elastic,
        violated: &vec![false; len],
        fixed: &elastic,
        initial: 4,
        sizer: &sizer,
        boot_steps: BOOT,
        window: WINDOW,
        dt_s: 60.0,
        price_per_hour: 1.0,
    });
    assert_eq!(found.len(), MAX_PER_KIND.min(len / 40));
    assert_eq!(found.len(), 50);
    assert!(found.windows(2).all(|w| w[0].step < w[1].step));
    let elastic: Vec<u32> = (0..10 * len).map(|t| 4 + u32::from(matches!(t % 40, 1 | 3))).collect();
    let demand = vec![10.0; 10 * len];
    let found = detect(&Series {
        demand: &demand,
        elastic: &elastic,
        violated: &vec![false; 10 * len],
        fixed: &elastic,
        initial: 4,
        sizer: &sizer,
        boot_steps: BOOT,
        window: WINDOW,
        dt_s: 60.0,
        price_per_hour: 1.0,
    });
    assert_eq!(found.len(), MAX_PER_KIND);
    assert_eq!(found.last().map(|m| m.step), Some(40 * (MAX_PER_KIND - 1) + 1));
}

#[test]
fn the_page_finds_the_diurnal_runs_moments_ahead_of_the_run() {
    let s = preset("diurnal").unwrap().with_overrides(&["agent.episodes=3".to_string()]).unwrap();
    let mut p = Page::new(s, None).unwrap();
    p.start_training(true);
    let mut works = Vec::new();
    for _ in 0..100 {
        let f = p.advance(5, || false).unwrap();
        works.push(f.work);
        if p.metrics().lookahead_done {
            break;
        }
    }
    assert!(works.contains(&FrameWork::Lookahead), "{works:?}");
    let m = p.metrics();
    assert!(m.lookahead_done);
    assert!(m.step < m.steps, "found before the run shown gets there (step {})", m.step);
    assert!(!m.moments.is_empty());
    assert!(
        m.moments
            .iter()
            .all(|x| x.from <= x.step.max(x.from) && x.step < m.steps && x.until <= m.steps),
        "{:?}",
        m.moments
    );
    assert!(m.moments.windows(2).all(|w| w[0].step <= w[1].step));
    assert_eq!(m.moments, p.moments());
    for kind in [MomentKind::PreEmptive, MomentKind::Saving] {
        assert!(
            m.moments.iter().any(|x| x.kind == kind),
            "a diurnal run has a {kind:?} moment: {:?}",
            m.moments
        );
    }
    // The whole-run results equal the run's own once it is played to its end.
    let ahead = m.frontier.expect("the frontier once the lookahead is done").worlds;
    p.seek(m.steps);
    while p.advance(5, || false).unwrap().work == FrameWork::FastForward {}
    assert_eq!(p.step_index(), m.steps);
    let run: Vec<WorldResult> = p
        .metrics()
        .worlds
        .into_iter()
        .map(|w| WorldResult { p95_s: None, p99_s: None, ..w })
        .collect();
    assert_eq!(
        serde_json::to_string(&ahead).unwrap(),
        serde_json::to_string(&run).unwrap(),
        "all but the p95 and p99, which the lookahead leaves out"
    );
}

/// A preset's session over two days, its agent trained `episodes` here; a
/// real-trace preset with its trace.
fn preset_session(name: &str, episodes: u32) -> Session {
    let s = preset(name)
        .unwrap()
        .with_overrides(&["steps=2880".to_string(), format!("agent.episodes={episodes}")])
        .unwrap();
    let csv = (s.workload.family == Family::Replay).then(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&s.workload.replay.source);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    });
    let data = replay::data_for(&s, csv.as_deref()).unwrap();
    let mut session = Session::new(s, data.as_ref()).unwrap();
    session.train_all().unwrap();
    session.keep_reports(true);
    session
}

/// The forensics' timing of every scale-up of the run (its decision's step and
/// the sentence), played step by step as the page plays it.
fn forensics_timings(session: &mut Session) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    while session.step(1) == 1 {
        let lane = session.judge.lane(WorldKind::Elastic).unwrap();
        let agent = lane.agent().unwrap();
        let Some(d) = agent.last.as_ref().filter(|d| d.effect() == Action::Up) else { continue };
        let (rates, dt) = (&session.trace.rates, session.trace.dt);
        let band = agent.table.space.forecast_threshold;
        let sentence = forensics::timing(d, &lane.scale_ups, rates, dt, band)
            .expect("every scale-up is timed");
        out.push((d.step, sentence));
    }
    out
}

#[test]
fn the_forensics_and_the_moments_time_every_scale_up_alike_on_every_preset() {
    let (mut early, mut late) = (0, 0);
    for name in NAMES {
        let mut session = preset_session(name, 20);
        let timed = forensics_timings(&mut session);
        let moments = find(&session.judge);
        let results = session.results();
        let elastic = results.iter().find(|w| w.kind == WorldKind::Elastic).unwrap();
        // The scoreboard counts the same scale-ups, and the same ones early.
        assert_eq!(timed.len(), elastic.scale_ups.total(), "{name}");
        let pre_emptive = timed.iter().filter(|t| t.1.starts_with("Pre-emptive:")).count();
        assert_eq!(pre_emptive, elastic.scale_ups.early, "{name}");
        let reactions = timed.iter().filter(|t| t.1.starts_with("A reaction:")).count();
        assert_eq!(reactions, elastic.scale_ups.late, "{name}");
        // The moments keep the first MAX_PER_KIND of a kind: compare up to the
        // last one kept.
        let kept = |kind| {
            let of: Vec<usize> =
                moments.iter().filter(|m| m.kind == kind).map(|m| m.step).collect();
            if of.len() < MAX_PER_KIND {
                usize::MAX
            } else {
                of[of.len() - 1]
            }
        };
        let last = kept(MomentKind::PreEmptive).min(kept(MomentKind::LateReaction));
        for (step, sentence) in timed.iter().filter(|t| t.0 <= last) {
            let at = |kind| moments.iter().any(|m| m.step == *step && m.kind == kind);
            assert_eq!(
                sentence.starts_with("Pre-emptive:"),
                at(MomentKind::PreEmptive),
                "{name}, step {step}: {sentence}"
            );
            if at(MomentKind::LateReaction) {
                assert!(sentence.starts_with("A reaction:"), "{name}, step {step}: {sentence}");
            }
        }
        // Every timed moment is a scale-up the forensics timed.
        for m in moments.iter().filter(|m| m.kind <= MomentKind::LateReaction) {
            assert!(timed.iter().any(|t| t.0 == m.step), "{name}: {m:?}");
        }
        // A pre-emptive moment opened says so in its forensics.
        if let Some(m) = moments.iter().find(|m| m.kind == MomentKind::PreEmptive) {
            let text = session.explain(m.step, 1).unwrap().text();
            assert!(text.contains("\nPre-emptive: "), "{name}: {text}");
        }
        early += pre_emptive;
        late += reactions;
    }
    assert!(early > 0 && late > 0, "both kinds seen: {early} early, {late} late");
}

#[test]
fn a_played_runs_late_reactions_span_its_own_broken_steps_and_a_run_played_without_reports_has_no_moments(
) {
    let s = preset("diurnal").unwrap().with_overrides(&["agent.episodes=3".to_string()]).unwrap();
    let mut session = Session::new(s.clone(), None).unwrap();
    session.train_all().unwrap();
    session.restart();
    session.keep_reports(true);
    while session.step(1000) > 0 {}
    let moments = find(&session.judge);
    let elastic = &session.judge.lane(WorldKind::Elastic).unwrap().reports;
    let late: Vec<&Moment> =
        moments.iter().filter(|m| m.kind == MomentKind::LateReaction).collect();
    assert!(!late.is_empty(), "an agent trained 3 episodes reacts late somewhere");
    for m in &late {
        // A late reaction's span runs from its first broken step to its last.
        assert!(!elastic[m.from].sla_held, "step {} of {m:?}", m.from);
        assert!(!elastic[m.until - 1].sla_held, "step {} of {m:?}", m.until - 1);
    }
    // Reports dropped for the first 300 steps, kept for the next 200: the run
    // has no moments (its series would start at step 300), where the same
    // run with every report has some.
    let mut session = Session::new(s, None).unwrap();
    session.train_all().unwrap();
    session.restart();
    session.keep_reports(false);
    session.step(300);
    session.keep_reports(true);
    session.step(200);
    assert_eq!(find(&session.judge), Vec::<Moment>::new());
    session.restart();
    session.keep_reports(true);
    session.step(500);
    assert!(!find(&session.judge).is_empty());
}
