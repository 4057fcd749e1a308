//! The case page's actions: one button per action the server says is possible now
//! (`available_actions`), each opening an inline form checked with the shared
//! `validate_action` before it is sent. Department actions (签收, 异议, 进展, 办理结果)
//! act on the signed-in officer's own department's part of the case.

mod fields;

use super::Auth;
use crate::browser::focus;
use crate::console::ui::wire_code;
use crate::form::{Errors, first_per_field, show_error};
use fields::Fields;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::console::CaseDetail;
use ow_shared::dto::DeadlineKind;
use ow_shared::workflow::{Action, ActionKind, DeclineRoute, DispatchState, MediationOutcome, validate_action};
use ow_shared::{ErrorCode, FieldError};

/// The stable code of an action kind, as in the element ids `c-act-{code}`.
pub fn kind_code(kind: ActionKind) -> String {
    wire_code(&kind)
}

/// The officer's own dispatch this kind of action applies to, in a state that allows it;
/// for the centre's 审核异议, the first part whose objection waits.
fn own_dispatch(d: &CaseDetail, department_id: Option<i64>, kind: ActionKind) -> Option<i64> {
    if kind == ActionKind::DecideObjection {
        return d.dispatches.iter().find(|x| x.objection_pending).map(|x| x.id);
    }
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
        ActionKind::AssignDown => {
            Action::AssignDown { unit_id: target(f)?, reason: text(f.reason), due_on: text(f.due_on) }
        }
        ActionKind::SendToGrid => {
            Action::SendToGrid { staff_id: target(f)?, reason: text(f.reason), due_on: text(f.due_on) }
        }
        ActionKind::ReportUp => {
            Action::ReportUp { unit_id: target(f)?, reason: text(f.reason), due_on: text(f.due_on) }
        }
        ActionKind::GridDone => Action::GridDone { note: text(f.note) },
        ActionKind::ResolveOnSpot => Action::ResolveOnSpot { parties: text(f.parties), agreement: text(f.agreement) },
        ActionKind::DecideObjection => {
            Action::DecideObjection { dispatch_id: dispatch()?, agree: f.agree.get_untracked(), note: text(f.note) }
        }
    })
}

/// The unit or grid worker picked for a hand-over.
fn target(f: Fields) -> Result<i64, ErrorCode> {
    f.target.get_untracked().parse().map_err(|_| ErrorCode::UnitUnknown)
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
        ActionKind::Accept | ActionKind::Progress | ActionKind::CompleteCallback | ActionKind::GridDone => "c-f-note",
        ActionKind::AssignDown | ActionKind::SendToGrid | ActionKind::ReportUp => "c-f-target",
        ActionKind::ResolveOnSpot => "c-f-parties",
        ActionKind::DecideObjection => "c-f-agree-yes",
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
    let api = crate::console::api::use_api();
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
    if kind == ActionKind::Reply {
        // The departments' 办理结果 as a starting text: the centre edits it into one reply.
        let results: Vec<String> = d
            .dispatches
            .iter()
            .filter_map(|x| x.response.as_ref().map(|r| format!("{}：{}", x.department_name, r.trim())))
            .collect();
        f.reply.set(results.join("\n"));
    }
    let errs: Errors = RwSignal::new(Vec::new());
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
        spawn_local_scoped(async move {
            let result = api.act(case_id, &action).await;
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
            {fields::fields_for(kind, f, errs, &d, dispatch_id)}
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
        "unit_id" | "staff_id" => "c-f-target".into(),
        "judicial_confirmation_on" => "c-f-judicial_confirmation_on".into(),
        other => format!("c-f-{other}"),
    }
}
