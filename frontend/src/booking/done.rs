//! `/booking/done`: the confirmation — booking code, status, where and when, every
//! material to bring, a QR code and a print button. A reload looks the booking up again
//! with the code and mobile kept in sessionStorage.

use super::services::materials;
use super::{Last, api, day_label, paths};
use crate::i18n::{page_title, tr, use_lang};
use crate::load::Loaded;
use leptos::prelude::*;
use ow_shared::Lang;
use ow_shared::booking::{BookingStatus, BookingView};

/// The confirmation of the booking made in this tab.
#[component]
pub fn Done() -> impl IntoView {
    page_title("预约结果", "Your booking");
    let last = expect_context::<Last>();
    let state: Loaded<BookingView> = last.get().map_or_else(Loaded::new, Loaded::loaded);
    let stored = Last::stored();
    let has = state.with_untracked(|s| s.is_some()) || stored.is_some();
    let fetch = move || {
        if let Some(s) = Last::stored() {
            state.load(async move { api::lookup(&s).await });
        }
    };
    if state.with_untracked(|s| s.is_none()) {
        fetch();
    }
    view! {
        <h1>{tr("预约结果", "Your booking")}</h1>
        {(!has).then(|| view! {
            <p>{tr("这里没有可显示的预约。", "There is no booking to show here.")}</p>
            <p><a href=paths::MINE>{tr("凭预约码和手机号查询我的预约", "Find a booking by its code and mobile")}</a></p>
        })}
        {has.then(|| state.status("b-state-status", fetch))}
        {move || state.ready().map(confirmation)}
    }
}

/// The success message, the booking, the QR code and printing.
fn confirmation(v: BookingView) -> impl IntoView {
    let lang = use_lang();
    let waiting = v.status == BookingStatus::Waiting;
    let qr = format!("/api/v1/qr/booking/{}.svg", v.code);
    view! {
        <p class="success" id="b-done-message" role="status">
            {move || if waiting {
                lang.get().pick("已加入候补。有人取消时按候补顺序转为正式预约，我们会短信通知您。", "You are on the waiting list. When someone cancels, the first waiting gets the place and is told by SMS.")
            } else {
                lang.get().pick("预约成功！请按时带齐材料前往。", "Booked! Please come on time with everything listed.")
            }}
        </p>
        {booking_card(v)}
        <p class="warning">{tr("请截屏或记下预约码：查询、取消或改约时需要预约码和手机号。", "Take a screenshot or write the code down: you need it with your mobile to see, cancel or move the booking.")}</p>
        <div class="qr">
            <img id="b-qr" src=qr width="160" height="160" alt=tr("二维码：扫码查看本次预约", "QR code of this booking") />
        </div>
        <div class="actions no-print">
            <button type="button" id="b-print" class="secondary" on:click=move |_| drop(window().print())>{tr("打印预约单", "Print")}</button>
            <a id="b-to-mine" class="secondary b-button" href=paths::MINE>{tr("查看、取消或改约", "See, cancel or move it")}</a>
        </div>
    }
}

/// Code, status, service, place with address and phone, time, who, and the materials.
pub fn booking_card(v: BookingView) -> impl IntoView {
    let lang = use_lang();
    let service = v.service;
    let status = move || status_text(v.status, v.waitlist_position, v.promoted, lang.get());
    let (date, start, end) = (v.date, v.start, v.end);
    let day = move || day_label(&date, lang.get());
    let time = format!("{start}–{end}");
    let tel = format!("tel:{}", v.place.phone);
    view! {
        <dl class="facts b-card" id="b-booking">
            <dt>{tr("预约码", "Booking code")}</dt>
            <dd class="number"><span id="b-code" class="b-code">{v.code}</span></dd>
            <dt>{tr("状态", "Status")}</dt>
            <dd><strong id="b-status">{status}</strong></dd>
            <dt>{tr("服务", "Service")}</dt>
            <dd id="b-service">{move || service.label(lang.get())}</dd>
            <dt>{tr("地点", "Place")}</dt>
            <dd id="b-place-name">
                {v.place.name}
                <br />
                {v.place.address}
                <br />
                <a class="b-nowrap" href=tel>{v.place.phone}</a>
            </dd>
            <dt>{tr("时间", "Time")}</dt>
            <dd id="b-when">{day} " " <span class="b-nowrap">{time}</span></dd>
            <dt>{tr("预约人", "Booked by")}</dt>
            <dd>{v.name_masked} " " {v.mobile_masked}</dd>
        </dl>
        {materials(Some("b-materials"), v.materials)}
    }
}

/// 已预约 / 候补第N位 / 已由候补转为正式预约 / 已取消 / 已签到 / 未到.
fn status_text(status: BookingStatus, position: Option<u32>, promoted: bool, lang: Lang) -> String {
    match status {
        BookingStatus::Booked if promoted => {
            lang.pick("已由候补转为正式预约", "Booked (moved up from the waiting list)").into()
        }
        BookingStatus::Waiting if position.is_some() => format!(
            "{}{}{}",
            lang.pick("候补第", "Waiting list, number "),
            position.unwrap_or_default(),
            lang.pick("位", "")
        ),
        other => other.label(lang).into(),
    }
}
