//! Time as residents read it: stored as UTC milliseconds, shown in Asia/Shanghai.

use time::{Date, Duration, OffsetDateTime, UtcOffset, macros::format_description};

/// China has one time zone and no daylight saving: UTC+8 all year.
const SHANGHAI: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("valid offset"),
};

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn in_shanghai(ms: i64) -> OffsetDateTime {
    let utc =
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    utc.to_offset(SHANGHAI)
}

/// The Shanghai calendar date of a moment.
pub fn date_of(ms: i64) -> Date {
    in_shanghai(ms).date()
}

/// `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]")).unwrap_or_default()
}

/// `YYYYMMDD`, the prefix of the day's tracking numbers.
pub fn compact_date(date: Date) -> String {
    date.format(format_description!("[year][month][day]")).unwrap_or_default()
}

/// `YYYY-MM-DD HH:MM` in Shanghai.
pub fn format_minute(ms: i64) -> String {
    in_shanghai(ms).format(format_description!("[year]-[month]-[day] [hour]:[minute]")).unwrap_or_default()
}

/// The date `days` calendar days after `date` (statutes count 日 as calendar days).
pub fn add_days(date: Date, days: i64) -> Date {
    date.saturating_add(Duration::days(days))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_dates_turn_at_utc_16_00() {
        // 2026-11-23 15:59:59 UTC is 23:59:59 in Shanghai; a second later it is the 24th.
        let before = 1_795_449_599_000;
        assert_eq!(format_minute(before), "2026-11-23 23:59");
        assert_eq!(format_date(date_of(before + 1000)), "2026-11-24");
        assert_eq!(format_date(add_days(date_of(before), 15)), "2026-12-08");
    }
}
