//! 补正材料: everything missing asked for at once (centre staff: one item per line and a
//! date), and each request with what came back and when, photos included.

use crate::console::Auth;
use crate::console::api::photo_url;
use crate::load::Loaded;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::Lang;
use ow_shared::console::CaseDetail;
use ow_shared::materials::{MaterialRequestView, RequestMaterials};
use ow_shared::staff::Role;

/// The requests of the case and, for centre staff, the form to ask.
pub(super) fn materials(
    case_id: i64,
    done: impl Fn(CaseDetail, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let api = crate::console::api::use_api();
    let auth = expect_context::<Auth>();
    let may_ask = auth.session.with_untracked(|s| s.as_ref().is_some_and(|s| Role::CENTRE.contains(&s.role)));
    let list = Loaded::<Vec<MaterialRequestView>>::new();
    let load = move || list.load(api.materials(case_id));
    load();
    let items = RwSignal::new(String::new());
    let due_on = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        let req = RequestMaterials {
            items: items.get_untracked().lines().map(str::to_string).collect(),
            due_on: due_on.get_untracked(),
        };
        spawn_local_scoped(async move {
            let result = api.request_materials(case_id, &req).await;
            sending.try_set(false);
            match result {
                Ok(updated) => done(updated, "已一次性告知补正材料，并短信通知群众".into()),
                Err(e) => {
                    let text = e.fields.first().map(|f| f.message(Lang::Zh)).unwrap_or_else(|| e.message.clone());
                    failure.try_set(Some(text));
                }
            }
        });
    };
    let form = may_ask.then(|| {
        view! {
            <form id="c-materials-form" novalidate on:submit=submit>
                <div class="field">
                    <label for="c-materials-items">"需补充的全部材料（每行一项，最多 10 项）"</label>
                    <textarea id="c-materials-items" rows="4" bind:value=items></textarea>
                </div>
                <div class="field">
                    <label for="c-materials-due">"补正期限（30 日内）"</label>
                    <input type="date" id="c-materials-due" bind:value=due_on />
                </div>
                <p class="err" role="alert" id="c-materials-error">{move || failure.get()}</p>
                <button type="submit" class="secondary" id="c-materials-submit" disabled=move || sending.get()>
                    "一次性告知补正"
                </button>
            </form>
        }
    });
    let show = move |requests: Vec<MaterialRequestView>| {
        let rows = requests
            .into_iter()
            .map(|r| {
                let answer = match &r.answered_at {
                    Some(at) => format!("{at} 群众已补正{}", if r.note.is_empty() { String::new() } else { format!("：{}", r.note) }),
                    None => format!("等待群众补正（期限 {}）", r.due_on),
                };
                let photos = r
                    .photo_ids
                    .iter()
                    .map(|p| view! { <a href=photo_url(p) target="_blank"><img src=photo_url(p) alt="补正照片" width="96" height="96" /></a> })
                    .collect_view();
                view! {
                    <li class="c-material" data-answered=r.answered_at.is_some().to_string()>
                        <p class="c-event-head">{format!("{} {} 告知，期限 {}", r.requested_at, r.requested_by, r.due_on)}</p>
                        <ol>{r.items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ol>
                        <p class="c-material-answer">{answer}</p>
                        <p class="c-photos">{photos}</p>
                    </li>
                }
            })
            .collect_view();
        view! { <ul id="c-materials" class="c-timeline">{rows}</ul> }
    };
    view! {
        <section aria-labelledby="c-materials-title">
            <h2 id="c-materials-title">"补正材料"</h2>
            {list.view("c-materials-load", load, show)}
            {form}
        </section>
    }
}
