//! Playing a plan: each unit on its own (its trace, its trained agent, its
//! judged worlds), the units spread over threads natively and one after another
//! in WebAssembly, then combined into points in the units' order. Separate from
//! the plan and the report: only this part plays, and only it knows threads.

use super::plan::{Plan, Unit, UnitKind};
use super::{Frontier, Point, MAX_THREADS, SEED_DESIGN};
use crate::agent::QAgent;
use crate::error::{Error, Result};
use crate::judge::{Judge, WorldResult};
use crate::math::stats::Stat;
use crate::policy::{DecisionMaker, Oracle, Predictive, Rule, Sizer, Static, WorldKind};
use crate::queueing::LoadTables;
use crate::scenario::Scenario;
use crate::train::Trainer;
use crate::workload::{ReplayData, Trace};
use crate::world::{service, WorldConfig};
use std::sync::Arc;

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
    let all: Vec<usize> = (0..units.len()).collect();
    let played = play_units(s, replay, &units, &all, threads, progress)?;
    let outcomes: Vec<Vec<Outcome>> =
        played.iter().map(|runs| runs.iter().map(Outcome::of).collect()).collect();
    Ok(Frontier {
        points: combine(&units, &outcomes, plan.seeds.len()),
        steps,
        episodes: s.agent.episodes,
        own_target: s.rule.target_utilisation,
        own_weight: s.reward.sla_violated,
    })
}

/// What a point reads of one world's run: its kind and the five figures
/// averaged over the seeds. A shard's part carries these ([`super::Part`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub kind: WorldKind,
    pub cost: f64,
    pub violation_steps: f64,
    pub capacity_changes: usize,
    pub early_scale_ups: usize,
    pub late_scale_ups: usize,
}

impl Outcome {
    pub fn of(run: &WorldRun) -> Outcome {
        let r = &run.result;
        Outcome {
            kind: r.kind,
            cost: r.cost,
            violation_steps: r.sla_violation_steps,
            capacity_changes: r.capacity_changes,
            early_scale_ups: r.scale_ups.early,
            late_scale_ups: r.scale_ups.late,
        }
    }
}

/// Plays the units `chosen` names (indices into `units`) on up to `threads`
/// threads, the longest first; their runs in `chosen`'s order. `progress(done,
/// total)` counts the world-steps of the chosen units only.
pub(super) fn play_units(
    s: &Scenario,
    replay: Option<&ReplayData>,
    units: &[Unit],
    chosen: &[usize],
    threads: usize,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Vec<Vec<WorldRun>>> {
    let total: u64 = chosen.iter().map(|&i| units[i].steps(s)).sum();
    // The longest units first, so that no thread is left with a training at the end.
    let mut order: Vec<usize> = (0..chosen.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(units[chosen[i]].steps(s)));
    let tables = LoadTables::default();
    let done = std::sync::atomic::AtomicU64::new(0);
    let outcomes = map_units(&order, threads, &|i| {
        let unit = units[chosen[i]];
        let out = play(s, replay, unit, &tables)?;
        let now =
            done.fetch_add(unit.steps(s), std::sync::atomic::Ordering::Relaxed) + unit.steps(s);
        progress(now, total);
        Ok(out)
    });
    // The first error in the units' order; a unit is left unplayed only after one.
    if let Some(Err(e)) = outcomes.iter().flatten().find(|o| o.is_err()) {
        return Err(e.clone());
    }
    let played: Vec<Vec<WorldRun>> = outcomes.into_iter().flatten().flatten().collect();
    if played.len() != chosen.len() {
        return Err(Error::Run("a unit of the frontier was not played".into()));
    }
    Ok(played)
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
    if threads <= 1 {
        return one_after_another(order, play);
    }
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

/// In WebAssembly, which has no threads, one unit after another.
#[cfg(target_arch = "wasm32")]
fn map_units(
    order: &[usize],
    _threads: usize,
    play: &(dyn Fn(usize) -> Played + Sync),
) -> Vec<Option<Played>> {
    one_after_another(order, play)
}

/// The units `order` lists, one after another on this thread, each result at
/// its unit's index; after an error no new unit starts (a sweep on one thread,
/// and every sweep in WebAssembly).
fn one_after_another(
    order: &[usize],
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
pub(super) fn combine(units: &[Unit], played: &[Vec<Outcome>], seeds: usize) -> Vec<Point> {
    let mut points = Vec::new();
    for (group, outcomes) in units.chunks(seeds).zip(played.chunks(seeds)) {
        let unit = group[0];
        for (j, first) in outcomes[0].iter().enumerate() {
            let column = |f: &dyn Fn(&Outcome) -> f64| {
                Stat::of(&outcomes.iter().map(|o| f(&o[j])).collect::<Vec<_>>())
            };
            let kind = first.kind;
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
                cost: column(&|o| o.cost),
                violation_steps: column(&|o| o.violation_steps),
                capacity_changes: column(&|o| o.capacity_changes as f64),
                early_scale_ups: column(&|o| o.early_scale_ups as f64),
                late_scale_ups: column(&|o| o.late_scale_ups as f64),
            });
        }
    }
    points
}
