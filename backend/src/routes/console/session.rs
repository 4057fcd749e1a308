//! `/api/v1/console/session`: staff sign in, see who is signed in, and sign out; and, in
//! demo mode, the demo accounts the sign-in page lists.

use crate::AppState;
use crate::auth::{self, Session};
use crate::db::seed;
use crate::error::{ApiJson, AppError};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Router, routing::get};
use ow_shared::staff::{DemoAccount, SessionInfo, SignInRequest};
use std::net::SocketAddr;

/// The session routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/console/session", get(current).post(sign_in).delete(sign_out))
        .route("/api/v1/console/demo-accounts", get(demo_accounts))
}

/// Signs in: sets the `ow_session` cookie and answers who is signed in with the
/// session's CSRF token.
#[utoipa::path(post, path = "/api/v1/console/session", tag = "console", request_body = SignInRequest,
    responses((status = 200, body = SessionInfo, description = "signed in; sets the ow_session cookie"),
              (status = 401, body = ow_shared::ApiError, description = "SIGN_IN_FAILED: unknown user, wrong password, closed account or a name locked after failures, alike"),
              (status = 429, body = ow_shared::ApiError, description = "RATE_LIMITED: too many sign-ins from this address, with Retry-After")))]
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SignInRequest>,
) -> Result<Response, AppError> {
    let client = state.client_ip(peer, &headers);
    let previous = auth::session::session_token(&headers);
    let signed_in = auth::sign_in::sign_in(&state, request, client, previous).await?;
    let cookie = auth::session::set_cookie(&signed_in.token, auth::session::secure_cookies(&state));
    Ok(private([(header::SET_COOKIE, cookie)], signed_in.info))
}

/// Who is signed in, with the session's CSRF token (for a reloaded console).
#[utoipa::path(get, path = "/api/v1/console/session", tag = "console",
    responses((status = 200, body = SessionInfo), (status = 401, body = ow_shared::ApiError, description = "NOT_SIGNED_IN")))]
pub async fn current(session: Session) -> Response {
    private([], session.info())
}

/// Signs out: ends the session and clears the cookie. Needs `X-CSRF-Token`.
#[utoipa::path(delete, path = "/api/v1/console/session", tag = "console",
    params(("X-CSRF-Token" = String, Header, description = "the session's csrf_token")),
    responses((status = 204, description = "signed out; clears the cookie"),
              (status = 401, body = ow_shared::ApiError, description = "NOT_SIGNED_IN"),
              (status = 403, body = ow_shared::ApiError, description = "CSRF_FAILED")))]
pub async fn sign_out(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    session: Session,
) -> Result<Response, AppError> {
    let client = state.client_ip(peer, &headers);
    auth::sign_in::sign_out(&state, session, client).await?;
    let cookie = auth::session::clear_cookie(auth::session::secure_cookies(&state));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// The demo accounts and their shared password in demo mode; empty otherwise.
#[utoipa::path(get, path = "/api/v1/console/demo-accounts", tag = "console",
    responses((status = 200, body = Vec<DemoAccount>)))]
pub async fn demo_accounts(State(state): State<AppState>) -> ApiJson<Vec<DemoAccount>> {
    ApiJson(if state.demo { seed::demo_accounts() } else { Vec::new() })
}

/// A JSON answer that holds a session secret: never stored by a cache.
fn private<const N: usize>(headers: [(header::HeaderName, HeaderValue); N], info: SessionInfo) -> Response {
    let mut response = (headers, ApiJson(info)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
