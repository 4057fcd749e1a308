//! `/api/v1/console/cases/{id}/notices/delivery`: 送达 of a written notice.

use crate::auth::Staff;
use crate::casework::{self, Act};
use crate::error::{ApiJson, ApiPath, AppError};
use crate::{AppState, clock, notices};
use axum::Router;
use axum::extract::State;
use axum::routing::post;
use ow_shared::console::CaseDetail;
use ow_shared::notice::RecordDelivery;

/// The notices' routes of the console.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/console/cases/{id}/notices/delivery", post(record_delivery))
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
