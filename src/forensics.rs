//! The interpreter: why the agent did what it did at a step, from its Q-values, the
//! state's visit count, and counterfactual replays of the other actions.
//!
//! A counterfactual clones the elastic world as it was before the decision (world,
//! agent, history), takes the other action now and the agent's own policy after,
//! for `H` steps on the same future demand, and compares cost, SLA-violation steps
//! and the worst step p95 with what the chosen action led to in the same replay.

use crate::agent::{floor_holds, Action, Decision, QAgent};
use crate::error::{Error, Result};
use crate::forecast::Direction;
use crate::judge::{play_step, Lane};
use crate::math::Figure;
use crate::policy::{Observation, Sizer, WorldKind};
use crate::proactivity::{Timing, Tracker};
use crate::scenario::Reward;
use crate::workload::Trace;
use crate::world::{StepReport, WorldConfig};
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
    /// The action taken (Up when the safety floor decided).
    pub action: Action,
    pub explored: bool,
    /// The decision in words: what was chosen, what it did to the fleet (a
    /// Down that releases nothing is a hold), or that the floor decided and
    /// what the Q-values preferred ([`choice`]).
    pub choice: String,
    /// For a scale-up: pre-emptive, a reaction or unprompted ([`timing`]).
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
            "{} Q-values: down {:.2}, hold {:.2}, up {:.2} (margin {:+.2}); visits {} / {} / {}.\n",
            self.choice,
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
    let choice = choice(&d);
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
    let confidence = if d.floored() {
        format!("This state was visited {state_visits} times in training; here the floor decides, not the values, so the margin says nothing of the choice.")
    } else if state_visits == 0 {
        "This state was never visited: the choice is arbitrary (all values are the initial 0; ties go to hold).".to_string()
    } else if state_visits < FEW_VISITS {
        format!("This state was visited only {state_visits} times in training: its values are weak evidence, not a confident choice.")
    } else if d.visits[d.action.index()] == 0 {
        format!("This state was visited {state_visits} times, but never with this action: its value is unknown.")
    } else {
        format!("This state was visited {state_visits} times in training; the margin of {:+.2} says how clear the choice is.", Figure(margin))
    };
    let verdict = verdict(&outcomes, state_visits, margin);
    let timing = timing(&d, &initial.scale_ups, &trace.rates, trace.dt, space.forecast_threshold);
    Ok(Forensics {
        step,
        state,
        q: d.q,
        visits: d.visits,
        state_visits,
        action: d.action,
        explored: d.explored,
        choice,
        timing,
        margin,
        horizon,
        outcomes,
        confidence,
        verdict,
    })
}

/// The decision in words: the action chosen and, when it differs, what it did
/// to the fleet (a Down that releases nothing is a hold in effect, and says
/// why); or, when the safety floor decided ([`floor_holds`]), that it did, why,
/// and what the Q-values preferred.
pub fn choice(d: &Decision) -> String {
    let exploring = if d.explored { " (exploring)" } else { "" };
    let r = &d.reading;
    if d.floored() {
        let need = r.need.map_or(String::new(), |n| format!(", {n} needed"));
        let load = if r.utilisation.is_finite() {
            format!("utilisation {:.0} %", Figure(100.0 * r.utilisation))
        } else {
            "demand and no ready replica".to_string()
        };
        let untried = if d.visits[d.chosen.index()] == 0 {
            ", never taken there (its value is the initial 0)"
        } else {
            ""
        };
        return format!(
            "The safety floor scaled up ({} → {} replicas): {load} with {} provisioned{need}, so holding would let the queue grow until replicas booted; the Q-values preferred {}{exploring}{untried}.",
            d.before,
            d.target,
            d.before,
            d.chosen.label()
        );
    }
    let effect = d.effect();
    if effect == d.action {
        let change = if d.target == d.before {
            format!("{} replicas", d.target)
        } else {
            format!("{} → {} replicas", d.before, d.target)
        };
        return format!("Chose {}{exploring}: {change}.", d.action.label());
    }
    let why = match d.action {
        Action::Down => match r.need {
            Some(need) if need >= d.before => format!(
                "the need ({need} replicas) holds every one of the {} provisioned",
                d.before
            ),
            _ => format!("the fleet is at its fewest replicas ({})", d.before),
        },
        _ => format!("the fleet is at its most replicas ({})", d.before),
    };
    format!(
        "Chose {}{exploring}, in effect a {}: {why}, so it released or added nothing.",
        d.action.label(),
        effect.label()
    )
}

/// Whether a scale-up came ahead of the demand or after it, by the one
/// meaning the scoreboard and the moments use ([`crate::proactivity::timed`],
/// through the Elastic world's `judged` tracker, on the run's `demand`, steps
/// of `dt_s`): pre-emptive when the demand first rises past what the old fleet
/// carries a boot delay or more after the decision; a reaction when the old
/// fleet was already short, or the rise came before the new replicas were
/// ready; unprompted when no rise comes within the window. The agent's own
/// reading follows (what its forecast said over the boot delay). `None` for a
/// decision that did not scale up. `band` is the agent's forecast dead band.
pub fn timing(
    d: &Decision,
    judged: &Tracker,
    demand: &[f64],
    dt_s: f64,
    band: f64,
) -> Option<String> {
    if d.effect() != Action::Up {
        return None;
    }
    let r = &d.reading;
    let before = d.before;
    let span = |steps: usize| minutes(steps as f64 * dt_s);
    let boot = span(judged.boot_steps());
    let t = judged.timed(d.step, before, demand);
    let judged_words = match (t.timing, t.rise) {
        _ if t.short_before => format!(
            "A reaction: the fleet was already short ({before} replicas did not carry the {:.1} req/s of the step just played).",
            Figure(r.demand)
        ),
        (Timing::Early, Some(rise)) => format!(
            "Pre-emptive: the demand rose past what {before} replicas carry {} later, and the new replicas were ready after {boot}.",
            span(rise - d.step)
        ),
        (Timing::Late, Some(rise)) if rise == d.step => format!(
            "A reaction: the demand rose past what {before} replicas carry in the very step, before the new replicas were ready (booting takes {boot})."
        ),
        (Timing::Late, Some(rise)) => format!(
            "A reaction: the demand rose past what {before} replicas carry {} later, before the new replicas were ready (booting takes {boot}).",
            span(rise - d.step)
        ),
        _ => format!(
            "Unprompted: the demand did not rise past what {before} replicas carry within {}.",
            span(judged.window())
        ),
    };
    let reading = match r.ahead {
        Some(a) if r.demand > 0.0 && Direction::of(a, r.demand, band) == Direction::Rising => {
            format!(
                " The agent's forecast rose {:.0} % over the boot delay (to {:.1} req/s at most, {:.1} now).",
                Figure(100.0 * (a - r.demand) / r.demand),
                Figure(a),
                Figure(r.demand)
            )
        }
        Some(a) => format!(
            " The agent's forecast over the boot delay rose no further (at most {:.1} req/s, {:.1} now).",
            Figure(a),
            Figure(r.demand)
        ),
        None => String::new(),
    };
    Some(judged_words + &reading)
}

/// A span of simulated time in minutes ("6 min"), or seconds under one.
fn minutes(s: f64) -> String {
    if s < 60.0 {
        format!("{:.0} s", Figure(s))
    } else {
        format!("{:.0} min", Figure(s / 60.0))
    }
}

/// The decisions of a world's run that left its fleet short of its need at
/// over 100 % utilisation when it could grow ([`floor_holds`]): a decision
/// before step `t` (from 1) whose step just played, `reports[t - 1]`, had its
/// demand over the ready replicas' capacity and fewer provisioned than
/// `sizer` needs for that demand and than the most allowed, and which did not
/// scale up (`reports[t]` provisions no more). `reports` are a whole run's, in
/// step order, of a world of `config`.
pub fn absurd_decisions(reports: &[StepReport], config: &WorldConfig, sizer: &Sizer) -> usize {
    reports.windows(2).filter(|w| absurd(&w[0], &w[1], config, sizer)).count()
}

/// Whether the decision between the step `last` reports and the next,
/// `next`, was absurd (see [`absurd_decisions`]): a run can be counted step
/// by step, without keeping its reports.
pub fn absurd(last: &StepReport, next: &StepReport, config: &WorldConfig, sizer: &Sizer) -> bool {
    let capacity = last.ready as f64 * config.slots as f64 * config.mu;
    let utilisation = if last.demand <= 0.0 {
        0.0
    } else if capacity > 0.0 {
        last.demand / capacity
    } else {
        f64::INFINITY
    };
    floor_holds(utilisation, last.provisioned, sizer.need(last.demand), config.max_replicas)
        && next.provisioned <= last.provisioned
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
    // Let the agent decide (so that its forecaster and pending update advance as
    // they would), then take `action` instead, mapped to replicas as the agent
    // maps it.
    let obs = Observation::of(&lane.world, &trace.rates[..step], lane.last.as_ref(), trace.dt);
    let decided = lane.maker.decide(&obs);
    let target = lane.agent_mut().and_then(|a| a.override_action(action)).unwrap_or(decided);
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
