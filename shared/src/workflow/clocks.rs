//! The statutory clocks of a case (信访工作条例): the last day of each step, on the
//! official calendar of working days and holidays.

use crate::calendar::{Calendar, periods};
use time::Date;

/// The last day to answer a case accepted on `accepted_on` (60 days, plus any extension).
pub fn handling_due(calendar: &Calendar, accepted_on: Date, extension_days: u32) -> Date {
    calendar.due_after_days(accepted_on, periods::HANDLING_DAYS + i64::from(extension_days))
}

/// The last day of written notice of acceptance for a case registered on `registered_on`.
pub fn acceptance_due(calendar: &Calendar, registered_on: Date) -> Date {
    calendar.due_after_days(registered_on, periods::ACCEPTANCE_NOTICE_DAYS)
}

/// The last day a department may object to a dispatch made on `dispatched_on`.
pub fn objection_due(calendar: &Calendar, dispatched_on: Date) -> Date {
    calendar.due_after_working_days(dispatched_on, periods::OBJECTION_WORKING_DAYS)
}

/// The last day to ask for a review of a reply given on `replied_on`.
pub fn review_request_due(calendar: &Calendar, replied_on: Date) -> Date {
    calendar.due_after_days(replied_on, periods::REVIEW_REQUEST_DAYS)
}

/// The last day to decide a review asked for on `requested_on`.
pub fn review_due(calendar: &Calendar, requested_on: Date) -> Date {
    calendar.due_after_days(requested_on, periods::REVIEW_DECISION_DAYS)
}

/// The last day of a callback opened on `opened_on`.
pub fn callback_due(calendar: &Calendar, opened_on: Date) -> Date {
    calendar.due_after_working_days(opened_on, periods::CALLBACK_WORKING_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse;

    #[test]
    fn statutory_clocks() {
        let c = Calendar::official_2026();
        let d = |s| parse(s).unwrap();
        let f = crate::calendar::format;
        assert_eq!(f(acceptance_due(&c, d("2026-02-01"))), "2026-02-24", "15 days end inside the break");
        assert_eq!(f(handling_due(&c, d("2026-11-23"), 0)), "2027-01-22");
        assert_eq!(f(handling_due(&c, d("2026-11-23"), 30)), "2027-02-22", "60 + 30 days");
        assert_eq!(f(review_due(&c, d("2026-11-23"))), "2026-12-23");
        assert_eq!(f(callback_due(&c, d("2026-11-27"))), "2026-12-02");
    }
}
