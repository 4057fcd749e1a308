//! Working days and the statutory clocks (限时办结).
//!
//! Pure arithmetic, shared so that the console shows exactly the due dates the server
//! enforces. Dates are Asia/Shanghai calendar dates.
//!
//! Two kinds of period (see `../shared/DOMAIN.md`):
//! - 日 (calendar days), e.g. 60 days to handle a petition (信访工作条例 Art.34). When
//!   the last day falls on a rest day, the period ends on the next working day
//!   (民法典 Art.203: "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日").
//! - 工作日 (working days), e.g. 5 working days to object to a dispatch (Art.23):
//!   counted on the holiday calendar, with its make-up workdays (调休).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, Duration, Month, Weekday};

/// How the calendar overrides the ordinary week for one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// 放假: a rest day even if it is a weekday.
    Holiday,
    /// 调休上班: a working day even if it is a Saturday or Sunday.
    Workday,
}

/// One date of the holiday calendar, as stored and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub kind: DayKind,
    /// e.g. 春节.
    pub name: String,
}

/// 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕, 4 Nov 2025).
pub const OFFICIAL_2026: &[(&str, DayKind, &str)] = &[
    ("2026-01-01", DayKind::Holiday, "元旦"),
    ("2026-01-02", DayKind::Holiday, "元旦"),
    ("2026-01-03", DayKind::Holiday, "元旦"),
    ("2026-01-04", DayKind::Workday, "元旦调休上班"),
    ("2026-02-14", DayKind::Workday, "春节调休上班"),
    ("2026-02-15", DayKind::Holiday, "春节"),
    ("2026-02-16", DayKind::Holiday, "春节"),
    ("2026-02-17", DayKind::Holiday, "春节"),
    ("2026-02-18", DayKind::Holiday, "春节"),
    ("2026-02-19", DayKind::Holiday, "春节"),
    ("2026-02-20", DayKind::Holiday, "春节"),
    ("2026-02-21", DayKind::Holiday, "春节"),
    ("2026-02-22", DayKind::Holiday, "春节"),
    ("2026-02-23", DayKind::Holiday, "春节"),
    ("2026-02-28", DayKind::Workday, "春节调休上班"),
    ("2026-04-04", DayKind::Holiday, "清明节"),
    ("2026-04-05", DayKind::Holiday, "清明节"),
    ("2026-04-06", DayKind::Holiday, "清明节"),
    ("2026-05-01", DayKind::Holiday, "劳动节"),
    ("2026-05-02", DayKind::Holiday, "劳动节"),
    ("2026-05-03", DayKind::Holiday, "劳动节"),
    ("2026-05-04", DayKind::Holiday, "劳动节"),
    ("2026-05-05", DayKind::Holiday, "劳动节"),
    ("2026-05-09", DayKind::Workday, "劳动节调休上班"),
    ("2026-06-19", DayKind::Holiday, "端午节"),
    ("2026-06-20", DayKind::Holiday, "端午节"),
    ("2026-06-21", DayKind::Holiday, "端午节"),
    ("2026-09-20", DayKind::Workday, "国庆节调休上班"),
    ("2026-09-25", DayKind::Holiday, "中秋节"),
    ("2026-09-26", DayKind::Holiday, "中秋节"),
    ("2026-09-27", DayKind::Holiday, "中秋节"),
    ("2026-10-01", DayKind::Holiday, "国庆节"),
    ("2026-10-02", DayKind::Holiday, "国庆节"),
    ("2026-10-03", DayKind::Holiday, "国庆节"),
    ("2026-10-04", DayKind::Holiday, "国庆节"),
    ("2026-10-05", DayKind::Holiday, "国庆节"),
    ("2026-10-06", DayKind::Holiday, "国庆节"),
    ("2026-10-07", DayKind::Holiday, "国庆节"),
    ("2026-10-10", DayKind::Workday, "国庆节调休上班"),
];

/// The statutory periods, in one place.
pub mod periods {
    /// Written notice of acceptance within 15 days (信访工作条例 Art.23).
    pub const ACCEPTANCE_NOTICE_DAYS: i64 = 15;
    /// Handling within 60 days of acceptance (Art.34).
    pub const HANDLING_DAYS: i64 = 60;
    /// One extension of at most 30 days, with the reason told (Art.34).
    pub const MAX_EXTENSION_DAYS: u32 = 30;
    /// A department objects to a dispatch within 5 working days (Art.23).
    pub const OBJECTION_WORKING_DAYS: u32 = 5;
    /// Review (复查) may be asked for within 30 days of the reply (Art.35)…
    pub const REVIEW_REQUEST_DAYS: i64 = 30;
    /// …and is decided within 30 days (Art.35).
    pub const REVIEW_DECISION_DAYS: i64 = 30;
    /// Callback (回访) after a "不满意" rating: the centre's own rule, not a statute.
    pub const CALLBACK_WORKING_DAYS: u32 = 3;
    /// "Due soon" in the queue: within this many days.
    pub const DUE_SOON_DAYS: i64 = 3;
}

/// The holiday calendar: the ordinary week (Monday–Friday working) with overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    overrides: BTreeMap<Date, DayKind>,
}

impl Calendar {
    /// A calendar from stored days; days whose date does not parse are skipped.
    pub fn from_days<'a>(days: impl IntoIterator<Item = (&'a str, DayKind)>) -> Calendar {
        let overrides = days.into_iter().filter_map(|(date, kind)| Some((parse(date)?, kind))).collect();
        Calendar { overrides }
    }

    /// The official 2026 calendar.
    pub fn official_2026() -> Calendar {
        Calendar::from_days(OFFICIAL_2026.iter().map(|(d, k, _)| (*d, *k)))
    }

    /// Whether offices are open that day.
    pub fn is_working_day(&self, date: Date) -> bool {
        match self.overrides.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday),
        }
    }

    /// The first working day on or after `date`.
    pub fn next_working_day_from(&self, mut date: Date) -> Date {
        // A year cannot hold more than a few weeks of consecutive rest days; the bound
        // only guards against a calendar edited into "every day is a holiday".
        for _ in 0..366 {
            if self.is_working_day(date) {
                return date;
            }
            date = date.next_day().unwrap_or(date);
        }
        date
    }

    /// A period of `days` calendar days (日) starting the day after `start`; ends on
    /// the next working day when its last day is a rest day.
    pub fn due_after_days(&self, start: Date, days: i64) -> Date {
        self.next_working_day_from(start.saturating_add(Duration::days(days)))
    }

    /// The `n`th working day after `start` (工作日; `start` itself is not counted).
    pub fn due_after_working_days(&self, start: Date, n: u32) -> Date {
        let mut date = start;
        let mut counted = 0;
        // Bounded like `next_working_day_from`, for a calendar edited into all holidays.
        for _ in 0..(366 * 10) {
            if counted == n {
                break;
            }
            date = date.next_day().unwrap_or(date);
            if self.is_working_day(date) {
                counted += 1;
            }
        }
        date
    }
}

/// Parses `YYYY-MM-DD` into a date.
pub fn parse(text: &str) -> Option<Date> {
    let (y, m, d) = crate::validate::parse_date(text)?;
    Date::from_calendar_date(y, Month::try_from(m as u8).ok()?, d as u8).ok()
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month() as u8, date.day())
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    (to - from).whole_days()
}

/// Where a due date stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// 超期: the due date has passed.
    Overdue,
    /// 即将到期: due within `periods::DUE_SOON_DAYS` days.
    DueSoon,
    OnTime,
}

/// How urgent a due date is on `today`.
pub fn urgency(due: Date, today: Date) -> Urgency {
    let left = days_between(today, due);
    if left < 0 {
        Urgency::Overdue
    } else if left <= periods::DUE_SOON_DAYS {
        Urgency::DueSoon
    } else {
        Urgency::OnTime
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        parse(text).unwrap()
    }

    #[test]
    fn the_official_calendar_has_its_make_up_saturdays_and_festival() {
        let cal = Calendar::official_2026();
        assert!(cal.is_working_day(d("2026-02-14")), "Saturday 14 Feb is a make-up workday");
        assert!(cal.is_working_day(d("2026-02-28")), "Saturday 28 Feb is a make-up workday");
        assert!(!cal.is_working_day(d("2026-02-16")), "Monday 16 Feb is Spring Festival");
        assert!(!cal.is_working_day(d("2026-02-21")), "an ordinary Saturday in the break");
        assert!(cal.is_working_day(d("2026-02-24")), "Tuesday after the break");
        assert!(!cal.is_working_day(d("2026-11-21")), "an ordinary Saturday");
        assert!(cal.is_working_day(d("2026-11-23")), "an ordinary Monday");
    }

    #[test]
    fn working_days_skip_the_spring_festival_break() {
        let cal = Calendar::official_2026();
        // Dispatched Thursday 12 Feb: Fri 13, Sat 14 (make-up), then nine days off, Tue 24, Wed 25, Thu 26.
        assert_eq!(format(cal.due_after_working_days(d("2026-02-12"), 5)), "2026-02-26");
        // Dispatched on the eve (Sat 14, a make-up workday): Tue 24 … Sat 28 (make-up) is the 5th.
        assert_eq!(format(cal.due_after_working_days(d("2026-02-14"), 5)), "2026-02-28");
        // Without the calendar the same count would end far earlier.
        assert_eq!(format(Calendar::default().due_after_working_days(d("2026-02-12"), 5)), "2026-02-19");
    }

    #[test]
    fn working_days_count_a_make_up_saturday() {
        let cal = Calendar::official_2026();
        // Wed 6 May: Thu 7, Fri 8, Sat 9 (make-up), Mon 11, Tue 12.
        assert_eq!(format(cal.due_after_working_days(d("2026-05-06"), 5)), "2026-05-12");
        // Before the National Day break: Fri 25 Sep is a holiday (中秋) and 20 Sep a make-up Sunday.
        assert_eq!(format(cal.due_after_working_days(d("2026-09-18"), 1)), "2026-09-20");
    }

    #[test]
    fn a_calendar_day_period_ending_in_the_break_moves_to_the_next_working_day() {
        let cal = Calendar::official_2026();
        // 15 days after 1 Feb is 16 Feb, inside the break: the period ends Tue 24 Feb.
        assert_eq!(format(cal.due_after_days(d("2026-02-01"), 15)), "2026-02-24");
        // 60 days after 19 Dec 2025 is 17 Feb 2026, in the break: also 24 Feb.
        assert_eq!(format(cal.due_after_days(d("2025-12-19"), 60)), "2026-02-24");
        // Ending on the make-up Saturday 28 Feb: that is a working day, so it stays.
        assert_eq!(format(cal.due_after_days(d("2026-02-13"), 15)), "2026-02-28");
        // An ordinary Saturday ending moves to Monday.
        assert_eq!(format(cal.due_after_days(d("2026-11-06"), 15)), "2026-11-23");
        // A working day ending stays.
        assert_eq!(format(cal.due_after_days(d("2026-11-08"), 15)), "2026-11-23");
    }

    #[test]
    fn staff_edits_override_the_week() {
        let cal = Calendar::from_days([("2026-11-23", DayKind::Holiday), ("2026-11-28", DayKind::Workday)]);
        assert!(!cal.is_working_day(d("2026-11-23")));
        assert!(cal.is_working_day(d("2026-11-28")));
        assert_eq!(format(cal.next_working_day_from(d("2026-11-23"))), "2026-11-24");
    }

    #[test]
    fn a_calendar_of_only_holidays_does_not_hang() {
        let days: Vec<String> = (0..400).map(|i| format(d("2026-01-01").saturating_add(Duration::days(i)))).collect();
        let cal = Calendar::from_days(days.iter().map(|s| (s.as_str(), DayKind::Holiday)));
        let _ = cal.due_after_days(d("2026-01-01"), 1);
        let _ = cal.due_after_working_days(d("2026-01-01"), 5);
    }

    #[test]
    fn urgency_flags_overdue_and_due_soon() {
        let today = d("2026-11-23");
        assert_eq!(urgency(d("2026-11-22"), today), Urgency::Overdue);
        assert_eq!(urgency(d("2026-11-23"), today), Urgency::DueSoon);
        assert_eq!(urgency(d("2026-11-26"), today), Urgency::DueSoon);
        assert_eq!(urgency(d("2026-11-27"), today), Urgency::OnTime);
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(format(d("2026-02-28")), "2026-02-28");
        assert_eq!(parse("2026-02-30"), None);
        assert_eq!(days_between(d("2026-02-01"), d("2026-03-01")), 28);
    }
}
