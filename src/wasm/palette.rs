//! Colours: Okabe-Ito for the worlds (distinguishable with every common colour
//! vision deficiency), and the PuOr diverging map for Q-values (orange bad,
//! purple good), never colour alone: lines are labelled and differ in style.

use plotters::style::RGBColor;

pub const STATIC: RGBColor = RGBColor(0xD5, 0x5E, 0x00); // vermillion
pub const ELASTIC: RGBColor = RGBColor(0x00, 0x72, 0xB2); // blue
pub const RULE: RGBColor = RGBColor(0x00, 0x9E, 0x73); // bluish green
pub const ORACLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7); // reddish purple
pub const FORECAST: RGBColor = RGBColor(0xE6, 0x9F, 0x00); // orange
/// Elastic replicas still booting (a light tint of the Elastic blue).
pub const BOOTING: RGBColor = RGBColor(0xA6, 0xCE, 0xE3);
pub const DEMAND: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
pub const GRID: RGBColor = RGBColor(0xEB, 0xEB, 0xEB);
pub const PAPER: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
/// An unvisited heatmap cell: unknown, not a value.
pub const UNKNOWN: RGBColor = RGBColor(0xC8, 0xC8, 0xC8);

/// The colour and line style of a world by name.
pub fn world(name: &str) -> RGBColor {
    match name {
        "Static" => STATIC,
        "Rule" => RULE,
        "Oracle" => ORACLE,
        _ => ELASTIC,
    }
}

/// PuOr: -1 (orange) through white to +1 (purple); `v` is clamped.
pub fn diverging(v: f64) -> RGBColor {
    const LOW: [f64; 3] = [179.0, 88.0, 6.0];
    const MID: [f64; 3] = [247.0, 247.0, 247.0];
    const HIGH: [f64; 3] = [84.0, 39.0, 136.0];
    let v = if v.is_finite() { v.clamp(-1.0, 1.0) } else { 0.0 };
    let (from, to, t) = if v < 0.0 { (MID, LOW, -v) } else { (MID, HIGH, v) };
    let mix = |i: usize| (from[i] + (to[i] - from[i]) * t).round() as u8;
    RGBColor(mix(0), mix(1), mix(2))
}
