//! The units on their levels (county centre ← township centres ← village stations), the
//! grid workers under them, and the hand-overs of cases between them.

use super::row::code;
use crate::clock;
use crate::error::AppError;
use ow_shared::console::HandOverView;
use ow_shared::unit::{GridWorkerRef, HandOverTargets, Unit, UnitLevel, UnitRef};
use ow_shared::workflow::HandOverKind;
use rusqlite::{Connection, OptionalExtension, Row, params};

const UNIT_COLUMNS: &str = "id, parent_id, level, name, township_id, village_id";

fn unit_from(r: &Row) -> rusqlite::Result<Unit> {
    Ok(Unit {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        level: code(r, 2, UnitLevel::from_code)?,
        name: r.get(3)?,
        township_id: r.get(4)?,
        village_id: r.get(5)?,
    })
}

/// A unit's reference (id, name, level).
pub fn named(unit: &Unit) -> UnitRef {
    UnitRef { id: unit.id, name: unit.name.clone(), level: unit.level }
}

/// One unit.
pub fn unit(conn: &Connection, id: i64) -> Result<Option<Unit>, AppError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = ?1"))?
        .query_row([id], unit_from)
        .optional()?)
}

/// Every unit: the county first, then each township centre followed by its stations.
pub fn all(conn: &Connection) -> Result<Vec<Unit>, AppError> {
    let sql = format!(
        "SELECT {UNIT_COLUMNS} FROM units
         ORDER BY CASE level WHEN 'county' THEN 0 ELSE 1 END, township_id, level = 'village', village_id, id"
    );
    Ok(conn.prepare(&sql)?.query_map([], unit_from)?.collect::<Result<_, _>>()?)
}

/// The units above `id`, nearest first.
pub fn ancestors(conn: &Connection, id: i64) -> Result<Vec<Unit>, AppError> {
    let sql = format!(
        "WITH RECURSIVE up(uid, depth) AS (
             SELECT parent_id, 1 FROM units WHERE id = ?1 AND parent_id IS NOT NULL
             UNION ALL SELECT u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.uid
             WHERE u.parent_id IS NOT NULL AND up.depth < 16)
         SELECT {UNIT_COLUMNS} FROM units JOIN up ON units.id = up.uid ORDER BY up.depth"
    );
    Ok(conn.prepare_cached(&sql)?.query_map([id], unit_from)?.collect::<Result<_, _>>()?)
}

/// Whether `lower` lies below `upper` (a child, or a child's child).
pub fn is_below(conn: &Connection, lower: i64, upper: i64) -> Result<bool, AppError> {
    Ok(ancestors(conn, lower)?.iter().any(|u| u.id == upper))
}

/// The units below `id`, in tree order.
pub fn descendants(conn: &Connection, id: i64) -> Result<Vec<Unit>, AppError> {
    Ok(all(conn)?.into_iter().filter(|u| u.id != id).filter(|u| is_below(conn, u.id, id).unwrap_or(false)).collect())
}

/// The county centre.
pub fn county(conn: &Connection) -> Result<Unit, AppError> {
    conn.prepare_cached(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE level = 'county'"))?
        .query_row([], unit_from)
        .optional()?
        .ok_or_else(|| AppError::Internal("no county centre".into()))
}

/// The centre of a township.
pub fn township_centre(conn: &Connection, township_id: i64) -> Result<Option<Unit>, AppError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE level = 'township' AND township_id = ?1"))?
        .query_row([township_id], unit_from)
        .optional()?)
}

/// The station of a village.
pub fn village_station(conn: &Connection, village_id: i64) -> Result<Option<Unit>, AppError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE level = 'village' AND village_id = ?1"))?
        .query_row([village_id], unit_from)
        .optional()?)
}

/// The SQL condition that a grid (`g`, joined with its village `gv`) lies in the area of
/// a unit: everything for the county, the township's or the village's grids otherwise.
fn grid_in_area(unit: &Unit) -> (String, Option<i64>) {
    match unit.level {
        UnitLevel::County => ("1 = 1 OR ?1 IS NULL".into(), None),
        UnitLevel::Township => ("gv.township_id = ?1".into(), unit.township_id),
        UnitLevel::Village => ("gv.id = ?1".into(), unit.village_id),
    }
}

/// The active grid workers of grids in the unit's area.
pub fn grid_workers_under(conn: &Connection, unit: &Unit) -> Result<Vec<GridWorkerRef>, AppError> {
    let (area, param) = grid_in_area(unit);
    let sql = format!(
        "SELECT s.id, s.display_name, g.id, g.name FROM staff s
         JOIN grids g ON g.id = s.grid_id JOIN villages gv ON gv.id = g.village_id
         WHERE s.role = 'grid_worker' AND s.active = 1 AND ({area}) ORDER BY g.code, s.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([param], |r| {
        Ok(GridWorkerRef { staff_id: r.get(0)?, display_name: r.get(1)?, grid_id: r.get(2)?, grid_name: r.get(3)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Where a case held by `holder` may be handed: units below, grid workers under it,
/// units above.
pub fn hand_over_targets(conn: &Connection, holder: &Unit) -> Result<HandOverTargets, AppError> {
    Ok(HandOverTargets {
        down: descendants(conn, holder.id)?.iter().map(named).collect(),
        grid_workers: grid_workers_under(conn, holder)?,
        up: ancestors(conn, holder.id)?.iter().map(named).collect(),
    })
}

/// The grid's village, if there is such a grid.
pub fn grid_village(conn: &Connection, grid_id: i64) -> Result<Option<(i64, i64)>, AppError> {
    Ok(conn
        .prepare_cached(
            "SELECT g.village_id, v.township_id FROM grids g JOIN villages v ON v.id = g.village_id WHERE g.id = ?1",
        )?
        .query_row([grid_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The unit a new account belongs to: the one asked for (it must exist), else for a grid
/// worker the station of their grid's village, else the county centre. A grid worker's
/// grid must lie in their unit's area. Field errors otherwise.
pub fn account_unit(conn: &Connection, unit_id: Option<i64>, grid_id: Option<i64>) -> Result<i64, AppError> {
    use ow_shared::{ErrorCode, FieldError};
    let refuse = |field: &str, code| AppError::Validation(vec![FieldError::new(field, code)]);
    let grid_place = match grid_id {
        Some(id) => Some(grid_village(conn, id)?.ok_or_else(|| refuse("grid_id", ErrorCode::GridNotFound))?),
        None => None,
    };
    let unit = match (unit_id, grid_place) {
        (Some(id), _) => unit(conn, id)?.ok_or_else(|| refuse("unit_id", ErrorCode::UnitUnknown))?,
        (None, Some((village, _))) => {
            village_station(conn, village)?.ok_or_else(|| refuse("unit_id", ErrorCode::UnitUnknown))?
        }
        (None, None) => county(conn)?,
    };
    if let Some((village, township)) = grid_place {
        let inside = match unit.level {
            UnitLevel::County => true,
            UnitLevel::Township => unit.township_id == Some(township),
            UnitLevel::Village => unit.village_id == Some(village),
        };
        if !inside {
            return Err(refuse("grid_id", ErrorCode::GridNotFound));
        }
    }
    Ok(unit.id)
}

/// Renames a unit and sets the unit above it, refusing what would break the tree: a
/// parent not there or not one level up, a station under another township's centre
/// (`UNIT_UNKNOWN`), a unit under itself or one of its own (`UNIT_TREE_CYCLE`).
pub fn update(conn: &Connection, id: i64, name: &str, parent_id: Option<i64>) -> Result<Unit, AppError> {
    use ow_shared::{ErrorCode, FieldError};
    let refuse = |code| AppError::Validation(vec![FieldError::new("parent_id", code)]);
    let unit = unit(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    match parent_id {
        None if unit.level != UnitLevel::County => return Err(refuse(ErrorCode::UnitUnknown)),
        None => {}
        Some(parent) => {
            if parent == id || is_below(conn, parent, id)? {
                return Err(refuse(ErrorCode::UnitTreeCycle));
            }
            let above = self::unit(conn, parent)?.ok_or_else(|| refuse(ErrorCode::UnitUnknown))?;
            let one_up = match unit.level {
                UnitLevel::Village => above.level == UnitLevel::Township && above.township_id == unit.township_id,
                UnitLevel::Township => above.level == UnitLevel::County,
                UnitLevel::County => false,
            };
            if !one_up {
                return Err(refuse(ErrorCode::UnitUnknown));
            }
        }
    }
    conn.execute("UPDATE units SET name = ?2, parent_id = ?3 WHERE id = ?1", params![id, name, parent_id])?;
    self::unit(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))
}

/// A hand-over to record.
pub struct NewHandOver<'a> {
    pub case_id: i64,
    pub kind: HandOverKind,
    pub from_unit_id: i64,
    pub to_unit_id: i64,
    pub to_staff_id: Option<i64>,
    pub reason: &'a str,
    pub due_on: &'a str,
    pub at_ms: i64,
    pub staff_id: i64,
}

/// Records a hand-over and moves the case: to the new unit (交办, 上报), or to the grid
/// worker's task list (下派, the unit stays responsible).
pub fn hand_over(conn: &Connection, h: &NewHandOver) -> Result<(), AppError> {
    conn.prepare_cached(
        "INSERT INTO case_handovers (case_id, kind, from_unit_id, to_unit_id, to_staff_id, reason, due_on, at_ms,
            staff_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        h.case_id,
        h.kind.code(),
        h.from_unit_id,
        h.to_unit_id,
        h.to_staff_id,
        h.reason,
        h.due_on,
        h.at_ms,
        h.staff_id
    ])?;
    match h.to_staff_id {
        Some(worker) => conn
            .prepare_cached("UPDATE cases SET grid_worker_id = ?2 WHERE id = ?1")?
            .execute(params![h.case_id, worker])?,
        None => conn
            .prepare_cached("UPDATE cases SET unit_id = ?2 WHERE id = ?1")?
            .execute(params![h.case_id, h.to_unit_id])?,
    };
    Ok(())
}

/// Notes a grid worker's task on the case as done.
pub fn grid_task_done(conn: &Connection, case_id: i64, note: &str, now_ms: i64) -> Result<(), AppError> {
    conn.prepare_cached(
        "UPDATE case_handovers SET done_at_ms = ?2, done_note = ?3
         WHERE case_id = ?1 AND kind = 'send_to_grid' AND done_at_ms IS NULL",
    )?
    .execute(params![case_id, now_ms, note])?;
    conn.prepare_cached("UPDATE cases SET grid_worker_id = NULL WHERE id = ?1")?.execute([case_id])?;
    Ok(())
}

/// Every hand-over of a case, oldest first.
pub fn handovers(conn: &Connection, case_id: i64) -> Result<Vec<HandOverView>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.kind, f.name, t.name, w.display_name, h.reason, h.due_on, h.at_ms, s.display_name, h.done_at_ms,
                h.done_note
         FROM case_handovers h JOIN units f ON f.id = h.from_unit_id JOIN units t ON t.id = h.to_unit_id
         LEFT JOIN staff w ON w.id = h.to_staff_id JOIN staff s ON s.id = h.staff_id
         WHERE h.case_id = ?1 ORDER BY h.id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok(HandOverView {
            kind: code(r, 0, HandOverKind::from_code)?,
            from_unit: r.get(1)?,
            to_unit: r.get(2)?,
            to_staff: r.get(3)?,
            reason: r.get(4)?,
            due_on: r.get(5)?,
            at: clock::format_minute(r.get(6)?),
            by: r.get(7)?,
            done_at: r.get::<_, Option<i64>>(8)?.map(clock::format_minute),
            done_note: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Where a case stands among the units: its holder, grid, and open grid task.
pub struct Holding {
    pub case_id: i64,
    pub unit: Unit,
    pub township_id: i64,
    pub village_id: i64,
    pub grid_id: Option<i64>,
    pub grid_worker_id: Option<i64>,
    /// Who registered it at a window or reported it from a grid.
    pub registered_by: Option<i64>,
}

/// The holding of a case; None if there is no such case.
pub fn holding(conn: &Connection, case_id: i64) -> Result<Option<Holding>, AppError> {
    let row = conn
        .prepare_cached(
            "SELECT unit_id, township_id, village_id, grid_id, grid_worker_id, registered_by FROM cases WHERE id = ?1",
        )?
        .query_row([case_id], |r| {
            Ok((
                r.get::<_, Option<i64>>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, Option<i64>>(5)?,
            ))
        })
        .optional()?;
    let Some((unit_id, township_id, village_id, grid_id, grid_worker_id, registered_by)) = row else {
        return Ok(None);
    };
    // A case without a holder (none should be left after migration 013) is the county's.
    let unit = match unit_id {
        Some(id) => unit(conn, id)?.ok_or_else(|| AppError::Internal(format!("unit {id} vanished")))?,
        None => county(conn)?,
    };
    Ok(Some(Holding { case_id, unit, township_id, village_id, grid_id, grid_worker_id, registered_by }))
}

/// Whether a grid worker was ever sent this case (下派): it stays on their record.
pub fn was_sent_to(conn: &Connection, case_id: i64, staff_id: i64) -> Result<bool, AppError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM case_handovers WHERE case_id = ?1 AND to_staff_id = ?2")?
        .exists(params![case_id, staff_id])?)
}
