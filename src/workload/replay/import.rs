//! An import for the user: a trace file read as a scenario's replay, summed up
//! (requests, span, rates, ticks, what was guessed) and warned about where it is
//! likely not what the user meant; and a scenario made from a file.

use super::layout::tail_gap_s;
use super::read::Interpretation;
use super::words::{duration, rate, shortened, thousands, DAY_S};
use super::{ReplayData, Separator, Ticks};
use crate::error::Error;
use crate::scenario::Spread;

/// The longest `workload.replay.source` a scenario accepts (bytes).
pub const MAX_SOURCE_BYTES: usize = 256;

/// What an import read, for the user to check against what they meant.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportSummary {
    pub reading: Interpretation,
    /// Requests in the file (a counts file: their sum).
    pub requests: f64,
    /// Intervals of a counts file.
    pub intervals: Option<usize>,
    /// From the first request to the last (a counts file: its intervals).
    pub span_s: f64,
    /// Requests a minute over the span (`None` when it has no length).
    pub mean_per_min: Option<f64>,
    /// Requests a minute in the busiest clock minute (a counts file: in its
    /// busiest interval), and never below the mean: a trace under a minute long,
    /// or split evenly over minute boundaries, has no minute busier than its mean.
    pub peak_per_min: f64,
    /// Timestamps shared by several requests (request logs only).
    pub ticks: Option<Ticks>,
}

/// A trace file read for a scenario: the data, what was read, and what looks wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub data: ReplayData,
    pub summary: ImportSummary,
    /// Things that are not errors but likely not what the user meant.
    pub warnings: Vec<String>,
}

/// The longest trace before a warning, and the shortest (s).
const LONGEST_S: f64 = 365.0 * DAY_S;
const SHORTEST_S: f64 = 300.0;

impl Import {
    /// Reads `csv` as the replay of `s` (its format, time unit and layout) and
    /// warns of what is likely not what the user meant.
    pub fn read(csv: &str, s: &crate::scenario::Scenario) -> crate::error::Result<Import> {
        let (data, reading) = ReplayData::read(csv, &s.workload.replay)?;
        let summary = match &data {
            ReplayData::Requests(rows) => {
                let span_s = (rows[rows.len() - 1].time_ns - rows[0].time_ns) as f64 * 1e-9;
                let n = rows.len() as f64;
                let mean_per_min = (span_s > 0.0).then(|| n / span_s * 60.0);
                // The mean is over the span, the busiest minute over a clock
                // minute: a span shorter than a minute (or split over minutes)
                // would have a mean above its busiest minute.
                let busiest = data.counts_per(60.0).into_iter().max().unwrap_or(0) as f64;
                ImportSummary {
                    reading,
                    requests: n,
                    intervals: None,
                    span_s,
                    mean_per_min,
                    peak_per_min: busiest.max(mean_per_min.unwrap_or(0.0)),
                    ticks: Some(Ticks::of(rows)),
                }
            }
            ReplayData::Counts { counts, interval_s } => {
                let span_s = counts.len() as f64 * interval_s;
                let requests: f64 = counts.iter().sum();
                ImportSummary {
                    reading,
                    requests,
                    intervals: Some(counts.len()),
                    span_s,
                    mean_per_min: Some(requests / span_s * 60.0),
                    peak_per_min: counts.iter().copied().fold(0.0, f64::max) * 60.0 / interval_s,
                    ticks: None,
                }
            }
        };
        let mut warnings = summary.reading.warnings.clone();
        warnings.extend(warnings_of(&summary, &data, s));
        Ok(Import { data, summary, warnings })
    }

    /// The summary, the guesses and the warnings, one line each.
    pub fn lines(&self) -> Vec<String> {
        let m = &self.summary;
        let r = &m.reading;
        let what = match m.intervals {
            Some(k) => {
                format!("{} intervals ({} requests)", thousands(k as f64), thousands(m.requests))
            }
            None => format!("{} requests", thousands(m.requests)),
        };
        let mean = m
            .mean_per_min
            .map_or("no mean rate (no length)".into(), |x| format!("mean {}/min", rate(x)));
        // The usual kinds, comma-separated and one column, are not said to be.
        let layout = match (r.separator, r.decimal_commas) {
            (Separator::Comma | Separator::None, false) => String::new(),
            (sep, false) => format!("{}; ", sep.words()),
            (sep, true) => format!("{}, decimal commas read; ", sep.words()),
        };
        let mut head = format!(
            "read {what} over {}: {mean}, peak {}/min; {layout}{}",
            duration(m.span_s),
            rate(m.peak_per_min),
            r.time_words
        );
        if let Some(t) = &m.ticks {
            head.push_str(&format!("; {:.1} % on repeated timestamps", 100.0 * t.repeated_share));
            if let Some(tick) = t.quantised_ns {
                head.push_str(&format!(" (quantised to {} ticks)", duration(tick as f64 * 1e-9)));
            }
            let cols = if r.token_columns.is_empty() {
                "none".to_string()
            } else {
                r.token_columns.join(", ")
            };
            head.push_str(&format!("; token columns: {cols}"));
        }
        let mut out = vec![head];
        out.extend(r.guesses.iter().map(|g| format!("guessed: {g}")));
        out.extend(self.warnings.iter().map(|w| format!("warning: {w}")));
        out
    }
}

fn warnings_of(m: &ImportSummary, data: &ReplayData, s: &crate::scenario::Scenario) -> Vec<String> {
    let cfg = &s.workload.replay;
    let mut out = Vec::new();
    let check_unit = match (m.intervals, m.reading.unit) {
        (Some(_), Some(_)) => "workload.replay.time_unit and workload.replay.interval_s",
        (Some(_), None) => "workload.replay.interval_s",
        (None, _) => "workload.replay.time_unit",
    };
    // One pass of the laid-out trace (s), as lay_out makes it.
    let pass_s = match data {
        ReplayData::Requests(rows) => (m.span_s + tail_gap_s(rows)) * cfg.time_stretch,
        ReplayData::Counts { .. } => m.span_s * cfg.time_stretch,
    };
    if m.requests == 0.0 {
        out.push("the trace holds no requests: the replay's demand is zero throughout".into());
    } else if m.span_s == 0.0 {
        out.push(format!(
            "all {} requests share one timestamp: the trace has no length, so one pass is taken to last {}, {} requests a second{}",
            thousands(m.requests),
            duration(pass_s),
            rate(m.requests * cfg.rate_scale / pass_s),
            if cfg.repeat { ", repeated through the run" } else { "" }
        ));
    } else if m.span_s < SHORTEST_S {
        out.push(format!(
            "the trace spans only {} (under {} minutes): check {check_unit}",
            duration(m.span_s),
            SHORTEST_S / 60.0
        ));
    } else if m.span_s > LONGEST_S {
        out.push(format!(
            "the trace spans {} (over a year): check {check_unit}",
            duration(m.span_s)
        ));
    }
    // Demand against the fleet: the laid-out mean against what one replica and
    // the largest fleet serve at replica.service_mean_s.
    let mean_rps = m.requests * cfg.rate_scale / pass_s.max(1e-9);
    let one = s.replica.slots as f64 / s.replica.service_mean_s;
    let fleet = one * s.scaling.max_replicas as f64;
    if m.requests > 0.0 && mean_rps > fleet {
        out.push(format!(
            "the mean demand, after rate scaling, is {} req/s, more than the largest fleet serves ({} replicas: {} req/s): every world is overloaded; lower workload.replay.rate_scale or check {check_unit}",
            rate(mean_rps), s.scaling.max_replicas, rate(fleet)
        ));
    } else if m.requests > 0.0 && mean_rps < 0.05 * one {
        out.push(format!(
            "the mean demand, after rate scaling, is {} req/s, under 5 % of what one replica serves ({} req/s): the fleet idles at its least; raise workload.replay.rate_scale or check {check_unit}",
            rate(mean_rps), rate(one)
        ));
    }
    if let Some(t) = &m.ticks {
        if let (Some(tick), Spread::None) = (t.quantised_ns, cfg.spread) {
            out.push(format!(
                "{:.0} % of requests share their timestamp with others: the timestamps fall on {} ticks, {:.1} requests a tick on average (a quantised trace), and the exact physics serves each tick's requests as one batch; workload.replay.spread = even spreads them within their tick",
                100.0 * t.repeated_share, duration(tick as f64 * 1e-9), t.per_tick
            ));
        }
        if cfg.rate_scale >= 2.0 && cfg.spread == Spread::None {
            out.push(format!(
                "workload.replay.rate_scale = {} copies each request at its own timestamp (the exact physics serves the copies as a batch); workload.replay.spread = even spreads the copies up to the next request",
                cfg.rate_scale
            ));
        }
    }
    let run_s = s.steps as f64 * s.dt_s;
    if cfg.repeat && m.requests > 0.0 && pass_s < 10.0 * s.dt_s && run_s > pass_s {
        out.push(format!(
            "one pass of the trace lasts {}, under 10 steps of the run (dt_s = {}): looped, it repeats {} times, a short pattern rather than a workload",
            duration(pass_s), s.dt_s, rate(run_s / pass_s)
        ));
    }
    out
}

/// The replay data of a scenario, read by the importer when the scenario is a
/// replay, nothing otherwise. Errors name the file, as the CLI's do.
pub fn import_for(
    s: &crate::scenario::Scenario,
    csv: Option<&str>,
) -> crate::error::Result<Option<Import>> {
    if s.workload.family != crate::scenario::Family::Replay {
        return Ok(None);
    }
    let source = crate::error::shown_path(&s.workload.replay.source);
    let csv = csv.ok_or_else(|| {
        Error::ReplayFile(format!("the trace '{source}' is not loaded here: a replay needs its CSV file, which a link cannot carry; choose the file again"))
    })?;
    Import::read(csv, s).map(Some).map_err(|e| {
        let e = e.to_string();
        let sep = if e.starts_with("line ") { " " } else { ": " };
        Error::ReplayFile(format!("replay file '{source}'{sep}{e}"))
    })
}

/// The replay data of a scenario ([`import_for`] without the summary).
pub fn data_for(
    s: &crate::scenario::Scenario,
    csv: Option<&str>,
) -> crate::error::Result<Option<ReplayData>> {
    import_for(s, csv).map(|i| i.map(|i| i.data))
}

/// The scenario with its workload replaced by a replay of a CSV file: `file_name`
/// becomes `workload.replay.source` (cut to [`MAX_SOURCE_BYTES`]), `csv` is read
/// by the importer and laid out on the run, which finds what the rows alone
/// cannot (too many requests once rate-scaled, say). Nothing of a bad file is used.
pub fn scenario_for(
    s: &crate::scenario::Scenario,
    file_name: &str,
    csv: &str,
) -> crate::error::Result<crate::scenario::Scenario> {
    let mut s = s.clone();
    s.workload.family = crate::scenario::Family::Replay;
    s.workload.replay.source = shortened(file_name, MAX_SOURCE_BYTES);
    s.validate()?;
    let data = data_for(&s, Some(csv))?;
    crate::workload::Trace::build(&s, data.as_ref())?;
    Ok(s)
}
