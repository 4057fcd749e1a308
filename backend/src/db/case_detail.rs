//! Everything about one case for the console, and possible repeats of a new one.
//! Returns personal data in full; `console::redact` cuts it to the caller's role.

use super::row::{code, from_serde};
use crate::clock;
use crate::error::AppError;
use ow_shared::case::{CaseState, CaseType, EventKind, Mediation};
use ow_shared::console::{
    CallbackView, CaseDetail, DeclineView, DispatchView, ExtensionView, GridRef, LinkedCase, RepeatCandidate,
    RepeatReason, ReviewView, StaffEvent,
};
use ow_shared::workflow::{Channel, DeclineRoute, DispatchState, MediationOutcome, Rating};
use rusqlite::{Connection, OptionalExtension, Row};
use std::collections::HashSet;

/// The case with its parts, events and tasks; None if there is no such case.
/// `deadlines`, `due_on`, `urgency` and `available_actions` are left for the caller.
pub fn load(conn: &Connection, case_id: i64) -> Result<Option<CaseDetail>, AppError> {
    let detail = conn
        .prepare_cached(
            "SELECT c.id AS id, c.tracking_no AS tracking_no, c.case_type AS case_type, c.state AS state,
                    c.channel AS channel, c.title AS title, c.description AS description, c.occurred_on AS occurred_on,
                    t.name AS township, v.name AS village, c.address AS address,
                    c.other_party_name AS other_party_name, c.mediation AS mediation, c.contact_name AS contact_name,
                    c.mobile AS mobile, coalesce(c.id_number, '') AS id_number,
                    c.identity_protected AS identity_protected, c.group_size AS group_size,
                    c.representatives AS representatives, c.created_at_ms AS created_at_ms,
                    reg.display_name AS registered_by, lead.display_name AS leader,
                    c.linked_case_id AS linked_case_id, linked.tracking_no AS linked_tracking_no,
                    c.decline_route AS decline_route, c.decline_reason AS decline_reason,
                    c.mediation_outcome AS mediation_outcome, c.extension_days AS extension_days,
                    c.extension_reason AS extension_reason, c.reply AS reply, c.rating AS rating,
                    c.review_requested_at_ms AS review_requested_at_ms, c.review_reason AS review_reason,
                    c.review_due_on AS review_due_on, c.review_decision AS review_decision,
                    c.postal_address AS postal_address, g.id AS grid_id, g.name AS grid_name,
                    w.display_name AS grid_worker, c.resolved_on_spot AS resolved_on_spot
             FROM cases c
             LEFT JOIN grids g ON g.id = c.grid_id
             LEFT JOIN staff w ON w.id = c.grid_worker_id
             JOIN townships t ON t.id = c.township_id
             JOIN villages v ON v.id = c.village_id
             LEFT JOIN staff reg ON reg.id = c.registered_by
             LEFT JOIN staff lead ON lead.id = c.leader_id
             LEFT JOIN cases linked ON linked.id = c.linked_case_id
             WHERE c.id = ?1",
        )?
        .query_row([case_id], case_row)
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

/// The case's own columns; its lists and clocks are filled in afterwards.
fn case_row(r: &Row) -> rusqlite::Result<CaseDetail> {
    let text = |column: &str| r.get::<_, Option<String>>(column);
    let representatives: String = r.get("representatives")?;
    let linked_id: Option<i64> = r.get("linked_case_id")?;
    Ok(CaseDetail {
        id: r.get("id")?,
        tracking_no: r.get("tracking_no")?,
        case_type: code(r, "case_type", CaseType::from_code)?,
        state: code(r, "state", CaseState::from_code)?,
        channel: code(r, "channel", Channel::from_code)?,
        title: r.get("title")?,
        description: r.get("description")?,
        occurred_on: r.get("occurred_on")?,
        township: r.get("township")?,
        village: r.get("village")?,
        address: r.get("address")?,
        other_party_name: r.get("other_party_name")?,
        mediation: text("mediation")?.as_deref().and_then(from_serde::<Mediation>),
        contact_name: r.get("contact_name")?,
        mobile: r.get("mobile")?,
        id_number: r.get("id_number")?,
        postal_address: r.get("postal_address")?,
        can_reveal_contact: false,
        identity_protected: r.get("identity_protected")?,
        group_size: r.get("group_size")?,
        representatives: serde_json::from_str(&representatives).unwrap_or_default(),
        submitted_at: clock::format_minute(r.get("created_at_ms")?),
        registered_by: r.get("registered_by")?,
        leader: r.get("leader")?,
        linked_case: linked_id.zip(text("linked_tracking_no")?).map(|(id, tracking_no)| LinkedCase { id, tracking_no }),
        photo_ids: Vec::new(),
        deadlines: Vec::new(),
        due_on: None,
        urgency: None,
        decline: match text("decline_route")?.as_deref().and_then(from_serde::<DeclineRoute>) {
            Some(route) => Some(DeclineView { route, reason: text("decline_reason")?.unwrap_or_default() }),
            None => None,
        },
        dispatches: Vec::new(),
        mediation_outcome: text("mediation_outcome")?
            .as_deref()
            .and_then(|json| serde_json::from_str::<MediationOutcome>(json).ok()),
        extension: match r.get::<_, Option<u32>>("extension_days")? {
            Some(days) => Some(ExtensionView { days, reason: text("extension_reason")?.unwrap_or_default() }),
            None => None,
        },
        reply: r.get("reply")?,
        rating: text("rating")?.as_deref().and_then(Rating::from_code),
        callbacks: Vec::new(),
        review: match r.get::<_, Option<i64>>("review_requested_at_ms")? {
            Some(at) => Some(ReviewView {
                requested_at: clock::format_minute(at),
                reason: text("review_reason")?.unwrap_or_default(),
                due_on: text("review_due_on")?.unwrap_or_default(),
                decision: r.get("review_decision")?,
            }),
            None => None,
        },
        unit: None,
        grid: match r.get::<_, Option<i64>>("grid_id")? {
            Some(id) => Some(GridRef { id, name: r.get("grid_name")? }),
            None => None,
        },
        grid_worker: r.get("grid_worker")?,
        resolved_on_spot: r.get("resolved_on_spot")?,
        handovers: Vec::new(),
        events: Vec::new(),
        available_actions: Vec::new(),
    })
}

fn photo_ids(conn: &Connection, case_id: i64) -> Result<Vec<String>, AppError> {
    let mut stmt = conn.prepare_cached("SELECT id FROM uploads WHERE case_id = ?1 ORDER BY created_at_ms, id")?;
    let rows = stmt.query_map([case_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn dispatches(conn: &Connection, case_id: i64) -> Result<Vec<DispatchView>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id AS id, d.department_id AS department_id, dep.name AS department_name, d.state AS state,
                d.dispatched_at_ms AS dispatched_at_ms, d.due_on AS due_on, d.objection_due_on AS objection_due_on,
                d.objection_reason AS objection_reason, d.response AS response, d.objection_pending AS objection_pending
         FROM case_dispatches d JOIN departments dep ON dep.id = d.department_id
         WHERE d.case_id = ?1 ORDER BY d.id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok(DispatchView {
            id: r.get("id")?,
            department_id: r.get("department_id")?,
            department_name: r.get("department_name")?,
            state: code(r, "state", DispatchState::from_code)?,
            dispatched_at: clock::format_minute(r.get("dispatched_at_ms")?),
            due_on: r.get("due_on")?,
            objection_due_on: r.get("objection_due_on")?,
            objection_reason: r.get("objection_reason")?,
            response: r.get("response")?,
            objection_pending: r.get("objection_pending")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn callbacks(conn: &Connection, case_id: i64) -> Result<Vec<CallbackView>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id AS id, k.opened_at_ms AS opened_at_ms, k.due_on AS due_on, k.done_at_ms AS done_at_ms,
                s.display_name AS done_by, k.note AS note, k.reason AS reason
         FROM callback_tasks k LEFT JOIN staff s ON s.id = k.done_by WHERE k.case_id = ?1 ORDER BY k.id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok(CallbackView {
            id: r.get("id")?,
            opened_at: clock::format_minute(r.get("opened_at_ms")?),
            due_on: r.get("due_on")?,
            done_at: r.get::<_, Option<i64>>("done_at_ms")?.map(clock::format_minute),
            done_by: r.get("done_by")?,
            note: r.get("note")?,
            reason: r.get("reason")?,
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
        let from: Option<String> = r.get("from_state")?;
        Ok(StaffEvent {
            at: clock::format_minute(r.get("at_ms")?),
            kind: code(r, "kind", EventKind::from_code)?,
            actor: r.get("actor")?,
            unit: r.get("unit")?,
            from_state: from.as_deref().and_then(CaseState::from_code),
            to_state: code(r, "to_state", CaseState::from_code)?,
            note: r.get("note")?,
            public: r.get("public")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The same person within this many days counts as a possible repeat (重复访).
const REPEAT_WINDOW_DAYS: i64 = 180;
const MAX_CANDIDATES: usize = 8;

/// Who a case being typed is from, as far as known (complete, valid numbers only).
pub struct Person<'a> {
    pub mobile: Option<&'a str>,
    pub id_number: Option<&'a str>,
}

/// Possible repeats: the same mobile or ID number within 180 days; cases whose title or
/// description shares a third of the typed text's trigrams; and open cases of the same
/// village within 180 days that share at least two ("邻居装修噪音扰民" and
/// "楼上装修噪音影响老人休息" share 装修噪 and 修噪音).
pub fn repeats(
    conn: &Connection,
    person: Person,
    text: &str,
    village_id: Option<i64>,
    now_ms: i64,
) -> Result<Vec<RepeatCandidate>, AppError> {
    let Person { mobile, id_number } = person;
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
            "SELECT c.id AS id, c.tracking_no AS tracking_no, c.title AS title, c.state AS state,
                    c.created_at_ms AS created_at_ms, c.title || ' ' || c.description AS text
             FROM cases_fts f JOIN cases c ON c.id = f.rowid
             WHERE cases_fts MATCH ?1 ORDER BY bm25(cases_fts) LIMIT 20",
        )?;
        let rows =
            stmt.query_map([&query], |r| Ok((candidate(r, RepeatReason::SimilarText)?, r.get::<_, String>("text")?)))?;
        for row in rows {
            let (row, their_text) = row?;
            // Sharing one trigram is chance; a third of the typed text's is a likely match.
            let theirs = trigrams(&their_text);
            let shared = grams.iter().filter(|g| theirs.contains(*g)).count();
            if shared * 3 >= grams.len() && seen.insert(row.case_id) {
                found.push(row);
            }
        }
        if let Some(village_id) = village_id {
            let mut stmt = conn.prepare_cached(
                "SELECT c.id AS id, c.tracking_no AS tracking_no, c.title AS title, c.state AS state,
                        c.created_at_ms AS created_at_ms, c.title || ' ' || c.description AS text
                 FROM cases_fts f JOIN cases c ON c.id = f.rowid
                 WHERE cases_fts MATCH ?1 AND c.village_id = ?2 AND c.created_at_ms >= ?3
                   AND c.state NOT IN ('closed', 'declined')
                 ORDER BY bm25(cases_fts) LIMIT 20",
            )?;
            let rows = stmt.query_map(rusqlite::params![&query, village_id, since], |r| {
                Ok((candidate(r, RepeatReason::SimilarText)?, r.get::<_, String>("text")?))
            })?;
            for row in rows {
                let (row, their_text) = row?;
                let theirs = trigrams(&their_text);
                let shared = grams.iter().filter(|g| theirs.contains(*g)).count();
                if shared >= 2 && seen.insert(row.case_id) {
                    found.push(row);
                }
            }
        }
    }
    found.truncate(MAX_CANDIDATES);
    Ok(found)
}

fn candidate(r: &Row, reason: RepeatReason) -> rusqlite::Result<RepeatCandidate> {
    Ok(RepeatCandidate {
        case_id: r.get("id")?,
        tracking_no: r.get("tracking_no")?,
        title: r.get("title")?,
        state: code(r, "state", CaseState::from_code)?,
        submitted_at: clock::format_minute(r.get("created_at_ms")?),
        reason,
    })
}

/// The distinct three-character windows of a text, ignoring spaces and punctuation.
fn trigrams(text: &str) -> HashSet<String> {
    let chars: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
    chars.windows(3).map(|w| w.iter().collect()).collect()
}
