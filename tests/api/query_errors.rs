//! A malformed query string or path parameter answers the same JSON error as a bad
//! body (`{code, message}` with a zh-CN message), never a plain-text 400.

use crate::helpers::spawn_app;
use ow_shared::{ApiError, ErrorCode};
use reqwest::{Client, StatusCode, header};

/// Signs in as the demo clerk; returns the session cookie to send back.
async fn clerk_cookie(client: &Client, url: &str) -> String {
    let body = serde_json::json!({ "username": "clerk", "password": onewindow::seed::DEMO_PASSWORD });
    let response = client.post(format!("{url}/api/v1/console/session")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_string()
}

/// GETs a path (with the cookie, if any) and expects a JSON error with a zh-CN message.
async fn get_error(client: &Client, url: &str, path: &str, cookie: Option<&str>) -> (StatusCode, ErrorCode) {
    let mut request = client.get(format!("{url}{path}"));
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string());
    assert_eq!(content_type.as_deref(), Some("application/json"), "{path}");
    let error: ApiError = response.json().await.unwrap_or_else(|e| panic!("{path}: not an ApiError: {e}"));
    let zh = error.message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    assert!(zh, "{path}: a zh-CN message, got {:?}", error.message);
    (status, error.code)
}

#[tokio::test]
async fn bad_queries_on_public_routes_are_json_errors() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/booking/places/1/slots",
        "/api/v1/booking/places/1/slots?date=2026-11-02&date=2026-11-03",
        "/api/v1/grids?village_id=abc",
        "/api/v1/grids/search?q=a&q=b",
        "/api/v1/grids/locate?lon=107.5&lon=107.6&lat=27.8",
    ] {
        let answer = get_error(&app.client, &app.url, path, None).await;
        assert_eq!(answer, (StatusCode::BAD_REQUEST, ErrorCode::BadRequest), "{path}");
    }
}

#[tokio::test]
async fn bad_queries_on_console_routes_are_json_errors() {
    let app = spawn_app().await;
    let cookie = clerk_cookie(&app.client, &app.url).await;
    for path in [
        "/api/v1/console/cases?state=flying",
        "/api/v1/console/cases?page=-1",
        "/api/v1/console/bookings",
        "/api/v1/console/bookings?place_id=abc",
        "/api/v1/console/holidays?year=twenty",
    ] {
        let answer = get_error(&app.client, &app.url, path, Some(&cookie)).await;
        assert_eq!(answer, (StatusCode::BAD_REQUEST, ErrorCode::BadRequest), "{path}");
    }
}

#[tokio::test]
async fn a_date_that_is_no_date_is_a_field_error() {
    let app = spawn_app().await;
    let answer = get_error(&app.client, &app.url, "/api/v1/booking/places/1/slots?date=tomorrow", None).await;
    assert_eq!(answer, (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::ValidationFailed));
}

#[tokio::test]
async fn ids_that_are_not_numbers_are_json_errors() {
    let app = spawn_app().await;
    let answer = get_error(&app.client, &app.url, "/api/v1/booking/places/abc/days", None).await;
    assert_eq!(answer, (StatusCode::BAD_REQUEST, ErrorCode::BadRequest));
    let cookie = clerk_cookie(&app.client, &app.url).await;
    for path in ["/api/v1/console/cases/abc", "/api/v1/console/legal-aid/1.5", "/api/v1/console/booking-places/x"] {
        let answer = get_error(&app.client, &app.url, path, Some(&cookie)).await;
        assert_eq!(answer, (StatusCode::BAD_REQUEST, ErrorCode::BadRequest), "{path}");
    }
}
