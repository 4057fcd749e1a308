//! The grid app's endpoints; `crate::http` does the talking.

use crate::http::{Client, encode};
use ow_shared::ApiError;
use ow_shared::dto::RegionsResponse;
use ow_shared::grid::{GridDetail, GridMatch, GridSummary, LocateResult};

const API: Client = Client::PUBLIC;

/// Townships with their villages and communities.
pub async fn regions() -> Result<RegionsResponse, ApiError> {
    API.get("/api/v1/regions").await
}

/// The grids of a village or community.
pub async fn grids(village_id: i64) -> Result<Vec<GridSummary>, ApiError> {
    API.get(&format!("/api/v1/grids?village_id={village_id}")).await
}

/// Grids matching a place name or address keyword, best first.
pub async fn search(q: &str) -> Result<Vec<GridMatch>, ApiError> {
    API.get(&format!("/api/v1/grids/search?q={}", encode(q))).await
}

/// The grid containing a WGS84 point, or the nearest one.
pub async fn locate(lon: f64, lat: f64) -> Result<LocateResult, ApiError> {
    API.get(&format!("/api/v1/grids/locate?lon={}&lat={}", super::js_number(lon), super::js_number(lat))).await
}

/// A grid's public page.
pub async fn grid(id: i64) -> Result<GridDetail, ApiError> {
    API.get(&format!("/api/v1/grids/{id}")).await
}
