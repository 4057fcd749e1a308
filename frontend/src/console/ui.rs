//! Small pieces only console pages use: the page title, urgency badges, wire codes, the
//! words of a refusal, the data table.
//! Forms, keys and dates are the base's (`crate::form`, `crate::browser`).

use leptos::prelude::*;
use ow_shared::calendar::Urgency;
use ow_shared::{ApiError, Lang};

/// What a refusal says, in zh-CN: a page's own words for it if it has any, else its
/// code's (the client keeps only the code of what the server answered).
pub fn refusal(e: &ApiError) -> String {
    if e.message.is_empty() { e.code.message(Lang::Zh, None, None) } else { e.message.clone() }
}

/// Sets the document title for a page.
pub fn page_title(title: &str) {
    document().set_title(&format!("{title} - 一窗通办·工作台"));
}

/// The wire code of a unit enum (`"take_as_leader"`), as serde writes it.
pub fn wire_code(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
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
    let today = ow_shared::calendar::parse(&crate::browser::today())?;
    Some(ow_shared::calendar::urgency(due, today))
}

/// A list as a data table, the one shape of every list in the console: scrolls sideways
/// inside its own box on a narrow screen, a caption for screen readers, one heading per
/// column. `hidden` hides it (the page then shows its own "nothing found" line).
pub fn table(
    class: &'static str,
    caption: &'static str,
    columns: &'static [&'static str],
    hidden: Signal<bool>,
    rows: impl IntoView + 'static,
) -> impl IntoView {
    let heads = columns.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view();
    view! {
        <div class="c-table-wrap">
            <table class=class hidden=move || hidden.get()>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
