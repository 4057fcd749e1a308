//! `POST /api/v1/cases`: a resident submits a request (我要反映).

use crate::error::{ApiJson, AppError};
use crate::intake::{self, Submission};
use crate::{AppState, clock};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Router, extract::State, routing::post};
use ow_shared::dto::{Receipt, SubmitCaseRequest};
use ow_shared::validate::{check_region, validate_submission};

/// The cases route.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/cases", post(submit))
}

/// Takes in a request. Acknowledged only once durable; a retry with the same
/// `Idempotency-Key` and body returns the same receipt instead of a second case.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = SubmitCaseRequest,
    params(("Idempotency-Key" = String, Header, description = "generated with the draft; reuse it for retries")),
    responses((status = 201, body = Receipt, description = "created, or replayed (header Idempotent-Replayed: true)"),
              (status = 409, body = ow_shared::ApiError, description = "IDEMPOTENCY_KEY_REUSED"),
              (status = 422, body = ow_shared::ApiError, description = "VALIDATION_FAILED with fields")))]
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SubmitCaseRequest>,
) -> Result<Response, AppError> {
    let key = intake::check_idempotency_key(headers.get("idempotency-key").and_then(|v| v.to_str().ok()))?;
    let now_ms = clock::now_ms();
    let request = validated(&state, request, now_ms).await?;
    let calendar = state.calendar().await?;
    let submission = Submission { idempotency_key: key, request, now_ms, calendar, walk_in: None };
    let submitted = state.db.write(move |conn| intake::submit(conn, &submission)).await?;
    let mut response = (StatusCode::CREATED, submitted.receipt_json).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if submitted.replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// Runs the shared validation and the place check, reporting every problem at once.
pub async fn validated(
    state: &AppState,
    request: SubmitCaseRequest,
    now_ms: i64,
) -> Result<SubmitCaseRequest, AppError> {
    let today = clock::format_date(clock::date_of(now_ms));
    let places = state.places().await?;
    let region_error = check_region(&request, &places.townships);
    match (validate_submission(&request, &today), region_error) {
        (Ok(valid), None) => Ok(valid),
        (Ok(_), Some(e)) => Err(AppError::Validation(vec![e])),
        (Err(mut errors), region_error) => {
            errors.extend(region_error);
            Err(AppError::Validation(errors))
        }
    }
}
