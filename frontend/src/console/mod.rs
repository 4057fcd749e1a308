//! 服务大厅工作台: the staff console, a second Trunk target (`console.html`, bin
//! `console`) so residents' phones never download it. Clerks register walk-ins and
//! reply, departments take, object to and answer their dispatches, leaders take cases,
//! administrators keep accounts and the holiday calendar.
//!
//! Same shape as the resident app: `api` is the only HTTP, the shared crate validates,
//! `crate::nav` routes. Every page lives under `/console`.

mod actions;
pub mod api;
mod bookings;
mod calendar;
mod case_page;
mod form;
mod grids;
mod layout;
mod legal_aid;
mod queue;
mod receipt;
mod schedule;
mod signin;
mod staff;
mod walk_in;

use crate::i18n::Prefs;
use crate::storage;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ow_shared::Lang;
use ow_shared::dto::{Receipt, RegionsResponse};
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
    /// Keeps the session (and its CSRF token for the API).
    pub fn signed_in(self, info: SessionInfo) {
        api::set_csrf(&info.csrf_token);
        self.session.set(Some(info));
    }

    /// Forgets the session.
    pub fn signed_out(self) {
        api::set_csrf("");
        self.session.try_set(None);
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
}

impl Lookups {
    fn load(self) {
        spawn_local(async move {
            if let Ok(list) = api::departments().await {
                self.departments.try_set(list);
            }
        });
        spawn_local(async move {
            if let Ok(regions) = api::regions().await {
                self.regions.try_set(Some(regions));
            }
        });
    }
}

/// The receipt of the last walk-in registered in this tab. In memory only: the query
/// code is shown (and printed) once, then exists nowhere but on paper.
#[derive(Clone, Copy)]
pub struct LastReceipt(pub RwSignal<Option<(Receipt, bool)>>);

/// Mounts the console and removes the loading / old-browser placeholder.
pub fn start() {
    leptos::mount::mount_to_body(App);
    if let Some(boot) = document().get_element_by_id("ow-boot") {
        boot.remove();
    }
}

/// The whole console: header, navigation and the page of the current path.
#[component]
pub fn App() -> impl IntoView {
    let large = matches!(storage::get(storage::LARGE_TEXT).as_deref(), Some("true" | "1"));
    // zh-CN only; the shared field helpers read the language from these prefs.
    let prefs = Prefs { lang: RwSignal::new(Lang::Zh), large_text: RwSignal::new(large) };
    provide_context(prefs);
    Effect::new(move |_| {
        let on = prefs.large_text.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", "zh-CN");
            root.set_class_name(if on { "large-text" } else { "" });
        }
        storage::set(storage::LARGE_TEXT, if on { "true" } else { "false" });
    });

    let router = crate::nav::provide_router();
    let auth = Auth { session: RwSignal::new(None), checked: RwSignal::new(false) };
    provide_context(auth);
    let lookups = Lookups { departments: RwSignal::new(Vec::new()), regions: RwSignal::new(None) };
    provide_context(lookups);
    provide_context(LastReceipt(RwSignal::new(None)));
    let queue_state = queue::QueueState::new();
    provide_context(queue_state);

    // The redirect effect below then sends to sign-in, and back here afterwards.
    api::on_not_signed_in(move || auth.signed_out());
    spawn_local(async move {
        if let Ok(info) = api::session().await {
            auth.signed_in(info);
        }
        auth.checked.set(true);
    });

    let role = Memo::new(move |_| auth.role());
    // Once per sign-in: load the look-ups; the previous user's queue filters go.
    Effect::new(move |_| {
        if role.get().is_some() {
            lookups.load();
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
                untrack(|| router.navigate(&format!("{}?next={}", paths::SIGN_IN, api::encode(&here))));
            }
            Some(_) if on_sign_in => untrack(|| router.navigate(&signin::next_page())),
            _ => {}
        }
    });

    let page = move || {
        let path = router.path.get();
        let role = role.get();
        let checked = auth.checked.get();
        untrack(|| show_page(&path, role, checked))
    };
    view! {
        <layout::SkipLink />
        <layout::Header />
        <main id="main" tabindex="-1" class="c-main">
            {page}
        </main>
    }
}

/// The page for `path`, given who is signed in.
fn show_page(path: &str, role: Option<Role>, checked: bool) -> AnyView {
    let path = path.trim_end_matches('/');
    // Nothing until the session is known: a page shown before would be built again
    // when it is, losing whatever was typed in the meantime.
    if !checked {
        return view! { <p class="c-loading" role="status">"加载中…"</p> }.into_any();
    }
    if path == paths::SIGN_IN {
        return signin::sign_in_page().into_any();
    }
    let Some(role) = role else {
        return view! { <p class="c-loading" role="status">"请先登录。"</p> }.into_any();
    };
    let clerk = matches!(role, Role::Clerk | Role::Leader);
    let admin = role == Role::Admin;
    match path {
        "" | paths::QUEUE if admin => admin_home().into_any(),
        "" | paths::QUEUE => queue::queue_page().into_any(),
        paths::WALK_IN if clerk => walk_in::walk_in_page().into_any(),
        paths::RECEIPT if clerk => receipt::receipt_page().into_any(),
        paths::HOLIDAYS if admin => calendar::holidays_page().into_any(),
        paths::STAFF if admin => staff::staff_page().into_any(),
        paths::BOOKINGS if clerk => bookings::bookings_page().into_any(),
        paths::SCHEDULE if admin => schedule::schedule_page().into_any(),
        paths::GRIDS if clerk || admin => grids::grids_page(admin).into_any(),
        paths::GRIDS => not_allowed().into_any(),
        _ if path.starts_with("/console/grids/") => match path["/console/grids/".len()..].parse::<i64>() {
            Ok(_) if !(clerk || admin) => not_allowed().into_any(),
            Ok(id) => grids::grid_page(id).into_any(),
            Err(_) => not_found().into_any(),
        },
        paths::WALK_IN | paths::RECEIPT | paths::HOLIDAYS | paths::STAFF | paths::BOOKINGS | paths::SCHEDULE => {
            not_allowed().into_any()
        }
        _ => {
            let id_after = |prefix: &str| path.strip_prefix(prefix).and_then(|id| id.parse::<i64>().ok());
            match (id_after("/console/cases/"), id_after("/console/legal-aid/")) {
                (Some(id), _) => case_page::case_page(id).into_any(),
                (_, Some(id)) if clerk => legal_aid::legal_aid_page(id).into_any(),
                (_, Some(_)) => not_allowed().into_any(),
                _ => not_found().into_any(),
            }
        }
    }
}

/// Administrators handle no case: their start page points to what they keep.
fn admin_home() -> impl IntoView {
    form::page_title("系统管理");
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
    form::page_title("无权访问");
    view! {
        <h1>"无权访问"</h1>
        <p>"您的岗位不能使用此页面。"</p>
        <p><a href=paths::QUEUE>"返回工作台"</a></p>
    }
}

fn not_found() -> impl IntoView {
    form::page_title("页面不存在");
    view! {
        <h1>"页面不存在"</h1>
        <p><a href=paths::QUEUE>"返回工作台"</a></p>
    }
}

/// "Loading", an error with a retry, or the loaded value's view.
pub fn loading_or<T: Clone + Send + Sync + 'static, V: IntoView + 'static>(
    state: RwSignal<Option<Result<T, ow_shared::ApiError>>>,
    retry: impl Fn() + Copy + Send + Sync + 'static,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView {
    move || match state.get() {
        None => EitherOf3::A(view! { <p class="c-loading" role="status">"加载中…"</p> }),
        Some(Err(e)) => EitherOf3::B(view! {
            <p class="form-error" role="alert">
                {e.message}
                " "
                <button type="button" class="link-button" on:click=move |_| retry()>"重试"</button>
            </p>
        }),
        Some(Ok(value)) => EitherOf3::C(show(value)),
    }
}
