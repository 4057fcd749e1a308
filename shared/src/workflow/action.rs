//! What staff and residents send to act on a case, and the checks of its own fields
//! (lengths, required choices) — the same in the console and on the server.

use super::{ActionKind, DeclineRoute, MediationOutcome, Rating};
use crate::calendar::periods;
use crate::error::{ErrorCode, FieldError};
use crate::validate::check_length;
use serde::{Deserialize, Serialize};

/// A member of staff's act on a case, as the console sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// 受理, with the notice of acceptance.
    Accept { note: String },
    /// 不予受理, naming the route and the reason; the resident sees both.
    Decline { route: Option<DeclineRoute>, reason: String },
    /// 派单 to one or more departments, with a due date (`YYYY-MM-DD`).
    Dispatch { department_ids: Vec<i64>, due_on: String, note: String },
    /// 签收: a department takes its dispatch.
    Take { dispatch_id: i64 },
    /// 异议: the matter is not the department's (within 5 working days). It takes effect
    /// only when the dispatching centre agrees (`DecideObjection`).
    Object { dispatch_id: i64, reason: String },
    /// 办理进展: an internal progress note.
    Progress { dispatch_id: i64, note: String },
    /// 办理结果: the department's response.
    Respond { dispatch_id: i64, response: String },
    /// 调解结果, for disputes.
    RecordMediation { outcome: MediationOutcome },
    /// 延期: once, at most 30 days, with a reason the resident sees.
    Extend { days: u32, reason: String },
    /// 领导包案.
    TakeAsLeader,
    /// 统一答复 to the resident.
    Reply { reply: String },
    /// 回访 after a "不满意" rating.
    CompleteCallback { note: String },
    /// 复查意见.
    DecideReview { decision: String },
    /// 交办: hand the case down to a unit below the holder, with a reason and a due date.
    AssignDown { unit_id: i64, reason: String, due_on: String },
    /// 下派: send the case to a grid worker of a grid under the holder.
    SendToGrid { staff_id: i64, reason: String, due_on: String },
    /// 上报: report the case up to a unit above the holder (cross-township, group, hard).
    ReportUp { unit_id: i64, reason: String, due_on: String },
    /// The grid worker's task sent down is done, with a note.
    GridDone { note: String },
    /// 就地化解: the holding unit settled it on the spot; the parties and what was agreed.
    ResolveOnSpot { parties: String, agreement: String },
    /// 核实同意 a department's objection (it is released, the centre re-dispatches) or
    /// refuse it (the department still holds its part), with a note.
    DecideObjection { dispatch_id: i64, agree: bool, note: String },
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Accept { .. } => ActionKind::Accept,
            Action::Decline { .. } => ActionKind::Decline,
            Action::Dispatch { .. } => ActionKind::Dispatch,
            Action::Take { .. } => ActionKind::Take,
            Action::Object { .. } => ActionKind::Object,
            Action::Progress { .. } => ActionKind::Progress,
            Action::Respond { .. } => ActionKind::Respond,
            Action::RecordMediation { .. } => ActionKind::RecordMediation,
            Action::Extend { .. } => ActionKind::Extend,
            Action::TakeAsLeader => ActionKind::TakeAsLeader,
            Action::Reply { .. } => ActionKind::Reply,
            Action::CompleteCallback { .. } => ActionKind::CompleteCallback,
            Action::DecideReview { .. } => ActionKind::DecideReview,
            Action::AssignDown { .. } => ActionKind::AssignDown,
            Action::SendToGrid { .. } => ActionKind::SendToGrid,
            Action::ReportUp { .. } => ActionKind::ReportUp,
            Action::GridDone { .. } => ActionKind::GridDone,
            Action::ResolveOnSpot { .. } => ActionKind::ResolveOnSpot,
            Action::DecideObjection { .. } => ActionKind::DecideObjection,
        }
    }

    /// A hand-over's due date (`YYYY-MM-DD`), for 交办, 下派 and 上报.
    pub fn hand_over_due(&self) -> Option<&str> {
        match self {
            Action::AssignDown { due_on, .. } | Action::SendToGrid { due_on, .. } | Action::ReportUp { due_on, .. } => {
                Some(due_on)
            }
            _ => None,
        }
    }

    /// The dispatch this action is about, for the department actions.
    pub fn dispatch_id(&self) -> Option<i64> {
        match self {
            Action::Take { dispatch_id }
            | Action::Object { dispatch_id, .. }
            | Action::Progress { dispatch_id, .. }
            | Action::Respond { dispatch_id, .. } => Some(*dispatch_id),
            _ => None,
        }
    }
}

/// A resident's act on their own case, with the tracking number and query code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ResidentAction {
    /// 评价 the reply; with 不满意 an optional reason the callback task shows.
    Rate {
        rating: Rating,
        #[serde(default)]
        reason: String,
    },
    /// 申请复查 within 30 days of the reply.
    RequestReview { reason: String },
}

/// Text limits of the workflow's notes, in characters.
pub mod limits {
    pub const REASON: (u32, u32) = (4, 500);
    pub const NOTE_MAX: u32 = 500;
    pub const REPLY: (u32, u32) = (10, 2000);
    pub const RESPONSE: (u32, u32) = (4, 2000);
    pub const AGREEMENT: (u32, u32) = (4, 1000);
    pub const MAX_REPRESENTATIVES: u32 = 5;
    /// The optional reason given with a rating.
    pub const RATING_REASON_MAX: u32 = 200;
    /// The parties of a dispute settled on the spot.
    pub const PARTIES: (u32, u32) = (2, 200);
}

/// Checks an action's own fields (lengths, required choices), all at once.
pub fn validate_action(action: &Action) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut optional = |field: &str, text: &str| {
        if let Some(e) = check_length(field, text, (0, limits::NOTE_MAX)) {
            errors.push(e);
        }
    };
    match action {
        Action::Accept { note } => optional("note", note),
        Action::Dispatch { note, .. } => optional("note", note),
        Action::Progress { note, .. } => {
            errors.extend(check_length("note", note, (2, limits::NOTE_MAX)));
        }
        Action::CompleteCallback { note } => errors.extend(check_length("note", note, (4, limits::NOTE_MAX))),
        Action::Decline { route, reason } => {
            if route.is_none() {
                errors.push(FieldError::new("route", ErrorCode::Required));
            }
            errors.extend(check_length("reason", reason, limits::REASON));
        }
        Action::Object { reason, .. } | Action::Extend { reason, .. } => {
            errors.extend(check_length("reason", reason, limits::REASON));
        }
        Action::Respond { response, .. } => errors.extend(check_length("response", response, limits::RESPONSE)),
        Action::Reply { reply } => errors.extend(check_length("reply", reply, limits::REPLY)),
        Action::DecideReview { decision } => errors.extend(check_length("decision", decision, limits::REPLY)),
        Action::RecordMediation { outcome } => match outcome {
            MediationOutcome::Settled { agreement, judicial_confirmation_on } => {
                errors.extend(check_length("agreement", agreement, limits::AGREEMENT));
                let bad_date = judicial_confirmation_on
                    .as_deref()
                    .is_some_and(|d| !d.is_empty() && crate::calendar::parse(d).is_none());
                if bad_date {
                    errors.push(FieldError::new("judicial_confirmation_on", ErrorCode::DateInvalid));
                }
            }
            MediationOutcome::NotSettled { note, .. } => {
                errors.extend(check_length("note", note, (0, limits::NOTE_MAX)));
            }
        },
        Action::AssignDown { reason, due_on, .. }
        | Action::SendToGrid { reason, due_on, .. }
        | Action::ReportUp { reason, due_on, .. } => {
            errors.extend(check_length("reason", reason, limits::REASON));
            if crate::calendar::parse(due_on).is_none() {
                errors.push(FieldError::new("due_on", ErrorCode::DueDateInvalid));
            }
        }
        Action::GridDone { note } => errors.extend(check_length("note", note, (4, limits::NOTE_MAX))),
        // A refusal says why; an agreement may.
        Action::DecideObjection { agree: false, note, .. } => errors.extend(check_length("note", note, limits::REASON)),
        Action::DecideObjection { note, .. } => optional("note", note),
        Action::ResolveOnSpot { parties, agreement } => {
            errors.extend(check_length("parties", parties, limits::PARTIES));
            errors.extend(check_length("agreement", agreement, limits::AGREEMENT));
        }
        Action::Take { .. } | Action::TakeAsLeader => {}
    }
    if let Action::Extend { days, .. } = action
        && !(1..=periods::MAX_EXTENSION_DAYS).contains(days)
    {
        errors.push(FieldError {
            max: Some(periods::MAX_EXTENSION_DAYS),
            ..FieldError::new("days", ErrorCode::ExtensionTooLong)
        });
    }
    if let Action::Dispatch { department_ids, due_on, .. } = action {
        let mut unique = department_ids.clone();
        unique.sort_unstable();
        unique.dedup();
        if department_ids.is_empty() || unique.len() != department_ids.len() {
            errors.push(FieldError::new("department_ids", ErrorCode::DepartmentUnknown));
        }
        if crate::calendar::parse(due_on).is_none() {
            errors.push(FieldError::new("due_on", ErrorCode::DueDateInvalid));
        }
    }
    errors
}

/// Checks a resident's action's own fields.
pub fn validate_resident_action(action: &ResidentAction) -> Vec<FieldError> {
    match action {
        ResidentAction::Rate { reason, .. } => {
            check_length("reason", reason, (0, limits::RATING_REASON_MAX)).into_iter().collect()
        }
        ResidentAction::RequestReview { reason } => {
            check_length("reason", reason, limits::REASON).into_iter().collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_fields_are_checked_at_once() {
        let errors = validate_action(&Action::Decline { route: None, reason: String::new() });
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(fields, vec![("route", ErrorCode::Required), ("reason", ErrorCode::Required)]);
        let errors = validate_action(&Action::Extend { days: 31, reason: "需要更多时间".into() });
        assert_eq!(errors[0].code, ErrorCode::ExtensionTooLong);
        assert!(validate_action(&Action::Reply { reply: "经核实，路灯已于11月20日修复。".into() }).is_empty());
        let errors =
            validate_action(&Action::Dispatch { department_ids: vec![], due_on: "x".into(), note: String::new() });
        assert_eq!(errors.len(), 2);
        let twice = Action::Dispatch { department_ids: vec![4, 4], due_on: "2026-12-01".into(), note: String::new() };
        assert_eq!(validate_action(&twice)[0].code, ErrorCode::DepartmentUnknown, "one department, one part");
    }

    #[test]
    fn a_rating_reason_is_optional_and_short() {
        let rate =
            |reason: String| validate_resident_action(&ResidentAction::Rate { rating: Rating::Dissatisfied, reason });
        assert!(rate(String::new()).is_empty());
        assert!(rate("路灯修好后又坏了".repeat(25)).is_empty(), "200 characters");
        let errors = rate("路".repeat(201));
        assert_eq!((errors[0].field.as_str(), errors[0].code), ("reason", ErrorCode::TooLong));
    }
}
