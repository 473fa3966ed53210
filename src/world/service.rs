//! The mean service time of a run. With exponential service it is the
//! scenario's `replica.service_mean_s`; with token-based service
//! (`workload.replay.service = tokens`) it comes from the trace: the mean of its
//! generated tokens times `replica.per_token_s`. Everything that sizes or watches
//! a world by its mean service rate (the fluid physics, utilisation, Static's and
//! the Oracle's sizing, the agent's view and its training) takes it from here,
//! not only the exact physics, which draws each request's own time. The fluid
//! keeps an exponential law around that mean: its tail is not the tokens'.

use crate::error::{shown_path, Error, FieldError, Result, ScenarioError};
use crate::scenario::{knob, Family, Scenario, ServiceModel};
use crate::workload::ReplayData;

/// The mean service time of one request (s) in the run of `s` on `replay`.
/// Token-based service needs a request-level replay with a generated-token
/// count on every row, and must give a mean within `replica.service_mean_s`'s
/// range; otherwise the error names the field.
pub fn service_mean_s(s: &Scenario, replay: Option<&ReplayData>) -> Result<f64> {
    if s.workload.replay.service == ServiceModel::Exponential {
        return Ok(s.replica.service_mean_s);
    }
    let refuse = |field: &str, value: String, allowed: String| {
        Error::from(ScenarioError(vec![FieldError { field: field.into(), value, allowed }]))
    };
    let source = shown_path(&s.workload.replay.source);
    let tokens = match (s.workload.family, replay) {
        (Family::Replay, Some(data)) => data.mean_generated_tokens().ok_or_else(|| {
            let what = match data {
                ReplayData::Counts { .. } => "counts requests per interval and has no generated-token column",
                ReplayData::Requests(_) => "has no generated-token count on every row",
            };
            refuse(
                "workload.replay.service",
                "tokens".into(),
                format!(
                    "the trace '{source}' {what}: token-based service needs one row per request with a column whose header names generated, output or completion tokens (the third column of a file without a header); choose exponential"
                ),
            )
        })?,
        (Family::Replay, None) => return Err(refuse("workload.replay.service", "tokens".into(), format!("token-based service needs the trace's generated-token counts; '{source}' is not loaded"))),
        (family, _) => {
            let family = crate::json::to_value(&family).as_str().map(str::to_owned).unwrap_or_default();
            let why = format!("token-based service needs a replay of a trace with generated-token counts; workload.family is {family}");
            return Err(refuse("workload.replay.service", "tokens".into(), why));
        }
    };
    let mean = s.replica.per_token_s * tokens;
    let (lo, hi) =
        knob("replica.service_mean_s").and_then(|k| k.kind.range()).unwrap_or((0.0, f64::INFINITY));
    if !(lo..=hi).contains(&mean) {
        return Err(refuse(
            "replica.per_token_s",
            s.replica.per_token_s.to_string(),
            format!("with token-based service, per_token_s x the trace's mean generated tokens ({tokens:.1}) is the mean service time, which must be from {lo} to {hi} s (is {mean})"),
        ));
    }
    Ok(mean)
}

/// The scenario as the worlds of its run see it: `s`, with `replica.service_mean_s`
/// the run's mean service time ([`service_mean_s`]). A session keeps `s` itself
/// for its name, link and fingerprint.
pub fn for_run(s: &Scenario, replay: Option<&ReplayData>) -> Result<Scenario> {
    let mean = service_mean_s(s, replay)?;
    let mut run = s.clone();
    run.replica.service_mean_s = mean;
    Ok(run)
}
