//! `/api/v1/console/bookings/{id}/legal-aid` and `/api/v1/console/legal-aid/{id}*`: a
//! legal-aid application taken at an appointment, decided within 7 days, a lawyer within
//! 3 days of approval, refusals in writing with reasons (法律援助法 Art.43–44).

use crate::auth::Staff;
use crate::booking::legal_aid::{self, Act};
use crate::error::{ApiJson, ApiPath, AppError};
use crate::{AppState, clock};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use ow_shared::ApiError;
use ow_shared::booking::{
    AssignLawyer, LegalAidCase, LegalAidDecision, OpenLegalAid, check_decision, legal_aid_limits,
};
use ow_shared::staff::Role;
use ow_shared::validate::check_length;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/console/bookings/{id}/legal-aid", post(open))
        .route("/api/v1/console/legal-aid/{id}", get(show))
        .route("/api/v1/console/legal-aid/{id}/decide", post(decide))
        .route("/api/v1/console/legal-aid/{id}/assign", post(assign))
        .route("/api/v1/console/legal-aid/{id}/materials", post(request_materials))
        .route("/api/v1/console/legal-aid/{id}/materials/received", post(materials_received))
}

/// Runs a change of an application on the writer with the holiday calendar.
async fn write<F>(state: &AppState, staff: &Staff, f: F) -> Result<LegalAidCase, AppError>
where
    F: FnOnce(&rusqlite::Connection, &Act) -> Result<LegalAidCase, AppError> + Send + 'static,
{
    staff.require(Role::CENTRE)?;
    let calendar = state.calendar().await?;
    let (staff_id, now_ms) = (staff.id, clock::now_ms());
    state.db.write(move |conn| f(conn, &Act { staff_id, now_ms, calendar: &calendar })).await
}

/// Opens the application of the booking's applicant (checking them in); the decision
/// is due in 7 days.
#[utoipa::path(post, path = "/api/v1/console/bookings/{id}/legal-aid", tag = "console", request_body = OpenLegalAid,
    params(("id" = i64, Path, description = "the booking")),
    responses((status = 201, body = LegalAidCase), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "TRANSITION_NOT_ALLOWED: already opened, or cancelled")))]
pub async fn open(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<OpenLegalAid>,
) -> Result<(StatusCode, ApiJson<LegalAidCase>), AppError> {
    if let Some(error) = check_length("note", &request.note, (0, legal_aid_limits::NOTE_MAX)) {
        return Err(AppError::Validation(vec![error]));
    }
    let case = write(&state, &staff, move |conn, act| legal_aid::open(conn, id, &request, act)).await?;
    Ok((StatusCode::CREATED, ApiJson(case)))
}

/// An application with its clocks.
#[utoipa::path(get, path = "/api/v1/console/legal-aid/{id}", tag = "console",
    params(("id" = i64, Path)),
    responses((status = 200, body = LegalAidCase), (status = 404, body = ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<LegalAidCase>, AppError> {
    staff.require(Role::CENTRE)?;
    let now_ms = clock::now_ms();
    Ok(ApiJson(state.db.read(move |conn| legal_aid::view(conn, id, now_ms)).await?))
}

/// Approves (a lawyer due in 3 days) or refuses with written reasons; either issues its
/// numbered decision (`/console/notice?legal_aid={id}&kind=legal_aid_granted|legal_aid_refused`).
#[utoipa::path(post, path = "/api/v1/console/legal-aid/{id}/decide", tag = "console", request_body = LegalAidDecision,
    params(("id" = i64, Path)),
    responses((status = 200, body = LegalAidCase), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "TRANSITION_NOT_ALLOWED: already decided"),
              (status = 422, body = ApiError, description = "a refusal without reasons")))]
pub async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(decision): ApiJson<LegalAidDecision>,
) -> Result<ApiJson<LegalAidCase>, AppError> {
    check_decision(&decision).map_err(AppError::Validation)?;
    let notices = state.notices.clone();
    let case = write(&state, &staff, move |conn, act| {
        let case = legal_aid::decide(conn, id, &decision, act)?;
        // The decision in writing (给予/不予法律援助决定书), in the same transaction.
        crate::notices::issue_legal_aid_decision(conn, &case, &decision, act.now_ms, &notices)?;
        Ok(case)
    })
    .await?;
    Ok(ApiJson(case))
}

/// Records the assigned lawyer: after approval, or before it for an urgent matter (Art.44).
#[utoipa::path(post, path = "/api/v1/console/legal-aid/{id}/assign", tag = "console", request_body = AssignLawyer,
    params(("id" = i64, Path)),
    responses((status = 200, body = LegalAidCase), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "TRANSITION_NOT_ALLOWED: not approved and not urgent"),
              (status = 422, body = ApiError)))]
pub async fn assign(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<AssignLawyer>,
) -> Result<ApiJson<LegalAidCase>, AppError> {
    if let Some(error) = check_length("lawyer", &request.lawyer, legal_aid_limits::LAWYER) {
        return Err(AppError::Validation(vec![error]));
    }
    Ok(ApiJson(write(&state, &staff, move |conn, act| legal_aid::assign(conn, id, &request.lawyer, act)).await?))
}

/// 补正 (Art.43): asks for everything missing at once, by a date within 30 days; the
/// applicant is texted; the decision clock pauses until the materials arrive.
#[utoipa::path(post, path = "/api/v1/console/legal-aid/{id}/materials", tag = "console",
    request_body = ow_shared::materials::RequestMaterials, params(("id" = i64, Path)),
    responses((status = 200, body = LegalAidCase), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "MATERIALS_NOT_REQUESTABLE: decided, or materials already awaited"),
              (status = 422, body = ApiError, description = "VALIDATION_FAILED: no items, too many or too long, DUE_DATE_INVALID")))]
pub async fn request_materials(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<ow_shared::materials::RequestMaterials>,
) -> Result<ApiJson<LegalAidCase>, AppError> {
    Ok(ApiJson(write(&state, &staff, move |conn, act| legal_aid::request_materials(conn, id, &request, act)).await?))
}

/// The materials arrived: the decision clock resumes, its due date moved by the days
/// it was paused.
#[utoipa::path(post, path = "/api/v1/console/legal-aid/{id}/materials/received", tag = "console",
    params(("id" = i64, Path)),
    responses((status = 200, body = LegalAidCase), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "MATERIALS_NOT_REQUESTED: no materials are awaited; TRANSITION_NOT_ALLOWED: withdrawn by silence (Art.43)")))]
pub async fn materials_received(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<LegalAidCase>, AppError> {
    Ok(ApiJson(write(&state, &staff, move |conn, act| legal_aid::materials_received(conn, id, act)).await?))
}
