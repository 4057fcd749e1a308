//! The steps of an application: the decision (approve, or refuse with written reasons,
//! Art.43) and the lawyer assigned (within 3 days of approval, or early when urgent, Art.44).

use crate::browser::{focus, today};
use crate::form::{Errors, Field, error_text, invalid, show_error};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::booking::{AssignLawyer, LegalAidCase, LegalAidDecision, check_decision, legal_aid_limits};
use ow_shared::validate::check_length;
use ow_shared::{ErrorCode, FieldError};

/// Approve, or refuse with written reasons.
pub(super) fn decide_form(
    id: i64,
    done: impl Fn(LegalAidCase, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let api = crate::console::api::use_api();
    let approve = RwSignal::new(None::<bool>);
    let reasons = RwSignal::new(String::new());
    let errs: Errors = crate::form::errors();
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
            // Not `Field::view`: the label changes with the decision.
            <div class="field">
                <label for="c-la-reasons">{move || if refusing() { "不予援助的理由（必填，书面告知申请人）" } else { "决定说明（可选）" }}</label>
                <p class="hint" id="hint-reasons">"不予法律援助的，应当书面告知申请人并说明理由（第四十三条），10–500 字。"</p>
                <textarea id="c-la-reasons" rows="4" bind:value=reasons aria-required=move || refusing().to_string()
                    aria-invalid=invalid(errs, "reasons") aria-describedby="hint-reasons err-reasons"></textarea>
                {error_text(errs, "reasons")}
            </div>
            <p class="form-error" role="alert">{move || general.get()}</p>
            <button type="submit" id="c-la-decide-submit" class="primary" disabled=move || busy.get()>"作出决定"</button>
        </form>
    }
}

/// Records the assigned lawyer.
pub(super) fn assign_form(
    id: i64,
    done: impl Fn(LegalAidCase, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let api = crate::console::api::use_api();
    let lawyer = RwSignal::new(String::new());
    let errs: Errors = crate::form::errors();
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
            {Field::new(errs, "lawyer").control_id("c-la-lawyer").view("律师及所在律师事务所或法律援助机构", None, move |f| view! {
                <input type="text" id=f.id() bind:value=lawyer placeholder="如：县法律援助中心 刘律师"
                    aria-invalid=f.invalid() aria-describedby=f.described_by() />
            })}
            <p class="form-error" role="alert">{move || general.get()}</p>
            <button type="submit" id="c-la-assign-submit" class="primary" disabled=move || busy.get()>"指派"</button>
        </form>
    }
}
