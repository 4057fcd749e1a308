//! Legal-aid booking through the real HTTP API: capacity under 200 simultaneous
//! bookings, the waiting list, cancel/reschedule races, and the rules (booking window,
//! minimum notice, closed day, one per mobile per day, wrong code).

mod console;
mod legal_aid;
mod spans;

use crate::helpers::{error_code, new_key, spawn_app, spawn_app_with};
use futures::future::join_all;
use ow_shared::booking::{BookRequest, BookingSettings, BookingStatus, BookingView, LegalService, ServiceInfo};
use ow_shared::{ApiError, ErrorCode};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Instant;

/// A booking of the county centre's slot for this mobile.
pub fn request(place_id: i64, (date, start): &(String, String), mobile: &str) -> BookRequest {
    BookRequest {
        place_id,
        service: Some(LegalService::Consultation),
        date: date.clone(),
        start: start.clone(),
        name: "张三".into(),
        mobile: mobile.into(),
        description: "被拖欠三个月工资，想咨询怎么办".into(),
        waitlist: false,
        urgent: false,
    }
}

/// The `n`th test mobile.
pub fn mobile(n: usize) -> String {
    format!("139{n:08}")
}

pub fn code_of(body: &Value) -> &str {
    body["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn two_hundred_simultaneous_bookings_of_a_two_place_slot_book_exactly_two() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let wanted = app.bookable_slots(place.id).await.remove(0);
    assert_eq!(app.slot_info(place.id, &wanted).await.remaining, 2);

    let started = Instant::now();
    let requests: Vec<BookRequest> = (0..200).map(|n| request(place.id, &wanted, &mobile(n))).collect();
    let answers = join_all(requests.iter().map(|r| app.book(r))).await;
    let elapsed = started.elapsed();

    let created: Vec<&Value> = answers.iter().filter(|(s, _)| *s == StatusCode::CREATED).map(|(_, b)| b).collect();
    let full: Vec<&Value> = answers.iter().filter(|(s, _)| *s == StatusCode::CONFLICT).map(|(_, b)| b).collect();
    assert_eq!(created.len(), 2, "exactly the capacity is booked");
    assert_eq!(
        full.len(),
        198,
        "everyone else is told it is full: {:?}",
        answers.iter().find(|(s, _)| !s.is_success())
    );
    for body in &full {
        let error: ApiError = serde_json::from_value((*body).clone()).unwrap();
        assert_eq!(error.code, ErrorCode::SlotFull);
        assert!(!error.alternatives.is_empty() && error.alternatives.len() <= 5);
        assert!(error.alternatives.iter().all(|a| a.remaining > 0 && (&a.date, &a.start) != (&wanted.0, &wanted.1)));
    }
    assert!(created.iter().all(|b| b["status"] == "booked"));
    assert_eq!(app.places_held(place.id, &wanted), 2, "the database agrees");
    assert_eq!(app.count("SELECT count(*) FROM bookings"), 2, "no stray rows");
    let info = app.slot_info(place.id, &wanted).await;
    assert_eq!((info.taken, info.remaining, info.bookable), (2, 0, false));
    assert!(elapsed.as_secs() < 10, "200 bookings took {elapsed:?}");
}

#[tokio::test]
async fn simultaneous_waitlisting_books_the_capacity_and_queues_the_rest_in_order() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let wanted = app.bookable_slots(place.id).await.remove(0);
    let requests: Vec<BookRequest> =
        (0..40).map(|n| BookRequest { waitlist: true, ..request(place.id, &wanted, &mobile(n)) }).collect();
    let answers = join_all(requests.iter().map(|r| app.book(r))).await;
    assert!(answers.iter().all(|(s, _)| *s == StatusCode::CREATED), "{answers:?}");
    let views: Vec<BookingView> = answers.into_iter().map(|(_, b)| serde_json::from_value(b).unwrap()).collect();
    assert_eq!(views.iter().filter(|v| v.status == BookingStatus::Booked).count(), 2);
    let mut positions: Vec<u32> = views.iter().filter_map(|v| v.waitlist_position).collect();
    positions.sort();
    assert_eq!(positions, (1..=38).collect::<Vec<u32>>(), "each waiting person has their own place in the queue");
    assert_eq!(app.places_held(place.id, &wanted), 2);
}

#[tokio::test]
async fn a_cancellation_gives_the_place_to_the_first_waiting_person_once() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let wanted = app.bookable_slots(place.id).await.remove(0);
    let a = app.booked(&request(place.id, &wanted, &mobile(1))).await;
    app.booked(&request(place.id, &wanted, &mobile(2))).await;
    let waiting = |n| BookRequest { waitlist: true, ..request(place.id, &wanted, &mobile(n)) };
    let w1 = app.booked(&waiting(3)).await;
    let w2 = app.booked(&waiting(4)).await;
    assert_eq!((w1.status, w1.waitlist_position, w2.waitlist_position), (BookingStatus::Waiting, Some(1), Some(2)));

    // Three taps on "cancel" at once: one cancellation, one promotion.
    let m1 = mobile(1);
    let taps = join_all((0..3).map(|_| app.booking_cancel(&a.code, &m1))).await;
    for (status, body) in &taps {
        assert_eq!(*status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "cancelled");
    }
    let (_, first) = app.booking_lookup(&w1.code, &mobile(3)).await;
    assert_eq!((first["status"].as_str(), first["promoted"].as_bool()), (Some("booked"), Some(true)));
    let (_, second) = app.booking_lookup(&w2.code, &mobile(4)).await;
    assert_eq!((second["status"].as_str(), second["waitlist_position"].as_u64()), (Some("waiting"), Some(1)));
    assert_eq!(app.places_held(place.id, &wanted), 2);
    let events = app.count("SELECT count(*) FROM booking_events WHERE kind = 'promoted'");
    assert_eq!(events, 1);
}

#[tokio::test]
async fn cancel_and_rebook_races_never_exceed_the_capacity() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let wanted = app.bookable_slots(place.id).await.remove(0);
    let a = app.booked(&request(place.id, &wanted, &mobile(1))).await;
    let b = app.booked(&request(place.id, &wanted, &mobile(2))).await;

    // Both holders cancel while 60 others try to book the slot.
    let (m1, m2) = (mobile(1), mobile(2));
    let bookings: Vec<BookRequest> = (10..70).map(|n| request(place.id, &wanted, &mobile(n))).collect();
    let (cancels, answers) = tokio::join!(
        join_all([app.booking_cancel(&a.code, &m1), app.booking_cancel(&b.code, &m2)]),
        join_all(bookings.iter().map(|r| app.book(r)))
    );
    assert!(cancels.iter().all(|(s, _)| *s == StatusCode::OK));
    let won = answers.iter().filter(|(s, _)| *s == StatusCode::CREATED).count() as i64;
    assert!(answers.iter().all(|(s, b)| *s == StatusCode::CREATED || error_code(b) == ErrorCode::SlotFull));
    assert!(won <= 2, "never more than the capacity: {won}");
    assert_eq!(app.places_held(place.id, &wanted), won, "the database agrees with the answers");

    // Whoever did not get in before the cancellations gets in now, up to the capacity.
    let late: Vec<BookRequest> = (70..80).map(|n| request(place.id, &wanted, &mobile(n))).collect();
    let late_answers = join_all(late.iter().map(|r| app.book(r))).await;
    let late_won = late_answers.iter().filter(|(s, _)| *s == StatusCode::CREATED).count() as i64;
    assert_eq!(won + late_won, 2);
    assert_eq!(app.places_held(place.id, &wanted), 2);

    // A cancelled holder rebooks the same day at once: the one-per-day rule ignores cancelled bookings.
    let other = app.bookable_slots(place.id).await.into_iter().find(|s| s.0 == wanted.0).unwrap();
    app.booked(&request(place.id, &other, &mobile(1))).await;
}

#[tokio::test]
async fn rescheduling_moves_the_booking_and_frees_the_old_place_atomically() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let slots = app.bookable_slots(place.id).await;
    let (first, second, third) = (slots[0].clone(), slots[1].clone(), slots[2].clone());
    let a = app.booked(&request(place.id, &first, &mobile(1))).await;
    app.booked(&request(place.id, &first, &mobile(2))).await;
    let w = app.booked(&BookRequest { waitlist: true, ..request(place.id, &first, &mobile(3)) }).await;
    assert_eq!(w.status, BookingStatus::Waiting);

    let (status, moved) = app.booking_reschedule(&a.code, &mobile(1), &second).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!((moved["code"].as_str(), moved["start"].as_str()), (Some(a.code.as_str()), Some(second.1.as_str())));
    let (_, promoted) = app.booking_lookup(&w.code, &mobile(3)).await;
    assert_eq!(promoted["status"], "booked", "the freed place went to the waiting list");
    assert_eq!((app.places_held(place.id, &first), app.places_held(place.id, &second)), (2, 1));

    // A full slot refuses the move with alternatives, and the booking stays where it was.
    app.booked(&request(place.id, &third, &mobile(4))).await;
    app.booked(&request(place.id, &third, &mobile(5))).await;
    let (status, refused) = app.booking_reschedule(&a.code, &mobile(1), &third).await;
    assert_eq!((status, error_code(&refused)), (StatusCode::CONFLICT, ErrorCode::SlotFull));
    assert!(refused["alternatives"].as_array().is_some_and(|a| !a.is_empty()));
    let (_, still) = app.booking_lookup(&a.code, &mobile(1)).await;
    assert_eq!(still["start"].as_str(), Some(second.1.as_str()));

    // Two moves at once: the booking ends up holding exactly one place.
    let fourth = slots[3].clone();
    let fifth = slots[4].clone();
    let both = join_all([
        app.booking_reschedule(&a.code, &mobile(1), &fourth),
        app.booking_reschedule(&a.code, &mobile(1), &fifth),
    ])
    .await;
    assert!(both.iter().all(|(s, _)| *s == StatusCode::OK), "{both:?}");
    let total: i64 = [&second, &fourth, &fifth].iter().map(|s| app.places_held(place.id, s)).sum();
    assert_eq!(total, 1);
    assert_eq!(app.count(&format!("SELECT count(*) FROM bookings WHERE code = '{}'", a.code)), 1);
}

#[tokio::test]
async fn the_booking_window_and_past_days_are_refused() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let days = app.booking_days(place.id).await;
    assert_eq!(days.len() as u32, place.window_days + 1, "today … today + window");
    let today = ow_shared::calendar::parse(&days[0].date).unwrap();
    let mut after_window = today;
    for _ in 0..=place.window_days {
        after_window = after_window.next_day().unwrap();
    }
    for day in [today.previous_day().unwrap(), after_window] {
        let date = ow_shared::calendar::format(day);
        let (status, body) = app.book(&request(place.id, &(date, "09:00".into()), &mobile(1))).await;
        assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, ErrorCode::OutsideBookingWindow));
    }
    // Not a slot of that day.
    let (date, _) = app.bookable_slots(place.id).await.remove(0);
    let (status, body) = app.book(&request(place.id, &(date, "09:10".into()), &mobile(1))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["code"], "TIME_INVALID");
}

#[tokio::test]
async fn a_mobiles_other_bookings_are_never_revealed_and_its_bookings_are_limited() {
    let app = spawn_app_with(|c| c.limits.bookings_per_mobile_per_day = 3).await;
    let place = app.booking_centre().await;
    let slots = app.bookable_slots(place.id).await;
    let same_day: Vec<(String, String)> = slots.iter().filter(|s| s.0 == slots[0].0).take(6).cloned().collect();
    // Someone tries six slots of one day at once with one mobile: a stranger learns
    // nothing of that mobile's appointments (no "already booked"), and the mobile's
    // daily limit stops the hoarding, with the same answer whoever holds the number.
    let tries: Vec<BookRequest> = same_day.iter().map(|s| request(place.id, s, &mobile(7))).collect();
    let answers = join_all(tries.iter().map(|r| app.book(r))).await;
    assert_eq!(answers.iter().filter(|(s, _)| *s == StatusCode::CREATED).count(), 3);
    for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
        assert_eq!((*status, error_code(body)), (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited));
    }
    assert_eq!(app.count("SELECT count(*) FROM bookings WHERE mobile = '13900000007'"), 3);
    // Another mobile is not slowed.
    app.booked(&request(place.id, &same_day[4], &mobile(8))).await;
}

#[tokio::test]
async fn a_wrong_code_or_mobile_answers_alike_and_guessing_is_stopped() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let wanted = app.bookable_slots(place.id).await.remove(0);
    let view = app.booked(&request(place.id, &wanted, &mobile(1))).await;
    assert_eq!(view.code.len(), 8);
    assert_eq!(view.mobile_masked, "139****0001");

    let (status, found) = app.booking_lookup(&view.code.to_lowercase(), "139 0000 0001").await;
    assert_eq!(status, StatusCode::OK, "lower case and spaces are fine");
    assert_eq!(found["code"], view.code.as_str());
    let (wrong_mobile_status, wrong_mobile) = app.booking_lookup(&view.code, &mobile(2)).await;
    let (unknown_status, unknown) = app.booking_lookup("ZZZZ2222", &mobile(1)).await;
    assert_eq!((wrong_mobile_status, unknown_status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(wrong_mobile, unknown, "nothing tells a wrong mobile from an unknown code");
    assert_eq!(error_code(&unknown), ErrorCode::BookingNotFound);
    let (status, _) = app.booking_cancel(&view.code, &mobile(2)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a wrong mobile cannot cancel");

    for _ in 0..3 {
        app.booking_lookup(&view.code, &mobile(2)).await;
    }
    let (status, body) = app.booking_lookup(&view.code, &mobile(1)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyAttempts));
    assert_eq!(app.places_held(place.id, &wanted), 1, "the booking is untouched");
}

#[tokio::test]
async fn a_retry_with_the_same_key_books_once() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let wanted = app.bookable_slots(place.id).await.remove(0);
    let body = request(place.id, &wanted, &mobile(1));
    let key = new_key();
    let first = app.post_booking(&body, Some(&key)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: BookingView = first.json().await.unwrap();
    let again = app.post_booking(&body, Some(&key)).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert!(again.headers().contains_key("idempotent-replayed"));
    assert_eq!(again.json::<BookingView>().await.unwrap().code, first.code);
    let other = app.post_booking(&BookRequest { name: "李四".into(), ..body.clone() }, Some(&key)).await;
    assert_eq!(other.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(&other.json().await.unwrap()), ErrorCode::IdempotencyKeyReused);
    let missing = app.post_booking(&body, None).await;
    assert_eq!(error_code(&missing.json().await.unwrap()), ErrorCode::IdempotencyKeyMissing);
    assert_eq!(app.count("SELECT count(*) FROM bookings"), 1);
}

#[tokio::test]
async fn a_bad_form_reports_every_field_at_once() {
    let app = spawn_app().await;
    let body = BookRequest { place_id: 1, mobile: "12345".into(), ..Default::default() };
    let (status, body) = app.book(&body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["service", "date", "start", "name", "description", "mobile"]);
    let unknown_place = BookRequest { place_id: 999, ..request(1, &("2026-11-24".into(), "09:00".into()), &mobile(1)) };
    let (status, body) = app.book(&unknown_place).await;
    assert_eq!((status, body["fields"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("place_id")));
}

#[tokio::test]
async fn services_places_settings_and_the_qr_code() {
    let app = spawn_app().await;
    let services: Vec<ServiceInfo> = serde_json::from_value(app.get_ok("/api/v1/booking/services").await).unwrap();
    assert_eq!(services.iter().map(|s| s.service).collect::<Vec<_>>(), LegalService::ALL);
    assert!(services.iter().all(|s| s.materials.len() >= 3 && s.minutes > 0 && !s.what.is_empty()));
    let aid = services.iter().find(|s| s.service == LegalService::LegalAidApplication).unwrap();
    assert!(aid.materials.iter().any(|m| m.contains("经济困难")), "一次性告知: all the materials");

    let places = app.booking_places().await;
    let townships = app.regions().await.townships.len();
    assert_eq!(places.len(), 1 + townships);
    assert!(places[0].name.ends_with("公共法律服务中心"));
    assert!(places[1..].iter().all(|p| p.name.ends_with("司法所")));
    assert_eq!((places[0].window_days, places[0].min_notice_minutes, places[0].slot_minutes), (14, 120, 30));

    let settings: BookingSettings = serde_json::from_value(app.get_ok("/api/v1/booking/settings").await).unwrap();
    assert_eq!(settings.income_threshold, 2000);
    assert!(settings.threshold_note.contains("演示值"));

    let days = app.booking_days(places[0].id).await;
    assert!(days.iter().filter(|d| !d.open).all(|d| !d.note.is_empty()), "a closed day says why: {days:?}");
    assert!(days.iter().any(|d| d.note == "周六休息"));

    let view = app.booked(&request(places[0].id, &app.bookable_slots(places[0].id).await[0], &mobile(1))).await;
    let qr = app.get(&format!("/api/v1/qr/booking/{}.svg", view.code)).await;
    assert_eq!(qr.status(), StatusCode::OK);
    assert!(qr.text().await.unwrap().contains("<svg"));
    let bad = app.get("/api/v1/qr/booking/nope.svg").await;
    assert_eq!(bad.status(), StatusCode::NOT_FOUND);
    assert!(view.materials.len() >= 3);
}
