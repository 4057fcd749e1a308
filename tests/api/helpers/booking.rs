//! The resident's side of legal-aid booking: places, days, slots, and booking with a code.

use super::{TestApp, new_key};
use ow_shared::booking::{BookRequest, BookingView, DayInfo, LegalService, PlaceInfo, SlotInfo};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

impl TestApp {
    /// The places.
    pub async fn booking_places(&self) -> Vec<PlaceInfo> {
        serde_json::from_value(self.get_ok("/api/v1/booking/places").await).unwrap()
    }

    /// The county centre (the first place).
    pub async fn booking_centre(&self) -> PlaceInfo {
        self.booking_places().await.into_iter().next().unwrap()
    }

    /// A place's days.
    pub async fn booking_days(&self, place_id: i64) -> Vec<DayInfo> {
        serde_json::from_value(self.get_ok(&format!("/api/v1/booking/places/{place_id}/days")).await).unwrap()
    }

    /// A place's slots of a date.
    pub async fn booking_slots(&self, place_id: i64, date: &str) -> Vec<SlotInfo> {
        serde_json::from_value(self.get_ok(&format!("/api/v1/booking/places/{place_id}/slots?date={date}")).await)
            .unwrap()
    }

    /// Every bookable slot of a place in its window, in time order.
    pub async fn bookable_slots(&self, place_id: i64) -> Vec<(String, String)> {
        let mut all = Vec::new();
        for day in self.booking_days(place_id).await.iter().filter(|d| d.open && d.free > 0) {
            let slots = self.booking_slots(place_id, &day.date).await;
            all.extend(slots.into_iter().filter(|s| s.bookable).map(|s| (day.date.clone(), s.start)));
        }
        all
    }

    /// A slot's info as the resident app shows it.
    pub async fn slot_info(&self, place_id: i64, (date, start): &(String, String)) -> SlotInfo {
        self.booking_slots(place_id, date).await.into_iter().find(|s| &s.start == start).unwrap()
    }

    /// Posts a booking, with this idempotency key if any; the response.
    pub async fn post_booking(&self, body: &BookRequest, key: Option<&str>) -> Response {
        let mut request = self.client.post(format!("{}/api/v1/bookings", self.url)).json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.unwrap()
    }

    /// Books with a fresh key; status and body.
    pub async fn book(&self, body: &BookRequest) -> (StatusCode, Value) {
        let response = self.post_booking(body, Some(&new_key())).await;
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    /// Books and expects 201.
    pub async fn booked(&self, body: &BookRequest) -> BookingView {
        let (status, body) = self.book(body).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        serde_json::from_value(body).unwrap()
    }

    /// Looks a booking up by its code and mobile; status and body.
    pub async fn booking_lookup(&self, code: &str, mobile: &str) -> (StatusCode, Value) {
        self.post_json("/api/v1/bookings/lookup", &json!({ "code": code, "mobile": mobile })).await
    }

    /// Cancels a booking by its code and mobile; status and body.
    pub async fn booking_cancel(&self, code: &str, mobile: &str) -> (StatusCode, Value) {
        self.post_json("/api/v1/bookings/cancel", &json!({ "code": code, "mobile": mobile })).await
    }

    /// Moves a booking to another slot; status and body.
    pub async fn booking_reschedule(
        &self,
        code: &str,
        mobile: &str,
        (date, start): &(String, String),
    ) -> (StatusCode, Value) {
        let body = json!({ "code": code, "mobile": mobile, "date": date, "start": start });
        self.post_json("/api/v1/bookings/reschedule", &body).await
    }

    /// Places held (booked, checked in, no-show) of a slot, counted by the database itself:
    /// the bookings whose span covers the slot's start (a one-hour booking holds two
    /// half-hour slots).
    pub fn places_held(&self, place_id: i64, (date, start): &(String, String)) -> i64 {
        let hhmm = |column: &str| format!("strftime('%H:%M', {column} / 1000, 'unixepoch', '+8 hours')");
        self.count(&format!(
            "SELECT count(*) FROM bookings b WHERE place_id = {place_id} AND day = '{date}'
           AND {} <= '{start}' AND {} > '{start}'
           AND status IN ('booked', 'checked_in', 'no_show')",
            hhmm("starts_at_ms"),
            hhmm("ends_at_ms")
        ))
    }

    /// A place's start times of a date for a service (`?service=`).
    pub async fn service_slots(&self, place_id: i64, date: &str, service: LegalService) -> Vec<SlotInfo> {
        let path = format!("/api/v1/booking/places/{place_id}/slots?date={date}&service={}", service.code());
        serde_json::from_value(self.get_ok(&path).await).unwrap()
    }

    /// A place's days for a service (`?service=`).
    pub async fn service_days(&self, place_id: i64, service: LegalService) -> Vec<DayInfo> {
        let path = format!("/api/v1/booking/places/{place_id}/days?service={}", service.code());
        serde_json::from_value(self.get_ok(&path).await).unwrap()
    }

    /// The first open day after today, when every slot is still far enough ahead to book.
    pub async fn next_open_day(&self, place_id: i64) -> String {
        let days = self.booking_days(place_id).await;
        days.into_iter().skip(1).find(|d| d.open && d.free > 0).expect("an open day in the window").date
    }
}
