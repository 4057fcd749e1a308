//! 短信通知: every text message the case sent the resident, with its time and delivery
//! state (in demo mode the texts are shown here instead of being sent), and 重发 for
//! one that could not be delivered (centre staff; recorded as an event).

use crate::console::Auth;
use crate::load::Loaded;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::Lang;
use ow_shared::message::{MessageState, MessageView};
use ow_shared::staff::Role;

/// The case's messages, loaded on their own (the case page works without them).
pub(super) fn messages(case_id: i64) -> impl IntoView {
    let api = crate::console::api::use_api();
    let auth = expect_context::<Auth>();
    let may_resend = auth.session.with_untracked(|s| s.as_ref().is_some_and(|s| Role::CENTRE.contains(&s.role)));
    let list = Loaded::<Vec<MessageView>>::new();
    let status = RwSignal::new(String::new());
    let load = move || list.load(api.case_messages(case_id));
    load();
    let resend = move |message_id: i64| {
        spawn_local_scoped(async move {
            match api.resend_message(case_id, message_id).await {
                Ok(_) => {
                    status.try_set("已重新发送，见下方最新一条".into());
                    list.reload_quietly(api.case_messages(case_id));
                }
                Err(e) => {
                    status.try_set(e.code.message(Lang::Zh, None, None));
                }
            }
        });
    };
    let show = move |items: Vec<MessageView>| {
        if items.is_empty() {
            return view! { <p id="c-messages-none">"暂无短信（群众选择不接收短信，或未留手机号）。"</p> }.into_any();
        }
        let rows = items
            .into_iter()
            .map(|m| {
                let when = match (&m.delivered_at, &m.next_attempt_at) {
                    (Some(at), _) => format!("{} 写入，{at} 送达短信平台", m.created_at),
                    (None, Some(next)) if m.state == MessageState::Queued => {
                        format!("{} 写入，{next} 发送（免打扰时段或每日上限后顺延）", m.created_at)
                    }
                    (None, Some(next)) => format!("{} 写入，{next} 重试", m.created_at),
                    (None, None) => format!("{} 写入", m.created_at),
                };
                let error = (!m.last_error.is_empty()).then(|| {
                    view! { <p class="c-message-error">{format!("第 {} 次发送失败：{}", m.attempts, m.last_error)}</p> }
                });
                let id = m.id;
                let button = (may_resend && m.state.resendable()).then(|| {
                    view! {
                        <button type="button" class="secondary c-resend" on:click=move |_| resend(id)>"重发"</button>
                    }
                });
                view! {
                    <li class="c-message" data-state=m.state.code() data-template=m.template.clone()>
                        <p class="c-event-head">
                            <span class="when">{when}</span> " "
                            <strong class="c-message-state">{m.state.label()}</strong> " "
                            <span>{format!("发至 {}", m.mobile_masked)}</span>
                        </p>
                        <p class="c-message-text">{m.text.clone()}</p>
                        {error}
                        {button}
                    </li>
                }
            })
            .collect_view();
        view! { <ol id="c-messages" class="c-timeline">{rows}</ol> }.into_any()
    };
    view! {
        <section aria-labelledby="c-messages-title">
            <h2 id="c-messages-title">"短信通知"</h2>
            <p class="c-status" role="status" aria-live="polite" id="c-messages-status">{move || status.get()}</p>
            <button type="button" class="secondary" id="c-messages-refresh"
                on:click=move |_| list.reload_quietly(api.case_messages(case_id))>"刷新发送状态"</button>
            {list.view("c-messages-load", load, show)}
        </section>
    }
}
