//! Legal-aid booking for residents, no account: services, places, days and slots;
//! booking (with `Idempotency-Key`), and look-up, cancel and reschedule with the code
//! and the mobile — POST, so neither lands in URLs or logs.

use crate::booking::{self, BookCommand, Booker, schedule};
use crate::error::{ApiJson, ApiPath, ApiQuery, AppError};
use crate::routes::idempotent;
use crate::{AppState, clock};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ow_shared::booking::{
    BookRequest, BookingLookup, BookingSettings, BookingView, DayInfo, LegalService, PlaceInfo, RescheduleRequest,
    ServiceInfo, SlotInfo, check_date_and_start, normalize_booking_code, validate_book_request,
};
use ow_shared::validate::normalize_mobile;
use ow_shared::{ApiError, ErrorCode, FieldError, Lang, calendar};
use std::net::SocketAddr;

/// The resident booking routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/booking/services", get(services))
        .route("/api/v1/booking/settings", get(settings))
        .route("/api/v1/booking/places", get(places))
        .route("/api/v1/booking/places/{id}/days", get(days))
        .route("/api/v1/booking/places/{id}/slots", get(slots))
        .route("/api/v1/bookings", post(book))
        .route("/api/v1/bookings/lookup", post(lookup))
        .route("/api/v1/bookings/cancel", post(cancel))
        .route("/api/v1/bookings/reschedule", post(reschedule))
}

/// The services with what each is, its duration and ALL its materials (一次性告知).
#[utoipa::path(get, path = "/api/v1/booking/services", tag = "booking",
    responses((status = 200, body = Vec<ServiceInfo>)))]
pub async fn services() -> ApiJson<Vec<ServiceInfo>> {
    ApiJson(LegalService::ALL.into_iter().map(|s| s.info(Lang::Zh)).collect())
}

/// The income threshold the eligibility pre-check compares with.
#[utoipa::path(get, path = "/api/v1/booking/settings", tag = "booking",
    responses((status = 200, body = BookingSettings)))]
pub async fn settings(State(state): State<AppState>) -> Result<ApiJson<BookingSettings>, AppError> {
    Ok(ApiJson(state.db.read(booking::settings).await?))
}

/// The county's 公共法律服务中心 and the townships' 司法所.
#[utoipa::path(get, path = "/api/v1/booking/places", tag = "booking",
    responses((status = 200, body = Vec<PlaceInfo>)))]
pub async fn places(State(state): State<AppState>) -> Result<ApiJson<Vec<PlaceInfo>>, AppError> {
    Ok(ApiJson(state.db.read(crate::db::booking::places).await?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DaysQuery {
    /// The service to book: its appointments take as many consecutive slots as it needs
    /// (法律援助申请's 60 minutes take two half-hour slots). Absent: single slots.
    pub service: Option<LegalService>,
}

/// Today … today + the place's booking window, each day open or not and the
/// appointments (of the service) it still takes.
#[utoipa::path(get, path = "/api/v1/booking/places/{id}/days", tag = "booking",
    params(("id" = i64, Path), DaysQuery),
    responses((status = 200, body = Vec<DayInfo>), (status = 404, body = ApiError),
              (status = 400, body = ApiError, description = "BAD_REQUEST: a malformed query")))]
pub async fn days(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<DaysQuery>,
) -> Result<ApiJson<Vec<DayInfo>>, AppError> {
    let now_ms = clock::now_ms();
    let days = state
        .db
        .read(move |conn| {
            let place = crate::db::booking::place(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
            schedule::days(conn, &place, now_ms, schedule::needed(&place, query.service))
        })
        .await?;
    Ok(ApiJson(days))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotsQuery {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The service to book: only the start times with as many free consecutive slots as
    /// it needs are listed, each with its end. Absent: single slots.
    pub service: Option<LegalService>,
}

/// The start times of one day with the places left (none when closed).
#[utoipa::path(get, path = "/api/v1/booking/places/{id}/slots", tag = "booking",
    params(("id" = i64, Path), SlotsQuery),
    responses((status = 200, body = Vec<SlotInfo>), (status = 404, body = ApiError), (status = 422, body = ApiError),
              (status = 400, body = ApiError, description = "BAD_REQUEST: a malformed query")))]
pub async fn slots(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<SlotsQuery>,
) -> Result<ApiJson<Vec<SlotInfo>>, AppError> {
    let date = calendar::parse(query.date.trim())
        .ok_or_else(|| AppError::Validation(vec![ow_shared::FieldError::new("date", ErrorCode::DateInvalid)]))?;
    let now_ms = clock::now_ms();
    let slots = state
        .db
        .read(move |conn| {
            let place = crate::db::booking::place(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
            schedule::slots(conn, &place, date, now_ms, schedule::needed(&place, query.service))
        })
        .await?;
    Ok(ApiJson(slots))
}

/// Books a slot. Capacity is decided inside the database write; a retry with the same
/// `Idempotency-Key` and body answers the same booking (header `Idempotent-Replayed`).
#[utoipa::path(post, path = "/api/v1/bookings", tag = "booking", request_body = BookRequest,
    params(("Idempotency-Key" = String, Header, description = "generated with the form; reuse it for retries")),
    responses((status = 201, body = BookingView, description = "booked, or waiting when `waitlist` and full"),
              (status = 400, body = ApiError, description = "BOOKING_TOO_SOON, OUTSIDE_BOOKING_WINDOW, PLACE_CLOSED"),
              (status = 409, body = ApiError,
               description = "SLOT_FULL (with `alternatives`), IDEMPOTENCY_KEY_REUSED"),
              (status = 422, body = ApiError, description = "VALIDATION_FAILED with fields")))]
pub async fn book(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<BookRequest>,
) -> Result<Response, AppError> {
    let key = idempotent::key(&headers)?;
    let request = validate_book_request(&request).map_err(AppError::Validation)?;
    state.rate_limits.check_booking_mobile(&request.mobile)?;
    let command = BookCommand { key: Some(key), request, now_ms: clock::now_ms(), booker: Booker::Resident };
    book_answer(&state, command).await
}

/// Runs a booking and answers 201, or 409 `SLOT_FULL` with the nearest free slots.
pub async fn book_answer(state: &AppState, command: BookCommand) -> Result<Response, AppError> {
    let wanted = Wanted {
        place_id: command.request.place_id,
        service: command.request.service,
        date: command.request.date.clone(),
        start: command.request.start.clone(),
    };
    let now_ms = command.now_ms;
    match state.db.write(move |conn| booking::book(conn, &command)).await {
        Ok(booked) => {
            let json = serde_json::to_string(&booked.view).map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(idempotent::created(json, booked.replayed))
        }
        Err(AppError::Client(ErrorCode::SlotFull)) => slot_full(state, wanted, now_ms).await,
        Err(e) => Err(e),
    }
}

/// The time a refused booking or move wanted, for its alternatives.
struct Wanted {
    place_id: i64,
    service: Option<LegalService>,
    date: String,
    start: String,
}

/// 409 `SLOT_FULL` with up to 5 free start times (for the same service) nearest the
/// wanted one. Read after the refusal, outside the write: they are suggestions, each
/// booked with the same rules.
async fn slot_full(state: &AppState, wanted: Wanted, now_ms: i64) -> Result<Response, AppError> {
    let alternatives = state
        .db
        .read(move |conn| {
            let place = booking::place(conn, wanted.place_id)?;
            let at = match (calendar::parse(&wanted.date), ow_shared::booking::parse_hhmm(&wanted.start)) {
                (Some(d), Some(m)) => schedule::moment_ms(d, m),
                _ => now_ms,
            };
            schedule::alternatives(conn, &place, at, now_ms, schedule::needed(&place, wanted.service))
        })
        .await?;
    let body = ApiError { alternatives, ..ApiError::new(ErrorCode::SlotFull) };
    Ok((StatusCode::CONFLICT, Json(body)).into_response())
}

/// A counted look-up by code and mobile.
struct Attempt {
    key: String,
    client: std::net::IpAddr,
    /// The normalised code and mobile.
    pair: (String, String),
}

impl Attempt {
    /// Normalises the code and mobile and counts the attempt (guessing is limited like
    /// tracking: the same counts, keyed by the code). A malformed code or mobile matches
    /// nothing: 422 before anything is counted.
    fn begin(
        state: &AppState,
        peer: SocketAddr,
        headers: &HeaderMap,
        code: &str,
        mobile: &str,
    ) -> Result<Attempt, AppError> {
        let client = state.client_ip(peer, headers);
        let mut errors = Vec::new();
        let normalized = normalize_booking_code(code);
        if normalized.is_none() {
            errors.push(FieldError::new("code", ErrorCode::BookingNotFound));
        }
        let mobile = normalize_mobile(mobile).map_err(|e| errors.push(FieldError::new("mobile", e))).ok();
        let (Some(code), Some(mobile)) = (normalized, mobile) else {
            return Err(AppError::Validation(errors));
        };
        let key = format!("booking:{code}");
        state.attempts.begin(&key, client)?;
        Ok(Attempt { key, client, pair: (code, mobile) })
    }

    fn pair(&self) -> Result<(String, String), AppError> {
        Ok(self.pair.clone())
    }

    /// The right code and mobile: this look-up does not count against anyone.
    fn succeeded(&self, state: &AppState) {
        state.attempts.succeeded(&self.key, self.client);
    }
}

/// A booking by code and mobile: its state, place in the waiting list, or promotion.
#[utoipa::path(post, path = "/api/v1/bookings/lookup", tag = "booking", request_body = BookingLookup,
    responses((status = 200, body = BookingView),
              (status = 404, body = ApiError, description = "BOOKING_NOT_FOUND: unknown code or wrong mobile"),
              (status = 429, body = ApiError, description = "TOO_MANY_ATTEMPTS, with Retry-After")))]
pub async fn lookup(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<BookingLookup>,
) -> Result<ApiJson<BookingView>, AppError> {
    let attempt = Attempt::begin(&state, peer, &headers, &request.code, &request.mobile)?;
    let (code, mobile) = attempt.pair()?;
    let view = state
        .db
        .read(move |conn| match booking::authenticate(conn, &code, &mobile)? {
            Some(b) => booking::view(conn, &b).map(Some),
            None => Ok(None),
        })
        .await?
        .ok_or(AppError::Client(ErrorCode::BookingNotFound))?;
    attempt.succeeded(&state);
    Ok(ApiJson(view))
}

/// Cancels a booking; the slot's first waiting person gets the place at once.
#[utoipa::path(post, path = "/api/v1/bookings/cancel", tag = "booking", request_body = BookingLookup,
    responses((status = 200, body = BookingView, description = "cancelled"),
              (status = 404, body = ApiError, description = "BOOKING_NOT_FOUND"),
              (status = 409, body = ApiError, description = "BOOKING_NOT_CHANGEABLE"),
              (status = 429, body = ApiError)))]
pub async fn cancel(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<BookingLookup>,
) -> Result<ApiJson<BookingView>, AppError> {
    let attempt = Attempt::begin(&state, peer, &headers, &request.code, &request.mobile)?;
    let (code, mobile) = attempt.pair()?;
    let now_ms = clock::now_ms();
    let result = state.db.write(move |conn| booking::cancel(conn, &code, &mobile, now_ms)).await;
    if !matches!(result, Err(AppError::Client(ErrorCode::BookingNotFound))) {
        attempt.succeeded(&state);
    }
    Ok(ApiJson(result?))
}

/// Moves a booking to another slot of the same place (same code); the old place is
/// freed in the same transaction, or nothing changes.
#[utoipa::path(post, path = "/api/v1/bookings/reschedule", tag = "booking", request_body = RescheduleRequest,
    responses((status = 200, body = BookingView),
              (status = 400, body = ApiError, description = "BOOKING_TOO_SOON, OUTSIDE_BOOKING_WINDOW, PLACE_CLOSED"),
              (status = 404, body = ApiError, description = "BOOKING_NOT_FOUND"),
              (status = 409, body = ApiError,
               description = "SLOT_FULL (with `alternatives`), BOOKING_NOT_CHANGEABLE"),
              (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn reschedule(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<RescheduleRequest>,
) -> Result<Response, AppError> {
    let errors = check_date_and_start(&request.date, &request.start);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let attempt = Attempt::begin(&state, peer, &headers, &request.code, &request.mobile)?;
    let (code, mobile) = attempt.pair()?;
    let now_ms = clock::now_ms();
    let moved =
        RescheduleRequest { code, mobile, date: request.date.trim().into(), start: request.start.trim().into() };
    let (code, mobile, date, start) =
        (moved.code.clone(), moved.mobile.clone(), moved.date.clone(), moved.start.clone());
    let result = state.db.write(move |conn| booking::reschedule(conn, &moved, now_ms)).await;
    if !matches!(result, Err(AppError::Client(ErrorCode::BookingNotFound))) {
        attempt.succeeded(&state);
    }
    match result {
        Ok(view) => Ok(Json(view).into_response()),
        Err(AppError::Client(ErrorCode::SlotFull)) => {
            let found = state.db.read(move |conn| booking::authenticate(conn, &code, &mobile)).await?;
            let b = found.ok_or(AppError::Client(ErrorCode::BookingNotFound))?;
            slot_full(&state, Wanted { place_id: b.place_id, service: Some(b.service), date, start }, now_ms).await
        }
        Err(e) => Err(e),
    }
}
