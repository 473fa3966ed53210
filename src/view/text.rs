//! The page's words: the current decision, times of the run, and text wrapped
//! to a panel.

use crate::forensics::{self, FEW_VISITS};
use crate::math::Figure;
use crate::policy::WorldKind;
use crate::session::Session;

/// The current decision of the Elastic world in words: cheap enough for every
/// frame (no replays; `explain` adds the counterfactuals).
pub fn decision(session: &Session) -> String {
    let Some(agent) = session.agent() else { return "This run has no Elastic (RL) world.".into() };
    let Some(d) = &agent.last else {
        return "No decision yet: the agent acts from step 1 on, once it has seen demand.".into();
    };
    let space = &agent.table.space;
    let state_visits: u64 = d.visits.iter().map(|&v| v as u64).sum();
    let confidence = if state_visits == 0 {
        "This state was never visited in training: the choice is the default (hold), not a judgement.".to_string()
    } else if state_visits < FEW_VISITS {
        format!("This state was visited only {state_visits} times in training: weak evidence.")
    } else {
        format!("This state was visited {state_visits} times in training.")
    };
    let timing = session
        .judge
        .lane(WorldKind::Elastic)
        .and_then(|lane| {
            forensics::timing(
                d,
                &lane.scale_ups,
                &session.trace.rates,
                session.trace.dt,
                space.forecast_threshold,
            )
        })
        .map_or(String::new(), |t| format!("{t}\n"));
    format!(
        "Step {}: {}.\n{} Q-values: down {:.2}, hold {:.2}, up {:.2}; visits {} / {} / {}.\n{timing}{confidence}\nPause, or click a heatmap cell, for what the other actions would have done.",
        d.step,
        space.describe(&d.reading),
        forensics::choice(d),
        Figure(d.q[0]),
        Figure(d.q[1]),
        Figure(d.q[2]),
        d.visits[0],
        d.visits[1],
        d.visits[2]
    )
}

/// Splits a line at spaces into lines of at most `columns` characters (a word
/// longer than that stands alone).
pub fn wrap(line: &str, columns: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > columns {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push(current);
    out
}

/// A time of the run as a lecturer reads it: "day 2, 14:05", day 1 starting at 0 s.
pub fn day_time(t_s: f64) -> String {
    let t = whole_seconds(t_s);
    format!("day {}, {:02}:{:02}", t / 86_400 + 1, t % 86_400 / 3600, t % 3600 / 60)
}

/// The end of a run `t_s` seconds long: a run of whole days ends at 24:00 of its
/// last day ("day 3, 24:00"), not at the start of a day it does not have.
pub fn day_end(t_s: f64) -> String {
    let t = whole_seconds(t_s);
    if t > 0 && t % 86_400 == 0 {
        format!("day {}, 24:00", t / 86_400)
    } else {
        day_time(t_s)
    }
}

/// A span of time in words: "45 s", "6 min", "2 h", "1 h 20 min".
pub fn duration(t_s: f64) -> String {
    let t = whole_seconds(t_s);
    match (t / 3600, t % 3600 / 60) {
        (0, 0) => format!("{t} s"),
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Seconds rounded to whole ones, 0 for a negative or non-finite time.
fn whole_seconds(t_s: f64) -> u64 {
    if t_s.is_finite() && t_s > 0.0 {
        t_s.round() as u64
    } else {
        0
    }
}
