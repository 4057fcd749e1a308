//! `/console/legal-aid/{id}`: the application, its statutory clocks, what the applicant
//! said, and (`decide`) the decision and the lawyer. Re-rendered from the application
//! the server answers after each step, announced in `#c-la-status`.

use super::{decide, materials};
use crate::browser::focus;
use crate::console::paths;
use crate::console::ui::{page_title, urgency_badge};
use crate::load::Loaded;
use leptos::prelude::*;
use ow_shared::Lang;
use ow_shared::booking::{LegalAidCase, LegalAidState, Verdict};

/// The application's page.
pub fn legal_aid_page(id: i64) -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("法律援助申请");
    let case = Loaded::<LegalAidCase>::new();
    let status = RwSignal::new(String::new());
    let load = move || case.load(api.legal_aid(id));
    load();
    let done = move |updated: LegalAidCase, message: String| {
        case.set(updated);
        status.set(message);
        request_animation_frame(|| focus("c-la-status"));
    };
    let title = move || {
        case.with(|c| match c {
            Some(Ok(c)) => format!("法律援助申请：{}", c.applicant_name),
            _ => "法律援助申请".to_string(),
        })
    };
    Effect::new(move |_| page_title(&title()));
    view! {
        <p class="c-back"><a href=paths::BOOKINGS>"← 返回预约"</a></p>
        <h1 id="c-la-title">{title}</h1>
        <p id="c-la-status" class="c-status" role="status" aria-live="polite" tabindex="-1">{move || status.get()}</p>
        {case.view("c-la-load", load, move |c| body(c, done))}
    }
}

fn body(c: LegalAidCase, done: impl Fn(LegalAidCase, String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let can_decide = c.state == LegalAidState::Received;
    let can_assign = c.state == LegalAidState::Approved || (can_decide && c.may_start_before_decision);
    let urgent = c.may_start_before_decision.then(|| {
        view! {
            <p class="notice" id="c-la-urgent">
                <strong>"紧急："</strong>
                "距法定时效或期限届满不足七日，可以先行提供法律援助、指派律师，再补办审查决定（《法律援助法》第四十四条）。"
            </p>
        }
    });
    let actions = (can_decide || can_assign).then(|| {
        view! {
            <section class="c-actions" aria-labelledby="c-la-actions-title">
                <h2 id="c-la-actions-title">"办理"</h2>
                {can_decide.then(|| materials::materials(&c, done))}
                {can_decide.then(|| decide::decide_form(c.id, done))}
                {can_assign.then(|| decide::assign_form(c.id, done))}
            </section>
        }
    });
    view! {
        <p class="c-case-summary">
            <span>"预约码 "<strong id="c-la-booking-code">{c.booking_code.clone()}</strong></span>
            <span>"状态 "<strong id="c-la-state" data-state=c.state.code()>{c.state.label()}</strong></span>
        </p>
        {urgent}
        {clocks(&c)}
        {decision_notice(&c)}
        {actions}
        {facts(&c)}
    }
}

/// The decision in writing (给予/不予法律援助决定书), printable once made.
fn decision_notice(c: &LegalAidCase) -> Option<impl IntoView + use<>> {
    let kind = match c.state {
        LegalAidState::Refused => "legal_aid_refused",
        LegalAidState::Approved | LegalAidState::Assigned if c.decided_on.is_some() => "legal_aid_granted",
        _ => return None,
    };
    let href = format!("/console/notice?legal_aid={}&kind={kind}", c.id);
    Some(view! {
        <p><a id="c-la-notice" href=href target="_blank" rel="noopener">"打印法律援助决定书"</a></p>
    })
}

/// The statutory clocks, with the running one's badge.
fn clocks(c: &LegalAidCase) -> impl IntoView + use<> {
    let deciding = c.state == LegalAidState::Received;
    let assigning = c.state == LegalAidState::Approved;
    let decision = match &c.decided_on {
        Some(on) => format!("{}（{} 已作出决定）", c.decision_due_on, on),
        None => c.decision_due_on.clone(),
    };
    let lawyer = match (&c.lawyer_due_on, c.state) {
        (Some(due), LegalAidState::Assigned) => format!("{due}（已指派）"),
        (Some(due), _) => due.clone(),
        (None, LegalAidState::Refused) => "不予援助，无需指派".to_string(),
        (None, LegalAidState::Assigned) => "已先行指派".to_string(),
        (None, _) => "作出给予决定后 3 日内".to_string(),
    };
    view! {
        <section aria-labelledby="c-la-clocks-title">
            <h2 id="c-la-clocks-title">"法定期限"</h2>
            <dl class="facts c-facts">
                <dt>"受理日期"</dt>
                <dd id="c-la-received">{c.received_on.clone()}</dd>
                <dt>"作出决定期限（7日）"</dt>
                <dd id="c-la-decision-due">{decision} " " {deciding.then(|| urgency_badge(c.urgency)).flatten()}</dd>
                <dt>"指派律师期限（3日）"</dt>
                <dd id="c-la-lawyer-due">{lawyer} " " {assigning.then(|| urgency_badge(c.urgency)).flatten()}</dd>
            </dl>
        </section>
    }
}

/// Who applies for what, the pre-check's advice and what was decided.
fn facts(c: &LegalAidCase) -> impl IntoView + use<> {
    let a = &c.answers;
    let matter = a.matter.map(|m| m.label(Lang::Zh).to_string()).unwrap_or_else(|| "未说明".into());
    let mut basis: Vec<String> = a.no_means_test.iter().map(|m| m.label(Lang::Zh).to_string()).collect();
    basis.extend(a.groups.iter().map(|g| g.label(Lang::Zh).to_string()));
    let income = a.monthly_income_per_person.map(|n| format!("{n} 元")).unwrap_or_else(|| "未说明".into());
    let verdict = match c.precheck.verdict {
        Verdict::LikelyEligible => "可能符合条件",
        Verdict::NeedsReview => "需审查",
        Verdict::LikelyNotEligible => "可能不符合条件",
    };
    let reasons = c.precheck.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view();
    let routes = c.precheck.other_routes.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view();
    let has_routes = !c.precheck.other_routes.is_empty();
    let optional = |term: &'static str, id: &'static str, value: &str| {
        (!value.trim().is_empty()).then(|| view! { <dt>{term}</dt><dd id=id>{value.to_string()}</dd> })
    };
    view! {
        <section aria-labelledby="c-la-facts-title">
            <h2 id="c-la-facts-title">"申请情况"</h2>
            <dl class="facts c-facts">
                <dt>"申请人"</dt><dd id="c-la-applicant">{c.applicant_name.clone()}</dd>
                <dt>"手机号码"</dt><dd>{c.mobile.clone()}</dd>
                <dt>"申请事项"</dt><dd id="c-la-matter-shown">{matter}</dd>
                {optional("事项说明", "c-la-note-shown", &c.note)}
                {optional("免予核查情形", "c-la-basis", &basis.join("；"))}
                <dt>"家庭人均月收入"</dt><dd>{income}</dd>
                {optional("时效届满日", "c-la-limitation-shown", a.limitation_ends_on.as_deref().unwrap_or(""))}
                {optional("指派的法律援助人员", "c-la-lawyer-name", &c.lawyer)}
                {optional("不予援助的理由", "c-la-refusal", &c.refusal_reasons)}
            </dl>
            <h3>"受理时的预审（仅供参考）：" {verdict}</h3>
            <ul id="c-la-precheck">{reasons}</ul>
            {has_routes.then(|| view! { <h3>"可告知的其他途径"</h3><ul>{routes}</ul> })}
        </section>
    }
}
