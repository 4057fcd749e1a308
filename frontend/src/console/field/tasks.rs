//! `/console/field` 网格工作: two large buttons (上报, 就地化解) and the grid's open cases
//! with their due dates, soonest first; a case sent down to this worker (下派) is reported
//! done here with a note.

use crate::console::Auth;
use crate::console::ui::{refusal, urgency_badge};
use crate::load::Loaded;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::console::{QueueItem, QueuePage};
use ow_shared::workflow::{Action, validate_action};
use ow_shared::{CaseState, Lang};

/// The grid worker's start page.
pub fn field_home() -> impl IntoView {
    crate::console::ui::page_title("网格工作");
    let api = crate::console::api::use_api();
    let auth = expect_context::<Auth>();
    let me = auth.session.with_untracked(|s| s.as_ref().map(|s| s.staff_id));
    let page = Loaded::<QueuePage>::new();
    let load = move || page.load(api.queue("sort=due&page=1"));
    load();
    let reload = move || page.reload_quietly(api.queue("sort=due&page=1"));
    view! {
        <div class="f-page">
            <h1>"网格工作"</h1>
            <ul class="f-actions">
                <li><a class="c-button primary f-big" id="f-go-report" href=super::paths::REPORT>"上报问题"</a></li>
                <li><a class="c-button f-big" id="f-go-settle" href=super::paths::SETTLE>"就地化解"</a></li>
                <li><a class="c-button f-big" id="f-go-screening" href=super::paths::SCREENING>"排查登记"</a></li>
            </ul>
            <h2 id="f-tasks-title">"本网格待办"</h2>
            {page.view("f-tasks-load", load, move |p| tasks(p.items, me, reload))}
        </div>
    }
}

fn open(item: &QueueItem) -> bool {
    !matches!(item.state, CaseState::Closed | CaseState::Declined | CaseState::Replied)
}

fn tasks(items: Vec<QueueItem>, me: Option<i64>, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let open: Vec<QueueItem> = items.into_iter().filter(open).collect();
    if open.is_empty() {
        return view! { <p class="c-empty" id="f-tasks">"本网格暂无待办。"</p> }.into_any();
    }
    let rows = open.into_iter().map(|item| task(item, me, reload)).collect_view();
    view! { <ul class="f-tasks" id="f-tasks" aria-labelledby="f-tasks-title">{rows}</ul> }.into_any()
}

/// One open case: what, where, by when; "办结反馈" when it was sent down to me.
fn task(item: QueueItem, me: Option<i64>, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let mine = me.is_some() && item.grid_worker_id == me;
    let due = item.due_on.clone().map(|d| format!("期限 {d}")).unwrap_or_else(|| "无期限".into());
    view! {
        <li class="f-task" data-tracking-no=item.tracking_no.clone()>
            <a class="f-task-title" href=crate::console::paths::case(item.id)>{item.title.clone()}</a>
            <p class="f-task-meta">
                {format!("{} · {} · {} {}", item.state.label(Lang::Zh), item.unit, item.village, item.grid.as_ref().map(|g| g.name.as_str()).unwrap_or(""))}
            </p>
            <p class="f-task-due">{due} " " {urgency_badge(item.urgency)}</p>
            {mine.then(|| done_form(item.id, reload))}
        </li>
    }
}

/// 办结反馈: a note on what was done; the case goes back to its unit to answer.
fn done_form(case_id: i64, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let api = crate::console::api::use_api();
    let open = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let id = format!("f-done-note-{case_id}");
    let err_id = format!("f-done-err-{case_id}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let action = Action::GridDone { note: note.get_untracked().trim().to_string() };
        if let Some(problem) = validate_action(&action).first() {
            error.set(Some(problem.message(Lang::Zh)));
            return;
        }
        sending.set(true);
        spawn_local_scoped(async move {
            let result = api.act(case_id, &action).await;
            sending.try_set(false);
            match result {
                Ok(_) => reload(),
                Err(e) => {
                    error.try_set(Some(refusal(&e)));
                }
            }
        });
    };
    view! {
        <button type="button" class="c-button f-big" id=format!("f-done-{case_id}")
            aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
            "办结反馈"
        </button>
        <Show when=move || open.get()>
            <form class="f-done-form" novalidate on:submit=submit>
                <label for=id.clone()>"处理情况"</label>
                <textarea id=id.clone() rows="3" bind:value=note aria-describedby=err_id.clone()
                    aria-invalid=move || error.with(Option::is_some).to_string()></textarea>
                <p class="err" id=err_id.clone() role="alert">{move || error.get()}</p>
                <button type="submit" class="primary f-big" id=format!("f-done-submit-{case_id}")
                    disabled=move || sending.get()>"提交办结"</button>
            </form>
        </Show>
    }
}
