//! The dashboard: which canvas shows which panel, the forensics panel's text
//! drawn, and what the page asks of a frame drawn (the step or moment under a
//! click on the capacity chart, every text's box).

use super::axes::TimeChart;
use super::canvas::Surface;
pub use super::canvas::TextBox;
use super::charts::{self, CapacityMap};
use super::heatmap::Heatmap;
use crate::view::{palette, Page};
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

/// The forensics' headline (the decision and what decided it), read from the
/// back of a room: as large as fits from [`HEADLINE`] (more on a tall panel, a
/// presenter's: a tenth of its height, up to [`HEADLINE_MOST`]) down to
/// [`HEADLINE_LEAST`] CSS pixels, wrapped, never cut.
const HEADLINE: f64 = 28.0;
const HEADLINE_MOST: f64 = 44.0;
const HEADLINE_LEAST: f64 = 20.0;
/// The details under it: never smaller than the captions around the panel (15
/// px). The paragraphs that do not fit whole are folded away: the page's
/// Details (under the panel) has the whole text.
const DETAILS: f64 = 18.0;
const DETAILS_MOST: f64 = 28.0;
const DETAILS_LEAST: f64 = 15.0;

/// The forensics text's headline: "Step 700: Chose hold." and "Decisive factor:
/// SLA." (the first sentences of the decision's and the factor's lines, also
/// when an open moment's lines come first); a text without a decision (nothing
/// to explain yet) leads with its first line.
fn headline(text: &str) -> (Vec<String>, Vec<&str>) {
    let lines: Vec<&str> = text.lines().collect();
    let first = |prefix: &str| {
        lines.iter().find(|l| l.starts_with(prefix)).map(|l| match l.find(". ") {
            Some(i) => &l[..=i],
            None => l,
        })
    };
    // The decision's step: its first line, or after a moment's lines when a
    // moment is open ("Moment: …", then "Step 482: …").
    let step = lines.iter().find_map(|l| l.split(':').next().filter(|s| s.starts_with("Step ")));
    // What was decided: the agent's choice, or the safety floor's scale-up,
    // which the floor's line states before its colon.
    let floor = || {
        lines.iter().find(|l| l.starts_with("The safety floor ")).map(|l| match l.find("): ") {
            Some(i) => &l[..=i],
            None => l,
        })
    };
    match (step, first("Chose ").or_else(floor)) {
        (Some(step), Some(chose)) => {
            let mut head = vec![format!("{step}: {chose}")];
            head.extend(first("Decisive factor").map(str::to_string));
            (head, lines)
        }
        // No decision: the first line leads, the rest are paragraphs that fit
        // whole or are folded away like any details.
        _ => (
            lines.first().map(|l| l.to_string()).into_iter().collect(),
            lines.iter().skip(1).copied().collect(),
        ),
    }
}

/// The forensics: the headline in large type, then as many whole paragraphs of
/// the details as fit in type of at least [`DETAILS_LEAST`] px, and a line
/// saying the rest is under Details. Nothing is cut off.
fn draw_text(surface: &mut Surface, text: &str, out: &mut Vec<TextBox>) -> Result<(), String> {
    if !surface.fit() {
        return Ok(());
    }
    let s = &*surface;
    let area = s.blank()?;
    let (w, h) = s.size();
    let pad = s.px(10.0);
    let width = (w - 2 * pad) as f64;
    let height = (h - 2 * pad) as f64;
    // Words measured once at a large size; widths scale with the size (a margin
    // of 2 % for the browser's rounding at smaller sizes).
    const REFERENCE: f64 = 40.0;
    let reference = s.font(REFERENCE);
    let measure = |lines: &[&str]| -> Vec<Vec<(String, f64)>> {
        lines
            .iter()
            .map(|l| {
                l.split(' ')
                    .map(|word| (word.to_string(), s.measure(word, &reference).0 * 1.02))
                    .collect()
            })
            .collect()
    };
    let space = s.measure(" ", &reference).0;
    let line_h = |size: f64| size * 1.3 * s.scale;
    // The largest size from `most` to `least` at which `paragraphs` wrap into at
    // most `rows` backing pixels of height; the wrapped lines at it.
    let fit = |paragraphs: &[Vec<(String, f64)>], most: f64, least: f64, room: f64| {
        let mut size = most;
        loop {
            let lines = wrap(paragraphs, width / (size / REFERENCE), space);
            if lines.iter().map(|p| p.len()).sum::<usize>() as f64 * line_h(size) <= room
                || size <= least
            {
                return (size, lines);
            }
            size = (size - 1.0).max(least);
        }
    };
    let (head, details) = headline(text);
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let tall = height / s.scale;
    let most = (tall / 10.0).clamp(HEADLINE, HEADLINE_MOST);
    let (size, head_lines) = fit(&measure(&head), most, HEADLINE_LEAST, height * 0.5);
    let canvas = s.bounds();
    let mut y = pad as f64;
    let style = s.font(size).pos(Pos::new(HPos::Left, VPos::Top));
    for line in head_lines.iter().flatten() {
        s.write(&area, out, line, (pad, y.round() as i32), &style, canvas)?;
        y += line_h(size);
    }
    if details.is_empty() {
        return Ok(());
    }
    y += s.px(6.0) as f64;
    let room = height + pad as f64 - y;
    let most = (tall / 24.0).clamp(DETAILS, DETAILS_MOST);
    let (size, paragraphs) = fit(&measure(&details), most, DETAILS_LEAST, room);
    let style = s.font(size).pos(Pos::new(HPos::Left, VPos::Top));
    let rows = (room / line_h(size)).floor() as usize;
    let total: usize = paragraphs.iter().map(|p| p.len()).sum();
    // Whole paragraphs only, one row kept for the note when some are left out.
    let mut shown = Vec::new();
    let mut used = 0;
    for p in &paragraphs {
        let keep = if total <= rows { rows } else { rows.saturating_sub(1) };
        if used + p.len() > keep {
            break;
        }
        used += p.len();
        shown.extend(p.iter().map(String::as_str));
    }
    for line in &shown {
        s.write(&area, out, line, (pad, y.round() as i32), &style, canvas)?;
        y += line_h(size);
    }
    if used < total && rows > used {
        let left = total - used;
        let note =
            format!("{left} more line{} under Details, below.", if left == 1 { "" } else { "s" });
        let muted = style.color(&palette::MUTED);
        s.write(&area, out, &note, (pad, y.round() as i32), &muted, canvas)?;
    }
    Ok(())
}

/// Greedy wrapping of each paragraph's measured words into lines at most
/// `width` wide (a word wider than that stands alone).
fn wrap(paragraphs: &[Vec<(String, f64)>], width: f64, space: f64) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for words in paragraphs {
        let mut lines = Vec::new();
        let (mut line, mut used) = (String::new(), 0.0);
        for (word, w) in words {
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
        out.push(lines);
    }
    out
}
