//! The brain: a tabular Q-learning agent. Its view of the world is docs/model.md's state
//! `(utilisation bin, provisioned capacity, trend, forecast direction)`; its actions
//! are scale down, hold and scale up by `step_size` replicas.
//!
//! The agent is a [`DecisionMaker`]: before every step it reads the step just played
//! (the reward of its last action and the new state), learns from it when learning,
//! and picks the next action. Its table keeps a visit count per state and action,
//! so that a state never visited is shown as unknown, never as a confident choice.
//!
//! The calm design adds a safety floor ([`floor_holds`]): a fleet over 100 %
//! utilisation and short of its need scales up, whatever the table says; and
//! it learns with eligibility traces ([`TRACE_DECAY`]).
//!
//! The residual design learns on top of the Rule (HPA at the scenario's
//! target): its state is the calm one with the headroom measured from the
//! Rule's recommendation, and its actions pick among the recommendations of
//! the Rule at its target and [`RESIDUAL_SPREAD`] either side (see
//! [`QAgent::target`]); untrained, every tie goes to hold, which is the Rule.

mod qtable;
mod state;

pub use qtable::{QTable, QTableError, FORMAT_VERSION};
pub use state::{Outlook, Reading, State, StateSpace, HEADROOM_REACH};

use crate::forecast::{self, Forecaster};
use crate::policy::{DecisionMaker, Observation, Rule, Sizer, WorldKind};
use crate::rng::{Rng, Stream};
use crate::scenario::{Design, Reward, Scenario};
use crate::world::{StepReport, WorldConfig};

/// The calm design measures headroom against the highest need of this long (s):
/// a need that dips for a few minutes does not release replicas (HPA's default
/// scale-down stabilisation is the same five minutes).
pub const SCALE_IN_WINDOW_S: f64 = 300.0;

/// Visits after which the calm agent's learning rate is half its `alpha`.
pub const SETTLE_VISITS: f64 = 300.0;

/// The calm agent's trace decay λ: a step's error reaches the state-actions of
/// the steps before it weighed (γλ)^k, k steps back.
pub const TRACE_DECAY: f64 = 0.7;

/// Eligibility below which a state-action leaves the trace (about 7 steps
/// back at γ 0.95 and λ 0.7: a few boot delays).
pub const TRACE_CUT: f64 = 0.05;

/// The residual design's down and up follow the Rule at this much above and
/// below its own target utilisation: each of the three Rules holds within its
/// own tolerance, so that a release (or an addition) is not undone by the
/// Rule at its own target on the next step.
pub const RESIDUAL_SPREAD: f64 = 0.1;

/// Scale down, hold, scale up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Action {
    Down = 0,
    Hold = 1,
    Up = 2,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Down, Action::Hold, Action::Up];

    pub fn from_index(i: usize) -> Action {
        Action::ALL[i.min(2)]
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Down => "scale down",
            Action::Hold => "hold",
            Action::Up => "scale up",
        }
    }

    /// The provisioned count this action asks for, from `current`, within bounds.
    pub fn apply(self, current: u32, step: u32, min: u32, max: u32) -> u32 {
        match self {
            Action::Down => current.saturating_sub(step).max(min),
            Action::Hold => current.clamp(min, max),
            Action::Up => current.saturating_add(step).min(max),
        }
    }
}

/// Whether the agent learns from what it sees (training, or live learning) or
/// only follows its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// ε-greedy, updating the table.
    Learning,
    /// Always the best-valued action; nothing changes.
    Greedy,
}

/// What the agent decided at one step, kept for forensics and the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub step: usize,
    pub reading: Reading,
    pub state_index: usize,
    /// The action taken: the table's (or exploration's) choice, or Up when the
    /// safety floor overrode it ([`floor_holds`]).
    pub action: Action,
    /// What the table (or exploration) chose; differs from `action` only when
    /// the floor decided.
    pub chosen: Action,
    /// Whether the choice was an exploration (random) rather than the greedy one.
    pub explored: bool,
    pub q: [f64; 3],
    pub visits: [u32; 3],
    /// The provisioned replicas before the decision, and those it asked for.
    pub before: u32,
    pub target: u32,
}

impl Decision {
    /// Whether the safety floor decided, not the table.
    pub fn floored(&self) -> bool {
        self.action != self.chosen
    }

    /// What the decision did to the fleet: a Down that releases nothing (at
    /// the fewest replicas, or every replica held by the need) is a Hold in
    /// effect, an Up at the most replicas too.
    pub fn effect(&self) -> Action {
        match self.target.cmp(&self.before) {
            std::cmp::Ordering::Less => Action::Down,
            std::cmp::Ordering::Equal => Action::Hold,
            std::cmp::Ordering::Greater => Action::Up,
        }
    }
}

/// The safety floor: a fleet over 100 % utilisation (the demand just seen
/// against the ready replicas) and short of its `need` must grow while it can
/// (below `max`). Holding or scaling down then is never right: the queue grows
/// every step until replicas arrive, and they take a boot delay. The agent's
/// action is at least Up whenever this holds, in training as in a run, and the
/// judge counts a world's decisions that broke it
/// ([`crate::proactivity::absurd_decisions`]).
pub fn floor_holds(utilisation: f64, provisioned: u32, need: u32, max: u32) -> bool {
    utilisation > 1.0 && provisioned < need && provisioned < max
}

/// The Q-learning agent.
#[derive(Debug, Clone)]
pub struct QAgent {
    pub table: QTable,
    pub mode: Mode,
    pub alpha: f64,
    pub gamma: f64,
    pub epsilon: f64,
    rewards: Reward,
    step_size: u32,
    min_replicas: u32,
    max_replicas: u32,
    slots: u32,
    mu: f64,
    horizon: usize,
    forecaster: Box<dyn Forecaster>,
    /// Steps of demand fed to the forecaster so far.
    fed: usize,
    /// Calm design: replicas for a demand (`None` for the seed agent).
    sizer: Option<Sizer>,
    /// Whether the forecast is left out of the state (the ablation world).
    blind: bool,
    /// Residual design: the Rules (at the target less the spread, the target,
    /// the target plus the spread) as they start a run, and as they decide
    /// alongside this run's decisions.
    rule_start: Option<[Rule; 3]>,
    rule: Option<[Rule; 3]>,
    /// Residual design: the Rules' recommendations at the last decision.
    rule_said: Option<[u32; 3]>,
    /// The forecast path, reused every step.
    path: Vec<f64>,
    /// Calm design: this run's needs, newest last, within the scale-in window.
    needs: std::collections::VecDeque<u32>,
    window: usize,
    rng: Rng,
    /// Calm design: the state-actions of the steps before, with their
    /// eligibility (newest last).
    traces: Vec<(usize, usize, f64)>,
    /// The state and action of the last decision, and the provisioned count before it.
    pending: Option<(usize, Action, u32)>,
    /// Reward collected since the last `reset` (the episode's return).
    pub episode_reward: f64,
    /// The last decision taken.
    pub last: Option<Decision>,
}

impl QAgent {
    /// A fresh agent (all Q-values 0, no visits) for the scenario, learning.
    pub fn new(s: &Scenario) -> QAgent {
        QAgent::with_table(s, QTable::new(StateSpace::from_scenario(s)))
    }

    /// An agent with a given table (trained or imported), learning with the
    /// first episode's exploration rate: the trainer and the judge set its mode
    /// and rate for what they do with it.
    pub fn with_table(s: &Scenario, table: QTable) -> QAgent {
        let sizer = table
            .space
            .design
            .sizes_need()
            .then(|| Sizer::new(&WorldConfig::from_scenario(s), s.dt_s));
        let rule_start = (table.space.design == Design::Residual).then(|| {
            [-RESIDUAL_SPREAD, 0.0, RESIDUAL_SPREAD].map(|d| {
                let mut s = s.clone();
                s.rule.target_utilisation = (s.rule.target_utilisation + d).clamp(0.05, 1.0);
                Rule::from_scenario(&s)
            })
        });
        QAgent {
            table,
            mode: Mode::Learning,
            alpha: s.agent.alpha,
            gamma: s.agent.gamma,
            epsilon: s.agent.epsilon_start,
            rewards: s.reward.clone(),
            step_size: s.scaling.step_size,
            min_replicas: s.scaling.min_replicas,
            max_replicas: s.scaling.max_replicas,
            slots: s.replica.slots,
            mu: s.mu(),
            horizon: forecast::horizon_steps(s),
            forecaster: forecast::from_scenario(s),
            fed: 0,
            sizer,
            blind: false,
            rule: rule_start.clone(),
            rule_start,
            rule_said: None,
            path: Vec::new(),
            needs: std::collections::VecDeque::new(),
            window: ((SCALE_IN_WINDOW_S / s.dt_s).ceil() as usize).max(1),
            rng: Rng::new(s.seed, Stream::Agent, 0),
            traces: Vec::new(),
            pending: None,
            episode_reward: 0.0,
            last: None,
        }
    }

    /// The same agent without the forecast in its state (the ablation world):
    /// it reads the headroom against the demand now, the direction always steady.
    pub fn blind(mut self) -> QAgent {
        self.blind = true;
        self
    }

    /// Whether the forecast is left out of the state.
    pub fn is_blind(&self) -> bool {
        self.blind
    }

    /// The replicas for a demand the calm design sizes with (`None`: seed agent).
    pub fn sizer(&self) -> Option<&Sizer> {
        self.sizer.as_ref()
    }

    /// Residual design: the Rule's recommendation at the last decision, which
    /// hold keeps (`None` for the other designs, or before any decision).
    pub fn rule_said(&self) -> Option<u32> {
        self.rule_said.map(|r| r[1])
    }

    /// Replaces the forecaster (a pre-trained learned one, for instance).
    pub fn set_forecaster(&mut self, f: Box<dyn Forecaster>) {
        self.forecaster = f;
        self.fed = 0;
    }

    pub fn forecaster(&self) -> &dyn Forecaster {
        self.forecaster.as_ref()
    }

    pub fn horizon(&self) -> usize {
        self.horizon
    }

    /// Replicas added or removed by one action.
    pub fn step_size(&self) -> u32 {
        self.step_size
    }

    /// Replaces the action of the decision just taken (counterfactual replays): the
    /// next update credits the reward to `action`, the floor notwithstanding.
    /// Returns the provisioned replicas `action` asks for there, as the agent
    /// maps its actions ([`QAgent::target`]); `None` before any decision.
    pub fn override_action(&mut self, action: Action) -> Option<u32> {
        if let Some(p) = &mut self.pending {
            p.1 = action;
        }
        let (before, need) = self.last.as_ref().map(|d| (d.before, d.reading.need))?;
        let target = self.target(action, before, need);
        if let Some(d) = &mut self.last {
            d.action = action;
            d.chosen = action;
            d.explored = false;
            d.target = target;
        }
        Some(target)
    }

    /// Starts a new episode (or run): forgets the demand seen and the pending
    /// update, keeps the table, reseeds exploration from `seed`.
    pub fn reset(&mut self, seed: u64, episode: u64) {
        self.forecaster.reset();
        self.fed = 0;
        self.needs.clear();
        self.pending = None;
        self.traces.clear();
        self.episode_reward = 0.0;
        self.last = None;
        self.rule = self.rule_start.clone();
        self.rule_said = None;
        self.rng = Rng::new(seed, Stream::Agent, episode);
    }

    /// What the agent reads after the steps in `obs.history`: `None` before any step.
    pub fn read(&mut self, obs: &Observation) -> Option<Reading> {
        self.feed(obs.history);
        let demand = *obs.history.last()?;
        let previous = obs.history.len().checked_sub(2).map(|i| obs.history[i]);
        let capacity = obs.ready as f64 * self.slots as f64 * self.mu;
        let Some(sizer) = &self.sizer else {
            let forecast =
                if self.blind { None } else { self.forecaster.forecast_mean(self.horizon) };
            return Some(self.table.space.read(
                demand,
                previous,
                forecast,
                capacity,
                obs.provisioned(),
                None,
            ));
        };
        self.path.clear();
        if !self.blind {
            // From the step about to be played to the first one a replica
            // requested now serves.
            self.forecaster.forecast_path(self.horizon + 1, &mut self.path);
        }
        let back = &obs.history[obs.history.len().saturating_sub(self.horizon.max(1))..];
        let recent = back.iter().sum::<f64>() / back.len() as f64;
        let held = self.needs.iter().copied().max().unwrap_or(0);
        // Requests waiting beyond what the ready slots hold, to be served within a step.
        let backlog = obs
            .last
            .map_or(0.0, |r| (r.in_system - (obs.ready * self.slots) as f64).max(0.0) / obs.dt_s);
        let outlook =
            Outlook { sizer, path: &self.path, horizon: self.horizon, recent, held, backlog };
        // The residual design's headroom is the Rule's: its recommendation
        // against the need.
        let from = self.rule_said().unwrap_or(obs.provisioned());
        let reading = self.table.space.read(demand, previous, None, capacity, from, Some(outlook));
        if let Some(sized) = reading.sized {
            self.needs.push_back(sized);
            while self.needs.len() > self.window {
                self.needs.pop_front();
            }
        }
        Some(reading)
    }

    fn feed(&mut self, history: &[f64]) {
        forecast::catch_up(self.forecaster.as_mut(), &mut self.fed, history);
    }

    /// The greedy action of a state: the highest Q-value; ties (an unvisited state
    /// has all three at 0) go to Hold, then to the cheaper action.
    pub fn greedy(&self, state: usize) -> Action {
        greedy_of(&self.table.q[state])
    }

    /// Applies the Q-learning update for the pending action, given the report of the
    /// step it led to and the state now, with whether the floor holds there
    /// (`None` at the end of an episode: terminal).
    fn learn(&mut self, report: &StepReport, next: Option<(usize, bool)>) {
        let Some((s, a, before)) = self.pending.take() else { return };
        let changed = report.provisioned != before;
        let r = if self.sizer.is_some() {
            // The calm agent learns from the violation's probability, not its
            // rounding: a step that nearly failed teaches as much as one that did.
            let v = report.violation.clamp(0.0, 1.0);
            let held = self.rewards.score(true, report.provisioned, report.utilisation, changed);
            held + v * (self.rewards.sla_violated - self.rewards.sla_held)
        } else {
            self.rewards.score(report.sla_held, report.provisioned, report.utilisation, changed)
        };
        self.episode_reward += r;
        if self.mode == Mode::Learning {
            let future = next.map_or(0.0, |(n, floored)| {
                let q = &self.table.q[n];
                if floored {
                    q[Action::Up.index()]
                } else {
                    q.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                }
            });
            if self.sizer.is_some() {
                // The calm agent's rate settles with the visits (α / (1 + n/300)
                // at the n-th visit): with a constant α every rare violation kept
                // moving the values, and the greedy action of a state flipped
                // from run to run. Its eligibility traces (replacing): the error
                // also corrects the state-actions before, decayed by γλ, so that
                // a scale-up is credited with the violations it spares once its
                // replicas have booted, a few steps on.
                let delta = r + self.gamma * future - self.table.q[s][a.index()];
                self.traces.retain(|t| !(t.0 == s && t.1 == a.index()));
                self.traces.push((s, a.index(), 1.0));
                for &(ts, ta, e) in &self.traces {
                    let rate =
                        self.alpha / (1.0 + self.table.visits[ts][ta] as f64 / SETTLE_VISITS);
                    self.table.q[ts][ta] += rate * delta * e;
                }
                let decay = self.gamma * TRACE_DECAY;
                self.traces.iter_mut().for_each(|t| t.2 *= decay);
                self.traces.retain(|t| t.2 >= TRACE_CUT);
                if next.is_none() {
                    self.traces.clear();
                }
            } else {
                let q = &mut self.table.q[s][a.index()];
                *q += self.alpha * (r + self.gamma * future - *q);
            }
        }
    }

    /// The provisioned replicas `action` asks for from `current`, for a state
    /// whose need is `need` (the calm design's; `None` for the seed's).
    ///
    /// The residual design picks among the Rules' recommendations of the
    /// last decision instead, `lo`, `r` and `hi` at its target less
    /// [`RESIDUAL_SPREAD`], at it and above it: hold is `r`; up is `lo`, `r`,
    /// the need or `current`, whichever is most (up never releases: it is how
    /// the agent keeps spare replicas the Rule would let go); down is `hi`,
    /// but never below the need (nor above `r`).
    pub fn target(&self, action: Action, current: u32, need: Option<u32>) -> u32 {
        if let (Some([lo, r, hi]), Some(need)) = (self.rule_said, need) {
            return match action {
                Action::Hold => r,
                Action::Up => lo.max(r).max(current).max(need.min(self.max_replicas)),
                Action::Down => hi.max(need).min(r),
            };
        }
        let target = action.apply(current, self.step_size, self.min_replicas, self.max_replicas);
        match (action, need) {
            // The calm design's scale-up reaches the need at once (at least one
            // step); its scale-down never releases a replica the need holds.
            (Action::Up, Some(need)) => target.max(need.min(self.max_replicas)),
            (Action::Down, Some(need)) => target.max(need.min(current)),
            _ => target,
        }
    }

    /// Ends an episode: learns from the last step's report as terminal.
    pub fn finish(&mut self, last: &StepReport) {
        self.learn(last, None);
    }
}

fn greedy_of(q: &[f64; 3]) -> Action {
    let mut best = Action::Hold;
    // Strictly greater only: ties keep Hold, then the cheaper Down.
    for a in [Action::Down, Action::Up] {
        if q[a.index()] > q[best.index()] {
            best = a;
        }
    }
    best
}

impl DecisionMaker for QAgent {
    fn kind(&self) -> WorldKind {
        if self.blind {
            WorldKind::NoForecast
        } else {
            WorldKind::Elastic
        }
    }

    fn decide(&mut self, obs: &Observation) -> u32 {
        let current = obs.provisioned();
        // The residual design's Rule decides every step, on what the world
        // did, whatever the agent then does with its recommendation.
        self.rule_said = self.rule.as_mut().map(|rules| rules.each_mut().map(|r| r.decide(obs)));
        let Some(reading) = self.read(obs) else { return self.rule_said().unwrap_or(current) };
        let s = self.table.space.index(&reading.state);
        // The floor overrides the table (and exploration): the step is learnt
        // as the Up it was, and a floored state is worth what Up is worth there
        // (its other actions are never taken: their initial 0 is no value).
        let floored = reading
            .need
            .is_some_and(|need| floor_holds(reading.utilisation, current, need, self.max_replicas));
        if let Some(report) = obs.last {
            self.learn(report, Some((s, floored)));
        }
        let greedy = self.greedy(s);
        let (chosen, explored) = if self.mode == Mode::Learning && self.rng.uniform() < self.epsilon
        {
            let a = Action::from_index(self.rng.below(3) as usize);
            (a, a != greedy)
        } else {
            (greedy, false)
        };
        let action = if floored { Action::Up } else { chosen };
        if self.mode == Mode::Learning {
            self.table.visits[s][action.index()] =
                self.table.visits[s][action.index()].saturating_add(1);
        }
        let target = self.target(action, current, reading.need);
        self.pending = Some((s, action, current));
        self.last = Some(Decision {
            step: obs.step,
            reading,
            state_index: s,
            action,
            chosen,
            explored,
            q: self.table.q[s],
            visits: self.table.visits[s],
            before: current,
            target,
        });
        target
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_breaks_ties_towards_hold() {
        assert_eq!(greedy_of(&[0.0, 0.0, 0.0]), Action::Hold);
        assert_eq!(greedy_of(&[1.0, 0.0, 1.0]), Action::Down);
        assert_eq!(greedy_of(&[0.0, -1.0, 0.5]), Action::Up);
        assert_eq!(greedy_of(&[-2.0, -1.0, -1.0]), Action::Hold);
    }

    #[test]
    fn actions_stay_within_bounds() {
        assert_eq!(Action::Down.apply(1, 1, 1, 20), 1);
        assert_eq!(Action::Up.apply(20, 1, 1, 20), 20);
        assert_eq!(Action::Up.apply(5, 2, 1, 20), 7);
        assert_eq!(Action::Hold.apply(25, 1, 1, 20), 20);
    }
}
