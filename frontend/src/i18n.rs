//! UI language and large-text preferences, and the `tr` helper for bilingual strings.
//! zh-CN comes first everywhere; English is a courtesy for visitors.

use crate::storage;
use leptos::prelude::*;
use ow_shared::{ErrorCode, Lang};

/// How an app words an error code: each app links only the texts its users can meet
/// (the resident app's download must not carry the console's).
pub type Messages = fn(ErrorCode, Lang, Option<u32>, Option<u32>) -> String;

/// The reader's display preferences, provided once by each app as context.
#[derive(Clone, Copy)]
pub struct Prefs {
    pub lang: RwSignal<Lang>,
    pub large_text: RwSignal<bool>,
    messages: Messages,
}

/// Loads the stored preferences, provides them, and keeps `<html>` and storage in step.
/// `fixed_lang`: an app in one language only (the console) ignores the stored choice.
pub fn provide_prefs(messages: Messages, fixed_lang: Option<Lang>) -> Prefs {
    let stored = storage::get(storage::LANG).unwrap_or_default();
    let lang = fixed_lang.unwrap_or_else(|| Lang::from_tag(&stored));
    let large = matches!(storage::get(storage::LARGE_TEXT).as_deref(), Some("true" | "1"));
    let prefs = Prefs { lang: RwSignal::new(lang), large_text: RwSignal::new(large), messages };
    provide_context(prefs);
    let root = document().document_element();
    Effect::new(move |_| {
        let lang = prefs.lang.get();
        if fixed_lang.is_none() {
            storage::set(storage::LANG, lang.tag());
        }
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

/// An error's message in the reader's language, worded by the app's `Messages`.
pub fn message(code: ErrorCode, lang: Lang) -> String {
    (use_prefs().messages)(code, lang, None, None)
}

/// `message` for a code with length limits.
pub fn message_with_limits(code: ErrorCode, lang: Lang, min: Option<u32>, max: Option<u32>) -> String {
    (use_prefs().messages)(code, lang, min, max)
}

/// A field error's message, with its limits.
pub fn field_message(error: &ow_shared::FieldError, lang: Lang) -> String {
    (use_prefs().messages)(error.code, lang, error.min, error.max)
}

/// An `ApiError`'s message: the app's own wording of the code.
pub fn api_message(error: &ow_shared::ApiError, lang: Lang) -> String {
    message(error.code, lang)
}

/// The resident app's `Messages`: only the codes a resident can meet (`resident_message`).
pub fn resident_messages(code: ErrorCode, lang: Lang, min: Option<u32>, max: Option<u32>) -> String {
    code.resident_message(lang, min, max).unwrap_or_else(|| generic(lang))
}

/// The booking and grid apps' `Messages`: a resident's codes and their own.
pub fn service_messages(code: ErrorCode, lang: Lang, min: Option<u32>, max: Option<u32>) -> String {
    code.service_message(lang).unwrap_or_else(|| resident_messages(code, lang, min, max))
}

/// The console's `Messages`: every code, in zh-CN.
pub fn staff_messages(code: ErrorCode, _lang: Lang, min: Option<u32>, max: Option<u32>) -> String {
    code.message(Lang::Zh, min, max)
}

fn generic(lang: Lang) -> String {
    lang.pick("操作失败，请稍后再试", "Something went wrong; please try again").into()
}
