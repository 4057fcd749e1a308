//! Written notices (书面告知): the console records how and when one reached the resident.

use serde::{Deserialize, Serialize};

/// `POST /api/v1/console/cases/{id}/notices/delivery`: 送达 of the case's latest notice
/// of a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordDelivery {
    /// `acceptance` (受理告知书), `decline` (不予受理告知书) or `reply` (处理意见书).
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
