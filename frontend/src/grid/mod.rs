//! 找网格: the resident's grid lookup, a fourth Trunk target (`grid.html`, bin `grid`)
//! served under `/grid`, so the resident app's download does not grow.
//!
//! `/grid` finds the grid (网格) one lives in three ways: by position (the browser's
//! geolocation, WGS84), by a search for a place name, or by township → village. `/grid/{id}`
//! is the grid's public page (Binzhou Art.6, 10): its outline, the grid worker and the 3+N
//! team (寨管家) with their phones, the supervision phone, the service items, a QR code and
//! a wall-poster print layout, and the way into 我要反映 with the place filled in.
//!
//! Same shape as the other apps: `api` holds its endpoints (`crate::http` talks),
//! `crate::nav` mounts each page alone into `<main>`.

pub(crate) mod api;
mod detail;
mod find;
mod layout;
pub(crate) mod locate;
mod outline;
mod pick;
mod search;

use crate::components::layout::{Footer, NotFound};
use crate::nav::{Page, page};
use leptos::prelude::*;

/// The app's home; a grid's page is `/grid/{id}`.
pub const HOME: &str = "/grid";

/// The address of a grid's page.
pub fn grid_href(id: i64) -> String {
    format!("{HOME}/{id}")
}

/// Starts the grid app.
pub fn start() {
    crate::nav::start_app(App);
}

/// The page for `path`.
fn show_page(path: &str, _query: String) -> Page {
    let path = path.split('?').next().unwrap_or(path).trim_end_matches('/');
    if path == HOME {
        return page(find::Find);
    }
    match path.strip_prefix("/grid/").and_then(|id| id.parse::<i64>().ok()) {
        Some(id) => page(move || view! { <detail::GridPage id=id /> }),
        None => page(|| view! { <NotFound back=HOME back_text=("返回找网格", "Back to Find your grid") /> }),
    }
}

/// The whole app: the frame; `show_page` fills `<main>`.
#[component]
pub fn App() -> impl IntoView {
    crate::i18n::provide_prefs(crate::i18n::service_messages, None);
    let router = crate::nav::provide_router();
    // Each page reads the query string once, when it opens: a new query is a new page.
    crate::nav::mount_pages(move || router.location.get(), show_page);
    view! {
        <layout::SkipLink />
        <layout::Header />
        <main id="main" tabindex="-1"></main>
        <Footer
            label=("服务大厅电话：", "Service hall phone: ")
            motto=("网格员就在您身边 · 小事不出村", "Your grid worker is close by · small matters settled locally")
        />
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
    query.extend(params.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", crate::http::encode(v))));
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
