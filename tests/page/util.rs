//! The page tests' set-up: a short run of a preset, a page trained on it, and
//! the frames that play its lookahead or a seek to their end. Several subject
//! files of this binary build their pages the same way, so it stands apart.

use autoscale_playground::judge::WorldResult;
use autoscale_playground::presets::preset;
use autoscale_playground::scenario::Scenario;
use autoscale_playground::view::{FrameWork, Page};

/// A short run (12 hours) of a preset with few training episodes.
pub fn scenario(name: &str, episodes: u32) -> Scenario {
    preset(name)
        .unwrap()
        .with_overrides(&["steps=720".to_string(), format!("agent.episodes={episodes}")])
        .unwrap()
}

/// A page of the short diurnal run, its `episodes` of training played here.
pub fn trained(episodes: u32) -> Page {
    let mut p = Page::new(scenario("diurnal", episodes), None).unwrap();
    while p.train(1).unwrap() > 0 {}
    p
}

/// Never out of time: a frame does all it may.
pub fn unlimited() -> bool {
    false
}

/// Plays the lookahead (the copy of the run and the Rule's sweep) to its end,
/// as the frames after training do before the run plays.
pub fn settle(p: &mut Page) {
    while !p.metrics().lookahead_done {
        assert_eq!(p.advance(1, unlimited).unwrap().work, FrameWork::Lookahead);
    }
}

/// A run's results as the lookahead has them: no latency histogram, so no
/// p95 or p99.
pub fn without_latency(worlds: Vec<WorldResult>) -> Vec<WorldResult> {
    worlds.into_iter().map(|w| WorldResult { p95_s: None, p99_s: None, ..w }).collect()
}

/// Frames until a seek (or a link's fast-forward) has arrived.
pub fn arrive(p: &mut Page) {
    settle(p);
    while p.seeking() {
        assert_eq!(p.advance(1, unlimited).unwrap().work, FrameWork::FastForward);
    }
}

/// Everything a page shows of its run, for comparing two pages exactly: the
/// metrics, the charts' history (f64s printed so that they read back to the
/// same bits) and the forensics panel.
pub fn board(p: &Page) -> (String, String, String) {
    (serde_json::to_string(&p.metrics()).unwrap(), format!("{:?}", p.history), p.forensics_text())
}
