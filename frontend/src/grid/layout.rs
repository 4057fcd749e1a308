//! The frame of the grid app: skip link, header with the toggles and the ways back to
//! the main site, footer with the hall's phone.

use super::HOME;
use crate::i18n::{page_title, tr, use_prefs};
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

/// The app name, the language and large-text toggles, and the links.
#[component]
pub fn Header() -> impl IntoView {
    let prefs = use_prefs();
    let toggle_lang = move |_| prefs.lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh });
    let other_lang = move || if prefs.lang.get() == Lang::Zh { ("English", "en") } else { ("中文", "zh-CN") };
    let path = crate::nav::Router::get().path;
    let current = move || (path.get().trim_end_matches('/') == HOME).then_some("page");
    view! {
        <header class="site-header">
            <div class="bar">
                <a class="brand" href=HOME>
                    <span class="brand-name">{tr("找网格", "Find your grid")}</span>
                    <span class="county">{tr("一窗通办 · 网格服务", "OneWindow · grid services")}</span>
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
                    <li>
                        <a id="g-nav-find" href=HOME aria-current=current>
                            {tr("找网格", "Find a grid")}
                        </a>
                    </li>
                    // The other apps of the site: the browser loads them.
                    <li>
                        <a id="g-nav-home" href="/" rel="external">
                            {tr("一窗通办首页", "OneWindow home")}
                        </a>
                    </li>
                    <li>
                        <a id="g-nav-submit" href="/submit" rel="external">
                            {tr("我要反映", "Make a request")}
                        </a>
                    </li>
                </ul>
            </nav>
        </header>
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
            <p>{tr("网格员就在您身边 · 小事不出村", "Your grid worker is close by · small matters settled locally")}</p>
        </footer>
    }
}

/// Any unknown address under /grid.
#[component]
pub fn NotFound() -> impl IntoView {
    page_title("找不到页面", "Page not found");
    view! {
        <h1>{tr("找不到该页面", "Page not found")}</h1>
        <p>
            <a href=HOME>{tr("返回找网格", "Back to Find your grid")}</a>
        </p>
    }
}
