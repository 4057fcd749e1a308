//! The case page's actions: one button per action the server says is possible now
//! (`available_actions`), each opening an inline form checked with the shared
//! `validate_action` before it is sent. Department actions (签收, 异议, 进展, 办理结果)
//! act on the signed-in officer's own department's part of the case.

use super::form::{Errs, error_text, first_per_field, focus, invalid, show_error, wire_code};
use super::{Auth, Lookups, api};
use leptos::prelude::*;
use leptos::task::spawn_local;
use ow_shared::console::CaseDetail;
use ow_shared::dto::DeadlineKind;
use ow_shared::workflow::{Action, ActionKind, DeclineRoute, DispatchState, MediationOutcome, validate_action};
use ow_shared::{ErrorCode, FieldError};

/// The stable code of an action kind, as in the element ids `c-act-{code}`.
pub fn kind_code(kind: ActionKind) -> String {
    wire_code(&kind)
}

/// What one form's fields hold; fresh each time a form opens.
#[derive(Clone, Copy)]
struct Fields {
    note: RwSignal<String>,
    reason: RwSignal<String>,
    route: RwSignal<String>,
    due_on: RwSignal<String>,
    departments: RwSignal<Vec<i64>>,
    response: RwSignal<String>,
    reply: RwSignal<String>,
    days: RwSignal<String>,
    /// `settled` or `not_settled`.
    outcome: RwSignal<String>,
    agreement: RwSignal<String>,
    judicial_confirmation_on: RwSignal<String>,
    referred_to_court: RwSignal<bool>,
    decision: RwSignal<String>,
}

impl Fields {
    fn new(default_due: String) -> Fields {
        let s = || RwSignal::new(String::new());
        Fields {
            note: s(),
            reason: s(),
            route: s(),
            due_on: RwSignal::new(default_due),
            departments: RwSignal::new(Vec::new()),
            response: s(),
            reply: s(),
            days: s(),
            outcome: RwSignal::new("settled".into()),
            agreement: s(),
            judicial_confirmation_on: s(),
            referred_to_court: RwSignal::new(false),
            decision: s(),
        }
    }
}

/// The officer's own dispatch this kind of action applies to, in a state that allows it.
fn own_dispatch(d: &CaseDetail, department_id: Option<i64>, kind: ActionKind) -> Option<i64> {
    let fits = |s: DispatchState| match kind {
        ActionKind::Take => s == DispatchState::Pending,
        ActionKind::Object => matches!(s, DispatchState::Pending | DispatchState::Taken),
        _ => s == DispatchState::Taken,
    };
    d.dispatches.iter().find(|x| Some(x.department_id) == department_id && fits(x.state)).map(|x| x.id)
}

/// The action the open form describes.
fn build(kind: ActionKind, f: Fields, dispatch_id: Option<i64>) -> Result<Action, ErrorCode> {
    let text = |s: RwSignal<String>| s.get_untracked().trim().to_string();
    let dispatch = || dispatch_id.ok_or(ErrorCode::TransitionNotAllowed);
    Ok(match kind {
        ActionKind::Accept => Action::Accept { note: text(f.note) },
        ActionKind::Decline => Action::Decline {
            route: DeclineRoute::ALL.into_iter().find(|r| wire_code(r) == f.route.get_untracked()),
            reason: text(f.reason),
        },
        ActionKind::Dispatch => Action::Dispatch {
            department_ids: f.departments.get_untracked(),
            due_on: text(f.due_on),
            note: text(f.note),
        },
        ActionKind::Take => Action::Take { dispatch_id: dispatch()? },
        ActionKind::Object => Action::Object { dispatch_id: dispatch()?, reason: text(f.reason) },
        ActionKind::Progress => Action::Progress { dispatch_id: dispatch()?, note: text(f.note) },
        ActionKind::Respond => Action::Respond { dispatch_id: dispatch()?, response: text(f.response) },
        ActionKind::RecordMediation => Action::RecordMediation {
            outcome: if f.outcome.get_untracked() == "settled" {
                let on = text(f.judicial_confirmation_on);
                MediationOutcome::Settled {
                    agreement: text(f.agreement),
                    judicial_confirmation_on: (!on.is_empty()).then_some(on),
                }
            } else {
                MediationOutcome::NotSettled {
                    referred_to_court: f.referred_to_court.get_untracked(),
                    note: text(f.note),
                }
            },
        },
        ActionKind::Extend => Action::Extend { days: text(f.days).parse().unwrap_or(0), reason: text(f.reason) },
        ActionKind::TakeAsLeader => Action::TakeAsLeader,
        ActionKind::Reply => Action::Reply { reply: text(f.reply) },
        ActionKind::CompleteCallback => Action::CompleteCallback { note: text(f.note) },
        ActionKind::DecideReview => Action::DecideReview { decision: text(f.decision) },
    })
}

/// The buttons and the open form. `done` gets the updated case and what to announce.
pub fn action_panel(d: CaseDetail, done: impl Fn(CaseDetail, String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let open = RwSignal::new(None::<ActionKind>);
    let kinds = d.available_actions.clone();
    let buttons = kinds
        .iter()
        .map(|&kind| {
            let id = format!("c-act-{}", kind_code(kind));
            let first = first_control(kind);
            view! {
                <button type="button" id=id class="c-button c-act" aria-expanded=move || (open.get() == Some(kind)).to_string()
                    aria-controls="c-action-form"
                    on:click=move |_| {
                        open.set(Some(kind));
                        request_animation_frame(move || focus(first));
                    }>
                    {kind.label()}
                </button>
            }
        })
        .collect_view();
    let none = kinds.is_empty().then(|| view! { <p class="hint">"当前没有需要您办理的操作。"</p> });
    let form = move || open.get().map(|kind| action_form(kind, d.clone(), open, done));
    view! {
        <section aria-labelledby="c-actions-title" class="c-actions">
            <h2 id="c-actions-title">"办理操作"</h2>
            {none}
            <div class="c-act-buttons">{buttons}</div>
            {form}
        </section>
    }
}

/// The control to focus when a form opens.
fn first_control(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Accept | ActionKind::Progress | ActionKind::CompleteCallback => "c-f-note",
        ActionKind::Decline => "c-f-route",
        ActionKind::Dispatch => "c-f-departments",
        ActionKind::Object => "c-f-reason",
        ActionKind::Extend => "c-f-days",
        ActionKind::Respond => "c-f-response",
        ActionKind::RecordMediation => "c-f-outcome-settled",
        ActionKind::Reply => "c-f-reply",
        ActionKind::DecideReview => "c-f-decision",
        ActionKind::Take | ActionKind::TakeAsLeader => "c-act-submit",
    }
}

fn action_form(
    kind: ActionKind,
    d: CaseDetail,
    open: RwSignal<Option<ActionKind>>,
    done: impl Fn(CaseDetail, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let department_id = auth.session.with_untracked(|s| s.as_ref().and_then(|s| s.department_id));
    let default_due = d
        .deadlines
        .iter()
        .find(|x| x.kind == DeadlineKind::Handling)
        .map(|x| x.due_on.clone())
        .or_else(|| d.due_on.clone())
        .unwrap_or_default();
    let f = Fields::new(default_due);
    let errs: Errs = RwSignal::new(Vec::new());
    let general = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let case_id = d.id;
    let dispatch_id = own_dispatch(&d, department_id, kind);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let action = match build(kind, f, dispatch_id) {
            Ok(a) => a,
            Err(code) => {
                general.set(Some(code.message(ow_shared::Lang::Zh, None, None)));
                return;
            }
        };
        let problems = first_per_field(validate_action(&action));
        if !problems.is_empty() {
            focus(&control_for(&problems[0]));
            errs.set(problems);
            general.set(Some(ErrorCode::ValidationFailed.message(ow_shared::Lang::Zh, None, None)));
            return;
        }
        errs.set(Vec::new());
        general.set(None);
        sending.set(true);
        spawn_local(async move {
            let result = api::act(case_id, &action).await;
            sending.try_set(false);
            match result {
                Ok(updated) => {
                    done(updated, format!("已完成「{}」。", kind.label()));
                    request_animation_frame(|| focus("c-case-title"));
                }
                Err(e) => show_error(errs, general, e),
            }
        });
    };
    let title = kind.label();
    view! {
        <form id="c-action-form" class="c-action-form" novalidate on:submit=submit>
            <h3>{title}</h3>
            {fields_for(kind, f, errs, &d, dispatch_id)}
            <p id="c-act-error" class="form-error" role="alert">{move || general.get()}</p>
            <div class="c-form-buttons">
                <button type="submit" id="c-act-submit" class="primary" disabled=move || sending.get()>
                    {move || if sending.get() { "正在提交…".to_string() } else { format!("确认{}", kind.label()) }}
                </button>
                <button type="button" id="c-act-cancel" class="secondary" on:click=move |_| open.set(None)>
                    "取消"
                </button>
            </div>
        </form>
    }
}

/// The id of the control to focus for a field's error.
fn control_for(e: &FieldError) -> String {
    match e.field.as_str() {
        "department_ids" => "c-f-departments".into(),
        "judicial_confirmation_on" => "c-f-judicial_confirmation_on".into(),
        other => format!("c-f-{other}"),
    }
}

/// A labelled textarea `c-f-{field}` with its hint and error.
fn text_area(
    field: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    value: RwSignal<String>,
    errs: Errs,
) -> impl IntoView {
    let described = format!("c-hint-{field} c-err-{field}");
    view! {
        <div class="field">
            <label for=format!("c-f-{field}")>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("c-hint-{field}")>{h}</p> })}
            <textarea id=format!("c-f-{field}") rows="4" aria-invalid=invalid(errs, field)
                aria-describedby=described bind:value=value></textarea>
            {error_text(errs, field)}
        </div>
    }
}

fn fields_for(kind: ActionKind, f: Fields, errs: Errs, d: &CaseDetail, dispatch_id: Option<i64>) -> AnyView {
    match kind {
        ActionKind::Accept => text_area("note", "受理告知（选填）", Some("告知群众已受理，最多 500 字。"), f.note, errs).into_any(),
        ActionKind::Decline => view! {
            <div class="field">
                <label for="c-f-route">"告知途径"</label>
                <p class="hint" id="c-hint-route">"依法应通过其他途径解决的，告知群众向有关机关提出（《信访工作条例》第三十一条）。"</p>
                <select id="c-f-route" aria-invalid=invalid(errs, "route") aria-describedby="c-hint-route c-err-route"
                    on:change=move |ev| f.route.set(event_target_value(&ev))>
                    <option value="" prop:selected=move || f.route.with(String::is_empty)>"请选择"</option>
                    {DeclineRoute::ALL.into_iter().map(|r| {
                        let code = wire_code(&r);
                        let c2 = code.clone();
                        view! { <option value=code prop:selected=move || f.route.with(|v| *v == c2)>{r.label()}</option> }
                    }).collect_view()}
                </select>
                {error_text(errs, "route")}
            </div>
            {text_area("reason", "不予受理理由", Some("群众可见，4–500 字。"), f.reason, errs)}
        }
        .into_any(),
        ActionKind::Dispatch => dispatch_fields(f, errs, d).into_any(),
        ActionKind::Take => view! { <p>"签收后由本部门办理，请在办理期限内答复。"</p> }.into_any(),
        ActionKind::Object => {
            let due = d.dispatches.iter().find(|x| Some(x.id) == dispatch_id).map(|x| x.objection_due_on.clone());
            let hint = due.map(|due| format!("异议须在派单后5个工作日内提出（截至 {due}），中心将重新派单。")).unwrap_or_default();
            view! {
                <p class="hint">{hint}</p>
                {text_area("reason", "异议理由", Some("说明为何不属本部门职责，4–500 字。"), f.reason, errs)}
            }
            .into_any()
        }
        ActionKind::Progress => text_area("note", "办理进展（内部）", None, f.note, errs).into_any(),
        ActionKind::Respond => text_area("response", "办理结果", Some("本部门的办理情况，4–2000 字；中心据此统一答复。"), f.response, errs).into_any(),
        ActionKind::RecordMediation => mediation_fields(f, errs).into_any(),
        ActionKind::Extend => view! {
            <div class="field">
                <label for="c-f-days">"延长天数"</label>
                <p class="hint" id="c-hint-days">"只能延期一次，最多 30 日，理由将告知群众（《信访工作条例》第三十四条）。"</p>
                <input type="number" id="c-f-days" min="1" max="30" inputmode="numeric" bind:value=f.days
                    aria-invalid=invalid(errs, "days") aria-describedby="c-hint-days c-err-days" />
                {error_text(errs, "days")}
            </div>
            {text_area("reason", "延期理由", None, f.reason, errs)}
        }
        .into_any(),
        ActionKind::TakeAsLeader => view! { <p>"由您包案负责此件（领导包案）。"</p> }.into_any(),
        ActionKind::Reply => text_area("reply", "统一答复", Some("中心对群众的统一答复，10–2000 字；群众可凭查询码查看并评价。"), f.reply, errs).into_any(),
        ActionKind::CompleteCallback => text_area("note", "回访情况", Some("回访方式、群众意见和整改情况，4–500 字。"), f.note, errs).into_any(),
        ActionKind::DecideReview => text_area("decision", "复查意见", Some("10–2000 字。"), f.decision, errs).into_any(),
    }
}

/// 派单: departments (those already handling it are shown, not offered), due date, note.
fn dispatch_fields(f: Fields, errs: Errs, d: &CaseDetail) -> impl IntoView {
    let lookups = expect_context::<Lookups>();
    let active: Vec<i64> = d.dispatches.iter().filter(|x| x.state.is_active()).map(|x| x.department_id).collect();
    let boxes = move || {
        let active = active.clone();
        lookups
            .departments
            .get()
            .into_iter()
            .map(|dep| {
                let id = format!("c-f-dept-{}", dep.id);
                let busy = active.contains(&dep.id);
                let dep_id = dep.id;
                let toggle = move |ev| {
                    let on = event_target_checked(&ev);
                    f.departments.update(|v| {
                        v.retain(|x| *x != dep_id);
                        if on {
                            v.push(dep_id);
                        }
                    });
                };
                let name = if busy { format!("{}（办理中）", dep.name) } else { dep.name.clone() };
                view! {
                    <div class="choice">
                        <input type="checkbox" id=id.clone() value=dep.id.to_string() disabled=busy
                            prop:checked=move || f.departments.with(|v| v.contains(&dep_id))
                            aria-describedby="c-err-department_ids" on:change=toggle />
                        <label for=id>{name}</label>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="field" id="c-f-departments" tabindex="-1" aria-describedby="c-err-department_ids">
            <legend>"承办部门（可多选）"</legend>
            <div class="choices">{boxes}</div>
            {error_text(errs, "department_ids")}
        </fieldset>
        <div class="field">
            <label for="c-f-due_on">"办理期限"</label>
            <p class="hint" id="c-hint-due_on">"默认为法定办理期限；须晚于今天、不晚于法定期限。"</p>
            <input type="date" id="c-f-due_on" bind:value=f.due_on aria-invalid=invalid(errs, "due_on")
                aria-describedby="c-hint-due_on c-err-due_on" />
            {error_text(errs, "due_on")}
        </div>
        {text_area("note", "派单说明（选填）", None, f.note, errs)}
    }
}

/// 调解结果: settled with the agreement (and the court's confirmation date), or not.
fn mediation_fields(f: Fields, errs: Errs) -> impl IntoView {
    let settled = move || f.outcome.with(|o| o == "settled");
    let radio = move |value: &'static str, label: &'static str| {
        let id = format!("c-f-outcome-{value}");
        view! {
            <div class="choice">
                <input type="radio" name="c-outcome" id=id.clone() value=value
                    prop:checked=move || f.outcome.with(|o| o == value)
                    on:change=move |_| f.outcome.set(value.to_string()) />
                <label for=id>{label}</label>
            </div>
        }
    };
    view! {
        <fieldset class="field">
            <legend>"调解结果"</legend>
            <div class="choices">
                {radio("settled", "调解成功")}
                {radio("not_settled", "调解不成功")}
            </div>
        </fieldset>
        <Show when=settled fallback=move || view! {
            <div class="field check">
                <input type="checkbox" id="c-f-referred_to_court" bind:checked=f.referred_to_court />
                <label for="c-f-referred_to_court">"已移送法院（诉调对接）"</label>
            </div>
            {text_area("note", "说明（选填）", None, f.note, errs)}
        }>
            {text_area("agreement", "调解协议内容", Some("4–1000 字；群众查询时只显示“已达成调解协议”。"), f.agreement, errs)}
            <div class="field">
                <label for="c-f-judicial_confirmation_on">"司法确认日期（选填）"</label>
                <input type="date" id="c-f-judicial_confirmation_on" bind:value=f.judicial_confirmation_on
                    aria-invalid=invalid(errs, "judicial_confirmation_on") aria-describedby="c-err-judicial_confirmation_on" />
                {error_text(errs, "judicial_confirmation_on")}
            </div>
        </Show>
    }
}
