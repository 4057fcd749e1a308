//! 法律援助预约: the resident's legal-aid booking, a third Trunk target (`booking.html`,
//! bin `booking`) served under `/booking`, so only those who book download it.
//!
//! Choose a service (all materials told at once) → for a legal-aid application an
//! optional eligibility pre-check, run in the browser by the shared code → place, day
//! and time → name, mobile, a short description → the booking code. 我的预约 looks a
//! booking up by code and mobile to cancel or move it.
//!
//! Same shape as the resident app: `api` is the only HTTP, the shared crate holds the
//! wire types and the pre-check, `crate::nav` routes, each page is mounted alone into
//! `<main>`. The steps pass what was chosen in the address (`?service=…&place=…`), so a
//! reload or the back button keeps the resident where they were.

mod api;
mod details;
mod done;
mod layout;
mod mine;
mod precheck;
mod services;
mod slots;

use crate::i18n::{service_error_message, use_lang};
use crate::storage;
use leptos::mount::mount_to;
use leptos::prelude::*;
use ow_shared::booking::{BookingLookup, BookingView, LegalService};
use std::any::Any;
use wasm_bindgen::JsCast;

/// The app's paths.
pub mod paths {
    pub const SERVICES: &str = "/booking";
    pub const PRECHECK: &str = "/booking/precheck";
    pub const SLOT: &str = "/booking/slot";
    pub const DETAILS: &str = "/booking/details";
    pub const DONE: &str = "/booking/done";
    pub const MINE: &str = "/booking/mine";
}

/// sessionStorage: `{code, mobile}` of the booking made or looked up in this tab, so the
/// confirmation and 我的预约 still work after a reload. Gone when the tab closes.
const LAST: &str = "ow.booking";

/// The booking made or looked up last in this tab, held in memory first (storage may
/// throw in some WeChat and private modes).
#[derive(Clone, Copy)]
pub struct Last(RwSignal<Option<BookingView>>);

impl Last {
    /// Keeps `view` and, for reloads, its code with the (normalised) mobile.
    pub fn keep(self, view: BookingView, mobile: &str) {
        storage::session_save(LAST, &BookingLookup { code: view.code.clone(), mobile: mobile.to_string() });
        self.0.try_set(Some(view));
    }

    /// The booking in memory.
    pub fn get(self) -> Option<BookingView> {
        self.0.get_untracked()
    }

    /// The code and mobile kept for reloads.
    pub fn stored() -> Option<BookingLookup> {
        storage::session_load(LAST)
    }
}

/// What the resident typed on the details page, kept while they go back to pick
/// another time (in memory only: a reload asks again).
#[derive(Clone, Copy)]
pub struct Typed(pub RwSignal<(String, String, String)>);

/// Mounts the booking app and removes the loading / old-browser placeholder.
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
    match path {
        // The QR code of a confirmation opens /booking?code=…
        paths::SERVICES if crate::nav::query_param("code").is_some() => Box::new(mount_to(main, mine::Mine)),
        paths::SERVICES => Box::new(mount_to(main, services::Services)),
        paths::PRECHECK => Box::new(mount_to(main, precheck::Precheck)),
        paths::SLOT => Box::new(mount_to(main, slots::SlotPage)),
        paths::DETAILS => Box::new(mount_to(main, details::Details)),
        paths::DONE => Box::new(mount_to(main, done::Done)),
        paths::MINE => Box::new(mount_to(main, mine::Mine)),
        _ => Box::new(mount_to(main, layout::NotFound)),
    }
}

/// The whole app: the frame; `show_page` fills `<main>`.
#[component]
pub fn App() -> impl IntoView {
    crate::i18n::provide_prefs();
    provide_context(Last(RwSignal::new(None)));
    provide_context(Typed(RwSignal::new(Default::default())));
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

/// "Loading…", or the error with a retry button, for a `Loaded` value.
pub fn status_line<T: Send + Sync + 'static>(state: Loaded<T>, retry: impl Fn() + Copy + 'static) -> impl IntoView {
    // Only the phase reaches the view, so every loader shares one view type.
    let phase = Signal::derive(move || {
        state.with(|s| match s {
            None => Some(None),
            Some(Err(e)) => Some(Some(e.code)),
            Some(Ok(_)) => None,
        })
    });
    status_view(phase, Box::new(retry))
}

/// `phase`: `None` when loaded, `Some(None)` while loading, `Some(Some(code))` on error.
#[inline(never)]
fn status_view(phase: Signal<Option<Option<ow_shared::ErrorCode>>>, retry: Box<dyn Fn()>) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        phase.get().map(|p| match p {
            None => lang.get().pick("加载中…", "Loading…").to_string(),
            Some(code) => service_error_message(code, lang.get(), None, None),
        })
    };
    view! {
        <p class="b-status" role="status" hidden=move || phase.get().is_none()>
            {text}
            " "
            <button type="button" class="link-button" hidden=move || !matches!(phase.get(), Some(Some(_))) on:click=move |_| retry()>
                {move || lang.get().pick("重试", "Retry")}
            </button>
        </p>
    }
}

/// A service from its code in the address (`legal_aid_application`).
pub fn service_from_code(code: &str) -> Option<LegalService> {
    LegalService::from_code(code)
}

/// `path?k=v&…`, the values encoded.
pub fn href(path: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> =
        params.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", api::encode(v))).collect();
    if query.is_empty() { path.to_string() } else { format!("{path}?{}", query.join("&")) }
}

/// `2026-11-24` → `11月24日 周二` (or `Tue 24 Nov`).
pub fn day_label(date: &str, lang: ow_shared::Lang) -> String {
    let Some(d) = ow_shared::calendar::parse(date) else { return date.to_string() };
    let wd = d.weekday().number_days_from_monday() as usize;
    match lang {
        ow_shared::Lang::Zh => {
            format!("{}月{}日 周{}", u8::from(d.month()), d.day(), ["一", "二", "三", "四", "五", "六", "日"][wd])
        }
        ow_shared::Lang::En => format!(
            "{} {} {}",
            ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][wd],
            d.day(),
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
                [u8::from(d.month()) as usize - 1]
        ),
    }
}

/// Moves keyboard and screen-reader focus to the element `id`.
pub fn focus(id: &str) {
    if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Today in Asia/Shanghai (UTC+8, no daylight saving), `YYYY-MM-DD`, as the server judges dates.
pub fn today() -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(js_sys::Date::now() + 8.0 * 3_600_000.0));
    format!("{:04}-{:02}-{:02}", d.get_utc_full_year(), d.get_utc_month() + 1, d.get_utc_date())
}
