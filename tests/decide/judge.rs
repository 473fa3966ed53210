//! The judge, training and forensics: independence of worlds, docs/model.md's metrics,
//! determinism, chunked training, the Q-table format, and counterfactuals that
//! equal a manual re-run.

use autoscale_playground::agent::{Action, Mode, QAgent, QTable, FORMAT_VERSION};
use autoscale_playground::forecast::Direction;
use autoscale_playground::judge::Judge;
use autoscale_playground::policy::{DecisionMaker, Observation, Oracle, Rule, Sizer, Static};
use autoscale_playground::proactivity;
use autoscale_playground::scenario::{Family, ForecastMethod, Physics, Scenario};
use autoscale_playground::session::Session;
use autoscale_playground::train::{training_seed, Trainer};
use autoscale_playground::WorldKind;
use autoscale_playground::{Trace, World, WorldConfig};
use std::sync::Arc;

/// One day of the default diurnal workload, and few training episodes.
fn day(episodes: u32) -> Scenario {
    let mut s = Scenario { steps: 1440, ..Default::default() };
    s.agent.episodes = episodes;
    s
}

fn trained_agent(s: &Scenario) -> QAgent {
    let mut t = Trainer::new(s, None);
    t.run(s.agent.episodes).unwrap();
    t.trained_agent()
}

#[test]
fn adding_or_removing_a_world_never_changes_another() {
    for physics in [Physics::Fluid, Physics::Exact] {
        let mut s = day(3);
        s.queue.physics = physics;
        if physics == Physics::Exact {
            s.steps = 240;
        }
        let trace = Arc::new(Trace::build(&s, None).unwrap());
        let mut all = Judge::standard(&s, trace.clone(), trained_agent(&s));
        all.run(usize::MAX);
        let two: Vec<Box<dyn DecisionMaker>> =
            vec![Box::new(Oracle::from_scenario(&s, &trace)), Box::new(Rule::from_scenario(&s))];
        let mut some = Judge::new(&s, trace.clone(), two);
        some.run(usize::MAX);
        for kind in [WorldKind::Oracle, WorldKind::Rule] {
            let a = &all.lane(kind).unwrap().reports;
            let b = &some.lane(kind).unwrap().reports;
            assert_eq!(a.len(), s.steps as usize);
            assert_eq!(a, b, "{kind} changed when other worlds were removed ({physics:?})");
        }
        let (ra, rb) = (all.results(), some.results());
        let find = |rs: &[autoscale_playground::judge::WorldResult], k: WorldKind| {
            rs.iter().find(|r| r.kind == k).unwrap().clone()
        };
        assert_eq!(find(&ra, WorldKind::Rule).p95_s, find(&rb, WorldKind::Rule).p95_s);
        assert_eq!(find(&ra, WorldKind::Rule).cost, find(&rb, WorldKind::Rule).cost);
    }
}

#[test]
fn results_follow_the_model_definitions() {
    let s = day(2);
    let trace = Arc::new(Trace::build(&s, None).unwrap());
    let mut judge = Judge::standard(&s, trace.clone(), trained_agent(&s));
    judge.run(usize::MAX);
    let results = judge.results();
    let kinds: Vec<WorldKind> = results.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, WorldKind::STANDARD);
    assert!(results.iter().all(|r| r.name == r.kind.label() && r.short == r.kind.short()));
    let stat = &results[0];
    let oracle = &results[3];
    for (r, lane) in results.iter().zip(&judge.lanes) {
        let cost: f64 = lane.reports.iter().map(|x| x.cost).sum();
        assert!((r.cost - cost).abs() < 1e-9);
        // Price 1.00 per replica-hour: cost equals replica-hours.
        assert!((r.cost - r.replica_hours).abs() < 1e-9);
        let saving = 100.0 * (1.0 - r.cost / stat.cost);
        assert!((r.saving_pct.unwrap() - saving).abs() < 1e-9, "{}", r.name);
        let viol: f64 = lane.reports.iter().map(|x| x.violation).sum();
        assert!((r.sla_violation_steps - viol).abs() < 1e-9);
        assert!((r.sla_violation_pct - 100.0 * viol / 1440.0).abs() < 1e-9);
        let (p95, p99) = (r.p95_s.unwrap(), r.p99_s.unwrap());
        assert!(p95 > 2.0 && p95 < p99 && p99.is_finite(), "{}: p95 {p95} p99 {p99}", r.name);
        match r.kind {
            WorldKind::Static | WorldKind::Oracle => assert!(r.above_oracle_pct.is_none()),
            _ => assert!(
                (r.above_oracle_pct.unwrap() - 100.0 * (r.cost / oracle.cost - 1.0)).abs() < 1e-9
            ),
        }
        // The scale-ups counted step by step are those of the whole run's schedule.
        let provisioned: Vec<u32> = lane.reports.iter().map(|x| x.provisioned).collect();
        let sizer = Sizer::new(&WorldConfig::from_scenario(&s), s.dt_s);
        let (boot, window) = (
            proactivity::boot_steps(s.scaling.boot_delay_s, s.dt_s),
            proactivity::window_steps(s.dt_s),
        );
        let whole = proactivity::count(
            &provisioned,
            s.scaling.initial_replicas,
            &trace.rates,
            &sizer,
            boot,
            window,
        );
        assert_eq!(r.scale_ups, whole, "{}", r.name);
        let ups = provisioned.windows(2).filter(|w| w[1] > w[0]).count()
            + usize::from(provisioned[0] > s.scaling.initial_replicas);
        assert_eq!(whole.total(), ups, "{}: every scale-up is classified", r.name);
    }
    assert_eq!(stat.saving_pct, Some(0.0));
    assert_eq!(stat.capacity_changes, 0);
    // The oracle is the cost floor and the static fleet the ceiling, on this trace.
    assert!(oracle.cost < results[1].cost && oracle.cost < stat.cost);
}

#[test]
fn the_runs_p95_matches_the_exact_requests() {
    // Under the exact physics the histogram's p95 is that of the requests themselves.
    let mut s = day(0);
    s.steps = 120;
    s.queue.physics = Physics::Exact;
    s.workload.family = Family::Constant;
    s.workload.base_rps = 30.0;
    let trace = Trace::build(&s, None).unwrap();
    let mut w = World::new(WorldConfig::from_scenario(&s), 12);
    w.track_latency();
    for _ in 0..trace.len() {
        w.step(12, &trace);
    }
    // M/M/96 at rho 0.3125: the p95 is the service time's, 2·ln 20 = 5.99 s.
    let p95 = w.latency().unwrap().quantile(0.95).unwrap();
    assert!((p95 - 2.0 * 20f64.ln()).abs() < 0.12, "p95 {p95}");
    let p99 = w.latency().unwrap().quantile(0.99).unwrap();
    assert!((p99 - 2.0 * 100f64.ln()).abs() < 0.25, "p99 {p99}");
}

#[test]
fn training_is_deterministic_and_chunkable() {
    let s = day(6);
    let mut once = Trainer::new(&s, None);
    assert_eq!(once.run(6).unwrap(), 6);
    let mut chunks = Trainer::new(&s, None);
    assert_eq!(chunks.run(2).unwrap(), 2);
    assert_eq!(chunks.run(1).unwrap(), 1);
    assert_eq!(chunks.run(100).unwrap(), 3);
    assert_eq!(chunks.run(1).unwrap(), 0);
    assert_eq!(once.curve, chunks.curve);
    assert_eq!(once.agent.table, chunks.agent.table);
    assert_eq!(once.curve.len(), 6);
    assert!(once.agent.table.visited_states() > 20);
}

#[test]
fn training_seeds_differ_from_the_evaluation_seed_and_each_other() {
    for seed in [0, 1, 42, u64::MAX] {
        let seeds: Vec<u64> = (0..200).map(|e| training_seed(seed, e)).collect();
        assert!(seeds.iter().all(|&x| x != seed));
        let mut sorted = seeds.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 200);
    }
    // And the training traces are not the evaluation trace.
    let s = day(1);
    let eval = Trace::build(&s, None).unwrap();
    let t = Trainer::new(&s, None);
    assert_ne!(t.episode_trace(0).unwrap().rates, eval.rates);
}

/// A replay's training episode is the trace started later (a rotation): the
/// sub-step rates the fluid plays within each step must turn with the step
/// rates the agent observes, each step's parts averaging to its rate.
#[test]
fn a_replay_training_episode_plays_the_demand_its_agent_observes() {
    use autoscale_playground::workload::replay;
    let mut s = autoscale_playground::presets::preset("azure-conv").unwrap();
    s.steps = 1440;
    let data =
        replay::data_for(&s, Some(&crate::common::read_azure("AzureLLMInferenceTrace_conv.csv")))
            .unwrap()
            .unwrap();
    let t = Trainer::new(&s, Some(&data));
    let mut rotated = 0;
    for e in 0..4 {
        let trace = t.episode_trace(e).unwrap();
        let whole = Trace::build_with_seed(&s, training_seed(s.seed, e), Some(&data)).unwrap();
        rotated += usize::from(trace.rates != whole.rates);
        let sub = trace.sub_rates.as_ref().expect("a request-level replay has sub-step rates");
        assert_eq!(sub.rates.len(), trace.len() * sub.per_step);
        for i in 0..trace.len() {
            let parts = trace.sub_rates(i).unwrap();
            let mean = parts.iter().sum::<f64>() / parts.len() as f64;
            assert!(
                (mean - trace.rates[i]).abs() <= 1e-9 * trace.rates[i].max(1.0),
                "episode {e}, step {i}: the parts average {mean} req/s, the step's rate is {}",
                trace.rates[i]
            );
        }
    }
    assert!(rotated >= 3, "only {rotated} of 4 episodes were rotated");
}

#[test]
fn learning_raises_the_episode_reward() {
    let s = day(40);
    let mut t = Trainer::new(&s, None);
    t.run(40).unwrap();
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let (first, last) = (mean(&t.curve[..5]), mean(&t.curve[35..]));
    assert!(last > first + 100.0, "first {first} last {last}");
}

#[test]
fn q_table_round_trips_and_refuses_other_versions_and_shapes() {
    let s = day(2);
    let agent = trained_agent(&s);
    let json = agent.table.to_json();
    let back = QTable::from_json(&json).unwrap();
    assert_eq!(back, agent.table);
    assert!(json.contains(&format!("\"version\":{FORMAT_VERSION}")));
    let other = json.replace(&format!("\"version\":{FORMAT_VERSION}"), "\"version\":99");
    assert!(QTable::from_json(&other).unwrap_err().0.contains("version 99"));
    assert!(QTable::from_json("{").unwrap_err().0.contains("not a Q-table"));
    // A table for 10 replicas does not load into a 20-replica scenario.
    let mut small = s.clone();
    small.scaling.max_replicas = 10;
    small.scaling.initial_replicas = 4;
    let table = QAgent::new(&small).table;
    let mut session = Session::new(s.clone(), None).unwrap();
    let err = session.load_table(table).unwrap_err();
    let err = err.to_string();
    assert!(err.contains("10 replicas") && err.contains("20 replicas"), "{err}");
    // A loaded table is the one the elastic world uses.
    session.load_table(back.clone()).unwrap();
    assert_eq!(session.agent().unwrap().table, back);
    assert_eq!(session.agent().unwrap().mode, Mode::Greedy);
}

#[test]
fn a_q_table_with_a_non_finite_value_is_refused_with_a_message() {
    let s = day(0);
    let mut table = QAgent::new(&s).table;
    table.q[3] = [1.25, -2.5, 0.125];
    let json = table.to_json();
    assert_eq!(QTable::from_json(&json).unwrap(), table, "the finite table loads");
    let value = "[1.25,-2.5,0.125]";
    assert_eq!(json.matches(value).count(), 1);
    // JSON has no NaN or infinity: each way of writing one is refused, never read
    // as a number, a zero or a default.
    for bad in [
        "[1.25,-2.5,1e999]",
        "[1.25,-1e400,0.125]",
        "[NaN,-2.5,0.125]",
        "[1.25,Infinity,0.125]",
        "[1.25,-2.5,null]",
        "[1.25,-2.5,\"inf\"]",
    ] {
        let err = QTable::from_json(&json.replace(value, bad)).unwrap_err().0;
        assert!(
            err.starts_with("not a Q-table export: ") || err.contains("not a finite number"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn every_trend_and_forecast_value_occurs_on_the_default_diurnal_trace() {
    let s = Scenario::default();
    let trace = Trace::build(&s, None).unwrap();
    let mut agent = QAgent::new(&s);
    let mut seen_trend = [false; 3];
    let mut seen_forecast = [false; 3];
    for t in 1..trace.len() {
        let obs = Observation {
            step: t,
            history: &trace.rates[..t],
            ready: 10,
            booting: 0,
            last: None,
            dt_s: s.dt_s,
        };
        let v = agent.read(&obs).unwrap();
        seen_trend[v.state.trend as usize] = true;
        seen_forecast[v.state.forecast as usize] = true;
    }
    assert_eq!(seen_trend, [true; 3], "trend values seen");
    assert_eq!(seen_forecast, [true; 3], "forecast values seen");
    let _ = Direction::ALL;
}

#[test]
fn state_reads_demand_up_to_the_last_played_step_only() {
    // Changing the demand after step t changes no view taken at steps <= t.
    let s = day(0);
    let trace = Trace::build(&s, None).unwrap();
    let mut changed = trace.rates.clone();
    for x in &mut changed[700..] {
        *x *= 3.0;
    }
    let views = |rates: &[f64]| {
        let mut agent = QAgent::new(&s);
        (1..=700)
            .map(|t| {
                agent
                    .read(&Observation {
                        step: t,
                        history: &rates[..t],
                        ready: 10,
                        booting: 0,
                        last: None,
                        dt_s: 60.0,
                    })
                    .unwrap()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(views(&trace.rates), views(&changed));
}

/// Plays the elastic agent by hand: greedy to `step`, then `action`, then greedy.
fn manual(
    s: &Scenario,
    agent: &QAgent,
    trace: &Trace,
    step: usize,
    horizon: usize,
    action: Action,
) -> (f64, usize, Option<f64>, u32) {
    let mut agent = agent.clone();
    let mut world = World::new(WorldConfig::from_scenario(s), s.scaling.initial_replicas);
    let mut last = None;
    let (mut cost, mut viol, mut worst, mut first_target) = (0.0, 0, None::<f64>, 0);
    for t in 0..step + horizon {
        let obs = Observation::of(&world, &trace.rates[..t], last.as_ref(), trace.dt);
        let provisioned = obs.provisioned();
        let mut target = agent.decide(&obs);
        if t == step {
            target = action.apply(
                provisioned,
                s.scaling.step_size,
                s.scaling.min_replicas,
                s.scaling.max_replicas,
            );
            assert_eq!(agent.override_action(action), Some(target), "the seed design's step");
            first_target = target;
        }
        let r = world.step(target, trace);
        if t >= step {
            cost += r.cost;
            viol += usize::from(!r.sla_held);
            if let Some(p) = r.p95_response_s {
                worst = Some(worst.map_or(p, |w: f64| w.max(p)));
            }
        }
        last = Some(r);
    }
    (cost, viol, worst, first_target)
}

#[test]
fn counterfactuals_equal_a_manual_re_run() {
    let mut s = day(8);
    s.workload.family = Family::FlashCrowd;
    let mut session = Session::new(s.clone(), None).unwrap();
    session.train_all().unwrap();
    let agent = session.agent().unwrap().clone();
    let trace = session.trace.clone();
    let mut checked = 0;
    for step in [1, 200, 777, 1430] {
        let f = session.explain(step, 10).unwrap();
        assert_eq!(f.outcomes.len(), 3);
        assert_eq!(f.outcomes[0].action, f.action);
        for o in &f.outcomes {
            let (cost, viol, worst, target) = manual(&s, &agent, &trace, step, f.horizon, o.action);
            assert_eq!(o.target, target, "step {step} {:?}", o.action);
            assert_eq!(o.cost, cost, "step {step} {:?}", o.action);
            assert_eq!(o.violations, viol, "step {step} {:?}", o.action);
            assert_eq!(o.worst_p95_s, worst, "step {step} {:?}", o.action);
            checked += 1;
        }
        assert!(f.text().contains(&format!("Step {step}:")));
        assert!(f.verdict.starts_with("Decisive factor"));
    }
    assert_eq!(checked, 12);
    // The horizon is cut at the end of the run.
    assert_eq!(session.explain(1435, 10).unwrap().horizon, 5);
    assert!(session.explain(1440, 10).is_err());
    assert!(session.explain(0, 10).is_err());
}

#[test]
fn an_unvisited_state_is_never_explained_as_a_confident_choice() {
    // No training at all: every state is unvisited.
    let s = day(0);
    let session = Session::new(s, None).unwrap();
    for step in [5, 300, 900] {
        let f = session.explain(step, 10).unwrap();
        assert_eq!(f.state_visits, 0);
        assert_eq!(f.action, Action::Hold);
        assert!(
            f.confidence.contains("never visited") && f.confidence.contains("arbitrary"),
            "{}",
            f.confidence
        );
        assert!(f.verdict.contains("none learnt"), "{}", f.verdict);
        assert!(
            !f.text().contains("confident choice") || f.text().contains("not a confident choice")
        );
    }
}

#[test]
fn sessions_of_the_same_scenario_are_identical() {
    let s = day(3);
    let mut a = Session::new(s.clone(), None).unwrap();
    let mut b = Session::new(s, None).unwrap();
    a.train(2).unwrap();
    a.train(1).unwrap();
    b.train_all().unwrap();
    a.step(500);
    b.step(300);
    b.step(200);
    assert_eq!(a.results(), b.results());
    let stat = Static::from_scenario(&a.scenario, &a.trace);
    assert_eq!(a.judge.lane(WorldKind::Static).unwrap().reports[10].provisioned, stat.replicas());
}

#[test]
fn presets_change_only_the_agent_and_the_workload() {
    use autoscale_playground::presets::{preset, NAMES};
    for name in NAMES {
        let p = preset(name).unwrap();
        p.validate().unwrap();
        let mut back = p.clone();
        back.agent = Scenario::default().agent;
        back.reward.sla_violated = -5.0;
        back.reward.per_change = -0.2;
        back.reward.low_utilisation_below = 0.3;
        // The forecaster is the agent's crystal ball: an anticipating one.
        assert!(
            matches!(p.forecast.method, ForecastMethod::Seasonal | ForecastMethod::Tcn),
            "{name}"
        );
        back.forecast = Scenario::default().forecast;
        back.workload.family = Family::Diurnal;
        // A real-trace preset replays its file, rate-scaled and spread.
        if p.workload.family == Family::Replay {
            assert!(p.workload.replay.source.starts_with("traces/azure-llm-2023/"), "{name}");
            assert!(p.workload.replay.rate_scale > 1.0, "{name}");
            back.workload.replay = Scenario::default().workload.replay;
        }
        assert_eq!(back, Scenario::default(), "{name} changes more than the agent");
        assert_eq!(p.agent.utilisation_bins.len(), 8);
    }
    assert_eq!(preset("flash-crowd").unwrap().workload.family, Family::FlashCrowd);
    assert!(preset("tsunami").unwrap_err().to_string().contains("diurnal, flash-crowd, bursty"));
}

#[test]
fn the_runs_p95_under_the_fluid_is_that_of_its_steps() {
    // Constant load: after the first step every step has the same response-time law,
    // so the run's p95 is each step's p95 (to the histogram's interpolation), and
    // within 2 % of the closed-form M/M/c (as the validation tests require).
    let mut s = day(0);
    s.steps = 200;
    s.workload.family = Family::Constant;
    s.workload.base_rps = 36.0;
    let trace = Trace::build(&s, None).unwrap();
    let mut w = World::new(WorldConfig::from_scenario(&s), 10);
    w.track_latency();
    let mut last = None;
    for _ in 0..trace.len() {
        last = Some(w.step(10, &trace));
    }
    let step_p95 = last.unwrap().p95_response_s.unwrap();
    let run_p95 = w.latency().unwrap().quantile(0.95).unwrap();
    assert!((run_p95 / step_p95 - 1.0).abs() < 0.002, "run {run_p95} vs step {step_p95}");
    let law =
        autoscale_playground::queueing::Response::truncated(80, 36.0, 0.5, s.queue.max_wait_s);
    assert!(
        (run_p95 / law.percentile(0.95) - 1.0).abs() < 0.02,
        "run {run_p95} vs closed form {}",
        law.percentile(0.95)
    );
}

#[test]
fn a_judge_keeping_no_reports_gives_the_same_results_and_forensics() {
    // The page and the soak keep running sums only (memory flat over any run);
    // every figure must be the one the reports give, to the bit.
    let s = day(3);
    let mut kept = Session::new(s.clone(), None).unwrap();
    let mut summed = Session::new(s, None).unwrap();
    summed.keep_reports(false);
    kept.train_all().unwrap();
    summed.train_all().unwrap();
    for n in [0, 1, 700, usize::MAX] {
        kept.step(n);
        summed.step(n);
        assert_eq!(kept.results(), summed.results(), "after {} steps", kept.judge.step_index());
    }
    for ((k, s), r) in kept.judge.lanes.iter().zip(&summed.judge.lanes).zip(summed.results()) {
        assert_eq!(k.reports.len(), kept.judge.step_index());
        assert!(s.reports.is_empty(), "{} kept reports", s.kind());
        assert_eq!(k.reports.last(), s.last.as_ref());
        // The running sums equal the summary of the reports, to the bit.
        let full = autoscale_playground::world::Summary::from_reports(&k.reports, kept.trace.dt);
        let pairs = [
            (r.cost, full.cost),
            (r.replica_hours, full.replica_hours),
            (r.dropped, full.dropped),
            (r.mean_utilisation, full.mean_utilisation),
            (r.sla_violation_pct, full.sla_violation_pct),
        ];
        for (a, b) in pairs {
            assert_eq!(a.to_bits(), b.to_bits(), "{}: {a} against {b}", r.name);
        }
        assert_eq!(
            (r.sla_violation_steps, r.capacity_changes),
            (full.sla_violation_steps, full.capacity_changes)
        );
    }
    let (a, b) = (kept.explain(800, 30).unwrap(), summed.explain(800, 30).unwrap());
    assert_eq!(a.text(), b.text());
}
