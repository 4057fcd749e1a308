//! `POST /api/v1/track`: a resident follows a case (查进度). POST keeps the query code
//! out of URLs, logs and browser history.

use crate::error::{ApiJson, AppError};
use crate::{AppState, tracking};
use axum::extract::{ConnectInfo, State};
use axum::{Router, routing::post};
use ow_shared::ErrorCode;
use ow_shared::dto::{TrackRequest, TrackResponse};
use ow_shared::validate::normalize_tracking_no;
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
    ApiJson(request): ApiJson<TrackRequest>,
) -> Result<ApiJson<TrackResponse>, AppError> {
    let tracking_no = normalize_tracking_no(&request.tracking_no).unwrap_or_default();
    state.attempts.check(&tracking_no, peer.ip())?;
    let (no, code) = (tracking_no.clone(), request.query_code.trim().to_string());
    match state.db.read(move |conn| tracking::lookup(conn, &no, &code)).await? {
        Some(found) => {
            state.attempts.record_success(&tracking_no);
            Ok(ApiJson(found))
        }
        None => {
            state.attempts.record_failure(&tracking_no, peer.ip());
            Err(ErrorCode::TrackNotFound.into())
        }
    }
}
