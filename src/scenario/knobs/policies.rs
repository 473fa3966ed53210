//! The table of knobs, its last section: the settings of the other worlds'
//! policies (Rule, Predictive, Static).

use super::{real, Group, Knob, EVERY_FAMILY};

pub(super) static KNOBS: &[Knob] = &[
    real!(
        "rule.target_utilisation",
        "Rule: target utilisation",
        0.05,
        1.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.rule.target_utilisation
    ),
    real!("rule.tolerance", "Rule: tolerance", 0.0, 1.0, Group::None, EVERY_FAMILY, |s| s
        .rule
        .tolerance),
    real!(
        "rule.stabilisation_s",
        "Rule: scale-down stabilisation (s)",
        0.0,
        86_400.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.rule.stabilisation_s
    ),
    real!(
        "rule.scale_up_period_s",
        "Rule: scale-up period (s)",
        1.0,
        86_400.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.rule.scale_up_period_s
    ),
    real!(
        "predictive.margin",
        "Predictive: margin over the forecast",
        0.0,
        10.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.predictive.margin
    ),
    real!(
        "predictive.stabilisation_s",
        "Predictive: scale-in stabilisation (s)",
        0.0,
        86_400.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.predictive.stabilisation_s
    ),
    real!(
        "static.buffer",
        "Static: headroom over the peak",
        0.0,
        10.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.static_fleet.buffer
    ),
];
