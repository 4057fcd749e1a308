//! The console's header: who is signed in, large text, sign out, and the sections
//! the signed-in role may use.

use super::{Auth, paths};
use crate::i18n::use_prefs;
use crate::nav::Router;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::staff::Role;

/// A link that jumps keyboard and screen-reader users past the header.
#[component]
pub fn SkipLink() -> impl IntoView {
    // Handled here so the router does not treat "#main" as a navigation.
    let skip = |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        crate::browser::focus("main");
    };
    view! { <a class="skip-link" href="#main" on:click=skip>"跳到主要内容"</a> }
}

/// The header bar and, once signed in, the navigation.
#[component]
pub fn Header() -> impl IntoView {
    let api = crate::console::api::use_api();
    let prefs = use_prefs();
    let auth = expect_context::<Auth>();
    let router = Router::get();
    let user = move || {
        auth.session.with(|s| {
            s.as_ref().map(|s| {
                let unit = s.department_name.as_ref().map(|d| format!("·{d}")).unwrap_or_default();
                format!("{}（{}{}）", s.display_name, s.role.label(), unit)
            })
        })
    };
    let sign_out = move |_| {
        spawn_local_scoped(async move {
            // Signed out on the server or not, this tab forgets the session.
            let _ = api.sign_out().await;
            auth.signed_out();
            router.navigate(paths::SIGN_IN);
        });
    };
    let signed_in = move || auth.session.with(Option::is_some);
    view! {
        <header class="site-header c-header">
            <div class="bar">
                <a class="brand" href=paths::QUEUE>
                    <span class="brand-name">"一窗通办·工作台"</span>
                    <span class="county">"服务大厅工作台"</span>
                </a>
                <div class="toggles">
                    <Show when=signed_in>
                        <span id="c-user" class="c-user">{user}</span>
                    </Show>
                    <button
                        id="c-large-text"
                        type="button"
                        class="toggle"
                        aria-pressed=move || prefs.large_text.get().to_string()
                        on:click=move |_| prefs.large_text.update(|on| *on = !*on)
                    >
                        "大字"
                    </button>
                    <Show when=signed_in>
                        <button id="c-signout" type="button" class="toggle" on:click=sign_out>
                            "退出"
                        </button>
                    </Show>
                </div>
            </div>
            <Show when=signed_in>
                <Nav auth=auth />
            </Show>
        </header>
    }
}

/// The sections: everyone has the queue; clerks and leaders register walk-ins and work
/// the booking desk; administrators keep the calendar, the accounts and the schedules.
#[component]
fn Nav(auth: Auth) -> impl IntoView {
    let role = move || auth.role();
    let clerk = move || matches!(role(), Some(Role::Clerk | Role::Leader));
    let admin = move || role() == Some(Role::Admin);
    view! {
        <nav aria-label="工作台栏目">
            <ul class="nav">
                <li>{nav_link("c-nav-queue", paths::QUEUE, "工作台")}</li>
                <Show when=clerk>
                    <li>{nav_link("c-nav-walkin", paths::WALK_IN, "代办登记")}</li>
                    <li>{nav_link("c-nav-bookings", paths::BOOKINGS, "预约")}</li>
                    <li>{nav_link("c-nav-figures", paths::FIGURES, "统计")}</li>
                    <li>{nav_link("c-nav-risks", paths::RISKS, "风险")}</li>
                </Show>
                <Show when=admin>
                    <li>{nav_link("c-nav-holidays", paths::HOLIDAYS, "节假日")}</li>
                    <li>{nav_link("c-nav-staff", paths::STAFF, "账号")}</li>
                    <li>{nav_link("c-nav-schedule", paths::SCHEDULE, "预约排班")}</li>
                </Show>
                <Show when=move || clerk() || admin()>
                    <li>{nav_link("c-nav-grids", paths::GRIDS, "网格")}</li>
                </Show>
            </ul>
        </nav>
    }
}

fn nav_link(id: &'static str, href: &'static str, text: &'static str) -> impl IntoView {
    let path = Router::get().path;
    let current = move || (path.get().trim_end_matches('/') == href).then_some("page");
    view! {
        <a id=id href=href aria-current=current>
            {text}
        </a>
    }
}
