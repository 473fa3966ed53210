//! Named scenarios: the workload presets of the page and the results table, with
//! the agent as tuned for them.
//!
//! `Scenario::default()` keeps MODEL.md's numbers. The presets change only the
//! agent's own fields (never a baseline's), tuned on the default diurnal trace and
//! then used unchanged on every preset:
//! - utilisation bins split at 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9 and 1.0 (nine
//!   bins, not five): with the default SLA a fleet violates from about 90 %
//!   utilisation, and the five default bins put 80 % and 99 % in the same state;
//! - the agent scales by 2 replicas per action (`scaling.step_size`, which only the
//!   agent uses): a 1.5x spike needs several replicas within the boot delay;
//! - an SLA violation weighs −20 (not −5): at −5 a violated step costs less reward
//!   than holding one spare replica for an hour, and the agent learns to violate.
//!
//! The README gives the figures with the defaults and with the tuned agent.
//!
//! A preset trains for `agent.episodes` (200, the scenario's default) wherever it
//! is trained: the CLI, the page's build (`scripts/build-wasm.sh`, which asks the
//! CLI for the names and trains each) and the page itself.

use crate::error::{Error, Result};
use crate::scenario::{Family, Scenario};

/// The preset names, in the order the page lists them.
pub const NAMES: [&str; 3] = ["diurnal", "flash-crowd", "bursty"];

/// Applies the tuned agent fields.
pub fn tune_agent(s: &mut Scenario) {
    s.agent.utilisation_bins = vec![0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 1.0];
    s.scaling.step_size = 2;
    s.reward.sla_violated = -20.0;
}

/// The preset of that name: its workload family with the tuned agent.
pub fn preset(name: &str) -> Result<Scenario> {
    let mut s = Scenario::default();
    s.workload.family = match name {
        "diurnal" => Family::Diurnal,
        "flash-crowd" => Family::FlashCrowd,
        "bursty" => Family::Bursty,
        other => return Err(Error::Scenario(format!("no preset named '{other}' (presets: {})", NAMES.join(", ")))),
    };
    tune_agent(&mut s);
    Ok(s)
}

