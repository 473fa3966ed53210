//! Workloads: the synthetic families, the CSV importer (against the real Azure LLM
//! traces and against broken files), and the layout of a replay on a run's steps.
//! One subject file each; what several of them use (a scenario of a family, a
//! replay scenario, the raw Azure logs, a relative comparison) is here.

mod azure;
mod counts_units;
mod families;
mod import;
mod replay;
mod scheduled;
mod separators;

use autoscale_playground::scenario::{Family, ReplayFormat, Scenario};
use autoscale_playground::workload::ReplayData;

/// The default scenario with the workload `family`.
pub fn scenario(family: Family) -> Scenario {
    let mut s = Scenario::default();
    s.workload.family = family;
    s
}

/// `a` and `b` differ by at most `rel` of the larger.
pub fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs())
}

/// The text of the file `name` in `dir`.
pub fn read(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The request log of an Azure service (`conv` or `code`), as the importer reads
/// any file.
pub fn raw(dir: &std::path::Path, service: &str) -> ReplayData {
    ReplayData::parse(
        &read(dir, &format!("AzureLLMInferenceTrace_{service}.csv")),
        ReplayFormat::Auto,
    )
    .unwrap()
}

/// Counts of `interval_s` each, as a counts file reads.
pub fn counts(counts: Vec<f64>, interval_s: f64) -> ReplayData {
    ReplayData::Counts { counts, interval_s }
}

/// One request at each of `seconds`, without tokens.
pub fn requests_at(seconds: impl IntoIterator<Item = i64>) -> ReplayData {
    let row = |s: i64| autoscale_playground::workload::RequestRow {
        time_ns: s * 1_000_000_000,
        context_tokens: None,
        generated_tokens: None,
    };
    ReplayData::Requests(seconds.into_iter().map(row).collect())
}

/// A valid replay of `steps` steps without repeat, then `edit`ed.
pub fn replay_scenario(steps: u32, edit: impl FnOnce(&mut Scenario)) -> Scenario {
    let mut s = scenario(Family::Replay);
    s.workload.replay.source = "azure".into();
    s.workload.replay.repeat = false;
    s.steps = steps;
    edit(&mut s);
    assert_eq!(s.validate(), Ok(()));
    s
}
