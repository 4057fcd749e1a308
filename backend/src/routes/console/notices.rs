//! `/api/v1/console/cases/{id}/notices`: a case's written notices, and 送达 of one;
//! `/api/v1/console/units/{id}/notice-prefix`: a unit's own 文号 prefix.

use crate::auth::Staff;
use crate::casework::{self, Act};
use crate::error::{ApiJson, ApiPath, AppError};
use crate::{AppState, clock, notices};
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post, put};
use ow_shared::console::CaseDetail;
use ow_shared::notice::{NOTICE_PREFIX_CHARS, NoticePrefix, NoticeView, RecordDelivery};
use ow_shared::staff::Role;
use ow_shared::validate::check_length;

/// The notices' routes of the console.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/console/cases/{id}/notices", get(list))
        .route("/api/v1/console/cases/{id}/notices/delivery", post(record_delivery))
        .route("/api/v1/console/units/{id}/notice-prefix", put(set_prefix))
}

/// Sets a unit's own prefix in its notices' numbers (文号), e.g. `桃综治告`; empty goes
/// back to the default (the county centre: `--notice-prefix`; other units: their name).
/// Administrators. Issued notices keep their numbers.
#[utoipa::path(put, path = "/api/v1/console/units/{id}/notice-prefix", tag = "console", request_body = NoticePrefix,
    params(("id" = i64, Path), ("X-CSRF-Token" = String, Header, description = "the session's csrf_token")),
    responses((status = 200, body = NoticePrefix),
              (status = 401, body = ow_shared::ApiError, description = "NOT_SIGNED_IN"),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: administrators only, or CSRF_FAILED"),
              (status = 404, body = ow_shared::ApiError, description = "no such unit"),
              (status = 422, body = ow_shared::ApiError, description = "VALIDATION_FAILED: TOO_LONG, INVALID_CHARACTERS")))]
pub async fn set_prefix(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<NoticePrefix>,
) -> Result<ApiJson<NoticePrefix>, AppError> {
    staff.require(Role::ADMINS)?;
    let prefix = req.prefix.trim().to_string();
    if let Some(problem) = check_length("prefix", &prefix, NOTICE_PREFIX_CHARS) {
        return Err(AppError::Validation(vec![problem]));
    }
    let stored = prefix.clone();
    state.db.write(move |conn| notices::set_prefix(conn, id, &stored)).await?;
    tracing::info!(unit = id, by = staff.id, "notice prefix set");
    Ok(ApiJson(NoticePrefix { prefix }))
}

/// The case's written notices, oldest first, each with its number and delivery (送达).
#[utoipa::path(get, path = "/api/v1/console/cases/{id}/notices", tag = "console", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<NoticeView>), (status = 401, body = ow_shared::ApiError, description = "NOT_SIGNED_IN"),
              (status = 404, body = ow_shared::ApiError, description = "no such case, or not the officer's department")))]
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<Vec<NoticeView>>, AppError> {
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let list = state
        .db
        .read(move |conn| notices::list(conn, &Act { case_id: id, now_ms, calendar: &calendar }, &staff))
        .await?;
    Ok(ApiJson(list))
}

/// Records how (当面/邮寄/短信链接/其他) and on which day the case's latest notice of a
/// kind reached the resident, as an event. Centre staff. The review (复查) window of a
/// 处理意见书 runs from this day. Answers the case.
#[utoipa::path(post, path = "/api/v1/console/cases/{id}/notices/delivery", tag = "console", request_body = RecordDelivery,
    params(("id" = i64, Path)),
    responses((status = 200, body = CaseDetail),
              (status = 401, body = ow_shared::ApiError, description = "NOT_SIGNED_IN"),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: centre staff only, or CSRF_FAILED"),
              (status = 404, body = ow_shared::ApiError, description = "no such case, or no notice of that kind issued"),
              (status = 422, body = ow_shared::ApiError, description = "VALIDATION_FAILED: unknown way (via), DATE_INVALID (or before the notice), DATE_IN_FUTURE")))]
pub async fn record_delivery(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<RecordDelivery>,
) -> Result<ApiJson<CaseDetail>, AppError> {
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let detail = state
        .db
        .write(move |conn| {
            let act = Act { case_id: id, now_ms, calendar: &calendar };
            notices::record_delivery(conn, &act, &staff, &req)?;
            casework::view(conn, &act, &staff)
        })
        .await?;
    Ok(ApiJson(detail))
}
