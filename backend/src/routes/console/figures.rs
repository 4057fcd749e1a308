//! `/api/v1/console/figures`: leaders' figures (issue 13) for a period and a unit, with
//! the previous period and the same period last year beside. Leaders see their unit and
//! every unit below it; clerks their own unit only; officers, grid workers and
//! administrators none.

use crate::AppState;
use crate::auth::Staff;
use crate::clock;
use crate::db::{figures, units};
use crate::error::{ApiJson, ApiQuery, AppError};
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use ow_shared::figures::{FiguresQuery, FiguresReport, Period};
use ow_shared::staff::Role;
use ow_shared::unit::{Unit, UnitRef};
use ow_shared::{ErrorCode, FieldError};
use rusqlite::Connection;

/// The figures routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/console/figures", get(report))
}

/// The figures of a unit's area for a period.
#[utoipa::path(get, path = "/api/v1/console/figures", tag = "console", params(FiguresQuery),
    responses((status = 200, body = FiguresReport), (status = 401, body = ow_shared::ApiError),
              (status = 400, body = ow_shared::ApiError, description = "BAD_REQUEST: a malformed query"),
              (status = 403, body = ow_shared::ApiError,
               description = "FORBIDDEN: not a leader or clerk, or a unit outside the caller's (clerks: not their own)"),
              (status = 422, body = ow_shared::ApiError,
               description = "VALIDATION_FAILED: DATE_INVALID on from/to (not a date, to before from, longer than 800 days); UNIT_UNKNOWN")))]
pub async fn report(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(query): ApiQuery<FiguresQuery>,
) -> Result<ApiJson<FiguresReport>, AppError> {
    staff.require(Role::CENTRE)?;
    let period = period(&query)?;
    let today = clock::date_of(clock::now_ms());
    let (unit, choices) =
        state.db.read(move |conn| Ok((permitted_unit(conn, &staff, query.unit)?, choices(conn, &staff)?))).await?;
    // The three periods and the chart each on their own pooled read connection, in
    // parallel (never the writer): a year's figures take the time of the slowest part.
    let area = figures::area_of(&unit);
    let part = |period: Period| state.db.read(move |conn| figures::values(conn, area, period, today));
    let (current, previous, last_year, monthly) = tokio::try_join!(
        part(period),
        part(period.previous()),
        part(period.last_year()),
        state.db.read(move |conn| figures::monthly_intake(conn, area, period)),
    )?;
    let mut report = figures::assemble(&unit, period, [current, previous, last_year], monthly);
    report.choices = choices;
    Ok(ApiJson(report))
}

/// The period asked for, or 422 naming the field at fault.
pub fn period(query: &FiguresQuery) -> Result<Period, AppError> {
    period_of(Some(&query.from), Some(&query.to))
}

/// The period `from`–`to` (the queue's optional fields too), or 422 naming the field.
pub fn period_of(from: Option<&str>, to: Option<&str>) -> Result<Period, AppError> {
    let from = from.filter(|f| ow_shared::calendar::parse(f).is_some());
    let from = from.ok_or_else(|| AppError::Validation(vec![FieldError::new("from", ErrorCode::DateInvalid)]))?;
    Period::parse(from, to.unwrap_or_default())
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("to", ErrorCode::DateInvalid)]))
}

/// The unit whose figures the caller asks for (their own by default), if they may see
/// it: leaders their unit and those below it, clerks their own unit.
pub fn permitted_unit(conn: &Connection, staff: &Staff, unit: Option<i64>) -> Result<Unit, AppError> {
    let id = unit.unwrap_or(staff.unit.id);
    let unit = units::unit(conn, id)?
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("unit", ErrorCode::UnitUnknown)]))?;
    let allowed = id == staff.unit.id || (staff.role == Role::Leader && units::is_below(conn, id, staff.unit.id)?);
    if allowed { Ok(unit) } else { Err(AppError::Client(ErrorCode::Forbidden)) }
}

/// The units the caller may pick (the same rule as `permitted_unit`): their own, and for
/// a leader every unit below it — a county leader the whole county, a township's leader
/// their township and its villages.
fn choices(conn: &Connection, staff: &Staff) -> Result<Vec<UnitRef>, AppError> {
    let own = units::unit(conn, staff.unit.id)?.into_iter();
    let below = if staff.role == Role::Leader { units::descendants(conn, staff.unit.id)? } else { Vec::new() };
    Ok(own.chain(below).map(|u| units::named(&u)).collect())
}
