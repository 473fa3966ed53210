//! A sweep split across machines: the K-th of N deterministic slices of a
//! plan's units played alone into a [`Part`], and the parts merged back into the
//! [`Frontier`] of the whole sweep, bit for bit the one [`super::sweep`] gives.
//!
//! The slices: the units sorted longest first (stably, so in the plan's order
//! among equals), the j-th of them (from 0) in slice j mod N + 1. So each slice
//! holds its share of the trainings, and every machine finishes at about the
//! same time.
//!
//! A part is text: a few `key,value` lines that say which sweep it belongs to
//! (the program's version, the plan's fingerprint, the slice, the scenario, the
//! plan's lists), then one line per world of each unit played, every figure at
//! full precision (it reads back to the same bits). A merge refuses parts of
//! different sweeps or versions, a slice missing or given twice, and a part that
//! does not hold exactly its slice's units: never a partial frontier.

use super::plan::{Plan, Unit, UnitKind};
use super::run::{combine, play_units, Outcome};
use super::Frontier;
use crate::error::{Error, Result};
use crate::policy::WorldKind;
use crate::scenario::Scenario;
use crate::workload::{ReplayData, Trace};

/// The first line of every part, with the format's number.
pub const PART_MAGIC: &str = "autoscale-playground frontier part";
/// The part format this build writes and reads.
pub const PART_FORMAT: u32 = 1;
/// The program's version a part records: a merge takes parts of its own only.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

const TABLE_HEADER: &str =
    "unit,world,cost,violation_steps,capacity_changes,early_scale_ups,late_scale_ups";

/// The K-th (from 1) of N slices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Reads `K/N`: whole numbers, N at least 1, K from 1 to N.
    pub fn parse(text: &str) -> Result<Shard> {
        let shown = crate::error::shown(text);
        let refuse = |why: &str| Error::Run(format!("shard '{shown}': {why}"));
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| refuse("must be K/N, e.g. 2/8 (the second of eight slices)"))?;
        let whole = |part: &str, name: &str| {
            part.trim()
                .parse::<usize>()
                .map_err(|_| refuse(&format!("{name} must be a whole number (K/N, e.g. 2/8)")))
        };
        let (index, count) = (whole(k, "K")?, whole(n, "N")?);
        if count == 0 {
            return Err(refuse("N must be at least 1"));
        }
        if !(1..=count).contains(&index) {
            return Err(refuse(&format!("K = {index} must be from 1 to N = {count}")));
        }
        Ok(Shard { index, count })
    }

    /// Refuses more slices than the sweep has units (a slice would be empty).
    pub fn check(&self, units: usize) -> Result<()> {
        if self.count > units {
            return Err(Error::Run(format!(
                "shard {self}: this sweep has {units} units, so N must be from 1 to {units}"
            )));
        }
        Ok(())
    }
}

impl Plan {
    /// The indices (into [`Plan::units`]) of the units of slice `shard`, the
    /// longest first.
    pub fn slice(&self, s: &Scenario, shard: Shard) -> Vec<usize> {
        let units = self.units(s);
        let mut order: Vec<usize> = (0..units.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(units[i].steps(s)));
        order
            .into_iter()
            .enumerate()
            .filter(|(j, _)| j % shard.count + 1 == shard.index)
            .map(|(_, i)| i)
            .collect()
    }

    /// A short name of this exact sweep: FNV-1a (64 bits, hex) of the scenario,
    /// the plan's seeds and knob values, the replayed trace (when there is one)
    /// and the label its output carries. Parts with the same fingerprint are
    /// slices of one sweep.
    pub fn fingerprint(&self, s: &Scenario, trace: &str, label: &str) -> String {
        let list = |v: &[f64]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ");
        let seeds = self.seeds.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ");
        let text = format!(
            "{}\nseeds {seeds}\ntargets {}\nweights {}\ntrace {trace}\nlabel {label}\n",
            s.to_json(),
            list(&self.rule_targets),
            list(&self.violation_weights)
        );
        format!("{:016x}", fnv(text.bytes()))
    }
}

fn fnv(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// A short name of a replayed trace's content (`-` without one).
pub fn trace_fingerprint(replay: Option<&ReplayData>) -> String {
    let Some(data) = replay else { return "-".into() };
    let mut bytes = Vec::new();
    match data {
        ReplayData::Requests(rows) => {
            bytes.push(b'r');
            for r in rows {
                bytes.extend(r.time_ns.to_le_bytes());
                for tokens in [r.context_tokens, r.generated_tokens] {
                    bytes.extend(tokens.map_or([0xff; 5], |t| {
                        let b = t.to_le_bytes();
                        [0, b[0], b[1], b[2], b[3]]
                    }));
                }
            }
        }
        ReplayData::Counts { counts, interval_s } => {
            bytes.push(b'c');
            bytes.extend(interval_s.to_bits().to_le_bytes());
            for c in counts {
                bytes.extend(c.to_bits().to_le_bytes());
            }
        }
    }
    format!("{:016x}", fnv(bytes.into_iter()))
}

impl UnitKind {
    /// The worlds a unit of this kind judges, in the order it reports them.
    pub fn worlds(self) -> &'static [WorldKind] {
        match self {
            UnitKind::Baselines => &[WorldKind::Static, WorldKind::Oracle, WorldKind::Predictive],
            UnitKind::Rule(_) => &[WorldKind::Rule],
            UnitKind::Agent(_) | UnitKind::SeedDesign => &[WorldKind::Elastic],
            UnitKind::Blind => &[WorldKind::NoForecast],
        }
    }
}

/// One slice of a sweep, played: what it belongs to and its units' outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The version of the program that played it.
    pub version: String,
    /// [`Plan::fingerprint`] of the sweep.
    pub plan_id: String,
    pub shard: Shard,
    /// The label of the sweep's output (the preset's name, or "custom").
    pub label: String,
    pub scenario: Scenario,
    pub plan: Plan,
    /// [`trace_fingerprint`] of the sweep's replay.
    pub trace_id: String,
    /// Steps of each judged run.
    pub steps: usize,
    /// Each unit played (its index in [`Plan::units`]) with its worlds' outcomes.
    pub units: Vec<(usize, Vec<Outcome>)>,
}

/// Plays slice `shard` of the plan on up to `threads` threads (as
/// [`super::sweep`], `progress` counting this slice's world-steps).
pub fn play_part(
    s: &Scenario,
    replay: Option<&ReplayData>,
    plan: &Plan,
    shard: Shard,
    label: &str,
    threads: usize,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Part> {
    plan.check(s)?;
    if !(1..=super::MAX_THREADS).contains(&threads) {
        return Err(Error::Run(format!(
            "{threads} threads: must be from 1 to {}",
            super::MAX_THREADS
        )));
    }
    let units = plan.units(s);
    shard.check(units.len())?;
    let steps = Trace::build(s, replay)?.len();
    let chosen = plan.slice(s, shard);
    let played = play_units(s, replay, &units, &chosen, threads, progress)?;
    let trace_id = trace_fingerprint(replay);
    Ok(Part {
        version: VERSION.into(),
        plan_id: plan.fingerprint(s, &trace_id, label),
        shard,
        label: label.into(),
        scenario: s.clone(),
        plan: plan.clone(),
        trace_id,
        steps,
        units: chosen
            .into_iter()
            .zip(played)
            .map(|(i, runs)| (i, runs.iter().map(Outcome::of).collect()))
            .collect(),
    })
}

fn numbers<T: ToString>(values: &[T]) -> String {
    values.iter().map(T::to_string).collect::<Vec<_>>().join(" ")
}

impl Part {
    /// The part as text (see the module's notes); [`Part::read`] reads it back.
    pub fn to_text(&self) -> String {
        let scenario = crate::json::to_string(&self.scenario);
        let mut text = format!(
            "{PART_MAGIC},{PART_FORMAT}\nversion,{}\nplan,{}\nshard,{}\nlabel,{}\ntrace,{}\nsteps,{}\nseeds,{}\ntargets,{}\nweights,{}\nscenario,{scenario}\n{TABLE_HEADER}\n",
            self.version,
            self.plan_id,
            self.shard,
            self.label,
            self.trace_id,
            self.steps,
            numbers(&self.plan.seeds),
            numbers(&self.plan.rule_targets),
            numbers(&self.plan.violation_weights),
        );
        for (i, outcomes) in &self.units {
            for o in outcomes {
                text += &format!(
                    "{i},{},{},{},{},{},{}\n",
                    o.kind.key(),
                    o.cost,
                    o.violation_steps,
                    o.capacity_changes,
                    o.early_scale_ups,
                    o.late_scale_ups
                );
            }
        }
        text
    }

    /// Reads a part's text, refusing what this build did not write: another
    /// format or version, a line out of place, a figure that does not read, a
    /// fingerprint its own lines do not give, a unit outside its slice or missing
    /// from it. Messages name the line.
    pub fn read(text: &str) -> Result<Part> {
        let mut lines = text.lines().enumerate().map(|(n, l)| (n + 1, l));
        let bad = |n: usize, why: String| Error::Run(format!("line {n}: {why}"));
        let (_, first) = lines.next().unwrap_or((1, ""));
        let Some(format) = first.strip_prefix(PART_MAGIC).and_then(|r| r.strip_prefix(',')) else {
            return Err(bad(
                1,
                format!(
                    "not a part of a frontier sweep (it starts '{}', a part '{PART_MAGIC},{PART_FORMAT}')",
                    crate::error::shown(first)
                ),
            ));
        };
        if format != PART_FORMAT.to_string() {
            return Err(bad(
                1,
                format!(
                    "part format {}, this build reads format {PART_FORMAT}: play every part and merge them with one build",
                    crate::error::shown(format)
                ),
            ));
        }
        let mut field = |key: &str| -> Result<(usize, String)> {
            let (n, line) = lines
                .next()
                .ok_or_else(|| Error::Run(format!("the part ends before its '{key}' line")))?;
            match line.split_once(',') {
                Some((k, value)) if k == key => Ok((n, value.to_string())),
                _ => Err(bad(
                    n,
                    format!("expected '{key},...', found '{}'", crate::error::shown(line)),
                )),
            }
        };
        let (_, version) = field("version")?;
        if version != VERSION {
            return Err(Error::Run(format!(
                "written by version {} of the program, this is version {VERSION}: play every part and merge them with one version",
                crate::error::shown(&version)
            )));
        }
        let (_, plan_id) = field("plan")?;
        let (n, shard) = field("shard")?;
        let shard = Shard::parse(&shard).map_err(|e| bad(n, e.to_string()))?;
        let (_, label) = field("label")?;
        let (_, trace_id) = field("trace")?;
        let (n, steps) = field("steps")?;
        let steps = steps.parse::<usize>().map_err(|_| {
            bad(n, format!("steps '{}' is not a whole number", crate::error::shown(&steps)))
        })?;
        fn list<T: std::str::FromStr>(n: usize, key: &str, value: &str) -> Result<Vec<T>> {
            value
                .split(' ')
                .map(|v| {
                    v.parse::<T>().map_err(|_| {
                        Error::Run(format!(
                            "line {n}: {key} holds '{}', not a number",
                            crate::error::shown(v)
                        ))
                    })
                })
                .collect()
        }
        let (n, seeds) = field("seeds")?;
        let seeds = list::<u64>(n, "seeds", &seeds)?;
        let (n, targets) = field("targets")?;
        let rule_targets = list::<f64>(n, "targets", &targets)?;
        let (n, weights) = field("weights")?;
        let violation_weights = list::<f64>(n, "weights", &weights)?;
        let (n, json) = field("scenario")?;
        let scenario = Scenario::from_json(&json).map_err(|e| bad(n, e.to_string()))?;
        let plan = Plan { seeds, rule_targets, violation_weights };
        if plan.fingerprint(&scenario, &trace_id, &label) != plan_id {
            return Err(Error::Run(format!(
                "its lines do not give its plan's fingerprint {}: the part was changed after it was written",
                crate::error::shown(&plan_id)
            )));
        }
        plan.check(&scenario)?;
        let all = plan.units(&scenario);
        shard.check(all.len())?;
        match lines.next() {
            Some((_, TABLE_HEADER)) => {}
            Some((n, line)) => {
                return Err(bad(
                    n,
                    format!("expected '{TABLE_HEADER}', found '{}'", crate::error::shown(line)),
                ))
            }
            None => return Err(Error::Run("the part ends before its table".into())),
        }
        let mut units: Vec<(usize, Vec<Outcome>)> = Vec::new();
        for (n, line) in lines {
            let cells: Vec<&str> = line.split(',').collect();
            if cells.len() != 7 {
                return Err(bad(
                    n,
                    format!("{} fields, a row has 7 ({TABLE_HEADER})", cells.len()),
                ));
            }
            let whole = |k: usize| {
                cells[k].parse::<usize>().map_err(|_| {
                    bad(n, format!("'{}' is not a whole number", crate::error::shown(cells[k])))
                })
            };
            let real = |k: usize| {
                cells[k].parse::<f64>().map_err(|_| {
                    bad(n, format!("'{}' is not a number", crate::error::shown(cells[k])))
                })
            };
            let unit = whole(0)?;
            let kind =
                WorldKind::ALL.into_iter().find(|k| k.key() == cells[1]).ok_or_else(|| {
                    bad(n, format!("'{}' is not a world's key", crate::error::shown(cells[1])))
                })?;
            let o = Outcome {
                kind,
                cost: real(2)?,
                violation_steps: real(3)?,
                capacity_changes: whole(4)?,
                early_scale_ups: whole(5)?,
                late_scale_ups: whole(6)?,
            };
            match units.last_mut() {
                Some((last, outcomes)) if *last == unit => outcomes.push(o),
                _ => units.push((unit, vec![o])),
            }
        }
        let want = plan.slice(&scenario, shard);
        let have: Vec<usize> = units.iter().map(|u| u.0).collect();
        if have != want {
            let missing: Vec<usize> = want.iter().copied().filter(|i| !have.contains(i)).collect();
            return Err(Error::Run(format!(
                "shard {shard} holds {} units where its slice has {} (units missing: {}): the part is cut short or changed",
                have.len(),
                want.len(),
                if missing.is_empty() { "none, but others or out of order".into() } else { numbers(&missing) }
            )));
        }
        for (i, outcomes) in &units {
            let kinds: Vec<WorldKind> = outcomes.iter().map(|o| o.kind).collect();
            if kinds != all[*i].work.worlds() {
                return Err(Error::Run(format!(
                    "unit {i} holds the worlds {kinds:?}, its kind judges {:?}",
                    all[*i].work.worlds()
                )));
            }
        }
        Ok(Part { version, plan_id, shard, label, scenario, plan, trace_id, steps, units })
    }
}

/// What a merge gives: the whole sweep's frontier and what it was played with.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub frontier: Frontier,
    pub scenario: Scenario,
    pub plan: Plan,
    pub label: String,
}

/// Merges named parts, in any order, into the whole sweep's frontier: every
/// slice once, all of one sweep. `parts` pairs each part with the name messages
/// give it (its file).
pub fn merge(parts: &[(String, Part)]) -> Result<Merged> {
    let Some((first_name, first)) = parts.first() else {
        return Err(Error::Run("a merge needs the parts of a sweep; none was given".into()));
    };
    for (name, p) in parts {
        if p.plan_id != first.plan_id {
            return Err(Error::Run(format!(
                "'{name}' is a part of another sweep (plan {}) than '{first_name}' (plan {}): merge the parts of one sweep",
                p.plan_id, first.plan_id
            )));
        }
        if p.shard.count != first.shard.count {
            return Err(Error::Run(format!(
                "'{name}' is shard {} and '{first_name}' shard {}: one sweep's parts are cut into one number of slices",
                p.shard, first.shard
            )));
        }
    }
    let n = first.shard.count;
    let mut by_slice: Vec<Option<&(String, Part)>> = vec![None; n];
    for entry in parts {
        let k = entry.1.shard.index;
        if let Some((other, _)) = by_slice[k - 1] {
            return Err(Error::Run(format!(
                "shard {k}/{n} is given twice, as '{other}' and '{}'",
                entry.0
            )));
        }
        by_slice[k - 1] = Some(entry);
    }
    let missing: Vec<String> =
        (1..=n).filter(|k| by_slice[k - 1].is_none()).map(|k| format!("{k}/{n}")).collect();
    if !missing.is_empty() {
        return Err(Error::Run(format!(
            "shard{} {} missing: the sweep has {n} slices and {} {} given",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            parts.len(),
            if parts.len() == 1 { "was" } else { "were" }
        )));
    }
    let (s, plan) = (&first.scenario, &first.plan);
    let units: Vec<Unit> = plan.units(s);
    let mut played: Vec<Option<Vec<Outcome>>> = vec![None; units.len()];
    for (_, p) in parts {
        for (i, outcomes) in &p.units {
            played[*i] = Some(outcomes.clone());
        }
    }
    let played: Vec<Vec<Outcome>> = played
        .into_iter()
        .enumerate()
        .map(|(i, o)| o.ok_or_else(|| Error::Run(format!("unit {i} is in no part"))))
        .collect::<Result<_>>()?;
    Ok(Merged {
        frontier: Frontier {
            points: combine(&units, &played, plan.seeds.len()),
            steps: first.steps,
            episodes: s.agent.episodes,
            own_target: s.rule.target_utilisation,
            own_weight: s.reward.sla_violated,
        },
        scenario: s.clone(),
        plan: plan.clone(),
        label: first.label.clone(),
    })
}
