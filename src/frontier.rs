//! The cost-reliability frontier: every world over several seeds, the
//! Rule along its target utilisation and the agent along the weight of a violated
//! step, each point a mean with its 95 % interval. One run on one seed says
//! little: a Rule target or a reward weight moves a world along a curve of cost
//! against SLA-violation steps, and the question is whose curve lies lower.
//!
//! A sweep is a list of independent units of work, one knob value on one seed
//! each ([`Unit`]); [`play`] plays one. Natively [`sweep`] plays them on several
//! threads and combines them in the units' order, so its output is bit for bit
//! the same whatever the number of threads; in WebAssembly it plays them in turn.
//!
//! Each unit builds its own trace, trains its own agent and judges its worlds
//! alone: a world's numbers never depend on which other worlds share its judge
//! ([`crate::judge`]), so grouping them is only a matter of cost.
//!
//! A replay's trace is the same on every seed: there the seeds vary only the
//! agent's training (the replay rotated by a seed's offset, [`crate::train`]),
//! and the worlds without an agent have intervals of zero.

use crate::agent::QAgent;
use crate::error::{Error, Result};
use crate::judge::{Judge, WorldResult};
use crate::policy::{DecisionMaker, Oracle, Predictive, Rule, Sizer, Static, WorldKind};
use crate::queueing::LoadTables;
use crate::scenario::{Design, Scenario};
use crate::train::Trainer;
use crate::workload::{ReplayData, Trace};
use crate::world::{service, WorldConfig};
use std::sync::Arc;

/// The knob the Rule is swept along.
pub const RULE_TARGET: &str = "rule.target_utilisation";
/// The knob the agent is swept along.
pub const VIOLATION_WEIGHT: &str = "reward.sla_violated";

/// Seeds a frontier plays: at least two, for an interval.
pub const MIN_SEEDS: usize = 2;
pub const MAX_SEEDS: usize = 1000;
/// Seeds by default: 10 (the interval's t quantile is then 2.262).
pub const DEFAULT_SEEDS: usize = 10;
pub const MAX_THREADS: usize = 256;

/// The label of the agent of docs/model.md's seed design, shown beside a calm agent.
pub const SEED_DESIGN: &str = "Seed agent (docs/model.md)";

/// The statistics of a point: the floor's ([`crate::math::stats`]).
pub use crate::math::stats::{t_975, Stat};

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

    fn knob(&self) -> Option<(String, f64)> {
        match self.work {
            UnitKind::Rule(t) => Some((RULE_TARGET.into(), t)),
            UnitKind::Agent(w) => Some((VIOLATION_WEIGHT.into(), w)),
            UnitKind::Baselines | UnitKind::Blind | UnitKind::SeedDesign => None,
        }
    }
}

/// One world's run in a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldRun {
    /// Its results, with its scale-ups early or late for the rise they serve
    /// ([`crate::proactivity`]).
    pub result: WorldResult,
}

/// Plays one unit, as a session would (`Session::new`): the seed's trace, the
/// worlds for the service the run measures, an agent trained for the unit's
/// scenario. `tables` are shared by the worlds without a trainer (the agent's
/// share its trainer's); they are caches, so they change no number.
pub fn play(
    s: &Scenario,
    replay: Option<&ReplayData>,
    unit: Unit,
    tables: &LoadTables,
) -> Result<Vec<WorldRun>> {
    let s = unit.scenario(s);
    s.validate()?;
    let trace = Arc::new(Trace::build(&s, replay)?);
    let run = service::for_run(&s, replay)?;
    let judged = |makers: Vec<Box<dyn DecisionMaker>>, tables: &LoadTables| {
        judge(&run, trace.clone(), makers, tables)
    };
    let trained = |prepare: fn(QAgent) -> QAgent| -> Result<Vec<WorldRun>> {
        let mut tr = Trainer::new(&run, replay);
        tr.agent = prepare(tr.agent.clone());
        tr.run(u32::MAX)?;
        Ok(judged(vec![Box::new(tr.trained_agent())], tr.tables()))
    };
    match unit.work {
        UnitKind::Baselines => {
            // The Predictive world forecasts with the agent's forecaster, a learned
            // one pre-trained on the same traces.
            let mut tr = Trainer::new(&run, replay);
            tr.fit(usize::MAX)?;
            let sizer = Sizer::new(&WorldConfig::from_scenario(&run), run.dt_s);
            let makers: Vec<Box<dyn DecisionMaker>> = vec![
                Box::new(Static::from_scenario(&run, &trace)),
                Box::new(Oracle::from_scenario(&run, &trace)),
                Box::new(Predictive::new(&run, tr.agent.forecaster().clone_box(), sizer.clone())),
            ];
            Ok(judged(makers, tables))
        }
        UnitKind::Rule(_) => Ok(judged(vec![Box::new(Rule::from_scenario(&run))], tables)),
        UnitKind::Agent(_) | UnitKind::SeedDesign => trained(|a| a),
        UnitKind::Blind => trained(QAgent::blind),
    }
}

/// The worlds judged over the whole trace.
fn judge(
    run: &Scenario,
    trace: Arc<Trace>,
    makers: Vec<Box<dyn DecisionMaker>>,
    tables: &LoadTables,
) -> Vec<WorldRun> {
    let mut judge = Judge::sharing(run, trace, makers, tables);
    judge.keep_reports(false);
    judge.run(usize::MAX);
    judge.results().into_iter().map(|result| WorldRun { result }).collect()
}

/// The threads a sweep uses by default: every core.
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Plays every unit of the plan on up to `threads` threads and combines them
/// into points. `progress(done, total)` is told the world-steps played after
/// each unit (from the thread that played it; `done` may arrive out of order).
/// The points, and every bit of their numbers, do not depend on `threads`.
pub fn sweep(
    s: &Scenario,
    replay: Option<&ReplayData>,
    plan: &Plan,
    threads: usize,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Frontier> {
    plan.check(s)?;
    if !(1..=MAX_THREADS).contains(&threads) {
        return Err(Error::Run(format!("{threads} threads: must be from 1 to {MAX_THREADS}")));
    }
    // Fail on the trace (a replay's, say) before any thread starts.
    let steps = Trace::build(s, replay)?.len();
    let units = plan.units(s);
    let total: u64 = units.iter().map(|u| u.steps(s)).sum();
    // The longest units first, so that no thread is left with a training at the end.
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(units[i].steps(s)));
    let tables = LoadTables::default();
    let done = std::sync::atomic::AtomicU64::new(0);
    let outcomes = map_units(&order, threads, &|i| {
        let out = play(s, replay, units[i], &tables)?;
        let now = done.fetch_add(units[i].steps(s), std::sync::atomic::Ordering::Relaxed)
            + units[i].steps(s);
        progress(now, total);
        Ok(out)
    });
    // The first error in the units' order; a unit is left unplayed only after one.
    if let Some(Err(e)) = outcomes.iter().flatten().find(|o| o.is_err()) {
        return Err(e.clone());
    }
    let played: Vec<Vec<WorldRun>> = outcomes.into_iter().flatten().flatten().collect();
    if played.len() != units.len() {
        return Err(Error::Run("a unit of the frontier was not played".into()));
    }
    Ok(Frontier {
        points: combine(&units, &played, plan.seeds.len()),
        steps,
        episodes: s.agent.episodes,
        own_target: s.rule.target_utilisation,
        own_weight: s.reward.sla_violated,
    })
}

type Played = Result<Vec<WorldRun>>;

/// Plays units `order` lists on `threads` threads, each taking the next index
/// from a shared counter; the results sit at their unit's index. After an
/// error no new unit starts.
#[cfg(not(target_arch = "wasm32"))]
fn map_units(
    order: &[usize],
    threads: usize,
    play: &(dyn Fn(usize) -> Played + Sync),
) -> Vec<Option<Played>> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Mutex;
    let slots: Vec<Mutex<Option<Played>>> = order.iter().map(|_| Mutex::new(None)).collect();
    let (next, failed) = (AtomicUsize::new(0), AtomicBool::new(false));
    std::thread::scope(|scope| {
        for _ in 0..threads.min(order.len()) {
            scope.spawn(|| {
                while !failed.load(Ordering::Relaxed) {
                    let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) else { break };
                    let out = play(i);
                    if out.is_err() {
                        failed.store(true, Ordering::Relaxed);
                    }
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(out);
                }
            });
        }
    });
    slots.into_iter().map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner())).collect()
}

/// In WebAssembly, one unit after another.
#[cfg(target_arch = "wasm32")]
fn map_units(
    order: &[usize],
    _threads: usize,
    play: &(dyn Fn(usize) -> Played + Sync),
) -> Vec<Option<Played>> {
    let mut slots: Vec<Option<Played>> = order.iter().map(|_| None).collect();
    for &i in order {
        let out = play(i);
        let failed = out.is_err();
        slots[i] = Some(out);
        if failed {
            break;
        }
    }
    slots
}

/// The points of consecutive runs of `seeds` units (one knob value), in order:
/// each world of the first unit, over the seeds.
fn combine(units: &[Unit], played: &[Vec<WorldRun>], seeds: usize) -> Vec<Point> {
    let mut points = Vec::new();
    for (group, outcomes) in units.chunks(seeds).zip(played.chunks(seeds)) {
        let unit = group[0];
        for (j, first) in outcomes[0].iter().enumerate() {
            let column = |f: &dyn Fn(&WorldRun) -> f64| {
                Stat::of(&outcomes.iter().map(|o| f(&o[j])).collect::<Vec<_>>())
            };
            let kind = first.result.kind;
            let world = if unit.work == UnitKind::SeedDesign {
                SEED_DESIGN.to_string()
            } else {
                kind.label().to_string()
            };
            points.push(Point {
                world,
                kind,
                knob: unit.knob(),
                seeds: outcomes.len(),
                cost: column(&|o| o.result.cost),
                violation_steps: column(&|o| o.result.sla_violation_steps),
                capacity_changes: column(&|o| o.result.capacity_changes as f64),
                early_scale_ups: column(&|o| o.result.scale_ups.early as f64),
                late_scale_ups: column(&|o| o.result.scale_ups.late as f64),
            });
        }
    }
    points
}

/// One world at one knob value, over the seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The world's label ("Rule", "Elastic (RL)", "Static", ...).
    pub world: String,
    pub kind: WorldKind,
    /// The knob swept and its value ([`RULE_TARGET`], [`VIOLATION_WEIGHT`]);
    /// `None` for a world at the scenario's own settings.
    pub knob: Option<(String, f64)>,
    pub seeds: usize,
    pub cost: Stat,
    pub violation_steps: Stat,
    pub capacity_changes: Stat,
    /// Scale-ups a boot delay or more before the rise they serve, and late ones
    /// ([`crate::proactivity`]).
    pub early_scale_ups: Stat,
    pub late_scale_ups: Stat,
}

impl Point {
    fn value(&self) -> Option<f64> {
        self.knob.as_ref().map(|k| k.1)
    }
}

/// A sweep's points and what they were played with.
#[derive(Debug, Clone, PartialEq)]
pub struct Frontier {
    /// Static, Oracle, Predictive; the Rule at each target; the agent at each
    /// weight; the agent without the forecast; the seed-design agent (when the
    /// scenario's agent is of another design).
    pub points: Vec<Point>,
    /// Steps of each judged run.
    pub steps: usize,
    /// Training episodes of each agent.
    pub episodes: u32,
    /// The scenario's own Rule target and violation weight: the default points.
    pub own_target: f64,
    pub own_weight: f64,
}

/// Whether the agent's default point lies below the Rule's frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct BelowRule<'a> {
    /// Cheaper than every Rule target with no more violation steps (means).
    pub below: bool,
    pub agent: &'a Point,
    /// The cheapest Rule point with no more violation steps than the agent's;
    /// `None` when no target is that reliable.
    pub cheapest_as_reliable: Option<&'a Point>,
    /// The Rule's most reliable point (fewest violation steps).
    pub most_reliable: Option<&'a Point>,
}

/// Whether the agent's violation steps never rise as its weight grows more
/// negative, beyond what the intervals allow.
#[derive(Debug, Clone, PartialEq)]
pub struct Monotone {
    pub holds: bool,
    /// Neighbouring weights compared.
    pub pairs: usize,
    /// The pair whose rise exceeds its allowance the most (or falls short of it
    /// the least).
    pub worst: Option<Rise>,
}

/// From weight `from` to the more negative `to`, violation steps rose by `rise`
/// (negative: fell); `allowed` is the sum of the two half-widths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rise {
    pub from: f64,
    pub to: f64,
    pub rise: f64,
    pub allowed: f64,
}

impl Frontier {
    /// The first point of a world at the scenario's own settings (no knob).
    pub fn world(&self, kind: WorldKind) -> Option<&Point> {
        self.points.iter().find(|p| p.kind == kind && p.knob.is_none())
    }

    /// The Rule's points, in the plan's order.
    pub fn rules(&self) -> Vec<&Point> {
        self.swept(RULE_TARGET)
    }

    /// The agent's points along the violation weight, in the plan's order.
    pub fn agents(&self) -> Vec<&Point> {
        self.swept(VIOLATION_WEIGHT)
    }

    fn swept(&self, knob: &str) -> Vec<&Point> {
        self.points.iter().filter(|p| p.knob.as_ref().is_some_and(|k| k.0 == knob)).collect()
    }

    /// The Rule at the scenario's own target.
    pub fn rule(&self) -> Option<&Point> {
        self.rules().into_iter().find(|p| p.value() == Some(self.own_target))
    }

    /// The agent at the scenario's own weight: its default point.
    pub fn agent(&self) -> Option<&Point> {
        self.agents().into_iter().find(|p| p.value() == Some(self.own_weight))
    }

    /// The agent's default point against the Rule's: below the Rule's frontier
    /// when it is cheaper than every Rule target with no more violation steps
    /// (comparing means; so also when no target is as reliable).
    pub fn below_rule(&self) -> Option<BelowRule<'_>> {
        let agent = self.agent()?;
        let rules = self.rules();
        let cheapest_as_reliable = rules
            .iter()
            .copied()
            .filter(|r| r.violation_steps.mean <= agent.violation_steps.mean)
            .min_by(|a, b| a.cost.mean.total_cmp(&b.cost.mean));
        let most_reliable = rules
            .iter()
            .copied()
            .min_by(|a, b| a.violation_steps.mean.total_cmp(&b.violation_steps.mean));
        Some(BelowRule {
            below: cheapest_as_reliable.is_none_or(|r| agent.cost.mean < r.cost.mean),
            agent,
            cheapest_as_reliable,
            most_reliable,
        })
    }

    /// Along the agent's frontier, weights from the least negative to the most:
    /// violation steps may not rise from one weight to the next by more than the
    /// two points' half-widths together.
    pub fn monotone(&self) -> Monotone {
        let mut agents = self.agents();
        agents.sort_by(|a, b| b.value().unwrap_or(0.0).total_cmp(&a.value().unwrap_or(0.0)));
        let rises: Vec<Rise> = agents
            .windows(2)
            .map(|w| Rise {
                from: w[0].value().unwrap_or(f64::NAN),
                to: w[1].value().unwrap_or(f64::NAN),
                rise: w[1].violation_steps.mean - w[0].violation_steps.mean,
                allowed: w[0].violation_steps.half_width_95 + w[1].violation_steps.half_width_95,
            })
            .collect();
        let worst = rises
            .iter()
            .copied()
            .max_by(|a, b| (a.rise - a.allowed).total_cmp(&(b.rise - b.allowed)));
        Monotone { holds: rises.iter().all(|r| r.rise <= r.allowed), pairs: rises.len(), worst }
    }

    /// Every point as CSV, the columns named in the header; `preset` fills the
    /// first column. Numbers at full precision (they read back to the same bits).
    pub fn csv(&self, preset: &str) -> String {
        let mut text = String::from(
            "preset,world,knob,value,seeds,cost,cost_ci95,violation_steps,violation_ci95,capacity_changes,changes_ci95,early_scale_ups,early_ci95,late_scale_ups,late_ci95\n",
        );
        for p in &self.points {
            let (knob, value) = p
                .knob
                .as_ref()
                .map_or((String::new(), String::new()), |(k, v)| (k.clone(), v.to_string()));
            let stats = [
                p.cost,
                p.violation_steps,
                p.capacity_changes,
                p.early_scale_ups,
                p.late_scale_ups,
            ]
            .map(|s| format!("{},{}", s.mean, s.half_width_95))
            .join(",");
            text += &format!(
                "{},{},{knob},{value},{},{stats}\n",
                csv_field(preset),
                csv_field(&p.world),
                p.seeds
            );
        }
        text
    }

    /// Every point as a fixed-width table: means ± 95 % half-widths; the default
    /// points marked `*`.
    pub fn table(&self) -> String {
        let pm = |s: Stat, digits: usize| {
            format!("{:>9.digits$} ± {:<7.digits$}", s.mean, s.half_width_95)
        };
        let header = format!(
            "{:<26} {:<14} {:^19} {:^19} {:>6}  {:^19} {:^15} {:^15}",
            "world",
            "knob",
            "cost",
            "violation steps",
            "viol%",
            "capacity changes",
            "early scale-ups",
            "late scale-ups"
        );
        let mut out = format!("{}\n", header.trim_end());
        for p in &self.points {
            let knob = match &p.knob {
                Some((k, v)) if k == RULE_TARGET => {
                    format!("target {v:.2}{}", if *v == self.own_target { " *" } else { "" })
                }
                Some((k, v)) if k == VIOLATION_WEIGHT => {
                    format!("weight {v}{}", if *v == self.own_weight { " *" } else { "" })
                }
                Some((k, v)) => format!("{k} {v}"),
                None => "-".into(),
            };
            let pct = 100.0 * p.violation_steps.mean / self.steps.max(1) as f64;
            let row = format!(
                "{:<26} {:<14} {} {} {:>6.2}  {} {} {}",
                p.world,
                knob,
                pm(p.cost, 1),
                pm(p.violation_steps, 1),
                pct,
                pm(p.capacity_changes, 0),
                pm(p.early_scale_ups, 0),
                pm(p.late_scale_ups, 0)
            );
            out += row.trim_end();
            out.push('\n');
        }
        out
    }

    /// The frontier's two verdicts in words: the agent's default point against
    /// the Rule's frontier, and the monotonicity along the agent's.
    pub fn verdicts(&self) -> String {
        let mut words = String::new();
        if let Some(b) = self.below_rule() {
            let a = b.agent;
            let at = |p: &Point| {
                format!(
                    "{:.1} at {} violation steps",
                    p.cost.mean,
                    crate::judge::steps(p.violation_steps.mean)
                )
            };
            let target = |p: &Point| format!("{:.2}", p.value().unwrap_or(f64::NAN));
            words += &match (b.below, b.cheapest_as_reliable) {
                (true, Some(r)) => format!(
                    "Below the Rule's frontier: the agent (weight {}) costs {}; the cheapest Rule target with no more violations, {}, costs {}.\n",
                    self.own_weight,
                    at(a),
                    target(r),
                    at(r)
                ),
                (false, Some(r)) => format!(
                    "Not below the Rule's frontier: the agent (weight {}) costs {}; the Rule at target {} costs {}.\n",
                    self.own_weight,
                    at(a),
                    target(r),
                    at(r)
                ),
                (_, None) => format!(
                    "Below the Rule's frontier, as no Rule target is as reliable: the agent (weight {}) costs {}; the most reliable Rule, target {}, costs {}.\n",
                    self.own_weight,
                    at(a),
                    b.most_reliable.map_or("-".into(), target),
                    b.most_reliable.map_or("-".into(), at)
                ),
            };
        }
        let m = self.monotone();
        words += &match m.worst {
            None => "The agent's frontier has one weight: nothing to compare.\n".into(),
            Some(w) if m.holds => format!(
                "Monotone along the agent's frontier: violation steps never rise beyond the intervals as the weight grows more negative ({} pairs; closest, {} to {}: {:+.1} against ±{:.1}).\n",
                m.pairs, w.from, w.to, w.rise, w.allowed
            ),
            Some(w) => format!(
                "Not monotone along the agent's frontier: from weight {} to {} violation steps rise by {:.1}, more than the intervals' {:.1}.\n",
                w.from, w.to, w.rise, w.allowed
            ),
        };
        words
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_with_a_comma_is_quoted() {
        assert_eq!(csv_field("Elastic, no forecast"), "\"Elastic, no forecast\"");
        assert_eq!(csv_field("Rule"), "Rule");
    }
}
