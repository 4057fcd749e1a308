//! `/api/v1/console/bookings*` and `/api/v1/console/booking-places/{id}`: the staff's
//! day view of a place, check-in and no-show, booking on behalf of a walk-in (clerks
//! and leaders), and the places' schedules (everyone reads, administrators edit).

use crate::auth::Staff;
use crate::booking::{self, BookCommand, Booker, schedule};
use crate::db::booking as store;
use crate::error::{ApiJson, ApiPath, ApiQuery, AppError};
use crate::routes::booking::book_answer;
use crate::routes::idempotent;
use crate::{AppState, clock};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use ow_shared::booking::{
    BookRequest, BookingStatus, BookingView, ClosedDay, OpeningHours, PlaceSchedule, StaffBookingRow,
    StaffCancelRequest, format_hhmm, parse_hhmm, validate_book_request, validate_schedule, validate_staff_cancel,
};
use ow_shared::staff::Role;
use ow_shared::{ApiError, ErrorCode, FieldError, calendar};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/console/bookings", get(day).post(walk_in))
        .route("/api/v1/console/bookings/{id}/check-in", post(check_in))
        .route("/api/v1/console/bookings/{id}/no-show", post(no_show))
        .route("/api/v1/console/bookings/{id}/cancel", post(cancel))
        .route("/api/v1/console/booking-places/{id}", get(show_schedule).put(save_schedule))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    pub place_id: i64,
    /// `YYYY-MM-DD`; today when absent.
    pub date: Option<String>,
}

/// A place's bookings of a day, waiting list included, with full names and mobiles.
#[utoipa::path(get, path = "/api/v1/console/bookings", tag = "console", params(DayQuery),
    responses((status = 200, body = Vec<StaffBookingRow>), (status = 403, body = ApiError),
              (status = 400, body = ApiError, description = "BAD_REQUEST: a malformed query"),
              (status = 422, body = ApiError, description = "DATE_INVALID")))]
pub async fn day(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(query): ApiQuery<DayQuery>,
) -> Result<ApiJson<Vec<StaffBookingRow>>, AppError> {
    staff.require(Role::CENTRE)?;
    let date = match query.date.as_deref().map(str::trim) {
        Some(text) => calendar::parse(text)
            .ok_or_else(|| AppError::Validation(vec![FieldError::new("date", ErrorCode::DateInvalid)]))?,
        None => clock::date_of(clock::now_ms()),
    };
    let rows = state
        .db
        .read(move |conn| {
            let rows = store::day(conn, query.place_id, &calendar::format(date))?;
            Ok(rows.iter().map(row).collect())
        })
        .await?;
    Ok(ApiJson(rows))
}

fn row(b: &store::BookingRow) -> StaffBookingRow {
    let (_, start, end) = schedule::shown(b.starts_at_ms, b.ends_at_ms);
    store::staff_row(b, start, end)
}

/// Books on behalf of a walk-in: the same rules as residents, except that a slot may
/// be booked until it ends (no minimum notice). Answers like `POST /api/v1/bookings`.
#[utoipa::path(post, path = "/api/v1/console/bookings", tag = "console", request_body = BookRequest,
    responses((status = 201, body = BookingView),
              (status = 409, body = ApiError, description = "SLOT_FULL with `alternatives`, ALREADY_BOOKED_THAT_DAY"),
              (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn walk_in(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    ApiJson(request): ApiJson<BookRequest>,
) -> Result<Response, AppError> {
    staff.require(Role::CENTRE)?;
    let key = idempotent::optional_key(&headers)?;
    let request = validate_book_request(&request).map_err(AppError::Validation)?;
    let command = BookCommand { key, request, now_ms: clock::now_ms(), booker: Booker::Staff(staff.id) };
    book_answer(&state, command).await
}

async fn mark(state: &AppState, staff: &Staff, id: i64, to: BookingStatus) -> Result<StaffBookingRow, AppError> {
    staff.require(Role::CENTRE)?;
    let (staff_id, now_ms) = (staff.id, clock::now_ms());
    let b = state.db.write(move |conn| booking::mark(conn, id, to, staff_id, now_ms)).await?;
    Ok(row(&b))
}

/// The resident has come.
#[utoipa::path(post, path = "/api/v1/console/bookings/{id}/check-in", tag = "console",
    params(("id" = i64, Path)),
    responses((status = 200, body = StaffBookingRow), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "TRANSITION_NOT_ALLOWED: not booked")))]
pub async fn check_in(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<StaffBookingRow>, AppError> {
    Ok(ApiJson(mark(&state, &staff, id, BookingStatus::CheckedIn).await?))
}

/// The resident did not come.
#[utoipa::path(post, path = "/api/v1/console/bookings/{id}/no-show", tag = "console",
    params(("id" = i64, Path)),
    responses((status = 200, body = StaffBookingRow), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "TRANSITION_NOT_ALLOWED: not booked")))]
pub async fn no_show(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<StaffBookingRow>, AppError> {
    Ok(ApiJson(mark(&state, &staff, id, BookingStatus::NoShow).await?))
}

/// Cancels a booking or a waiting-list place, with the reason recorded as an event; the
/// place goes to the slot's waiting list. Clerks and leaders.
#[utoipa::path(post, path = "/api/v1/console/bookings/{id}/cancel", tag = "console", request_body = StaffCancelRequest,
    params(("id" = i64, Path)),
    responses((status = 200, body = StaffBookingRow), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "BOOKING_NOT_CHANGEABLE: already cancelled, checked in or no-show"),
              (status = 422, body = ApiError, description = "VALIDATION_FAILED: the reason")))]
pub async fn cancel(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<StaffCancelRequest>,
) -> Result<ApiJson<StaffBookingRow>, AppError> {
    staff.require(Role::CENTRE)?;
    let reason = validate_staff_cancel(&request).map_err(AppError::Validation)?;
    let (staff_id, now_ms) = (staff.id, clock::now_ms());
    let b = state.db.write(move |conn| booking::cancel_by_staff(conn, id, staff_id, &reason, now_ms)).await?;
    Ok(ApiJson(row(&b)))
}

fn schedule_of(place: store::Place) -> PlaceSchedule {
    PlaceSchedule {
        capacity: place.capacity,
        hours: place
            .hours
            .iter()
            .map(|&(weekday, open, close)| OpeningHours { weekday, open: format_hhmm(open), close: format_hhmm(close) })
            .collect(),
        closed_days: place.closed.into_iter().map(|(date, reason)| ClosedDay { date, reason }).collect(),
        place: place.info,
    }
}

/// A place's settings, weekly hours and own closed days.
#[utoipa::path(get, path = "/api/v1/console/booking-places/{id}", tag = "console",
    params(("id" = i64, Path)),
    responses((status = 200, body = PlaceSchedule), (status = 404, body = ApiError)))]
pub async fn show_schedule(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<PlaceSchedule>, AppError> {
    staff.require(Role::CENTRE_AND_ADMIN)?;
    let place = state.db.read(move |conn| store::place(conn, id)).await?;
    Ok(ApiJson(schedule_of(place.ok_or(AppError::Client(ErrorCode::NotFound))?)))
}

/// Replaces a place's settings, hours and closed days. Bookings already made stay; a
/// larger capacity goes to the waiting lists at once.
#[utoipa::path(put, path = "/api/v1/console/booking-places/{id}", tag = "console", request_body = PlaceSchedule,
    params(("id" = i64, Path)),
    responses((status = 200, body = PlaceSchedule), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn save_schedule(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(schedule): ApiJson<PlaceSchedule>,
) -> Result<ApiJson<PlaceSchedule>, AppError> {
    staff.require(Role::ADMINS)?;
    let schedule = validate_schedule(&schedule).map_err(AppError::Validation)?;
    let hours: Vec<(u8, u32, u32)> =
        schedule.hours.iter().filter_map(|h| Some((h.weekday, parse_hhmm(&h.open)?, parse_hhmm(&h.close)?))).collect();
    let now_ms = clock::now_ms();
    let saved = state
        .db
        .write(move |conn| {
            if !store::save_schedule(conn, id, &schedule, &hours)? {
                return Err(AppError::Client(ErrorCode::NotFound));
            }
            booking::promote_all(conn, id, now_ms)?;
            store::place(conn, id)
        })
        .await?;
    Ok(ApiJson(schedule_of(saved.ok_or(AppError::Client(ErrorCode::NotFound))?)))
}
