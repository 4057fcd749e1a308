//! Looking a case up by tracking number and query code. Knows nothing of HTTP.

use crate::clock;
use crate::db::cases;
use crate::error::AppError;
use crate::intake::query_code_hash;
use ow_shared::dto::{Deadline, DeadlineKind, TrackResponse};
use rusqlite::Connection;

/// The public view of a case, or None when the number is unknown OR the code is wrong:
/// the two are indistinguishable to the caller.
pub fn lookup(conn: &Connection, tracking_no: &str, query_code: &str) -> Result<Option<TrackResponse>, AppError> {
    let offered = query_code_hash(tracking_no, query_code);
    let Some(case) = cases::find_for_tracking(conn, tracking_no)? else {
        return Ok(None);
    };
    if case.query_code_hash != offered {
        return Ok(None);
    }
    let events = cases::public_events(conn, case.id)?;
    let deadlines = match case.state {
        ow_shared::CaseState::Registered => {
            vec![Deadline { kind: DeadlineKind::AcceptanceNotice, due_on: case.acceptance_due_on.clone() }]
        }
        _ => Vec::new(),
    };
    Ok(Some(TrackResponse {
        tracking_no: case.tracking_no,
        case_type: case.case_type,
        title: case.title,
        state: case.state,
        submitted_at: clock::format_minute(case.created_at_ms),
        township: case.township,
        village: case.village,
        deadlines,
        events,
    }))
}
