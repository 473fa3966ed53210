//! The page's playing at the edges the frame tests leave open: autoplay
//! switched during a takeover's seek, a seek back by one step or to the step
//! the run is at, and the zoom's window at the run's ends; and what only the
//! browser read before (the ghost line, the world switches, the steps CSV), the
//! frames' pre-training and training, and steps or trainings that do nothing.

use crate::util::{arrive, board, scenario, settle, trained, unlimited};
use autoscale_playground::policy::WorldKind;
use autoscale_playground::view::{FrameWork, Page, TrainingPlace};

#[test]
fn autoplay_switched_off_during_a_takeovers_seek_arrives_paused() {
    let mut p = trained(1);
    settle(&mut p);
    // A new agent takes over at step 250: the page seeks there, to play on
    // (autoplay is on by default)...
    p.set_start_step(250);
    assert!(p.seeking());
    // ...until autoplay is switched off on the way.
    p.set_autoplay(false);
    assert!(p.seeking() && !p.playing(), "the seek goes on, paused");
    arrive(&mut p);
    assert_eq!((p.step_index(), p.playing()), (250, false));
    assert_eq!(p.advance(10, unlimited).unwrap().work, FrameWork::Idle);
    // Back to 100 with autoplay off, switched on on the way: it plays on there.
    p.set_start_step(100);
    assert!(p.seeking() && p.step_index() < 100);
    p.set_autoplay(true);
    assert!(!p.playing(), "not before it is there");
    arrive(&mut p);
    assert_eq!((p.step_index(), p.playing()), (100, true));
    let f = p.advance(5, unlimited).unwrap();
    assert_eq!((f.work, f.played, p.step_index()), (FrameWork::Playing, 5, 105));
}

#[test]
fn autoplay_switched_when_no_seek_is_under_way_plays_or_pauses_at_once() {
    let mut p = trained(1);
    settle(&mut p);
    p.step(40);
    p.set_autoplay(true);
    assert!(p.playing() && !p.seeking());
    p.set_autoplay(false);
    assert!(!p.playing());
    // A finished run does not play on.
    p.step(10_000);
    assert!(p.finished());
    p.set_autoplay(true);
    assert!(!p.playing());
}

#[test]
fn autoplay_set_before_training_is_done_waits_for_it() {
    let mut p = Page::new(scenario("diurnal", 1), None).unwrap();
    p.set_autoplay(true);
    assert!(!p.playing(), "untrained: nothing to play yet");
    p.start_training(true);
    p.advance(10, unlimited).unwrap();
    settle(&mut p);
    assert!(p.playing(), "trained, at the start step: it plays");
}

#[test]
fn seeking_back_by_one_step_replays_to_it() {
    let mut p = trained(2);
    settle(&mut p);
    p.step(300);
    p.seek(299);
    assert!(p.seeking(), "a step back replays from step 0");
    assert!(p.step_index() < 299);
    arrive(&mut p);
    assert_eq!(p.step_index(), 299);
    let mut q = trained(2);
    settle(&mut q);
    q.step(299);
    assert_eq!(board(&p), board(&q));
    // One step forward is played on, not replayed.
    p.seek(300);
    assert_eq!(p.step_index(), 299, "not reset");
    arrive(&mut p);
    q.step(1);
    assert_eq!(board(&p), board(&q));
}

#[test]
fn seeking_to_the_step_the_run_is_at_changes_nothing_shown() {
    let mut p = trained(2);
    settle(&mut p);
    p.step(300);
    p.explain(200).unwrap();
    let before = board(&p);
    assert!(before.2.starts_with("Step 200:"), "{}", before.2);
    p.set_playing(true);
    p.seek(300);
    assert!(!p.seeking() && !p.playing(), "a seek pauses");
    assert_eq!(board(&p), before, "the same step, the same charts and pinned forensics");
    assert_eq!(p.advance(10, unlimited).unwrap().work, FrameWork::Idle);
    // A seek beyond the end goes to the end; from the end, there is nothing to do.
    p.seek(720);
    arrive(&mut p);
    assert_eq!(p.step_index(), 720);
    p.seek(10_000);
    assert!(!p.seeking());
}

#[test]
fn the_zoom_shows_its_hours_around_the_step_within_the_run() {
    let mut p = trained(1);
    assert_eq!(p.zoom_window(), None);
    // Two hours of one-minute steps: 120 steps, the step a third of the way in
    // (the minutes after it take the rest).
    p.set_zoom(2.0);
    assert_eq!(p.zoom_window(), Some((0, 120)));
    p.step(300);
    assert_eq!(p.zoom_window(), Some((260, 380)));
    p.step(361);
    assert_eq!(p.step_index(), 661);
    assert_eq!(p.zoom_window(), Some((600, 720)), "kept within the run");
    // Wider than the run: the whole run.
    p.set_zoom(100.0);
    assert_eq!(p.zoom_window(), Some((0, 720)));
    // Narrower than two steps: two steps.
    p.set_zoom(0.001);
    assert_eq!(p.zoom_window(), Some((661, 663)));
    // Not a zoom: the whole run unzoomed.
    for bad in [0.0, -2.0, f64::NAN, f64::INFINITY] {
        p.set_zoom(bad);
        assert_eq!(p.zoom_window(), None, "{bad}");
    }
}

#[test]
fn a_hidden_world_is_hidden_until_shown_again_and_the_others_stay_shown() {
    let all = WorldKind::STANDARD;
    let mut p = trained(1);
    assert!(all.iter().all(|&k| p.shows(k)), "every world is shown at first");
    p.show_world(WorldKind::Rule, false);
    // Hidden twice, then shown once: shown.
    p.show_world(WorldKind::Rule, false);
    let shown: Vec<bool> = all.iter().map(|&k| p.shows(k)).collect();
    assert_eq!(shown, [true, false, true, true, true]);
    // Two hidden: showing one keeps the other hidden.
    p.show_world(WorldKind::Predictive, false);
    p.show_world(WorldKind::Rule, true);
    let shown: Vec<bool> = all.iter().map(|&k| p.shows(k)).collect();
    assert_eq!(shown, [true, true, true, true, false]);
    p.show_world(WorldKind::Predictive, true);
    assert!(all.iter().all(|&k| p.shows(k)), "shown again");
    p.show_world(WorldKind::Oracle, true);
    assert!(all.iter().all(|&k| p.shows(k)), "showing a shown world changes nothing");
}

#[test]
fn the_ghost_is_the_elastic_worlds_replicas_at_every_step_as_the_run_then_plays_them() {
    let mut p = trained(1);
    assert!(p.ghost().is_empty(), "nothing before the lookahead has played the run");
    settle(&mut p);
    let ghost = p.ghost().to_vec();
    assert_eq!(ghost.len(), 720);
    assert_eq!(p.step(720), 720);
    assert_eq!(p.history.bucket, 1, "a point a step, for this comparison");
    let played = &p.history.track(WorldKind::Elastic).unwrap().provisioned;
    let ghost: Vec<f64> = ghost.iter().map(|&r| f64::from(r)).collect();
    assert_eq!(&ghost, played);
    // Not one constant fleet: the ghost follows the day.
    let (lo, hi) = ghost.iter().fold((f64::INFINITY, 0.0f64), |(a, b), &r| (a.min(r), b.max(r)));
    assert!(hi >= lo + 2.0, "from {lo} to {hi} replicas");
}

#[test]
fn the_steps_csv_holds_every_worlds_report_of_every_step_played_in_order() {
    let mut p = trained(1);
    settle(&mut p);
    assert_eq!(p.step(100), 100);
    let csv = p.steps_csv().unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("world,step,time_s,demand,ready,booting,provisioned,arrivals,completed,dropped,in_system,mean_response_s,p95_response_s,utilisation,cost,sla_held")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == 16), "16 cells a row");
    // World after world, each in step order, 100 steps each.
    let worlds: Vec<&str> = rows.iter().step_by(100).map(|r| r[0]).collect();
    assert!(
        worlds.len() >= 5 && rows.len() == 100 * worlds.len(),
        "{worlds:?}, {} rows",
        rows.len()
    );
    for (i, r) in rows.iter().enumerate() {
        assert_eq!((r[0], r[1]), (worlds[i / 100], (i % 100).to_string().as_str()), "row {i}");
    }
    // The Elastic rows' replicas are the ones the chart drew.
    let elastic = WorldKind::Elastic.label();
    let provisioned: Vec<f64> =
        rows.iter().filter(|r| r[0] == elastic).map(|r| r[6].parse().unwrap()).collect();
    assert_eq!(&provisioned, &p.history.track(WorldKind::Elastic).unwrap().provisioned);
}

#[test]
fn a_run_too_long_to_keep_every_step_has_no_steps_csv_and_says_why() {
    let s = scenario("diurnal", 1).with_overrides(&["steps=50001".to_string()]).unwrap();
    let mut p = Page::new(s, None).unwrap();
    assert_eq!(p.step(1), 1);
    let e = p.steps_csv().unwrap_err().to_string();
    assert!(e.contains("this run is 50001 steps long") && e.contains("at most 50000 steps"), "{e}");
}

#[test]
fn a_frame_pre_trains_a_learned_forecaster_one_batch_when_out_of_time_and_to_the_end_when_not() {
    let mut s = scenario("bursty", 2).with_overrides(&["forecast.method=tcn".to_string()]).unwrap();
    s.steps = 240;
    let mut p = Page::new(s, None).unwrap();
    for k in 1..=3 {
        let f = p.advance(1, || true).unwrap();
        assert_eq!((f.work, f.played, f.changed), (FrameWork::Fitting, 0, true));
        assert_eq!(p.metrics().fit.done, k, "one mini-batch a frame out of time");
    }
    assert!(!p.session.trainer.fit_done());
    assert_eq!(p.advance(1, unlimited).unwrap().work, FrameWork::Fitting);
    assert!(p.session.trainer.fit_done(), "a frame with time fits to the end");
    let done = p.metrics().fit.done;
    assert!(done > 3, "{done} mini-batches");
    assert_ne!(p.advance(1, unlimited).unwrap().work, FrameWork::Fitting);
    assert_eq!(p.metrics().fit.done, done);
}

#[test]
fn a_step_that_plays_nothing_keeps_the_pinned_forensics() {
    let mut p = trained(1);
    assert_eq!(p.step(100), 100);
    let text = p.explain(50).unwrap();
    assert_eq!(p.step(0), 0);
    assert_eq!(p.forensics_text(), text, "nothing played: still pinned");
    // At the run's end too: a Step that finds nothing left to play.
    assert_eq!(p.step(10_000), 620);
    let text = p.explain(700).unwrap();
    assert_eq!(p.step(1), 0);
    assert_eq!(p.forensics_text(), text);
}

#[test]
fn training_here_pauses_the_run_training_in_a_worker_plays_it_on_and_stopping_gives_it_up() {
    let mut p = Page::new(scenario("diurnal", 2), None).unwrap();
    p.start_training(true);
    assert_eq!((p.training(), p.playing()), (TrainingPlace::Here, false), "the run waits");
    let mut w = Page::new(scenario("diurnal", 2), None).unwrap();
    w.start_training(false);
    assert_eq!((w.training(), w.playing()), (TrainingPlace::Elsewhere, true), "the run plays on");
    // A worker that failed: its training is given up, and the run goes on.
    w.stop_training();
    assert_eq!((w.training(), w.playing()), (TrainingPlace::Idle, true));
    let f = w.advance(5, unlimited).unwrap();
    assert_eq!((f.work, f.played), (FrameWork::Playing, 5), "with what its agent learnt so far");
}

#[test]
fn training_asked_for_once_it_is_done_trains_nothing_and_keeps_the_run() {
    let mut p = trained(1);
    settle(&mut p);
    assert_eq!(p.step(100), 100);
    let text = p.explain(50).unwrap();
    let before = board(&p);
    assert_eq!(p.train(1).unwrap(), 0, "no episode left to play");
    assert_eq!(board(&p), before, "the same run, chart and pinned forensics");
    assert_eq!(p.forensics_text(), text);
    assert!(p.metrics().lookahead_done, "the whole run played ahead is kept");
}
