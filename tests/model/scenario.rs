//! The scenario: its defaults are docs/model.md's numbers, validation reports every
//! problem at once, and the JSON and `key=value` codecs are exact and strict.

use autoscale_playground::scenario::{
    closest, Family, ForecastMethod, Physics, ReplayFormat, Scenario, ServiceModel,
};
use autoscale_playground::Trace;

fn err_of(r: Result<Scenario, autoscale_playground::Error>) -> String {
    match r {
        Ok(s) => panic!("expected an error, got a scenario with seed {}", s.seed),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_default_scenario_is_valid() {
    assert_eq!(Scenario::default().validate(), Ok(()));
}

#[test]
fn the_defaults_are_model_md_numbers() {
    let s = Scenario::default();
    assert_eq!(s.dt_s, 60.0);
    assert_eq!(s.steps, 4320, "three days of minutes");
    assert_eq!(s.workload.family, Family::Diurnal);

    assert_eq!(s.replica.slots, 8);
    assert_eq!(s.replica.service_mean_s, 2.0);
    assert_eq!(s.mu(), 0.5);
    assert_eq!(s.replica.price_per_hour, 1.0);

    assert_eq!(s.scaling.step_size, 1);
    assert_eq!(s.scaling.boot_delay_s, 120.0);
    assert_eq!(s.scaling.min_replicas, 1);
    assert_eq!(s.scaling.max_replicas, 20);

    assert_eq!(s.queue.max_wait_s, 30.0);
    assert_eq!(s.queue.physics, Physics::Fluid);

    // A documented departure from docs/model.md's 4.0 s: with exponential service of mean
    // 2 s, even an idle replica answers 5 % of requests after 2·ln(20) = 5.99 s, so
    // an SLA of 4 s could never be met; 8 s leaves room for a little queueing.
    assert_eq!(s.sla.p95_s, 8.0);
    assert!(s.sla.p95_s > 2.0 * 20f64.ln());

    assert_eq!(s.reward.sla_held, 1.0);
    assert_eq!(s.reward.sla_violated, -5.0);
    assert_eq!(s.reward.per_replica, -0.1);
    assert_eq!(s.reward.per_change, -0.2);
    assert_eq!(s.reward.low_utilisation, -0.5);
    assert_eq!(s.reward.low_utilisation_below, 0.3);

    assert_eq!(s.agent.alpha, 0.1);
    assert_eq!(s.agent.gamma, 0.95);
    assert_eq!(s.agent.utilisation_bins, vec![0.3, 0.5, 0.8, 1.0]);
    assert_eq!(s.agent.trend_threshold, 0.02);
    assert_eq!(s.agent.forecast_threshold, 0.05);
    assert_eq!(s.forecast.horizon_steps, 0, "0 means the boot delay in steps");

    assert_eq!(s.rule.target_utilisation, 0.7);
    assert_eq!(s.rule.tolerance, 0.1);
    assert_eq!(s.rule.stabilisation_s, 300.0);
    assert_eq!(s.rule.scale_up_period_s, 15.0);

    assert_eq!(s.static_fleet.buffer, 0.2);
}

#[test]
fn default_diurnal_99th_percentile_of_demand_needs_12_to_16_replicas_at_70pct_utilisation() {
    let s = Scenario::default();
    let trace = Trace::build(&s, None).unwrap();
    let mut rates = trace.rates.clone();
    rates.sort_by(f64::total_cmp);
    let p99 = rates[(rates.len() as f64 * 0.99) as usize];
    // One replica serves slots / service_mean = 4 req/s; at 70 % it carries 2.8 req/s.
    let per_replica = s.replica.slots as f64 * s.mu() * s.rule.target_utilisation;
    assert_eq!(per_replica, 2.8);
    let replicas = p99 / per_replica;
    assert!((12.0..=16.0).contains(&replicas), "p99 demand {p99} req/s needs {replicas} replicas");
    // Not the peak: the spikes (1.5x) reach well above it.
    let peak = trace.peak() / per_replica;
    assert!(peak > 18.0, "the peak step needs {peak} replicas");
}

#[test]
fn validate_reports_every_bad_field_at_once_with_value_and_range() {
    let mut s = Scenario { dt_s: 0.0, steps: 0, ..Scenario::default() };
    s.replica.slots = 0;
    s.agent.alpha = 2.0;
    s.workload.amplitude = f64::NAN;
    let e = s.validate().unwrap_err();
    let lines: Vec<String> = e.0.iter().map(|f| f.to_string()).collect();
    assert_eq!(
        lines,
        vec![
            "dt_s = 0: must be a number from 1 to 3600",
            "steps = 0: must be a whole number from 1 to 1000000",
            "workload.amplitude = NaN: must be a number from 0 to 1",
            "replica.slots = 0: must be a whole number from 1 to 1024",
            "agent.alpha = 2: must be a number from 0 to 1",
        ]
    );
    assert_eq!(e.0[0].field, "dt_s");
    assert_eq!(e.0[0].value, "0");
    assert_eq!(e.0[0].allowed, "must be a number from 1 to 3600");
    assert_eq!(e.to_string(), format!("invalid scenario:\n  {}", lines.join("\n  ")));
}

#[test]
fn validate_checks_fields_against_each_other() {
    let mut s = Scenario::default();
    s.scaling.min_replicas = 5;
    s.scaling.max_replicas = 3;
    s.scaling.initial_replicas = 4;
    s.workload.surge_min = 3.0;
    s.workload.surge_max = 2.0;
    s.workload.mmpp_dwell_s = vec![60.0];
    s.agent.utilisation_bins = vec![0.5, 0.5];
    let text = s.validate().unwrap_err().to_string();
    for want in [
        "scaling.min_replicas = 5: must be at most scaling.max_replicas (3)",
        "scaling.initial_replicas = 4: must be at least scaling.min_replicas (5)",
        "scaling.initial_replicas = 4: must be at most scaling.max_replicas (3)",
        "workload.surge_max = 2: must be at least workload.surge_min (3)",
        "workload.mmpp_dwell_s = [60.0]: must list one mean dwell time per rate (2)",
        "agent.utilisation_bins = [0.5, 0.5]: edges must increase",
    ] {
        assert!(text.contains(want), "missing '{want}' in:\n{text}");
    }
}

#[test]
fn bounds_that_meet_are_valid() {
    // A fixed surge height or length, a fleet held at one size, a working day
    // that ends the hour it starts: each lower bound equal to its upper one.
    let mut s = Scenario::default();
    s.workload.surge_min = 3.0;
    s.workload.surge_max = 3.0;
    s.workload.surge_min_s = 600.0;
    s.workload.surge_max_s = 600.0;
    s.workload.scheduled.surge_at_h = 8.0;
    s.workload.scheduled.evening_at_h = 8.0;
    s.scaling.min_replicas = 4;
    s.scaling.max_replicas = 4;
    s.scaling.initial_replicas = 4;
    assert!(s.validate().is_ok(), "{:?}", s.validate().err().map(|e| e.to_string()));
    // A hair below is refused, naming the other knob.
    s.workload.surge_max_s = 599.5;
    s.workload.scheduled.evening_at_h = 7.99;
    let text = s.validate().unwrap_err().to_string();
    for want in [
        "workload.surge_max_s = 599.5: must be at least workload.surge_min_s (600)",
        "workload.scheduled.evening_at_h = 7.99: must be at least workload.scheduled.surge_at_h (8)",
    ] {
        assert!(text.contains(want), "missing '{want}' in:\n{text}");
    }
}

#[test]
fn validate_requires_a_source_for_a_replay() {
    let mut s = Scenario::default();
    s.workload.family = Family::Replay;
    let e = s.validate().unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].to_string(), "workload.replay.source = \"\": a replay needs a CSV source");
}

#[test]
fn json_round_trip_is_identity() {
    let d = Scenario::default();
    assert_eq!(Scenario::from_json(&d.to_json()).unwrap(), d);

    let mut s =
        Scenario { seed: u64::MAX, dt_s: 0.1 + 0.2 + 1.0, steps: 17, ..Scenario::default() };
    s.workload.family = Family::FlashCrowd;
    s.workload.base_rps = 1.0 / 3.0;
    s.workload.mmpp_rates = vec![1e-7, 12.345678901234567, 99_999.99];
    s.workload.mmpp_dwell_s = vec![1.0, 2.5, 1e7];
    s.workload.replay.source = "traces/a \"quoted\" name.csv".into();
    s.workload.replay.format = ReplayFormat::Counts;
    s.workload.replay.repeat = false;
    s.workload.replay.service = ServiceModel::Tokens;
    s.queue.physics = Physics::Exact;
    s.forecast.method = ForecastMethod::Seasonal;
    s.agent.utilisation_bins = vec![0.1, 0.7];
    s.agent.learn_live = true;
    s.reward.per_replica = -0.123456789;
    s.static_fleet.buffer = 0.0;
    assert_eq!(s.validate(), Ok(()));
    let json = s.to_json();
    let back = Scenario::from_json(&json).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.to_json(), json);
}

#[test]
fn the_json_is_serdes_pretty_print_to_the_byte() {
    // The scenario is written from its JSON tree in the order of the table of
    // knobs (the page carries one serialiser of it, not two): the same text as
    // serde's pretty printer of the structs, so fingerprints, files and links
    // read as before. Every preset, the defaults, an empty list, odd numbers and
    // text, and every knob at a value of its own.
    let mut all: Vec<Scenario> = autoscale_playground::presets::NAMES
        .iter()
        .map(|n| autoscale_playground::presets::preset(n).unwrap())
        .collect();
    all.push(Scenario::default());
    let mut odd = Scenario { seed: u64::MAX, dt_s: 0.1 + 0.2 + 1.0, ..Scenario::default() };
    odd.workload.mmpp_rates = vec![1e-7, 12.345678901234567, 99_999.99];
    odd.workload.mmpp_dwell_s = Vec::new();
    odd.workload.replay.source = "a \"quoted\" name, \\ and \u{1b} and é.csv".into();
    odd.reward.per_replica = -0.123456789;
    all.push(odd);
    let mut distinct = serde_json::to_value(Scenario::default()).unwrap();
    let mut fields = Vec::new();
    leaves(&distinct, "", &mut fields);
    for (i, (path, value)) in fields.iter().enumerate() {
        if value.is_f64() {
            *distinct.pointer_mut(&format!("/{}", path.replace('.', "/"))).unwrap() =
                serde_json::json!(i as f64 + 0.25);
        }
    }
    all.push(serde_json::from_value(distinct).unwrap());
    for s in all {
        assert_eq!(s.to_json(), serde_json::to_string_pretty(&s).unwrap());
    }
}

#[test]
fn json_names_the_static_fleet_static() {
    let json = Scenario::default().to_json();
    assert!(json.contains("\"static\": {"), "{json}");
    assert!(json.contains("\"family\": \"diurnal\""), "{json}");
}

#[test]
fn json_missing_fields_take_defaults() {
    assert_eq!(Scenario::from_json("{}").unwrap(), Scenario::default());
    let s = Scenario::from_json("{\"seed\":7}").unwrap();
    assert_eq!(s, Scenario { seed: 7, ..Scenario::default() });
    let s =
        Scenario::from_json(r#"{"workload":{"family":"bursty"},"static":{"buffer":0.5}}"#).unwrap();
    let mut want = Scenario::default();
    want.workload.family = Family::Bursty;
    want.static_fleet.buffer = 0.5;
    assert_eq!(s, want);
}

#[test]
fn json_unknown_field_is_an_error_naming_it_and_the_closest_fields() {
    let e = err_of(Scenario::from_json(r#"{"seed":1,"bogus":2}"#));
    assert!(e.contains("bogus = 2: no such field; did you mean "), "{e}");
    let e = err_of(Scenario::from_json(r#"{"workload":{"famliy":"bursty"}}"#));
    assert_eq!(e, "invalid scenario:\n  workload.famliy = \"bursty\": no such field; did you mean workload.family?");
}

#[test]
fn json_wrong_types_are_all_reported_with_field_value_and_range() {
    // Before, the first wrong type stopped the reading with serde's
    // "invalid type: string \"many\", expected u32" and nothing else.
    let e = err_of(Scenario::from_json(
        r#"{"steps":"many","dt_s":0,"workload":{"family":"tidal","base_rps":true},"agent":{"utilisation_bins":0.5,"learn_live":1},"scaling":{"max_replicas":-1,"min_replicas":2.5}}"#,
    ));
    assert_eq!(
        e,
        "invalid scenario:
  dt_s = 0: must be a number from 1 to 3600
  steps = \"many\": must be a whole number from 1 to 1000000, not text
  workload.family = \"tidal\": must be one of diurnal, flash-crowd, bursty, constant, step, scheduled, replay
  workload.base_rps = true: must be a number from 0 to 100000
  scaling.max_replicas = -1: must be a whole number from 1 to 1000
  scaling.min_replicas = 2.5: must be a whole number from 1 to 1000, at most scaling.max_replicas
  agent.utilisation_bins = 0.5: must be a list of at most 16 numbers, each from 0 to 100
  agent.learn_live = 1: must be true or false"
    );
    let e = err_of(Scenario::from_json(r#"{"workload":3}"#));
    assert_eq!(e, "invalid scenario:\n  workload = 3: must be an object of fields");
    assert_eq!(err_of(Scenario::from_json("[1]")), "a scenario is a JSON object of fields");
    assert!(err_of(Scenario::from_json("not json"))
        .starts_with("scenario JSON: expected ident at line 1 column 2"));
}

#[test]
fn json_number_too_large_for_a_float_is_reported_with_its_field() {
    // serde_json refuses 1e400 for the whole document ("number out of range").
    let e = Scenario::from_json(
        "{\n  \"dt_s\": 60,\n  \"workload\": {\"base_rps\": 1e400, \"amplitude\": -2e999}\n}",
    )
    .unwrap_err();
    assert_eq!(e.fields(), ["workload.base_rps", "workload.amplitude"]);
    assert_eq!(
        e.to_string(),
        "invalid scenario:\n  workload.base_rps = 1e400: must be a number from 0 to 100000\n  workload.amplitude = -2e999: must be a number from 0 to 1"
    );
}

#[test]
fn json_out_of_range_values_are_rejected_with_the_range() {
    let e = Scenario::from_json(r#"{"dt_s":0,"scaling":{"max_replicas":5000}}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("dt_s = 0: must be a number from 1 to 3600"), "{e}");
    assert!(
        e.contains("scaling.max_replicas = 5000: must be a whole number from 1 to 1000"),
        "{e}"
    );
}

#[test]
fn overrides_take_dotted_keys_json_values_and_bare_strings() {
    let base = Scenario::default();
    let s = base
        .with_overrides(&[
            "seed=7",
            "workload.family=bursty",
            "workload.replay.repeat=false",
            "replica.service_mean_s=1.5",
            "agent.utilisation_bins=[0.2,0.6]",
            "forecast.method=\"naive\"",
            "static.buffer=0.5",
        ])
        .unwrap();
    let mut want = base.clone();
    want.seed = 7;
    want.workload.family = Family::Bursty;
    want.workload.replay.repeat = false;
    want.replica.service_mean_s = 1.5;
    want.agent.utilisation_bins = vec![0.2, 0.6];
    want.forecast.method = ForecastMethod::Naive;
    want.static_fleet.buffer = 0.5;
    assert_eq!(s, want);
    assert_eq!(base, Scenario::default(), "the original is untouched");
}

#[test]
fn overrides_apply_in_order_the_last_wins() {
    let s = Scenario::default().with_overrides(&["seed=1", "seed=2"]).unwrap();
    assert_eq!(s.seed, 2);
    let none: [&str; 0] = [];
    assert_eq!(Scenario::default().with_overrides(&none).unwrap(), Scenario::default());
}

#[test]
fn override_of_a_text_field_keeps_a_bare_value_as_text() {
    // A file named "2023" is a name, not the number 2023.
    let s = Scenario::default()
        .with_overrides(&["workload.family=replay", "workload.replay.source=2023"])
        .unwrap();
    assert_eq!(s.workload.replay.source, "2023");
    let s = Scenario::default().with_overrides(&["workload.replay.source=a=b.csv"]).unwrap();
    assert_eq!(s.workload.replay.source, "a=b.csv", "only the first '=' separates");
}

#[test]
fn override_unknown_key_names_the_closest_keys() {
    let e = err_of(Scenario::default().with_overrides(&["workload.bogus=1"]));
    assert!(
        e.starts_with(
            "invalid scenario:\n  workload.bogus = 1: no such field; did you mean workload."
        ),
        "{e}"
    );
    // The group is wrong, the leaf right: the leaf decides.
    let e = err_of(Scenario::default().with_overrides(&["fleet.min_replicas=3"]));
    assert_eq!(e, "invalid scenario:\n  fleet.min_replicas = 3: no such field; did you mean scaling.min_replicas?");
    let e = err_of(Scenario::default().with_overrides(&["workload.replay.servce=tokens"]));
    assert_eq!(e, "invalid scenario:\n  workload.replay.servce = tokens: no such field; did you mean workload.replay.service?");
    let e = err_of(Scenario::default().with_overrides(&["seed.low=1"]));
    assert_eq!(e, "invalid scenario:\n  seed.low = 1: no such field; did you mean seed?");
}

/// Past the problems a message shows, no closest names are sought, in a file
/// or in overrides: a million wrong keys cost a count, not a million searches.
#[test]
fn unknown_keys_past_the_twenty_shown_are_not_searched_for_the_closest() {
    let overrides: Vec<String> = (0..25).map(|i| format!("workload.nois{i}=1")).collect();
    let keys: Vec<String> = (0..25).map(|i| format!("\"nois{i}\": 1")).collect();
    let json = format!("{{{}}}", keys.join(", "));
    for e in [
        Scenario::default().with_overrides(&overrides).unwrap_err(),
        Scenario::from_json(&json).unwrap_err(),
    ] {
        let autoscale_playground::Error::Fields { errors, .. } = &e else { panic!("{e}") };
        assert_eq!(errors.0.len(), 25, "{e}");
        for (i, problem) in errors.0.iter().enumerate() {
            let suggested = problem.allowed.starts_with("no such field; did you mean");
            assert_eq!(suggested, i < 20, "problem {i}: {}", problem.allowed);
        }
        assert!(e.to_string().ends_with("\n  … and 5 more"), "{e}");
    }
}

#[test]
fn closest_keys_rank_by_edit_distance() {
    assert_eq!(closest("dt"), vec!["dt_s"]);
    assert_eq!(closest("agent.gama"), vec!["agent.gamma"]);
    assert_eq!(closest("surge_mx"), vec!["workload.surge_max"]);
    assert_eq!(closest("scaling.max_replica"), vec!["scaling.max_replicas"]);
    // Equally close: all of them, in the table's order.
    assert_eq!(closest("surge_m"), vec!["workload.surge_min", "workload.surge_max"]);
    // A first letter deleted costs one edit like any other: `bday_rps` is two
    // from `base_rps` in its group, and one (the `b`) plus the group's two from
    // `scheduled.day_rps`.
    assert_eq!(
        closest("workload.bday_rps"),
        vec!["workload.base_rps", "workload.scheduled.day_rps"]
    );
}

#[test]
fn override_without_equals_is_an_error() {
    let e = err_of(Scenario::default().with_overrides(&["seed"]));
    assert_eq!(e, "invalid scenario:\n  seed: an override is key=value");
}

#[test]
fn override_wrong_types_and_non_numbers_are_all_reported_with_the_range() {
    // Before: "override 'workload.base_rps=NaN': invalid type: string \"NaN\",
    // expected f64", and the other overrides unchecked.
    let e = Scenario::default()
        .with_overrides(&[
            "workload.base_rps=NaN",
            "workload.amplitude=inf",
            "workload.noise=1e400",
            "steps=many",
            "workload.family=tidal",
            "agent.gamma=1.5",
            "scaling.min_replicas=12",
            "scaling.max_replicas=10",
            "workload.nois=1",
        ])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid scenario:
  steps = \"many\": must be a whole number from 1 to 1000000, not text
  workload.family = \"tidal\": must be one of diurnal, flash-crowd, bursty, constant, step, scheduled, replay
  workload.base_rps = NaN: must be a number from 0 to 100000
  workload.amplitude = inf: must be a number from 0 to 1
  workload.noise = 1e400: must be a number from 0 to 1
  scaling.min_replicas = 12: must be at most scaling.max_replicas (10)
  scaling.initial_replicas = 4: must be at least scaling.min_replicas (12)
  agent.gamma = 1.5: must be a number from 0 to 1
  workload.nois = 1: no such field; did you mean workload.noise?"
    );
    assert_eq!(e.fields()[..3], ["steps", "workload.family", "workload.base_rps"]);
}

#[test]
fn override_out_of_range_is_rejected_with_the_range() {
    let e =
        err_of(Scenario::default().with_overrides(&["scaling.max_replicas=0", "agent.gamma=1.5"]));
    assert!(e.contains("scaling.max_replicas = 0: must be a whole number from 1 to 1000"), "{e}");
    assert!(e.contains("agent.gamma = 1.5: must be a number from 0 to 1"), "{e}");
}

#[test]
fn override_error_leaves_the_scenario_unchanged() {
    let base = Scenario { seed: 99, ..Scenario::default() };
    let before = base.clone();
    for bad in [
        vec!["seed=5", "workload.bogus=1"],
        vec!["seed=5", "steps"],
        vec!["seed=5", "steps=many"],
        vec!["seed=5", "dt_s=0"],
    ] {
        assert!(base.with_overrides(&bad).is_err(), "{bad:?}");
        assert_eq!(base, before, "{bad:?}");
    }
}

/// A step's reward, the model's: the SLA's term, a cost for each provisioned
/// replica, one for a change of the fleet, and one for utilisation below the
/// threshold (strictly below). Every world is scored by it.
#[test]
fn a_steps_reward_adds_the_slas_term_each_replica_a_change_and_low_utilisation() {
    use autoscale_playground::scenario::Reward;
    let w = Reward {
        sla_held: 1.0,
        sla_violated: -10.0,
        per_replica: -0.25,
        per_change: -2.0,
        low_utilisation: -0.5,
        low_utilisation_below: 0.4,
    };
    assert_eq!(w.score(true, 4, 0.8, false), 0.0);
    assert_eq!(w.score(false, 4, 0.8, false), -11.0);
    assert_eq!(w.score(true, 4, 0.8, true), -2.0);
    assert_eq!(w.score(true, 4, 0.3, false), -0.5);
    assert_eq!(w.score(true, 4, 0.4, false), 0.0, "at the threshold is not below it");
    assert_eq!(w.score(false, 2, 0.1, true), -13.0);
    assert_eq!(w.score(true, 0, 0.0, false), 0.5, "no replica, idle");
    // The defaults: +1 held, −5 broken, −0.1 a replica, −0.2 a change, −0.5 below 30 %.
    let d = Reward::default();
    assert_eq!(d.score(true, 10, 0.5, false), 1.0 - 10.0 * 0.1);
    assert!((d.score(false, 3, 0.29, true) - -6.0).abs() < 1e-12);
}

// ---------------------------------------------------------------- the knob table

/// The scenario as a JSON tree's leaves: dotted path and value (a list is a leaf).
fn leaves(v: &serde_json::Value, prefix: &str, out: &mut Vec<(String, serde_json::Value)>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                leaves(v, &path, out);
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

#[test]
fn the_knob_table_lists_every_scenario_field_once_and_reads_each_where_its_path_says() {
    use autoscale_playground::scenario::{knob, knobs, Kind};
    let mut s = Scenario::default();
    // Distinct values, so that a getter reading the wrong field is caught.
    let mut tree = serde_json::to_value(&s).unwrap();
    let mut fields = Vec::new();
    leaves(&tree, "", &mut fields);
    let mut paths: Vec<&str> = knobs().iter().map(|k| k.path).collect();
    paths.sort();
    let before = paths.len();
    paths.dedup();
    assert_eq!(paths.len(), before, "a path listed twice");
    let mut tree_paths: Vec<&str> = fields.iter().map(|(p, _)| p.as_str()).collect();
    tree_paths.sort();
    assert_eq!(paths, tree_paths, "the table and the scenario's fields differ");
    for (i, (path, value)) in fields.iter().enumerate() {
        if value.is_number() {
            let node = tree.pointer_mut(&format!("/{}", path.replace('.', "/"))).unwrap();
            *node = serde_json::json!(i as f64 + 0.5);
            if value.is_u64() {
                *node = serde_json::json!(i as u64 + 1);
            }
        }
    }
    s = serde_json::from_value(tree.clone()).unwrap();
    let mut numbers = 0;
    for k in knobs() {
        // Validation reads every real and whole knob as a number, and no other, but
        // `replica.slots`, whose rule of its own bounds slots × max replicas.
        let is_number = matches!(k.kind, Kind::Real { .. } | Kind::Whole { .. });
        let own_rule = k.path == "replica.slots";
        assert_eq!(k.number(&s).is_some(), is_number && !own_rule, "{} read as a number", k.path);
        if let Some(v) = k.number(&s) {
            let want =
                tree.pointer(&format!("/{}", k.path.replace('.', "/"))).unwrap().as_f64().unwrap();
            assert_eq!(v, want, "{} reads another field", k.path);
            numbers += 1;
        }
    }
    assert!(numbers >= 30, "only {numbers} knobs read as numbers");
    assert!(knob("agent.alpha").is_some() && knob("agent.nope").is_none());
    // A knob in a failing assertion names itself, its path and kind (its checks
    // and getters, functions, are left out).
    assert_eq!(
        format!("{:?}", knob("agent.alpha").unwrap()),
        "Knob { path: \"agent.alpha\", kind: Real { lo: 0.0, hi: 1.0 } }"
    );
}

/// The page builds its scenario form from the knob table as it is (the browser
/// binding hands it over unchanged): each input by its knob's kind, named as
/// `www/scenario.js` reads it, a choice's options, and each group's fieldset
/// with its legend.
#[test]
fn the_pages_form_reads_each_knobs_kind_by_name_a_choices_options_and_its_groups_legend() {
    use autoscale_playground::scenario::{knob, knobs, Group, Kind};
    let form = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/www/scenario.js"))
        .expect("the page's form script");
    let name = |path: &str| knob(path).unwrap().kind.name();
    assert_eq!(
        [
            "agent.alpha",
            "steps",
            "seed",
            "workload.family",
            "agent.learn_live",
            "workload.replay.source",
            "agent.utilisation_bins"
        ]
        .map(name),
        ["real", "whole", "seed", "choice", "flag", "text", "list"]
    );
    let mut choices = 0;
    for k in knobs() {
        match k.kind {
            Kind::Choice { options } => {
                assert!(options.len() >= 2, "{} has {} options", k.path, options.len());
                assert_eq!(k.kind.options(), options, "{}", k.path);
                choices += 1;
            }
            _ => assert!(k.kind.options().is_empty(), "{} is no choice", k.path),
        }
    }
    assert!(choices >= 8, "{choices} choices");
    // The form tells its inputs apart by these names (a whole number and a seed
    // are its default, a number input of step 1).
    for name in ["choice", "flag", "list", "text", "real"] {
        assert!(form.contains(&format!("kind === '{name}'")), "www/scenario.js reads no {name}");
    }
    assert_eq!(
        knob("workload.family").unwrap().kind.options().iter().map(|o| o.0).collect::<Vec<_>>(),
        ["diurnal", "flash-crowd", "bursty", "constant", "step", "scheduled", "replay"]
    );
    // A fieldset for each group, under its legend; a knob of no group is not in
    // the form (the CLI, files and links only).
    assert_eq!(
        [Group::Workload, Group::FleetAndSla, Group::Agent, Group::Reward].map(Group::legend),
        ["Workload", "Fleet and SLA", "Agent", "Reward weights"]
    );
    assert_eq!(Group::None.legend(), "");
    assert!(
        form.contains("legend.textContent = knob.legend"),
        "the form's legends are the table's"
    );
    assert_eq!(knob("agent.alpha").unwrap().group, Group::Agent);
    // A family's own knobs in the form are shown for it alone (`data-family`);
    // the others, of no family, whatever the family.
    for k in knobs().iter().filter(|k| k.group != Group::None) {
        let own = |prefix: &str| k.path.starts_with(prefix);
        if own("workload.replay.") {
            assert_eq!(k.families, [Family::Replay], "{}", k.path);
        } else if own("workload.scheduled.") {
            assert_eq!(k.families, [Family::Scheduled], "{}", k.path);
        } else if own("workload.surge_") {
            assert_eq!(k.families, [Family::FlashCrowd], "{}", k.path);
        } else if !own("workload.") {
            assert!(k.families.is_empty(), "{}", k.path);
        }
    }
    let replay_only = |k: &&autoscale_playground::scenario::Knob| k.families == [Family::Replay];
    assert!(knobs().iter().filter(|k| k.group != Group::None).filter(replay_only).count() >= 2);
    assert!(form.contains("label.dataset.family = knob.families.join(' ')"));
}

/// A scenario's utilisation bins list 1 to 16 increasing edges, each 0 to 100.
#[test]
fn the_utilisation_bins_list_one_to_sixteen_increasing_edges() {
    let with = |bins: &str| {
        Scenario::default().with_overrides(&[format!("agent.utilisation_bins={bins}")])
    };
    assert_eq!(with("[0.3]").unwrap().agent.utilisation_bins, [0.3]);
    let sixteen: Vec<String> = (1..=16).map(|i| format!("{}", i as f64 / 10.0)).collect();
    assert_eq!(with(&format!("[{}]", sixteen.join(","))).unwrap().agent.utilisation_bins.len(), 16);
    assert_eq!(
        err_of(with("[]")),
        "invalid scenario:\n  agent.utilisation_bins = []: must list 1 to 16 edges"
    );
    assert!(err_of(with("[0.5,0.4]")).contains("edges must increase"));
    assert!(err_of(with("[0.5,101]"))
        .contains("agent.utilisation_bins[1] = 101: must be a number from 0 to 100"));
    let seventeen = format!("[{},1.7]", sixteen.join(","));
    assert!(err_of(with(&seventeen)).contains("a list of at most 16 numbers"));
}

/// A bursty workload's MMPP lists 2 to 16 rates, each with its mean dwell time:
/// checked in a scenario built in code too, where no reader refused a long list.
#[test]
fn an_mmpp_lists_two_to_sixteen_rates() {
    let with = |n: usize| {
        let mut s = Scenario::default();
        s.workload.family = Family::Bursty;
        s.workload.mmpp_rates = (1..=n).map(|i| i as f64).collect();
        s.workload.mmpp_dwell_s = vec![60.0; n];
        s.validate()
    };
    assert!(with(2).is_ok() && with(16).is_ok());
    for n in [0, 1, 17] {
        let e = with(n).unwrap_err().to_string();
        assert!(e.contains(": must list 2 to 16 rates"), "{n}: {e}");
    }
}

/// A fleet's servers, slots × the most replicas, number at most 20,000.
#[test]
fn a_fleet_of_at_most_twenty_thousand_servers_is_allowed_and_no_more() {
    let with = |slots: u32, max: u32| {
        Scenario::default().with_overrides(&[
            format!("replica.slots={slots}"),
            format!("scaling.max_replicas={max}"),
        ])
    };
    assert!(with(20, 1000).is_ok());
    assert!(with(1000, 20).is_ok());
    assert_eq!(
        err_of(with(21, 1000)),
        "invalid scenario:\n  replica.slots = 21: slots x scaling.max_replicas must be at most 20000 servers (is 21000)"
    );
    assert!(err_of(with(1001, 20)).contains("(is 20020)"));
}

#[test]
fn every_choice_of_the_knob_table_is_a_value_the_scenario_takes() {
    use autoscale_playground::scenario::{knobs, Kind};
    let mut checked = 0;
    for k in knobs() {
        if let Kind::Choice { options } = k.kind {
            for (name, _) in options {
                let s = Scenario::default()
                    .with_overrides(&[
                        format!("{}={name}", k.path),
                        "workload.replay.source=x.csv".to_string(),
                    ])
                    .unwrap();
                let tree = serde_json::to_value(&s).unwrap();
                assert_eq!(tree.pointer(&format!("/{}", k.path.replace('.', "/"))).unwrap(), name);
                checked += 1;
            }
        }
    }
    // family, agent design, forecast method, physics, service, format, time unit, spread.
    assert_eq!(checked, 7 + 3 + 5 + 3 + 2 + 2 + 5 + 3);
}

#[test]
fn every_knob_writes_the_field_its_path_names() {
    use autoscale_playground::scenario::{knobs, Kind};
    // A valid value of the knob's kind unlike its default, given alone: the
    // scenario read must hold it at the knob's path and the defaults elsewhere.
    let base_tree = serde_json::to_value(Scenario::default()).unwrap();
    for k in knobs() {
        let pointer = format!("/{}", k.path.replace('.', "/"));
        let default = base_tree.pointer(&pointer).unwrap();
        let value = match k.kind {
            Kind::Real { lo, hi } => {
                let d = default.as_f64().unwrap();
                serde_json::json!(if d > lo { (d + lo) / 2.0 } else { (d + hi) / 2.0 })
            }
            Kind::Whole { hi, .. } => {
                let d = default.as_u64().unwrap();
                serde_json::json!(if d < hi as u64 { d + 1 } else { d - 1 })
            }
            Kind::Seed => serde_json::json!(u64::MAX - 1),
            Kind::Choice { options } => {
                serde_json::json!(options.iter().find(|o| default != o.0).unwrap().0)
            }
            Kind::Flag => serde_json::json!(!default.as_bool().unwrap()),
            Kind::Text { .. } => serde_json::json!("some-file.csv"),
            Kind::List { lo, hi, .. } => {
                serde_json::json!([lo + (hi - lo) * 0.25, lo + (hi - lo) * 0.5])
            }
        };
        assert_ne!(&value, default, "{}", k.path);
        let mut given = serde_json::json!({});
        let mut node = &mut given;
        for part in k.path.split('.') {
            node = node.as_object_mut().unwrap().entry(part).or_insert(serde_json::json!({}));
        }
        *node = value.clone();
        let s =
            Scenario::from_json(&given.to_string()).unwrap_or_else(|e| panic!("{}: {e}", k.path));
        let mut want = base_tree.clone();
        *want.pointer_mut(&pointer).unwrap() = value;
        assert_eq!(serde_json::to_value(&s).unwrap(), want, "{}", k.path);
    }
}

#[test]
fn the_knob_table_ranges_are_the_ones_validation_applies() {
    use autoscale_playground::scenario::{knobs, Kind};
    for k in knobs() {
        let (lo, hi) = match k.kind {
            Kind::Real { lo, hi } => (lo, hi),
            Kind::Whole { lo, hi } => (lo as f64, hi as f64),
            _ => continue,
        };
        // Just outside the range is refused, naming the field; the ends are taken
        // unless another field narrows them (scaling.*: see the whole-range test).
        for bad in [lo - 1.0, hi * 2.0 + 1.0] {
            if bad < 0.0 && matches!(k.kind, Kind::Whole { .. }) {
                continue;
            }
            let e = Scenario::default().with_overrides(&[format!("{}={bad}", k.path)]).unwrap_err();
            assert!(e.fields().contains(&k.path), "{} = {bad}: {e}", k.path);
        }
    }
}
