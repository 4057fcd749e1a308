//! Retention: blanking personal data whose time is up (see `crate::housekeeping`).

use crate::error::AppError;
use rusqlite::{Connection, params};

/// Blanks the resident's name, mobile, ID number, address, the other party and the
/// representatives of closed cases whose last event is before `closed_before_ms`, and of
/// declined ones before `declined_before_ms`, and deletes their photos. The cases, their
/// events and the figures stay. Returns how many cases were blanked.
pub fn anonymise_cases(
    conn: &Connection,
    closed_before_ms: i64,
    declined_before_ms: i64,
    now_ms: i64,
) -> Result<usize, AppError> {
    // Only the cases still waiting, registered before the later cut-off, are looked at
    // (a last event is never before registration): the index of migration 022.
    let mut stmt = conn.prepare_cached(
        "UPDATE cases INDEXED BY cases_awaiting_retention
         SET contact_name = '', mobile = '', id_number = NULL, address = '', other_party_name = '',
             representatives = '[]', anonymised_at_ms = ?3
         WHERE anonymised_at_ms IS NULL AND state IN ('closed', 'declined')
           AND created_at_ms < max(?1, ?2)
           AND (SELECT max(at_ms) FROM case_events e WHERE e.case_id = cases.id)
               < CASE state WHEN 'closed' THEN ?1 ELSE ?2 END
         RETURNING id",
    )?;
    let ids: Vec<i64> = stmt
        .query_map(params![closed_before_ms, declined_before_ms, now_ms], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut photos = conn.prepare_cached("DELETE FROM uploads WHERE case_id = ?1")?;
    let mut messages = conn.prepare_cached("UPDATE messages SET mobile = '' WHERE case_id = ?1")?;
    for id in &ids {
        photos.execute([id])?;
        messages.execute([id])?;
    }
    Ok(ids.len())
}

/// Blanks the people named in 排查 findings (`screening_risks.people`) once a finding is
/// done with — settled, or reported up (the case keeps its own people, under its own
/// rule) — and unchanged since before `before_ms`. A finding still watched keeps them: the
/// grid worker is still looking after those people. Grade, state, description and every
/// event stay. Returns how many findings were blanked.
pub fn anonymise_screening(conn: &Connection, before_ms: i64) -> Result<usize, AppError> {
    Ok(conn
        .prepare_cached(
            "UPDATE screening_risks SET people = ''
             WHERE people != '' AND state IN ('settled', 'reported') AND updated_at_ms < ?1",
        )?
        .execute([before_ms])?)
}

/// Blanks the name, mobile and description of bookings that started before `before_ms`,
/// except those that became a legal-aid application (`anonymise_legal_aid`).
pub fn anonymise_bookings(conn: &Connection, before_ms: i64, now_ms: i64) -> Result<usize, AppError> {
    conn.prepare_cached(
        "UPDATE messages SET mobile = '' WHERE mobile != '' AND booking_id IN
            (SELECT id FROM bookings WHERE anonymised_at_ms IS NULL AND starts_at_ms < ?1)",
    )?
    .execute([before_ms])?;
    Ok(conn
        .prepare_cached(
            "UPDATE bookings SET name = '', mobile = '', description = '', anonymised_at_ms = ?2
         WHERE anonymised_at_ms IS NULL AND starts_at_ms < ?1
           AND id NOT IN (SELECT booking_id FROM legal_aid_applications)",
        )?
        .execute(params![before_ms, now_ms])?)
}

/// Blanks the applicant's name, mobile and description (on the booking) and the note of
/// legal-aid applications last changed before `before_ms`. The decision, the answers,
/// the lawyer and the booking's events stay. Returns how many applications were blanked.
pub fn anonymise_legal_aid(conn: &Connection, before_ms: i64, now_ms: i64) -> Result<usize, AppError> {
    let mut stmt = conn.prepare_cached(
        "UPDATE legal_aid_applications SET note = '', anonymised_at_ms = ?2
         WHERE anonymised_at_ms IS NULL AND updated_at_ms < ?1
         RETURNING booking_id",
    )?;
    let bookings: Vec<i64> = stmt.query_map(params![before_ms, now_ms], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let mut blank = conn.prepare_cached(
        "UPDATE bookings SET name = '', mobile = '', description = '', anonymised_at_ms = ?2 WHERE id = ?1",
    )?;
    for booking in &bookings {
        blank.execute(params![booking, now_ms])?;
    }
    Ok(bookings.len())
}

/// Deletes sign-in, failed sign-in and sign-out records (with their addresses) before
/// `before_ms`; the record of accounts created, closed and reset stays.
pub fn delete_sign_in_records(conn: &Connection, before_ms: i64) -> Result<usize, AppError> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM staff_events WHERE kind IN ('sign_in', 'sign_in_failed', 'sign_out') AND at_ms < ?1",
        )?
        .execute([before_ms])?)
}
