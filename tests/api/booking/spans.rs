//! A service that takes longer than a slot (issue 11: 法律援助申请's "约 60 分钟" in
//! half-hour slots) holds as many consecutive slots as it needs: offered only where
//! they are all free, booked all or nothing under concurrent bookings, and freed
//! together by a cancellation or a move.

use super::{mobile, request};
use crate::helpers::{error_code, spawn_app};
use futures::future::join_all;
use ow_shared::ErrorCode;
use ow_shared::booking::{BookRequest, BookingStatus, LegalService, StaffBookingRow};
use reqwest::StatusCode;
use serde_json::Value;

const AID: LegalService = LegalService::LegalAidApplication;

/// A booking of `service` at `start` of `date`.
fn booking(place_id: i64, date: &str, start: &str, service: LegalService, n: usize) -> BookRequest {
    BookRequest { service: Some(service), ..request(place_id, &(date.to_string(), start.to_string()), &mobile(n)) }
}

fn at(date: &str, start: &str) -> (String, String) {
    (date.to_string(), start.to_string())
}

#[tokio::test]
async fn a_one_hour_service_is_offered_only_where_two_consecutive_slots_are_free() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    assert_eq!(place.slot_minutes, 30);
    let date = app.next_open_day(place.id).await;

    // Every start is followed by a second slot before the break or closing: no 11:30, no 17:00.
    let starts = app.service_slots(place.id, &date, AID).await;
    let times: Vec<(&str, &str)> = starts.iter().map(|s| (s.start.as_str(), s.end.as_str())).collect();
    assert_eq!(times[0], ("09:00", "10:00"));
    assert!(times.contains(&("11:00", "12:00")) && times.contains(&("16:30", "17:30")));
    assert!(!times.iter().any(|(s, _)| *s == "11:30" || *s == "17:00"), "{times:?}");
    let consultation = app.service_slots(place.id, &date, LegalService::Consultation).await;
    assert_eq!(consultation, app.booking_slots(place.id, &date).await, "one slot: the slots themselves");
    assert_eq!((consultation[0].start.as_str(), consultation[0].end.as_str()), ("09:00", "09:30"));

    // 10:00 filled by two consultations: neither 09:30 nor 10:00 can start an hour now.
    app.booked(&booking(place.id, &date, "10:00", LegalService::Consultation, 1)).await;
    app.booked(&booking(place.id, &date, "10:00", LegalService::Consultation, 2)).await;
    let starts = app.service_slots(place.id, &date, AID).await;
    let left = |start: &str| starts.iter().find(|s| s.start == start).map(|s| (s.remaining, s.bookable));
    assert_eq!(left("09:00"), Some((2, true)));
    assert_eq!(left("09:30"), Some((0, false)));
    assert_eq!(left("10:00"), Some((0, false)));
    assert_eq!(left("10:30"), Some((2, true)));

    // Asking for one anyway: full, with free one-hour starts instead.
    let (status, body) = app.book(&booking(place.id, &date, "09:30", AID, 3)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, ErrorCode::SlotFull));
    let offered: Vec<(String, String)> = body["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["date"].as_str().unwrap().to_string(), a["start"].as_str().unwrap().to_string()))
        .collect();
    assert!(!offered.is_empty());
    for (d, s) in &offered {
        let fits = app.service_slots(place.id, d, AID).await.into_iter().any(|x| &x.start == s && x.bookable);
        assert!(fits, "{d} {s} is offered but has no two free slots");
    }
    // A start with no second slot before the break is not a start at all.
    let (status, body) = app.book(&booking(place.id, &date, "11:30", AID, 4)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["code"], "TIME_INVALID");
    assert_eq!(app.count("SELECT count(*) FROM bookings"), 2, "nothing stored");

    // The days count one-hour appointments: two half hours make one.
    let days = app.service_days(place.id, AID).await;
    let plain = app.booking_days(place.id).await;
    let (day, plain_day) =
        (days.iter().find(|d| d.date == date).unwrap(), plain.iter().find(|d| d.date == date).unwrap());
    assert_eq!(plain_day.free, 2 * 13 - 2);
    // Morning: 09:00 and 10:30, 11:00 … no: 09:00–10:00 ×2, 10:30–11:30 ×2; afternoon 3 × 2.
    assert_eq!(day.free, 4 + 6, "{day:?}");
}

#[tokio::test]
async fn simultaneous_bookings_over_overlapping_hours_never_overbook_a_slot() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let date = app.next_open_day(place.id).await;
    // 240 people at once: one-hour bookings at 09:00 and 09:30, half-hour ones at 09:30
    // and 10:00. Every one of them touches 09:30 or its neighbours, 2 places each.
    let plan: [(&str, LegalService); 4] =
        [("09:00", AID), ("09:30", AID), ("09:30", LegalService::Consultation), ("10:00", LegalService::Consultation)];
    let requests: Vec<BookRequest> = (0..240)
        .map(|n| {
            let (start, service) = plan[n % 4];
            booking(place.id, &date, start, service, n)
        })
        .collect();
    let answers = join_all(requests.iter().map(|r| app.book(r))).await;
    let created: Vec<&Value> = answers.iter().filter(|(s, _)| *s == StatusCode::CREATED).map(|(_, b)| b).collect();
    assert!(
        answers.iter().all(|(s, b)| *s == StatusCode::CREATED || error_code(b) == ErrorCode::SlotFull),
        "everyone else is told it is full"
    );
    for start in ["09:00", "09:30", "10:00", "10:30"] {
        let held = app.places_held(place.id, &at(&date, start));
        assert!(held <= 2, "{start} holds {held} places of 2");
    }
    assert_eq!(app.places_held(place.id, &at(&date, "09:30")), 2, "the contested half hour is filled");
    assert_eq!(app.count("SELECT count(*) FROM bookings") as usize, created.len(), "the answers and the rows agree");
    // What the residents' app shows agrees with the database.
    let slots = app.booking_slots(place.id, &date).await;
    for start in ["09:00", "09:30", "10:00"] {
        let s = slots.iter().find(|s| s.start == start).unwrap();
        assert_eq!(i64::from(s.taken), app.places_held(place.id, &at(&date, start)), "{start}");
    }
}

#[tokio::test]
async fn cancelling_or_moving_a_one_hour_booking_frees_both_slots() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let date = app.next_open_day(place.id).await;
    let a = app.booked(&booking(place.id, &date, "09:00", AID, 1)).await;
    let b = app.booked(&booking(place.id, &date, "09:00", AID, 2)).await;
    assert_eq!((a.start.as_str(), a.end.as_str()), ("09:00", "10:00"), "the resident sees the whole hour");
    assert_eq!(
        (app.places_held(place.id, &at(&date, "09:00")), app.places_held(place.id, &at(&date, "09:30"))),
        (2, 2)
    );
    // Someone waits for 09:30 (half an hour), someone else for 09:00 (an hour).
    let half = app
        .booked(&BookRequest { waitlist: true, ..booking(place.id, &date, "09:30", LegalService::Consultation, 3) })
        .await;
    assert_eq!(half.status, BookingStatus::Waiting);

    // Cancelling one hour frees both halves: the 09:30 waiter gets in.
    let (status, _) = app.booking_cancel(&a.code, &mobile(1)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, promoted) = app.booking_lookup(&half.code, &mobile(3)).await;
    assert_eq!(promoted["status"], "booked", "{promoted}");
    assert_eq!(
        (app.places_held(place.id, &at(&date, "09:00")), app.places_held(place.id, &at(&date, "09:30"))),
        (1, 2)
    );

    // Moving the other hour to the afternoon frees 09:00 and its 09:30 place, and holds 14:00 and 14:30.
    let (status, moved) = app.booking_reschedule(&b.code, &mobile(2), &at(&date, "14:00")).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!((moved["start"].as_str(), moved["end"].as_str()), (Some("14:00"), Some("15:00")));
    let held = |start: &str| app.places_held(place.id, &at(&date, start));
    assert_eq!((held("09:00"), held("09:30"), held("14:00"), held("14:30"), held("15:00")), (0, 1, 1, 1, 0));

    // A move by half an hour overlaps its own place, which does not count against it.
    app.booked(&booking(place.id, &date, "14:30", LegalService::Consultation, 4)).await;
    let (status, moved) = app.booking_reschedule(&b.code, &mobile(2), &at(&date, "14:30")).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!((held("14:00"), held("14:30"), held("15:00")), (0, 2, 1));
    // Now 14:30 is full: no hour can start at 14:00 or 14:30 for anyone else.
    let (status, body) = app.book(&booking(place.id, &date, "14:00", AID, 5)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, ErrorCode::SlotFull));

    // Staff cancelling it frees both of its slots too; the staff's day shows the hour.
    let clerk = app.sign_in("clerk").await;
    let day_path = format!("/api/v1/console/bookings?place_id={}&date={date}", place.id);
    let rows: Vec<StaffBookingRow> = serde_json::from_value(app.console_get(&clerk, &day_path).await.1).unwrap();
    let row = rows.iter().find(|r| r.code == b.code).unwrap();
    assert_eq!((row.start.as_str(), row.end.as_str()), ("14:30", "15:30"));
    let cancel = format!("/api/v1/console/bookings/{}/cancel", row.id);
    let (status, _) = app.console_post(&clerk, &cancel, Some(serde_json::json!({ "reason": "群众来电取消" }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((held("14:30"), held("15:00")), (1, 0));
    app.booked(&booking(place.id, &date, "14:00", AID, 5)).await;
}
