//! The HTTP side of idempotent POSTs (a case, a walk-in, a booking): the
//! `Idempotency-Key` header, and the 201 answer that a retry gets again.

use crate::error::AppError;
use crate::intake::check_idempotency_key;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn header_value(headers: &HeaderMap) -> Option<&str> {
    headers.get("idempotency-key").and_then(|v| v.to_str().ok())
}

/// The request's `Idempotency-Key`, checked; 400 `IDEMPOTENCY_KEY_MISSING` without one.
pub fn key(headers: &HeaderMap) -> Result<String, AppError> {
    check_idempotency_key(header_value(headers))
}

/// The request's `Idempotency-Key` where one is optional, checked if given.
pub fn optional_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    header_value(headers).map(|key| check_idempotency_key(Some(key))).transpose()
}

/// 201 with the answer as JSON; a retry's answer is the stored one, marked
/// `Idempotent-Replayed: true` so that clients can tell.
pub fn created(json: String, replayed: bool) -> Response {
    let mut response = (StatusCode::CREATED, [(header::CONTENT_TYPE, "application/json")], json).into_response();
    if replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}
