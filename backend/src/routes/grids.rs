//! `/api/v1/grids…`: residents find their grid (网格) — by township → village → grid,
//! by typing part of an address or place name, or by their location — and read its page.

use crate::AppState;
use crate::error::{ApiJson, ApiPath, ApiQuery, AppError};
use crate::grids::{self, geojson};
use axum::extract::State;
use axum::{Router, routing::get};
use ow_shared::ErrorCode;
use ow_shared::grid::gcj02::gcj02_to_wgs84;
use ow_shared::grid::{GridDetail, GridMatch, GridSummary, LocateResult, address_candidates, limits, normalize_search};
use serde::Deserialize;

/// The grid routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/grids", get(list))
        .route("/api/v1/grids/search", get(search))
        .route("/api/v1/grids/locate", get(locate))
        .route("/api/v1/grids/{id}", get(show))
}

/// `?village_id=N`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A village or community from `/api/v1/regions`; without it, every grid.
    pub village_id: Option<i64>,
}

/// The grids of a village (or of the county), by code.
#[utoipa::path(get, path = "/api/v1/grids", tag = "grids", params(ListQuery),
    responses((status = 200, body = Vec<GridSummary>), (status = 400, body = ow_shared::ApiError, description = "BAD_REQUEST: a malformed query")))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<ApiJson<Vec<GridSummary>>, AppError> {
    let village_id = q.village_id;
    Ok(ApiJson(state.db.read(move |conn| crate::db::grids::list(conn, village_id)).await?))
}

/// `?q=…`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of an address or a place, village, township or grid name, e.g. 桃源, 幸福小区5栋.
    pub q: Option<String>,
}

/// Grids matching an address or name: exact before prefix before contains, at most 10;
/// a full address that matches nothing is tried again by its leading parts, longest
/// first (`address_candidates`), and `matched` says which part was known.
#[utoipa::path(get, path = "/api/v1/grids/search", tag = "grids", params(SearchQuery),
    responses((status = 200, body = Vec<GridMatch>), (status = 400, body = ow_shared::ApiError, description = "BAD_REQUEST: a malformed query")))]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<ApiJson<Vec<GridMatch>>, AppError> {
    let text = normalize_search(&q.q.unwrap_or_default());
    if text.is_empty() || text.chars().count() > 50 {
        return Ok(ApiJson(Vec::new()));
    }
    // A full address ("幸福小区5栋2单元301室") is found by its longest known part.
    let matches = state
        .db
        .read(move |conn| {
            for candidate in address_candidates(&text) {
                let found = crate::db::grids::search(conn, &candidate, limits::SEARCH_RESULTS)?;
                if !found.is_empty() {
                    return Ok(found);
                }
            }
            Ok(Vec::new())
        })
        .await?;
    Ok(ApiJson(matches))
}

/// `?lon=…&lat=…[&crs=gcj02]`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocateQuery {
    /// Longitude, degrees east.
    pub lon: Option<String>,
    /// Latitude, degrees north.
    pub lat: Option<String>,
    /// `wgs84` (GPS, browsers; the default) or `gcj02` (Chinese map apps).
    pub crs: Option<String>,
}

/// The grid whose boundary holds the point (an edge counts, a hole does not), or else
/// the nearest grid with the distance to it.
#[utoipa::path(get, path = "/api/v1/grids/locate", tag = "grids", params(LocateQuery),
    responses((status = 200, body = LocateResult),
              (status = 400, body = ow_shared::ApiError, description = "LOCATION_OUT_OF_RANGE or BAD_REQUEST"),
              (status = 404, body = ow_shared::ApiError, description = "GRID_NOT_FOUND: no grid has a boundary")))]
pub async fn locate(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LocateQuery>,
) -> Result<ApiJson<LocateResult>, AppError> {
    let number = |v: Option<&String>| v.and_then(|v| v.trim().parse::<f64>().ok()).filter(|v| v.is_finite());
    let (Some(lon), Some(lat)) = (number(q.lon.as_ref()), number(q.lat.as_ref())) else {
        return Err(AppError::Client(ErrorCode::BadRequest));
    };
    let (lon, lat) = match q.crs.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("" | "wgs84") => (lon, lat),
        Some("gcj02") => gcj02_to_wgs84(lon, lat),
        Some(_) => return Err(AppError::Client(ErrorCode::BadRequest)),
    };
    let in_range = |v: f64, (min, max): (f64, f64)| (min..=max).contains(&v);
    if !in_range(lon, geojson::LON_RANGE) || !in_range(lat, geojson::LAT_RANGE) {
        return Err(AppError::Client(ErrorCode::LocationOutOfRange));
    }
    let index = state.grids.index(&state.db).await?;
    let hit = index.locate(lon, lat).ok_or(AppError::Client(ErrorCode::GridNotFound))?;
    Ok(ApiJson(LocateResult {
        grid: hit.grid.clone(),
        inside: hit.inside,
        distance_m: (!hit.inside).then_some(hit.distance_m.round()),
    }))
}

/// A grid's page: team with phones, supervision phone, service items, outline.
#[utoipa::path(get, path = "/api/v1/grids/{id}", tag = "grids", params(("id" = i64, Path)),
    responses((status = 200, body = GridDetail), (status = 404, body = ow_shared::ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<ApiJson<GridDetail>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::Client(ErrorCode::GridNotFound))?;
    let today = grids::today();
    let detail = state.db.read(move |conn| grids::detail(conn, id, &today)).await?;
    detail.map(ApiJson).ok_or(AppError::Client(ErrorCode::GridNotFound))
}
