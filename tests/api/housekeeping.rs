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

#[tokio::test]
async fn retention_blanks_personal_data_once_its_time_is_up_and_keeps_events_and_figures() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let (_, photo) = app.upload(png_bytes(), "image/png").await;
    let spam = SubmitCaseRequest {
        photo_ids: vec![photo["id"].as_str().unwrap().into()],
        id_number: "11010519491231002X".into(),
        ..app.valid_request().await
    };
    let spam = app.submit(&spam).await;
    let open = app.submit(&app.valid_request().await).await;
    let spam_id = app.case_id(&desk.clerk, &spam.tracking_no).await;
    let decline = serde_json::json!({ "action": "decline", "route": "litigation", "reason": "属于民事诉讼范围" });
    app.act_ok(&desk.clerk, spam_id, decline).await;
    let place = app.booking_centre().await;
    let slot = app.bookable_slots(place.id).await.remove(0);
    app.booked(&crate::booking::request(place.id, &slot, "13900000001")).await;
    let events = app.count("SELECT count(*) FROM case_events");

    let db = onewindow::db::Db::open(&app.db_path).unwrap();
    let policy = onewindow::housekeeping::Retention::default();
    let now = onewindow::clock::now_ms();
    let nothing = onewindow::housekeeping::retain(&db, &policy, now).await.unwrap();
    assert_eq!((nothing.cases, nothing.bookings, nothing.sign_in_records), (0, 0, 0), "nothing is due yet");

    let in_200_days = now + 200 * 24 * 60 * 60 * 1000;
    let done = onewindow::housekeeping::retain(&db, &policy, in_200_days).await.unwrap();
    assert_eq!(done.cases, 1, "the declined case; the open one is kept whatever its age");
    let blanked = format!(
        "SELECT count(*) FROM cases WHERE id = {spam_id} AND contact_name = '' AND mobile = '' AND id_number IS NULL
           AND address = '' AND anonymised_at_ms IS NOT NULL"
    );
    assert_eq!(app.count(&blanked), 1);
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0, "its photo is gone");
    assert_eq!(app.count("SELECT count(*) FROM cases WHERE mobile = '13812345678'"), 1, "the open case keeps its own");
    assert_eq!(app.count("SELECT count(*) FROM case_events"), events, "every event stays");
    assert_eq!(app.track(&spam.tracking_no, &spam.query_code).await.0, StatusCode::OK, "still trackable");
    let (status, seen) = app.case_detail(&desk.clerk, spam_id).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!seen.to_string().contains("13812345678") && !seen.to_string().contains("张三"));

    let in_400_days = now + 400 * 24 * 60 * 60 * 1000;
    let done = onewindow::housekeeping::retain(&db, &policy, in_400_days).await.unwrap();
    assert_eq!(done.bookings, 1);
    assert!(done.sign_in_records >= 5, "the five sign-ins of the desk");
    assert_eq!(app.count("SELECT count(*) FROM bookings WHERE mobile = '13900000001'"), 0);
    assert_eq!(app.count("SELECT count(*) FROM staff_events WHERE kind LIKE 'sign_%'"), 0);
    // The record of accounts stays append-only.
    let account =
        serde_json::json!({ "username": "x_clerk", "display_name": "x", "role": "clerk", "password": "long enough!" });
    assert_eq!(app.console_post(&desk.admin, "/api/v1/console/staff", Some(account)).await.0, StatusCode::CREATED);
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    assert!(conn.execute("DELETE FROM staff_events WHERE kind = 'account_created'", []).is_err());
    assert!(app.count(&format!("SELECT count(*) FROM cases WHERE tracking_no = '{}'", open.tracking_no)) == 1);
}

#[tokio::test]
async fn a_legal_aid_application_keeps_its_applicant_while_it_runs_then_is_blanked_with_events_kept() {
    use ow_shared::booking::{BookRequest, LegalService};
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let slot = app.bookable_slots(place.id).await.remove(0);
    let aid = BookRequest {
        service: Some(LegalService::LegalAidApplication),
        ..crate::booking::request(place.id, &slot, "13900000002")
    };
    let aid = app.booked(&aid).await;
    let booking_id = app.count(&format!("SELECT id FROM bookings WHERE code = '{}'", aid.code));
    let clerk = app.sign_in("clerk").await;
    let path = format!("/api/v1/console/bookings/{booking_id}/legal-aid");
    let body = serde_json::json!({ "answers": { "matter": "labour_relation_or_pay", "monthly_income_per_person": 1500 },
                                   "note": "张三被拖欠工资三个月" });
    let (status, opened) = app.console_post(&clerk, &path, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let events = app.count("SELECT count(*) FROM booking_events");
    let kept = "SELECT count(*) FROM bookings WHERE mobile = '13900000002' AND name <> ''";

    let db = onewindow::db::Db::open(&app.db_path).unwrap();
    let policy = onewindow::housekeeping::Retention::default();
    let day = 24 * 60 * 60 * 1000;
    let now = onewindow::clock::now_ms();
    let done = onewindow::housekeeping::retain(&db, &policy, now + 400 * day).await.unwrap();
    assert_eq!((done.bookings, done.legal_aid), (0, 0), "past the bookings' period, the application still runs");
    assert_eq!(app.count(kept), 1, "the applicant's name and mobile stay with the application");

    let done = onewindow::housekeeping::retain(&db, &policy, now + (3 * 365 + 1) * day).await.unwrap();
    assert_eq!(done.legal_aid, 1);
    assert_eq!(app.count("SELECT count(*) FROM bookings WHERE mobile = '13900000002'"), 0);
    let blanked = format!(
        "SELECT count(*) FROM bookings b JOIN legal_aid_applications a ON a.booking_id = b.id
         WHERE b.id = {booking_id} AND b.name = '' AND b.mobile = '' AND b.description = '' AND a.note = ''
           AND a.anonymised_at_ms IS NOT NULL AND b.anonymised_at_ms IS NOT NULL AND a.state = 'received'"
    );
    assert_eq!(app.count(&blanked), 1, "blanked; the application and its state stay");
    assert_eq!(app.count("SELECT count(*) FROM booking_events"), events, "every event stays");
    let id = opened["id"].as_i64().unwrap();
    let (status, seen) = app.console_get(&clerk, &format!("/api/v1/console/legal-aid/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!seen.to_string().contains("13900000002") && !seen.to_string().contains("张三"), "{seen}");
    let again = onewindow::housekeeping::retain(&db, &policy, now + (3 * 365 + 2) * day).await.unwrap();
    assert_eq!(again.legal_aid, 0, "once");
}
