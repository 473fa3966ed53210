//! Properties of both physics over thousands of random scenarios and action
//! sequences: conservation, no NaN or negative counts, continuity across ρ = 1,
//! and monotonicity in capacity.

use autoscale_playground::scenario::{Physics, Scenario};
use autoscale_playground::{StepReport, Trace, World, WorldConfig};
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};

#[derive(Debug, Clone)]
struct Case {
    scenario: Scenario,
    /// Demand per step as a multiple of one replica's capacity.
    load: Vec<f64>,
    targets: Vec<u32>,
}

fn case(max_steps: usize) -> impl Strategy<Value = Case> {
    (
        1u32..=16,                              // slots
        0.05f64..20.0,                          // mean service time (s)
        0.5f64..300.0,                          // max wait (s)
        prop_oneof![Just(0.0), 1.0f64..900.0],  // boot delay (s)
        prop_oneof![Just(60.0), 1.0f64..900.0], // dt (s)
        1u32..=12,                              // max replicas
        any::<u64>(),                           // seed
        1usize..=max_steps,
    )
        .prop_flat_map(|(slots, service, max_wait, boot, dt, max_r, seed, n)| {
            (
                Just((slots, service, max_wait, boot, dt, max_r, seed)),
                prop::collection::vec(
                    prop_oneof![
                        Just(0.0),
                        0.0f64..1.5 * max_r as f64,
                        0.0f64..100.0 * max_r as f64
                    ],
                    n,
                ),
                prop::collection::vec(1u32..=max_r, n),
            )
        })
        .prop_map(|((slots, service, max_wait, boot, dt, max_r, seed), load, targets)| {
            let mut s = Scenario::default();
            s.replica.slots = slots;
            s.replica.service_mean_s = service;
            s.queue.max_wait_s = max_wait;
            s.scaling.boot_delay_s = boot;
            s.dt_s = dt;
            s.scaling.max_replicas = max_r;
            s.scaling.initial_replicas = 1;
            s.seed = seed;
            s.steps = load.len() as u32;
            Case { scenario: s, load, targets }
        })
}

/// This file's proptest configuration: `cases` cases from a fixed seed (the same
/// cases on every machine and every run, CI included), after the failures
/// recorded in `physics_properties.proptest-regressions` beside this file. Named
/// here because proptest's default, finding this binary's `main.rs`, would look
/// in `tests/proptest-regressions/` instead.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x5ca1e),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        source_file: Some(file!()),
        ..ProptestConfig::default()
    }
}

fn trace_of(c: &Case) -> Trace {
    let per_replica = c.scenario.replica.slots as f64 / c.scenario.replica.service_mean_s;
    Trace {
        dt: c.scenario.dt_s,
        rates: c.load.iter().map(|l| l * per_replica).collect(),
        requests: None,
        seed: c.scenario.seed,
        sub_rates: None,
    }
}

fn play(c: &Case, physics: Physics, extra: u32) -> Vec<(f64, StepReport)> {
    let mut s = c.scenario.clone();
    s.queue.physics = physics;
    s.scaling.max_replicas += extra;
    let trace = trace_of(c);
    let mut w = World::new(WorldConfig::from_scenario(&s), 1 + extra);
    c.targets
        .iter()
        .map(|&t| {
            let before = w.in_system();
            (before, w.step(t + extra, &trace))
        })
        .collect()
}

fn check_sane(before: f64, r: &StepReport) -> Result<(), TestCaseError> {
    let nums = [r.demand, r.arrivals, r.completed, r.dropped, r.in_system, r.utilisation, r.cost];
    for v in nums {
        prop_assert!(v.is_finite() && v >= 0.0, "step {}: {:?}", r.step, r);
    }
    for v in [r.mean_response_s, r.p95_response_s].into_iter().flatten() {
        prop_assert!(v.is_finite() && v > 0.0, "step {}: {:?}", r.step, r);
    }
    let balance = r.arrivals - r.completed - r.dropped - (r.in_system - before);
    let scale = r.arrivals + before + r.in_system;
    prop_assert!(
        balance.abs() <= 1e-9 * scale.max(1.0),
        "step {}: imbalance {balance} of {scale}: {:?}",
        r.step,
        r
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn fluid_conserves_requests_and_stays_finite_and_non_negative(c in case(40)) {
        for (before, r) in play(&c, Physics::Fluid, 0) {
            check_sane(before, &r)?;
        }
    }
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn exact_conserves_whole_requests(c in case(12)) {
        // Keep the request count small: the exact physics draws every request.
        let mut c = c;
        for l in &mut c.load { *l = l.min(3.0 * c.scenario.scaling.max_replicas as f64); }
        for (before, r) in play(&c, Physics::Exact, 0) {
            check_sane(before, &r)?;
            prop_assert_eq!(r.arrivals.fract(), 0.0);
            prop_assert_eq!(r.arrivals, r.completed + r.dropped + r.in_system - before);
        }
    }

    #[test]
    fn more_ready_capacity_never_raises_drops_so_far(c in case(30), extra in 1u32..4) {
        let small = play(&c, Physics::Fluid, 0);
        let big = play(&c, Physics::Fluid, extra);
        let (mut drops_a, mut drops_b, mut arrivals) = (0.0, 0.0, 0.0);
        for ((_, a), (_, b)) in small.iter().zip(&big) {
            // A request may leave a step later with more capacity: compare the drops
            // so far, to 1e-4 of the arrivals (each fleet's sub-step grid follows its
            // own relaxation time).
            drops_a += a.dropped;
            drops_b += b.dropped;
            arrivals += a.arrivals;
            prop_assert!(drops_b <= drops_a + 1e-4 * arrivals.max(1.0), "step {}: drops so far {} > {}", a.step, drops_b, drops_a);
        }
    }
}

/// Runs `cases` cases of `strategy` through `test` (with the file's fixed seed and
/// its regression file) and returns how many `test` said it checked in full. A
/// test that may return early says so with `Ok(false)`, and the caller requires
/// most cases to be checked, so that a property cannot pass by checking nothing.
fn run_counting<S: Strategy>(
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<bool, TestCaseError>,
) -> u32
where
    S::Value: std::fmt::Debug,
{
    use proptest::test_runner::TestRunner;
    let checked = std::sync::atomic::AtomicU32::new(0);
    let mut runner = TestRunner::new(config(cases));
    let result = runner.run(&strategy, |v| {
        if test(v)? {
            checked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}\n{runner}");
    }
    checked.into_inner()
}

#[test]
fn more_ready_capacity_never_raises_latency_or_drops_of_a_step() {
    // 1 to 8 more ready replicas (the README's claim), on 1,000 random histories.
    let cases = 1000;
    // Each step's demand at most its fleet's capacity (a random share of it, up to
    // all of it), so that the smaller fleet mostly drops nothing and the latencies
    // are comparable in most cases; they are counted.
    let strategy = (case(20), 1u32..=8, prop::collection::vec(0.0f64..=1.0, 20));
    let checked = run_counting(cases, strategy, |(mut c, extra, share)| {
        for ((load, &target), u) in c.load.iter_mut().zip(&c.targets).zip(share) {
            *load = load.min(u * target as f64);
        }
        // The same history, then one step from the same state and demand with more
        // replicas ready (no boot delay, so they are ready from the step's start).
        let mut s = c.scenario.clone();
        s.scaling.boot_delay_s = 0.0;
        s.scaling.max_replicas += extra;
        let trace = trace_of(&c);
        let mut w = World::new(WorldConfig::from_scenario(&s), 1);
        let (last, history) = c.targets.split_last().unwrap();
        for &t in history {
            w.step(t, &trace);
        }
        let mut more = w.clone();
        let a = w.step(*last, &trace);
        let b = more.step(last + extra, &trace);
        prop_assert_eq!(
            b.ready,
            a.ready + extra,
            "the larger fleet has {} more ready replicas",
            extra
        );
        prop_assert!(
            b.dropped <= a.dropped + 1e-4 * a.arrivals.max(1.0),
            "drops {} > {}",
            b.dropped,
            a.dropped
        );
        // Where the smaller fleet drops, the larger one serves those requests, which
        // had waited longest: the latency of the served is then not comparable.
        // Nor is it where neither fleet served enough to have a latency.
        if a.dropped > 0.0 {
            return Ok(false);
        }
        let (Some(pa), Some(pb), Some(ma), Some(mb)) =
            (a.p95_response_s, b.p95_response_s, a.mean_response_s, b.mean_response_s)
        else {
            return Ok(false);
        };
        // Steps where the smaller fleet scales down are compared too: the
        // requests in service on the replicas it removes finish there at the
        // service rate ("draining"; `tests/model/mutants_world.rs`) and are
        // counted completed but not scored, so its latency leaves out requests
        // the larger fleet scores. Until 2026-12-06 this test left those steps
        // out (it had found a mean 5.1 % above after 8 -> 4 replicas against
        // 8 -> 10); the fluid as it is now keeps them within the same 5 %.
        if history.last().is_some_and(|&before| *last < before) {
            SCALED_DOWN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        // 5 %: the fluid does not tell requests in service from waiting ones, so each
        // fleet's queued mass is scored by the stationary law of its own backlog, and
        // each fleet's sub-step grid follows its own relaxation time; the two
        // approximations differ by a few per cent. Defects this test found were 20 %
        // to 20x, so 5 % still catches the class of bug it is here for.
        prop_assert!(pb <= pa * 1.05, "p95 {} > {}", pb, pa);
        prop_assert!(mb <= ma * 1.05, "mean {} > {}", mb, ma);
        Ok(true)
    });
    let scaled_down = SCALED_DOWN.load(std::sync::atomic::Ordering::Relaxed);
    println!("latency compared in {checked} of {cases} cases, {scaled_down} of them scale-downs");
    assert!(checked * 2 > cases, "latency compared in only {checked} of {cases} cases");
    assert!(
        scaled_down * 5 > cases as usize,
        "only {scaled_down} scale-downs of {cases} cases compared"
    );
}

/// The cases of a scale-down whose latency the test above compared.
static SCALED_DOWN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The largest elasticity allowed across ρ = 1: a figure's relative change over the
/// relative change of the load. Continuous figures have a finite one (up to about
/// 170 over these cases: backlog and p95 are steep at saturation with long
/// patience); a jump at ρ = 1 has an unbounded one, caught once the perturbation is
/// small enough.
const TOL: f64 = 1000.0;

#[test]
fn latency_is_continuous_across_rho_one() {
    let cases = 1000;
    // The perturbation, log-uniform from 1e-12 to 1e-6 of the capacity.
    let checked = run_counting(cases, (case(20), -12.0f64..-6.0), |(c, log_eps)| {
        let eps = 10f64.powf(log_eps);
        // Play the same history, then one step just below and just above saturation.
        let replicas = c.targets[c.targets.len() - 1];
        let cap = replicas as f64;
        let mut below = c.clone();
        let mut above = c.clone();
        *below.load.last_mut().unwrap() = cap * (1.0 - eps);
        *above.load.last_mut().unwrap() = cap * (1.0 + eps);
        let (a, b) = (play(&below, Physics::Fluid, 0), play(&above, Physics::Fluid, 0));
        let (ra, rb) = (&a.last().unwrap().1, &b.last().unwrap().1);
        // Only meaningful when the capacity is all ready in the last step.
        if !(ra.booting == 0 && ra.ready == replicas) {
            return Ok(false);
        }
        let pa = ra.p95_response_s.unwrap();
        let pb = rb.p95_response_s.unwrap();
        // Continuous: the loads differ by 2 eps relative; the figures by at most TOL
        // times that (a tolerance proportional to the perturbation, not a fixed one).
        let tol = TOL * 2.0 * eps;
        prop_assert!(
            (pa - pb).abs() <= tol * pa,
            "p95 {pa} vs {pb}: {} relative, eps {eps}",
            (pa - pb).abs() / pa
        );
        prop_assert!(
            (ra.in_system - rb.in_system).abs() <= tol * ra.in_system.max(1.0),
            "x {} vs {}",
            ra.in_system,
            rb.in_system
        );
        prop_assert!(
            (ra.dropped - rb.dropped).abs() <= tol * ra.arrivals,
            "drops {} vs {}",
            ra.dropped,
            rb.dropped
        );
        Ok(true)
    });
    println!("continuity checked in {checked} of {cases} cases");
    assert!(checked * 2 > cases, "continuity checked in only {checked} of {cases} cases");
}

#[test]
fn resolving_p95_for_the_sla_only_leaves_every_sla_held_unchanged() {
    // Training resolves each step's p95 only as far as it decides the SLA. Against
    // full resolution, on the same trace and actions: every step's sla_held, counts
    // and mean are the same, and the estimate lies on the true p95's side of the
    // SLA. The fleets hover around the SLA (random utilisation targets from 0.5 to
    // 1.2), so that the shortcut is taken on both sides, and counted.
    use autoscale_playground::rng::{Rng, Stream};
    use autoscale_playground::scenario::Family;
    let (mut steps, mut held, mut violated, mut estimated) = (0usize, 0usize, 0usize, 0usize);
    for (family, boot) in
        [(Family::Diurnal, 120.0), (Family::FlashCrowd, 0.0), (Family::Bursty, 300.0)]
    {
        let mut s = Scenario { steps: 1440, ..Scenario::default() };
        s.workload.family = family;
        s.scaling.boot_delay_s = boot;
        let trace = Trace::build(&s, None).unwrap();
        let config = WorldConfig::from_scenario(&s);
        let per_replica = config.slots as f64 * config.mu;
        let mut full = World::new(config.clone(), s.scaling.initial_replicas);
        let mut sla_only = World::new(config.clone(), s.scaling.initial_replicas);
        sla_only.resolve_p95_for_sla_only();
        let mut rng = Rng::new(7, Stream::Replay, family as u64);
        for (i, rate) in trace.rates.iter().enumerate() {
            let target = (rate / (per_replica * rng.range(0.5, 1.2))).ceil() as u32;
            let (a, b) = (full.step(target, &trace), sla_only.step(target, &trace));
            let at = format!("{family:?} step {i}: {a:?} vs {b:?}");
            assert_eq!(b.sla_held, a.sla_held, "{at}");
            assert_eq!(
                (b.arrivals, b.completed, b.dropped, b.in_system),
                (a.arrivals, a.completed, a.dropped, a.in_system),
                "{at}"
            );
            assert_eq!(b.mean_response_s, a.mean_response_s, "{at}");
            assert_eq!(b.p95_response_s.is_some(), a.p95_response_s.is_some(), "{at}");
            if let (Some(pa), Some(pb)) = (a.p95_response_s, b.p95_response_s) {
                assert_eq!(pb <= config.sla_p95_s, pa <= config.sla_p95_s, "{at}");
                estimated += usize::from(pb != pa);
            }
            steps += 1;
            held += usize::from(a.sla_held);
            violated += usize::from(!a.sla_held);
        }
    }
    println!("{steps} steps: SLA held in {held}, violated in {violated}; p95 estimated (not resolved) in {estimated}");
    assert!(
        held > steps / 10 && violated > steps / 10,
        "held {held}, violated {violated} of {steps}: not near the SLA"
    );
    assert!(estimated > steps / 10, "the shortcut was taken in {estimated} of {steps} steps only");
}
