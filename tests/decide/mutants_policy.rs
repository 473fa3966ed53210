//! The SLA sizing the decision makers share, against its definition over a
//! step of several sub-step rates, fleets of one fast slot, and steps of few
//! requests; and the Rule's edges.

use autoscale_playground::policy::{fewest_replicas_meeting_sla_over, SIZING_RISK};
use autoscale_playground::queueing::{p95_exceeds_probability, Response};
use autoscale_playground::{Scenario, WorldConfig};

/// Whether `replicas` meet the SLA over a step of `dt` seconds whose equal parts
/// have the demands `rates`, by the definition: every part below capacity, the
/// step's expected drops below the tolerance, and the p95 of the step's requests
/// above the SLA with a probability at most `SIZING_RISK` above the service's own.
fn meets_over(replicas: u32, rates: &[f64], cfg: &WorldConfig, dt: f64) -> bool {
    let c = replicas * cfg.slots;
    let part = dt / rates.len() as f64;
    if rates.iter().any(|&r| r >= c as f64 * cfg.mu) {
        return false;
    }
    let requests: f64 = rates.iter().map(|&r| r.max(0.0) * part).sum();
    let (mut over, mut drops) = (0.0, 0.0);
    for &r in rates.iter().filter(|&&r| r > 0.0) {
        let law = Response::truncated(c, r, cfg.mu, cfg.max_wait_s);
        over += r * part * law.tail(cfg.sla_p95_s);
        drops += r * part * law.drop_fraction();
    }
    let floor = p95_exceeds_probability(requests, (-cfg.mu * cfg.sla_p95_s).exp());
    drops < cfg.sla_drop_tolerance.max(f64::MIN_POSITIVE)
        && p95_exceeds_probability(requests, over / requests) <= floor + SIZING_RISK
}

/// The fewest replicas by the definition: the first count from the minimum
/// that meets it, else the maximum.
fn fewest_by_definition(rates: &[f64], cfg: &WorldConfig, dt: f64) -> u32 {
    if rates.iter().all(|&r| r <= 0.0) {
        return cfg.min_replicas;
    }
    (cfg.min_replicas..=cfg.max_replicas)
        .find(|&r| meets_over(r, rates, cfg, dt))
        .unwrap_or(cfg.max_replicas)
}

fn config(slots: u32, mu: f64, max: u32) -> WorldConfig {
    let mut cfg = WorldConfig::from_scenario(&Scenario::default());
    cfg.slots = slots;
    cfg.mu = mu;
    cfg.max_replicas = max;
    cfg
}

#[test]
fn a_step_of_several_rates_is_sized_for_its_parts_by_the_definition() {
    let cfg = config(8, 0.5, 40);
    let mut checked = 0;
    for rates in [
        vec![10.0, 30.0],
        vec![30.0, 10.0, 2.0],
        vec![0.0, 25.0],
        vec![5.0; 6],
        vec![39.0, 0.5, 0.5, 0.5],
        vec![0.2, 0.1],
        vec![60.0, 61.0, 79.0],
    ] {
        for dt in [10.0, 60.0, 600.0] {
            let got = fewest_replicas_meeting_sla_over(&rates, &cfg, dt);
            assert_eq!(got, fewest_by_definition(&rates, &cfg, dt), "{rates:?} over {dt} s");
            checked += 1;
        }
    }
    assert_eq!(checked, 21);
    // The parts share the step: two parts of 30 req/s over 60 s are the 1,800
    // requests of one part of 30 over 60 s, sized alike.
    assert_eq!(
        fewest_replicas_meeting_sla_over(&[30.0, 30.0], &cfg, 60.0),
        fewest_replicas_meeting_sla_over(&[30.0], &cfg, 60.0)
    );
}

#[test]
fn fleets_of_fast_slots_are_sized_by_the_definition() {
    // Mean service 0.25 s and one slot: 4 req/s a replica. Mean service 0.1 s
    // and four slots: 40 req/s a replica. The search starts at the least stable
    // count (the demand over a replica's capacity, rounded up) and must not
    // start past the fewest that meets the SLA.
    let one = config(1, 4.0, 60);
    let four = config(4, 10.0, 40);
    for (cfg, demands) in [
        (&one, [0.5, 3.0, 10.0, 37.0, 150.0, 239.0]),
        (&four, [5.0, 39.0, 100.0, 250.0, 1_000.0, 1_590.0]),
    ] {
        let capacity = cfg.slots as f64 * cfg.mu;
        for demand in demands {
            let got = fewest_replicas_meeting_sla_over(&[demand], cfg, 60.0);
            let what = format!("{demand} req/s on {capacity} req/s replicas");
            assert_eq!(got, fewest_by_definition(&[demand], cfg, 60.0), "{what}");
            assert!(got as f64 * capacity > demand, "{what}: {got} replicas are unstable");
        }
    }
    // 10 req/s on 4 req/s replicas: 3 are stable and fast enough; 100 req/s on
    // 40 req/s replicas: 3 carry it at 83 % within the SLA.
    assert_eq!(fewest_replicas_meeting_sla_over(&[10.0], &one, 60.0), 3);
    assert_eq!(fewest_replicas_meeting_sla_over(&[100.0], &four, 60.0), 3);
}

#[test]
fn a_step_of_few_requests_is_sized_by_the_definition() {
    // A fraction of a request to a few dozen a step: the service's own floor
    // decides the p95's chance of exceeding the SLA.
    let cfg = config(8, 0.5, 20);
    for demand in [0.004, 0.05, 0.3, 1.0, 2.6, 4.0] {
        for dt in [1.0, 10.0, 60.0] {
            assert_eq!(
                fewest_replicas_meeting_sla_over(&[demand], &cfg, dt),
                fewest_by_definition(&[demand], &cfg, dt),
                "{demand} req/s over {dt} s"
            );
        }
    }
}

#[test]
fn drops_exactly_at_the_tolerance_do_not_meet_the_sla() {
    // 39.5 req/s: 11 replicas meet the SLA with the default tolerance.
    let mut cfg = config(8, 0.5, 20);
    assert_eq!(fewest_replicas_meeting_sla_over(&[39.5], &cfg, 60.0), 11);
    // Their expected drops over the step, as the sizing sums them.
    let law = Response::truncated(11 * 8, 39.5, 0.5, cfg.max_wait_s);
    let drops = 39.5 * 60.0 * law.drop_fraction();
    assert!(drops > 0.0 && drops < cfg.sla_drop_tolerance, "{drops}");
    // A tolerance of exactly that much is not met: the world's test is strict too.
    cfg.sla_drop_tolerance = drops;
    let got = fewest_replicas_meeting_sla_over(&[39.5], &cfg, 60.0);
    assert!(got > 11, "{got}");
    assert_eq!(got, fewest_by_definition(&[39.5], &cfg, 60.0));
}

#[test]
fn a_world_is_named_the_same_everywhere_it_is_shown() {
    use autoscale_playground::WorldKind;
    let names: Vec<(String, &str, &str, &str)> =
        WorldKind::ALL.iter().map(|k| (k.to_string(), k.label(), k.short(), k.key())).collect();
    let expected = [
        ("Static", "Static", "Static", "static"),
        ("Rule", "Rule", "Rule", "rule"),
        ("Elastic (RL)", "Elastic (RL)", "Elastic", "elastic"),
        ("Oracle", "Oracle", "Oracle", "oracle"),
        ("Predictive", "Predictive", "Predictive", "predictive"),
        ("Elastic, no forecast", "Elastic, no forecast", "No forecast", "no_forecast"),
    ];
    assert_eq!(names.len(), expected.len());
    for (got, want) in names.iter().zip(expected) {
        assert_eq!((got.0.as_str(), got.1, got.2, got.3), want);
    }
}

#[test]
fn the_oracle_without_a_boot_lead_provisions_each_steps_own_need() {
    use autoscale_playground::policy::Oracle;
    use autoscale_playground::Trace;
    let cfg = config(8, 0.5, 20);
    let rates = [1.0, 1.0, 30.0, 1.0];
    let trace =
        |dt: f64| Trace { dt, rates: rates.to_vec(), requests: None, seed: 0, sub_rates: None };
    // Steps of no length make the boot lead no number of steps: no lead at all.
    let need = Oracle::needs(&trace(0.0), &cfg);
    assert_eq!(Oracle::new(&rates, &cfg, 0.0).plan(), need.as_slice());
    // With no boot delay, the same at one-minute steps.
    let mut instant = cfg.clone();
    instant.boot_delay_s = 0.0;
    let need = Oracle::needs(&trace(60.0), &instant);
    assert!(need[2] > need[1], "{need:?}");
    assert_eq!(Oracle::new(&rates, &instant, 60.0).plan(), need.as_slice());
    // A boot delay of one step: each step provisions for itself and the next.
    instant.boot_delay_s = 60.0;
    assert_eq!(Oracle::needs(&trace(60.0), &instant), need, "the need is the boot delay's own");
    let plan = Oracle::new(&rates, &instant, 60.0).plan().to_vec();
    assert_eq!(plan, [need[0], need[2], need[2], need[3]]);
}

/// A report of a step played with `demand` (req/s), the rest as a step of the
/// default world.
fn report_with_demand(demand: f64) -> autoscale_playground::StepReport {
    use autoscale_playground::{Trace, World};
    let s = Scenario { steps: 1, ..Scenario::default() };
    let trace = Trace::build(&s, None).expect("a trace");
    let mut world = World::new(WorldConfig::from_scenario(&s), 3);
    autoscale_playground::StepReport { demand, ..world.step(3, &trace) }
}

#[test]
fn the_rule_with_no_ready_replica_asks_for_one_more_only_when_demand_waits() {
    use autoscale_playground::policy::{DecisionMaker, Observation, Rule};
    let decide = |demand: f64| {
        let mut rule = Rule::new(0.7, 0.1, 300.0, 15.0, 1, 20);
        let last = report_with_demand(demand);
        let obs = Observation {
            step: 1,
            history: &[demand],
            ready: 0,
            booting: 2,
            last: Some(&last),
            dt_s: 60.0,
        };
        rule.decide(&obs)
    };
    // Two booting, none ready: nothing to measure, so it holds without demand...
    assert_eq!(decide(0.0), 2);
    // ...and asks for one more with demand waiting.
    assert_eq!(decide(5.0), 3);
}

#[test]
fn predictive_says_what_it_sized_for_once_it_has_a_forecast() {
    use autoscale_playground::forecast;
    use autoscale_playground::policy::{DecisionMaker, Observation, Predictive, Sizer};
    let s = Scenario::default();
    let sizer = Sizer::new(&WorldConfig::from_scenario(&s), s.dt_s);
    let mut p = Predictive::new(&s, forecast::from_scenario(&s), sizer.clone());
    let world = autoscale_playground::World::new(WorldConfig::from_scenario(&s), 25);
    // Before any step: nothing forecast, the current fleet within bounds.
    let obs = Observation::of(&world, &[], None, s.dt_s);
    assert_eq!(p.decide(&obs), 20);
    assert_eq!(p.last_ahead, None);
    // After steps of 10 req/s: the forecast's highest step, at least the demand now.
    let history = [10.0; 6];
    let obs = Observation::of(&world, &history, None, s.dt_s);
    p.decide(&obs);
    let ahead = p.last_ahead.expect("a forecast");
    assert!(ahead >= 10.0 && ahead.is_finite(), "{ahead}");
}

#[test]
fn the_sizer_carries_nothing_below_its_minimum_and_the_maximums_demand_above_it() {
    use autoscale_playground::policy::Sizer;
    let mut cfg = config(8, 0.5, 6);
    cfg.min_replicas = 2;
    let sizer = Sizer::new(&cfg, 60.0);
    assert_eq!(sizer.carries(1), 0.0);
    assert_eq!(sizer.carries(0), 0.0);
    // The sizing answers the maximum for any demand it cannot meet, so the
    // largest fleet is taken to carry up to its capacity (24 req/s).
    let top = sizer.carries(6);
    assert!(top > sizer.carries(5), "{top}");
    assert_eq!(top, 6.0 * 8.0 * 0.5);
    // Beyond the maximum: what the maximum carries, the fleet being capped there.
    assert_eq!(sizer.carries(7), top);
    assert_eq!(sizer.carries(100), top);
    assert_eq!(sizer.need(top * 2.0), 6);
    assert_eq!(sizer.need(f64::NAN), 6);
    assert_eq!(sizer.need(0.0), 2);
}

#[test]
fn a_decision_maker_shows_its_kind_when_debugged() {
    use autoscale_playground::policy::{DecisionMaker, Rule};
    let s = Scenario::default();
    let rule: Box<dyn DecisionMaker> = Box::new(Rule::from_scenario(&s));
    assert_eq!(format!("{rule:?}"), "Rule");
    let cfg = WorldConfig::from_scenario(&s);
    let fleet: Box<dyn DecisionMaker> =
        Box::new(autoscale_playground::policy::Static::new(40.0, 0.2, &cfg, s.dt_s));
    assert_eq!(format!("{fleet:?}"), "Static");
    // Inside a derived Debug, as a judge's lanes print it.
    assert_eq!(format!("{:?}", vec![rule, fleet]), "[Rule, Static]");
}
