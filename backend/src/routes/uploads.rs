//! `POST /api/v1/uploads`: a photo for a request, checked by its content.

use crate::error::{ApiJson, AppError};
use crate::{AppState, clock, db, photos};
use axum::body::{Body, to_bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, StatusCode, header};
use axum::{Router, extract::State, routing::post};
use ow_shared::ErrorCode;
use ow_shared::dto::UploadResponse;
use ow_shared::validate::limits::MAX_PHOTO_BYTES;
use std::net::SocketAddr;

/// The uploads route.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/uploads", post(upload))
}

/// When the photos not yet part of a case fill their bound, come back in ten minutes
/// (they are attached to cases or swept meanwhile).
const PENDING_FULL_RETRY_AFTER_S: u64 = 600;

/// Stores one photo (the raw bytes are the body) and returns its id.
#[utoipa::path(post, path = "/api/v1/uploads", tag = "cases",
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "JPEG, PNG or WebP, at most 5 MB"),
    responses((status = 201, body = UploadResponse), (status = 413, body = ow_shared::ApiError),
              (status = 415, body = ow_shared::ApiError)))]
pub async fn upload(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, ApiJson<UploadResponse>), AppError> {
    // Each upload in flight holds up to 5 MB: past the cap, come back shortly.
    let _receiving = state.uploads.clone().try_acquire_owned().map_err(|_| AppError::Unavailable(5))?;
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_PHOTO_BYTES) {
        return Err(ErrorCode::PhotoTooLarge.into());
    }
    // What can be refused on the headers is, before a byte of the body is read: a flood
    // past these limits then costs its sender, not the server, the megabytes.
    let ip = state.client_ip(peer, &headers);
    if let Some(len) = declared {
        state.rate_limits.check_upload_bytes(ip, len as usize)?;
    }
    let pending_cap = state.pending_uploads_bytes;
    let pending = state.db.read(db::uploads::pending_bytes).await?;
    if pending.saturating_add(declared.unwrap_or(1)) > pending_cap {
        return Err(AppError::Unavailable(PENDING_FULL_RETRY_AFTER_S));
    }
    // One byte over the limit is enough to know it is too large.
    let data = to_bytes(body, MAX_PHOTO_BYTES as usize + 1).await.map_err(|_| ErrorCode::PhotoTooLarge)?;
    let mut photo = photos::check(&data)?;
    if declared.is_none() {
        state.rate_limits.check_upload_bytes(ip, data.len())?;
    }
    let data = photos::strip_metadata(&photo.kind, data.to_vec())?;
    photo.bytes = data.len() as u64;
    let stored = photo.clone();
    let now = clock::now_ms();
    state
        .db
        .write_sized(data.len(), move |conn| {
            // Photos not yet part of a case are bounded in total, whoever sends them
            // (checked again here, where no other upload can slip in between).
            if db::uploads::pending_bytes(conn)? + stored.bytes > pending_cap {
                return Err(AppError::Unavailable(PENDING_FULL_RETRY_AFTER_S));
            }
            db::uploads::insert(conn, &stored, &data, now)
        })
        .await?;
    Ok((StatusCode::CREATED, ApiJson(photo)))
}
