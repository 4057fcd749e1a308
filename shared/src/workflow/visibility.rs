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

/// What a role sees of the resident by default: (name, phone and ID number).
/// Phone and ID number are masked for every role, as the form's notice promises;
/// clerks, leaders and officers see the name to address the person, administrators
/// run the system and need none of it. An accuser's identity never reaches a
/// department officer. The full numbers are shown only by `may_reveal`'s action.
pub fn contact_visibility(role: Role, identity_protected: bool) -> (Visibility, Visibility) {
    match role {
        Role::Officer if identity_protected => (Visibility::Hidden, Visibility::Hidden),
        Role::Clerk | Role::Leader | Role::Officer => (Visibility::Full, Visibility::Masked),
        // A grid worker meets people on the round: the name, but the phone masked and
        // an accuser not at all (the accused may be their neighbour).
        Role::GridWorker if identity_protected => (Visibility::Hidden, Visibility::Hidden),
        Role::GridWorker => (Visibility::Full, Visibility::Masked),
        Role::Admin => (Visibility::Masked, Visibility::Masked),
    }
}

/// Whether the role may reveal the full phone and ID number ("查看完整号码", each time
/// recorded as an event with who and when): the roles that must reach the resident —
/// the window's clerk (notices, callbacks, identity checks), the leader who took a
/// case, the department handling it (unless the resident is an accuser, Art.30).
pub fn may_reveal(role: Role, identity_protected: bool) -> bool {
    match role {
        Role::Clerk | Role::Leader => true,
        Role::Officer => !identity_protected,
        Role::Admin | Role::GridWorker => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accusers_are_hidden_from_departments() {
        assert_eq!(contact_visibility(Role::Officer, true), (Visibility::Hidden, Visibility::Hidden));
        assert_eq!(contact_visibility(Role::Officer, false), (Visibility::Full, Visibility::Masked));
        assert_eq!(contact_visibility(Role::Clerk, true), (Visibility::Full, Visibility::Masked));
        assert!(may_reveal(Role::Clerk, true) && may_reveal(Role::Officer, false));
        assert!(!may_reveal(Role::Officer, true) && !may_reveal(Role::Admin, false));
        assert_eq!(contact_visibility(Role::Admin, false), (Visibility::Masked, Visibility::Masked));
    }
}
