//! The frontier in text: its points as CSV and as a fixed-width table, and its
//! two verdicts in words. Separate from the points and their verdicts, which
//! tests and the benches read as numbers.

use super::{Frontier, Point, RULE_TARGET, VIOLATION_WEIGHT};
use crate::math::stats::Stat;
use crate::math::Figure;

impl Frontier {
    /// Every point as CSV, the columns named in the header; `preset` fills the
    /// first column. Numbers at full precision (they read back to the same bits).
    pub fn csv(&self, preset: &str) -> String {
        let mut text = String::from(
            "preset,world,knob,value,seeds,cost,cost_ci95,violation_steps,violation_ci95,capacity_changes,changes_ci95,early_scale_ups,early_ci95,late_scale_ups,late_ci95\n",
        );
        for p in &self.points {
            let (knob, value) = p
                .knob
                .as_ref()
                .map_or((String::new(), String::new()), |(k, v)| (k.clone(), v.to_string()));
            let stats = [
                p.cost,
                p.violation_steps,
                p.capacity_changes,
                p.early_scale_ups,
                p.late_scale_ups,
            ]
            .map(|s| format!("{},{}", s.mean, s.half_width_95))
            .join(",");
            text += &format!(
                "{},{},{knob},{value},{},{stats}\n",
                csv_field(preset),
                csv_field(&p.world),
                p.seeds
            );
        }
        text
    }

    /// Every point as a fixed-width table: means ± 95 % half-widths; the default
    /// points marked `*`.
    pub fn table(&self) -> String {
        let pm = |s: Stat, digits: usize| {
            format!("{:>9.digits$} ± {:<7.digits$}", Figure(s.mean), Figure(s.half_width_95))
        };
        let header = format!(
            "{:<26} {:<14} {:^19} {:^19} {:>6}  {:^19} {:^15} {:^15}",
            "world",
            "knob",
            "cost",
            "violation steps",
            "viol%",
            "capacity changes",
            "early scale-ups",
            "late scale-ups"
        );
        let mut out = format!("{}\n", header.trim_end());
        for p in &self.points {
            let knob = match &p.knob {
                Some((k, v)) if k == RULE_TARGET => {
                    format!("target {v:.2}{}", if *v == self.own_target { " *" } else { "" })
                }
                Some((k, v)) if k == VIOLATION_WEIGHT => {
                    format!("weight {v}{}", if *v == self.own_weight { " *" } else { "" })
                }
                Some((k, v)) => format!("{k} {v}"),
                None => "-".into(),
            };
            let pct = 100.0 * p.violation_steps.mean / self.steps.max(1) as f64;
            let row = format!(
                "{:<26} {:<14} {} {} {:>6.2}  {} {} {}",
                p.world,
                knob,
                pm(p.cost, 1),
                pm(p.violation_steps, 1),
                Figure(pct),
                pm(p.capacity_changes, 0),
                pm(p.early_scale_ups, 0),
                pm(p.late_scale_ups, 0)
            );
            out += row.trim_end();
            out.push('\n');
        }
        out
    }

    /// The frontier's two verdicts in words: the agent's default point against
    /// the Rule's frontier, and the monotonicity along the agent's.
    pub fn verdicts(&self) -> String {
        let mut words = String::new();
        if let Some(b) = self.below_rule() {
            let a = b.agent;
            let at = |p: &Point| {
                format!(
                    "{:.1} at {} violation steps",
                    Figure(p.cost.mean),
                    crate::judge::steps(p.violation_steps.mean)
                )
            };
            let target = |p: &Point| format!("{:.2}", p.value().unwrap_or(f64::NAN));
            words += &match (b.below, b.cheapest_as_reliable) {
                (true, Some(r)) => format!(
                    "Below the Rule's frontier: the agent (weight {}) costs {}; the cheapest Rule target with no more violations, {}, costs {}.\n",
                    self.own_weight,
                    at(a),
                    target(r),
                    at(r)
                ),
                (false, Some(r)) => format!(
                    "Not below the Rule's frontier: the agent (weight {}) costs {}; the Rule at target {} costs {}.\n",
                    self.own_weight,
                    at(a),
                    target(r),
                    at(r)
                ),
                (_, None) => format!(
                    "Below the Rule's frontier, as no Rule target is as reliable: the agent (weight {}) costs {}; the most reliable Rule, target {}, costs {}.\n",
                    self.own_weight,
                    at(a),
                    b.most_reliable.map_or("-".into(), target),
                    b.most_reliable.map_or("-".into(), at)
                ),
            };
        }
        let m = self.monotone();
        words += &match m.worst {
            None => "The agent's frontier has one weight: nothing to compare.\n".into(),
            Some(w) if m.holds => format!(
                "Monotone along the agent's frontier: violation steps never rise beyond the intervals as the weight grows more negative ({} pairs; closest, {} to {}: {:+.1} against ±{:.1}).\n",
                m.pairs, w.from, w.to, Figure(w.rise), Figure(w.allowed)
            ),
            Some(w) => format!(
                "Not monotone along the agent's frontier: from weight {} to {} violation steps rise by {:.1}, more than the intervals' {:.1}.\n",
                w.from, w.to, Figure(w.rise), Figure(w.allowed)
            ),
        };
        words
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_with_a_comma_is_quoted() {
        assert_eq!(csv_field("Elastic, no forecast"), "\"Elastic, no forecast\"");
        assert_eq!(csv_field("Rule"), "Rule");
    }
}
