//! The case as registered and as it stands: the facts, photos, time limits and the
//! departments it was dispatched to.

use crate::console::ui::{urgency_badge, urgency_of, wire_code};
use crate::console::{api, paths};
use leptos::prelude::*;
use ow_shared::Lang;
use ow_shared::console::{CaseDetail, WITHHELD};
use ow_shared::dto::DeadlineKind;

/// A `<dt>`/`<dd>` pair, skipped when there is nothing to say.
fn fact(term: &'static str, value: impl Into<String>) -> Option<AnyView> {
    let value = value.into();
    (!value.trim().is_empty()).then(|| view! { <dt>{term}</dt><dd>{value}</dd> }.into_any())
}

pub(super) fn facts(d: &CaseDetail) -> impl IntoView + use<> {
    let place = format!("{} {} {}", d.township, d.village, d.address);
    let group = if d.group_size > 1 {
        let reps = if d.representatives.is_empty() {
            String::new()
        } else {
            format!("；代表：{}", d.representatives.join("、"))
        };
        format!("集体访 {} 人{reps}", d.group_size)
    } else {
        String::new()
    };
    let mediation = d.mediation.map(|m| m.label(Lang::Zh).to_string()).unwrap_or_default();
    let linked = d.linked_case.clone().map(|l| {
        view! { <dt>"关联案件（重复访）"</dt><dd><a href=paths::case(l.id)>{l.tracking_no}</a></dd> }
    });
    let protected = d.identity_protected.then(|| {
        let text = if d.contact_name == WITHHELD {
            "检举事项：检举人身份依法保密，不向承办部门提供（《信访工作条例》第三十条）。"
        } else {
            "检举事项：检举人身份依法保密，不得向承办部门和被检举人透露（《信访工作条例》第三十条）。"
        };
        view! { <p class="notice" id="c-identity-protected">{text}</p> }
    });
    view! {
        <section aria-labelledby="c-facts-title">
            <h2 id="c-facts-title">"基本情况"</h2>
            {protected}
            <dl class="facts c-facts">
                {fact("类型", d.case_type.label(Lang::Zh))}
                {fact("来源", d.channel.label())}
                {fact("登记时间", d.submitted_at.clone())}
                {fact("登记人（首问负责）", d.registered_by.clone().unwrap_or_default())}
                {fact("包案领导", d.leader.clone().unwrap_or_default())}
                {fact("发生日期", d.occurred_on.clone())}
                {fact("地点", place)}
                {fact("对方当事人", d.other_party_name.clone())}
                {fact("调解意愿", mediation)}
                {fact("联系人", d.contact_name.clone())}
                {super::contact::contact_facts(d)}
                {fact("来访人数", group)}
                {fact("所在网格", d.grid.as_ref().map(|g| g.name.clone()).unwrap_or_default())}
                {fact("下派网格员", d.grid_worker.clone().unwrap_or_default())}
                {fact("化解方式", if d.resolved_on_spot { "就地化解" } else { "" })}
                {linked}
            </dl>
            <h3>"诉求内容"</h3>
            <p class="c-description" id="c-case-description">{d.description.clone()}</p>
        </section>
    }
}

pub(super) fn photos(ids: &[String]) -> Option<impl IntoView + use<>> {
    if ids.is_empty() {
        return None;
    }
    let items = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let url = api::photo_url(id);
            let href = url.clone();
            let alt = format!("现场照片 {}（在新窗口打开原图）", i + 1);
            view! {
                <li>
                    <a href=href target="_blank" rel="noopener">
                        <img src=url alt=alt loading="lazy" />
                    </a>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <section aria-labelledby="c-photos-title">
            <h2 id="c-photos-title">"照片"</h2>
            <ul class="c-photos" id="c-photos">{items}</ul>
        </section>
    })
}

/// Whether the step a time limit is for has been done (a met deadline is not due).
fn met(d: &CaseDetail, kind: DeadlineKind) -> bool {
    use ow_shared::CaseState::*;
    match kind {
        DeadlineKind::AcceptanceNotice => d.state != Registered,
        DeadlineKind::Handling => matches!(d.state, Replied | Closed | UnderReview) || d.decline.is_some(),
        DeadlineKind::ReviewRequest => d.review.is_some(),
        DeadlineKind::Review => d.review.as_ref().is_some_and(|r| r.decision.is_some()),
    }
}

pub(super) fn deadlines(d: &CaseDetail) -> impl IntoView + use<> {
    let items = d
        .deadlines
        .iter()
        .map(|x| {
            let done = met(d, x.kind);
            let badge = if done {
                Some(view! { <span class="c-badge c-badge-done">"已完成"</span> }.into_any())
            } else {
                urgency_badge(urgency_of(&x.due_on)).map(IntoAny::into_any)
            };
            view! {
                <li data-kind=wire_code(&x.kind) data-met=done.to_string()>
                    <span class="due">{x.due_on.clone()}</span>
                    " "
                    {badge}
                    " "
                    <span>{x.kind.label(Lang::Zh)}</span>
                </li>
            }
        })
        .collect_view();
    let extension = d.extension.as_ref().map(|e| {
        view! { <p id="c-extension">{format!("已延期 {} 日。理由：{}", e.days, e.reason)}</p> }
    });
    view! {
        <section aria-labelledby="c-deadlines-title">
            <h2 id="c-deadlines-title">"办理时限"</h2>
            <ul class="deadlines" id="c-deadlines">{items}</ul>
            {extension}
        </section>
    }
}

pub(super) fn dispatches(d: &CaseDetail) -> impl IntoView + use<> {
    let items = d
        .dispatches
        .iter()
        .map(|x| {
            let due_badge = x.state.is_active().then(|| urgency_badge(urgency_of(&x.due_on))).flatten();
            view! {
                <li class="c-dispatch" data-department=x.department_name.clone() data-state=x.state.code()>
                    <p class="c-dispatch-head">
                        <strong>{x.department_name.clone()}</strong>
                        " "
                        <span class="c-badge c-badge-info">{x.state.label()}</span>
                    </p>
                    <dl class="facts small">
                        <dt>"派单时间"</dt><dd>{x.dispatched_at.clone()}</dd>
                        <dt>"办理期限"</dt><dd>{x.due_on.clone()} " " {due_badge}</dd>
                        <dt>"异议期限"</dt><dd>{x.objection_due_on.clone()}</dd>
                        {x.objection_reason.clone().map(|r| view! { <dt>"异议理由"</dt><dd>{r}</dd> })}
                        {x.objection_pending.then(|| view! { <dt>"异议状态"</dt><dd>"待中心审核（审核前仍由该部门办理）"</dd> })}
                        {x.response.clone().map(|r| view! { <dt>"办理结果"</dt><dd>{r}</dd> })}
                    </dl>
                </li>
            }
        })
        .collect_view();
    let none = d.dispatches.is_empty().then(|| view! { <p>"尚未派单。"</p> });
    view! {
        <section aria-labelledby="c-dispatches-title">
            <h2 id="c-dispatches-title">"承办部门"</h2>
            {none}
            <ul class="c-dispatches" id="c-dispatches">{items}</ul>
        </section>
    }
}

/// 转交记录: every hand-over (交办, 下派, 上报) with its reason and due date.
pub(super) fn handovers(d: &CaseDetail) -> Option<impl IntoView + use<>> {
    if d.handovers.is_empty() {
        return None;
    }
    let items = d
        .handovers
        .iter()
        .map(|h| {
            let to = match &h.to_staff {
                Some(worker) => format!("{}（{}）", worker, h.to_unit),
                None => h.to_unit.clone(),
            };
            let done =
                h.done_at.clone().map(|at| format!("；{at} 已办结：{}", h.done_note.clone().unwrap_or_default()));
            view! {
                <li>
                    <strong>{h.kind.label()}</strong>
                    {format!(" {} → {}，期限 {}。理由：{}（{} {}）", h.from_unit, to, h.due_on, h.reason, h.at, h.by)}
                    {done}
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <section aria-labelledby="c-handovers-title">
            <h2 id="c-handovers-title">"转交记录"</h2>
            <ul class="c-handovers" id="c-handovers">{items}</ul>
        </section>
    })
}
