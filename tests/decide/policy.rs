//! Decision makers: the SLA sizing they share, Static's fixed fleet and the
//! Rule's Kubernetes HPA semantics (the Oracle has `oracle.rs`).

use autoscale_playground::forecast::Forecaster;
use autoscale_playground::policy::{
    fewest_replicas_meeting_sla, DecisionMaker, Erased, Observation, Predictive, Rule, Sizer,
    Static, SIZING_RISK,
};
use autoscale_playground::queueing::{p95_exceeds_probability, Response};
use autoscale_playground::{Scenario, StepReport, Trace, World, WorldConfig, WorldKind};

const DT: f64 = 60.0;

fn default_config() -> WorldConfig {
    WorldConfig::from_scenario(&Scenario::default())
}

/// Whether `replicas` meet the SLA at `demand`, computed from the queueing law
/// directly (the definition `fewest_replicas_meeting_sla` searches with): stable,
/// expected drops below the tolerance, and the p95 of the step's `demand × DT`
/// requests above the SLA with a probability at most `SIZING_RISK` above that of
/// an infinite fleet (service alone).
fn meets(replicas: u32, demand: f64, cfg: &WorldConfig) -> bool {
    let c = replicas * cfg.slots;
    if demand >= c as f64 * cfg.mu {
        return false;
    }
    let law = Response::truncated(c, demand, cfg.mu, cfg.max_wait_s);
    let n = demand * DT;
    let floor = p95_exceeds_probability(n, (-cfg.mu * cfg.sla_p95_s).exp());
    p95_exceeds_probability(n, law.tail(cfg.sla_p95_s)) <= floor + SIZING_RISK
        && n * law.drop_fraction() < cfg.sla_drop_tolerance
}

fn p95_of(replicas: u32, demand: f64, cfg: &WorldConfig) -> f64 {
    Response::truncated(replicas * cfg.slots, demand, cfg.mu, cfg.max_wait_s).percentile(0.95)
}

#[test]
fn fewest_replicas_on_hand_cases() {
    let cfg = default_config();
    assert_eq!(
        (cfg.slots, cfg.mu, cfg.sla_p95_s, cfg.min_replicas, cfg.max_replicas),
        (8, 0.5, 8.0, 1, 20)
    );
    assert_eq!(fewest_replicas_meeting_sla(0.0, &cfg, DT), 1);
    assert_eq!(fewest_replicas_meeting_sla(-3.0, &cfg, DT), 1);
    assert_eq!(fewest_replicas_meeting_sla(1.0, &cfg, DT), 1);

    // 39.5 req/s: 10 replicas (40 req/s of capacity) are stable but too slow,
    // 11 meet the SLA.
    let demand = 39.5;
    let p95 = |r: u32| {
        Response::truncated(r * cfg.slots, demand, cfg.mu, cfg.max_wait_s).percentile(0.95)
    };
    assert!(demand < 10.0 * 8.0 * 0.5);
    assert!(p95(10) > 8.0, "10 replicas: p95 {}", p95(10));
    assert!(p95(11) <= 8.0, "11 replicas: p95 {}", p95(11));
    assert!(!meets(10, demand, &cfg) && meets(11, demand, &cfg));
    assert_eq!(fewest_replicas_meeting_sla(demand, &cfg, DT), 11);

    // 2.6 req/s, 156 requests a step: one replica's p95 is 6.2 s, under the SLA,
    // but the p95 of a step's requests exceeds 8 s in 1.5 % of steps against
    // 0.84 % for any fleet (the service alone): two replicas (0.84 %).
    assert!(p95_of(1, 2.6, &cfg) < 8.0);
    assert!(!meets(1, 2.6, &cfg) && meets(2, 2.6, &cfg));
    assert_eq!(fewest_replicas_meeting_sla(2.6, &cfg, DT), 2);

    // Exactly at capacity is unstable: 40 req/s needs more than 10.
    assert_eq!(fewest_replicas_meeting_sla(40.0, &cfg, DT), 11);
    // Beyond what the maximum fleet can serve, and not a number: the maximum.
    assert_eq!(fewest_replicas_meeting_sla(1000.0, &cfg, DT), 20);
    assert_eq!(fewest_replicas_meeting_sla(f64::NAN, &cfg, DT), 20);
    assert_eq!(fewest_replicas_meeting_sla(f64::INFINITY, &cfg, DT), 20);
    assert_eq!(fewest_replicas_meeting_sla(f64::NEG_INFINITY, &cfg, DT), 20);
}

#[test]
fn fewest_replicas_is_the_first_count_meeting_the_sla_at_every_demand() {
    let cfg = default_config();
    for i in 0..=800 {
        let demand = i as f64 * 0.1;
        let r = fewest_replicas_meeting_sla(demand, &cfg, DT);
        if demand > 0.0 && r < cfg.max_replicas {
            assert!(meets(r, demand, &cfg), "demand {demand}: {r} replicas do not meet the SLA");
        }
        if r > cfg.min_replicas {
            assert!(!meets(r - 1, demand, &cfg), "demand {demand}: {} replicas would do", r - 1);
        }
    }
}

#[test]
fn fewest_replicas_counts_expected_drops_when_latency_allows_anything() {
    let mut cfg = default_config();
    cfg.sla_p95_s = f64::INFINITY;
    cfg.max_wait_s = 5.0;
    // 39 req/s on 10 replicas (40 req/s): stable, but the wait often exceeds 5 s.
    let drops = |r: u32| {
        let law = Response::truncated(r * cfg.slots, 39.0, cfg.mu, cfg.max_wait_s);
        39.0 * DT * law.drop_fraction()
    };
    assert!(drops(10) >= 0.5, "drops on 10: {}", drops(10));
    assert!(drops(11) < 0.5, "drops on 11: {}", drops(11));
    assert_eq!(fewest_replicas_meeting_sla(39.0, &cfg, DT), 11);
    // A tighter tolerance needs more.
    cfg.sla_drop_tolerance = drops(11) / 2.0;
    assert!(fewest_replicas_meeting_sla(39.0, &cfg, DT) >= 12);
}

/// Plays `maker` through a world of the scenario starting with its initial
/// replicas, as the judge does.
fn play(maker: &mut dyn DecisionMaker, s: &Scenario, trace: &Trace) -> Vec<StepReport> {
    let mut world = World::new(WorldConfig::from_scenario(s), s.scaling.initial_replicas);
    let mut reports: Vec<StepReport> = Vec::with_capacity(trace.len());
    for t in 0..trace.len() {
        let obs = Observation::of(&world, &trace.rates[..t], reports.last(), trace.dt);
        let target = maker.decide(&obs);
        reports.push(world.step(target, trace));
    }
    reports
}

#[test]
fn static_provisions_the_fewest_meeting_the_sla_at_peak_plus_buffer_in_every_step() {
    let s = Scenario::default();
    let cfg = WorldConfig::from_scenario(&s);
    let trace = Trace::build(&s, None).unwrap();
    let sized = 1.2 * trace.peak();
    let mut st = Static::from_scenario(&s, &trace);
    assert_eq!(st.kind(), WorldKind::Static);
    assert_eq!(st.replicas(), fewest_replicas_meeting_sla(sized, &cfg, trace.dt));
    assert_eq!(st.replicas(), Static::new(trace.peak(), 0.2, &cfg, trace.dt).replicas());
    assert!(meets(st.replicas(), sized, &cfg));
    assert!(!meets(st.replicas() - 1, sized, &cfg));
    // Sized for demand, not the peak's count rounded up by 20 %.
    assert!(st.replicas() > fewest_replicas_meeting_sla(trace.peak(), &cfg, trace.dt));
    assert!(st.replicas() < cfg.max_replicas);

    let reports = play(&mut st, &s, &trace);
    assert!(reports.iter().all(|r| r.provisioned == st.replicas()));
}

fn report(step: u32, demand: f64, ready: u32, booting: u32, utilisation: f64) -> StepReport {
    StepReport {
        step,
        time_s: step as f64 * DT,
        demand,
        ready,
        booting,
        provisioned: ready + booting,
        arrivals: demand * DT,
        completed: demand * DT,
        dropped: 0.0,
        in_system: 0.0,
        mean_response_s: Some(2.0),
        p95_response_s: Some(6.0),
        utilisation,
        cost: 0.0,
        sla_held: true,
        violation: 0.0,
    }
}

/// The rule's decision at `step`, after a step that ended with `ready` and
/// `booting` replicas at utilisation `u`.
fn decide(rule: &mut Rule, step: usize, ready: u32, booting: u32, u: f64) -> u32 {
    let last = report(step as u32 - 1, 10.0, ready, booting, u);
    rule.decide(&Observation { step, history: &[], ready, booting, last: Some(&last), dt_s: DT })
}

#[test]
fn rule_holds_before_the_first_step_and_inside_the_tolerance_band() {
    let mut rule = Rule::from_scenario(&Scenario::default());
    assert_eq!(rule.kind(), WorldKind::Rule);
    let first = Observation { step: 0, history: &[], ready: 4, booting: 0, last: None, dt_s: DT };
    assert_eq!(rule.decide(&first), 4);
    // Target 0.7, tolerance 0.1: ratios 0.93 and 1.07 hold.
    assert_eq!(decide(&mut rule, 1, 10, 0, 0.65), 10);
    assert_eq!(decide(&mut rule, 2, 10, 0, 0.75), 10);
    assert_eq!(decide(&mut rule, 3, 10, 0, 0.76), 10);
    // Holding keeps the provisioned count, booting replicas included.
    assert_eq!(decide(&mut rule, 4, 10, 3, 0.72), 13);
}

#[test]
fn rule_scales_up_by_the_hpa_formula() {
    let s = Scenario::default();
    // ceil(10 · 0.9 / 0.7) = ceil(12.86) = 13.
    assert_eq!(decide(&mut Rule::from_scenario(&s), 1, 10, 0, 0.9), 13);
    // Just outside the band: ceil(10 · 0.78 / 0.7) = ceil(11.14) = 12.
    assert_eq!(decide(&mut Rule::from_scenario(&s), 1, 10, 0, 0.78), 12);
    // A whole number stays whole: 6 · 1.05 / 0.7 = 9 (9.000000000000002 in floats).
    assert_eq!(decide(&mut Rule::from_scenario(&s), 1, 6, 0, 1.05), 9);
    // Booting replicas count as idle on a scale-up: 6 ready at 1.05 want 9; with
    // 2 booting the ratio over all 8 is 1.125, outside the band, so 9; with 4
    // booting it is 0.9 and the 10 provisioned hold (nothing cancelled); with 2
    // booting at 0.98 it is 1.05, inside the band: hold 8.
    assert_eq!(decide(&mut Rule::from_scenario(&s), 1, 6, 2, 1.05), 9);
    assert_eq!(decide(&mut Rule::from_scenario(&s), 1, 6, 4, 1.05), 10);
    assert_eq!(decide(&mut Rule::from_scenario(&s), 1, 6, 2, 0.98), 8);
    // On a scale-down only the ready count: 6 ready + 4 booting at 0.35 want
    // ceil(6 · 0.5) = 3 (a fresh rule has no window yet).
    assert_eq!(decide(&mut Rule::from_scenario(&s), 1, 6, 4, 0.35), 3);
    // Capped at the maximum.
    assert_eq!(decide(&mut Rule::from_scenario(&s), 1, 18, 0, 1.4), 20);
    // No ready replica and demand waiting: one more.
    let mut from_zero = Rule::new(0.7, 0.1, 300.0, 15.0, 0, 20);
    assert_eq!(decide(&mut from_zero, 1, 0, 0, f64::MAX), 1);
}

#[test]
fn rule_scale_up_is_limited_per_period_compounded_within_a_step() {
    // A 10x jump (utilisation 7 against a target of 0.7) from 10 replicas wants 100.
    let jump = |period_s: f64, ready: u32| {
        decide(&mut Rule::new(0.7, 0.1, 300.0, period_s, 1, 1000), 1, ready, 0, 7.0)
    };
    // One period per step: max(2 · 10, 10 + 4) = 20; from 3: max(6, 7) = 7.
    assert_eq!(jump(60.0, 10), 20);
    assert_eq!(jump(60.0, 3), 7);
    // Two periods: 10 -> 20 -> 40; from 2: 2 -> 6 -> 12.
    assert_eq!(jump(30.0, 10), 40);
    assert_eq!(jump(30.0, 2), 12);
    // 45 s periods: two start within a 60 s step.
    assert_eq!(jump(45.0, 10), 40);
    // Four 15 s periods: 10 -> 20 -> 40 -> 80 -> 160 allows the 100 wanted; a
    // 100x jump from 10 (1000 wanted) stops at 160, and from 1 at 1 -> 5 -> 10 -> 20 -> 40.
    assert_eq!(jump(15.0, 10), 100);
    assert_eq!(decide(&mut Rule::new(0.7, 0.1, 300.0, 15.0, 1, 10_000), 1, 10, 0, 70.0), 160);
    assert_eq!(decide(&mut Rule::new(0.7, 0.1, 300.0, 15.0, 1, 10_000), 1, 1, 0, 700.0), 40);
}

/// Drives the rule against a load of `load[t]` replicas' worth of demand (at 100 %
/// utilisation) in step `t`, with replicas ready the moment they are provisioned.
fn decisions(rule: &mut Rule, start: u32, load: impl Fn(usize) -> f64, steps: usize) -> Vec<u32> {
    let mut provisioned = start;
    let mut out = Vec::new();
    let mut last: Option<StepReport> = None;
    for t in 0..steps {
        provisioned = rule.decide(&Observation {
            step: t,
            history: &[],
            ready: provisioned,
            booting: 0,
            last: last.as_ref(),
            dt_s: DT,
        });
        out.push(provisioned);
        last = Some(report(t as u32, 10.0, provisioned, 0, load(t) / provisioned as f64));
    }
    out
}

#[test]
fn rule_scale_down_waits_for_the_stabilisation_window() {
    let s = Scenario::default();
    // 15 replicas at 0.7 until step 9; from step 10 a load of 3 (u = 0.2) wants
    // ceil(15 · 0.2 / 0.7) = 5. The last recommendation of 15 (made at step 10,
    // from step 9's report) leaves the 300 s window at step 15.
    let load = |t: usize| if t < 10 { 10.5 } else { 3.0 };
    let d = decisions(&mut Rule::from_scenario(&s), 15, load, 20);
    assert_eq!(&d[..15], &[15; 15]);
    assert_eq!(&d[15..], &[5; 5]);

    // Without a window the first decision after the drop scales down.
    let d = decisions(&mut Rule::new(0.7, 0.1, 0.0, 15.0, 1, 20), 15, load, 13);
    assert_eq!(&d[..11], &[15; 11]);
    assert_eq!(&d[11..], &[5; 2]);

    // A brief rebound inside the window (a load of 5.6 in step 12 wants
    // ceil(15 · 0.373 / 0.7) = 8) is the window's maximum until it too expires.
    let bumpy = |t: usize| match t {
        0..=9 => 10.5,
        12 => 5.6,
        _ => 3.0,
    };
    let d = decisions(&mut Rule::from_scenario(&s), 15, bumpy, 22);
    assert_eq!(&d[..15], &[15; 15]);
    assert_eq!(&d[15..18], &[8; 3]);
    assert_eq!(&d[18..], &[5; 4]);
}

#[test]
fn decision_makers_clone_with_their_state() {
    let s = Scenario::default();
    let mut rule = Rule::from_scenario(&s);
    let load = |t: usize| if t < 10 { 10.5 } else { 3.0 };
    let before = decisions(&mut rule, 15, load, 12);
    assert_eq!(before[11], 15);
    // A clone mid-run keeps the stabilisation window: it scales down at step 15 too.
    let mut copy = rule.clone_box();
    let last = report(11, 10.0, 15, 0, 0.2);
    let obs = |step| Observation {
        step,
        history: &[],
        ready: 15,
        booting: 0,
        last: Some(&last),
        dt_s: DT,
    };
    assert_eq!(copy.decide(&obs(12)), 15);
    assert_eq!(copy.kind(), WorldKind::Rule);
    let mut copy2 = copy.clone();
    assert_eq!(copy2.decide(&obs(13)), 15);
    assert_eq!(copy2.decide(&obs(14)), 15);
    assert_eq!(copy2.decide(&obs(15)), 5);
}

#[test]
fn the_sizer_gives_the_fewest_replicas_meeting_the_sla_at_every_demand() {
    let cfg = default_config();
    let sizer = Sizer::new(&cfg, DT);
    // The monotone envelope of the SLA test: never fewer replicas than any lower
    // demand needs (the test itself is not monotone where a step holds few
    // requests: 2.6 req/s needs 2 replicas, 2.7 needs 1).
    let (mut last, mut differ) = (0, 0);
    for i in 0..=800 {
        let demand = i as f64 * 0.1;
        let (need, fewest) = (sizer.need(demand), fewest_replicas_meeting_sla(demand, &cfg, DT));
        assert!(
            need >= fewest && need >= last,
            "at {demand} req/s: {need} against {fewest}, after {last}"
        );
        last = need;
        differ += usize::from(need != fewest);
    }
    assert!(
        differ > 0 && differ < 20,
        "the envelope departs from the test at {differ} of 801 demands"
    );
    assert_eq!(
        (
            fewest_replicas_meeting_sla(2.6, &cfg, DT),
            fewest_replicas_meeting_sla(2.7, &cfg, DT),
            sizer.need(2.7)
        ),
        (2, 1, 2)
    );
    assert_eq!(sizer.need(0.0), 1);
    assert_eq!(sizer.need(f64::NAN), 20);
    assert_eq!(sizer.need(1e9), 20);
    // Each count carries up to its capacity and not beyond.
    for r in 1..20 {
        let c = sizer.carries(r);
        assert!(sizer.need(c) <= r && sizer.need(c * 1.001 + 1e-6) > r, "{r} replicas carry {c}");
    }
}

/// A forecaster that knows the future: it is handed the whole trace, and its
/// path after `n` observations is the trace's next steps.
#[derive(Debug, Clone)]
struct Foresight {
    trace: Vec<f64>,
    seen: usize,
}

impl Forecaster for Foresight {
    fn name(&self) -> &'static str {
        "foresight"
    }
    fn observe(&mut self, _demand: f64) {
        self.seen += 1;
    }
    fn forecast_path(&self, h: usize, out: &mut Vec<f64>) {
        out.clear();
        if self.seen > 0 {
            out.extend((0..h).map(|k| self.trace[(self.seen + k).min(self.trace.len() - 1)]));
        }
    }
    fn reset(&mut self) {
        self.seen = 0;
    }
    fn clone_box(&self) -> Box<dyn Forecaster> {
        Box::new(self.clone())
    }
}

/// Plays `maker` on `rates` (req/s per step) with every replica ready at once
/// after the boot delay, returning the provisioned count decided at each step.
fn plan_of(maker: &mut dyn DecisionMaker, rates: &[f64]) -> Vec<u32> {
    let s = Scenario { steps: rates.len() as u32, ..Scenario::default() };
    let trace = Trace { rates: rates.to_vec(), ..Trace::build(&s, None).unwrap() };
    play(maker, &s, &trace).iter().map(|r| r.provisioned).collect()
}

#[test]
fn predictive_scales_out_on_the_forecast_a_boot_delay_ahead_with_its_margin() {
    let s = Scenario::default();
    let cfg = default_config();
    let sizer = Sizer::new(&cfg, DT);
    // 10 req/s, then 30 from step 40.
    let rates: Vec<f64> = (0..80).map(|t| if t < 40 { 10.0 } else { 30.0 }).collect();
    let mut p =
        Predictive::new(&s, Box::new(Foresight { trace: rates.clone(), seen: 0 }), sizer.clone());
    let plan = plan_of(&mut p, &rates);
    let (low, high) = (sizer.need(10.0 * 1.1), sizer.need(30.0 * 1.1));
    assert!(low < high, "{low} {high}");
    assert_eq!(plan[30], low, "sized for the demand with a 10 % margin");
    // The decision before step t sees steps ..t-1 and forecasts t..t+2, up to the
    // first step its replicas serve (a boot delay of 2 steps later): the rise at
    // 40 is in view from the decision before step 38.
    assert_eq!(plan[37], low);
    assert_eq!(plan[38], high, "scaled out two steps (the boot delay) before the rise");
    assert!(plan[40..].iter().all(|&r| r == high));
}

#[test]
fn predictive_scales_in_only_after_the_stabilisation_window_on_the_demand_seen() {
    let mut s = Scenario::default();
    s.predictive.stabilisation_s = 300.0;
    let sizer = Sizer::new(&default_config(), DT);
    // 30 req/s, then 10 from step 40.
    let rates: Vec<f64> = (0..80).map(|t| if t < 40 { 30.0 } else { 10.0 }).collect();
    let mut p =
        Predictive::new(&s, Box::new(Foresight { trace: rates.clone(), seen: 0 }), sizer.clone());
    let plan = plan_of(&mut p, &rates);
    let (low, high) = (sizer.need(10.0 * 1.1), sizer.need(30.0 * 1.1));
    // The forecast falls from the decision before step 38, but the fleet holds:
    // scale-in is reactive, on the demand seen (10 req/s from step 40, seen at
    // the decision before 41), and waits until no larger recommendation is left
    // in the last 300 s (5 steps): the one of the decision before 40 (it saw 30)
    // leaves the window at the decision before 45.
    assert!(plan[..45].iter().skip(5).all(|&r| r == high), "{:?}", &plan[..46]);
    assert_eq!(plan[45], low, "{:?}", &plan[38..50]);
    // Without a window it scales in as soon as the demand seen has fallen.
    s.predictive.stabilisation_s = 0.0;
    let mut p = Predictive::new(&s, Box::new(Foresight { trace: rates.clone(), seen: 0 }), sizer);
    let plan = plan_of(&mut p, &rates);
    assert_eq!((plan[40], plan[41]), (high, low), "{:?}", &plan[38..44]);
}
