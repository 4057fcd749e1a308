//! Sessions: the cookie, its lifetime, the CSRF check, and the `Session` extractor.

use super::Staff;
use crate::error::AppError;
use crate::{AppState, clock, db};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use ow_shared::ErrorCode;
use ow_shared::staff::SessionInfo;
use rand::Rng;
use sha2::{Digest, Sha256};

/// The session cookie's name.
pub const COOKIE: &str = "ow_session";
/// The header state-changing requests carry the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// A session unused for this long has ended (a console left open at an unattended window).
pub const IDLE_TIMEOUT_MS: i64 = 30 * 60 * 1000;
/// However busy, a session ends after this long (one working day).
pub const ABSOLUTE_LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;
/// `last_seen_ms` is written at most this often, so that reads do not all become writes.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// Whether a session made at `created_ms` and last used at `last_seen_ms` is still live.
pub fn session_valid(created_ms: i64, last_seen_ms: i64, now_ms: i64) -> bool {
    now_ms - last_seen_ms < IDLE_TIMEOUT_MS && now_ms - created_ms < ABSOLUTE_LIFETIME_MS
}

/// Whether this use of the session should be written down.
fn needs_touch(last_seen_ms: i64, now_ms: i64) -> bool {
    now_ms - last_seen_ms >= TOUCH_EVERY_MS
}

/// 32 random bytes as hex: a session token or a CSRF token.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is stored for a session token: a database copy signs no one in.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The session token from the request's cookies.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// Whether cookies must be `Secure` (see `Config::secure_cookies`).
pub fn secure_cookies(state: &AppState) -> bool {
    state.secure_cookies
}

/// `Set-Cookie` for a new session. No `Max-Age`: closing the browser on a shared
/// counter computer ends the session too; the server's limits apply either way.
pub fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    cookie(&format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"), secure)
}

/// `Set-Cookie` that makes the browser forget the session.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    cookie(&format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"), secure)
}

fn cookie(text: &str, secure: bool) -> HeaderValue {
    let text = if secure { format!("{text}; Secure") } else { text.to_string() };
    // Only hex and fixed ASCII: always a valid header value.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Compares secrets in time that does not depend on where they first differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| std::hint::black_box(acc | (x ^ y))) == 0
}

/// The current session: who, and the secrets the handlers of the session routes need.
#[derive(Debug, Clone)]
pub struct Session {
    pub staff: Staff,
    pub csrf_token: String,
    pub token_hash: String,
}

impl Session {
    /// What the console is told about this session.
    pub fn info(&self) -> SessionInfo {
        self.staff.session_info(&self.csrf_token)
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // A handler taking both `Session` and `Staff` looks the session up once.
        if let Some(session) = parts.extensions.get::<Session>() {
            return Ok(session.clone());
        }
        let not_signed_in = || AppError::Client(ErrorCode::NotSignedIn);
        let hash = token_hash(session_token(&parts.headers).ok_or_else(not_signed_in)?);
        let key = hash.clone();
        let row = state.db.read(move |conn| db::staff::session(conn, &key)).await?;
        let row = row.ok_or_else(not_signed_in)?;
        let now_ms = clock::now_ms();
        if !row.active || !session_valid(row.created_ms, row.last_seen_ms, now_ms) {
            let key = hash.clone();
            state.db.write(move |conn| db::staff::delete_session(conn, &key)).await?;
            return Err(not_signed_in());
        }
        let safe = [Method::GET, Method::HEAD, Method::OPTIONS].contains(&parts.method);
        if !safe {
            let sent = parts.headers.get(CSRF_HEADER).map(HeaderValue::as_bytes).unwrap_or_default();
            if !same_secret(sent, row.csrf_token.as_bytes()) {
                return Err(AppError::Client(ErrorCode::CsrfFailed));
            }
        }
        if needs_touch(row.last_seen_ms, now_ms) {
            let key = hash.clone();
            state.db.write(move |conn| db::staff::touch_session(conn, &key, now_ms)).await?;
        }
        let session = Session { staff: row.staff, csrf_token: row.csrf_token, token_hash: hash };
        parts.extensions.insert(session.clone());
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: i64 = 1_795_449_599_000;
    const MINUTE: i64 = 60 * 1000;

    #[test]
    fn an_idle_session_ends_after_30_minutes() {
        assert!(session_valid(START, START, START + 29 * MINUTE));
        assert!(!session_valid(START, START, START + 30 * MINUTE));
        assert!(session_valid(START, START + 60 * MINUTE, START + 89 * MINUTE), "use keeps it alive");
    }

    #[test]
    fn a_busy_session_ends_after_12_hours() {
        let end = START + 12 * 60 * MINUTE;
        assert!(session_valid(START, end - MINUTE, end - 1));
        assert!(!session_valid(START, end - MINUTE, end));
    }

    #[test]
    fn use_is_written_down_at_most_once_a_minute() {
        assert!(!needs_touch(START, START + MINUTE - 1));
        assert!(needs_touch(START, START + MINUTE));
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("lang=zh; ow_session=abc123 ; x=1"));
        assert_eq!(session_token(&headers), Some("abc123"));
        headers.clear();
        headers.append(header::COOKIE, HeaderValue::from_static("lang=zh"));
        headers.append(header::COOKIE, HeaderValue::from_static("ow_session=def"));
        assert_eq!(session_token(&headers), Some("def"));
        headers.clear();
        headers.append(header::COOKIE, HeaderValue::from_static("not_ow_session=1; ow_session="));
        assert_eq!(session_token(&headers), None);
    }

    #[test]
    fn secrets_are_64_hex_digits_and_compared_whole() {
        let (a, b) = (new_secret(), new_secret());
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert!(same_secret(a.as_bytes(), a.clone().as_bytes()));
        assert!(!same_secret(a.as_bytes(), b.as_bytes()));
        assert!(!same_secret(a.as_bytes(), &a.as_bytes()[..63]));
        assert!(!same_secret(b"", a.as_bytes()));
        assert_eq!(token_hash("x").len(), 64);
    }

    #[test]
    fn cookies_are_secure_only_over_https() {
        let cookie = set_cookie("ab", false);
        assert_eq!(cookie, "ow_session=ab; HttpOnly; SameSite=Strict; Path=/");
        assert!(set_cookie("ab", true).to_str().unwrap().ends_with("; Secure"));
        assert!(clear_cookie(false).to_str().unwrap().contains("Max-Age=0"));
    }
}
