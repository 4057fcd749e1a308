//! Leaders' figures (issue 13), counted from the cases and their append-only events.
//! Each figure's numerator and denominator is one SQL predicate over `cases c`
//! (`predicate`); the queue lists the cases behind a number with the very same
//! predicate, so the list and the number cannot disagree.

use super::queue::{Area, area_clause};
use crate::error::AppError;
use ow_shared::calendar;
use ow_shared::figures::{
    ChannelCount, FigureId, FigureLine, FigurePart, FigureValue, FiguresReport, MonthlyIntake, Period,
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

/// The lawful handling due date falls within the period.
fn due_in(period: Period) -> Predicate {
    (
        format!("{LAWFUL_DUE} BETWEEN ? AND ?"),
        vec![Value::Text(calendar::format(period.from)), Value::Text(calendar::format(period.to))],
    )
}

/// An event of these kinds happened within the period.
fn event_in(kinds: &str, period: Period) -> Predicate {
    (
        format!(
            "EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind IN {kinds}
                     AND e.at_ms >= ? AND e.at_ms < ?)"
        ),
        received(period).1,
    )
}

/// The SQL predicate for one side of a figure in a period; None for the denominator of
/// a count.
pub fn predicate(figure: FigureId, part: FigurePart, period: Period) -> Option<Predicate> {
    use FigurePart::{Denominator, Numerator};
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
    let rated = fixed("c.rating IS NOT NULL");
    if let Some(channel) = figure.intake_channel() {
        let numerator = and(&[received(period), ("c.channel = ?".into(), vec![Value::Text(channel.code().into())])]);
        return (part == Numerator).then_some(numerator);
    }
    Some(match (figure, part) {
        (FigureId::AcceptanceOnTime, Denominator) | (FigureId::Repeat, Denominator) => received(period),
        (FigureId::AcceptanceOnTime, Numerator) => and(&[
            received(period),
            fixed(&format!(
                "EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind IN ('accepted', 'declined')
                         AND e.at_ms < {})",
                end_of_day_sql("c.acceptance_due_on")
            )),
        ]),
        (FigureId::Completion, Denominator) | (FigureId::OnTimeCompletion, Denominator) => due_in(period),
        (FigureId::Completion, Numerator) => and(&[due_in(period), completed_by(("?".into(), vec![end]))]),
        (FigureId::OnTimeCompletion, Numerator) => {
            and(&[due_in(period), completed_by((end_of_day_sql(LAWFUL_DUE), Vec::new()))])
        }
        (FigureId::Satisfaction, Denominator) => and(&[event_in(COMPLETING, period), rated]),
        (FigureId::Satisfaction, Numerator) => {
            and(&[event_in(COMPLETING, period), fixed("c.rating IN ('satisfied', 'basically_satisfied')")])
        }
        (FigureId::RatingParticipation, Denominator) => event_in(COMPLETING, period),
        (FigureId::RatingParticipation, Numerator) => and(&[event_in(COMPLETING, period), rated]),
        (FigureId::Repeat, Numerator) => and(&[received(period), fixed("c.linked_case_id IS NOT NULL")]),
        (FigureId::ResolvedOnSpot, Numerator) => event_in("('resolved_on_spot')", period),
        (_, Denominator) => return None,
        // Handled above.
        (_, Numerator) => return None,
    })
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
pub fn behind(figure: FigureId, part: FigurePart, period: Period, unit: &Unit) -> Predicate {
    let side = predicate(figure, part, period)
        .or_else(|| predicate(figure, FigurePart::Numerator, period))
        .unwrap_or_else(|| fixed("0"));
    let mut parts = vec![side];
    parts.extend(area_clause(area_of(unit)));
    and(&parts)
}

fn count(conn: &Connection, predicate: Predicate, area: Area) -> Result<u32, AppError> {
    let mut parts = vec![predicate];
    parts.extend(area_clause(area));
    let (sql, params) = and(&parts);
    Ok(conn.query_row(&format!("SELECT count(*) FROM cases c WHERE {sql}"), params_from_iter(params.iter()), |r| {
        r.get(0)
    })?)
}

/// One figure of an area for a period.
pub fn value(conn: &Connection, figure: FigureId, area: Area, period: Period) -> Result<FigureValue, AppError> {
    let numerator = match predicate(figure, FigurePart::Numerator, period) {
        Some(p) => count(conn, p, area)?,
        None => 0,
    };
    Ok(match predicate(figure, FigurePart::Denominator, period) {
        Some(p) => FigureValue::rate(numerator, count(conn, p, area)?),
        None => FigureValue::count(numerator),
    })
}

/// Every figure of the unit's area for the period, the previous period and the same
/// period last year.
pub fn report(conn: &Connection, unit: &Unit, period: Period) -> Result<FiguresReport, AppError> {
    let area = area_of(unit);
    let (previous, last_year) = (period.previous(), period.last_year());
    let figures = FigureId::ALL
        .into_iter()
        .map(|id| {
            Ok(FigureLine {
                id,
                name: id.definition().name.to_string(),
                definition: id.tooltip(),
                current: value(conn, id, area, period)?,
                previous: value(conn, id, area, previous)?,
                last_year: value(conn, id, area, last_year)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let monthly_intake = period
        .months()
        .into_iter()
        .map(|month| {
            let by_channel = Channel::ALL
                .into_iter()
                .map(|channel| {
                    let figure = FigureId::intake_of(channel);
                    Ok(ChannelCount { channel, figure, count: value(conn, figure, area, month)?.numerator })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            let label = calendar::format(month.from)[..7].to_string();
            Ok(MonthlyIntake { month: label, period: month.into(), by_channel })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(FiguresReport {
        monthly_intake,
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        period: period.into(),
        previous: previous.into(),
        last_year: last_year.into(),
        figures,
    })
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
        events: &[],
    };

    fn add(conn: &Connection, case: Case) -> i64 {
        let township = if case.village == 1 { 1 } else { 2 };
        let n: i64 = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).unwrap();
        conn.execute(
            "INSERT INTO cases (tracking_no, query_code_hash, case_type, state, channel, title, description, occurred_on,
                 township_id, village_id, address, other_party_name, contact_name, mobile, identity_protected,
                 created_at_ms, acceptance_due_on, handling_due_on, extension_days, rating, linked_case_id, unit_id)
             VALUES (?1, 'h', 'dispute', 'accepted', ?2, 't', 'd', ?3, ?4, ?5, 'a', '', '张三', '13800000000', 0,
                 ?6, ?7, ?8, ?9, ?10, ?11, (SELECT id FROM units WHERE level = 'township' AND township_id = ?4))",
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

    fn period(from: &str, to: &str) -> Period {
        Period::parse(from, to).unwrap()
    }

    fn figures_for(conn: &Connection, unit: &Unit, from: &str, to: &str) -> FiguresReport {
        report(conn, unit, period(from, to)).unwrap()
    }

    fn march() -> Period {
        period("2026-03-01", "2026-03-31")
    }

    fn get(conn: &Connection, figure: FigureId, area: Area, period: Period) -> FigureValue {
        value(conn, figure, area, period).unwrap()
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
        let report = report(&conn, &county, march()).unwrap();
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
}
