//! `/receipt` 回执: proof of intake after a submission, printable on A4 or an 80 mm
//! receipt printer. Kept in sessionStorage so a reload still shows it; the query code
//! exists nowhere else (the server keeps only its hash), hence the warning.

use super::LastReceipt;
use crate::components::case::{deadline_list, print, receipt_issuer, seal_space, tracking_number};
use crate::i18n::{page_title, tr, use_lang};
use leptos::either::Either;
use leptos::prelude::*;
use ow_shared::ErrorCode;
use ow_shared::dto::Receipt;

/// The receipt of the last submission in this tab, or a pointer to tracking.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    page_title("回执", "Receipt");
    let receipt = expect_context::<LastReceipt>().get();
    view! {
        <h1>{tr("回执", "Receipt")}</h1>
        {match receipt {
            Some((r, replayed)) => Either::Left(receipt_view(r, replayed)),
            None => Either::Right(view! {
                <p>{tr("这里没有可显示的回执。回执只在提交后显示一次。", "There is no receipt to show. A receipt is shown once, after submitting.")}</p>
                <p>
                    <a href="/track">{tr("凭受理编号和查询码查进度", "Track a request with its number and query code")}</a>
                </p>
            }),
        }}
    }
}

fn receipt_view(r: Receipt, replayed: bool) -> impl IntoView {
    let lang = use_lang();
    let track_href = format!("/track?no={}", r.tracking_no);
    let qr_src = format!("/api/v1/qr/track/{}.svg", r.tracking_no);
    let place = format!("{} {}", r.township, r.village);
    let (case_type, state) = (r.case_type, r.state);
    let regions = expect_context::<super::Regions>();
    let county = move || regions.0.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map(|r| r.county.clone()));
    view! {
        <section class="receipt">
            {receipt_issuer(county)}
            {replayed.then(|| view! {
                <p class="notice" id="receipt-notice" role="status">
                    {move || crate::i18n::message(ErrorCode::IdempotencyKeyReused, lang.get())}
                </p>
            })}
            <p class="success">{tr("您的诉求已提交，我们将依法按时办理。", "Your request has been submitted and will be handled within the legal time limits.")}</p>
            <dl class="facts">
                <dt>{tr("受理编号", "Tracking number")}</dt>
                <dd class="number">{tracking_number("receipt-tracking-no", &r.tracking_no)}</dd>
                <dt>{tr("查询码", "Query code")}</dt>
                <dd>
                    <span class="query-code" id="receipt-query-code">{r.query_code}</span>
                </dd>
            </dl>
            <p class="warning">
                <strong>{tr("请务必记下查询码或截屏保存：", "Write the query code down or take a screenshot: ")}</strong>
                {tr("查询码只显示这一次，查进度时需要受理编号和查询码。", "it is shown only this once, and tracking needs both the number and the code.")}
            </p>
            <dl class="facts small">
                <dt>{tr("提交时间", "Submitted")}</dt>
                <dd>{r.submitted_at}</dd>
                <dt>{tr("类型", "Type")}</dt>
                <dd>{move || case_type.label(lang.get())}</dd>
                <dt>{tr("标题", "Title")}</dt>
                <dd>{r.title}</dd>
                <dt>{tr("地点", "Place")}</dt>
                <dd>{place}</dd>
                <dt>{tr("状态", "State")}</dt>
                <dd>{move || state.label(lang.get())}</dd>
                <dt>{tr("联系人", "Contact")}</dt>
                <dd>{r.contact_name_masked} " " {r.mobile_masked}</dd>
                <dt>{tr("照片", "Photos")}</dt>
                <dd>{move || format!("{} {}", r.photo_count, lang.get().pick("张", "photo(s)"))}</dd>
            </dl>
            {r.identity_protected.then(|| view! {
                <p class="notice">{tr("检举事项：您的身份信息严格保密，不会提供给承办部门（《信访工作条例》第三十条）。", "Accusation: your identity is kept confidential and never given to the handling department (Art.30).")}</p>
            })}
            <h2>{tr("办理时限", "Time limits")}</h2>
            {deadline_list("receipt-deadlines", r.deadlines)}
            <div class="qr">
                <img id="receipt-qr" src=qr_src width="160" height="160"
                    alt=tr("二维码：扫码打开本诉求的查进度页面", "QR code linking to this request's tracking page") />
                <p><a href=track_href>{tr("查看办理进度", "Track this request")}</a></p>
            </div>
            {seal_space()}
            <div class="actions no-print">
                <button type="button" id="print-a4" class="secondary" on:click=move |_| print("print-a4")>{tr("打印回执（A4）", "Print (A4)")}</button>
                <button type="button" id="print-80mm" class="secondary" on:click=move |_| print("print-80mm")>{tr("打印小票（80 mm）", "Print slip (80 mm)")}</button>
            </div>
        </section>
    }
}
