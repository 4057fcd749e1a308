//! The resident app (the crate's main binary, `index.html`): a resident brings a request
//! (我要反映), gets a receipt (回执) and follows its progress (查进度). Its first load is
//! held to 150,000 bytes, so it links only what these pages use.

mod api;
mod home;
mod layout;
mod receipt;
mod submit;
mod track;

use crate::components::ReceiptKeys;
use crate::components::layout::NotFound;
use crate::nav::{Page, page};
use crate::storage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ow_shared::ApiError;
use ow_shared::dto::RegionsResponse;

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

/// The receipt of the last submission in this tab.
pub type LastReceipt = crate::components::LastReceipt<Keys>;

/// Where the resident app keeps its last receipt.
pub struct Keys;

impl ReceiptKeys for Keys {
    const RECEIPT: &'static str = storage::RECEIPT;
    const REPLAYED: &'static str = storage::RECEIPT_REPLAYED;
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
    provide_context(LastReceipt::new());
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
