//! Serving the built app: precompressed brotli/gzip files, long caching for the
//! hashed assets, and index.html for every other path so deep links work.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// The app's files under `dist`, with index.html as the fallback; the staff console
/// (a separate build, so residents never download it) under `/console` from
/// `dist/console`, with its own index.html as the fallback; likewise the legal-aid
/// booking app under `/booking` and the grid lookup under `/grid`, which only the
/// residents who use them download.
pub fn router<S: Clone + Send + Sync + 'static>(dist: &Path) -> Router<S> {
    Router::new()
        .nest_service("/console", app_files(&dist.join("console")))
        .nest_service("/booking", app_files(&dist.join("booking")))
        .nest_service("/grid", app_files(&dist.join("grid")))
        .fallback_service(app_files(dist))
        .layer(middleware::from_fn(cache_headers))
}

/// One single-page app: its files, and its index.html for every other path.
fn app_files(dir: &Path) -> ServeDir<ServeFile> {
    let index = ServeFile::new(dir.join("index.html")).precompressed_br().precompressed_gzip();
    ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(index)
}

/// Trunk names assets by content hash, so they never change: cache them for a year.
/// The page itself must always be revalidated, or phones keep an old app.
async fn cache_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    let policy = if is_page { "no-cache" } else { "public, max-age=31536000, immutable" };
    if response.status().is_success() {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}
