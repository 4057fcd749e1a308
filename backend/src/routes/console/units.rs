//! `/api/v1/console/units`: the county's units on their levels (any signed-in staff), and
//! where a case may be handed from its holder (交办, 下派, 上报).

use crate::AppState;
use crate::auth::Staff;
use crate::casework::may_see;
use crate::db::{units, workflow as store};
use crate::error::{ApiJson, ApiPath, AppError};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use ow_shared::ErrorCode;
use ow_shared::grid::ImportReport;
use ow_shared::staff::Role;
use ow_shared::unit::{HandOverTargets, UNIT_NAME_CHARS, Unit, UpdateUnitRequest};
use ow_shared::validate::check_length;

/// The unit routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/console/units", get(list))
        .route("/api/v1/console/units/{id}", put(update))
        .route("/api/v1/console/units/import", post(import))
        .route("/api/v1/console/units.csv", get(export))
        .route("/api/v1/console/cases/{id}/hand-over-targets", get(hand_over_targets))
}

/// Every unit: the county centre, the township centres, the village stations.
#[utoipa::path(get, path = "/api/v1/console/units", tag = "console",
    responses((status = 200, body = Vec<Unit>), (status = 401, body = ow_shared::ApiError)))]
pub async fn list(State(state): State<AppState>, _staff: Staff) -> Result<ApiJson<Vec<Unit>>, AppError> {
    Ok(ApiJson(state.db.read(units::all).await?))
}

/// Renames a unit or sets the unit above it (administrators only).
#[utoipa::path(put, path = "/api/v1/console/units/{id}", tag = "console", request_body = UpdateUnitRequest,
    params(("id" = i64, Path), ("X-CSRF-Token" = String, Header, description = "the session's csrf_token")),
    responses((status = 200, body = Unit),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: administrators only"),
              (status = 404, body = ow_shared::ApiError, description = "no such unit"),
              (status = 422, body = ow_shared::ApiError,
               description = "VALIDATION_FAILED: name length; UNIT_UNKNOWN (parent not there or not one level up); UNIT_TREE_CYCLE")))]
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<UpdateUnitRequest>,
) -> Result<ApiJson<Unit>, AppError> {
    staff.require(Role::ADMINS)?;
    if let Some(problem) = check_length("name", &request.name, UNIT_NAME_CHARS) {
        return Err(AppError::Validation(vec![problem]));
    }
    let name = request.name.trim().to_string();
    let unit = state.db.write(move |conn| units::update(conn, id, &name, request.parent_id)).await?;
    tracing::info!(unit = id, by = staff.id, "unit updated");
    Ok(ApiJson(unit))
}

/// Imports the unit tree (administrators): CSV `level,name,parent,township,village`
/// (`unit_tree`). All or nothing: a cycle, an unknown parent or place, a level that does
/// not fit, a duplicate name — every bad line is listed in zh-CN and nothing is stored.
#[utoipa::path(post, path = "/api/v1/console/units/import", tag = "console",
    request_body(content = String, content_type = "text/csv"),
    params(("X-CSRF-Token" = String, Header, description = "the session's csrf_token")),
    responses((status = 200, body = ImportReport),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: administrators only"),
              (status = 422, body = ImportReport, description = "IMPORT_FAILED: every problem by line, nothing stored")))]
pub async fn import(
    State(state): State<AppState>,
    staff: Staff,
    body: Bytes,
) -> Result<ApiJson<ImportReport>, AppError> {
    staff.require(Role::ADMINS)?;
    let (rows, problems) = crate::unit_tree::read(&body);
    let report = state.db.write(move |conn| crate::unit_tree::store(conn, rows, problems)).await?;
    tracing::info!(units = report.imported, by = staff.id, "unit tree imported");
    Ok(ApiJson(report))
}

/// The unit tree as the import takes it (administrators; UTF-8 with BOM).
#[utoipa::path(get, path = "/api/v1/console/units.csv", tag = "console",
    responses((status = 200, content_type = "text/csv", description = "级别,名称,上级单位,乡镇（街道）,村（社区）"),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: administrators only")))]
pub async fn export(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Role::ADMINS)?;
    let body = state.db.read(crate::unit_tree::export).await?;
    let mut response = Response::new(axum::body::Body::from(body));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"units.csv\""));
    Ok(response.into_response())
}

/// Where the case may be handed from the unit holding it: units below (交办), grid
/// workers of grids under it (下派), units above (上报).
#[utoipa::path(get, path = "/api/v1/console/cases/{id}/hand-over-targets", tag = "console",
    params(("id" = i64, Path)),
    responses((status = 200, body = HandOverTargets),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: not a centre's clerk or leader"),
              (status = 404, body = ow_shared::ApiError, description = "no such case, or not the caller's to see")))]
pub async fn hand_over_targets(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<HandOverTargets>, AppError> {
    staff.require(Role::CENTRE)?;
    let targets = state
        .db
        .read(move |conn| {
            let not_found = || AppError::Client(ErrorCode::NotFound);
            let (facts, _) = store::facts(conn, id)?.ok_or_else(not_found)?;
            let holding = units::holding(conn, id)?.ok_or_else(not_found)?;
            if !may_see(conn, &staff, id, &facts, &holding)? {
                return Err(not_found());
            }
            units::hand_over_targets(conn, &holding.unit)
        })
        .await?;
    Ok(ApiJson(targets))
}
