//! Token-based service (`workload.replay.service = tokens`) sets the mean
//! service time of every part of a run, not only of the exact physics: the
//! fluid, utilisation, Static's and the Oracle's sizing and the training. Without
//! generated-token counts it is refused, naming the field.

use crate::common;
use crate::common::cli::{run, stderr, temp_path};

use autoscale_playground::policy::{fewest_replicas_meeting_sla, WorldKind};
use autoscale_playground::scenario::{Family, ServiceModel};
use autoscale_playground::session::Session;
use autoscale_playground::train::Trainer;
use autoscale_playground::workload::ReplayData;
use autoscale_playground::world::service::{for_run, service_mean_s};
use autoscale_playground::{Scenario, WorldConfig};

const CODE: &str = "AzureLLMInferenceTrace_code.csv";

/// Two hours of the code trace (an hour long, repeated), with `service`.
fn code_scenario(service: ServiceModel) -> Scenario {
    let mut s = Scenario { steps: 120, ..Scenario::default() };
    s.workload.family = Family::Replay;
    s.workload.replay.source = CODE.into();
    s.workload.replay.service = service;
    s.agent.episodes = 2;
    s
}

fn code_data() -> ReplayData {
    ReplayData::parse(&common::read_azure(CODE), Default::default()).unwrap()
}

/// `replica.per_token_s` x the mean of the trace's GeneratedTokens column, read
/// here from the CSV itself.
fn token_mean_s(s: &Scenario) -> f64 {
    let text = common::read_azure(CODE);
    let tokens: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().trim().parse().unwrap())
        .collect();
    s.replica.per_token_s * tokens.iter().sum::<f64>() / tokens.len() as f64
}

#[test]
fn the_mean_service_time_comes_from_the_tokens() {
    let s = code_scenario(ServiceModel::Tokens);
    let mean = service_mean_s(&s, Some(&code_data())).unwrap();
    // About 27.9 tokens of 9.5 ms: 0.26 s, where the exponential mean is 2 s.
    assert!((mean - token_mean_s(&s)).abs() < 1e-12, "{mean}");
    assert!((mean - 0.2649).abs() < 1e-3, "{mean}");
    let run = for_run(&s, Some(&code_data())).unwrap();
    assert_eq!(run.replica.service_mean_s, mean);
    assert_eq!(
        Scenario { replica: run.replica.clone(), ..s.clone() },
        run,
        "only the service time changes"
    );
    let exponential = code_scenario(ServiceModel::Exponential);
    assert_eq!(service_mean_s(&exponential, Some(&code_data())).unwrap(), 2.0);
}

#[test]
fn static_and_oracle_are_sized_and_utilisation_measured_with_the_token_mean() {
    let data = code_data();
    let tokens = Session::new(code_scenario(ServiceModel::Tokens), Some(&data)).unwrap();
    let exponential = Session::new(code_scenario(ServiceModel::Exponential), Some(&data)).unwrap();
    let mean = token_mean_s(&tokens.scenario);
    let mut config = WorldConfig::from_scenario(&tokens.scenario);
    config.mu = 1.0 / mean;
    let peak = tokens.trace.peak();
    let static_replicas = |s: &Session| {
        let mut s = s.clone();
        s.step(1);
        s.judge.lane(WorldKind::Static).unwrap().last.unwrap()
    };
    let (tok, exp) = (static_replicas(&tokens), static_replicas(&exponential));
    assert_eq!(tok.provisioned, fewest_replicas_meeting_sla(peak * 1.2, &config, 60.0));
    assert!(tok.provisioned < exp.provisioned, "{} vs {}", tok.provisioned, exp.provisioned);
    // Utilisation is demand over ready capacity, at the tokens' rate.
    assert!(
        (tok.utilisation - tok.demand * mean / (tok.ready as f64 * 8.0)).abs() < 1e-12,
        "{}",
        tok.utilisation
    );
    // The Oracle: the fewest replicas for each step's demand, at the tokens' rate.
    let plan = |s: &Session| {
        s.judge
            .lane(WorldKind::Oracle)
            .unwrap()
            .maker
            .as_any()
            .downcast_ref::<autoscale_playground::policy::Oracle>()
            .unwrap()
            .plan()
            .to_vec()
    };
    let (tok_plan, exp_plan) = (plan(&tokens), plan(&exponential));
    assert!(tok_plan.iter().sum::<u32>() < exp_plan.iter().sum::<u32>());
    // The judge's Oracle is the one planned at the tokens' rate.
    let planned = autoscale_playground::policy::Oracle::for_trace(&tokens.trace, &config);
    assert_eq!(tok_plan, planned.plan());
}

#[test]
fn training_sees_the_token_mean() {
    let data = code_data();
    let s = code_scenario(ServiceModel::Tokens);
    let mut session = Session::new(s.clone(), Some(&data)).unwrap();
    session.train_all().unwrap();
    let mut at_tokens = Trainer::new(&for_run(&s, Some(&data)).unwrap(), Some(&data));
    at_tokens.run(2).unwrap();
    let mut at_exponential = Trainer::new(&s, Some(&data));
    at_exponential.run(2).unwrap();
    assert_eq!(session.trainer.curve, at_tokens.curve);
    assert_ne!(session.trainer.curve, at_exponential.curve, "the rewards differ at the two means");
}

#[test]
fn token_service_without_token_counts_is_refused_naming_the_field() {
    let counts = ReplayData::parse(
        &common::read_azure("azure_llm_2023_code_per_minute.csv"),
        Default::default(),
    )
    .unwrap();
    let mut s = code_scenario(ServiceModel::Tokens);
    s.workload.replay.source = "azure_llm_2023_code_per_minute.csv".into();
    let e = Session::new(s.clone(), Some(&counts)).unwrap_err();
    assert_eq!(e.fields(), ["workload.replay.service"]);
    assert!(
        e.to_string().contains("workload.replay.service = tokens: the trace 'azure_llm_2023_code_per_minute.csv' counts requests per interval and has no generated-token column: token-based service needs one row per request with a column whose header names generated, output or completion tokens"),
        "{e}"
    );
    let no_tokens = ReplayData::parse(
        "TIMESTAMP\n2023-11-16 18:17:03.9\n2023-11-16 18:17:05.1\n",
        Default::default(),
    )
    .unwrap();
    let e = Session::new(s.clone(), Some(&no_tokens)).unwrap_err();
    assert!(e.to_string().contains("has no generated-token count on every row"), "{e}");
    let mut diurnal = Scenario::default();
    diurnal.workload.replay.service = ServiceModel::Tokens;
    let e = Session::new(diurnal, None).unwrap_err();
    assert_eq!(e.to_string(), "invalid scenario:\n  workload.replay.service = tokens: token-based service needs a replay of a trace with generated-token counts; workload.family is diurnal");
    // A mean service time out of range: per_token_s names it.
    let mut zero = code_scenario(ServiceModel::Tokens);
    zero.replica.per_token_s = 0.0;
    let e = Session::new(zero, Some(&code_data())).unwrap_err();
    assert_eq!(e.fields(), ["replica.per_token_s"]);
    assert!(e.to_string().contains("must be from 0.001 to 3600 s (is 0)"), "{e}");
}

#[test]
fn the_cli_sizes_and_refuses_alike() {
    let path = common::azure_file(CODE);
    let csv = temp_path("service.csv");
    let utilisation = |service: &str| {
        let o = run(&[
            "simulate",
            "--replicas",
            "4",
            "--set",
            "steps=120",
            "--set",
            "workload.family=replay",
            "--set",
            &format!("workload.replay.source={}", path.display()),
            "--set",
            &format!("workload.replay.service={service}"),
            "--out",
            csv.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = std::fs::read_to_string(&csv).unwrap();
        let col = text.lines().next().unwrap().split(',').position(|c| c == "utilisation").unwrap();
        text.lines()
            .skip(1)
            .map(|l| l.split(',').nth(col).unwrap().parse::<f64>().unwrap())
            .collect::<Vec<_>>()
    };
    let (tok, exp) = (utilisation("tokens"), utilisation("exponential"));
    let _ = std::fs::remove_file(&csv);
    let ratio = token_mean_s(&Scenario::default()) / 2.0;
    let busy: Vec<usize> = (0..tok.len()).filter(|&i| exp[i] > 0.0).collect();
    assert!(busy.len() > 40, "{} steps with demand", busy.len());
    for i in busy {
        // The CSV has six decimals.
        assert!(
            (tok[i] - exp[i] * ratio).abs() <= 1e-6,
            "step {i}: {} is not {} x {ratio}",
            tok[i],
            exp[i]
        );
    }
    let counts = common::azure_file("azure_llm_2023_code_per_minute.csv");
    let o = run(&[
        "simulate",
        "--set",
        "workload.family=replay",
        "--set",
        &format!("workload.replay.source={}", counts.display()),
        "--set",
        "workload.replay.service=tokens",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("workload.replay.service = tokens: the trace"));
}
