//! Faults: a full disk (emulated by a database size limit, `PRAGMA max_page_count`)
//! answers 503 `STORAGE_FULL`, loses nothing acknowledged, and the server takes cases
//! again once there is room.

use crate::helpers::spawn_app_with;
use ow_shared::dto::{Receipt, SubmitCaseRequest};
use reqwest::StatusCode;
use serde_json::Value;

fn size_mib(db: &std::path::Path) -> u64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    let pages: u64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    let page_size: u64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    pages * page_size / (1024 * 1024)
}

#[tokio::test]
async fn a_full_disk_answers_503_loses_nothing_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ow.sqlite");
    let path = db.clone();
    let first = spawn_app_with(move |c| c.db = path).await;
    let long = SubmitCaseRequest {
        description: "村口路灯坏了，晚上出行不便。".repeat(140),
        ..first.valid_request().await
    };
    drop(first);
    let cap = size_mib(&db) + 1;

    let path = db.clone();
    let full = spawn_app_with(move |c| {
        c.db = path;
        c.limits.max_database_mb = cap;
    })
    .await;
    let mut acknowledged: Vec<Receipt> = Vec::new();
    let mut refusal: Option<Value> = None;
    for _ in 0..2000 {
        let (status, _, text) = full.submit_raw(Some(&crate::helpers::new_key()), &long).await;
        match status {
            StatusCode::CREATED => acknowledged.push(serde_json::from_str(&text).unwrap()),
            StatusCode::SERVICE_UNAVAILABLE => {
                refusal = Some(serde_json::from_str(&text).unwrap());
                break;
            }
            other => panic!("{other}: {text}"),
        }
    }
    let body = refusal.expect("the database fills up");
    assert_eq!(body["code"], "STORAGE_FULL");
    assert!(body["message"].as_str().unwrap().contains("存储空间已满"));
    assert!(!acknowledged.is_empty());
    let response = full
        .client
        .post(format!("{}/api/v1/cases", full.url))
        .header("idempotency-key", crate::helpers::new_key())
        .json(&long)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("retry-after"));
    // Reading goes on while writing cannot.
    let last = acknowledged.last().unwrap();
    assert_eq!(full.track(&last.tracking_no, &last.query_code).await.0, StatusCode::OK);
    drop(full);

    // Room again: the same database takes cases, and every acknowledged one is there.
    let path = db.clone();
    let roomy = spawn_app_with(move |c| c.db = path).await;
    roomy.submit(&long).await;
    for receipt in &acknowledged {
        assert_eq!(roomy.track(&receipt.tracking_no, &receipt.query_code).await.0, StatusCode::OK);
    }
    assert_eq!(roomy.count("SELECT count(*) FROM cases"), acknowledged.len() as i64 + 1);
}
