//! The table of knobs, the fleet's section: a replica, scaling, the queue and the
//! SLA.

use super::{bound, choice, name_of, pick, real, whole, Bound, Check, Group, Knob, EVERY_FAMILY};
use crate::scenario::{Physics, MAX_REPLICAS};

const MOST_MAX: Option<Bound> = bound("scaling.max_replicas", |s| s.scaling.max_replicas);

pub(super) static KNOBS: &[Knob] = &[
    Knob {
        check: Check::Rule(|s, c| {
            let (p, max) = (&s.replica, s.scaling.max_replicas);
            c.whole("replica.slots", p.slots, 1, 1024);
            if (p.slots as u64) * (max as u64) > 20_000 {
                c.push(
                    "replica.slots",
                    p.slots,
                    format!(
                        "slots x scaling.max_replicas must be at most 20000 servers (is {})",
                        p.slots as u64 * max as u64
                    ),
                );
            }
        }),
        ..whole!("replica.slots", "Requests a replica serves at once", 1, 1024, Group::None, |s| s
            .replica
            .slots)
    },
    real!(
        "replica.service_mean_s",
        "Mean service time (s)",
        0.001,
        3600.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.replica.service_mean_s
    ),
    real!(
        "replica.per_token_s",
        "Service time per token (s)",
        0.0,
        60.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.replica.per_token_s
    ),
    real!(
        "replica.price_per_hour",
        "Price per replica-hour",
        0.0,
        10_000.0,
        Group::FleetAndSla,
        EVERY_FAMILY,
        |s| s.replica.price_per_hour
    ),
    whole!("scaling.max_replicas", "Most replicas", 1, MAX_REPLICAS, Group::None, |s| s
        .scaling
        .max_replicas),
    whole_within!(
        "scaling.min_replicas",
        "Fewest replicas",
        1,
        MAX_REPLICAS,
        Group::None,
        |s| s.scaling.min_replicas,
        None,
        MOST_MAX
    ),
    whole_within!(
        "scaling.initial_replicas",
        "Replicas at the start",
        1,
        MAX_REPLICAS,
        Group::None,
        |s| s.scaling.initial_replicas,
        bound("scaling.min_replicas", |s| s.scaling.min_replicas),
        MOST_MAX
    ),
    whole_within!(
        "scaling.step_size",
        "Replicas per scaling action",
        1,
        MAX_REPLICAS,
        Group::None,
        |s| s.scaling.step_size,
        None,
        MOST_MAX
    ),
    real!(
        "scaling.boot_delay_s",
        "Boot delay (s)",
        0.0,
        86_400.0,
        Group::FleetAndSla,
        EVERY_FAMILY,
        |s| s.scaling.boot_delay_s
    ),
    real!(
        "queue.max_wait_s",
        "Longest wait before a drop (s)",
        0.001,
        86_400.0,
        Group::None,
        EVERY_FAMILY,
        |s| s.queue.max_wait_s
    ),
    choice(
        "queue.physics",
        "Physics",
        &[("fluid", "fluid (fast)"), ("exact", "exact (per request)")],
        Group::None,
        |s| name_of(&s.queue.physics),
        |s, name| pick(&mut s.queue.physics, [Physics::Fluid, Physics::Exact], name),
    ),
    real!(
        "sla.p95_s",
        "SLA: p95 at most (s)",
        0.001,
        86_400.0,
        Group::FleetAndSla,
        EVERY_FAMILY,
        |s| s.sla.p95_s
    ),
    real!(
        "sla.drop_tolerance",
        "SLA: drops per step below",
        0.0,
        1e9,
        Group::None,
        EVERY_FAMILY,
        |s| s.sla.drop_tolerance
    ),
];
