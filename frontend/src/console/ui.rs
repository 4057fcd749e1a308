//! Small pieces only console pages use: the page title, urgency badges, wire codes.
//! Forms, keys and dates are the base's (`crate::form`, `crate::browser`).

use leptos::either::EitherOf3;
use leptos::prelude::*;
use ow_shared::calendar::Urgency;

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

/// "Loading", an error with a retry, or the loaded value's view.
pub fn loading_or<T: Clone + Send + Sync + 'static, V: IntoView + 'static>(
    state: RwSignal<Option<Result<T, ow_shared::ApiError>>>,
    retry: impl Fn() + Copy + Send + Sync + 'static,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView {
    move || match state.get() {
        None => EitherOf3::A(view! { <p class="c-loading" role="status">"加载中…"</p> }),
        Some(Err(e)) => EitherOf3::B(view! {
            <p class="form-error" role="alert">
                {e.message}
                " "
                <button type="button" class="link-button" on:click=move |_| retry()>"重试"</button>
            </p>
        }),
        Some(Ok(value)) => EitherOf3::C(show(value)),
    }
}
