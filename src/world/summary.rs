//! The totals of one world's run, read off its per-step reports.

use super::StepReport;
use serde::Serialize;

/// What a whole run did. Built from the step reports alone, so any world under
/// either physics is summarised the same way. An empty run gives zeros and `None`,
/// never NaN.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub steps: usize,
    /// Requests over the run (expected values under the fluid physics).
    pub arrivals: f64,
    pub completed: f64,
    pub dropped: f64,
    /// SLA-violation steps (the sum of the steps' violations: whole under the
    /// exact physics, expected under the fluid), and their share of all steps (%).
    pub sla_violation_steps: f64,
    pub sla_violation_pct: f64,
    /// Money spent on provisioned replicas, booting ones included.
    pub cost: f64,
    /// Provisioned replicas times hours.
    pub replica_hours: f64,
    /// Steps whose provisioned count differs from the step before.
    pub capacity_changes: usize,
    /// Mean of the per-step utilisation (demand over ready capacity).
    pub mean_utilisation: f64,
    /// Median and maximum of the per-step p95 response time over the steps where it
    /// is defined (s); the median of an even count is the mean of the middle two.
    pub p95_median_s: Option<f64>,
    pub p95_max_s: Option<f64>,
}

impl Summary {
    /// Summarises the reports of consecutive steps of `dt_s` seconds.
    pub fn from_reports(reports: &[StepReport], dt_s: f64) -> Summary {
        let steps = reports.len();
        let sum = |f: fn(&StepReport) -> f64| reports.iter().map(f).sum::<f64>();
        let share = |part: f64| if steps == 0 { 0.0 } else { part / steps as f64 };
        let sla_violation_steps = sum(|r| r.violation);

        let mut p95: Vec<f64> = reports.iter().filter_map(|r| r.p95_response_s).collect();
        p95.sort_by(f64::total_cmp);
        let mid = p95.len() / 2;
        let p95_median_s = match p95.len() {
            0 => None,
            n if n % 2 == 1 => Some(p95[mid]),
            _ => Some((p95[mid - 1] + p95[mid]) / 2.0),
        };

        Summary {
            steps,
            arrivals: sum(|r| r.arrivals),
            completed: sum(|r| r.completed),
            dropped: sum(|r| r.dropped),
            sla_violation_steps,
            sla_violation_pct: 100.0 * share(sla_violation_steps),
            cost: sum(|r| r.cost),
            replica_hours: sum(|r| r.provisioned as f64) * dt_s / 3600.0,
            capacity_changes: reports
                .windows(2)
                .filter(|w| w[0].provisioned != w[1].provisioned)
                .count(),
            mean_utilisation: share(sum(|r| r.utilisation)),
            p95_median_s,
            p95_max_s: p95.last().copied(),
        }
    }
}
