//! Which way the demand is heading: the one reading a forecast gives that the
//! agent's state, the forensics and the forecasters' skill measures share.

use serde::{Deserialize, Serialize};

/// Which way a value moved against a base, beyond a relative dead band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    Falling = 0,
    Steady = 1,
    Rising = 2,
}

impl Direction {
    pub const ALL: [Direction; 3] = [Direction::Falling, Direction::Steady, Direction::Rising];

    /// The direction of `new` against `base`, with a relative dead band.
    pub fn of(new: f64, base: f64, threshold: f64) -> Direction {
        if !(new.is_finite() && base.is_finite()) {
            return Direction::Steady;
        }
        if base <= 0.0 {
            return if new > 0.0 { Direction::Rising } else { Direction::Steady };
        }
        let change = (new - base) / base;
        if change > threshold {
            Direction::Rising
        } else if change < -threshold {
            Direction::Falling
        } else {
            Direction::Steady
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Direction::Falling => "falling",
            Direction::Steady => "steady",
            Direction::Rising => "rising",
        }
    }
}
