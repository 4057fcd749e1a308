//! `GET /api/v1/health`: for monitors and for start-up scripts.

use crate::AppState;
use axum::{Json, Router, routing::get};

/// The health route.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/health", get(health))
}

/// Says the server is up.
#[utoipa::path(get, path = "/api/v1/health", tag = "system", responses((status = 200, description = "up")))]
pub async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}
