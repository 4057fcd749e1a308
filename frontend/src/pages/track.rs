//! `/track` 查进度: look a case up by tracking number and query code, and show its
//! state, deadlines and public timeline. The QR code on the receipt links here with
//! `?no=` filled in.

use crate::api;
use crate::components::case::{deadline_list, tracking_number};
use crate::components::field::{Errors, error_text, invalid, label, set_error};
use crate::i18n::{page_title, tr, use_lang};
use leptos::prelude::*;
use leptos::task::spawn_local;
use ow_shared::dto::{TrackRequest, TrackResponse};
use ow_shared::validate::normalize_tracking_no;
use ow_shared::{ErrorCode, FieldError};

/// The 查进度 page: the look-up form and, once found, the case.
#[component]
pub fn Track() -> impl IntoView {
    page_title("查进度", "Track progress");
    let lang = use_lang();
    let prefilled = crate::nav::query_param("no").unwrap_or_default();
    let no = RwSignal::new(prefilled);
    let code = RwSignal::new(String::new());
    let errors: Errors = RwSignal::new(Vec::new());
    let failure = RwSignal::new(None::<ErrorCode>);
    let sending = RwSignal::new(false);
    let found = RwSignal::new(None::<TrackResponse>);
    let lookup = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let Some(req) = request(no.get_untracked(), code.get_untracked(), errors) else {
            failure.set(None);
            return;
        };
        sending.set(true);
        failure.set(None);
        spawn_local(async move {
            let result = api::track(&req).await;
            sending.try_set(false);
            match result {
                Ok(case) => {
                    found.try_set(Some(case));
                }
                Err(e) => {
                    found.try_set(None);
                    errors.try_set(e.fields);
                    failure.try_set(Some(e.code));
                }
            }
        });
    };
    view! {
            <h1>{tr("查进度", "Track progress")}</h1>
            <p class="lead">{tr("请输入回执上的受理编号和查询码。", "Enter the tracking number and query code from your receipt.")}</p>
            <form novalidate on:submit=lookup>
                <div class="field">
    {label("tracking_no", "受理编号", "Tracking number", false, Some(("13 位数字", "13 digits")))}
                    <input type="text" id="f-tracking_no" inputmode="numeric" autocomplete="off"
                        prop:value=no.get_untracked()
                        aria-invalid=invalid(errors, "tracking_no")
                        aria-describedby="hint-tracking_no err-tracking_no"
                        on:input=move |ev| no.set(event_target_value(&ev)) />
                {error_text(errors, "tracking_no")}
    </div>
                <div class="field">
    {label("query_code", "查询码", "Query code", false, None)}
                    <input type="text" id="f-query_code" inputmode="numeric" autocomplete="off" spellcheck="false"
                        prop:value=code.get_untracked()
                        aria-invalid=invalid(errors, "query_code")
                        aria-describedby="err-query_code"
                        on:input=move |ev| code.set(event_target_value(&ev)) />
                {error_text(errors, "query_code")}
    </div>
                <p id="track-error" class="form-error" role="alert">
                    {move || failure.get().map(|c| c.message(lang.get(), None, None))}
                </p>
                <button type="submit" id="track-submit" class="primary" disabled=move || sending.get()>
                    {move || if sending.get() { lang.get().pick("正在查询…", "Looking up…") } else { lang.get().pick("查询", "Look up") }}
                </button>
            </form>
            {move || found.get().map(result)}
        }
}

/// The request to send, or `None` with the missing fields marked.
fn request(no: String, code: String, errors: Errors) -> Option<TrackRequest> {
    let required =
        |field: &str, value: &str| value.trim().is_empty().then(|| FieldError::new(field, ErrorCode::Required));
    set_error(errors, "tracking_no", required("tracking_no", &no));
    set_error(errors, "query_code", required("query_code", &code));
    if errors.with_untracked(|e| !e.is_empty()) {
        return None;
    }
    // A malformed number is sent as typed: the server answers it like any unknown one.
    let tracking_no = normalize_tracking_no(&no).unwrap_or_else(|| no.trim().to_string());
    Some(TrackRequest { tracking_no, query_code: code.trim().to_string() })
}

/// The case as found: what, where, state, deadlines and the public timeline.
fn result(case: TrackResponse) -> impl IntoView {
    let lang = use_lang();
    let (case_type, state) = (case.case_type, case.state);
    let events = case
        .events
        .into_iter()
        .map(|e| {
            view! {
                <li>
                    <span class="when">{e.at}</span>
                    " "
                    <span class="what">{move || e.kind.label(lang.get())}</span>
                    " "
                    <span class="unit">{e.unit}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="track-result" aria-labelledby="track-result-title">
            <h2 id="track-result-title">{case.title}</h2>
            <dl class="facts small">
                <dt>{tr("受理编号", "Tracking number")}</dt>
                <dd class="number">{tracking_number("track-tracking-no", &case.tracking_no)}</dd>
                <dt>{tr("当前状态", "State")}</dt>
                <dd><strong id="track-state">{move || state.label(lang.get())}</strong></dd>
                <dt>{tr("类型", "Type")}</dt>
                <dd>{move || case_type.label(lang.get())}</dd>
                <dt>{tr("地点", "Place")}</dt>
                <dd>{format!("{} {}", case.township, case.village)}</dd>
                <dt>{tr("提交时间", "Submitted")}</dt>
                <dd>{case.submitted_at}</dd>
            </dl>
            <h3>{tr("办理时限", "Time limits")}</h3>
            {deadline_list("track-deadlines", case.deadlines)}
            <h3>{tr("办理过程", "Timeline")}</h3>
            <ol id="track-timeline" class="timeline">{events}</ol>
        </section>
    }
}
