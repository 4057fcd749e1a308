//! The console's only HTTP: JSON over fetch with the session cookie (same origin, the
//! fetch default) and, on every state-changing request, the session's CSRF token.
//!
//! Every failure is an `ApiError`. A `NOT_SIGNED_IN` answer anywhere also runs the hook
//! set by `on_not_signed_in`, so an expired session always ends on the sign-in page.

use ow_shared::console::{CaseDetail, QueuePage, RepeatCandidate, RepeatQuery, SetHolidayRequest, WalkInRequest};
use ow_shared::dto::{Receipt, RegionsResponse};
use ow_shared::staff::{
    CreateStaffRequest, DemoAccount, Department, ResetPasswordRequest, SessionInfo, SignInRequest, StaffAccount,
};
use ow_shared::workflow::Action;
use ow_shared::{ApiError, ErrorCode, calendar::CalendarDay};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

thread_local! {
    /// The signed-in session's CSRF token; in memory only, never in storage.
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
    /// What to do when the server says the session is gone.
    static ON_NOT_SIGNED_IN: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Keeps the token to send as `X-CSRF-Token` (empty after signing out).
pub fn set_csrf(token: &str) {
    CSRF.with(|c| *c.borrow_mut() = token.to_string());
}

/// Sets what runs when any request answers `NOT_SIGNED_IN`.
pub fn on_not_signed_in(hook: impl Fn() + 'static) {
    ON_NOT_SIGNED_IN.with(|h| *h.borrow_mut() = Some(Box::new(hook)));
}

const BASE: &str = "/api/v1/console";

// --- Session --------------------------------------------------------------------------

pub async fn demo_accounts() -> Result<Vec<DemoAccount>, ApiError> {
    get(&format!("{BASE}/demo-accounts")).await
}

/// Who is signed in: `NOT_SIGNED_IN` when no one (without running the hook).
pub async fn session() -> Result<SessionInfo, ApiError> {
    let (status, body) = call("GET", &format!("{BASE}/session"), None, None).await?;
    parse(status, &body)
}

pub async fn sign_in(req: &SignInRequest) -> Result<SessionInfo, ApiError> {
    // A wrong password is 401 too, but SIGN_IN_FAILED: the hook never runs for it.
    send("POST", &format!("{BASE}/session"), Some(req), None).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    send_empty("DELETE", &format!("{BASE}/session"), None::<&()>).await
}

// --- Look-ups -------------------------------------------------------------------------

pub async fn departments() -> Result<Vec<Department>, ApiError> {
    get(&format!("{BASE}/departments")).await
}

pub async fn regions() -> Result<RegionsResponse, ApiError> {
    get("/api/v1/regions").await
}

// --- Cases ----------------------------------------------------------------------------

/// A queue page; `query` is the encoded query string without `?`.
pub async fn queue(query: &str) -> Result<QueuePage, ApiError> {
    get(&format!("{BASE}/cases?{query}")).await
}

pub async fn case(id: i64) -> Result<CaseDetail, ApiError> {
    get(&format!("{BASE}/cases/{id}")).await
}

pub async fn act(id: i64, action: &Action) -> Result<CaseDetail, ApiError> {
    send("POST", &format!("{BASE}/cases/{id}/actions"), Some(action), None).await
}

/// Registers a walk-in; retries must reuse `key` so the server never makes two cases.
pub async fn walk_in(req: &WalkInRequest, key: &str) -> Result<Receipt, ApiError> {
    send("POST", &format!("{BASE}/cases"), Some(req), Some(key)).await
}

pub async fn repeats(req: &RepeatQuery) -> Result<Vec<RepeatCandidate>, ApiError> {
    send("POST", &format!("{BASE}/cases/repeats"), Some(req), None).await
}

/// The URL of a case photo (for `<img src>`; the cookie goes with it).
pub fn photo_url(id: &str) -> String {
    format!("{BASE}/photos/{}", encode(id))
}

// --- Holidays and accounts (administrators) ---------------------------------------------

pub async fn holidays(year: i32) -> Result<Vec<CalendarDay>, ApiError> {
    get(&format!("{BASE}/holidays?year={year}")).await
}

pub async fn set_holiday(date: &str, req: &SetHolidayRequest) -> Result<(), ApiError> {
    send_empty("PUT", &format!("{BASE}/holidays/{}", encode(date)), Some(req)).await
}

pub async fn delete_holiday(date: &str) -> Result<(), ApiError> {
    send_empty("DELETE", &format!("{BASE}/holidays/{}", encode(date)), None::<&()>).await
}

pub async fn staff() -> Result<Vec<StaffAccount>, ApiError> {
    get(&format!("{BASE}/staff")).await
}

pub async fn create_staff(req: &CreateStaffRequest) -> Result<StaffAccount, ApiError> {
    send("POST", &format!("{BASE}/staff"), Some(req), None).await
}

pub async fn deactivate_staff(id: i64) -> Result<(), ApiError> {
    send_empty("POST", &format!("{BASE}/staff/{id}/deactivate"), None::<&()>).await
}

pub async fn reset_password(id: i64, req: &ResetPasswordRequest) -> Result<(), ApiError> {
    send_empty("POST", &format!("{BASE}/staff/{id}/password"), Some(req)).await
}

// --- The plumbing ---------------------------------------------------------------------

/// A query-string or path component, percent-encoded.
pub fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

fn network() -> ApiError {
    ApiError::new(ErrorCode::Network)
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let (status, body) = call("GET", url, None, None).await?;
    checked(parse(status, &body))
}

async fn send<T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<&impl Serialize>,
    key: Option<&str>,
) -> Result<T, ApiError> {
    let json = body.map(to_json).transpose()?;
    let (status, text) = call(method, url, json, key).await?;
    checked(parse(status, &text))
}

/// A request whose success has no body worth reading (204, or an answer ignored).
async fn send_empty(method: &str, url: &str, body: Option<&impl Serialize>) -> Result<(), ApiError> {
    let json = body.map(to_json).transpose()?;
    let (status, text) = call(method, url, json, None).await?;
    if (200..300).contains(&status) {
        return Ok(());
    }
    checked(parse::<()>(status, &text))
}

fn to_json(value: &impl Serialize) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|_| ApiError::new(ErrorCode::BadRequest))
}

/// Runs the signed-out hook on `NOT_SIGNED_IN`, then passes the result on.
fn checked<T>(result: Result<T, ApiError>) -> Result<T, ApiError> {
    if let Err(e) = &result
        && e.code == ErrorCode::NotSignedIn
    {
        ON_NOT_SIGNED_IN.with(|h| {
            if let Some(hook) = h.borrow().as_ref() {
                hook();
            }
        });
    }
    result
}

/// One request: the status and body text of the answer.
async fn call(method: &str, url: &str, body: Option<String>, key: Option<&str>) -> Result<(u16, String), ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = Headers::new().map_err(|_| network())?;
    let _ = headers.set("Accept", "application/json");
    if let Some(json) = body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(&json));
    }
    if method != "GET" {
        let token = CSRF.with(|c| c.borrow().clone());
        if !token.is_empty() {
            let _ = headers.set("X-CSRF-Token", &token);
        }
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
        return serde_json::from_str(body).map_err(|_| ApiError::new(ErrorCode::Internal));
    }
    Err(serde_json::from_str::<ApiError>(body).unwrap_or_else(|_| ApiError::new(code_for(status))))
}

fn code_for(status: u16) -> ErrorCode {
    match status {
        401 => ErrorCode::NotSignedIn,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        429 => ErrorCode::TooManyAttempts,
        400..=499 => ErrorCode::BadRequest,
        _ => ErrorCode::Internal,
    }
}

// --- The booking desk (clerks, leaders) and places' schedules (administrators) ----------

use ow_shared::booking::{
    AssignLawyer, BookRequest, BookingView, LegalAidCase, LegalAidDecision, OpenLegalAid, PlaceInfo, PlaceSchedule,
    SlotInfo, StaffBookingRow,
};

/// The places one can book at (the residents' list).
pub async fn booking_places() -> Result<Vec<PlaceInfo>, ApiError> {
    get("/api/v1/booking/places").await
}

/// A place's slots of a date, as residents see them (minimum notice included).
pub async fn booking_slots(place_id: i64, date: &str) -> Result<Vec<SlotInfo>, ApiError> {
    get(&format!("/api/v1/booking/places/{place_id}/slots?date={}", encode(date))).await
}

/// A place's bookings of a day, waiting list included.
pub async fn day_bookings(place_id: i64, date: &str) -> Result<Vec<StaffBookingRow>, ApiError> {
    get(&format!("{BASE}/bookings?place_id={place_id}&date={}", encode(date))).await
}

pub async fn check_in(id: i64) -> Result<StaffBookingRow, ApiError> {
    send("POST", &format!("{BASE}/bookings/{id}/check-in"), None::<&()>, None).await
}

pub async fn no_show(id: i64) -> Result<StaffBookingRow, ApiError> {
    send("POST", &format!("{BASE}/bookings/{id}/no-show"), None::<&()>, None).await
}

/// Books on behalf of a walk-in; retries must reuse `key`.
pub async fn book_walk_in(req: &BookRequest, key: &str) -> Result<BookingView, ApiError> {
    send("POST", &format!("{BASE}/bookings"), Some(req), Some(key)).await
}

/// Opens the legal-aid application of a booking's applicant.
pub async fn open_legal_aid(booking_id: i64, req: &OpenLegalAid) -> Result<LegalAidCase, ApiError> {
    send("POST", &format!("{BASE}/bookings/{booking_id}/legal-aid"), Some(req), None).await
}

pub async fn legal_aid(id: i64) -> Result<LegalAidCase, ApiError> {
    get(&format!("{BASE}/legal-aid/{id}")).await
}

pub async fn decide_legal_aid(id: i64, req: &LegalAidDecision) -> Result<LegalAidCase, ApiError> {
    send("POST", &format!("{BASE}/legal-aid/{id}/decide"), Some(req), None).await
}

pub async fn assign_lawyer(id: i64, req: &AssignLawyer) -> Result<LegalAidCase, ApiError> {
    send("POST", &format!("{BASE}/legal-aid/{id}/assign"), Some(req), None).await
}

pub async fn place_schedule(id: i64) -> Result<PlaceSchedule, ApiError> {
    get(&format!("{BASE}/booking-places/{id}")).await
}

pub async fn save_place_schedule(id: i64, schedule: &PlaceSchedule) -> Result<PlaceSchedule, ApiError> {
    send("PUT", &format!("{BASE}/booking-places/{id}"), Some(schedule), None).await
}

// --- Grids: pages (clerks, leaders, administrators), imports and exports (administrators)

use ow_shared::grid::{GridDetail, GridSummary, GridUpdate, ImportProblem, ImportReport};

/// Every grid of the county, by code.
pub async fn grids() -> Result<Vec<GridSummary>, ApiError> {
    get("/api/v1/grids").await
}

/// A grid's page as residents see it.
pub async fn grid(id: i64) -> Result<GridDetail, ApiError> {
    get(&format!("/api/v1/grids/{id}")).await
}

pub async fn update_grid(id: i64, update: &GridUpdate) -> Result<GridDetail, ApiError> {
    send("PUT", &format!("{BASE}/grids/{id}"), Some(update), None).await
}

/// The exports, as downloads (the cookie goes with the link).
pub const GRID_BOUNDARIES_EXPORT: &str = "/api/v1/console/grids/boundaries.geojson";
pub const GRID_PEOPLE_EXPORT: &str = "/api/v1/console/grids/people.csv";

/// A refused import: the error and, for `IMPORT_FAILED`, every bad line or feature.
pub struct ImportRefused {
    pub error: ApiError,
    pub problems: Vec<ImportProblem>,
}

/// Imports a GeoJSON file of boundaries taking effect on `effective_from`. All or nothing.
pub async fn import_boundaries(file: &web_sys::File, effective_from: &str) -> Result<ImportReport, ImportRefused> {
    let url = format!("{BASE}/grids/boundaries?effective_from={}", encode(effective_from));
    import(&url, file, "application/geo+json").await
}

/// Imports a CSV file of teams. All or nothing.
pub async fn import_people(file: &web_sys::File) -> Result<ImportReport, ImportRefused> {
    import(&format!("{BASE}/grids/people"), file, "text/csv").await
}

async fn import(url: &str, file: &web_sys::File, content_type: &str) -> Result<ImportReport, ImportRefused> {
    let refused = |error| ImportRefused { error, problems: Vec::new() };
    let (status, text) = post_raw(url, file, content_type).await.map_err(refused)?;
    checked(parse(status, &text)).map_err(|error| {
        let problems = serde_json::from_str::<ImportReport>(&text).map(|r| r.errors).unwrap_or_default();
        ImportRefused { error, problems }
    })
}

/// POSTs a raw body (a file, sent byte for byte, so the server judges its encoding)
/// with its content type and the CSRF token: the status and body text of the answer.
async fn post_raw(url: &str, body: &JsValue, content_type: &str) -> Result<(u16, String), ApiError> {
    let init = RequestInit::new();
    init.set_method("POST");
    let headers = Headers::new().map_err(|_| network())?;
    let _ = headers.set("Accept", "application/json");
    let _ = headers.set("Content-Type", content_type);
    let token = CSRF.with(|c| c.borrow().clone());
    if !token.is_empty() {
        let _ = headers.set("X-CSRF-Token", &token);
    }
    init.set_headers(&headers);
    init.set_body(body);
    let answer = JsFuture::from(web_sys::window().ok_or_else(network)?.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| network())?;
    let response: Response = answer.unchecked_into();
    let text = JsFuture::from(response.text().map_err(|_| network())?).await.map_err(|_| network())?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}
