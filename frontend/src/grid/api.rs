//! The grid app's only HTTP: GET requests over fetch, JSON answers. Every failure is an
//! `ApiError` (the server's own, or `Network`/`Internal` made here).

use ow_shared::dto::RegionsResponse;
use ow_shared::grid::{GridDetail, GridMatch, GridSummary, LocateResult};
use ow_shared::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

/// Townships with their villages and communities.
pub async fn regions() -> Result<RegionsResponse, ApiError> {
    get("/api/v1/regions".into()).await
}

/// The grids of a village or community.
pub async fn grids(village_id: i64) -> Result<Vec<GridSummary>, ApiError> {
    get(format!("/api/v1/grids?village_id={village_id}")).await
}

/// Grids matching a place name or address keyword, best first.
pub async fn search(q: &str) -> Result<Vec<GridMatch>, ApiError> {
    get(format!("/api/v1/grids/search?q={}", String::from(js_sys::encode_uri_component(q)))).await
}

/// The grid containing a WGS84 point, or the nearest one.
pub async fn locate(lon: f64, lat: f64) -> Result<LocateResult, ApiError> {
    get(format!("/api/v1/grids/locate?lon={}&lat={}", super::js_number(lon), super::js_number(lat))).await
}

/// A grid's public page.
pub async fn grid(id: i64) -> Result<GridDetail, ApiError> {
    get(format!("/api/v1/grids/{id}")).await
}

async fn get<T: DeserializeOwned>(url: String) -> Result<T, ApiError> {
    let (status, body) = call(&url).await?;
    parse(status, &body)
}

fn network() -> ApiError {
    ApiError::bare(ErrorCode::Network)
}

/// GET `url`: the status and body text of the answer. Not generic: one copy of the
/// request code serves every call.
async fn call(url: &str) -> Result<(u16, String), ApiError> {
    let answer =
        JsFuture::from(web_sys::window().ok_or_else(network)?.fetch_with_str(url)).await.map_err(|_| network())?;
    let response: Response = answer.unchecked_into();
    let text = JsFuture::from(response.text().map_err(|_| network())?).await.map_err(|_| network())?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

/// Turns a status and body into the answer or the error, even when a proxy answered.
fn parse<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|_| ApiError::bare(ErrorCode::Internal));
    }
    Err(ApiError::bare(match serde_json::from_str::<WireError>(body) {
        Ok(e) => e.code,
        Err(_) if status == 404 => ErrorCode::NotFound,
        Err(_) if status == 429 => ErrorCode::TooManyAttempts,
        Err(_) if status < 500 => ErrorCode::BadRequest,
        Err(_) => ErrorCode::Internal,
    }))
}

/// The one part of an error answer this app uses. Not `ApiError` itself: its `receipt`
/// (of a case submission, never sent here) would bring the case types' decoders along.
#[derive(serde::Deserialize)]
struct WireError {
    code: ErrorCode,
}
