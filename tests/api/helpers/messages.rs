//! Text messages: what the console shows of a case's messages, and waiting for the
//! delivery worker.

use super::{Signed, TestApp};
use ow_shared::message::{MessageState, MessageView};
use reqwest::StatusCode;
use std::time::Duration;

impl TestApp {
    /// A case's messages as the console shows them.
    pub async fn case_messages(&self, who: &Signed, case_id: i64) -> Vec<MessageView> {
        let (status, body) = self.console_get(who, &format!("/api/v1/console/cases/{case_id}/messages")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).unwrap()
    }

    /// Waits (at most 20 s) until the case's messages satisfy `done`; returns them.
    pub async fn messages_when(
        &self,
        who: &Signed,
        case_id: i64,
        done: impl Fn(&[MessageView]) -> bool,
    ) -> Vec<MessageView> {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let messages = self.case_messages(who, case_id).await;
            if done(&messages) {
                return messages;
            }
            assert!(std::time::Instant::now() < deadline, "messages never settled: {messages:#?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the case has `n` messages, all delivered.
    pub async fn delivered_messages(&self, who: &Signed, case_id: i64, n: usize) -> Vec<MessageView> {
        self.messages_when(who, case_id, |m| m.len() == n && m.iter().all(|m| m.state == MessageState::Delivered)).await
    }

    /// The outbox's rows of one state, by SQL (bookings' messages have no case page).
    pub fn outbox_count(&self, filter: &str) -> i64 {
        self.count(&format!("SELECT count(*) FROM messages WHERE {filter}"))
    }
}
