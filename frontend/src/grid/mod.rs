//! 找网格: the resident's grid lookup, a fourth Trunk target (`grid.html`, bin `grid`)
//! served under `/grid`, so the resident app's download does not grow.
//!
//! `/grid` finds the grid (网格) one lives in three ways: by position (the browser's
//! geolocation, WGS84), by a search for a place name, or by township → village. `/grid/{id}`
//! is the grid's public page (Binzhou Art.6, 10): its outline, the grid worker and the 3+N
//! team (寨管家) with their phones, the supervision phone, the service items, a QR code and
//! a wall-poster print layout, and the way into 我要反映 with the place filled in.
//!
//! Same shape as the other apps: `api` is the only HTTP, `crate::nav` routes, each page is
//! mounted alone into `<main>`.

mod api;
mod detail;
mod find;
mod layout;
mod locate;
mod outline;
mod pick;
mod search;

use crate::i18n::{service_error_message, use_lang};
use leptos::mount::mount_to;
use leptos::prelude::*;
use ow_shared::ErrorCode;
use std::any::Any;
use wasm_bindgen::JsCast;

/// The app's home; a grid's page is `/grid/{id}`.
pub const HOME: &str = "/grid";

/// The address of a grid's page.
pub fn grid_href(id: i64) -> String {
    format!("{HOME}/{id}")
}

/// Mounts the grid app and removes the loading / old-browser placeholder.
pub fn start() {
    leptos::mount::mount_to_body(App);
    if let Some(boot) = document().get_element_by_id("ow-boot") {
        boot.remove();
    }
}

/// Mounts the page for `path` into `<main>`; dropping the handle unmounts it (one page
/// type at a time keeps the bundle small, as in the resident app).
fn show_page(path: &str) -> Box<dyn Any> {
    let Some(main) = document().get_element_by_id("main").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return Box::new(());
    };
    let path = path.split('?').next().unwrap_or(path).trim_end_matches('/');
    if path == HOME {
        return Box::new(mount_to(main, find::Find));
    }
    match path.strip_prefix("/grid/").and_then(|id| id.parse::<i64>().ok()) {
        Some(id) => Box::new(mount_to(main, move || view! { <detail::GridPage id=id /> })),
        None => Box::new(mount_to(main, layout::NotFound)),
    }
}

/// The whole app: the frame; `show_page` fills `<main>`.
#[component]
pub fn App() -> impl IntoView {
    crate::i18n::provide_prefs();
    crate::nav::provide_router();
    // Pages are mounted one at a time into <main>; see `show_page`.
    crate::nav::mount_pages(show_page);
    view! {
        <layout::SkipLink />
        <layout::Header />
        <main id="main" tabindex="-1"></main>
        <layout::Footer />
    }
}

pub use crate::loaded::{Loaded, load, ready};

/// The phase of a `Loaded` value: `None` when loaded, `Some(None)` while loading,
/// `Some(Some(code))` on error. Only the phase reaches the status view, so every loader
/// shares one view type.
pub fn phase<T: Send + Sync + 'static>(state: Loaded<T>) -> Signal<Option<Option<ErrorCode>>> {
    Signal::derive(move || {
        state.with(|s| match s {
            None => Some(None),
            Some(Err(e)) => Some(Some(e.code)),
            Some(Ok(_)) => None,
        })
    })
}

/// "Loading…", or the error with a retry button; hidden once loaded.
#[inline(never)]
pub fn status_line(phase: Signal<Option<Option<ErrorCode>>>, retry: Box<dyn Fn() + Send + Sync>) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        phase.get().map(|p| match p {
            None => lang.get().pick("加载中…", "Loading…").to_string(),
            Some(code) => service_error_message(code, lang.get(), None, None),
        })
    };
    view! {
        <p class="g-status" role="status" hidden=move || phase.get().is_none()>
            {text}
            " "
            <button
                type="button"
                class="link-button"
                // Trying again cannot find what does not exist.
                hidden=move || !matches!(phase.get(), Some(Some(c)) if c != ErrorCode::GridNotFound && c != ErrorCode::NotFound)
                on:click=move |_| retry()
            >
                {move || lang.get().pick("重试", "Retry")}
            </button>
        </p>
    }
}

/// Sets `params` in the query string of the current address (an empty value removes
/// its key; other keys stay) without a new history entry, so the back button from a
/// grid's page returns to the same search and choice.
pub fn remember(params: &[(&str, String)]) {
    let search = window().location().search().unwrap_or_default();
    let replaced = |pair: &str| params.iter().any(|(k, _)| pair.split('=').next() == Some(*k));
    let mut query: Vec<String> =
        search.trim_start_matches('?').split('&').filter(|p| !p.is_empty() && !replaced(p)).map(String::from).collect();
    query.extend(
        params
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", String::from(js_sys::encode_uri_component(v)))),
    );
    let url = if query.is_empty() { HOME.to_string() } else { format!("{HOME}?{}", query.join("&")) };
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// A number written by JavaScript (`String(x)`): Rust's own float formatting would add
/// ~20 KB to the download for the two coordinates and the distance.
pub fn js_number(x: f64) -> String {
    js_sys::Number::from(x).to_string_with_radix(10).map(String::from).unwrap_or_default()
}
