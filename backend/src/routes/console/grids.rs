//! `/api/v1/console/grids…`: administrators import and export boundaries (GeoJSON) and
//! teams (CSV); clerks, leaders and administrators edit a grid's page.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiJson, ApiPath, ApiQuery, AppError};
use crate::grids::{self, Actor, export, import};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use ow_shared::grid::{GridDetail, GridUpdate, ImportReport, validate_grid_update};
use ow_shared::staff::Role;
use ow_shared::{ErrorCode, FieldError};

/// A county's boundaries with detailed outlines run to megabytes.
const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// The console's grid routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/console/grids/boundaries", post(import_boundaries))
        .route("/api/v1/console/grids/people", post(import_people))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
        .route("/api/v1/console/grids/boundaries.geojson", get(export_boundaries))
        .route("/api/v1/console/grids/people.csv", get(export_people))
        .route("/api/v1/console/grids/{id}", put(update))
}

/// `?effective_from=YYYY-MM-DD`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The day the drawn boundaries take effect; today when absent.
    pub effective_from: Option<String>,
}

/// Imports boundaries: a GeoJSON FeatureCollection of Polygon/MultiPolygon features in
/// WGS84 with `properties.code`. All or nothing: any bad feature answers 422 listing
/// every problem, and nothing is stored.
#[utoipa::path(post, path = "/api/v1/console/grids/boundaries", tag = "console", params(ImportQuery),
    request_body(content = String, content_type = "application/geo+json"),
    responses((status = 200, body = ImportReport),
              (status = 422, body = ImportReport, description = "IMPORT_FAILED: every problem, nothing stored"),
              (status = 403, body = ow_shared::ApiError)))]
pub async fn import_boundaries(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(query): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<ApiJson<ImportReport>, AppError> {
    staff.require(Role::ADMINS)?;
    let effective_from = match query.effective_from.map(|d| d.trim().to_string()).filter(|d| !d.is_empty()) {
        Some(day) if ow_shared::calendar::parse(&day).is_some() => day,
        Some(_) => return Err(AppError::Validation(vec![FieldError::new("effective_from", ErrorCode::DateInvalid)])),
        None => grids::today(),
    };
    // Parsing and checking thousands of polygons is CPU work: off the async threads.
    let (features, problems) = tokio::task::spawn_blocking(move || import::read_features(&body))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let actor = Actor::staff(&staff);
    let at_ms = crate::clock::now_ms();
    let report = state
        .db
        .write(move |conn| import::store_boundaries(conn, features, &effective_from, &actor, at_ms, problems))
        .await?;
    state.grids.forget();
    Ok(ApiJson(report))
}

/// Imports teams: CSV `grid_code,role,name,phone` (UTF-8, with or without BOM; role as
/// the zh name or the code). Replaces the teams of the grids it names. All or nothing.
#[utoipa::path(post, path = "/api/v1/console/grids/people", tag = "console",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport),
              (status = 422, body = ImportReport, description = "IMPORT_FAILED: every problem, nothing stored"),
              (status = 403, body = ow_shared::ApiError)))]
pub async fn import_people(
    State(state): State<AppState>,
    staff: Staff,
    body: Bytes,
) -> Result<ApiJson<ImportReport>, AppError> {
    staff.require(Role::ADMINS)?;
    let (rows, problems) = import::read_people(&body);
    let actor = Actor::staff(&staff);
    let at_ms = crate::clock::now_ms();
    let report = state.db.write(move |conn| import::store_people(conn, rows, &actor, at_ms, problems)).await?;
    Ok(ApiJson(report))
}

fn download(body: impl Into<axum::body::Body>, content_type: &'static str, file_name: &'static str) -> Response {
    let mut response = Response::new(body.into());
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = format!("attachment; filename=\"{file_name}\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The boundaries in effect today, as the import takes them.
#[utoipa::path(get, path = "/api/v1/console/grids/boundaries.geojson", tag = "console",
    responses((status = 200, content_type = "application/geo+json", description = "FeatureCollection"),
              (status = 403, body = ow_shared::ApiError)))]
pub async fn export_boundaries(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Role::ADMINS)?;
    let today = grids::today();
    let collection = state.db.read(move |conn| export::boundaries(conn, &today)).await?;
    let body = serde_json::to_vec(&collection).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(body, "application/geo+json", "grid-boundaries.geojson"))
}

/// Every team, as the import takes it (UTF-8 with BOM).
#[utoipa::path(get, path = "/api/v1/console/grids/people.csv", tag = "console",
    responses((status = 200, content_type = "text/csv", description = "grid_code,role,name,phone"),
              (status = 403, body = ow_shared::ApiError)))]
pub async fn export_people(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Role::ADMINS)?;
    let body = state.db.read(export::people_csv).await?;
    Ok(download(body, "text/csv; charset=utf-8", "grid-people.csv").into_response())
}

/// Edits a grid's page: area, supervision phone, team, service items. Each change is
/// an event (who, when, what).
#[utoipa::path(put, path = "/api/v1/console/grids/{id}", tag = "console", params(("id" = i64, Path)),
    request_body = GridUpdate,
    responses((status = 200, body = GridDetail), (status = 422, body = ow_shared::ApiError),
              (status = 403, body = ow_shared::ApiError), (status = 404, body = ow_shared::ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<GridUpdate>,
) -> Result<ApiJson<GridDetail>, AppError> {
    staff.require(Role::CENTRE_AND_ADMIN)?;
    let id: i64 = id.parse().map_err(|_| AppError::Client(ErrorCode::GridNotFound))?;
    let update = validate_grid_update(&request).map_err(AppError::Validation)?;
    let actor = Actor::staff(&staff);
    let at_ms = crate::clock::now_ms();
    let today = grids::today();
    let detail = state
        .db
        .write(move |conn| {
            if !grids::update(conn, id, &update, &actor, at_ms)? {
                return Ok(None);
            }
            grids::detail(conn, id, &today)
        })
        .await?;
    detail.map(ApiJson).ok_or(AppError::Client(ErrorCode::GridNotFound))
}
