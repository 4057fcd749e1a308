//! Written notices' rows: issued with their number, read for printing.

use crate::error::AppError;
use rusqlite::{Connection, OptionalExtension, params};

/// A notice as stored.
#[derive(Debug, Clone)]
pub struct NoticeRow {
    pub id: i64,
    pub case_id: Option<i64>,
    pub kind: String,
    pub unit: String,
    pub number: String,
    pub issued_on: String,
    pub body: String,
    /// 送达: how and on which day, once staff recorded it.
    pub delivered_via: Option<String>,
    pub delivered_on: Option<String>,
}

/// What the notice of an act says, before it has a number.
pub struct NewNotice<'a> {
    /// A case's notice, or a legal-aid application's.
    pub case_id: Option<i64>,
    pub legal_aid_id: Option<i64>,
    pub kind: &'a str,
    /// Whose running numbers (`unit:<id>`, `legal_aid`).
    pub issuer: &'a str,
    /// The issuer's name as printed.
    pub unit: &'a str,
    pub year: i32,
    pub issued_on: &'a str,
    pub issued_at_ms: i64,
    pub body: &'a str,
}

/// Takes the issuer's next number of the year and stores the notice; `number` turns the
/// running number into the printed one. Runs on the writer, so nothing takes the same
/// number meanwhile; the table's UNIQUE constraints refuse a duplicate all the same.
pub fn insert(conn: &Connection, n: &NewNotice, number: impl Fn(i64) -> String) -> Result<i64, AppError> {
    let seq: i64 = conn
        .prepare_cached("SELECT coalesce(max(seq), 0) + 1 FROM notices WHERE issuer = ?1 AND year = ?2")?
        .query_row(params![n.issuer, n.year], |r| r.get(0))?;
    conn.prepare_cached(
        "INSERT INTO notices (case_id, legal_aid_id, kind, issuer, unit, year, seq, number, issued_on, issued_at_ms,
            body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        n.case_id,
        n.legal_aid_id,
        n.kind,
        n.issuer,
        n.unit,
        n.year,
        seq,
        number(seq),
        n.issued_on,
        n.issued_at_ms,
        n.body
    ])?;
    Ok(conn.last_insert_rowid())
}

const COLUMNS: &str = "id, case_id, kind, unit, number, issued_on, body, delivered_via, delivered_on";

fn row(r: &rusqlite::Row) -> rusqlite::Result<NoticeRow> {
    Ok(NoticeRow {
        id: r.get(0)?,
        case_id: r.get(1)?,
        kind: r.get(2)?,
        unit: r.get(3)?,
        number: r.get(4)?,
        issued_on: r.get(5)?,
        body: r.get(6)?,
        delivered_via: r.get(7)?,
        delivered_on: r.get(8)?,
    })
}

/// A case's notices, oldest first.
pub fn for_case(conn: &Connection, case_id: i64) -> Result<Vec<NoticeRow>, AppError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM notices WHERE case_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([case_id], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A legal-aid application's notices, oldest first.
pub fn for_legal_aid(conn: &Connection, legal_aid_id: i64) -> Result<Vec<NoticeRow>, AppError> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM notices WHERE legal_aid_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([legal_aid_id], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One notice by id.
pub fn by_id(conn: &Connection, id: i64) -> Result<Option<NoticeRow>, AppError> {
    Ok(conn.prepare_cached(&format!("SELECT {COLUMNS} FROM notices WHERE id = ?1"))?.query_row([id], row).optional()?)
}

/// Records a notice's delivery (a later record replaces an earlier one: the event log
/// keeps both).
pub fn set_delivered(conn: &Connection, id: i64, via: &str, delivered_on: &str) -> Result<(), AppError> {
    conn.prepare_cached("UPDATE notices SET delivered_via = ?2, delivered_on = ?3 WHERE id = ?1")?.execute(params![
        id,
        via,
        delivered_on
    ])?;
    Ok(())
}
