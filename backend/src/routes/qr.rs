//! `GET /api/v1/qr/track/{no}.svg`: a QR code of a case's tracking link, for the
//! receipt. Rendered here so that residents' phones do not download a QR encoder.

use crate::AppState;
use crate::error::{ApiPath, AppError};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{Router, routing::get};
use ow_shared::ErrorCode;
use ow_shared::validate::normalize_tracking_no;
use qrcode::QrCode;
use qrcode::render::svg;

/// The QR route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/qr/track/{file}", get(track_qr))
        .route("/api/v1/qr/booking/{file}", get(booking_qr))
        .route("/api/v1/qr/grid/{file}", get(grid_qr))
}

/// An SVG QR code of `<this site>/track?no=<no>` (the query code is never in it).
#[utoipa::path(get, path = "/api/v1/qr/track/{file}", tag = "cases",
    params(("file" = String, Path, description = "the tracking number followed by .svg")),
    responses((status = 200, content_type = "image/svg+xml", description = "QR code"),
              (status = 404, body = ow_shared::ApiError)))]
pub async fn track_qr(
    State(state): State<AppState>,
    ApiPath(file): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let no = file.strip_suffix(".svg").and_then(normalize_tracking_no).ok_or(AppError::Client(ErrorCode::NotFound))?;
    svg_response(&format!("{}/track?no={no}", site_url(&state, &headers)), PERSONAL)
}

/// An SVG QR code of `<this site>/booking?code=<code>` for a booking's confirmation
/// (the mobile, needed to open it, is never in it).
#[utoipa::path(get, path = "/api/v1/qr/booking/{file}", tag = "booking",
    params(("file" = String, Path, description = "the booking code followed by .svg")),
    responses((status = 200, content_type = "image/svg+xml", description = "QR code"),
              (status = 404, body = ow_shared::ApiError)))]
pub async fn booking_qr(
    State(state): State<AppState>,
    ApiPath(file): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let code = file
        .strip_suffix(".svg")
        .and_then(ow_shared::booking::normalize_booking_code)
        .ok_or(AppError::Client(ErrorCode::NotFound))?;
    svg_response(&format!("{}/booking?code={code}", site_url(&state, &headers)), PERSONAL)
}

/// An SVG QR code of `<this site>/grid/{id}`, for posting at a grid's notice board.
#[utoipa::path(get, path = "/api/v1/qr/grid/{file}", tag = "grids",
    params(("file" = String, Path, description = "the grid's id followed by .svg")),
    responses((status = 200, content_type = "image/svg+xml", description = "QR code"),
              (status = 404, body = ow_shared::ApiError)))]
pub async fn grid_qr(
    State(state): State<AppState>,
    ApiPath(file): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id: i64 =
        file.strip_suffix(".svg").and_then(|id| id.parse().ok()).ok_or(AppError::Client(ErrorCode::GridNotFound))?;
    let known = state.db.read(move |conn| crate::db::grids::summary(conn, id)).await?.is_some();
    if !known {
        return Err(AppError::Client(ErrorCode::GridNotFound));
    }
    svg_response(&format!("{}/grid/{id}", site_url(&state, &headers)), PUBLIC)
}

/// A case's or booking's link: a shared counter PC must not keep it.
const PERSONAL: &str = "no-store";
/// Private: without a configured public URL the image depends on the Host header,
/// which a shared cache must not hand to someone else.
const PUBLIC: &str = "private, max-age=86400";

fn svg_response(link: &str, cache: &'static str) -> Result<Response, AppError> {
    let code = QrCode::new(link).map_err(|e| AppError::Internal(e.to_string()))?;
    let image = code.render::<svg::Color>().min_dimensions(180, 180).quiet_zone(true).build();
    let mut response = image.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}

/// The configured public URL, or else the scheme and host this request came in on.
pub fn site_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.public_url {
        return url.to_string();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1:8080");
    let scheme = match headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()) {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}
