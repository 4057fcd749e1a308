//! 排查: `POST /api/v1/console/screenings` (a grid worker's round: households visited,
//! disputes and risks found, each graded and settled, watched or reported up),
//! `GET /api/v1/console/screenings` (the latest rounds of the caller's area),
//! `GET /api/v1/console/risks` (the area's open risks, by grid and grade) and
//! `POST /api/v1/console/risks/{id}` (what became of a watched risk). A finding reported
//! up becomes a case through the grid report's own path (`field::grid_submission`), in
//! the same write as the round; a round is kept by its `Idempotency-Key`, so a retry
//! from a weak signal answers the same round and makes no second case.

use crate::auth::Staff;
use crate::db::screening::{self as store, Actor, Area, NewFinding, NewRound, RiskFilter};
use crate::error::{ApiJson, ApiPath, ApiQuery, AppError};
use crate::intake::{self, Submission};
use crate::routes::console::field::{case_of, grid_submission};
use crate::routes::idempotent;
use crate::{AppState, clock};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use ow_shared::screening::{
    FindingInput, RiskLevel, RiskState, RiskView, ScreeningRequest, ScreeningRound, UpdateRiskRequest, level_of,
    validate_round, validate_update,
};
use ow_shared::staff::Role;
use ow_shared::unit::{GridReportRequest, UnitLevel};
use ow_shared::{ErrorCode, FieldError};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The screening routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/console/screenings", post(record_round).get(rounds))
        .route("/api/v1/console/risks", get(risks))
        .route("/api/v1/console/risks/{id}", post(update_risk))
}

/// Whose rounds and risks the caller sees: a grid worker their grid; a centre's clerks
/// and leaders their unit's area (the county all of it). Nobody else.
fn area_of(staff: &Staff) -> Result<Area, AppError> {
    let forbidden = || AppError::Client(ErrorCode::Forbidden);
    match staff.role {
        Role::GridWorker => staff.grid_id.map(Area::Grid).ok_or_else(forbidden),
        Role::Clerk | Role::Leader => match staff.unit.level {
            UnitLevel::County => Ok(Area::County),
            UnitLevel::Township => staff.unit_township_id.map(Area::Township).ok_or_else(forbidden),
            UnitLevel::Village => staff.unit_village_id.map(Area::Village).ok_or_else(forbidden),
        },
        _ => Err(forbidden()),
    }
}

/// The grid a grid worker writes for: the one named (it must exist, and be theirs), else
/// their own; the field's problem if neither.
async fn own_grid(state: &AppState, staff: &Staff, named: Option<i64>) -> Result<Result<i64, FieldError>, AppError> {
    let Some(grid) = named else {
        return Ok(staff.grid_id.ok_or_else(|| FieldError::new("grid_id", ErrorCode::GridUnknown)));
    };
    let exists = state.db.read(move |conn| crate::db::units::grid_village(conn, grid)).await?;
    Ok(match exists {
        None => Err(FieldError::new("grid_id", ErrorCode::GridUnknown)),
        Some(_) if staff.grid_id != Some(grid) => Err(FieldError::new("grid_id", ErrorCode::GridNotYours)),
        Some(_) => Ok(grid),
    })
}

/// A finding reported up, as a grid worker's report of its grid.
fn as_report(finding: &FindingInput, level: RiskLevel, grid_id: i64) -> GridReportRequest {
    let description = finding.description.trim();
    let first_line: String = description.lines().next().unwrap_or_default().chars().take(30).collect();
    GridReportRequest {
        case_type: Some(finding.kind.case_type()),
        title: format!("排查{}：{first_line}", finding.kind.label()),
        description: format!("排查发现的{}（{}色风险）：{description}", finding.kind.label(), level.label()),
        people: finding.people.trim().to_string(),
        grid_id: Some(grid_id),
        ..GridReportRequest::default()
    }
}

/// The case a finding reported up becomes, checked before anything is stored; its
/// problems are named after the finding (`findings[2].description`).
async fn report_up(
    state: &AppState,
    staff: &Staff,
    key: String,
    report: &GridReportRequest,
    grid_id: i64,
    now_ms: i64,
    prefix: &str,
) -> Result<Submission, AppError> {
    grid_submission(state, staff, key, report, grid_id, now_ms, Vec::new()).await.map_err(|e| match e {
        AppError::Validation(fields) => AppError::Validation(
            fields
                .into_iter()
                .map(|f| {
                    let name = if f.field == "title" { "description" } else { f.field.as_str() };
                    FieldError { field: format!("{prefix}{name}"), ..f.clone() }
                })
                .collect(),
        ),
        other => other,
    })
}

/// Records a round (grid workers); answers it with its findings (201).
#[utoipa::path(post, path = "/api/v1/console/screenings", tag = "console", request_body = ScreeningRequest,
    params(("Idempotency-Key" = String, Header, description = "one per round, kept with the draft; reuse it for retries"),
           ("X-CSRF-Token" = String, Header, description = "the session's csrf_token")),
    responses((status = 201, body = ScreeningRound, description = "created, or replayed (header Idempotent-Replayed: true)"),
              (status = 400, body = ow_shared::ApiError, description = "IDEMPOTENCY_KEY_MISSING or BAD_REQUEST (a kind or state that does not exist)"),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: grid workers only"),
              (status = 409, body = ow_shared::ApiError, description = "IDEMPOTENCY_KEY_REUSED: the key made another round"),
              (status = 422, body = ow_shared::ApiError,
               description = "VALIDATION_FAILED: GRID_UNKNOWN, GRID_NOT_YOURS, RISK_LEVEL_UNKNOWN, OUT_OF_RANGE, lengths; nothing stored")))]
pub async fn record_round(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ScreeningRequest>,
) -> Result<Response, AppError> {
    staff.require(&[Role::GridWorker])?;
    let key = idempotent::key(&headers)?;
    let now_ms = clock::now_ms();
    let mut problems = validate_round(&request);
    let grid_id = match own_grid(&state, &staff, request.grid_id).await? {
        Ok(grid) => grid,
        Err(problem) => {
            problems.insert(0, problem);
            return Err(AppError::Validation(problems));
        }
    };
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let mut findings = Vec::new();
    for (i, finding) in request.findings.iter().enumerate() {
        let level = level_of("level", &finding.level).map_err(|p| AppError::Validation(vec![p]))?;
        let up = match finding.state {
            RiskState::Reported => {
                let report = as_report(finding, level, grid_id);
                let prefix = format!("findings[{i}].");
                let key = format!("{key}-{i}");
                match report_up(&state, &staff, key, &report, grid_id, now_ms, &prefix).await {
                    Ok(submission) => Some(submission),
                    Err(AppError::Validation(more)) => {
                        problems.extend(more);
                        None
                    }
                    Err(e) => return Err(e),
                }
            }
            _ => None,
        };
        findings.push((finding.clone(), level, up));
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let body = serde_json::to_string(&(&request, grid_id)).map_err(|e| AppError::Internal(e.to_string()))?;
    let hash = format!("{:x}", Sha256::digest(body.as_bytes()));
    let round_on = clock::format_date(clock::date_of(now_ms));
    let (round_id, replayed) = state
        .db
        .write(move |conn| {
            if let Some((id, stored)) = store::round_by_key(conn, &key)? {
                return if stored == hash { Ok((id, true)) } else { Err(ErrorCode::IdempotencyKeyReused.into()) };
            }
            let round = NewRound {
                key: &key,
                hash: &hash,
                grid_id,
                staff_id: staff.id,
                round_on: &round_on,
                households: request.households,
                note: request.note.trim(),
                at_ms: now_ms,
            };
            let round_id = store::insert_round(conn, &round)?;
            let by = Actor { staff_id: staff.id, name: &staff.display_name, at_ms: now_ms };
            for (finding, level, up) in &findings {
                let case_id = match up {
                    Some(submission) => Some(case_of(conn, &intake::submit(conn, submission)?)?),
                    None => None,
                };
                let new = NewFinding {
                    kind: finding.kind,
                    level: *level,
                    state: finding.state,
                    description: finding.description.trim(),
                    people: finding.people.trim(),
                    case_id,
                };
                store::insert_finding(conn, round_id, grid_id, &new, &by)?;
            }
            Ok((round_id, false))
        })
        .await?;
    let round = state.db.read(move |conn| store::round(conn, round_id)).await?;
    let round = round.ok_or_else(|| AppError::Internal("the round vanished".into()))?;
    let json = serde_json::to_string(&round).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(idempotent::created(json, replayed))
}

/// The latest rounds of the caller's area (grid workers: their grid), newest first.
#[utoipa::path(get, path = "/api/v1/console/screenings", tag = "console",
    responses((status = 200, body = Vec<ScreeningRound>),
              (status = 401, body = ow_shared::ApiError),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: grid workers, clerks and leaders only")))]
pub async fn rounds(State(state): State<AppState>, staff: Staff) -> Result<ApiJson<Vec<ScreeningRound>>, AppError> {
    let area = area_of(&staff)?;
    Ok(ApiJson(state.db.read(move |conn| store::rounds(conn, area)).await?))
}

/// The risks list's filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RisksQuery {
    /// One grid of the area.
    pub grid_id: Option<i64>,
    /// `red`, `yellow` or `green`.
    pub level: Option<String>,
    /// `true`: settled ones and those whose case is finished too.
    pub all: Option<bool>,
}

/// The open risks of the caller's area (watched, or reported up and not yet finished),
/// gravest first.
#[utoipa::path(get, path = "/api/v1/console/risks", tag = "console", params(RisksQuery),
    responses((status = 200, body = Vec<RiskView>),
              (status = 400, body = ow_shared::ApiError, description = "BAD_REQUEST: a malformed query"),
              (status = 401, body = ow_shared::ApiError),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: grid workers, clerks and leaders only"),
              (status = 422, body = ow_shared::ApiError, description = "VALIDATION_FAILED: RISK_LEVEL_UNKNOWN")))]
pub async fn risks(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(query): ApiQuery<RisksQuery>,
) -> Result<ApiJson<Vec<RiskView>>, AppError> {
    let area = area_of(&staff)?;
    let level = match query.level.as_deref().filter(|l| !l.is_empty()) {
        Some(code) => Some(level_of("level", code).map_err(|p| AppError::Validation(vec![p]))?),
        None => None,
    };
    let filter = RiskFilter { grid_id: query.grid_id, level, all: query.all.unwrap_or(false) };
    Ok(ApiJson(state.db.read(move |conn| store::risks(conn, area, filter)).await?))
}

/// What became of a watched risk (the grid's worker): settled, reported up (a case in
/// the township centre's queue), or a new grade. The state it is already in changes
/// nothing, so a retry is harmless.
#[utoipa::path(post, path = "/api/v1/console/risks/{id}", tag = "console", request_body = UpdateRiskRequest,
    params(("id" = i64, Path), ("X-CSRF-Token" = String, Header, description = "the session's csrf_token")),
    responses((status = 200, body = RiskView),
              (status = 400, body = ow_shared::ApiError, description = "BAD_REQUEST: a state that does not exist"),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: grid workers only"),
              (status = 404, body = ow_shared::ApiError, description = "no such risk on the worker's grid"),
              (status = 409, body = ow_shared::ApiError, description = "TRANSITION_NOT_ALLOWED: settled or reported already"),
              (status = 422, body = ow_shared::ApiError, description = "VALIDATION_FAILED: RISK_LEVEL_UNKNOWN, the note's length")))]
pub async fn update_risk(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<UpdateRiskRequest>,
) -> Result<ApiJson<RiskView>, AppError> {
    staff.require(&[Role::GridWorker])?;
    let problems = validate_update(&request);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let area = area_of(&staff)?;
    let not_found = || AppError::Client(ErrorCode::NotFound);
    let current = state.db.read(move |conn| store::risk(conn, id, area)).await?.ok_or_else(not_found)?;
    let level = match &request.level {
        Some(code) => level_of("level", code).map_err(|p| AppError::Validation(vec![p]))?,
        None => current.level,
    };
    let target = request.state;
    let unchanged = move |risk: &RiskView| risk.state == target && risk.level == level;
    if unchanged(&current) {
        return Ok(ApiJson(current));
    }
    if !current.state.may_change() {
        return Err(ErrorCode::TransitionNotAllowed.into());
    }
    let up = match request.state {
        RiskState::Reported => {
            let finding = FindingInput {
                kind: current.kind,
                level: level.code().into(),
                description: current.description.clone(),
                people: current.people.clone(),
                state: RiskState::Reported,
            };
            let report = as_report(&finding, level, current.grid_id);
            let key = format!("screening-risk-{id}-reported-up");
            Some(report_up(&state, &staff, key, &report, current.grid_id, clock::now_ms(), "").await?)
        }
        _ => None,
    };
    let now_ms = clock::now_ms();
    let note = request.note.trim().to_string();
    let changed = state
        .db
        .write(move |conn| {
            // Read again on the writer: another tap may have changed it meanwhile.
            let risk = store::risk(conn, id, area)?.ok_or_else(not_found)?;
            if unchanged(&risk) {
                return Ok(risk);
            }
            if !risk.state.may_change() {
                return Err(ErrorCode::TransitionNotAllowed.into());
            }
            let case_id = match &up {
                Some(submission) => Some(case_of(conn, &intake::submit(conn, submission)?)?),
                None => None,
            };
            let by = Actor { staff_id: staff.id, name: &staff.display_name, at_ms: now_ms };
            store::change(conn, id, level, request.state, &note, case_id, &by)?;
            store::risk(conn, id, area)?.ok_or_else(|| AppError::Internal("the risk vanished".into()))
        })
        .await?;
    Ok(ApiJson(changed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ow_shared::screening::FindingKind;
    use ow_shared::validate::limits::TITLE;

    #[test]
    fn a_long_finding_reported_up_still_has_a_title_the_form_takes() {
        let finding = FindingInput {
            kind: FindingKind::Hazard,
            level: "red".into(),
            description: "河堤".repeat(200),
            people: String::new(),
            state: RiskState::Reported,
        };
        let report = as_report(&finding, RiskLevel::Red, 1);
        let chars = report.title.chars().count() as u32;
        assert!((TITLE.0..=TITLE.1).contains(&chars), "{}", report.title);
        assert!(report.description.contains("红色风险"));
        assert_eq!(report.case_type, Some(ow_shared::CaseType::Help));
    }
}
