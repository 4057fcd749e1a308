//! The OpenAPI 3 document of the API, generated from the handlers' annotations.

use crate::AppState;
use crate::limits;
use crate::routes::console::grids as console_grids;
use crate::routes::console::{
    bookings as console_bookings, cases as console_cases, exports as console_exports, field, figures, holidays,
    legal_aid, materials as console_materials, messages as console_messages, notices as console_notices, screening,
    session, staff_accounts, units,
};
use crate::routes::grids;
use crate::routes::{booking, cases, health, qr, regions, track, uploads};
use axum::http::Method;
use axum::{Json, Router, routing::get};
use utoipa::openapi::{ContentBuilder, Ref, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "OneWindow 一窗通办 API",
        version = "1",
        description = "Residents' requests, tracking and places; the staff console's workflow."
    ),
    paths(
        health::health,
        health::ready,
        regions::list,
        uploads::upload,
        cases::submit,
        track::track,
        track::act,
        track::supply_materials,
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
        console_bookings::cancel,
        console_bookings::show_schedule,
        console_bookings::save_schedule,
        legal_aid::open,
        legal_aid::show,
        legal_aid::decide,
        legal_aid::assign,
        legal_aid::request_materials,
        legal_aid::materials_received,
        console_cases::list,
        console_cases::show,
        console_cases::act,
        console_cases::register_walk_in,
        console_cases::repeats,
        console_cases::reveal_contact,
        console_cases::reissue_query_code,
        console_messages::list,
        console_messages::resend,
        console_materials::list,
        console_materials::request,
        console_notices::list,
        console_notices::record_delivery,
        console_notices::set_prefix,
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
        console_grids::update,
        units::list,
        units::hand_over_targets,
        units::update,
        units::import,
        units::export,
        field::report,
        screening::record_round,
        screening::rounds,
        screening::risks,
        screening::update_risk,
        figures::report,
        console_exports::figures_xlsx,
        console_exports::cases_xlsx
    ),
    components(schemas(ow_shared::ErrorCode, ow_shared::FieldError, ow_shared::ApiError)),
    modifiers(&LimitResponses)
)]
struct ApiDoc;

/// The answers the limits add to routes (see `limits`), written from the same table the
/// rate-limit layer uses, so that the document cannot miss one.
struct LimitResponses;

impl Modify for LimitResponses {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let operations = [
                (Method::GET, item.get.as_mut()),
                (Method::POST, item.post.as_mut()),
                (Method::PUT, item.put.as_mut()),
                (Method::DELETE, item.delete.as_mut()),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                let mut add = |status: &str, description: &str| {
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| error(description).into());
                };
                add(
                    "503",
                    "UNAVAILABLE: at capacity (uploads in flight, photo bytes a second, photos pending, the writer's queue) or too slow; \
                     STORAGE_FULL: the disk or the database size limit is full, nothing saved; with Retry-After",
                );
                if method != Method::GET {
                    add("413", "PAYLOAD_TOO_LARGE: the body is larger than the route takes");
                }
                if limits::kind_of(&method, path).is_some() {
                    add("429", "RATE_LIMITED: too many requests from this address; with Retry-After");
                }
            }
        }
    }
}

/// A response whose body is an `ApiError`.
fn error(description: &str) -> Response {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiError"))).build();
    ResponseBuilder::new().description(description).content("application/json", content).build()
}

/// The OpenAPI document as a value (also used by tests).
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Serves `/api/v1/openapi.json`.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(|| async { Json(document()) }))
}
