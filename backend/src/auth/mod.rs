//! Staff sign-in, sessions, and the `Staff` extractor every console route starts with.
//!
//! A session is a random cookie (`ow_session`, HttpOnly, SameSite=Strict) of which only
//! a hash is stored; state-changing requests must also carry the session's CSRF token in
//! `X-CSRF-Token`. Passwords are Argon2id PHC strings, hashed off the async runtime.

pub mod accounts;
pub mod guard;
pub mod password;
pub mod session;
pub mod sign_in;

pub use session::{ABSOLUTE_LIFETIME_MS, IDLE_TIMEOUT_MS, Session};

use crate::AppState;
use crate::db::queue::Area;
use crate::error::AppError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use ow_shared::ErrorCode;
use ow_shared::staff::{Role, SessionInfo};
use ow_shared::unit::{UnitLevel, UnitRef};

/// The signed-in member of staff. As an extractor it answers 401 `NOT_SIGNED_IN` without
/// a live session, and 403 `CSRF_FAILED` for a state-changing request without the
/// session's `X-CSRF-Token`.
#[derive(Debug, Clone)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    /// The unit the account belongs to, and the place it serves (a township centre its
    /// township, a village station its village; the county centre everything).
    pub unit: UnitRef,
    pub unit_township_id: Option<i64>,
    pub unit_village_id: Option<i64>,
    /// Grid workers only.
    pub grid_id: Option<i64>,
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Session::from_request_parts(parts, state).await?.staff)
    }
}

impl Staff {
    /// 403 `FORBIDDEN` unless this member of staff has one of these roles.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) { Ok(()) } else { Err(AppError::Client(ErrorCode::Forbidden)) }
    }

    /// The part of the county whose cases this member of staff sees (officers: see
    /// `queue::Scope`, by department instead).
    pub fn area(&self) -> Area {
        match (self.grid_id, self.unit.level) {
            (Some(grid_id), _) => Area::Grid { grid_id, staff_id: self.id },
            (None, UnitLevel::Village) => Area::Village(self.unit_village_id.unwrap_or(-1)),
            (None, UnitLevel::Township) => Area::Township(self.unit_township_id.unwrap_or(-1)),
            (None, UnitLevel::County) => Area::All,
        }
    }

    /// What the console is told about its session.
    pub fn session_info(&self, csrf_token: &str) -> SessionInfo {
        SessionInfo {
            staff_id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            department_id: self.department_id,
            department_name: self.department_name.clone(),
            unit: self.unit.clone(),
            grid_id: self.grid_id,
            csrf_token: csrf_token.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn require_admits_only_the_listed_roles() {
        let staff = Staff {
            id: 1,
            username: "leader".into(),
            display_name: "王主任".into(),
            role: Role::Leader,
            department_id: None,
            department_name: None,
            unit: UnitRef { id: 1, name: "县综治中心".into(), level: UnitLevel::County },
            unit_township_id: None,
            unit_village_id: None,
            grid_id: None,
        };
        assert!(staff.require(Role::CENTRE).is_ok());
        let refused = staff.require(Role::ADMINS).unwrap_err();
        assert!(matches!(refused, AppError::Client(ErrorCode::Forbidden)));
    }
}
