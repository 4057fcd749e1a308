//! The frame every app shares: skip link, the header's toggles, footer.

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
                // The state in words, not only in colour (aria-pressed tells screen readers).
                <span aria-hidden="true">{move || if prefs.large_text.get() { " ✓" } else { "" }}</span>
            </button>
        </div>
    }
}

/// Every resident app's footer: the hall's phone number, for everything the app cannot
/// do (`label` names it), and the app's motto.
#[component]
pub fn Footer(label: (&'static str, &'static str), motto: (&'static str, &'static str)) -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                {tr(label.0, label.1)}
                <a href=format!("tel:{HALL_PHONE}")>{HALL_PHONE}</a>
            </p>
            <p>{tr(motto.0, motto.1)}</p>
        </footer>
    }
}

/// Any unknown address of an app, with the way back to its first page.
#[component]
pub fn NotFound(back: &'static str, back_text: (&'static str, &'static str)) -> impl IntoView {
    page_title("找不到页面", "Page not found");
    view! {
        <h1>{tr("找不到该页面", "Page not found")}</h1>
        <p>
            <a href=back>{tr(back_text.0, back_text.1)}</a>
        </p>
    }
}
