//! Administering staff accounts: creating (from the console or the command line),
//! deactivating, and setting a new password. Each change ends what sessions it must and
//! writes a line to the account record.

use super::{Staff, password};
use crate::clock;
use crate::db::Db;
use crate::db::staff::{self as store, Event, EventKind, NewStaff};
use crate::error::AppError;
use ow_shared::staff::{CreateStaffRequest, StaffAccount, check_password, validate_create_staff};
use ow_shared::{ErrorCode, FieldError};

/// Creates an account; `actor_id` is the administrator, `None` from the command line.
pub async fn create(db: &Db, request: CreateStaffRequest, actor_id: Option<i64>) -> Result<StaffAccount, AppError> {
    let request = validate_create_staff(&request).map_err(AppError::Validation)?;
    if let Some(department_id) = request.department_id {
        let known = db.read(move |conn| store::department_exists(conn, department_id)).await?;
        if !known {
            return Err(AppError::Validation(vec![FieldError::new("department_id", ErrorCode::DepartmentUnknown)]));
        }
    }
    let role = request.role.ok_or(AppError::Client(ErrorCode::BadRequest))?;
    let (unit_id, grid_id) = (request.unit_id, request.grid_id);
    db.read(move |conn| crate::db::units::account_unit(conn, unit_id, grid_id)).await?;
    let password_hash = password::hash(request.password).await?;
    db.write(move |conn| {
        let now_ms = clock::now_ms();
        let new = NewStaff {
            username: &request.username,
            display_name: &request.display_name,
            role,
            department_id: request.department_id,
            password_hash: &password_hash,
            unit_id: crate::db::units::account_unit(conn, request.unit_id, request.grid_id)?,
            grid_id: request.grid_id,
        };
        let id = store::insert(conn, &new, now_ms)?;
        store::record(conn, &event(EventKind::AccountCreated, id, actor_id, now_ms))?;
        store::account(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))
    })
    .await
}

/// Closes an account and ends its sessions. Administrators cannot close their own.
pub async fn deactivate(db: &Db, id: i64, admin: &Staff) -> Result<StaffAccount, AppError> {
    if id == admin.id {
        return Err(AppError::Client(ErrorCode::Forbidden));
    }
    let actor_id = admin.id;
    db.write(move |conn| {
        if !store::deactivate(conn, id)? {
            return Err(AppError::Client(ErrorCode::NotFound));
        }
        store::delete_sessions_of(conn, id, None)?;
        let now_ms = clock::now_ms();
        store::record(conn, &event(EventKind::Deactivated, id, Some(actor_id), now_ms))?;
        store::account(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))
    })
    .await
}

/// Sets a new password and ends the account's sessions — except `own_session` (a token
/// hash), so administrators setting their own stay signed in. Returns the user name,
/// whose sign-in locks the caller lifts (`guard::SignInGuard::forget`).
pub async fn reset_password(
    db: &Db,
    id: i64,
    new_password: String,
    admin: &Staff,
    own_session: Option<String>,
) -> Result<String, AppError> {
    let account = db.read(move |conn| store::account(conn, id)).await?;
    let account = account.ok_or(AppError::Client(ErrorCode::NotFound))?;
    if let Some(problem) = check_password(&account.username, &new_password) {
        return Err(AppError::Validation(vec![problem]));
    }
    let password_hash = password::hash(new_password).await?;
    let actor_id = admin.id;
    let keep = own_session.filter(|_| id == admin.id);
    db.write(move |conn| {
        if !store::set_password(conn, id, &password_hash)? {
            return Err(AppError::Client(ErrorCode::NotFound));
        }
        store::delete_sessions_of(conn, id, keep.as_deref())?;
        store::record(conn, &event(EventKind::PasswordReset, id, Some(actor_id), clock::now_ms()))
    })
    .await?;
    Ok(account.username)
}

fn event(kind: EventKind, staff_id: i64, actor_id: Option<i64>, at_ms: i64) -> Event<'static> {
    Event { kind, staff_id: Some(staff_id), actor_id, client_ip: None, at_ms }
}
