//! Cases (诉求), their events, and the idempotency records of their submissions.

use super::row::code;
use crate::error::AppError;
use ow_shared::case::{CaseState, CaseType, EventKind};
use ow_shared::dto::{PublicEvent, SubmitCaseRequest};
use ow_shared::workflow::Channel;
use rusqlite::{Connection, OptionalExtension, params};

/// A case as stored, before it gets its number.
pub struct NewCase<'a> {
    pub request: &'a SubmitCaseRequest,
    pub case_type: CaseType,
    pub query_code_hash: &'a str,
    pub created_at_ms: i64,
    pub acceptance_due_on: &'a str,
    /// Registered at the window by a clerk, or None when the resident submitted it.
    pub walk_in: Option<&'a WalkIn>,
    /// The unit that holds it (`intake::holder`), and its name for the first event.
    pub unit_id: i64,
    pub unit_name: &'a str,
    /// The grid, where known.
    pub grid_id: Option<i64>,
    /// How it came in (online, at a window, or a grid worker's report).
    pub channel: Channel,
}

/// What a clerk adds when registering a walk-in, phone call or letter (代办登记).
#[derive(Debug, Clone, serde::Serialize)]
pub struct WalkIn {
    pub channel: Channel,
    pub group_size: u32,
    pub representatives: Vec<String>,
    pub linked_case_id: Option<i64>,
    /// Where written notices are posted; needed when no phone is given.
    pub postal_address: String,
    pub staff_id: i64,
    pub staff_name: String,
    /// The unit whose window registered it.
    pub unit_id: i64,
}

/// The acting unit of the centre's own events (the resident never sees staff names).
pub const CENTRE: &str = "一窗通办";
/// The actor of the resident's own events.
pub const RESIDENT: &str = "群众";

/// Whether a case with this id exists.
pub fn exists(conn: &Connection, case_id: i64) -> Result<bool, AppError> {
    Ok(conn.prepare_cached("SELECT 1 FROM cases WHERE id = ?1")?.exists([case_id])?)
}

/// Whether a case has this tracking number.
pub fn tracking_no_taken(conn: &Connection, tracking_no: &str) -> Result<bool, AppError> {
    Ok(conn.prepare_cached("SELECT 1 FROM cases WHERE tracking_no = ?1")?.exists([tracking_no])?)
}

/// Inserts a case and its first, public event; returns the case id.
pub fn insert(conn: &Connection, tracking_no: &str, case: &NewCase) -> Result<i64, AppError> {
    let r = case.request;
    conn.prepare_cached(
        "INSERT INTO cases (tracking_no, query_code_hash, case_type, state, channel, title, description,
            occurred_on, township_id, village_id, address, other_party_name, mediation, contact_name, mobile,
            id_number, identity_protected, created_at_ms, acceptance_due_on, due_on, group_size, representatives,
            registered_by, linked_case_id, postal_address, unit_id, grid_id, sms_opt_out)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19, ?20, ?21,
            ?22, ?23, ?24, ?25, ?26, ?27)",
    )?
    .execute(params![
        tracking_no,
        case.query_code_hash,
        case.case_type.code(),
        CaseState::Registered.code(),
        case.channel.code(),
        r.title,
        r.description,
        r.occurred_on,
        r.township_id,
        r.village_id,
        r.address,
        r.other_party_name,
        r.mediation.map(|m| m.code()),
        r.contact_name,
        r.mobile,
        (!r.id_number.is_empty()).then_some(&r.id_number),
        case.case_type.hides_identity_from_departments(),
        case.created_at_ms,
        case.acceptance_due_on,
        case.walk_in.map_or(1, |w| w.group_size),
        serde_json::to_string(&case.walk_in.map(|w| &w.representatives[..]).unwrap_or_default())
            .unwrap_or_else(|_| "[]".into()),
        case.walk_in.map(|w| w.staff_id),
        case.walk_in.and_then(|w| w.linked_case_id),
        case.walk_in.map_or("", |w| w.postal_address.as_str()),
        case.unit_id,
        case.grid_id,
        r.sms_opt_out,
    ])?;
    let case_id = conn.last_insert_rowid();
    let (kind, actor, staff_id) = match case.walk_in {
        Some(w) if case.channel == Channel::Grid => (EventKind::GridReported, w.staff_name.as_str(), Some(w.staff_id)),
        Some(w) => (EventKind::WalkInRegistered, w.staff_name.as_str(), Some(w.staff_id)),
        None => (EventKind::Submitted, RESIDENT, None),
    };
    conn.prepare_cached(
        "INSERT INTO case_events (case_id, at_ms, actor, staff_id, unit, kind, from_state, to_state, public)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, 1)",
    )?
    .execute(params![
        case_id,
        case.created_at_ms,
        actor,
        staff_id,
        case.unit_name,
        kind.code(),
        CaseState::Registered.code()
    ])?;
    Ok(case_id)
}

/// Replaces a case's query code (its hash): the old code stops working at once.
pub fn set_query_code_hash(conn: &Connection, case_id: i64, hash: &str) -> Result<(), AppError> {
    conn.prepare_cached("UPDATE cases SET query_code_hash = ?2 WHERE id = ?1")?.execute(params![case_id, hash])?;
    // A retry of the original submission must not hand back the old code either.
    conn.prepare_cached(
        "UPDATE idempotency_keys SET response = json_set(response, '$.query_code', '') WHERE case_id = ?1",
    )?
    .execute([case_id])?;
    Ok(())
}

/// A stored submission answer for an idempotency key: (request hash, response JSON).
pub fn find_idempotent(conn: &Connection, key: &str) -> Result<Option<(String, String)>, AppError> {
    Ok(conn
        .prepare_cached("SELECT request_hash, response FROM idempotency_keys WHERE key = ?1")?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Records the answer to a submission under its idempotency key.
pub fn save_idempotent(
    conn: &Connection,
    key: &str,
    hash: &str,
    case_id: i64,
    response: &str,
    now_ms: i64,
) -> Result<(), AppError> {
    conn.prepare_cached(
        "INSERT INTO idempotency_keys (key, request_hash, case_id, response, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![key, hash, case_id, response, now_ms])?;
    Ok(())
}

/// Blanks the plain query code in the stored answers of submissions made before
/// `before_ms` (the hash stays for tracking); returns how many were blanked.
pub fn forget_query_codes(conn: &Connection, before_ms: i64) -> Result<usize, AppError> {
    Ok(conn.execute(
        "UPDATE idempotency_keys SET response = json_set(response, '$.query_code', '')
         WHERE created_at_ms < ?1 AND json_extract(response, '$.query_code') != ''",
        [before_ms],
    )?)
}

/// The resident's rating of a case, if rated.
pub fn rating(conn: &Connection, case_id: i64) -> Result<Option<String>, AppError> {
    Ok(conn
        .prepare_cached("SELECT rating FROM cases WHERE id = ?1")?
        .query_row([case_id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// What a resident may see of a case, with the hash to check their query code against.
pub struct TrackedCase {
    pub id: i64,
    pub query_code_hash: String,
    pub tracking_no: String,
    pub case_type: CaseType,
    pub state: CaseState,
    pub title: String,
    pub created_at_ms: i64,
    pub township: String,
    pub village: String,
}

/// Finds a case by its tracking number.
pub fn find_for_tracking(conn: &Connection, tracking_no: &str) -> Result<Option<TrackedCase>, AppError> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id, c.query_code_hash, c.tracking_no, c.case_type, c.state, c.title, c.created_at_ms,
                    t.name, v.name
             FROM cases c JOIN townships t ON t.id = c.township_id JOIN villages v ON v.id = c.village_id
             WHERE c.tracking_no = ?1",
        )?
        .query_row([tracking_no], |r| {
            Ok(TrackedCase {
                id: r.get(0)?,
                query_code_hash: r.get(1)?,
                tracking_no: r.get(2)?,
                case_type: code(r, 3, CaseType::from_code)?,
                state: code(r, 4, CaseState::from_code)?,
                title: r.get(5)?,
                created_at_ms: r.get(6)?,
                township: r.get(7)?,
                village: r.get(8)?,
            })
        })
        .optional()?)
}

/// The public events of a case, oldest first: kind, time and acting unit (never a person).
pub fn public_events(conn: &Connection, case_id: i64) -> Result<Vec<PublicEvent>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT at_ms, kind, unit, public_note FROM case_events WHERE case_id = ?1 AND public = 1 ORDER BY id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    let mut events = Vec::new();
    for row in rows {
        let (at_ms, kind, unit, note) = row?;
        if let Some(kind) = EventKind::from_code(&kind) {
            events.push(PublicEvent { at: crate::clock::format_minute(at_ms), kind, unit, note });
        }
    }
    Ok(events)
}
