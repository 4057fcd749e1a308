//! `/api/v1/console/staff`: administrators list, create and close staff accounts and set
//! new passwords. `/api/v1/console/departments`: the departments, for any signed-in staff.

use crate::auth::{Session, Staff, accounts};
use crate::error::{ApiJson, ApiPath, AppError};
use crate::{AppState, db};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use ow_shared::staff::{CreateStaffRequest, Department, ResetPasswordRequest, Role, StaffAccount};

/// The account and department routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/console/staff", get(list).post(create))
        .route("/api/v1/console/staff/{id}/deactivate", post(deactivate))
        .route("/api/v1/console/staff/{id}/password", post(reset_password))
        .route("/api/v1/console/departments", get(departments))
}

/// Every staff account (administrators only).
#[utoipa::path(get, path = "/api/v1/console/staff", tag = "console",
    responses((status = 200, body = Vec<StaffAccount>), (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN")))]
pub async fn list(State(state): State<AppState>, staff: Staff) -> Result<ApiJson<Vec<StaffAccount>>, AppError> {
    staff.require(Role::ADMINS)?;
    Ok(ApiJson(state.db.read(db::staff::accounts).await?))
}

/// Creates an account (administrators only).
#[utoipa::path(post, path = "/api/v1/console/staff", tag = "console", request_body = CreateStaffRequest,
    params(("X-CSRF-Token" = String, Header, description = "the session's csrf_token")),
    responses((status = 201, body = StaffAccount),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN or CSRF_FAILED"),
              (status = 409, body = ow_shared::ApiError, description = "USERNAME_TAKEN"),
              (status = 422, body = ow_shared::ApiError,
               description = "VALIDATION_FAILED with fields (DEPARTMENT_UNKNOWN, UNIT_UNKNOWN, GRID_NOT_FOUND: a grid worker's grid outside the unit)")))]
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(request): ApiJson<CreateStaffRequest>,
) -> Result<(StatusCode, ApiJson<StaffAccount>), AppError> {
    staff.require(Role::ADMINS)?;
    let account = accounts::create(&state.db, request, Some(staff.id)).await?;
    tracing::info!(staff_id = account.id, by = staff.id, "staff account created");
    Ok((StatusCode::CREATED, ApiJson(account)))
}

/// Closes an account and ends its sessions (administrators only, not their own).
#[utoipa::path(post, path = "/api/v1/console/staff/{id}/deactivate", tag = "console",
    params(("id" = i64, Path), ("X-CSRF-Token" = String, Header, description = "the session's csrf_token")),
    responses((status = 200, body = StaffAccount),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN (also for one's own account) or CSRF_FAILED"),
              (status = 404, body = ow_shared::ApiError, description = "NOT_FOUND")))]
pub async fn deactivate(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<StaffAccount>, AppError> {
    staff.require(Role::ADMINS)?;
    let account = accounts::deactivate(&state.db, id, &staff).await?;
    tracing::info!(staff_id = id, by = staff.id, "staff account deactivated");
    Ok(ApiJson(account))
}

/// Sets a new password and ends the account's sessions (administrators only).
#[utoipa::path(post, path = "/api/v1/console/staff/{id}/password", tag = "console", request_body = ResetPasswordRequest,
    params(("id" = i64, Path), ("X-CSRF-Token" = String, Header, description = "the session's csrf_token")),
    responses((status = 204, description = "set; the account's other sessions have ended"),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN or CSRF_FAILED"),
              (status = 404, body = ow_shared::ApiError, description = "NOT_FOUND"),
              (status = 422, body = ow_shared::ApiError, description = "VALIDATION_FAILED: PASSWORD_TOO_WEAK")))]
pub async fn reset_password(
    State(state): State<AppState>,
    session: Session,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<ResetPasswordRequest>,
) -> Result<StatusCode, AppError> {
    session.staff.require(Role::ADMINS)?;
    let username =
        accounts::reset_password(&state.db, id, request.password, &session.staff, Some(session.token_hash.clone()))
            .await?;
    // A new password lifts the sign-in locks of the name.
    state.sign_ins.forget(&username);
    tracing::info!(staff_id = id, by = session.staff.id, "staff password reset");
    Ok(StatusCode::NO_CONTENT)
}

/// The departments officers belong to and cases go to (any signed-in staff).
#[utoipa::path(get, path = "/api/v1/console/departments", tag = "console",
    responses((status = 200, body = Vec<Department>), (status = 401, body = ow_shared::ApiError, description = "NOT_SIGNED_IN")))]
pub async fn departments(State(state): State<AppState>, _staff: Staff) -> Result<ApiJson<Vec<Department>>, AppError> {
    Ok(ApiJson(state.db.read(db::staff::departments).await?))
}
