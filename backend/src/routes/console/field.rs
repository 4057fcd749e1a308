//! `/api/v1/console/grid-reports`: a grid worker's report from their round (上报), or a
//! dispute they settled there (就地化解). The grid comes from the phone's GPS through
//! the grids' R-tree (or is picked, or is the worker's own); the report becomes a case
//! of channel 网格上报 in the township centre's queue — settled, a case closed at grid
//! level in the same write. Retries with the same `Idempotency-Key` answer the same case.

use crate::auth::Staff;
use crate::casework::{self, Act};
use crate::db::cases::WalkIn;
use crate::db::units;
use crate::error::{ApiJson, AppError};
use crate::intake::{self, Submission};
use crate::routes::cases::validated;
use crate::routes::idempotent;
use crate::{AppState, clock};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use ow_shared::dto::{Receipt, SubmitCaseRequest};
use ow_shared::staff::Role;
use ow_shared::unit::{GPS_TOLERANCE_M, GridReportRequest};
use ow_shared::validate::PhoneRule;
use ow_shared::workflow::{Action, Channel, validate_action};
use ow_shared::{CaseType, ErrorCode, FieldError, Mediation};

/// The grid worker's routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/console/grid-reports", post(report))
}

/// 上报 or 就地化解 from the field; answers the case's receipt (201).
#[utoipa::path(post, path = "/api/v1/console/grid-reports", tag = "console", request_body = GridReportRequest,
    params(("Idempotency-Key" = String, Header, description = "one per report, kept with the draft; reuse it for retries"),
           ("X-CSRF-Token" = String, Header, description = "the session's csrf_token")),
    responses((status = 201, body = Receipt, description = "created, or replayed (header Idempotent-Replayed: true)"),
              (status = 400, body = ow_shared::ApiError, description = "IDEMPOTENCY_KEY_MISSING or BAD_REQUEST"),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: grid workers only"),
              (status = 409, body = ow_shared::ApiError, description = "IDEMPOTENCY_KEY_REUSED"),
              (status = 422, body = ow_shared::ApiError,
               description = "VALIDATION_FAILED: GRID_UNKNOWN (outside every grid, or no such grid) and the form's fields")))]
pub async fn report(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    ApiJson(request): ApiJson<GridReportRequest>,
) -> Result<Response, AppError> {
    staff.require(&[Role::GridWorker])?;
    let key = idempotent::key(&headers)?;
    let now_ms = clock::now_ms();
    let grid_id = grid_of(&state, &staff, &request).await?;
    let settle = request
        .settled
        .as_ref()
        .map(|s| Action::ResolveOnSpot { parties: s.parties.clone(), agreement: s.agreement.clone() });
    let more = settle.as_ref().map(validate_action).unwrap_or_default();
    let submission = grid_submission(&state, &staff, key, &request, grid_id, now_ms, more).await?;
    let calendar = submission.calendar.clone();
    let submitted = state
        .db
        .write(move |conn| {
            let submitted = intake::submit(conn, &submission)?;
            if let Some(settle) = settle.filter(|_| !submitted.replayed) {
                let case_id = case_of(conn, &submitted)?;
                casework::act(conn, &Act { case_id, now_ms, calendar: &calendar }, &staff, &settle)?;
            }
            Ok(submitted)
        })
        .await?;
    Ok(idempotent::created(submitted.receipt_json, submitted.replayed))
}

/// A grid worker's report as a submission of channel 网格上报 with its grid, checked as
/// the shared form is (`more`: further problems to answer with them). The worker is the
/// contact. 排查's findings reported up take this path too.
pub async fn grid_submission(
    state: &AppState,
    staff: &Staff,
    key: String,
    request: &GridReportRequest,
    grid_id: i64,
    now_ms: i64,
    more: Vec<FieldError>,
) -> Result<Submission, AppError> {
    let place = state.db.read(move |conn| units::grid_village(conn, grid_id)).await?;
    let (village_id, township_id) = place.ok_or_else(grid_unknown)?;
    let case = as_case(request, staff, township_id, village_id, now_ms);
    // No phone needed: the grid worker who reported it is the contact.
    let contact = PhoneRule::PhoneOrPost { postal_address: "由网格员联系" };
    let case = validated(state, case, now_ms, contact, more).await?;
    let walk_in = WalkIn {
        channel: Channel::Grid,
        group_size: 1,
        representatives: Vec::new(),
        linked_case_id: None,
        postal_address: String::new(),
        staff_id: staff.id,
        staff_name: staff.display_name.clone(),
        unit_id: staff.unit.id,
    };
    Ok(Submission {
        idempotency_key: key,
        request: case,
        now_ms,
        calendar: state.calendar().await?,
        walk_in: Some(walk_in),
        intake_level: state.intake_level,
        grid_id: Some(grid_id),
        channel: Channel::Grid,
    })
}

/// The case a submission made (by its receipt's tracking number).
pub fn case_of(conn: &rusqlite::Connection, submitted: &intake::Submitted) -> Result<i64, AppError> {
    let receipt: Receipt =
        serde_json::from_str(&submitted.receipt_json).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(crate::db::cases::find_for_tracking(conn, &receipt.tracking_no)?
        .ok_or_else(|| AppError::Internal("the report vanished".into()))?
        .id)
}

fn grid_unknown() -> AppError {
    AppError::Validation(vec![FieldError::new("grid_id", ErrorCode::GridUnknown)])
}

/// The grid of the report: where the GPS fix lies (inside, or within the tolerance),
/// else the grid picked, else the worker's own.
async fn grid_of(state: &AppState, staff: &Staff, request: &GridReportRequest) -> Result<i64, AppError> {
    match (request.lon, request.lat) {
        (Some(lon), Some(lat)) if lon.is_finite() && lat.is_finite() => {
            let index = state.grids.index(&state.db).await?;
            let hit = index.locate(lon, lat).ok_or_else(grid_unknown)?;
            if hit.inside || hit.distance_m <= GPS_TOLERANCE_M { Ok(hit.grid.id) } else { Err(grid_unknown()) }
        }
        (Some(_), _) | (_, Some(_)) => Err(grid_unknown()),
        _ => request.grid_id.or(staff.grid_id).ok_or_else(grid_unknown),
    }
}

/// The report as a case of the shared form: today, the grid's place, the worker as the
/// contact, the people involved with the description.
fn as_case(r: &GridReportRequest, staff: &Staff, township_id: i64, village_id: i64, now_ms: i64) -> SubmitCaseRequest {
    let people = r.people.trim();
    let description = if people.is_empty() {
        r.description.clone()
    } else {
        format!("{}\n涉及人员：{people}", r.description.trim())
    };
    let mediation = match (r.case_type, &r.settled) {
        (Some(CaseType::Dispute), Some(_)) => Some(Mediation::Willing),
        (Some(CaseType::Dispute), None) => Some(Mediation::Unknown),
        _ => None,
    };
    SubmitCaseRequest {
        case_type: r.case_type,
        title: r.title.clone(),
        description,
        occurred_on: clock::format_date(clock::date_of(now_ms)),
        township_id: Some(township_id),
        village_id: Some(village_id),
        address: r.address.clone(),
        other_party_name: String::new(),
        mediation,
        contact_name: staff.display_name.clone(),
        mobile: String::new(),
        id_number: String::new(),
        privacy_accepted: true,
        photo_ids: r.photo_ids.clone(),
        // The grid worker follows the case in the console, not by text.
        sms_opt_out: true,
        // The report's grid goes with the submission (`Submission::grid_id`).
        grid_id: None,
    }
}
