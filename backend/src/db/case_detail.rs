//! Everything about one case for the console, and possible repeats of a new one.
//! Returns personal data in full; `console::redact` cuts it to the caller's role.

use crate::clock;
use crate::error::AppError;
use ow_shared::case::{CaseState, CaseType, EventKind, Mediation};
use ow_shared::console::{
    CallbackView, CaseDetail, DeclineView, DispatchView, ExtensionView, LinkedCase, RepeatCandidate, RepeatReason,
    ReviewView, StaffEvent,
};
use ow_shared::workflow::{Channel, DeclineRoute, DispatchState, MediationOutcome, Rating};
use rusqlite::{Connection, OptionalExtension, Row};
use std::collections::HashSet;

fn code<T>(row: &Row, index: usize, parse: impl Fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let value: String = row.get(index)?;
    parse(&value).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown code {value}").into(),
        )
    })
}

fn from_serde<T: serde::de::DeserializeOwned>(code: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(code.to_string())).ok()
}

/// The case with its parts, events and tasks; None if there is no such case.
/// `deadlines`, `due_on`, `urgency` and `available_actions` are left for the caller.
pub fn load(conn: &Connection, case_id: i64) -> Result<Option<CaseDetail>, AppError> {
    let detail = conn
        .prepare_cached(
            "SELECT c.id, c.tracking_no, c.case_type, c.state, c.channel, c.title, c.description, c.occurred_on,
                    t.name, v.name, c.address, c.other_party_name, c.mediation, c.contact_name, c.mobile,
                    coalesce(c.id_number, ''), c.identity_protected, c.group_size, c.representatives, c.created_at_ms,
                    reg.display_name, lead.display_name, c.linked_case_id, linked.tracking_no,
                    c.decline_route, c.decline_reason, c.mediation_outcome, c.extension_days, c.extension_reason,
                    c.reply, c.rating, c.review_requested_at_ms, c.review_reason, c.review_due_on, c.review_decision
             FROM cases c
             JOIN townships t ON t.id = c.township_id
             JOIN villages v ON v.id = c.village_id
             LEFT JOIN staff reg ON reg.id = c.registered_by
             LEFT JOIN staff lead ON lead.id = c.leader_id
             LEFT JOIN cases linked ON linked.id = c.linked_case_id
             WHERE c.id = ?1",
        )?
        .query_row([case_id], |r| {
            let representatives: String = r.get(18)?;
            let linked_id: Option<i64> = r.get(22)?;
            let decline_route: Option<String> = r.get(24)?;
            let mediation_outcome: Option<String> = r.get(26)?;
            let extension_days: Option<u32> = r.get(27)?;
            let rating: Option<String> = r.get(30)?;
            let review_at: Option<i64> = r.get(31)?;
            let mediation: Option<String> = r.get(12)?;
            Ok(CaseDetail {
                id: r.get(0)?,
                tracking_no: r.get(1)?,
                case_type: code(r, 2, CaseType::from_code)?,
                state: code(r, 3, CaseState::from_code)?,
                channel: code(r, 4, Channel::from_code)?,
                title: r.get(5)?,
                description: r.get(6)?,
                occurred_on: r.get(7)?,
                township: r.get(8)?,
                village: r.get(9)?,
                address: r.get(10)?,
                other_party_name: r.get(11)?,
                mediation: mediation.as_deref().and_then(from_serde::<Mediation>),
                contact_name: r.get(13)?,
                mobile: r.get(14)?,
                id_number: r.get(15)?,
                identity_protected: r.get(16)?,
                group_size: r.get(17)?,
                representatives: serde_json::from_str(&representatives).unwrap_or_default(),
                submitted_at: clock::format_minute(r.get(19)?),
                registered_by: r.get(20)?,
                leader: r.get(21)?,
                linked_case: linked_id
                    .zip(r.get::<_, Option<String>>(23)?)
                    .map(|(id, tracking_no)| LinkedCase { id, tracking_no }),
                photo_ids: Vec::new(),
                deadlines: Vec::new(),
                due_on: None,
                urgency: None,
                decline: decline_route
                    .as_deref()
                    .and_then(from_serde::<DeclineRoute>)
                    .map(|route| {
                        Ok::<_, rusqlite::Error>(DeclineView {
                            route,
                            reason: r.get::<_, Option<String>>(25)?.unwrap_or_default(),
                        })
                    })
                    .transpose()?,
                dispatches: Vec::new(),
                mediation_outcome: mediation_outcome
                    .as_deref()
                    .and_then(|j| serde_json::from_str::<MediationOutcome>(j).ok()),
                extension: extension_days
                    .map(|days| {
                        Ok::<_, rusqlite::Error>(ExtensionView {
                            days,
                            reason: r.get::<_, Option<String>>(28)?.unwrap_or_default(),
                        })
                    })
                    .transpose()?,
                reply: r.get(29)?,
                rating: rating.as_deref().and_then(Rating::from_code),
                callbacks: Vec::new(),
                review: review_at
                    .map(|at| {
                        Ok::<_, rusqlite::Error>(ReviewView {
                            requested_at: clock::format_minute(at),
                            reason: r.get::<_, Option<String>>(32)?.unwrap_or_default(),
                            due_on: r.get::<_, Option<String>>(33)?.unwrap_or_default(),
                            decision: r.get(34)?,
                        })
                    })
                    .transpose()?,
                events: Vec::new(),
                available_actions: Vec::new(),
            })
        })
        .optional()?;
    let Some(mut detail) = detail else {
        return Ok(None);
    };
    detail.photo_ids = photo_ids(conn, case_id)?;
    detail.dispatches = dispatches(conn, case_id)?;
    detail.callbacks = callbacks(conn, case_id)?;
    detail.events = events(conn, case_id)?;
    Ok(Some(detail))
}

fn photo_ids(conn: &Connection, case_id: i64) -> Result<Vec<String>, AppError> {
    let mut stmt = conn.prepare_cached("SELECT id FROM uploads WHERE case_id = ?1 ORDER BY created_at_ms, id")?;
    let rows = stmt.query_map([case_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn dispatches(conn: &Connection, case_id: i64) -> Result<Vec<DispatchView>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.department_id, dep.name, d.state, d.dispatched_at_ms, d.due_on, d.objection_due_on,
                d.objection_reason, d.response
         FROM case_dispatches d JOIN departments dep ON dep.id = d.department_id
         WHERE d.case_id = ?1 ORDER BY d.id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok(DispatchView {
            id: r.get(0)?,
            department_id: r.get(1)?,
            department_name: r.get(2)?,
            state: code(r, 3, DispatchState::from_code)?,
            dispatched_at: clock::format_minute(r.get(4)?),
            due_on: r.get(5)?,
            objection_due_on: r.get(6)?,
            objection_reason: r.get(7)?,
            response: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn callbacks(conn: &Connection, case_id: i64) -> Result<Vec<CallbackView>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id, k.opened_at_ms, k.due_on, k.done_at_ms, s.display_name, k.note
         FROM callback_tasks k LEFT JOIN staff s ON s.id = k.done_by WHERE k.case_id = ?1 ORDER BY k.id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok(CallbackView {
            id: r.get(0)?,
            opened_at: clock::format_minute(r.get(1)?),
            due_on: r.get(2)?,
            done_at: r.get::<_, Option<i64>>(3)?.map(clock::format_minute),
            done_by: r.get(4)?,
            note: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn events(conn: &Connection, case_id: i64) -> Result<Vec<StaffEvent>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT at_ms, kind, actor, unit, from_state, to_state, note, public
         FROM case_events WHERE case_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        let from: Option<String> = r.get(4)?;
        Ok(StaffEvent {
            at: clock::format_minute(r.get(0)?),
            kind: code(r, 1, EventKind::from_code)?,
            actor: r.get(2)?,
            unit: r.get(3)?,
            from_state: from.as_deref().and_then(CaseState::from_code),
            to_state: code(r, 5, CaseState::from_code)?,
            note: r.get(6)?,
            public: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The same person within this many days counts as a possible repeat (重复访).
const REPEAT_WINDOW_DAYS: i64 = 180;
const MAX_CANDIDATES: usize = 8;

/// Possible repeats: the same mobile or ID number within 180 days, then cases whose
/// title or description shares enough of the typed text's trigrams.
pub fn repeats(
    conn: &Connection,
    mobile: Option<&str>,
    id_number: Option<&str>,
    text: &str,
    now_ms: i64,
) -> Result<Vec<RepeatCandidate>, AppError> {
    let since = now_ms - REPEAT_WINDOW_DAYS * 24 * 3600 * 1000;
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    if mobile.is_some() || id_number.is_some() {
        let mut stmt = conn.prepare_cached(
            "SELECT id, tracking_no, title, state, created_at_ms FROM cases
             WHERE created_at_ms >= ?3 AND (mobile = ?1 OR id_number = ?2)
             ORDER BY id DESC LIMIT 8",
        )?;
        let rows =
            stmt.query_map(rusqlite::params![mobile, id_number, since], |r| candidate(r, RepeatReason::SamePerson))?;
        for row in rows {
            let row = row?;
            if seen.insert(row.case_id) {
                found.push(row);
            }
        }
    }
    let grams = trigrams(text);
    if grams.len() >= 2 {
        let query =
            grams.iter().take(24).map(|g| format!("\"{}\"", g.replace('"', "\"\""))).collect::<Vec<_>>().join(" OR ");
        let mut stmt = conn.prepare_cached(
            "SELECT c.id, c.tracking_no, c.title, c.state, c.created_at_ms, c.title || ' ' || c.description
             FROM cases_fts f JOIN cases c ON c.id = f.rowid
             WHERE cases_fts MATCH ?1 ORDER BY bm25(cases_fts) LIMIT 20",
        )?;
        let rows =
            stmt.query_map([query], |r| Ok((candidate(r, RepeatReason::SimilarText)?, r.get::<_, String>(5)?)))?;
        for row in rows {
            let (row, their_text) = row?;
            // Sharing one trigram is chance; a third of the typed text's is a likely match.
            let theirs = trigrams(&their_text);
            let shared = grams.iter().filter(|g| theirs.contains(*g)).count();
            if shared * 3 >= grams.len() && seen.insert(row.case_id) {
                found.push(row);
            }
        }
    }
    found.truncate(MAX_CANDIDATES);
    Ok(found)
}

fn candidate(r: &Row, reason: RepeatReason) -> rusqlite::Result<RepeatCandidate> {
    Ok(RepeatCandidate {
        case_id: r.get(0)?,
        tracking_no: r.get(1)?,
        title: r.get(2)?,
        state: code(r, 3, CaseState::from_code)?,
        submitted_at: clock::format_minute(r.get(4)?),
        reason,
    })
}

/// The distinct three-character windows of a text, ignoring spaces and punctuation.
fn trigrams(text: &str) -> HashSet<String> {
    let chars: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
    chars.windows(3).map(|w| w.iter().collect()).collect()
}
