//! Text messages (短信) to residents: their delivery states and how staff see them.

use serde::{Deserialize, Serialize};

/// Where a message is on its way to the resident's phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::VariantArray)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageState {
    /// Written with the act that caused it; waiting for its time (quiet hours, the
    /// daily cap) or for the delivery worker.
    Queued,
    /// Handed to the gateway, answer not yet recorded.
    Sending,
    /// The gateway accepted it.
    Delivered,
    /// The last attempt failed; it will be tried again.
    Failed,
    /// Every attempt failed (or the gateway refused it for good): staff may send it again.
    Dead,
}

impl MessageState {
    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            MessageState::Queued => "queued",
            MessageState::Sending => "sending",
            MessageState::Delivered => "delivered",
            MessageState::Failed => "failed",
            MessageState::Dead => "dead",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<MessageState> {
        <MessageState as strum::VariantArray>::VARIANTS.iter().copied().find(|s| s.code() == code)
    }

    /// The state as the console shows it.
    pub fn label(self) -> &'static str {
        match self {
            MessageState::Queued => "待发送",
            MessageState::Sending => "发送中",
            MessageState::Delivered => "已送达短信平台",
            MessageState::Failed => "发送失败，将重试",
            MessageState::Dead => "发送失败",
        }
    }

    /// Whether staff may send it again.
    pub fn resendable(self) -> bool {
        matches!(self, MessageState::Failed | MessageState::Dead)
    }
}

/// One text message of a case, as the console shows it (`GET /api/v1/console/cases/{id}/messages`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageView {
    pub id: i64,
    /// The template's id (e.g. `case_accepted`).
    pub template: String,
    /// The text as the resident reads it, signature included.
    pub text: String,
    pub mobile_masked: String,
    pub state: MessageState,
    pub attempts: u32,
    /// `YYYY-MM-DD HH:MM`, Asia/Shanghai.
    pub created_at: String,
    /// When it is (next) due to go out, while queued or failed.
    pub next_attempt_at: Option<String>,
    pub delivered_at: Option<String>,
    /// Why the last attempt failed, in the gateway's words; empty otherwise.
    pub last_error: String,
    /// The message this one sends again, if it is a resend.
    pub resent_from: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for s in <MessageState as strum::VariantArray>::VARIANTS {
            assert_eq!(MessageState::from_code(s.code()), Some(*s));
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{}\"", s.code()));
        }
    }
}
