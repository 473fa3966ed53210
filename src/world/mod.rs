//! A world: a fleet of GPU replicas (ready and booting) in front of one queue, fed
//! a demand trace step by step. Decisions set the provisioned count at the start of
//! a step; the physics (fluid or exact) then plays the step out, split at the
//! moments booting replicas become ready.

mod exact;
mod fluid;
mod latency;
pub mod schedule;
pub mod service;
mod summary;

pub use exact::Exact;
pub use fluid::Fluid;
pub use latency::LatencyHistogram;
pub use schedule::Schedule;
pub use summary::Summary;

use crate::math::Figure;
use crate::queueing::LoadTables;
use crate::scenario::{Physics, Scenario, ServiceModel};
use crate::workload::Trace;
use serde::Serialize;
use std::collections::VecDeque;

/// What one step of one world did. Counts are expected values under the fluid
/// physics and whole requests under the exact one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StepReport {
    pub step: u32,
    /// Start of the step (s).
    pub time_s: f64,
    /// Demand of the step (req/s).
    pub demand: f64,
    /// Ready replicas at the end of the step.
    pub ready: u32,
    /// Booting replicas at the end of the step.
    pub booting: u32,
    /// Replicas paid for during the step (ready + booting).
    pub provisioned: u32,
    pub arrivals: f64,
    pub completed: f64,
    pub dropped: f64,
    /// Requests in the system (waiting or in service) at the end of the step.
    pub in_system: f64,
    /// Mean and 95th-percentile response time of the requests completed in the step
    /// (`None` when none completed).
    pub mean_response_s: Option<f64>,
    pub p95_response_s: Option<f64>,
    /// Demand over the step's mean ready capacity (may exceed 1).
    pub utilisation: f64,
    /// Money spent on the step.
    pub cost: f64,
    /// Whether the step held the SLA: its violation below one half.
    pub sla_held: bool,
    /// How much of an SLA violation the step is: 0 or 1 under the exact physics
    /// (its own requests' p95, or a drop); under the fluid, the probability that
    /// the p95 of the step's requests, a finite sample, exceeds the SLA (1 with a
    /// drop). Violation steps are the sum of this.
    pub violation: f64,
}

impl StepReport {
    /// Column names of the CSV form, in order.
    pub const CSV_HEADER: &'static str = "step,time_s,demand,ready,booting,provisioned,arrivals,completed,dropped,in_system,mean_response_s,p95_response_s,utilisation,cost,sla_held";

    /// One CSV row (empty cells for undefined response times).
    pub fn csv_row(&self) -> String {
        let opt = |v: Option<f64>| v.map(|x| format!("{:.6}", Figure(x))).unwrap_or_default();
        format!(
            "{},{},{:.6},{},{},{},{:.6},{:.6},{:.6},{:.6},{},{},{:.6},{:.6},{}",
            self.step,
            self.time_s,
            Figure(self.demand),
            self.ready,
            self.booting,
            self.provisioned,
            Figure(self.arrivals),
            Figure(self.completed),
            Figure(self.dropped),
            Figure(self.in_system),
            opt(self.mean_response_s),
            opt(self.p95_response_s),
            Figure(self.utilisation),
            Figure(self.cost),
            u8::from(self.sla_held)
        )
    }
}

/// The replicas of a world: ready ones and booting ones with their ready times.
#[derive(Debug, Clone, PartialEq)]
pub struct Fleet {
    pub ready: u32,
    /// Ready times of booting replicas, oldest request first.
    pub booting: VecDeque<f64>,
}

impl Fleet {
    pub fn provisioned(&self) -> u32 {
        self.ready + self.booting.len() as u32
    }
}

/// The physics of a world's queue.
#[derive(Debug, Clone)]
pub enum Engine {
    Fluid(Fluid),
    Exact(Exact),
}

impl Engine {
    fn begin_step(&mut self, step: usize, t0: f64, trace: &Trace) {
        match self {
            Engine::Fluid(f) => {
                f.begin_step(t0, trace.rates[step], trace.dt, trace.sub_rates(step))
            }
            Engine::Exact(e) => e.begin_step(step, t0, trace),
        }
    }

    fn set_servers(&mut self, servers: u32) {
        match self {
            Engine::Fluid(f) => f.set_servers(servers),
            Engine::Exact(e) => e.set_servers(servers),
        }
    }

    fn run_until(&mut self, t: f64) {
        match self {
            Engine::Fluid(f) => f.run_until(t),
            Engine::Exact(e) => e.run_until(t),
        }
    }

    fn end_step(&mut self) -> StepTotals {
        match self {
            Engine::Fluid(f) => f.end_step(),
            Engine::Exact(e) => e.end_step(),
        }
    }

    fn add_latency(&self, hist: &mut LatencyHistogram) {
        match self {
            Engine::Fluid(f) => f.add_latency(hist),
            Engine::Exact(e) => e.add_latency(hist),
        }
    }
}

/// What the physics reports for one step.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StepTotals {
    pub arrivals: f64,
    pub completed: f64,
    pub dropped: f64,
    pub in_system: f64,
    pub mean_response_s: Option<f64>,
    pub p95_response_s: Option<f64>,
    /// The probability that the step's p95 exceeds the SLA, when the physics
    /// knows its p95 only in law (the fluid); `None` when it has the sample.
    pub p95_over_sla: Option<f64>,
}

/// The fixed parameters a world needs, copied out of the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldConfig {
    pub slots: u32,
    pub mu: f64,
    pub boot_delay_s: f64,
    pub min_replicas: u32,
    pub max_replicas: u32,
    pub price_per_hour: f64,
    pub max_wait_s: f64,
    pub sla_p95_s: f64,
    pub sla_drop_tolerance: f64,
    pub physics: Physics,
    pub service: ServiceModel,
    pub per_token_s: f64,
    /// The fluid physics' load tables, shared by the worlds of one session.
    pub tables: LoadTables,
}

impl WorldConfig {
    /// The configuration with the scenario's `replica.service_mean_s`; a run
    /// with token-based service takes the scenario of [`service::for_run`].
    pub fn from_scenario(s: &Scenario) -> WorldConfig {
        WorldConfig {
            slots: s.replica.slots,
            mu: s.mu(),
            boot_delay_s: s.scaling.boot_delay_s,
            min_replicas: s.scaling.min_replicas,
            max_replicas: s.scaling.max_replicas,
            price_per_hour: s.replica.price_per_hour,
            max_wait_s: s.queue.max_wait_s,
            sla_p95_s: s.sla.p95_s,
            sla_drop_tolerance: s.sla.drop_tolerance,
            physics: s.queue.physics,
            service: s.workload.replay.service,
            per_token_s: s.replica.per_token_s,
            tables: LoadTables::default(),
        }
    }
}

/// One world: its fleet, its queue and its clock.
#[derive(Debug, Clone)]
pub struct World {
    pub config: WorldConfig,
    pub fleet: Fleet,
    engine: Engine,
    step: usize,
    /// The run's response times, when tracked (see [`World::track_latency`]).
    latency: Option<LatencyHistogram>,
}

impl World {
    /// A world with `ready` replicas ready at time 0 (clamped to the bounds).
    pub fn new(config: WorldConfig, ready: u32) -> World {
        let ready = ready.clamp(config.min_replicas, config.max_replicas);
        let servers = ready * config.slots;
        let engine = match config.physics {
            Physics::Fluid => Engine::Fluid(Fluid::new(
                config.mu,
                config.max_wait_s,
                config.sla_p95_s,
                servers,
                config.tables.clone(),
            )),
            Physics::Exact => Engine::Exact(Exact::new(&config, servers)),
        };
        World {
            config,
            fleet: Fleet { ready, booting: VecDeque::new() },
            engine,
            step: 0,
            latency: None,
        }
    }

    /// Keeps a histogram of every completed request's response time from now on,
    /// for the run's p95 and p99 (it costs a few per cent of a fluid step).
    pub fn track_latency(&mut self) {
        if self.latency.is_none() {
            self.latency =
                Some(LatencyHistogram::for_service(1.0 / self.config.mu, self.config.max_wait_s));
        }
    }

    /// Resolves each step's p95 only as far as it decides the SLA: `sla_held` is
    /// unchanged, `p95_response_s` is an estimate on the correct side of the SLA.
    /// For training, where only the reward counts. No effect on the exact physics.
    pub fn resolve_p95_for_sla_only(&mut self) {
        if let Engine::Fluid(f) = &mut self.engine {
            f.set_sla_only(Some(self.config.sla_p95_s));
        }
    }

    /// The run's response times so far, when tracked.
    pub fn latency(&self) -> Option<&LatencyHistogram> {
        self.latency.as_ref()
    }

    /// Requests in the system now.
    pub fn in_system(&self) -> f64 {
        match &self.engine {
            Engine::Fluid(f) => f.in_system(),
            Engine::Exact(e) => e.in_system(),
        }
    }

    /// Sets the provisioned count (clamped to the bounds) at time `now`. Scaling up
    /// requests replicas that are ready after the boot delay; scaling down first
    /// cancels the youngest booting replicas, then removes ready ones (whose
    /// requests finish on the remaining capacity: nothing is lost).
    fn provision(&mut self, target: u32, now: f64) {
        let target = target.clamp(self.config.min_replicas, self.config.max_replicas);
        while self.fleet.provisioned() < target {
            self.fleet.booting.push_back(now + self.config.boot_delay_s);
        }
        while self.fleet.provisioned() > target {
            if self.fleet.booting.pop_back().is_none() {
                self.fleet.ready -= 1;
            }
        }
    }

    /// Plays one step: provisions `target` replicas at its start, then serves the
    /// step's demand. The trace must be at least as long as the steps played.
    pub fn step(&mut self, target: u32, trace: &Trace) -> StepReport {
        let dt = trace.dt;
        let i = self.step;
        let t0 = i as f64 * dt;
        let t1 = t0 + dt;
        self.provision(target, t0);
        let provisioned = self.fleet.provisioned();
        self.engine.begin_step(i, t0, trace);
        self.engine.set_servers(self.fleet.ready * self.config.slots);
        let mut ready_time = 0.0;
        let mut t = t0;
        while let Some(&at) = self.fleet.booting.front() {
            if at >= t1 {
                break;
            }
            let at = at.max(t0);
            self.engine.run_until(at);
            ready_time += self.fleet.ready as f64 * (at - t);
            t = at;
            self.fleet.booting.pop_front();
            self.fleet.ready += 1;
            self.engine.set_servers(self.fleet.ready * self.config.slots);
        }
        self.engine.run_until(t1);
        ready_time += self.fleet.ready as f64 * (t1 - t);
        let totals = self.engine.end_step();
        if let Some(hist) = &mut self.latency {
            self.engine.add_latency(hist);
        }
        self.step += 1;

        let demand = trace.rates[i];
        let capacity = ready_time / dt * self.config.slots as f64 * self.config.mu;
        let utilisation = if demand <= 0.0 {
            0.0
        } else if capacity > 0.0 {
            demand / capacity
        } else {
            f64::MAX
        };
        let sla = self.config.sla_p95_s;
        let over = match totals.p95_over_sla {
            Some(p) => p,
            None => totals.p95_response_s.map_or(0.0, |p| if p > sla { 1.0 } else { 0.0 }),
        };
        let violation = if totals.dropped < self.config.sla_drop_tolerance.max(f64::MIN_POSITIVE) {
            over
        } else {
            1.0
        };
        let sla_held = violation < 0.5;
        StepReport {
            step: i as u32,
            time_s: t0,
            demand,
            ready: self.fleet.ready,
            booting: self.fleet.booting.len() as u32,
            provisioned,
            arrivals: totals.arrivals,
            completed: totals.completed,
            dropped: totals.dropped,
            in_system: totals.in_system,
            mean_response_s: totals.mean_response_s,
            p95_response_s: totals.p95_response_s,
            utilisation,
            cost: provisioned as f64 * dt / 3600.0 * self.config.price_per_hour,
            sla_held,
            violation,
        }
    }
}
