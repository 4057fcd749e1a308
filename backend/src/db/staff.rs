//! Staff accounts, their sessions and the append-only record of who signed in and what
//! administrators did to accounts.

use super::row::code;
use crate::auth::Staff;
use crate::error::AppError;
use ow_shared::ErrorCode;
use ow_shared::staff::{Department, Role, StaffAccount};
use ow_shared::unit::{UnitLevel, UnitRef};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// The columns `staff_from` reads, from `STAFF_TABLES`; the next column is `NEXT`.
const STAFF_COLUMNS: &str = "s.id, s.username, s.display_name, s.role, s.department_id, d.name,
    u.id, u.name, u.level, u.township_id, u.village_id, s.grid_id";
const STAFF_TABLES: &str = "staff s LEFT JOIN departments d ON d.id = s.department_id JOIN units u ON u.id = s.unit_id";
const NEXT: usize = 12;

fn staff_from(r: &Row) -> rusqlite::Result<Staff> {
    Ok(Staff {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        role: code(r, 3, Role::from_code)?,
        department_id: r.get(4)?,
        department_name: r.get(5)?,
        unit: UnitRef { id: r.get(6)?, name: r.get(7)?, level: code(r, 8, UnitLevel::from_code)? },
        unit_township_id: r.get(9)?,
        unit_village_id: r.get(10)?,
        grid_id: r.get(11)?,
    })
}

/// What signing in needs to know about an account.
pub struct Credentials {
    pub staff: Staff,
    pub password_hash: String,
    pub active: bool,
}

/// The account with this user name (any case), active or not.
pub fn credentials(conn: &Connection, username: &str) -> Result<Option<Credentials>, AppError> {
    let sql = format!("SELECT {STAFF_COLUMNS}, s.password_hash, s.active FROM {STAFF_TABLES} WHERE s.username = ?1");
    Ok(conn
        .query_row(&sql, [username], |r| {
            Ok(Credentials { staff: staff_from(r)?, password_hash: r.get(NEXT)?, active: r.get(NEXT + 1)? })
        })
        .optional()?)
}

/// A session as stored, with its member of staff.
pub struct SessionRow {
    pub staff: Staff,
    pub active: bool,
    pub csrf_token: String,
    pub created_ms: i64,
    pub last_seen_ms: i64,
}

/// Starts a session.
pub fn insert_session(
    conn: &Connection,
    token_hash: &str,
    staff_id: i64,
    csrf: &str,
    now_ms: i64,
) -> Result<(), AppError> {
    conn.execute(
        "INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, created_at_ms, last_seen_ms)
         VALUES (?1, ?2, ?3, ?4, ?4)",
        params![token_hash, staff_id, csrf, now_ms],
    )?;
    Ok(())
}

/// The session with this token hash.
pub fn session(conn: &Connection, token_hash: &str) -> Result<Option<SessionRow>, AppError> {
    let sql = format!(
        "SELECT {STAFF_COLUMNS}, s.active, x.csrf_token, x.created_at_ms, x.last_seen_ms
         FROM staff_sessions x JOIN {STAFF_TABLES} WHERE s.id = x.staff_id AND x.token_hash = ?1"
    );
    Ok(conn
        .query_row(&sql, [token_hash], |r| {
            Ok(SessionRow {
                staff: staff_from(r)?,
                active: r.get(NEXT)?,
                csrf_token: r.get(NEXT + 1)?,
                created_ms: r.get(NEXT + 2)?,
                last_seen_ms: r.get(NEXT + 3)?,
            })
        })
        .optional()?)
}

/// Notes that the session was used.
pub fn touch_session(conn: &Connection, token_hash: &str, now_ms: i64) -> Result<(), AppError> {
    conn.execute("UPDATE staff_sessions SET last_seen_ms = ?2 WHERE token_hash = ?1", params![token_hash, now_ms])?;
    Ok(())
}

/// Ends one session; returns whether it existed.
pub fn delete_session(conn: &Connection, token_hash: &str) -> Result<bool, AppError> {
    Ok(conn.execute("DELETE FROM staff_sessions WHERE token_hash = ?1", [token_hash])? > 0)
}

/// Ends every session idle since before `idle_since_ms` or begun before
/// `begun_before_ms`; returns how many.
pub fn delete_expired_sessions(conn: &Connection, idle_since_ms: i64, begun_before_ms: i64) -> Result<usize, AppError> {
    Ok(conn.execute(
        "DELETE FROM staff_sessions WHERE last_seen_ms < ?1 OR created_at_ms < ?2",
        params![idle_since_ms, begun_before_ms],
    )?)
}

/// Ends every session of an account, except `keep` (the caller's own) if given.
pub fn delete_sessions_of(conn: &Connection, staff_id: i64, keep: Option<&str>) -> Result<usize, AppError> {
    Ok(conn
        .execute("DELETE FROM staff_sessions WHERE staff_id = ?1 AND token_hash IS NOT ?2", params![staff_id, keep])?)
}

/// What `staff_events` records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    SignIn,
    SignInFailed,
    SignOut,
    AccountCreated,
    Deactivated,
    PasswordReset,
}

impl EventKind {
    fn code(self) -> &'static str {
        match self {
            EventKind::SignIn => "sign_in",
            EventKind::SignInFailed => "sign_in_failed",
            EventKind::SignOut => "sign_out",
            EventKind::AccountCreated => "account_created",
            EventKind::Deactivated => "deactivated",
            EventKind::PasswordReset => "password_reset",
        }
    }
}

/// One line of the account record: what happened to `staff_id`, done by `actor_id`
/// (an administrator) or by the account's holder when `None`.
pub struct Event<'a> {
    pub kind: EventKind,
    pub staff_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub client_ip: Option<&'a str>,
    pub at_ms: i64,
}

/// Appends to the account record.
pub fn record(conn: &Connection, event: &Event) -> Result<(), AppError> {
    conn.execute(
        "INSERT INTO staff_events (at_ms, kind, staff_id, actor_id, client_ip) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![event.at_ms, event.kind.code(), event.staff_id, event.actor_id, event.client_ip],
    )?;
    Ok(())
}

fn account_from(r: &Row) -> rusqlite::Result<StaffAccount> {
    let staff = staff_from(r)?;
    Ok(StaffAccount {
        id: staff.id,
        username: staff.username,
        display_name: staff.display_name,
        role: staff.role,
        department_id: staff.department_id,
        department_name: staff.department_name,
        unit: staff.unit,
        grid_id: staff.grid_id,
        active: r.get(NEXT)?,
    })
}

/// Every account, in the order they were made.
pub fn accounts(conn: &Connection) -> Result<Vec<StaffAccount>, AppError> {
    let sql = format!("SELECT {STAFF_COLUMNS}, s.active FROM {STAFF_TABLES} ORDER BY s.id");
    Ok(conn.prepare(&sql)?.query_map([], account_from)?.collect::<Result<_, _>>()?)
}

/// One account.
pub fn account(conn: &Connection, id: i64) -> Result<Option<StaffAccount>, AppError> {
    let sql = format!("SELECT {STAFF_COLUMNS}, s.active FROM {STAFF_TABLES} WHERE s.id = ?1");
    Ok(conn.query_row(&sql, [id], account_from).optional()?)
}

/// A new account, its password already hashed.
pub struct NewStaff<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub department_id: Option<i64>,
    pub password_hash: &'a str,
    pub unit_id: i64,
    pub grid_id: Option<i64>,
}

/// Adds an account; `UsernameTaken` if the name is in use in any case.
pub fn insert(conn: &Connection, new: &NewStaff, now_ms: i64) -> Result<i64, AppError> {
    let taken: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM staff WHERE username = ?1)", [new.username], |r| r.get(0))?;
    if taken {
        return Err(AppError::Client(ErrorCode::UsernameTaken));
    }
    conn.execute(
        "INSERT INTO staff (username, display_name, role, department_id, password_hash, created_at_ms, unit_id, grid_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            new.username,
            new.display_name,
            new.role.code(),
            new.department_id,
            new.password_hash,
            now_ms,
            new.unit_id,
            new.grid_id
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Closes an account; returns whether it exists.
pub fn deactivate(conn: &Connection, id: i64) -> Result<bool, AppError> {
    Ok(conn.execute("UPDATE staff SET active = 0 WHERE id = ?1", [id])? > 0)
}

/// Closes every active account whose password hash is this one; returns how many.
pub fn deactivate_by_hash(conn: &Connection, password_hash: &str) -> Result<usize, AppError> {
    Ok(conn.execute("UPDATE staff SET active = 0 WHERE active = 1 AND password_hash = ?1", [password_hash])?)
}

/// Replaces an account's password and lifts any sign-in lock; returns whether it exists.
pub fn set_password(conn: &Connection, id: i64, password_hash: &str) -> Result<bool, AppError> {
    Ok(conn.execute(
        "UPDATE staff SET password_hash = ?2, failed_sign_ins = 0, locked_until_ms = 0 WHERE id = ?1",
        params![id, password_hash],
    )? > 0)
}

/// The departments, in id order.
pub fn departments(conn: &Connection) -> Result<Vec<Department>, AppError> {
    Ok(conn
        .prepare("SELECT id, code, name, level FROM departments ORDER BY id")?
        .query_map([], |r| {
            Ok(Department { id: r.get(0)?, code: r.get(1)?, name: r.get(2)?, level: code(r, 3, UnitLevel::from_code)? })
        })?
        .collect::<Result<_, _>>()?)
}

/// The id of the department with this code.
pub fn department_id(conn: &Connection, code: &str) -> Result<Option<i64>, AppError> {
    Ok(conn.query_row("SELECT id FROM departments WHERE code = ?1", [code], |r| r.get(0)).optional()?)
}

/// Whether a department exists.
pub fn department_exists(conn: &Connection, id: i64) -> Result<bool, AppError> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM departments WHERE id = ?1)", [id], |r| r.get(0))?)
}
