//! `/booking/mine` 我的预约: a booking by its code and the mobile it was made with;
//! cancel it (the first on the waiting list then gets the place) or move it to another
//! day or time at the same place.

use super::done::booking_card;
use super::slots::day_slots;
use super::{Last, api, day_label, paths};
use crate::i18n::{message, page_title, tr, use_lang};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::booking::{BookingLookup, BookingStatus, BookingView, RescheduleRequest, normalize_booking_code};
use ow_shared::validate::normalize_mobile;
use ow_shared::{ApiError, ErrorCode};

/// What the page is doing with a found booking.
#[derive(Clone, PartialEq)]
enum Step {
    Show,
    ConfirmCancel,
    /// Picking a new time; `Some((date, start))` once one is chosen.
    Reschedule(Option<(String, String)>),
}

/// The look-up form and, once found, the booking with its actions.
#[component]
pub fn Mine() -> impl IntoView {
    page_title("我的预约", "My booking");
    let lang = use_lang();
    let last = expect_context::<Last>();
    let stored = Last::stored();
    let from_link = crate::nav::query_param("code");
    // A code from the QR link: the mobile kept in this tab only if it is the same booking.
    let (code0, mobile0) = match (&from_link, &stored) {
        (Some(c), Some(s)) if *c == s.code => (s.code.clone(), s.mobile.clone()),
        (Some(c), _) => (c.clone(), String::new()),
        (None, Some(s)) => (s.code.clone(), s.mobile.clone()),
        (None, None) => Default::default(),
    };
    let code = RwSignal::new(code0);
    let mobile = RwSignal::new(mobile0);
    let found = RwSignal::new(None::<BookingView>);
    // The code and normalised mobile the booking was found with.
    let creds = RwSignal::new(None::<BookingLookup>);
    let failure = RwSignal::new(None::<ErrorCode>);
    let sending = RwSignal::new(false);
    let step = RwSignal::new(Step::Show);
    // The booking was just moved: say so (until the next action).
    let moved = RwSignal::new(false);

    // Every request here answers the booking as it now stands.
    let run = move |fut: std::pin::Pin<Box<dyn std::future::Future<Output = Result<BookingView, ApiError>>>>,
                    with: BookingLookup,
                    rescheduling: bool| {
        sending.set(true);
        failure.set(None);
        moved.set(false);
        spawn_local_scoped(async move {
            let result = fut.await;
            sending.try_set(false);
            match result {
                Ok(view) => {
                    last.keep(view.clone(), &with.mobile);
                    found.try_set(Some(view));
                    creds.try_set(Some(with));
                    step.try_set(Step::Show);
                    moved.try_set(rescheduling);
                    crate::browser::focus("b-result-title");
                }
                Err(e) => {
                    failure.try_set(Some(e.code));
                    crate::browser::focus("b-lookup-error");
                }
            }
        });
    };
    let lookup = move || {
        if sending.get_untracked() {
            return;
        }
        // A malformed code or mobile is answered like a wrong one.
        let (Some(c), Ok(m)) =
            (normalize_booking_code(&code.get_untracked()), normalize_mobile(&mobile.get_untracked()))
        else {
            found.set(None);
            failure.set(Some(ErrorCode::BookingNotFound));
            crate::browser::focus("b-lookup-error");
            return;
        };
        let req = BookingLookup { code: c, mobile: m };
        let with = req.clone();
        // Another look-up: what was shown may not be the resident's any more.
        found.set(None);
        step.set(Step::Show);
        run(Box::pin(async move { api::lookup(&req).await }), with, false);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        lookup();
    };
    if !code.get_untracked().is_empty() && !mobile.get_untracked().is_empty() {
        lookup();
    }
    let cancel = move |_| {
        let Some(req) = creds.get_untracked() else { return };
        let with = req.clone();
        run(Box::pin(async move { api::cancel(&req).await }), with, false);
    };
    let move_to = move |_| {
        let (Some(c), Step::Reschedule(Some((date, start)))) = (creds.get_untracked(), step.get_untracked()) else {
            return;
        };
        let req = RescheduleRequest { code: c.code.clone(), mobile: c.mobile.clone(), date, start };
        run(Box::pin(async move { api::reschedule(&req).await }), c, true);
    };
    let place = Signal::derive(move || {
        matches!(step.get(), Step::Reschedule(_)).then(|| found.with(|f| f.as_ref().map(|v| v.place.id))).flatten()
    });
    // A new time for the same service: as many consecutive slots as it takes.
    let service = Signal::derive(move || found.with(|f| f.as_ref().map(|v| v.service)));
    let picker = day_slots(place, service, None, move |date, start, _| step.set(Step::Reschedule(Some((date, start)))));
    let changeable = move || {
        found.with(|f| f.as_ref().is_some_and(|v| matches!(v.status, BookingStatus::Booked | BookingStatus::Waiting)))
    };
    let chosen = move || match step.get() {
        Step::Reschedule(Some((date, start))) => Some(format!("{} {start}", day_label(&date, lang.get()))),
        _ => None,
    };
    view! {
        <h1>{tr("我的预约", "My booking")}</h1>
        <form novalidate on:submit=submit>
            <div class="field">
                <label for="b-lookup-code">{tr("预约码", "Booking code")}</label>
                <input type="text" id="b-lookup-code" autocomplete="off" autocapitalize="characters" spellcheck="false"
                    prop:value=code.get_untracked() on:input=move |ev| code.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="b-lookup-mobile">{tr("预约时填写的手机号码", "Mobile number used to book")}</label>
                <input type="tel" id="b-lookup-mobile" inputmode="numeric" autocomplete="tel"
                    prop:value=mobile.get_untracked() on:input=move |ev| mobile.set(event_target_value(&ev)) />
            </div>
            <p id="b-lookup-error" class="form-error" role="alert" tabindex="-1">
                {move || failure.get().map(|c| message(c, lang.get()))}
            </p>
            <button type="submit" id="b-lookup" class="primary" disabled=move || sending.get()>
                {move || if sending.get() { lang.get().pick("请稍候…", "Please wait…") } else { lang.get().pick("查询", "Look up") }}
            </button>
        </form>
        <section class="b-panel" aria-labelledby="b-result-title" hidden=move || found.with(Option::is_none)>
            <h2 id="b-result-title" tabindex="-1">{tr("预约详情", "Booking")}</h2>
            <p id="b-moved" class="success" role="status" hidden=move || !(moved.get() && step.get() == Step::Show)>
                {move || {
                    (moved.get() && step.get() == Step::Show)
                        .then(|| {
                            found.with(|f| {
                                f.as_ref().map(|v| {
                                    let l = lang.get();
                                    format!(
                                        "{}{} {}{}",
                                        l.pick("已改约到 ", "Moved to "),
                                        day_label(&v.date, l),
                                        v.start,
                                        l.pick("，请按新的时间到场。", ". Please come at the new time."),
                                    )
                                })
                            })
                        })
                        .flatten()
                }}
            </p>
            {move || found.get().map(booking_card)}
            <div class="no-print" hidden=move || !changeable()>
                <div hidden=move || step.get() != Step::Show>
                    <button type="button" id="b-reschedule" class="secondary" on:click=move |_| step.set(Step::Reschedule(None))>
                        {tr("改约其他时间", "Move to another time")}
                    </button>
                    <button type="button" id="b-cancel" class="secondary b-danger" on:click=move |_| step.set(Step::ConfirmCancel)>
                        {tr("取消预约", "Cancel the booking")}
                    </button>
                </div>
                <div class="notice" hidden=move || step.get() != Step::ConfirmCancel>
                    <p id="b-cancel-question">{tr("确定取消这次预约吗？取消后名额将让给候补的群众。", "Cancel this booking? The place goes to the first person waiting.")}</p>
                    <button type="button" id="b-cancel-yes" class="primary b-danger-fill" aria-describedby="b-cancel-question"
                        disabled=move || sending.get() on:click=cancel>
                        {tr("确定取消", "Yes, cancel it")}
                    </button>
                    <button type="button" id="b-cancel-no" class="secondary" on:click=move |_| step.set(Step::Show)>
                        {tr("不取消", "No, keep it")}
                    </button>
                </div>
                <div hidden=move || !matches!(step.get(), Step::Reschedule(_))>
                    {picker}
                    <button type="button" id="b-reschedule-confirm" class="primary" hidden=move || chosen().is_none()
                        disabled=move || sending.get() on:click=move_to>
                        {move || format!("{}{}", lang.get().pick("确认改约到 ", "Move to "), chosen().unwrap_or_default())}
                    </button>
                    <button type="button" id="b-reschedule-no" class="secondary" on:click=move |_| step.set(Step::Show)>
                        {tr("不改约", "Keep the time")}
                    </button>
                </div>
            </div>
            <p hidden=changeable>
                <a id="b-rebook" href=paths::SERVICES>{tr("重新预约", "Book again")}</a>
            </p>
        </section>
    }
}
