//! Looking a case up by tracking number and query code, and the resident's own acts
//! on it (rating, review). Knows nothing of HTTP.

use crate::clock;
use crate::db::{cases, workflow as store};
use crate::error::AppError;
use crate::intake::query_code_hash;
use ow_shared::calendar::{self, Calendar};
use ow_shared::case::CaseState;
use ow_shared::dto::{Deadline, DeadlineKind, TrackResponse};
use ow_shared::workflow::{self, Rating, ResidentAction, decide_resident};
use rusqlite::Connection;
use time::Date;

/// The case's id when the number exists AND the code is right; None otherwise: the
/// two failures are indistinguishable to the caller.
pub fn authenticate(conn: &Connection, tracking_no: &str, query_code: &str) -> Result<Option<i64>, AppError> {
    let Some(case) = cases::find_for_tracking(conn, tracking_no)? else {
        return Ok(None);
    };
    Ok((case.query_code_hash == query_code_hash(tracking_no, query_code)).then_some(case.id))
}

/// The public view of a case, or None when the number is unknown or the code is wrong.
pub fn lookup(
    conn: &Connection,
    tracking_no: &str,
    query_code: &str,
    calendar: &Calendar,
    today: Date,
) -> Result<Option<TrackResponse>, AppError> {
    let Some(case) = cases::find_for_tracking(conn, tracking_no)? else {
        return Ok(None);
    };
    if case.query_code_hash != query_code_hash(tracking_no, query_code) {
        return Ok(None);
    }
    view_of(conn, case, calendar, today).map(Some)
}

/// What the resident sees of a case (no staff names, no internal notes).
pub fn public_view(
    conn: &Connection,
    tracking_no: &str,
    calendar: &Calendar,
    today: Date,
) -> Result<Option<TrackResponse>, AppError> {
    match cases::find_for_tracking(conn, tracking_no)? {
        Some(case) => view_of(conn, case, calendar, today).map(Some),
        None => Ok(None),
    }
}

/// The clock that runs now, as the resident is told it (none once the case is closed
/// and no review can be asked for).
pub fn current_deadlines(
    facts: &workflow::CaseFacts,
    clocks: &store::CaseClocks,
    calendar: &Calendar,
) -> Vec<Deadline> {
    let mut deadlines = Vec::new();
    let mut push = |kind, due_on: Option<String>| {
        if let Some(due_on) = due_on {
            deadlines.push(Deadline { kind, due_on });
        }
    };
    match facts.state {
        CaseState::Registered => push(DeadlineKind::AcceptanceNotice, Some(clocks.acceptance_due_on.clone())),
        CaseState::Accepted | CaseState::Dispatched | CaseState::Responded => {
            push(DeadlineKind::Handling, clocks.handling_due_on.clone())
        }
        CaseState::UnderReview => push(DeadlineKind::Review, clocks.review_due_on.clone()),
        CaseState::Replied | CaseState::Closed if !facts.review_requested => push(
            DeadlineKind::ReviewRequest,
            facts.replied_on.map(|d| calendar::format(workflow::review_request_due(calendar, d))),
        ),
        _ => {}
    }
    deadlines
}

/// The resident's view of a case already read.
fn view_of(
    conn: &Connection,
    case: cases::TrackedCase,
    calendar: &Calendar,
    today: Date,
) -> Result<TrackResponse, AppError> {
    let (facts, clocks) = store::facts(conn, case.id)?.ok_or(AppError::Internal("case vanished".into()))?;
    let deadlines = current_deadlines(&facts, &clocks, calendar);
    let can = |action: &ResidentAction| decide_resident(&facts, action, today, calendar).is_ok();
    let rating = cases::rating(conn, case.id)?;
    Ok(TrackResponse {
        tracking_no: case.tracking_no,
        case_type: case.case_type,
        title: case.title,
        state: case.state,
        submitted_at: clock::format_minute(case.created_at_ms),
        township: case.township,
        village: case.village,
        deadlines,
        events: cases::public_events(conn, case.id)?,
        rating: rating.as_deref().and_then(Rating::from_code),
        can_rate: can(&ResidentAction::Rate { rating: Rating::Satisfied, reason: String::new() }),
        can_request_review: can(&ResidentAction::RequestReview { reason: String::new() }),
    })
}
