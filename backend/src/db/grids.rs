//! SQL of grids: their places in the county, boundaries (versioned), teams, service
//! items, address keywords, the search index and the change log.

use crate::error::AppError;
use ow_shared::grid::{GridMatch, GridPerson, GridRole, GridSummary};
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::collections::HashMap;

const SUMMARY: &str = "SELECT g.id, g.code, g.name, t.id, t.name, v.id, v.name
    FROM grids g JOIN villages v ON v.id = g.village_id JOIN townships t ON t.id = v.township_id";

fn summary_row(row: &Row) -> rusqlite::Result<GridSummary> {
    Ok(GridSummary {
        id: row.get(0)?,
        code: row.get(1)?,
        name: row.get(2)?,
        township_id: row.get(3)?,
        township: row.get(4)?,
        village_id: row.get(5)?,
        village: row.get(6)?,
    })
}

/// The grids of one village, or of the whole county, by code.
pub fn list(conn: &Connection, village_id: Option<i64>) -> Result<Vec<GridSummary>, AppError> {
    let sql = format!("{SUMMARY} WHERE ?1 IS NULL OR g.village_id = ?1 ORDER BY g.code");
    let mut stmt = conn.prepare_cached(&sql)?;
    Ok(stmt.query_map([village_id], summary_row)?.collect::<Result<_, _>>()?)
}

/// One grid, if it exists.
pub fn summary(conn: &Connection, id: i64) -> Result<Option<GridSummary>, AppError> {
    let sql = format!("{SUMMARY} WHERE g.id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], summary_row).optional()?)
}

/// What a grid's page shows besides its boundary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub area_description: String,
    pub supervision_phone: String,
    pub people: Vec<GridPerson>,
    pub service_items: Vec<String>,
}

/// A grid's page fields, team and service items.
pub fn page(conn: &Connection, id: i64) -> Result<Page, AppError> {
    let (area_description, supervision_phone) = conn
        .prepare_cached("SELECT area_description, supervision_phone FROM grids WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut stmt =
        conn.prepare_cached("SELECT role, name, phone FROM grid_people WHERE grid_id = ?1 ORDER BY position")?;
    let people = stmt
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))?
        .filter_map(|row| match row {
            Ok((role, name, phone)) => GridRole::from_code(&role).map(|role| Ok(GridPerson { role, name, phone })),
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_, _>>()?;
    let service_items = texts(conn, "SELECT item FROM grid_service_items WHERE grid_id = ?1 ORDER BY position", id)?;
    Ok(Page { area_description, supervision_phone, people, service_items })
}

/// A grid's address keywords.
pub fn places(conn: &Connection, id: i64) -> Result<Vec<String>, AppError> {
    texts(conn, "SELECT place FROM grid_places WHERE grid_id = ?1 ORDER BY position", id)
}

fn texts(conn: &Connection, sql: &str, id: i64) -> Result<Vec<String>, AppError> {
    let mut stmt = conn.prepare_cached(sql)?;
    Ok(stmt.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?)
}

/// One drawn version of a grid's boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boundary {
    pub version: u32,
    pub effective_from: String,
    /// GeoJSON Polygon or MultiPolygon, WGS84.
    pub geometry: String,
}

fn boundary_row(row: &Row) -> rusqlite::Result<Boundary> {
    Ok(Boundary { version: row.get(0)?, effective_from: row.get(1)?, geometry: row.get(2)? })
}

/// The version in effect on `day` (`YYYY-MM-DD`): the latest not starting after it.
pub fn boundary_on(conn: &Connection, grid_id: i64, day: &str) -> Result<Option<Boundary>, AppError> {
    let sql = "SELECT version, effective_from, geometry FROM grid_boundaries
               WHERE grid_id = ?1 AND effective_from <= ?2 ORDER BY effective_from DESC, version DESC LIMIT 1";
    Ok(conn.prepare_cached(sql)?.query_row(params![grid_id, day], boundary_row).optional()?)
}

/// The newest version drawn, whether in effect yet or not.
pub fn latest_boundary(conn: &Connection, grid_id: i64) -> Result<Option<Boundary>, AppError> {
    let sql = "SELECT version, effective_from, geometry FROM grid_boundaries
               WHERE grid_id = ?1 ORDER BY version DESC LIMIT 1";
    Ok(conn.prepare_cached(sql)?.query_row([grid_id], boundary_row).optional()?)
}

/// Every grid with the boundary in effect on `day`, for the spatial index and export.
pub fn boundaries_on(conn: &Connection, day: &str) -> Result<Vec<(GridSummary, Boundary)>, AppError> {
    let sql = "SELECT g.id, g.code, g.name, t.id, t.name, v.id, v.name, b.version, b.effective_from, b.geometry
         FROM grids g JOIN villages v ON v.id = g.village_id JOIN townships t ON t.id = v.township_id
         JOIN grid_boundaries b ON b.id = (
             SELECT id FROM grid_boundaries WHERE grid_id = g.id AND effective_from <= ?1
             ORDER BY effective_from DESC, version DESC LIMIT 1)
         ORDER BY g.code";
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([day], |r| {
        let boundary = Boundary { version: r.get(7)?, effective_from: r.get(8)?, geometry: r.get(9)? };
        Ok((summary_row(r)?, boundary))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Stores a new version of a grid's boundary.
pub fn insert_boundary(
    conn: &Connection,
    grid_id: i64,
    version: u32,
    effective_from: &str,
    geometry: &str,
    at_ms: i64,
) -> Result<(), AppError> {
    let sql = "INSERT INTO grid_boundaries (grid_id, version, effective_from, geometry, imported_at_ms)
               VALUES (?1, ?2, ?3, ?4, ?5)";
    conn.prepare_cached(sql)?.execute(params![grid_id, version, effective_from, geometry, at_ms])?;
    Ok(())
}

/// Ranked address search: an exact match before a prefix before a substring; a grid's
/// own name before its places, its village and its township; then by code. One answer
/// per grid, its best match. Queries of 3+ characters use the trigram index.
pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<GridMatch>, AppError> {
    let (condition, pattern) = if query.chars().count() >= 3 {
        ("grid_search MATCH ?2", format!("\"{}\"", query.replace('"', "\"\"")))
    } else {
        let escaped = query.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        ("text LIKE ?2 ESCAPE '\\'", format!("%{escaped}%"))
    };
    let sql = format!(
        "WITH hits AS (
             SELECT grid_id, text,
                    CASE WHEN text = ?1 THEN 0 WHEN substr(text, 1, length(?1)) = ?1 THEN 1 ELSE 2 END AS quality,
                    CASE kind WHEN 'grid' THEN 0 WHEN 'place' THEN 1 WHEN 'village' THEN 2 ELSE 3 END AS kind_rank
             FROM grid_search WHERE {condition}),
         best AS (
             SELECT grid_id, text, quality, kind_rank,
                    row_number() OVER (PARTITION BY grid_id ORDER BY quality, kind_rank, text) AS n
             FROM hits)
         SELECT g.id, g.code, g.name, t.id, t.name, v.id, v.name, best.text
         FROM best JOIN grids g ON g.id = best.grid_id JOIN villages v ON v.id = g.village_id
              JOIN townships t ON t.id = v.township_id
         WHERE best.n = 1 ORDER BY best.quality, best.kind_rank, g.code LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![query, pattern, limit as i64], |r| {
        Ok(GridMatch { grid: summary_row(r)?, matched: r.get(7)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Rebuilds the search index from the grids' names, places, villages and townships.
pub fn rebuild_search(conn: &Connection) -> Result<(), AppError> {
    conn.execute_batch(
        "DELETE FROM grid_search;
         INSERT INTO grid_search (text, grid_id, kind)
         SELECT g.name, g.id, 'grid' FROM grids g
         UNION ALL SELECT p.place, p.grid_id, 'place' FROM grid_places p
         UNION ALL SELECT v.name, g.id, 'village' FROM grids g JOIN villages v ON v.id = g.village_id
         UNION ALL SELECT t.name, g.id, 'township' FROM grids g JOIN villages v ON v.id = g.village_id
             JOIN townships t ON t.id = v.township_id;",
    )?;
    Ok(())
}

/// Grid ids by code.
pub fn ids_by_code(conn: &Connection) -> Result<HashMap<String, i64>, AppError> {
    let mut stmt = conn.prepare("SELECT code, id FROM grids")?;
    Ok(stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?)
}

/// A village by its own and its township's names.
pub fn village_by_names(conn: &Connection, township: &str, village: &str) -> Result<Option<i64>, AppError> {
    let sql = "SELECT v.id FROM villages v JOIN townships t ON t.id = v.township_id WHERE t.name = ?1 AND v.name = ?2";
    Ok(conn.prepare_cached(sql)?.query_row([township, village], |r| r.get(0)).optional()?)
}

/// A new grid, without team or boundary yet.
pub fn insert_grid(conn: &Connection, village_id: i64, code: &str, name: &str) -> Result<i64, AppError> {
    let sql = "INSERT INTO grids (village_id, code, name, worker_name, worker_phone) VALUES (?1, ?2, ?3, '', '')";
    conn.prepare_cached(sql)?.execute(params![village_id, code, name])?;
    Ok(conn.last_insert_rowid())
}

/// Renames a grid.
pub fn set_name(conn: &Connection, id: i64, name: &str) -> Result<(), AppError> {
    conn.prepare_cached("UPDATE grids SET name = ?2 WHERE id = ?1")?.execute(params![id, name])?;
    Ok(())
}

/// Sets the area description and the supervision phone.
pub fn set_page_fields(
    conn: &Connection,
    id: i64,
    area_description: &str,
    supervision_phone: &str,
) -> Result<(), AppError> {
    let sql = "UPDATE grids SET area_description = ?2, supervision_phone = ?3 WHERE id = ?1";
    conn.prepare_cached(sql)?.execute(params![id, area_description, supervision_phone])?;
    Ok(())
}

/// Replaces a grid's team; the first worker is mirrored into `grids.worker_*`.
pub fn replace_people(conn: &Connection, id: i64, people: &[GridPerson]) -> Result<(), AppError> {
    conn.prepare_cached("DELETE FROM grid_people WHERE grid_id = ?1")?.execute([id])?;
    let mut insert = conn
        .prepare_cached("INSERT INTO grid_people (grid_id, position, role, name, phone) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (position, person) in people.iter().enumerate() {
        insert.execute(params![id, position as i64, person.role.code(), person.name, person.phone])?;
    }
    let worker = people.iter().find(|p| p.role == GridRole::Worker);
    let (name, phone) = worker.map(|w| (w.name.as_str(), w.phone.as_str())).unwrap_or(("", ""));
    conn.prepare_cached("UPDATE grids SET worker_name = ?2, worker_phone = ?3 WHERE id = ?1")?
        .execute(params![id, name, phone])?;
    Ok(())
}

/// Replaces a grid's service items.
pub fn replace_service_items(conn: &Connection, id: i64, items: &[String]) -> Result<(), AppError> {
    replace_texts(conn, "grid_service_items", "item", id, items)
}

/// Replaces a grid's address keywords (call `rebuild_search` after).
pub fn replace_places(conn: &Connection, id: i64, places: &[String]) -> Result<(), AppError> {
    replace_texts(conn, "grid_places", "place", id, places)
}

fn replace_texts(conn: &Connection, table: &str, column: &str, id: i64, texts: &[String]) -> Result<(), AppError> {
    conn.prepare_cached(&format!("DELETE FROM {table} WHERE grid_id = ?1"))?.execute([id])?;
    let mut insert =
        conn.prepare_cached(&format!("INSERT INTO {table} (grid_id, position, {column}) VALUES (?1, ?2, ?3)"))?;
    for (position, text) in texts.iter().enumerate() {
        insert.execute(params![id, position as i64, text])?;
    }
    Ok(())
}

/// Every grid's team, by grid code then the order given: for the CSV export.
pub fn all_people(conn: &Connection) -> Result<Vec<(String, GridPerson)>, AppError> {
    let mut stmt = conn.prepare(
        "SELECT g.code, p.role, p.name, p.phone FROM grid_people p JOIN grids g ON g.id = p.grid_id
         ORDER BY g.code, p.position",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?)))?;
    let mut people = Vec::new();
    for row in rows {
        let (code, role, name, phone) = row?;
        if let Some(role) = GridRole::from_code(&role) {
            people.push((code, GridPerson { role, name, phone }));
        }
    }
    Ok(people)
}

/// One change to a grid: who, when, what.
pub struct Event<'a> {
    pub grid_id: i64,
    pub at_ms: i64,
    /// None for the system (demo seeding).
    pub actor_id: Option<i64>,
    pub actor: &'a str,
    /// `boundary`, `people`, `page`, `service_items`, `area_description`, `supervision_phone`.
    pub kind: &'a str,
    /// JSON: what the grid holds after the change.
    pub detail: String,
}

/// Appends an event.
pub fn record(conn: &Connection, event: &Event) -> Result<(), AppError> {
    let sql = "INSERT INTO grid_events (grid_id, at_ms, actor_id, actor, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    conn.prepare_cached(sql)?.execute(params![
        event.grid_id,
        event.at_ms,
        event.actor_id,
        event.actor,
        event.kind,
        event.detail
    ])?;
    Ok(())
}
