//! Canvases drawn crisp on HiDPI screens, and charts whose axes are drawn once.
//!
//! plotters-canvas draws at the canvas's backing size and sets no transform, so the
//! backing store is sized to the CSS size times `devicePixelRatio` and every length
//! here is given in CSS pixels and scaled ([`Surface::px`]); `ctx.scale` would make
//! the backend's `get_size` lie. Axes and labels are the costly part of a frame (and
//! text measurement creates a DOM element per label), so a chart's static part is
//! drawn into an offscreen layer when its axes change, and each frame copies the
//! layer and draws the data only.

use plotters::chart::ChartState;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::BackendColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use std::fmt::Display;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Document, HtmlCanvasElement};

use crate::view::palette::{self, Rgb};

/// The core's colours are plotters colours here.
impl Color for Rgb {
    fn to_backend_color(&self) -> BackendColor {
        BackendColor { alpha: 1.0, rgb: (self.0, self.1, self.2) }
    }
}

pub type Area = DrawingArea<CanvasBackend, Shift>;
pub type Xy = Cartesian2d<RangedCoordf64, RangedCoordf64>;
pub type Chart = ChartContext<'static, CanvasBackend, Xy>;

/// A drawing failure as the message JavaScript receives.
pub fn fail(e: impl Display) -> String {
    format!("drawing failed: {e}")
}

/// Body text size (CSS pixels).
pub const TEXT: f64 = 12.0;

/// A page canvas and its offscreen layer.
pub struct Surface {
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
    layer: HtmlCanvasElement,
    layer_key: Option<String>,
    /// Device pixels per CSS pixel.
    pub scale: f64,
}

fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

impl Surface {
    /// The canvas with id `id`, for the panel named `panel` (named in errors).
    pub fn find(document: &Document, id: &str, panel: &str) -> Result<Surface, String> {
        let element = document.get_element_by_id(id).ok_or_else(|| format!("the {panel} panel: no element has the id \"{id}\""))?;
        let canvas: HtmlCanvasElement = element.dyn_into().map_err(|_| format!("the {panel} panel: the element \"{id}\" is not a <canvas>"))?;
        let context = context_2d(&canvas).ok_or_else(|| format!("the {panel} panel: the canvas \"{id}\" has no 2D context"))?;
        let layer: HtmlCanvasElement = document
            .create_element("canvas")
            .ok()
            .and_then(|e| e.dyn_into().ok())
            .ok_or_else(|| format!("the {panel} panel: cannot create an offscreen canvas"))?;
        Ok(Surface { canvas, context, layer, layer_key: None, scale: 1.0 })
    }

    /// Sizes the backing store to the displayed size times the pixel ratio. False
    /// when the canvas is not displayed (nothing to draw).
    pub fn fit(&mut self) -> bool {
        let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        let ratio = if ratio.is_finite() && ratio > 0.0 { ratio.min(4.0) } else { 1.0 };
        let (w, h) = (self.canvas.client_width(), self.canvas.client_height());
        if w <= 0 || h <= 0 {
            return false;
        }
        let (bw, bh) = ((w as f64 * ratio).round() as u32, (h as f64 * ratio).round() as u32);
        // The canvas may already have this size (from an earlier Playground); the
        // new layer may not.
        let sized = |c: &HtmlCanvasElement| c.width() == bw && c.height() == bh;
        if !sized(&self.canvas) || !sized(&self.layer) || self.scale != ratio {
            for c in [&self.canvas, &self.layer] {
                c.set_width(bw);
                c.set_height(bh);
            }
            self.layer_key = None;
        }
        self.scale = ratio;
        true
    }

    /// A length in CSS pixels, in backing pixels.
    pub fn px(&self, css: f64) -> i32 {
        (css * self.scale).round() as i32
    }

    /// Runs `draw` with the canvas's strokes dashed (`pattern` in CSS pixels). The
    /// canvas dashes a whole path in one stroke; plotters' dashed series strokes
    /// each dash as a path of its own, hundreds a line, most of a frame's time.
    pub fn dashed(&self, pattern: &[f64], draw: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
        let dashes: js_sys::Array = pattern.iter().map(|&d| wasm_bindgen::JsValue::from(d * self.scale)).collect();
        let set = self.context.set_line_dash(&dashes);
        let drawn = draw();
        let reset = self.context.set_line_dash(&js_sys::Array::new());
        set.and(reset).map_err(|_| "the canvas refused a dash pattern".to_string())?;
        drawn
    }

    /// The backing size.
    pub fn size(&self) -> (i32, i32) {
        (self.canvas.width() as i32, self.canvas.height() as i32)
    }

    /// A font of `css` pixels. (Families are named by the enum, not by text, which
    /// plotters would lowercase with Unicode tables that cost the wasm 4 KB.)
    pub fn font(&self, css: f64) -> TextStyle<'static> {
        TextStyle::from((FontFamily::SansSerif, css * self.scale).into_font()).color(&palette::INK)
    }

    /// A monospace font of `css` pixels.
    pub fn mono(&self, css: f64) -> TextStyle<'static> {
        TextStyle::from((FontFamily::Monospace, css * self.scale).into_font()).color(&palette::INK)
    }

    /// The layer, cleared, if it must be redrawn for `key`; `None` when it is
    /// already drawn for it.
    pub fn layer(&mut self, key: String) -> Result<Option<Area>, String> {
        if self.layer_key.as_ref() == Some(&key) {
            return Ok(None);
        }
        let backend = CanvasBackend::with_canvas_object(self.layer.clone()).ok_or("the offscreen canvas has no 2D context")?;
        let area = backend.into_drawing_area();
        area.fill(&palette::PAPER).map_err(fail)?;
        self.layer_key = Some(key);
        Ok(Some(area))
    }

    /// The visible canvas, reset to the layer: the frame to draw the data on.
    pub fn frame(&self) -> Result<Area, String> {
        self.context
            .draw_image_with_html_canvas_element(&self.layer, 0.0, 0.0)
            .map_err(|_| "cannot copy the offscreen layer".to_string())?;
        self.area()
    }

    /// The visible canvas, cleared to paper.
    pub fn blank(&self) -> Result<Area, String> {
        let area = self.area()?;
        area.fill(&palette::PAPER).map_err(fail)?;
        Ok(area)
    }

    fn area(&self) -> Result<Area, String> {
        let backend = CanvasBackend::with_canvas_object(self.canvas.clone()).ok_or("the canvas has no 2D context")?;
        Ok(backend.into_drawing_area())
    }
}

/// The axes of a chart: ranges, tick labels and their units.
#[derive(Debug, Clone, PartialEq)]
pub struct Axes {
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub x_desc: String,
    pub y_desc: String,
    pub x_ticks: usize,
    pub y_ticks: usize,
}

/// Room on the right of the plot for the direct line labels (CSS pixels).
const LABEL_ROOM: f64 = 74.0;

/// A chart on a surface, its axes drawn in the layer.
pub struct TimeChart {
    pub surface: Surface,
    state: Option<ChartState<Xy>>,
}

impl TimeChart {
    pub fn new(surface: Surface) -> TimeChart {
        TimeChart { surface, state: None }
    }

    /// The chart for this frame: the layer redrawn if `axes` or the size changed,
    /// copied to the canvas, and the chart's coordinates restored on it. `None`
    /// when the canvas is not displayed.
    pub fn frame(&mut self, axes: &Axes) -> Result<Option<(Area, Chart)>, String> {
        if !self.surface.fit() {
            return Ok(None);
        }
        let key = format!("{axes:?}");
        if let Some(layer) = self.surface.layer(key)? {
            self.state = Some(draw_axes(&layer, &self.surface, axes)?);
        }
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

fn draw_axes(area: &Area, s: &Surface, axes: &Axes) -> Result<ChartState<Xy>, String> {
    let (x0, x1) = if axes.x.1 > axes.x.0 { axes.x } else { (axes.x.0, axes.x.0 + 1.0) };
    let (y0, y1) = if axes.y.1 > axes.y.0 { axes.y } else { (axes.y.0, axes.y.0 + 1.0) };
    let mut chart = ChartBuilder::on(area)
        .margin_top(s.px(10.0))
        .margin_left(s.px(4.0))
        .margin_bottom(s.px(4.0))
        .margin_right(s.px(LABEL_ROOM))
        .x_label_area_size(s.px(36.0))
        .y_label_area_size(s.px(52.0))
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(fail)?;
    let (xspan, yspan) = (x1 - x0, y1 - y0);
    let xf = move |v: &f64| tick(*v, xspan);
    let yf = move |v: &f64| tick(*v, yspan);
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID.stroke_width(s.px(1.0).max(1) as u32))
        .axis_style(palette::MUTED.stroke_width(s.px(1.0).max(1) as u32))
        .x_labels(axes.x_ticks)
        .y_labels(axes.y_ticks)
        .x_label_formatter(&xf)
        .y_label_formatter(&yf)
        .label_style(s.font(11.0).color(&palette::MUTED))
        .axis_desc_style(s.font(11.0).color(&palette::MUTED))
        .x_desc(axes.x_desc.as_str())
        .y_desc(axes.y_desc.as_str())
        .draw()
        .map_err(fail)?;
    Ok(chart.into_chart_state())
}

/// A line's label at its end: the value where the line ends, the words, the colour.
pub struct EndLabel {
    pub at: (f64, f64),
    pub text: String,
    pub color: Rgb,
}

/// Labels lines directly, to the right of their ends, pushed apart vertically so
/// that they never overlap, and kept within the plotting area (above the x axis's
/// ticks, which six stacked labels of lines near zero would cover). Labels whose
/// ends are far apart (the SLA's at the chart's end, the worlds' at the step
/// played) stack apart: one never moves another.
pub fn label_ends(area: &Area, chart: &Chart, s: &Surface, labels: Vec<EndLabel>) -> Result<(), String> {
    let gap = s.px(TEXT + 2.0);
    let near = s.px(40.0);
    let bottom = chart.plotting_area().get_pixel_range().1.end - s.px(TEXT / 2.0);
    let mut stacks: Vec<Vec<(i32, i32, EndLabel)>> = Vec::new();
    for l in labels {
        let (x, y) = chart.backend_coord(&l.at);
        match stacks.iter_mut().find(|st| (st[0].0 - x).abs() < near) {
            Some(stack) => stack.push((x, y, l)),
            None => stacks.push(vec![(x, y, l)]),
        }
    }
    for mut placed in stacks {
        placed.sort_by_key(|p| p.1);
        for i in 1..placed.len() {
            let min = placed[i - 1].1 + gap;
            if placed[i].1 < min {
                placed[i].1 = min;
            }
        }
        // If pushing down ran below the plotting area, shift the stack up.
        let over = placed.last().map_or(0, |last| last.1 - bottom);
        for (x, y, l) in placed {
            let style = s.font(TEXT).color(&l.color).pos(Pos::new(HPos::Left, VPos::Center));
            area.draw(&Text::new(l.text, (x + s.px(6.0), y - over.max(0)), style)).map_err(fail)?;
        }
    }
    Ok(())
}

/// A line of `width` CSS pixels.
pub fn stroke(s: &Surface, color: Rgb, width: f64) -> ShapeStyle {
    color.stroke_width((width * s.scale).round().max(1.0) as u32)
}
