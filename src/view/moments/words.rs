//! The moments in words, all of them here: each found moment's line, the
//! heading its forensics start with, and each kind's heading in a list. Apart
//! from finding them ([`super::spot`]), which gives the figures only, so that a
//! sentence and the times it names read in one place.

use super::{Facts, Found, Moment, MomentKind, Series};
use crate::math::Figure;
use crate::view::text::{day_end, day_time, duration};
use std::cmp::Ordering;

impl MomentKind {
    /// In words, for a list's heading ("Pre-emptive scale-ups").
    pub fn label(self) -> &'static str {
        match self {
            MomentKind::PreEmptive => "Pre-emptive scale-ups",
            MomentKind::LateReaction => "Late reactions",
            MomentKind::Oscillation => "Oscillations",
            MomentKind::Saving => "Savings in a dip",
        }
    }
}

/// A found moment of the series `s` with its line.
pub(super) fn moment(found: &Found, s: &Series) -> Moment {
    let Found { step, from, until, ref facts } = *found;
    let clock = Clock { dt_s: s.dt_s };
    let boot = || duration(s.boot_steps as f64 * s.dt_s);
    let text = match *facts {
        Facts::PreEmptive { before, after, rise } => format!(
            "{}: scaled up {before} → {after} replicas {} before demand rose past what {before} carry (booting takes {}).",
            clock.at(step),
            clock.span(rise - step),
            boot()
        ),
        Facts::LateReaction { before, after, rise, ref broken } => {
            let when = match rise.cmp(&step) {
                Ordering::Less => format!(
                    "{} after demand rose past what {before} carry",
                    clock.span(step - rise)
                ),
                Ordering::Equal => format!("as demand rose past what {before} carry"),
                Ordering::Greater => format!(
                    "only {} before demand rose past what {before} carry",
                    clock.span(rise - step)
                ),
            };
            let (first, last) = (from, until - 1);
            let steps = if broken.len() == 1 { "step" } else { "steps" };
            let times = if first == last {
                clock.hm(first)
            } else {
                format!("{} to {}", clock.hm(first), clock.hm(last))
            };
            format!(
                "{}: scaled up {before} → {after} replicas {when} (booting takes {}); the SLA broke in {} {steps} before they were ready: {steps} {} ({times}).",
                clock.at(step),
                boot(),
                broken.len(),
                ranges(broken)
            )
        }
        Facts::Oscillation { start, ref changes } => {
            let n = changes.len();
            let moves = if n <= 4 {
                changes
                    .iter()
                    .map(|c| if c.0 { "up" } else { "down" })
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                format!("up and down {n} times")
            };
            let mut sizes = vec![start.to_string()];
            sizes.extend(changes.iter().take(8).map(|c| c.1.to_string()));
            if n > 8 {
                sizes.push("…".into());
            }
            format!(
                "{}: capacity went {moves} within {}: {} replicas.",
                clock.at(step),
                clock.span(until - from),
                sizes.join(" → ")
            )
        }
        Facts::Saving { elastic, fixed, replica_hours } => format!(
            "{}: Elastic ran {elastic} replicas where Static ran {fixed}; from {} ({}) it saved {:.1} replica-hours, {:.2} at {:.2} a replica-hour.",
            clock.at(step),
            clock.stretch(from, until, step),
            clock.span(until - from),
            Figure(replica_hours),
            Figure(replica_hours * s.price_per_hour),
            s.price_per_hour
        ),
    };
    Moment { kind: facts.kind(), step, from, until, text }
}

/// The lines a moment's forensics start with: the moment itself, and, for a
/// timed scale-up, that early or late is judged by the demand that followed,
/// as the forensics below judge it too.
pub fn moment_heading(m: &Moment) -> String {
    let timed = matches!(m.kind, MomentKind::PreEmptive | MomentKind::LateReaction);
    let note = if timed {
        "\nEarly or late is judged by the demand that followed, as on the scoreboard and in the forensics below."
    } else {
        ""
    };
    format!("Moment: {}{note}", m.text)
}

/// The run's steps as times, for seconds per step `dt_s`.
struct Clock {
    dt_s: f64,
}

impl Clock {
    /// "Day 1, 07:40": the clock at the start of step `t`, to open a sentence.
    fn at(&self, t: usize) -> String {
        let mut s = day_time(t as f64 * self.dt_s);
        s.replace_range(0..1, "D");
        s
    }

    /// "07:40": the time of day at the start of step `t`.
    fn hm(&self, t: usize) -> String {
        hour_minute(&day_time(t as f64 * self.dt_s))
    }

    /// "01:40 to 02:40" for steps `from..until` within the day of step `at`;
    /// with their days ("day 1, 16:44 to day 2, 09:21") otherwise.
    fn stretch(&self, from: usize, until: usize, at: usize) -> String {
        let (start, end, day) = (
            day_time(from as f64 * self.dt_s),
            day_end(until as f64 * self.dt_s),
            day_time(at as f64 * self.dt_s),
        );
        let day_of = |clock: &str| clock.split(", ").next().unwrap_or_default().to_string();
        if day_of(&start) == day_of(&day) && day_of(&end) == day_of(&day) {
            format!("{} to {}", hour_minute(&start), hour_minute(&end))
        } else {
            format!("{start} to {end}")
        }
    }

    /// "6 min": `steps` steps as a span of time.
    fn span(&self, steps: usize) -> String {
        duration(steps as f64 * self.dt_s)
    }
}

/// The "hh:mm" of a [`day_time`] or [`day_end`] text.
fn hour_minute(clock: &str) -> String {
    clock.rsplit(", ").next().unwrap_or(clock).to_string()
}

/// Steps as ranges: "12-15, 18".
fn ranges(steps: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < steps.len() {
        let mut j = i;
        while j + 1 < steps.len() && steps[j + 1] == steps[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            steps[i].to_string()
        } else {
            format!("{}-{}", steps[i], steps[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}
