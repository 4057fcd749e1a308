//! The `/api/v1` routes, one module per resource.

pub mod booking;
pub mod cases;
pub mod console;
pub mod grids;
pub mod health;
pub mod idempotent;
pub mod materials_page;
pub mod monthly_report;
pub mod notice_page;
pub mod open_page;
pub mod qr;
pub mod regions;
pub mod track;
pub mod uploads;

use crate::AppState;
use crate::error::AppError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::any;
use ow_shared::ErrorCode;

/// The largest JSON body taken: a case's 2,000-character description, escaped, fits
/// many times over.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// Every API route; unknown API paths answer a JSON 404 instead of the app's page.
pub fn api() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(regions::router())
        .merge(uploads::router())
        .merge(cases::router())
        .merge(track::router())
        .merge(qr::router())
        .merge(booking::router())
        .merge(grids::router())
        .merge(console::router())
        .merge(notice_page::router())
        .merge(monthly_report::router())
        .merge(open_page::router())
        .merge(crate::openapi::router())
        // A catch-all route, not a fallback: the app's files are the fallback.
        .route("/api/{*rest}", any(|| async { AppError::Client(ErrorCode::NotFound) }))
        // JSON bodies are small forms; the routes that take files set their own limit.
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
}
