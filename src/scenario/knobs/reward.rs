//! The table of knobs, the reward's section: the weights every world is scored by.

use super::{real, Group, Knob, EVERY_FAMILY};

pub(super) static KNOBS: &[Knob] = &[
    real!("reward.sla_held", "SLA held", -1000.0, 1000.0, Group::Reward, EVERY_FAMILY, |s| s
        .reward
        .sla_held),
    real!(
        "reward.sla_violated",
        "SLA violated",
        -1000.0,
        1000.0,
        Group::Reward,
        EVERY_FAMILY,
        |s| s.reward.sla_violated
    ),
    real!("reward.per_replica", "Per replica", -1000.0, 1000.0, Group::Reward, EVERY_FAMILY, |s| s
        .reward
        .per_replica),
    real!(
        "reward.per_change",
        "Per capacity change",
        -1000.0,
        1000.0,
        Group::Reward,
        EVERY_FAMILY,
        |s| s.reward.per_change
    ),
    real!(
        "reward.low_utilisation",
        "Low utilisation",
        -1000.0,
        1000.0,
        Group::Reward,
        EVERY_FAMILY,
        |s| s.reward.low_utilisation
    ),
    real!(
        "reward.low_utilisation_below",
        "Low utilisation below",
        0.0,
        1.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.reward.low_utilisation_below
    ),
];
