//! The booking app's only HTTP: JSON over fetch, like the resident app's `api` (whose
//! request helpers are private to it). Every failure is an `ApiError`.

use ow_shared::booking::{
    BookRequest, BookingLookup, BookingSettings, BookingView, DayInfo, PlaceInfo, RescheduleRequest, ServiceInfo,
    SlotInfo,
};
use ow_shared::{ApiError, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

const BASE: &str = "/api/v1/booking";

/// The four services, each with everything to bring.
pub async fn services() -> Result<Vec<ServiceInfo>, ApiError> {
    get(&format!("{BASE}/services")).await
}

/// The income threshold of the legal-aid pre-check.
pub async fn settings() -> Result<BookingSettings, ApiError> {
    get(&format!("{BASE}/settings")).await
}

/// Where one can book.
pub async fn places() -> Result<Vec<PlaceInfo>, ApiError> {
    get(&format!("{BASE}/places")).await
}

/// The days of a place's booking window, open or closed.
pub async fn days(place: i64) -> Result<Vec<DayInfo>, ApiError> {
    get(&format!("{BASE}/places/{place}/days")).await
}

/// A day's slots at a place.
pub async fn slots(place: i64, date: &str) -> Result<Vec<SlotInfo>, ApiError> {
    get(&format!("{BASE}/places/{place}/slots?date={}", encode(date))).await
}

/// Books (or joins a waiting list). Retries of the same request must reuse `key`.
pub async fn book(req: &BookRequest, key: &str) -> Result<BookingView, ApiError> {
    post("/api/v1/bookings", req, Some(key)).await
}

/// A booking by its code and the mobile it was made with.
pub async fn lookup(req: &BookingLookup) -> Result<BookingView, ApiError> {
    post("/api/v1/bookings/lookup", req, None).await
}

/// Cancels a booking; answers it cancelled.
pub async fn cancel(req: &BookingLookup) -> Result<BookingView, ApiError> {
    post("/api/v1/bookings/cancel", req, None).await
}

/// Moves a booking to another day or time at the same place.
pub async fn reschedule(req: &RescheduleRequest) -> Result<BookingView, ApiError> {
    post("/api/v1/bookings/reschedule", req, None).await
}

/// `encodeURIComponent`.
pub fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let (status, body) = call(url, None, None).await?;
    parse(status, &body)
}

async fn post<T: DeserializeOwned>(url: &str, req: &impl Serialize, key: Option<&str>) -> Result<T, ApiError> {
    let json = serde_json::to_string(req).map_err(|_| ApiError::bare(ErrorCode::BadRequest))?;
    let (status, body) = call(url, Some(json), key).await?;
    parse(status, &body)
}

fn network() -> ApiError {
    ApiError::bare(ErrorCode::Network)
}

/// GET `url`, or POST `body` as JSON; the status and body text of the answer.
/// Not generic: one copy of the request code serves every call.
async fn call(url: &str, body: Option<String>, key: Option<&str>) -> Result<(u16, String), ApiError> {
    let init = RequestInit::new();
    let headers = Headers::new().map_err(|_| network())?;
    if let Some(json) = body {
        init.set_method("POST");
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(&json));
    }
    if let Some(key) = key {
        let _ = headers.set("Idempotency-Key", key);
    }
    init.set_headers(&headers);
    let answer = JsFuture::from(web_sys::window().ok_or_else(network)?.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| network())?;
    let response: Response = answer.unchecked_into();
    let text = JsFuture::from(response.text().map_err(|_| network())?).await.map_err(|_| network())?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

/// Turns a status and body into the answer or the error, even when a proxy answered.
fn parse<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|_| ApiError::bare(ErrorCode::Internal));
    }
    Err(match serde_json::from_str::<WireError>(body) {
        Ok(e) => ApiError { fields: e.fields, alternatives: e.alternatives, ..ApiError::bare(e.code) },
        Err(_) => ApiError::bare(match status {
            404 => ErrorCode::NotFound,
            429 => ErrorCode::TooManyAttempts,
            400..=499 => ErrorCode::BadRequest,
            _ => ErrorCode::Internal,
        }),
    })
}

/// The parts of an error answer this app uses. Not `ApiError` itself: its `receipt`
/// (of a case submission, never sent here) would bring the case types' decoders along.
#[derive(serde::Deserialize)]
struct WireError {
    code: ErrorCode,
    #[serde(default)]
    fields: Vec<ow_shared::FieldError>,
    #[serde(default)]
    alternatives: Vec<ow_shared::booking::SlotRef>,
}
