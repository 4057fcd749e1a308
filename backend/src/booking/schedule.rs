//! When a place takes appointments: its week, its own closed days and the holiday
//! calendar, cut into slots; what is left of each slot; the rules a chosen slot must
//! pass (booking window, closed day, minimum notice). Dates and times as residents
//! read them (Asia/Shanghai); moments as UTC milliseconds.

use crate::clock;
use crate::db::booking::{self as store, Place};
use crate::error::AppError;
use ow_shared::booking::{DayInfo, SlotInfo, SlotRef, format_hhmm, parse_hhmm};
use ow_shared::calendar::{self, DayKind};
use ow_shared::{ErrorCode, FieldError};
use rusqlite::Connection;
use std::collections::HashMap;
use time::macros::offset;
use time::{Date, Duration, Weekday};

/// How many free slots a full one offers instead.
pub const ALTERNATIVES: usize = 5;

/// A place's day: open or not, why, and its slots (start, end) in minutes after midnight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayPlan {
    pub open: bool,
    pub note: String,
    pub slots: Vec<(u32, u32)>,
}

/// The moment (UTC ms) of a Shanghai date's minute.
pub fn moment_ms(date: Date, minute: u32) -> i64 {
    date.midnight().assume_offset(offset!(+8)).unix_timestamp() * 1000 + i64::from(minute) * 60_000
}

/// A booking's date, start and end as shown (`YYYY-MM-DD`, `HH:MM`, `HH:MM`; an end at
/// midnight is `24:00`).
pub fn shown(starts_at_ms: i64, ends_at_ms: i64) -> (String, String, String) {
    let date = clock::date_of(starts_at_ms);
    let start = ((starts_at_ms - moment_ms(date, 0)) / 60_000) as u32;
    let end = start + ((ends_at_ms - starts_at_ms) / 60_000) as u32;
    (calendar::format(date), format_hhmm(start), format_hhmm(end))
}

fn weekday_no(date: Date) -> u8 {
    date.weekday().number_from_monday()
}

/// A place's plan for a date. A holiday (法定节假日) closes every place; a make-up
/// workday (调休上班) opens it with that weekday's hours, or else its first weekday's.
pub fn plan_day(place: &Place, holidays: &HashMap<String, (DayKind, String)>, date: Date) -> DayPlan {
    let key = calendar::format(date);
    let closed = |note: String| DayPlan { open: false, note, slots: Vec::new() };
    if let Some(reason) = place.closed.get(&key) {
        return closed(if reason.is_empty() { "暂停预约".into() } else { reason.clone() });
    }
    let hours_of = |weekday: u8| -> Vec<(u32, u32)> {
        place.hours.iter().filter(|(d, _, _)| *d == weekday).map(|&(_, open, close)| (open, close)).collect()
    };
    let (spans, note) = match holidays.get(&key) {
        Some((DayKind::Holiday, name)) => return closed(name.clone()),
        Some((DayKind::Workday, name)) => {
            let own = hours_of(weekday_no(date));
            let spans =
                if own.is_empty() { (1..=5).map(hours_of).find(|h| !h.is_empty()).unwrap_or_default() } else { own };
            (spans, name.clone())
        }
        None => (hours_of(weekday_no(date)), String::new()),
    };
    let slot = place.info.slot_minutes.max(1);
    let mut slots = Vec::new();
    for &(open, close) in &spans {
        let mut start = open;
        while start + slot <= close {
            slots.push((start, start + slot));
            start += slot;
        }
    }
    if slots.is_empty() {
        return closed(match date.weekday() {
            Weekday::Saturday => "周六休息".into(),
            Weekday::Sunday => "周日休息".into(),
            _ => "当日不开放预约".into(),
        });
    }
    DayPlan { open: true, note, slots }
}

/// The first and last day one may book on (today … today + window).
pub fn window(place: &Place, now_ms: i64) -> (Date, Date) {
    let today = clock::date_of(now_ms);
    (today, today.saturating_add(Duration::days(i64::from(place.info.window_days))))
}

fn earliest_start_ms(place: &Place, now_ms: i64) -> i64 {
    now_ms + i64::from(place.info.min_notice_minutes) * 60_000
}

/// The slots of a date with what is left of each.
fn slot_infos(place: &Place, plan: &DayPlan, date: Date, taken: &HashMap<i64, u32>, now_ms: i64) -> Vec<SlotInfo> {
    let (first, last) = window(place, now_ms);
    let in_window = (first..=last).contains(&date);
    let earliest = earliest_start_ms(place, now_ms);
    plan.slots
        .iter()
        .map(|&(start, end)| {
            let at = moment_ms(date, start);
            let taken = taken.get(&at).copied().unwrap_or(0);
            let remaining = place.capacity.saturating_sub(taken);
            SlotInfo {
                start: format_hhmm(start),
                end: format_hhmm(end),
                capacity: place.capacity,
                taken,
                remaining,
                bookable: in_window && remaining > 0 && at >= earliest,
            }
        })
        .collect()
}

/// Each day of the booking window and its plan.
fn window_plans(conn: &Connection, place: &Place, now_ms: i64) -> Result<Vec<(Date, DayPlan)>, AppError> {
    let (first, last) = window(place, now_ms);
    let holidays = store::holidays_between(conn, &calendar::format(first), &calendar::format(last))?;
    let mut plans = Vec::new();
    let mut date = first;
    while date <= last {
        plans.push((date, plan_day(place, &holidays, date)));
        date = date.saturating_add(Duration::days(1));
    }
    Ok(plans)
}

fn taken_in_window(conn: &Connection, place: &Place, now_ms: i64) -> Result<HashMap<i64, u32>, AppError> {
    let (first, last) = window(place, now_ms);
    store::taken(conn, place.info.id, moment_ms(first, 0), moment_ms(last, 24 * 60))
}

/// `GET …/places/{id}/days`: today … today + window, with the places still bookable.
pub fn days(conn: &Connection, place: &Place, now_ms: i64) -> Result<Vec<DayInfo>, AppError> {
    let taken = taken_in_window(conn, place, now_ms)?;
    let days = window_plans(conn, place, now_ms)?
        .into_iter()
        .map(|(date, plan)| {
            let slots = slot_infos(place, &plan, date, &taken, now_ms);
            let free: u32 = slots.iter().filter(|s| s.bookable).map(|s| s.remaining).sum();
            let note = if !plan.open || free > 0 || !plan.note.is_empty() {
                plan.note
            } else if slots.iter().any(|s| s.remaining > 0) {
                "已停止当日预约".into()
            } else {
                "已约满".into()
            };
            DayInfo { date: calendar::format(date), open: plan.open, note, free }
        })
        .collect();
    Ok(days)
}

/// `GET …/places/{id}/slots?date=`: the slots of a date (none when closed).
pub fn slots(conn: &Connection, place: &Place, date: Date, now_ms: i64) -> Result<Vec<SlotInfo>, AppError> {
    let day = calendar::format(date);
    let plan = plan_day(place, &store::holidays_between(conn, &day, &day)?, date);
    let taken = store::taken(conn, place.info.id, moment_ms(date, 0), moment_ms(date, 24 * 60))?;
    Ok(slot_infos(place, &plan, date, &taken, now_ms))
}

/// The free slots nearest to a wanted one (itself excluded), in time order.
pub fn alternatives(conn: &Connection, place: &Place, wanted_ms: i64, now_ms: i64) -> Result<Vec<SlotRef>, AppError> {
    let taken = taken_in_window(conn, place, now_ms)?;
    let mut free: Vec<(i64, SlotRef)> = Vec::new();
    for (date, plan) in window_plans(conn, place, now_ms)? {
        for (slot, &(start, _)) in slot_infos(place, &plan, date, &taken, now_ms).into_iter().zip(&plan.slots) {
            let at = moment_ms(date, start);
            if slot.bookable && at != wanted_ms {
                free.push((at, SlotRef { date: calendar::format(date), start: slot.start, remaining: slot.remaining }));
            }
        }
    }
    free.sort_by_key(|(at, _)| ((at - wanted_ms).abs(), *at));
    free.truncate(ALTERNATIVES);
    free.sort_by_key(|(at, _)| *at);
    Ok(free.into_iter().map(|(_, slot)| slot).collect())
}

/// A slot that passed the rules: when it is, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotTime {
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    /// `YYYY-MM-DD`, Shanghai.
    pub day: String,
}

/// Checks a chosen slot against the rules: within the booking window, the place open
/// that day, a real slot, and the minimum notice — which staff booking a walk-in at the
/// window skip: for them the slot only must not be over.
pub fn check_slot(
    conn: &Connection,
    place: &Place,
    date: &str,
    start: &str,
    now_ms: i64,
    walk_in: bool,
) -> Result<SlotTime, AppError> {
    let field = |name: &str, code| AppError::Validation(vec![FieldError::new(name, code)]);
    let date = calendar::parse(date.trim()).ok_or_else(|| field("date", ErrorCode::DateInvalid))?;
    let start = parse_hhmm(start).ok_or_else(|| field("start", ErrorCode::TimeInvalid))?;
    let (first, last) = window(place, now_ms);
    if !(first..=last).contains(&date) {
        return Err(AppError::Client(ErrorCode::OutsideBookingWindow));
    }
    let day = calendar::format(date);
    let plan = plan_day(place, &store::holidays_between(conn, &day, &day)?, date);
    if !plan.open {
        return Err(AppError::Client(ErrorCode::PlaceClosed));
    }
    let &(start, end) =
        plan.slots.iter().find(|(s, _)| *s == start).ok_or_else(|| field("start", ErrorCode::TimeInvalid))?;
    let (starts_at_ms, ends_at_ms) = (moment_ms(date, start), moment_ms(date, end));
    let in_time = if walk_in { ends_at_ms > now_ms } else { starts_at_ms >= earliest_start_ms(place, now_ms) };
    if !in_time {
        return Err(AppError::Client(ErrorCode::BookingTooSoon));
    }
    Ok(SlotTime { starts_at_ms, ends_at_ms, day })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ow_shared::booking::PlaceInfo;
    use std::collections::BTreeMap;
    use time::Month;

    fn place() -> Place {
        let h = |weekday| [(weekday, 9 * 60, 12 * 60), (weekday, 14 * 60, 17 * 60 + 30)];
        Place {
            info: PlaceInfo {
                id: 1,
                name: "县公共法律服务中心".into(),
                address: String::new(),
                phone: String::new(),
                window_days: 14,
                min_notice_minutes: 120,
                slot_minutes: 30,
            },
            capacity: 2,
            hours: (1..=5).flat_map(h).collect(),
            closed: BTreeMap::from([("2026-11-25".to_string(), "集中培训".to_string())]),
        }
    }

    fn date(m: Month, d: u8) -> Date {
        Date::from_calendar_date(2026, m, d).unwrap()
    }

    #[test]
    fn a_working_day_has_thirteen_half_hour_slots() {
        let plan = plan_day(&place(), &HashMap::new(), date(Month::November, 23));
        assert!(plan.open);
        assert_eq!(plan.slots.len(), 6 + 7);
        assert_eq!(plan.slots[0], (540, 570));
        assert_eq!(*plan.slots.last().unwrap(), (1020, 1050));
    }

    #[test]
    fn weekends_holidays_and_own_closed_days_are_closed_make_up_days_open() {
        let holidays = HashMap::from([
            ("2026-10-01".to_string(), (DayKind::Holiday, "国庆节".to_string())),
            ("2026-10-10".to_string(), (DayKind::Workday, "国庆节调休上班".to_string())),
        ]);
        let p = place();
        let at = |d| plan_day(&p, &holidays, d);
        assert_eq!(at(date(Month::November, 28)).note, "周六休息");
        assert_eq!((at(date(Month::October, 1)).open, at(date(Month::October, 1)).note.as_str()), (false, "国庆节"));
        let saturday_workday = at(date(Month::October, 10));
        assert!(saturday_workday.open);
        assert_eq!(saturday_workday.slots.len(), 13);
        assert_eq!(at(date(Month::November, 25)).note, "集中培训");
    }

    #[test]
    fn moments_are_utc_and_shown_in_shanghai() {
        let d = date(Month::November, 23);
        // 09:00 in Shanghai is 01:00 UTC.
        assert_eq!(moment_ms(d, 540), 1_795_395_600_000);
        assert_eq!(shown(moment_ms(d, 540), moment_ms(d, 570)), ("2026-11-23".into(), "09:00".into(), "09:30".into()));
        assert_eq!(shown(moment_ms(d, 1410), moment_ms(d, 1440)).2, "24:00");
    }
}
