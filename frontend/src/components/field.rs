//! A form field's parts: label, hint, counter and error message. Errors are
//! kept as shared `FieldError`s and rendered from their code, so switching the language
//! re-renders them.

use crate::i18n::use_lang;
use leptos::prelude::*;
use ow_shared::FieldError;
use ow_shared::validate::char_len;

/// The errors currently shown on a form, one entry per field at most.
pub type Errors = RwSignal<Vec<FieldError>>;

/// The error shown for `field`, tracked.
pub fn error_for(errors: Errors, field: &str) -> Option<FieldError> {
    errors.with(|v| v.iter().find(|e| e.field == field).cloned())
}

/// Replaces the error shown for `field`.
pub fn set_error(errors: Errors, field: &str, error: Option<FieldError>) {
    errors.update(|v| {
        v.retain(|e| e.field != field);
        v.extend(error);
    });
}

/// `aria-invalid` for a control, tracked.
#[inline(never)]
pub fn invalid(errors: Errors, field: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || if error_for(errors, field).is_some() { "true" } else { "false" }
}

/// The `err-{field}` element: always present so `aria-describedby` always resolves.
#[inline(never)]
pub fn error_text(errors: Errors, field: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="err" id=format!("err-{field}")>
            {move || error_for(errors, field).map(|e| crate::i18n::error_message(e.code, lang.get(), e.min, e.max))}
        </p>
    }
}

/// A live character counter like `3/40`, counted as the shared validation counts.
#[inline(never)]
pub fn counter(field: &'static str, max: u32, text: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    let len = Memo::new(move |_| char_len(&text()));
    view! {
        <span class="counter" class:over=move || { len.get() > max } id=format!("count-{field}")>
            {move || format!("{}/{max}", len.get())}
        </span>
    }
}

/// The `<label for="f-{field}">` of a field and its optional hint (`hint-{field}`). Not a
/// wrapper component on purpose: wrapping each control in `Children` type-erases it,
/// which cost ~1 KB of wasm per field.
#[inline(never)]
pub fn label(
    field: &'static str,
    zh: &'static str,
    en: &'static str,
    optional: bool,
    hint: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    let lang = use_lang();
    let optional = move || optional.then(|| lang.get().pick("（选填）", " (optional)"));
    view! {
        <label for=format!("f-{field}")>
            {move || lang.get().pick(zh, en)}
            <span class="optional">{optional}</span>
        </label>
        {hint.map(|(hz, he)| view! { <p class="hint" id=format!("hint-{field}")>{move || lang.get().pick(hz, he)}</p> })}
    }
}
