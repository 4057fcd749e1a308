//! `/booking/details`: name, mobile and a short description, then the booking. Every
//! resend of the same request carries the same `Idempotency-Key`, so a double tap or a
//! dropped connection never books twice; a changed request gets a new key.

use super::{Last, Typed, api, day_label, href, paths, service_from_code};
use crate::i18n::{message, page_title, tr, use_lang};
use crate::load::Loaded;
use crate::nav::query_param;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::booking::{BookRequest, PlaceInfo, SlotRef, booking_limits, validate_book_request};
use ow_shared::{ApiError, ErrorCode, FieldError};

/// The details form of a chosen time.
#[component]
pub fn Details() -> impl IntoView {
    page_title("填写预约信息", "Your details");
    let lang = use_lang();
    let code = query_param("service").unwrap_or_default();
    let service = service_from_code(&code);
    let place_id = query_param("place").and_then(|p| p.parse::<i64>().ok()).unwrap_or_default();
    let date = RwSignal::new(query_param("date").unwrap_or_default());
    let start = RwSignal::new(query_param("start").unwrap_or_default());
    let waitlist = RwSignal::new(query_param("waitlist").as_deref() == Some("1"));
    // The pre-check found the time limit ends within 7 days: staff are told with the booking.
    let urgent = query_param("urgent").as_deref() == Some("1");
    let places: Loaded<Vec<PlaceInfo>> = Loaded::new();
    places.load(api::places());
    let place = move || places.ready().and_then(|v| v.into_iter().find(|p| p.id == place_id));
    let typed = expect_context::<Typed>();
    let last = expect_context::<Last>();
    let router = crate::nav::Router::get();
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let sending = RwSignal::new(false);
    // The key of the last attempt and the request it was made for.
    let attempt = RwSignal::new((String::new(), String::new()));

    let send = move || {
        if sending.get_untracked() {
            return;
        }
        let (name, mobile, description) = typed.0.get_untracked();
        let typed_req = BookRequest {
            place_id,
            service,
            date: date.get_untracked(),
            start: start.get_untracked(),
            name,
            mobile,
            description,
            waitlist: waitlist.get_untracked(),
            urgent,
        };
        // The shared validation, as the server runs it; it also normalises the mobile.
        let req = match validate_book_request(&typed_req) {
            Ok(req) => req,
            Err(problems) => {
                if let Some(first) = problems.first() {
                    crate::browser::focus(&format!("b-{}", first.field));
                }
                errors.set(problems);
                failure.set(Some(ApiError::bare(ErrorCode::ValidationFailed)));
                return;
            }
        };
        let mobile = req.mobile.clone();
        let body = serde_json::to_string(&req).unwrap_or_default();
        if attempt.with_untracked(|(_, sent)| *sent != body) {
            attempt.set((crate::browser::new_key(), body));
        }
        let key = attempt.get_untracked().0;
        errors.set(Vec::new());
        failure.set(None);
        sending.set(true);
        spawn_local_scoped(async move {
            let result = api::book(&req, &key).await;
            sending.try_set(false);
            match result {
                Ok(view) => {
                    last.keep(view, &mobile);
                    typed.0.try_update(|t| t.2.clear());
                    router.navigate(paths::DONE);
                }
                Err(e) => {
                    errors.try_set(e.fields.clone());
                    failure.try_set(Some(e));
                    crate::browser::focus("b-error");
                }
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };
    let alternative = move |alt: SlotRef| {
        date.set(alt.date);
        start.set(alt.start);
        waitlist.set(false);
        send();
    };
    let join_waitlist = move |_| {
        waitlist.set(true);
        send();
    };
    let change =
        href(paths::SLOT, &[("service", &code), ("place", &place_id.to_string()), ("date", &date.get_untracked())]);
    let when = move || format!("{} {}", day_label(&date.get(), lang.get()), start.get());
    let err = move |field: &'static str| {
        move || {
            errors.with(|v| {
                v.iter()
                    .find(|e| e.field.ends_with(field))
                    .map(|e| crate::i18n::message_with_limits(e.code, lang.get(), e.min, e.max))
            })
        }
    };
    let invalid =
        move |field: &'static str| move || errors.with(|v| v.iter().any(|e| e.field.ends_with(field))).to_string();
    let failure_text = move || failure.with(|f| f.as_ref().map(|e| message(e.code, lang.get())));
    let alternatives = move || {
        let alts =
            failure.with(|f| f.as_ref().filter(|e| e.code == ErrorCode::SlotFull).map(|e| e.alternatives.clone()))?;
        Some(view! {
            <div class="b-panel" id="b-full">
                <p>{move || lang.get().pick("该时段已约满。您可以改约以下最近的空闲时段，或加入候补：", "That time is full. Take one of the nearest free times, or join its waiting list:")}</p>
                <ul class="b-alts">
                    {alts.into_iter().map(|a| {
                        let text = format!("{} {} · {}{}", day_label(&a.date, lang.get_untracked()), a.start, lang.get_untracked().pick("剩余 ", "left: "), a.remaining);
                        view! { <li><button type="button" class="secondary b-alt" data-date=a.date.clone() data-start=a.start.clone() on:click=move |_| alternative(a.clone())>{text}</button></li> }
                    }).collect_view()}
                </ul>
                <button type="button" id="b-waitlist" class="secondary" on:click=join_waitlist>
                    {move || lang.get().pick("加入该时段候补", "Join this time's waiting list")}
                </button>
            </div>
        })
    };
    let (t_name, t_mobile, t_description) = typed.0.get_untracked();
    let count = move || typed.0.with(|t| ow_shared::validate::char_len(&t.2));
    view! {
        <h1>{tr("填写预约信息", "Your details")}</h1>
        <dl class="facts small" id="b-summary">
            <dt>{tr("服务", "Service")}</dt>
            <dd>{move || service.map(|s| s.label(lang.get()))}</dd>
            <dt>{tr("地点", "Place")}</dt>
            <dd>{move || place().map(|p| p.name)}</dd>
            <dt>{tr("时间", "Time")}</dt>
            <dd id="b-summary-when">{when} " " <a href=change>{tr("更改", "Change")}</a></dd>
        </dl>
        <p class="notice" hidden=move || !waitlist.get()>
            {tr("您将加入该时段的候补：有人取消时按顺序转为正式预约，我们会短信通知您。", "You join this time's waiting list: when someone cancels, the first waiting becomes booked and is told by SMS.")}
        </p>
        <form novalidate on:submit=submit>
            <div class="field">
                <label for="b-name">{tr("姓名", "Name")}</label>
                <input type="text" id="b-name" autocomplete="name" prop:value=t_name aria-invalid=invalid("name")
                    aria-describedby="b-name-err" on:input=move |ev| typed.0.update(|t| t.0 = event_target_value(&ev)) />
                <p class="err" id="b-name-err">{err("name")}</p>
            </div>
            <div class="field">
                <label for="b-mobile">{tr("手机号码", "Mobile number")}</label>
                <p class="hint" id="b-mobile-hint">{tr("凭预约码和手机号查询、取消预约", "With the booking code, it lets you see or cancel the booking")}</p>
                <input type="tel" id="b-mobile" inputmode="numeric" autocomplete="tel" prop:value=t_mobile aria-invalid=invalid("mobile")
                    aria-describedby="b-mobile-hint b-mobile-err" on:input=move |ev| typed.0.update(|t| t.1 = event_target_value(&ev)) />
                <p class="err" id="b-mobile-err">{err("mobile")}</p>
            </div>
            <div class="field">
                <label for="b-description">{tr("简要说明您的事情", "Briefly, what is it about?")}</label>
                <p class="hint" id="b-description-hint">{tr("200 字以内，便于工作人员提前准备", "Up to 200 characters, so staff can prepare")}</p>
                <textarea id="b-description" rows="4" prop:value=t_description aria-invalid=invalid("description")
                    aria-describedby="b-description-hint b-description-err b-description-count"
                    on:input=move |ev| typed.0.update(|t| t.2 = event_target_value(&ev))></textarea>
                <span class="counter" id="b-description-count" class:over=move || { count() > booking_limits::DESCRIPTION.1 }>
                    {move || format!("{}/{}", count(), booking_limits::DESCRIPTION.1)}
                </span>
                <p class="err" id="b-description-err">{err("description")}</p>
            </div>
            <p class="hint">{tr("您的信息仅用于本次预约和联系您，严格保密。", "Your details are used only for this booking and to contact you, and kept confidential.")}</p>
            <p id="b-error" class="form-error" role="alert" tabindex="-1">{failure_text}</p>
            {alternatives}
            <button type="submit" id="b-submit" class="primary" disabled=move || sending.get()>
                {move || match (sending.get(), waitlist.get()) {
                    (true, _) => lang.get().pick("正在提交…", "Sending…"),
                    (false, true) => lang.get().pick("确认加入候补", "Join the waiting list"),
                    (false, false) => lang.get().pick("确认预约", "Book"),
                }}
            </button>
        </form>
    }
}
