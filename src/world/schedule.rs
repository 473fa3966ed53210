//! A capacity plan: the provisioned replicas of each step in turn, as the CLI's
//! `simulate --schedule FILE` gives a world. The last value holds for the rest of
//! the run.

use crate::error::{shown, Error, Result};

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// Never empty.
    targets: Vec<u32>,
}

impl Schedule {
    /// `n` replicas every step.
    pub fn hold(n: u32) -> Schedule {
        Schedule { targets: vec![n] }
    }

    /// Reads a schedule file: one whole number per line, each within
    /// `min..=max`; blank lines and lines starting with `#` are skipped. Errors
    /// name the 1-based line.
    pub fn parse(text: &str, min: u32, max: u32) -> Result<Schedule> {
        let mut targets = Vec::new();
        for (i, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let no = i + 1;
            let n: u32 = line.parse().map_err(|_| {
                Error::Schedule(format!(
                    "line {no}: '{}' is not a whole number of replicas",
                    shown(line)
                ))
            })?;
            if !(min..=max).contains(&n) {
                return Err(Error::Schedule(format!("line {no}: {n} {}", allowed(min, max))));
            }
            targets.push(n);
        }
        if targets.is_empty() {
            return Err(Error::Schedule(
                "holds no values: expected one whole number of replicas per line".into(),
            ));
        }
        Ok(Schedule { targets })
    }

    /// The replicas of `step`.
    pub fn at(&self, step: usize) -> u32 {
        self.targets[step.min(self.targets.len() - 1)]
    }

    pub fn targets(&self) -> &[u32] {
        &self.targets
    }
}

/// The allowed range of a replica count, in words.
pub fn allowed(min: u32, max: u32) -> String {
    format!("must be from {min} to {max} replicas (scaling.min_replicas to scaling.max_replicas)")
}
