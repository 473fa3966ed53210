//! What the page shows besides the canvases ([`Metrics`]), read once a frame:
//! the step and the clock, training's progress, the scoreboard and its verdict,
//! each world now, the forecast's errors, the moments and the frontier. Apart
//! because it only reads the page.

use super::exact_replay::ExactView;
use super::heatmap;
use super::lookahead::{FrontierView, Sweep};
use super::moments::Moment;
use super::training::TrainingPlace;
use super::{text, Page};
use crate::judge::{self, RuleTarget, WorldResult};
use crate::policy::WorldKind;
use serde::Serialize;

/// What the page shows besides the canvases (field names snake_case, as the
/// core's results).
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    /// Where the run is, in words ([`Page::clock`]).
    pub clock: String,
    pub step: usize,
    pub steps: usize,
    pub finished: bool,
    pub playing: bool,
    pub training: TrainingProgress,
    pub learn_live: bool,
    pub worlds: Vec<WorldResult>,
    /// The previous agent's row, after a new one took over ([`Page::before`]).
    pub before: Option<WorldResult>,
    /// The scoreboard in words ([`judge::verdict`]), hidden worlds left out.
    pub verdict: String,
    /// The Rule at other targets over the whole run, once the run is over and
    /// they have been played (empty before).
    pub rule_targets: Vec<RuleTarget>,
    /// Each world after the last step played.
    pub now: Vec<Now>,
    /// The last step's demand in replicas fully busy.
    pub demand_replicas: Option<f64>,
    /// The learned forecaster's pre-training, in mini-batches (0 of 0 for a
    /// forecaster that learns nothing from training traces).
    pub fit: FitState,
    /// The forecast chart's running errors, once a forecast has come due.
    pub forecast: Option<ForecastError>,
    /// The heatmap's cells: utilisation bins by capacities 1..=max.
    pub grid: GridSize,
    /// The whole run's moments, in step order (empty until the lookahead is done).
    pub moments: Vec<Moment>,
    /// Why a run has no moments although its lookahead is done (a run too long
    /// for them), else `None`.
    pub moments_note: Option<String>,
    pub lookahead_done: bool,
    /// The frontier panel's data (once the lookahead is done).
    pub frontier: Option<FrontierView>,
    /// The run's decisions replayed with the exact physics, once asked for.
    pub exact: Option<ExactView>,
    /// The zoomed charts' steps, `[from, until)`, when zoomed.
    pub zoom: Option<(usize, usize)>,
    /// Whether a seek is under way.
    pub seeking: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrainingProgress {
    pub episode: u32,
    pub episodes: u32,
    pub done: bool,
    pub last_reward: Option<f64>,
    /// Where training runs now.
    pub runs: TrainingPlace,
    /// The ablation's agent's episodes, when its world is shown.
    pub ablation: Option<Episodes>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Episodes {
    pub episode: u32,
    pub episodes: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct FitState {
    pub done: usize,
    pub total: usize,
    pub finished: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForecastError {
    /// Mean absolute error (req/s) of the forecaster `horizon` steps ahead, and of
    /// persistence (the demand `horizon` steps before) over the same steps.
    pub mae: f64,
    pub persistence_mae: f64,
    pub horizon: usize,
    pub steps: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Now {
    pub kind: WorldKind,
    /// Its label and short name ([`WorldKind`]).
    pub name: &'static str,
    pub short: &'static str,
    pub provisioned: u32,
    pub ready: u32,
    pub booting: u32,
    pub p95: Option<f64>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct GridSize {
    pub bins: usize,
    pub max: u32,
}

impl Page {
    /// Step, training, the scoreboard and its verdict, and each world now.
    pub fn metrics(&self) -> Metrics {
        let t = &self.session.trainer;
        let worlds = self.session.results();
        let space = heatmap::shown_agent(&self.session).map(|a| &a.table.space);
        let p = t.fit_progress();
        // Whole-run figures: the Rule's other targets are compared once the run is over.
        let rule_targets = match (&self.sweep, self.finished()) {
            (Sweep::Done(points), true) => points.clone(),
            _ => Vec::new(),
        };
        Metrics {
            clock: self.clock(),
            step: self.step_index(),
            steps: self.session.judge.len(),
            finished: self.finished(),
            playing: self.playing,
            training: TrainingProgress {
                episode: t.episode,
                episodes: t.episodes,
                done: self.session.trained(),
                last_reward: t.curve.last().copied(),
                runs: self.training,
                ablation: self
                    .session
                    .blind
                    .as_ref()
                    .map(|b| Episodes { episode: b.episode, episodes: b.episodes }),
            },
            learn_live: self.learn_live,
            verdict: judge::verdict(&worlds, |k| self.shows(k), &rule_targets),
            worlds,
            before: self.before(),
            rule_targets,
            now: self.now(),
            demand_replicas: self
                .session
                .judge
                .lanes
                .first()
                .and_then(|l| l.last.as_ref())
                .map(|r| r.demand / self.replica_rps()),
            fit: FitState { done: p.done, total: p.total, finished: t.fit_done() },
            forecast: self.history.forecast_mae().map(|(mae, persistence_mae)| ForecastError {
                mae,
                persistence_mae,
                horizon: self.history.horizon,
                steps: self.history.forecast_steps,
            }),
            grid: GridSize {
                bins: space.map_or(0, |s| s.bins()),
                max: space.map_or(0, |s| s.rows()),
            },
            moments: self.lookahead.moments.clone(),
            moments_note: self.lookahead.note.clone(),
            lookahead_done: self.lookahead.done,
            frontier: self.frontier(),
            exact: self.exact_view(),
            zoom: self.zoom_window(),
            seeking: self.seeking(),
        }
    }

    /// Where the run is, in words: "step 725 of 4320 · day 1, 12:05"; a finished
    /// run of whole days ends at 24:00 of its last one ("day 3, 24:00").
    pub fn clock(&self) -> String {
        let step = self.step_index();
        let t = step as f64 * self.session.scenario.dt_s;
        let time = if self.finished() { text::day_end(t) } else { text::day_time(t) };
        format!("step {step} of {} · {time}", self.session.judge.len())
    }

    fn now(&self) -> Vec<Now> {
        let lanes = &self.session.judge.lanes;
        lanes
            .iter()
            .filter_map(|l| {
                let r = l.last.as_ref()?;
                Some(Now {
                    kind: l.kind(),
                    name: l.kind().label(),
                    short: l.kind().short(),
                    provisioned: r.provisioned,
                    ready: r.ready,
                    booting: r.booting,
                    p95: r.p95_response_s,
                })
            })
            .collect()
    }

    /// Requests per second one replica serves when fully busy.
    fn replica_rps(&self) -> f64 {
        let s = self.session.run_scenario();
        s.replica.slots as f64 * s.mu()
    }
}
