//! What the charts draw, kept bounded: the run so far at most [`MAX_POINTS`] points
//! per series (one point per `bucket` steps, however long the run), the last
//! [`FORECAST_WINDOW`] steps of demand and forecast, and per state of the Q-table
//! the latest step the Elastic world was in it (for the heatmap's forensics).

use crate::policy::WorldKind;
use crate::session::Session;
use std::collections::VecDeque;

/// Points per series on the run-long charts (about one per device pixel).
pub const MAX_POINTS: usize = 2400;
/// Steps shown on the forecast chart.
pub const FORECAST_WINDOW: usize = 180;

/// One world's series.
#[derive(Debug, Clone)]
pub struct Track {
    pub kind: WorldKind,
    /// Provisioned replicas (ready and booting): the bucket's highest.
    pub provisioned: Vec<f64>,
    /// Ready replicas: the bucket's lowest (so the booting band shows).
    pub ready: Vec<f64>,
    /// Step p95 (s): the bucket's worst; `None` when no request completed.
    pub p95: Vec<Option<f64>>,
    /// Cumulative cost at the bucket's end.
    pub cost: Vec<f64>,
    total_cost: f64,
}

#[derive(Debug, Clone)]
pub struct History {
    /// Steps per point.
    pub bucket: usize,
    /// Steps recorded.
    pub steps: usize,
    /// Mean demand (req/s) of each bucket.
    pub demand: Vec<f64>,
    pub tracks: Vec<Track>,
    /// (step, demand) of the last steps played.
    pub actual: VecDeque<(usize, f64)>,
    /// (step, forecast of that step's demand made `horizon` steps before it).
    pub forecast: VecDeque<(usize, f64)>,
    pub horizon: usize,
    /// Absolute errors summed over the steps whose forecast has come due: the
    /// forecaster's, and persistence's (the demand `horizon` steps before).
    pub forecast_error: f64,
    pub persistence_error: f64,
    pub forecast_steps: usize,
    last_seen: Vec<Option<u32>>,
    path: Vec<f64>,
}

fn fold(series: &mut Vec<f64>, new_bucket: bool, x: f64, f: impl Fn(f64, f64) -> f64) {
    match series.last_mut() {
        Some(last) if !new_bucket => *last = f(*last, x),
        _ => series.push(x),
    }
}

impl History {
    pub fn new(session: &Session) -> History {
        let steps = session.judge.len();
        let agent = session.agent();
        History {
            bucket: steps.div_ceil(MAX_POINTS).max(1),
            steps: 0,
            demand: Vec::new(),
            tracks: session
                .judge
                .lanes
                .iter()
                .map(|l| Track {
                    kind: l.kind(),
                    provisioned: Vec::new(),
                    ready: Vec::new(),
                    p95: Vec::new(),
                    cost: Vec::new(),
                    total_cost: 0.0,
                })
                .collect(),
            actual: VecDeque::with_capacity(FORECAST_WINDOW + 1),
            forecast: VecDeque::new(),
            horizon: agent.map_or(1, |a| a.horizon().max(1)),
            forecast_error: 0.0,
            persistence_error: 0.0,
            forecast_steps: 0,
            last_seen: vec![None; agent.map_or(0, |a| a.table.q.len())],
            path: Vec::new(),
        }
    }

    /// Records the step just played.
    pub fn record(&mut self, session: &Session) {
        let t = self.steps;
        let new_bucket = t % self.bucket == 0;
        let in_bucket = (t % self.bucket) as f64;
        let demand = session.trace.rates.get(t).copied().unwrap_or(0.0);
        fold(&mut self.demand, new_bucket, demand, |m, x| m + (x - m) / (in_bucket + 1.0));
        for (track, lane) in self.tracks.iter_mut().zip(&session.judge.lanes) {
            let Some(r) = &lane.last else { continue };
            track.total_cost += r.cost;
            fold(&mut track.provisioned, new_bucket, r.provisioned as f64, f64::max);
            fold(&mut track.ready, new_bucket, r.ready as f64, f64::min);
            fold(&mut track.cost, new_bucket, track.total_cost, |_, x| x);
            match track.p95.last_mut() {
                Some(last) if !new_bucket => *last = max_opt(*last, r.p95_response_s),
                _ => track.p95.push(r.p95_response_s),
            }
        }
        // The forecast of step t was made from the demand up to step t - horizon,
        // the last one `actual` holds `horizon` - 1 entries before its end.
        // Targets rise by one a step, so the due one is a horizon from the back.
        let due = self.forecast.iter().rev().find(|&&(s, _)| s == t).map(|&(_, f)| f);
        let past = self.actual.iter().rev().nth(self.horizon - 1).map(|&(_, d)| d);
        if let (Some(f), Some(past)) = (due, past) {
            self.forecast_error += (f - demand).abs();
            self.persistence_error += (past - demand).abs();
            self.forecast_steps += 1;
        }
        self.actual.push_back((t, demand));
        while self.actual.len() > FORECAST_WINDOW {
            self.actual.pop_front();
        }
        if let Some(agent) = session.agent() {
            // The agent decided step t from the demand of steps before t; its
            // forecaster's path starts at step t.
            agent.forecaster().forecast_path(self.horizon, &mut self.path);
            if let Some(&f) = self.path.last() {
                self.forecast.push_back((t + self.path.len() - 1, f));
            }
            while self.forecast.front().is_some_and(|&(s, _)| s + FORECAST_WINDOW < t + 1) {
                self.forecast.pop_front();
            }
            if let Some(d) = &agent.last {
                if let Some(seen) = self.last_seen.get_mut(d.state_index) {
                    *seen = Some(d.step as u32);
                }
            }
        }
        self.steps += 1;
    }

    /// The running mean absolute errors of the forecaster and of persistence
    /// (req/s), over the same steps; `None` before the first forecast is due.
    pub fn forecast_mae(&self) -> Option<(f64, f64)> {
        let n = self.forecast_steps as f64;
        (self.forecast_steps > 0).then(|| (self.forecast_error / n, self.persistence_error / n))
    }

    /// The latest step the Elastic world decided in state `index`.
    pub fn last_step_in(&self, index: usize) -> Option<u32> {
        self.last_seen.get(index).copied().flatten()
    }

    pub fn track(&self, kind: WorldKind) -> Option<&Track> {
        self.tracks.iter().find(|t| t.kind == kind)
    }

    /// The first step of point `i`.
    pub fn step_of(&self, i: usize) -> usize {
        i * self.bucket
    }
}

fn max_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// At most one point per pixel column: a run-long series holds up to
/// [`MAX_POINTS`] points, two or three per column of a half-width chart, and
/// drawing them cost most of a frame (24,000 `lineTo` a frame at 4,320 steps)
/// while showing nothing more. `merge` makes one point of a column's points, as
/// the history merges steps into a point (the worst, the last, the mean).
pub fn per_column(columns: usize, points: Vec<(f64, f64)>, merge: Merge) -> Vec<(f64, f64)> {
    let per = points.len().div_ceil(columns.max(1));
    if per <= 1 {
        return points;
    }
    points.chunks(per).map(merge).collect()
}

/// Makes one point of a pixel column's points.
pub type Merge = fn(&[(f64, f64)]) -> (f64, f64);

/// The column's highest point, at its first step.
pub fn highest(column: &[(f64, f64)]) -> (f64, f64) {
    (column[0].0, column.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max))
}

/// The column's lowest point, at its first step.
pub fn lowest(column: &[(f64, f64)]) -> (f64, f64) {
    (column[0].0, column.iter().map(|p| p.1).fold(f64::INFINITY, f64::min))
}

/// The column's last point (a cumulative series).
pub fn last(column: &[(f64, f64)]) -> (f64, f64) {
    column[column.len() - 1]
}

/// The column's mean, at its first step.
pub fn mean(column: &[(f64, f64)]) -> (f64, f64) {
    (column[0].0, column.iter().map(|p| p.1).sum::<f64>() / column.len() as f64)
}
