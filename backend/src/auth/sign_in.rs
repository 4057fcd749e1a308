//! Signing in and out. An unknown user name, a wrong password and a locked name answer
//! alike (401 `SIGN_IN_FAILED`); the first two take alike long (an unknown name is checked
//! against a dummy hash), and both write a line to the account record. Every attempt is
//! reserved with the `guard` before its password is checked, so a burst of guesses is
//! mostly refused unevaluated; see `guard` for the locks.

use super::session::{Session, new_secret, token_hash};
use super::{Staff, password};
use crate::db::staff::{self as store, Event, EventKind};
use crate::error::AppError;
use crate::{AppState, clock};
use ow_shared::ErrorCode;
use ow_shared::staff::{SessionInfo, SignInRequest};
use std::net::IpAddr;

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
    let Some(reservation) = state.sign_ins.reserve(&username, client_ip) else {
        // Locked for this address (or everywhere): no hash is spent, and the answer is
        // a wrong password's, which names that do not exist get too, as late as one.
        tokio::time::sleep(password::typical_check()).await;
        return Err(AppError::Client(ErrorCode::SignInFailed));
    };
    let account = state.db.read(move |conn| store::credentials(conn, &username)).await?;
    let now_ms = clock::now_ms();
    let phc = account.as_ref().map(|a| a.password_hash.clone());
    let password_ok = password::verify(request.password, phc).await?;
    let ip = client_ip.to_string();
    match account {
        Some(account) if password_ok && account.active => {
            state.sign_ins.succeeded(reservation);
            let previous = previous_token.map(token_hash);
            let (token, csrf) = (new_secret(), new_secret());
            let hash = token_hash(&token);
            let id = account.staff.id;
            state
                .db
                .write(move |conn| {
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
            state
                .db
                .write(move |conn| {
                    let event = Event {
                        kind: EventKind::SignInFailed,
                        staff_id: id,
                        actor_id: None,
                        client_ip: Some(&ip),
                        at_ms: now_ms,
                    };
                    store::record(conn, &event)
                })
                .await?;
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
