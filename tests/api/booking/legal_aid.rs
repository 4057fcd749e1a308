//! A legal-aid application taken at the appointment: the statute's clocks (decision in 7
//! days, a lawyer within 3 days of approval), written reasons for a refusal, and aid
//! before the decision for an urgent matter (法律援助法 Art.43–44).

use super::{mobile, request};
use crate::helpers::{error_code, spawn_app};
use ow_shared::ErrorCode;
use ow_shared::booking::{
    BookRequest, LegalAidCase, LegalAidState, LegalService, Verdict, assignment_due, decision_due,
};
use ow_shared::calendar::{self, Calendar};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn an_application_taken_at_the_appointment_runs_the_statutory_clocks() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    // Two one-hour appointments of one day, each over two half-hour slots.
    let date = app.next_open_day(place.id).await;
    let (slot, next) = (&(date.clone(), "09:00".to_string()), &(date, "10:00".to_string()));
    let aid = |n, slot| BookRequest {
        service: Some(LegalService::LegalAidApplication),
        ..request(place.id, slot, &mobile(n))
    };
    let urgent = app.booked(&aid(1, slot)).await;
    let refused = app.booked(&aid(2, slot)).await;
    let approved = app.booked(&aid(3, next)).await;
    let clerk = app.sign_in("clerk").await;
    let day_path = format!("/api/v1/console/bookings?place_id={}&date={}", place.id, slot.0);
    let (_, rows) = app.console_get(&clerk, &day_path).await;
    let id_of =
        |code: &str| rows.as_array().unwrap().iter().find(|r| r["code"] == code).unwrap()["id"].as_i64().unwrap();

    let today = onewindow::clock::date_of(onewindow::clock::now_ms());
    let in_three_days = calendar::format(today.next_day().unwrap().next_day().unwrap().next_day().unwrap());
    let open = |booking_id: i64, answers: serde_json::Value| {
        let path = format!("/api/v1/console/bookings/{booking_id}/legal-aid");
        let body = json!({ "answers": answers, "note": "被拖欠工资三个月，约 1.2 万元" });
        let clerk = &clerk;
        let app = &app;
        async move { app.console_post(clerk, &path, Some(body)).await }
    };

    // Urgent: the limitation period ends in 3 days; a lawyer may be assigned at once.
    let answers = json!({ "matter": "labour_relation_or_pay", "monthly_income_per_person": 1500,
                          "limitation_ends_on": in_three_days });
    let (status, case) = open(id_of(&urgent.code), answers.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let case: LegalAidCase = serde_json::from_value(case).unwrap();
    let official = Calendar::official_2026();
    assert_eq!(case.state, LegalAidState::Received);
    assert_eq!(case.decision_due_on, calendar::format(decision_due(&official, today)));
    assert_eq!((case.precheck.verdict, case.precheck.urgent), (Verdict::LikelyEligible, true));
    assert!(case.may_start_before_decision);
    assert!(case.urgency.is_some(), "the decision clock runs");
    let sql = format!("SELECT count(*) FROM bookings WHERE code = '{}' AND status = 'checked_in'", urgent.code);
    assert_eq!(app.count(&sql), 1, "taking the application checks the applicant in");
    let (status, body) = open(id_of(&urgent.code), answers).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, ErrorCode::TransitionNotAllowed));
    let assign = |id: i64, lawyer: &str| {
        let (path, body) = (format!("/api/v1/console/legal-aid/{id}/assign"), json!({ "lawyer": lawyer }));
        let (clerk, app) = (&clerk, &app);
        async move { app.console_post(clerk, &path, Some(body)).await }
    };
    let (status, assigned) = assign(case.id, "安澜县法律援助中心 刘律师").await;
    assert_eq!((status, assigned["state"].as_str()), (StatusCode::OK, Some("assigned")), "{assigned}");

    // Refused: only with written reasons, and only once.
    let (_, case) = open(id_of(&refused.code), json!({ "matter": "support", "monthly_income_per_person": 9000 })).await;
    let id = case["id"].as_i64().unwrap();
    let decide = |id: i64, body: serde_json::Value| {
        let path = format!("/api/v1/console/legal-aid/{id}/decide");
        let (clerk, app) = (&clerk, &app);
        async move { app.console_post(clerk, &path, Some(body)).await }
    };
    let (status, body) = decide(id, json!({ "approve": false })).await;
    assert_eq!((status, body["fields"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reasons")));
    let reasons = "家庭人均月收入高于本省法律援助经济困难标准，不符合第三十一条规定的经济困难条件。";
    let (status, body) = decide(id, json!({ "approve": false, "reasons": reasons })).await;
    assert_eq!(
        (status, body["state"].as_str(), body["refusal_reasons"].as_str()),
        (StatusCode::OK, Some("refused"), Some(reasons))
    );
    assert!(body["urgency"].is_null(), "no clock runs after a refusal");
    // The refusal is a numbered 不予法律援助决定书 with the reasons and the right to object.
    let page = format!("/console/notice?legal_aid={id}&kind=legal_aid_refused");
    let response = app.console_request(&clerk, reqwest::Method::GET, &page, false).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let sheet = response.text().await.unwrap();
    for needed in ["不予法律援助决定书", "县法律援助中心", "法援〔", "不符合第三十一条", "第四十九条", "司法行政部门"]
    {
        assert!(sheet.contains(needed), "{needed} in {sheet}");
    }
    let (status, _) = decide(id, json!({ "approve": true })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = assign(id, "刘律师").await;
    assert_eq!(status, StatusCode::CONFLICT, "no lawyer for a refused application");

    // Approved: a lawyer within 3 days; not before the approval when nothing is urgent.
    let (_, case) = open(id_of(&approved.code), json!({ "no_means_test": "abuse_victim" })).await;
    let id = case["id"].as_i64().unwrap();
    let (status, _) = assign(id, "刘律师").await;
    assert_eq!(status, StatusCode::CONFLICT, "not urgent: the decision comes first");
    let (status, body) = decide(id, json!({ "approve": true })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["lawyer_due_on"].as_str(), Some(calendar::format(assignment_due(&official, today)).as_str()));
    let (status, body) = assign(id, "安澜县法律援助中心 刘律师").await;
    assert_eq!((status, body["state"].as_str()), (StatusCode::OK, Some("assigned")));
    // Each decision is a notice of the legal-aid centre, numbered on its own.
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    let year = today.year();
    let issued: Vec<(String, String)> = conn
        .prepare("SELECT kind, number FROM notices WHERE legal_aid_id IS NOT NULL ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        issued,
        [
            ("legal_aid_refused".to_string(), format!("法援〔{year}〕1号")),
            ("legal_aid_granted".to_string(), format!("法援〔{year}〕2号")),
        ]
    );
    let officer = app.sign_in("officer_sifasuo").await;
    let (status, _) =
        app.console_get(&officer, &format!("/console/notice?legal_aid={id}&kind=legal_aid_granted")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "centre staff only");
    let (status, shown) = app.console_get(&clerk, &format!("/api/v1/console/legal-aid/{id}")).await;
    assert_eq!((status, shown["lawyer"].as_str()), (StatusCode::OK, Some("安澜县法律援助中心 刘律师")));

    let officer = app.sign_in("officer_sifasuo").await;
    let (status, _) = app.console_get(&officer, &format!("/api/v1/console/legal-aid/{id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn materials_asked_for_pause_the_seven_day_decision_and_their_arrival_resumes_it() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let slot = app.bookable_slots(place.id).await.remove(0);
    let booking = app
        .booked(&BookRequest {
            service: Some(LegalService::LegalAidApplication),
            ..request(place.id, &slot, &mobile(5))
        })
        .await;
    let clerk = app.sign_in("clerk").await;
    let day_path = format!("/api/v1/console/bookings?place_id={}&date={}", place.id, slot.0);
    let (_, rows) = app.console_get(&clerk, &day_path).await;
    let booking_id =
        rows.as_array().unwrap().iter().find(|r| r["code"] == booking.code.as_str()).unwrap()["id"].as_i64().unwrap();
    let answers = json!({ "matter": "labour_relation_or_pay", "monthly_income_per_person": 1500 });
    let (status, case) = app
        .console_post(
            &clerk,
            &format!("/api/v1/console/bookings/{booking_id}/legal-aid"),
            Some(json!({ "answers": answers, "note": "" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let case: LegalAidCase = serde_json::from_value(case).unwrap();
    let today = onewindow::clock::date_of(onewindow::clock::now_ms());
    let in_days = |n| calendar::format(onewindow::clock::add_days(today, n));

    let ask = format!("/api/v1/console/legal-aid/{}/materials", case.id);
    let received = format!("/api/v1/console/legal-aid/{}/materials/received", case.id);
    let (status, body) = app.console_post(&clerk, &received, None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, ErrorCode::MaterialsNotRequested));
    let body = json!({ "items": ["劳动合同或工资条", "欠薪证明"], "due_on": in_days(10) });
    let (status, paused) = app.console_post(&clerk, &ask, Some(body.clone())).await;
    assert_eq!(status, StatusCode::OK, "{paused}");
    let paused: LegalAidCase = serde_json::from_value(paused).unwrap();
    assert_eq!(
        (paused.paused_since.as_deref(), paused.urgency),
        (Some(&calendar::format(today)[..]), None),
        "no clock runs"
    );
    assert_eq!(paused.materials, ["劳动合同或工资条", "欠薪证明"]);
    let (status, body) = app.console_post(&clerk, &ask, Some(body)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, ErrorCode::MaterialsNotRequestable));
    let texted = format!(
        "SELECT count(*) FROM messages WHERE booking_id = {booking_id} AND template = 'legal_aid_materials_requested'"
    );
    assert_eq!(app.count(&texted), 1, "the applicant is texted");

    // Three days pass while the materials are awaited; they do not count.
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.execute(
        "UPDATE legal_aid_applications SET paused_since = ?2 WHERE id = ?1",
        rusqlite::params![case.id, in_days(-3)],
    )
    .unwrap();
    let (status, resumed) = app.console_post(&clerk, &received, None).await;
    assert_eq!(status, StatusCode::OK, "{resumed}");
    let resumed: LegalAidCase = serde_json::from_value(resumed).unwrap();
    let official = Calendar::official_2026();
    let expected = decision_due(&official, onewindow::clock::add_days(today, 3));
    assert_eq!(
        (resumed.paused_days, resumed.paused_since, resumed.decision_due_on),
        (3, None, calendar::format(expected))
    );
    assert!(resumed.urgency.is_some(), "the clock runs again");
    let events =
        format!("SELECT count(*) FROM booking_events WHERE booking_id = {booking_id} AND kind LIKE 'materials_%'");
    assert_eq!(app.count(&events), 2);
}

#[tokio::test]
async fn an_applicant_silent_past_the_materials_day_has_withdrawn_the_application() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let slot = app.bookable_slots(place.id).await.remove(0);
    let booking = app
        .booked(&BookRequest {
            service: Some(LegalService::LegalAidApplication),
            ..request(place.id, &slot, &mobile(6))
        })
        .await;
    let clerk = app.sign_in("clerk").await;
    let day_path = format!("/api/v1/console/bookings?place_id={}&date={}", place.id, slot.0);
    let (_, rows) = app.console_get(&clerk, &day_path).await;
    let booking_id =
        rows.as_array().unwrap().iter().find(|r| r["code"] == booking.code.as_str()).unwrap()["id"].as_i64().unwrap();
    let answers = json!({ "matter": "labour_relation_or_pay", "monthly_income_per_person": 1500 });
    let open = format!("/api/v1/console/bookings/{booking_id}/legal-aid");
    let (status, case) = app.console_post(&clerk, &open, Some(json!({ "answers": answers, "note": "" }))).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let id = case["id"].as_i64().unwrap();
    let today = onewindow::clock::date_of(onewindow::clock::now_ms());
    let in_days = |n| calendar::format(onewindow::clock::add_days(today, n));
    let ask = json!({ "items": ["劳动合同或工资条"], "due_on": in_days(1) });
    let (status, _) = app.console_post(&clerk, &format!("/api/v1/console/legal-aid/{id}/materials"), Some(ask)).await;
    assert_eq!(status, StatusCode::OK);

    let db = onewindow::db::Db::open(&app.db_path).unwrap();
    let now = onewindow::clock::now_ms();
    assert_eq!(onewindow::housekeeping::withdraw_silent(&db, now).await.unwrap(), 0, "the day has not passed");
    // The day passes without the materials.
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.execute(
        "UPDATE legal_aid_applications SET materials_due_on = ?2 WHERE id = ?1",
        rusqlite::params![id, in_days(-1)],
    )
    .unwrap();
    assert_eq!(onewindow::housekeeping::withdraw_silent(&db, now).await.unwrap(), 1);
    assert_eq!(onewindow::housekeeping::withdraw_silent(&db, now).await.unwrap(), 0, "once");

    let (status, shown) = app.console_get(&clerk, &format!("/api/v1/console/legal-aid/{id}")).await;
    assert_eq!((status, shown["state"].as_str()), (StatusCode::OK, Some("withdrawn")), "{shown}");
    assert!(shown["urgency"].is_null(), "no clock runs");
    let event = format!(
        "SELECT count(*) FROM booking_events WHERE booking_id = {booking_id} AND kind = 'legal_aid_withdrawn'
         AND actor = 'system' AND note LIKE '%第四十三条%'"
    );
    assert_eq!(app.count(&event), 1, "recorded as an event");
    // Nothing more can happen to it.
    let decide = format!("/api/v1/console/legal-aid/{id}/decide");
    let (status, body) = app.console_post(&clerk, &decide, Some(json!({ "approve": true }))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, ErrorCode::TransitionNotAllowed));
    let received = format!("/api/v1/console/legal-aid/{id}/materials/received");
    assert_eq!(app.console_post(&clerk, &received, None).await.0, StatusCode::CONFLICT);
}
