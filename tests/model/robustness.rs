//! Extreme but valid scenarios: each runs 10,000 steps of all four worlds (the
//! agent untrained and learning live, so it explores) with no panic, NaN,
//! infinity or negative count, and no request lost or made: each step's arrivals
//! are completed, dropped or still in the system.

use autoscale_playground::scenario::{Family, Physics, Scenario};
use autoscale_playground::session::Session;
use proptest::prelude::*;

fn check(s: Scenario, label: &str) {
    s.validate().unwrap_or_else(|e| panic!("{label}: not valid: {e}"));
    let mut session = Session::new(s, None).unwrap_or_else(|e| panic!("{label}: {e}"));
    if let Some(agent) = session.judge.lanes.iter_mut().find_map(|l| l.agent_mut()) {
        agent.mode = autoscale_playground::agent::Mode::Learning;
        agent.epsilon = 0.3;
    }
    let n = session.step(10_000);
    assert_eq!(n, session.trace.len().min(10_000), "{label}");
    for lane in &session.judge.lanes {
        assert_eq!(lane.reports.len(), n, "{label}/{}: a report per step played", lane.kind());
        // Every world starts empty; each step's arrivals are completed, dropped or
        // still in the system at its end: arrivals = completed + dropped + the
        // change in requests in the system, to 1e-9 of the requests involved.
        let mut before = 0.0;
        for (i, r) in lane.reports.iter().enumerate() {
            assert_eq!(r.step as usize, i, "{label}/{}", lane.kind());
            let counts =
                [r.demand, r.arrivals, r.completed, r.dropped, r.in_system, r.utilisation, r.cost];
            assert!(
                counts.iter().all(|v| v.is_finite() && *v >= -1e-9),
                "{label}/{}: step {} has {:?}",
                lane.kind(),
                r.step,
                r
            );
            for v in [r.mean_response_s, r.p95_response_s].into_iter().flatten() {
                assert!(
                    v.is_finite() && v >= 0.0,
                    "{label}/{}: step {} latency {v}",
                    lane.kind(),
                    r.step
                );
            }
            let balance = r.arrivals - r.completed - r.dropped - (r.in_system - before);
            let scale = r.arrivals + before + r.in_system;
            assert!(
                balance.abs() <= 1e-9 * scale.max(1.0),
                "{label}/{}: step {} loses or makes {balance} requests (in the system before: {before}): {r:?}",
                lane.kind(),
                r.step
            );
            before = r.in_system;
        }
    }
    for r in session.results() {
        for v in [
            r.cost,
            r.replica_hours,
            r.dropped,
            r.mean_utilisation,
            r.total_reward,
            r.sla_violation_pct,
        ] {
            assert!(v.is_finite(), "{label}/{}: {r:?}", r.name);
        }
        assert!(
            r.saving_pct.is_none_or(f64::is_finite) && r.p95_s.is_none_or(f64::is_finite),
            "{label}: {r:?}"
        );
    }
}

fn base(steps: u32) -> Scenario {
    let mut s = Scenario { steps, ..Scenario::default() };
    s.agent.episodes = 0;
    s
}

#[test]
fn a_fleet_of_one_replica_stays_finite_and_conserves_requests() {
    let mut s = base(10_000);
    s.scaling.min_replicas = 1;
    s.scaling.max_replicas = 1;
    s.scaling.initial_replicas = 1;
    check(s, "one replica");
}

#[test]
fn hours_of_zero_demand_then_a_step_stay_finite_and_conserve_requests() {
    let mut s = base(10_000);
    s.workload.family = Family::Step;
    s.workload.base_rps = 0.0;
    s.workload.step_at_s = 6.0 * 3600.0;
    s.workload.step_to_rps = 40.0;
    check(s, "zero demand, then a step");
}

#[test]
fn a_hundredfold_overload_stays_finite_and_conserves_requests() {
    let mut s = base(10_000);
    s.workload.family = Family::Constant;
    s.workload.base_rps = 100.0 * 80.0; // 100x what 20 replicas serve
    check(s, "100x overload");
}

#[test]
fn boot_delay_zero_and_thirty_minutes() {
    for boot in [0.0, 1800.0] {
        let mut s = base(10_000);
        s.scaling.boot_delay_s = boot;
        s.workload.family = Family::FlashCrowd;
        check(s, &format!("boot {boot}"));
    }
}

#[test]
fn steps_of_one_second_and_fifteen_minutes() {
    for dt in [1.0, 900.0] {
        let mut s = base(10_000);
        s.dt_s = dt;
        check(s, &format!("dt {dt}"));
    }
}

#[test]
fn exact_physics_under_overload_and_idle() {
    for rps in [0.0, 400.0] {
        let mut s = base(2_000);
        s.queue.physics = Physics::Exact;
        s.workload.family = Family::Constant;
        s.workload.base_rps = rps;
        check(s, &format!("exact at {rps} req/s"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, rng_seed: proptest::test_runner::RngSeed::Fixed(0xe57), ..ProptestConfig::default() })]

    #[test]
    fn random_valid_scenarios_stay_finite(
        seed in any::<u64>(),
        family in prop_oneof![Just(Family::Diurnal), Just(Family::FlashCrowd), Just(Family::Bursty), Just(Family::Step)],
        dt in prop_oneof![Just(1.0), 10.0f64..3600.0],
        base_rps in prop_oneof![Just(0.0), 0.0f64..500.0],
        slots in 1u32..64,
        service in 0.01f64..60.0,
        max_replicas in 1u32..40,
        boot in prop_oneof![Just(0.0), 0.0f64..7200.0],
        max_wait in 0.01f64..600.0,
        sla in 0.01f64..60.0,
    ) {
        let mut s = base(3_000);
        s.seed = seed;
        s.workload.family = family;
        s.dt_s = dt;
        s.workload.base_rps = base_rps;
        s.replica.slots = slots;
        s.replica.service_mean_s = service;
        s.scaling.max_replicas = max_replicas;
        s.scaling.initial_replicas = s.scaling.initial_replicas.min(max_replicas);
        s.scaling.boot_delay_s = boot;
        s.queue.max_wait_s = max_wait;
        s.sla.p95_s = sla;
        prop_assume!(s.validate().is_ok());
        check(s, "random");
    }
}

#[test]
fn the_exact_physics_refuses_a_step_too_large_to_simulate_per_request() {
    let mut s = base(1);
    s.dt_s = 3600.0;
    s.workload.family = Family::Constant;
    s.workload.base_rps = 100_000.0;
    s.queue.physics = Physics::Exact;
    let err = Session::new(s.clone(), None).unwrap_err().to_string();
    assert!(err.contains("at most 2000000 in a step") && err.contains("360000000"), "{err}");
    // The fluid physics takes it.
    s.queue.physics = Physics::Fluid;
    check(s, "fluid at 100k req/s, dt 1 h");
}
