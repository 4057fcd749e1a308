//! `/console/receipt` 回执: what the clerk prints and hands over after a walk-in, on A4
//! or an 80 mm receipt printer. The query code is shown this once (the server keeps
//! only its hash), so the page says to print it now.

use super::queue::QueueState;
use super::{LastReceipt, paths};
use crate::components::case::{deadline_list, print, receipt_issuer, seal_space, tracking_number};
use crate::nav::Router;
use leptos::prelude::*;
use ow_shared::dto::{HALL_PHONE, Receipt};
use ow_shared::{ErrorCode, Lang};

/// The receipt of the last walk-in registered in this tab.
pub fn receipt_page() -> impl IntoView {
    crate::console::ui::page_title("回执");
    let receipt = expect_context::<LastReceipt>().get();
    view! {
        <h1>"回执"</h1>
        {match receipt {
            Some((r, replayed)) => receipt_view(r, replayed).into_any(),
            None => view! {
                <p>"这里没有可显示的回执。回执在本次登录期间保留；群众遗失查询码时，可在案件详情中核对身份后“重新生成查询码”。"</p>
                <p><a href=paths::WALK_IN>"代办登记"</a></p>
            }.into_any(),
        }}
    }
}

fn receipt_view(r: Receipt, replayed: bool) -> impl IntoView {
    let queue = expect_context::<QueueState>();
    let router = Router::get();
    let qr_src = format!("/api/v1/qr/track/{}.svg", r.tracking_no);
    let track_href = format!("/track?no={}", r.tracking_no);
    let place = format!("{} {}", r.township, r.village);
    let no = r.tracking_no.clone();
    let open_case = move |_| {
        let q = no.clone();
        queue.0.update(|f| {
            *f = super::queue::Filters { q, page: 1, ..Default::default() };
        });
        router.navigate(paths::QUEUE);
    };
    let regions = expect_context::<super::Lookups>().regions;
    let county = move || regions.with(|r| r.as_ref().map(|r| r.county.clone()));
    view! {
        <section class="receipt c-receipt">
            {receipt_issuer(county)}
            {replayed.then(|| view! {
                <p class="notice" role="status">{ErrorCode::IdempotencyKeyReused.message(Lang::Zh, None, None)}</p>
            })}
            <p class="success">"诉求已登记，我们将依法按时办理。"</p>
            <dl class="facts">
                <dt>"受理编号"</dt>
                <dd class="number">{tracking_number("c-receipt-tracking-no", &r.tracking_no)}</dd>
                <dt>"查询码"</dt>
                <dd><span class="query-code" id="c-receipt-query-code">{r.query_code}</span></dd>
            </dl>
            <p class="warning">
                <strong>"请群众妥善保管本回执："</strong>
                "凭受理编号和查询码可在手机上查看办理进度、评价答复。查询码遗失时，须本人到窗口核对身份后重新生成。"
            </p>
            <dl class="facts small">
                <dt>"登记时间"</dt><dd>{r.submitted_at}</dd>
                <dt>"类型"</dt><dd>{r.case_type.label(Lang::Zh)}</dd>
                <dt>"标题"</dt><dd>{r.title}</dd>
                <dt>"地点"</dt><dd>{place}</dd>
                <dt>"状态"</dt><dd>{r.state.label(Lang::Zh)}</dd>
                <dt>"联系人"</dt><dd>{r.contact_name_masked} " " {r.mobile_masked}</dd>
                <dt>"服务大厅电话"</dt><dd>{HALL_PHONE}</dd>
            </dl>
            {r.identity_protected.then(|| view! {
                <p class="notice">"检举事项：您的身份信息严格保密，不会提供给承办部门（《信访工作条例》第三十条）。"</p>
            })}
            <h2>"办理时限"</h2>
            {deadline_list("c-receipt-deadlines", r.deadlines)}
            <div class="qr">
                <img id="c-receipt-qr" src=qr_src width="160" height="160" alt="二维码：扫码查看本诉求的办理进度" />
                <p><a href=track_href target="_blank" rel="noopener">"扫码或凭编号查进度"</a></p>
            </div>
            {seal_space()}
            <div class="actions no-print c-form-buttons">
                <button type="button" id="c-print" class="primary" on:click=move |_| print("print-a4")>"打印回执"</button>
                <button type="button" id="c-print-80mm" class="secondary" on:click=move |_| print("print-80mm")>"打印小票（80 mm）"</button>
                <button type="button" id="c-receipt-open" class="secondary" on:click=open_case>"在工作台中查看此件"</button>
                <a class="secondary c-link-button" href=paths::WALK_IN id="c-receipt-next">"继续登记"</a>
            </div>
        </section>
    }
}
