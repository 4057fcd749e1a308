//! A legal-aid application taken at an appointment (法律援助法 Art.41–44): its states
//! and its statutory clocks — a decision within 7 days of receipt, a lawyer assigned
//! within 3 days of approval, a refusal in writing with reasons; aid may start before
//! the decision when a limitation period has under 7 days left (Art.44).

use super::precheck::{PrecheckAnswers, PrecheckResult};
use crate::calendar::{Calendar, Urgency};
use crate::error::{ErrorCode, FieldError};
use crate::validate::check_length;
use serde::{Deserialize, Serialize};
use time::Date;

/// Days from receipt to the decision (Art.43: "七日内…作出是否给予法律援助的决定").
pub const DECISION_DAYS: i64 = 7;
/// Days from approval to the assigned lawyer (Art.43: "自作出决定之日起三日内指派").
pub const ASSIGNMENT_DAYS: i64 = 3;

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LegalAidState {
    /// 已受理, awaiting the decision.
    Received,
    /// 决定给予, awaiting a lawyer.
    Approved,
    /// 决定不予, told in writing with reasons.
    Refused,
    /// 已指派 a lawyer.
    Assigned,
    /// 视为撤回: the applicant did not send the materials asked for by the set day (Art.43).
    Withdrawn,
}

impl LegalAidState {
    pub const ALL: [LegalAidState; 5] = [
        LegalAidState::Received,
        LegalAidState::Approved,
        LegalAidState::Refused,
        LegalAidState::Assigned,
        LegalAidState::Withdrawn,
    ];

    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            LegalAidState::Received => "received",
            LegalAidState::Approved => "approved",
            LegalAidState::Refused => "refused",
            LegalAidState::Assigned => "assigned",
            LegalAidState::Withdrawn => "withdrawn",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<LegalAidState> {
        LegalAidState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The name shown in the console.
    pub fn label(self) -> &'static str {
        match self {
            LegalAidState::Received => "已受理，待审查决定",
            LegalAidState::Approved => "决定给予法律援助，待指派",
            LegalAidState::Refused => "决定不予法律援助",
            LegalAidState::Assigned => "已指派法律援助人员",
            LegalAidState::Withdrawn => "逾期未补正，视为撤回申请",
        }
    }
}

/// `POST /api/v1/console/bookings/{id}/legal-aid`: the application taken at the appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenLegalAid {
    /// The applicant's answers, as in the pre-check (checked again by staff).
    #[serde(default)]
    pub answers: PrecheckAnswers,
    /// What the matter is about, as taken down at the window.
    #[serde(default)]
    pub note: String,
}

/// `POST /api/v1/console/legal-aid/{id}/decide`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalAidDecision {
    pub approve: bool,
    /// Required for a refusal: it is given to the applicant in writing (Art.43).
    #[serde(default)]
    pub reasons: String,
}

/// `POST /api/v1/console/legal-aid/{id}/assign`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignLawyer {
    /// The lawyer (法律援助人员) and their firm or office.
    pub lawyer: String,
}

/// A legal-aid application as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalAidCase {
    pub id: i64,
    pub booking_code: String,
    pub applicant_name: String,
    pub mobile: String,
    pub state: LegalAidState,
    pub answers: PrecheckAnswers,
    /// The pre-check on the day it was received (advice for the reviewer).
    pub precheck: PrecheckResult,
    pub note: String,
    /// `YYYY-MM-DD`.
    pub received_on: String,
    /// Decision due (7 days).
    pub decision_due_on: String,
    pub decided_on: Option<String>,
    /// Lawyer due (3 days after approval).
    pub lawyer_due_on: Option<String>,
    pub lawyer: String,
    /// The written reasons of a refusal.
    pub refusal_reasons: String,
    /// The running clock's urgency (decision or assignment); None when no clock runs.
    pub urgency: Option<Urgency>,
    /// Art.44: aid may be given before the decision.
    pub may_start_before_decision: bool,
    /// 补正 (Art.43): the items asked for, by when; empty if none were.
    #[serde(default)]
    pub materials: Vec<String>,
    #[serde(default)]
    pub materials_due_on: Option<String>,
    /// While materials are awaited, since when the decision clock is paused (the time
    /// does not count towards the 7 days); None while it runs.
    #[serde(default)]
    pub paused_since: Option<String>,
    /// Days the clock was paused in all (already added to `decision_due_on`).
    #[serde(default)]
    pub paused_days: u32,
}

/// Limits of the texts of an application.
pub mod legal_aid_limits {
    pub const NOTE_MAX: u32 = 500;
    pub const REASONS: (u32, u32) = (10, 500);
    pub const LAWYER: (u32, u32) = (2, 60);
}

/// The decision's due date: 7 days from receipt (ending on the next working day when the
/// last day is a rest day, as every 日 period here).
pub fn decision_due(calendar: &Calendar, received: Date) -> Date {
    calendar.due_after_days(received, DECISION_DAYS)
}

/// The assignment's due date: 3 days from approval.
pub fn assignment_due(calendar: &Calendar, decided: Date) -> Date {
    calendar.due_after_days(decided, ASSIGNMENT_DAYS)
}

/// Checks a decision: a refusal needs its written reasons.
pub fn check_decision(decision: &LegalAidDecision) -> Result<(), Vec<FieldError>> {
    let limits = if decision.approve { (0, legal_aid_limits::REASONS.1) } else { legal_aid_limits::REASONS };
    match check_length("reasons", &decision.reasons, limits) {
        Some(error) => Err(vec![error]),
        None => Ok(()),
    }
}

/// Checks an assignment and the state it is made in: after approval, or before the
/// decision when the matter is urgent (Art.44).
pub fn check_assignment(state: LegalAidState, urgent: bool) -> Result<(), ErrorCode> {
    match state {
        LegalAidState::Approved => Ok(()),
        LegalAidState::Received if urgent => Ok(()),
        _ => Err(ErrorCode::TransitionNotAllowed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Month;

    fn day(m: Month, d: u8) -> Date {
        Date::from_calendar_date(2026, m, d).unwrap()
    }

    #[test]
    fn the_clocks_are_seven_and_three_days_moved_off_rest_days() {
        let calendar = Calendar::official_2026();
        // Received Mon 23 Nov: decision by Mon 30 Nov.
        assert_eq!(decision_due(&calendar, day(Month::November, 23)), day(Month::November, 30));
        // Received Wed 25 Nov: the 7th day is Wed 2 Dec.
        assert_eq!(decision_due(&calendar, day(Month::November, 25)), day(Month::December, 2));
        // Approved Thu 26 Nov: the 3rd day is Sunday 29th, so Monday 30th.
        assert_eq!(assignment_due(&calendar, day(Month::November, 26)), day(Month::November, 30));
        // Received 28 Sep: the 7th day falls in the National Day holiday → 8 Oct.
        assert_eq!(decision_due(&calendar, day(Month::September, 28)), day(Month::October, 8));
    }

    #[test]
    fn a_refusal_needs_reasons_and_a_lawyer_waits_for_approval_unless_urgent() {
        assert!(check_decision(&LegalAidDecision { approve: true, reasons: String::new() }).is_ok());
        let refused = check_decision(&LegalAidDecision { approve: false, reasons: "不符合".into() }).unwrap_err();
        assert_eq!((refused[0].field.as_str(), refused[0].code), ("reasons", ErrorCode::TooShort));
        assert!(check_assignment(LegalAidState::Approved, false).is_ok());
        assert!(check_assignment(LegalAidState::Received, true).is_ok(), "Art.44: before the decision");
        assert_eq!(check_assignment(LegalAidState::Received, false), Err(ErrorCode::TransitionNotAllowed));
        assert_eq!(check_assignment(LegalAidState::Refused, true), Err(ErrorCode::TransitionNotAllowed));
    }
}
