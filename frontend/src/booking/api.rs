//! The booking app's endpoints; `crate::http` does the talking.

use crate::http::{Client, decode, encode};
use ow_shared::ApiError;
use ow_shared::booking::{
    BookRequest, BookingLookup, BookingSettings, BookingView, DayInfo, LegalService, PlaceInfo, RescheduleRequest,
    ServiceInfo, SlotInfo,
};

const API: Client = Client::PUBLIC;

const BASE: &str = "/api/v1/booking";

/// The four services, each with everything to bring.
pub async fn services() -> Result<Vec<ServiceInfo>, ApiError> {
    API.get(&format!("{BASE}/services")).await
}

/// The income threshold of the legal-aid pre-check.
pub async fn settings() -> Result<BookingSettings, ApiError> {
    API.get(&format!("{BASE}/settings")).await
}

/// Where one can book.
pub async fn places() -> Result<Vec<PlaceInfo>, ApiError> {
    API.get(&format!("{BASE}/places")).await
}

/// The days of a place's booking window, open or closed, with the appointments of
/// `service` each still takes.
pub async fn days(place: i64, service: Option<LegalService>) -> Result<Vec<DayInfo>, ApiError> {
    API.get(&format!("{BASE}/places/{place}/days?{}", for_service(service))).await
}

/// A day's start times at a place for `service` (as many free consecutive slots as it needs).
pub async fn slots(place: i64, date: &str, service: Option<LegalService>) -> Result<Vec<SlotInfo>, ApiError> {
    API.get(&format!("{BASE}/places/{place}/slots?date={}&{}", encode(date), for_service(service))).await
}

/// `service=…`, or nothing (single slots) when no service is chosen.
fn for_service(service: Option<LegalService>) -> String {
    service.map(|s| format!("service={}", s.code())).unwrap_or_default()
}

/// Books (or joins a waiting list). Retries of the same request must reuse `key`.
pub async fn book(req: &BookRequest, key: &str) -> Result<BookingView, ApiError> {
    let (status, text) = API.post_for_text("/api/v1/bookings", req, Some(key)).await?;
    // A full slot's refusal names the nearest free slots: only this call reads them.
    decode(status, &text).map_err(|e| {
        let alternatives = serde_json::from_str::<Alternatives>(&text).map(|a| a.alternatives).unwrap_or_default();
        ApiError { alternatives, ..e }
    })
}

/// A booking by its code and the mobile it was made with.
pub async fn lookup(req: &BookingLookup) -> Result<BookingView, ApiError> {
    API.post("/api/v1/bookings/lookup", req, None).await
}

/// Cancels a booking; answers it cancelled.
pub async fn cancel(req: &BookingLookup) -> Result<BookingView, ApiError> {
    API.post("/api/v1/bookings/cancel", req, None).await
}

/// Moves a booking to another day or time at the same place.
pub async fn reschedule(req: &RescheduleRequest) -> Result<BookingView, ApiError> {
    API.post("/api/v1/bookings/reschedule", req, None).await
}

/// The nearest free slots of a `SLOT_FULL` refusal.
#[derive(serde::Deserialize)]
struct Alternatives {
    #[serde(default)]
    alternatives: Vec<ow_shared::booking::SlotRef>,
}
