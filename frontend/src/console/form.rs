//! Small pieces every console page uses: field errors (`c-err-{field}`, linked from
//! their control by `aria-describedby`), urgency badges, today's date, idempotency keys.

use leptos::prelude::*;
use ow_shared::calendar::Urgency;
use ow_shared::{ApiError, FieldError, Lang};
use wasm_bindgen::{JsCast, JsValue};

/// The errors shown on one form.
pub type Errs = RwSignal<Vec<FieldError>>;

/// Sets the document title for a page.
pub fn page_title(title: &str) {
    document().set_title(&format!("{title} - 一窗通办·工作台"));
}

/// The message shown for `field`, tracked.
pub fn message_for(errs: Errs, field: &str) -> Option<String> {
    errs.with(|v| v.iter().find(|e| e.field == field).map(|e| e.message(Lang::Zh)))
}

/// `aria-invalid` of a control, tracked.
pub fn invalid(errs: Errs, field: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || if message_for(errs, field).is_some() { "true" } else { "false" }
}

/// The `c-err-{field}` element, always present so `aria-describedby` always resolves.
pub fn error_text(errs: Errs, field: &'static str) -> impl IntoView {
    view! { <p class="err" id=format!("c-err-{field}")>{move || message_for(errs, field)}</p> }
}

/// The `err-{field}` element of a field that has the resident form's id (`f-{field}`):
/// with the full message set, the console's own codes included.
pub fn field_error_text(errs: Errs, field: &'static str) -> impl IntoView {
    view! { <p class="err" id=format!("err-{field}")>{move || message_for(errs, field)}</p> }
}

/// A server error: its field errors beside the fields (`case.mobile` → `mobile`), its
/// message in `general`.
pub fn show_error(errs: Errs, general: RwSignal<Option<String>>, error: ApiError) {
    let mut fields: Vec<FieldError> = Vec::new();
    for mut e in error.fields {
        e.field = base_field(&e.field).to_string();
        if !fields.iter().any(|f| f.field == e.field) {
            fields.push(e);
        }
    }
    errs.try_set(fields);
    general.try_set(Some(error.message));
}

/// `case.mobile` → `mobile`, `representatives[1]` → `representatives`.
pub fn base_field(field: &str) -> &str {
    let field = field.rsplit('.').next().unwrap_or(field);
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

/// The wire code of a unit enum (`"take_as_leader"`), as serde writes it.
pub fn wire_code(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

/// Moves keyboard focus to the element with this id, if there is one.
pub fn focus(id: &str) {
    if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// A due date's badge, in words (colour only repeats them).
pub fn urgency_badge(urgency: Option<Urgency>) -> Option<impl IntoView + use<>> {
    let (class, text) = match urgency? {
        Urgency::Overdue => ("c-badge c-badge-overdue", "超期"),
        Urgency::DueSoon => ("c-badge c-badge-soon", "即将到期"),
        Urgency::OnTime => return None,
    };
    Some(view! { <span class=class>{text}</span> })
}

/// How urgent `due_on` is today, by the shared rule.
pub fn urgency_of(due_on: &str) -> Option<Urgency> {
    let due = ow_shared::calendar::parse(due_on)?;
    let today = ow_shared::calendar::parse(&today())?;
    Some(ow_shared::calendar::urgency(due, today))
}

/// Today in Asia/Shanghai (UTC+8, no daylight saving), `YYYY-MM-DD`, as the server judges dates.
pub fn today() -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(js_sys::Date::now() + 8.0 * 3_600_000.0));
    format!("{:04}-{:02}-{:02}", d.get_utc_full_year(), d.get_utc_month() + 1, d.get_utc_date())
}

/// The current year in Asia/Shanghai.
pub fn this_year() -> i32 {
    today()[..4].parse().unwrap_or(2026)
}

/// A new idempotency key (v4 UUID).
pub fn new_key() -> String {
    let crypto = window().crypto().ok();
    if let Some(c) = &crypto {
        let has_uuid = js_sys::Reflect::get(c, &JsValue::from_str("randomUUID")).is_ok_and(|f| f.is_function());
        if has_uuid {
            return c.random_uuid();
        }
    }
    let mut b = [0u8; 16];
    if crypto.is_none_or(|c| c.get_random_values_with_u8_array(&mut b).is_err()) {
        b.iter_mut().for_each(|x| *x = (js_sys::Math::random() * 256.0) as u8);
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}
