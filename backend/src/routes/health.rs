//! `GET /api/v1/health`: for monitors and for start-up scripts; `/health/ready` for
//! load balancers: whether the server can take cases now.

use crate::AppState;
use crate::error::AppError;
use axum::extract::State;
use axum::{Json, Router, routing::get};
use std::time::Duration;

/// The health routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/health", get(health)).route("/api/v1/health/ready", get(ready))
}

/// How long readiness waits for the database and the writer.
const READY_WITHIN: Duration = Duration::from_secs(5);

/// Ready when a database read and a round trip through the writer both succeed in time;
/// otherwise 503 (a dead or stuck writer, a full queue, a database that does not answer).
#[utoipa::path(get, path = "/api/v1/health/ready", tag = "system",
    responses((status = 200, description = "ready: the database reads and the writer answers"),
              (status = 503, body = ow_shared::ApiError, description = "UNAVAILABLE: the database or the writer does not answer")))]
pub async fn ready(State(state): State<AppState>) -> Result<Json<serde_json::Value>, AppError> {
    match tokio::time::timeout(READY_WITHIN, state.db.ready()).await {
        Ok(Ok(())) => Ok(Json(serde_json::json!({ "status": "ready" }))),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "not ready");
            Err(AppError::Unavailable(5))
        }
        Err(_) => {
            tracing::error!("not ready: the database or the writer did not answer in time");
            Err(AppError::Unavailable(5))
        }
    }
}

/// Says the server is up.
#[utoipa::path(get, path = "/api/v1/health", tag = "system", responses((status = 200, description = "up")))]
pub async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}
