//! The interpreter: why the agent did what it did at a step, from its Q-values, the
//! state's visit count, and counterfactual replays of the other actions.
//!
//! A counterfactual clones the elastic world as it was before the decision (world,
//! agent, history), takes the other action now and the agent's own policy after,
//! for `H` steps on the same future demand, and compares cost, SLA-violation steps
//! and the worst step p95 with what the chosen action led to in the same replay.

use crate::agent::{Action, Decision, QAgent, StateSpace, HEADROOM_REACH};
use crate::error::{Error, Result};
use crate::forecast::Direction;
use crate::judge::{play_step, Lane};
use crate::math::Figure;
use crate::policy::{Observation, WorldKind};
use crate::scenario::Reward;
use crate::workload::Trace;
use serde::Serialize;

/// Visits below this make a state's values weak evidence.
pub const FEW_VISITS: u64 = 10;

/// What one action led to over the replay window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionOutcome {
    pub action: Action,
    /// Provisioned replicas asked for at the step.
    pub target: u32,
    pub cost: f64,
    pub violations: usize,
    /// The worst step p95 in the window (s), if any request completed.
    pub worst_p95_s: Option<f64>,
    pub dropped: f64,
}

/// The forensics of one decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forensics {
    pub step: usize,
    /// The state in words.
    pub state: String,
    pub q: [f64; 3],
    pub visits: [u32; 3],
    pub state_visits: u64,
    pub action: Action,
    pub explored: bool,
    /// For a scale-up of the calm design: pre-emptive or a reaction ([`timing`]).
    pub timing: Option<String>,
    /// Q of the chosen action minus the best other.
    pub margin: f64,
    /// Steps replayed after the decision (including its own).
    pub horizon: usize,
    /// The chosen action first, then the others.
    pub outcomes: Vec<ActionOutcome>,
    /// Confidence in words: never "confident" for an unvisited or rarely visited state.
    pub confidence: String,
    /// One sentence naming the decisive factor.
    pub verdict: String,
}

impl Forensics {
    /// The whole explanation as plain text.
    pub fn text(&self) -> String {
        let mut out = format!("Step {}: {}.\n", self.step, self.state);
        out += &format!(
            "Chose {}{}. Q-values: down {:.2}, hold {:.2}, up {:.2} (margin {:+.2}); visits {} / {} / {}.\n",
            self.action.label(),
            if self.explored { " (exploring)" } else { "" },
            Figure(self.q[0]),
            Figure(self.q[1]),
            Figure(self.q[2]),
            Figure(self.margin),
            self.visits[0],
            self.visits[1],
            self.visits[2]
        );
        if let Some(timing) = &self.timing {
            out += timing;
            out += "\n";
        }
        out += &self.confidence;
        out += "\n";
        let chosen = &self.outcomes[0];
        for o in &self.outcomes[1..] {
            out += &format!(
                "If {} ({} replicas): cost {:+.2}, SLA-violation steps {:+}, worst p95 {} over the next {} steps.\n",
                o.action.label(),
                o.target,
                Figure(o.cost - chosen.cost),
                o.violations as i64 - chosen.violations as i64,
                match (o.worst_p95_s, chosen.worst_p95_s) {
                    (Some(a), Some(b)) => format!("{:+.2} s", Figure(a - b)),
                    _ => "n/a".to_string(),
                },
                self.horizon
            );
        }
        out += &self.verdict;
        out
    }
}

/// The longest horizon each action is replayed for (the page's is
/// shorter; the CLI refuses a longer one by its flag).
pub const MAX_HORIZON: usize = 1000;

/// Explains the decision at `step` of the elastic lane whose state at step 0 is
/// `initial`, by replaying it to `step` on `trace` (deterministic: the same lane
/// the judge plays), then each action for `horizon` steps.
pub fn explain(
    initial: &Lane,
    trace: &Trace,
    rewards: &Reward,
    step: usize,
    horizon: usize,
) -> Result<Forensics> {
    if initial.agent().is_none() {
        return Err(Error::Run(format!(
            "{} has no Q-table to explain; forensics are for the {} world",
            initial.kind(),
            WorldKind::Elastic
        )));
    }
    if step >= trace.len() {
        return Err(Error::Run(format!("step {step} is outside the run (0..{})", trace.len())));
    }
    let horizon = horizon.clamp(1, MAX_HORIZON).min(trace.len() - step);
    let mut lane = initial.clone();
    lane.keep_reports(false);
    for t in 0..step {
        play_step(&mut lane, trace, &trace.rates[..t], rewards);
    }
    // The decision itself, on a copy, to read the agent's view and values.
    let mut probe = lane.clone();
    let obs = Observation::of(&probe.world, &trace.rates[..step], probe.last.as_ref(), trace.dt);
    probe.maker.decide(&obs);
    let agent: &QAgent =
        probe.agent().ok_or_else(|| Error::Run("the elastic world lost its agent".into()))?;
    let d = agent.last.clone().ok_or_else(|| {
        Error::Run(
            "no decision at step 0: the agent acts from step 1 on, once it has seen demand".into(),
        )
    })?;
    let space = &agent.table.space;
    let state = space.describe(&d.reading);
    let state_visits: u64 = d.visits.iter().map(|&v| v as u64).sum();

    let mut order = vec![d.action];
    order.extend(Action::ALL.iter().copied().filter(|&a| a != d.action));
    let outcomes: Vec<ActionOutcome> =
        order.iter().map(|&a| replay(&lane, trace, rewards, step, horizon, a)).collect();

    let best_other = Action::ALL
        .iter()
        .filter(|&&a| a != d.action)
        .map(|&a| d.q[a.index()])
        .fold(f64::NEG_INFINITY, f64::max);
    let margin = d.q[d.action.index()] - best_other;
    let confidence = if state_visits == 0 {
        "This state was never visited: the choice is arbitrary (all values are the initial 0; ties go to hold).".to_string()
    } else if state_visits < FEW_VISITS {
        format!("This state was visited only {state_visits} times in training: its values are weak evidence, not a confident choice.")
    } else if d.visits[d.action.index()] == 0 {
        format!("This state was visited {state_visits} times, but never with this action: its value is unknown.")
    } else {
        format!("This state was visited {state_visits} times in training; the margin of {:+.2} says how clear the choice is.", Figure(margin))
    };
    let verdict = verdict(&outcomes, state_visits, margin);
    let timing = timing(space, &d);
    Ok(Forensics {
        step,
        state,
        q: d.q,
        visits: d.visits,
        state_visits,
        action: d.action,
        explored: d.explored,
        timing,
        margin,
        horizon,
        outcomes,
        confidence,
        verdict,
    })
}

/// Whether a scale-up of the calm design came ahead of the demand or after it,
/// from what the agent read: pre-emptive when the forecast's highest step over
/// the boot delay rose above the demand now (beyond the forecast's dead band),
/// a reaction when the demand had already risen or the fleet was already short
/// of the need. `None` for another action, an exploration, the seed design, or
/// a scale-up that is neither (the need held from the scale-in window).
pub fn timing(space: &StateSpace, d: &Decision) -> Option<String> {
    let r = &d.reading;
    let need = r.need?;
    if d.action != Action::Up || d.explored {
        return None;
    }
    if let Some(ahead) = r
        .ahead
        .filter(|&a| Direction::of(a, r.demand, space.forecast_threshold) == Direction::Rising)
    {
        let rise = if r.demand > 0.0 {
            format!(" {:.0} %", Figure(100.0 * (ahead - r.demand) / r.demand))
        } else {
            String::new()
        };
        return Some(format!("Pre-emptive: the forecast rose{rise} over the boot delay (to {:.1} req/s at most, {:.1} now).", Figure(ahead), Figure(r.demand)));
    }
    let further = r.ahead.map_or(String::new(), |a| {
        format!("; the forecast over the boot delay rose no further (at most {:.1})", Figure(a))
    });
    match r.previous_demand {
        Some(before) if r.state.trend == Direction::Rising => {
            Some(format!("A reaction: the demand had already risen (to {:.1} req/s from {:.1} the step before){further}.", Figure(r.demand), Figure(before)))
        }
        _ if (r.state.bin as i32) < HEADROOM_REACH => Some(format!(
            "A reaction: the fleet was already short of the need ({need} replicas for the demand now and the requests waiting){further}."
        )),
        _ => None,
    }
}

/// Plays `action` at `step` and the lane's own policy after, for `horizon` steps.
fn replay(
    lane: &Lane,
    trace: &Trace,
    rewards: &Reward,
    step: usize,
    horizon: usize,
    action: Action,
) -> ActionOutcome {
    let mut lane = lane.clone();
    // The window is collected here, not from the lane's reports: a lane of a long
    // run keeps none (`Judge::keep_reports`).
    lane.keep_reports(false);
    let mut window = Vec::with_capacity(horizon);
    let before = lane.world.fleet.provisioned();
    let (min, max) = (lane.world.config.min_replicas, lane.world.config.max_replicas);
    // Let the agent decide (so that its forecaster and pending update advance as
    // they would), then take `action` instead.
    let obs = Observation::of(&lane.world, &trace.rates[..step], lane.last.as_ref(), trace.dt);
    lane.maker.decide(&obs);
    let target = match lane.agent() {
        Some(agent) => action.apply(before, agent.step_size(), min, max),
        None => before,
    };
    if let Some(agent) = lane.agent_mut() {
        agent.override_action(action);
    }
    let report = lane.world.step(target, trace);
    lane.reward += rewards.score(
        report.sla_held,
        report.provisioned,
        report.utilisation,
        report.provisioned != before,
    );
    lane.record(report);
    window.push(report);
    for t in step + 1..step + horizon {
        play_step(&mut lane, trace, &trace.rates[..t], rewards);
        window.extend(lane.last);
    }
    ActionOutcome {
        action,
        target,
        cost: window.iter().map(|r| r.cost).sum(),
        violations: window.iter().filter(|r| !r.sla_held).count(),
        worst_p95_s: window
            .iter()
            .filter_map(|r| r.p95_response_s)
            .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p)))),
        dropped: window.iter().map(|r| r.dropped).sum(),
    }
}

/// One sentence naming what decided the comparison.
fn verdict(outcomes: &[ActionOutcome], state_visits: u64, margin: f64) -> String {
    let chosen = &outcomes[0];
    if state_visits == 0 {
        return "Decisive factor: none learnt; the agent had no experience of this state, so this is a default, not a judgement.".into();
    }
    // The alternative that would have avoided the most violations, and the cheapest
    // one that would not have added any.
    let fewer = outcomes[1..]
        .iter()
        .filter(|o| o.violations < chosen.violations)
        .min_by_key(|o| o.violations);
    if let Some(o) = fewer {
        return format!(
            "Decisive factor: SLA. To {} would have avoided {} SLA-violation step{} for {:+.2} in cost: the agent's values did not foresee it{}.",
            o.action.label(),
            chosen.violations - o.violations,
            if chosen.violations - o.violations == 1 { "" } else { "s" },
            Figure(o.cost - chosen.cost),
            if state_visits < FEW_VISITS { " (a rarely visited state)" } else { "" }
        );
    }
    // Differences under 2 % of the window's cost are a tie, not a reason.
    let clear = 0.02 * chosen.cost.max(1e-9);
    let cheaper = outcomes[1..]
        .iter()
        .filter(|o| o.violations <= chosen.violations && o.cost < chosen.cost - clear)
        .min_by(|a, b| a.cost.total_cmp(&b.cost));
    if let Some(o) = cheaper {
        return format!(
            "Decisive factor: cost. To {} would have saved {:.2} ({:.0} %) with no more violations; the values learnt favoured this action by {:+.2}, wrongly here.",
            o.action.label(),
            Figure(chosen.cost - o.cost),
            Figure(100.0 * (chosen.cost - o.cost) / chosen.cost),
            Figure(margin)
        );
    }
    let riskier = outcomes[1..]
        .iter()
        .filter(|o| o.violations > chosen.violations)
        .max_by_key(|o| o.violations);
    if let Some(o) = riskier {
        return format!(
            "Decisive factor: SLA. To {} would have led to {} more SLA-violation step{}; the chosen action kept the latency in bounds.",
            o.action.label(),
            o.violations - chosen.violations,
            if o.violations - chosen.violations == 1 { "" } else { "s" }
        );
    }
    let dearer = outcomes[1..].iter().map(|o| o.cost - chosen.cost).fold(f64::INFINITY, f64::min);
    if dearer.is_finite() && dearer > clear {
        return format!(
            "Decisive factor: cost. Every alternative cost at least {:.2} more for the same SLA.",
            Figure(dearer)
        );
    }
    format!(
        "Decisive factor: none clear. Over this window the alternatives differ by less than 2 % in cost and not in SLA violations; the choice rests on the learnt values (margin {:+.2}).",
        Figure(margin)
    )
}
