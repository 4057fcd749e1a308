//! The workflow's words: how a case came in, where a declined matter belongs, where a
//! department's part stands, the resident's rating, a mediation's outcome, and the
//! kinds of action with who may take them and their buttons' labels.

use crate::staff::Role;
use serde::{Deserialize, Serialize};

/// How a case reached the centre (信访工作条例 Art.17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 来访
    Visit,
    /// 来电
    Phone,
    /// 来信
    Letter,
    /// 网上
    Online,
    /// 网格上报: found by a grid worker on their round.
    Grid,
}

impl Channel {
    pub const ALL: [Channel; 5] = [Channel::Visit, Channel::Phone, Channel::Letter, Channel::Online, Channel::Grid];
    /// What a clerk picks from when registering at the window.
    pub const AT_THE_WINDOW: [Channel; 4] = [Channel::Visit, Channel::Phone, Channel::Letter, Channel::Online];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Visit => "visit",
            Channel::Phone => "phone",
            Channel::Letter => "letter",
            Channel::Online => "online",
            Channel::Grid => "grid",
        }
    }

    pub fn from_code(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Visit => "来访",
            Channel::Phone => "来电",
            Channel::Letter => "来信",
            Channel::Online => "网上",
            Channel::Grid => "网格上报",
        }
    }
}

/// A hand-over of a case between units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HandOverKind {
    /// 交办: down, to a township centre or village station below the holder.
    AssignDown,
    /// 下派: to a grid worker of a grid under the holder.
    SendToGrid,
    /// 上报: up, to a unit above the holder.
    ReportUp,
}

impl HandOverKind {
    pub const ALL: [HandOverKind; 3] = [HandOverKind::AssignDown, HandOverKind::SendToGrid, HandOverKind::ReportUp];

    pub fn code(self) -> &'static str {
        match self {
            HandOverKind::AssignDown => "assign_down",
            HandOverKind::SendToGrid => "send_to_grid",
            HandOverKind::ReportUp => "report_up",
        }
    }

    pub fn from_code(code: &str) -> Option<HandOverKind> {
        HandOverKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            HandOverKind::AssignDown => "交办",
            HandOverKind::SendToGrid => "下派",
            HandOverKind::ReportUp => "上报",
        }
    }
}

/// Where a declined matter belongs instead (Art.31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeclineRoute {
    /// 诉讼
    Litigation,
    /// 仲裁
    Arbitration,
    /// 行政复议
    AdministrativeReview,
    /// 其他法定途径
    OtherLegalRoute,
}

impl DeclineRoute {
    pub const ALL: [DeclineRoute; 4] = [
        DeclineRoute::Litigation,
        DeclineRoute::Arbitration,
        DeclineRoute::AdministrativeReview,
        DeclineRoute::OtherLegalRoute,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DeclineRoute::Litigation => "诉讼",
            DeclineRoute::Arbitration => "仲裁",
            DeclineRoute::AdministrativeReview => "行政复议",
            DeclineRoute::OtherLegalRoute => "其他法定途径",
        }
    }
}

/// Where one department's part of a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DispatchState {
    /// 待签收
    Pending,
    /// 办理中
    Taken,
    /// 已退回 — the centre agreed to the department's objection (核实同意); no longer
    /// this department's, the centre re-dispatches.
    Objected,
    /// 已办理
    Responded,
}

impl DispatchState {
    pub const ALL: [DispatchState; 4] =
        [DispatchState::Pending, DispatchState::Taken, DispatchState::Objected, DispatchState::Responded];

    pub fn code(self) -> &'static str {
        match self {
            DispatchState::Pending => "pending",
            DispatchState::Taken => "taken",
            DispatchState::Objected => "objected",
            DispatchState::Responded => "responded",
        }
    }

    pub fn from_code(code: &str) -> Option<DispatchState> {
        DispatchState::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DispatchState::Pending => "待签收",
            DispatchState::Taken => "办理中",
            DispatchState::Objected => "已退回（异议）",
            DispatchState::Responded => "已办理",
        }
    }

    /// Still the department's to answer or answered (not objected away).
    pub fn is_active(self) -> bool {
        self != DispatchState::Objected
    }
}

/// The resident's verdict on the reply (满意度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::Satisfied, Rating::BasicallySatisfied, Rating::Dissatisfied];

    pub fn code(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::BasicallySatisfied => "basically_satisfied",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    pub fn from_code(code: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::BasicallySatisfied => "基本满意",
            Rating::Dissatisfied => "不满意",
        }
    }
}

/// The outcome of mediating a dispute (诉调对接).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum MediationOutcome {
    /// 调解成功, with the agreement and, if the court confirmed it, the date (司法确认).
    Settled { agreement: String, judicial_confirmation_on: Option<String> },
    /// 调解不成功; referred to the court (移送法院) or not.
    NotSettled { referred_to_court: bool, note: String },
}

impl MediationOutcome {
    /// What the resident's timeline says (never the agreement's text).
    pub fn public_summary(&self) -> String {
        match self {
            MediationOutcome::Settled { judicial_confirmation_on: Some(day), .. } => {
                format!("调解成功，已达成调解协议；{day} 经法院司法确认")
            }
            MediationOutcome::Settled { .. } => "调解成功，已达成调解协议".into(),
            MediationOutcome::NotSettled { referred_to_court: true, .. } => "调解不成功，已引导至法院诉讼".into(),
            MediationOutcome::NotSettled { .. } => "调解不成功".into(),
        }
    }
}

/// The kind of an action, without its data: for permissions and the console's buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Accept,
    Decline,
    Dispatch,
    Take,
    Object,
    Progress,
    Respond,
    RecordMediation,
    Extend,
    TakeAsLeader,
    Reply,
    CompleteCallback,
    DecideReview,
    AssignDown,
    SendToGrid,
    ReportUp,
    GridDone,
    ResolveOnSpot,
    DecideObjection,
}

impl ActionKind {
    pub const ALL: [ActionKind; 19] = [
        ActionKind::Accept,
        ActionKind::Decline,
        ActionKind::Dispatch,
        ActionKind::Take,
        ActionKind::Object,
        ActionKind::Progress,
        ActionKind::Respond,
        ActionKind::RecordMediation,
        ActionKind::Extend,
        ActionKind::TakeAsLeader,
        ActionKind::Reply,
        ActionKind::CompleteCallback,
        ActionKind::DecideReview,
        ActionKind::AssignDown,
        ActionKind::SendToGrid,
        ActionKind::ReportUp,
        ActionKind::GridDone,
        ActionKind::ResolveOnSpot,
        ActionKind::DecideObjection,
    ];

    /// The roles that may take this action at all.
    pub fn roles(self) -> &'static [Role] {
        use ActionKind::*;
        match self {
            Accept | Decline | Dispatch | Reply | CompleteCallback | DecideReview => Role::CENTRE,
            AssignDown | SendToGrid | ReportUp | DecideObjection => Role::CENTRE,
            // A grid worker settles on the spot what they found or were sent.
            ResolveOnSpot => &[Role::Clerk, Role::Leader, Role::GridWorker],
            Take | Object | Progress | Respond => &[Role::Officer],
            GridDone => &[Role::GridWorker],
            RecordMediation => &[Role::Clerk, Role::Leader, Role::Officer],
            Extend | TakeAsLeader => &[Role::Leader],
        }
    }

    /// The button's label in the console.
    pub fn label(self) -> &'static str {
        use ActionKind::*;
        match self {
            Accept => "受理",
            Decline => "不予受理",
            Dispatch => "派单",
            Take => "签收",
            Object => "提出异议",
            Progress => "记录进展",
            Respond => "办理结果",
            RecordMediation => "登记调解结果",
            Extend => "延期",
            TakeAsLeader => "领导包案",
            Reply => "统一答复",
            CompleteCallback => "完成回访",
            DecideReview => "复查意见",
            AssignDown => "交办",
            SendToGrid => "下派网格员",
            ReportUp => "上报",
            GridDone => "办结反馈",
            ResolveOnSpot => "就地化解",
            DecideObjection => "审核异议",
        }
    }
}
