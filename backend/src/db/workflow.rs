//! The workflow's reads and writes: a case's facts for the state machine, its
//! departments' parts, callbacks, and the append-only events.

use super::row::code;
use crate::error::AppError;
use ow_shared::calendar;
use ow_shared::case::{CaseState, CaseType, EventKind};
use ow_shared::unit::UnitLevel;
use ow_shared::workflow::{CaseFacts, Channel, DispatchFacts, DispatchState};
use rusqlite::{Connection, OptionalExtension, params};

/// The stored dates the workflow's clocks work from.
#[derive(Debug, Clone)]
pub struct CaseClocks {
    pub acceptance_due_on: String,
    pub handling_due_on: Option<String>,
    pub accepted_on: Option<String>,
    pub extension_days: Option<u32>,
    pub review_due_on: Option<String>,
    pub replied_on: Option<String>,
    pub rereview_due_on: Option<String>,
}

/// A case's facts for `workflow::decide`, with its clocks; None if there is no such case.
pub fn facts(conn: &Connection, case_id: i64) -> Result<Option<(CaseFacts, CaseClocks)>, AppError> {
    let row = conn
        .prepare_cached(
            "SELECT state, case_type, mediation_outcome IS NOT NULL AS mediation_recorded,
                    review_requested_at_ms IS NOT NULL AS review_requested, acceptance_due_on,
                    handling_due_on, accepted_on, extension_days, review_due_on, replied_on, channel,
                    grid_worker_id IS NOT NULL AS grid_task_open, review_decided_on,
                    rereview_requested_at_ms IS NOT NULL AS rereview_requested, rereview_due_on,
                    coalesce((SELECT delivered_on FROM notices n WHERE n.case_id = cases.id AND n.kind = 'reply'
                              AND n.delivered_on IS NOT NULL ORDER BY n.id DESC LIMIT 1), replied_on) AS review_from
             FROM cases WHERE id = ?1",
        )?
        .query_row([case_id], |r| {
            let clocks = CaseClocks {
                acceptance_due_on: r.get("acceptance_due_on")?,
                handling_due_on: r.get("handling_due_on")?,
                accepted_on: r.get("accepted_on")?,
                extension_days: r.get("extension_days")?,
                review_due_on: r.get("review_due_on")?,
                replied_on: r.get("replied_on")?,
                rereview_due_on: r.get("rereview_due_on")?,
            };
            let facts = CaseFacts {
                state: code(r, "state", CaseState::from_code)?,
                case_type: code(r, "case_type", CaseType::from_code)?,
                extended: clocks.extension_days.is_some(),
                mediation_recorded: r.get("mediation_recorded")?,
                handling_due: clocks.handling_due_on.as_deref().and_then(calendar::parse),
                // The review window runs from the day the 处理意见书 was delivered, once
                // that is recorded (信访工作条例 Art.35), else from the reply's day.
                replied_on: r.get::<_, Option<String>>("review_from")?.as_deref().and_then(calendar::parse),
                review_requested: r.get("review_requested")?,
                // Read below, from their own tables.
                open_callback: false,
                dispatches: Vec::new(),
                channel: code(r, "channel", Channel::from_code)?,
                grid_task_open: r.get("grid_task_open")?,
                review_decided_on: r
                    .get::<_, Option<String>>("review_decided_on")?
                    .as_deref()
                    .and_then(calendar::parse),
                rereview_requested: r.get("rereview_requested")?,
            };
            Ok((facts, clocks))
        })
        .optional()?;
    let Some((mut facts, clocks)) = row else {
        return Ok(None);
    };
    facts.open_callback = open_callback(conn, case_id)?.is_some();
    facts.dispatches = dispatch_facts(conn, case_id)?;
    Ok(Some((facts, clocks)))
}

fn dispatch_facts(conn: &Connection, case_id: i64) -> Result<Vec<DispatchFacts>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, department_id, state, objection_due_on, objection_pending FROM case_dispatches
         WHERE case_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok(DispatchFacts {
            id: r.get(0)?,
            department_id: r.get(1)?,
            state: code(r, 2, DispatchState::from_code)?,
            objection_due: code(r, 3, calendar::parse)?,
            objection_pending: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The open callback task of a case, if any.
pub fn open_callback(conn: &Connection, case_id: i64) -> Result<Option<i64>, AppError> {
    Ok(conn
        .prepare_cached("SELECT id FROM callback_tasks WHERE case_id = ?1 AND done_at_ms IS NULL")?
        .query_row([case_id], |r| r.get(0))
        .optional()?)
}

/// An event to append.
pub struct NewEvent<'a> {
    pub case_id: i64,
    pub at_ms: i64,
    pub actor: &'a str,
    pub staff_id: Option<i64>,
    pub unit: &'a str,
    pub kind: EventKind,
    pub from: CaseState,
    pub to: CaseState,
    pub note: &'a str,
    pub public_note: &'a str,
}

/// Appends an event; events are never changed afterwards (the table refuses it).
pub fn append_event(conn: &Connection, e: &NewEvent) -> Result<(), AppError> {
    conn.prepare_cached(
        "INSERT INTO case_events (case_id, at_ms, actor, staff_id, unit, kind, from_state, to_state, note, public_note,
            public)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        e.case_id,
        e.at_ms,
        e.actor,
        e.staff_id,
        e.unit,
        e.kind.code(),
        e.from.code(),
        e.to.code(),
        e.note,
        e.public_note,
        e.kind.is_public(),
    ])?;
    Ok(())
}

/// Sets a case's state and the last day of its current step.
pub fn set_state(conn: &Connection, case_id: i64, state: CaseState, due_on: Option<&str>) -> Result<(), AppError> {
    conn.prepare_cached("UPDATE cases SET state = ?2, due_on = ?3 WHERE id = ?1")?.execute(params![
        case_id,
        state.code(),
        due_on
    ])?;
    Ok(())
}

/// Sets one of the workflow's own columns of a case. `column` is always a constant
/// from the workflow code, never user input.
pub fn set_column(
    conn: &Connection,
    case_id: i64,
    column: &'static str,
    value: &dyn rusqlite::ToSql,
) -> Result<(), AppError> {
    const ALLOWED: &[&str] = &[
        "acceptance_due_on",
        "accepted_on",
        "handling_due_on",
        "extension_days",
        "extension_reason",
        "decline_route",
        "decline_reason",
        "mediation_outcome",
        "reply",
        "replied_on",
        "rating",
        "review_requested_at_ms",
        "review_reason",
        "review_due_on",
        "review_decision",
        "leader_id",
        "resolved_on_spot",
        "replied_by_unit_id",
        "review_unit_id",
        "review_decided_on",
        "rereview_requested_at_ms",
        "rereview_reason",
        "rereview_due_on",
        "rereview_decision",
    ];
    if !ALLOWED.contains(&column) {
        return Err(AppError::Internal(format!("column {column} is not a workflow column")));
    }
    conn.prepare_cached(&format!("UPDATE cases SET {column} = ?2 WHERE id = ?1"))?.execute(params![case_id, value])?;
    Ok(())
}

/// Adds a department's part; returns its id.
pub fn insert_dispatch(
    conn: &Connection,
    case_id: i64,
    department_id: i64,
    now_ms: i64,
    due_on: &str,
    objection_due_on: &str,
) -> Result<i64, AppError> {
    conn.prepare_cached(
        "INSERT INTO case_dispatches (case_id, department_id, state, dispatched_at_ms, due_on, objection_due_on,
            updated_at_ms)
         VALUES (?1, ?2, 'pending', ?3, ?4, ?5, ?3)",
    )?
    .execute(params![case_id, department_id, now_ms, due_on, objection_due_on])?;
    Ok(conn.last_insert_rowid())
}

/// Moves a department's part to a new state, keeping its objection reason or response.
pub fn update_dispatch(
    conn: &Connection,
    dispatch_id: i64,
    state: DispatchState,
    objection_reason: Option<&str>,
    response: Option<&str>,
    now_ms: i64,
) -> Result<(), AppError> {
    conn.prepare_cached(
        "UPDATE case_dispatches SET state = ?2, objection_reason = coalesce(?3, objection_reason),
            response = coalesce(?4, response), updated_at_ms = ?5
         WHERE id = ?1",
    )?
    .execute(params![dispatch_id, state.code(), objection_reason, response, now_ms])?;
    Ok(())
}

/// Marks a department's objection as waiting for the centre (with its reason), or as
/// decided (`pending` false).
pub fn set_objection_pending(
    conn: &Connection,
    dispatch_id: i64,
    pending: bool,
    reason: Option<&str>,
    now_ms: i64,
) -> Result<(), AppError> {
    conn.prepare_cached(
        "UPDATE case_dispatches SET objection_pending = ?2, objection_reason = coalesce(?3, objection_reason),
            updated_at_ms = ?4 WHERE id = ?1",
    )?
    .execute(params![dispatch_id, pending, reason, now_ms])?;
    Ok(())
}

/// The units whose answers a review or re-review contests: (replied by, 复查 decided by).
pub fn review_units(conn: &Connection, case_id: i64) -> Result<(Option<i64>, Option<i64>), AppError> {
    Ok(conn
        .prepare_cached("SELECT replied_by_unit_id, review_unit_id FROM cases WHERE id = ?1")?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((None, None)))
}

/// The names of departments by id, in the order given; None if any is unknown.
pub fn department_names(conn: &Connection, ids: &[i64]) -> Result<Option<Vec<String>>, AppError> {
    let mut stmt = conn.prepare_cached("SELECT name FROM departments WHERE id = ?1")?;
    let mut names = Vec::with_capacity(ids.len());
    for id in ids {
        match stmt.query_row([id], |r| r.get::<_, String>(0)).optional()? {
            Some(name) => names.push(name),
            None => return Ok(None),
        }
    }
    Ok(Some(names))
}

/// The lowest level among these departments (None when the list is empty).
pub fn lowest_department_level(conn: &Connection, ids: &[i64]) -> Result<Option<UnitLevel>, AppError> {
    let mut stmt = conn.prepare_cached("SELECT level FROM departments WHERE id = ?1")?;
    let mut lowest = None;
    for id in ids {
        let level = stmt.query_row([id], |r| code(r, 0, UnitLevel::from_code)).optional()?;
        lowest = match (lowest, level) {
            (Some(a), Some(b)) => Some(std::cmp::min(a, b)),
            (a, b) => a.or(b),
        };
    }
    Ok(lowest)
}

/// Opens a callback task.
pub fn open_callback_task(
    conn: &Connection,
    case_id: i64,
    now_ms: i64,
    due_on: &str,
    reason: &str,
) -> Result<(), AppError> {
    conn.prepare_cached("INSERT INTO callback_tasks (case_id, opened_at_ms, due_on, reason) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![case_id, now_ms, due_on, reason])?;
    Ok(())
}

/// Completes a callback task.
pub fn complete_callback_task(
    conn: &Connection,
    id: i64,
    staff_id: i64,
    now_ms: i64,
    note: &str,
) -> Result<(), AppError> {
    conn.prepare_cached("UPDATE callback_tasks SET done_at_ms = ?2, done_by = ?3, note = ?4 WHERE id = ?1")?
        .execute(params![id, now_ms, staff_id, note])?;
    Ok(())
}

/// The earliest due date of a department's part that is still open (pending or taken).
pub fn earliest_open_dispatch_due(conn: &Connection, case_id: i64) -> Result<Option<String>, AppError> {
    Ok(conn
        .prepare_cached("SELECT min(due_on) FROM case_dispatches WHERE case_id = ?1 AND state IN ('pending', 'taken')")?
        .query_row([case_id], |r| r.get(0))?)
}

/// What the clocks of an open case are computed from.
pub struct OpenCase {
    pub id: i64,
    pub state: CaseState,
    pub created_at_ms: i64,
    pub accepted_on: Option<String>,
    pub extension_days: Option<u32>,
    pub review_requested_at_ms: Option<i64>,
}

/// Every case not yet declined or closed.
pub fn open_cases(conn: &Connection) -> Result<Vec<OpenCase>, AppError> {
    let mut stmt = conn.prepare(
        "SELECT id, state, created_at_ms, accepted_on, extension_days, review_requested_at_ms FROM cases
         WHERE state NOT IN ('declined', 'closed')",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(OpenCase {
            id: r.get("id")?,
            state: code(r, "state", CaseState::from_code)?,
            created_at_ms: r.get("created_at_ms")?,
            accepted_on: r.get("accepted_on")?,
            extension_days: r.get("extension_days")?,
            review_requested_at_ms: r.get("review_requested_at_ms")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The parts of a case still waiting to be taken: (id, dispatched at).
pub fn pending_dispatches(conn: &Connection, case_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    let mut stmt = conn
        .prepare_cached("SELECT id, dispatched_at_ms FROM case_dispatches WHERE case_id = ?1 AND state = 'pending'")?;
    let rows = stmt.query_map([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sets the last day a department may object to its part.
pub fn set_objection_due(conn: &Connection, dispatch_id: i64, due_on: &str) -> Result<(), AppError> {
    conn.execute("UPDATE case_dispatches SET objection_due_on = ?2 WHERE id = ?1", params![dispatch_id, due_on])?;
    Ok(())
}

/// Every callback task not done yet: (id, opened at).
pub fn open_callback_tasks(conn: &Connection) -> Result<Vec<(i64, i64)>, AppError> {
    let mut stmt = conn.prepare("SELECT id, opened_at_ms FROM callback_tasks WHERE done_at_ms IS NULL")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sets a callback task's last day.
pub fn set_callback_due(conn: &Connection, task_id: i64, due_on: &str) -> Result<(), AppError> {
    conn.execute("UPDATE callback_tasks SET due_on = ?2 WHERE id = ?1", params![task_id, due_on])?;
    Ok(())
}
