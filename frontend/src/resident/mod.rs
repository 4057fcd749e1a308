//! The resident app (the crate's main binary, `index.html`): a resident brings a request
//! (我要反映), gets a receipt (回执) and follows its progress (查进度). Its first load is
//! held to 150,000 bytes, so it links only what these pages use.

mod api;
mod home;
mod layout;
mod receipt;
mod submit;
mod track;

use crate::components::layout::NotFound;
use crate::nav::{Page, page};
use crate::storage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ow_shared::ApiError;
use ow_shared::dto::{Receipt, RegionsResponse};

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

/// Starts the resident app.
pub fn start() {
    crate::nav::start_app(App);
}

/// The page for `path`.
fn show_page(path: &str, _query: String) -> Page {
    let path = path.split('?').next().unwrap_or(path);
    match path.trim_end_matches('/') {
        "" => page(home::Home),
        "/submit" => page(submit::Submit),
        "/receipt" => page(receipt::ReceiptPage),
        "/track" => page(track::Track),
        _ => page(|| view! { <NotFound back="/" back_text=("返回首页", "Back to the home page") /> }),
    }
}

/// The whole app: the layout; `show_page` fills `<main>`.
#[component]
pub fn App() -> impl IntoView {
    crate::i18n::provide_prefs(crate::i18n::resident_messages, None);
    let regions = Regions(RwSignal::new(None));
    provide_context(regions);
    regions.load();
    provide_context(LastReceipt(RwSignal::new(None)));
    let router = crate::nav::provide_router();
    // Each page reads the query string once, when it opens: a new query is a new page.
    crate::nav::mount_pages(move || router.location.get(), show_page);
    view! {
        <crate::components::layout::SkipLink />
        <layout::Header />
        <main id="main" tabindex="-1"></main>
        <crate::components::layout::Footer
            label=("服务大厅电话：", "Service hall phone: ")
            motto=("一窗受理 · 一次告知 · 最多跑一次", "One window · one notice · at most one trip")
        />
    }
}
