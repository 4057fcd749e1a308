//! `/api/v1/console/cases…`: the queue, a case, acting on it, walk-in registration,
//! possible repeats and the case's photos.

use crate::auth::Staff;
use crate::casework::{self, Act};
use crate::db::{case_detail, figures as figures_db, queue};
use crate::error::{ApiJson, ApiPath, ApiQuery, AppError};
use crate::routes::cases::{take_in, validated};
use crate::routes::console::figures;
use crate::routes::idempotent;
use crate::{AppState, clock};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ow_shared::ErrorCode;
use ow_shared::console::{
    CaseDetail, ContactView, QueuePage, QueueQuery, ReissueQueryCode, RepeatCandidate, RepeatQuery, WalkInRequest,
    validate_walk_in,
};
use ow_shared::dto::Receipt;
use ow_shared::figures::{FigureId, FigurePart, Period};
use ow_shared::staff::Role;
use ow_shared::validate::{PhoneRule, normalize_contact_phone, normalize_id_number};
use ow_shared::workflow::Action;
use rusqlite::Connection;

/// The case routes of the console.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/console/cases", get(list).post(register_walk_in))
        .route("/api/v1/console/cases/repeats", post(repeats))
        .route("/api/v1/console/cases/{id}", get(show))
        .route("/api/v1/console/cases/{id}/actions", post(act))
        .route("/api/v1/console/cases/{id}/contact", post(reveal_contact))
        .route("/api/v1/console/cases/{id}/query-code", post(reissue_query_code))
        .route("/api/v1/console/photos/{id}", get(photo))
}

pub fn scope(staff: &Staff) -> queue::Scope {
    queue::Scope { role: staff.role, staff_id: staff.id, department_id: staff.department_id, area: staff.area() }
}

/// The figure a queue query names (`figure`, `part`, `from`, `to`), checked before any
/// read: leaders and clerks only, a valid period.
pub fn figure_of(staff: &Staff, query: &QueueQuery) -> Result<Option<(FigureId, FigurePart, Period)>, AppError> {
    let Some(figure) = query.figure else { return Ok(None) };
    staff.require(Role::CENTRE)?;
    let period = figures::period_of(query.from.as_deref(), query.to.as_deref())?;
    Ok(Some((figure, query.part.unwrap_or_default(), period)))
}

/// The cases behind that figure in the asked unit (which the caller must be allowed),
/// as a predicate for the queue.
pub fn behind(
    conn: &Connection,
    staff: &Staff,
    figure: Option<(FigureId, FigurePart, Period)>,
    unit: Option<i64>,
    today: time::Date,
) -> Result<Option<figures_db::Predicate>, AppError> {
    let Some((figure, part, period)) = figure else { return Ok(None) };
    let unit = figures::permitted_unit(conn, staff, unit)?;
    Ok(Some(figures_db::behind(figure, part, period, today, &unit)))
}

/// The queue: filters, full text, due flags, paging.
#[utoipa::path(get, path = "/api/v1/console/cases", tag = "console", params(QueueQuery),
    responses((status = 200, body = QueuePage), (status = 401, body = ow_shared::ApiError),
              (status = 400, body = ow_shared::ApiError, description = "BAD_REQUEST: a malformed query"),
              (status = 403, body = ow_shared::ApiError,
               description = "FORBIDDEN: not a case handler; with `figure`, not a leader or clerk or a unit outside the caller's"),
              (status = 422, body = ow_shared::ApiError,
               description = "VALIDATION_FAILED with `figure`: DATE_INVALID on from/to; UNIT_UNKNOWN")))]
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(query): ApiQuery<QueueQuery>,
) -> Result<ApiJson<QueuePage>, AppError> {
    staff.require(Role::CASE_HANDLERS)?;
    let today = clock::date_of(clock::now_ms());
    let scope = scope(&staff);
    let figure = figure_of(&staff, &query)?;
    let page = state
        .db
        .read(move |conn| {
            let within = behind(conn, &staff, figure, query.unit, today)?;
            queue::page_within(conn, &query, scope, today, within)
        })
        .await?;
    Ok(ApiJson(page))
}

/// One case, as the caller may see it.
#[utoipa::path(get, path = "/api/v1/console/cases/{id}", tag = "console", params(("id" = i64, Path)),
    responses((status = 200, body = CaseDetail), (status = 404, body = ow_shared::ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<CaseDetail>, AppError> {
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let detail = state
        .db
        .read(move |conn| casework::view(conn, &Act { case_id: id, now_ms, calendar: &calendar }, &staff))
        .await?;
    Ok(ApiJson(detail))
}

/// Acts on a case; answers the case as it is afterwards.
#[utoipa::path(post, path = "/api/v1/console/cases/{id}/actions", tag = "console", request_body = Action,
    params(("id" = i64, Path)),
    responses((status = 200, body = CaseDetail),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: the role may not do this; NOT_HOLDER: the case is held by a unit not the caller's nor below it; REVIEW_BY_LEVEL_ABOVE: 复查/复核 by the level above the contested answer"),
              (status = 404, body = ow_shared::ApiError, description = "no such case, or not the officer's department"),
              (status = 409, body = ow_shared::ApiError, description = "TRANSITION_NOT_ALLOWED and other workflow refusals (EXTENSION_ALREADY_USED, EXTENSION_TOO_LATE: the handling time has run out, …)"),
              (status = 422, body = ow_shared::ApiError,
               description = "VALIDATION_FAILED (UNIT_UNKNOWN: a hand-over to a unit not there or not below/above the holder)")))]
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(action): ApiJson<Action>,
) -> Result<ApiJson<CaseDetail>, AppError> {
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let notices = state.notices.clone();
    let detail = state
        .db
        .write(move |conn| {
            let act = Act { case_id: id, now_ms, calendar: &calendar };
            let event = casework::act(conn, &act, &staff, &action)?;
            crate::notices::issue_for(conn, id, event, now_ms, &notices)?;
            casework::view(conn, &act, &staff)
        })
        .await?;
    Ok(ApiJson(detail))
}

/// 查看完整号码: the full phone and ID number, for the roles that must reach the
/// resident; each call is recorded as an event with who and when. A POST: it acts.
#[utoipa::path(post, path = "/api/v1/console/cases/{id}/contact", tag = "console", params(("id" = i64, Path)),
    responses((status = 200, body = ContactView),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: the role may not reveal it"),
              (status = 404, body = ow_shared::ApiError)))]
pub async fn reveal_contact(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<ContactView>, AppError> {
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let contact = state
        .db
        .write(move |conn| casework::reveal_contact(conn, &Act { case_id: id, now_ms, calendar: &calendar }, &staff))
        .await?;
    Ok(ApiJson(contact))
}

/// 重新生成查询码 (clerks): after checking the visitor's identity at the window, a new
/// query code replaces the old one, which stops working; recorded as an event.
/// Answers the receipt to print, with the new code.
#[utoipa::path(post, path = "/api/v1/console/cases/{id}/query-code", tag = "console", request_body = ReissueQueryCode,
    params(("id" = i64, Path)),
    responses((status = 200, body = Receipt),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: clerks only"),
              (status = 422, body = ow_shared::ApiError, description = "IDENTITY_NOT_CHECKED")))]
pub async fn reissue_query_code(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<ReissueQueryCode>,
) -> Result<ApiJson<Receipt>, AppError> {
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let receipt = state
        .db
        .write(move |conn| {
            let act = Act { case_id: id, now_ms, calendar: &calendar };
            casework::reissue_query_code(conn, &act, &staff, request.identity_checked)
        })
        .await?;
    Ok(ApiJson(receipt))
}

/// A clerk registers a walk-in, phone call or letter (代办登记): the resident's form and
/// validation, plus channel and group visit. Answers the receipt to print.
#[utoipa::path(post, path = "/api/v1/console/cases", tag = "console", request_body = WalkInRequest,
    params(("Idempotency-Key" = String, Header, description = "one per registration; reuse it for retries")),
    responses((status = 201, body = Receipt),
              (status = 422, body = ow_shared::ApiError, description = "VALIDATION_FAILED with fields (GRID_UNKNOWN: not a grid of the case's village)")))]
pub async fn register_walk_in(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    ApiJson(request): ApiJson<WalkInRequest>,
) -> Result<Response, AppError> {
    staff.require(Role::CENTRE)?;
    let key = idempotent::key(&headers)?;
    let now_ms = clock::now_ms();
    let phone = PhoneRule::PhoneOrPost { postal_address: &request.postal_address };
    let case = validated(&state, request.case.clone(), now_ms, phone, validate_walk_in(&request)).await?;
    let walk_in = crate::db::cases::WalkIn {
        channel: request.channel.ok_or(AppError::Client(ErrorCode::BadRequest))?,
        group_size: request.group_size.unwrap_or(1),
        representatives: request.representatives.iter().map(|r| r.trim().to_string()).collect(),
        linked_case_id: request.linked_case_id,
        postal_address: request.postal_address.trim().to_string(),
        staff_id: staff.id,
        staff_name: staff.display_name.clone(),
        unit_id: staff.unit.id,
    };
    take_in(&state, key, case, now_ms, Some(walk_in), request.grid_id).await
}

/// Possible repeats of the case being typed (same person within 180 days, similar text).
#[utoipa::path(post, path = "/api/v1/console/cases/repeats", tag = "console", request_body = RepeatQuery,
    responses((status = 200, body = Vec<RepeatCandidate>)))]
pub async fn repeats(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(query): ApiJson<RepeatQuery>,
) -> Result<ApiJson<Vec<RepeatCandidate>>, AppError> {
    staff.require(Role::CENTRE)?;
    // Only complete, valid numbers are looked up: a prefix would list strangers' cases.
    let mobile = normalize_contact_phone(&query.mobile).ok();
    let id_number = normalize_id_number(&query.id_number).ok();
    let now_ms = clock::now_ms();
    let found = state
        .db
        .read(move |conn| {
            let person = case_detail::Person { mobile: mobile.as_deref(), id_number: id_number.as_deref() };
            case_detail::repeats(conn, person, &query.text, query.village_id, now_ms)
        })
        .await?;
    Ok(ApiJson(found))
}

/// A photo of a case the caller may see.
pub async fn photo(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, AppError> {
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let found = state
        .db
        .read(move |conn| {
            let Some((case_id, kind, data)) = crate::db::uploads::for_case(conn, &id)? else {
                return Ok(None);
            };
            // Seeing the photo listed on the case is what entitles one to it.
            let detail = casework::view(conn, &Act { case_id, now_ms, calendar: &calendar }, &staff)?;
            Ok(detail.photo_ids.contains(&id).then_some((kind, data)))
        })
        .await?;
    let (kind, data) = found.ok_or(AppError::Client(ErrorCode::NotFound))?;
    let content_type = match kind.as_str() {
        "png" => "image/png",
        "webp" => "image/webp",
        _ => "image/jpeg",
    };
    Ok(([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-store")], data).into_response())
}
