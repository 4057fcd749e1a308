//! The state machine: what it needs to know about a case and who is acting, whether an
//! action is allowed now and where it leads, and which actions the console offers.

use super::{Action, ActionKind, Channel, DispatchState, MediationOutcome, Rating, ResidentAction, review_request_due};
use crate::calendar::Calendar;
use crate::case::{CaseState, CaseType, EventKind};
use crate::error::ErrorCode;
use crate::staff::Role;
use time::Date;

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
    /// An objection waits for the centre's decision; the department still holds its part.
    pub objection_pending: bool,
}

/// What the state machine needs to know about a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub state: CaseState,
    pub case_type: CaseType,
    pub extended: bool,
    pub mediation_recorded: bool,
    pub handling_due: Option<Date>,
    /// The day the review window runs from: the 处理意见书's delivery once recorded, else the reply's day.
    pub replied_on: Option<Date>,
    pub review_requested: bool,
    pub open_callback: bool,
    pub dispatches: Vec<DispatchFacts>,
    /// How it came in: a grid worker's report settled on the spot closes at once.
    pub channel: Channel,
    /// A grid worker has a task on it (下派) not yet done.
    pub grid_task_open: bool,
    /// When the review (复查) was decided, if it was.
    pub review_decided_on: Option<Date>,
    /// A re-review (复核) was asked for.
    pub rereview_requested: bool,
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
            channel: Channel::Online,
            grid_task_open: false,
            review_decided_on: None,
            rereview_requested: false,
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
    pub(super) fn state_from_dispatches(dispatches: &[DispatchFacts]) -> CaseState {
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
            // Extending a case already past its time limit would move the limit after
            // the fact and erase its 超期 flag: an extension is asked for in time.
            if facts.handling_due.is_some_and(|due| today > due) {
                return Err(ErrorCode::ExtensionTooLate);
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
            let event = if facts.rereview_requested { EventKind::ReReviewDecided } else { EventKind::ReviewDecided };
            Ok(Transition::to(facts, event, Closed))
        }
        Action::DecideObjection { dispatch_id, agree, .. } => {
            let pending = facts.dispatches.iter().any(|d| d.id == *dispatch_id && d.objection_pending);
            if !pending {
                return refuse;
            }
            if !agree {
                return Ok(Transition::stay(facts, EventKind::ObjectionRefused));
            }
            let mut after = facts.dispatches.clone();
            for d in after.iter_mut().filter(|d| d.id == *dispatch_id) {
                d.state = DispatchState::Objected;
                d.objection_pending = false;
            }
            let to = CaseFacts::state_from_dispatches(&after);
            Ok(Transition {
                dispatch_change: Some((*dispatch_id, DispatchState::Objected)),
                ..Transition::to(facts, EventKind::ObjectionAgreed, to)
            })
        }
        // A hand-over moves a case not yet with departments; its clocks run on.
        Action::AssignDown { .. } | Action::SendToGrid { .. } | Action::ReportUp { .. }
            if matches!(state, Registered | Accepted) =>
        {
            if matches!(action, Action::SendToGrid { .. }) && facts.grid_task_open {
                return refuse;
            }
            let due = action.hand_over_due().and_then(crate::calendar::parse).ok_or(ErrorCode::DueDateInvalid)?;
            let within_limit = facts.handling_due.is_none_or(|limit| due <= limit || limit <= today);
            if due <= today || !within_limit {
                return Err(ErrorCode::DueDateInvalid);
            }
            let event = match action {
                Action::AssignDown { .. } => EventKind::HandedDown,
                Action::SendToGrid { .. } => EventKind::SentToGrid,
                _ => EventKind::ReportedUp,
            };
            Ok(Transition::stay(facts, event))
        }
        Action::GridDone { .. } if facts.grid_task_open => Ok(Transition::stay(facts, EventKind::GridTaskDone)),
        // 就地化解 answers the resident at once; a grid worker's own report has no
        // resident waiting for an answer and closes.
        Action::ResolveOnSpot { .. } if matches!(state, Registered | Accepted) => {
            let to = if facts.channel == Channel::Grid { Closed } else { Replied };
            Ok(Transition::to(facts, EventKind::ResolvedOnSpot, to))
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
        // The objection waits for the centre (核实同意); meanwhile the part stays as it is.
        (Action::Object { .. }, DispatchState::Pending | DispatchState::Taken) if !dispatch.objection_pending => {
            if today > dispatch.objection_due {
                return Err(ErrorCode::ObjectionWindowClosed);
            }
            return Ok(Transition::stay(facts, EventKind::DispatchObjected));
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
        ResidentAction::Rate { rating, .. } if facts.state == CaseState::Replied => Ok(Transition {
            opens_callback: *rating == Rating::Dissatisfied,
            ..Transition::to(facts, EventKind::Rated, CaseState::Closed)
        }),
        // 复核: once the review is decided, the same request asks for a re-review, within
        // 30 days; after it, the same facts are not taken up again (Art.36).
        ResidentAction::RequestReview { .. }
            if facts.state == CaseState::Closed && facts.review_requested && !facts.rereview_requested =>
        {
            let decided_on = facts.review_decided_on.ok_or(ErrorCode::TransitionNotAllowed)?;
            if today > review_request_due(calendar, decided_on) {
                return Err(ErrorCode::ReviewWindowClosed);
            }
            Ok(Transition::to(facts, EventKind::ReReviewRequested, CaseState::UnderReview))
        }
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
            ActionKind::AssignDown => {
                vec![Action::AssignDown { unit_id: 0, reason: String::new(), due_on: crate::calendar::format(far) }]
            }
            ActionKind::SendToGrid => {
                vec![Action::SendToGrid { staff_id: 0, reason: String::new(), due_on: crate::calendar::format(far) }]
            }
            ActionKind::ReportUp => {
                vec![Action::ReportUp { unit_id: 0, reason: String::new(), due_on: crate::calendar::format(far) }]
            }
            ActionKind::GridDone => vec![Action::GridDone { note: String::new() }],
            ActionKind::ResolveOnSpot => {
                vec![Action::ResolveOnSpot { parties: String::new(), agreement: String::new() }]
            }
            ActionKind::DecideObjection => dispatches()
                .map(|dispatch_id| Action::DecideObjection { dispatch_id, agree: true, note: String::new() })
                .collect(),
        }
    };
    ActionKind::ALL
        .into_iter()
        .filter(|kind| samples(*kind).iter().any(|a| decide(facts, actor, a, today).is_ok()))
        .collect()
}
