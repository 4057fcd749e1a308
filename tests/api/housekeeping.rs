//! The hourly clean-up forgets plain query codes and drops unattached photos.

use crate::helpers::{png_bytes, spawn_app};
use ow_shared::dto::{Receipt, SubmitCaseRequest};
use reqwest::StatusCode;

#[tokio::test]
async fn old_query_codes_and_orphan_photos_are_cleaned_up_but_cases_stay() {
    let app = spawn_app().await;
    let (_, attached) = app.upload(png_bytes(), "image/png").await;
    let (_, orphan) = app.upload(png_bytes(), "image/png").await;
    let request =
        SubmitCaseRequest { photo_ids: vec![attached["id"].as_str().unwrap().into()], ..app.valid_request().await };
    let key = crate::helpers::new_key();
    let (_, _, body) = app.submit_raw(Some(&key), &request).await;
    let receipt: Receipt = serde_json::from_str(&body).unwrap();

    let db = onewindow::db::Db::open(&app.db_path).unwrap();
    let in_a_day = onewindow::clock::now_ms() + 1000;
    assert_eq!(onewindow::housekeeping::sweep(&db, in_a_day).await.unwrap(), (1, 1));

    let plain = format!("SELECT count(*) FROM idempotency_keys WHERE response LIKE '%{}%'", receipt.query_code);
    assert_eq!(app.count(&plain), 0, "the plain code is gone from the database");
    let orphan_left = format!("SELECT count(*) FROM uploads WHERE id = '{}'", orphan["id"].as_str().unwrap());
    assert_eq!(app.count(&orphan_left), 0);
    assert_eq!(app.count("SELECT count(*) FROM uploads WHERE case_id IS NOT NULL"), 1);
    // A late retry still gets its case back (without the code), and tracking still works.
    let (status, _, again) = app.submit_raw(Some(&key), &request).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(serde_json::from_str::<Receipt>(&again).unwrap().tracking_no, receipt.tracking_no);
    assert_eq!(app.track(&receipt.tracking_no, &receipt.query_code).await.0, StatusCode::OK);
}
