//! `POST /api/v1/track`: a resident follows a case (查进度). POST keeps the query code
//! out of URLs, logs and browser history.

use crate::error::{ApiJson, AppError};
use crate::{AppState, casework, clock, tracking};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::{Router, routing::post};
use ow_shared::dto::{TrackActRequest, TrackRequest, TrackResponse};
use ow_shared::materials::SupplyMaterials;
use ow_shared::validate::{normalize_digits, normalize_tracking_no};
use ow_shared::{ErrorCode, FieldError};
use std::net::{IpAddr, SocketAddr};

/// The tracking route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/track", post(track))
        .route("/api/v1/track/act", post(act))
        .route("/api/v1/track/materials", post(supply_materials))
}

/// The tracking number as stored, or 422 before anything is counted: a malformed
/// number matches no case, and the guess counts are kept for real numbers only.
fn well_formed(typed: &str) -> Result<String, AppError> {
    normalize_tracking_no(typed)
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("tracking_no", ErrorCode::TrackNotFound)]))
}

/// Proves a case is the resident's by its number and query code, under the guess limits
/// (the one way every resident route checks a code): a malformed number is refused before
/// anything is counted, and a wrong code answers as an unknown number does. Answers the
/// number as stored and the case's id.
pub async fn resident_case(
    state: &AppState,
    client: IpAddr,
    typed_no: &str,
    typed_code: &str,
) -> Result<(String, i64), AppError> {
    let tracking_no = well_formed(typed_no)?;
    state.attempts.begin(&tracking_no, client)?;
    let (no, code) = (tracking_no.clone(), normalize_digits(typed_code));
    let case_id = state.db.read(move |conn| tracking::authenticate(conn, &no, &code)).await?;
    let case_id = case_id.ok_or(AppError::Client(ErrorCode::TrackNotFound))?;
    state.attempts.succeeded(&tracking_no, client);
    Ok((tracking_no, case_id))
}

/// The status and public timeline of a case.
#[utoipa::path(post, path = "/api/v1/track", tag = "cases", request_body = TrackRequest,
    responses((status = 200, body = TrackResponse),
              (status = 404, body = ow_shared::ApiError, description = "TRACK_NOT_FOUND: unknown number or wrong code"),
              (status = 422, body = ow_shared::ApiError, description = "VALIDATION_FAILED: not a tracking number (not counted)"),
              (status = 429, body = ow_shared::ApiError, description = "TOO_MANY_ATTEMPTS or RATE_LIMITED, with Retry-After")))]
pub async fn track(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<TrackRequest>,
) -> Result<ApiJson<TrackResponse>, AppError> {
    let client = state.client_ip(peer, &headers);
    let tracking_no = well_formed(&request.tracking_no)?;
    state.attempts.begin(&tracking_no, client)?;
    let (no, code) = (tracking_no.clone(), normalize_digits(&request.query_code));
    let calendar = state.calendar().await?;
    let today = clock::date_of(clock::now_ms());
    let found = state.db.read(move |conn| tracking::lookup(conn, &no, &code, &calendar, today)).await?;
    let found = found.ok_or(AppError::Client(ErrorCode::TrackNotFound))?;
    state.attempts.succeeded(&tracking_no, client);
    Ok(ApiJson(found))
}

/// The resident rates the reply or asks for a review (复查), proving the case is
/// theirs with the query code; answers the updated view.
#[utoipa::path(post, path = "/api/v1/track/act", tag = "cases", request_body = TrackActRequest,
    responses((status = 200, body = TrackResponse),
              (status = 404, body = ow_shared::ApiError, description = "TRACK_NOT_FOUND: unknown number or wrong code"),
              (status = 409, body = ow_shared::ApiError, description = "TRANSITION_NOT_ALLOWED or REVIEW_WINDOW_CLOSED"),
              (status = 422, body = ow_shared::ApiError, description = "VALIDATION_FAILED: not a tracking number (not counted)"),
              (status = 429, body = ow_shared::ApiError, description = "TOO_MANY_ATTEMPTS or RATE_LIMITED, with Retry-After"),
              (status = 503, body = ow_shared::ApiError, description = "UNAVAILABLE: the server is at capacity, with Retry-After")))]
pub async fn act(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<TrackActRequest>,
) -> Result<ApiJson<TrackResponse>, AppError> {
    let client = state.client_ip(peer, &headers);
    let (tracking_no, case_id) = resident_case(&state, client, &request.tracking_no, &request.query_code).await?;
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let action = request.action();
    let no = tracking_no.clone();
    let view = state
        .db
        .write(move |conn| {
            let act = casework::Act { case_id, now_ms, calendar: &calendar };
            casework::act_as_resident(conn, &act, &action)?;
            tracking::public_view(conn, &no, &calendar, clock::date_of(now_ms))
        })
        .await?;
    Ok(ApiJson(view.ok_or(AppError::Client(ErrorCode::TrackNotFound))?))
}

/// 补正: the resident sends the materials asked for (photos from `POST /api/v1/uploads`
/// and a note), proving the case is theirs with the query code; answers the updated view.
#[utoipa::path(post, path = "/api/v1/track/materials", tag = "cases", request_body = SupplyMaterials,
    responses((status = 200, body = TrackResponse),
              (status = 404, body = ow_shared::ApiError, description = "TRACK_NOT_FOUND: unknown number or wrong code"),
              (status = 409, body = ow_shared::ApiError, description = "MATERIALS_NOT_REQUESTED: nothing is asked for"),
              (status = 422, body = ow_shared::ApiError, description = "VALIDATION_FAILED: no photo and no note, too many, PHOTO_UNKNOWN"),
              (status = 429, body = ow_shared::ApiError, description = "TOO_MANY_ATTEMPTS or RATE_LIMITED, with Retry-After")))]
pub async fn supply_materials(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SupplyMaterials>,
) -> Result<ApiJson<TrackResponse>, AppError> {
    let client = state.client_ip(peer, &headers);
    let (tracking_no, case_id) = resident_case(&state, client, &request.tracking_no, &request.query_code).await?;
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let view = state
        .db
        .write(move |conn| {
            let act = casework::Act { case_id, now_ms, calendar: &calendar };
            crate::materials::supply(conn, &act, &request)?;
            tracking::public_view(conn, &tracking_no, &calendar, clock::date_of(now_ms))
        })
        .await?;
    Ok(ApiJson(view.ok_or(AppError::Client(ErrorCode::TrackNotFound))?))
}
