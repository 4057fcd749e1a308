//! Staff of the centre: their roles, signing in, and their accounts.

use crate::unit::{UnitLevel, UnitRef};
use serde::{Deserialize, Serialize};

/// What a member of staff does, which decides what they may see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 窗口人员: registers walk-ins, accepts, dispatches, replies.
    Clerk,
    /// 承办人: answers the cases dispatched to their one department.
    Officer,
    /// 领导: everything a clerk does, plus taking cases (领导包案) and extending time limits.
    Leader,
    /// 系统管理员: accounts and the holiday calendar; no case handling.
    Admin,
    /// 网格员 (and the 3+N members with an account): one grid; reports what they find on
    /// their rounds, settles small disputes on the spot, and does what is sent down.
    GridWorker,
}

impl Role {
    /// Every role, in the order the console lists them.
    pub const ALL: [Role; 5] = [Role::Clerk, Role::Officer, Role::Leader, Role::Admin, Role::GridWorker];

    /// The centre's window: clerks and leaders register walk-ins, work the booking desk
    /// and take legal-aid applications.
    pub const CENTRE: &'static [Role] = &[Role::Clerk, Role::Leader];
    /// Everyone who handles cases: the centres, the departments' officers and the grid
    /// workers. Administrators run accounts and the calendar only.
    pub const CASE_HANDLERS: &'static [Role] = &[Role::Clerk, Role::Leader, Role::Officer, Role::GridWorker];
    /// The centre's own staff, administrators included: all but the departments' officers.
    pub const CENTRE_AND_ADMIN: &'static [Role] = &[Role::Clerk, Role::Leader, Role::Admin];
    /// Administrators only: accounts, the calendar, places' schedules, grid imports.
    pub const ADMINS: &'static [Role] = &[Role::Admin];

    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Officer => "officer",
            Role::Leader => "leader",
            Role::Admin => "admin",
            Role::GridWorker => "grid_worker",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The role's name in the console.
    pub fn label(self) -> &'static str {
        match self {
            Role::Clerk => "窗口人员",
            Role::Officer => "承办人",
            Role::Leader => "领导",
            Role::Admin => "系统管理员",
            Role::GridWorker => "网格员",
        }
    }
}

/// `POST /api/v1/console/session`: sign in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub username: String,
    pub password: String,
}

/// Who is signed in. `csrf_token` must be sent as the `X-CSRF-Token` header with every
/// state-changing request of this session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub staff_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    /// The unit the account belongs to (county centre, township centre, village station).
    pub unit: UnitRef,
    /// Grid workers only: their grid.
    pub grid_id: Option<i64>,
    pub csrf_token: String,
}

/// `GET /api/v1/console/demo-accounts`: in demo mode only, the seeded accounts, so the
/// sign-in page can say so. Empty outside demo mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemoAccount {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub department_name: Option<String>,
}

/// A staff account as administrators see it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAccount {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub unit: UnitRef,
    pub grid_id: Option<i64>,
    pub active: bool,
}

/// `POST /api/v1/console/staff`: an administrator creates an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateStaffRequest {
    pub username: String,
    pub display_name: String,
    pub role: Option<Role>,
    /// Required for officers, refused for other roles.
    pub department_id: Option<i64>,
    /// The unit the account belongs to; the county centre when not given.
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// Required for grid workers (a grid under the unit), refused for other roles.
    #[serde(default)]
    pub grid_id: Option<i64>,
    pub password: String,
}

/// Passwords: at least this many characters.
pub const MIN_PASSWORD_CHARS: u32 = 10;

/// A department that officers belong to and cases are dispatched to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Department {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// County bureaus (县局) or township stations (所/队/办): a case is dispatched only to
    /// departments of its holding unit's level or above.
    pub level: UnitLevel,
}

/// `POST /api/v1/console/staff/{id}/password`: an administrator sets a new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetPasswordRequest {
    pub password: String,
}

/// Passwords: at most this many characters (hashing cost should not be the client's choice).
pub const MAX_PASSWORD_CHARS: u32 = 128;
/// User names: 3–32 of `A-Z a-z 0-9 _ . -`.
pub const USERNAME_CHARS: (u32, u32) = (3, 32);
/// Display names, in characters.
pub const DISPLAY_NAME_CHARS: (u32, u32) = (1, 30);

/// Whether a password is acceptable for this user name: long enough, not too long, and
/// not the user name itself (in any case).
pub fn check_password(username: &str, password: &str) -> Option<crate::FieldError> {
    use crate::{ErrorCode, FieldError};
    let len = password.chars().count();
    if len > MAX_PASSWORD_CHARS as usize {
        return Some(FieldError { max: Some(MAX_PASSWORD_CHARS), ..FieldError::new("password", ErrorCode::TooLong) });
    }
    if len < MIN_PASSWORD_CHARS as usize || password.trim().eq_ignore_ascii_case(username.trim()) {
        return Some(FieldError {
            min: Some(MIN_PASSWORD_CHARS),
            ..FieldError::new("password", ErrorCode::PasswordTooWeak)
        });
    }
    None
}

/// Checks a new account, reporting every problem at once; returns it with the user name
/// and display name trimmed. Whether the department exists is the server's to check.
pub fn validate_create_staff(req: &CreateStaffRequest) -> Result<CreateStaffRequest, Vec<crate::FieldError>> {
    use crate::validate::check_length;
    use crate::{ErrorCode, FieldError};
    let username = req.username.trim();
    let mut errors = Vec::new();
    errors.extend(check_length("username", username, USERNAME_CHARS));
    if errors.is_empty() && !username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')) {
        errors.push(FieldError::new("username", ErrorCode::BadRequest));
    }
    errors.extend(check_length("display_name", &req.display_name, DISPLAY_NAME_CHARS));
    match req.role {
        None => errors.push(FieldError::new("role", ErrorCode::Required)),
        // Officers belong to exactly one department; no one else belongs to any.
        Some(role) if (role == Role::Officer) != req.department_id.is_some() => {
            errors.push(FieldError::new("department_id", ErrorCode::DepartmentUnknown))
        }
        // Grid workers work exactly one grid; no one else has one.
        Some(role) if (role == Role::GridWorker) != req.grid_id.is_some() => {
            errors.push(FieldError::new("grid_id", ErrorCode::GridNotFound))
        }
        Some(_) => {}
    }
    errors.extend(check_password(username, &req.password));
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CreateStaffRequest {
        username: username.to_string(),
        display_name: req.display_name.trim().to_string(),
        ..req.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn officer() -> CreateStaffRequest {
        CreateStaffRequest {
            username: " officer_02 ".into(),
            display_name: " 司法所-赵强 ".into(),
            role: Some(Role::Officer),
            department_id: Some(4),
            unit_id: None,
            grid_id: None,
            password: "correct horse battery".into(),
        }
    }

    fn codes(req: &CreateStaffRequest) -> Vec<(String, ErrorCode)> {
        validate_create_staff(req).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_valid_account_is_trimmed() {
        let valid = validate_create_staff(&officer()).unwrap();
        assert_eq!((valid.username.as_str(), valid.display_name.as_str()), ("officer_02", "司法所-赵强"));
    }

    #[test]
    fn weak_passwords_are_refused() {
        for password in ["short", "123456789", "OFFICER_02", "  officer_02  "] {
            let req = CreateStaffRequest { password: password.into(), ..officer() };
            assert_eq!(codes(&req), [("password".to_string(), ErrorCode::PasswordTooWeak)], "{password}");
        }
        let long = CreateStaffRequest { password: "x".repeat(129), ..officer() };
        assert_eq!(codes(&long), [("password".to_string(), ErrorCode::TooLong)]);
        assert!(check_password("officer_02", "0123456789").is_none(), "ten characters are enough");
    }

    #[test]
    fn user_names_are_short_plain_ascii() {
        for (username, code) in
            [("ab", ErrorCode::TooShort), ("王主任", ErrorCode::BadRequest), ("a b c", ErrorCode::BadRequest)]
        {
            let req = CreateStaffRequest { username: username.into(), ..officer() };
            assert_eq!(codes(&req), [("username".to_string(), code)], "{username}");
        }
        let long = CreateStaffRequest { username: "a".repeat(33), ..officer() };
        assert_eq!(codes(&long), [("username".to_string(), ErrorCode::TooLong)]);
    }

    #[test]
    fn only_officers_have_a_department() {
        let without = CreateStaffRequest { department_id: None, ..officer() };
        assert_eq!(codes(&without), [("department_id".to_string(), ErrorCode::DepartmentUnknown)]);
        let clerk = CreateStaffRequest { role: Some(Role::Clerk), ..officer() };
        assert_eq!(codes(&clerk), [("department_id".to_string(), ErrorCode::DepartmentUnknown)]);
        let no_role = CreateStaffRequest { role: None, department_id: None, ..officer() };
        assert_eq!(codes(&no_role), [("role".to_string(), ErrorCode::Required)]);
    }
}
