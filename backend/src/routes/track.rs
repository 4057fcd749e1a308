//! `POST /api/v1/track`: a resident follows a case (查进度). POST keeps the query code
//! out of URLs, logs and browser history.

use crate::error::{ApiJson, AppError};
use crate::{AppState, tracking};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::{Router, routing::post};
use ow_shared::ErrorCode;
use ow_shared::dto::{TrackRequest, TrackResponse};
use ow_shared::validate::{normalize_digits, normalize_tracking_no};
use std::net::SocketAddr;

/// The tracking route.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/track", post(track))
}

/// The status and public timeline of a case.
#[utoipa::path(post, path = "/api/v1/track", tag = "cases", request_body = TrackRequest,
    responses((status = 200, body = TrackResponse),
              (status = 404, body = ow_shared::ApiError, description = "TRACK_NOT_FOUND: unknown number or wrong code"),
              (status = 429, body = ow_shared::ApiError, description = "TOO_MANY_ATTEMPTS, with Retry-After")))]
pub async fn track(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<TrackRequest>,
) -> Result<ApiJson<TrackResponse>, AppError> {
    let client = state.client_ip(peer, &headers);
    // A malformed number cannot match any case; it is still counted, under what was typed.
    let tracking_no = normalize_tracking_no(&request.tracking_no).unwrap_or_else(|| request.tracking_no.clone());
    state.attempts.begin(&tracking_no, client)?;
    let (no, code) = (tracking_no.clone(), normalize_digits(&request.query_code));
    let found = state.db.read(move |conn| tracking::lookup(conn, &no, &code)).await?;
    let found = found.ok_or(AppError::Client(ErrorCode::TrackNotFound))?;
    state.attempts.succeeded(&tracking_no, client);
    Ok(ApiJson(found))
}
