//! 书面告知与送达: the case's written notices (受理告知书, 不予受理告知书, 处理意见书 …)
//! with their numbers, each printable, and how and when each reached the resident; centre
//! staff record a delivery (送达) here. A 处理意见书's delivery day starts the review window.

use crate::console::Auth;
use crate::load::Loaded;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::Lang;
use ow_shared::console::CaseDetail;
use ow_shared::notice::{NoticeView, RecordDelivery, VIAS, via_label};
use ow_shared::staff::Role;

/// The case's notices and, for centre staff, the delivery form.
pub(super) fn notices(case_id: i64, done: impl Fn(CaseDetail, String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let api = crate::console::api::use_api();
    let auth = expect_context::<Auth>();
    let may_record = auth.session.with_untracked(|s| s.as_ref().is_some_and(|s| Role::CENTRE.contains(&s.role)));
    let list = Loaded::<Vec<NoticeView>>::new();
    let load = move || list.load(api.notices(case_id));
    load();
    let show = move |items: Vec<NoticeView>| {
        if items.is_empty() {
            return view! { <p id="c-notices-none">"尚未印发书面告知。"</p> }.into_any();
        }
        let form = may_record.then(|| delivery_form(case_id, choices(&items), done));
        view! {
            <ul id="c-notices" class="c-timeline">{items.into_iter().map(|n| notice_row(case_id, n)).collect_view()}</ul>
            {form}
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="c-notices-title">
            <h2 id="c-notices-title">"书面告知与送达"</h2>
            {list.view("c-notices-load", load, show)}
        </section>
    }
}

fn notice_row(case_id: i64, n: NoticeView) -> impl IntoView {
    let href = format!("/console/notice?case={case_id}&kind={}", n.kind);
    let delivery = match (&n.delivered_via, &n.delivered_on) {
        (Some(via), Some(on)) => format!("{on} {}", via_label(via)),
        _ => "尚未记录送达".to_string(),
    };
    view! {
        <li class="c-notice" data-kind=n.kind.clone() data-delivered=n.delivered_on.is_some().to_string()>
            <p class="c-event-head"><strong>{n.title}</strong> " " {n.number} " · " {format!("{} 印发", n.issued_on)}</p>
            <p class="c-notice-delivery">"送达：" {delivery}</p>
            <p><a class="c-notice-print" href=href target="_blank" rel="noopener">"打印"</a></p>
        </li>
    }
}

/// One choice per kind, newest first: a delivery applies to the case's latest notice of
/// the kind. (kind, its title and number).
fn choices(items: &[NoticeView]) -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String)> = Vec::new();
    for n in items.iter().rev() {
        if !kinds.iter().any(|(k, _)| *k == n.kind) {
            kinds.push((n.kind.clone(), format!("{} {}", n.title, n.number)));
        }
    }
    kinds
}

/// 记录送达: which notice, how, and on which day.
fn delivery_form(
    case_id: i64,
    kinds: Vec<(String, String)>,
    done: impl Fn(CaseDetail, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let api = crate::console::api::use_api();
    let kind = RwSignal::new(kinds.first().map(|(k, _)| k.clone()).unwrap_or_default());
    let via = RwSignal::new(String::new());
    let on = RwSignal::new(crate::browser::today());
    let failure = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        failure.set(None);
        let req =
            RecordDelivery { kind: kind.get_untracked(), via: via.get_untracked(), delivered_on: on.get_untracked() };
        spawn_local_scoped(async move {
            let result = api.record_delivery(case_id, &req).await;
            sending.try_set(false);
            match result {
                Ok(updated) => done(updated, format!("已记录送达：{} {}", via_label(&req.via), req.delivered_on)),
                Err(e) => {
                    let text = e.fields.first().map(|f| f.message(Lang::Zh)).unwrap_or_else(|| e.message.clone());
                    failure.try_set(Some(text));
                }
            }
        });
    };
    let kind_options = kinds
        .into_iter()
        .map(|(code, label)| {
            let c2 = code.clone();
            view! { <option value=code prop:selected=move || kind.with(|k| *k == c2)>{label}</option> }
        })
        .collect_view();
    let via_options = VIAS
        .iter()
        .map(|(code, label)| view! { <option value=*code prop:selected=move || via.with(|v| v == code)>{*label}</option> })
        .collect_view();
    view! {
        <form id="c-delivery-form" novalidate on:submit=submit>
            <h3>"记录送达"</h3>
            <div class="field">
                <label for="c-delivery-kind">"告知书"</label>
                <select id="c-delivery-kind" on:change=move |ev| kind.set(event_target_value(&ev))>{kind_options}</select>
            </div>
            <div class="field">
                <label for="c-delivery-via">"送达方式"</label>
                <select id="c-delivery-via" on:change=move |ev| via.set(event_target_value(&ev))>
                    <option value="" prop:selected=move || via.with(String::is_empty)>"请选择"</option>
                    {via_options}
                </select>
            </div>
            <div class="field">
                <label for="c-delivery-on">"送达日期"</label>
                <input type="date" id="c-delivery-on" bind:value=on />
            </div>
            <p class="hint">"处理意见书的复查期限（30 日）自送达之日起计算。"</p>
            <p class="err" role="alert" id="c-delivery-error">{move || failure.get()}</p>
            <button type="submit" class="secondary" id="c-delivery-submit" disabled=move || sending.get()>"记录送达"</button>
        </form>
    }
}
