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

/// Mounts an app's root component into `<body>` and removes the loading / old-browser
/// placeholder (`#ow-boot`) of its HTML page. Every app starts here.
pub fn start_app<V: IntoView + 'static>(app: fn() -> V) {
    leptos::mount::mount_to_body(app);
    if let Some(boot) = document().get_element_by_id("ow-boot") {
        boot.remove();
    }
}

/// A page mounted into `<main>`; dropping it unmounts the page, which also aborts the
/// requests it still has in flight.
pub struct Page(#[allow(dead_code)] Box<dyn std::any::Any>);

/// Mounts `page` alone into the app's `<main>`. Mounting (build only) instead of a view
/// switching between page types (`AnyView`, `Either`) keeps the never-used "rebuild in
/// place" code of every page out of the bundle: ~15 KB of wasm against the budget.
pub fn page<V: IntoView + 'static>(page: impl FnOnce() -> V + 'static) -> Page {
    match document().get_element_by_id("main").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        Some(main) => Page(Box::new(leptos::mount::mount_to(main, page))),
        None => Page(Box::new(())),
    }
}

/// Mounts the page of the current path into `<main>` with `show`, and again on every
/// change of path or of `key` (the query string, for apps whose pages read it once; who
/// is signed in, for the console), unmounting the page before. Every app of the site
/// mounts its pages this way.
pub fn mount_pages<K: PartialEq + Clone + Send + Sync + 'static>(
    key: impl Fn() -> K + Send + Sync + 'static,
    show: impl Fn(&str, K) -> Page + 'static,
) {
    let router = Router::get();
    let key = Memo::new(move |_| key());
    Effect::new(move |previous: Option<Page>| {
        drop(previous);
        let path = router.path.get();
        let key = key.get();
        untrack(|| show(&path, key))
    });
}
