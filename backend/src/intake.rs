//! Taking in a resident's request: numbering, the query code, the statutory deadline,
//! and the idempotency record, all in the one write that creates the case.
//! Knows nothing of HTTP.

use crate::clock;
use crate::config::IntakeLevel;
use crate::db::cases::WalkIn;
use crate::db::{cases, regions, units, uploads};
use crate::error::AppError;
use ow_shared::calendar::{self, Calendar};
use ow_shared::case::{CaseState, EventKind};
use ow_shared::dto::{Deadline, DeadlineKind, Receipt, SubmitCaseRequest};
use ow_shared::mask::{mask_mobile, mask_name};
use ow_shared::unit::{Unit, UnitLevel};
use ow_shared::workflow;
use ow_shared::workflow::Channel;
use ow_shared::{ErrorCode, FieldError};
use rand::Rng;
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The answer to a submission, as JSON, and whether it is a replay of an earlier one.
pub struct Submitted {
    pub receipt_json: String,
    pub replayed: bool,
}

/// A validated submission with the key its device sent.
pub struct Submission {
    pub idempotency_key: String,
    pub request: SubmitCaseRequest,
    pub now_ms: i64,
    /// The clocks run on the holiday calendar.
    pub calendar: Arc<Calendar>,
    /// Set when a clerk registers it at the window.
    pub walk_in: Option<WalkIn>,
    /// Which centre new cases go to.
    pub intake_level: IntakeLevel,
    /// The grid, where known (checked to be a grid of the case's village).
    pub grid_id: Option<i64>,
    /// How it came in.
    pub channel: Channel,
}

impl Submission {
    /// Roughly the bytes it holds while queued for the writer: its text.
    pub fn text_bytes(&self) -> usize {
        let r = &self.request;
        [&r.title, &r.description, &r.address, &r.contact_name, &r.other_party_name]
            .iter()
            .map(|t| t.len())
            .sum::<usize>()
            + self.idempotency_key.len()
    }

    /// The hash that tells a true retry (same body) from a reused key (different body).
    pub fn request_hash(&self) -> String {
        let body = serde_json::to_string(&(&self.request, &self.walk_in, self.grid_id)).unwrap_or_default();
        hex_sha256(body.as_bytes())
    }
}

/// Creates the case, or returns the stored answer when this key was already used for
/// the same request. Runs inside the writer's transaction: the case, its event, its
/// photos and the idempotency record are committed together or not at all.
pub fn submit(conn: &Connection, submission: &Submission) -> Result<Submitted, AppError> {
    let hash = submission.request_hash();
    if let Some((stored_hash, response)) = cases::find_idempotent(conn, &submission.idempotency_key)? {
        if stored_hash == hash {
            return Ok(Submitted { receipt_json: response, replayed: true });
        }
        // Refused, but with the case this key already made: the device lost that answer
        // (and maybe edited the form since); it must not file a duplicate nor lose the code.
        let original: Receipt = serde_json::from_str(&response).map_err(|e| AppError::Internal(e.to_string()))?;
        return Err(AppError::KeyReused(Box::new(original)));
    }
    let request = &submission.request;
    let case_type = request.case_type.ok_or_else(|| field_error("case_type", ErrorCode::Required))?;
    let (township, village) =
        regions::place_names(conn, request.township_id.unwrap_or_default(), request.village_id.unwrap_or_default())?
            .ok_or_else(|| field_error("village_id", ErrorCode::VillageNotInTownship))?;

    if let Some(linked) = submission.walk_in.as_ref().and_then(|w| w.linked_case_id)
        && !cases::exists(conn, linked)?
    {
        return Err(field_error("linked_case_id", ErrorCode::NotFound));
    }
    let (township_id, village_id) = (request.township_id.unwrap_or_default(), request.village_id.unwrap_or_default());
    if let Some(grid) = submission.grid_id
        && units::grid_village(conn, grid)?.map(|(village, _)| village) != Some(village_id)
    {
        return Err(field_error("grid_id", ErrorCode::GridUnknown));
    }
    let holder = holder(conn, submission, township_id, village_id)?;
    let today = clock::date_of(submission.now_ms);
    let tracking_no = new_tracking_no(conn, &clock::compact_date(today)[2..])?;
    let query_code = new_query_code();
    let due_on = calendar::format(workflow::acceptance_due(&submission.calendar, today));
    let case = cases::NewCase {
        request,
        case_type,
        query_code_hash: &query_code_hash(&tracking_no, &query_code),
        created_at_ms: submission.now_ms,
        acceptance_due_on: &due_on,
        walk_in: submission.walk_in.as_ref(),
        unit_id: holder.id,
        unit_name: &holder.name,
        grid_id: submission.grid_id,
        channel: submission.channel,
    };
    let case_id = cases::insert(conn, &tracking_no, &case)?;
    let event = if submission.walk_in.is_some() { EventKind::WalkInRegistered } else { EventKind::Submitted };
    crate::messages::on_case_event(conn, case_id, event, submission.now_ms)?;
    if !uploads::attach(conn, case_id, &request.photo_ids)? {
        return Err(field_error("photo_ids", ErrorCode::PhotoUnknown));
    }
    let receipt = Receipt {
        tracking_no,
        query_code,
        submitted_at: clock::format_minute(submission.now_ms),
        case_type,
        title: request.title.clone(),
        township,
        village,
        state: CaseState::Registered,
        contact_name_masked: mask_name(&request.contact_name),
        mobile_masked: mask_mobile(&request.mobile),
        photo_count: request.photo_ids.len() as u32,
        identity_protected: case_type.hides_identity_from_departments(),
        deadlines: vec![Deadline { kind: DeadlineKind::AcceptanceNotice, due_on }],
    };
    let receipt_json = serde_json::to_string(&receipt).map_err(|e| AppError::Internal(e.to_string()))?;
    cases::save_idempotent(conn, &submission.idempotency_key, &hash, case_id, &receipt_json, submission.now_ms)?;
    Ok(Submitted { receipt_json, replayed: false })
}

/// The unit a new case goes to: the centre of its township (or the county centre, as
/// configured); a village station keeps what its own window takes in about its own
/// village (小事不出村).
fn holder(conn: &Connection, submission: &Submission, township_id: i64, village_id: i64) -> Result<Unit, AppError> {
    // A grid worker's report goes to the township centre's queue, wherever they sit.
    if let Some(walk_in) = &submission.walk_in
        && submission.channel != Channel::Grid
        && let Some(own) = units::unit(conn, walk_in.unit_id)?
        && own.level == UnitLevel::Village
        && own.village_id == Some(village_id)
    {
        return Ok(own);
    }
    match submission.intake_level {
        IntakeLevel::County => units::county(conn),
        IntakeLevel::Township => match units::township_centre(conn, township_id)? {
            Some(centre) => Ok(centre),
            None => units::county(conn),
        },
    }
}

fn field_error(field: &str, code: ErrorCode) -> AppError {
    AppError::Validation(vec![FieldError::new(field, code)])
}

/// A new tracking number: the day as `YYMMDD` and 7 random digits, 13 digits as before.
/// Room for 10^7 cases a day, and the previous case's number tells nothing of the next.
/// Runs on the writer thread, so the check and the insert cannot race; a number already
/// taken is drawn again (at a million cases a day, one draw in ten).
fn new_tracking_no(conn: &Connection, day: &str) -> Result<String, AppError> {
    for _ in 0..64 {
        let candidate = format!("{day}{:07}", rand::rng().random_range(0..10_000_000u32));
        if !cases::tracking_no_taken(conn, &candidate)? {
            return Ok(candidate);
        }
    }
    Err(AppError::Unavailable(1))
}

/// An 8-digit query code: digits are easiest to read out and type on a phone keypad.
/// Guessing is stopped by the attempt limiter: at most 100 wrong codes a day for one
/// number from anywhere (under 4 chances in 10,000 a year for a known number), and
/// numbers themselves are random, so a stranger's guesses rarely hit a case at all.
pub fn new_query_code() -> String {
    format!("{:08}", rand::rng().random_range(0..100_000_000u32))
}

/// Only this hash of the query code is stored, salted by the tracking number.
pub fn query_code_hash(tracking_no: &str, query_code: &str) -> String {
    hex_sha256(format!("{tracking_no}:{query_code}").as_bytes())
}

fn hex_sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// The shortest `Idempotency-Key` taken: a retry with a key replays the answer, query
/// code included, so keys must be unguessable (browsers send 32 random hex digits).
pub const MIN_KEY_LEN: usize = 22;

/// Checks an `Idempotency-Key`: 22–100 characters of letters, digits, `-` and `_`,
/// not all the same character.
pub fn check_idempotency_key(key: Option<&str>) -> Result<String, AppError> {
    let key = key.map(str::trim).filter(|k| !k.is_empty()).ok_or(AppError::Client(ErrorCode::IdempotencyKeyMissing))?;
    let well_formed = (MIN_KEY_LEN..=100).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && key.bytes().any(|b| b != key.as_bytes()[0]);
    if well_formed { Ok(key.to_string()) } else { Err(AppError::Client(ErrorCode::BadRequest)) }
}
