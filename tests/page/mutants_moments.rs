//! The run's moments at the edges the main tests leave open: a saving that
//! starts at step 0, a stretch of exactly an hour, a late reaction at the rise
//! itself or long after it, and the words of each kind.

use crate::common::rise::{self, sizer, BOOT, LEN, WINDOW};
use autoscale_playground::policy::Sizer;
use autoscale_playground::view::moments::{
    detect, moment_heading, Moment, MomentKind, Series, MAX_PER_KIND,
};

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

/// The moments of `kind` (1-minute steps, 1.00 a replica-hour), the initial
/// replicas given.
fn of(
    kind: MomentKind,
    demand: &[f64],
    elastic: &[u32],
    violated: &[bool],
    fixed: &[u32],
    initial: u32,
) -> Vec<Moment> {
    let sizer = sizer();
    kind_in(kind, &Series { demand, elastic, violated, fixed, initial, ..minute(&sizer) })
}

/// A series of one-minute steps with the common boot delay and window, 1.00
/// a replica-hour, no demand and no fleet yet (`Series { …, ..minute(&s) }`).
fn minute(sizer: &Sizer) -> Series<'_> {
    Series {
        demand: &[],
        elastic: &[],
        violated: &[],
        fixed: &[],
        initial: 0,
        sizer,
        boot_steps: BOOT,
        window: WINDOW,
        dt_s: 60.0,
        price_per_hour: 1.0,
    }
}

/// The moments of `kind` in a series.
fn kind_in(kind: MomentKind, series: &Series) -> Vec<Moment> {
    detect(series).into_iter().filter(|m| m.kind == kind).collect()
}

#[test]
fn a_saving_from_step_0_is_looked_at_from_step_1() {
    // Elastic runs 2 at step 0 (the gap widest there) and 3 after; Static 10.
    let elastic = fleet(2, &[(1, 3)]);
    let found =
        of(MomentKind::Saving, &[10.0; LEN], &elastic, &violations(&[]), &fleet(10, &[]), 2);
    assert_eq!(found.len(), 1, "{found:?}");
    let m = &found[0];
    // Step 0 is no decision of Elastic's: the widest gap after it, step 1.
    assert_eq!((m.step, m.from, m.until), (1, 0, LEN));
    // 8 + 199 x 7 replica-minutes: 23.35 replica-hours.
    assert_eq!(
        m.text,
        "Day 1, 00:01: Elastic ran 3 replicas where Static ran 10; from 00:00 to 03:20 (3 h 20 min) it saved 23.4 replica-hours, 23.35 at 1.00 a replica-hour."
    );
}

#[test]
fn a_gap_of_exactly_an_hour_is_a_saving_and_the_first_widest_step_is_its_step() {
    // 60 steps of 6 under Static's 10 (steps 100 to 159), 7 at 110 and at 140.
    let mut elastic = fleet(10, &[(100, 4), (160, 10)]);
    elastic[110] = 3;
    elastic[140] = 3;
    let found =
        of(MomentKind::Saving, &[10.0; LEN], &elastic, &violations(&[]), &fleet(10, &[]), 10);
    assert_eq!(
        found.iter().map(|m| (m.step, m.from, m.until)).collect::<Vec<_>>(),
        [(110, 100, 160)]
    );
    // 59 steps: no saving.
    let elastic = fleet(10, &[(100, 4), (159, 10)]);
    assert_eq!(
        of(MomentKind::Saving, &[10.0; LEN], &elastic, &violations(&[]), &fleet(10, &[]), 10),
        []
    );
    // A gap of exactly 2 replicas that is 40 % of Static's 5 counts.
    let found =
        of(MomentKind::Saving, &[10.0; LEN], &fleet(3, &[]), &violations(&[]), &fleet(5, &[]), 3);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].text.contains("Elastic ran 3 replicas where Static ran 5"),
        "{}",
        found[0].text
    );
    // Elastic above Static is no gap at all.
    assert_eq!(
        of(MomentKind::Saving, &[10.0; LEN], &fleet(12, &[]), &violations(&[]), &fleet(5, &[]), 12),
        []
    );
}

#[test]
fn a_late_scale_up_at_the_rise_itself_says_so() {
    // Decided at step 50, the rise's own step: late (its replicas boot for 2 steps).
    let elastic = fleet(3, &[(50, 8)]);
    let found =
        of(MomentKind::LateReaction, &rise::demand(), &elastic, &violations(&[50]), &elastic, 3);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].step, found[0].from, found[0].until), (50, 50, 51));
    assert_eq!(
        found[0].text,
        "Day 1, 00:50: scaled up 3 → 8 replicas as demand rose past what 3 carry (booting takes 2 min); the SLA broke in 1 step before they were ready: step 50 (00:50)."
    );
}

#[test]
fn a_reaction_long_after_the_rise_counts_the_violations_from_at_most_a_window_back() {
    // Short from step 50; the scale-up comes at 100, 50 steps later: the rise
    // is looked for a window (30 steps) back at most, from step 70.
    let elastic = fleet(3, &[(100, 8)]);
    let broken: Vec<usize> = (50..102).collect();
    let found =
        of(MomentKind::LateReaction, &rise::demand(), &elastic, &violations(&broken), &elastic, 3);
    assert_eq!(found.len(), 1, "{found:?}");
    let m = &found[0];
    assert_eq!((m.step, m.from, m.until), (100, 70, 102));
    assert!(
        m.text.contains("scaled up 3 → 8 replicas 30 min after demand rose past what 3 carry"),
        "{}",
        m.text
    );
    assert!(
        m.text.contains(
            "the SLA broke in 32 steps before they were ready: steps 70-101 (01:10 to 01:41)."
        ),
        "{}",
        m.text
    );
    // Violations with gaps are listed as ranges.
    let found = of(
        MomentKind::LateReaction,
        &rise::demand(),
        &fleet(3, &[(52, 8)]),
        &violations(&[50, 51, 53]),
        &elastic,
        3,
    );
    assert!(
        found[0].text.contains(
            "the SLA broke in 3 steps before they were ready: steps 50-51, 53 (00:50 to 00:53)."
        ),
        "{}",
        found[0].text
    );
}

#[test]
fn a_pre_emptive_scale_up_long_before_the_rise_spans_to_it() {
    let elastic = fleet(3, &[(25, 4)]);
    let found =
        of(MomentKind::PreEmptive, &rise::demand(), &elastic, &violations(&[]), &elastic, 3);
    assert_eq!(found.iter().map(|m| (m.step, m.from, m.until)).collect::<Vec<_>>(), [(25, 25, 50)]);
    assert!(
        found[0].text.contains("scaled up 3 → 4 replicas 25 min before demand rose"),
        "{}",
        found[0].text
    );
    // A scale-up at step 0 from the initial replicas is classified too.
    let elastic = fleet(4, &[]);
    let found =
        of(MomentKind::PreEmptive, &rise::demand(), &elastic, &violations(&[]), &elastic, 3);
    assert_eq!(
        found.iter().map(|m| (m.step, m.from, m.until)).collect::<Vec<_>>(),
        [] as [(usize, usize, usize); 0],
        "step 0 to 50 is beyond the window"
    );
}

#[test]
fn a_long_oscillation_lists_eight_sizes_and_an_ellipsis() {
    // Nine alternating changes a step apart.
    let to: Vec<(usize, u32)> = (0..9).map(|i| (10 + i, if i % 2 == 0 { 5 } else { 4 })).collect();
    let elastic = fleet(4, &to);
    let found = of(MomentKind::Oscillation, &[10.0; LEN], &elastic, &violations(&[]), &elastic, 4);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].step, found[0].from, found[0].until), (10, 10, 19));
    assert_eq!(
        found[0].text,
        "Day 1, 00:10: capacity went up and down 9 times within 9 min: 4 → 5 → 4 → 5 → 4 → 5 → 4 → 5 → 4 → … replicas."
    );
    // The first oscillation's words, for a fleet of 4 changed at `to`.
    let words = |to: &[(usize, u32)]| {
        let elastic = fleet(4, to);
        of(MomentKind::Oscillation, &[10.0; LEN], &elastic, &violations(&[]), &elastic, 4)[0]
            .text
            .clone()
    };
    // Eight changes: every size listed, no ellipsis.
    let to: Vec<(usize, u32)> = (0..8).map(|i| (10 + i, if i % 2 == 0 { 5 } else { 4 })).collect();
    let text = words(&to);
    assert!(
        text.ends_with("8 times within 8 min: 4 → 5 → 4 → 5 → 4 → 5 → 4 → 5 → 4 replicas."),
        "{text}"
    );
    // Four changes are named one by one.
    let text = words(&[(10, 5), (11, 4), (12, 5), (13, 4)]);
    assert!(
        text.contains("capacity went up, down, up, down within 4 min: 4 → 5 → 4 → 5 → 4 replicas."),
        "{text}"
    );
}

#[test]
fn each_kind_has_its_heading_and_key_and_a_timed_moment_its_note() {
    let labels: Vec<(&str, &str)> = MomentKind::ALL.iter().map(|k| (k.label(), k.key())).collect();
    assert_eq!(
        labels,
        [
            ("Pre-emptive scale-ups", "pre_emptive"),
            ("Late reactions", "late_reaction"),
            ("Oscillations", "oscillation"),
            ("Savings in a dip", "saving")
        ]
    );
    let moment =
        |kind| Moment { kind, step: 3, from: 3, until: 4, text: "Day 1, 00:03: a line.".into() };
    let note = "\nEarly or late is judged by the demand that followed, as on the scoreboard and in the forensics below.";
    assert_eq!(
        moment_heading(&moment(MomentKind::PreEmptive)),
        format!("Moment: Day 1, 00:03: a line.{note}")
    );
    assert_eq!(
        moment_heading(&moment(MomentKind::LateReaction)),
        format!("Moment: Day 1, 00:03: a line.{note}")
    );
    assert_eq!(moment_heading(&moment(MomentKind::Oscillation)), "Moment: Day 1, 00:03: a line.");
    assert_eq!(moment_heading(&moment(MomentKind::Saving)), "Moment: Day 1, 00:03: a line.");
    assert_eq!(MAX_PER_KIND, 100);
}

/// The moments of `kind` with a boot delay of `boot` steps (Static as Elastic).
fn with_boot(
    kind: MomentKind,
    demand: &[f64],
    elastic: &[u32],
    violated: &[bool],
    boot: usize,
) -> Vec<Moment> {
    let sizer = sizer();
    let (fixed, initial) = (elastic, elastic[0]);
    kind_in(
        kind,
        &Series { demand, elastic, violated, fixed, initial, boot_steps: boot, ..minute(&sizer) },
    )
}

#[test]
fn with_no_boot_delay_a_scale_up_at_the_rise_itself_is_pre_emptive_and_spans_its_step() {
    let elastic = fleet(3, &[(rise::RISE_AT, 8)]);
    let found = with_boot(MomentKind::PreEmptive, &rise::demand(), &elastic, &violations(&[]), 0);
    let spans: Vec<_> = found.iter().map(|m| (m.step, m.from, m.until)).collect();
    assert_eq!(spans, [(50, 50, 51)]);
    // With the boot delay of 2 steps the same scale-up is late.
    assert!(with_boot(MomentKind::PreEmptive, &rise::demand(), &elastic, &violations(&[]), BOOT)
        .is_empty());
}

#[test]
fn a_late_reaction_after_its_short_stretch_ended_dates_the_rise_to_the_stretchs_start() {
    // 30 req/s (8 replicas) from step 40 to 49 only; the fleet of 3 grows at
    // step 50, when the demand is back at 10: late, its rise at step 40.
    let demand: Vec<f64> =
        (0..LEN).map(|t| if (40..50).contains(&t) { 30.0 } else { 10.0 }).collect();
    let elastic = fleet(3, &[(50, 8)]);
    let broken: Vec<usize> = (42..49).collect();
    let found = with_boot(MomentKind::LateReaction, &demand, &elastic, &violations(&broken), BOOT);
    let spans: Vec<_> = found.iter().map(|m| (m.step, m.from, m.until)).collect();
    assert_eq!(spans, [(50, 42, 49)]);
}

#[test]
fn up_then_down_twice_is_no_oscillation_but_up_down_up_is() {
    // 4 → 5 → 4 → 3 within the window: the second and third changes go the
    // same way, so no three changes alternate.
    let elastic = fleet(4, &[(10, 5), (12, 4), (14, 3)]);
    let found = of(MomentKind::Oscillation, &[10.0; LEN], &elastic, &violations(&[]), &elastic, 4);
    assert!(found.is_empty(), "{found:?}");
    // 4 → 5 → 4 → 5: three alternating changes, one oscillation.
    let elastic = fleet(4, &[(10, 5), (12, 4), (14, 5)]);
    let found = of(MomentKind::Oscillation, &[10.0; LEN], &elastic, &violations(&[]), &elastic, 4);
    assert_eq!(found.iter().map(|m| (m.step, m.from, m.until)).collect::<Vec<_>>(), [(10, 10, 15)]);
}

#[test]
fn a_change_belongs_to_one_oscillation_at_most() {
    // Up at 5, down at 6, up at 34 (within the 30-step window of step 5): one
    // oscillation. Then down at 36 and up at 37: with the change at 34 they
    // alternate too, but that change is the first oscillation's already.
    let elastic = fleet(4, &[(5, 5), (6, 4), (34, 5), (36, 4), (37, 5)]);
    let found = of(MomentKind::Oscillation, &[10.0; LEN], &elastic, &violations(&[]), &elastic, 4);
    assert_eq!(found.iter().map(|m| (m.step, m.from, m.until)).collect::<Vec<_>>(), [(5, 5, 35)]);
}

#[test]
fn a_saving_within_day_two_is_dated_by_its_hours_alone() {
    // 10-minute steps: steps 150 to 189 are day 2, 01:00 to 07:40.
    let sizer = sizer();
    let (elastic, fixed) = (fleet(10, &[(150, 2), (190, 10)]), fleet(10, &[]));
    let violated = violations(&[]);
    let series = Series {
        demand: &[10.0; LEN],
        elastic: &elastic,
        violated: &violated,
        fixed: &fixed,
        initial: 10,
        dt_s: 600.0,
        ..minute(&sizer)
    };
    let found = kind_in(MomentKind::Saving, &series);
    assert_eq!(
        found.iter().map(|m| (m.step, m.from, m.until)).collect::<Vec<_>>(),
        [(150, 150, 190)]
    );
    assert!(
        found[0].text.starts_with(
            "Day 2, 01:00: Elastic ran 2 replicas where Static ran 10; from 01:00 to 07:40 ("
        ),
        "{}",
        found[0].text
    );
}
