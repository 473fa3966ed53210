//! The results in words: the Elastic world against each other world, against
//! the Rule's frontier of targets, and against its own ablation. Separate from
//! the figures, which a table or a chart shows without a sentence.

use super::WorldResult;
use crate::math::Figure;
use crate::policy::WorldKind;
use serde::Serialize;

/// A count of violation steps as words show it: whole under the exact physics,
/// one decimal when expected (the fluid's).
pub fn steps(v: f64) -> String {
    if v == v.round() {
        format!("{:.0}", Figure(v))
    } else {
        format!("{:.1}", Figure(v))
    }
}

/// The Rule played at another target utilisation on the same trace: a point of
/// the Rule's cost against violations curve ([`crate::view::rule_sweep`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RuleTarget {
    pub target: f64,
    pub cost: f64,
    pub sla_violation_steps: f64,
}

/// The results in words, as plainly as the table: the Elastic world against
/// Static, against Rule (whichever wins, and at what price in violations), against
/// the Rule at every other target of `rule_targets` (whole-run figures: empty
/// until the run is over), against Predictive and the Oracle's floor, and what
/// the forecast buys it (against the ablation). Worlds for which `shown` is
/// false are left out (the Rule's targets with the Rule). Empty until Static and
/// Elastic have cost something.
pub fn verdict(
    results: &[WorldResult],
    shown: impl Fn(WorldKind) -> bool,
    rule_targets: &[RuleTarget],
) -> String {
    let world = |kind| results.iter().find(|r| r.kind == kind).filter(|r| r.cost > 0.0);
    let (Some(el), Some(st)) = (world(WorldKind::Elastic), world(WorldKind::Static)) else {
        return String::new();
    };
    let compared = |kind| world(kind).filter(|r| shown(r.kind));
    let v = |r: &WorldResult| steps(r.sla_violation_steps);
    let (elastic, oracle_name) = (WorldKind::Elastic.short(), WorldKind::Oracle.short());
    let mut words = vec![format!(
        "{elastic} costs {} {}, with {} SLA-violation steps ({} {}).",
        match cost_cmp(el.cost, st.cost) {
            Shown::Same => "the same as".to_string(),
            Shown::Less => format!("{} less than", pct(el.cost, st.cost)),
            Shown::More => format!("{} more than", pct(el.cost, st.cost)),
        },
        st.short,
        v(el),
        st.short,
        v(st)
    )];
    if let Some(rule) = compared(WorldKind::Rule) {
        words.push(against(el, rule));
        if let Some(sentence) = frontier(el, rule_targets) {
            words.push(sentence);
        }
    }
    if let Some(predictive) = compared(WorldKind::Predictive) {
        words.push(against(el, predictive));
    }
    if let Some(oracle) = compared(WorldKind::Oracle) {
        words.push(match cost_cmp(el.cost, oracle.cost) {
            Shown::Same => format!("It costs the same as the {oracle_name} (perfect foresight)."),
            Shown::More => format!(
                "It costs {} more than the {oracle_name} (perfect foresight).",
                pct(el.cost, oracle.cost)
            ),
            Shown::Less => format!(
                "It costs {} less than the {oracle_name} (perfect foresight).",
                pct(el.cost, oracle.cost)
            ),
        });
    }
    if let Some(blind) = compared(WorldKind::NoForecast) {
        words.push(forecast_buys(el, blind));
    }
    words.join(" ")
}

/// `a` against `b` in per cent of `b`, unsigned: "14.3 %".
fn pct(a: f64, b: f64) -> String {
    format!("{:.1} %", Figure((100.0 * (a - b) / b).abs()))
}

/// How two figures compare as the words show them: a difference that their
/// rounding hides reads as none ("0.0 % cheaper" and "6.0 against 6.0" are never
/// said).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Less,
    Same,
    More,
}

/// `a`'s cost against `b`'s, as [`pct`] shows it: the same under 0.05 %.
fn cost_cmp(a: f64, b: f64) -> Shown {
    if pct(a, b) == pct(b, b) {
        Shown::Same
    } else if a < b {
        Shown::Less
    } else {
        Shown::More
    }
}

/// `a`'s violation steps against `b`'s, as [`steps`] shows them: to a tenth of
/// a step (5 and an expected 5.04 are as many).
fn steps_cmp(a: f64, b: f64) -> Shown {
    if (10.0 * a).round() == (10.0 * b).round() {
        Shown::Same
    } else if a < b {
        Shown::Less
    } else {
        Shown::More
    }
}

/// The Elastic world against another on cost and violation steps: who wins, or
/// which of them wins on which axis, or that they are level as shown.
fn against(el: &WorldResult, other: &WorldResult) -> String {
    let (a, b) = (steps(el.sla_violation_steps), steps(other.sla_violation_steps));
    let name = &other.short;
    let cost = cost_cmp(el.cost, other.cost);
    let breaks = steps_cmp(el.sla_violation_steps, other.sla_violation_steps);
    let by =
        if el.cost <= other.cost { pct(el.cost, other.cost) } else { pct(other.cost, el.cost) };
    match (cost, breaks) {
        (Shown::Same, Shown::Same) => {
            format!("It matches {name}: the same cost, and as many violation steps ({a}).")
        }
        (Shown::Same, Shown::Less) => format!(
            "It costs the same as {name} and breaks the SLA less often ({a} steps against {b})."
        ),
        (Shown::Same, Shown::More) => format!(
            "It costs the same as {name} but breaks the SLA more often ({a} steps against {b})."
        ),
        (Shown::Less, Shown::Less | Shown::Same) => {
            format!("It beats {name}: {by} cheaper, with no more violations ({a} against {b}).")
        }
        (Shown::More, Shown::More | Shown::Same) => format!(
            "{name} beats it on this run: {by} cheaper, with no more violations ({b} against {a})."
        ),
        (Shown::Less, Shown::More) => format!(
            "It is {by} cheaper than {name} but breaks the SLA more often ({a} steps against {b})."
        ),
        (Shown::More, Shown::Less) => {
            format!("{name} is {by} cheaper but breaks the SLA more often ({b} steps against {a}).")
        }
    }
}

/// Whether the Elastic world is below the Rule's frontier: cheaper than every
/// target with no more violation steps than its own. `None` without targets.
fn frontier(el: &WorldResult, targets: &[RuleTarget]) -> Option<String> {
    let (first, last) = (targets.first()?, targets.last()?);
    let range = format!("{:.0} to {:.0} %", 100.0 * first.target, 100.0 * last.target);
    let rival = targets
        .iter()
        .filter(|t| t.sla_violation_steps <= el.sla_violation_steps)
        .min_by(|a, b| a.cost.total_cmp(&b.cost).then(a.target.total_cmp(&b.target)));
    Some(match rival {
        None => {
            let fewest = targets.iter().min_by(|a, b| a.sla_violation_steps.total_cmp(&b.sla_violation_steps))?;
            format!(
                "No Rule target from {range} breaks the SLA as rarely: the fewest violation steps, {} at {:.0} %, cost {:.2}.",
                steps(fewest.sla_violation_steps),
                100.0 * fewest.target,
                Figure(fewest.cost)
            )
        }
        Some(r) if cost_cmp(el.cost, r.cost) == Shown::Less => format!(
            "It is below the Rule's frontier (targets {range}): cheaper than every target with no more violation steps; the cheapest of those, {:.0} %, costs {:.2} with {} violation steps.",
            100.0 * r.target,
            Figure(r.cost),
            steps(r.sla_violation_steps)
        ),
        Some(r) => format!(
            "It is not below the Rule's frontier (targets {range}): at {:.0} % the Rule costs {:.2} ({} {:.2}) with {} violation steps ({} {}).",
            100.0 * r.target,
            Figure(r.cost),
            el.short,
            Figure(el.cost),
            steps(r.sla_violation_steps),
            el.short,
            steps(el.sla_violation_steps)
        ),
    })
}

/// What the forecast in its state buys the Elastic world: the ablation's figures
/// against its own.
fn forecast_buys(el: &WorldResult, blind: &WorldResult) -> String {
    let n = steps((blind.sla_violation_steps - el.sla_violation_steps).abs());
    let saving = pct(el.cost, blind.cost);
    let buys = match (
        cost_cmp(el.cost, blind.cost),
        steps_cmp(el.sla_violation_steps, blind.sla_violation_steps),
    ) {
        (Shown::Less, Shown::Less) => format!("a {saving} saving and {n} fewer violation steps"),
        (Shown::Less, Shown::Same) => format!("a {saving} saving with no more violation steps"),
        (Shown::Less, Shown::More) => {
            format!("a {saving} saving at the price of {n} more violation steps")
        }
        (_, Shown::Less) => format!(
            "{n} fewer violation steps for {}",
            if cost_cmp(el.cost, blind.cost) == Shown::Same {
                "the same cost".to_string()
            } else {
                format!("{saving} more cost")
            }
        ),
        (Shown::Same, _) if el.sla_violation_steps <= blind.sla_violation_steps => {
            "nothing on this run".to_string()
        }
        (Shown::Same, _) => {
            format!("nothing: it breaks the SLA in {n} more steps at the same cost")
        }
        (Shown::More, Shown::Same) => format!("nothing: it costs {saving} more"),
        (Shown::More, _) => {
            format!("nothing: it costs {saving} more, with {n} more violation steps")
        }
    };
    format!(
        "Without the forecast in its state ({}) it costs {:.2} with {} violation steps: the forecast buys {buys}.",
        blind.short,
        Figure(blind.cost),
        steps(blind.sla_violation_steps)
    )
}
