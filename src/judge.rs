//! The judge: several worlds in lock-step on the identical trace, each with its own
//! decision maker, and docs/model.md's metrics per world.
//!
//! Worlds share nothing but the (read-only) trace: each has its own fleet, queue,
//! decision maker and history, and the exact physics draws a step's requests from
//! the trace's seed and the step index only. Adding or removing a world therefore
//! never changes another world's numbers (`tests/judge.rs` checks it).

use crate::agent::QAgent;
use crate::policy::{
    DecisionMaker, Observation, Oracle, Predictive, Rule, Sizer, Static, WorldKind,
};
use crate::proactivity::{self, Timings, Tracker};
use crate::queueing::LoadTables;
use crate::scenario::{Reward, Scenario};
use crate::workload::Trace;
use crate::world::{StepReport, World, WorldConfig};
use serde::Serialize;
use std::sync::Arc;

/// One world of the comparison with its decision maker and what it did.
#[derive(Debug, Clone)]
pub struct Lane {
    pub world: World,
    pub maker: Box<dyn DecisionMaker>,
    /// Every step's report, while the judge keeps them ([`Judge::keep_reports`]);
    /// empty otherwise, so that a long run holds no memory per step.
    pub reports: Vec<StepReport>,
    /// The last step's report (kept either way: the next decision reads it).
    pub last: Option<StepReport>,
    /// The run's metrics so far, summed step by step.
    pub tally: Tally,
    keep: bool,
    /// docs/model.md's reward, summed over the run (the same for every world).
    pub reward: f64,
    /// Its scale-ups, early or late for the rise they serve.
    pub scale_ups: Tracker,
}

impl Lane {
    pub fn kind(&self) -> WorldKind {
        self.maker.kind()
    }

    /// The Q-learning agent of this world, if its decision maker is one.
    pub fn agent(&self) -> Option<&QAgent> {
        self.maker.as_any().downcast_ref()
    }

    /// The same, mutable (live learning, counterfactual replays).
    pub fn agent_mut(&mut self) -> Option<&mut QAgent> {
        self.maker.as_any_mut().downcast_mut()
    }

    /// See [`Judge::keep_reports`].
    pub(crate) fn keep_reports(&mut self, on: bool) {
        self.keep = on;
        if !on {
            self.reports = Vec::new();
        }
    }

    pub(crate) fn record(&mut self, report: StepReport) {
        self.tally.add(&report, self.last.as_ref());
        if self.keep {
            self.reports.push(report);
        }
        self.last = Some(report);
    }
}

/// Running sums of a lane's reports: what [`Judge::results`] needs of them, so
/// that the results do not need the reports themselves. Each sum adds the steps
/// in order from -0.0, as `Iterator::sum` over the reports does, so the figures
/// equal [`crate::world::Summary::from_reports`]'s to the bit.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub steps: usize,
    pub cost: f64,
    pub dropped: f64,
    /// Sum of the provisioned replicas of every step.
    pub provisioned: f64,
    pub utilisation: f64,
    pub sla_violation_steps: f64,
    pub capacity_changes: usize,
}

impl Default for Tally {
    fn default() -> Tally {
        Tally {
            steps: 0,
            cost: -0.0,
            dropped: -0.0,
            provisioned: -0.0,
            utilisation: -0.0,
            sla_violation_steps: -0.0,
            capacity_changes: 0,
        }
    }
}

impl Tally {
    fn add(&mut self, r: &StepReport, previous: Option<&StepReport>) {
        self.steps += 1;
        self.cost += r.cost;
        self.dropped += r.dropped;
        self.provisioned += r.provisioned as f64;
        self.utilisation += r.utilisation;
        self.sla_violation_steps += r.violation;
        self.capacity_changes +=
            usize::from(previous.is_some_and(|p| p.provisioned != r.provisioned));
    }

    /// A share of the steps (0 before the first).
    fn share(&self, part: f64) -> f64 {
        if self.steps == 0 {
            0.0
        } else {
            part / self.steps as f64
        }
    }
}

/// The metrics of one world over the run, docs/model.md's last paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorldResult {
    /// The world's label ([`WorldKind::label`]).
    pub name: String,
    pub kind: WorldKind,
    /// Its short name ([`WorldKind::short`]), as the page shows it.
    pub short: String,
    pub cost: f64,
    pub replica_hours: f64,
    /// Saving against the Static world (%), when there is one.
    pub saving_pct: Option<f64>,
    /// SLA-violation steps: whole under the exact physics, expected under the fluid.
    pub sla_violation_steps: f64,
    pub sla_violation_pct: f64,
    /// Response-time percentiles over all the run's requests (s).
    pub p95_s: Option<f64>,
    pub p99_s: Option<f64>,
    pub dropped: f64,
    pub capacity_changes: usize,
    pub mean_utilisation: f64,
    pub total_reward: f64,
    /// Cost above the Oracle's (%), for the Rule and the Elastic world.
    pub above_oracle_pct: Option<f64>,
    /// Its scale-ups: early (a boot delay or more before the rise they serve),
    /// late, or with no rise within half an hour ([`crate::proactivity`]).
    pub scale_ups: Timings,
}

/// N worlds on one trace.
#[derive(Debug, Clone)]
pub struct Judge {
    pub trace: Arc<Trace>,
    pub lanes: Vec<Lane>,
    rewards: Reward,
    initial: u32,
    config: WorldConfig,
    /// Replicas for a demand, for the proactivity count (and the Predictive world).
    sizer: Sizer,
    /// The boot delay and the proactivity window, in steps.
    boot: usize,
    window: usize,
    step: usize,
    keep: bool,
}

impl Judge {
    /// Worlds for the given decision makers, all starting with the scenario's
    /// initial replicas.
    pub fn new(s: &Scenario, trace: Arc<Trace>, makers: Vec<Box<dyn DecisionMaker>>) -> Judge {
        Judge::sharing(s, trace, makers, &LoadTables::default())
    }

    /// The same, the worlds taking their load tables from `tables` (a session's).
    pub fn sharing(
        s: &Scenario,
        trace: Arc<Trace>,
        makers: Vec<Box<dyn DecisionMaker>>,
        tables: &LoadTables,
    ) -> Judge {
        let config = WorldConfig { tables: tables.clone(), ..WorldConfig::from_scenario(s) };
        let sizer = Sizer::new(&config, s.dt_s);
        let (boot, window) = (
            proactivity::boot_steps(s.scaling.boot_delay_s, s.dt_s),
            proactivity::window_steps(s.dt_s),
        );
        let mut judge = Judge {
            trace,
            lanes: Vec::new(),
            rewards: s.reward.clone(),
            initial: s.scaling.initial_replicas,
            config,
            sizer,
            boot,
            window,
            step: 0,
            keep: true,
        };
        for m in makers {
            judge.add(m);
        }
        judge
    }

    /// The standard worlds: docs/model.md's four (Static, Rule, Elastic with the given
    /// agent, Oracle) and the Predictive world, which forecasts with the agent's
    /// forecaster (pre-trained, for a learned one).
    pub fn standard(s: &Scenario, trace: Arc<Trace>, agent: QAgent) -> Judge {
        Judge::standard_sharing(s, trace, agent, None, &LoadTables::default())
    }

    /// The same, sharing a session's load tables, with the ablation world when
    /// `blind` is its agent (trained without the forecast in its state).
    pub fn standard_sharing(
        s: &Scenario,
        trace: Arc<Trace>,
        agent: QAgent,
        blind: Option<QAgent>,
        tables: &LoadTables,
    ) -> Judge {
        let forecaster = agent.forecaster().clone_box();
        let makers: Vec<Box<dyn DecisionMaker>> = vec![
            Box::new(Static::from_scenario(s, &trace)),
            Box::new(Rule::from_scenario(s)),
            Box::new(agent),
            Box::new(Oracle::from_scenario(s, &trace)),
        ];
        let mut judge = Judge::sharing(s, trace, makers, tables);
        // The Predictive world sizes with the judge's own sizer (one per judge).
        judge.add(Box::new(Predictive::new(s, forecaster, judge.sizer.clone())));
        if let Some(blind) = blind {
            judge.add(Box::new(blind));
        }
        judge
    }

    /// Adds a world (at step 0 only; later it would start behind the others).
    pub fn add(&mut self, maker: Box<dyn DecisionMaker>) {
        let mut world = World::new(self.config.clone(), self.initial);
        world.track_latency();
        // Not reserved for the whole trace: a lane that will not keep its reports
        // (the page turns that off after building the judge) must not hold a
        // million of them, even for a moment: wasm memory never shrinks.
        let scale_ups = Tracker::new(self.sizer.clone(), self.boot, self.window);
        self.lanes.push(Lane {
            world,
            maker,
            reports: Vec::new(),
            last: None,
            tally: Tally::default(),
            keep: self.keep,
            reward: 0.0,
            scale_ups,
        });
    }

    /// Whether every step's report is kept in `Lane::reports` (the default: the
    /// CLI writes them as CSV and tests read them). Off, a lane keeps its last
    /// report and running sums only, and a run of any length holds no memory per
    /// step: the page and the soak run this way. Turning it off drops the reports
    /// kept so far; the results stay whole either way.
    pub fn keep_reports(&mut self, on: bool) {
        self.keep = on;
        for lane in &mut self.lanes {
            lane.keep_reports(on);
        }
    }

    /// Worlds that keep what cost and SLA violations need, at step 0 only:
    /// without a latency histogram, each step's p95 resolved only as far as it
    /// decides the SLA (as training's). Every decision, cost and violation is
    /// unchanged (no decision maker reads a p95); the results' p95 and p99 are
    /// `None`. Nine tenths of a run's time go to the histogram (the page's
    /// lookahead and the Rule's sweep play this way).
    pub fn cost_and_violations_only(&mut self) {
        for lane in &mut self.lanes {
            let mut world = World::new(lane.world.config.clone(), self.initial);
            world.resolve_p95_for_sla_only();
            lane.world = world;
        }
    }

    /// Replicas for a demand, as the proactivity count sizes them.
    pub fn sizer(&self) -> &Sizer {
        &self.sizer
    }

    /// The boot delay in whole steps ([`proactivity::boot_steps`]).
    pub fn boot_steps(&self) -> usize {
        self.boot
    }

    /// The proactivity window in steps ([`proactivity::window_steps`]).
    pub fn window_steps(&self) -> usize {
        self.window
    }

    /// The replicas every world starts with (before step 0).
    pub fn initial_replicas(&self) -> u32 {
        self.initial
    }

    /// The price of one replica for an hour.
    pub fn price_per_hour(&self) -> f64 {
        self.config.price_per_hour
    }

    /// The next step to be played.
    pub fn step_index(&self) -> usize {
        self.step
    }

    pub fn len(&self) -> usize {
        self.trace.len()
    }

    pub fn is_empty(&self) -> bool {
        self.trace.len() == 0
    }

    pub fn finished(&self) -> bool {
        self.step >= self.trace.len()
    }

    /// The lane of a world.
    pub fn lane(&self, kind: WorldKind) -> Option<&Lane> {
        self.lanes.iter().find(|l| l.kind() == kind)
    }

    pub fn lane_mut(&mut self, kind: WorldKind) -> Option<&mut Lane> {
        self.lanes.iter_mut().find(|l| l.kind() == kind)
    }

    /// Plays one step in every world. Returns false when the trace is over.
    pub fn step(&mut self) -> bool {
        if self.finished() {
            return false;
        }
        let t = self.step;
        let history = &self.trace.rates[..t];
        for lane in &mut self.lanes {
            play_step(lane, &self.trace, history, &self.rewards);
        }
        self.step += 1;
        true
    }

    /// Plays up to `n` steps; returns how many were played.
    pub fn run(&mut self, n: usize) -> usize {
        let mut played = 0;
        while played < n && self.step() {
            played += 1;
        }
        played
    }

    /// The per-step report of every world over the steps played so far, as CSV: a
    /// `world` column, then [`StepReport::CSV_HEADER`]'s; world after world, each in
    /// step order. The CLI's `compare --out` and the page's export both write this.
    /// Only the reports kept are written ([`Judge::keep_reports`]).
    pub fn csv(&self) -> String {
        let mut text = format!("world,{}\n", StepReport::CSV_HEADER);
        for lane in &self.lanes {
            for r in &lane.reports {
                text.push_str(lane.kind().label());
                text.push(',');
                text.push_str(&r.csv_row());
                text.push('\n');
            }
        }
        text
    }

    /// The metrics of every world over the steps played so far.
    pub fn results(&self) -> Vec<WorldResult> {
        let dt = self.trace.dt;
        let cost_of = |kind| self.lane(kind).map(|l| l.tally.cost);
        let static_cost = cost_of(WorldKind::Static);
        let oracle_cost = cost_of(WorldKind::Oracle);
        self.lanes
            .iter()
            .map(|lane| {
                let s = &lane.tally;
                let pct =
                    |base: Option<f64>| base.filter(|&b| b > 0.0).map(|b| 100.0 * (s.cost - b) / b);
                let kind = lane.kind();
                let compared = !matches!(kind, WorldKind::Static | WorldKind::Oracle);
                WorldResult {
                    name: kind.label().to_string(),
                    kind,
                    short: kind.short().to_string(),
                    saving_pct: static_cost.filter(|&b| b > 0.0).map(|b| 100.0 * (b - s.cost) / b),
                    above_oracle_pct: if compared { pct(oracle_cost) } else { None },
                    cost: s.cost,
                    replica_hours: s.provisioned * dt / 3600.0,
                    sla_violation_steps: s.sla_violation_steps,
                    sla_violation_pct: 100.0 * s.share(s.sla_violation_steps),
                    p95_s: lane.world.latency().and_then(|h| h.quantile(0.95)),
                    p99_s: lane.world.latency().and_then(|h| h.quantile(0.99)),
                    dropped: s.dropped,
                    capacity_changes: s.capacity_changes,
                    mean_utilisation: s.share(s.utilisation),
                    total_reward: lane.reward,
                    scale_ups: lane.scale_ups.timings,
                }
            })
            .collect()
    }
}

/// One step of one lane: decide, play, score.
pub(crate) fn play_step(lane: &mut Lane, trace: &Trace, history: &[f64], rewards: &Reward) {
    let before = lane.world.fleet.provisioned();
    let obs = Observation::of(&lane.world, history, lane.last.as_ref(), trace.dt);
    let target = lane.maker.decide(&obs);
    let report = lane.world.step(target, trace);
    lane.scale_ups.observe(history.len(), before, report.provisioned, &trace.rates);
    lane.reward += rewards.score(
        report.sla_held,
        report.provisioned,
        report.utilisation,
        report.provisioned != before,
    );
    lane.record(report);
}

/// The results as a fixed-width table, one row per world.
pub fn results_table(results: &[WorldResult]) -> String {
    let opt =
        |v: Option<f64>, digits: usize| v.map_or("-".to_string(), |x| format!("{x:.digits$}"));
    let mut out = format!(
        "{:<20} {:>9} {:>9} {:>8} {:>7} {:>7} {:>7} {:>7} {:>9} {:>7} {:>10} {:>6} {:>9} {:>8}\n",
        "world",
        "cost",
        "rep-h",
        "saving%",
        "viol",
        "viol%",
        "p95 s",
        "p99 s",
        "dropped",
        "changes",
        "early/late",
        "util%",
        "reward",
        ">oracle%"
    );
    for r in results {
        out += &format!(
            "{:<20} {:>9.2} {:>9.1} {:>8} {:>7.1} {:>7.2} {:>7} {:>7} {:>9.0} {:>7} {:>10} {:>6.1} {:>9.0} {:>8}\n",
            r.name,
            r.cost,
            r.replica_hours,
            opt(r.saving_pct, 1),
            r.sla_violation_steps,
            r.sla_violation_pct,
            opt(r.p95_s, 2),
            opt(r.p99_s, 2),
            r.dropped,
            r.capacity_changes,
            format!("{}/{}", r.scale_ups.early, r.scale_ups.late),
            100.0 * r.mean_utilisation,
            r.total_reward,
            opt(r.above_oracle_pct, 1)
        );
    }
    out
}

/// A count of violation steps as words show it: whole under the exact physics,
/// one decimal when expected (the fluid's).
pub fn steps(v: f64) -> String {
    if v == v.round() {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The Rule played at another target utilisation on the same trace: a point of
/// the Rule's cost against violations curve ([`crate::view::rule_sweep`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RuleTarget {
    pub target: f64,
    pub cost: f64,
    pub sla_violation_steps: f64,
}

/// The results in words, as plainly as the table: the Elastic world against
/// Static, against Rule (whichever wins, and at what price in violations), against
/// the Rule at every other target of `rule_targets` (whole-run figures: empty
/// until the run is over), against Predictive and the Oracle's floor, and what
/// the forecast buys it (against the ablation). Worlds for which `shown` is
/// false are left out (the Rule's targets with the Rule). Empty until Static and
/// Elastic have cost something.
pub fn verdict(
    results: &[WorldResult],
    shown: impl Fn(WorldKind) -> bool,
    rule_targets: &[RuleTarget],
) -> String {
    let world = |kind| results.iter().find(|r| r.kind == kind).filter(|r| r.cost > 0.0);
    let (Some(el), Some(st)) = (world(WorldKind::Elastic), world(WorldKind::Static)) else {
        return String::new();
    };
    let compared = |kind| world(kind).filter(|r| shown(r.kind));
    let v = |r: &WorldResult| steps(r.sla_violation_steps);
    let (elastic, oracle_name) = (WorldKind::Elastic.short(), WorldKind::Oracle.short());
    let mut words = vec![format!(
        "{elastic} costs {} {} than {}, with {} SLA-violation steps ({} {}).",
        pct(el.cost, st.cost),
        if el.cost <= st.cost { "less" } else { "more" },
        st.short,
        v(el),
        st.short,
        v(st)
    )];
    if let Some(rule) = compared(WorldKind::Rule) {
        words.push(against(el, rule));
        if let Some(sentence) = frontier(el, rule_targets) {
            words.push(sentence);
        }
    }
    if let Some(predictive) = compared(WorldKind::Predictive) {
        words.push(against(el, predictive));
    }
    if let Some(oracle) = compared(WorldKind::Oracle) {
        words.push(format!(
            "It costs {} {} than the {oracle_name} (perfect foresight).",
            pct(el.cost, oracle.cost),
            if el.cost >= oracle.cost { "more" } else { "less" }
        ));
    }
    if let Some(blind) = compared(WorldKind::NoForecast) {
        words.push(forecast_buys(el, blind));
    }
    words.join(" ")
}

/// `a` against `b` in per cent of `b`, unsigned: "14.3 %".
fn pct(a: f64, b: f64) -> String {
    format!("{:.1} %", (100.0 * (a - b) / b).abs())
}

/// The Elastic world against another on cost and violation steps: who wins, or
/// which of them wins on which axis.
fn against(el: &WorldResult, other: &WorldResult) -> String {
    let v = |r: &WorldResult| steps(r.sla_violation_steps);
    let name = &other.short;
    let cheaper = el.cost <= other.cost;
    if cheaper && el.sla_violation_steps <= other.sla_violation_steps {
        format!(
            "It beats {name}: {} cheaper, with no more violations ({} against {}).",
            pct(el.cost, other.cost),
            v(el),
            v(other)
        )
    } else if !cheaper && other.sla_violation_steps <= el.sla_violation_steps {
        format!(
            "{name} beats it on this run: {} cheaper, with no more violations ({} against {}).",
            pct(other.cost, el.cost),
            v(other),
            v(el)
        )
    } else if cheaper {
        format!(
            "It is {} cheaper than {name} but breaks the SLA more often ({} steps against {}).",
            pct(el.cost, other.cost),
            v(el),
            v(other)
        )
    } else {
        format!(
            "{name} is {} cheaper but breaks the SLA more often ({} steps against {}).",
            pct(other.cost, el.cost),
            v(other),
            v(el)
        )
    }
}

/// Whether the Elastic world is below the Rule's frontier: cheaper than every
/// target with no more violation steps than its own. `None` without targets.
fn frontier(el: &WorldResult, targets: &[RuleTarget]) -> Option<String> {
    let (first, last) = (targets.first()?, targets.last()?);
    let range = format!("{:.0} to {:.0} %", 100.0 * first.target, 100.0 * last.target);
    let rival = targets
        .iter()
        .filter(|t| t.sla_violation_steps <= el.sla_violation_steps)
        .min_by(|a, b| a.cost.total_cmp(&b.cost).then(a.target.total_cmp(&b.target)));
    Some(match rival {
        None => {
            let fewest = targets.iter().min_by(|a, b| a.sla_violation_steps.total_cmp(&b.sla_violation_steps))?;
            format!(
                "No Rule target from {range} breaks the SLA as rarely: the fewest violation steps, {} at {:.0} %, cost {:.2}.",
                steps(fewest.sla_violation_steps),
                100.0 * fewest.target,
                fewest.cost
            )
        }
        Some(r) if el.cost < r.cost => format!(
            "It is below the Rule's frontier (targets {range}): cheaper than every target with no more violation steps; the cheapest of those, {:.0} %, costs {:.2} with {} violation steps.",
            100.0 * r.target,
            r.cost,
            steps(r.sla_violation_steps)
        ),
        Some(r) => format!(
            "It is not below the Rule's frontier (targets {range}): at {:.0} % the Rule costs {:.2} ({} {:.2}) with {} violation steps ({} {}).",
            100.0 * r.target,
            r.cost,
            el.short,
            el.cost,
            steps(r.sla_violation_steps),
            el.short,
            steps(el.sla_violation_steps)
        ),
    })
}

/// What the forecast in its state buys the Elastic world: the ablation's figures
/// against its own.
fn forecast_buys(el: &WorldResult, blind: &WorldResult) -> String {
    let fewer = blind.sla_violation_steps - el.sla_violation_steps;
    let n = |d: f64| steps(d.abs());
    let buys = if el.cost < blind.cost && fewer > 0.0 {
        format!("a {} saving and {} fewer violation steps", pct(el.cost, blind.cost), n(fewer))
    } else if el.cost < blind.cost && fewer == 0.0 {
        format!("a {} saving with no more violation steps", pct(el.cost, blind.cost))
    } else if el.cost < blind.cost {
        format!(
            "a {} saving at the price of {} more violation steps",
            pct(el.cost, blind.cost),
            n(fewer)
        )
    } else if fewer > 0.0 {
        format!("{} fewer violation steps for {} more cost", n(fewer), pct(el.cost, blind.cost))
    } else {
        "nothing on this run".to_string()
    };
    format!(
        "Without the forecast in its state ({}) it costs {:.2} with {} violation steps: the forecast buys {buys}.",
        blind.short,
        blind.cost,
        steps(blind.sla_violation_steps)
    )
}
