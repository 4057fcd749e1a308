//! When a place takes appointments: its week, its own closed days and the holiday
//! calendar, cut into slots; what is left of each slot; the start times of a service
//! that takes several consecutive slots; the rules a chosen start must pass (booking
//! window, closed day, consecutive slots, minimum notice). Dates and times as residents
//! read them (Asia/Shanghai); moments as UTC milliseconds.

use crate::clock;
use crate::db::booking::{self as store, Held, Place};
use crate::error::AppError;
use ow_shared::booking::{DayInfo, LegalService, SlotInfo, SlotRef, format_hhmm, parse_hhmm};
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

/// The appointments of a date that take `needed` consecutive slots: each start whose
/// slot and the `needed - 1` after it follow one another without a break (a one-hour
/// service never starts at 11:30 when the morning ends at 12:00), with what is left of
/// the tightest of them. With `needed` = 1, the slots themselves.
fn slot_infos(
    place: &Place,
    plan: &DayPlan,
    date: Date,
    held: &[Held],
    now_ms: i64,
    needed: u32,
) -> Vec<(i64, SlotInfo)> {
    let (first, last) = window(place, now_ms);
    let in_window = (first..=last).contains(&date);
    let earliest = earliest_start_ms(place, now_ms);
    let (day_start, day_end) = (moment_ms(date, 0), moment_ms(date, 24 * 60));
    let held: Vec<Held> = held.iter().filter(|h| (day_start..day_end).contains(&h.starts_at_ms)).copied().collect();
    let taken_of = |(start, end): (u32, u32)| -> u32 {
        let (from, to) = (moment_ms(date, start), moment_ms(date, end));
        held.iter().filter(|h| h.starts_at_ms < to && h.ends_at_ms > from).map(|h| h.count).sum()
    };
    let taken: Vec<u32> = plan.slots.iter().map(|&slot| taken_of(slot)).collect();
    let needed = needed.max(1) as usize;
    let mut infos = Vec::new();
    for i in 0..plan.slots.len().saturating_sub(needed - 1) {
        let run = &plan.slots[i..i + needed];
        if run.windows(2).any(|pair| pair[0].1 != pair[1].0) {
            continue;
        }
        let (start, end) = (run[0].0, run[needed - 1].1);
        let at = moment_ms(date, start);
        let taken = taken[i..i + needed].iter().copied().max().unwrap_or(0);
        let remaining = place.capacity.saturating_sub(taken);
        let info = SlotInfo {
            start: format_hhmm(start),
            end: format_hhmm(end),
            capacity: place.capacity,
            taken,
            remaining,
            bookable: in_window && remaining > 0 && at >= earliest,
        };
        infos.push((at, info));
    }
    infos
}

/// How many appointments a day still takes: its bookable `starts` filled from the
/// earliest on, each appointment using up a place in every slot of its span (two
/// one-hour appointments cannot share a half hour), from what `slots` (one slot each)
/// have left. With one slot an appointment, the places left in the bookable slots.
fn free_appointments(slots: &[(i64, SlotInfo)], starts: &[(i64, SlotInfo)], slot_ms: i64, needed: u32) -> u32 {
    let mut left: HashMap<i64, u32> = slots.iter().map(|(at, s)| (*at, s.remaining)).collect();
    let mut free = 0;
    for (at, _) in starts.iter().filter(|(_, s)| s.bookable) {
        let span: Vec<i64> = (0..i64::from(needed.max(1))).map(|k| at + k * slot_ms).collect();
        let take = span.iter().map(|t| left.get(t).copied().unwrap_or(0)).min().unwrap_or(0);
        for t in &span {
            if let Some(l) = left.get_mut(t) {
                *l -= take;
            }
        }
        free += take;
    }
    free
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

fn held_in_window(conn: &Connection, place: &Place, now_ms: i64) -> Result<Vec<Held>, AppError> {
    let (first, last) = window(place, now_ms);
    store::taken(conn, place.info.id, moment_ms(first, 0), moment_ms(last, 24 * 60))
}

/// The consecutive slots an appointment of `service` takes at this place; one when the
/// service is not said (the slots themselves).
pub fn needed(place: &Place, service: Option<LegalService>) -> u32 {
    service.map_or(1, |s| s.slots_needed(place.info.slot_minutes))
}

/// `GET …/places/{id}/days[?service=]`: today … today + window, with the appointments
/// (of that service) still bookable.
pub fn days(conn: &Connection, place: &Place, now_ms: i64, needed: u32) -> Result<Vec<DayInfo>, AppError> {
    let held = held_in_window(conn, place, now_ms)?;
    let slot_ms = i64::from(place.info.slot_minutes) * 60_000;
    let days = window_plans(conn, place, now_ms)?
        .into_iter()
        .map(|(date, plan)| {
            let slots = slot_infos(place, &plan, date, &held, now_ms, 1);
            let starts =
                if needed == 1 { slots.clone() } else { slot_infos(place, &plan, date, &held, now_ms, needed) };
            let free = free_appointments(&slots, &starts, slot_ms, needed);
            let note = if !plan.open || free > 0 || !plan.note.is_empty() {
                plan.note
            } else if starts.iter().any(|(_, s)| s.remaining > 0) {
                "已停止当日预约".into()
            } else {
                "已约满".into()
            };
            DayInfo { date: calendar::format(date), open: plan.open, note, free }
        })
        .collect();
    Ok(days)
}

/// `GET …/places/{id}/slots?date=[&service=]`: the start times of a date, each with its
/// end and what is left (none when closed).
pub fn slots(
    conn: &Connection,
    place: &Place,
    date: Date,
    now_ms: i64,
    needed: u32,
) -> Result<Vec<SlotInfo>, AppError> {
    let day = calendar::format(date);
    let plan = plan_day(place, &store::holidays_between(conn, &day, &day)?, date);
    let held = store::taken(conn, place.info.id, moment_ms(date, 0), moment_ms(date, 24 * 60))?;
    Ok(slot_infos(place, &plan, date, &held, now_ms, needed).into_iter().map(|(_, s)| s).collect())
}

/// The free start times nearest to a wanted one (itself excluded), in time order.
pub fn alternatives(
    conn: &Connection,
    place: &Place,
    wanted_ms: i64,
    now_ms: i64,
    needed: u32,
) -> Result<Vec<SlotRef>, AppError> {
    let held = held_in_window(conn, place, now_ms)?;
    let mut free: Vec<(i64, SlotRef)> = Vec::new();
    for (date, plan) in window_plans(conn, place, now_ms)? {
        for (at, slot) in slot_infos(place, &plan, date, &held, now_ms, needed) {
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

/// A span that passed the rules: when it is, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotTime {
    pub starts_at_ms: i64,
    /// The end of the last slot the service takes.
    pub ends_at_ms: i64,
    /// `YYYY-MM-DD`, Shanghai.
    pub day: String,
}

/// The Shanghai date (`YYYY-MM-DD`) of a moment: a booking's `day`.
pub fn day_of(ms: i64) -> String {
    calendar::format(clock::date_of(ms))
}

/// Checks a chosen start for a service against the rules: within the booking window,
/// the place open that day, a real slot followed by as many as the service needs
/// without a break, and the minimum notice — which staff booking a walk-in at the
/// window skip: for them the appointment only must not be over.
pub fn check_slot(
    conn: &Connection,
    place: &Place,
    service: LegalService,
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
    let needed = service.slots_needed(place.info.slot_minutes) as usize;
    let i = plan.slots.iter().position(|(s, _)| *s == start).ok_or_else(|| field("start", ErrorCode::TimeInvalid))?;
    let run = plan.slots.get(i..i + needed).ok_or_else(|| field("start", ErrorCode::TimeInvalid))?;
    if run.windows(2).any(|pair| pair[0].1 != pair[1].0) {
        return Err(field("start", ErrorCode::TimeInvalid));
    }
    let (starts_at_ms, ends_at_ms) = (moment_ms(date, start), moment_ms(date, run[needed - 1].1));
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
    fn a_one_hour_service_starts_only_where_two_slots_follow_and_holds_both() {
        let (p, d) = (place(), date(Month::November, 23));
        let plan = plan_day(&p, &HashMap::new(), d);
        // Long before the day: every start is in the window and past the notice.
        let now = moment_ms(d, 0) - 86_400_000;
        let starts = |held: &[Held]| -> Vec<(String, String, u32)> {
            slot_infos(&p, &plan, d, held, now, 2).into_iter().map(|(_, s)| (s.start, s.end, s.remaining)).collect()
        };
        let free = starts(&[]);
        // 09:00–12:00 gives five one-hour starts, 14:00–17:30 six; none at 11:30 or 17:00.
        assert_eq!(free.len(), 5 + 6);
        assert_eq!((free[0].0.as_str(), free[0].1.as_str()), ("09:00", "10:00"));
        assert!(free.iter().all(|(s, _, _)| s != "11:30" && s != "17:00"));
        assert_eq!(free[4].1, "12:00");
        // Two one-hour bookings at 09:00 fill 09:00 and 09:30; 10:00 is free.
        let held = [Held { starts_at_ms: moment_ms(d, 540), ends_at_ms: moment_ms(d, 600), count: 2 }];
        let taken = starts(&held);
        assert_eq!(taken[0].2, 0, "09:00–10:00");
        assert_eq!(taken[1].2, 0, "09:30–10:30 needs the full 09:30");
        assert_eq!(taken[2].2, 2, "10:00–11:00");
        let singles = slot_infos(&p, &plan, d, &held, now, 1);
        assert_eq!(singles.iter().map(|(_, s)| s.remaining).take(3).collect::<Vec<_>>(), [0, 0, 2]);
        // The day takes: 2 × (10:00, 11:00) in the morning, 2 × 3 in the afternoon.
        let two = slot_infos(&p, &plan, d, &held, now, 2);
        assert_eq!(free_appointments(&singles, &two, 30 * 60_000, 2), 4 + 6);
        assert_eq!(free_appointments(&singles, &singles, 30 * 60_000, 1), 2 * (13 - 2));
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
