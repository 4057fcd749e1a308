//! Written notices as printable A4 pages, written by the server (no script, so they cost
//! the resident app's first load nothing and pass the CSP as they are):
//! - `GET /notice?no=…&kind=…`: the resident's form for the query code (linked from
//!   查进度's timeline); `POST /notice` checks the code exactly as `/api/v1/track` does,
//!   with the same guess limits, and answers the notice. POST keeps the code out of URLs.
//! - `GET /console/notice?case=…&kind=…`: the same page for staff who may see the case
//!   (linked from the console's case page); `?legal_aid=…&kind=…` a legal-aid decision,
//!   for centre staff (linked from the application's page).

use crate::auth::Staff;
use crate::casework::{self, Act};
use crate::db::notices::{self as store, NoticeRow};
use crate::error::AppError;
use crate::{AppState, clock, notices};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use ow_shared::ErrorCode;
use ow_shared::staff::Role;
use serde::Deserialize;
use std::net::SocketAddr;

/// The pages' routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/notice", get(form).post(resident_notice)).route("/console/notice", get(staff_notice))
}

/// Which notice: a case's latest of a kind.
#[derive(Debug, Deserialize)]
pub struct Which {
    #[serde(default)]
    no: String,
    #[serde(default)]
    kind: String,
}

/// The resident's form, as posted.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    tracking_no: String,
    #[serde(default)]
    query_code: String,
    #[serde(default)]
    kind: String,
}

/// The staff's link: a case's notice, or a legal-aid application's.
#[derive(Debug, Deserialize)]
pub struct StaffWhich {
    case: Option<i64>,
    legal_aid: Option<i64>,
    #[serde(default)]
    kind: String,
}

const STYLE: &str = "body{font:16px/1.7 system-ui,\"PingFang SC\",\"Microsoft YaHei\",sans-serif;margin:0;color:#1a1a1a;background:#f6f7f9}\
main{max-width:36rem;margin:0 auto;padding:1rem}label{display:block;margin-top:1rem;font-weight:600}\
input,button{font:inherit;box-sizing:border-box;max-width:100%}input{width:100%;padding:.5rem;border:1px solid #666;border-radius:4px;background:#fff}\
button{margin-top:1rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#0b5cad;color:#fff;min-height:44px}\
a{color:#0b5cad}.error{color:#a4000f;font-weight:600}\
.sheet{background:#fff;box-sizing:border-box;width:100%;max-width:210mm;min-height:297mm;margin:0 auto;padding:20mm 18mm;overflow-wrap:anywhere}\
.sheet h1{text-align:center;font-size:1.6rem;letter-spacing:.2em;margin:0 0 .5rem}.number{text-align:center;margin:0 0 2rem}\
.body{white-space:pre-wrap;text-indent:2em}.sign{margin-top:4rem;text-align:right}.seal{display:inline-block;width:42mm;height:42mm;\
border:1px dashed #999;border-radius:50%;color:#767676;text-align:center;line-height:42mm;font-size:.9rem;max-width:100%}\
.noprint{max-width:210mm;margin:0 auto;padding:1rem}\
@media (max-width:600px){.sheet{min-height:0;padding:1.2rem}}\
@page{size:A4;margin:0}@media print{body{background:#fff}.noprint{display:none}.sheet{padding:25mm 20mm}}";

fn page(status: StatusCode, title: &str, main: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} - 一窗通办</title>\
         <style>{STYLE}</style></head><body>{main}</body></html>",
        escape(title)
    );
    // Never cached: a notice is personal, and the form's answer depends on the code.
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], html)
        .into_response()
}

/// Text as HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn code_form(no: &str, kind: &str, error: Option<&str>) -> String {
    let title = notices::title(kind);
    let error = error.map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e))).unwrap_or_default();
    format!(
        "<main><h1>查看{title}</h1><p>请填写受理编号和查询码。</p>{error}\
         <form method=\"post\" action=\"/notice\"><input type=\"hidden\" name=\"kind\" value=\"{kind}\">\
         <label for=\"n-no\">受理编号</label><input id=\"n-no\" name=\"tracking_no\" inputmode=\"numeric\" autocomplete=\"off\" required value=\"{no}\">\
         <label for=\"n-code\">查询码</label><input id=\"n-code\" name=\"query_code\" inputmode=\"numeric\" autocomplete=\"off\" required>\
         <button type=\"submit\">查看</button></form><p><a href=\"/track\">返回查进度</a></p></main>",
        kind = escape(known_kind(kind)),
        no = escape(no),
    )
}

/// The kinds of a case's notice a link may name; anything else is the reply (the notice
/// residents need most).
fn known_kind(kind: &str) -> &'static str {
    match kind {
        "acceptance" => "acceptance",
        "decline" => "decline",
        "handover" => "handover",
        "review" => "review",
        _ => "reply",
    }
}

/// The kinds of a legal-aid decision; anything else is the refusal.
fn legal_aid_kind(kind: &str) -> &'static str {
    if kind == "legal_aid_granted" { "legal_aid_granted" } else { "legal_aid_refused" }
}

async fn form(Query(which): Query<Which>) -> Response {
    page(StatusCode::OK, notices::title(known_kind(&which.kind)), &code_form(&which.no, &which.kind, None))
}

fn sheet(n: &NoticeRow) -> String {
    let title = notices::title(&n.kind);
    format!(
        "<div class=\"noprint\"><p>请使用浏览器的“打印”功能打印（A4）。</p></div>\
         <main class=\"sheet\" id=\"notice\"><h1>{title}</h1><p class=\"number\" id=\"notice-number\">{number}</p>\
         <p class=\"body\">{body}</p><div class=\"sign\"><p id=\"notice-unit\">{unit}</p><p id=\"notice-date\">{date}</p>\
         <span class=\"seal\" aria-label=\"盖章处\">（盖章）</span></div></main>",
        number = escape(&n.number),
        body = escape(&n.body),
        unit = escape(&n.unit),
        date = escape(&n.issued_on),
    )
}

fn notice_page(n: &NoticeRow) -> Response {
    page(StatusCode::OK, notices::title(&n.kind), &sheet(n))
}

/// The resident's notice, once the code is right.
async fn resident_notice(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(posted): Form<CodeForm>,
) -> Response {
    let kind = known_kind(&posted.kind);
    let answer = async {
        let client = state.client_ip(peer, &headers);
        let (_, case_id) = super::track::resident_case(&state, client, &posted.tracking_no, &posted.query_code).await?;
        state.db.read(move |conn| latest(conn, case_id, kind)).await
    };
    match answer.await {
        Ok(notice) => notice_page(&notice),
        Err(e) => error_page(e, |message| code_form(&posted.tracking_no, kind, Some(message))),
    }
}

/// The case's latest notice of a kind, or 404 when none was issued (yet).
fn latest(conn: &rusqlite::Connection, case_id: i64, kind: &str) -> Result<NoticeRow, AppError> {
    newest_of(store::for_case(conn, case_id)?, kind)
}

fn newest_of(notices: Vec<NoticeRow>, kind: &str) -> Result<NoticeRow, AppError> {
    notices.into_iter().rev().find(|n| n.kind == kind).ok_or(AppError::Client(ErrorCode::NotFound))
}

/// A member of staff's view of a notice: a case's for who may see the case, a legal-aid
/// decision for centre staff (who see the applications).
async fn staff_notice(State(state): State<AppState>, staff: Staff, Query(which): Query<StaffWhich>) -> Response {
    let answer = async {
        let calendar = state.calendar().await?;
        let now_ms = clock::now_ms();
        state
            .db
            .read(move |conn| match (which.case, which.legal_aid) {
                (Some(case_id), _) => {
                    casework::view(conn, &Act { case_id, now_ms, calendar: &calendar }, &staff)?;
                    latest(conn, case_id, known_kind(&which.kind))
                }
                (None, Some(id)) => {
                    staff.require(Role::CENTRE)?;
                    newest_of(store::for_legal_aid(conn, id)?, legal_aid_kind(&which.kind))
                }
                (None, None) => Err(AppError::Client(ErrorCode::NotFound)),
            })
            .await
    };
    match answer.await {
        Ok(notice) => notice_page(&notice),
        Err(e) => error_page(e, |message| {
            format!("<main><h1>无法打开告知书</h1><p class=\"error\">{}</p></main>", escape(message))
        }),
    }
}

/// The error's status and headers (Retry-After on a guess limit), its message in a page.
fn error_page(e: AppError, main: impl Fn(&str) -> String) -> Response {
    let message = e.resident_message();
    let api = e.into_response();
    let mut answer = page(api.status(), "告知书", &main(&message));
    if let Some(retry) = api.headers().get(header::RETRY_AFTER) {
        answer.headers_mut().insert(header::RETRY_AFTER, retry.clone());
    }
    answer
}
