//! A form field's frame: label, hint, the control, and its error message. Errors are
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
pub fn invalid(errors: Errors, field: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || if error_for(errors, field).is_some() { "true" } else { "false" }
}

/// The `err-{field}` element: always present so `aria-describedby` always resolves.
pub fn error_text(errors: Errors, field: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="err" id=format!("err-{field}")>
            {move || error_for(errors, field).map(|e| e.message(lang.get()))}
        </p>
    }
}

/// A live character counter like `3/40`, counted as the shared validation counts.
pub fn counter(field: &'static str, max: u32, text: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    let len = Memo::new(move |_| char_len(&text()));
    view! {
        <span class="counter" class:over=move || { len.get() > max } id=format!("count-{field}")>
            {move || format!("{}/{max}", len.get())}
        </span>
    }
}

/// A labelled field: `<label for="f-{field}">`, an optional hint, the control, its error.
#[component]
pub fn Field(
    errors: Errors,
    field: &'static str,
    zh: &'static str,
    en: &'static str,
    #[prop(optional)] optional: bool,
    #[prop(optional)] hint: Option<(&'static str, &'static str)>,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field">
            <label for=format!("f-{field}")>
                {move || lang.get().pick(zh, en)}
                {optional.then(|| view! { <span class="optional">{move || lang.get().pick("（选填）", " (optional)")}</span> })}
            </label>
            {hint
                .map(|(hz, he)| {
                    view! {
                        <p class="hint" id=format!("hint-{field}")>
                            {move || lang.get().pick(hz, he)}
                        </p>
                    }
                })}
            {children()}
            {error_text(errors, field)}
        </div>
    }
}
