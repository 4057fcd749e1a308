//! The frame around every page: skip link, header with the toggles, footer.

use crate::Regions;
use crate::i18n::{tr, use_prefs};
use leptos::prelude::*;
use ow_shared::Lang;
use ow_shared::dto::HALL_PHONE;
use wasm_bindgen::JsCast;

/// A link that jumps keyboard and screen-reader users past the header.
#[component]
pub fn SkipLink() -> impl IntoView {
    // Handled here so the router does not treat "#main" as a navigation.
    let skip = |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = document().get_element_by_id("main").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = main.focus();
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>
            {tr("跳到主要内容", "Skip to main content")}
        </a>
    }
}

/// The app name, the county, the language and large-text toggles, and the main links.
#[component]
pub fn Header() -> impl IntoView {
    let regions = expect_context::<Regions>();
    let county = move || regions.0.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map(|r| r.county.clone()));
    view! {
        <header class="site-header">
            <div class="bar">
                <a class="brand" href="/">
                    <span class="brand-name">{tr("一窗通办", "OneWindow")}</span>
                    <span class="county">{county}</span>
                </a>
                <Toggles />
            </div>
            <nav aria-label=tr("主要栏目", "Main sections")>
                <ul class="nav">
                    <li>{nav_link("/", tr("首页", "Home"))}</li>
                    <li>{nav_link("/submit", tr("我要反映", "Make a request"))}</li>
                    <li>{nav_link("/track", tr("查进度", "Track progress"))}</li>
                </ul>
            </nav>
        </header>
    }
}

/// The language and large-text toggles of every app's header (ids the tests rely on).
#[component]
pub fn Toggles() -> impl IntoView {
    let prefs = use_prefs();
    let toggle_lang = move |_| prefs.lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh });
    let other_lang = move || if prefs.lang.get() == Lang::Zh { ("English", "en") } else { ("中文", "zh-CN") };
    view! {
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
    }
}

/// A header link marked as the current page when it is.
fn nav_link(href: &'static str, text: impl Fn() -> &'static str + Send + Sync + 'static) -> impl IntoView {
    let path = crate::nav::Router::get().path;
    let current = move || (path.get() == href).then_some("page");
    view! {
        <a href=href aria-current=current>
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
                {tr("服务大厅电话：", "Service hall phone: ")}
                <a href=format!("tel:{HALL_PHONE}")>{HALL_PHONE}</a>
            </p>
            <p>{tr("一窗受理 · 一次告知 · 最多跑一次", "One window · one notice · at most one trip")}</p>
        </footer>
    }
}
