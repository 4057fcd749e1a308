//! The OpenAPI 3 document of the API, generated from the handlers' annotations.

use crate::AppState;
use crate::routes::console::{cases as console_cases, holidays, session, staff_accounts};
use crate::routes::{cases, health, qr, regions, track, uploads};
use axum::{Json, Router, routing::get};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "OneWindow 一窗通办 API",
        version = "1",
        description = "Residents' requests, tracking and places; the staff console's workflow."
    ),
    paths(
        health::health,
        regions::list,
        uploads::upload,
        cases::submit,
        track::track,
        track::act,
        qr::track_qr,
        console_cases::list,
        console_cases::show,
        console_cases::act,
        console_cases::register_walk_in,
        console_cases::repeats,
        holidays::list,
        holidays::set,
        holidays::remove,
        session::sign_in,
        session::current,
        session::sign_out,
        session::demo_accounts,
        staff_accounts::list,
        staff_accounts::create,
        staff_accounts::deactivate,
        staff_accounts::reset_password,
        staff_accounts::departments
    ),
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
