//! Legal-aid applications taken at an appointment. SQL only; the rules and clocks are in
//! `crate::booking::legal_aid` and `ow_shared::booking`.

use super::row::code;
use crate::error::AppError;
use ow_shared::booking::LegalAidState;
use rusqlite::{Connection, OptionalExtension, Row, params};

/// An application as stored, with its booking's code and applicant.
#[derive(Debug, Clone)]
pub struct Application {
    pub id: i64,
    pub booking_id: i64,
    pub booking_code: String,
    pub applicant_name: String,
    pub mobile: String,
    pub state: LegalAidState,
    pub answers_json: String,
    pub precheck_json: String,
    pub note: String,
    pub received_on: String,
    pub decision_due_on: String,
    pub decided_on: Option<String>,
    pub lawyer_due_on: Option<String>,
    pub lawyer: String,
    pub refusal_reasons: String,
    /// 补正: the items asked for (JSON array), by when, and the decision clock's pause.
    pub materials_json: String,
    pub materials_due_on: Option<String>,
    pub paused_since: Option<String>,
    pub paused_days: i64,
}

fn application(r: &Row) -> rusqlite::Result<Application> {
    Ok(Application {
        id: r.get(0)?,
        booking_id: r.get(1)?,
        booking_code: r.get(2)?,
        applicant_name: r.get(3)?,
        mobile: r.get(4)?,
        state: code(r, 5, LegalAidState::from_code)?,
        answers_json: r.get(6)?,
        precheck_json: r.get(7)?,
        note: r.get(8)?,
        received_on: r.get(9)?,
        decision_due_on: r.get(10)?,
        decided_on: r.get(11)?,
        lawyer_due_on: r.get(12)?,
        lawyer: r.get(13)?,
        refusal_reasons: r.get(14)?,
        materials_json: r.get(15)?,
        materials_due_on: r.get(16)?,
        paused_since: r.get(17)?,
        paused_days: r.get(18)?,
    })
}

const SELECT: &str = "SELECT a.id, a.booking_id, b.code, b.name, b.mobile, a.state, a.answers, a.precheck, a.note,
        a.received_on, a.decision_due_on, a.decided_on, a.lawyer_due_on, a.lawyer, a.refusal_reasons,
        a.materials, a.materials_due_on, a.paused_since, a.paused_days
    FROM legal_aid_applications a JOIN bookings b ON b.id = a.booking_id";

/// An application by its id.
pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Application>, AppError> {
    Ok(conn.prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?.query_row([id], application).optional()?)
}

/// The application opened from a booking, if any.
pub fn of_booking(conn: &Connection, booking_id: i64) -> Result<Option<i64>, AppError> {
    Ok(conn
        .prepare_cached("SELECT id FROM legal_aid_applications WHERE booking_id = ?1")?
        .query_row([booking_id], |r| r.get(0))
        .optional()?)
}

/// A new application.
pub struct NewApplication<'a> {
    pub booking_id: i64,
    pub answers_json: &'a str,
    pub precheck_json: &'a str,
    pub note: &'a str,
    pub received_on: &'a str,
    pub decision_due_on: &'a str,
    pub created_by: i64,
    pub now_ms: i64,
}

/// Stores a received application; its id.
pub fn insert(conn: &Connection, a: &NewApplication) -> Result<i64, AppError> {
    conn.execute(
        "INSERT INTO legal_aid_applications (booking_id, state, answers, precheck, note, received_on, decision_due_on,
                                             created_by, created_at_ms, updated_at_ms)
         VALUES (?1, 'received', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            a.booking_id,
            a.answers_json,
            a.precheck_json,
            a.note,
            a.received_on,
            a.decision_due_on,
            a.created_by,
            a.now_ms
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Records the decision, if the application is still in `from`; whether it was.
pub fn decide(
    conn: &Connection,
    id: i64,
    to: LegalAidState,
    decided_on: &str,
    lawyer_due_on: Option<&str>,
    reasons: &str,
    now_ms: i64,
) -> Result<bool, AppError> {
    Ok(conn.execute(
        "UPDATE legal_aid_applications SET state = ?2, decided_on = ?3, lawyer_due_on = ?4, refusal_reasons = ?5,
                updated_at_ms = ?6
         WHERE id = ?1 AND state = 'received'",
        params![id, to.code(), decided_on, lawyer_due_on, reasons, now_ms],
    )? > 0)
}

/// Records the assigned lawyer if the application is in `from`; whether it was.
pub fn assign(conn: &Connection, id: i64, from: LegalAidState, lawyer: &str, now_ms: i64) -> Result<bool, AppError> {
    Ok(conn.execute(
        "UPDATE legal_aid_applications SET state = 'assigned', lawyer = ?3, updated_at_ms = ?4
         WHERE id = ?1 AND state = ?2",
        params![id, from.code(), lawyer, now_ms],
    )? > 0)
}

/// 补正 asked for: the decision clock pauses from `today`. Whether the application was
/// received and not paused already.
pub fn pause_for_materials(
    conn: &Connection,
    id: i64,
    materials_json: &str,
    due_on: &str,
    today: &str,
    now_ms: i64,
) -> Result<bool, AppError> {
    Ok(conn.execute(
        "UPDATE legal_aid_applications SET materials = ?2, materials_due_on = ?3, paused_since = ?4, updated_at_ms = ?5
         WHERE id = ?1 AND state = 'received' AND paused_since IS NULL",
        params![id, materials_json, due_on, today, now_ms],
    )? > 0)
}

/// The materials arrived: the clock resumes with its new due date.
pub fn resume(
    conn: &Connection,
    id: i64,
    paused_days: i64,
    decision_due_on: &str,
    now_ms: i64,
) -> Result<bool, AppError> {
    Ok(conn.execute(
        "UPDATE legal_aid_applications SET paused_since = NULL, paused_days = ?2, decision_due_on = ?3, updated_at_ms = ?4
         WHERE id = ?1 AND state = 'received' AND paused_since IS NOT NULL",
        params![id, paused_days, decision_due_on, now_ms],
    )? > 0)
}

/// Applications awaiting materials whose day has passed: (id, booking, the day).
pub fn awaiting_materials_past(conn: &Connection, today: &str) -> Result<Vec<(i64, i64, String)>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, booking_id, materials_due_on FROM legal_aid_applications
         WHERE state = 'received' AND paused_since IS NOT NULL AND materials_due_on < ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([today], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// 视为撤回; false if the application changed meanwhile.
pub fn withdraw(conn: &Connection, id: i64, now_ms: i64) -> Result<bool, AppError> {
    let changed = conn
        .prepare_cached(
            "UPDATE legal_aid_applications SET state = 'withdrawn', updated_at_ms = ?2
             WHERE id = ?1 AND state = 'received' AND paused_since IS NOT NULL",
        )?
        .execute(params![id, now_ms])?;
    Ok(changed == 1)
}
