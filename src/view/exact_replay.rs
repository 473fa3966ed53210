//! "Replay with the exact physics": every world's decisions so far (its
//! provisioned replicas at each step) played again per request, so that the
//! scoreboard shows the fluid's figures and the exact ones side by side. A model
//! is a model: the fluid physics that plays the page is fast because it treats
//! requests as a flow; the exact physics follows each request.

use super::Page;
use crate::policy::WorldKind;
use crate::scenario::Physics;
use crate::world::World;
use serde::Serialize;

/// Steps of the exact replay (every world, every request) between two checks
/// of the frame's time budget.
const STEPS_PER_CHECK: usize = 2;

/// A replay under way or done: each world's decisions up to `until` played per
/// request.
#[derive(Debug, Clone)]
pub struct ExactReplay {
    lanes: Vec<ExactLane>,
    until: usize,
    played: usize,
}

#[derive(Debug, Clone)]
struct ExactLane {
    kind: WorldKind,
    /// The world's provisioned replicas at each step: its decisions.
    targets: Vec<u32>,
    world: World,
    /// The figures so far, exact: cost and whole violation steps.
    cost: f64,
    violation_steps: f64,
    /// The same steps' figures as the fluid played them, for the side by side.
    fluid_violation_steps: f64,
}

/// What the scoreboard shows of a replay: how far it is, and each world's
/// violation steps under both physics over the steps replayed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExactView {
    /// The steps replayed (0..until), and how many are done.
    pub until: usize,
    pub played: usize,
    pub done: bool,
    pub worlds: Vec<ExactWorld>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExactWorld {
    pub kind: WorldKind,
    pub cost: f64,
    /// Whole steps: the exact physics has each step's sample.
    pub violation_steps: f64,
    /// Expected steps, as the fluid played the same steps.
    pub fluid_violation_steps: f64,
    /// The run's p95 response over the replayed requests (s).
    pub p95_s: Option<f64>,
}

impl Page {
    /// Replays every world's decisions so far with the exact physics, in
    /// pieces over the next frames (the run pauses meanwhile). Refused, with the
    /// reason, when there is nothing to replay, the run already plays the exact
    /// physics, or the run is too long for the page to keep each step.
    pub fn replay_exact(&mut self) -> Result<(), String> {
        let s = self.session.run_scenario();
        if s.queue.physics == Physics::Exact {
            return Err("this run already plays the exact physics".into());
        }
        let until = self.step_index();
        if until == 0 {
            return Err("nothing to replay yet: play some steps first".into());
        }
        let judge = &self.session.judge;
        let mut lanes = Vec::new();
        for lane in &judge.lanes {
            if lane.reports.len() < until {
                return Err(format!(
                    "this run is {} steps long: the page keeps every step's decisions only for runs of at most {} steps",
                    judge.len(),
                    super::page::CSV_STEPS
                ));
            }
            let mut config = lane.world.config.clone();
            config.physics = Physics::Exact;
            let mut world = World::new(config, judge.initial_replicas());
            world.track_latency();
            lanes.push(ExactLane {
                kind: lane.kind(),
                targets: lane.reports[..until].iter().map(|r| r.provisioned).collect(),
                world,
                cost: 0.0,
                violation_steps: 0.0,
                fluid_violation_steps: lane.reports[..until].iter().map(|r| r.violation).sum(),
            });
        }
        self.playing = false;
        self.exact = Some(ExactReplay { lanes, until, played: 0 });
        Ok(())
    }

    /// Whether an exact replay is under way.
    pub fn replaying_exact(&self) -> bool {
        self.exact.as_ref().is_some_and(|r| r.played < r.until)
    }

    /// A piece of the exact replay, until `out_of_time`; true when it moved.
    pub(super) fn exact_piece(&mut self, out_of_time: &mut impl FnMut() -> bool) -> bool {
        let trace = &self.session.judge.trace;
        let Some(replay) = self.exact.as_mut() else { return false };
        let start = replay.played;
        while replay.played < replay.until {
            let end = (replay.played + STEPS_PER_CHECK).min(replay.until);
            for lane in &mut replay.lanes {
                for step in replay.played..end {
                    let r = lane.world.step(lane.targets[step], trace);
                    lane.cost += r.cost;
                    lane.violation_steps += r.violation;
                }
            }
            replay.played = end;
            if out_of_time() {
                break;
            }
        }
        replay.played > start
    }

    /// The exact replay's figures, once asked for.
    pub fn exact_view(&self) -> Option<ExactView> {
        let r = self.exact.as_ref()?;
        Some(ExactView {
            until: r.until,
            played: r.played,
            done: r.played >= r.until,
            worlds: r
                .lanes
                .iter()
                .map(|l| ExactWorld {
                    kind: l.kind,
                    cost: l.cost,
                    violation_steps: l.violation_steps,
                    fluid_violation_steps: l.fluid_violation_steps,
                    p95_s: l.world.latency().and_then(|h| h.quantile(0.95)),
                })
                .collect(),
        })
    }

    /// Forgets the exact replay (the run it replayed changed).
    pub(super) fn forget_exact(&mut self) {
        self.exact = None;
    }
}
