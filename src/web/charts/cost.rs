//! The cumulative cost chart, with the Elastic world's saving against Static in
//! words.

use super::{hours, note, per_column, shown, time_axes, world_line};
use crate::policy::WorldKind;
use crate::view::history::last;
use crate::view::{palette, Page};
use crate::web::axes::TimeChart;
use crate::web::canvas::TextBox;
use crate::web::labels::{label_ends, EndLabel};

/// Cumulative cost per world, and the Elastic world's saving against Static.
pub fn cost(c: &mut TimeChart, page: &Page, out: &mut Vec<TextBox>) -> Result<(), String> {
    let (session, history) = (&page.session, &page.history);
    let s = &session.scenario;
    let most = s.scaling.max_replicas as f64
        * s.replica.price_per_hour
        * hours(session, session.judge.len());
    let axes = time_axes(session, (0, session.judge.len()), (0.0, most.max(1.0)), "cost");
    let Some((area, mut chart)) = c.frame(&axes, out)? else { return Ok(()) };
    let x = |i: usize| hours(session, history.step_of(i));
    let mut labels = Vec::new();
    for t in shown(page) {
        let points: Vec<(f64, f64)> = t.cost.iter().enumerate().map(|(i, &v)| (x(i), v)).collect();
        if let Some(&end) = points.last() {
            labels.push(EndLabel {
                at: end,
                text: format!("{} {:.0}", t.kind.short(), end.1),
                color: palette::world(t.kind).colour,
            });
        }
        world_line(&mut chart, c, t.kind, per_column(c, points, last))?;
    }
    let total = |kind| {
        history.track(kind).filter(|_| page.shows(kind)).and_then(|t| t.cost.last().copied())
    };
    if let (Some(st), Some(el)) = (total(WorldKind::Static), total(WorldKind::Elastic)) {
        if st > 0.0 {
            let pct = 100.0 * (st - el) / st;
            let (el, st) = (WorldKind::Elastic.short(), WorldKind::Static.short());
            let words = if pct >= 0.0 {
                format!("{el} saves {pct:.1} % against {st} so far")
            } else {
                format!("{el} costs {:.1} % more than {st} so far", -pct)
            };
            note(&area, &chart, &c.surface, &words, 13.0, out)?;
        }
    }
    label_ends(&area, &chart, &c.surface, labels, out)
}
