//! The `simulate` command: one world of the scenario played under a fixed
//! capacity plan (`--replicas`, `--schedule` or the initial replicas), with a
//! summary printed and, with `--out`, one CSV row per step.

use super::args::SimulateArgs;
use super::input::{in_file, load_replay, read_text, scenario, shown_path, Named};
use super::output::{print_out, say, CsvOut};
use super::progress::Progress;
use super::render::render;
use super::{work, Failure};
use autoscale_playground::scenario::Scenario;
use autoscale_playground::world::schedule::{self, Schedule};
use autoscale_playground::world::service;
use autoscale_playground::{Summary, Trace, World, WorldConfig};

pub fn run(args: &SimulateArgs) -> Result<(), Failure> {
    let scenario = scenario(&args.common)?;
    let replay = load_replay(&scenario)?;
    // One world, the whole run: refused before the trace is built if too costly.
    work::exact(&scenario, replay.as_ref(), 1, 1.0)?;
    let trace = Trace::build(&scenario, replay.as_ref())?;
    let plan = CapacityPlan::from_args(args, &scenario)?;
    if plan.schedule.targets().len() > trace.len() {
        let unused = plan.schedule.targets().len() - trace.len();
        say(&format!(
            "warning: {} has {unused} values beyond the run's {} steps; they are not used",
            plan.source,
            trace.len()
        ));
    }
    // Opened before the run, so that a bad path fails before a long run does.
    let mut out = args.out.as_deref().map(CsvOut::create).transpose()?;

    let run = service::for_run(&scenario, replay.as_ref())?;
    let mut world = World::new(WorldConfig::from_scenario(&run), plan.initial);
    let mut reports = Vec::with_capacity(trace.len());
    let mut progress = Progress::on_terminal("simulate", trace.len() as u64);
    for step in 0..trace.len() {
        progress.update(step as u64);
        let report = world.step(plan.at(step), &trace);
        if let Some(out) = &mut out {
            out.row(&report)?;
        }
        reports.push(report);
    }
    if let Some(out) = out {
        out.finish()?;
    }
    progress.finish();
    let summary = Summary::from_reports(&reports, scenario.dt_s);
    print_out(&render(args, &scenario, &plan, &summary))
}

/// The provisioned replicas each step asks for, and where they came from.
pub struct CapacityPlan {
    schedule: Schedule,
    /// Replicas ready before step 0 (`--initial`, else step 0's), and whether
    /// `--initial` said so.
    initial: u32,
    initial_given: bool,
    /// For messages and the summary.
    source: String,
}

impl CapacityPlan {
    fn from_args(args: &SimulateArgs, s: &Scenario) -> Result<CapacityPlan, Failure> {
        let (min, max) = (s.scaling.min_replicas, s.scaling.max_replicas);
        if let Some(n) = args.initial {
            if !(min..=max).contains(&n) {
                return Err(Failure::Input(format!(
                    "--initial {n}: {}",
                    schedule::allowed(min, max)
                )));
            }
        }
        let (schedule, source) = Self::schedule_of(args, s, min, max)?;
        let initial = args.initial.unwrap_or_else(|| schedule.at(0));
        Ok(CapacityPlan { schedule, source, initial, initial_given: args.initial.is_some() })
    }

    fn schedule_of(
        args: &SimulateArgs,
        s: &Scenario,
        min: u32,
        max: u32,
    ) -> Result<(Schedule, String), Failure> {
        if let Some(n) = args.replicas {
            if !(min..=max).contains(&n) {
                return Err(Failure::Input(format!(
                    "--replicas {n}: {}",
                    schedule::allowed(min, max)
                )));
            }
            return Ok((Schedule::hold(n), "--replicas".into()));
        }
        if let Some(path) = &args.schedule {
            let text = read_text(path, Named::Schedule)?;
            let schedule = Schedule::parse(&text, min, max)
                .map_err(|e| Failure::Input(in_file("schedule file", path, &e.to_string())))?;
            return Ok((schedule, format!("schedule file '{}'", shown_path(path))));
        }
        Ok((Schedule::hold(s.scaling.initial_replicas), "scaling.initial_replicas".into()))
    }

    fn at(&self, step: usize) -> u32 {
        self.schedule.at(step)
    }

    pub fn describe(&self) -> String {
        let plan = match self.schedule.targets() {
            [n] => format!("{n} replicas held ({})", self.source),
            all => {
                let lo = all.iter().min().copied().unwrap_or_default();
                let hi = all.iter().max().copied().unwrap_or_default();
                format!("{} ({} values, {lo} to {hi} replicas)", self.source, all.len())
            }
        };
        if self.initial_given {
            format!("{plan}, from {} ready before step 0 (--initial)", self.initial)
        } else {
            plan
        }
    }
}
