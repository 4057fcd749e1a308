//! UI language and large-text preferences, and the `tr` helper for bilingual strings.
//! zh-CN comes first everywhere; English is a courtesy for visitors.

use crate::storage;
use leptos::prelude::*;
use ow_shared::Lang;

/// The reader's display preferences, provided once by `App` as context.
#[derive(Clone, Copy)]
pub struct Prefs {
    pub lang: RwSignal<Lang>,
    pub large_text: RwSignal<bool>,
}

/// Loads the stored preferences, provides them, and keeps `<html>` and storage in step.
pub fn provide_prefs() -> Prefs {
    let lang = Lang::from_tag(&storage::get(storage::LANG).unwrap_or_default());
    let large = matches!(storage::get(storage::LARGE_TEXT).as_deref(), Some("true" | "1"));
    let prefs = Prefs { lang: RwSignal::new(lang), large_text: RwSignal::new(large) };
    provide_context(prefs);
    let root = document().document_element();
    Effect::new(move |_| {
        let lang = prefs.lang.get();
        storage::set(storage::LANG, lang.tag());
        if let Some(root) = &root {
            let _ = root.set_attribute("lang", lang.tag());
            // rem-based CSS scales everything from the root font size.
            root.set_class_name(if prefs.large_text.get() { "large-text" } else { "" });
        }
        storage::set(storage::LARGE_TEXT, if prefs.large_text.get() { "true" } else { "false" });
    });
    prefs
}

/// The preferences provided by `App`.
pub fn use_prefs() -> Prefs {
    expect_context::<Prefs>()
}

/// The current UI language signal.
pub fn use_lang() -> RwSignal<Lang> {
    use_prefs().lang
}

/// A reactive bilingual string: `{tr("提交", "Submit")}` in a view.
#[inline(never)]
pub fn tr(zh: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || lang.get().pick(zh, en)
}

/// Keeps the document title in step with the page and the language.
pub fn page_title(zh: &'static str, en: &'static str) {
    let lang = use_lang();
    Effect::new(move |_| {
        let l = lang.get();
        document().set_title(&format!("{} - {}", l.pick(zh, en), l.pick("一窗通办", "OneWindow")));
    });
}

/// An error's message in the user's language. Only the codes a resident can meet are
/// in this app (`ErrorCode::resident_message`); the console's own, which a resident
/// never gets, would only add to the download.
pub fn error_message(code: ow_shared::ErrorCode, lang: Lang, min: Option<u32>, max: Option<u32>) -> String {
    code.resident_message(lang, min, max)
        .unwrap_or_else(|| lang.pick("操作失败，请稍后再试", "Something went wrong; please try again").into())
}

/// `error_message` for the booking and grid apps, which also meet their own codes.
pub fn service_error_message(code: ow_shared::ErrorCode, lang: Lang, min: Option<u32>, max: Option<u32>) -> String {
    code.service_message(lang).unwrap_or_else(|| error_message(code, lang, min, max))
}
