//! A minimal client-side router: four fixed pages do not need leptos_router, which
//! alone cost ~50 KB of the wasm bundle against a 150 KB first-load budget.
//!
//! Same-origin `<a href="/…">` clicks and `navigate` push history entries; back and
//! forward come in as `popstate`. Pages read the query string once, when they open.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The current location, provided as context by `provide_router`.
#[derive(Clone, Copy)]
pub struct Router {
    /// Path and query, e.g. `/track?no=1`.
    raw: RwSignal<String>,
    /// The path, e.g. `/submit`; only notifies when the path really changes.
    pub path: Memo<String>,
    /// Path and query; only notifies when either really changes.
    pub location: Memo<String>,
}

fn current_path() -> String {
    let location = window().location();
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    path + &location.search().unwrap_or_default()
}

/// Starts listening to link clicks and history, and provides the `Router`.
pub fn provide_router() -> Router {
    let raw = RwSignal::new(current_path());
    let path = Memo::new(move |_| raw.with(|r| r.split('?').next().unwrap_or_default().to_string()));
    let router = Router { raw, path, location: Memo::new(move |_| raw.get()) };
    provide_context(router);
    // The listeners live as long as the page: the app is never unmounted.
    window_event_listener(ev::popstate, move |_| raw.set(current_path()));
    window_event_listener(ev::click, move |e| {
        if let Some(href) = internal_link(&e) {
            e.prevent_default();
            go(raw, &href);
        }
    });
    router
}

/// The `href` of a plain left click on a same-origin link, if that is what `e` is.
fn internal_link(e: &web_sys::MouseEvent) -> Option<String> {
    if e.default_prevented() || e.button() != 0 || e.meta_key() || e.ctrl_key() || e.shift_key() || e.alt_key() {
        return None;
    }
    let target = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    let anchor = target.closest("a[href]").ok()??;
    let href = anchor.get_attribute("href")?;
    let internal = href.starts_with('/') && !href.starts_with("//");
    // rel="external": another app of the site (e.g. /booking), loaded by the browser.
    let other_app = anchor.get_attribute("rel").is_some_and(|r| r.contains("external"));
    (internal && !other_app && !anchor.has_attribute("target") && !anchor.has_attribute("download")).then_some(href)
}

fn go(raw: RwSignal<String>, href: &str) {
    if let Ok(history) = window().history() {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
    }
    raw.set(current_path());
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

impl Router {
    /// The router provided by `App`; take it in a component body, not in a task.
    pub fn get() -> Router {
        expect_context()
    }

    /// Opens another page of the app, as a link would.
    pub fn navigate(self, href: &str) {
        go(self.raw, href);
    }
}

/// One query parameter of the current URL, decoded; read once when a page opens.
pub fn query_param(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    search.trim_start_matches('?').split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then(|| {
            let value = value.replace('+', " ");
            js_sys::decode_uri_component(&value).map(String::from).unwrap_or(value)
        })
    })
}

/// Mounts the page of the current address into `<main>` with `show`, and again on every
/// navigation (path or query), unmounting the page before. Every app of the site uses it.
pub fn mount_pages(show: fn(&str) -> Box<dyn std::any::Any>) {
    let router = Router::get();
    Effect::new(move |previous: Option<Box<dyn std::any::Any>>| {
        drop(previous);
        let location = router.location.get();
        untrack(|| show(&location))
    });
}
