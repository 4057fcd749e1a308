//! 补正 requests (`material_requests`) and the photos that answer them.

use crate::error::AppError;
use rusqlite::{Connection, OptionalExtension, params};

/// A stored request.
#[derive(Debug, Clone)]
pub struct MaterialRequestRow {
    pub id: i64,
    pub items: Vec<String>,
    pub due_on: String,
    pub requested_at_ms: i64,
    pub requested_by: String,
    pub answered_at_ms: Option<i64>,
    pub note: String,
    pub photo_ids: Vec<String>,
}

/// Writes an open request; false if the case has one open already.
pub fn insert(
    conn: &Connection,
    case_id: i64,
    items: &[String],
    due_on: &str,
    staff_id: i64,
    now_ms: i64,
) -> Result<bool, AppError> {
    let items = serde_json::to_string(items).map_err(|e| AppError::Internal(e.to_string()))?;
    let inserted = conn
        .prepare_cached(
            "INSERT INTO material_requests (case_id, items, due_on, requested_at_ms, requested_by)
             SELECT ?1, ?2, ?3, ?4, ?5
             WHERE NOT EXISTS (SELECT 1 FROM material_requests WHERE case_id = ?1 AND answered_at_ms IS NULL)",
        )?
        .execute(params![case_id, items, due_on, now_ms, staff_id])?;
    Ok(inserted == 1)
}

/// The case's open request, if any: (id, item count).
pub fn open(conn: &Connection, case_id: i64) -> Result<Option<(i64, usize)>, AppError> {
    let row: Option<(i64, String)> = conn
        .prepare_cached("SELECT id, items FROM material_requests WHERE case_id = ?1 AND answered_at_ms IS NULL")?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.map(|(id, items)| (id, serde_json::from_str::<Vec<String>>(&items).map_or(0, |v| v.len()))))
}

/// The due date of the case's open request.
pub fn open_due(conn: &Connection, case_id: i64) -> Result<Option<String>, AppError> {
    Ok(conn
        .prepare_cached("SELECT due_on FROM material_requests WHERE case_id = ?1 AND answered_at_ms IS NULL")?
        .query_row([case_id], |r| r.get(0))
        .optional()?)
}

/// Records the answer and attaches its photos (not yet part of any case) to the case
/// and the request. False if a photo is unknown or already used.
pub fn answer(
    conn: &Connection,
    case_id: i64,
    request_id: i64,
    photo_ids: &[String],
    note: &str,
    now_ms: i64,
) -> Result<bool, AppError> {
    let mut attach = conn.prepare_cached(
        "UPDATE uploads SET case_id = ?1, material_request_id = ?2 WHERE id = ?3 AND case_id IS NULL",
    )?;
    for id in photo_ids {
        if attach.execute(params![case_id, request_id, id])? != 1 {
            return Ok(false);
        }
    }
    conn.prepare_cached("UPDATE material_requests SET answered_at_ms = ?2, note = ?3 WHERE id = ?1")?
        .execute(params![request_id, now_ms, note])?;
    Ok(true)
}

/// Every request of a case, oldest first, with who asked and the photos sent.
pub fn for_case(conn: &Connection, case_id: i64) -> Result<Vec<MaterialRequestRow>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.items, m.due_on, m.requested_at_ms, coalesce(s.display_name, ''), m.answered_at_ms, m.note,
                (SELECT json_group_array(u.id) FROM uploads u WHERE u.material_request_id = m.id)
         FROM material_requests m LEFT JOIN staff s ON s.id = m.requested_by
         WHERE m.case_id = ?1 ORDER BY m.id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        let items: String = r.get(1)?;
        let photos: String = r.get(7)?;
        Ok(MaterialRequestRow {
            id: r.get(0)?,
            items: serde_json::from_str(&items).unwrap_or_default(),
            due_on: r.get(2)?,
            requested_at_ms: r.get(3)?,
            requested_by: r.get(4)?,
            answered_at_ms: r.get(5)?,
            note: r.get(6)?,
            photo_ids: serde_json::from_str(&photos).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
