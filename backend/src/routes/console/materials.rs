//! `/api/v1/console/cases/{id}/materials`: 补正 — staff ask for everything missing at
//! once, and see what came back and when.

use crate::auth::Staff;
use crate::casework::{self, Act};
use crate::error::{ApiJson, ApiPath, AppError};
use crate::routes::qr::site_url;
use crate::{AppState, clock, materials};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use ow_shared::console::CaseDetail;
use ow_shared::materials::{MaterialRequestView, RequestMaterials};

/// The 补正 routes of the console.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/console/cases/{id}/materials", get(list).post(request))
}

/// Every 补正 request of the case, oldest first, with the answer and its photos.
#[utoipa::path(get, path = "/api/v1/console/cases/{id}/materials", tag = "console", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MaterialRequestView>), (status = 401, body = ow_shared::ApiError),
              (status = 404, body = ow_shared::ApiError, description = "no such case, or not the officer's department")))]
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<Vec<MaterialRequestView>>, AppError> {
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let list = state
        .db
        .read(move |conn| materials::list(conn, &Act { case_id: id, now_ms, calendar: &calendar }, &staff))
        .await?;
    Ok(ApiJson(list))
}

/// 一次性告知: asks the resident for every missing item at once, by a date (within 30
/// days); recorded as an event the resident sees on 查进度, and texted with the upload
/// page's link. Centre staff; one open request at a time. Answers the case.
#[utoipa::path(post, path = "/api/v1/console/cases/{id}/materials", tag = "console", request_body = RequestMaterials,
    params(("id" = i64, Path)),
    responses((status = 200, body = CaseDetail),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: centre staff only"),
              (status = 404, body = ow_shared::ApiError),
              (status = 409, body = ow_shared::ApiError, description = "MATERIALS_NOT_REQUESTABLE: the case is not being handled, or a request is open"),
              (status = 422, body = ow_shared::ApiError, description = "VALIDATION_FAILED: no items, too many or too long, DUE_DATE_INVALID")))]
pub async fn request(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<RequestMaterials>,
) -> Result<ApiJson<CaseDetail>, AppError> {
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let site = site_url(&state, &headers);
    let detail = state
        .db
        .write(move |conn| {
            let act = Act { case_id: id, now_ms, calendar: &calendar };
            materials::request(conn, &act, &staff, &req, &site)?;
            casework::view(conn, &act, &staff)
        })
        .await?;
    Ok(ApiJson(detail))
}
