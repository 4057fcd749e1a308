//! The staff's side of booking: the day view, check-in, no-show, walk-ins, and the
//! schedules (hours, closed days, capacity) that the resident rules follow.

use super::{code_of, mobile, request};
use crate::helpers::{error_code, spawn_app};
use ow_shared::ErrorCode;
use ow_shared::booking::{BookRequest, BookingStatus, LegalService, PlaceSchedule, StaffBookingRow};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn staff_see_the_day_check_in_mark_no_shows_and_book_walk_ins() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let slots = app.bookable_slots(place.id).await;
    let a = app.booked(&request(place.id, &slots[0], &mobile(1))).await;
    let b = app.booked(&request(place.id, &slots[1], &mobile(2))).await;
    let clerk = app.sign_in("clerk").await;

    let day_path = format!("/api/v1/console/bookings?place_id={}&date={}", place.id, slots[0].0);
    let (status, rows) = app.console_get(&clerk, &day_path).await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<StaffBookingRow> = serde_json::from_value(rows).unwrap();
    let row_a = rows.iter().find(|r| r.code == a.code).unwrap();
    assert_eq!((row_a.mobile.as_str(), row_a.name.as_str()), ("13900000001", "张三"), "full for the clerk");
    assert_eq!(row_a.start, slots[0].1);
    let id_of = |code: &str| rows.iter().find(|r| r.code == code).unwrap().id;

    let check_in = format!("/api/v1/console/bookings/{}/check-in", id_of(&a.code));
    let (status, row) = app.console_post(&clerk, &check_in, None).await;
    assert_eq!((status, row["status"].as_str()), (StatusCode::OK, Some("checked_in")));
    let (status, _) = app.console_post(&clerk, &check_in, None).await;
    assert_eq!(status, StatusCode::OK, "checking in twice is harmless");
    let no_show_a = format!("/api/v1/console/bookings/{}/no-show", id_of(&a.code));
    let (status, body) = app.console_post(&clerk, &no_show_a, None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, ErrorCode::TransitionNotAllowed));
    let (status, body) = app.booking_cancel(&a.code, &mobile(1)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, ErrorCode::BookingNotChangeable));

    let no_show_b = format!("/api/v1/console/bookings/{}/no-show", id_of(&b.code));
    let (status, row) = app.console_post(&clerk, &no_show_b, None).await;
    assert_eq!((status, row["status"].as_str()), (StatusCode::OK, Some("no_show")));
    let (_, seen) = app.booking_lookup(&b.code, &mobile(2)).await;
    assert_eq!(seen["status"], "no_show");

    // A walk-in booked by the clerk: the same rules, and it shows as the staff's.
    let walk_in = serde_json::to_value(request(place.id, &slots[2], &mobile(3))).unwrap();
    let (status, view) = app.console_post(&clerk, "/api/v1/console/bookings", Some(walk_in.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{view}");
    let sql = format!("SELECT count(*) FROM bookings WHERE code = '{}' AND channel = 'walk_in'", code_of(&view));
    assert_eq!(app.count(&sql), 1);
    let (status, body) = app.console_post(&clerk, "/api/v1/console/bookings", Some(walk_in)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, ErrorCode::AlreadyBookedThatDay));

    // Officers do not work the booking desk; a request without the CSRF token is refused.
    let officer = app.sign_in("officer_zongzhi").await;
    let (status, _) = app.console_get(&officer, &day_path).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.console_without_csrf(&clerk, Method::POST, &no_show_b, None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, ErrorCode::CsrfFailed));
}

/// Today in Shanghai and the start of the half hour we are in (`HH:MM`).
fn now_slot() -> (String, String) {
    let shown = onewindow::clock::format_minute(onewindow::clock::now_ms());
    let (date, time) = shown.split_once(' ').unwrap();
    let (h, m) = time.split_once(':').unwrap();
    let m: u32 = m.parse().unwrap();
    (date.to_string(), format!("{h}:{:02}", m / 30 * 30))
}

#[tokio::test]
async fn the_pre_checks_urgent_flag_travels_with_the_booking_to_the_staffs_day() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let slots = app.bookable_slots(place.id).await;
    let urgent = app.booked(&BookRequest { urgent: true, ..request(place.id, &slots[0], &mobile(1)) }).await;
    let plain = app.booked(&request(place.id, &slots[1], &mobile(2))).await;
    // Left out, as older pages send it: not urgent.
    let mut bare = serde_json::to_value(request(place.id, &slots[2], &mobile(3))).unwrap();
    bare.as_object_mut().unwrap().remove("urgent");
    let older = app
        .client
        .post(format!("{}/api/v1/bookings", app.url))
        .header("Idempotency-Key", crate::helpers::new_key())
        .json(&bare)
        .send()
        .await
        .unwrap();
    assert_eq!(older.status(), StatusCode::CREATED);
    let older: serde_json::Value = older.json().await.unwrap();

    let clerk = app.sign_in("clerk").await;
    let day_path = format!("/api/v1/console/bookings?place_id={}&date={}", place.id, slots[0].0);
    let (status, rows) = app.console_get(&clerk, &day_path).await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<StaffBookingRow> = serde_json::from_value(rows).unwrap();
    let urgent_of = |code: &str| rows.iter().find(|r| r.code == code).map(|r| r.urgent);
    assert_eq!(urgent_of(&urgent.code), Some(true), "staff see the urgent flag");
    assert_eq!(urgent_of(&plain.code), Some(false));
    if slots[2].0 == slots[0].0 {
        assert_eq!(urgent_of(code_of(&older)), Some(false));
    }

    // The OpenAPI document describes the field on both sides.
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    for schema in ["BookRequest", "StaffBookingRow"] {
        assert!(
            doc["components"]["schemas"][schema]["properties"].get("urgent").is_some(),
            "{schema}.urgent missing from the OpenAPI document"
        );
    }
}

#[tokio::test]
async fn the_resident_rules_follow_the_schedule_staff_set() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let admin = app.sign_in("admin").await;
    let clerk = app.sign_in("clerk").await;
    let path = format!("/api/v1/console/booking-places/{}", place.id);
    let (status, schedule) = app.console_get(&clerk, &path).await;
    assert_eq!(status, StatusCode::OK);
    let schedule: PlaceSchedule = serde_json::from_value(schedule).unwrap();
    assert_eq!((schedule.capacity, schedule.hours.len()), (2, 10), "Mon–Fri, two spans a day");

    // A full slot with someone waiting, before the change.
    let first = app.bookable_slots(place.id).await.remove(0);
    app.booked(&request(place.id, &first, &mobile(1))).await;
    app.booked(&request(place.id, &first, &mobile(2))).await;
    let w = app.booked(&BookRequest { waitlist: true, ..request(place.id, &first, &mobile(3)) }).await;
    assert_eq!(w.status, BookingStatus::Waiting);

    // Open around the clock every day, 3 places a slot, closed on the 4th day of the window.
    let closed_day = app.booking_days(place.id).await[4].date.clone();
    let hours: Vec<_> = (1..=7).map(|d| json!({ "weekday": d, "open": "00:00", "close": "24:00" })).collect();
    let new_schedule = json!({
        "place": schedule.place, "capacity": 3, "hours": hours,
        "closed_days": [{ "date": closed_day, "reason": "集中培训" }]
    });
    let (status, _) = app.console_put(&clerk, &path, new_schedule.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only administrators edit schedules");
    let mut bad = new_schedule.clone();
    bad["capacity"] = json!(0);
    let (status, body) = app.console_put(&admin, &path, bad).await;
    assert_eq!((status, body["fields"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("capacity")));
    let (status, saved) = app.console_put(&admin, &path, new_schedule).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["hours"].as_array().unwrap().len(), 7);

    // The larger capacity went to the waiting list at once.
    let (_, promoted) = app.booking_lookup(&w.code, &mobile(3)).await;
    assert_eq!((promoted["status"].as_str(), promoted["promoted"].as_bool()), (Some("booked"), Some(true)));

    // Closed day.
    let (status, body) = app.book(&request(place.id, &(closed_day.clone(), "10:00".into()), &mobile(4))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, ErrorCode::PlaceClosed));
    let shown_days = app.booking_days(place.id).await;
    let shown = shown_days.iter().find(|d| d.date == closed_day).unwrap();
    assert_eq!((shown.open, shown.note.as_str()), (false, "集中培训"));

    // Minimum notice: the half hour we are in cannot be booked online (today made a
    // working day first, in case the test runs on a holiday)…
    let now = now_slot();
    let holiday = json!({ "kind": "workday", "name": "测试" });
    let (status, _) = app.console_put(&admin, &format!("/api/v1/console/holidays/{}", now.0), holiday).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.book(&request(place.id, &now, &mobile(5))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, ErrorCode::BookingTooSoon), "{now:?}");
    let info = app.slot_info(place.id, &now).await;
    assert_eq!((info.capacity, info.bookable), (3, false));
    // …but the clerk books a walk-in into it.
    let walk_in = serde_json::to_value(request(place.id, &now, &mobile(5))).unwrap();
    let (status, view) = app.console_post(&clerk, "/api/v1/console/bookings", Some(walk_in)).await;
    assert_eq!(status, StatusCode::CREATED, "{view}");
}

#[tokio::test]
async fn staff_cancel_a_booking_with_a_reason_and_the_place_goes_to_the_waiting_list() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let slot = app.bookable_slots(place.id).await.remove(0);
    let capacity = app.slot_info(place.id, &slot).await.capacity;
    let mut held = Vec::new();
    for n in 0..capacity as usize {
        held.push(app.booked(&request(place.id, &slot, &mobile(n))).await);
    }
    let waiting = app.booked(&BookRequest { waitlist: true, ..request(place.id, &slot, &mobile(99)) }).await;
    assert_eq!(waiting.status, BookingStatus::Waiting);
    let clerk = app.sign_in("clerk").await;
    let day_path = format!("/api/v1/console/bookings?place_id={}&date={}", place.id, slot.0);
    let rows: Vec<StaffBookingRow> = serde_json::from_value(app.console_get(&clerk, &day_path).await.1).unwrap();
    let id = rows.iter().find(|r| r.code == held[0].code).unwrap().id;
    let cancel = format!("/api/v1/console/bookings/{id}/cancel");

    let (status, body) = app.console_post(&clerk, &cancel, Some(json!({ "reason": " " }))).await;
    assert_eq!((status, body["fields"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")));
    let officer = app.sign_in("officer_zongzhi").await;
    let (status, _) = app.console_post(&officer, &cancel, Some(json!({ "reason": "重复预约" }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, row) = app.console_post(&clerk, &cancel, Some(json!({ "reason": "重复预约" }))).await;
    assert_eq!((status, row["status"].as_str()), (StatusCode::OK, Some("cancelled")), "{row}");
    let sql = format!(
        "SELECT count(*) FROM booking_events WHERE booking_id = {id} AND kind = 'cancelled_by_staff' AND note = '重复预约'
           AND actor = '{}'",
        clerk.info.staff_id
    );
    assert_eq!(app.count(&sql), 1, "recorded as an event, with who and why");
    let (_, seen) = app.booking_lookup(&held[0].code, &mobile(0)).await;
    assert_eq!(seen["status"], "cancelled", "the resident sees it");
    let (_, promoted) = app.booking_lookup(&waiting.code, &mobile(99)).await;
    assert_eq!(promoted["status"], "booked", "the first waiting person got the place");
    let (status, body) = app.console_post(&clerk, &cancel, Some(json!({ "reason": "重复预约" }))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, ErrorCode::BookingNotChangeable));
}

#[tokio::test]
async fn a_walk_in_is_one_per_mobile_per_day_for_each_service() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let date = app.next_open_day(place.id).await;
    let clerk = app.sign_in("clerk").await;
    let walk_in = |start: &str, service: LegalService| {
        let slot = (date.clone(), start.to_string());
        serde_json::to_value(BookRequest { service: Some(service), ..request(place.id, &slot, &mobile(7)) }).unwrap()
    };
    let post = |body| app.console_post(&clerk, "/api/v1/console/bookings", Some(body));

    // A consultation in the morning and the document it led to in the afternoon: two errands.
    let (status, body) = post(walk_in("09:00", LegalService::Consultation)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = post(walk_in("14:00", LegalService::DocumentDrafting)).await;
    assert_eq!(status, StatusCode::CREATED, "another service the same day is allowed: {body}");

    // The same service again that day is refused, with the same neutral message as before.
    let (status, body) = post(walk_in("15:30", LegalService::Consultation)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, ErrorCode::AlreadyBookedThatDay));
    assert_eq!(body["message"], ErrorCode::AlreadyBookedThatDay.message(ow_shared::Lang::Zh, None, None));
    let sql = format!("SELECT count(*) FROM bookings WHERE mobile = '{}' AND day = '{date}'", mobile(7));
    assert_eq!(app.count(&sql), 2, "nothing stored for the refused one");

    // Once the morning consultation is cancelled, the desk may book that service again.
    let day_path = format!("/api/v1/console/bookings?place_id={}&date={date}", place.id);
    let rows: Vec<StaffBookingRow> = serde_json::from_value(app.console_get(&clerk, &day_path).await.1).unwrap();
    let first = rows.iter().find(|r| r.service == LegalService::Consultation).unwrap();
    let cancel = format!("/api/v1/console/bookings/{}/cancel", first.id);
    let (status, _) = app.console_post(&clerk, &cancel, Some(json!({ "reason": "群众改约下午" }))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = post(walk_in("15:30", LegalService::Consultation)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}
