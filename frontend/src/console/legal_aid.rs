//! 法律援助申请 taken at an appointment (法律援助法 Art.41–44): the form that opens one
//! from a booking, and `/console/legal-aid/{id}` — the application with its clocks (a
//! decision within 7 days, a lawyer within 3 days of approval), the decision (a refusal
//! in writing with reasons) and the assignment of a lawyer, early when urgent (Art.44).

use crate::form::{Errors, error_text, invalid, show_error};
use crate::browser::{focus, today};
use crate::console::ui::{page_title, urgency_badge};
use super::paths;
use crate::console::ui::loading_or;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::booking::{
    AidMatter, AssignLawyer, LegalAidCase, LegalAidDecision, LegalAidState, NoFinanceCheck, NoMeansTest, OpenLegalAid,
    PrecheckAnswers, StaffBookingRow, Verdict, check_decision, legal_aid_limits,
};
use ow_shared::validate::check_length;
use ow_shared::{ApiError, ErrorCode, FieldError, Lang};

/// The form that takes the application of `row`'s applicant (checking them in) and
/// goes to its page; `close` hides it.
pub fn open_form(row: StaffBookingRow, close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let api = crate::console::api::use_api();
    let matter = RwSignal::new(None::<AidMatter>);
    let no_means = RwSignal::new(None::<NoMeansTest>);
    let groups = RwSignal::new(Vec::<NoFinanceCheck>::new());
    let income = RwSignal::new(String::new());
    let limitation = RwSignal::new(String::new());
    let note = RwSignal::new(row.description.clone());
    let errs: Errors = RwSignal::new(Vec::new());
    let general = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let router = crate::nav::Router::get();
    let booking_id = row.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut problems = Vec::new();
        let income_text = income.get_untracked().trim().to_string();
        let monthly = if income_text.is_empty() {
            None
        } else {
            match income_text.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    problems.push(FieldError::new("income", ErrorCode::BadRequest));
                    None
                }
            }
        };
        let limit = limitation.get_untracked().trim().to_string();
        if !limit.is_empty() && ow_shared::calendar::parse(&limit).is_none() {
            problems.push(FieldError::new("limitation", ErrorCode::DateInvalid));
        }
        let text = note.get_untracked();
        problems.extend(check_length("note", &text, (0, legal_aid_limits::NOTE_MAX)));
        if !problems.is_empty() {
            errs.set(problems);
            return;
        }
        errs.set(Vec::new());
        general.set(None);
        let request = OpenLegalAid {
            answers: PrecheckAnswers {
                matter: matter.get_untracked(),
                no_means_test: no_means.get_untracked(),
                groups: groups.get_untracked(),
                monthly_income_per_person: monthly,
                limitation_ends_on: (!limit.is_empty()).then_some(limit),
            },
            note: text.trim().to_string(),
        };
        busy.set(true);
        spawn_local_scoped(async move {
            match api.open_legal_aid(booking_id, &request).await {
                Ok(case) => router.navigate(&paths::legal_aid(case.id)),
                Err(e) => {
                    let e = if e.code == ErrorCode::TransitionNotAllowed {
                        ApiError {
                            message: "该预约已受理过法律援助申请，或已取消、未到，不能再受理。".into(), ..e
                        }
                    } else {
                        e
                    };
                    show_error(errs, general, e);
                    busy.try_set(false);
                }
            }
        });
    };
    let income_msg = move || errs.with(|v| v.iter().any(|e| e.field == "income")).then_some("请填写整数金额（元）");
    view! {
        <section id="c-la-open" class="c-panel c-la-open" aria-labelledby="c-la-open-title">
            <h2 id="c-la-open-title" tabindex="-1">{format!("受理法律援助申请：{} {}", row.start, row.name)}</h2>
            <p class="hint">"以下为申请人所述情况，仅作审查参考（预审结果不是决定）。受理即为申请人签到，自受理之日起 7 日内作出决定。"</p>
            <form novalidate on:submit=submit class="c-inline-form">
                <div class="field">
                    <label for="c-la-matter">"申请事项（第三十一条）"</label>
                    <select id="c-la-matter" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        matter.set(AidMatter::ALL.into_iter().find(|m| code_of(m) == v));
                    }>
                        <option value="">"未说明"</option>
                        {AidMatter::ALL.map(|m| view! { <option value=code_of(&m)>{m.label(Lang::Zh)}</option> }).into_iter().collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="c-la-no-means">"不受经济困难条件限制的情形（第三十二条）"</label>
                    <select id="c-la-no-means" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        no_means.set(NoMeansTest::ALL.into_iter().find(|m| code_of(m) == v));
                    }>
                        <option value="">"无"</option>
                        {NoMeansTest::ALL.map(|m| view! { <option value=code_of(&m)>{m.label(Lang::Zh)}</option> }).into_iter().collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="c-la-income">"家庭人均月收入（元）"</label>
                    <input type="text" id="c-la-income" inputmode="numeric" bind:value=income
                        aria-invalid=move || income_msg().is_some().to_string() aria-describedby="err-income" />
                    <p class="err" id="err-income">{income_msg}</p>
                </div>
                <div class="field">
                    <label for="c-la-limitation">"时效或期限届满日（如有）"</label>
                    <input type="date" id="c-la-limitation" bind:value=limitation
                        aria-invalid=invalid(errs, "limitation") aria-describedby="c-la-limitation-hint err-limitation" />
                    <p class="hint" id="c-la-limitation-hint">"不足 7 日的，可先行提供法律援助（第四十四条）。"</p>
                    {error_text(errs, "limitation")}
                </div>
                <fieldset class="field c-la-groups">
                    <legend>"免予核查经济困难的情形（第四十二条）"</legend>
                    {NoFinanceCheck::ALL.iter().enumerate().map(|(i, g)| {
                        let g = *g;
                        let id = format!("c-la-group-{i}");
                        view! {
                            <div class="check">
                                <input type="checkbox" id=id.clone() prop:checked=move || groups.with(|v| v.contains(&g))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        groups.update(|v| {
                                            v.retain(|x| *x != g);
                                            if on { v.push(g) }
                                        });
                                    } />
                                <label for=id>{g.label(Lang::Zh)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field c-la-wide">
                    <label for="c-la-note">"申请事项说明"</label>
                    <textarea id="c-la-note" rows="3" bind:value=note
                        aria-invalid=invalid(errs, "note") aria-describedby="err-note"></textarea>
                    {error_text(errs, "note")}
                </div>
                <p class="form-error" role="alert">{move || general.get()}</p>
                <div class="c-form-buttons c-la-wide">
                    <button type="submit" id="c-la-open-submit" class="primary" disabled=move || busy.get()>"受理申请"</button>
                    <button type="button" id="c-la-open-cancel" class="secondary" on:click=move |_| close()>"取消"</button>
                </div>
            </form>
        </section>
    }
}

/// The wire code of a unit enum.
fn code_of(value: &impl serde::Serialize) -> String {
    crate::console::ui::wire_code(value)
}

/// The application's page.
pub fn legal_aid_page(id: i64) -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("法律援助申请");
    let case = RwSignal::new(None::<Result<LegalAidCase, ApiError>>);
    let status = RwSignal::new(String::new());
    let load = move || {
        spawn_local_scoped(async move {
            let answer = api.legal_aid(id).await;
            case.try_set(Some(answer));
        });
    };
    load();
    let done = move |updated: LegalAidCase, message: String| {
        case.set(Some(Ok(updated)));
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
        {loading_or(case, load, move |c| body(c, done))}
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
                {can_decide.then(|| decide_form(c.id, done))}
                {can_assign.then(|| assign_form(c.id, done))}
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
        {actions}
        {facts(&c)}
    }
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

/// Approve, or refuse with written reasons.
fn decide_form(id: i64, done: impl Fn(LegalAidCase, String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let api = crate::console::api::use_api();
    let approve = RwSignal::new(None::<bool>);
    let reasons = RwSignal::new(String::new());
    let errs: Errors = RwSignal::new(Vec::new());
    let general = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(yes) = approve.get_untracked() else {
            errs.set(vec![FieldError::new("approve", ErrorCode::Required)]);
            focus("c-la-approve");
            return;
        };
        let decision = LegalAidDecision { approve: yes, reasons: reasons.get_untracked().trim().to_string() };
        if let Err(list) = check_decision(&decision) {
            errs.set(list);
            focus("c-la-reasons");
            return;
        }
        errs.set(Vec::new());
        general.set(None);
        busy.set(true);
        spawn_local_scoped(async move {
            match api.decide_legal_aid(id, &decision).await {
                Ok(c) => {
                    let message = if yes {
                        format!("已决定给予法律援助，请于 {} 前指派律师。", c.lawyer_due_on.clone().unwrap_or_default())
                    } else {
                        "已决定不予法律援助，理由将书面告知申请人。".to_string()
                    };
                    done(c, message);
                }
                Err(e) => show_error(errs, general, e),
            }
            busy.try_set(false);
        });
    };
    let refusing = move || approve.get() == Some(false);
    view! {
        <form id="c-la-decide" novalidate on:submit=submit class="c-action-form">
            <h3>"审查决定"</h3>
            <fieldset class="field" aria-describedby="err-approve">
                <legend>"是否给予法律援助"</legend>
                <div class="check">
                    <input type="radio" id="c-la-approve" name="c-la-decision" prop:checked=move || approve.get() == Some(true)
                        on:change=move |_| approve.set(Some(true)) />
                    <label for="c-la-approve">"给予法律援助"</label>
                </div>
                <div class="check">
                    <input type="radio" id="c-la-refuse" name="c-la-decision" prop:checked=refusing
                        on:change=move |_| approve.set(Some(false)) />
                    <label for="c-la-refuse">"不予法律援助"</label>
                </div>
                {error_text(errs, "approve")}
            </fieldset>
            <div class="field">
                <label for="c-la-reasons">{move || if refusing() { "不予援助的理由（必填，书面告知申请人）" } else { "决定说明（可选）" }}</label>
                <textarea id="c-la-reasons" rows="4" bind:value=reasons aria-required=move || refusing().to_string()
                    aria-invalid=invalid(errs, "reasons") aria-describedby="c-la-reasons-hint err-reasons"></textarea>
                <p class="hint" id="c-la-reasons-hint">"不予法律援助的，应当书面告知申请人并说明理由（第四十三条），10–500 字。"</p>
                {error_text(errs, "reasons")}
            </div>
            <p class="form-error" role="alert">{move || general.get()}</p>
            <button type="submit" id="c-la-decide-submit" class="primary" disabled=move || busy.get()>"作出决定"</button>
        </form>
    }
}

/// Records the assigned lawyer.
fn assign_form(id: i64, done: impl Fn(LegalAidCase, String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let api = crate::console::api::use_api();
    let lawyer = RwSignal::new(String::new());
    let errs: Errors = RwSignal::new(Vec::new());
    let general = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = lawyer.get_untracked().trim().to_string();
        if let Some(e) = check_length("lawyer", &name, legal_aid_limits::LAWYER) {
            errs.set(vec![e]);
            focus("c-la-lawyer");
            return;
        }
        errs.set(Vec::new());
        general.set(None);
        busy.set(true);
        spawn_local_scoped(async move {
            match api.assign_lawyer(id, &AssignLawyer { lawyer: name.clone() }).await {
                Ok(c) => done(c, format!("已指派：{name}（{}）", today())),
                Err(e) => show_error(errs, general, e),
            }
            busy.try_set(false);
        });
    };
    view! {
        <form id="c-la-assign" novalidate on:submit=submit class="c-action-form">
            <h3>"指派法律援助人员"</h3>
            <div class="field">
                <label for="c-la-lawyer">"律师及所在律师事务所或法律援助机构"</label>
                <input type="text" id="c-la-lawyer" bind:value=lawyer placeholder="如：县法律援助中心 刘律师"
                    aria-invalid=invalid(errs, "lawyer") aria-describedby="err-lawyer" />
                {error_text(errs, "lawyer")}
            </div>
            <p class="form-error" role="alert">{move || general.get()}</p>
            <button type="submit" id="c-la-assign-submit" class="primary" disabled=move || busy.get()>"指派"</button>
        </form>
    }
}
