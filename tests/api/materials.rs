//! 补正 (issue 14): staff ask for everything missing at once; the resident sees the list
//! on 查进度 and gets a text with the upload page's link; they send photos and a note
//! with the query code; the case shows what came back and when.

use crate::helpers::{png_bytes, spawn_app};
use ow_shared::materials::MaterialRequestView;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn in_days(days: i64) -> String {
    let today = onewindow::clock::date_of(onewindow::clock::now_ms());
    ow_shared::calendar::format(onewindow::clock::add_days(today, days))
}

#[tokio::test]
async fn one_request_for_everything_missing_and_the_answer_with_photos() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let receipt = app.submit(&app.valid_request().await).await;
    let id = app.case_id(&desk.clerk, &receipt.tracking_no).await;
    let path = format!("/api/v1/console/cases/{id}/materials");
    let ask = json!({ "items": ["路灯位置的照片", " ", "村委会出具的情况说明"], "due_on": in_days(7) });

    // Refusals first: each says why and stores nothing.
    let (status, body) =
        app.console_post(&desk.clerk, &path, Some(json!({ "items": [" "], "due_on": in_days(40) }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["items", "due_on"]);
    let (status, _) = app.console_post(&desk.sifasuo, &path, Some(ask.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT count(*) FROM material_requests"), 0);

    let (status, body) = app.console_post(&desk.clerk, &path, Some(ask.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.console_post(&desk.clerk, &path, Some(ask.clone())).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("MATERIALS_NOT_REQUESTABLE")),
        "one open at a time"
    );

    // The resident sees the whole list on 查进度, and gets a text with the upload link.
    let (_, _, track) = app.track(&receipt.tracking_no, &receipt.query_code).await;
    let asked = track["events"].as_array().unwrap().iter().find(|e| e["kind"] == "materials_requested").unwrap();
    let note = asked["note"].as_str().unwrap();
    assert!(note.contains("1. 路灯位置的照片；2. 村委会出具的情况说明"), "{note}");
    assert!(note.contains(&format!("/materials?no={}", receipt.tracking_no)), "{note}");
    let messages = app.delivered_messages(&desk.clerk, id, 2).await;
    assert_eq!(messages[1].template, "case_materials_requested");
    assert!(messages[1].text.contains("需补充材料2项"), "{}", messages[1].text);
    assert!(messages[1].text.contains(&format!("/materials?no={}", receipt.tracking_no)), "{}", messages[1].text);

    // A wrong code is refused like a wrong tracking look-up; nothing is taken.
    let (_, photo) = app.upload(png_bytes(), "image/png").await;
    let photo_id = photo["id"].as_str().unwrap().to_string();
    let supply = |code: &str| json!({ "tracking_no": receipt.tracking_no, "query_code": code, "photo_ids": [photo_id], "note": "说明已盖章" });
    let (status, body) = app.post_json("/api/v1/track/materials", &supply("00000000")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("TRACK_NOT_FOUND")));
    let (status, body) = app.post_json("/api/v1/track/materials", &supply(&receipt.query_code)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let received: Vec<&Value> =
        body["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "materials_received").collect();
    assert_eq!(received[0]["note"], "已上传照片 1 张。补充说明：说明已盖章");
    let (status, body) = app.post_json("/api/v1/track/materials", &supply(&receipt.query_code)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("MATERIALS_NOT_REQUESTED")));

    // The case shows what came back and when; the photo opens in the console.
    let (status, list) = app.console_get(&desk.clerk, &path).await;
    assert_eq!(status, StatusCode::OK);
    let list: Vec<MaterialRequestView> = serde_json::from_value(list).unwrap();
    assert_eq!(list[0].items, ["路灯位置的照片", "村委会出具的情况说明"]);
    assert!(list[0].answered_at.is_some());
    assert_eq!((list[0].note.as_str(), list[0].photo_ids.as_slice()), ("说明已盖章", [photo_id.clone()].as_slice()));
    let (status, _) = app.console_get(&desk.clerk, &format!("/api/v1/console/photos/{photo_id}")).await;
    assert_ne!(status, StatusCode::NOT_FOUND);

    // Declined cases are not asked for anything.
    let other = app.submit(&app.valid_request().await).await;
    let other_id = app.case_id(&desk.clerk, &other.tracking_no).await;
    app.act_ok(&desk.clerk, other_id, json!({ "action": "decline", "route": "litigation", "reason": "属于民事纠纷" }))
        .await;
    let (status, body) =
        app.console_post(&desk.clerk, &format!("/api/v1/console/cases/{other_id}/materials"), Some(ask)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("MATERIALS_NOT_REQUESTABLE")));
}

#[tokio::test]
async fn the_upload_page_is_a_small_page_of_its_own() {
    let app = spawn_app().await;
    let page = app.get("/materials?no=2612060000001").await;
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("src=\"/materials.js\""));
    let script = app.get("/materials.js").await;
    assert_eq!(script.status(), StatusCode::OK);
    assert!(script.text().await.unwrap().contains("/api/v1/track/materials"));
}
