//! What a clerk, an officer and a resident met (issue 11): phones masked for everyone
//! with a recorded "查看完整号码", walk-ins by landline or post, a 不满意 with its reason
//! and the callback's date, and a new query code for a visitor who lost theirs.

use super::dispatch;
use crate::helpers::spawn_app;
use ow_shared::CaseType;
use ow_shared::console::{CaseDetail, ContactView};
use ow_shared::dto::Receipt;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn phones_are_masked_for_every_role_and_revealing_one_is_recorded() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let zongzhi = app.department_id(&desk.clerk, "zongzhi").await;
    let receipt = app.walk_in(&desk.clerk, CaseType::Complaint, "路边摊占道经营").await;
    let id = app.case_id(&desk.clerk, &receipt.tracking_no).await;
    app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    app.act_ok(&desk.clerk, id, dispatch(zongzhi)).await;

    for who in [&desk.clerk, &desk.leader, &desk.zongzhi] {
        let (status, seen) = app.case_detail(who, id).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(seen["mobile"], "138****5678", "{}", who.info.username);
        assert_eq!(seen["can_reveal_contact"], true);
        assert!(!seen.to_string().contains("13812345678"));
    }
    let path = format!("/api/v1/console/cases/{id}/contact");
    let (status, contact) = app.console_post(&desk.zongzhi, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{contact}");
    let contact: ContactView = serde_json::from_value(contact).unwrap();
    assert_eq!(contact.mobile, "13812345678");
    let (_, seen) = app.case_detail(&desk.clerk, id).await;
    let seen: CaseDetail = serde_json::from_value(seen).unwrap();
    let reveal = seen.events.iter().find(|e| e.kind.code() == "contact_revealed").expect("recorded");
    assert_eq!(
        (reveal.actor.as_str(), reveal.public),
        ("综治办-张伟", false),
        "who, and never on the resident's timeline"
    );
    assert_eq!(app.console_post(&desk.admin, &path, None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.console_post(&desk.sifasuo, &path, None).await.0, StatusCode::NOT_FOUND);

    // An accuser's number never reaches the department, not even by asking.
    let accusation = app.walk_in(&desk.clerk, CaseType::Accusation, "检举某单位违规收费").await;
    let accusation = app.case_id(&desk.clerk, &accusation.tracking_no).await;
    app.act_ok(&desk.clerk, accusation, json!({ "action": "accept", "note": "" })).await;
    app.act_ok(&desk.clerk, accusation, dispatch(zongzhi)).await;
    let (_, seen) = app.case_detail(&desk.zongzhi, accusation).await;
    assert_eq!(seen["can_reveal_contact"], false);
    let path = format!("/api/v1/console/cases/{accusation}/contact");
    assert_eq!(app.console_post(&desk.zongzhi, &path, None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.console_post(&desk.clerk, &path, None).await.0, StatusCode::OK);
}

async fn walk_in_with(
    app: &crate::helpers::TestApp,
    who: &crate::helpers::Signed,
    mobile: &str,
    post: &str,
) -> (StatusCode, Value) {
    let mut case = app.valid_request().await;
    case.mobile = mobile.into();
    app.post_walk_in(who, json!({ "case": case, "channel": "letter", "postal_address": post })).await
}

#[tokio::test]
async fn a_walk_in_takes_a_landline_or_no_phone_with_a_postal_address_online_needs_a_mobile() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let (status, receipt) = walk_in_with(&app, &desk.clerk, "0851 1234 5678", "").await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    let receipt: Receipt = serde_json::from_value(receipt).unwrap();
    assert_eq!(receipt.mobile_masked, "0851-****5678");
    assert_eq!(app.count("SELECT count(*) FROM cases WHERE mobile = '0851-12345678'"), 1);

    let (status, body) = walk_in_with(&app, &desk.clerk, "", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (body["fields"][0]["field"].as_str(), body["fields"][0]["code"].as_str()),
        (Some("mobile"), Some("CONTACT_MISSING"))
    );
    let (status, body) = walk_in_with(&app, &desk.clerk, "12345", "").await;
    assert_eq!(
        (status, body["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("LANDLINE_PHONE_INVALID"))
    );
    let (status, receipt) = walk_in_with(&app, &desk.clerk, "", "桃源镇桃源村3组12号 王大爷收").await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    let id = app.case_id(&desk.clerk, receipt["tracking_no"].as_str().unwrap()).await;
    let (_, seen) = app.case_detail(&desk.clerk, id).await;
    assert_eq!(
        (seen["mobile"].as_str(), seen["postal_address"].as_str()),
        (Some(""), Some("桃源镇桃源村3组12号 王大爷收"))
    );

    // The same landline, written another way, is found as a possible repeat.
    let (status, found) = app
        .console_post(&desk.clerk, "/api/v1/console/cases/repeats", Some(json!({ "mobile": "(0851)12345678" })))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["reason"], "same_person");

    // The resident's own form still needs a mobile, on the server too.
    let mut online = app.valid_request().await;
    online.mobile = "0851-12345678".into();
    let (status, error) = app.submit_error(&online).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error.fields[0].code, ow_shared::ErrorCode::MobileInvalid);
}

/// A replied case: walk-in, accepted, dispatched, responded, replied.
async fn replied_case(app: &crate::helpers::TestApp, desk: &crate::helpers::Desk) -> (Receipt, i64) {
    let zongzhi = app.department_id(&desk.clerk, "zongzhi").await;
    let receipt = app.walk_in(&desk.clerk, CaseType::Complaint, "菜市场夜间噪音扰民").await;
    let id = app.case_id(&desk.clerk, &receipt.tracking_no).await;
    app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    let case = app.act_ok(&desk.clerk, id, dispatch(zongzhi)).await;
    let part = super::part(&case, zongzhi);
    app.act_ok(&desk.zongzhi, id, json!({ "action": "take", "dispatch_id": part })).await;
    app.act_ok(&desk.zongzhi, id, json!({ "action": "respond", "dispatch_id": part, "response": "已约谈市场管理方" }))
        .await;
    app.act_ok(&desk.clerk, id, json!({ "action": "reply", "reply": "经协调，菜市场已承诺夜间停止装卸。" })).await;
    (receipt, id)
}

#[tokio::test]
async fn dissatisfied_with_a_reason_shows_it_on_the_callback_and_tells_the_resident_what_next_and_when() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let (receipt, id) = replied_case(&app, &desk).await;
    let (status, body) =
        app.resident_act(&receipt, json!({ "rating": "dissatisfied", "review_reason": "路".repeat(201) })).await;
    assert_eq!((status, body["fields"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("TOO_LONG")));

    let (status, tracked) =
        app.resident_act(&receipt, json!({ "rating": "dissatisfied", "review_reason": "夜间仍有装卸噪音" })).await;
    assert_eq!(status, StatusCode::OK, "{tracked}");
    let (_, seen) = app.case_detail(&desk.clerk, id).await;
    let seen: CaseDetail = serde_json::from_value(seen).unwrap();
    assert_eq!(seen.callbacks[0].reason, "夜间仍有装卸噪音");
    let rated_note = tracked["events"].as_array().unwrap().iter().find(|e| e["kind"] == "rated").unwrap()["note"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        rated_note.contains(&format!("中心将在 {} 前与您联系回访", seen.callbacks[0].due_on))
            && rated_note.contains("申请复查"),
        "the resident reads what happens next and by when: {rated_note}"
    );
    let rated = seen.events.iter().find(|e| e.kind.code() == "rated").unwrap();
    assert!(rated.note.contains("夜间仍有装卸噪音"), "the reason is in the event: {}", rated.note);
    assert!(!tracked["events"].to_string().contains("夜间仍有装卸噪音"), "but not on the public timeline");
}

#[tokio::test]
async fn a_clerk_issues_a_new_query_code_after_checking_identity_and_the_old_one_stops_working() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let receipt = app.walk_in(&desk.clerk, CaseType::Complaint, "路灯长期不亮").await;
    let id = app.case_id(&desk.clerk, &receipt.tracking_no).await;
    let path = format!("/api/v1/console/cases/{id}/query-code");

    let (status, body) = app.console_post(&desk.clerk, &path, Some(json!({ "identity_checked": false }))).await;
    assert_eq!(
        (status, body["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("IDENTITY_NOT_CHECKED"))
    );
    let (status, _) = app.console_post(&desk.leader, &path, Some(json!({ "identity_checked": true }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "clerks, at the window");

    let (status, fresh) = app.console_post(&desk.clerk, &path, Some(json!({ "identity_checked": true }))).await;
    assert_eq!(status, StatusCode::OK, "{fresh}");
    let fresh: Receipt = serde_json::from_value(fresh).unwrap();
    assert_eq!((fresh.tracking_no.as_str(), fresh.query_code.len()), (receipt.tracking_no.as_str(), 8));
    assert_ne!(fresh.query_code, receipt.query_code);
    assert_eq!(fresh.deadlines, receipt.deadlines);
    assert_eq!(app.track(&receipt.tracking_no, &receipt.query_code).await.0, StatusCode::NOT_FOUND, "the old code");
    assert_eq!(app.track(&fresh.tracking_no, &fresh.query_code).await.0, StatusCode::OK);
    let (_, seen) = app.case_detail(&desk.clerk, id).await;
    let seen: CaseDetail = serde_json::from_value(seen).unwrap();
    let event = seen.events.iter().find(|e| e.kind.code() == "query_code_reissued").expect("recorded");
    assert_eq!(event.actor, "窗口-李敏");
    assert!(!seen.events.iter().any(|e| e.note.contains(&fresh.query_code)), "the code is never stored in clear");
}
