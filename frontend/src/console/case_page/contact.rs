//! The resident's phone and ID number, masked for every role as the form's notice
//! promises, with "查看完整号码" for the roles that must reach the resident (the server
//! records who and when); and, for clerks, "重新生成查询码" for a visitor who lost theirs.

use crate::console::{Auth, LastReceipt, paths};
use crate::nav::Router;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::Lang;
use ow_shared::console::CaseDetail;
use ow_shared::staff::Role;

/// The phone, the postal address for notices and the ID number, as `<dt>`/`<dd>` pairs.
pub(super) fn contact_facts(d: &CaseDetail) -> impl IntoView + use<> {
    let api = crate::console::api::use_api();
    let case_id = d.id;
    let phone = RwSignal::new(d.mobile.clone());
    let id_number = RwSignal::new(d.id_number.clone());
    let revealed = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let reveal = move |_| {
        spawn_local_scoped(async move {
            match api.reveal_contact(case_id).await {
                Ok(c) => {
                    phone.try_set(c.mobile);
                    id_number.try_set(c.id_number);
                    revealed.try_set(true);
                }
                Err(e) => {
                    failure.try_set(Some(e.code.message(Lang::Zh, None, None)));
                }
            }
        });
    };
    let can = d.can_reveal_contact && !(d.mobile.is_empty() && d.id_number.is_empty());
    let button = can.then(|| {
        view! {
            <button type="button" class="secondary c-reveal" id="c-reveal-contact" on:click=reveal
                hidden=move || revealed.get()>"查看完整号码"</button>
            <span class="c-hint" hidden=move || !revealed.get()>"（已记录查看人和时间）"</span>
            <span class="err" role="alert">{move || failure.get()}</span>
        }
    });
    let shown_phone = move || {
        let p = phone.get();
        if p.is_empty() { "未留电话".to_string() } else { p }
    };
    let postal = (!d.postal_address.is_empty()).then(|| {
        view! { <dt>"通信地址（书面告知）"</dt><dd id="c-postal-address">{d.postal_address.clone()}</dd> }
    });
    let has_id = !d.id_number.is_empty();
    view! {
        <dt>"联系电话"</dt>
        <dd><span id="c-contact-phone">{shown_phone}</span> " " {button}</dd>
        {postal}
        {has_id.then(|| view! { <dt>"身份证号码"</dt><dd id="c-contact-id-number">{move || id_number.get()}</dd> })}
    }
}

/// 重新生成查询码, for clerks: after the visitor's identity is checked at the window,
/// a new code replaces the old one and its receipt opens to be printed.
pub(super) fn query_code_panel(d: &CaseDetail) -> Option<impl IntoView + use<>> {
    let auth = expect_context::<Auth>();
    if auth.session.with_untracked(|s| s.as_ref().map(|s| s.role)) != Some(Role::Clerk) {
        return None;
    }
    let api = crate::console::api::use_api();
    let last = expect_context::<LastReceipt>();
    let router = Router::get();
    let case_id = d.id;
    let open = RwSignal::new(false);
    let checked = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let reissue = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !checked.get_untracked() {
            failure.set(Some("请先核对来访人身份证件，并勾选确认".into()));
            return;
        }
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        spawn_local_scoped(async move {
            let result = api.reissue_query_code(case_id).await;
            sending.try_set(false);
            match result {
                Ok(receipt) => {
                    last.keep(receipt, false);
                    router.navigate(paths::RECEIPT);
                }
                Err(e) => {
                    failure.try_set(Some(e.code.message(Lang::Zh, None, None)));
                }
            }
        });
    };
    Some(view! {
        <section aria-labelledby="c-query-code-title" class="no-print">
            <h2 id="c-query-code-title">"查询码"</h2>
            <p>"群众遗失查询码时，可在窗口核对身份后重新生成：原查询码立即作废，新回执需打印交群众。"</p>
            <button type="button" class="secondary" id="c-reissue-open" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>"重新生成查询码"</button>
            <form novalidate on:submit=reissue hidden=move || !open.get() id="c-reissue-form">
                <p class="c-check">
                    <input type="checkbox" id="c-reissue-identity"
                        prop:checked=move || checked.get() on:change=move |ev| checked.set(event_target_checked(&ev)) />
                    <label for="c-reissue-identity">"已在窗口核对来访人身份证件，确认是本案群众本人（或其委托的代理人）"</label>
                </p>
                <p class="err" role="alert" id="c-reissue-error">{move || failure.get()}</p>
                <button type="submit" class="primary" id="c-reissue-submit" disabled=move || sending.get()>
                    "生成新查询码并打印回执"
                </button>
            </form>
        </section>
    })
}
