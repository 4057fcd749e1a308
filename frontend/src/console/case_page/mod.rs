//! `/console/cases/{id}`: everything about one case the signed-in member of staff may
//! see (`facts`), the actions they can take now (`actions`), and what became of it and
//! the full event timeline (`history`). After an action the page re-renders from the
//! case the server returns and says so in the `#c-status` live region.

mod contact;
mod facts;
mod history;
mod materials;
mod messages;
mod notices;

use super::actions::action_panel;
use super::paths;
use crate::console::ui::{page_title, urgency_badge};
use crate::load::Loaded;
use leptos::prelude::*;
use ow_shared::Lang;
use ow_shared::console::CaseDetail;

/// The case page.
pub fn case_page(id: i64) -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("案件详情");
    let detail = Loaded::<CaseDetail>::new();
    let status = RwSignal::new(String::new());
    let load = move || detail.load(api.case(id));
    load();
    Effect::new(move |_| {
        detail.with(|d| {
            if let Some(Ok(d)) = d {
                page_title(&format!("{} {}", d.tracking_no, d.title));
            }
        })
    });
    // Re-rendered from the answer of an action; announced in the live region.
    let done = move |updated: CaseDetail, message: String| {
        detail.set(updated);
        status.set(message);
    };
    let head = move || {
        detail.with(|d| match d {
            Some(Ok(d)) => {
                let d = d.clone();
                view! {
                    <h1 id="c-case-title" tabindex="-1">{d.title.clone()}</h1>
                    <p class="c-case-summary">
                        <span>"受理编号 "<strong id="c-case-tracking-no">{d.tracking_no.clone()}</strong></span>
                        <span>"状态 "<strong id="c-case-state" data-state=d.state.code()>{d.state.label(Lang::Zh)}</strong></span>
                        {d.unit.clone().map(|u| view! { <span>"承办单位 "<strong id="c-case-unit">{u.name}</strong></span> })}
                        {d.due_on.clone().map(|due| view! { <span>"当前期限 "<strong>{due}</strong> " " {urgency_badge(d.urgency)}</span> })}
                    </p>
                }
                .into_any()
            }
            _ => view! { <h1 id="c-case-title">"案件详情"</h1> }.into_any(),
        })
    };
    view! {
        <p class="c-back"><a href=paths::QUEUE>"← 返回工作台"</a></p>
        {head}
        <p id="c-status" class="c-status" role="status" aria-live="polite">{move || status.get()}</p>
        {detail.view("c-case-load", load, move |d| body(d, done))}
    }
}

/// Everything under the heading: actions first, then the facts and the timeline.
fn body(d: CaseDetail, done: impl Fn(CaseDetail, String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let d2 = d.clone();
    view! {
        {action_panel(d2, done)}
        {facts::facts(&d)}
        {contact::query_code_panel(&d)}
        {facts::photos(&d.photo_ids)}
        {facts::deadlines(&d)}
        {facts::dispatches(&d)}
        {facts::handovers(&d)}
        {history::outcome(&d)}
        {materials::materials(d.id, done)}
        {notices::notices(d.id, done)}
        {messages::messages(d.id)}
        {history::timeline(d.id, d.events)}
    }
}
