//! `POST /api/v1/cases`: a resident submits a request (我要反映).

use super::idempotent;
use crate::db::cases::WalkIn;
use crate::error::{ApiJson, AppError};
use crate::intake::{self, Submission};
use crate::{AppState, clock};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Router, extract::State, routing::post};
use ow_shared::FieldError;
use ow_shared::dto::{Receipt, SubmitCaseRequest};
use ow_shared::validate::{PhoneRule, check_region, validate_submission_with};
use ow_shared::workflow::Channel;

/// The cases route.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/cases", post(submit))
}

/// Takes in a request. Acknowledged only once durable; a retry with the same
/// `Idempotency-Key` and body returns the same receipt instead of a second case.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = SubmitCaseRequest,
    params(("Idempotency-Key" = String, Header, description = "generated with the draft; reuse it for retries")),
    responses((status = 201, body = Receipt, description = "created, or replayed (header Idempotent-Replayed: true)"),
              (status = 409, body = ow_shared::ApiError, description = "IDEMPOTENCY_KEY_REUSED"),
              (status = 422, body = ow_shared::ApiError, description = "VALIDATION_FAILED with fields")))]
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SubmitCaseRequest>,
) -> Result<Response, AppError> {
    let key = idempotent::key(&headers)?;
    let now_ms = clock::now_ms();
    // Online, a mobile is required: the resident is reached by it.
    let (grid, village) = (request.grid_id, request.village_id);
    let request = validated(&state, request, now_ms, PhoneRule::Mobile, Vec::new()).await?;
    let grid_id = linked_grid(&state, grid, village).await?;
    take_in(&state, key, request, now_ms, None, grid_id).await
}

/// The grid named by the link from its page, if it is a grid of the village the request
/// is about. Otherwise it is dropped, not refused: the resident may have picked another
/// village after following the link, and an old or edited link is no reason to turn a
/// request away — the case then has no grid, as before, and staff can still see its place.
async fn linked_grid(state: &AppState, grid: Option<i64>, village: Option<i64>) -> Result<Option<i64>, AppError> {
    let Some(grid) = grid else { return Ok(None) };
    let place = state.db.read(move |conn| crate::db::units::grid_village(conn, grid)).await?;
    Ok(place.filter(|(grid_village, _)| Some(*grid_village) == village).map(|_| grid))
}

/// Runs the shared validation and the place check, reporting every problem at once,
/// with `more` found by the caller (a walk-in's own fields) after them.
pub async fn validated(
    state: &AppState,
    request: SubmitCaseRequest,
    now_ms: i64,
    phone: PhoneRule<'_>,
    more: Vec<FieldError>,
) -> Result<SubmitCaseRequest, AppError> {
    let today = clock::format_date(clock::date_of(now_ms));
    let places = state.places().await?;
    let (valid, mut errors) = match validate_submission_with(&request, &today, phone) {
        Ok(valid) => (Some(valid), Vec::new()),
        Err(errors) => (None, errors),
    };
    errors.extend(check_region(&request, &places.townships));
    errors.extend(more);
    match valid {
        Some(valid) if errors.is_empty() => Ok(valid),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Stores a validated case (or answers the stored receipt of a retry) and answers 201.
pub async fn take_in(
    state: &AppState,
    key: String,
    request: SubmitCaseRequest,
    now_ms: i64,
    walk_in: Option<WalkIn>,
    grid_id: Option<i64>,
) -> Result<Response, AppError> {
    let calendar = state.calendar().await?;
    let channel = walk_in.as_ref().map_or(Channel::Online, |w| w.channel);
    let submission = Submission {
        idempotency_key: key,
        request,
        now_ms,
        calendar,
        walk_in,
        intake_level: state.intake_level,
        grid_id,
        channel,
    };
    let bytes = submission.text_bytes();
    let submitted = state.db.write_sized(bytes, move |conn| intake::submit(conn, &submission)).await?;
    Ok(idempotent::created(submitted.receipt_json, submitted.replayed))
}
