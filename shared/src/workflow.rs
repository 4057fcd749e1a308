//! The case workflow: one state machine, pure code, that the server enforces and the
//! console uses to offer only the actions that can succeed.
//!
//! registered → accepted | declined → dispatched (each department takes it or objects
//! within 5 working days; objected ones are re-dispatched) → responded (every
//! department answered; disputes also need a mediation outcome) → replied (the
//! centre's unified reply) → closed when the resident rates it. "不满意" opens a
//! callback task; within 30 days of the reply the resident may ask for a review.

use crate::calendar::{Calendar, periods};
use crate::case::{CaseState, CaseType, EventKind};
use crate::error::{ErrorCode, FieldError};
use crate::staff::Role;
use crate::validate::check_length;
use serde::{Deserialize, Serialize};
use time::Date;

/// How a case reached the centre (信访工作条例 Art.17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 来访
    Visit,
    /// 来电
    Phone,
    /// 来信
    Letter,
    /// 网上
    Online,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Visit, Channel::Phone, Channel::Letter, Channel::Online];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Visit => "visit",
            Channel::Phone => "phone",
            Channel::Letter => "letter",
            Channel::Online => "online",
        }
    }

    pub fn from_code(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Visit => "来访",
            Channel::Phone => "来电",
            Channel::Letter => "来信",
            Channel::Online => "网上",
        }
    }
}

/// Where a declined matter belongs instead (Art.31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeclineRoute {
    /// 诉讼
    Litigation,
    /// 仲裁
    Arbitration,
    /// 行政复议
    AdministrativeReview,
    /// 其他法定途径
    OtherLegalRoute,
}

impl DeclineRoute {
    pub const ALL: [DeclineRoute; 4] = [
        DeclineRoute::Litigation,
        DeclineRoute::Arbitration,
        DeclineRoute::AdministrativeReview,
        DeclineRoute::OtherLegalRoute,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DeclineRoute::Litigation => "诉讼",
            DeclineRoute::Arbitration => "仲裁",
            DeclineRoute::AdministrativeReview => "行政复议",
            DeclineRoute::OtherLegalRoute => "其他法定途径",
        }
    }
}

/// Where one department's part of a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DispatchState {
    /// 待签收
    Pending,
    /// 办理中
    Taken,
    /// 已提出异议 — no longer this department's; the centre re-dispatches.
    Objected,
    /// 已办理
    Responded,
}

impl DispatchState {
    pub const ALL: [DispatchState; 4] =
        [DispatchState::Pending, DispatchState::Taken, DispatchState::Objected, DispatchState::Responded];

    pub fn code(self) -> &'static str {
        match self {
            DispatchState::Pending => "pending",
            DispatchState::Taken => "taken",
            DispatchState::Objected => "objected",
            DispatchState::Responded => "responded",
        }
    }

    pub fn from_code(code: &str) -> Option<DispatchState> {
        DispatchState::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DispatchState::Pending => "待签收",
            DispatchState::Taken => "办理中",
            DispatchState::Objected => "已退回（异议）",
            DispatchState::Responded => "已办理",
        }
    }

    /// Still the department's to answer or answered (not objected away).
    pub fn is_active(self) -> bool {
        self != DispatchState::Objected
    }
}

/// The resident's verdict on the reply (满意度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::Satisfied, Rating::BasicallySatisfied, Rating::Dissatisfied];

    pub fn code(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::BasicallySatisfied => "basically_satisfied",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    pub fn from_code(code: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::BasicallySatisfied => "基本满意",
            Rating::Dissatisfied => "不满意",
        }
    }
}

/// The outcome of mediating a dispute (诉调对接).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum MediationOutcome {
    /// 调解成功, with the agreement and, if the court confirmed it, the date (司法确认).
    Settled { agreement: String, judicial_confirmation_on: Option<String> },
    /// 调解不成功; referred to the court (移送法院) or not.
    NotSettled { referred_to_court: bool, note: String },
}

impl MediationOutcome {
    /// What the resident's timeline says (never the agreement's text).
    pub fn public_summary(&self) -> String {
        match self {
            MediationOutcome::Settled { judicial_confirmation_on: Some(day), .. } => {
                format!("调解成功，已达成调解协议；{day} 经法院司法确认")
            }
            MediationOutcome::Settled { .. } => "调解成功，已达成调解协议".into(),
            MediationOutcome::NotSettled { referred_to_court: true, .. } => "调解不成功，已引导至法院诉讼".into(),
            MediationOutcome::NotSettled { .. } => "调解不成功".into(),
        }
    }
}

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
    /// 异议: the matter is not the department's (within 5 working days).
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
}

/// The kind of an action, without its data: for permissions and the console's buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Accept,
    Decline,
    Dispatch,
    Take,
    Object,
    Progress,
    Respond,
    RecordMediation,
    Extend,
    TakeAsLeader,
    Reply,
    CompleteCallback,
    DecideReview,
}

impl ActionKind {
    pub const ALL: [ActionKind; 13] = [
        ActionKind::Accept,
        ActionKind::Decline,
        ActionKind::Dispatch,
        ActionKind::Take,
        ActionKind::Object,
        ActionKind::Progress,
        ActionKind::Respond,
        ActionKind::RecordMediation,
        ActionKind::Extend,
        ActionKind::TakeAsLeader,
        ActionKind::Reply,
        ActionKind::CompleteCallback,
        ActionKind::DecideReview,
    ];

    /// The roles that may take this action at all.
    pub fn roles(self) -> &'static [Role] {
        use ActionKind::*;
        match self {
            Accept | Decline | Dispatch | Reply | CompleteCallback | DecideReview => &[Role::Clerk, Role::Leader],
            Take | Object | Progress | Respond => &[Role::Officer],
            RecordMediation => &[Role::Clerk, Role::Leader, Role::Officer],
            Extend | TakeAsLeader => &[Role::Leader],
        }
    }

    /// The button's label in the console.
    pub fn label(self) -> &'static str {
        use ActionKind::*;
        match self {
            Accept => "受理",
            Decline => "不予受理",
            Dispatch => "派单",
            Take => "签收",
            Object => "提出异议",
            Progress => "记录进展",
            Respond => "办理结果",
            RecordMediation => "登记调解结果",
            Extend => "延期",
            TakeAsLeader => "领导包案",
            Reply => "统一答复",
            CompleteCallback => "完成回访",
            DecideReview => "复查意见",
        }
    }
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
    /// 评价 the reply.
    Rate { rating: Rating },
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

/// Who is acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    /// Officers only.
    pub department_id: Option<i64>,
}

/// One department's part of a case, as the state machine needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchFacts {
    pub id: i64,
    pub department_id: i64,
    pub state: DispatchState,
    /// The last day to object (5 working days after dispatch).
    pub objection_due: Date,
}

/// What the state machine needs to know about a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub state: CaseState,
    pub case_type: CaseType,
    pub extended: bool,
    pub mediation_recorded: bool,
    pub handling_due: Option<Date>,
    pub replied_on: Option<Date>,
    pub review_requested: bool,
    pub open_callback: bool,
    pub dispatches: Vec<DispatchFacts>,
}

impl CaseFacts {
    /// A new case in its first state.
    pub fn new(state: CaseState, case_type: CaseType) -> CaseFacts {
        CaseFacts {
            state,
            case_type,
            extended: false,
            mediation_recorded: false,
            handling_due: None,
            replied_on: None,
            review_requested: false,
            open_callback: false,
            dispatches: Vec::new(),
        }
    }

    /// Whether an officer of this department may see the case at all: only cases
    /// that were ever dispatched to it.
    pub fn visible_to_department(&self, department_id: i64) -> bool {
        self.dispatches.iter().any(|d| d.department_id == department_id)
    }

    /// The case's state once the departments' parts changed: back to `Accepted` when
    /// every department objected (the centre must re-dispatch), `Responded` when every
    /// remaining department answered, `Dispatched` otherwise.
    fn state_from_dispatches(dispatches: &[DispatchFacts]) -> CaseState {
        let active: Vec<_> = dispatches.iter().filter(|d| d.state.is_active()).collect();
        if active.is_empty() {
            CaseState::Accepted
        } else if active.iter().all(|d| d.state == DispatchState::Responded) {
            CaseState::Responded
        } else {
            CaseState::Dispatched
        }
    }
}

/// The result of an allowed action: the event to append and where things go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub event: EventKind,
    pub from: CaseState,
    pub to: CaseState,
    /// A department's part that changes: (dispatch id, new state).
    pub dispatch_change: Option<(i64, DispatchState)>,
    /// A "不满意" rating opens a callback task.
    pub opens_callback: bool,
}

impl Transition {
    fn stay(facts: &CaseFacts, event: EventKind) -> Transition {
        Transition { event, from: facts.state, to: facts.state, dispatch_change: None, opens_callback: false }
    }

    fn to(facts: &CaseFacts, event: EventKind, to: CaseState) -> Transition {
        Transition { to, ..Transition::stay(facts, event) }
    }
}

/// Decides whether `actor` may take `action` on a case now, and what follows.
///
/// Refusals, in this order: `NotFound` (an officer and a case or dispatch not of
/// their department — indistinguishable from a case that does not exist),
/// `Forbidden` (the role may never do this), then the workflow's own codes.
/// Field checks (`validate_action`) are separate.
pub fn decide(facts: &CaseFacts, actor: Actor, action: &Action, today: Date) -> Result<Transition, ErrorCode> {
    if actor.role == Role::Officer {
        let department = actor.department_id.ok_or(ErrorCode::Forbidden)?;
        if !facts.visible_to_department(department) {
            return Err(ErrorCode::NotFound);
        }
    }
    let kind = action.kind();
    if !kind.roles().contains(&actor.role) {
        return Err(ErrorCode::Forbidden);
    }
    use CaseState::*;
    let state = facts.state;
    let refuse = Err(ErrorCode::TransitionNotAllowed);
    match action {
        Action::Accept { .. } if state == Registered => Ok(Transition::to(facts, EventKind::Accepted, Accepted)),
        Action::Decline { .. } if state == Registered => Ok(Transition::to(facts, EventKind::Declined, Declined)),
        Action::Dispatch { department_ids, due_on, .. } if matches!(state, Accepted | Dispatched | Responded) => {
            let already = |id: &i64| facts.dispatches.iter().any(|d| d.department_id == *id && d.state.is_active());
            if department_ids.iter().any(already) {
                return Err(ErrorCode::DepartmentUnknown);
            }
            let due = crate::calendar::parse(due_on).ok_or(ErrorCode::DueDateInvalid)?;
            // Past its legal limit a case is overdue, not stuck: any later date is allowed
            // (the queue keeps flagging it overdue).
            let within_limit = facts.handling_due.is_none_or(|limit| due <= limit || limit <= today);
            if due <= today || !within_limit {
                return Err(ErrorCode::DueDateInvalid);
            }
            Ok(Transition::to(facts, EventKind::Dispatched, Dispatched))
        }
        Action::Take { .. } | Action::Object { .. } | Action::Progress { .. } | Action::Respond { .. } => {
            department_act(facts, actor, action, today)
        }
        Action::RecordMediation { .. } => {
            if facts.case_type != CaseType::Dispute || facts.mediation_recorded {
                return refuse;
            }
            if !matches!(state, Accepted | Dispatched | Responded) {
                return refuse;
            }
            if actor.role == Role::Officer {
                // Only a department that has taken its part can report the outcome.
                let own = facts.dispatches.iter().any(|d| {
                    Some(d.department_id) == actor.department_id
                        && matches!(d.state, DispatchState::Taken | DispatchState::Responded)
                });
                if !own {
                    return refuse;
                }
            }
            Ok(Transition::stay(facts, EventKind::MediationRecorded))
        }
        Action::Extend { .. } if matches!(state, Accepted | Dispatched | Responded) => {
            if facts.extended {
                return Err(ErrorCode::ExtensionAlreadyUsed);
            }
            Ok(Transition::stay(facts, EventKind::Extended))
        }
        Action::TakeAsLeader if !matches!(state, Declined | Closed) => {
            Ok(Transition::stay(facts, EventKind::LeaderAssigned))
        }
        Action::Reply { .. } if matches!(state, Accepted | Responded) => {
            if facts.case_type == CaseType::Dispute && !facts.mediation_recorded {
                return Err(ErrorCode::MediationOutcomeRequired);
            }
            Ok(Transition::to(facts, EventKind::Replied, Replied))
        }
        Action::CompleteCallback { .. } if facts.open_callback => {
            Ok(Transition::stay(facts, EventKind::CallbackCompleted))
        }
        Action::DecideReview { .. } if state == UnderReview => {
            Ok(Transition::to(facts, EventKind::ReviewDecided, Closed))
        }
        _ => refuse,
    }
}

/// Take, object, progress and respond: an officer on their own department's part.
fn department_act(facts: &CaseFacts, actor: Actor, action: &Action, today: Date) -> Result<Transition, ErrorCode> {
    let dispatch_id = action.dispatch_id().ok_or(ErrorCode::BadRequest)?;
    let dispatch = facts
        .dispatches
        .iter()
        .find(|d| d.id == dispatch_id && Some(d.department_id) == actor.department_id)
        .ok_or(ErrorCode::NotFound)?;
    if !matches!(facts.state, CaseState::Dispatched | CaseState::Responded) {
        return Err(ErrorCode::TransitionNotAllowed);
    }
    let (event, new_state) = match (action, dispatch.state) {
        (Action::Take { .. }, DispatchState::Pending) => (EventKind::DispatchTaken, DispatchState::Taken),
        (Action::Object { .. }, DispatchState::Pending | DispatchState::Taken) => {
            if today > dispatch.objection_due {
                return Err(ErrorCode::ObjectionWindowClosed);
            }
            (EventKind::DispatchObjected, DispatchState::Objected)
        }
        (Action::Progress { .. }, DispatchState::Taken) => (EventKind::ProgressNoted, DispatchState::Taken),
        (Action::Respond { .. }, DispatchState::Taken) => (EventKind::Responded, DispatchState::Responded),
        _ => return Err(ErrorCode::TransitionNotAllowed),
    };
    let mut after = facts.dispatches.clone();
    for d in after.iter_mut().filter(|d| d.id == dispatch_id) {
        d.state = new_state;
    }
    let to = CaseFacts::state_from_dispatches(&after);
    Ok(Transition { dispatch_change: Some((dispatch_id, new_state)), ..Transition::to(facts, event, to) })
}

/// Decides a resident's action on their case.
pub fn decide_resident(
    facts: &CaseFacts,
    action: &ResidentAction,
    today: Date,
    calendar: &Calendar,
) -> Result<Transition, ErrorCode> {
    match action {
        ResidentAction::Rate { rating } if facts.state == CaseState::Replied => Ok(Transition {
            opens_callback: *rating == Rating::Dissatisfied,
            ..Transition::to(facts, EventKind::Rated, CaseState::Closed)
        }),
        ResidentAction::RequestReview { .. }
            if matches!(facts.state, CaseState::Replied | CaseState::Closed) && !facts.review_requested =>
        {
            let replied_on = facts.replied_on.ok_or(ErrorCode::TransitionNotAllowed)?;
            if today > review_request_due(calendar, replied_on) {
                return Err(ErrorCode::ReviewWindowClosed);
            }
            Ok(Transition::to(facts, EventKind::ReviewRequested, CaseState::UnderReview))
        }
        _ => Err(ErrorCode::TransitionNotAllowed),
    }
}

/// Checks a resident's action's own fields.
pub fn validate_resident_action(action: &ResidentAction) -> Vec<FieldError> {
    match action {
        ResidentAction::Rate { .. } => Vec::new(),
        ResidentAction::RequestReview { reason } => {
            check_length("reason", reason, limits::REASON).into_iter().collect()
        }
    }
}

/// The actions this actor could take on the case now (the console's buttons).
/// Department actions are listed when at least one of their dispatches allows them.
pub fn available_actions(facts: &CaseFacts, actor: Actor, today: Date) -> Vec<ActionKind> {
    let far = today.saturating_add(time::Duration::days(1));
    let samples = |kind: ActionKind| -> Vec<Action> {
        let dispatches = || facts.dispatches.iter().map(|d| d.id);
        match kind {
            ActionKind::Accept => vec![Action::Accept { note: String::new() }],
            ActionKind::Decline => vec![Action::Decline { route: None, reason: String::new() }],
            ActionKind::Dispatch => {
                vec![Action::Dispatch {
                    department_ids: vec![],
                    due_on: crate::calendar::format(far),
                    note: String::new(),
                }]
            }
            ActionKind::Take => dispatches().map(|dispatch_id| Action::Take { dispatch_id }).collect(),
            ActionKind::Object => {
                dispatches().map(|dispatch_id| Action::Object { dispatch_id, reason: String::new() }).collect()
            }
            ActionKind::Progress => {
                dispatches().map(|dispatch_id| Action::Progress { dispatch_id, note: String::new() }).collect()
            }
            ActionKind::Respond => {
                dispatches().map(|dispatch_id| Action::Respond { dispatch_id, response: String::new() }).collect()
            }
            ActionKind::RecordMediation => vec![Action::RecordMediation {
                outcome: MediationOutcome::NotSettled { referred_to_court: false, note: String::new() },
            }],
            ActionKind::Extend => vec![Action::Extend { days: 1, reason: String::new() }],
            ActionKind::TakeAsLeader => vec![Action::TakeAsLeader],
            ActionKind::Reply => vec![Action::Reply { reply: String::new() }],
            ActionKind::CompleteCallback => vec![Action::CompleteCallback { note: String::new() }],
            ActionKind::DecideReview => vec![Action::DecideReview { decision: String::new() }],
        }
    };
    ActionKind::ALL
        .into_iter()
        .filter(|kind| samples(*kind).iter().any(|a| decide(facts, actor, a, today).is_ok()))
        .collect()
}

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

/// How much of a person's identity a role sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Full,
    Masked,
    /// Not even masked: the field is withheld (检举, Art.30).
    Hidden,
}

/// What a role sees of the resident: (name and mobile, ID number).
/// Clerks register and verify people at the window: everything. Leaders and officers
/// call residents back: name and mobile, ID masked. Administrators run the system and
/// need neither. An accuser's identity never reaches a department officer.
pub fn contact_visibility(role: Role, identity_protected: bool) -> (Visibility, Visibility) {
    match role {
        Role::Officer if identity_protected => (Visibility::Hidden, Visibility::Hidden),
        Role::Clerk => (Visibility::Full, Visibility::Full),
        Role::Leader | Role::Officer => (Visibility::Full, Visibility::Masked),
        Role::Admin => (Visibility::Masked, Visibility::Masked),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse;

    const TODAY: &str = "2026-11-23";
    const ZONGZHI: i64 = 1;
    const SIFASUO: i64 = 4;

    fn today() -> Date {
        parse(TODAY).unwrap()
    }

    fn cal() -> Calendar {
        Calendar::official_2026()
    }

    fn clerk() -> Actor {
        Actor { role: Role::Clerk, department_id: None }
    }
    fn leader() -> Actor {
        Actor { role: Role::Leader, department_id: None }
    }
    fn admin() -> Actor {
        Actor { role: Role::Admin, department_id: None }
    }
    fn officer(department: i64) -> Actor {
        Actor { role: Role::Officer, department_id: Some(department) }
    }

    fn case(state: CaseState) -> CaseFacts {
        CaseFacts { handling_due: parse("2027-01-22"), ..CaseFacts::new(state, CaseType::Complaint) }
    }

    fn dispatched(states: &[(i64, i64, DispatchState)]) -> CaseFacts {
        let dispatches = states
            .iter()
            .map(|(id, department_id, state)| DispatchFacts {
                id: *id,
                department_id: *department_id,
                state: *state,
                objection_due: parse("2026-11-30").unwrap(),
            })
            .collect::<Vec<_>>();
        CaseFacts { dispatches: dispatches.clone(), ..case(CaseFacts::state_from_dispatches(&dispatches)) }
    }

    fn dispatch_to(ids: &[i64]) -> Action {
        Action::Dispatch { department_ids: ids.to_vec(), due_on: "2026-12-20".into(), note: String::new() }
    }

    fn sample(kind: ActionKind) -> Action {
        match kind {
            ActionKind::Accept => Action::Accept { note: String::new() },
            ActionKind::Decline => {
                Action::Decline { route: Some(DeclineRoute::Litigation), reason: "属于民事纠纷".into() }
            }
            ActionKind::Dispatch => dispatch_to(&[SIFASUO]),
            ActionKind::Take => Action::Take { dispatch_id: 1 },
            ActionKind::Object => Action::Object { dispatch_id: 1, reason: "不属本部门职责".into() },
            ActionKind::Progress => Action::Progress { dispatch_id: 1, note: "已联系当事人".into() },
            ActionKind::Respond => Action::Respond { dispatch_id: 1, response: "已修复路灯".into() },
            ActionKind::RecordMediation => Action::RecordMediation {
                outcome: MediationOutcome::Settled {
                    agreement: "双方达成协议".into(), judicial_confirmation_on: None
                },
            },
            ActionKind::Extend => Action::Extend { days: 30, reason: "需现场勘验".into() },
            ActionKind::TakeAsLeader => Action::TakeAsLeader,
            ActionKind::Reply => Action::Reply { reply: "经核实，路灯已于11月20日修复。".into() },
            ActionKind::CompleteCallback => Action::CompleteCallback { note: "已电话回访".into() },
            ActionKind::DecideReview => {
                Action::DecideReview { decision: "维持原答复意见，理由如下。".into() }
            }
        }
    }

    /// Every (state, action) pair a clerk or leader may perform, and where it leads;
    /// every pair not listed must be refused.
    #[test]
    fn centre_actions_allowed_and_refused_in_every_state() {
        use CaseState::*;
        let allowed: &[(CaseState, ActionKind, CaseState)] = &[
            (Registered, ActionKind::Accept, Accepted),
            (Registered, ActionKind::Decline, Declined),
            (Accepted, ActionKind::Dispatch, Dispatched),
            (Dispatched, ActionKind::Dispatch, Dispatched),
            (Responded, ActionKind::Dispatch, Dispatched),
            (Accepted, ActionKind::Reply, Replied),
            (Responded, ActionKind::Reply, Replied),
            (UnderReview, ActionKind::DecideReview, Closed),
        ];
        let centre = [ActionKind::Accept, ActionKind::Decline, ActionKind::Dispatch, ActionKind::Reply];
        for state in CaseState::ALL {
            for kind in centre.into_iter().chain([ActionKind::DecideReview]) {
                let got = decide(&case(state), clerk(), &sample(kind), today()).map(|t| t.to);
                let want = allowed.iter().find(|(s, k, _)| *s == state && *k == kind).map(|(_, _, to)| *to);
                match want {
                    Some(to) => assert_eq!(got, Ok(to), "{state:?} + {kind:?}"),
                    None => assert_eq!(got, Err(ErrorCode::TransitionNotAllowed), "{state:?} + {kind:?}"),
                }
            }
        }
    }

    #[test]
    fn leader_only_actions_stay_in_state() {
        use CaseState::*;
        for state in CaseState::ALL {
            let took = decide(&case(state), leader(), &Action::TakeAsLeader, today());
            if matches!(state, Declined | Closed) {
                assert_eq!(took, Err(ErrorCode::TransitionNotAllowed), "{state:?}");
            } else {
                assert_eq!(took.map(|t| (t.event, t.to)), Ok((EventKind::LeaderAssigned, state)));
            }
            let extend = decide(&case(state), leader(), &sample(ActionKind::Extend), today());
            if matches!(state, Accepted | Dispatched | Responded) {
                assert_eq!(extend.map(|t| t.to), Ok(state));
            } else {
                assert_eq!(extend, Err(ErrorCode::TransitionNotAllowed), "{state:?}");
            }
        }
        let extended = CaseFacts { extended: true, ..case(Accepted) };
        assert_eq!(
            decide(&extended, leader(), &sample(ActionKind::Extend), today()),
            Err(ErrorCode::ExtensionAlreadyUsed)
        );
    }

    #[test]
    fn roles_are_checked_before_state() {
        for kind in ActionKind::ALL {
            let action = sample(kind);
            for actor in [clerk(), leader(), admin()] {
                let result = decide(&dispatched(&[(1, ZONGZHI, DispatchState::Pending)]), actor, &action, today());
                if !kind.roles().contains(&actor.role) {
                    assert_eq!(result, Err(ErrorCode::Forbidden), "{actor:?} {kind:?}");
                }
            }
        }
        // The administrator handles no case at all.
        assert!(ActionKind::ALL.iter().all(|k| !k.roles().contains(&Role::Admin)));
    }

    #[test]
    fn an_officer_of_another_department_cannot_see_the_case() {
        let facts = dispatched(&[(1, ZONGZHI, DispatchState::Pending)]);
        for kind in ActionKind::ALL {
            assert_eq!(decide(&facts, officer(SIFASUO), &sample(kind), today()), Err(ErrorCode::NotFound));
        }
        // Nor a case never dispatched to anyone.
        assert_eq!(
            decide(&case(CaseState::Registered), officer(ZONGZHI), &sample(ActionKind::Take), today()),
            Err(ErrorCode::NotFound)
        );
    }

    #[test]
    fn department_transitions() {
        use DispatchState::*;
        let pending = dispatched(&[(1, ZONGZHI, Pending)]);
        let taken = dispatched(&[(1, ZONGZHI, Taken)]);
        let go = |facts: &CaseFacts, kind| decide(facts, officer(ZONGZHI), &sample(kind), today());

        let t = go(&pending, ActionKind::Take).unwrap();
        assert_eq!(
            (t.event, t.to, t.dispatch_change),
            (EventKind::DispatchTaken, CaseState::Dispatched, Some((1, Taken)))
        );
        assert_eq!(go(&pending, ActionKind::Respond), Err(ErrorCode::TransitionNotAllowed), "take it first");
        assert_eq!(go(&pending, ActionKind::Progress), Err(ErrorCode::TransitionNotAllowed));
        assert_eq!(go(&taken, ActionKind::Take), Err(ErrorCode::TransitionNotAllowed));
        assert_eq!(go(&taken, ActionKind::Progress).unwrap().to, CaseState::Dispatched);

        let t = go(&taken, ActionKind::Respond).unwrap();
        assert_eq!((t.to, t.dispatch_change), (CaseState::Responded, Some((1, Responded))));
        let responded = dispatched(&[(1, ZONGZHI, Responded)]);
        for kind in [ActionKind::Take, ActionKind::Object, ActionKind::Respond, ActionKind::Progress] {
            assert_eq!(go(&responded, kind), Err(ErrorCode::TransitionNotAllowed), "{kind:?}");
        }
    }

    #[test]
    fn an_objection_returns_the_case_for_re_dispatch_only_when_no_department_is_left() {
        use DispatchState::*;
        let alone = dispatched(&[(1, ZONGZHI, Pending)]);
        let t = decide(&alone, officer(ZONGZHI), &sample(ActionKind::Object), today()).unwrap();
        assert_eq!((t.event, t.to), (EventKind::DispatchObjected, CaseState::Accepted));

        let with_other = dispatched(&[(1, ZONGZHI, Pending), (2, SIFASUO, Responded)]);
        let t = decide(&with_other, officer(ZONGZHI), &sample(ActionKind::Object), today()).unwrap();
        assert_eq!(t.to, CaseState::Responded, "the other department has answered");

        // The centre then re-dispatches the objected part; the objecting department
        // may be chosen again, an active one may not.
        let objected = dispatched(&[(1, ZONGZHI, Objected)]);
        assert_eq!(objected.state, CaseState::Accepted);
        assert!(decide(&objected, clerk(), &dispatch_to(&[SIFASUO]), today()).is_ok());
        assert!(decide(&objected, clerk(), &dispatch_to(&[ZONGZHI]), today()).is_ok());
        assert_eq!(decide(&with_other, clerk(), &dispatch_to(&[SIFASUO]), today()), Err(ErrorCode::DepartmentUnknown));
    }

    #[test]
    fn objections_close_after_five_working_days() {
        let facts = dispatched(&[(1, ZONGZHI, DispatchState::Pending)]);
        let on_the_day = parse("2026-11-30").unwrap();
        let after = parse("2026-12-01").unwrap();
        assert!(decide(&facts, officer(ZONGZHI), &sample(ActionKind::Object), on_the_day).is_ok());
        assert_eq!(
            decide(&facts, officer(ZONGZHI), &sample(ActionKind::Object), after),
            Err(ErrorCode::ObjectionWindowClosed)
        );
        // Dispatched on Thursday 12 Feb 2026: the window runs across the Spring Festival.
        assert_eq!(crate::calendar::format(objection_due(&cal(), parse("2026-02-12").unwrap())), "2026-02-26");
    }

    #[test]
    fn dispatch_due_dates_must_lie_between_tomorrow_and_the_legal_limit() {
        let facts = case(CaseState::Accepted);
        let with_due =
            |due: &str| Action::Dispatch { department_ids: vec![SIFASUO], due_on: due.into(), note: String::new() };
        assert_eq!(decide(&facts, clerk(), &with_due("2026-11-23"), today()), Err(ErrorCode::DueDateInvalid));
        assert_eq!(decide(&facts, clerk(), &with_due("2027-01-23"), today()), Err(ErrorCode::DueDateInvalid));
        assert!(decide(&facts, clerk(), &with_due("2027-01-22"), today()).is_ok());
        // An overdue case can still be re-dispatched, with any later due date.
        let overdue = CaseFacts { handling_due: parse("2026-11-20"), ..facts.clone() };
        assert!(decide(&overdue, clerk(), &with_due("2026-11-30"), today()).is_ok());
        assert_eq!(decide(&overdue, clerk(), &with_due("2026-11-23"), today()), Err(ErrorCode::DueDateInvalid));
    }

    #[test]
    fn disputes_need_a_mediation_outcome_before_the_reply() {
        let dispute =
            CaseFacts { case_type: CaseType::Dispute, ..dispatched(&[(1, ZONGZHI, DispatchState::Responded)]) };
        assert_eq!(
            decide(&dispute, clerk(), &sample(ActionKind::Reply), today()),
            Err(ErrorCode::MediationOutcomeRequired)
        );
        let t = decide(&dispute, officer(ZONGZHI), &sample(ActionKind::RecordMediation), today()).unwrap();
        assert_eq!(t.to, CaseState::Responded);
        let recorded = CaseFacts { mediation_recorded: true, ..dispute.clone() };
        assert_eq!(decide(&recorded, clerk(), &sample(ActionKind::Reply), today()).unwrap().to, CaseState::Replied);
        assert_eq!(
            decide(&recorded, clerk(), &sample(ActionKind::RecordMediation), today()),
            Err(ErrorCode::TransitionNotAllowed),
            "recorded once"
        );
        // Not a dispute: nothing to mediate.
        assert_eq!(
            decide(&case(CaseState::Accepted), clerk(), &sample(ActionKind::RecordMediation), today()),
            Err(ErrorCode::TransitionNotAllowed)
        );
        // An officer whose part is still pending cannot report an outcome.
        let pending = CaseFacts { case_type: CaseType::Dispute, ..dispatched(&[(1, ZONGZHI, DispatchState::Pending)]) };
        assert_eq!(
            decide(&pending, officer(ZONGZHI), &sample(ActionKind::RecordMediation), today()),
            Err(ErrorCode::TransitionNotAllowed)
        );
    }

    #[test]
    fn the_resident_rates_a_reply_and_dissatisfaction_opens_a_callback() {
        let replied = CaseFacts { replied_on: Some(today()), ..case(CaseState::Replied) };
        let rate = |rating| decide_resident(&replied, &ResidentAction::Rate { rating }, today(), &cal());
        let t = rate(Rating::Dissatisfied).unwrap();
        assert_eq!((t.to, t.opens_callback), (CaseState::Closed, true));
        assert!(!rate(Rating::Satisfied).unwrap().opens_callback);
        assert!(!rate(Rating::BasicallySatisfied).unwrap().opens_callback);
        for state in CaseState::ALL.into_iter().filter(|s| *s != CaseState::Replied) {
            let facts = case(state);
            assert_eq!(
                decide_resident(&facts, &ResidentAction::Rate { rating: Rating::Satisfied }, today(), &cal()),
                Err(ErrorCode::TransitionNotAllowed),
                "{state:?}"
            );
        }
        // The callback task is then completed by the centre.
        let with_callback = CaseFacts { open_callback: true, ..case(CaseState::Closed) };
        assert!(decide(&with_callback, clerk(), &sample(ActionKind::CompleteCallback), today()).is_ok());
        assert_eq!(
            decide(&case(CaseState::Closed), clerk(), &sample(ActionKind::CompleteCallback), today()),
            Err(ErrorCode::TransitionNotAllowed)
        );
    }

    #[test]
    fn a_review_can_be_asked_for_within_thirty_days_of_the_reply_once() {
        let replied_on = parse("2026-11-02").unwrap();
        let closed = CaseFacts { replied_on: Some(replied_on), ..case(CaseState::Closed) };
        let ask = ResidentAction::RequestReview { reason: "答复未解决问题".into() };
        // 30 days after 2 Nov is 2 Dec (a Wednesday).
        let last_day = parse("2026-12-02").unwrap();
        let t = decide_resident(&closed, &ask, last_day, &cal()).unwrap();
        assert_eq!((t.event, t.to), (EventKind::ReviewRequested, CaseState::UnderReview));
        assert_eq!(
            decide_resident(&closed, &ask, parse("2026-12-03").unwrap(), &cal()),
            Err(ErrorCode::ReviewWindowClosed)
        );
        let again = CaseFacts { review_requested: true, ..closed.clone() };
        assert_eq!(decide_resident(&again, &ask, last_day, &cal()), Err(ErrorCode::TransitionNotAllowed));
        assert_eq!(
            decide_resident(&case(CaseState::Dispatched), &ask, last_day, &cal()),
            Err(ErrorCode::TransitionNotAllowed)
        );
    }

    #[test]
    fn the_buttons_match_what_decide_allows() {
        let facts = dispatched(&[(1, ZONGZHI, DispatchState::Pending)]);
        assert_eq!(available_actions(&facts, officer(ZONGZHI), today()), vec![ActionKind::Take, ActionKind::Object]);
        assert_eq!(
            available_actions(&case(CaseState::Registered), clerk(), today()),
            vec![ActionKind::Accept, ActionKind::Decline]
        );
        assert!(available_actions(&case(CaseState::Registered), admin(), today()).is_empty());
        assert!(available_actions(&case(CaseState::Accepted), leader(), today()).contains(&ActionKind::Extend));
    }

    #[test]
    fn action_fields_are_checked_at_once() {
        let errors = validate_action(&Action::Decline { route: None, reason: String::new() });
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(fields, vec![("route", ErrorCode::Required), ("reason", ErrorCode::Required)]);
        let errors = validate_action(&Action::Extend { days: 31, reason: "需要更多时间".into() });
        assert_eq!(errors[0].code, ErrorCode::ExtensionTooLong);
        assert!(validate_action(&sample(ActionKind::Reply)).is_empty());
        let errors =
            validate_action(&Action::Dispatch { department_ids: vec![], due_on: "x".into(), note: String::new() });
        assert_eq!(errors.len(), 2);
        let twice = Action::Dispatch { department_ids: vec![4, 4], due_on: "2026-12-01".into(), note: String::new() };
        assert_eq!(validate_action(&twice)[0].code, ErrorCode::DepartmentUnknown, "one department, one part");
    }

    #[test]
    fn accusers_are_hidden_from_departments() {
        assert_eq!(contact_visibility(Role::Officer, true), (Visibility::Hidden, Visibility::Hidden));
        assert_eq!(contact_visibility(Role::Officer, false), (Visibility::Full, Visibility::Masked));
        assert_eq!(contact_visibility(Role::Clerk, true), (Visibility::Full, Visibility::Full));
        assert_eq!(contact_visibility(Role::Admin, false), (Visibility::Masked, Visibility::Masked));
    }

    #[test]
    fn statutory_clocks() {
        let c = cal();
        let d = |s| parse(s).unwrap();
        let f = crate::calendar::format;
        assert_eq!(f(acceptance_due(&c, d("2026-02-01"))), "2026-02-24", "15 days end inside the break");
        assert_eq!(f(handling_due(&c, d("2026-11-23"), 0)), "2027-01-22");
        assert_eq!(f(handling_due(&c, d("2026-11-23"), 30)), "2027-02-22", "60 + 30 days");
        assert_eq!(f(review_due(&c, d("2026-11-23"))), "2026-12-23");
        assert_eq!(f(callback_due(&c, d("2026-11-27"))), "2026-12-02");
    }
}
