//! Photos attached to requests.

use crate::error::AppError;
use ow_shared::dto::UploadResponse;
use rusqlite::{Connection, params};

/// Stores a photo that has already been checked by content.
pub fn insert(conn: &Connection, photo: &UploadResponse, data: &[u8], now_ms: i64) -> Result<(), AppError> {
    conn.execute(
        "INSERT INTO uploads (id, kind, width, height, bytes, data, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![photo.id, photo.kind, photo.width, photo.height, photo.bytes as i64, data, now_ms],
    )?;
    Ok(())
}

/// The bytes of all photos not attached to a case.
pub fn pending_bytes(conn: &Connection) -> Result<u64, AppError> {
    let sum: i64 = conn
        .prepare_cached("SELECT coalesce(sum(bytes), 0) FROM uploads INDEXED BY uploads_pending WHERE case_id IS NULL")?
        .query_row([], |r| r.get(0))?;
    Ok(sum.max(0) as u64)
}

/// Drops the photos never attached to a case that were uploaded before `before_ms`;
/// returns how many.
pub fn delete_unattached(conn: &Connection, before_ms: i64) -> Result<usize, AppError> {
    Ok(conn.execute("DELETE FROM uploads WHERE case_id IS NULL AND created_at_ms < ?1", [before_ms])?)
}

/// Attaches photos to a case; false if any is unknown or already belongs to a case.
pub fn attach(conn: &Connection, case_id: i64, ids: &[String]) -> Result<bool, AppError> {
    let mut stmt = conn.prepare_cached("UPDATE uploads SET case_id = ?1 WHERE id = ?2 AND case_id IS NULL")?;
    for id in ids {
        if stmt.execute(params![case_id, id])? != 1 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A photo attached to a case: (case id, kind, bytes). None when unknown or not attached.
pub fn for_case(conn: &Connection, id: &str) -> Result<Option<(i64, String, Vec<u8>)>, AppError> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT case_id, kind, data FROM uploads WHERE id = ?1 AND case_id IS NOT NULL")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}
