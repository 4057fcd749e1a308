//! The frame of the booking app: skip link, header with the toggles and the way back to
//! the main site, footer with the hall's phone.

use super::paths;
use crate::i18n::{page_title, tr, use_prefs};
use leptos::prelude::*;
use ow_shared::Lang;
use ow_shared::dto::HALL_PHONE;

/// A link that jumps keyboard and screen-reader users past the header.
#[component]
pub fn SkipLink() -> impl IntoView {
    // Handled here so the router does not treat "#main" as a navigation.
    let skip = |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        super::focus("main");
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>
            {tr("跳到主要内容", "Skip to main content")}
        </a>
    }
}

/// The app name, the language and large-text toggles, and the sections.
#[component]
pub fn Header() -> impl IntoView {
    let prefs = use_prefs();
    let toggle_lang = move |_| prefs.lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh });
    let other_lang = move || if prefs.lang.get() == Lang::Zh { ("English", "en") } else { ("中文", "zh-CN") };
    view! {
        <header class="site-header">
            <div class="bar">
                <a class="brand" href=paths::SERVICES>
                    <span class="brand-name">{tr("法律援助预约", "Legal aid booking")}</span>
                    <span class="county">{tr("一窗通办 · 公共法律服务", "OneWindow · public legal services")}</span>
                </a>
                <div class="toggles">
                    <button id="lang-toggle" type="button" class="toggle" lang=move || other_lang().1 on:click=toggle_lang>
                        {move || other_lang().0}
                    </button>
                    <button
                        id="large-text-toggle"
                        type="button"
                        class="toggle"
                        aria-pressed=move || prefs.large_text.get().to_string()
                        on:click=move |_| prefs.large_text.update(|on| *on = !*on)
                    >
                        {tr("大字", "Large text")}
                    </button>
                </div>
            </div>
            <nav aria-label=tr("主要栏目", "Main sections")>
                <ul class="nav">
                    <li>{nav_link("b-nav-book", paths::SERVICES, tr("预约服务", "Book"))}</li>
                    <li>{nav_link("b-nav-mine", paths::MINE, tr("我的预约", "My booking"))}</li>
                    <li>
                        // Another app of the site: the browser loads it.
                        <a id="b-nav-home" href="/" rel="external">{tr("一窗通办首页", "OneWindow home")}</a>
                    </li>
                </ul>
            </nav>
        </header>
    }
}

/// A header link marked as the current page when it is.
fn nav_link(
    id: &'static str,
    href: &'static str,
    text: impl Fn() -> &'static str + Send + Sync + 'static,
) -> impl IntoView {
    let path = crate::nav::Router::get().path;
    let current = move || (path.get().trim_end_matches('/') == href).then_some("page");
    view! {
        <a id=id href=href aria-current=current>
            {text}
        </a>
    }
}

/// The hall's phone number, for everything the app cannot do.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                {tr("预约咨询电话：", "Phone: ")}
                <a href=format!("tel:{HALL_PHONE}")>{HALL_PHONE}</a>
            </p>
            <p>{tr("法律援助免费 · 一次告知所需材料", "Legal aid is free · all papers told at once")}</p>
        </footer>
    }
}

/// Any unknown address under /booking.
#[component]
pub fn NotFound() -> impl IntoView {
    page_title("找不到页面", "Page not found");
    view! {
        <h1>{tr("找不到该页面", "Page not found")}</h1>
        <p>
            <a href=paths::SERVICES>{tr("返回预约首页", "Back to booking")}</a>
        </p>
    }
}
