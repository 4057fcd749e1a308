//! Legal-aid booking: places, their schedules, bookings and the waiting list. SQL only;
//! the rules are in `crate::booking`. Capacity is enforced here, by the statements that
//! take a place: each inserts or moves a booking only if the slot still has room, as one
//! statement inside the writer's transaction.

use super::row::code;
use crate::error::AppError;
use ow_shared::booking::{BookingStatus, ClosedDay, LegalService, PlaceInfo, PlaceSchedule, StaffBookingRow};
use ow_shared::calendar::DayKind;
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::collections::{BTreeMap, HashMap};

/// Statuses that hold one of a slot's places.
const HOLDING: &str = "('booked', 'checked_in', 'no_show')";

/// A place with what its schedule needs.
#[derive(Debug, Clone)]
pub struct Place {
    pub info: PlaceInfo,
    pub capacity: u32,
    /// (weekday 1–7, open minute, close minute), sorted.
    pub hours: Vec<(u8, u32, u32)>,
    /// Own closed days: date → reason.
    pub closed: BTreeMap<String, String>,
}

const PLACE_COLUMNS: &str = "id, name, address, phone, window_days, min_notice_minutes, slot_minutes, capacity";

fn place_info(r: &Row) -> rusqlite::Result<(PlaceInfo, u32)> {
    Ok((
        PlaceInfo {
            id: r.get(0)?,
            name: r.get(1)?,
            address: r.get(2)?,
            phone: r.get(3)?,
            window_days: r.get(4)?,
            min_notice_minutes: r.get(5)?,
            slot_minutes: r.get(6)?,
        },
        r.get(7)?,
    ))
}

/// Every place: the county centre first, then the 司法所 by township.
pub fn places(conn: &Connection) -> Result<Vec<PlaceInfo>, AppError> {
    let sql = format!("SELECT {PLACE_COLUMNS} FROM booking_places ORDER BY kind = 'sifasuo', township_id, id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], |r| Ok(place_info(r)?.0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One place with its hours and closed days.
pub fn place(conn: &Connection, id: i64) -> Result<Option<Place>, AppError> {
    let sql = format!("SELECT {PLACE_COLUMNS} FROM booking_places WHERE id = ?1");
    let Some((info, capacity)) = conn.prepare_cached(&sql)?.query_row([id], place_info).optional()? else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT weekday, open_min, close_min FROM booking_hours WHERE place_id = ?1 ORDER BY weekday, open_min",
    )?;
    let hours = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached("SELECT date, reason FROM booking_closed_days WHERE place_id = ?1")?;
    let closed = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(Some(Place { info, capacity, hours, closed }))
}

/// A new place (demo data and tests).
pub struct NewPlace<'a> {
    pub name: &'a str,
    /// `centre` or `sifasuo`.
    pub kind: &'a str,
    pub township_id: Option<i64>,
    pub address: &'a str,
    pub phone: &'a str,
    pub slot_minutes: u32,
    pub capacity: u32,
    pub window_days: u32,
    pub min_notice_minutes: u32,
    pub hours: &'a [(u8, u32, u32)],
}

/// Inserts a place with its weekly hours; returns its id.
pub fn insert_place(conn: &Connection, place: &NewPlace) -> Result<i64, AppError> {
    conn.execute(
        "INSERT INTO booking_places (name, kind, township_id, address, phone, slot_minutes, capacity, window_days,
                                     min_notice_minutes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            place.name,
            place.kind,
            place.township_id,
            place.address,
            place.phone,
            place.slot_minutes,
            place.capacity,
            place.window_days,
            place.min_notice_minutes
        ],
    )?;
    let id = conn.last_insert_rowid();
    replace_hours(conn, id, place.hours)?;
    Ok(id)
}

fn replace_hours(conn: &Connection, place_id: i64, hours: &[(u8, u32, u32)]) -> Result<(), AppError> {
    conn.execute("DELETE FROM booking_hours WHERE place_id = ?1", [place_id])?;
    let mut stmt = conn
        .prepare_cached("INSERT INTO booking_hours (place_id, weekday, open_min, close_min) VALUES (?1, ?2, ?3, ?4)")?;
    for (weekday, open, close) in hours {
        stmt.execute(params![place_id, weekday, open, close])?;
    }
    Ok(())
}

/// Saves a place's settings, hours and closed days (validated); whether the place exists.
pub fn save_schedule(
    conn: &Connection,
    id: i64,
    schedule: &PlaceSchedule,
    hours: &[(u8, u32, u32)],
) -> Result<bool, AppError> {
    let p = &schedule.place;
    let changed = conn.execute(
        "UPDATE booking_places SET name = ?2, address = ?3, phone = ?4, window_days = ?5, min_notice_minutes = ?6,
                slot_minutes = ?7, capacity = ?8
         WHERE id = ?1",
        params![id, p.name, p.address, p.phone, p.window_days, p.min_notice_minutes, p.slot_minutes, schedule.capacity],
    )?;
    if changed == 0 {
        return Ok(false);
    }
    replace_hours(conn, id, hours)?;
    conn.execute("DELETE FROM booking_closed_days WHERE place_id = ?1", [id])?;
    let mut stmt =
        conn.prepare_cached("INSERT INTO booking_closed_days (place_id, date, reason) VALUES (?1, ?2, ?3)")?;
    for ClosedDay { date, reason } in &schedule.closed_days {
        stmt.execute(params![id, date, reason])?;
    }
    Ok(true)
}

/// The holiday calendar's days from `from` to `to` (`YYYY-MM-DD`, inclusive), with names.
pub fn holidays_between(
    conn: &Connection,
    from: &str,
    to: &str,
) -> Result<HashMap<String, (DayKind, String)>, AppError> {
    let mut stmt = conn.prepare_cached("SELECT date, kind, name FROM holidays WHERE date BETWEEN ?1 AND ?2")?;
    let rows = stmt.query_map([from, to], |r| {
        let kind = if r.get::<_, String>(1)? == "workday" { DayKind::Workday } else { DayKind::Holiday };
        Ok((r.get(0)?, (kind, r.get(2)?)))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Places held between two moments, as (start, end, how many) of the bookings holding
/// them: a booking holds every slot its span covers (two for a one-hour service in
/// half-hour slots).
pub fn taken(conn: &Connection, place_id: i64, from_ms: i64, to_ms: i64) -> Result<Vec<Held>, AppError> {
    let sql = format!(
        "SELECT starts_at_ms, ends_at_ms, count(*) FROM bookings
         WHERE place_id = ?1 AND starts_at_ms >= ?2 AND starts_at_ms < ?3 AND status IN {HOLDING}
         GROUP BY starts_at_ms, ends_at_ms"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![place_id, from_ms, to_ms], |r| {
        Ok(Held { starts_at_ms: r.get(0)?, ends_at_ms: r.get(1)?, count: r.get(2)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Bookings with the same span holding places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub count: u32,
}

/// SQL that is true when every slot of the span `start`..`end` of a place's `day` has a
/// place left, counting the bookings that hold places other than `except`. The
/// arguments are SQL expressions (parameters such as `?4`). The slots are the place's
/// slot length apart from the start, so a span of two slots is checked slot by slot:
/// a booking overlapping either one counts against it.
fn room_sql(place: &str, day: &str, start: &str, end: &str, except: &str) -> String {
    format!(
        "NOT EXISTS (
            WITH RECURSIVE slot(t, step) AS (
                SELECT {start}, (SELECT slot_minutes * 60000 FROM booking_places WHERE id = {place})
                UNION ALL SELECT t + step, step FROM slot WHERE t + step < {end}
            )
            SELECT 1 FROM slot
            WHERE (SELECT count(*) FROM bookings o
                   WHERE o.place_id = {place} AND o.day = {day} AND o.status IN {HOLDING} AND o.id IS NOT {except}
                     AND o.starts_at_ms < slot.t + slot.step AND o.ends_at_ms > slot.t)
                  >= (SELECT capacity FROM booking_places WHERE id = {place}))"
    )
}

/// A booking as stored.
#[derive(Debug, Clone)]
pub struct BookingRow {
    pub id: i64,
    pub code: String,
    pub place_id: i64,
    pub service: LegalService,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub status: BookingStatus,
    pub name: String,
    pub mobile: String,
    pub description: String,
    pub promoted: bool,
    /// The resident's pre-check found the time limit ends within 7 days.
    pub urgent: bool,
}

const BOOKING_COLUMNS: &str =
    "id, code, place_id, service, starts_at_ms, ends_at_ms, status, name, mobile, description, promoted, urgent";

fn booking_row(r: &Row) -> rusqlite::Result<BookingRow> {
    Ok(BookingRow {
        id: r.get(0)?,
        code: r.get(1)?,
        place_id: r.get(2)?,
        service: code(r, 3, LegalService::from_code)?,
        starts_at_ms: r.get(4)?,
        ends_at_ms: r.get(5)?,
        status: code(r, 6, BookingStatus::from_code)?,
        name: r.get(7)?,
        mobile: r.get(8)?,
        description: r.get(9)?,
        promoted: r.get(10)?,
        urgent: r.get(11)?,
    })
}

/// A booking by its code.
pub fn by_code(conn: &Connection, code: &str) -> Result<Option<BookingRow>, AppError> {
    let sql = format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE code = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([code], booking_row).optional()?)
}

/// A booking by its id.
pub fn by_id(conn: &Connection, id: i64) -> Result<Option<BookingRow>, AppError> {
    let sql = format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], booking_row).optional()?)
}

/// Whether this mobile already has an active booking of this service that day.
pub fn active_on_day(conn: &Connection, mobile: &str, day: &str, service: LegalService) -> Result<bool, AppError> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM bookings WHERE mobile = ?1 AND day = ?2 AND service = ?3
               AND status IN ('booked', 'waiting', 'checked_in')",
        )?
        .exists(params![mobile, day, service.code()])?)
}

/// A booking to store.
pub struct NewBooking<'a> {
    pub code: &'a str,
    pub place_id: i64,
    pub service: LegalService,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub day: &'a str,
    pub name: &'a str,
    pub mobile: &'a str,
    pub description: &'a str,
    /// The pre-check found the time limit ends within 7 days.
    pub urgent: bool,
    /// `online` or `walk_in`.
    pub channel: &'a str,
    pub created_by: Option<i64>,
    pub now_ms: i64,
}

/// Why an insert did not happen.
#[derive(Debug, PartialEq, Eq)]
pub enum InsertRefused {
    /// The slot has no place left.
    Full,
    /// The code is taken; draw another.
    CodeTaken,
}

/// Takes a place in every slot of the booking's span — only if each has one left,
/// decided by this one statement — or, with `waiting`, joins the waiting list of its
/// start.
pub fn insert(conn: &Connection, b: &NewBooking, waiting: bool) -> Result<Result<i64, InsertRefused>, AppError> {
    let room = if waiting { String::new() } else { format!("WHERE {}", room_sql("?2", "?6", "?4", "?5", "NULL")) };
    let sql = format!(
        "INSERT INTO bookings (code, place_id, service, starts_at_ms, ends_at_ms, day, status, name, mobile,
                               description, channel, created_by, created_at_ms, updated_at_ms, urgent)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14 {room}"
    );
    let status = if waiting { BookingStatus::Waiting } else { BookingStatus::Booked };
    let inserted = conn.prepare_cached(&sql)?.execute(params![
        b.code,
        b.place_id,
        b.service.code(),
        b.starts_at_ms,
        b.ends_at_ms,
        b.day,
        status.code(),
        b.name,
        b.mobile,
        b.description,
        b.channel,
        b.created_by,
        b.now_ms,
        b.urgent
    ]);
    match inserted {
        Ok(0) => Ok(Err(InsertRefused::Full)),
        Ok(_) => Ok(Ok(conn.last_insert_rowid())),
        Err(e) => unique_violation(e).map(Err),
    }
}

/// Where a booking moves to: another span of its place.
pub struct Move<'a> {
    pub id: i64,
    pub place_id: i64,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub day: &'a str,
    pub now_ms: i64,
}

/// Moves a booking to another span of its place, as booked — only if every slot of it
/// has a place left besides the booking's own, decided by this one statement.
pub fn move_if_room(conn: &Connection, m: &Move) -> Result<Result<(), InsertRefused>, AppError> {
    let sql = format!(
        "UPDATE bookings SET starts_at_ms = ?2, ends_at_ms = ?3, day = ?4, status = 'booked', promoted = 0,
                             updated_at_ms = ?5
         WHERE id = ?1 AND place_id = ?6 AND {}",
        room_sql("?6", "?4", "?2", "?3", "?1")
    );
    match conn.prepare_cached(&sql)?.execute(params![m.id, m.starts_at_ms, m.ends_at_ms, m.day, m.now_ms, m.place_id]) {
        Ok(0) => Ok(Err(InsertRefused::Full)),
        Ok(_) => Ok(Ok(())),
        Err(e) => unique_violation(e).map(Err),
    }
}

/// Turns a unique-index violation into the rule it enforces; anything else is an error.
fn unique_violation(e: rusqlite::Error) -> Result<InsertRefused, AppError> {
    match &e {
        rusqlite::Error::SqliteFailure(f, Some(msg)) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            if msg.contains("bookings.code") { Ok(InsertRefused::CodeTaken) } else { Err(e.into()) }
        }
        _ => Err(e.into()),
    }
}

/// Changes a booking's status if it is in one of `from`; whether it changed.
pub fn set_status(
    conn: &Connection,
    id: i64,
    from: &[BookingStatus],
    to: BookingStatus,
    now_ms: i64,
) -> Result<bool, AppError> {
    let from: Vec<String> = from.iter().map(|s| format!("'{}'", s.code())).collect();
    let sql = format!(
        "UPDATE bookings SET status = ?2, updated_at_ms = ?3 WHERE id = ?1 AND status IN ({})",
        from.join(", ")
    );
    Ok(conn.prepare_cached(&sql)?.execute(params![id, to.code(), now_ms])? > 0)
}

/// A booking on a waiting list and the span it waits for.
#[derive(Debug, Clone, Copy)]
pub struct Waiting {
    pub id: i64,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
}

/// The waiting bookings of a place's day whose span overlaps `from_ms`..`to_ms`, first
/// come first.
pub fn waiting_over(
    conn: &Connection,
    place_id: i64,
    day: &str,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<Waiting>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, starts_at_ms, ends_at_ms FROM bookings
         WHERE place_id = ?1 AND day = ?2 AND status = 'waiting' AND starts_at_ms < ?4 AND ends_at_ms > ?3
         ORDER BY id",
    )?;
    let rows = stmt.query_map(params![place_id, day, from_ms, to_ms], |r| {
        Ok(Waiting { id: r.get(0)?, starts_at_ms: r.get(1)?, ends_at_ms: r.get(2)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Gives a waiting booking its place — only if every slot of its span has one free,
/// decided by this one statement. Whether it got it.
pub fn promote_if_room(
    conn: &Connection,
    waiting: &Waiting,
    place_id: i64,
    day: &str,
    now_ms: i64,
) -> Result<bool, AppError> {
    let sql = format!(
        "UPDATE bookings SET status = 'booked', promoted = 1, updated_at_ms = ?3
         WHERE id = ?1 AND place_id = ?2 AND status = 'waiting' AND {}",
        room_sql("?2", "?4", "?5", "?6", "?1")
    );
    let params = params![waiting.id, place_id, now_ms, day, waiting.starts_at_ms, waiting.ends_at_ms];
    Ok(conn.prepare_cached(&sql)?.execute(params)? > 0)
}

/// The days of a place from `from_ms` on that have someone waiting.
pub fn days_with_waiting(conn: &Connection, place_id: i64, from_ms: i64) -> Result<Vec<String>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT day FROM bookings WHERE place_id = ?1 AND starts_at_ms >= ?2 AND status = 'waiting'",
    )?;
    let rows = stmt.query_map(params![place_id, from_ms], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A waiting booking's place in its slot's queue, from 1.
pub fn waitlist_position(conn: &Connection, booking: &BookingRow) -> Result<u32, AppError> {
    Ok(conn.prepare_cached(
        "SELECT count(*) FROM bookings WHERE place_id = ?1 AND starts_at_ms = ?2 AND status = 'waiting' AND id <= ?3",
    )?
    .query_row(params![booking.place_id, booking.starts_at_ms, booking.id], |r| r.get(0))?)
}

/// Appends to a booking's history.
pub fn record(
    conn: &Connection,
    booking_id: i64,
    at_ms: i64,
    actor: &str,
    kind: &str,
    note: &str,
) -> Result<(), AppError> {
    conn.prepare_cached(
        "INSERT INTO booking_events (booking_id, at_ms, actor, kind, note) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![booking_id, at_ms, actor, kind, note])?;
    Ok(())
}

/// The booking a key made and the hash of the request that made it.
pub fn find_idempotent(conn: &Connection, key: &str) -> Result<Option<(String, i64)>, AppError> {
    Ok(conn
        .prepare_cached("SELECT request_hash, booking_id FROM booking_idempotency WHERE key = ?1")?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Remembers what a key made, in the transaction that made it.
pub fn save_idempotent(conn: &Connection, key: &str, hash: &str, booking_id: i64, now_ms: i64) -> Result<(), AppError> {
    conn.prepare_cached(
        "INSERT INTO booking_idempotency (key, request_hash, booking_id, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![key, hash, booking_id, now_ms])?;
    Ok(())
}

/// A place's bookings of one day, for staff: by start, then booked before waiting.
pub fn day(conn: &Connection, place_id: i64, day: &str) -> Result<Vec<BookingRow>, AppError> {
    let sql = format!(
        "SELECT {BOOKING_COLUMNS} FROM bookings WHERE place_id = ?1 AND day = ?2
         ORDER BY starts_at_ms, status = 'waiting', id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![place_id, day], booking_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A staff row of a booking; `start`/`end` as shown.
pub fn staff_row(b: &BookingRow, start: String, end: String) -> StaffBookingRow {
    StaffBookingRow {
        id: b.id,
        code: b.code.clone(),
        status: b.status,
        service: b.service,
        start,
        end,
        name: b.name.clone(),
        mobile: b.mobile.clone(),
        description: b.description.clone(),
        urgent: b.urgent,
    }
}

/// A setting's value.
pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>, AppError> {
    Ok(conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?)
}
