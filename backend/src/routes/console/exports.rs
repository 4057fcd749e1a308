//! `.xlsx` downloads (issue 13): a figures table (`/api/v1/console/figures.xlsx`, the
//! same query, roles and units as `/api/v1/console/figures`) and a case list
//! (`/api/v1/console/cases.xlsx`, the queue's query — its filters, or the cases behind a
//! figure — with the queue's roles and visibility, every page of it up to
//! `exports::MAX_CASES`). The workbooks are written by `crate::exports`.

use crate::AppState;
use crate::auth::Staff;
use crate::clock;
use crate::db::{figures as figures_db, queue};
use crate::error::{ApiQuery, AppError};
use crate::exports::{self, CONTENT_TYPE};
use crate::routes::console::{cases, figures};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use ow_shared::Lang;
use ow_shared::console::QueueQuery;
use ow_shared::figures::{FigurePart, FiguresQuery};
use ow_shared::staff::Role;

/// The export routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/console/figures.xlsx", get(figures_xlsx))
        .route("/api/v1/console/cases.xlsx", get(cases_xlsx))
}

/// A workbook as a download named `name` (zh-CN), `ascii_name` for old clients.
fn download(body: Vec<u8>, ascii_name: &str, name: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&exports::content_disposition(ascii_name, name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The figures of a unit's area for a period, as the figures page shows them, in a
/// workbook: 统计指标 and 月度受理量.
#[utoipa::path(get, path = "/api/v1/console/figures.xlsx", tag = "console", params(FiguresQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               description = "the workbook, named 统计_<unit>_<from>至<to>.xlsx"),
              (status = 401, body = ow_shared::ApiError),
              (status = 400, body = ow_shared::ApiError, description = "BAD_REQUEST: a malformed query"),
              (status = 403, body = ow_shared::ApiError,
               description = "FORBIDDEN: not a leader or clerk, or a unit outside the caller's (clerks: not their own)"),
              (status = 422, body = ow_shared::ApiError,
               description = "VALIDATION_FAILED: DATE_INVALID on from/to; UNIT_UNKNOWN")))]
pub async fn figures_xlsx(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(query): ApiQuery<FiguresQuery>,
) -> Result<Response, AppError> {
    staff.require(Role::CENTRE)?;
    let period = figures::period(&query)?;
    let today = clock::date_of(clock::now_ms());
    let (report, body) = state
        .db
        .read(move |conn| {
            let unit = figures::permitted_unit(conn, &staff, query.unit)?;
            let report = figures_db::report(conn, &unit, period, today)?;
            let body = exports::figures_workbook(&report)?;
            Ok((report, body))
        })
        .await?;
    let (from, to) = (&report.period.from, &report.period.to);
    let name = format!("统计_{}_{from}至{to}.xlsx", report.unit_name);
    Ok(download(body, &format!("figures-{from}-{to}.xlsx"), &name))
}

/// The queue's cases — with its filters, or exactly those behind a figure — in a
/// workbook, every page of them (up to `exports::MAX_CASES`, the sheet says so when
/// there are more), with the queue's columns and nothing more personal.
#[utoipa::path(get, path = "/api/v1/console/cases.xlsx", tag = "console", params(QueueQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               description = "the workbook, named 案件清单_….xlsx"),
              (status = 401, body = ow_shared::ApiError),
              (status = 400, body = ow_shared::ApiError, description = "BAD_REQUEST: a malformed query"),
              (status = 403, body = ow_shared::ApiError,
               description = "FORBIDDEN: not a case handler; with `figure`, not a leader or clerk or a unit outside the caller's"),
              (status = 422, body = ow_shared::ApiError,
               description = "VALIDATION_FAILED with `figure`: DATE_INVALID on from/to; UNIT_UNKNOWN")))]
pub async fn cases_xlsx(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(query): ApiQuery<QueueQuery>,
) -> Result<Response, AppError> {
    staff.require(Role::CASE_HANDLERS)?;
    let now_ms = clock::now_ms();
    let today = clock::date_of(now_ms);
    let scope = cases::scope(&staff);
    let figure = cases::figure_of(&staff, &query)?;
    let (title, label) = match figure {
        Some((id, part, period)) => {
            let part = if part == FigurePart::Denominator { "（分母）" } else { "" };
            let (from, to) = (ow_shared::calendar::format(period.from), ow_shared::calendar::format(period.to));
            let name = id.definition().name;
            (format!("{name}{part}：{from} 至 {to}"), format!("{name}{part}_{from}至{to}"))
        }
        None => {
            let title = filters_title(&query);
            (title.clone(), title)
        }
    };
    let exported_at = clock::format_minute(now_ms);
    let sheet_title = title.clone();
    let body = state
        .db
        .read(move |conn| {
            let within = cases::behind(conn, &staff, figure, query.unit, today)?;
            let (items, total) = queue::all_within(conn, &query, scope, today, within, exports::MAX_CASES)?;
            exports::cases_workbook(&format!("案件清单 {sheet_title}"), &items, total, &exported_at)
        })
        .await?;
    let day = clock::format_date(today);
    let name = format!("案件清单_{}_{day}.xlsx", file_safe(&label));
    Ok(download(body, &format!("cases-{day}.xlsx"), &name))
}

/// What a queue's filters select, in words (the ones that need no look-up).
fn filters_title(query: &QueueQuery) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(state) = query.state {
        parts.push(state.label(Lang::Zh).to_string());
    }
    if let Some(case_type) = query.case_type {
        parts.push(case_type.label(Lang::Zh).to_string());
    }
    match query.due.as_deref() {
        Some("overdue") => parts.push("超期".into()),
        Some("soon") => parts.push("3日内到期".into()),
        _ => {}
    }
    if query.mine == Some(true) {
        parts.push("我的".into());
    }
    if query.callback.as_deref() == Some("open") {
        parts.push("待回访".into());
    }
    if query.contact.as_deref() == Some("failed") {
        parts.push("短信联系失败".into());
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        parts.push(format!("搜索“{q}”"));
    }
    if parts.is_empty() { "全部".into() } else { parts.join("·") }
}

/// A title as part of a file name: no path separators, quotes or colons, not too long.
fn file_safe(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '：' | '"' | '*' | '?' | '<' | '>' | '|' | ' ') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    cleaned.chars().take(40).collect()
}
