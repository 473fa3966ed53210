//! The forecasters' accuracy and their effect on control. `make forecasts` runs
//! it; it prints the tables and whether the aim is met, and asserts
//! nothing.
//!
//! Accuracy: mean absolute error (req/s) and sMAPE (%) of the forecast made `h`
//! steps before each target, for targets from the second day on (the seasonal
//! model spends the first day learning its season), at the default horizon (the
//! boot delay, 2 steps) and 30 steps ahead. Workloads: the diurnal, flash-crowd
//! and bursty presets, and replays of the two Azure LLM traces (request-level,
//! scaled to a peak of about 15 replicas, looped to three days). The nets are
//! pre-trained as the Trainer does it, on the traces of its first 8 training
//! episodes (other seeds; for a replay, the trace rotated by other offsets: the
//! hour of the trace repeats, so the nets see the evaluation hour in training, see
//! the README), and learn online during the evaluation run; "no online" rows
//! freeze them at their pre-trained weights.
//!
//! Direction: how often the calm agent's forecast direction "rising" (the
//! forecast's mean over the horizon above the mean of the last `h` observed by
//! more than 5 %) was followed by a real rise (the demand's mean over those `h`
//! steps above the same recent mean by more than 5 %): precision, and the share
//! of real rises foreseen, recall; from the second day on, `h` = 2.
//!
//! Events: event recall and its precision (`forecast::event_skill`): the share
//! of the rises that repeat a day (or a week) later, each more than the Rule's
//! fleet's headroom within a boot delay, for which "rising" was said a boot
//! delay ahead; from the second day on. The seasonal forecaster learns from the
//! same training traces as the nets whether their sharp events repeat (as the
//! Trainer fits it).
//!
//! Control: the judged Elastic (RL) world of each workload with the agent fed by
//! each forecaster, trained as the Session trains it. "none" is persistence: its
//! forecast is the current demand, so the forecast part of the agent's state is
//! always "steady" and carries no information.

#[path = "../tests/common/mod.rs"]
mod common;

use autoscale_playground::forecast::{
    self, direction_skill_from, event_skill, Forecaster, MovingAverage, Naive, Rises, Seasonal,
};
use autoscale_playground::presets;
use autoscale_playground::scenario::{Family, ForecastMethod, Scenario};
use autoscale_playground::session::Session;
use autoscale_playground::train::{Trainer, FIT_TRACES};
use autoscale_playground::workload::ReplayData;
use autoscale_playground::Trace;
use autoscale_playground::WorldKind;
use std::time::Instant;

const DAY_STEPS: usize = 1440;
/// The workloads of the tables, in their order.
const WORKLOADS: [&str; 6] =
    ["diurnal", "flash-crowd", "bursty", "scheduled", "replay conv", "replay code"];
const HORIZONS: [usize; 2] = [2, 30];

/// A preset, or a replay of an Azure trace (`conv`, `code`) with the preset
/// agent.
fn workload(name: &str) -> (Scenario, Option<ReplayData>) {
    let Some(file) = name.strip_prefix("replay ") else {
        return (presets::preset(name).expect("a preset"), None);
    };
    // Fails, naming the path, when the trace is missing: never a table without its row.
    let text = common::read_azure(&format!("AzureLLMInferenceTrace_{file}.csv"));
    let data = ReplayData::parse(&text, Default::default()).expect("the Azure trace parses");
    let mut s = Scenario::default();
    presets::tune_agent(&mut s);
    s.workload.family = Family::Replay;
    s.workload.replay.source = file.into();
    // Peaks of 8.4 (conv) and 9.8 req/s (code) a minute: scaled to need about 15
    // replicas at 70 %, as in `make results`.
    s.workload.replay.rate_scale = if file == "conv" { 5.0 } else { 4.0 };
    (s, Some(data))
}

/// Errors of the forecasts made `h` steps before each target from day 2 on.
#[derive(Default)]
struct Errors {
    abs: f64,
    smape: f64,
    n: usize,
}

impl Errors {
    fn add(&mut self, forecast: f64, actual: f64) {
        self.abs += (forecast - actual).abs();
        let denominator = forecast.abs() + actual.abs();
        if denominator > 0.0 {
            self.smape += 2.0 * (forecast - actual).abs() / denominator;
        }
        self.n += 1;
    }

    fn mae(&self) -> f64 {
        self.abs / self.n as f64
    }

    fn smape_pct(&self) -> f64 {
        100.0 * self.smape / self.n as f64
    }
}

/// Feeds the trace step by step; scores the `h`-th step of every path.
fn score(f: &mut dyn Forecaster, rates: &[f64], h: usize) -> Errors {
    let mut errors = Errors::default();
    let mut path = Vec::with_capacity(h);
    for t in 0..rates.len() - h {
        f.observe(rates[t]);
        if t + h >= DAY_STEPS {
            f.forecast_path(h, &mut path);
            errors.add(path[h - 1], rates[t + h]);
        }
    }
    errors
}

/// The scenario's net (of `method`, predicting `h` steps), pre-trained on
/// `series`; with online learning or frozen.
fn net(
    s: &Scenario,
    method: ForecastMethod,
    h: usize,
    online: bool,
    series: &[Vec<f64>],
) -> Box<dyn Forecaster> {
    let mut s = s.clone();
    s.forecast.method = method;
    s.forecast.horizon_steps = h as u32;
    if !online {
        s.forecast.update_every = 0;
    }
    let mut f = forecast::from_scenario(&s);
    f.fit(series);
    f
}

/// The seasonal forecaster, fitted on `series` as the Trainer fits it.
fn seasonal(s: &Scenario, series: &[Vec<f64>]) -> Box<dyn Forecaster> {
    let mut f = Box::new(Seasonal::new(s));
    f.fit(series);
    f
}

/// Makes a fresh forecaster for a horizon.
type Maker<'a> = Box<dyn Fn(usize) -> Box<dyn Forecaster> + 'a>;

/// Prints one workload's accuracy table; returns its (h, forecaster, MAE) rows.
fn accuracy(
    name: &str,
    s: &Scenario,
    replay: Option<&ReplayData>,
) -> Vec<(usize, &'static str, f64)> {
    let rates = Trace::build(s, replay).expect("the evaluation trace builds").rates;
    let trainer = Trainer::new(s, replay);
    let series: Vec<Vec<f64>> = (0..FIT_TRACES)
        .map(|e| trainer.episode_trace(e).expect("a training trace").rates)
        .collect();
    println!(
        "\n== {name}: {} steps, mean demand {:.1} req/s ==",
        rates.len(),
        rates.iter().sum::<f64>() / rates.len() as f64
    );
    println!(
        "{:<22} {:>9} {:>9} {:>9} {:>9}",
        "forecaster", "MAE h=2", "sMAPE %", "MAE h=30", "sMAPE %"
    );
    let mut rows = Vec::new();
    let lines: [(&'static str, Maker); 7] = [
        ("naive (persistence)", Box::new(|_| Box::new(Naive::default()))),
        (
            "moving average (10)",
            Box::new(|_| Box::new(MovingAverage::new(s.forecast.window as usize))),
        ),
        ("seasonal", Box::new(|_| seasonal(s, &series))),
        ("LSTM", Box::new(|h| net(s, ForecastMethod::Lstm, h, true, &series))),
        ("TCN", Box::new(|h| net(s, ForecastMethod::Tcn, h, true, &series))),
        ("LSTM, no online", Box::new(|h| net(s, ForecastMethod::Lstm, h, false, &series))),
        ("TCN, no online", Box::new(|h| net(s, ForecastMethod::Tcn, h, false, &series))),
    ];
    for (label, make) in &lines {
        let mut line = format!("{label:<22}");
        for h in HORIZONS {
            let e = score(make(h).as_mut(), &rates, h);
            line += &format!(" {:>9.3} {:>9.2}", e.mae(), e.smape_pct());
            rows.push((h, *label, e.mae()));
        }
        println!("{line}");
    }
    println!(
        "{:<22} {:>9} {:>9} {:>9} {:>9}",
        "direction, h=2", "said", "came true", "precision", "recall"
    );
    for (label, make) in lines.iter().take(5) {
        let k = direction_skill_from(
            make(2).as_mut(),
            &rates,
            2,
            s.agent.forecast_threshold,
            DAY_STEPS,
        );
        let pct = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{:.0} %", 100.0 * x));
        println!(
            "{label:<22} {:>9} {:>9} {:>9} {:>9}   ({} real rises)",
            k.predicted,
            k.hits,
            pct(k.precision()),
            pct(k.recall()),
            k.real
        );
    }
    let rises = Rises::of(s);
    let h = rises.boot_steps;
    println!(
        "{:<22} {:>9} {:>9} {:>9} {:>9} {:>9}",
        format!("events, h={h}"),
        "rises",
        "repeating",
        "foreseen",
        "recall",
        "precision"
    );
    for (label, make) in lines.iter().take(5) {
        let k = event_skill(make(h).as_mut(), &rates, &rises, DAY_STEPS);
        let pct = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{:.0} %", 100.0 * x));
        println!(
            "{label:<22} {:>9} {:>9} {:>9} {:>9} {:>9}   ({} of {} \"rising\" right)",
            k.rises,
            k.repeating,
            k.foreseen,
            pct(k.recall()),
            pct(k.precision()),
            k.said_right,
            k.said
        );
    }
    rows
}

/// The Elastic (RL) world's judged results with the agent fed by `method`.
fn control(
    s: &Scenario,
    replay: Option<&ReplayData>,
    method: ForecastMethod,
) -> (f64, f64, usize, f64) {
    let mut s = s.clone();
    s.forecast.method = method;
    let start = Instant::now();
    let mut session = Session::new(s, replay).expect("a valid scenario");
    session.train_all().expect("training runs");
    session.step(usize::MAX);
    let rl = session
        .results()
        .into_iter()
        .find(|r| r.kind == WorldKind::Elastic)
        .expect("an elastic world");
    (rl.cost, rl.sla_violation_steps, rl.capacity_changes, start.elapsed().as_secs_f64())
}

fn main() {
    let mut aims = Vec::new();
    let mut found = Vec::new();
    for name in WORKLOADS {
        let (s, replay) = workload(name);
        let rows = accuracy(name, &s, replay.as_ref());
        let mae_of = |label: &str| {
            rows.iter().find(|r| r.0 == 2 && r.1 == label).map(|r| r.2).expect("a row")
        };
        if name == "diurnal" || name == "replay conv" {
            let average = mae_of("moving average (10)");
            for net in ["LSTM", "TCN"] {
                aims.push(format!(
                    "{name}, h=2: {net} MAE {:.3} vs moving average {average:.3}: {:+.1} % ({})",
                    mae_of(net),
                    100.0 * (mae_of(net) / average - 1.0),
                    if mae_of(net) <= 0.8 * average { "aim met" } else { "aim missed" }
                ));
            }
        }
        if name == "scheduled" {
            let trainer = Trainer::new(&s, None);
            let series: Vec<Vec<f64>> = (0..FIT_TRACES)
                .map(|e| trainer.episode_trace(e).expect("a training trace").rates)
                .collect();
            let rates = Trace::build(&s, None).expect("the evaluation trace builds").rates;
            let rises = Rises::of(&s);
            let k = event_skill(seasonal(&s, &series).as_mut(), &rates, &rises, DAY_STEPS);
            let (recall, precision) = (k.recall().unwrap_or(0.0), k.precision().unwrap_or(0.0));
            aims.push(format!(
                "scheduled, seasonal: event recall {:.1} % ({} of {}), precision {:.1} % ({})",
                100.0 * recall,
                k.foreseen,
                k.repeating,
                100.0 * precision,
                if recall >= 0.9 && precision >= 0.8 { "aim met" } else { "aim missed" }
            ));
        }
        found.push((name, s, replay));
    }
    println!("\n== aims: LSTM and TCN at least 20 % lower MAE than the moving average on diurnal and conv (h=2); on the scheduled preset, the seasonal forecaster's event recall at least 90 % at a precision of at least 80 % ==");
    for a in &aims {
        println!("{a}");
    }

    if std::env::args().any(|a| a == "--accuracy-only") {
        return;
    }
    println!("\n== effect on control: the Elastic (RL) world fed by each forecaster ==");
    println!(
        "{:<14} {:<16} {:>9} {:>16} {:>17} {:>9}",
        "workload", "forecaster", "cost", "SLA-viol. steps", "capacity changes", "time s"
    );
    let methods = [
        ("none (naive)", ForecastMethod::Naive),
        ("moving average", ForecastMethod::MovingAverage),
        ("seasonal", ForecastMethod::Seasonal),
        ("LSTM", ForecastMethod::Lstm),
        ("TCN", ForecastMethod::Tcn),
    ];
    for (name, s, replay) in found.iter().filter(|(n, _, _)| *n != "replay code") {
        for (label, method) in &methods {
            let (cost, violations, changes, secs) = control(s, replay.as_ref(), method.clone());
            println!(
                "{name:<14} {label:<16} {cost:>9.2} {violations:>16.1} {changes:>17} {secs:>9.1}"
            );
        }
    }
}
