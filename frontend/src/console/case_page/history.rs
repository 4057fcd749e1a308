//! What became of the case (decline, mediation, reply, rating, callbacks, review) and
//! the full timeline of its events.

use crate::console::ui::{urgency_badge, urgency_of};
use leptos::prelude::*;
use ow_shared::Lang;
use ow_shared::console::{CaseDetail, StaffEvent};
use ow_shared::workflow::MediationOutcome;

/// Decline, mediation, reply, rating, callbacks and review: whatever the case has.
pub(super) fn outcome(d: &CaseDetail) -> impl IntoView + use<> {
    let decline = d.decline.as_ref().map(|x| {
        view! { <dt>"不予受理"</dt><dd id="c-decline">{format!("告知途径：{}。理由：{}", x.route.label(), x.reason)}</dd> }
    });
    let mediation = d.mediation_outcome.as_ref().map(|m| {
        let text = match m {
            MediationOutcome::Settled { agreement, judicial_confirmation_on } => {
                let confirmed = judicial_confirmation_on
                    .as_ref()
                    .filter(|x| !x.is_empty())
                    .map(|x| format!("；{x} 经法院司法确认"))
                    .unwrap_or_default();
                format!("调解成功。协议：{agreement}{confirmed}")
            }
            MediationOutcome::NotSettled { referred_to_court, note } => {
                let court = if *referred_to_court { "，已移送法院（诉调对接）" } else { "" };
                let note = if note.is_empty() { String::new() } else { format!("。{note}") };
                format!("调解不成功{court}{note}")
            }
        };
        view! { <dt>"调解结果"</dt><dd id="c-mediation">{text}</dd> }
    });
    let reply = d.reply.clone().map(|r| view! { <dt>"统一答复"</dt><dd id="c-reply">{r}</dd> });
    let rating = d.rating.map(|r| {
        view! { <dt>"群众评价"</dt><dd id="c-rating" data-rating=r.code()>{r.label()}</dd> }
    });
    let review = d.review.as_ref().map(|r| {
        let decision = r.decision.clone().unwrap_or_else(|| format!("待作出（期限 {}）", r.due_on));
        view! {
            <dt>"申请复查"</dt><dd>{format!("{}：{}", r.requested_at, r.reason)}</dd>
            <dt>"复查意见"</dt><dd id="c-review">{decision}</dd>
        }
    });
    let any = decline.is_some() || mediation.is_some() || reply.is_some() || rating.is_some() || review.is_some();
    let callbacks = d
        .callbacks
        .iter()
        .map(|c| {
            let open = c.done_at.is_none();
            let text = match (&c.done_at, &c.done_by) {
                (Some(at), by) => format!(
                    "{} 开始，{} 已回访{}：{}",
                    c.opened_at,
                    at,
                    by.as_ref().map(|b| format!("（{b}）")).unwrap_or_default(),
                    c.note.clone().unwrap_or_default()
                ),
                (None, _) => format!("{} 开始，请于 {} 前回访", c.opened_at, c.due_on),
            };
            let reason = (!c.reason.is_empty()).then(|| {
                view! { <p class="c-callback-reason">"群众说明的不满意原因：" {c.reason.clone()}</p> }
            });
            view! {
                <li class="c-callback" data-open=open.to_string()>
                    {open.then(|| view! { <span class="c-badge c-badge-callback">"待回访"</span> " " })}
                    {open.then(|| urgency_badge(urgency_of(&c.due_on))).flatten()}
                    {text}
                    {reason}
                </li>
            }
        })
        .collect_view();
    let has_callbacks = !d.callbacks.is_empty();
    (any || has_callbacks).then(|| {
        view! {
            <section aria-labelledby="c-outcome-title">
                <h2 id="c-outcome-title">"办理结果与评价"</h2>
                <dl class="facts">{decline}{mediation}{reply}{rating}{review}</dl>
                {has_callbacks.then(|| view! {
                    <h3>"回访"</h3>
                    <ul id="c-callbacks" class="c-callbacks">{callbacks}</ul>
                })}
            </section>
        }
    })
}

pub(super) fn timeline(case_id: i64, events: Vec<StaffEvent>) -> impl IntoView {
    let items = events
        .into_iter()
        .map(|e| {
            let states = match e.from_state {
                Some(from) if from != e.to_state => {
                    format!("{} → {}", from.label(Lang::Zh), e.to_state.label(Lang::Zh))
                }
                _ => e.to_state.label(Lang::Zh).to_string(),
            };
            let who = if e.unit.is_empty() || e.unit == e.actor {
                e.actor.clone()
            } else {
                format!("{}（{}）", e.actor, e.unit)
            };
            view! {
                <li class="c-event" data-kind=e.kind.code()>
                    <p class="c-event-head">
                        <span class="when">{e.at}</span>
                        " "
                        <strong>{e.kind.label(Lang::Zh)}</strong>
                        {(!e.public).then(|| view! { " " <span class="c-badge c-badge-internal">"内部"</span> })}
                    </p>
                    <p class="c-event-meta">{who} " · 状态：" {states}</p>
                    {(!e.note.is_empty()).then(|| view! { <p class="c-event-note">{e.note}</p> })}
                    // The printable notice the act issued (server-written, opens in a tab).
                    {e.kind.notice_kind().map(|kind| {
                        let href = format!("/console/notice?case={case_id}&kind={kind}");
                        view! { <p><a class="c-notice-link" href=href target="_blank" rel="noopener">"打印告知书"</a></p> }
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="c-timeline-title">
            <h2 id="c-timeline-title">"办理过程"</h2>
            <ol id="c-timeline" class="timeline c-timeline">{items}</ol>
        </section>
    }
}
