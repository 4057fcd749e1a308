//! The outbox of text messages (`messages`): written by the acts that cause them,
//! claimed and marked by the delivery worker (`crate::messages::worker`).

use super::row::code;
use crate::error::AppError;
use ow_shared::message::MessageState;
use rusqlite::{Connection, OptionalExtension, Row, params};

/// The queue's "contact failed" filter: the case's latest message could not be
/// delivered (every attempt failed), and nothing was delivered after it.
pub const CONTACT_FAILED: &str = "EXISTS (SELECT 1 FROM messages m WHERE m.case_id = c.id AND m.state = 'dead'
    AND NOT EXISTS (SELECT 1 FROM messages n WHERE n.case_id = c.id AND n.id > m.id AND n.state != 'dead'))";

/// A message to write.
pub struct NewMessage<'a> {
    pub case_id: Option<i64>,
    pub booking_id: Option<i64>,
    pub template: &'a str,
    /// A JSON object of strings.
    pub params: &'a str,
    pub mobile: &'a str,
    pub urgent: bool,
    pub now_ms: i64,
    pub resent_from: Option<i64>,
}

/// A stored message.
#[derive(Debug, Clone)]
pub struct MessageRow {
    pub id: i64,
    pub idempotency_id: String,
    pub case_id: Option<i64>,
    pub booking_id: Option<i64>,
    pub template: String,
    pub params: String,
    pub mobile: String,
    pub state: MessageState,
    pub attempts: u32,
    pub next_attempt_at_ms: i64,
    pub urgent: bool,
    /// The first hand-over to the gateway, if any.
    pub sent_at_ms: Option<i64>,
    pub last_error: String,
    pub created_at_ms: i64,
    pub delivered_at_ms: Option<i64>,
    pub resent_from: Option<i64>,
}

const COLUMNS: &str = "id, idempotency_id, case_id, booking_id, template, params, mobile, state, attempts,
    next_attempt_at_ms, urgent, last_error, created_at_ms, delivered_at_ms, resent_from, sent_at_ms";

fn message_row(r: &Row) -> rusqlite::Result<MessageRow> {
    Ok(MessageRow {
        id: r.get(0)?,
        idempotency_id: r.get(1)?,
        case_id: r.get(2)?,
        booking_id: r.get(3)?,
        template: r.get(4)?,
        params: r.get(5)?,
        mobile: r.get(6)?,
        state: code(r, 7, MessageState::from_code)?,
        attempts: r.get(8)?,
        next_attempt_at_ms: r.get(9)?,
        urgent: r.get(10)?,
        last_error: r.get(11)?,
        created_at_ms: r.get(12)?,
        delivered_at_ms: r.get(13)?,
        resent_from: r.get(14)?,
        sent_at_ms: r.get(15)?,
    })
}

/// Writes a message, queued for now; returns its id.
pub fn insert(conn: &Connection, m: &NewMessage, idempotency_id: &str) -> Result<i64, AppError> {
    conn.prepare_cached(
        "INSERT INTO messages (idempotency_id, case_id, booking_id, template, params, mobile, state,
            next_attempt_at_ms, urgent, created_at_ms, resent_from)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?8, ?7, ?9)",
    )?
    .execute(params![
        idempotency_id,
        m.case_id,
        m.booking_id,
        m.template,
        m.params,
        m.mobile,
        m.now_ms,
        m.urgent,
        m.resent_from
    ])?;
    Ok(conn.last_insert_rowid())
}

/// One message.
pub fn by_id(conn: &Connection, id: i64) -> Result<Option<MessageRow>, AppError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM messages WHERE id = ?1"))?
        .query_row([id], message_row)
        .optional()?)
}

/// Booked appointments on `day` not yet reminded of.
pub fn bookings_to_remind(conn: &Connection, day: &str) -> Result<Vec<i64>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM bookings b WHERE day = ?1 AND status = 'booked' AND mobile != ''
           AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.booking_id = b.id AND m.template = 'booking_reminder')",
    )?;
    let rows = stmt.query_map([day], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Replied cases (the review window open) with texts allowed and no closing reminder
/// yet: (case id, the day the review window runs from: the reply's delivery, else the reply).
pub fn replied_cases_to_remind(conn: &Connection) -> Result<Vec<(i64, String)>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, coalesce((SELECT delivered_on FROM notices n WHERE n.case_id = c.id AND n.kind = 'reply'
                AND n.delivered_on IS NOT NULL ORDER BY n.id DESC LIMIT 1), replied_on)
         FROM cases c WHERE state = 'replied' AND replied_on IS NOT NULL AND sms_opt_out = 0
           AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.case_id = c.id AND m.template = 'case_review_closing')",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A case's messages, oldest first.
pub fn for_case(conn: &Connection, case_id: i64) -> Result<Vec<MessageRow>, AppError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM messages WHERE case_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([case_id], message_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether any message's time has come (a cheap read before claiming in a write).
pub fn any_due(conn: &Connection, now_ms: i64) -> Result<bool, AppError> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM messages
             WHERE state IN ('queued', 'sending', 'failed') AND next_attempt_at_ms <= ?1)",
        )?
        .query_row([now_ms], |r| r.get(0))?)
}

/// Messages whose time has come (queued, failed and due again, or claimed by a worker
/// that never answered), earliest first.
pub fn due(conn: &Connection, now_ms: i64, limit: usize) -> Result<Vec<MessageRow>, AppError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM messages
         WHERE state IN ('queued', 'sending', 'failed') AND next_attempt_at_ms <= ?1
         ORDER BY next_attempt_at_ms, id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![now_ms, limit as i64], message_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many messages went to this mobile since `since_ms` (the daily cap).
pub fn sent_since(conn: &Connection, mobile: &str, since_ms: i64) -> Result<u32, AppError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM messages WHERE mobile = ?1 AND sent_at_ms >= ?2")?
        .query_row(params![mobile, since_ms], |r| r.get(0))?)
}

/// Moves a message's next attempt (quiet hours, the daily cap).
pub fn postpone(conn: &Connection, id: i64, at_ms: i64) -> Result<(), AppError> {
    conn.prepare_cached("UPDATE messages SET next_attempt_at_ms = ?2 WHERE id = ?1")?.execute(params![id, at_ms])?;
    Ok(())
}

/// Claims a message for an attempt: `sending` until `lease_until_ms`, when another
/// worker (after a crash) may try it again with the same idempotency id.
pub fn claim(conn: &Connection, id: i64, now_ms: i64, lease_until_ms: i64) -> Result<(), AppError> {
    conn.prepare_cached(
        "UPDATE messages SET state = 'sending', attempts = attempts + 1, next_attempt_at_ms = ?3,
            sent_at_ms = coalesce(sent_at_ms, ?2)
         WHERE id = ?1",
    )?
    .execute(params![id, now_ms, lease_until_ms])?;
    Ok(())
}

/// The gateway took it.
pub fn mark_delivered(conn: &Connection, id: i64, now_ms: i64) -> Result<(), AppError> {
    conn.prepare_cached(
        "UPDATE messages SET state = 'delivered', delivered_at_ms = ?2, last_error = '' WHERE id = ?1 AND state = 'sending'",
    )?
    .execute(params![id, now_ms])?;
    Ok(())
}

/// An attempt failed: again at `retry_at_ms`, or never (`None`: dead).
pub fn mark_failed(conn: &Connection, id: i64, retry_at_ms: Option<i64>, error: &str) -> Result<(), AppError> {
    let state = if retry_at_ms.is_some() { MessageState::Failed } else { MessageState::Dead };
    conn.prepare_cached(
        "UPDATE messages SET state = ?2, next_attempt_at_ms = coalesce(?3, next_attempt_at_ms), last_error = ?4
         WHERE id = ?1 AND state = 'sending'",
    )?
    .execute(params![id, state.code(), retry_at_ms, error])?;
    Ok(())
}

/// A failed message replaced by a resend stops being retried.
pub fn retire(conn: &Connection, id: i64) -> Result<(), AppError> {
    conn.prepare_cached("UPDATE messages SET state = 'dead' WHERE id = ?1 AND state = 'failed'")?.execute([id])?;
    Ok(())
}

/// At start: messages a previous run claimed and never answered for (it was killed) are
/// due again now, with their same idempotency ids.
pub fn release_claims(conn: &Connection, now_ms: i64) -> Result<usize, AppError> {
    Ok(conn.prepare_cached("UPDATE messages SET next_attempt_at_ms = ?1 WHERE state = 'sending'")?.execute([now_ms])?)
}
