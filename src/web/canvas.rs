//! Canvases drawn crisp on HiDPI screens, each with an offscreen layer, and the
//! primitives every panel draws with (texts recorded, lines, markers).
//!
//! plotters-canvas draws at the canvas's backing size and sets no transform, so the
//! backing store is sized to the CSS size times `devicePixelRatio` and every length
//! here is given in CSS pixels and scaled ([`Surface::px`]); `ctx.scale` would make
//! the backend's `get_size` lie. Axes and labels are the costly part of a frame (and
//! text measurement creates a DOM element per label), so a chart's static part is
//! drawn into an offscreen layer ([`Surface::layer`]) when its axes change
//! ([`super::axes`]), and each frame copies the layer and draws the data only.
//!
//! Every text is drawn through [`Surface::write`], which measures it with the 2D
//! context (`measureText`, no DOM element) and records its box and the box it
//! must stay inside ([`TextBox`]): the page's tests check them.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::BackendColor;
use plotters_canvas::CanvasBackend;
use std::fmt::Display;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Document, HtmlCanvasElement};

use crate::view::palette::{self, Rgb, Shape};

/// The core's colours are plotters colours here.
impl Color for Rgb {
    fn to_backend_color(&self) -> BackendColor {
        BackendColor { alpha: 1.0, rgb: (self.0, self.1, self.2) }
    }
}

pub type Area = DrawingArea<CanvasBackend, Shift>;

/// A drawing failure as the message JavaScript receives.
pub fn fail(e: impl Display) -> String {
    format!("drawing failed: {e}")
}

/// Body text size (CSS pixels).
pub const TEXT: f64 = 14.0;

/// A rectangle in backing pixels: left, top, right, bottom.
pub type Bounds = (i32, i32, i32, i32);

/// A text drawn, and the box it must stay inside, in CSS pixels from its
/// canvas's top-left corner. `panel` is the canvas's key in the ids the page
/// gave (`capacity`, `latency`, `cost`, `heatmap`, `forecast`, `curve`,
/// `forensics`, `frontier`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TextBox {
    pub panel: &'static str,
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub area: Rect,
}

/// A rectangle in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.x + self.w && y >= self.y && y <= self.y + self.h
    }
}

/// A page canvas and its offscreen layer.
pub struct Surface {
    /// The canvas's key in the page's ids ([`TextBox::panel`]).
    pub key: &'static str,
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
    pub fn find(
        document: &Document,
        id: &str,
        panel: &str,
        key: &'static str,
    ) -> Result<Surface, String> {
        let element = document
            .get_element_by_id(id)
            .ok_or_else(|| format!("the {panel} panel: no element has the id \"{id}\""))?;
        let canvas: HtmlCanvasElement = element
            .dyn_into()
            .map_err(|_| format!("the {panel} panel: the element \"{id}\" is not a <canvas>"))?;
        let context = context_2d(&canvas)
            .ok_or_else(|| format!("the {panel} panel: the canvas \"{id}\" has no 2D context"))?;
        let layer: HtmlCanvasElement = document
            .create_element("canvas")
            .ok()
            .and_then(|e| e.dyn_into().ok())
            .ok_or_else(|| format!("the {panel} panel: cannot create an offscreen canvas"))?;
        Ok(Surface { key, canvas, context, layer, layer_key: None, scale: 1.0 })
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
    pub fn dashed(
        &self,
        pattern: &[f64],
        draw: impl FnOnce() -> Result<(), String>,
    ) -> Result<(), String> {
        let dashes: js_sys::Array =
            pattern.iter().map(|&d| wasm_bindgen::JsValue::from(d * self.scale)).collect();
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

    /// The whole canvas, in backing pixels.
    pub fn bounds(&self) -> Bounds {
        let (w, h) = self.size();
        (0, 0, w, h)
    }

    /// A text's width and height in backing pixels, as the 2D context measures it
    /// in `style`'s font (the font's full height, not the glyphs').
    pub fn measure(&self, text: &str, style: &TextStyle) -> (f64, f64) {
        let f = &style.font;
        let size = f.get_size();
        // As plotters-canvas sets the font to draw it.
        self.context.set_font(&format!(
            "{} {}px {}",
            f.get_style().as_str(),
            size,
            f.get_family().as_str()
        ));
        match self.context.measure_text(text) {
            Ok(m) if m.width().is_finite() => {
                let h = m.font_bounding_box_ascent() + m.font_bounding_box_descent();
                (m.width(), if h.is_finite() && h > 0.0 { h } else { 1.2 * size })
            }
            _ => (0.6 * size * text.chars().count() as f64, 1.2 * size),
        }
    }

    /// Where a text drawn at `at` in `style` lies: (left, top, width, height) in
    /// backing pixels.
    pub fn place(&self, text: &str, at: (i32, i32), style: &TextStyle) -> (f64, f64, f64, f64) {
        let (w, h) = self.measure(text, style);
        let (x, y) = (at.0 as f64, at.1 as f64);
        // Rotated a quarter turn, the text runs along y and its height along x.
        let quarter = matches!(
            style.font.get_transform(),
            FontTransform::Rotate90 | FontTransform::Rotate270
        );
        let (along, across) = match style.pos.h_pos {
            HPos::Left => (0.0, w),
            HPos::Center => (-w / 2.0, w),
            HPos::Right => (-w, w),
        };
        let (down, tall) = match style.pos.v_pos {
            VPos::Top => (0.0, h),
            VPos::Center => (-h / 2.0, h),
            VPos::Bottom => (-h, h),
        };
        if quarter {
            // Rotate270 (the only one used): the text runs up from its anchor,
            // its top towards +x.
            (x + down, y - along - across, tall, across)
        } else {
            (x + along, y + down, across, tall)
        }
    }

    /// Draws `text` at `at` in `style` and records its box and `inside`, the box
    /// it must stay within, in `out`.
    pub fn write(
        &self,
        area: &Area,
        out: &mut Vec<TextBox>,
        text: &str,
        at: (i32, i32),
        style: &TextStyle,
        inside: Bounds,
    ) -> Result<(), String> {
        let (x, y, w, h) = self.place(text, at, style);
        self.record(out, text, (x, y, w, h), inside);
        area.draw(&Text::new(text, at, style.clone())).map_err(fail)
    }

    /// Records a text's box (backing pixels) and the box it must stay inside.
    pub fn record(
        &self,
        out: &mut Vec<TextBox>,
        text: &str,
        (x, y, w, h): (f64, f64, f64, f64),
        inside: Bounds,
    ) {
        let k = self.scale;
        out.push(TextBox {
            panel: self.key,
            text: text.to_string(),
            x: x / k,
            y: y / k,
            w: w / k,
            h: h / k,
            area: Rect {
                x: inside.0 as f64 / k,
                y: inside.1 as f64 / k,
                w: (inside.2 - inside.0) as f64 / k,
                h: (inside.3 - inside.1) as f64 / k,
            },
        });
    }

    /// The largest size from `size` down to `least` (CSS pixels) at which `text`
    /// is at most `width` backing pixels wide, and the text, cut with "…" when
    /// it is wider even at `least`.
    pub fn fit_line(&self, text: &str, size: f64, least: f64, width: f64) -> (String, f64) {
        let (w, _) = self.measure(text, &self.font(size));
        if w <= width {
            return (text.to_string(), size);
        }
        let fitted = (size * width / w).floor().max(least);
        let style = self.font(fitted);
        if self.measure(text, &style).0 <= width {
            return (text.to_string(), fitted);
        }
        let mut cut: String = text.to_string();
        while cut.pop().is_some() {
            let shown = format!("{}…", cut.trim_end());
            if self.measure(&shown, &style).0 <= width {
                return (shown, fitted);
            }
        }
        (String::new(), fitted)
    }

    /// The layer, cleared, if it must be redrawn for `key`; `None` when it is
    /// already drawn for it.
    pub fn layer(&mut self, key: String) -> Result<Option<Area>, String> {
        if self.layer_key.as_ref() == Some(&key) {
            return Ok(None);
        }
        let backend = CanvasBackend::with_canvas_object(self.layer.clone())
            .ok_or("the offscreen canvas has no 2D context")?;
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
        let backend = CanvasBackend::with_canvas_object(self.canvas.clone())
            .ok_or("the canvas has no 2D context")?;
        Ok(backend.into_drawing_area())
    }
}

/// Draws a marker of `shape` centred at `c`, `r` backing pixels from centre to
/// edge, filled with `fill` and outlined in ink.
pub fn marker(
    area: &Area,
    s: &Surface,
    shape: Shape,
    c: (i32, i32),
    r: i32,
    fill: Rgb,
) -> Result<(), String> {
    let (x, y) = c;
    let edge = stroke(s, palette::INK, 1.0);
    let polygon = |points: Vec<(i32, i32)>| -> Result<(), String> {
        let mut closed = points.clone();
        closed.push(points[0]);
        area.draw(&Polygon::new(points, fill.filled())).map_err(fail)?;
        area.draw(&PathElement::new(closed, edge)).map_err(fail)
    };
    match shape {
        Shape::Circle => {
            area.draw(&Circle::new(c, r, fill.filled())).map_err(fail)?;
            area.draw(&Circle::new(c, r, edge)).map_err(fail)
        }
        Shape::Ring => area.draw(&Circle::new(c, r, stroke(s, fill, 2.5))).map_err(fail),
        Shape::Square => {
            let r = r * 17 / 20;
            polygon(vec![(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)])
        }
        Shape::Diamond => polygon(vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)]),
        Shape::Up => polygon(vec![(x, y - r), (x + r, y + r * 7 / 10), (x - r, y + r * 7 / 10)]),
        Shape::Down => polygon(vec![(x - r, y - r * 7 / 10), (x + r, y - r * 7 / 10), (x, y + r)]),
    }
}

/// A line of `width` CSS pixels.
pub fn stroke(s: &Surface, color: Rgb, width: f64) -> ShapeStyle {
    color.stroke_width((width * s.scale).round().max(1.0) as u32)
}
