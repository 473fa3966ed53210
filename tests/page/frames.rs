//! The page's view-model (`view::Page`), natively: what a frame does (training
//! here, playing at the speed asked, within its budget), a link's step, reset,
//! seeking and a retrained agent taking over, and the clock.

use crate::util::{arrive, board, scenario, settle, trained, unlimited};
use autoscale_playground::presets::preset;
use autoscale_playground::scenario::Scenario;
use autoscale_playground::view::{FrameWork, Page, TrainingPlace};
use autoscale_playground::WorldKind;

#[test]
fn presets_train_for_the_scenario_default_episodes() {
    assert_eq!(preset("bursty").unwrap().agent.episodes, Scenario::default().agent.episodes);
    assert_eq!(Scenario::default().agent.episodes, 200);
}

#[test]
fn training_is_chunked_and_restarts_the_run_with_the_trained_agent() {
    let mut p = Page::new(scenario("diurnal", 3), None).unwrap();
    assert_eq!(p.metrics().training.episode, 0);
    assert_eq!(p.train(2).unwrap(), 2);
    assert!(!p.metrics().training.done);
    assert_eq!(p.step(10), 10);
    assert_eq!(p.train(5).unwrap(), 1, "only the planned episodes are played");
    let m = p.metrics();
    assert!(m.training.done);
    assert_eq!(m.step, 0, "the run restarts when training ends");
    assert!(m.training.last_reward.is_some());
    p.plan_training(2);
    assert_eq!(p.train(5).unwrap(), 2);
    assert_eq!(p.metrics().training.episodes, 5);
}

#[test]
fn a_frame_trains_here_then_plays_at_the_speed_asked() {
    let mut p = Page::new(scenario("diurnal", 2), None).unwrap();
    assert_eq!(
        p.advance(7, unlimited).unwrap().work,
        FrameWork::Idle,
        "nothing to do before training starts"
    );
    p.start_training(true);
    assert!(!p.set_playing(true), "no play while training runs on this thread");
    let f = p.advance(7, unlimited).unwrap();
    assert_eq!((f.work, f.played), (FrameWork::Training, 0));
    assert_eq!(p.training(), TrainingPlace::Idle, "both episodes in one unlimited frame");
    assert!(p.playing(), "play starts when training ends");
    let f = p.advance(7, unlimited).unwrap();
    assert_eq!(
        (f.work, f.played, f.changed),
        (FrameWork::Lookahead, 0, true),
        "the run is played ahead first"
    );
    assert!(p.metrics().lookahead_done && p.step_index() == 0);
    let f = p.advance(7, unlimited).unwrap();
    assert_eq!((f.work, f.played), (FrameWork::Playing, 7));
    assert_eq!(p.step_index(), 7);
}

#[test]
fn a_frame_stops_when_its_budget_is_spent() {
    let mut p = trained(1);
    settle(&mut p);
    p.set_playing(true);
    // Out of time at the first check: one piece of ten steps, not the 500 asked.
    let f = p.advance(500, || true).unwrap();
    assert_eq!(f.played, 10);
    let mut checks = 0;
    let f = p
        .advance(500, || {
            checks += 1;
            checks == 3
        })
        .unwrap();
    assert_eq!(f.played, 30);
}

#[test]
fn a_link_step_is_reached_paused_after_training() {
    let mut p = Page::new(scenario("diurnal", 1), None).unwrap();
    p.set_start_step(95);
    p.start_training(true);
    p.set_autoplay(false);
    p.advance(10, unlimited).unwrap();
    assert!(!p.playing());
    assert_eq!(p.advance(10, unlimited).unwrap().work, FrameWork::Lookahead);
    let f = p.advance(10, unlimited).unwrap();
    assert_eq!((f.work, p.step_index()), (FrameWork::FastForward, 95));
    assert_eq!(p.advance(10, unlimited).unwrap().work, FrameWork::Idle, "and stays there");
    assert!(!p.playing());
}

#[test]
fn with_autoplay_a_link_step_is_reached_then_played_on() {
    let mut p = Page::new(scenario("diurnal", 1), None).unwrap();
    p.set_start_step(95);
    p.start_training(true);
    p.advance(10, unlimited).unwrap();
    arrive(&mut p);
    assert_eq!(p.step_index(), 95);
    assert!(p.playing(), "autoplay (the default) plays on from the start step");
    let f = p.advance(10, unlimited).unwrap();
    assert_eq!((f.work, f.played, p.step_index()), (FrameWork::Playing, 10, 105));
}

#[test]
fn playing_no_step_changes_nothing_shown() {
    let mut p = trained(1);
    settle(&mut p);
    p.set_playing(true);
    // The page asks for 0 steps in most frames at 1 to 5 steps a second.
    let f = p.advance(0, unlimited).unwrap();
    assert_eq!((f.work, f.played, f.changed), (FrameWork::Playing, 0, false));
    let f = p.advance(1, unlimited).unwrap();
    assert_eq!((f.work, f.played, f.changed), (FrameWork::Playing, 1, true));
}

#[test]
fn a_finished_run_stops_playing_and_restarts_when_played_again() {
    let mut p = trained(1);
    settle(&mut p);
    p.set_playing(true);
    while p.advance(1000, unlimited).unwrap().work == FrameWork::Playing {}
    assert!(p.finished() && !p.playing());
    assert_eq!(p.step_index(), 720);
    assert!(p.set_playing(true));
    assert_eq!(p.step_index(), 0);
}

#[test]
fn a_run_steps_reports_its_metrics_and_pins_the_forensics_of_a_decision() {
    let mut p = trained(2);
    assert_eq!(p.step(100), 100);
    let m = p.metrics();
    assert_eq!((m.step, m.steps), (100, 720));
    let kinds: Vec<WorldKind> = m.worlds.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, WorldKind::STANDARD);
    assert_eq!(m.now.len(), 5);
    let text = p.explain(50).unwrap();
    assert!(text.starts_with("Step 50:"), "{text}");
    assert!(text.contains("Decisive factor"), "{text}");
    assert_eq!(p.forensics_text(), text, "explain pins its text to the panel");
    p.step(1);
    assert!(
        p.forensics_text().starts_with("Step 100:"),
        "a step unpins it: {}",
        p.forensics_text()
    );
    assert_eq!(p.step(10_000), 619, "the run ends at its last step");
    assert!(p.metrics().finished);
}

#[test]
fn reset_gives_identical_figures() {
    let mut p = trained(2);
    p.show_world(WorldKind::Rule, false);
    p.step(250);
    let first = serde_json::to_string(&p.metrics()).unwrap();
    p.step(100);
    p.reset();
    assert_eq!(p.step_index(), 0);
    p.step(250);
    assert_eq!(serde_json::to_string(&p.metrics()).unwrap(), first);
}

#[test]
fn reset_gives_up_a_seek_under_way_and_stays_at_step_0() {
    let mut p = trained(2);
    settle(&mut p);
    p.seek(300);
    p.set_autoplay(true);
    let f = p.advance(1, || true).unwrap();
    assert_eq!(f.work, FrameWork::FastForward);
    assert!(p.seeking() && p.step_index() > 0 && p.step_index() < 300, "at {}", p.step_index());
    p.reset();
    assert!(!p.seeking());
    assert_eq!(
        p.advance(10, unlimited).unwrap().work,
        FrameWork::Idle,
        "nothing goes on to the seek's step"
    );
    assert_eq!((p.step_index(), p.playing()), (0, false));
    assert_eq!(p.step(300), 300, "the Step button's steps count from step 0");
    assert_eq!(p.step_index(), 300);
}

#[test]
fn seeking_to_a_step_gives_the_same_figures_as_playing_to_it() {
    for live in [false, true] {
        let page = || {
            let mut p = trained(2);
            p.set_learn_live(live);
            settle(&mut p);
            p
        };
        let played_to = |k: u32| {
            let mut p = page();
            assert_eq!(p.step(k), k);
            board(&p)
        };
        let mut p = page();
        // Forward from step 0, back, forward again past where it was.
        for k in [400usize, 150, 610, 610, 0, 720] {
            p.seek(k);
            arrive(&mut p);
            assert!(!p.playing() && !p.seeking());
            assert_eq!(p.step_index(), k);
            assert_eq!(board(&p), played_to(k as u32), "seek to {k}, learning live {live}");
        }
        // Beyond the run: its end.
        p.seek(99_999);
        arrive(&mut p);
        assert_eq!(p.step_index(), 720);
        // The forensics of a decision are the same however its step was reached.
        p.seek(300);
        arrive(&mut p);
        let mut q = page();
        q.step(300);
        assert_eq!(p.explain(200).unwrap(), q.explain(200).unwrap());
    }
}

#[test]
fn a_retrained_agent_takes_over_at_the_old_step_as_if_it_had_played_from_the_start() {
    // The board plays the old agent to step 250; a new one (another reward) is
    // trained on a new page, which takes over there and plays on.
    let mut old = trained(1);
    settle(&mut old);
    old.step(250);
    let s =
        scenario("diurnal", 2).with_overrides(&["reward.sla_violated=-40".to_string()]).unwrap();
    let mut new = Page::new(s.clone(), None).unwrap();
    new.start_training(true);
    while new.advance(10, unlimited).unwrap().work == FrameWork::Training {}
    new.set_start_step(old.step_index());
    new.set_autoplay(true);
    arrive(&mut new);
    assert_eq!(new.step_index(), 250);
    assert!(new.playing(), "it plays on as the old board did");
    // A fresh run of the new agent played to 250.
    let mut fresh = Page::new(s, None).unwrap();
    while fresh.train(1).unwrap() > 0 {}
    settle(&mut fresh);
    fresh.step(250);
    fresh.set_playing(true);
    assert_eq!(board(&new), board(&fresh));
    // Paused when the old board was: the same step, not playing.
    let mut paused = Page::new(scenario("diurnal", 1), None).unwrap();
    paused.set_start_step(250);
    paused.set_autoplay(false);
    paused.start_training(true);
    paused.advance(10, unlimited).unwrap();
    arrive(&mut paused);
    assert_eq!((paused.step_index(), paused.playing()), (250, false));
}

#[test]
fn the_last_step_of_a_run_of_whole_days_reads_as_the_end_of_its_last_day() {
    let mut p = Page::new(preset("diurnal").unwrap(), None).unwrap();
    assert_eq!(p.clock(), "step 0 of 4320 · day 1, 00:00");
    p.step(1440);
    assert_eq!(p.clock(), "step 1440 of 4320 · day 2, 00:00");
    p.step(2879);
    assert_eq!(p.clock(), "step 4319 of 4320 · day 3, 23:59");
    p.step(1);
    assert_eq!(p.clock(), "step 4320 of 4320 · day 3, 24:00");
    assert_eq!(p.metrics().clock, p.clock());
    // A run that ends within a day reads its time.
    let mut q = Page::new(scenario("diurnal", 1), None).unwrap();
    q.step(10_000);
    assert_eq!(q.clock(), "step 720 of 720 · day 1, 12:00");
}
