//! The run summary, on hand-made step reports with numbers worked out by hand.

use autoscale_playground::{StepReport, Summary};

/// A step with the fields the summary reads; the rest are fixed and unread.
fn step(
    step: u32,
    provisioned: u32,
    (arrivals, completed, dropped): (f64, f64, f64),
    p95: Option<f64>,
    utilisation: f64,
    sla_held: bool,
) -> StepReport {
    StepReport {
        step,
        time_s: step as f64 * 3600.0,
        demand: arrivals / 3600.0,
        ready: provisioned,
        booting: 0,
        provisioned,
        arrivals,
        completed,
        dropped,
        in_system: 0.0,
        mean_response_s: p95.map(|p| p / 3.0),
        p95_response_s: p95,
        utilisation,
        // One-hour steps at 1.5 per replica-hour.
        cost: provisioned as f64 * 1.5,
        sla_held,
        violation: if sla_held { 0.0 } else { 1.0 },
    }
}

fn four_steps() -> Vec<StepReport> {
    vec![
        step(0, 2, (100.0, 90.0, 0.0), Some(3.0), 0.5, true),
        step(1, 2, (120.0, 110.0, 5.0), Some(9.0), 0.75, false),
        step(2, 4, (80.0, 100.0, 0.0), None, 0.25, true),
        step(3, 3, (60.0, 70.0, 1.0), Some(4.0), 0.5, false),
    ]
}

#[test]
fn totals_counts_and_shares_of_a_four_step_run() {
    let s = Summary::from_reports(&four_steps(), 3600.0);
    assert_eq!(
        s,
        Summary {
            steps: 4,
            arrivals: 360.0,
            completed: 370.0,
            dropped: 6.0,
            sla_violation_steps: 2.0,
            sla_violation_pct: 50.0,
            // 2 + 2 + 4 + 3 = 11 replica-hours at 1.5.
            cost: 16.5,
            replica_hours: 11.0,
            // 2 -> 2 is no change; 2 -> 4 and 4 -> 3 are.
            capacity_changes: 2,
            mean_utilisation: 0.5,
            // p95 defined on three steps: 3, 4, 9.
            p95_median_s: Some(4.0),
            p95_max_s: Some(9.0),
        }
    );
}

#[test]
fn replica_hours_scale_with_the_step_length_and_cost_is_taken_from_the_steps() {
    let s = Summary::from_reports(&four_steps(), 1800.0);
    assert_eq!(s.replica_hours, 5.5);
    assert_eq!(s.cost, 16.5);
}

#[test]
fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
    let reports: Vec<StepReport> = [2.0, 6.0, 3.0, 5.0]
        .iter()
        .enumerate()
        .map(|(i, &p)| step(i as u32, 1, (1.0, 1.0, 0.0), Some(p), 0.5, true))
        .collect();
    let s = Summary::from_reports(&reports, 60.0);
    assert_eq!(s.p95_median_s, Some(4.0));
    assert_eq!(s.p95_max_s, Some(6.0));
}

#[test]
fn an_empty_run_is_all_zeros_and_no_latency() {
    let s = Summary::from_reports(&[], 60.0);
    assert_eq!(
        s,
        Summary {
            steps: 0,
            arrivals: 0.0,
            completed: 0.0,
            dropped: 0.0,
            sla_violation_steps: 0.0,
            sla_violation_pct: 0.0,
            cost: 0.0,
            replica_hours: 0.0,
            capacity_changes: 0,
            mean_utilisation: 0.0,
            p95_median_s: None,
            p95_max_s: None,
        }
    );
}

#[test]
fn a_run_without_completions_has_no_latency_and_no_capacity_change() {
    let s = Summary::from_reports(&[step(0, 3, (0.0, 0.0, 0.0), None, 0.0, true)], 60.0);
    assert_eq!((s.steps, s.capacity_changes, s.p95_median_s, s.p95_max_s), (1, 0, None, None));
    assert_eq!(s.replica_hours, 0.05);
}

#[test]
fn serialises_with_its_field_names_and_null_for_undefined_latency() {
    let json = serde_json::to_value(Summary::from_reports(&[], 60.0)).expect("serialises");
    assert_eq!(json["sla_violation_pct"], 0.0);
    assert_eq!(json["capacity_changes"], 0);
    assert!(json["p95_median_s"].is_null());
}
