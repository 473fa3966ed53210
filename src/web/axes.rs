//! A chart's axes, drawn once: the plot, its grid, tick labels and units go into
//! the surface's offscreen layer when the axes (or the size) change, and each
//! frame copies the layer and restores the chart's coordinates on it to draw the
//! data only ([`TimeChart::frame`]). Axes and labels are the costly part of a
//! frame; this is what keeps them out of it. The ticks are drawn here rather than
//! by plotters' mesh so that every label's box is recorded.

use super::canvas::{fail, stroke, Area, Surface, TextBox, TEXT};
use plotters::chart::ChartState;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;

use crate::view::palette;

pub type Xy = Cartesian2d<RangedCoordf64, RangedCoordf64>;
pub type Chart = ChartContext<'static, CanvasBackend, Xy>;

/// The axes of a chart: ranges, tick labels and their units.
#[derive(Debug, Clone, PartialEq)]
pub struct Axes {
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub x_desc: String,
    pub y_desc: String,
    pub x_ticks: usize,
    pub y_ticks: usize,
    /// Room above the plot for a legend (CSS pixels).
    pub top: f64,
}

/// Room on the right of the plot for the direct line labels (CSS pixels).
const LABEL_ROOM: f64 = 86.0;

/// A chart on a surface, its axes drawn in the layer.
pub struct TimeChart {
    pub surface: Surface,
    state: Option<ChartState<Xy>>,
    /// The axes' texts, drawn with the layer.
    axis_texts: Vec<TextBox>,
}

impl TimeChart {
    pub fn new(surface: Surface) -> TimeChart {
        TimeChart { surface, state: None, axis_texts: Vec::new() }
    }

    /// The chart for this frame: the layer redrawn if `axes` or the size changed,
    /// copied to the canvas, and the chart's coordinates restored on it. `None`
    /// when the canvas is not displayed.
    /// The axes' texts are added to `out`.
    pub fn frame(
        &mut self,
        axes: &Axes,
        out: &mut Vec<TextBox>,
    ) -> Result<Option<(Area, Chart)>, String> {
        if !self.surface.fit() {
            return Ok(None);
        }
        // The layer's key: every field, the floats by their bits (no Debug
        // formatting in the wasm for it).
        let a = axes;
        let key = format!(
            "{} {} {} {} {} {} {} {} {}",
            a.x.0.to_bits(),
            a.x.1.to_bits(),
            a.y.0.to_bits(),
            a.y.1.to_bits(),
            a.top.to_bits(),
            a.x_ticks,
            a.y_ticks,
            a.x_desc,
            a.y_desc
        );
        if let Some(layer) = self.surface.layer(key)? {
            self.axis_texts.clear();
            self.state = Some(draw_axes(&layer, &self.surface, axes, &mut self.axis_texts)?);
        }
        out.extend(self.axis_texts.iter().cloned());
        let state = self.state.clone().ok_or("the chart's axes were never drawn")?;
        let area = self.surface.frame()?;
        let chart = state.restore(&area);
        Ok(Some((area, chart)))
    }
}

fn tick(v: f64, span: f64) -> String {
    let v = if v.abs() < 1e-9 * span.max(1e-300) { 0.0 } else { v };
    if span >= 20.0 {
        format!("{v:.0}")
    } else if span >= 2.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The plot, its grid, axis lines and labels, drawn here rather than by
/// plotters' mesh so that every label's box is known.
fn draw_axes(
    area: &Area,
    s: &Surface,
    axes: &Axes,
    out: &mut Vec<TextBox>,
) -> Result<ChartState<Xy>, String> {
    let (x0, x1) = if axes.x.1 > axes.x.0 { axes.x } else { (axes.x.0, axes.x.0 + 1.0) };
    let (y0, y1) = if axes.y.1 > axes.y.0 { axes.y } else { (axes.y.0, axes.y.0 + 1.0) };
    let chart = ChartBuilder::on(area)
        .margin_top(s.px(10.0 + axes.top))
        .margin_left(s.px(66.0))
        .margin_bottom(s.px(46.0))
        .margin_right(s.px(LABEL_ROOM))
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(fail)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (left, right, top, bottom) = (xr.start, xr.end, yr.start, yr.end);
    let grid = stroke(s, palette::GRID, 1.0);
    let line = stroke(s, palette::MUTED, 1.0);
    let canvas = s.bounds();
    let label = |h, v| s.font(TEXT).color(&palette::MUTED).pos(Pos::new(h, v));
    let (xspan, yspan) = (x1 - x0, y1 - y0);
    for x in chart.as_coord_spec().x_spec().key_points(axes.x_ticks) {
        let (px, _) = chart.backend_coord(&(x, y0));
        area.draw(&PathElement::new(vec![(px, top), (px, bottom)], grid)).map_err(fail)?;
        s.write(
            area,
            out,
            &tick(x, xspan),
            (px, bottom + s.px(5.0)),
            &label(HPos::Center, VPos::Top),
            canvas,
        )?;
    }
    for y in chart.as_coord_spec().y_spec().key_points(axes.y_ticks) {
        let (_, py) = chart.backend_coord(&(x0, y));
        area.draw(&PathElement::new(vec![(left, py), (right, py)], grid)).map_err(fail)?;
        s.write(
            area,
            out,
            &tick(y, yspan),
            (left - s.px(5.0), py),
            &label(HPos::Right, VPos::Center),
            canvas,
        )?;
    }
    area.draw(&PathElement::new(vec![(left, top), (left, bottom), (right, bottom)], line))
        .map_err(fail)?;
    s.write(
        area,
        out,
        &axes.x_desc,
        ((left + right) / 2, canvas.3 - s.px(2.0)),
        &label(HPos::Center, VPos::Bottom),
        canvas,
    )?;
    let rotated = s
        .font(TEXT)
        .color(&palette::MUTED)
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Top));
    s.write(area, out, &axes.y_desc, (s.px(2.0), (top + bottom) / 2), &rotated, canvas)?;
    Ok(chart.into_chart_state())
}
