//! The fluid physics against the per-request ground truth, on fixed seeds.
//!
//! Tolerances (from the issue): per-step p95 within 15 % (median relative error over
//! the steps where both are defined); SLA-violation steps within 10 % relative or 3
//! steps; drops within 10 % relative (or 5 requests, when both are near zero). In
//! steady state the fluid p95 equals the closed-form M/M/c p95 within 2 %.

use crate::common;

use autoscale_playground::queueing::{p95_exceeds_probability, Response};
use autoscale_playground::scenario::{Family, Physics, Scenario};
use autoscale_playground::workload::ReplayData;
use autoscale_playground::{StepReport, Trace, World, WorldConfig};

fn play(s: &Scenario, trace: &Trace, physics: Physics, schedule: &[u32]) -> Vec<StepReport> {
    let mut s = s.clone();
    s.queue.physics = physics;
    let mut w = World::new(WorldConfig::from_scenario(&s), schedule[0]);
    schedule.iter().map(|&n| w.step(n, trace)).collect()
}

struct Comparison {
    p95_median_rel_err: f64,
    violations: (usize, usize),
    drops: (f64, f64),
}

fn compare(s: &Scenario, trace: &Trace, schedule: &[u32]) -> Comparison {
    let fluid = play(s, trace, Physics::Fluid, schedule);
    let exact = play(s, trace, Physics::Exact, schedule);
    let mut errs: Vec<f64> = fluid
        .iter()
        .zip(&exact)
        .filter_map(|(f, e)| {
            Some(((f.p95_response_s? - e.p95_response_s?) / e.p95_response_s?).abs())
        })
        .collect();
    errs.sort_by(f64::total_cmp);
    let v = |r: &[StepReport]| r.iter().filter(|x| !x.sla_held).count();
    let d = |r: &[StepReport]| r.iter().map(|x| x.dropped).sum::<f64>();
    let c = Comparison {
        p95_median_rel_err: errs[errs.len() / 2],
        violations: (v(&fluid), v(&exact)),
        drops: (d(&fluid), d(&exact)),
    };
    eprintln!(
        "p95 median rel err {:.4}; violation steps fluid {} exact {}; drops fluid {:.1} exact {:.1}",
        c.p95_median_rel_err, c.violations.0, c.violations.1, c.drops.0, c.drops.1
    );
    c
}

fn assert_within_tolerances(c: &Comparison) {
    assert!(c.p95_median_rel_err <= 0.15, "p95 median relative error {}", c.p95_median_rel_err);
    let (vf, ve) = (c.violations.0 as f64, c.violations.1 as f64);
    assert!((vf - ve).abs() <= (0.1 * ve).max(3.0), "violation steps: fluid {vf}, exact {ve}");
    let (df, de) = c.drops;
    assert!((df - de).abs() <= (0.1 * de).max(5.0), "drops: fluid {df}, exact {de}");
}

fn steady(rho: f64) -> (Scenario, Trace, Vec<u32>) {
    let mut s = Scenario::default();
    s.workload.family = Family::Constant;
    s.steps = 600;
    let replicas = 12;
    s.workload.base_rps = rho * replicas as f64 * s.replica.slots as f64 * s.mu();
    let trace = Trace::build(&s, None).unwrap();
    (s, trace, vec![replicas; 600])
}

#[test]
fn steady_rho_050_within_15pct_p95_10pct_violations_and_drops() {
    let (s, t, sch) = steady(0.5);
    assert_within_tolerances(&compare(&s, &t, &sch));
}

#[test]
fn steady_rho_080_within_15pct_p95_10pct_violations_and_drops() {
    let (s, t, sch) = steady(0.8);
    assert_within_tolerances(&compare(&s, &t, &sch));
}

#[test]
fn steady_rho_095_within_15pct_p95_10pct_violations_and_drops() {
    let (s, t, sch) = steady(0.95);
    assert_within_tolerances(&compare(&s, &t, &sch));
}

#[test]
fn steady_state_fluid_p95_equals_closed_form_within_2pct() {
    for rho in [0.5, 0.8, 0.95] {
        let (s, t, sch) = steady(rho);
        let fluid = play(&s, &t, Physics::Fluid, &sch);
        let c = sch[0] * s.replica.slots;
        let closed =
            Response::truncated(c, t.rates[0], s.mu(), s.queue.max_wait_s).percentile(0.95);
        let plain = Response::mmc(c, t.rates[0], s.mu()).percentile(0.95);
        assert!((closed - plain).abs() / plain < 1e-9, "max_wait is irrelevant at rho {rho}");
        for r in &fluid[5..] {
            let p = r.p95_response_s.unwrap();
            assert!((p - plain).abs() / plain <= 0.02, "rho {rho} step {}: {p} vs {plain}", r.step);
        }
    }
}

/// Small fleets near saturation relax slowly (at one replica and rho 0.95 the
/// relaxation time is over a minute): once settled, every fleet of 1 to 20 replicas
/// has the closed form's mean and p95, within 2 %, at every utilisation up to 0.95.
#[test]
fn steady_state_fluid_mean_and_p95_equal_closed_form_within_2pct_for_1_to_20_replicas() {
    let mut worst: (f64, String) = (0.0, String::new());
    for replicas in 1..=20u32 {
        for rho in [0.3, 0.5, 0.7, 0.85, 0.9, 0.95] {
            let mut s = Scenario::default();
            s.workload.family = Family::Constant;
            s.steps = 120;
            let c = replicas * s.replica.slots;
            s.workload.base_rps = rho * c as f64 * s.mu();
            let t = Trace::build(&s, None).unwrap();
            let law = Response::truncated(c, t.rates[0], s.mu(), s.queue.max_wait_s);
            let (mean, p95) = (law.mean_response(), law.percentile(0.95));
            let fluid = play(&s, &t, Physics::Fluid, &vec![replicas; 120]);
            for r in &fluid[60..] {
                let em = (r.mean_response_s.unwrap() - mean).abs() / mean;
                let ep = (r.p95_response_s.unwrap() - p95).abs() / p95;
                let e = em.max(ep);
                if e > worst.0 {
                    worst = (e, format!("{replicas} replicas, rho {rho}, step {}: mean {:?} vs {mean}, p95 {:?} vs {p95}", r.step, r.mean_response_s, r.p95_response_s));
                }
            }
        }
    }
    eprintln!("worst relative error {:.2e}: {}", worst.0, worst.1);
    assert!(worst.0 <= 0.02, "worst relative error {}: {}", worst.0, worst.1);
}

/// A capacity schedule that follows demand at a target utilisation, `lag` steps late.
fn follow(s: &Scenario, trace: &Trace, target: f64, lag: usize) -> Vec<u32> {
    let per = s.replica.slots as f64 * s.mu() * target;
    (0..trace.len())
        .map(|i| {
            ((trace.rates[i.saturating_sub(lag)] / per).ceil() as u32)
                .clamp(1, s.scaling.max_replicas)
        })
        .collect()
}

#[test]
fn diurnal_with_schedule_and_2min_boot_within_15pct_p95_10pct_violations_and_drops() {
    let mut s = Scenario { steps: 1440, seed: 7, ..Scenario::default() };
    s.scaling.boot_delay_s = 120.0;
    let trace = Trace::build(&s, None).unwrap();
    let sch = follow(&s, &trace, 0.85, 1);
    assert_within_tolerances(&compare(&s, &trace, &sch));
}

#[test]
fn flash_crowd_overload_within_15pct_p95_10pct_violations_and_drops() {
    let mut s = Scenario::default();
    s.workload.family = Family::FlashCrowd;
    s.workload.surges_per_day = 6.0;
    s.steps = 1440;
    s.seed = 11;
    let trace = Trace::build(&s, None).unwrap();
    let sch = follow(&s, &trace, 0.8, 3);
    let c = compare(&s, &trace, &sch);
    assert!(c.drops.1 > 1000.0, "the surges must overload: exact drops {}", c.drops.1);
    assert_within_tolerances(&c);
}

#[test]
fn replay_of_conv_trace_within_15pct_p95_10pct_violations_and_drops() {
    let text = common::read_azure("AzureLLMInferenceTrace_conv.csv");
    let data = ReplayData::parse(&text, Default::default()).unwrap();
    let mut s = Scenario::default();
    s.workload.family = Family::Replay;
    s.workload.replay.source = "conv".into();
    s.steps = 240;
    let trace = Trace::build(&s, Some(&data)).unwrap();
    // Capacity follows the trace at 70 % utilisation (no lag: the replay's loop seam
    // would otherwise leave one replica against a full minute).
    let sch = follow(&s, &trace, 0.7, 0);
    assert_within_tolerances(&compare(&s, &trace, &sch));
}

#[test]
fn exact_physics_serves_from_token_counts_of_a_replay() {
    // The code trace at light load (20 replicas, 160 slots): nobody waits, so the mean
    // response over the pass is exactly per_token_s x the mean generated tokens.
    let text = common::read_azure("AzureLLMInferenceTrace_code.csv");
    let data = ReplayData::parse(&text, Default::default()).unwrap();
    let mut s = Scenario::default();
    s.workload.family = Family::Replay;
    s.workload.replay.source = "code".into();
    s.workload.replay.repeat = false;
    s.workload.replay.service = autoscale_playground::scenario::ServiceModel::Tokens;
    s.steps = 70;
    let trace = Trace::build(&s, Some(&data)).unwrap();
    let reports = play(&s, &trace, Physics::Exact, &vec![20; trace.len()]);
    let served: f64 = reports.iter().map(|r| r.completed).sum();
    let total: f64 = reports.iter().filter_map(|r| Some(r.mean_response_s? * r.completed)).sum();
    assert_eq!(served, 8819.0);
    let expected = s.replica.per_token_s * data.mean_generated_tokens().unwrap();
    assert!(
        (total / served - expected).abs() < 1e-9,
        "mean response {} vs {expected}",
        total / served
    );
    assert!(reports.iter().all(|r| r.dropped == 0.0));
}

/// Every world of a real-trace run, judged by the fluid physics, replayed under
/// both physics with the capacity it chose: the same schedule (so the same cost),
/// and the fluid's expected SLA-violation steps within max(3, 15 %) of the exact
/// physics' count. On both Azure traces at rate scales 1 and 5 (requests as
/// written, spread evenly within their ticks), three hours each.
///
/// `missed` names the worlds where the aim is known to be missed (see the
/// README): the fluid's count is then only held to within 35 % to 140 % of the
/// exact one (plus 3 steps), and the Oracle not to its 1 % bound. The Oracle
/// plans in the fluid physics, at the SLA's edge there: under the exact physics
/// it is held to its 1 % bound within the 3 steps the fluid may differ by.
fn real_trace_worlds_agree(
    file: &str,
    rate_scale: f64,
    missed: &[autoscale_playground::WorldKind],
) {
    use autoscale_playground::session::Session;
    use autoscale_playground::workload::replay::Import;
    let text = common::read_azure(file);
    let mut s = Scenario { steps: 180, ..Scenario::default() };
    s.workload.family = Family::Replay;
    s.workload.replay.source = file.into();
    s.workload.replay.rate_scale = rate_scale;
    s.workload.replay.spread = autoscale_playground::scenario::Spread::Even;
    s.scaling.min_replicas = 1;
    let data = Import::read(&text, &s).unwrap().data;
    let mut session = Session::new(s.clone(), Some(&data)).unwrap();
    session.train(10).unwrap();
    session.step(usize::MAX);
    let trace = session.trace.clone();
    let mut failures = Vec::new();
    for lane in &session.judge.lanes {
        let schedule: Vec<u32> = lane.reports.iter().map(|r| r.provisioned).collect();
        let fluid = play(&s, &trace, Physics::Fluid, &schedule);
        let exact = play(&s, &trace, Physics::Exact, &schedule);
        let cost = |r: &[StepReport]| r.iter().map(|x| x.cost).sum::<f64>();
        let v = |r: &[StepReport]| r.iter().map(|x| x.violation).sum::<f64>();
        let (vf, ve) = (v(&fluid), v(&exact));
        let name = lane.maker.kind().label();
        eprintln!("{file} x{rate_scale} {name}: cost {:.2}/{:.2}, violation steps fluid {vf:.1} exact {ve}", cost(&fluid), cost(&exact));
        assert_eq!(cost(&fluid), cost(&exact), "{name}: the same schedule costs the same");
        assert!(
            (cost(&fluid) - cost(&lane.reports)).abs() < 1e-9,
            "{name}: the replayed schedule is the judged one"
        );
        let kind = lane.maker.kind();
        if missed.contains(&kind) {
            assert!(
                vf >= 0.35 * ve && vf <= 1.4 * ve + 3.0,
                "{name}: fluid {vf:.1}, exact {ve}: the known gap grew"
            );
            continue;
        }
        if (vf - ve).abs() > (0.15 * ve).max(3.0) {
            failures.push(format!("{name}: fluid {vf:.1}, exact {ve}"));
        }
        if kind == autoscale_playground::WorldKind::Oracle {
            // What no fleet avoids: the service time's own tail in a step of few
            // requests (the p95 of 20 exponential services exceeds 4 means in 5 %).
            let q = (-s.mu() * s.sla.p95_s).exp();
            let floor: f64 = exact.iter().map(|r| p95_exceeds_probability(r.completed, q)).sum();
            eprintln!("  the Oracle's floor (service alone): {floor:.1} steps");
            assert!(ve <= floor + 0.01 * schedule.len() as f64 + 3.0, "the Oracle breaks the SLA in {ve} of {} steps under the exact physics (floor {floor:.1})", schedule.len());
        }
    }
    assert!(failures.is_empty(), "{file} x{rate_scale}: {}", failures.join("; "));
}

#[test]
fn conv_trace_at_rate_1_every_world_fluid_within_15pct_of_exact_violations() {
    real_trace_worlds_agree("AzureLLMInferenceTrace_conv.csv", 1.0, &[]);
}

#[test]
fn conv_trace_at_rate_5_every_world_fluid_within_15pct_of_exact_violations() {
    // Missed for the Predictive world (fluid 25.5, exact 19 in 180 steps): it
    // runs the fleet at the SLA's edge through the trace's bursts, where the
    // fluid's smooth sub-step rates overstate a few violations.
    real_trace_worlds_agree(
        "AzureLLMInferenceTrace_conv.csv",
        5.0,
        &[autoscale_playground::WorldKind::Predictive],
    );
}

#[test]
fn code_trace_at_rate_1_every_world_fluid_within_15pct_of_exact_violations() {
    real_trace_worlds_agree("AzureLLMInferenceTrace_code.csv", 1.0, &[]);
}

#[test]
fn code_trace_at_rate_5_rule_and_elastic_within_15pct_static_and_oracle_a_known_gap() {
    // Missed: the large fleets (Static, Oracle) violate in 19 (Static) and 27
    // (the Oracle, which scales in right after a burst) of 180 steps under the
    // exact physics and 10-11 under the fluid. Most of the gap is steps
    // of almost no demand right after a burst, whose few completions are the
    // burst's slowest requests: the fluid scores the mass still in service at a
    // step boundary as fresh (it tracks the age of waiting requests only).
    use autoscale_playground::WorldKind;
    real_trace_worlds_agree(
        "AzureLLMInferenceTrace_code.csv",
        5.0,
        &[WorldKind::Static, WorldKind::Oracle],
    );
}

/// Predictive on the azure-conv preset (the conversation trace ×5, 3 days of
/// one-minute steps, its forecaster pre-trained as the agent's), its schedule
/// replayed under both physics: a known gap, held so that it cannot widen unseen
/// (README, "Validation"). Measured 2026-12-06: fluid 104.5, exact 40 violation
/// steps. The test also holds where the gap is: at least three quarters of it
/// (measured: 50.8 of 64.5) in
/// the steps the fleet is saturated (utilisation ≥ 0.98, while the replicas of a
/// scale-out boot) and the step after each, where that backlog drains. There the
/// fluid scores a backlog built within a minute by the stationary law at a
/// utilisation near 1, whose wait has an exponential tail of mean
/// 1/(cμ(1 − ρ̂)) (about 3.6 s for 56 slots at ρ̂ 0.99): a p95 of 9 to 14 s where
/// the requests, queued in order behind a backlog that grew for under a
/// minute, see 6 to 8 s.
#[test]
fn predictive_on_the_conv_preset_over_three_days_a_known_gap_held() {
    use autoscale_playground::judge::Judge;
    use autoscale_playground::policy::{DecisionMaker, Predictive, Sizer};
    use autoscale_playground::train::Trainer;
    use autoscale_playground::workload::replay::Import;
    use autoscale_playground::world::service;
    use std::sync::Arc;
    let s = autoscale_playground::presets::preset("azure-conv").expect("a preset");
    let data = Import::read(&common::read_azure("AzureLLMInferenceTrace_conv.csv"), &s)
        .expect("the trace reads")
        .data;
    let run = service::for_run(&s, Some(&data)).expect("the service");
    let trace = Arc::new(Trace::build(&run, Some(&data)).expect("the trace"));
    let mut tr = Trainer::new(&run, Some(&data));
    tr.fit(usize::MAX).expect("the forecaster fits");
    let sizer = Sizer::new(&WorldConfig::from_scenario(&run), run.dt_s);
    let makers: Vec<Box<dyn DecisionMaker>> =
        vec![Box::new(Predictive::new(&run, tr.agent.forecaster().clone_box(), sizer))];
    let mut judge = Judge::new(&run, trace.clone(), makers);
    judge.run(usize::MAX);
    let schedule: Vec<u32> = judge.lanes[0].reports.iter().map(|r| r.provisioned).collect();
    let fluid = play(&run, &trace, Physics::Fluid, &schedule);
    let exact = play(&run, &trace, Physics::Exact, &schedule);
    let v = |r: &[StepReport]| r.iter().map(|x| x.violation).sum::<f64>();
    let (vf, ve) = (v(&fluid), v(&exact));
    eprintln!("azure-conv Predictive, 3 days: violation steps fluid {vf:.1}, exact {ve}");
    assert!((30.0..=50.0).contains(&ve), "exact {ve}");
    assert!(vf >= ve && vf <= 3.0 * ve + 3.0, "fluid {vf:.1}, exact {ve}: the known gap moved");
    let saturated: Vec<bool> = fluid.iter().map(|r| r.utilisation >= 0.98).collect();
    let near: f64 = (0..fluid.len())
        .filter(|&i| saturated[i] || (i > 0 && saturated[i - 1]))
        .map(|i| fluid[i].violation - exact[i].violation)
        .sum();
    eprintln!("  of the gap {:.1}, {near:.1} in saturated steps and the step after", vf - ve);
    assert!(near >= 0.75 * (vf - ve), "{near:.1} of {:.1}", vf - ve);
}

/// The other face of the gap above, held: a fleet of 7 replicas of 8 slots (56
/// servers, the azure-conv preset's) at a constant demand near saturation, 400
/// steps. The fluid judges each step's p95 as that of independent requests, so at
/// ρ 0.97, whose stationary law lies just under the SLA, it expects almost no
/// violation; under the exact physics a step's requests share one slow queue
/// level, and the step violates when that level's wait exceeds the SLA less the
/// service's own p95: `P(W > 8 − ln 20 / μ)` of the steps. Measured 2026-12-06:
/// fluid 1.8, exact 62, the shared-level estimate 55.6.
#[test]
fn steady_near_saturation_with_56_servers_a_known_gap_held() {
    use autoscale_playground::queueing::Response;
    let mut s = autoscale_playground::presets::preset("azure-conv").expect("a preset");
    s.workload.family = Family::Diurnal;
    let (steps, replicas, rho) = (400, 7u32, 0.97);
    let servers = replicas * s.replica.slots;
    let mu = 1.0 / s.replica.service_mean_s;
    let rate = rho * servers as f64 * mu;
    let trace =
        Trace { dt: s.dt_s, rates: vec![rate; steps], requests: None, seed: 7, sub_rates: None };
    let schedule = vec![replicas; steps];
    let v = |r: &[StepReport]| r.iter().map(|x| x.violation).sum::<f64>();
    let vf = v(&play(&s, &trace, Physics::Fluid, &schedule));
    let ve = v(&play(&s, &trace, Physics::Exact, &schedule));
    let law = Response::mmc(servers, rate, mu);
    let shared = steps as f64 * law.c_wait * (-law.theta * (s.sla.p95_s - 20f64.ln() / mu)).exp();
    eprintln!("56 servers at ρ {rho}: fluid {vf:.1}, exact {ve}, shared level {shared:.1}");
    assert!((40.0..=80.0).contains(&ve), "exact {ve}");
    assert!(vf <= 5.0, "fluid {vf:.1}: the gap changed; see the README");
    assert!((shared - ve).abs() <= 0.3 * ve, "shared level {shared:.1}, exact {ve}");
}

/// Token-based service, a known gap held: the exact physics serves each request
/// for its own generated tokens, the fluid an exponential of their mean (the
/// tokens' own distribution is not in its tail). Both Azure traces, 4 hours,
/// capacity following the demand at 70 % utilisation, replayed under both.
/// Measured 2026-12-06: conv, p95 median relative error 34.5 %, violation steps
/// 10 / 13, drops 0 / 154; code, 20.4 %, 0 / 0, 0 / 0. The per-step p95 misses the
/// 15 % of exponential service; the violation steps agree within 3, and the drops
/// of the conv trace's longest answers (which hold a slot for minutes) are the
/// fluid's to miss. Held: p95 errors at most 40 % and 25 %, violation steps within
/// max(3, 25 %), the fluid's drops at most the exact ones.
#[test]
fn token_service_fluid_against_exact_a_known_gap_held() {
    use autoscale_playground::world::service;
    let mut seen = Vec::new();
    for (file, name) in
        [("AzureLLMInferenceTrace_conv.csv", "conv"), ("AzureLLMInferenceTrace_code.csv", "code")]
    {
        let data = ReplayData::parse(&common::read_azure(file), Default::default()).unwrap();
        let mut s = Scenario::default();
        s.workload.family = Family::Replay;
        s.workload.replay.source = name.into();
        s.workload.replay.service = autoscale_playground::scenario::ServiceModel::Tokens;
        s.steps = 240;
        let run = service::for_run(&s, Some(&data)).expect("the tokens' mean is in range");
        let trace = Trace::build(&run, Some(&data)).unwrap();
        let sch = follow(&run, &trace, 0.7, 0);
        eprintln!("{name}, token service (mean {:.2} s):", run.replica.service_mean_s);
        seen.push(compare(&run, &trace, &sch));
    }
    for (c, p95_bound) in seen.iter().zip([0.40, 0.25]) {
        assert!(c.p95_median_rel_err <= p95_bound, "p95 error {}", c.p95_median_rel_err);
        let (vf, ve) = (c.violations.0 as f64, c.violations.1 as f64);
        assert!((vf - ve).abs() <= (0.25 * ve).max(3.0), "violation steps {vf} / {ve}");
        assert!(c.drops.0 <= c.drops.1 + 1e-9, "drops {:?}", c.drops);
    }
    // Still a gap: a closed one would meet the 15 % of exponential service.
    assert!(seen[0].p95_median_rel_err > 0.15, "closed? update the README");
}

/// A fleet of one-slot replicas with no boot delay, 60-s steps of `rate` req/s,
/// the wait bound `max_wait_s`, played on `schedule` from two replicas: the
/// fluid's reports, and the exact physics' mean response and mean p95 of each
/// step over `seeds` seeds.
fn overload_runs(
    service_s: f64,
    max_wait_s: f64,
    rate: f64,
    schedule: &[u32],
    seeds: u64,
) -> (Vec<StepReport>, Vec<f64>, Vec<f64>) {
    let play = |physics: Physics, seed: u64| {
        let mut s = Scenario::default();
        s.queue.physics = physics;
        s.queue.max_wait_s = max_wait_s;
        s.dt_s = 60.0;
        s.replica.slots = 1;
        s.replica.service_mean_s = service_s;
        s.scaling.boot_delay_s = 0.0;
        let rates = vec![rate; schedule.len()];
        let trace = Trace { dt: 60.0, rates, requests: None, seed, sub_rates: None };
        let mut w = World::new(WorldConfig::from_scenario(&s), 2);
        schedule.iter().map(|&n| w.step(n, &trace)).collect::<Vec<_>>()
    };
    let n = schedule.len();
    let (mut time, mut done, mut p95) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for seed in 0..seeds {
        for (m, r) in play(Physics::Exact, seed).iter().enumerate() {
            time[m] += r.mean_response_s.expect("completions") * r.completed;
            done[m] += r.completed;
            p95[m] += r.p95_response_s.expect("completions") / seeds as f64;
        }
    }
    let mean = time.iter().zip(&done).map(|(t, d)| t / d).collect();
    (play(Physics::Fluid, 7), mean, p95)
}

/// A young backlog under a long wait bound, a known gap held (found 2026-12-08).
/// Two replicas of one slot and 6-s service (1/3 req/s) take 0.5 req/s from an
/// empty start for three minutes, with requests waiting up to 300 s. The queue
/// is at most two minutes old at the end of the second: no request has waited
/// longer. The fluid scores the backlog's completions by the stationary law at
/// its utilisation (near 1), whose waits spread towards the bound, so its p95 is
/// one no request can have: measured, 174.7 s and 228.6 s in the second and third
/// minutes against the exact physics' 47.2 s and 66.8 s (the mean over 300
/// seeds), 3.7× and 3.4×, past the queue's age plus the service's p95 (138 s and
/// 198 s). Under the default 30-s bound the same minutes agree within 10 % (the
/// bound truncates the law); the flash-crowd case above is validated there. The
/// SLA's verdict is the same here (both far over it); the page's latency plot is
/// not. Held: the fluid 2.5× to 5× the exact mean p95, the exact one 40 to 80 s.
#[test]
fn a_young_backlog_under_a_long_wait_bound_a_known_gap_held() {
    let (fluid, _, exact) = overload_runs(6.0, 300.0, 0.5, &[2, 2, 2], 300);
    let fluid: Vec<f64> = fluid.iter().map(|r| r.p95_response_s.unwrap()).collect();
    eprintln!("young backlog, p95 by minute: fluid {fluid:.1?}, exact (mean of 300) {exact:.1?}");
    for minute in 1..3 {
        let (f, e) = (fluid[minute], exact[minute]);
        assert!((40.0..=80.0).contains(&e), "minute {minute}: exact {e:.1} s");
        assert!(
            (2.5 * e..=5.0 * e).contains(&f),
            "minute {minute}: fluid {f:.1} s against {e:.1} s: the gap changed; see the README"
        );
        // Past what the queue allows: its age plus the service's own p95 (6 s · ln 20).
        let allowed = 60.0 * (minute + 1) as f64 + 6.0 * 20f64.ln();
        assert!(f > allowed, "minute {minute}: fluid {f:.1} s, at most {allowed:.1} s possible");
    }
}

/// The mean response of a fleet held in overload at the wait bound, a known gap
/// held (found 2026-12-08). Two replicas of one slot and 0.6-s service (3.33
/// req/s) take 5 req/s, with the default 30-s bound. Under the exact physics the
/// requests served have waited almost the whole bound (those that would wait
/// longer leave first): a mean response of 27.0 s and 30.0 s in the second and
/// third minutes (200 seeds). The fluid floors each start's wait at its queue
/// wait less the stationary law's mean and takes the larger of that floor and the
/// law's wait, which near ρ = 1 spreads over the whole bound: 18.9 s and 20.5 s,
/// 0.70× and 0.68×. Its p95, the SLA's figure, is within 10 % (28.4 and 28.5 s
/// against 30.7 and 31.4 s). Only the steps' CSV carries the mean. Held: the
/// fluid's mean 0.55× to 0.8× the exact, its p95 within 15 %. Where the service
/// is long against the bound the mean agrees (the next test).
#[test]
fn the_mean_response_in_overload_at_the_wait_bound_a_known_gap_held() {
    let (fluid, mean, p95) = overload_runs(0.6, 30.0, 5.0, &[2, 2, 2], 200);
    for m in 1..3 {
        let (fm, em) = (fluid[m].mean_response_s.unwrap(), mean[m]);
        let (fp, ep) = (fluid[m].p95_response_s.unwrap(), p95[m]);
        eprintln!("minute {m} in overload: mean {fm:.2} s against {em:.2} s, p95 {fp:.2} s against {ep:.2} s");
        assert!((25.0..=31.0).contains(&em), "minute {m}: exact mean {em:.2} s");
        assert!(
            (0.55 * em..=0.8 * em).contains(&fm),
            "minute {m}: fluid mean {fm:.2} s against {em:.2} s: the gap changed; see the README"
        );
        assert!((fp - ep).abs() <= 0.15 * ep, "minute {m}: p95 {fp:.2} s against {ep:.2} s");
    }
}

/// Where the service is long against the wait bound (6 s of 30), the mean
/// response of a fleet in overload and of the backlog's drain agrees with the
/// exact physics within 10 %: two replicas at 1.5× capacity for three minutes,
/// then four (the backlog drains within the fourth) or three (it drains slowly).
/// Measured 2026-12-08 (200 seeds): the third minute 27.24 s against 29.72 s; the
/// fourth 19.92 s against 20.51 s with four replicas, 26.27 s against 25.44 s with
/// three. Each start's wait is floored by its place in the queue: started at the
/// rate the busy replicas free up, so the m-th request of a backlog starts m/rate
/// after the sub-step's start.
#[test]
fn the_mean_response_of_a_long_service_in_overload_and_its_drain_within_10_per_cent() {
    for (schedule, minutes) in [(vec![2, 2, 2, 4], 2..4), (vec![2, 2, 2, 3], 3..4)] {
        let (fluid, mean, _) = overload_runs(6.0, 30.0, 0.5, &schedule, 200);
        for m in minutes {
            let (f, e) = (fluid[m].mean_response_s.unwrap(), mean[m]);
            eprintln!("{schedule:?}, minute {m}: mean {f:.2} s against {e:.2} s");
            assert!(
                (f - e).abs() <= 0.1 * e,
                "{schedule:?}, minute {m}: {f:.2} s against {e:.2} s"
            );
        }
    }
}
