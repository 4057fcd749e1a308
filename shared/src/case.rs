//! The vocabulary of a case (诉求): its type, its state and its public events.

use crate::Lang;
use serde::{Deserialize, Serialize};

/// What kind of matter a resident brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseType {
    /// 建议
    Suggestion,
    /// 求助
    Help,
    /// 投诉
    Complaint,
    /// 矛盾纠纷
    Dispute,
    /// 检举 — the accuser's identity never reaches a handling department (信访工作条例 Art.30).
    Accusation,
    /// 咨询
    Inquiry,
}

impl CaseType {
    /// All types in the order the form offers them.
    pub const ALL: [CaseType; 6] = [
        CaseType::Suggestion,
        CaseType::Help,
        CaseType::Complaint,
        CaseType::Dispute,
        CaseType::Accusation,
        CaseType::Inquiry,
    ];

    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            CaseType::Suggestion => "suggestion",
            CaseType::Help => "help",
            CaseType::Complaint => "complaint",
            CaseType::Dispute => "dispute",
            CaseType::Accusation => "accusation",
            CaseType::Inquiry => "inquiry",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<CaseType> {
        CaseType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The name shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CaseType::Suggestion => lang.pick("建议", "Suggestion"),
            CaseType::Help => lang.pick("求助", "Request for help"),
            CaseType::Complaint => lang.pick("投诉", "Complaint"),
            CaseType::Dispute => lang.pick("矛盾纠纷", "Dispute"),
            CaseType::Accusation => lang.pick("检举", "Accusation"),
            CaseType::Inquiry => lang.pick("咨询", "Inquiry"),
        }
    }

    /// Whether the accuser's identity must be kept from handling departments.
    pub fn hides_identity_from_departments(self) -> bool {
        self == CaseType::Accusation
    }
}

/// Whether the other party of a dispute is willing to mediate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mediation {
    Willing,
    Unwilling,
    Unknown,
}

impl Mediation {
    /// All answers in the order the form offers them.
    pub const ALL: [Mediation; 3] = [Mediation::Willing, Mediation::Unwilling, Mediation::Unknown];

    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            Mediation::Willing => "willing",
            Mediation::Unwilling => "unwilling",
            Mediation::Unknown => "unknown",
        }
    }

    /// The answer shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Mediation::Willing => lang.pick("愿意调解", "Willing to mediate"),
            Mediation::Unwilling => lang.pick("不愿意调解", "Not willing"),
            Mediation::Unknown => lang.pick("不清楚", "Don't know"),
        }
    }
}

/// Where a case stands. The console's workflow moves cases through these states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 已登记 — received, waiting for the acceptance decision.
    Registered,
    /// 已受理
    Accepted,
    /// 不予受理 (with the route to take instead)
    Declined,
    /// 已派单
    Dispatched,
    /// 已答复 — the centre's unified reply has been given.
    Replied,
    /// 已办结
    Closed,
}

impl CaseState {
    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            CaseState::Registered => "registered",
            CaseState::Accepted => "accepted",
            CaseState::Declined => "declined",
            CaseState::Dispatched => "dispatched",
            CaseState::Replied => "replied",
            CaseState::Closed => "closed",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<CaseState> {
        [
            CaseState::Registered,
            CaseState::Accepted,
            CaseState::Declined,
            CaseState::Dispatched,
            CaseState::Replied,
            CaseState::Closed,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// The name shown to residents.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CaseState::Registered => lang.pick("已登记，待受理", "Registered, awaiting acceptance"),
            CaseState::Accepted => lang.pick("已受理", "Accepted"),
            CaseState::Declined => lang.pick("不予受理", "Declined"),
            CaseState::Dispatched => lang.pick("已派单，部门办理中", "Dispatched to a department"),
            CaseState::Replied => lang.pick("已答复", "Replied"),
            CaseState::Closed => lang.pick("已办结", "Closed"),
        }
    }
}

/// The kinds of events a resident can see on their timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 提交诉求 (online) or 代办登记 (at the window).
    Submitted,
}

impl EventKind {
    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Submitted => "submitted",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<EventKind> {
        (code == "submitted").then_some(EventKind::Submitted)
    }

    /// The event's name on the resident's timeline.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            EventKind::Submitted => lang.pick("诉求已提交，等待受理", "Request submitted, awaiting acceptance"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for t in CaseType::ALL {
            assert_eq!(CaseType::from_code(t.code()), Some(t));
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.code()));
        }
        for s in [CaseState::Registered, CaseState::Closed, CaseState::Declined] {
            assert_eq!(CaseState::from_code(s.code()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.code()));
        }
        assert_eq!(CaseType::from_code("nonsense"), None);
    }

    #[test]
    fn only_accusations_hide_identity() {
        let hiding: Vec<_> = CaseType::ALL.into_iter().filter(|t| t.hides_identity_from_departments()).collect();
        assert_eq!(hiding, vec![CaseType::Accusation]);
    }
}
