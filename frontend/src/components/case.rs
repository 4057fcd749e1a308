//! Pieces shown on both the receipt and the tracking result.

use crate::i18n::use_lang;
use leptos::prelude::*;
use ow_shared::dto::Deadline;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// A tracking number in groups of 4-4-5 for reading aloud. The groups are spaced by
/// CSS, not by spaces, so copying it still gives the bare digits.
pub fn tracking_number(id: &'static str, no: &str) -> impl IntoView + use<> {
    let (first, rest) = no.split_at_checked(4).unwrap_or((no, ""));
    let (second, third) = rest.split_at_checked(4).unwrap_or((rest, ""));
    let groups = [first, second, third].into_iter().filter(|g| !g.is_empty()).map(String::from);
    view! {
        <span class="tracking-no" id=id>
            {groups.map(|g| view! { <span>{g}</span> }).collect_view()}
        </span>
    }
}

/// The statutory time limits with their due dates.
pub fn deadline_list(id: &'static str, deadlines: Vec<Deadline>) -> impl IntoView {
    let lang = use_lang();
    let items = deadlines
        .into_iter()
        .map(|d| {
            view! {
                <li>
                    <span class="due">{d.due_on}</span>
                    " "
                    <span>{move || d.kind.label(lang.get())}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="deadlines" id=id>{items}</ul> }
}

/// Prints a receipt in `layout` (`print-a4`, `print-80mm`): a class on `<body>` picks
/// the print layout, and comes off again once printing is over (`afterprint`; `print()`
/// does not block on every mobile browser, so not right after it returns).
pub fn print(layout: &str) {
    let Some(body) = document().body() else { return };
    let others: Vec<String> =
        body.class_name().split_whitespace().filter(|c| !c.starts_with("print-")).map(String::from).collect();
    let before = others.join(" ");
    body.set_class_name(&format!("{before} {layout}"));
    let restore = Closure::once_into_js(move || {
        if let Some(body) = document().body() {
            body.set_class_name(&before);
        }
    });
    window().set_onafterprint(Some(restore.unchecked_ref()));
    let _ = window().print();
}

/// The issuing centre's name at the head of a printed receipt (on screen the page says
/// where it is). `county` gives the county's name once the regions are loaded.
pub fn receipt_issuer(county: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    let centre = move || county().map(|c| format!("{c}综治中心")).unwrap_or_default();
    view! { <p class="issuer print-only" id="receipt-issuer">{centre} "（一窗通办服务大厅）"</p> }
}

/// Room for the centre's seal and the date at the foot of a printed receipt.
pub fn seal_space() -> impl IntoView {
    view! { <p class="seal print-only">"（盖章）" <br /> "年　　月　　日"</p> }
}
