//! The panic hook. A panic is a bug: the binding returns errors as values, but
//! should one happen anyway the page must say so rather than freeze silently. The
//! hook logs the message to the console and dispatches a `playground-panic` event
//! on `window` with the message as `detail`; the page shows it and stops its loop
//! (the wasm instance is not to be trusted after a panic). It is installed when
//! the module starts (in the page and in its worker alike), once.

use wasm_bindgen::prelude::*;

const EVENT: &str = "playground-panic";

#[wasm_bindgen(start)]
fn install() {
    std::panic::set_hook(Box::new(|info| report(&info.to_string())));
}

fn report(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(&format!(
        "autoscale playground panicked: {message}"
    )));
    let Some(window) = web_sys::window() else { return };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&JsValue::from_str(message));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(EVENT, &init) {
        let _ = window.dispatch_event(&event);
    }
}
