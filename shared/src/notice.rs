//! Written notices (书面告知): the console records how and when one reached the resident.

use serde::{Deserialize, Serialize};

/// `POST /api/v1/console/cases/{id}/notices/delivery`: 送达 of the case's latest notice
/// of a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordDelivery {
    /// `acceptance` (受理告知书), `decline` (不予受理告知书), `handover` (转送交办告知书),
    /// `reply` (处理意见书) or `review` (复查意见书).
    pub kind: String,
    /// `in_person` (当面), `post` (邮寄), `sms_link` (短信链接) or `other`.
    pub via: String,
    /// `YYYY-MM-DD`: the day it reached the resident (not before it was issued, not in
    /// the future).
    pub delivered_on: String,
}

/// How a notice may be delivered, with its name as staff read it.
pub const VIAS: [(&str, &str); 4] =
    [("in_person", "当面送达"), ("post", "邮寄送达"), ("sms_link", "短信链接送达"), ("other", "其他方式送达")];

/// The name of a way of delivery (`VIAS`), or the code itself if unknown.
pub fn via_label(via: &str) -> &str {
    VIAS.iter().find(|(code, _)| *code == via).map_or(via, |(_, label)| label)
}

/// One written notice of a case as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeView {
    pub id: i64,
    /// `acceptance`, `decline`, `handover`, `reply` or `review` (the code
    /// `/console/notice?kind=` takes).
    pub kind: String,
    /// 受理告知书, 不予受理告知书, 处理意见书.
    pub title: String,
    /// The number as printed (文号).
    pub number: String,
    pub unit: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    /// How it reached the resident (`VIAS`), None until recorded.
    pub delivered_via: Option<String>,
    /// `YYYY-MM-DD`, None until recorded.
    pub delivered_on: Option<String>,
}

/// `PUT /api/v1/console/units/{id}/notice-prefix`: a unit's own prefix in its notices'
/// numbers (文号); empty: the default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticePrefix {
    pub prefix: String,
}

/// A 文号 prefix, in characters (empty: the default).
pub const NOTICE_PREFIX_CHARS: (u32, u32) = (0, 20);
