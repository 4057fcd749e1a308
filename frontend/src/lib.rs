//! OneWindow (一窗通办): the resident-facing app of a county service hall. Residents
//! bring a request (我要反映), get a receipt (回执) and follow its progress (查进度).
//!
//! Client-side rendered with Leptos; `api` is the only module that speaks HTTP, and all
//! validation and messages come from the shared crate so browser and server agree.

mod api;
pub mod booking;
mod components;
pub mod console;
pub mod grid;
mod i18n;
mod loaded;
mod nav;
mod pages;
mod storage;

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ow_shared::ApiError;
use ow_shared::dto::{Receipt, RegionsResponse};
use std::any::Any;
use wasm_bindgen::JsCast;

/// The county's townships and villages, loaded once for the header and the form.
/// `None` while loading.
#[derive(Clone, Copy)]
pub struct Regions(pub RwSignal<Option<Result<RegionsResponse, ApiError>>>);

impl Regions {
    /// (Re)loads the list from the server.
    pub fn load(self) {
        self.0.set(None);
        spawn_local(async move {
            let result = api::regions().await;
            self.0.try_set(Some(result));
        });
    }
}

/// The receipt of the last submission in this tab, and whether it is the answer to an
/// earlier submission re-sent (`IDEMPOTENCY_KEY_REUSED`). Held in memory first:
/// sessionStorage throws or forgets in some WeChat and private modes; it is only the
/// fallback for a reload of the receipt page.
#[derive(Clone, Copy)]
pub struct LastReceipt(RwSignal<Option<(Receipt, bool)>>);

impl LastReceipt {
    /// Keeps `receipt` for the receipt page; `replayed` shows the "already submitted" notice.
    pub fn keep(self, receipt: Receipt, replayed: bool) {
        storage::session_save(storage::RECEIPT, &receipt);
        storage::session_save(storage::RECEIPT_REPLAYED, &replayed);
        self.0.set(Some((receipt, replayed)));
    }

    /// The last receipt: from memory, else from sessionStorage (after a reload).
    pub fn get(self) -> Option<(Receipt, bool)> {
        self.0.get_untracked().or_else(|| {
            let receipt = storage::session_load(storage::RECEIPT)?;
            Some((receipt, storage::session_load(storage::RECEIPT_REPLAYED).unwrap_or(false)))
        })
    }
}

/// Mounts the app and removes the loading / old-browser placeholder of index.html.
pub fn start() {
    leptos::mount::mount_to_body(App);
    if let Some(boot) = document().get_element_by_id("ow-boot") {
        boot.remove();
    }
}

/// Mounts the page for `path` into `<main>`; dropping the returned handle unmounts it.
/// Mounting (build only) instead of a view switching between page types (`AnyView`,
/// `Either`) keeps the never-used "rebuild in place" code of every page out of the
/// bundle: ~15 KB of wasm against the 150 KB budget.
fn show_page(path: &str) -> Box<dyn Any> {
    let Some(main) = document().get_element_by_id("main").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return Box::new(());
    };
    let path = path.split('?').next().unwrap_or(path);
    match path.trim_end_matches('/') {
        "" => Box::new(mount_to(main, pages::home::Home)),
        "/submit" => Box::new(mount_to(main, pages::submit::Submit)),
        "/receipt" => Box::new(mount_to(main, pages::receipt::ReceiptPage)),
        "/track" => Box::new(mount_to(main, pages::track::Track)),
        _ => Box::new(mount_to(main, pages::home::NotFound)),
    }
}

/// The whole app: the layout; `show_page` fills `<main>`.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_prefs();
    let regions = Regions(RwSignal::new(None));
    provide_context(regions);
    regions.load();
    provide_context(LastReceipt(RwSignal::new(None)));
    nav::provide_router();
    // Pages are mounted one at a time into <main>; see `show_page`.
    nav::mount_pages(show_page);
    view! {
        <components::layout::SkipLink />
        <components::layout::Header />
        <main id="main" tabindex="-1"></main>
        <components::layout::Footer />
    }
}
