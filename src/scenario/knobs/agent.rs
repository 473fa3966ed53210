//! The table of knobs, the agent's section: how it learns, what it sees, its
//! design.

use super::{choice, name_of, pick, real, whole, Check, Group, Kind, Knob, Place, EVERY_FAMILY};
use crate::scenario::Design;

pub(super) static KNOBS: &[Knob] = &[
    real!("agent.alpha", "Learning rate α", 0.0, 1.0, Group::Agent, EVERY_FAMILY, |s| s
        .agent
        .alpha),
    real!("agent.gamma", "Discount γ", 0.0, 1.0, Group::Agent, EVERY_FAMILY, |s| s.agent.gamma),
    real!(
        "agent.epsilon_start",
        "Exploration ε, first episode",
        0.0,
        1.0,
        Group::Agent,
        EVERY_FAMILY,
        |s| s.agent.epsilon_start
    ),
    real!(
        "agent.epsilon_end",
        "Exploration ε, floor",
        0.0,
        1.0,
        Group::Agent,
        EVERY_FAMILY,
        |s| s.agent.epsilon_end
    ),
    real!(
        "agent.epsilon_decay",
        "ε decay per episode",
        0.0,
        1.0,
        Group::Agent,
        EVERY_FAMILY,
        |s| s.agent.epsilon_decay
    ),
    whole!("agent.episodes", "Training episodes", 0, 100_000, Group::Agent, |s| s.agent.episodes),
    Knob {
        path: "agent.utilisation_bins",
        place: Place::List(|s| &mut s.agent.utilisation_bins),
        label: "Utilisation bin edges",
        kind: Kind::List { lo: 0.0, hi: 100.0, max_items: 16 },
        group: Group::None,
        families: EVERY_FAMILY,
        check: Check::Rule(|s, c| {
            let bins = &s.agent.utilisation_bins;
            if bins.is_empty() || bins.len() > 16 {
                c.push(
                    "agent.utilisation_bins",
                    format!("{bins:?}"),
                    "must list 1 to 16 edges".into(),
                );
            }
            for (i, e) in bins.iter().enumerate() {
                c.real(&format!("agent.utilisation_bins[{i}]"), *e, 0.0, 100.0);
            }
            if bins.windows(2).any(|p| p[0].partial_cmp(&p[1]) != Some(std::cmp::Ordering::Less)) {
                c.push("agent.utilisation_bins", format!("{bins:?}"), "edges must increase".into());
            }
        }),
    },
    real!("agent.trend_threshold", "Trend dead band", 0.0, 10.0, Group::None, EVERY_FAMILY, |s| s
        .agent
        .trend_threshold),
    real!(
        "agent.forecast_threshold",
        "Forecast dead band",
        0.0,
        10.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.agent.forecast_threshold
    ),
    choice(
        "agent.design",
        "Agent",
        &[
            ("calm", "calm (headroom against the forecast)"),
            ("seed", "seed agent (docs/model.md)"),
            ("residual", "residual (learns on top of the Rule)"),
        ],
        Group::Agent,
        |s| name_of(&s.agent.design),
        |s, name| pick(&mut s.agent.design, [Design::Calm, Design::Seed, Design::Residual], name),
    ),
    Knob {
        path: "agent.learn_live",
        label: "Learn during the run",
        kind: Kind::Flag,
        group: Group::None,
        families: EVERY_FAMILY,
        check: Check::Unchecked,
        place: Place::Flag(|s| &mut s.agent.learn_live),
    },
];
