//! A legal-aid application taken at an appointment becomes an application with the
//! statute's clocks (法律援助法 Art.43–44): received → approved (a lawyer within 3 days)
//! or refused (in writing, with reasons) within 7 days; an urgent matter may get its
//! lawyer before the decision. Knows nothing of HTTP.

use crate::booking::settings;
use crate::clock;
use crate::db::booking as bookings;
use crate::db::legal_aid::{self as store, Application, NewApplication};
use crate::error::AppError;
use ow_shared::ErrorCode;
use ow_shared::booking::{
    BookingStatus, LegalAidCase, LegalAidDecision, LegalAidState, OpenLegalAid, PrecheckResult, assignment_due,
    check_assignment, decision_due, precheck,
};
use ow_shared::calendar::{self, Calendar, urgency};
use rusqlite::Connection;

/// Who acts, when, on which calendar.
pub struct Act<'a> {
    pub staff_id: i64,
    pub now_ms: i64,
    pub calendar: &'a Calendar,
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

fn internal(what: &str) -> AppError {
    AppError::Internal(what.into())
}

/// Opens the application of a booking's applicant, checking them in if not yet; the
/// pre-check of the day is kept as advice for the reviewer. One per booking.
pub fn open(conn: &Connection, booking_id: i64, request: &OpenLegalAid, act: &Act) -> Result<LegalAidCase, AppError> {
    let booking = bookings::by_id(conn, booking_id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    if store::of_booking(conn, booking_id)?.is_some() {
        return Err(AppError::Client(ErrorCode::TransitionNotAllowed));
    }
    match booking.status {
        BookingStatus::CheckedIn => {}
        BookingStatus::Booked => {
            bookings::set_status(conn, booking_id, &[BookingStatus::Booked], BookingStatus::CheckedIn, act.now_ms)?;
            bookings::record(conn, booking_id, act.now_ms, &act.staff_id.to_string(), "checked_in", "")?;
        }
        _ => return Err(AppError::Client(ErrorCode::TransitionNotAllowed)),
    }
    let today = clock::date_of(act.now_ms);
    let result = precheck(&request.answers, settings(conn)?.income_threshold, today);
    let id = store::insert(
        conn,
        &NewApplication {
            booking_id,
            answers_json: &json(&request.answers)?,
            precheck_json: &json(&result)?,
            note: request.note.trim(),
            received_on: &calendar::format(today),
            decision_due_on: &calendar::format(decision_due(act.calendar, today)),
            created_by: act.staff_id,
            now_ms: act.now_ms,
        },
    )?;
    bookings::record(conn, booking_id, act.now_ms, &act.staff_id.to_string(), "legal_aid_opened", &id.to_string())?;
    view(conn, id, act.now_ms)
}

/// Decides: approval starts the 3-day clock for a lawyer; a refusal carries its reasons.
pub fn decide(conn: &Connection, id: i64, decision: &LegalAidDecision, act: &Act) -> Result<LegalAidCase, AppError> {
    let app = store::by_id(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    if app.state != LegalAidState::Received {
        return Err(AppError::Client(ErrorCode::TransitionNotAllowed));
    }
    let today = clock::date_of(act.now_ms);
    let (to, lawyer_due) = if decision.approve {
        (LegalAidState::Approved, Some(calendar::format(assignment_due(act.calendar, today))))
    } else {
        (LegalAidState::Refused, None)
    };
    let reasons = decision.reasons.trim();
    if !store::decide(conn, id, to, &calendar::format(today), lawyer_due.as_deref(), reasons, act.now_ms)? {
        return Err(AppError::Client(ErrorCode::CaseChanged));
    }
    bookings::record(conn, app.booking_id, act.now_ms, &act.staff_id.to_string(), to.code(), reasons)?;
    view(conn, id, act.now_ms)
}

/// Assigns the lawyer: after approval, or at once when the matter is urgent (Art.44).
pub fn assign(conn: &Connection, id: i64, lawyer: &str, act: &Act) -> Result<LegalAidCase, AppError> {
    let app = store::by_id(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    check_assignment(app.state, precheck_of(&app)?.urgent)?;
    if !store::assign(conn, id, app.state, lawyer.trim(), act.now_ms)? {
        return Err(AppError::Client(ErrorCode::CaseChanged));
    }
    bookings::record(conn, app.booking_id, act.now_ms, &act.staff_id.to_string(), "lawyer_assigned", lawyer.trim())?;
    view(conn, id, act.now_ms)
}

fn precheck_of(app: &Application) -> Result<PrecheckResult, AppError> {
    serde_json::from_str(&app.precheck_json).map_err(|e| AppError::Internal(e.to_string()))
}

/// The application as the console shows it, with the running clock's urgency.
pub fn view(conn: &Connection, id: i64, now_ms: i64) -> Result<LegalAidCase, AppError> {
    let app = store::by_id(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    let precheck = precheck_of(&app)?;
    let today = clock::date_of(now_ms);
    let running = match app.state {
        LegalAidState::Received if app.paused_since.is_some() => None,
        LegalAidState::Received => Some(app.decision_due_on.as_str()),
        LegalAidState::Approved => app.lawyer_due_on.as_deref(),
        LegalAidState::Refused | LegalAidState::Assigned | LegalAidState::Withdrawn => None,
    };
    let urgency = running.and_then(calendar::parse).map(|due| urgency(due, today));
    Ok(LegalAidCase {
        id: app.id,
        booking_code: app.booking_code,
        applicant_name: app.applicant_name,
        mobile: app.mobile,
        state: app.state,
        answers: serde_json::from_str(&app.answers_json).map_err(|_| internal("stored answers"))?,
        may_start_before_decision: precheck.urgent && app.state == LegalAidState::Received,
        precheck,
        note: app.note,
        received_on: app.received_on,
        decision_due_on: app.decision_due_on,
        decided_on: app.decided_on,
        lawyer_due_on: app.lawyer_due_on,
        lawyer: app.lawyer,
        refusal_reasons: app.refusal_reasons,
        urgency,
        materials: serde_json::from_str(&app.materials_json).unwrap_or_default(),
        materials_due_on: app.materials_due_on,
        paused_since: app.paused_since,
        paused_days: app.paused_days.max(0) as u32,
    })
}

/// 补正 (Art.43): asks the applicant for everything missing at once, by a date within 30
/// days, and texts them; the 7-day decision clock pauses until the materials arrive.
pub fn request_materials(
    conn: &Connection,
    id: i64,
    request: &ow_shared::materials::RequestMaterials,
    act: &Act,
) -> Result<LegalAidCase, AppError> {
    use ow_shared::FieldError;
    let app = store::by_id(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    let mut errors = ow_shared::materials::validate_request(request);
    let today = clock::date_of(act.now_ms);
    let due = calendar::parse(request.due_on.trim())
        .filter(|d| *d > today && *d <= clock::add_days(today, crate::materials::MAX_DAYS));
    if due.is_none() {
        errors.push(FieldError::new("due_on", ErrorCode::DueDateInvalid));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let items = ow_shared::materials::clean_items(&request.items);
    let due_on = request.due_on.trim();
    if !store::pause_for_materials(conn, id, &json(&items)?, due_on, &calendar::format(today), act.now_ms)? {
        return Err(AppError::Client(ErrorCode::MaterialsNotRequestable));
    }
    let list: Vec<String> = items.iter().enumerate().map(|(n, item)| format!("{}. {item}", n + 1)).collect();
    let note = format!("{due_on} 前：{}", list.join("；"));
    bookings::record(conn, app.booking_id, act.now_ms, &act.staff_id.to_string(), "materials_requested", &note)?;
    crate::messages::on_legal_aid_materials(conn, app.booking_id, items.len(), due_on, act.now_ms)?;
    view(conn, id, act.now_ms)
}

/// The materials arrived: the decision clock resumes, its due date moved by the days it
/// was paused (they do not count, Art.43).
pub fn materials_received(conn: &Connection, id: i64, act: &Act) -> Result<LegalAidCase, AppError> {
    let app = store::by_id(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    // Withdrawn by silence (Art.43): too late; a new application starts afresh.
    if app.state == LegalAidState::Withdrawn {
        return Err(AppError::Client(ErrorCode::TransitionNotAllowed));
    }
    let since = app
        .paused_since
        .as_deref()
        .and_then(calendar::parse)
        .ok_or(AppError::Client(ErrorCode::MaterialsNotRequested))?;
    let received = calendar::parse(&app.received_on).ok_or_else(|| internal("stored received_on"))?;
    let today = clock::date_of(act.now_ms);
    let paused_days = app.paused_days + (today - since).whole_days().max(0);
    let due = decision_due(act.calendar, clock::add_days(received, paused_days));
    if !store::resume(conn, id, paused_days, &calendar::format(due), act.now_ms)? {
        return Err(AppError::Client(ErrorCode::CaseChanged));
    }
    let note = format!("暂停 {} 日，决定期限顺延至 {}", paused_days - app.paused_days, calendar::format(due));
    bookings::record(conn, app.booking_id, act.now_ms, &act.staff_id.to_string(), "materials_received", &note)?;
    view(conn, id, act.now_ms)
}

/// 法律援助法 Art.43: an applicant who has not sent the materials asked for by the set day
/// is taken to have withdrawn the application. Run by the housekeeping job; each
/// withdrawal is an event of the booking. Answers how many were withdrawn.
pub fn withdraw_silent(conn: &Connection, now_ms: i64) -> Result<usize, AppError> {
    let today = calendar::format(clock::date_of(now_ms));
    let overdue = store::awaiting_materials_past(conn, &today)?;
    for (id, booking_id, due_on) in &overdue {
        if store::withdraw(conn, *id, now_ms)? {
            let note = format!("补正期限 {due_on} 届满未补齐材料，视为撤回申请（《法律援助法》第四十三条）");
            bookings::record(conn, *booking_id, now_ms, "system", "legal_aid_withdrawn", &note)?;
        }
    }
    Ok(overdue.len())
}
