//! The vocabulary of a case (诉求): its type, its state and its public events.

use crate::Lang;
use serde::Serialize;

/// What kind of matter a resident brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
        crate::coded::from_code(code)
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// Where a case stands. The workflow (`crate::workflow`) moves cases through these states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 已登记 — received, waiting for the acceptance decision.
    Registered,
    /// 已受理 — accepted, waiting to be dispatched (or answered directly).
    Accepted,
    /// 不予受理 (with the route to take instead)
    Declined,
    /// 已派单 — departments are handling it.
    Dispatched,
    /// 部门已办理 — every department has responded; the centre's reply is next.
    Responded,
    /// 已答复 — the centre's unified reply has been given; the resident may rate it.
    Replied,
    /// 复查中 — the resident asked for a review (复查) of the reply.
    UnderReview,
    /// 已办结
    Closed,
}

impl CaseState {
    pub const ALL: [CaseState; 8] = [
        CaseState::Registered,
        CaseState::Accepted,
        CaseState::Declined,
        CaseState::Dispatched,
        CaseState::Responded,
        CaseState::Replied,
        CaseState::UnderReview,
        CaseState::Closed,
    ];

    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            CaseState::Registered => "registered",
            CaseState::Accepted => "accepted",
            CaseState::Declined => "declined",
            CaseState::Dispatched => "dispatched",
            CaseState::Responded => "responded",
            CaseState::Replied => "replied",
            CaseState::UnderReview => "under_review",
            CaseState::Closed => "closed",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<CaseState> {
        crate::coded::from_code(code)
    }

    /// The name shown to residents and staff.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CaseState::Registered => lang.pick("已登记，待受理", "Registered, awaiting acceptance"),
            CaseState::Accepted => lang.pick("已受理", "Accepted"),
            CaseState::Declined => lang.pick("不予受理", "Declined"),
            CaseState::Dispatched => lang.pick("已派单，部门办理中", "Dispatched to a department"),
            CaseState::Responded => lang.pick("部门已办理，待统一答复", "Handled, reply coming"),
            CaseState::Replied => lang.pick("已答复，待评价", "Replied, please rate"),
            CaseState::UnderReview => lang.pick("复查中", "Under review"),
            CaseState::Closed => lang.pick("已办结", "Closed"),
        }
    }
}

/// What happened to a case. Each is one append-only event with who, when and a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 提交诉求 (online).
    Submitted,
    /// 代办登记 at the window (visit, phone call, letter).
    WalkInRegistered,
    Accepted,
    Declined,
    Dispatched,
    DispatchTaken,
    DispatchObjected,
    ProgressNoted,
    Responded,
    MediationRecorded,
    Extended,
    LeaderAssigned,
    Replied,
    Rated,
    CallbackOpened,
    CallbackCompleted,
    ReviewRequested,
    ReviewDecided,
    /// A member of staff revealed the full phone and ID number (查看完整号码).
    ContactRevealed,
    /// A clerk issued a new query code after checking the visitor's identity.
    QueryCodeReissued,
    /// 交办 to a unit below.
    HandedDown,
    /// 下派 to a grid worker.
    SentToGrid,
    /// 上报 to a unit above.
    ReportedUp,
    /// The grid worker's task is done.
    GridTaskDone,
    /// 就地化解.
    ResolvedOnSpot,
    /// 网格上报: a grid worker reported what they found on their round.
    GridReported,
    /// The centre agreed to a department's objection (核实同意).
    ObjectionAgreed,
    /// The centre refused it: the department still holds its part.
    ObjectionRefused,
    /// 申请复核 (信访工作条例 Art.36).
    ReReviewRequested,
    /// 复核意见.
    ReReviewDecided,
    /// A member of staff sent again a text message that could not be delivered.
    MessageResent,
    /// 一次性告知: everything missing asked for at once.
    MaterialsRequested,
    /// The resident sent the missing materials.
    MaterialsReceived,
    /// Staff recorded how and when a written notice reached the resident (送达).
    NoticeDelivered,
}

impl EventKind {
    pub const ALL: [EventKind; 34] = [
        EventKind::Submitted,
        EventKind::WalkInRegistered,
        EventKind::Accepted,
        EventKind::Declined,
        EventKind::Dispatched,
        EventKind::DispatchTaken,
        EventKind::DispatchObjected,
        EventKind::ProgressNoted,
        EventKind::Responded,
        EventKind::MediationRecorded,
        EventKind::Extended,
        EventKind::LeaderAssigned,
        EventKind::Replied,
        EventKind::Rated,
        EventKind::CallbackOpened,
        EventKind::CallbackCompleted,
        EventKind::ReviewRequested,
        EventKind::ReviewDecided,
        EventKind::ContactRevealed,
        EventKind::QueryCodeReissued,
        EventKind::HandedDown,
        EventKind::SentToGrid,
        EventKind::ReportedUp,
        EventKind::GridTaskDone,
        EventKind::ResolvedOnSpot,
        EventKind::GridReported,
        EventKind::ObjectionAgreed,
        EventKind::ObjectionRefused,
        EventKind::ReReviewRequested,
        EventKind::ReReviewDecided,
        EventKind::MessageResent,
        EventKind::MaterialsRequested,
        EventKind::MaterialsReceived,
        EventKind::NoticeDelivered,
    ];

    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Submitted => "submitted",
            EventKind::WalkInRegistered => "walk_in_registered",
            EventKind::Accepted => "accepted",
            EventKind::Declined => "declined",
            EventKind::Dispatched => "dispatched",
            EventKind::DispatchTaken => "dispatch_taken",
            EventKind::DispatchObjected => "dispatch_objected",
            EventKind::ProgressNoted => "progress_noted",
            EventKind::Responded => "responded",
            EventKind::MediationRecorded => "mediation_recorded",
            EventKind::Extended => "extended",
            EventKind::LeaderAssigned => "leader_assigned",
            EventKind::Replied => "replied",
            EventKind::Rated => "rated",
            EventKind::CallbackOpened => "callback_opened",
            EventKind::CallbackCompleted => "callback_completed",
            EventKind::ReviewRequested => "review_requested",
            EventKind::ReviewDecided => "review_decided",
            EventKind::ContactRevealed => "contact_revealed",
            EventKind::QueryCodeReissued => "query_code_reissued",
            EventKind::HandedDown => "handed_down",
            EventKind::SentToGrid => "sent_to_grid",
            EventKind::ReportedUp => "reported_up",
            EventKind::GridTaskDone => "grid_task_done",
            EventKind::ResolvedOnSpot => "resolved_on_spot",
            EventKind::GridReported => "grid_reported",
            EventKind::ObjectionAgreed => "objection_agreed",
            EventKind::ObjectionRefused => "objection_refused",
            EventKind::ReReviewRequested => "re_review_requested",
            EventKind::ReReviewDecided => "re_review_decided",
            EventKind::MessageResent => "message_resent",
            EventKind::MaterialsRequested => "materials_requested",
            EventKind::MaterialsReceived => "materials_received",
            EventKind::NoticeDelivered => "notice_delivered",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<EventKind> {
        crate::coded::from_code(code)
    }

    /// The written notice this event issues (受理告知书, 不予受理告知书, 转送交办告知书,
    /// 处理意见书, 复查意见书), by the code its page takes (`/notice?kind=…`); None for
    /// events that issue none.
    pub fn notice_kind(self) -> Option<&'static str> {
        match self {
            EventKind::Accepted => Some("acceptance"),
            EventKind::Declined => Some("decline"),
            EventKind::HandedDown | EventKind::ReportedUp => Some("handover"),
            EventKind::Replied => Some("reply"),
            EventKind::ReviewDecided => Some("review"),
            _ => None,
        }
    }

    /// Whether the resident's timeline shows it. Objections between departments,
    /// internal progress notes, who took the case and callbacks stay inside.
    pub fn is_public(self) -> bool {
        self.public_label(Lang::Zh).is_some()
    }

    /// The event's name on a timeline.
    pub fn label(self, lang: Lang) -> &'static str {
        self.public_label(lang).unwrap_or_else(|| self.staff_label())
    }

    /// The name of a public event in the reader's language; None for internal ones,
    /// which residents never get (and so their app need not carry the words).
    pub fn public_label(self, lang: Lang) -> Option<&'static str> {
        Some(match self {
            EventKind::Submitted => lang.pick("诉求已提交，等待受理", "Request submitted, awaiting acceptance"),
            EventKind::WalkInRegistered => lang.pick("窗口代办登记，等待受理", "Registered at the window"),
            EventKind::Accepted => lang.pick("已受理", "Accepted"),
            EventKind::Declined => lang.pick("不予受理", "Declined"),
            EventKind::Dispatched => lang.pick("已派单至承办部门", "Dispatched to a department"),
            EventKind::DispatchTaken => lang.pick("承办部门已签收", "The department took it"),
            EventKind::Responded => lang.pick("承办部门已办理", "The department responded"),
            EventKind::MediationRecorded => lang.pick("调解结果", "Mediation outcome"),
            EventKind::Extended => lang.pick("办理期限延长", "Time limit extended"),
            EventKind::Replied => lang.pick("中心统一答复", "The centre's reply"),
            EventKind::Rated => lang.pick("群众评价", "Rated"),
            EventKind::ReviewRequested => lang.pick("申请复查", "Review requested"),
            EventKind::ReviewDecided => lang.pick("复查意见", "Review decided"),
            EventKind::HandedDown | EventKind::ReportedUp => lang.pick("转交办理", "Passed on"),
            EventKind::ResolvedOnSpot => lang.pick("就地化解", "Settled on the spot"),
            EventKind::ReReviewRequested => lang.pick("申请复核", "Re-review requested"),
            EventKind::ReReviewDecided => lang.pick("复核意见", "Re-review decided"),
            EventKind::MaterialsRequested => lang.pick("请补充材料", "Materials needed"),
            EventKind::MaterialsReceived => lang.pick("已补充材料", "Materials sent"),
            _ => return None,
        })
    }

    /// The name of an internal event (the console is zh-CN only).
    pub fn staff_label(self) -> &'static str {
        match self {
            EventKind::DispatchObjected => "承办部门提出异议",
            EventKind::ProgressNoted => "办理进展",
            EventKind::LeaderAssigned => "领导包案",
            EventKind::CallbackOpened => "回访任务",
            EventKind::CallbackCompleted => "已回访",
            EventKind::ContactRevealed => "查看完整号码",
            EventKind::QueryCodeReissued => "重新生成查询码",
            EventKind::HandedDown => "交办",
            EventKind::ReportedUp => "上报",
            EventKind::SentToGrid => "下派网格员",
            EventKind::GridTaskDone => "网格员办结反馈",
            EventKind::GridReported => "网格员上报",
            EventKind::ObjectionAgreed => "异议核实同意",
            EventKind::ObjectionRefused => "异议不予同意",
            EventKind::MessageResent => "重发短信",
            EventKind::NoticeDelivered => "告知书已送达",
            other => other.public_label(Lang::Zh).unwrap_or_default(),
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
        for s in CaseState::ALL {
            assert_eq!(CaseState::from_code(s.code()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.code()));
        }
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_code(k.code()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.code()));
        }
        assert_eq!(CaseType::from_code("nonsense"), None);
    }

    #[test]
    fn only_accusations_hide_identity() {
        let hiding: Vec<_> = CaseType::ALL.into_iter().filter(|t| t.hides_identity_from_departments()).collect();
        assert_eq!(hiding, vec![CaseType::Accusation]);
    }
}

// Read from their codes through one lookup (see `crate::coded`).
crate::coded_by_table!(CaseType, Mediation, CaseState, EventKind);
crate::deserialize_by_code!(CaseType, Mediation, CaseState, EventKind);
