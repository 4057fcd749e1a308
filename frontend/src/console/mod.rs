//! 服务大厅工作台: the staff console, a second Trunk target (`console.html`, bin
//! `console`) so residents' phones never download it. Clerks register walk-ins and
//! reply, departments take, object to and answer their dispatches, leaders take cases,
//! administrators keep accounts and the holiday calendar.
//!
//! Same shape as the other apps: `api` holds its endpoints (`crate::http` talks), the
//! shared crate validates, `crate::nav` mounts each page. Every page lives under `/console`.

mod actions;
pub mod api;
mod bookings;
mod calendar;
mod case_page;
mod field;
mod figures;
mod grids;
mod layout;
mod legal_aid;
mod queue;
mod receipt;
mod risks;
mod schedule;
mod signin;
mod staff;
mod ui;
mod walk_in;

use crate::components::ReceiptKeys;
use crate::nav::{Page, page};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::Lang;
use ow_shared::dto::RegionsResponse;
use ow_shared::staff::{Department, Role, SessionInfo};

/// The console's paths.
pub mod paths {
    pub const QUEUE: &str = "/console";
    pub const SIGN_IN: &str = "/console/signin";
    pub const WALK_IN: &str = "/console/walk-in";
    pub const RECEIPT: &str = "/console/receipt";
    pub const HOLIDAYS: &str = "/console/holidays";
    pub const STAFF: &str = "/console/staff";
    pub const BOOKINGS: &str = "/console/bookings";
    pub const SCHEDULE: &str = "/console/schedule";
    pub const GRIDS: &str = "/console/grids";
    pub const FIGURES: &str = "/console/figures";
    /// 工作月报: the A4 monthly report, written by the server (`?month=YYYY-MM&unit=`).
    pub const REPORT: &str = "/console/report";
    pub const RISKS: &str = "/console/risks";

    /// A case's page.
    pub fn case(id: i64) -> String {
        format!("/console/cases/{id}")
    }

    /// A grid's edit page.
    pub fn grid(id: i64) -> String {
        format!("/console/grids/{id}")
    }

    /// A legal-aid application's page.
    pub fn legal_aid(id: i64) -> String {
        format!("/console/legal-aid/{id}")
    }
}

/// Who is signed in. `checked` turns true once the first `GET session` has answered,
/// so pages never flash the sign-in form at a signed-in clerk who reloads.
#[derive(Clone, Copy)]
pub struct Auth {
    pub session: RwSignal<Option<SessionInfo>>,
    pub checked: RwSignal<bool>,
}

impl Auth {
    /// Keeps the session (its CSRF token goes with the API's state changes).
    pub fn signed_in(self, info: SessionInfo) {
        self.session.set(Some(info));
    }

    /// Forgets the session (and, through `App`, the last receipt).
    pub fn signed_out(self) {
        self.session.try_set(None);
    }

    /// The API client of this session: its CSRF token, and signing out here when the
    /// server says the session has ended.
    fn client(self) -> crate::http::Client<crate::http::StaffSession> {
        let csrf =
            Signal::derive(move || self.session.with(|s| s.as_ref().map(|s| s.csrf_token.clone()).unwrap_or_default()));
        let on_signed_out = Callback::new(move |_| self.signed_out());
        crate::http::Client::staff(crate::http::StaffSession { csrf, on_signed_out })
    }

    /// The signed-in role, tracked.
    pub fn role(self) -> Option<Role> {
        self.session.with(|s| s.as_ref().map(|s| s.role))
    }
}

/// Departments and places, loaded once after signing in (filters and forms need them).
#[derive(Clone, Copy)]
pub struct Lookups {
    pub departments: RwSignal<Vec<Department>>,
    pub regions: RwSignal<Option<RegionsResponse>>,
    /// The county's grids, for the queue's grid filter.
    pub grids: RwSignal<Vec<ow_shared::grid::GridSummary>>,
}

impl Lookups {
    fn load(self, api: api::Api) {
        spawn_local_scoped(async move {
            if let Ok(list) = api.grids().await {
                self.grids.try_set(list);
            }
        });
        spawn_local_scoped(async move {
            if let Ok(list) = api.departments().await {
                self.departments.try_set(list);
            }
        });
        spawn_local_scoped(async move {
            if let Ok(regions) = api.regions().await {
                self.regions.try_set(Some(regions));
            }
        });
    }
}

/// The receipt of the last walk-in registered (or query code reissued) in this tab.
/// Signing out forgets it, so the next member of staff at that PC never sees it.
pub type LastReceipt = crate::components::LastReceipt<Keys>;

/// Where the console keeps its last receipt.
pub struct Keys;

impl ReceiptKeys for Keys {
    const RECEIPT: &'static str = crate::storage::CONSOLE_RECEIPT;
    const REPLAYED: &'static str = crate::storage::CONSOLE_RECEIPT_REPLAYED;
}

/// Starts the console.
pub fn start() {
    crate::nav::start_app(App);
}

/// The whole console: header, navigation and the page of the current path.
#[component]
pub fn App() -> impl IntoView {
    // zh-CN only: staff read every message in Chinese.
    crate::i18n::provide_prefs(crate::i18n::staff_messages, Some(Lang::Zh));

    let router = crate::nav::provide_router();
    let auth = Auth { session: RwSignal::new(None), checked: RwSignal::new(false) };
    provide_context(auth);
    let api = api::Api::new(auth.client());
    provide_context(api);
    let lookups = Lookups {
        departments: RwSignal::new(Vec::new()),
        regions: RwSignal::new(None),
        grids: RwSignal::new(Vec::new()),
    };
    provide_context(lookups);
    // The last walk-in's (or reissued) receipt; signing out forgets it.
    let last = LastReceipt::new();
    provide_context(last);
    // Signing out forgets the last receipt and its query code.
    Effect::new(move |was_signed_in: Option<bool>| {
        let signed_in = auth.session.with(Option::is_some);
        if was_signed_in == Some(true) && !signed_in {
            last.forget();
        }
        signed_in
    });
    let queue_state = queue::QueueState::new();
    provide_context(queue_state);

    spawn_local_scoped(async move {
        if let Ok(info) = api.session().await {
            auth.signed_in(info);
        }
        auth.checked.set(true);
    });

    let role = Memo::new(move |_| auth.role());
    // Once per sign-in: load the look-ups; the previous user's queue filters go.
    Effect::new(move |_| {
        if role.get().is_some() {
            lookups.load(api);
        }
        queue_state.0.set(queue::Filters { page: 1, ..Default::default() });
    });
    // Signed out: every page but sign-in sends there (and back after signing in).
    Effect::new(move |_| {
        let path = router.path.get();
        if !auth.checked.get() {
            return;
        }
        let on_sign_in = path == paths::SIGN_IN;
        match role.get() {
            None if !on_sign_in => {
                let here = window().location().pathname().unwrap_or_default()
                    + &window().location().search().unwrap_or_default();
                untrack(|| router.navigate(&format!("{}?next={}", paths::SIGN_IN, crate::http::encode(&here))));
            }
            Some(_) if on_sign_in => untrack(|| router.navigate(&signin::next_page())),
            _ => {}
        }
    });

    // The page of the path, mounted again when who is signed in becomes known or changes.
    crate::nav::mount_pages(
        move || (role.get(), auth.checked.get()),
        |path, (role, checked)| show_page(path, role, checked),
    );
    view! {
        <layout::SkipLink />
        <layout::Header />
        <main id="main" tabindex="-1" class="c-main"></main>
    }
}

/// The page for `path`, given who is signed in.
fn show_page(path: &str, role: Option<Role>, checked: bool) -> Page {
    let path = path.split('?').next().unwrap_or(path).trim_end_matches('/');
    // Nothing until the session is known: a page shown before would be built again
    // when it is, losing whatever was typed in the meantime.
    if !checked {
        return page(|| view! { <p class="c-loading" role="status">"加载中…"</p> });
    }
    if path == paths::SIGN_IN {
        return page(signin::sign_in_page);
    }
    let Some(role) = role else {
        return page(|| view! { <p class="c-loading" role="status">"请先登录。"</p> });
    };
    let clerk = matches!(role, Role::Clerk | Role::Leader);
    let admin = role == Role::Admin;
    let grid_worker = role == Role::GridWorker;
    match path {
        "" | paths::QUEUE if admin => page(admin_home),
        // Grid workers work from their phone's page: their grid's cases and the reports.
        "" | paths::QUEUE | field::paths::HOME if grid_worker => page(field::field_home),
        field::paths::REPORT if grid_worker => page(|| field::report_page(false)),
        field::paths::SETTLE if grid_worker => page(|| field::report_page(true)),
        field::paths::SCREENING if grid_worker => page(field::screening_page),
        field::paths::HOME | field::paths::REPORT | field::paths::SETTLE | field::paths::SCREENING => page(not_allowed),
        "" | paths::QUEUE => page(queue::queue_page),
        paths::WALK_IN if clerk => page(walk_in::walk_in_page),
        // Leaders; clerks read their own unit's.
        paths::FIGURES if clerk => page(figures::figures_page),
        paths::RISKS if clerk => page(risks::risks_page),
        paths::RECEIPT if clerk => page(receipt::receipt_page),
        paths::HOLIDAYS if admin => page(calendar::holidays_page),
        paths::STAFF if admin => page(staff::staff_page),
        paths::BOOKINGS if clerk => page(bookings::bookings_page),
        paths::SCHEDULE if admin => page(schedule::schedule_page),
        paths::GRIDS if clerk || admin => page(move || grids::grids_page(admin)),
        paths::GRIDS => page(not_allowed),
        _ if path.starts_with("/console/grids/") => match path["/console/grids/".len()..].parse::<i64>() {
            Ok(_) if !(clerk || admin) => page(not_allowed),
            Ok(id) => page(move || grids::grid_page(id)),
            Err(_) => page(not_found),
        },
        paths::WALK_IN
        | paths::FIGURES
        | paths::RISKS
        | paths::RECEIPT
        | paths::HOLIDAYS
        | paths::STAFF
        | paths::BOOKINGS
        | paths::SCHEDULE => page(not_allowed),
        _ => {
            let id_after = |prefix: &str| path.strip_prefix(prefix).and_then(|id| id.parse::<i64>().ok());
            match (id_after("/console/cases/"), id_after("/console/legal-aid/")) {
                (Some(id), _) => page(move || case_page::case_page(id)),
                (_, Some(id)) if clerk => page(move || legal_aid::legal_aid_page(id)),
                (_, Some(_)) => page(not_allowed),
                _ => page(not_found),
            }
        }
    }
}

/// Administrators handle no case: their start page points to what they keep.
fn admin_home() -> impl IntoView {
    ui::page_title("系统管理");
    view! {
        <h1>"系统管理"</h1>
        <p>"系统管理员维护工作人员账号、节假日安排和预约排班，不办理案件。"</p>
        <ul class="cards">
            <li>
                <a class="card" href=paths::STAFF>
                    <span class="card-title">"账号"</span>
                    <span class="card-text">"新建、停用工作人员账号，重置密码。"</span>
                </a>
            </li>
            <li>
                <a class="card" href=paths::HOLIDAYS>
                    <span class="card-title">"节假日"</span>
                    <span class="card-text">"放假和调休上班日期：5个工作日异议期等工作日期限据此计算。"</span>
                </a>
            </li>
            <li>
                <a class="card" href=paths::SCHEDULE>
                    <span class="card-title">"预约排班"</span>
                    <span class="card-text">"法律服务预约点的开放时间、每时段名额、可预约天数和停止预约日期。"</span>
                </a>
            </li>
            <li>
                <a class="card" href=paths::GRIDS>
                    <span class="card-title">"网格"</span>
                    <span class="card-text">"导入、导出网格边界和网格员队伍，编辑网格的监督电话和服务事项。"</span>
                </a>
            </li>
        </ul>
    }
}

fn not_allowed() -> impl IntoView {
    ui::page_title("无权访问");
    view! {
        <h1>"无权访问"</h1>
        <p>"您的岗位不能使用此页面。"</p>
        <p><a href=paths::QUEUE>"返回工作台"</a></p>
    }
}

fn not_found() -> impl IntoView {
    ui::page_title("页面不存在");
    view! {
        <h1>"页面不存在"</h1>
        <p><a href=paths::QUEUE>"返回工作台"</a></p>
    }
}
