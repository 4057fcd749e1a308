//! Where and when one can book: the places, their opening hours and closed days as
//! staff set them, the days of the booking window and their slots, in `HH:MM` times.

use crate::calendar;
use crate::error::{ErrorCode, FieldError};
use crate::validate::check_length;
use serde::{Deserialize, Serialize};

/// A place to book at: the county 公共法律服务中心 or a township 司法所.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceInfo {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub phone: String,
    /// Days ahead one can book (today … today + window_days).
    pub window_days: u32,
    /// A slot must start at least this many minutes from now.
    pub min_notice_minutes: u32,
    pub slot_minutes: u32,
}

/// One day of a place's booking window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayInfo {
    /// `YYYY-MM-DD`, Asia/Shanghai.
    pub date: String,
    pub open: bool,
    /// Why it is closed (e.g. 春节, 周六休息) or a remark (e.g. 调休上班); may be empty.
    pub note: String,
    /// Places still bookable that day.
    pub free: u32,
}

/// One slot of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotInfo {
    /// `HH:MM`, Asia/Shanghai.
    pub start: String,
    pub end: String,
    pub capacity: u32,
    pub taken: u32,
    pub remaining: u32,
    /// False when full or too soon (minimum notice) or past.
    pub bookable: bool,
}

/// A free slot offered instead of a full one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotRef {
    pub date: String,
    pub start: String,
    pub remaining: u32,
}

/// Opening hours of one weekday; a day may have several (morning and afternoon).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpeningHours {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    /// `HH:MM`.
    pub open: String,
    /// `HH:MM`, up to `24:00`.
    pub close: String,
}

/// A day a place is closed besides the holiday calendar's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosedDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub reason: String,
}

/// `GET/PUT /api/v1/console/booking-places/{id}`: what staff configure of a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceSchedule {
    /// `id` is taken from the path when saving.
    pub place: PlaceInfo,
    /// Places per slot.
    pub capacity: u32,
    pub hours: Vec<OpeningHours>,
    pub closed_days: Vec<ClosedDay>,
}

/// Limits of a place's settings.
pub mod schedule_limits {
    pub const NAME: (u32, u32) = (2, 40);
    pub const ADDRESS: (u32, u32) = (2, 100);
    pub const PHONE: (u32, u32) = (5, 30);
    pub const WINDOW_DAYS: (u32, u32) = (1, 90);
    pub const MIN_NOTICE_MINUTES: (u32, u32) = (0, 7 * 24 * 60);
    pub const SLOT_MINUTES: (u32, u32) = (10, 240);
    pub const CAPACITY: (u32, u32) = (1, 50);
    pub const REASON_MAX: u32 = 20;
}

/// Checks a place's schedule as staff edit it; returns it trimmed and sorted, or every
/// problem at once.
pub fn validate_schedule(schedule: &PlaceSchedule) -> Result<PlaceSchedule, Vec<FieldError>> {
    use schedule_limits as l;
    let mut errors = Vec::new();
    let place = &schedule.place;
    errors.extend(check_length("place.name", &place.name, l::NAME));
    errors.extend(check_length("place.address", &place.address, l::ADDRESS));
    errors.extend(check_length("place.phone", &place.phone, l::PHONE));
    let mut range = |field: &str, value: u32, (min, max): (u32, u32)| {
        if !(min..=max).contains(&value) {
            errors.push(FieldError { min: Some(min), max: Some(max), ..FieldError::new(field, ErrorCode::OutOfRange) });
        }
    };
    range("place.window_days", place.window_days, l::WINDOW_DAYS);
    range("place.min_notice_minutes", place.min_notice_minutes, l::MIN_NOTICE_MINUTES);
    range("place.slot_minutes", place.slot_minutes, l::SLOT_MINUTES);
    range("capacity", schedule.capacity, l::CAPACITY);
    let mut spans: Vec<(u8, u32, u32)> = Vec::new();
    for (i, hours) in schedule.hours.iter().enumerate() {
        match (parse_hhmm(&hours.open), parse_hhmm(&hours.close)) {
            (Some(open), Some(close)) if (1..=7).contains(&hours.weekday) && open < close => {
                spans.push((hours.weekday, open, close))
            }
            _ => errors.push(FieldError::new(&format!("hours[{i}]"), ErrorCode::TimeInvalid)),
        }
    }
    spans.sort();
    if spans.windows(2).any(|w| w[0].0 == w[1].0 && w[1].1 < w[0].2) {
        errors.push(FieldError::new("hours", ErrorCode::TimeInvalid));
    }
    let mut closed_days = Vec::new();
    for (i, day) in schedule.closed_days.iter().enumerate() {
        if calendar::parse(day.date.trim()).is_none() {
            errors.push(FieldError::new(&format!("closed_days[{i}].date"), ErrorCode::DateInvalid));
        }
        errors.extend(check_length(&format!("closed_days[{i}].reason"), &day.reason, (0, l::REASON_MAX)));
        closed_days.push(ClosedDay { date: day.date.trim().into(), reason: day.reason.trim().into() });
    }
    closed_days.sort_by(|a, b| a.date.cmp(&b.date));
    closed_days.dedup_by(|a, b| a.date == b.date);
    if !errors.is_empty() {
        return Err(errors);
    }
    let hours = spans
        .into_iter()
        .map(|(weekday, open, close)| OpeningHours { weekday, open: format_hhmm(open), close: format_hhmm(close) })
        .collect();
    let place = PlaceInfo {
        name: place.name.trim().into(),
        address: place.address.trim().into(),
        phone: place.phone.trim().into(),
        ..place.clone()
    };
    Ok(PlaceSchedule { place, capacity: schedule.capacity, hours, closed_days })
}

/// Parses `HH:MM` (00:00–24:00) into minutes after midnight.
pub fn parse_hhmm(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let minutes = h * 60 + m;
    (m < 60 && minutes <= 24 * 60).then_some(minutes)
}

/// Minutes after midnight as `HH:MM`.
pub fn format_hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_and_format() {
        assert_eq!(parse_hhmm("09:30"), Some(570));
        assert_eq!(parse_hhmm("24:00"), Some(1440));
        assert_eq!(parse_hhmm("24:30"), None);
        assert_eq!(parse_hhmm("9:30"), None);
        assert_eq!(parse_hhmm("09:60"), None);
        assert_eq!(format_hhmm(570), "09:30");
    }

    #[test]
    fn schedules_are_checked_and_sorted() {
        let place = PlaceInfo {
            id: 1,
            name: "县公共法律服务中心".into(),
            address: "城关街道人民路1号".into(),
            phone: "0000-1234567".into(),
            window_days: 14,
            min_notice_minutes: 120,
            slot_minutes: 30,
        };
        let hours = |weekday, open: &str, close: &str| OpeningHours { weekday, open: open.into(), close: close.into() };
        let schedule = PlaceSchedule {
            place: place.clone(),
            capacity: 2,
            hours: vec![hours(1, "14:00", "17:30"), hours(1, "09:00", "12:00"), hours(7, "00:00", "24:00")],
            closed_days: vec![ClosedDay { date: "2026-12-01".into(), reason: " 培训 ".into() }],
        };
        let ok = validate_schedule(&schedule).unwrap();
        assert_eq!(ok.hours[0], hours(1, "09:00", "12:00"));
        assert_eq!(ok.closed_days[0].reason, "培训");
        let bad = PlaceSchedule {
            capacity: 0,
            hours: vec![hours(1, "09:00", "12:00"), hours(1, "11:00", "13:00"), hours(8, "09:00", "10:00")],
            closed_days: vec![ClosedDay { date: "2026-13-01".into(), reason: String::new() }],
            place: PlaceInfo { slot_minutes: 5, ..place },
        };
        let fields: Vec<String> = validate_schedule(&bad).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["place.slot_minutes", "capacity", "hours[2]", "hours", "closed_days[0].date"]);
    }
}
