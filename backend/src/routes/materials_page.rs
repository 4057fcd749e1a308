//! `/materials`: the resident's 补正 upload page — one small server-written page and
//! its script, so that it costs the resident app's first load nothing. The text
//! message of a 补正 links here with the tracking number (never the query code).

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const PAGE: &str = include_str!("../../assets/materials.html");
const SCRIPT: &str = include_str!("../../assets/materials.js");

/// The page and its script.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route(
            "/materials",
            get(|| async {
                ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], PAGE)
            }),
        )
        .route("/materials.js", get(script))
}

async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], SCRIPT)
}
