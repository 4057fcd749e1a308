//! Who sees how much of a resident's identity.

use crate::staff::Role;
use serde::{Deserialize, Serialize};

/// How much of a person's identity a role sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Full,
    Masked,
    /// Not even masked: the field is withheld (检举, Art.30).
    Hidden,
}

/// What a role sees of the resident: (name and mobile, ID number).
/// Clerks register and verify people at the window: everything. Leaders and officers
/// call residents back: name and mobile, ID masked. Administrators run the system and
/// need neither. An accuser's identity never reaches a department officer.
pub fn contact_visibility(role: Role, identity_protected: bool) -> (Visibility, Visibility) {
    match role {
        Role::Officer if identity_protected => (Visibility::Hidden, Visibility::Hidden),
        Role::Clerk => (Visibility::Full, Visibility::Full),
        Role::Leader | Role::Officer => (Visibility::Full, Visibility::Masked),
        Role::Admin => (Visibility::Masked, Visibility::Masked),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accusers_are_hidden_from_departments() {
        assert_eq!(contact_visibility(Role::Officer, true), (Visibility::Hidden, Visibility::Hidden));
        assert_eq!(contact_visibility(Role::Officer, false), (Visibility::Full, Visibility::Masked));
        assert_eq!(contact_visibility(Role::Clerk, true), (Visibility::Full, Visibility::Full));
        assert_eq!(contact_visibility(Role::Admin, false), (Visibility::Masked, Visibility::Masked));
    }
}
