//! The browser binding: one [`Playground`] handle over the core's
//! [`Page`](crate::view::Page), the free functions on scenarios (`scenarios`),
//! and the dashboard drawn with plotters on the page's canvases. It only
//! translates: every decision and every text is the core's (`crate::view`);
//! errors become JavaScript `Error`s here, once ([`js`]), carrying the offending
//! scenario fields as `fields`. A panic (a bug) is reported by the hook in
//! [`panic`].

mod axes;
#[cfg(feature = "bench")]
mod bench;
mod canvas;
mod charts;
mod dashboard;
mod heatmap;
mod labels;
mod panic;
mod playground;
mod scenarios;
#[cfg(any(feature = "worker", feature = "bench"))]
mod training;

pub use playground::Playground;
pub use scenarios::{
    apply_overrides, decode_link, encode_link, knobs, preset_info, preset_names, preset_of,
    preset_scenario, replay_max_bytes, replay_report, replay_scenario, shown,
};
#[cfg(any(feature = "worker", feature = "bench"))]
pub use training::Training;

use crate::error::Error;
use crate::forecast::Direction;
use crate::policy::WorldKind;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A core error as a JavaScript `Error`: its message, and `fields`, the dotted
/// scenario fields it is about (empty when none), for the page to mark.
pub(crate) fn js(e: Error) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    let fields: js_sys::Array = e.fields().into_iter().map(JsValue::from_str).collect();
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("fields"), &fields);
    error.into()
}

/// A value as plain JavaScript objects and arrays (maps too, not `Map`s).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_sys::Error::new(&e.to_string()).into())
}

/// A world of the comparison (the core's [`WorldKind`]), as JavaScript names it:
/// `World.Rule`; in Rust `WorldChoice`, since [`crate::world::World`] is the fleet.
#[wasm_bindgen(js_name = World)]
#[derive(Clone, Copy)]
pub enum WorldChoice {
    Static,
    Rule,
    Elastic,
    Oracle,
    Predictive,
    NoForecast,
}

impl From<WorldChoice> for WorldKind {
    fn from(w: WorldChoice) -> WorldKind {
        match w {
            WorldChoice::Static => WorldKind::Static,
            WorldChoice::Rule => WorldKind::Rule,
            WorldChoice::Elastic => WorldKind::Elastic,
            WorldChoice::Oracle => WorldKind::Oracle,
            WorldChoice::Predictive => WorldKind::Predictive,
            WorldChoice::NoForecast => WorldKind::NoForecast,
        }
    }
}

/// A direction of the heatmap's slice, or `Follow`: the current state's.
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub enum SliceDirection {
    Falling,
    Steady,
    Rising,
    Follow,
}

impl From<SliceDirection> for Option<Direction> {
    fn from(d: SliceDirection) -> Option<Direction> {
        match d {
            SliceDirection::Falling => Some(Direction::Falling),
            SliceDirection::Steady => Some(Direction::Steady),
            SliceDirection::Rising => Some(Direction::Rising),
            SliceDirection::Follow => None,
        }
    }
}
