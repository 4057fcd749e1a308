//! The holiday calendar: dates that differ from the ordinary week.

use crate::error::AppError;
use ow_shared::calendar::{Calendar, CalendarDay, DayKind, OFFICIAL_2026};
use rusqlite::{Connection, params};

fn kind_code(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Holiday => "holiday",
        DayKind::Workday => "workday",
    }
}

fn kind_from_code(code: &str) -> DayKind {
    if code == "workday" { DayKind::Workday } else { DayKind::Holiday }
}

/// Every stored day of a year (`YYYY`), or of all years when `year` is None.
pub fn list(conn: &Connection, year: Option<i32>) -> Result<Vec<CalendarDay>, AppError> {
    let prefix = year.map(|y| format!("{y:04}-%")).unwrap_or_else(|| "%".into());
    let mut stmt = conn.prepare_cached("SELECT date, kind, name FROM holidays WHERE date LIKE ?1 ORDER BY date")?;
    let rows = stmt.query_map([prefix], |r| {
        Ok(CalendarDay { date: r.get(0)?, kind: kind_from_code(&r.get::<_, String>(1)?), name: r.get(2)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The whole calendar, for the clocks.
pub fn calendar(conn: &Connection) -> Result<Calendar, AppError> {
    let days = list(conn, None)?;
    Ok(Calendar::from_days(days.iter().map(|d| (d.date.as_str(), d.kind))))
}

/// Sets one day's kind (insert or replace).
pub fn set(conn: &Connection, date: &str, kind: DayKind, name: &str) -> Result<(), AppError> {
    conn.execute(
        "INSERT INTO holidays (date, kind, name) VALUES (?1, ?2, ?3)
         ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name",
        params![date, kind_code(kind), name],
    )?;
    Ok(())
}

/// Returns a day to the ordinary week; whether it was there.
pub fn remove(conn: &Connection, date: &str) -> Result<bool, AppError> {
    Ok(conn.execute("DELETE FROM holidays WHERE date = ?1", [date])? > 0)
}

/// Seeds the official 2026 calendar once (remembered in settings, so a day staff
/// removed stays removed after a restart). Runs for every database, not only demo:
/// the calendar is public law, not demo data.
pub fn seed_official_once(conn: &Connection) -> Result<bool, AppError> {
    let seeded =
        conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES ('calendar_2026_seeded', '1')", [])?;
    if seeded == 0 {
        return Ok(false);
    }
    for (date, kind, name) in OFFICIAL_2026 {
        conn.execute(
            "INSERT OR IGNORE INTO holidays (date, kind, name) VALUES (?1, ?2, ?3)",
            params![date, kind_code(*kind), name],
        )?;
    }
    Ok(true)
}
