//! Signing in and out. A wrong password and an unknown user name answer alike, take
//! alike long, and both write a line to the account record. After `FAILURES_BEFORE_LOCK`
//! failures in a row an account refuses sign-ins for a minute, doubling with each further
//! failure up to an hour, so guessing a password online takes years; a success resets it.

use super::session::{Session, new_secret, token_hash};
use super::{Staff, password};
use crate::db::staff::{self as store, Event, EventKind};
use crate::error::AppError;
use crate::{AppState, clock};
use ow_shared::ErrorCode;
use ow_shared::staff::{SessionInfo, SignInRequest};
use std::net::IpAddr;

/// Failures in a row that an account takes before it is slowed down.
pub const FAILURES_BEFORE_LOCK: u32 = 5;
const FIRST_LOCK_MS: i64 = 60 * 1000;
const LONGEST_LOCK_MS: i64 = 60 * 60 * 1000;

/// How long an account refuses sign-ins after this many failures in a row.
pub fn lock_ms(failures: u32) -> i64 {
    match failures.checked_sub(FAILURES_BEFORE_LOCK) {
        None => 0,
        Some(extra) => FIRST_LOCK_MS.saturating_mul(1 << extra.min(16)).min(LONGEST_LOCK_MS),
    }
}

/// `TOO_MANY_ATTEMPTS` with the whole seconds until `locked_until_ms`.
fn locked(locked_until_ms: i64, now_ms: i64) -> AppError {
    let ms = (locked_until_ms - now_ms).max(1000);
    AppError::TooManyAttempts(((ms + 999) / 1000) as u64)
}

/// A new session: the cookie's token (given to the browser only) and what it says about who.
pub struct SignedIn {
    pub token: String,
    pub info: SessionInfo,
}

/// Checks the user name and password and starts a session; ends the session of
/// `previous_token` (the browser's old cookie) if there is one.
pub async fn sign_in(
    state: &AppState,
    request: SignInRequest,
    client_ip: IpAddr,
    previous_token: Option<&str>,
) -> Result<SignedIn, AppError> {
    let username = request.username.trim().to_string();
    let account = state.db.read(move |conn| store::credentials(conn, &username)).await?;
    let now_ms = clock::now_ms();
    if let Some(account) = &account
        && account.locked_until_ms > now_ms
    {
        return Err(locked(account.locked_until_ms, now_ms));
    }
    let phc = account.as_ref().map(|a| a.password_hash.clone());
    let password_ok = password::verify(request.password, phc).await?;
    let ip = client_ip.to_string();
    match account {
        Some(account) if password_ok && account.active => {
            let previous = previous_token.map(token_hash);
            let (token, csrf) = (new_secret(), new_secret());
            let hash = token_hash(&token);
            let id = account.staff.id;
            state
                .db
                .write(move |conn| {
                    // Failures recorded while this password was being checked still count.
                    let locked_until_ms = store::locked_until(conn, id)?;
                    if locked_until_ms > now_ms {
                        return Err(locked(locked_until_ms, now_ms));
                    }
                    store::reset_failures(conn, id)?;
                    if let Some(previous) = previous {
                        store::delete_session(conn, &previous)?;
                    }
                    store::insert_session(conn, &hash, id, &csrf, now_ms)?;
                    let event = Event {
                        kind: EventKind::SignIn,
                        staff_id: Some(id),
                        actor_id: None,
                        client_ip: Some(&ip),
                        at_ms: now_ms,
                    };
                    store::record(conn, &event)?;
                    Ok(csrf)
                })
                .await
                .map(|csrf| SignedIn { token, info: account.staff.session_info(&csrf) })
        }
        account => {
            let id = account.map(|a| a.staff.id);
            let failures = state
                .db
                .write(move |conn| {
                    let failures = match id {
                        Some(id) => store::count_failure(conn, id)?,
                        None => 0,
                    };
                    if let Some(id) = id
                        && failures >= FAILURES_BEFORE_LOCK
                    {
                        store::lock(conn, id, now_ms + lock_ms(failures))?;
                    }
                    let event = Event {
                        kind: EventKind::SignInFailed,
                        staff_id: id,
                        actor_id: None,
                        client_ip: Some(&ip),
                        at_ms: now_ms,
                    };
                    store::record(conn, &event)?;
                    Ok(failures)
                })
                .await?;
            if let Some(id) = id.filter(|_| failures >= FAILURES_BEFORE_LOCK) {
                tracing::warn!(staff_id = id, failures, "sign-in locked after failures in a row");
            }
            Err(AppError::Client(ErrorCode::SignInFailed))
        }
    }
}

/// Ends the session and records it.
pub async fn sign_out(state: &AppState, session: Session, client_ip: IpAddr) -> Result<(), AppError> {
    let Session { staff: Staff { id, .. }, token_hash, .. } = session;
    let ip = client_ip.to_string();
    state
        .db
        .write(move |conn| {
            store::delete_session(conn, &token_hash)?;
            let event = Event {
                kind: EventKind::SignOut,
                staff_id: Some(id),
                actor_id: None,
                client_ip: Some(&ip),
                at_ms: clock::now_ms(),
            };
            store::record(conn, &event)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_starts_at_the_fifth_failure_and_doubles_up_to_an_hour() {
        assert_eq!(lock_ms(0), 0);
        assert_eq!(lock_ms(4), 0);
        assert_eq!(lock_ms(5), 60_000);
        assert_eq!(lock_ms(6), 120_000);
        assert_eq!(lock_ms(7), 240_000);
        assert_eq!(lock_ms(10), 32 * 60_000);
        assert_eq!(lock_ms(11), 60 * 60_000);
        assert_eq!(lock_ms(u32::MAX), 60 * 60_000);
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert!(matches!(locked(10_001, 0), AppError::TooManyAttempts(11)));
        assert!(matches!(locked(60_000, 0), AppError::TooManyAttempts(60)));
        assert!(matches!(locked(5, 0), AppError::TooManyAttempts(1)));
    }
}
