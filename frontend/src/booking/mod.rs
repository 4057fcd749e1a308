//! 法律援助预约: the resident's legal-aid booking, a third Trunk target (`booking.html`,
//! bin `booking`) served under `/booking`, so only those who book download it.
//!
//! Choose a service (all materials told at once) → for a legal-aid application an
//! optional eligibility pre-check, run in the browser by the shared code → place, day
//! and time → name, mobile, a short description → the booking code. 我的预约 looks a
//! booking up by code and mobile to cancel or move it.
//!
//! Same shape as the other apps: `api` holds its endpoints (`crate::http` talks), the
//! shared crate holds the wire types and the pre-check, `crate::nav` mounts each page
//! alone into `<main>`. The steps pass what was chosen in the address (`?service=…&place=…`), so a
//! reload or the back button keeps the resident where they were.

mod api;
mod details;
mod done;
mod layout;
mod mine;
mod precheck;
mod services;
mod slots;

use crate::components::layout::{Footer, NotFound};
use crate::nav::{Page, page};
use crate::storage;
use leptos::prelude::*;
use ow_shared::booking::{BookingLookup, BookingView, LegalService};

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

/// Starts the booking app.
pub fn start() {
    crate::nav::start_app(App);
}

/// The page for `path`.
fn show_page(path: &str, _query: String) -> Page {
    let path = path.split('?').next().unwrap_or(path).trim_end_matches('/');
    match path {
        // The QR code of a confirmation opens /booking?code=…
        paths::SERVICES if crate::nav::query_param("code").is_some() => page(mine::Mine),
        paths::SERVICES => page(services::Services),
        paths::PRECHECK => page(precheck::Precheck),
        paths::SLOT => page(slots::SlotPage),
        paths::DETAILS => page(details::Details),
        paths::DONE => page(done::Done),
        paths::MINE => page(mine::Mine),
        _ => page(|| view! { <NotFound back=paths::SERVICES back_text=("返回预约首页", "Back to booking") /> }),
    }
}

/// The whole app: the frame; `show_page` fills `<main>`.
#[component]
pub fn App() -> impl IntoView {
    crate::i18n::provide_prefs(crate::i18n::service_messages, None);
    provide_context(Last(RwSignal::new(None)));
    provide_context(Typed(RwSignal::new(Default::default())));
    let router = crate::nav::provide_router();
    // Each page reads the query string once, when it opens: a new query is a new page.
    crate::nav::mount_pages(move || router.location.get(), show_page);
    view! {
        <layout::SkipLink />
        <layout::Header />
        <main id="main" tabindex="-1"></main>
        <Footer
            label=("预约咨询电话：", "Phone: ")
            motto=("法律援助免费 · 一次告知所需材料", "Legal aid is free · all papers told at once")
        />
    }
}

/// A service from its code in the address (`legal_aid_application`).
pub fn service_from_code(code: &str) -> Option<LegalService> {
    LegalService::from_code(code)
}

pub use crate::http::with_query as href;

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
