//! `/api/v1/console/holidays`: the holiday calendar the clocks run on. Everyone signed
//! in can read it; administrators edit it.

use crate::AppState;
use crate::auth::Staff;
use crate::db::holidays;
use crate::error::{ApiJson, ApiPath, ApiQuery, AppError};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use ow_shared::calendar::{self, CalendarDay};
use ow_shared::console::SetHolidayRequest;
use ow_shared::staff::Role;
use ow_shared::validate::check_length;
use ow_shared::{ErrorCode, FieldError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/console/holidays", get(list))
        .route("/api/v1/console/holidays/{date}", put(set).delete(remove))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// e.g. 2026; every stored year when absent.
    pub year: Option<i32>,
}

/// The calendar's special days.
#[utoipa::path(get, path = "/api/v1/console/holidays", tag = "console", params(YearQuery),
    responses((status = 200, body = Vec<CalendarDay>), (status = 400, body = ow_shared::ApiError, description = "BAD_REQUEST: a malformed query")))]
pub async fn list(
    State(state): State<AppState>,
    _staff: Staff,
    ApiQuery(query): ApiQuery<YearQuery>,
) -> Result<ApiJson<Vec<CalendarDay>>, AppError> {
    Ok(ApiJson(state.db.read(move |conn| holidays::list(conn, query.year)).await?))
}

/// Marks a date as a holiday or a make-up workday.
#[utoipa::path(put, path = "/api/v1/console/holidays/{date}", tag = "console", request_body = SetHolidayRequest,
    params(("date" = String, Path, description = "`YYYY-MM-DD`")),
    responses((status = 200, body = CalendarDay), (status = 403, body = ow_shared::ApiError)))]
pub async fn set(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(date): ApiPath<String>,
    ApiJson(request): ApiJson<SetHolidayRequest>,
) -> Result<ApiJson<CalendarDay>, AppError> {
    staff.require(Role::ADMINS)?;
    let mut errors = Vec::new();
    if calendar::parse(&date).is_none() {
        errors.push(FieldError::new("date", ErrorCode::DateInvalid));
    }
    errors.extend(check_length("name", &request.name, (1, 20)));
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let day = CalendarDay { date, kind: request.kind, name: request.name.trim().to_string() };
    let stored = day.clone();
    state
        .db
        .write(move |conn| {
            holidays::set(conn, &stored.date, stored.kind, &stored.name)?;
            crate::casework::recompute_clocks(conn)
        })
        .await?;
    state.forget_calendar().await;
    Ok(ApiJson(day))
}

/// Returns a date to the ordinary week.
#[utoipa::path(delete, path = "/api/v1/console/holidays/{date}", tag = "console",
    params(("date" = String, Path, description = "`YYYY-MM-DD`")),
    responses((status = 204), (status = 404, body = ow_shared::ApiError)))]
pub async fn remove(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(date): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    staff.require(Role::ADMINS)?;
    let removed = state
        .db
        .write(move |conn| {
            let removed = holidays::remove(conn, &date)?;
            crate::casework::recompute_clocks(conn)?;
            Ok(removed)
        })
        .await?;
    state.forget_calendar().await;
    if removed { Ok(StatusCode::NO_CONTENT) } else { Err(AppError::Client(ErrorCode::NotFound)) }
}
