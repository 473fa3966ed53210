//! Which world a decision maker plays: its identity in tables, charts, the page
//! and the share link. The only place a world's name is written.

use serde::Serialize;

/// One of the judge's worlds, by its decision maker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorldKind {
    /// A fixed fleet sized for the peak.
    Static,
    /// The Kubernetes-style rule.
    Rule,
    /// The Q-learning agent.
    Elastic,
    /// Perfect foresight: the cost floor.
    Oracle,
    /// Predictive autoscaling as the clouds ship it: scale out on the forecast,
    /// in after a stabilisation window.
    Predictive,
    /// The Elastic world's agent trained and run without the forecast in its
    /// state: what the forecast buys.
    NoForecast,
}

impl WorldKind {
    /// The standard worlds, in the judge's order: the ablation joins them when
    /// asked for.
    pub const STANDARD: [WorldKind; 5] = [
        WorldKind::Static,
        WorldKind::Rule,
        WorldKind::Elastic,
        WorldKind::Oracle,
        WorldKind::Predictive,
    ];

    /// Every world, in the judge's order.
    pub const ALL: [WorldKind; 6] = [
        WorldKind::Static,
        WorldKind::Rule,
        WorldKind::Elastic,
        WorldKind::Oracle,
        WorldKind::Predictive,
        WorldKind::NoForecast,
    ];

    /// The name in tables and CSV files.
    pub fn label(self) -> &'static str {
        match self {
            WorldKind::Static => "Static",
            WorldKind::Rule => "Rule",
            WorldKind::Elastic => "Elastic (RL)",
            WorldKind::Oracle => "Oracle",
            WorldKind::Predictive => "Predictive",
            WorldKind::NoForecast => "Elastic, no forecast",
        }
    }

    /// The name where space is short: line labels, the scoreboard, sentences.
    pub fn short(self) -> &'static str {
        match self {
            WorldKind::Elastic => "Elastic",
            WorldKind::NoForecast => "No forecast",
            other => other.label(),
        }
    }

    /// The key of its colour and style: the page's CSS class and the palette's
    /// entry ("static", "rule", "elastic", "oracle").
    pub fn key(self) -> &'static str {
        match self {
            WorldKind::Static => "static",
            WorldKind::Rule => "rule",
            WorldKind::Elastic => "elastic",
            WorldKind::Oracle => "oracle",
            WorldKind::Predictive => "predictive",
            WorldKind::NoForecast => "no_forecast",
        }
    }
}

impl std::fmt::Display for WorldKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
