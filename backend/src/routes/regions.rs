//! `GET /api/v1/regions`: the townships and villages a request can be about.

use crate::AppState;
use crate::error::{ApiJson, AppError};
use axum::{Router, extract::State, routing::get};
use ow_shared::dto::RegionsResponse;

/// The regions route.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/regions", get(list))
}

/// Lists the county's townships with their villages and communities.
#[utoipa::path(get, path = "/api/v1/regions", tag = "places", responses((status = 200, body = RegionsResponse)))]
pub async fn list(State(state): State<AppState>) -> Result<ApiJson<RegionsResponse>, AppError> {
    Ok(ApiJson(state.places().await?.as_ref().clone()))
}
