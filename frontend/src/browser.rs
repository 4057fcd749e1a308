//! Small things every app asks of the browser, each written once: an idempotency key,
//! today's date as the server judges it, and moving focus.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// A new idempotency key: 128 random bits as 32 hex digits, from `getRandomValues`
/// (`Math.random` only where the browser has no crypto at all).
pub fn new_key() -> String {
    let mut b = [0u8; 16];
    let random = window().crypto().ok().is_some_and(|c| c.get_random_values_with_u8_array(&mut b).is_ok());
    if !random {
        b.iter_mut().for_each(|x| *x = (js_sys::Math::random() * 256.0) as u8);
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Today in Asia/Shanghai (UTC+8, no daylight saving), `YYYY-MM-DD`, as the server judges dates.
pub fn today() -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(js_sys::Date::now() + 8.0 * 3_600_000.0));
    format!("{:04}-{:02}-{:02}", d.get_utc_full_year(), d.get_utc_month() + 1, d.get_utc_date())
}

/// The current year in Asia/Shanghai.
pub fn this_year() -> i32 {
    today()[..4].parse().unwrap_or(2026)
}

/// Moves keyboard and screen-reader focus to the element with this id, if there is one.
pub fn focus(id: &str) {
    if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}
