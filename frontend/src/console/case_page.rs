//! `/console/cases/{id}`: everything about one case the signed-in member of staff may
//! see, the actions they can take now (`actions`), and the full event timeline.
//! After an action the page re-renders from the case the server returns and says so
//! in the `#c-status` live region.

use super::actions::action_panel;
use crate::console::ui::{page_title, urgency_badge, urgency_of, wire_code};
use super::{api, paths};
use crate::console::ui::loading_or;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::console::{CaseDetail, StaffEvent, WITHHELD};
use ow_shared::workflow::MediationOutcome;
use ow_shared::{ApiError, Lang};

/// The case page.
pub fn case_page(id: i64) -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("案件详情");
    let detail = RwSignal::new(None::<Result<CaseDetail, ApiError>>);
    let status = RwSignal::new(String::new());
    let load = move || {
        spawn_local_scoped(async move {
            let answer = api.case(id).await;
            detail.try_set(Some(answer));
        });
    };
    load();
    Effect::new(move |_| {
        if let Some(Ok(d)) = detail.get() {
            page_title(&format!("{} {}", d.tracking_no, d.title));
        }
    });
    // Re-rendered from the answer of an action; announced in the live region.
    let done = move |updated: CaseDetail, message: String| {
        detail.set(Some(Ok(updated)));
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
        {loading_or(detail, load, move |d| body(d, done))}
    }
}

/// Everything under the heading: actions first, then the facts and the timeline.
fn body(d: CaseDetail, done: impl Fn(CaseDetail, String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let d2 = d.clone();
    view! {
        {action_panel(d2, done)}
        {facts(&d)}
        {photos(&d.photo_ids)}
        {deadlines(&d)}
        {dispatches(&d)}
        {outcome(&d)}
        {timeline(d.events)}
    }
}

/// A `<dt>`/`<dd>` pair, skipped when there is nothing to say.
fn fact(term: &'static str, value: impl Into<String>) -> Option<AnyView> {
    let value = value.into();
    (!value.trim().is_empty()).then(|| view! { <dt>{term}</dt><dd>{value}</dd> }.into_any())
}

fn facts(d: &CaseDetail) -> impl IntoView + use<> {
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
                {fact("手机号码", d.mobile.clone())}
                {fact("身份证号码", d.id_number.clone())}
                {fact("来访人数", group)}
                {linked}
            </dl>
            <h3>"诉求内容"</h3>
            <p class="c-description" id="c-case-description">{d.description.clone()}</p>
        </section>
    }
}

fn photos(ids: &[String]) -> Option<impl IntoView + use<>> {
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

fn deadlines(d: &CaseDetail) -> impl IntoView + use<> {
    let items = d
        .deadlines
        .iter()
        .map(|x| {
            view! {
                <li data-kind=wire_code(&x.kind)>
                    <span class="due">{x.due_on.clone()}</span>
                    " "
                    {urgency_badge(urgency_of(&x.due_on))}
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

fn dispatches(d: &CaseDetail) -> impl IntoView + use<> {
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

/// Decline, mediation, reply, rating, callbacks and review: whatever the case has.
fn outcome(d: &CaseDetail) -> impl IntoView + use<> {
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
            view! {
                <li class="c-callback" data-open=open.to_string()>
                    {open.then(|| view! { <span class="c-badge c-badge-callback">"待回访"</span> " " })}
                    {open.then(|| urgency_badge(urgency_of(&c.due_on))).flatten()}
                    {text}
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

fn timeline(events: Vec<StaffEvent>) -> impl IntoView {
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
