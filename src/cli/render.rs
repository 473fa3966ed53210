//! The texts the commands print beside the library's own tables: an enum's name
//! as scenario files spell it, and `simulate`'s one-screen summary.

use super::args::SimulateArgs;
use super::input::shown_path;
use super::simulate::CapacityPlan;
use autoscale_playground::error::{self, shown};
use autoscale_playground::math::Figure;
use autoscale_playground::scenario::{Family, Scenario};
use autoscale_playground::Summary;

/// The kebab-case name an enum has in scenario files.
pub fn name(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The one-screen summary printed after a run.
pub fn render(args: &SimulateArgs, s: &Scenario, plan: &CapacityPlan, sum: &Summary) -> String {
    let a = &args.common;
    let scenario = match (&a.link, &a.preset, &a.scenario) {
        (Some(_), _, _) => "share link".into(),
        (None, Some(name), _) => format!("preset {}", shown(name)),
        (None, None, Some(path)) => format!("'{}'", shown_path(path)),
        (None, None, None) => "defaults".into(),
    };
    let overrides: String = a.set.iter().map(|kv| format!(" --set {}", shown(kv))).collect();
    let family = match s.workload.family {
        Family::Replay => format!("replay of '{}'", error::shown_path(&s.workload.replay.source)),
        f => name(&f),
    };
    let hours = s.steps as f64 * s.dt_s / 3600.0;
    let seconds = |v: Option<f64>| {
        v.map_or("none (no step completed a request)".into(), |x| format!("{:.3} s", Figure(x)))
    };
    let rows = [
        ("scenario", format!("{scenario}{overrides}")),
        ("workload", format!("{family}, seed {}", s.seed)),
        ("steps", format!("{} x {} s ({hours:.2} h)", s.steps, s.dt_s)),
        ("physics", name(&s.queue.physics)),
        ("capacity", plan.describe()),
        ("", String::new()),
        ("arrivals", format!("{:.1} requests", Figure(sum.arrivals))),
        ("completed", format!("{:.1} requests", Figure(sum.completed))),
        ("dropped", format!("{:.1} requests", Figure(sum.dropped))),
        (
            "SLA violations",
            format!(
                "{} steps ({:.2} %)",
                autoscale_playground::judge::steps(sum.sla_violation_steps),
                Figure(sum.sla_violation_pct)
            ),
        ),
        (
            "cost",
            format!(
                "{:.2} (at {:.2} per replica-hour)",
                Figure(sum.cost),
                s.replica.price_per_hour
            ),
        ),
        ("replica-hours", format!("{:.2}", Figure(sum.replica_hours))),
        ("capacity changes", sum.capacity_changes.to_string()),
        ("mean utilisation", format!("{:.1} %", Figure(100.0 * sum.mean_utilisation))),
        ("p95 median", seconds(sum.p95_median_s)),
        ("p95 max", seconds(sum.p95_max_s)),
    ];
    let mut text = String::new();
    for (label, value) in rows {
        text.push_str(format!("{label:<18}{value}").trim_end());
        text.push('\n');
    }
    text
}
