//! `/api/v1/console/cases/{id}/messages…`: the text messages a case sent the resident,
//! with their delivery states, and sending a failed one again.

use crate::auth::Staff;
use crate::casework::{self, Act};
use crate::error::{ApiJson, ApiPath, AppError};
use crate::{AppState, clock};
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use ow_shared::message::MessageView;

/// The message routes of the console.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/console/cases/{id}/messages", get(list))
        .route("/api/v1/console/cases/{id}/messages/{message_id}/resend", post(resend))
}

/// Every text message of a case, oldest first, with its time and delivery state.
#[utoipa::path(get, path = "/api/v1/console/cases/{id}/messages", tag = "console", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MessageView>), (status = 401, body = ow_shared::ApiError),
              (status = 404, body = ow_shared::ApiError, description = "no such case, or not the officer's department")))]
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<Vec<MessageView>>, AppError> {
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let sign = state.sms_sign_name.clone();
    let list = state
        .db
        .read(move |conn| casework::messages(conn, &Act { case_id: id, now_ms, calendar: &calendar }, &staff, &sign))
        .await?;
    Ok(ApiJson(list))
}

/// 重发短信: sends a failed or dead message again (a new message, a new idempotency id;
/// the old one is no longer retried); recorded as an event. Centre staff only.
#[utoipa::path(post, path = "/api/v1/console/cases/{id}/messages/{message_id}/resend", tag = "console",
    params(("id" = i64, Path), ("message_id" = i64, Path)),
    responses((status = 200, body = MessageView),
              (status = 403, body = ow_shared::ApiError, description = "FORBIDDEN: centre staff only"),
              (status = 404, body = ow_shared::ApiError, description = "no such case or message"),
              (status = 409, body = ow_shared::ApiError, description = "MESSAGE_NOT_RESENDABLE: delivered or still on its way, or no mobile")))]
pub async fn resend(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath((id, message_id)): ApiPath<(i64, i64)>,
) -> Result<ApiJson<MessageView>, AppError> {
    let calendar = state.calendar().await?;
    let now_ms = clock::now_ms();
    let sign = state.sms_sign_name.clone();
    let view = state
        .db
        .write(move |conn| {
            let act = Act { case_id: id, now_ms, calendar: &calendar };
            casework::resend_message(conn, &act, &staff, message_id, &sign)
        })
        .await?;
    Ok(ApiJson(view))
}
