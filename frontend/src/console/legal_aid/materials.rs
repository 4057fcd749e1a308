//! 补正 of a legal-aid application (法律援助法 Art.43): ask the applicant for everything
//! missing at once, by a date (the 7-day decision clock pauses and the applicant is
//! texted), then record that the materials arrived (the clock resumes, moved by the
//! days it waited). An applicant silent past the date is taken to have withdrawn.

use crate::browser::focus;
use crate::form::{Errors, error_text, invalid, show_error};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::booking::LegalAidCase;
use ow_shared::materials::RequestMaterials;

/// While undecided: the request form, or what is awaited and the button for its arrival.
pub(super) fn materials(
    c: &LegalAidCase,
    done: impl Fn(LegalAidCase, String) + Copy + Send + Sync + 'static,
) -> AnyView {
    match &c.paused_since {
        Some(since) => {
            awaited(c.id, since.clone(), c.materials_due_on.clone().unwrap_or_default(), c.materials.clone(), done)
                .into_any()
        }
        None => request_form(c.id, done).into_any(),
    }
}

fn awaited(
    id: i64,
    since: String,
    due_on: String,
    items: Vec<String>,
    done: impl Fn(LegalAidCase, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let api = crate::console::api::use_api();
    let general = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let received = move |_| {
        busy.set(true);
        general.set(None);
        spawn_local_scoped(async move {
            match api.legal_aid_materials_received(id).await {
                Ok(c) => done(c.clone(), format!("材料已补齐，决定期限顺延至 {}", c.decision_due_on)),
                Err(e) => {
                    general.try_set(Some(e.message));
                }
            }
            busy.try_set(false);
        });
    };
    let list = items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view();
    view! {
        <div class="c-action-form" id="c-la-materials-awaited">
            <h3>"等待补正材料"</h3>
            <p>{format!("{since} 起暂停审查期限，请申请人于 {due_on} 前补齐：")}</p>
            <ol id="c-la-materials-items">{list}</ol>
            <p class="hint">"逾期未补齐的，视为撤回申请（《法律援助法》第四十三条）。"</p>
            <p class="form-error" role="alert">{move || general.get()}</p>
            <button type="button" id="c-la-materials-received" class="primary" disabled=move || busy.get() on:click=received>
                "材料已补齐"
            </button>
        </div>
    }
}

fn request_form(id: i64, done: impl Fn(LegalAidCase, String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let api = crate::console::api::use_api();
    let items = RwSignal::new(String::new());
    let due_on = RwSignal::new(String::new());
    let errs: Errors = crate::form::errors();
    let general = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = RequestMaterials {
            items: items.get_untracked().lines().map(str::to_string).collect(),
            due_on: due_on.get_untracked(),
        };
        errs.set(Vec::new());
        general.set(None);
        busy.set(true);
        spawn_local_scoped(async move {
            match api.legal_aid_request_materials(id, &req).await {
                Ok(c) => done(c, "已一次性告知补正材料并短信通知申请人，审查期限暂停".into()),
                Err(e) => {
                    show_error(errs, general, e);
                    focus("c-la-materials-items-input");
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <form id="c-la-materials" novalidate on:submit=submit class="c-action-form">
            <h3>"一次性告知补正"</h3>
            <div class="field">
                <label for="c-la-materials-items-input">"需补充的全部材料（每行一项，最多 10 项）"</label>
                <textarea id="c-la-materials-items-input" rows="3" bind:value=items
                    aria-invalid=invalid(errs, "items") aria-describedby="err-items"></textarea>
                {error_text(errs, "items")}
            </div>
            <div class="field">
                <label for="c-la-materials-due">"补正期限（30 日内）"</label>
                <input type="date" id="c-la-materials-due" bind:value=due_on
                    aria-invalid=invalid(errs, "due_on") aria-describedby="err-due_on" />
                {error_text(errs, "due_on")}
            </div>
            <p class="form-error" role="alert">{move || general.get()}</p>
            <button type="submit" id="c-la-materials-submit" class="secondary" disabled=move || busy.get()>"一次性告知补正"</button>
        </form>
    }
}
