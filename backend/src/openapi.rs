//! The OpenAPI 3 document of the API, generated from the handlers' annotations.

use crate::AppState;
use crate::routes::console::grids as console_grids;
use crate::routes::console::{
    bookings as console_bookings, cases as console_cases, holidays, legal_aid, session, staff_accounts,
};
use crate::routes::grids;
use crate::routes::{booking, cases, health, qr, regions, track, uploads};
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
        qr::booking_qr,
        booking::services,
        booking::settings,
        booking::places,
        booking::days,
        booking::slots,
        booking::book,
        booking::lookup,
        booking::cancel,
        booking::reschedule,
        console_bookings::day,
        console_bookings::walk_in,
        console_bookings::check_in,
        console_bookings::no_show,
        console_bookings::show_schedule,
        console_bookings::save_schedule,
        legal_aid::open,
        legal_aid::show,
        legal_aid::decide,
        legal_aid::assign,
        console_cases::list,
        console_cases::show,
        console_cases::act,
        console_cases::register_walk_in,
        console_cases::repeats,
        console_cases::reveal_contact,
        console_cases::reissue_query_code,
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
        staff_accounts::departments,
        grids::list,
        grids::search,
        grids::locate,
        grids::show,
        qr::grid_qr,
        console_grids::import_boundaries,
        console_grids::import_people,
        console_grids::export_boundaries,
        console_grids::export_people,
        console_grids::update
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
