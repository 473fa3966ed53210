//! "Replay with the exact physics": the run's decisions so far played again per
//! request, beside the fluid's figures for the same steps.

use crate::util::{settle, trained, unlimited};
use autoscale_playground::scenario::Physics;
use autoscale_playground::view::{FrameWork, Page};
use autoscale_playground::WorldKind;

/// A trained page played to `step`, its lookahead done.
fn played_to(step: u32) -> Page {
    let mut p = trained(1);
    settle(&mut p);
    assert_eq!(p.step(step), step);
    p
}

#[test]
fn the_exact_replay_plays_each_worlds_decisions_per_request_beside_the_fluids_figures() {
    let mut p = played_to(300);
    let fluid = p.metrics().worlds;
    p.set_playing(true);
    p.replay_exact().unwrap();
    assert!(!p.playing(), "the run pauses while the replay plays");
    // In pieces: one check of the budget a piece.
    let mut frames = 0;
    while p.replaying_exact() {
        let mut checks = 0;
        let frame = p
            .advance(1, || {
                checks += 1;
                checks > 3
            })
            .unwrap();
        assert_eq!(frame.work, FrameWork::ExactReplay);
        frames += 1;
    }
    assert!(frames > 1, "{frames} frames");
    assert_eq!(p.step_index(), 300, "the run itself did not move");
    let exact = p.metrics().exact.unwrap();
    assert!(exact.done);
    assert_eq!((exact.until, exact.played), (300, 300));
    assert_eq!(exact.worlds.len(), fluid.len());
    for (e, f) in exact.worlds.iter().zip(&fluid) {
        assert_eq!(e.kind, f.kind);
        // The same decisions, so the same bill; the fluid's figures are those the
        // scoreboard shows for these steps.
        assert!(
            (e.cost - f.cost).abs() <= 1e-9 * f.cost.max(1.0),
            "{:?}: {} {}",
            e.kind,
            e.cost,
            f.cost
        );
        assert_eq!(e.fluid_violation_steps, f.sla_violation_steps, "{:?}", e.kind);
        // Whole steps under the exact physics.
        assert_eq!(e.violation_steps, e.violation_steps.round(), "{:?}", e.kind);
        assert!(e.p95_s.is_some_and(|v| v > 0.0), "{:?}", e.kind);
    }
}

#[test]
fn the_exact_replay_of_static_is_the_exact_physics_run_of_static() {
    let mut p = played_to(240);
    p.replay_exact().unwrap();
    while p.advance(1, unlimited).unwrap().work == FrameWork::ExactReplay {}
    let replayed = p.metrics().exact.unwrap();
    let of = |kind| replayed.worlds.iter().find(|w| w.kind == kind).unwrap().clone();
    // The same scenario played with the exact physics from the start: Static's
    // schedule does not depend on what it sees, so it is the same run.
    let mut s = p.session.scenario.clone();
    s.queue.physics = Physics::Exact;
    s.agent.episodes = 1;
    let mut q = Page::new(s, None).unwrap();
    while q.train(1).unwrap() > 0 {}
    settle(&mut q);
    assert_eq!(q.step(240), 240);
    let exact = q.metrics().worlds;
    let st = exact.iter().find(|w| w.kind == WorldKind::Static).unwrap();
    assert_eq!(of(WorldKind::Static).violation_steps, st.sla_violation_steps);
    assert_eq!(of(WorldKind::Static).cost, st.cost);
}

#[test]
fn an_exact_replay_is_refused_with_its_reason_and_forgotten_when_the_run_changes() {
    let mut p = trained(1);
    settle(&mut p);
    assert_eq!(p.replay_exact().unwrap_err(), "nothing to replay yet: play some steps first");
    assert!(p.metrics().exact.is_none());
    p.step(50);
    p.replay_exact().unwrap();
    assert!(p.metrics().exact.is_some());
    // New agents: the decisions replayed are no longer the run's.
    p.set_learn_live(true);
    assert!(p.metrics().exact.is_none());
    let mut s = p.session.scenario.clone();
    s.queue.physics = Physics::Exact;
    let mut q = Page::new(s, None).unwrap();
    while q.train(1).unwrap() > 0 {}
    q.step(10);
    assert_eq!(q.replay_exact().unwrap_err(), "this run already plays the exact physics");
}
