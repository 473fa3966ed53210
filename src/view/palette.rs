//! Colours: Okabe-Ito for the worlds (distinguishable with every common colour
//! vision deficiency), and the PuOr diverging map for Q-values (orange bad,
//! purple good), never colour alone: lines are labelled and differ in style,
//! and markers differ in shape.

use crate::policy::WorldKind;
use crate::view::moments::MomentKind;

/// A colour as red, green and blue bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const STATIC: Rgb = Rgb(0xD5, 0x5E, 0x00); // vermillion
pub const ELASTIC: Rgb = Rgb(0x00, 0x72, 0xB2); // blue
pub const RULE: Rgb = Rgb(0x00, 0x9E, 0x73); // bluish green
pub const ORACLE: Rgb = Rgb(0xCC, 0x79, 0xA7); // reddish purple
pub const PREDICTIVE: Rgb = Rgb(0x33, 0x33, 0x33); // black (softened)
pub const NO_FORECAST: Rgb = Rgb(0x56, 0xB4, 0xE9); // sky blue
pub const FORECAST: Rgb = Rgb(0xE6, 0x9F, 0x00); // orange
pub const YELLOW: Rgb = Rgb(0xF0, 0xE4, 0x42);
/// Elastic replicas still booting (a light tint of the Elastic blue).
pub const BOOTING: Rgb = Rgb(0xA6, 0xCE, 0xE3);
pub const DEMAND: Rgb = Rgb(0xD9, 0xD9, 0xD9);
pub const INK: Rgb = Rgb(0x22, 0x22, 0x22);
pub const MUTED: Rgb = Rgb(0x66, 0x66, 0x66);
pub const GRID: Rgb = Rgb(0xEB, 0xEB, 0xEB);
pub const PAPER: Rgb = Rgb(0xFF, 0xFF, 0xFF);
/// An unvisited heatmap cell: unknown, not a value.
pub const UNKNOWN: Rgb = Rgb(0xC8, 0xC8, 0xC8);

/// How a world's line is drawn: colour, width (CSS pixels) and dash pattern
/// (empty: solid), so that colour is never the only cue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineStyle {
    pub colour: Rgb,
    pub width: f64,
    pub dash: &'static [f64],
}

/// A world's line style.
pub fn world(kind: WorldKind) -> LineStyle {
    match kind {
        WorldKind::Static => LineStyle { colour: STATIC, width: 2.5, dash: &[] },
        WorldKind::Rule => LineStyle { colour: RULE, width: 2.0, dash: &[7.0, 4.0] },
        WorldKind::Elastic => LineStyle { colour: ELASTIC, width: 2.0, dash: &[] },
        WorldKind::Oracle => LineStyle { colour: ORACLE, width: 2.0, dash: &[2.0, 3.0] },
        WorldKind::Predictive => {
            LineStyle { colour: PREDICTIVE, width: 1.5, dash: &[8.0, 3.0, 2.0, 3.0] }
        }
        WorldKind::NoForecast => LineStyle { colour: NO_FORECAST, width: 2.0, dash: &[4.0, 2.0] },
    }
}

/// A marker's shape (a moment's on the capacity chart, a world's on the frontier).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    /// A circle's outline.
    Ring,
    Square,
    Diamond,
    /// A triangle pointing up.
    Up,
    /// A triangle pointing down.
    Down,
}

/// How a moment is marked: shape, fill (Okabe-Ito, drawn with a dark outline so
/// that it shows on any line) and a word for the legend.
pub fn moment(kind: MomentKind) -> (Shape, Rgb, &'static str) {
    match kind {
        MomentKind::PreEmptive => (Shape::Up, RULE, "pre-emptive"),
        MomentKind::LateReaction => (Shape::Square, STATIC, "late"),
        MomentKind::Oscillation => (Shape::Diamond, ORACLE, "oscillation"),
        MomentKind::Saving => (Shape::Circle, YELLOW, "saving"),
    }
}

/// A world's point on the frontier panel.
pub fn world_mark(kind: WorldKind) -> Shape {
    match kind {
        WorldKind::Static => Shape::Square,
        WorldKind::Rule => Shape::Up,
        WorldKind::Elastic => Shape::Circle,
        WorldKind::Oracle => Shape::Diamond,
        WorldKind::Predictive => Shape::Down,
        WorldKind::NoForecast => Shape::Ring,
    }
}

/// PuOr: -1 (orange) through white to +1 (purple); `v` is clamped.
pub fn diverging(v: f64) -> Rgb {
    const LOW: [f64; 3] = [179.0, 88.0, 6.0];
    const MID: [f64; 3] = [247.0, 247.0, 247.0];
    const HIGH: [f64; 3] = [84.0, 39.0, 136.0];
    let v = if v.is_finite() { v.clamp(-1.0, 1.0) } else { 0.0 };
    let (from, to, t) = if v < 0.0 { (MID, LOW, -v) } else { (MID, HIGH, v) };
    let mix = |i: usize| (from[i] + (to[i] - from[i]) * t).round() as u8;
    Rgb(mix(0), mix(1), mix(2))
}
