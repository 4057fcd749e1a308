//! The OpenAPI 3 document of the API, generated from the handlers' annotations.

use crate::AppState;
use crate::routes::{cases, health, qr, regions, track, uploads};
use axum::{Json, Router, routing::get};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "OneWindow 一窗通办 API", version = "1", description = "Residents' requests, tracking and places."),
    paths(health::health, regions::list, uploads::upload, cases::submit, track::track, qr::track_qr),
    components(schemas(ow_shared::ErrorCode, ow_shared::FieldError, ow_shared::ApiError))
)]
struct ApiDoc;

/// The OpenAPI document as a value (also used by tests).
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Serves `/api/v1/openapi.json`.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(|| async { Json(document()) }))
}
