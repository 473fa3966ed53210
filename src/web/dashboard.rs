//! The dashboard: which canvas shows which panel, and the forensics panel's text
//! drawn.

use super::canvas::{fail, Surface, TimeChart, TEXT};
use super::charts;
use super::heatmap::Heatmap;
use crate::view::text::wrap;
use crate::view::Page;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The canvas element id of each panel.
pub struct CanvasIds {
    pub capacity: String,
    pub latency: String,
    pub cost: String,
    pub heatmap: String,
    pub forecast: String,
    pub curve: String,
    pub forensics: String,
    /// The frontier panel's canvas, if the page has one.
    pub frontier: Option<String>,
}

impl CanvasIds {
    /// Reads `{capacity, latency, cost, heatmap, forecast, curve, forensics}`,
    /// each a canvas element id; the error names the first one missing.
    pub fn read(ids: &wasm_bindgen::JsValue) -> Result<CanvasIds, String> {
        let get = |key: &str| {
            js_sys::Reflect::get(ids, &key.into()).ok().and_then(|v| v.as_string()).ok_or_else(|| {
                format!("canvases: expected {{capacity, latency, cost, heatmap, forecast, curve, forensics}} canvas ids (no id for '{key}')")
            })
        };
        Ok(CanvasIds {
            capacity: get("capacity")?,
            latency: get("latency")?,
            cost: get("cost")?,
            heatmap: get("heatmap")?,
            forecast: get("forecast")?,
            curve: get("curve")?,
            forensics: get("forensics")?,
            frontier: get("frontier").ok(),
        })
    }
}

/// Every panel's canvas.
pub struct Dashboard {
    capacity: TimeChart,
    latency: TimeChart,
    cost: TimeChart,
    forecast: TimeChart,
    curve: TimeChart,
    pub heatmap: Heatmap,
    forensics: Surface,
    frontier: Option<TimeChart>,
    /// Every text drawn by the last `draw` ([`TextBox`]).
    boxes: Vec<TextBox>,
}

/// A text drawn, and the box it must stay inside, in CSS pixels from its
/// canvas's top-left corner.
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

#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Dashboard {
    /// Finds every canvas; the error names the first one missing.
    pub fn find(ids: &CanvasIds) -> Result<Dashboard, String> {
        let document = web_sys::window().and_then(|w| w.document()).ok_or("no document: the playground runs in a page")?;
        let surface = |id: &str, panel: &str| Surface::find(&document, id, panel);
        Ok(Dashboard {
            capacity: TimeChart::new(surface(&ids.capacity, "capacity")?),
            latency: TimeChart::new(surface(&ids.latency, "latency")?),
            cost: TimeChart::new(surface(&ids.cost, "cost")?),
            heatmap: Heatmap::new(surface(&ids.heatmap, "heatmap")?),
            forecast: TimeChart::new(surface(&ids.forecast, "forecast")?),
            curve: TimeChart::new(surface(&ids.curve, "learning curve")?),
            forensics: surface(&ids.forensics, "forensics")?,
            frontier: match &ids.frontier {
                Some(id) => Some(TimeChart::new(surface(id, "frontier")?)),
                None => None,
            },
            boxes: Vec::new(),
        })
    }

    /// The step under a point of the capacity chart (CSS pixels), if on its plot.
    /// SKELETON: filled in by the charts' work.
    pub fn step_at(&self, _x: f64, _y: f64) -> Option<usize> {
        None
    }

    /// The moment marked under a point of the capacity chart. SKELETON.
    pub fn moment_at(&self, _x: f64, _y: f64) -> Option<usize> {
        None
    }

    /// Every text drawn by the last `draw`. SKELETON: filled by the charts' work.
    pub fn text_boxes(&self) -> Vec<TextBox> {
        let _ = &self.frontier;
        self.boxes.clone()
    }

    pub fn draw(&mut self, page: &Page) -> Result<(), String> {
        charts::capacity(&mut self.capacity, page)?;
        charts::latency(&mut self.latency, page)?;
        charts::cost(&mut self.cost, page)?;
        charts::forecast(&mut self.forecast, page)?;
        charts::curve(&mut self.curve, &page.session)?;
        self.heatmap.draw(page)?;
        draw_text(&mut self.forensics, &page.forensics_text())
    }
}

/// Text wrapped to the canvas, in a monospace font (so that wrapping needs no
/// measurement).
fn draw_text(surface: &mut Surface, text: &str) -> Result<(), String> {
    if !surface.fit() {
        return Ok(());
    }
    let s = &*surface;
    let area = s.blank()?;
    let (w, h) = s.size();
    let pad = s.px(8.0);
    let size = TEXT;
    let line_h = s.px(size * 1.45);
    let columns = (((w - 2 * pad) as f64 / (0.6 * size * s.scale)).floor() as usize).max(16);
    let rows = ((h - 2 * pad) / line_h).max(1) as usize;
    let mut lines: Vec<String> = text.lines().flat_map(|l| wrap(l, columns)).collect();
    if lines.len() > rows {
        lines.truncate(rows);
        if let Some(last) = lines.last_mut() {
            last.push_str(" ...");
        }
    }
    let style = s.mono(size).pos(Pos::new(HPos::Left, VPos::Top));
    for (i, line) in lines.into_iter().enumerate() {
        area.draw(&Text::new(line, (pad, pad + i as i32 * line_h), style.clone())).map_err(fail)?;
    }
    Ok(())
}
