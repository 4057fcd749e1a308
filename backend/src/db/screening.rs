//! 排查: grid workers' screening rounds, the disputes and risks they found, and every
//! change of a finding as an append-only event (migration 018).

use super::row::code;
use crate::clock;
use crate::error::AppError;
use ow_shared::screening::{FindingKind, RiskLevel, RiskState, RiskView, ScreeningRound};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// Whose findings a member of staff sees: the county's, a township's, a village's, or
/// one grid's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    County,
    Township(i64),
    Village(i64),
    Grid(i64),
}

impl Area {
    /// The SQL condition on a grid `g` joined with its village `gv`, and its parameter.
    fn condition(self) -> (&'static str, i64) {
        match self {
            Area::County => ("?1 = 0", 0),
            Area::Township(id) => ("gv.township_id = ?1", id),
            Area::Village(id) => ("gv.id = ?1", id),
            Area::Grid(id) => ("g.id = ?1", id),
        }
    }
}

/// A round to store.
pub struct NewRound<'a> {
    pub key: &'a str,
    pub hash: &'a str,
    pub grid_id: i64,
    pub staff_id: i64,
    pub round_on: &'a str,
    pub households: u32,
    pub note: &'a str,
    pub at_ms: i64,
}

/// A finding of a round to store.
pub struct NewFinding<'a> {
    pub kind: FindingKind,
    pub level: RiskLevel,
    pub state: RiskState,
    pub description: &'a str,
    pub people: &'a str,
    pub case_id: Option<i64>,
}

/// Who acted, and when.
pub struct Actor<'a> {
    pub staff_id: i64,
    pub name: &'a str,
    pub at_ms: i64,
}

/// The round an idempotency key made, with its request's hash.
pub fn round_by_key(conn: &Connection, key: &str) -> Result<Option<(i64, String)>, AppError> {
    Ok(conn
        .prepare_cached("SELECT id, request_hash FROM screening_rounds WHERE idempotency_key = ?1")?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Stores a round; its id.
pub fn insert_round(conn: &Connection, round: &NewRound) -> Result<i64, AppError> {
    conn.prepare_cached(
        "INSERT INTO screening_rounds (grid_id, staff_id, round_on, households, note, at_ms, idempotency_key,
            request_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        round.grid_id,
        round.staff_id,
        round.round_on,
        round.households,
        round.note,
        round.at_ms,
        round.key,
        round.hash
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Stores a finding of a round with its first event (`found`); its id.
pub fn insert_finding(
    conn: &Connection,
    round_id: i64,
    grid_id: i64,
    finding: &NewFinding,
    by: &Actor,
) -> Result<i64, AppError> {
    conn.prepare_cached(
        "INSERT INTO screening_risks (round_id, grid_id, kind, level, state, description, people, case_id,
            updated_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        round_id,
        grid_id,
        finding.kind.code(),
        finding.level.code(),
        finding.state.code(),
        finding.description,
        finding.people,
        finding.case_id,
        by.at_ms
    ])?;
    let id = conn.last_insert_rowid();
    record(conn, id, by, "found", finding.level, finding.state, "", finding.case_id)?;
    Ok(id)
}

/// Changes a finding's grade and state and records the change.
pub fn change(
    conn: &Connection,
    risk_id: i64,
    level: RiskLevel,
    state: RiskState,
    note: &str,
    case_id: Option<i64>,
    by: &Actor,
) -> Result<(), AppError> {
    conn.prepare_cached(
        "UPDATE screening_risks SET level = ?2, state = ?3, case_id = coalesce(?4, case_id), updated_at_ms = ?5
         WHERE id = ?1",
    )?
    .execute(params![risk_id, level.code(), state.code(), case_id, by.at_ms])?;
    let action = match state {
        RiskState::Settled => "settled",
        RiskState::Reported => "reported",
        RiskState::Watched => "regraded",
    };
    record(conn, risk_id, by, action, level, state, note, case_id)
}

#[allow(clippy::too_many_arguments)]
fn record(
    conn: &Connection,
    risk_id: i64,
    by: &Actor,
    action: &str,
    level: RiskLevel,
    state: RiskState,
    note: &str,
    case_id: Option<i64>,
) -> Result<(), AppError> {
    conn.prepare_cached(
        "INSERT INTO screening_events (risk_id, at_ms, staff_id, actor, action, level, state, note, case_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        risk_id,
        by.at_ms,
        by.staff_id,
        by.name,
        action,
        level.code(),
        state.code(),
        note,
        case_id
    ])?;
    Ok(())
}

const RISK_COLUMNS: &str = "r.id, r.round_id, r.grid_id, g.name, gv.name, r.kind, r.level, r.state, r.description,
    r.people, sr.round_on, r.updated_at_ms, r.case_id, c.tracking_no";

const RISK_FROM: &str = "screening_risks r JOIN screening_rounds sr ON sr.id = r.round_id
    JOIN grids g ON g.id = r.grid_id JOIN villages gv ON gv.id = g.village_id
    LEFT JOIN cases c ON c.id = r.case_id";

fn risk_from(r: &Row) -> rusqlite::Result<RiskView> {
    Ok(RiskView {
        id: r.get(0)?,
        round_id: r.get(1)?,
        grid_id: r.get(2)?,
        grid_name: r.get(3)?,
        village: r.get(4)?,
        kind: code(r, 5, FindingKind::from_code)?,
        level: code(r, 6, RiskLevel::from_code)?,
        state: code(r, 7, RiskState::from_code)?,
        description: r.get(8)?,
        people: r.get(9)?,
        found_on: r.get(10)?,
        updated_at: clock::format_minute(r.get(11)?),
        case_id: r.get(12)?,
        tracking_no: r.get(13)?,
    })
}

/// One finding, if it lies in the area.
pub fn risk(conn: &Connection, id: i64, area: Area) -> Result<Option<RiskView>, AppError> {
    let (within, param) = area.condition();
    let sql = format!("SELECT {RISK_COLUMNS} FROM {RISK_FROM} WHERE r.id = ?2 AND ({within})");
    Ok(conn.prepare_cached(&sql)?.query_row(params![param, id], risk_from).optional()?)
}

/// What the risks list is filtered by.
#[derive(Debug, Clone, Copy, Default)]
pub struct RiskFilter {
    pub grid_id: Option<i64>,
    pub level: Option<RiskLevel>,
    /// Settled ones and those whose case is closed too.
    pub all: bool,
}

/// The findings of the area, gravest and newest first: the open ones (watched, or
/// reported up and their case not yet closed or declined) unless `all`.
pub fn risks(conn: &Connection, area: Area, filter: RiskFilter) -> Result<Vec<RiskView>, AppError> {
    let (within, param) = area.condition();
    let open = if filter.all {
        "1 = 1"
    } else {
        "(r.state = 'watched' OR (r.state = 'reported' AND c.state NOT IN ('closed', 'declined')))"
    };
    let sql = format!(
        "SELECT {RISK_COLUMNS} FROM {RISK_FROM}
         WHERE ({within}) AND {open} AND (?2 IS NULL OR r.grid_id = ?2) AND (?3 IS NULL OR r.level = ?3)
         ORDER BY CASE r.level WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, r.id DESC LIMIT 500"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![param, filter.grid_id, filter.level.map(|l| l.code())], risk_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

const ROUND_COLUMNS: &str = "sr.id, sr.grid_id, g.name, sr.round_on, sr.households, sr.note, s.display_name, sr.at_ms";

fn round_from(r: &Row) -> rusqlite::Result<ScreeningRound> {
    Ok(ScreeningRound {
        id: r.get(0)?,
        grid_id: r.get(1)?,
        grid_name: r.get(2)?,
        round_on: r.get(3)?,
        households: r.get(4)?,
        note: r.get(5)?,
        by: r.get(6)?,
        at: clock::format_minute(r.get(7)?),
        risks: Vec::new(),
    })
}

fn with_risks(conn: &Connection, mut round: ScreeningRound) -> Result<ScreeningRound, AppError> {
    let sql = format!("SELECT {RISK_COLUMNS} FROM {RISK_FROM} WHERE r.round_id = ?1 ORDER BY r.id");
    round.risks = conn.prepare_cached(&sql)?.query_map([round.id], risk_from)?.collect::<Result<_, _>>()?;
    Ok(round)
}

/// One round with its findings.
pub fn round(conn: &Connection, id: i64) -> Result<Option<ScreeningRound>, AppError> {
    let sql = format!(
        "SELECT {ROUND_COLUMNS} FROM screening_rounds sr JOIN grids g ON g.id = sr.grid_id
         JOIN staff s ON s.id = sr.staff_id WHERE sr.id = ?1"
    );
    let found = conn.prepare_cached(&sql)?.query_row([id], round_from).optional()?;
    found.map(|round| with_risks(conn, round)).transpose()
}

/// The area's latest rounds (at most 30), newest first, with their findings.
pub fn rounds(conn: &Connection, area: Area) -> Result<Vec<ScreeningRound>, AppError> {
    let (within, param) = area.condition();
    let sql = format!(
        "SELECT {ROUND_COLUMNS} FROM screening_rounds sr JOIN grids g ON g.id = sr.grid_id
         JOIN villages gv ON gv.id = g.village_id JOIN staff s ON s.id = sr.staff_id
         WHERE {within} ORDER BY sr.id DESC LIMIT 30"
    );
    let rounds: Vec<ScreeningRound> =
        conn.prepare_cached(&sql)?.query_map([param], round_from)?.collect::<Result<_, _>>()?;
    rounds.into_iter().map(|round| with_risks(conn, round)).collect()
}
