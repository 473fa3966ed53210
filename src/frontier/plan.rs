//! What a sweep plays: the seeds and knob values of a [`Plan`], and the units of
//! work it makes of them, one knob value on one seed each. Separate from the run
//! so that what is played can be listed and checked without playing it.

use super::{MAX_SEEDS, MIN_SEEDS, RULE_TARGET, VIOLATION_WEIGHT};
use crate::error::{Error, Result};
use crate::scenario::{Design, Scenario};

/// What a sweep plays: its seeds and the knob values.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub seeds: Vec<u64>,
    /// The Rule's target utilisations, in the order the points are listed.
    pub rule_targets: Vec<f64>,
    /// The weights of a violated step the agent is trained with, in order.
    pub violation_weights: Vec<f64>,
}

impl Plan {
    /// `seeds` seeds from the scenario's own upwards; the Rule at targets 0.40,
    /// 0.45, ..., 0.95 and the agent at weights −5, −10, −20, −40, −80.
    pub fn new(s: &Scenario, seeds: usize) -> Plan {
        Plan {
            seeds: Plan::seeds_from(s.seed, seeds),
            rule_targets: (40..=95).step_by(5).map(|p| p as f64 / 100.0).collect(),
            violation_weights: vec![-5.0, -10.0, -20.0, -40.0, -80.0],
        }
    }

    /// Fewer points: the Rule at 0.5, 0.6, ..., 0.9 and the agent at −5, −20, −80.
    pub fn quick(s: &Scenario, seeds: usize) -> Plan {
        Plan {
            seeds: Plan::seeds_from(s.seed, seeds),
            rule_targets: (5..=9).map(|p| p as f64 / 10.0).collect(),
            violation_weights: vec![-5.0, -20.0, -80.0],
        }
    }

    fn seeds_from(first: u64, n: usize) -> Vec<u64> {
        (0..n as u64).map(|i| first.wrapping_add(i)).collect()
    }

    /// The Rule's targets played: the plan's, then the scenario's own if missing
    /// (the Rule's default point).
    pub fn targets_played(&self, s: &Scenario) -> Vec<f64> {
        with_own(&self.rule_targets, s.rule.target_utilisation)
    }

    /// The agent's weights played: the plan's, then the scenario's own if missing
    /// (the agent's default point).
    pub fn weights_played(&self, s: &Scenario) -> Vec<f64> {
        with_own(&self.violation_weights, s.reward.sla_violated)
    }

    /// The units of work, in the order their points are listed: for each knob
    /// value, every seed.
    pub fn units(&self, s: &Scenario) -> Vec<Unit> {
        let mut works = vec![UnitKind::Baselines];
        works.extend(self.targets_played(s).into_iter().map(UnitKind::Rule));
        works.extend(self.weights_played(s).into_iter().map(UnitKind::Agent));
        works.push(UnitKind::Blind);
        if s.agent.design != Design::Seed {
            works.push(UnitKind::SeedDesign);
        }
        works
            .into_iter()
            .flat_map(|work| self.seeds.iter().map(move |&seed| Unit { work, seed }))
            .collect()
    }

    /// Refuses a plan that cannot give an interval or whose knob values the
    /// scenario would refuse, naming the value and what is allowed; checks the
    /// scenario too.
    pub fn check(&self, s: &Scenario) -> Result<()> {
        let n = self.seeds.len();
        if !(MIN_SEEDS..=MAX_SEEDS).contains(&n) {
            return Err(Error::Run(format!("{n} seeds: a frontier needs from {MIN_SEEDS} to {MAX_SEEDS} (an interval needs two)")));
        }
        if self.rule_targets.is_empty() || self.violation_weights.is_empty() {
            return Err(Error::Run(
                "a frontier needs at least one Rule target and one violation weight".into(),
            ));
        }
        s.validate()?;
        for unit in self.units(s).iter().filter(|u| u.seed == self.seeds[0]) {
            unit.scenario(s)
                .validate()
                .map_err(|e| Error::from(e).context("the frontier's plan"))?;
        }
        Ok(())
    }
}

fn with_own(values: &[f64], own: f64) -> Vec<f64> {
    let mut all = values.to_vec();
    if !all.iter().any(|v| v.to_bits() == own.to_bits()) {
        all.push(own);
    }
    all
}

/// What a unit plays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UnitKind {
    /// Static, Oracle and Predictive (the forecaster pre-trained as the agent's).
    Baselines,
    /// The Rule at a target utilisation.
    Rule(f64),
    /// The agent trained and judged with a weight of a violated step.
    Agent(f64),
    /// The agent without the forecast in its state, at the scenario's weight.
    Blind,
    /// The agent of docs/model.md's seed design, at the scenario's weight (played only
    /// when the scenario's agent is of another design).
    SeedDesign,
}

/// One knob value on one seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    pub work: UnitKind,
    pub seed: u64,
}

impl Unit {
    /// The scenario this unit plays: the seed and its knob set.
    pub fn scenario(&self, s: &Scenario) -> Scenario {
        let mut s = s.clone();
        s.seed = self.seed;
        match self.work {
            UnitKind::Rule(t) => s.rule.target_utilisation = t,
            UnitKind::Agent(w) => s.reward.sla_violated = w,
            UnitKind::SeedDesign => crate::presets::seed_agent(&mut s),
            UnitKind::Baselines | UnitKind::Blind => {}
        }
        s
    }

    /// Its size in world-steps, for a progress line: each training episode and
    /// each judged world counts one run.
    pub fn steps(&self, s: &Scenario) -> u64 {
        let runs = match self.work {
            UnitKind::Baselines => 3,
            UnitKind::Rule(_) => 1,
            UnitKind::Agent(_) | UnitKind::Blind | UnitKind::SeedDesign => {
                s.agent.episodes as u64 + 1
            }
        };
        runs * s.steps as u64
    }

    pub(super) fn knob(&self) -> Option<(String, f64)> {
        match self.work {
            UnitKind::Rule(t) => Some((RULE_TARGET.into(), t)),
            UnitKind::Agent(w) => Some((VIOLATION_WEIGHT.into(), w)),
            UnitKind::Baselines | UnitKind::Blind | UnitKind::SeedDesign => None,
        }
    }
}
