//! Leaders' figures (issue 13), counted from the cases and their append-only events.
//! Each figure's numerator and denominator is one SQL predicate over `cases c`
//! (`predicate`); the queue lists the cases behind a number with that predicate. The
//! report itself reads the same numbers from tallies kept per place and day (migration
//! 021, `values`), which a year over a million cases needs; the tests here check on
//! hand-made histories that the tallies and the predicates give the same figures.

use super::queue::{Area, area_clause};
use crate::error::AppError;
use ow_shared::calendar;
use ow_shared::figures::{
    ChannelCount, FigureId, FigureKind, FigureLine, FigurePart, FigureValue, FiguresReport, MonthlyIntake, Period,
};
use ow_shared::unit::{Unit, UnitLevel};
use ow_shared::workflow::Channel;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use time::Date;

/// Shanghai is UTC+8 all year (`clock`); dates are Shanghai dates.
const SHANGHAI_OFFSET_S: i64 = 8 * 3600;

/// The first millisecond of a Shanghai date.
fn start_ms(date: Date) -> i64 {
    (date.midnight().assume_utc().unix_timestamp() - SHANGHAI_OFFSET_S) * 1000
}

/// The first millisecond after a Shanghai date given as an SQL date expression.
fn end_of_day_sql(date_sql: &str) -> String {
    format!("((unixepoch({date_sql}, '+1 day') - {SHANGHAI_OFFSET_S}) * 1000)")
}

/// Events that complete a case (办结): the centre's reply, or settling it on the spot.
const COMPLETING: &str = "('replied', 'resolved_on_spot')";

/// The handling due date as the law allows it: an extension counts only when it was
/// granted before the original due date ran out (信访工作条例 Art.33). The original
/// date is the present one less the extension's days. Since `EXTENSION_TOO_LATE` no
/// late extension is recorded, but older records may hold one.
const LAWFUL_DUE: &str = "(CASE WHEN c.extension_days IS NOT NULL AND EXISTS (
        SELECT 1 FROM case_events x WHERE x.case_id = c.id AND x.kind = 'extended'
        AND x.at_ms >= ((unixepoch(c.handling_due_on, '-' || c.extension_days || ' days', '+1 day') - 28800) * 1000))
    THEN date(c.handling_due_on, '-' || c.extension_days || ' days') ELSE c.handling_due_on END)";

/// A WHERE fragment over `cases c` with its parameters in order.
pub type Predicate = (String, Vec<Value>);

fn and(parts: &[Predicate]) -> Predicate {
    let sql = parts.iter().map(|(s, _)| format!("({s})")).collect::<Vec<_>>().join(" AND ");
    (sql, parts.iter().flat_map(|(_, p)| p.iter().cloned()).collect())
}

fn fixed(sql: &str) -> Predicate {
    (sql.to_string(), Vec::new())
}

/// Registered (submitted or walk-in) within the period.
fn received(period: Period) -> Predicate {
    (
        "c.created_at_ms >= ? AND c.created_at_ms < ?".into(),
        vec![
            Value::Integer(start_ms(period.from)),
            Value::Integer(start_ms(period.to.next_day().unwrap_or(period.to))),
        ],
    )
}

/// The lawful handling due date falls within the period. The stored due date is the
/// lawful one or at most one extension (30 days) after it, which bounds the search on
/// the `cases_by_handling_due` index.
fn due_in(period: Period) -> Predicate {
    let (from, to) = (calendar::format(period.from), calendar::format(period.to));
    (
        format!(
            "c.handling_due_on BETWEEN ? AND date(?, '+{} days') AND {LAWFUL_DUE} BETWEEN ? AND ?",
            calendar::periods::MAX_EXTENSION_DAYS
        ),
        vec![Value::Text(from.clone()), Value::Text(to.clone()), Value::Text(from), Value::Text(to)],
    )
}

/// An event of these kinds happened within the period: the cases are found from the
/// events (`case_events_by_kind`), not by looking at every case's events.
fn event_in(kinds: &str, period: Period) -> Predicate {
    (
        format!(
            "c.id IN (SELECT e.case_id FROM case_events e WHERE e.kind IN {kinds} AND e.at_ms >= ? AND e.at_ms < ?)"
        ),
        received(period).1,
    )
}

/// The time of the first (`min`) or last (`max`) event of these kinds, as SQL.
fn event_time(which: &str, kinds: &str) -> String {
    format!("(SELECT {which}(e.at_ms) FROM case_events e WHERE e.case_id = c.id AND e.kind IN {kinds})")
}

/// The first (`min`) or last (`max`) event of these kinds happened within the period
/// (found from the events in the period, then checked to be the first or last).
fn event_time_in(which: &str, kinds: &str, period: Period) -> Predicate {
    let (sql, mut params) = event_in(kinds, period);
    params.extend(received(period).1);
    (format!("{sql} AND {} >= ? AND {0} < ?", event_time(which, kinds)), params)
}

/// The Shanghai day number of a time in ms, as SQL (days differ as these differ).
fn day_number(ms_sql: &str) -> String {
    format!("(({ms_sql} + {}) / 86400000)", SHANGHAI_OFFSET_S * 1000)
}

/// Events that record a mediation's outcome (就地化解 records a settled one).
const MEDIATED: &str = "('mediation_recorded', 'resolved_on_spot')";

/// The days a days figure averages over its cases, as SQL over `cases c`.
fn days_sql(figure: FigureId) -> Option<String> {
    Some(match figure {
        FigureId::HandlingDaysAverage | FigureId::HandlingDaysP90 => {
            format!("{} - {}", day_number(&event_time("min", COMPLETING)), day_number("c.created_at_ms"))
        }
        FigureId::DeptResponseDays => format!(
            "{} - {}",
            day_number(&event_time("min", "('responded')")),
            day_number(&event_time("min", "('dispatched')"))
        ),
        _ => return None,
    })
}

/// A figure over cases as SQL over `cases c`: the cases it looks at (`base`: the
/// denominator of a rate, the cases of a count or days figure) and, for a rate or a
/// count narrower than its base, what the numerator adds. `predicate` and the report
/// are both made from this, so the queue lists exactly what was counted.
pub struct Split {
    pub base: Predicate,
    pub extra: Option<Predicate>,
}

/// The split of a figure over cases in a period; None for the figures that do not count
/// cases. `today` is for the figures of now (部门现超期).
pub fn split(figure: FigureId, period: Period, today: Date) -> Option<Split> {
    let end = Value::Integer(start_ms(period.to.next_day().unwrap_or(period.to)));
    let completed_by = |limit: Predicate| {
        (
            format!(
                "EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind IN {COMPLETING} AND e.at_ms < {})",
                limit.0
            ),
            limit.1,
        )
    };
    let ever = |kind: &str| {
        fixed(&format!("EXISTS (SELECT 1 FROM case_events x WHERE x.case_id = c.id AND x.kind = '{kind}')"))
    };
    let rated = || fixed("c.rating IS NOT NULL");
    let outcome = |sql: &str| fixed(&format!("json_extract(c.mediation_outcome, '$.outcome') = '{sql}'"));
    let mediated = || and(&[event_time_in("max", MEDIATED, period), fixed("c.mediation_outcome IS NOT NULL")]);
    let first_dispatched = || event_time_in("min", "('dispatched')", period);
    let with = |base: Predicate, extra: Predicate| Split { base, extra: Some(extra) };
    let only = |base: Predicate| Split { base, extra: None };
    if let Some(channel) = figure.intake_channel() {
        return Some(with(received(period), ("c.channel = ?".into(), vec![Value::Text(channel.code().into())])));
    }
    Some(match figure {
        FigureId::AcceptanceOnTime => with(
            received(period),
            fixed(&format!(
                "EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind IN ('accepted', 'declined')
                         AND e.at_ms < {})",
                end_of_day_sql("c.acceptance_due_on")
            )),
        ),
        FigureId::Completion => with(due_in(period), completed_by(("?".into(), vec![end]))),
        FigureId::OnTimeCompletion => with(due_in(period), completed_by((end_of_day_sql(LAWFUL_DUE), Vec::new()))),
        FigureId::Satisfaction => with(
            and(&[event_time_in("min", COMPLETING, period), rated()]),
            fixed("c.rating IN ('satisfied', 'basically_satisfied')"),
        ),
        FigureId::RatingParticipation => with(event_time_in("min", COMPLETING, period), rated()),
        FigureId::Repeat => with(received(period), fixed("c.linked_case_id IS NOT NULL")),
        FigureId::FirstRequest => with(received(period), fixed("c.linked_case_id IS NULL")),
        FigureId::GroupVisits => with(received(period), fixed("c.group_size >= 5")),
        FigureId::ResolvedOnSpot => only(event_time_in("min", "('resolved_on_spot')", period)),
        FigureId::HandlingDaysAverage | FigureId::HandlingDaysP90 => only(event_time_in("min", COMPLETING, period)),
        FigureId::MediationSuccess => with(mediated(), outcome("settled")),
        FigureId::CourtReferrals => with(
            mediated(),
            and(&[outcome("not_settled"), fixed("json_extract(c.mediation_outcome, '$.referred_to_court') = 1")]),
        ),
        FigureId::JudicialConfirmations => only((
            // The very expression of the index `cases_by_judicial_confirmation`.
            "c.mediation_outcome IS NOT NULL
             AND json_extract(c.mediation_outcome, '$.judicial_confirmation_on') BETWEEN ? AND ?"
                .into(),
            vec![Value::Text(calendar::format(period.from)), Value::Text(calendar::format(period.to))],
        )),
        FigureId::DeptDispatched => only(first_dispatched()),
        FigureId::DeptTaken => with(first_dispatched(), ever("dispatch_taken")),
        FigureId::DeptObjected => with(first_dispatched(), ever("dispatch_objected")),
        FigureId::DeptResponseDays => only(event_time_in("min", "('responded')", period)),
        FigureId::DeptOverdueNow => only((
            "c.id IN (SELECT d.case_id FROM case_dispatches d WHERE d.state IN ('pending', 'taken') AND d.due_on < ?)"
                .into(),
            vec![Value::Text(calendar::format(today))],
        )),
        _ => return None,
    })
}

/// The SQL predicate over `cases c` for one side of a figure in a period; None for the
/// denominator of a count or days figure, and for the figures that do not count cases.
pub fn predicate(figure: FigureId, part: FigurePart, period: Period, today: Date) -> Option<Predicate> {
    let Split { base, extra } = split(figure, period, today)?;
    match part {
        FigurePart::Numerator => Some(match extra {
            Some(extra) => and(&[base, extra]),
            None => base,
        }),
        FigurePart::Denominator => (figure.kind() == FigureKind::Rate).then_some(base),
    }
}

/// The legal-aid figures, over bookings (`bookings b` at `booking_places p`) or legal-aid
/// applications (`legal_aid_applications a` of `bookings b` at `booking_places p`): the
/// FROM clause and the predicate, for one side; None where there is no such side.
fn legal_aid_predicate(figure: FigureId, part: FigurePart, period: Period) -> Option<(&'static str, Predicate)> {
    use FigurePart::{Denominator, Numerator};
    const BOOKINGS: &str = "bookings b JOIN booking_places p ON p.id = b.place_id";
    const APPLICATIONS: &str =
        "legal_aid_applications a JOIN bookings b ON b.id = a.booking_id JOIN booking_places p ON p.id = b.place_id";
    let days = vec![Value::Text(calendar::format(period.from)), Value::Text(calendar::format(period.to))];
    let on_day = |extra: &str, values: Vec<Value>| {
        let mut params = days.clone();
        params.extend(values);
        (BOOKINGS, (format!("b.day BETWEEN ? AND ? AND {extra}"), params))
    };
    let assigned =
        "(SELECT min(x.at_ms) FROM booking_events x WHERE x.booking_id = b.id AND x.kind = 'lawyer_assigned')";
    if let Some(service) = figure.booking_service() {
        return (part == Numerator)
            .then(|| on_day("b.status != 'cancelled' AND b.service = ?", vec![Value::Text(service.code().into())]));
    }
    Some(match (figure, part) {
        (FigureId::BookingNoShows, Numerator) => on_day("b.status = 'no_show'", Vec::new()),
        (FigureId::LegalAidDecidedOnTime, Denominator) => (APPLICATIONS, ("a.decided_on BETWEEN ? AND ?".into(), days)),
        (FigureId::LegalAidDecidedOnTime, Numerator) => {
            (APPLICATIONS, ("a.decided_on BETWEEN ? AND ? AND a.decided_on <= a.decision_due_on".into(), days))
        }
        (FigureId::LegalAidLawyerOnTime, Denominator) => {
            (APPLICATIONS, (format!("{assigned} >= ? AND {assigned} < ?"), received(period).1))
        }
        (FigureId::LegalAidLawyerOnTime, Numerator) => (
            APPLICATIONS,
            (
                format!(
                    "{assigned} >= ? AND {assigned} < ? AND a.lawyer_due_on IS NOT NULL
                     AND {assigned} < {}",
                    end_of_day_sql("a.lawyer_due_on")
                ),
                received(period).1,
            ),
        ),
        _ => return None,
    })
}

/// Bookings and applications belong to the township of their place; the county
/// centre's only to the whole county, and none to a village.
fn legal_aid_area(area: Area) -> Option<Predicate> {
    match area {
        Area::All => None,
        Area::Township(id) => Some(("p.township_id = ?".into(), vec![Value::Integer(id)])),
        Area::Village(_) | Area::Grid { .. } => Some(fixed("0")),
    }
}

/// The part of the county a unit answers for: a township centre its township, a
/// village station its village, the county centre everything.
pub fn area_of(unit: &Unit) -> Area {
    match unit.level {
        UnitLevel::County => Area::All,
        UnitLevel::Township => Area::Township(unit.township_id.unwrap_or(-1)),
        UnitLevel::Village => Area::Village(unit.village_id.unwrap_or(-1)),
    }
}

/// The cases behind one side of a figure for a unit's area: the predicate `value`
/// counts, for the queue to list. A count's denominator is its numerator.
pub fn behind(figure: FigureId, part: FigurePart, period: Period, today: Date, unit: &Unit) -> Predicate {
    let side = predicate(figure, part, period, today)
        .or_else(|| predicate(figure, FigurePart::Numerator, period, today))
        .unwrap_or_else(|| fixed("0"));
    let mut parts = vec![side];
    parts.extend(area_clause(area_of(unit)));
    and(&parts)
}

fn count_from(conn: &Connection, from: &str, predicate: Predicate, area: Option<Predicate>) -> Result<u32, AppError> {
    let mut parts = vec![predicate];
    parts.extend(area);
    let (sql, params) = and(&parts);
    Ok(conn.query_row(&format!("SELECT count(*) FROM {from} WHERE {sql}"), params_from_iter(params.iter()), |r| {
        r.get(0)
    })?)
}

fn count(conn: &Connection, predicate: Predicate, area: Area) -> Result<u32, AppError> {
    count_from(conn, "cases c", predicate, area_clause(area))
}

/// A days figure: how many cases, and their average or 90th-percentile (nearest rank)
/// days, in tenths — from one pass that counts the cases by their days.
fn days_value(conn: &Connection, figure: FigureId, predicate: Predicate, area: Area) -> Result<FigureValue, AppError> {
    let days = days_sql(figure).unwrap_or_else(|| "0".into());
    let mut parts = vec![predicate];
    parts.extend(area_clause(area));
    let (sql, params) = and(&parts);
    let mut stmt =
        conn.prepare(&format!("SELECT {days} AS d, count(*) FROM cases c WHERE {sql} GROUP BY d ORDER BY d"))?;
    let histogram = stmt
        .query_map(params_from_iter(params.iter()), |r| {
            Ok((r.get::<_, Option<i64>>(0)?.unwrap_or(0).max(0), r.get::<_, i64>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(days_of(figure, &histogram))
}

/// A days figure from its histogram (days, cases) in ascending days: how many cases,
/// and their average or 90th-percentile (nearest rank) days, in tenths.
fn days_of(figure: FigureId, histogram: &[(i64, i64)]) -> FigureValue {
    let n: i64 = histogram.iter().map(|(_, k)| k).sum();
    if n == 0 {
        return FigureValue::days(0, None);
    }
    let tenths = if figure == FigureId::HandlingDaysP90 {
        // Nearest rank: the smallest value with at least 90% of the cases at or below it.
        let rank = (n * 9 + 9) / 10;
        let mut seen = 0;
        histogram
            .iter()
            .find(|(_, k)| {
                seen += k;
                seen >= rank
            })
            .map_or(0, |(d, _)| d * 10)
    } else {
        let total: i64 = histogram.iter().map(|(d, k)| d * k).sum();
        (total * 10 * 2 + n) / (2 * n)
    };
    FigureValue::days(n as u32, Some(tenths as u32))
}

/// One figure of an area for a period (`today` for the figures of now).
pub fn value(
    conn: &Connection,
    figure: FigureId,
    area: Area,
    period: Period,
    today: Date,
) -> Result<FigureValue, AppError> {
    if !figure.opens_cases() {
        let side = |part| match legal_aid_predicate(figure, part, period) {
            Some((from, p)) => count_from(conn, from, p, legal_aid_area(area)).map(Some),
            None => Ok(None),
        };
        let numerator = side(FigurePart::Numerator)?.unwrap_or(0);
        return Ok(match side(FigurePart::Denominator)? {
            Some(d) => FigureValue::rate(numerator, d),
            None => FigureValue::count(numerator),
        });
    }
    let Some(numerator) = predicate(figure, FigurePart::Numerator, period, today) else {
        return Ok(FigureValue::count(0));
    };
    if figure.kind() == FigureKind::Days {
        return days_value(conn, figure, numerator, area);
    }
    let numerator = count(conn, numerator, area)?;
    Ok(match predicate(figure, FigurePart::Denominator, period, today) {
        Some(p) => FigureValue::rate(numerator, count(conn, p, area)?),
        None => FigureValue::count(numerator),
    })
}

/// The marks of migration 021's view `figure_marks`: what each tally counts.
mod mark {
    use ow_shared::workflow::Channel;

    pub const RECEIVED: i64 = 1;
    pub const ACCEPTED_ON_TIME: i64 = 2;
    pub const REPEAT: i64 = 3;
    pub const GROUP_VISIT: i64 = 4;
    pub const DUE: i64 = 5;
    pub const DONE_BY_DUE: i64 = 6;
    pub const COMPLETED: i64 = 7;
    pub const RATED: i64 = 8;
    pub const SATISFIED: i64 = 9;
    pub const ON_SPOT: i64 = 11;
    pub const MEDIATED: i64 = 12;
    pub const SETTLED: i64 = 13;
    pub const COURT: i64 = 14;
    pub const CONFIRMED: i64 = 15;
    pub const DISPATCHED: i64 = 16;
    pub const TAKEN: i64 = 17;
    pub const OBJECTED: i64 = 18;
    /// On the earliest due date of a case's open dispatches.
    pub const OPEN_DISPATCH_DUE: i64 = 19;
    /// + days late: a completion after the due date, on the day it came.
    pub const LATE: i64 = 100_000;
    /// + handling days, on the day of completion.
    pub const HANDLING_DAYS: i64 = 200_000;
    /// + days from the first dispatch to the first response, on the day of the response.
    pub const RESPONSE_DAYS: i64 = 300_000;

    pub fn channel(channel: Channel) -> i64 {
        match channel {
            Channel::Visit => 20,
            Channel::Phone => 21,
            Channel::Letter => 22,
            Channel::Online => 23,
            Channel::Grid => 24,
        }
    }
}

/// An area's place in `figure_tallies` (migration 021); None for a grid, which is not
/// tallied (no leader's figures are asked for one).
fn tally_place(area: Area) -> Option<i64> {
    match area {
        Area::All => Some(0),
        Area::Township(id) => Some(1_000_000 + id),
        Area::Village(id) => Some(2_000_000 + id),
        Area::Grid { .. } => None,
    }
}

/// The Shanghai day number of a date, as the tallies count days (days since 1970-01-01).
fn day_number_of(date: Date) -> i64 {
    i64::from(date.to_julian_day()) - 2_440_588
}

/// A place's tallies over a period: the cases of each mark, and each late completion
/// with the day it came (whether it counts depends on where the period starts).
struct Tallies {
    counts: std::collections::HashMap<i64, i64>,
    /// (day completed, days late, cases)
    late: Vec<(i64, i64, i64)>,
}

impl Tallies {
    fn read(conn: &Connection, place: i64, period: Period) -> Result<Tallies, AppError> {
        let (from, to) = (day_number_of(period.from), day_number_of(period.to));
        let mut stmt = conn.prepare_cached(
            "SELECT CASE WHEN mark / 100000 = 1 THEN day END AS d, mark, sum(n) FROM figure_tallies
             WHERE place = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY d, mark",
        )?;
        let mut tallies = Tallies { counts: Default::default(), late: Vec::new() };
        let rows = stmt.query_map([place, from, to], |r| Ok((r.get::<_, Option<i64>>(0)?, r.get(1)?, r.get(2)?)))?;
        for row in rows {
            match row? {
                (Some(day), mark, n) => tallies.late.push((day, mark - mark::LATE, n)),
                (None, mark, n) => *tallies.counts.entry(mark).or_default() += n,
            }
        }
        Ok(tallies)
    }

    fn get(&self, mark: i64) -> u32 {
        self.counts.get(&mark).map_or(0, |n| (*n).max(0) as u32)
    }

    /// The cases due in the period and completed late but before it ended: those whose
    /// due date (the day completed less the days late) is in the period.
    fn late_within(&self, period: Period) -> u32 {
        let from = day_number_of(period.from);
        self.late.iter().filter(|(day, late, _)| day - late >= from).map(|(_, _, n)| (*n).max(0) as u32).sum()
    }

    /// The histogram of a days figure: (days, cases) in ascending days.
    fn histogram(&self, base: i64) -> Vec<(i64, i64)> {
        let mut histogram: Vec<(i64, i64)> = self
            .counts
            .iter()
            .filter(|(mark, n)| (base..base + 100_000).contains(*mark) && **n > 0)
            .map(|(mark, n)| (mark - base, *n))
            .collect();
        histogram.sort_unstable();
        histogram
    }

    /// A figure over cases from the tallies; None for the figures that are not tallied
    /// (legal aid, and the departments' overdue of now).
    fn value(&self, figure: FigureId, period: Period) -> Option<FigureValue> {
        use FigureId::*;
        let (numerator, base) = if let Some(channel) = figure.intake_channel() {
            (self.get(mark::channel(channel)), self.get(mark::RECEIVED))
        } else {
            match figure {
                AcceptanceOnTime => (self.get(mark::ACCEPTED_ON_TIME), self.get(mark::RECEIVED)),
                Completion => (self.get(mark::DONE_BY_DUE) + self.late_within(period), self.get(mark::DUE)),
                OnTimeCompletion => (self.get(mark::DONE_BY_DUE), self.get(mark::DUE)),
                Satisfaction => (self.get(mark::SATISFIED), self.get(mark::RATED)),
                RatingParticipation => (self.get(mark::RATED), self.get(mark::COMPLETED)),
                Repeat => (self.get(mark::REPEAT), self.get(mark::RECEIVED)),
                FirstRequest => (self.get(mark::RECEIVED) - self.get(mark::REPEAT), self.get(mark::RECEIVED)),
                GroupVisits => (self.get(mark::GROUP_VISIT), self.get(mark::RECEIVED)),
                ResolvedOnSpot => (self.get(mark::ON_SPOT), 0),
                MediationSuccess => (self.get(mark::SETTLED), self.get(mark::MEDIATED)),
                CourtReferrals => (self.get(mark::COURT), self.get(mark::MEDIATED)),
                JudicialConfirmations => (self.get(mark::CONFIRMED), 0),
                DeptDispatched => (self.get(mark::DISPATCHED), 0),
                DeptTaken => (self.get(mark::TAKEN), self.get(mark::DISPATCHED)),
                DeptObjected => (self.get(mark::OBJECTED), self.get(mark::DISPATCHED)),
                HandlingDaysAverage | HandlingDaysP90 => {
                    return Some(days_of(figure, &self.histogram(mark::HANDLING_DAYS)));
                }
                DeptResponseDays => return Some(days_of(figure, &self.histogram(mark::RESPONSE_DAYS))),
                _ => return None,
            }
        };
        Some(match figure.kind() {
            FigureKind::Rate => FigureValue::rate(numerator, base),
            _ => FigureValue::count(numerator),
        })
    }
}

/// Every figure of an area for a period, in `FigureId::ALL` order: the figures over
/// cases from the kept tallies (one indexed read of the area's days in the period), the
/// others counted as `value` counts them.
pub fn values(conn: &Connection, area: Area, period: Period, today: Date) -> Result<Vec<FigureValue>, AppError> {
    let Some(place) = tally_place(area) else {
        return FigureId::ALL.into_iter().map(|figure| value(conn, figure, area, period, today)).collect();
    };
    let tallies = Tallies::read(conn, place, period)?;
    FigureId::ALL
        .into_iter()
        .map(|figure| match (figure, tallies.value(figure, period)) {
            (_, Some(value)) => Ok(value),
            (FigureId::DeptOverdueNow, None) => overdue_now(conn, place, today).map(FigureValue::count),
            (_, None) => value(conn, figure, area, period, today),
        })
        .collect()
}

/// 部门现超期 from the tallies: the cases whose earliest open dispatch was due before today.
fn overdue_now(conn: &Connection, place: i64, today: Date) -> Result<u32, AppError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT coalesce(sum(n), 0) FROM figure_tallies WHERE place = ?1 AND day < ?2 AND mark = {}",
        mark::OPEN_DISPATCH_DUE
    ))?;
    let n: i64 = stmt.query_row([place, day_number_of(today)], |r| r.get(0))?;
    Ok(n.max(0) as u32)
}

/// Rebuilds the figures' facts and tallies from the cases and their events, in one
/// transaction: after a bulk load that paused their triggers (the benches' county).
pub fn rebuild_tallies(conn: &Connection) -> Result<(), AppError> {
    conn.execute_batch(concat!("BEGIN IMMEDIATE;", include_str!("figure_tallies_rebuild.sql"), "COMMIT;"))?;
    Ok(())
}

/// Intake by channel for each month of the period (clipped to it), in one pass.
pub fn monthly_intake(conn: &Connection, area: Area, period: Period) -> Result<Vec<MonthlyIntake>, AppError> {
    // (month `YYYY-MM`, channel code, cases), from the tallies where the area has them.
    let counted: Vec<(String, String, u32)> = match tally_place(area) {
        Some(place) => {
            let mut stmt = conn.prepare_cached(
                "SELECT strftime('%Y-%m', day * 86400, 'unixepoch'), mark, sum(n) FROM figure_tallies
                 WHERE place = ?1 AND day BETWEEN ?2 AND ?3 AND mark BETWEEN 20 AND 29 GROUP BY 1, 2",
            )?;
            let rows = stmt.query_map([place, day_number_of(period.from), day_number_of(period.to)], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
            })?;
            let mut counted = Vec::new();
            for row in rows {
                let (month, mark, n) = row?;
                if let Some(channel) = Channel::ALL.into_iter().find(|c| mark::channel(*c) == mark) {
                    counted.push((month, channel.code().to_string(), n.max(0) as u32));
                }
            }
            counted
        }
        None => {
            let mut parts = vec![received(period)];
            parts.extend(area_clause(area));
            let (sql, params) = and(&parts);
            let month =
                format!("strftime('%Y-%m', (c.created_at_ms + {}) / 1000, 'unixepoch')", SHANGHAI_OFFSET_S * 1000);
            let mut stmt =
                conn.prepare(&format!("SELECT {month}, c.channel, count(*) FROM cases c WHERE {sql} GROUP BY 1, 2"))?;
            stmt.query_map(params_from_iter(params.iter()), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<Vec<_>, _>>()?
        }
    };
    Ok(period
        .months()
        .into_iter()
        .map(|m| {
            let label = calendar::format(m.from)[..7].to_string();
            let by_channel = Channel::ALL
                .into_iter()
                .map(|channel| {
                    let count = counted
                        .iter()
                        .find(|(month, code, _)| *month == label && code == channel.code())
                        .map_or(0, |(_, _, n)| *n);
                    ChannelCount { channel, figure: FigureId::intake_of(channel), count }
                })
                .collect();
            MonthlyIntake { month: label, period: m.into(), by_channel }
        })
        .collect())
}

/// The report from its parts: the figures of the period, the previous period and last
/// year (each `values`, in `FigureId::ALL` order) and the monthly intake.
pub fn assemble(
    unit: &Unit,
    period: Period,
    [current, previous, last_year]: [Vec<FigureValue>; 3],
    monthly_intake: Vec<MonthlyIntake>,
) -> FiguresReport {
    let figures = FigureId::ALL
        .into_iter()
        .zip(current.into_iter().zip(previous.into_iter().zip(last_year)))
        .map(|(id, (current, (previous, last_year)))| FigureLine {
            id,
            section: id.section(),
            name: id.definition().name.to_string(),
            definition: id.tooltip(),
            current,
            previous,
            last_year,
        })
        .collect();
    FiguresReport {
        monthly_intake,
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        period: period.into(),
        previous: period.previous().into(),
        last_year: period.last_year().into(),
        figures,
        choices: Vec::new(),
    }
}

/// Every figure of the unit's area for the period, the previous period and the same
/// period last year, on one connection (the route reads the parts in parallel).
pub fn report(conn: &Connection, unit: &Unit, period: Period, today: Date) -> Result<FiguresReport, AppError> {
    let area = area_of(unit);
    let values = [
        values(conn, area, period, today)?,
        values(conn, area, period.previous(), today)?,
        values(conn, area, period.last_year(), today)?,
    ];
    Ok(assemble(unit, period, values, monthly_intake(conn, area, period)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::params;

    /// Hand-made histories: two townships (1, 2), one village each (1 in 1, 2 in 2).
    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate_for_tests(&mut conn);
        conn.execute_batch(
            "INSERT INTO townships (id, name) VALUES (1, '城关镇'), (2, '河东乡');
             INSERT INTO villages (id, township_id, name) VALUES (1, 1, '东村'), (2, 2, '西村');",
        )
        .unwrap();
        conn
    }

    /// Noon, Shanghai, of a date.
    fn at(date: &str) -> i64 {
        start_ms(calendar::parse(date).unwrap()) + 12 * 3600 * 1000
    }

    struct Case<'a> {
        channel: &'a str,
        village: i64,
        received: &'a str,
        acceptance_due: &'a str,
        handling_due: Option<&'a str>,
        extension_days: Option<u32>,
        rating: Option<&'a str>,
        linked: bool,
        group_size: i64,
        /// `MediationOutcome` as stored (JSON).
        mediation: Option<&'a str>,
        events: &'a [(&'a str, &'a str)],
    }

    const BASE: Case<'static> = Case {
        channel: "visit",
        village: 1,
        received: "2026-03-02",
        acceptance_due: "2026-03-17",
        handling_due: None,
        extension_days: None,
        rating: None,
        linked: false,
        group_size: 1,
        mediation: None,
        events: &[],
    };

    fn add(conn: &Connection, case: Case) -> i64 {
        let township = if case.village == 1 { 1 } else { 2 };
        let n: i64 = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).unwrap();
        conn.execute(
            "INSERT INTO cases (tracking_no, query_code_hash, case_type, state, channel, title, description, occurred_on,
                 township_id, village_id, address, other_party_name, contact_name, mobile, identity_protected,
                 created_at_ms, acceptance_due_on, handling_due_on, extension_days, rating, linked_case_id, unit_id,
                 group_size, mediation_outcome)
             VALUES (?1, 'h', 'dispute', 'accepted', ?2, 't', 'd', ?3, ?4, ?5, 'a', '', '张三', '13800000000', 0,
                 ?6, ?7, ?8, ?9, ?10, ?11, (SELECT id FROM units WHERE level = 'township' AND township_id = ?4),
                 ?12, ?13)",
            params![
                format!("T{n}"),
                case.channel,
                case.received,
                township,
                case.village,
                at(case.received),
                case.acceptance_due,
                case.handling_due,
                case.extension_days,
                case.rating,
                if case.linked && n > 0 { Some(1) } else { None },
                case.group_size,
                case.mediation,
            ],
        )
        .unwrap();
        let id = conn.last_insert_rowid();
        for (kind, date) in case.events {
            conn.execute(
                "INSERT INTO case_events (case_id, at_ms, actor, unit, kind, to_state, public)
                 VALUES (?1, ?2, '测试', '中心', ?3, 'accepted', 1)",
                params![id, at(date), kind],
            )
            .unwrap();
        }
        id
    }

    /// "Now" in the tests: after every hand-made history.
    fn today() -> Date {
        calendar::parse("2026-05-01").unwrap()
    }

    fn period(from: &str, to: &str) -> Period {
        Period::parse(from, to).unwrap()
    }

    fn figures_for(conn: &Connection, unit: &Unit, from: &str, to: &str) -> FiguresReport {
        report(conn, unit, period(from, to), today()).unwrap()
    }

    fn march() -> Period {
        period("2026-03-01", "2026-03-31")
    }

    /// A figure's value, checked to be the same counted alone and counted with the
    /// others in the report's grouped passes.
    fn get(conn: &Connection, figure: FigureId, area: Area, period: Period) -> FigureValue {
        let alone = value(conn, figure, area, period, today()).unwrap();
        let index = FigureId::ALL.iter().position(|f| *f == figure).unwrap();
        assert_eq!(values(conn, area, period, today()).unwrap()[index], alone, "{figure:?}");
        alone
    }

    #[test]
    fn intake_counts_by_channel_and_period_and_place() {
        let conn = db();
        add(&conn, BASE);
        add(&conn, Case { channel: "online", ..BASE });
        add(&conn, Case { channel: "online", village: 2, ..BASE });
        // Registered at 23:59 on 31 March in Shanghai — 15:59 UTC — still March.
        let id = add(&conn, Case { channel: "online", received: "2026-03-31", ..BASE });
        conn.execute(
            "UPDATE cases SET created_at_ms = ?1 WHERE id = ?2",
            params![at("2026-04-01") - 12 * 3600 * 1000 - 1, id],
        )
        .unwrap();
        add(&conn, Case { channel: "online", received: "2026-04-01", ..BASE });
        assert_eq!(get(&conn, FigureId::IntakeOnline, Area::All, march()).numerator, 3);
        assert_eq!(get(&conn, FigureId::IntakeOnline, Area::Township(1), march()).numerator, 2);
        assert_eq!(get(&conn, FigureId::IntakeOnline, Area::Village(2), march()).numerator, 1);
        assert_eq!(get(&conn, FigureId::IntakeVisit, Area::All, march()), FigureValue::count(1));
        assert_eq!(get(&conn, FigureId::IntakeOnline, Area::All, period("2026-04-01", "2026-04-30")).numerator, 1);
    }

    #[test]
    fn acceptance_is_on_time_through_its_last_day_and_declining_counts() {
        let conn = db();
        add(&conn, Case { events: &[("accepted", "2026-03-17")], ..BASE });
        add(&conn, Case { events: &[("declined", "2026-03-05")], ..BASE });
        add(&conn, Case { events: &[("accepted", "2026-03-18")], ..BASE });
        add(&conn, BASE);
        assert_eq!(get(&conn, FigureId::AcceptanceOnTime, Area::All, march()), FigureValue::rate(2, 4));
    }

    #[test]
    fn completion_counts_cases_due_in_the_period_even_when_received_before_it() {
        let conn = db();
        // Received in January, due in March, replied in March on time.
        add(
            &conn,
            Case {
                received: "2026-01-05",
                handling_due: Some("2026-03-10"),
                events: &[("replied", "2026-03-09")],
                ..BASE
            },
        );
        // Due in March, replied late in March.
        add(&conn, Case { handling_due: Some("2026-03-20"), events: &[("replied", "2026-03-25")], ..BASE });
        // Due in March, replied in April: not completed in March, and late.
        add(&conn, Case { handling_due: Some("2026-03-30"), events: &[("replied", "2026-04-02")], ..BASE });
        // Settled on the spot on time.
        add(&conn, Case { handling_due: Some("2026-03-31"), events: &[("resolved_on_spot", "2026-03-03")], ..BASE });
        // Due in April: not in March's figures at all.
        add(&conn, Case { handling_due: Some("2026-04-01"), events: &[("replied", "2026-03-03")], ..BASE });
        assert_eq!(get(&conn, FigureId::Completion, Area::All, march()), FigureValue::rate(3, 4));
        assert_eq!(get(&conn, FigureId::OnTimeCompletion, Area::All, march()), FigureValue::rate(2, 4));
        assert_eq!(
            get(&conn, FigureId::Completion, Area::All, period("2026-04-01", "2026-04-30")),
            FigureValue::rate(1, 1)
        );
        assert_eq!(get(&conn, FigureId::ResolvedOnSpot, Area::All, march()), FigureValue::count(1));
    }

    #[test]
    fn an_extension_counts_only_when_granted_before_the_original_due_date() {
        let conn = db();
        // Due 10 March, extended by 30 days on 8 March → due 9 April; replied 1 April: on time.
        add(
            &conn,
            Case {
                handling_due: Some("2026-04-09"),
                extension_days: Some(30),
                events: &[("extended", "2026-03-08"), ("replied", "2026-04-01")],
                ..BASE
            },
        );
        // Due 10 March, "extended" on 15 March (before the fix refused it): still due
        // 10 March, so a March case and late.
        add(
            &conn,
            Case {
                handling_due: Some("2026-04-09"),
                extension_days: Some(30),
                events: &[("extended", "2026-03-15"), ("replied", "2026-04-01")],
                ..BASE
            },
        );
        let april = period("2026-04-01", "2026-04-30");
        assert_eq!(get(&conn, FigureId::OnTimeCompletion, Area::All, april), FigureValue::rate(1, 1));
        assert_eq!(get(&conn, FigureId::OnTimeCompletion, Area::All, march()), FigureValue::rate(0, 1));
        assert_eq!(get(&conn, FigureId::Completion, Area::All, march()), FigureValue::rate(0, 1));
    }

    #[test]
    fn a_hand_over_between_units_leaves_the_case_in_its_place() {
        let conn = db();
        // A case of 东村 (城关镇) reported up to the county centre and handed down again.
        add(
            &conn,
            Case {
                handling_due: Some("2026-03-20"),
                events: &[("reported_up", "2026-03-05"), ("handed_down", "2026-03-06"), ("replied", "2026-03-19")],
                ..BASE
            },
        );
        conn.execute("UPDATE cases SET unit_id = 1", []).unwrap();
        for area in [Area::All, Area::Township(1), Area::Village(1)] {
            assert_eq!(get(&conn, FigureId::OnTimeCompletion, area, march()), FigureValue::rate(1, 1));
        }
        assert_eq!(get(&conn, FigureId::OnTimeCompletion, Area::Township(2), march()), FigureValue::rate(0, 0));
    }

    #[test]
    fn satisfaction_and_participation_are_of_the_replies_in_the_period() {
        let conn = db();
        add(&conn, Case { rating: Some("satisfied"), events: &[("replied", "2026-03-05")], ..BASE });
        add(&conn, Case { rating: Some("basically_satisfied"), events: &[("replied", "2026-03-06")], ..BASE });
        add(&conn, Case { rating: Some("dissatisfied"), events: &[("replied", "2026-03-07")], ..BASE });
        add(&conn, Case { events: &[("replied", "2026-03-08")], ..BASE });
        add(&conn, Case { rating: Some("dissatisfied"), events: &[("replied", "2026-02-08")], ..BASE });
        assert_eq!(get(&conn, FigureId::Satisfaction, Area::All, march()), FigureValue::rate(2, 3));
        assert_eq!(get(&conn, FigureId::RatingParticipation, Area::All, march()), FigureValue::rate(3, 4));
    }

    #[test]
    fn a_case_replied_again_in_a_later_period_is_rated_in_the_period_of_its_first_reply() {
        let conn = db();
        add(
            &conn,
            Case { rating: Some("satisfied"), events: &[("replied", "2026-02-20"), ("replied", "2026-03-05")], ..BASE },
        );
        add(&conn, Case { rating: Some("dissatisfied"), events: &[("replied", "2026-03-06")], ..BASE });
        let february = period("2026-02-01", "2026-02-28");
        assert_eq!(get(&conn, FigureId::Satisfaction, Area::All, february), FigureValue::rate(1, 1));
        assert_eq!(get(&conn, FigureId::Satisfaction, Area::All, march()), FigureValue::rate(0, 1));
        assert_eq!(get(&conn, FigureId::RatingParticipation, Area::All, march()), FigureValue::rate(1, 1));
    }

    /// Every kept tally, not 0, in order.
    fn tallies(conn: &Connection) -> Vec<(i64, i64, i64, i64)> {
        let mut stmt =
            conn.prepare("SELECT place, day, mark, n FROM figure_tallies WHERE n != 0 ORDER BY 1, 2, 3").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(Result::unwrap).collect()
    }

    #[test]
    fn the_tallies_follow_later_changes_and_equal_a_rebuild_from_the_events() {
        let conn = db();
        let rated_later = add(&conn, Case { events: &[("replied", "2026-03-05")], ..BASE });
        let moved = add(&conn, Case { channel: "phone", events: &[("accepted", "2026-03-03")], ..BASE });
        add(&conn, Case { village: 2, handling_due: Some("2026-03-20"), events: &[("replied", "2026-03-25")], ..BASE });
        assert_eq!(get(&conn, FigureId::Satisfaction, Area::All, march()), FigureValue::rate(0, 0));
        conn.execute("UPDATE cases SET rating = 'satisfied' WHERE id = ?1", [rated_later]).unwrap();
        assert_eq!(get(&conn, FigureId::Satisfaction, Area::All, march()), FigureValue::rate(1, 1));

        // Handed over to the other township's village: its figures go with it.
        assert_eq!(get(&conn, FigureId::IntakePhone, Area::Township(1), march()), FigureValue::count(1));
        conn.execute("UPDATE cases SET township_id = 2, village_id = 2 WHERE id = ?1", [moved]).unwrap();
        assert_eq!(get(&conn, FigureId::IntakePhone, Area::Township(1), march()), FigureValue::count(0));
        assert_eq!(get(&conn, FigureId::IntakePhone, Area::Township(2), march()), FigureValue::count(1));
        assert_eq!(get(&conn, FigureId::IntakePhone, Area::Village(2), march()), FigureValue::count(1));
        assert_eq!(get(&conn, FigureId::Completion, Area::Village(2), march()), FigureValue::rate(1, 1));
        assert_eq!(get(&conn, FigureId::OnTimeCompletion, Area::Village(2), march()), FigureValue::rate(0, 1));

        let kept = tallies(&conn);
        assert!(kept.len() > 20, "{kept:?}");
        rebuild_tallies(&conn).unwrap();
        assert_eq!(tallies(&conn), kept, "case by case and in one pass, the same tallies");
        assert_eq!(
            conn.query_row("SELECT count(*) FROM figure_tallies_paused", [], |r| r.get::<_, i64>(0)).unwrap(),
            0
        );
    }

    #[test]
    fn repeats_are_cases_linked_to_an_earlier_one() {
        let conn = db();
        add(&conn, BASE);
        add(&conn, Case { linked: true, ..BASE });
        add(&conn, Case { linked: true, received: "2026-04-02", ..BASE });
        assert_eq!(get(&conn, FigureId::Repeat, Area::All, march()), FigureValue::rate(1, 2));
    }

    #[test]
    fn the_report_sets_last_year_and_the_previous_period_beside() {
        let conn = db();
        add(&conn, Case { received: "2025-03-03", ..BASE });
        add(&conn, Case { received: "2026-02-03", ..BASE });
        add(&conn, Case { received: "2026-02-04", ..BASE });
        let county = crate::db::units::county(&conn).unwrap();
        let report = report(&conn, &county, march(), today()).unwrap();
        let visits = report.figures.iter().find(|f| f.id == FigureId::IntakeVisit).unwrap();
        assert_eq!((visits.current.numerator, visits.previous.numerator, visits.last_year.numerator), (0, 2, 1));
        assert_eq!(report.previous.from, "2026-02-01");
        assert_eq!(report.last_year.to, "2025-03-31");
        assert_eq!(report.figures.len(), FigureId::ALL.len());
        let february = figures_for(&conn, &county, "2026-02-01", "2026-03-31");
        let visits = |m: &MonthlyIntake| m.by_channel.iter().find(|c| c.channel == Channel::Visit).unwrap().count;
        assert_eq!(
            february.monthly_intake.iter().map(|m| (m.month.as_str(), visits(m))).collect::<Vec<_>>(),
            [("2026-02", 2), ("2026-03", 0)]
        );
    }

    /// A figure's value over the cases its queue link lists: the drill-down and the
    /// number must agree.
    fn listed(conn: &Connection, figure: FigureId, part: FigurePart, period: Period) -> u32 {
        let county = crate::db::units::county(conn).unwrap();
        let (sql, params) = behind(figure, part, period, today(), &county);
        conn.query_row(&format!("SELECT count(*) FROM cases c WHERE {sql}"), params_from_iter(params.iter()), |r| {
            r.get(0)
        })
        .unwrap()
    }

    #[test]
    fn handling_days_run_from_registration_to_the_first_completion() {
        let conn = db();
        // Received in February, replied in March: a March case of 8 days.
        add(&conn, Case { received: "2026-02-25", events: &[("replied", "2026-03-05")], ..BASE });
        // Replied in March, then reviewed and replied again in April: counted once, in
        // March, with its first reply (a review does not move the completion).
        add(
            &conn,
            Case {
                events: &[("replied", "2026-03-04"), ("review_decided", "2026-04-01"), ("replied", "2026-04-10")],
                ..BASE
            },
        );
        // Settled on the spot the day it came in: 0 days.
        add(&conn, Case { received: "2026-03-10", events: &[("resolved_on_spot", "2026-03-10")], ..BASE });
        // Received in March, replied in April: April's.
        add(&conn, Case { received: "2026-03-30", events: &[("replied", "2026-04-02")], ..BASE });
        // Not completed: in no period.
        add(&conn, BASE);
        let average = get(&conn, FigureId::HandlingDaysAverage, Area::All, march());
        assert_eq!(average, FigureValue::days(3, Some(33))); // (8 + 2 + 0) / 3 = 3.3
        assert_eq!(average.display(), "3.3天");
        assert_eq!(get(&conn, FigureId::HandlingDaysP90, Area::All, march()), FigureValue::days(3, Some(80)));
        let april = period("2026-04-01", "2026-04-30");
        assert_eq!(get(&conn, FigureId::HandlingDaysAverage, Area::All, april), FigureValue::days(1, Some(30)));
        assert_eq!(listed(&conn, FigureId::HandlingDaysP90, FigurePart::Numerator, march()), 3);
        let empty = get(&conn, FigureId::HandlingDaysP90, Area::All, period("2026-01-01", "2026-01-31"));
        assert_eq!((empty, empty.display()), (FigureValue::days(0, None), "0".to_string()));
    }

    #[test]
    fn the_90th_percentile_is_the_nearest_rank() {
        let conn = db();
        // Ten cases taking 0..=9 days: 90% are done within 8 days.
        for d in 0..10 {
            let replied = format!("2026-03-{:02}", 11 + d);
            let events = [("replied", replied.as_str())];
            add(&conn, Case { received: "2026-03-11", events: &events, ..BASE });
        }
        assert_eq!(get(&conn, FigureId::HandlingDaysP90, Area::All, march()), FigureValue::days(10, Some(80)));
        assert_eq!(get(&conn, FigureId::HandlingDaysAverage, Area::All, march()), FigureValue::days(10, Some(45)));
    }

    const SETTLED: &str = r#"{"outcome":"settled","agreement":"协议","judicial_confirmation_on":null}"#;
    const CONFIRMED: &str = r#"{"outcome":"settled","agreement":"协议","judicial_confirmation_on":"2026-04-03"}"#;
    const REFERRED: &str = r#"{"outcome":"not_settled","referred_to_court":true,"note":""}"#;
    const FAILED: &str = r#"{"outcome":"not_settled","referred_to_court":false,"note":""}"#;

    #[test]
    fn mediation_counts_the_last_outcome_recorded_in_the_period() {
        let conn = db();
        add(&conn, Case { mediation: Some(SETTLED), events: &[("mediation_recorded", "2026-03-05")], ..BASE });
        add(&conn, Case { mediation: Some(SETTLED), events: &[("resolved_on_spot", "2026-03-06")], ..BASE });
        add(&conn, Case { mediation: Some(REFERRED), events: &[("mediation_recorded", "2026-03-07")], ..BASE });
        add(&conn, Case { mediation: Some(FAILED), events: &[("mediation_recorded", "2026-03-08")], ..BASE });
        // Recorded in March, confirmed by the court in April.
        add(&conn, Case { mediation: Some(CONFIRMED), events: &[("mediation_recorded", "2026-03-09")], ..BASE });
        // First recorded in February, finally in March: March's only.
        add(
            &conn,
            Case {
                mediation: Some(SETTLED),
                events: &[("mediation_recorded", "2026-02-20"), ("mediation_recorded", "2026-03-02")],
                ..BASE
            },
        );
        // Recorded in February: not March's.
        add(&conn, Case { mediation: Some(FAILED), events: &[("mediation_recorded", "2026-02-10")], ..BASE });
        assert_eq!(get(&conn, FigureId::MediationSuccess, Area::All, march()), FigureValue::rate(4, 6));
        assert_eq!(listed(&conn, FigureId::MediationSuccess, FigurePart::Denominator, march()), 6);
        assert_eq!(get(&conn, FigureId::CourtReferrals, Area::All, march()), FigureValue::count(1));
        assert_eq!(get(&conn, FigureId::JudicialConfirmations, Area::All, march()), FigureValue::count(0));
        let april = period("2026-04-01", "2026-04-30");
        assert_eq!(get(&conn, FigureId::JudicialConfirmations, Area::All, april), FigureValue::count(1));
        assert_eq!(
            get(&conn, FigureId::MediationSuccess, Area::All, period("2026-02-01", "2026-02-28")),
            FigureValue::rate(0, 1)
        );
    }

    #[test]
    fn group_visits_and_first_requests_are_of_the_cases_received() {
        let conn = db();
        add(&conn, Case { group_size: 5, ..BASE });
        add(&conn, Case { group_size: 4, linked: true, ..BASE });
        add(&conn, Case { group_size: 12, received: "2026-04-01", ..BASE });
        add(&conn, Case { linked: true, ..BASE });
        assert_eq!(get(&conn, FigureId::GroupVisits, Area::All, march()), FigureValue::count(1));
        assert_eq!(get(&conn, FigureId::FirstRequest, Area::All, march()), FigureValue::rate(1, 3));
        assert_eq!(get(&conn, FigureId::Repeat, Area::All, march()), FigureValue::rate(2, 3));
        assert_eq!(listed(&conn, FigureId::GroupVisits, FigurePart::Numerator, march()), 1);
    }

    #[test]
    fn departments_count_dispatches_answers_and_what_is_overdue_now() {
        let conn = db();
        conn.execute("INSERT INTO departments (id, code, name) VALUES (1, 'zj', '住建局')", []).unwrap();
        let dispatch = |case: i64, state: &str, due: &str| {
            conn.execute(
                "INSERT INTO case_dispatches (case_id, department_id, state, dispatched_at_ms, due_on, objection_due_on,
                     updated_at_ms) VALUES (?1, 1, ?2, 0, ?3, ?3, 0)",
                params![case, state, due],
            )
            .unwrap();
        };
        // Dispatched 3 March, taken, answered 8 March: 5 days.
        let a = add(
            &conn,
            Case {
                events: &[("dispatched", "2026-03-03"), ("dispatch_taken", "2026-03-04"), ("responded", "2026-03-08")],
                ..BASE
            },
        );
        dispatch(a, "responded", "2026-03-20");
        // Dispatched in February, objected, dispatched again in March: February's
        // dispatch; answered in March after 30 days from the first dispatch.
        let b = add(
            &conn,
            Case {
                events: &[
                    ("dispatched", "2026-02-20"),
                    ("dispatch_objected", "2026-02-21"),
                    ("dispatched", "2026-03-01"),
                    ("responded", "2026-03-22"),
                ],
                ..BASE
            },
        );
        dispatch(b, "responded", "2026-03-25");
        // Dispatched 10 March, objected, still open and past due (not in a village of 1).
        let c = add(
            &conn,
            Case { village: 2, events: &[("dispatched", "2026-03-10"), ("dispatch_objected", "2026-03-11")], ..BASE },
        );
        dispatch(c, "taken", "2026-04-20");
        // Taken, due after today: not overdue.
        let d = add(&conn, Case { events: &[("dispatched", "2026-03-12"), ("dispatch_taken", "2026-03-12")], ..BASE });
        dispatch(d, "taken", "2026-05-20");
        assert_eq!(get(&conn, FigureId::DeptDispatched, Area::All, march()), FigureValue::count(3));
        assert_eq!(get(&conn, FigureId::DeptTaken, Area::All, march()), FigureValue::count(2));
        assert_eq!(get(&conn, FigureId::DeptObjected, Area::All, march()), FigureValue::count(1));
        assert_eq!(
            get(&conn, FigureId::DeptObjected, Area::All, period("2026-02-01", "2026-02-28")),
            FigureValue::count(1)
        );
        // (5 + 30) / 2 = 17.5
        assert_eq!(get(&conn, FigureId::DeptResponseDays, Area::All, march()), FigureValue::days(2, Some(175)));
        assert_eq!(get(&conn, FigureId::DeptOverdueNow, Area::All, march()), FigureValue::count(1));
        assert_eq!(get(&conn, FigureId::DeptOverdueNow, Area::Township(1), march()), FigureValue::count(0));
        assert_eq!(listed(&conn, FigureId::DeptOverdueNow, FigurePart::Numerator, march()), 1);
        // The department answers: nothing is overdue now; another case's due date passes.
        conn.execute("UPDATE case_dispatches SET state = 'responded' WHERE case_id = ?1", [c]).unwrap();
        assert_eq!(get(&conn, FigureId::DeptOverdueNow, Area::All, march()), FigureValue::count(0));
        conn.execute("UPDATE case_dispatches SET due_on = '2026-04-30' WHERE case_id = ?1", [d]).unwrap();
        assert_eq!(get(&conn, FigureId::DeptOverdueNow, Area::Township(1), march()), FigureValue::count(1));
    }

    #[test]
    fn legal_aid_counts_bookings_by_service_no_shows_and_deadlines_kept() {
        let conn = db();
        conn.execute_batch(
            "INSERT INTO booking_places (id, name, kind, township_id, address, phone, slot_minutes, capacity, window_days,
                 min_notice_minutes) VALUES (1, '县中心', 'centre', NULL, '', '', 30, 2, 14, 0),
                                            (2, '城关司法所', 'sifasuo', 1, '', '', 30, 2, 14, 0);
             INSERT INTO staff (id, username, display_name, role, password_hash, created_at_ms, unit_id)
                 VALUES (1, 'u', 'u', 'clerk', 'x', 0, 1);",
        )
        .unwrap();
        let booking = |place: i64, service: &str, day: &str, status: &str| {
            conn.execute(
                "INSERT INTO bookings (code, place_id, service, starts_at_ms, ends_at_ms, day, status, name, mobile,
                     description, channel, created_at_ms, updated_at_ms)
                 VALUES (?1, ?2, ?3, 0, 0, ?4, ?5, '李四', '13800000000', '', 'online', 0, 0)",
                params![format!("B{}{day}{service}{status}", place), place, service, day, status],
            )
            .unwrap();
            conn.last_insert_rowid()
        };
        let application = |booking: i64, decided: Option<&str>, due: &str, lawyer_due: Option<&str>| {
            conn.execute(
                "INSERT INTO legal_aid_applications (booking_id, state, answers, precheck, note, received_on,
                     decision_due_on, decided_on, lawyer_due_on, created_by, created_at_ms, updated_at_ms)
                 VALUES (?1, 'approved', '{}', '{}', '', '2026-03-01', ?2, ?3, ?4, 1, 0, 0)",
                params![booking, due, decided, lawyer_due],
            )
            .unwrap();
        };
        let assigned = |booking: i64, date: &str| {
            conn.execute(
                "INSERT INTO booking_events (booking_id, at_ms, actor, kind) VALUES (?1, ?2, '1', 'lawyer_assigned')",
                params![booking, at(date)],
            )
            .unwrap();
        };
        booking(1, "consultation", "2026-03-03", "checked_in");
        booking(2, "consultation", "2026-03-04", "no_show");
        booking(2, "consultation", "2026-03-05", "cancelled");
        booking(2, "mediation", "2026-04-01", "booked");
        // Decided on time, lawyer on its last day; decided late, lawyer late.
        let a = booking(2, "legal_aid_application", "2026-03-02", "checked_in");
        application(a, Some("2026-03-09"), "2026-03-09", Some("2026-03-12"));
        assigned(a, "2026-03-12");
        let b = booking(1, "legal_aid_application", "2026-03-02", "checked_in");
        application(b, Some("2026-03-12"), "2026-03-09", Some("2026-03-15"));
        assigned(b, "2026-03-16");
        assert_eq!(get(&conn, FigureId::BookingsConsultation, Area::All, march()), FigureValue::count(2));
        assert_eq!(get(&conn, FigureId::BookingsConsultation, Area::Township(1), march()), FigureValue::count(1));
        assert_eq!(get(&conn, FigureId::BookingsMediation, Area::All, march()), FigureValue::count(0));
        assert_eq!(get(&conn, FigureId::BookingsLegalAid, Area::All, march()), FigureValue::count(2));
        assert_eq!(get(&conn, FigureId::BookingNoShows, Area::All, march()), FigureValue::count(1));
        assert_eq!(get(&conn, FigureId::LegalAidDecidedOnTime, Area::All, march()), FigureValue::rate(1, 2));
        assert_eq!(get(&conn, FigureId::LegalAidLawyerOnTime, Area::All, march()), FigureValue::rate(1, 2));
        assert_eq!(get(&conn, FigureId::LegalAidLawyerOnTime, Area::Township(1), march()), FigureValue::rate(1, 1));
        assert_eq!(get(&conn, FigureId::LegalAidLawyerOnTime, Area::Village(1), march()), FigureValue::rate(0, 0));
    }
}
