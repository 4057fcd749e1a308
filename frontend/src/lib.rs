//! OneWindow (一窗通办): the resident-facing app of a county service hall. Residents
//! bring a request (我要反映), get a receipt (回执) and follow its progress (查进度).
//!
//! Client-side rendered with Leptos; `api` is the only module that speaks HTTP, and all
//! validation and messages come from the shared crate so browser and server agree.

mod api;
mod components;
mod i18n;
mod pages;
mod storage;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
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

/// Mounts the app and removes the loading / old-browser placeholder of index.html.
pub fn start() {
    leptos::mount::mount_to_body(App);
    if let Some(boot) = document().get_element_by_id("ow-boot") {
        boot.remove();
    }
}

/// The whole app: layout around the routed pages.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_prefs();
    let regions = Regions(RwSignal::new(None));
    provide_context(regions);
    regions.load();
    view! {
        <Router>
            <components::layout::SkipLink />
            <components::layout::Header />
            <main id="main" tabindex="-1">
                <Routes fallback=pages::home::NotFound>
                    <Route path=path!("/") view=pages::home::Home />
                    <Route path=path!("/submit") view=pages::submit::Submit />
                    <Route path=path!("/receipt") view=pages::receipt::ReceiptPage />
                    <Route path=path!("/track") view=pages::track::Track />
                </Routes>
            </main>
            <components::layout::Footer />
        </Router>
    }
}
