//! The progress line of a long run on a terminal: when it shows, how often it is
//! redrawn and what it says. Apart from the output proper, as it is only ever
//! drawn on a terminal's stderr and never changes what a pipe or a file gets.

use super::output::say;
use autoscale_playground::error::thousands;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Runs longer than this many steps show their progress (on a terminal).
const PROGRESS_STEPS: u64 = 100_000;

/// Runs longer than this many steps say so once on a stderr that is no
/// terminal: about 15 s of training natively.
const NOTICE_STEPS: u64 = 10_000_000;

/// The least time between two redrawings of the progress line.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// One line on stderr, redrawn in place, saying how far a long run is; only
/// when stderr is a terminal, so a pipe or a log file gets nothing.
pub struct Progress {
    what: &'static str,
    total: u64,
    on: bool,
    started: Instant,
    drawn: Option<Instant>,
}

impl Progress {
    /// Shown when the run is over [`PROGRESS_STEPS`] and stderr is a terminal;
    /// into a pipe or a file, a run over [`NOTICE_STEPS`] says once what it is
    /// doing instead, so that a long run does not sit silent.
    pub fn on_terminal(what: &'static str, total: u64) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let on = total > PROGRESS_STEPS && terminal;
        if !terminal && total > NOTICE_STEPS {
            say(&format!(
                "{what}: {} steps to play; stderr is not a terminal, so no progress line follows",
                thousands(total)
            ));
        }
        Progress { what, total, on, started: Instant::now(), drawn: None }
    }

    /// Redraws the line for `done` steps, at most every [`PROGRESS_EVERY`].
    pub fn update(&mut self, done: u64) {
        let now = Instant::now();
        if self.on && self.due(now) {
            let _ = write!(
                std::io::stderr(),
                "\r{}\x1b[K",
                progress_line(self.what, done, self.total, now - self.started)
            );
        }
    }

    /// Whether the line is due at `now`; the first time at once.
    fn due(&mut self, now: Instant) -> bool {
        if self.drawn.is_some_and(|t| now.duration_since(t) < PROGRESS_EVERY) {
            return false;
        }
        self.drawn = Some(now);
        true
    }

    /// Clears the line.
    pub fn finish(self) {
        if self.on && self.drawn.is_some() {
            let _ = write!(std::io::stderr(), "\r\x1b[K");
        }
    }
}

/// "training: 250000 of 1000000 steps (25 %), about 30 s left".
fn progress_line(what: &str, done: u64, total: u64, elapsed: Duration) -> String {
    let pct = (done.min(total) * 100).checked_div(total).unwrap_or(100);
    let left = match done {
        0 => String::new(),
        _ => format!(
            ", about {:.0} s left",
            elapsed.as_secs_f64() * total.saturating_sub(done) as f64 / done as f64
        ),
    };
    format!("{what}: {done} of {total} steps ({pct} %){left}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_says_how_far_and_how_long_is_left() {
        assert_eq!(
            progress_line("training", 0, 1_000_000, Duration::from_secs(0)),
            "training: 0 of 1000000 steps (0 %)"
        );
        assert_eq!(
            progress_line("training", 250_000, 1_000_000, Duration::from_secs(10)),
            "training: 250000 of 1000000 steps (25 %), about 30 s left"
        );
        assert_eq!(
            progress_line("simulate", 999_999, 1_000_000, Duration::from_secs(40)),
            "simulate: 999999 of 1000000 steps (99 %), about 0 s left"
        );
    }

    #[test]
    fn the_progress_line_is_redrawn_at_most_every_quarter_second() {
        let mut p = Progress {
            what: "simulate",
            total: 200_000,
            on: true,
            started: Instant::now(),
            drawn: None,
        };
        let t0 = Instant::now();
        assert!(p.due(t0), "the first time at once");
        assert!(!p.due(t0 + Duration::from_millis(100)));
        assert!(!p.due(t0 + Duration::from_millis(249)));
        assert!(p.due(t0 + Duration::from_millis(250)));
        assert!(!p.due(t0 + Duration::from_millis(300)));
    }

    #[test]
    fn a_short_run_or_a_pipe_shows_no_progress() {
        assert!(
            !Progress::on_terminal("simulate", PROGRESS_STEPS).on,
            "100,000 steps is not over 100,000"
        );
        // The tests' stderr is captured, not a terminal.
        assert!(!Progress::on_terminal("simulate", 10 * PROGRESS_STEPS).on);
    }
}
