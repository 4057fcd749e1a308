//! A booking itself: the form a resident (or the console, for a walk-in) sends and its
//! checks, the booking code, where a booking stands, and what its resident and the
//! staff see of it.

use super::{LegalService, PlaceInfo, parse_hhmm};
use crate::Lang;
use crate::calendar;
use crate::error::{ErrorCode, FieldError};
use crate::validate::{check_length, limits, normalize_mobile};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/bookings` (with `Idempotency-Key`) and the console's walk-in booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookRequest {
    pub place_id: i64,
    pub service: Option<LegalService>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, a slot start of that day.
    pub start: String,
    pub name: String,
    /// Mainland mobile number.
    pub mobile: String,
    /// A short description of the matter.
    pub description: String,
    /// Put me on the waiting list of this slot if it is full.
    #[serde(default)]
    pub waitlist: bool,
    /// The pre-check found the limitation period or application deadline ends within
    /// 7 days (《法律援助法》第四十四条): staff see it in the day view. Optional.
    #[serde(default)]
    pub urgent: bool,
}

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    /// On the waiting list of a full slot.
    Waiting,
    Cancelled,
    CheckedIn,
    NoShow,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 5] = [
        BookingStatus::Booked,
        BookingStatus::Waiting,
        BookingStatus::Cancelled,
        BookingStatus::CheckedIn,
        BookingStatus::NoShow,
    ];

    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::Waiting => "waiting",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::CheckedIn => "checked_in",
            BookingStatus::NoShow => "no_show",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<BookingStatus> {
        BookingStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The name shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            BookingStatus::Booked => lang.pick("已预约", "Booked"),
            BookingStatus::Waiting => lang.pick("候补中", "On the waiting list"),
            BookingStatus::Cancelled => lang.pick("已取消", "Cancelled"),
            BookingStatus::CheckedIn => lang.pick("已签到", "Checked in"),
            BookingStatus::NoShow => lang.pick("未到", "Did not come"),
        }
    }
}

/// A booking as its resident sees it: the confirmation and what lookup answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingView {
    /// 8 characters of an unambiguous alphabet (no 0/O, 1/I/L).
    pub code: String,
    pub status: BookingStatus,
    pub service: LegalService,
    pub place: PlaceInfo,
    pub date: String,
    pub start: String,
    pub end: String,
    pub name_masked: String,
    pub mobile_masked: String,
    pub materials: Vec<String>,
    /// 1-based, while waiting.
    pub waitlist_position: Option<u32>,
    /// Was waiting and got the place after a cancellation.
    pub promoted: bool,
}

/// `POST /api/v1/console/bookings/{id}/cancel`: staff cancel a booking, saying why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffCancelRequest {
    /// Recorded with the cancellation (e.g. "重复预约", "群众来电取消").
    pub reason: String,
}

/// Checks a staff cancellation's reason (2–200 characters).
pub fn validate_staff_cancel(request: &StaffCancelRequest) -> Result<String, Vec<FieldError>> {
    match check_length("reason", &request.reason, booking_limits::CANCEL_REASON) {
        Some(error) => Err(vec![error]),
        None => Ok(request.reason.trim().to_string()),
    }
}

/// `POST /api/v1/bookings/lookup` and `/cancel`: no account, the code and the mobile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingLookup {
    pub code: String,
    pub mobile: String,
}

/// `POST /api/v1/bookings/reschedule`: another slot at the same place, same code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RescheduleRequest {
    pub code: String,
    pub mobile: String,
    pub date: String,
    pub start: String,
}

/// Length limits of a booking's texts, in characters.
pub mod booking_limits {
    pub const NAME: (u32, u32) = super::limits::CONTACT_NAME;
    pub const DESCRIPTION: (u32, u32) = (1, 200);
    pub const CANCEL_REASON: (u32, u32) = (2, 200);
}

/// The alphabet of booking codes: no 0/O, 1/I/L, so a code read out is typed right.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a booking code.
pub const CODE_LEN: usize = 8;

/// Normalises a typed booking code: spaces and dashes dropped, full-width characters
/// and lower case accepted. None when it cannot be a code.
pub fn normalize_booking_code(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c {
            // Full-width ASCII (Chinese input methods) to ASCII.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// Validates a booking form and returns it normalised (trimmed texts, normalised
/// mobile), or every problem at once. Whether the slot exists and is free is the
/// server's to say.
pub fn validate_book_request(req: &BookRequest) -> Result<BookRequest, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out = req.clone();
    if req.service.is_none() {
        errors.push(FieldError::new("service", ErrorCode::Required));
    }
    errors.extend(check_date_and_start(&req.date, &req.start));
    errors.extend(check_length("name", &req.name, booking_limits::NAME));
    errors.extend(check_length("description", &req.description, booking_limits::DESCRIPTION));
    match normalize_mobile(&req.mobile) {
        Ok(m) => out.mobile = m,
        Err(code) => errors.push(FieldError::new("mobile", code)),
    }
    out.name = req.name.trim().to_string();
    out.description = req.description.trim().to_string();
    out.date = req.date.trim().to_string();
    out.start = req.start.trim().to_string();
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Checks the `date` and `start` fields of a booking or a reschedule.
pub fn check_date_and_start(date: &str, start: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if date.trim().is_empty() {
        errors.push(FieldError::new("date", ErrorCode::Required));
    } else if calendar::parse(date.trim()).is_none() {
        errors.push(FieldError::new("date", ErrorCode::DateInvalid));
    }
    if start.trim().is_empty() {
        errors.push(FieldError::new("start", ErrorCode::Required));
    } else if parse_hhmm(start).is_none_or(|m| m >= 24 * 60) {
        errors.push(FieldError::new("start", ErrorCode::TimeInvalid));
    }
    errors
}

/// `GET /api/v1/console/bookings?place_id=&date=`: one booking of the day, for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffBookingRow {
    pub id: i64,
    pub code: String,
    pub status: BookingStatus,
    pub service: LegalService,
    pub start: String,
    pub end: String,
    pub name: String,
    /// In full: the clerk may have to call.
    pub mobile: String,
    pub description: String,
    /// The resident's pre-check found the time limit ends within 7 days.
    #[serde(default)]
    pub urgent: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booking_codes_are_normalised_and_checked() {
        assert_eq!(normalize_booking_code(" abcd-2345 ").as_deref(), Some("ABCD2345"));
        assert_eq!(normalize_booking_code("ＡＢＣＤ２３４５").as_deref(), Some("ABCD2345"));
        assert_eq!(normalize_booking_code("ABCD0345"), None, "0 is not in the alphabet");
        assert_eq!(normalize_booking_code("ABC2345"), None);
    }

    #[test]
    fn a_booking_form_reports_every_problem_at_once() {
        let errors = validate_book_request(&BookRequest { start: "25:00".into(), ..Default::default() }).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("service", ErrorCode::Required),
                ("date", ErrorCode::Required),
                ("start", ErrorCode::TimeInvalid),
                ("name", ErrorCode::Required),
                ("description", ErrorCode::Required),
                ("mobile", ErrorCode::Required),
            ]
        );
        let ok = validate_book_request(&BookRequest {
            place_id: 1,
            service: Some(LegalService::Consultation),
            date: "2026-11-24".into(),
            start: "09:00".into(),
            name: " 张三 ".into(),
            mobile: "+86 138 1234 5678".into(),
            description: "欠薪".into(),
            waitlist: false,
            urgent: true,
        })
        .unwrap();
        assert_eq!((ok.name.as_str(), ok.mobile.as_str()), ("张三", "13812345678"));
        assert!(ok.urgent, "the urgent flag is kept");
    }
}
