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
        "{elastic} costs {} {} than {}, with {} SLA-violation steps ({} {}).",
        pct(el.cost, st.cost),
        if el.cost <= st.cost { "less" } else { "more" },
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
        words.push(format!(
            "It costs {} {} than the {oracle_name} (perfect foresight).",
            pct(el.cost, oracle.cost),
            if el.cost >= oracle.cost { "more" } else { "less" }
        ));
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

/// The Elastic world against another on cost and violation steps: who wins, or
/// which of them wins on which axis.
fn against(el: &WorldResult, other: &WorldResult) -> String {
    let v = |r: &WorldResult| steps(r.sla_violation_steps);
    let name = &other.short;
    let cheaper = el.cost <= other.cost;
    if cheaper && el.sla_violation_steps <= other.sla_violation_steps {
        format!(
            "It beats {name}: {} cheaper, with no more violations ({} against {}).",
            pct(el.cost, other.cost),
            v(el),
            v(other)
        )
    } else if !cheaper && other.sla_violation_steps <= el.sla_violation_steps {
        format!(
            "{name} beats it on this run: {} cheaper, with no more violations ({} against {}).",
            pct(other.cost, el.cost),
            v(other),
            v(el)
        )
    } else if cheaper {
        format!(
            "It is {} cheaper than {name} but breaks the SLA more often ({} steps against {}).",
            pct(el.cost, other.cost),
            v(el),
            v(other)
        )
    } else {
        format!(
            "{name} is {} cheaper but breaks the SLA more often ({} steps against {}).",
            pct(other.cost, el.cost),
            v(other),
            v(el)
        )
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
        Some(r) if el.cost < r.cost => format!(
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
    let fewer = blind.sla_violation_steps - el.sla_violation_steps;
    let n = |d: f64| steps(d.abs());
    let buys = if el.cost < blind.cost && fewer > 0.0 {
        format!("a {} saving and {} fewer violation steps", pct(el.cost, blind.cost), n(fewer))
    } else if el.cost < blind.cost && fewer == 0.0 {
        format!("a {} saving with no more violation steps", pct(el.cost, blind.cost))
    } else if el.cost < blind.cost {
        format!(
            "a {} saving at the price of {} more violation steps",
            pct(el.cost, blind.cost),
            n(fewer)
        )
    } else if fewer > 0.0 {
        format!("{} fewer violation steps for {} more cost", n(fewer), pct(el.cost, blind.cost))
    } else {
        "nothing on this run".to_string()
    };
    format!(
        "Without the forecast in its state ({}) it costs {:.2} with {} violation steps: the forecast buys {buys}.",
        blind.short,
        Figure(blind.cost),
        steps(blind.sla_violation_steps)
    )
}
