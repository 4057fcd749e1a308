//! The frame every app shares: skip link, the header's toggles, footer.

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
