//! The dashboard: which canvas shows which panel, the forensics panel's text
//! drawn, and what the page asks of a frame drawn (the step or moment under a
//! click on the capacity chart, every text's box).

use super::axes::TimeChart;
use super::canvas::Surface;
pub use super::canvas::TextBox;
use super::charts::{self, CapacityMap};
use super::heatmap::Heatmap;
use crate::view::Page;
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
    /// Where the last `draw` put the capacity chart's plot and markers.
    capacity_map: Option<CapacityMap>,
}

impl Dashboard {
    /// Finds every canvas; the error names the first one missing.
    pub fn find(ids: &CanvasIds) -> Result<Dashboard, String> {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or("no document: the playground runs in a page")?;
        let surface =
            |id: &str, panel: &str, key: &'static str| Surface::find(&document, id, panel, key);
        Ok(Dashboard {
            capacity: TimeChart::new(surface(&ids.capacity, "capacity", "capacity")?),
            latency: TimeChart::new(surface(&ids.latency, "latency", "latency")?),
            cost: TimeChart::new(surface(&ids.cost, "cost", "cost")?),
            heatmap: Heatmap::new(surface(&ids.heatmap, "heatmap", "heatmap")?),
            forecast: TimeChart::new(surface(&ids.forecast, "forecast", "forecast")?),
            curve: TimeChart::new(surface(&ids.curve, "learning curve", "curve")?),
            forensics: surface(&ids.forensics, "forensics", "forensics")?,
            frontier: match &ids.frontier {
                Some(id) => Some(TimeChart::new(surface(id, "frontier", "frontier")?)),
                None => None,
            },
            boxes: Vec::new(),
            capacity_map: None,
        })
    }

    /// The step under a point of the capacity chart (CSS pixels from its
    /// canvas's corner) as last drawn: the plot's left edge is the window's first
    /// step, its right edge the window's end (the whole run unzoomed); `None`
    /// off the plot.
    pub fn step_at(&self, x: f64, y: f64) -> Option<usize> {
        self.capacity_map.as_ref()?.step_at(x, y)
    }

    /// The moment (its index in [`Page::moments`]) whose marker on the capacity
    /// chart, as last drawn, is nearest a point (CSS pixels), within a few pixels
    /// of its edge.
    pub fn moment_at(&self, x: f64, y: f64) -> Option<usize> {
        self.capacity_map.as_ref()?.moment_at(x, y)
    }

    /// Every text drawn by the last `draw`, the axes' ticks included, with its
    /// box as the canvas measured it and the box it must stay inside.
    pub fn text_boxes(&self) -> Vec<TextBox> {
        self.boxes.clone()
    }

    pub fn draw(&mut self, page: &Page) -> Result<(), String> {
        let out = &mut self.boxes;
        out.clear();
        self.capacity_map = charts::capacity(&mut self.capacity, page, out)?;
        charts::latency(&mut self.latency, page, out)?;
        charts::cost(&mut self.cost, page, out)?;
        charts::forecast(&mut self.forecast, page, out)?;
        charts::curve(&mut self.curve, &page.session, out)?;
        if let Some(frontier) = &mut self.frontier {
            charts::frontier(frontier, page, out)?;
        }
        self.heatmap.draw(page, out)?;
        draw_text(&mut self.forensics, &page.forensics_text(), out)
    }
}

/// The forensics' type: as large as fits, for a projector (CSS pixels).
const LARGEST: f64 = 22.0;
const SMALLEST: f64 = 12.0;

/// Text wrapped to the canvas in the largest font from [`LARGEST`] down to
/// [`SMALLEST`] at which all of it fits; what does not fit even then ends with
/// "…" (the page's Copy button has the whole text).
fn draw_text(surface: &mut Surface, text: &str, out: &mut Vec<TextBox>) -> Result<(), String> {
    if !surface.fit() {
        return Ok(());
    }
    let s = &*surface;
    let area = s.blank()?;
    let (w, h) = s.size();
    let pad = s.px(10.0);
    let width = (w - 2 * pad) as f64;
    // Words measured once at a large size; widths scale with the size (a margin
    // of 2 % for the browser's rounding at smaller sizes).
    const REFERENCE: f64 = 40.0;
    let reference = s.font(REFERENCE);
    let paragraphs: Vec<Vec<(&str, f64)>> = text
        .lines()
        .map(|l| l.split(' ').map(|word| (word, s.measure(word, &reference).0 * 1.02)).collect())
        .collect();
    let space = s.measure(" ", &reference).0;
    let mut size = LARGEST;
    let lines = loop {
        let k = size / REFERENCE;
        let lines = wrap(&paragraphs, width / k, space);
        let fits = lines.len() as f64 * (size * 1.35 * s.scale) <= (h - 2 * pad) as f64;
        if fits || size <= SMALLEST {
            break lines;
        }
        size = (size - 1.0).max(SMALLEST);
    };
    let line_h = size * 1.35 * s.scale;
    let rows = (((h - 2 * pad) as f64 / line_h).floor() as usize).max(1);
    let style = s.font(size).pos(Pos::new(HPos::Left, VPos::Top));
    let mut lines = lines;
    if lines.len() > rows {
        lines.truncate(rows);
        if let Some(last) = lines.last_mut() {
            loop {
                let shown = format!("{}…", last.trim_end());
                if s.measure(&shown, &style).0 <= width || last.is_empty() {
                    *last = shown;
                    break;
                }
                last.pop();
            }
        }
    }
    let canvas = s.bounds();
    for (i, line) in lines.iter().enumerate() {
        let at = (pad, pad + (i as f64 * line_h).round() as i32);
        s.write(&area, out, line, at, &style, canvas)?;
    }
    Ok(())
}

/// Greedy wrapping of measured words into lines at most `width` wide (a word
/// wider than that stands alone).
fn wrap(paragraphs: &[Vec<(&str, f64)>], width: f64, space: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for words in paragraphs {
        let (mut line, mut used) = (String::new(), 0.0);
        for &(word, w) in words {
            if !line.is_empty() && used + space + w > width {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            if !line.is_empty() {
                line.push(' ');
                used += space;
            }
            line.push_str(word);
            used += w;
        }
        lines.push(line);
    }
    lines
}
