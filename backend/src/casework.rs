//! Acting on a case: the shared state machine decides, this module writes the outcome
//! and its event in the same transaction. Runs on the writer thread, so two acts on
//! one case are applied one after the other, each against the other's result.
//! Knows nothing of HTTP.

use crate::auth::Staff;
use crate::clock;
use crate::db::cases::{CENTRE, RESIDENT};
use crate::db::queue::Area;
use crate::db::workflow::{self as store, CaseClocks, NewEvent};
use crate::db::{case_detail, queue, units};
use crate::error::AppError;
use ow_shared::calendar::{self, Calendar};
use ow_shared::case::{CaseState, EventKind};
use ow_shared::console::{CaseDetail, ContactView, WITHHELD};
use ow_shared::dto::{Deadline, DeadlineKind, Receipt};
use ow_shared::mask::{mask_id_number, mask_mobile, mask_name};
use ow_shared::message::{MessageState, MessageView};
use ow_shared::staff::Role;
use ow_shared::workflow::{
    self, Action, ActionKind, Actor, CaseFacts, HandOverKind, MediationOutcome, ResidentAction, Transition, Visibility,
    decide, decide_resident, validate_action, validate_resident_action,
};
use ow_shared::{ErrorCode, FieldError};
use time::Date;

/// Everything an act needs besides the database.
pub struct Act<'a> {
    pub case_id: i64,
    pub now_ms: i64,
    pub calendar: &'a Calendar,
}

impl Act<'_> {
    fn today(&self) -> Date {
        clock::date_of(self.now_ms)
    }
}

/// Applies a member of staff's action to a case; answers the event it recorded. Refusals,
/// in order: a case the caller may not see answers exactly as one that does not exist
/// (404); a role that may never do this, 403; the workflow's own refusals; a unit that does
/// not hold the case (nor stands above its holder), 403 `NOT_HOLDER`. Nothing is stored on
/// any refusal.
pub fn act(conn: &rusqlite::Connection, act: &Act, staff: &Staff, action: &Action) -> Result<EventKind, AppError> {
    let (facts, clocks) = store::facts(conn, act.case_id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    let holding = units::holding(conn, act.case_id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    if !may_see(conn, staff, act.case_id, &facts, &holding)? {
        return Err(AppError::Client(ErrorCode::NotFound));
    }
    let actor = Actor { role: staff.role, department_id: staff.department_id };
    let transition = decide(&facts, actor, action, act.today()).map_err(AppError::Client)?;
    let errors = validate_action(action);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    check_unit(conn, staff, &holding, Some(action))?;
    // 统一答复 comes from the unit holding the case; other acts name the acting unit.
    let unit = match action {
        Action::Reply { .. } | Action::ResolveOnSpot { .. } => holding.unit.name.clone(),
        _ => acting_unit(staff).to_string(),
    };
    let (note, public_note) = apply(conn, act, staff, action, &clocks, &holding)?;
    finish(
        conn,
        act,
        &transition,
        &Who { name: &staff.display_name, staff_id: Some(staff.id), unit: &unit },
        &note,
        &public_note,
    )?;
    Ok(transition.event)
}

/// The unit an act is recorded under: the officer's department, everyone else's unit.
fn acting_unit(staff: &Staff) -> &str {
    staff.department_name.as_deref().unwrap_or(&staff.unit.name)
}

/// Whether this member of staff may see the case at all: officers the cases dispatched
/// to their department; everyone else the cases of their unit's area (`Staff::area`).
pub fn may_see(
    conn: &rusqlite::Connection,
    staff: &Staff,
    case_id: i64,
    facts: &CaseFacts,
    holding: &units::Holding,
) -> Result<bool, AppError> {
    if staff.role == Role::Officer {
        return Ok(staff.department_id.is_some_and(|d| facts.visible_to_department(d)));
    }
    Ok(match staff.area() {
        Area::All => true,
        Area::Township(id) => holding.township_id == id,
        Area::Village(id) => holding.village_id == id,
        Area::Grid { grid_id, staff_id } => {
            holding.grid_id == Some(grid_id) || units::was_sent_to(conn, case_id, staff_id)?
        }
    })
}

/// The unit holding a case acts on it, or a unit above it (督办); a grid worker acts
/// only on the task sent down to them. Departments' acts are checked by `decide`.
fn check_holder(conn: &rusqlite::Connection, staff: &Staff, holding: &units::Holding) -> Result<(), AppError> {
    check_unit(conn, staff, holding, None)
}

/// `check_holder`, and for a review (复查, 复核) the level above the unit whose answer is
/// contested: the unit that replied, or for a re-review the unit that decided the 复查.
/// The county centre is the top of OneWindow: the level above it (the city) is not
/// here, so it decides the reviews of its own answers.
fn check_unit(
    conn: &rusqlite::Connection,
    staff: &Staff,
    holding: &units::Holding,
    action: Option<&Action>,
) -> Result<(), AppError> {
    if let Some(Action::DecideReview { .. }) = action {
        let (replied_by, reviewed_by) = store::review_units(conn, holding.case_id)?;
        let contested = reviewed_by.or(replied_by).unwrap_or(holding.unit.id);
        let above = units::unit(conn, contested)?.and_then(|u| u.parent_id).unwrap_or(contested);
        return if staff.unit.id == above { Ok(()) } else { Err(AppError::Client(ErrorCode::ReviewByLevelAbove)) };
    }
    let own_report = matches!(action, Some(Action::ResolveOnSpot { .. })) && holding.registered_by == Some(staff.id);
    let allowed = match staff.role {
        Role::Officer => true,
        Role::GridWorker => holding.grid_worker_id == Some(staff.id) || own_report,
        _ => staff.unit.id == holding.unit.id || units::is_below(conn, holding.unit.id, staff.unit.id)?,
    };
    if allowed { Ok(()) } else { Err(AppError::Client(ErrorCode::NotHolder)) }
}

/// Applies the resident's own action (rating, review request).
pub fn act_as_resident(conn: &rusqlite::Connection, act: &Act, action: &ResidentAction) -> Result<(), AppError> {
    let (facts, _) = store::facts(conn, act.case_id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    let transition = decide_resident(&facts, action, act.today(), act.calendar).map_err(AppError::Client)?;
    let errors = validate_resident_action(action);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let public_note = match action {
        ResidentAction::Rate { rating, reason } => {
            store::set_column(conn, act.case_id, "rating", &rating.code())?;
            if transition.opens_callback {
                let due = calendar::format(workflow::callback_due(act.calendar, act.today()));
                store::open_callback_task(conn, act.case_id, act.now_ms, &due, reason.trim())?;
                // What happens next and by when, on the resident's own timeline: the
                // page they read already shows event notes, so no app needs new code.
                let review_by = facts
                    .replied_on
                    .map(|d| calendar::format(workflow::review_request_due(act.calendar, d)))
                    .map(|d| format!("；如对答复意见不服，可在 {d} 前申请复查"))
                    .unwrap_or_default();
                format!("{}。中心将在 {due} 前与您联系回访，了解原因并研究处理{review_by}。", rating.label())
            } else {
                rating.label().to_string()
            }
        }
        ResidentAction::RequestReview { reason } if transition.event == EventKind::ReReviewRequested => {
            let due = calendar::format(workflow::review_due(act.calendar, act.today()));
            store::set_column(conn, act.case_id, "rereview_requested_at_ms", &act.now_ms)?;
            store::set_column(conn, act.case_id, "rereview_reason", &reason.trim())?;
            store::set_column(conn, act.case_id, "rereview_due_on", &due)?;
            String::new()
        }
        ResidentAction::RequestReview { reason } => {
            let due = calendar::format(workflow::review_due(act.calendar, act.today()));
            store::set_column(conn, act.case_id, "review_requested_at_ms", &act.now_ms)?;
            store::set_column(conn, act.case_id, "review_reason", &reason.trim())?;
            store::set_column(conn, act.case_id, "review_due_on", &due)?;
            String::new()
        }
    };
    let note = match action {
        ResidentAction::RequestReview { reason } => reason.trim().to_string(),
        // The reason stays inside (the event's staff note and the callback task).
        ResidentAction::Rate { rating, reason } if !reason.trim().is_empty() => {
            format!("{}：{}", rating.label(), reason.trim())
        }
        ResidentAction::Rate { rating, .. } => rating.label().to_string(),
    };
    finish(conn, act, &transition, &Who { name: RESIDENT, staff_id: None, unit: RESIDENT }, &note, &public_note)?;
    if transition.opens_callback {
        let event = NewEvent {
            kind: EventKind::CallbackOpened,
            from: transition.to,
            note: "群众评价不满意，需回访",
            public_note: "",
            actor: CENTRE,
            staff_id: None,
            unit: CENTRE,
            case_id: act.case_id,
            at_ms: act.now_ms,
            to: transition.to,
        };
        store::append_event(conn, &event)?;
    }
    Ok(())
}

struct Who<'a> {
    name: &'a str,
    staff_id: Option<i64>,
    unit: &'a str,
}

/// Records the new state, the current clock and the event.
fn finish(
    conn: &rusqlite::Connection,
    act: &Act,
    transition: &Transition,
    who: &Who,
    note: &str,
    public_note: &str,
) -> Result<(), AppError> {
    let (_, clocks) = store::facts(conn, act.case_id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    let department_due = store::earliest_open_dispatch_due(conn, act.case_id)?;
    let due = current_due(transition.to, &clocks, department_due);
    store::set_state(conn, act.case_id, transition.to, due.as_deref())?;
    store::append_event(
        conn,
        &NewEvent {
            case_id: act.case_id,
            at_ms: act.now_ms,
            actor: who.name,
            staff_id: who.staff_id,
            unit: who.unit,
            kind: transition.event,
            from: transition.from,
            to: transition.to,
            note,
            public_note,
        },
    )?;
    // The resident's text about it, in the same transaction as the event.
    crate::messages::on_case_event(conn, act.case_id, transition.event, act.now_ms)
}

/// The last day of the step a case is in; None when no clock runs (waiting for the
/// resident, or finished). While departments work on it, the earliest due date the
/// centre gave a department that has not answered yet, if that comes before the
/// legal limit: a department late on its part makes the case overdue.
pub fn current_due(state: CaseState, clocks: &CaseClocks, department_due: Option<String>) -> Option<String> {
    match state {
        CaseState::Registered => Some(clocks.acceptance_due_on.clone()),
        CaseState::Dispatched => match (clocks.handling_due_on.clone(), department_due) {
            (Some(legal), Some(part)) => Some(legal.min(part)),
            (legal, part) => legal.or(part),
        },
        CaseState::Accepted | CaseState::Responded => clocks.handling_due_on.clone(),
        CaseState::UnderReview => clocks.rereview_due_on.clone().or_else(|| clocks.review_due_on.clone()),
        CaseState::Declined | CaseState::Replied | CaseState::Closed => None,
    }
}

/// Writes what the action itself changes; returns (staff note, resident's note).
fn apply(
    conn: &rusqlite::Connection,
    act: &Act,
    staff: &Staff,
    action: &Action,
    clocks: &CaseClocks,
    holding: &units::Holding,
) -> Result<(String, String), AppError> {
    let case_id = act.case_id;
    let today = act.today();
    Ok(match action {
        Action::Accept { note } => {
            let due = calendar::format(workflow::handling_due(act.calendar, today, 0));
            store::set_column(conn, case_id, "accepted_on", &calendar::format(today))?;
            store::set_column(conn, case_id, "handling_due_on", &due)?;
            let public = format!("您的诉求已受理，依法将于 {due} 前办结。{}", note.trim());
            (note.trim().to_string(), public.trim().to_string())
        }
        Action::Decline { route, reason } => {
            let route = route.ok_or_else(|| field("route", ErrorCode::Required))?;
            store::set_column(conn, case_id, "decline_route", &serde_code(&route))?;
            store::set_column(conn, case_id, "decline_reason", &reason.trim())?;
            let public = format!("不予受理。请通过{}途径解决。理由：{}", route.label(), reason.trim());
            (reason.trim().to_string(), public)
        }
        Action::Dispatch { department_ids, due_on, note } => {
            let names = store::department_names(conn, department_ids)?
                .ok_or_else(|| field("department_ids", ErrorCode::DepartmentUnknown))?;
            // 派单 goes to departments of the case's level or above: a county centre's
            // case to county bureaus, a township's to its stations or the county's.
            if store::lowest_department_level(conn, department_ids)?.is_some_and(|level| level < holding.unit.level) {
                return Err(field("department_ids", ErrorCode::DepartmentUnknown));
            }
            let objection_due = calendar::format(workflow::objection_due(act.calendar, today));
            for department_id in department_ids {
                store::insert_dispatch(conn, case_id, *department_id, act.now_ms, due_on, &objection_due)?;
            }
            let names = names.join("、");
            (format!("派单至 {names}，办理期限 {due_on}。{}", note.trim()), format!("已派单至 {names} 办理"))
        }
        Action::Take { dispatch_id } => {
            store::update_dispatch(conn, *dispatch_id, workflow::DispatchState::Taken, None, None, act.now_ms)?;
            (String::new(), String::new())
        }
        Action::Object { dispatch_id, reason } => {
            // Waits for the centre's 核实同意; the department still holds its part.
            let reason = reason.trim();
            store::set_objection_pending(conn, *dispatch_id, true, Some(reason), act.now_ms)?;
            (reason.to_string(), String::new())
        }
        Action::DecideObjection { dispatch_id, agree, note } => {
            store::set_objection_pending(conn, *dispatch_id, false, None, act.now_ms)?;
            if *agree {
                store::update_dispatch(conn, *dispatch_id, workflow::DispatchState::Objected, None, None, act.now_ms)?;
            }
            let verdict =
                if *agree { "核实同意，退回重新派单" } else { "不予同意，仍由该部门办理" };
            (format!("{verdict}。{}", note.trim()).trim().to_string(), String::new())
        }
        Action::Progress { note, .. } => (note.trim().to_string(), String::new()),
        Action::Respond { dispatch_id, response } => {
            let response = response.trim();
            store::update_dispatch(
                conn,
                *dispatch_id,
                workflow::DispatchState::Responded,
                None,
                Some(response),
                act.now_ms,
            )?;
            (response.to_string(), String::new())
        }
        Action::RecordMediation { outcome } => {
            let json = serde_json::to_string(outcome).map_err(|e| AppError::Internal(e.to_string()))?;
            store::set_column(conn, case_id, "mediation_outcome", &json)?;
            (outcome.public_summary(), outcome.public_summary())
        }
        Action::Extend { days, reason } => {
            let accepted_on = clocks.accepted_on.as_deref().and_then(calendar::parse).unwrap_or(today);
            let due = calendar::format(workflow::handling_due(act.calendar, accepted_on, *days));
            store::set_column(conn, case_id, "extension_days", days)?;
            store::set_column(conn, case_id, "extension_reason", &reason.trim())?;
            store::set_column(conn, case_id, "handling_due_on", &due)?;
            let public = format!("办理期限延长 {days} 日，至 {due}。原因：{}", reason.trim());
            (public.clone(), public)
        }
        Action::TakeAsLeader => {
            store::set_column(conn, case_id, "leader_id", &staff.id)?;
            (format!("{} 包案", staff.display_name), String::new())
        }
        Action::Reply { reply } => {
            store::set_column(conn, case_id, "reply", &reply.trim())?;
            store::set_column(conn, case_id, "replied_on", &calendar::format(today))?;
            store::set_column(conn, case_id, "replied_by_unit_id", &holding.unit.id)?;
            (reply.trim().to_string(), reply.trim().to_string())
        }
        Action::CompleteCallback { note } => {
            let id = store::open_callback(conn, case_id)?.ok_or(AppError::Client(ErrorCode::TransitionNotAllowed))?;
            store::complete_callback_task(conn, id, staff.id, act.now_ms, note.trim())?;
            (note.trim().to_string(), String::new())
        }
        Action::DecideReview { decision } => {
            let (_, reviewed_by) = store::review_units(conn, case_id)?;
            if reviewed_by.is_some() {
                store::set_column(conn, case_id, "rereview_decision", &decision.trim())?;
            } else {
                store::set_column(conn, case_id, "review_decision", &decision.trim())?;
                store::set_column(conn, case_id, "review_decided_on", &calendar::format(today))?;
                store::set_column(conn, case_id, "review_unit_id", &staff.unit.id)?;
            }
            (decision.trim().to_string(), decision.trim().to_string())
        }
        Action::AssignDown { unit_id, reason, due_on } | Action::ReportUp { unit_id, reason, due_on } => {
            let down = matches!(action, Action::AssignDown { .. });
            let target = units::unit(conn, *unit_id)?.ok_or_else(|| field("unit_id", ErrorCode::UnitUnknown))?;
            let fits = if down {
                units::is_below(conn, target.id, holding.unit.id)?
            } else {
                units::is_below(conn, holding.unit.id, target.id)?
            };
            if !fits {
                return Err(field("unit_id", ErrorCode::UnitUnknown));
            }
            let kind = if down { HandOverKind::AssignDown } else { HandOverKind::ReportUp };
            record_hand_over(conn, act, staff, holding, kind, target.id, None, reason.trim(), due_on)?;
            let note = format!("{}至 {}，期限 {due_on}。理由：{}", kind.label(), target.name, reason.trim());
            (note, format!("已转至{}办理", target.name))
        }
        Action::SendToGrid { staff_id, reason, due_on } => {
            let worker = units::grid_workers_under(conn, &holding.unit)?
                .into_iter()
                .find(|w| w.staff_id == *staff_id)
                .ok_or_else(|| field("staff_id", ErrorCode::UnitUnknown))?;
            let station = units::grid_village(conn, worker.grid_id)?
                .map(|(village, _)| units::village_station(conn, village))
                .transpose()?
                .flatten()
                .map_or(holding.unit.id, |u| u.id);
            let (kind, reason) = (HandOverKind::SendToGrid, reason.trim());
            record_hand_over(conn, act, staff, holding, kind, station, Some(worker.staff_id), reason, due_on)?;
            let note = format!("下派网格员 {}（{}），期限 {due_on}。{reason}", worker.display_name, worker.grid_name);
            (note, String::new())
        }
        Action::GridDone { note } => {
            units::grid_task_done(conn, case_id, note.trim(), act.now_ms)?;
            (note.trim().to_string(), String::new())
        }
        Action::ResolveOnSpot { parties, agreement } => {
            let outcome =
                MediationOutcome::Settled { agreement: agreement.trim().to_string(), judicial_confirmation_on: None };
            let json = serde_json::to_string(&outcome).map_err(|e| AppError::Internal(e.to_string()))?;
            let public = format!("矛盾纠纷已由{}就地化解，{}。", holding.unit.name, outcome.public_summary());
            store::set_column(conn, case_id, "mediation_outcome", &json)?;
            store::set_column(conn, case_id, "reply", &public)?;
            store::set_column(conn, case_id, "replied_on", &calendar::format(today))?;
            store::set_column(conn, case_id, "replied_by_unit_id", &holding.unit.id)?;
            store::set_column(conn, case_id, "resolved_on_spot", &1)?;
            (format!("当事人：{}。协议内容：{}", parties.trim(), agreement.trim()), public)
        }
    })
}

/// Records a hand-over (its own row, for the task lists) and moves the case.
#[allow(clippy::too_many_arguments)]
fn record_hand_over(
    conn: &rusqlite::Connection,
    act: &Act,
    staff: &Staff,
    holding: &units::Holding,
    kind: HandOverKind,
    to_unit_id: i64,
    to_staff_id: Option<i64>,
    reason: &str,
    due_on: &str,
) -> Result<(), AppError> {
    units::hand_over(
        conn,
        &units::NewHandOver {
            case_id: act.case_id,
            kind,
            from_unit_id: holding.unit.id,
            to_unit_id,
            to_staff_id,
            reason,
            due_on,
            at_ms: act.now_ms,
            staff_id: staff.id,
        },
    )
}

fn field(name: &str, code: ErrorCode) -> AppError {
    AppError::Validation(vec![FieldError::new(name, code)])
}

/// The serde code of a unit enum (e.g. `administrative_review`).
fn serde_code<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A case as this member of staff may see it: officers only their departments' cases
/// (others are "not found"), personal data cut to the role, the clocks and the
/// actions they can take now.
pub fn view(conn: &rusqlite::Connection, act: &Act, staff: &Staff) -> Result<CaseDetail, AppError> {
    let not_found = || AppError::Client(ErrorCode::NotFound);
    let (facts, clocks) = store::facts(conn, act.case_id)?.ok_or_else(not_found)?;
    // Administrators run accounts and the calendar; they handle no case.
    staff.require(Role::CASE_HANDLERS)?;
    let holding = units::holding(conn, act.case_id)?.ok_or_else(not_found)?;
    if !may_see(conn, staff, act.case_id, &facts, &holding)? {
        return Err(not_found());
    }
    let mut detail = case_detail::load(conn, act.case_id)?.ok_or_else(not_found)?;
    detail.unit = Some(units::named(&holding.unit));
    detail.handovers = units::handovers(conn, act.case_id)?;
    let today = act.today();
    detail.deadlines = deadlines(&facts, &clocks, act.calendar);
    detail.due_on = current_due(facts.state, &clocks, store::earliest_open_dispatch_due(conn, act.case_id)?);
    detail.urgency = queue::flag(detail.due_on.as_deref(), today);
    let actor = Actor { role: staff.role, department_id: staff.department_id };
    detail.available_actions = workflow::available_actions(&facts, actor, today);
    offer_only_what_the_unit_can(conn, staff, &holding, &mut detail.available_actions)?;
    let withhold = objected_away(staff, &facts);
    detail.can_reveal_contact = !withhold && workflow::may_reveal(staff.role, detail.identity_protected);
    redact(&mut detail, staff.role, withhold);
    Ok(detail)
}

/// Drops the buttons the caller's unit cannot use on this case: every centre act when
/// it neither holds the case nor stands above its holder, a grid worker's "done" on
/// another's task, and hand-overs with nowhere to go.
fn offer_only_what_the_unit_can(
    conn: &rusqlite::Connection,
    staff: &Staff,
    holding: &units::Holding,
    actions: &mut Vec<ActionKind>,
) -> Result<(), AppError> {
    if check_holder(conn, staff, holding).is_err() {
        actions.retain(|kind| kind.roles().contains(&Role::Officer));
        return Ok(());
    }
    let review = Action::DecideReview { decision: String::new() };
    if actions.contains(&ActionKind::DecideReview) && check_unit(conn, staff, holding, Some(&review)).is_err() {
        actions.retain(|kind| *kind != ActionKind::DecideReview);
    }
    let targets = units::hand_over_targets(conn, &holding.unit)?;
    actions.retain(|kind| match kind {
        ActionKind::AssignDown => !targets.down.is_empty(),
        ActionKind::SendToGrid => !targets.grid_workers.is_empty(),
        ActionKind::ReportUp => !targets.up.is_empty(),
        _ => true,
    });
    Ok(())
}

/// A department that objected has no part any more: it keeps the record of what it
/// did, but not the resident's contact.
fn objected_away(staff: &Staff, facts: &CaseFacts) -> bool {
    staff.role == Role::Officer
        && !facts.dispatches.iter().any(|d| Some(d.department_id) == staff.department_id && d.state.is_active())
}

/// 查看完整号码: the full phone and ID number for a role that must reach the resident,
/// recorded as an event with who and when. Anyone else is refused (403), as is an
/// officer of a case not theirs (404, like every case outside their department).
pub fn reveal_contact(conn: &rusqlite::Connection, act: &Act, staff: &Staff) -> Result<ContactView, AppError> {
    let detail = view(conn, act, staff)?;
    if !detail.can_reveal_contact {
        return Err(AppError::Client(ErrorCode::Forbidden));
    }
    let full = case_detail::load(conn, act.case_id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    record_in_place(conn, act, staff, acting_unit(staff), EventKind::ContactRevealed, detail.state, "查看完整号码")?;
    Ok(ContactView { mobile: full.mobile, id_number: full.id_number })
}

/// 重新生成查询码 (clerks, after checking the visitor's identity at the window): a new
/// code replaces the old, which stops working; recorded as an event. Answers the
/// receipt to print, with the new code.
pub fn reissue_query_code(
    conn: &rusqlite::Connection,
    act: &Act,
    staff: &Staff,
    identity_checked: bool,
) -> Result<Receipt, AppError> {
    staff.require(&[Role::Clerk])?;
    if !identity_checked {
        return Err(AppError::Validation(vec![FieldError::new("identity_checked", ErrorCode::IdentityNotChecked)]));
    }
    let detail = view(conn, act, staff)?;
    let full = case_detail::load(conn, act.case_id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    let query_code = crate::intake::new_query_code();
    crate::db::cases::set_query_code_hash(
        conn,
        act.case_id,
        &crate::intake::query_code_hash(&detail.tracking_no, &query_code),
    )?;
    record_in_place(
        conn,
        act,
        staff,
        acting_unit(staff),
        EventKind::QueryCodeReissued,
        detail.state,
        "已在窗口核对来访人身份，原查询码作废",
    )?;
    // The receipt shows the clock that runs now, as the first receipt did.
    let (facts, clocks) = store::facts(conn, act.case_id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    let deadlines = crate::tracking::current_deadlines(&facts, &clocks, act.calendar);
    Ok(Receipt {
        tracking_no: detail.tracking_no,
        query_code,
        submitted_at: detail.submitted_at,
        case_type: detail.case_type,
        title: detail.title,
        township: detail.township,
        village: detail.village,
        state: detail.state,
        contact_name_masked: mask_name(&full.contact_name),
        mobile_masked: mask_mobile(&full.mobile),
        photo_count: detail.photo_ids.len() as u32,
        identity_protected: detail.identity_protected,
        deadlines,
    })
}

/// Every clock that applies to the case now, with its last day.
fn deadlines(facts: &CaseFacts, clocks: &CaseClocks, calendar: &Calendar) -> Vec<Deadline> {
    let mut list = vec![Deadline { kind: DeadlineKind::AcceptanceNotice, due_on: clocks.acceptance_due_on.clone() }];
    if let Some(due_on) = clocks.handling_due_on.clone() {
        list.push(Deadline { kind: DeadlineKind::Handling, due_on });
    }
    if let Some(replied_on) = facts.replied_on {
        let due_on = calendar::format(workflow::review_request_due(calendar, replied_on));
        list.push(Deadline { kind: DeadlineKind::ReviewRequest, due_on });
    }
    if let Some(due_on) = clocks.review_due_on.clone() {
        list.push(Deadline { kind: DeadlineKind::Review, due_on });
    }
    list
}

/// Cuts personal data to what the role needs (`workflow::contact_visibility`);
/// `withhold` hides the contact altogether.
pub fn redact(detail: &mut CaseDetail, role: Role, withhold: bool) {
    let (contact, id_number) = if withhold {
        (Visibility::Hidden, Visibility::Hidden)
    } else {
        workflow::contact_visibility(role, detail.identity_protected)
    };
    if matches!(role, Role::Officer | Role::GridWorker) {
        // A linked case may be the same person's other case (or an accusation): a
        // department follows only what was dispatched to it.
        detail.linked_case = None;
        // An accuser's material never reaches the accused (信访工作条例 Art.30, 46): a
        // photo can show who took it, and where from.
        if detail.identity_protected {
            detail.photo_ids.clear();
        }
    }
    // The phone is masked for every role (the notice promises it); the full number
    // only through `reveal_contact`, which is recorded.
    match contact {
        Visibility::Full => detail.mobile = mask_mobile(&detail.mobile),
        Visibility::Masked => {
            detail.contact_name = mask_name(&detail.contact_name);
            detail.mobile = mask_mobile(&detail.mobile);
        }
        Visibility::Hidden => {
            detail.contact_name = WITHHELD.into();
            detail.mobile = WITHHELD.into();
            detail.representatives = detail.representatives.iter().map(|_| WITHHELD.to_string()).collect();
            if !detail.postal_address.is_empty() {
                detail.postal_address = WITHHELD.into();
            }
        }
    }
    if !detail.id_number.is_empty() {
        match id_number {
            Visibility::Full => {}
            Visibility::Masked => detail.id_number = mask_id_number(&detail.id_number),
            Visibility::Hidden => detail.id_number = WITHHELD.into(),
        }
    }
}

/// A case's text messages, for a member of staff who may see the case: the text as
/// sent, the mobile masked, the delivery state.
pub fn messages(
    conn: &rusqlite::Connection,
    act: &Act,
    staff: &Staff,
    sign_name: &str,
) -> Result<Vec<MessageView>, AppError> {
    view(conn, act, staff)?;
    let rows = crate::db::messages::for_case(conn, act.case_id)?;
    Ok(rows.iter().map(|m| message_view(m, sign_name)).collect())
}

fn message_view(m: &crate::db::messages::MessageRow, sign_name: &str) -> MessageView {
    let params: crate::messages::Params = serde_json::from_str(&m.params).unwrap_or_default();
    let waiting = matches!(m.state, MessageState::Queued | MessageState::Failed);
    MessageView {
        id: m.id,
        template: m.template.clone(),
        text: crate::messages::render(&m.template, &params, sign_name, ""),
        mobile_masked: mask_mobile(&m.mobile),
        state: m.state,
        attempts: m.attempts,
        created_at: clock::format_minute(m.created_at_ms),
        next_attempt_at: waiting.then(|| clock::format_minute(m.next_attempt_at_ms)),
        delivered_at: m.delivered_at_ms.map(clock::format_minute),
        last_error: m.last_error.clone(),
        resent_from: m.resent_from,
    }
}

/// 重发短信 (centre staff): a message that could not be delivered is sent again as a
/// new message, recorded as an event. Answers the new message.
pub fn resend_message(
    conn: &rusqlite::Connection,
    act: &Act,
    staff: &Staff,
    message_id: i64,
    sign_name: &str,
) -> Result<MessageView, AppError> {
    staff.require(Role::CENTRE)?;
    let detail = view(conn, act, staff)?;
    let id = crate::messages::resend(conn, act.case_id, message_id, act.now_ms)?;
    record_in_place(
        conn,
        act,
        staff,
        CENTRE,
        EventKind::MessageResent,
        detail.state,
        &format!("重发短信（原短信 {message_id}）"),
    )?;
    let row = crate::db::messages::by_id(conn, id)?.ok_or_else(|| AppError::Internal("message vanished".into()))?;
    Ok(message_view(&row, sign_name))
}

/// Recomputes every running clock on the calendar as it now is: after an edit of the
/// holiday calendar, deadlines already set must follow it (a holiday added later,
/// e.g. next year's official calendar, moves a deadline that ends on it).
/// Returns how many open cases were looked at.
pub fn recompute_clocks(conn: &rusqlite::Connection) -> Result<usize, AppError> {
    let calendar = crate::db::holidays::calendar(conn)?;
    let date = |ms: i64| clock::date_of(ms);
    let fmt = calendar::format;
    let open = store::open_cases(conn)?;
    for case in &open {
        let acceptance = fmt(workflow::acceptance_due(&calendar, date(case.created_at_ms)));
        store::set_column(conn, case.id, "acceptance_due_on", &acceptance)?;
        if let Some(accepted) = case.accepted_on.as_deref().and_then(calendar::parse) {
            let handling = fmt(workflow::handling_due(&calendar, accepted, case.extension_days.unwrap_or(0)));
            store::set_column(conn, case.id, "handling_due_on", &handling)?;
        }
        if let Some(at) = case.review_requested_at_ms {
            store::set_column(conn, case.id, "review_due_on", &fmt(workflow::review_due(&calendar, date(at))))?;
        }
        for (dispatch, at) in store::pending_dispatches(conn, case.id)? {
            store::set_objection_due(conn, dispatch, &fmt(workflow::objection_due(&calendar, date(at))))?;
        }
    }
    for (task, at) in store::open_callback_tasks(conn)? {
        store::set_callback_due(conn, task, &fmt(workflow::callback_due(&calendar, date(at))))?;
    }
    for case in &open {
        let (_, clocks) = store::facts(conn, case.id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
        let due = current_due(case.state, &clocks, store::earliest_open_dispatch_due(conn, case.id)?);
        store::set_state(conn, case.id, case.state, due.as_deref())?;
    }
    Ok(open.len())
}

/// Records an act on a case that leaves its state as it is and that the resident is
/// told of (补正 asked for, materials sent): `actor`, `staff_id`, `unit` as on any event.
/// Sends the event's text message, as transitions do.
pub(crate) fn record_public_in_place(
    conn: &rusqlite::Connection,
    act: &Act,
    (actor, staff_id, unit): (&str, Option<i64>, &str),
    kind: EventKind,
    state: CaseState,
    (note, public_note): (&str, &str),
) -> Result<(), AppError> {
    store::append_event(
        conn,
        &NewEvent {
            case_id: act.case_id,
            at_ms: act.now_ms,
            actor,
            staff_id,
            unit,
            kind,
            from: state,
            to: state,
            note,
            public_note,
        },
    )?;
    crate::messages::on_case_event(conn, act.case_id, kind, act.now_ms)
}

/// `record_in_place` for other modules' acts (a notice delivered), in the centre's name.
pub(crate) fn record_staff_in_place(
    conn: &rusqlite::Connection,
    act: &Act,
    staff: &Staff,
    kind: EventKind,
    state: CaseState,
    note: &str,
) -> Result<(), AppError> {
    record_in_place(conn, act, staff, CENTRE, kind, state, note)
}

/// Records an act on a case that leaves its state as it is (a number revealed, a query
/// code reissued): who, when, what, in the same append-only log as every transition.
fn record_in_place(
    conn: &rusqlite::Connection,
    act: &Act,
    staff: &Staff,
    unit: &str,
    kind: EventKind,
    state: CaseState,
    note: &str,
) -> Result<(), AppError> {
    store::append_event(
        conn,
        &NewEvent {
            case_id: act.case_id,
            at_ms: act.now_ms,
            actor: &staff.display_name,
            staff_id: Some(staff.id),
            unit,
            kind,
            from: state,
            to: state,
            note,
            public_note: "",
        },
    )
}
