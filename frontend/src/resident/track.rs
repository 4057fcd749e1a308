//! `/track` 查进度: look a case up by tracking number and query code, and show its
//! state, deadlines and public timeline. The QR code on the receipt links here with
//! `?no=` filled in.

use super::api;
use crate::components::case::{deadline_list, tracking_number};
use crate::form::{Errors, error_text, invalid, label, set_error};
use crate::i18n::{message, message_with_limits, page_title, tr, use_lang};
use crate::storage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ow_shared::case::EventKind;
use ow_shared::dto::{TrackActRequest, TrackRequest, TrackResponse};
use ow_shared::validate::char_len;
use ow_shared::validate::normalize_tracking_no;
use ow_shared::workflow::Rating;
use ow_shared::workflow::limits::REASON;
use ow_shared::{ErrorCode, FieldError, Lang};
use wasm_bindgen::JsCast;

/// The 查进度 page: the look-up form and, once found, the case.
#[component]
pub fn Track() -> impl IntoView {
    page_title("查进度", "Track progress");
    let lang = use_lang();
    // The QR code's number, else the one last looked up in this tab (a reload keeps it;
    // the query code is never kept).
    let prefilled =
        crate::nav::query_param("no").or_else(|| storage::session_load(storage::TRACK_NO)).unwrap_or_default();
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
        storage::session_save(storage::TRACK_NO, &req.tracking_no);
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
                    {move || failure.get().map(|c| message(c, lang.get()))}
                </p>
                <button type="submit" id="track-submit" class="primary" disabled=move || sending.get()>
                    {move || if sending.get() { lang.get().pick("正在查询…", "Looking up…") } else { lang.get().pick("查询", "Look up") }}
                </button>
            </form>
            {move || found.get().map(|case| result(case, found, code))}
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

/// The case as found: what, where, state, deadlines, the centre's reply (to rate or
/// have reviewed) and the public timeline.
fn result(case: TrackResponse, found: RwSignal<Option<TrackResponse>>, code: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let (case_type, state) = (case.case_type, case.state);
    let respond = (case.can_rate || case.can_request_review)
        .then(|| respond_form(case.tracking_no.clone(), case.can_rate, case.can_request_review, found, code));
    // The reply and its rating near the state, not only as steps of the timeline.
    let latest = |kind: EventKind| {
        case.events.iter().rev().find(|e| e.kind == kind && !e.note.is_empty()).map(|e| e.note.clone())
    };
    let reply = latest(EventKind::Replied).map(|reply| {
        let rating = latest(EventKind::Rated);
        view! {
            <div class="latest-reply" id="track-latest-reply">
                <h3>{tr("中心答复", "The centre's reply")}</h3>
                <p>{reply}</p>
                {rating.map(|r| view! { <p class="note">{r}</p> })}
            </div>
        }
    });
    let no = case.tracking_no.clone();
    let events = case
        .events
        .into_iter()
        .map(|e| {
            // The written notice the act issued: a server-written page that asks for the
            // query code again (so the code never goes into the link). rel="external": the
            // browser loads it, not the app's router.
            let notice = e.kind.notice_kind().map(|kind| {
                view! { <a class="notice-link" rel="external" href=format!("/notice?no={no}&kind={kind}")>{tr("查看告知书", "View the notice")}</a> }
            });
            view! {
                <li>
                    <span class="when">{e.at}</span>
                    " "
                    <span class="what">{move || e.kind.public_label(lang.get())}</span>
                    " "
                    <span class="unit">{e.unit}</span>
                    // The reply, a decline's route and reason, an extension's reason…
                    {(!e.note.is_empty()).then(|| {
                        let id = match e.kind {
                            EventKind::Replied => Some("track-reply"),
                            EventKind::Rated => Some("track-rating"),
                            _ => None,
                        };
                        view! { <p class="note" id=id>{e.note}</p> }
                    })}
                    {notice}
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
            {reply}
            <h3>{tr("办理时限", "Time limits")}</h3>
            {deadline_list("track-deadlines", case.deadlines)}
            <h3>{tr("办理过程", "Timeline")}</h3>
            <ol id="track-timeline" class="timeline">{events}</ol>
            {respond}
        </section>
    }
}

/// 评价 (信访工作条例 Art.21) and 申请复查 (Art.35) in one form: the button pressed
/// says which. Written lean on purpose: it is in every resident's download.
fn respond_form(
    tracking_no: String,
    can_rate: bool,
    can_review: bool,
    found: RwSignal<Option<TrackResponse>>,
    code: RwSignal<String>,
) -> impl IntoView {
    let lang = use_lang();
    // The same signal type as the look-up's: each new type costs the download code.
    let failure = RwSignal::new(None::<ErrorCode>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pressed = ev.submitter().and_then(|b| b.get_attribute("value")).unwrap_or_default();
        let rating = Rating::from_code(&pressed);
        // One reason field on the wire: why 不满意 (optional), or why a review (required).
        let review_reason = match rating {
            Some(Rating::Dissatisfied) => typed("f-rating_reason"),
            Some(_) => String::new(),
            None => typed("f-review_reason"),
        };
        let req = TrackActRequest {
            tracking_no: tracking_no.clone(),
            query_code: code.get_untracked(),
            rating,
            review_reason,
        };
        // The server checks the same limits (`validate_resident_action`); this is the
        // short form of it, for the one field there is.
        let too_short = req.rating.is_none() && char_len(&req.review_reason) < REASON.0;
        let problem = too_short.then_some(ErrorCode::TooShort);
        failure.set(problem);
        if problem.is_some() {
            return;
        }
        spawn_local(async move {
            match api::track_act(&req).await {
                Ok(case) => drop(found.try_set(Some(case))),
                Err(e) => drop(failure.try_set(Some(e.code))),
            }
        });
    };
    // Static markup, not `view!`: this form is in every resident's download, and
    // typed views cost kilobytes each where a string costs bytes.
    let markup = move || respond_markup(lang.get(), can_rate, can_review);
    view! {
        <form novalidate class="respond" on:submit=submit inner_html=markup></form>
        <p id="err-respond" class="form-error" role="alert">
            {move || failure.get().map(|c| message_with_limits(c, lang.get(), Some(REASON.0), Some(REASON.1)))}
        </p>
    }
}

/// The rating buttons and the review request, as markup in the reader's language.
fn respond_markup(lang: Lang, can_rate: bool, can_review: bool) -> String {
    let mut html = String::new();
    if can_rate {
        html += &format!(
            "<fieldset class=\"rating\"><legend>{}</legend>",
            lang.pick("请对答复进行评价", "Please rate the reply")
        );
        for (value, zh, en) in
            [("satisfied", "满意", "Satisfied"), ("basically_satisfied", "基本满意", "Mostly satisfied")]
        {
            html += &format!(
                "<button type=\"submit\" class=\"secondary\" id=\"rate-{value}\" value=\"{value}\">{}</button>",
                lang.pick(zh, en)
            );
        }
        // 不满意 asks first: why (optional, shown on the callback task), and what follows.
        html += &format!(
            "<details class=\"dissatisfied\"><summary id=\"rate-dissatisfied-open\" class=\"secondary\">{}</summary>\
             <label for=\"f-rating_reason\">{}</label><textarea id=\"f-rating_reason\" rows=\"3\" maxlength=\"200\" \
             aria-describedby=\"err-respond\"></textarea><p class=\"hint\">{}</p><button type=\"submit\" class=\"primary\" \
             id=\"rate-dissatisfied\" value=\"dissatisfied\">{}</button></details></fieldset>",
            lang.pick("不满意", "Dissatisfied"),
            lang.pick("不满意的原因（选填）", "Why? (optional)"),
            lang.pick(
                "确认后，中心将与您联系回访，了解原因并研究处理；回访期限写在下方办理过程中。",
                "The centre will then call you back to hear why and follow up; the date is shown in the timeline below.",
            ),
            lang.pick("确认不满意", "Confirm: dissatisfied"),
        );
    }
    if can_review {
        html += &format!(
            "<label for=\"f-review_reason\">{}</label><textarea id=\"f-review_reason\" rows=\"3\" \
             aria-describedby=\"err-respond\"></textarea><button type=\"submit\" class=\"secondary\" id=\"review-submit\" \
             value=\"review\">{}</button>",
            lang.pick("不服答复，30日内可申请复查（写明理由）", "Disagree? Ask for a review within 30 days (say why)"),
            lang.pick("申请复查", "Ask for a review"),
        );
    }
    html
}

/// What is typed in the textarea `id` (read from the page: one less signal to carry).
fn typed(id: &str) -> String {
    document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .map(|t| t.value())
        .unwrap_or_default()
}
