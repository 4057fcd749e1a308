//! The places of the county: townships and their villages/communities.

use crate::error::AppError;
use ow_shared::dto::{RegionsResponse, Township, Village};
use rusqlite::{Connection, OptionalExtension};

/// All townships with their villages, in id order.
pub fn list(conn: &Connection) -> Result<RegionsResponse, AppError> {
    let county: String = conn
        .query_row("SELECT value FROM settings WHERE key = 'county_name'", [], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    let mut townships: Vec<Township> = conn
        .prepare("SELECT id, name FROM townships ORDER BY id")?
        .query_map([], |r| Ok(Township { id: r.get(0)?, name: r.get(1)?, villages: Vec::new() }))?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare("SELECT township_id, id, name FROM villages ORDER BY township_id, id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, Village { id: r.get(1)?, name: r.get(2)? })))?;
    for row in rows {
        let (township_id, village) = row?;
        if let Some(t) = townships.iter_mut().find(|t| t.id == township_id) {
            t.villages.push(village);
        }
    }
    Ok(RegionsResponse { county, townships })
}

/// The township and village names of a place, if the village belongs to the township.
pub fn place_names(conn: &Connection, township_id: i64, village_id: i64) -> Result<Option<(String, String)>, AppError> {
    Ok(conn
        .query_row(
            "SELECT t.name, v.name FROM villages v JOIN townships t ON t.id = v.township_id
             WHERE v.id = ?1 AND t.id = ?2",
            [village_id, township_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
