//! Forms, the one way in every app: a field's parts (label, hint, counter, error line)
//! wired to its control by `id`, `aria-invalid` and `aria-describedby`, the errors of a
//! form, and the server's refusal shown beside the fields. Errors are kept as shared
//! `FieldError`s and worded by the app's `Messages`, so switching the language re-words
//! them. Ids: control `f-{field}` (or one given), hint `hint-{field}`, error `err-{field}`.

use crate::i18n::use_lang;
use leptos::prelude::*;
use ow_shared::validate::char_len;
use ow_shared::{ApiError, FieldError, Lang};

/// The errors currently shown on a form, one entry per field at most.
pub type Errors = RwSignal<Vec<FieldError>>;

/// A new, empty set of errors.
pub fn errors() -> Errors {
    RwSignal::new(Vec::new())
}

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

/// The message shown for `field`, tracked (for fields named at run time).
pub fn message_for(errors: Errors, field: &str) -> Option<String> {
    let lang = use_lang().get();
    error_for(errors, field).map(|e| crate::i18n::field_message(&e, lang))
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
            {move || error_for(errors, field).map(|e| crate::i18n::field_message(&e, lang.get()))}
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

/// One labelled field of a form: which error it shows and how its control is named.
#[derive(Clone, Copy)]
pub struct Field {
    /// The field's name in the request (`mobile`), which its errors carry.
    pub name: &'static str,
    /// The control's id, for `<label for>` (default `f-{name}`).
    control: Option<&'static str>,
    hint: bool,
    errors: Errors,
}

impl Field {
    /// A field whose control is `f-{name}`.
    pub fn new(errors: Errors, name: &'static str) -> Field {
        Field { name, control: None, hint: false, errors }
    }

    /// The same field with its control named `id`.
    pub fn control_id(self, id: &'static str) -> Field {
        Field { control: Some(id), ..self }
    }

    /// The control's id.
    pub fn id(self) -> String {
        self.control.map_or_else(|| format!("f-{}", self.name), String::from)
    }

    /// `aria-describedby` of the control: its hint (if any) and its error line.
    pub fn described_by(self) -> String {
        if self.hint { format!("hint-{0} err-{0}", self.name) } else { format!("err-{}", self.name) }
    }

    /// `aria-invalid` of the control, tracked.
    pub fn invalid(self) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        invalid(self.errors, self.name)
    }

    /// The whole field in a `.field` block: the label, the hint, the control (built by
    /// `control` with this field's wiring) and the error line.
    pub fn view<V: IntoView + 'static>(
        self,
        label: &'static str,
        hint: Option<&'static str>,
        control: impl FnOnce(Field) -> V,
    ) -> impl IntoView {
        let field = Field { hint: hint.is_some(), ..self };
        let name = self.name;
        view! {
            <div class="field">
                <label for=field.id()>{label}</label>
                {hint.map(|h| view! { <p class="hint" id=format!("hint-{name}")>{h}</p> })}
                {control(field)}
                {error_text(self.errors, name)}
            </div>
        }
    }
}

/// A server's refusal: its field errors beside the fields (`case.mobile` → `mobile`),
/// one per field, and its zh-CN message in `general` (the console's forms; safe to call
/// after an `await`, where no context can be read).
pub fn show_error(errors: Errors, general: RwSignal<Option<String>>, error: ApiError) {
    let fields = first_per_field(
        error.fields.iter().map(|e| FieldError { field: base_field(&e.field).to_string(), ..e.clone() }).collect(),
    );
    errors.try_set(fields);
    general.try_set(Some(error.code.message(Lang::Zh, None, None)));
}

/// `case.mobile` → `mobile`, `representatives[1]` and `representatives.0` → `representatives`.
pub fn base_field(field: &str) -> &str {
    // `representatives.0`: the index names an item of the field before it.
    let named = field.rsplit('.').find(|part| !part.is_empty() && !part.bytes().all(|b| b.is_ascii_digit()));
    let field = named.unwrap_or(field);
    field.split('[').next().unwrap_or(field)
}

/// Keeps one error per field, the first (the one to fix first).
pub fn first_per_field(all: Vec<FieldError>) -> Vec<FieldError> {
    let mut out: Vec<FieldError> = Vec::new();
    for e in all {
        if !out.iter().any(|x| x.field == e.field) {
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ow_shared::ErrorCode;

    #[test]
    fn a_servers_nested_field_names_land_on_the_forms_fields() {
        assert_eq!(base_field("case.mobile"), "mobile");
        assert_eq!(base_field("representatives[1]"), "representatives");
        assert_eq!(base_field("representatives.0"), "representatives");
        assert_eq!(base_field("title"), "title");
    }

    #[test]
    fn only_the_first_error_of_a_field_is_shown() {
        let all = vec![
            FieldError::new("mobile", ErrorCode::Required),
            FieldError::new("title", ErrorCode::TooShort),
            FieldError::new("mobile", ErrorCode::MobileInvalid),
        ];
        let shown = first_per_field(all);
        assert_eq!(shown.len(), 2);
        assert_eq!(shown[0].code, ErrorCode::Required);
    }
}
