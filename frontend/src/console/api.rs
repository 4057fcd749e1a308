//! The console's endpoints, over `crate::http` with the signed-in session: the client
//! sends the session's CSRF token on every state change and, when any answer says the
//! session has ended, runs the console's sign-out (which returns to the sign-in page).

pub use crate::http::encode;
use crate::http::{Client, Method, StaffSession, decode};
use leptos::prelude::*;
use ow_shared::booking::{
    AssignLawyer, BookRequest, BookingView, LegalAidCase, LegalAidDecision, LegalService, OpenLegalAid, PlaceInfo,
    PlaceSchedule, SlotInfo, StaffBookingRow, StaffCancelRequest,
};
use ow_shared::console::{
    CaseDetail, ContactView, QueuePage, ReissueQueryCode, RepeatCandidate, RepeatQuery, SetHolidayRequest,
    WalkInRequest,
};
use ow_shared::dto::{Receipt, RegionsResponse};
use ow_shared::grid::{GridDetail, GridSummary, GridUpdate, ImportProblem, ImportReport};
use ow_shared::materials::{MaterialRequestView, RequestMaterials};
use ow_shared::message::MessageView;
use ow_shared::notice::{NoticeView, RecordDelivery};
use ow_shared::staff::{
    CreateStaffRequest, DemoAccount, Department, ResetPasswordRequest, SessionInfo, SignInRequest, StaffAccount,
};
use ow_shared::workflow::Action;
use ow_shared::{ApiError, calendar::CalendarDay};

const BASE: &str = "/api/v1/console";

/// The exports, as downloads (the cookie goes with the link).
pub const GRID_BOUNDARIES_EXPORT: &str = "/api/v1/console/grids/boundaries.geojson";
pub const GRID_PEOPLE_EXPORT: &str = "/api/v1/console/grids/people.csv";
/// The figures of a period and unit as .xlsx (`?from=&to=&unit=`).
pub const FIGURES_EXPORT: &str = "/api/v1/console/figures.xlsx";
/// The queue's cases, with its filters or behind a figure, as .xlsx (the queue's query).
pub const CASES_EXPORT: &str = "/api/v1/console/cases.xlsx";

/// The URL of a case photo (for `<img src>`; the cookie goes with it).
pub fn photo_url(id: &str) -> String {
    format!("{BASE}/photos/{}", encode(id))
}

/// A refused import: the error and, for `IMPORT_FAILED`, every bad line or feature.
pub struct ImportRefused {
    pub error: ApiError,
    pub problems: Vec<ImportProblem>,
}

/// The console's API: every endpoint, over the client of the current session.
#[derive(Clone, Copy)]
pub struct Api(Client<StaffSession>);

/// The console's `Api`, provided by its `App`. Take it in a component's body (not in an
/// event handler or a task, where no context can be read).
pub fn use_api() -> Api {
    expect_context()
}

impl Api {
    /// The API over `client`.
    pub fn new(client: Client<StaffSession>) -> Api {
        Api(client)
    }

    // --- Session ---------------------------------------------------------------------

    pub async fn demo_accounts(self) -> Result<Vec<DemoAccount>, ApiError> {
        self.0.get(&format!("{BASE}/demo-accounts")).await
    }

    /// Who is signed in: `NOT_SIGNED_IN` when no one (the public client: no sign-out hook).
    pub async fn session(self) -> Result<SessionInfo, ApiError> {
        Client::PUBLIC.get(&format!("{BASE}/session")).await
    }

    /// Signs in. A wrong password is 401 too, but `SIGN_IN_FAILED`: no sign-out hook runs.
    pub async fn sign_in(self, req: &SignInRequest) -> Result<SessionInfo, ApiError> {
        self.0.post(&format!("{BASE}/session"), req, None).await
    }

    pub async fn sign_out(self) -> Result<(), ApiError> {
        self.0.send_empty(Method::Delete, &format!("{BASE}/session"), None::<&()>).await
    }

    // --- Look-ups --------------------------------------------------------------------

    pub async fn departments(self) -> Result<Vec<Department>, ApiError> {
        self.0.get(&format!("{BASE}/departments")).await
    }

    pub async fn regions(self) -> Result<RegionsResponse, ApiError> {
        self.0.get("/api/v1/regions").await
    }

    // --- Figures ---------------------------------------------------------------------

    /// Leaders' figures; `query` is `from=&to=` (and `unit=`) without `?`.
    pub async fn figures(self, query: &str) -> Result<ow_shared::figures::FiguresReport, ApiError> {
        self.0.get(&format!("{BASE}/figures?{query}")).await
    }

    // --- Cases -----------------------------------------------------------------------

    /// A queue page; `query` is the encoded query string without `?`.
    pub async fn queue(self, query: &str) -> Result<QueuePage, ApiError> {
        self.0.get(&format!("{BASE}/cases?{query}")).await
    }

    pub async fn case(self, id: i64) -> Result<CaseDetail, ApiError> {
        self.0.get(&format!("{BASE}/cases/{id}")).await
    }

    /// Where the case may be handed from its holder (交办, 下派, 上报).
    pub async fn hand_over_targets(self, id: i64) -> Result<ow_shared::unit::HandOverTargets, ApiError> {
        self.0.get(&format!("{BASE}/cases/{id}/hand-over-targets")).await
    }

    /// Every unit of the county, for creating accounts per unit.
    pub async fn units(self) -> Result<Vec<ow_shared::unit::Unit>, ApiError> {
        self.0.get(&format!("{BASE}/units")).await
    }

    pub async fn act(self, id: i64, action: &Action) -> Result<CaseDetail, ApiError> {
        self.0.post(&format!("{BASE}/cases/{id}/actions"), action, None).await
    }

    /// A grid worker's report (上报, or 就地化解 when settled); retries must reuse `key`.
    pub async fn grid_report(self, req: &ow_shared::unit::GridReportRequest, key: &str) -> Result<Receipt, ApiError> {
        self.0.post(&format!("{BASE}/grid-reports"), req, Some(key)).await
    }

    /// A grid worker's screening round (排查); retries must reuse `key`.
    pub async fn screening(
        self,
        req: &ow_shared::screening::ScreeningRequest,
        key: &str,
    ) -> Result<ow_shared::screening::ScreeningRound, ApiError> {
        self.0.post(&format!("{BASE}/screenings"), req, Some(key)).await
    }

    /// The open risks of the caller's area; `query` as `grid_id=&level=`, encoded.
    pub async fn risks(self, query: &str) -> Result<Vec<ow_shared::screening::RiskView>, ApiError> {
        self.0.get(&format!("{BASE}/risks?{query}")).await
    }

    /// What became of a watched risk.
    pub async fn update_risk(
        self,
        id: i64,
        req: &ow_shared::screening::UpdateRiskRequest,
    ) -> Result<ow_shared::screening::RiskView, ApiError> {
        self.0.post(&format!("{BASE}/risks/{id}"), req, None).await
    }

    /// Uploads a photo (a file or a redrawn blob) as residents do; its id.
    pub async fn upload_photo(
        self,
        body: &wasm_bindgen::JsValue,
        content_type: &str,
    ) -> Result<ow_shared::dto::UploadResponse, ApiError> {
        let (status, text) = self.0.post_file("/api/v1/uploads", body, content_type).await?;
        decode(status, &text)
    }

    /// Registers a walk-in; retries must reuse `key` so the server never makes two cases.
    pub async fn walk_in(self, req: &WalkInRequest, key: &str) -> Result<Receipt, ApiError> {
        self.0.post(&format!("{BASE}/cases"), req, Some(key)).await
    }

    /// 查看完整号码: the full phone and ID number; the server records who and when.
    pub async fn reveal_contact(self, id: i64) -> Result<ContactView, ApiError> {
        self.0.post(&format!("{BASE}/cases/{id}/contact"), &(), None).await
    }

    /// 重新生成查询码: a new code (the old one stops working) and the receipt to print.
    pub async fn reissue_query_code(self, id: i64) -> Result<Receipt, ApiError> {
        self.0.post(&format!("{BASE}/cases/{id}/query-code"), &ReissueQueryCode { identity_checked: true }, None).await
    }

    /// The case's text messages with their delivery states.
    pub async fn case_messages(self, id: i64) -> Result<Vec<MessageView>, ApiError> {
        self.0.get(&format!("{BASE}/cases/{id}/messages")).await
    }

    /// 重发: a failed message sent again (recorded as an event).
    pub async fn resend_message(self, id: i64, message_id: i64) -> Result<MessageView, ApiError> {
        self.0.post(&format!("{BASE}/cases/{id}/messages/{message_id}/resend"), &(), None).await
    }

    /// The case's 补正 requests with their answers.
    pub async fn materials(self, id: i64) -> Result<Vec<MaterialRequestView>, ApiError> {
        self.0.get(&format!("{BASE}/cases/{id}/materials")).await
    }

    /// 一次性告知补正: answers the case.
    pub async fn request_materials(self, id: i64, req: &RequestMaterials) -> Result<CaseDetail, ApiError> {
        self.0.post(&format!("{BASE}/cases/{id}/materials"), req, None).await
    }

    /// The case's written notices with their delivery (送达).
    pub async fn notices(self, id: i64) -> Result<Vec<NoticeView>, ApiError> {
        self.0.get(&format!("{BASE}/cases/{id}/notices")).await
    }

    /// 记录送达 of the case's latest notice of a kind: answers the case.
    pub async fn record_delivery(self, id: i64, req: &RecordDelivery) -> Result<CaseDetail, ApiError> {
        self.0.post(&format!("{BASE}/cases/{id}/notices/delivery"), req, None).await
    }

    pub async fn repeats(self, req: &RepeatQuery) -> Result<Vec<RepeatCandidate>, ApiError> {
        self.0.post(&format!("{BASE}/cases/repeats"), req, None).await
    }

    // --- Holidays and accounts (administrators) ----------------------------------------

    pub async fn holidays(self, year: i32) -> Result<Vec<CalendarDay>, ApiError> {
        self.0.get(&format!("{BASE}/holidays?year={year}")).await
    }

    pub async fn set_holiday(self, date: &str, req: &SetHolidayRequest) -> Result<(), ApiError> {
        self.0.send_empty(Method::Put, &format!("{BASE}/holidays/{}", encode(date)), Some(req)).await
    }

    pub async fn delete_holiday(self, date: &str) -> Result<(), ApiError> {
        self.0.send_empty(Method::Delete, &format!("{BASE}/holidays/{}", encode(date)), None::<&()>).await
    }

    pub async fn staff(self) -> Result<Vec<StaffAccount>, ApiError> {
        self.0.get(&format!("{BASE}/staff")).await
    }

    pub async fn create_staff(self, req: &CreateStaffRequest) -> Result<StaffAccount, ApiError> {
        self.0.post(&format!("{BASE}/staff"), req, None).await
    }

    pub async fn deactivate_staff(self, id: i64) -> Result<(), ApiError> {
        self.0.send_empty(Method::Post, &format!("{BASE}/staff/{id}/deactivate"), None::<&()>).await
    }

    pub async fn reset_password(self, id: i64, req: &ResetPasswordRequest) -> Result<(), ApiError> {
        self.0.send_empty(Method::Post, &format!("{BASE}/staff/{id}/password"), Some(req)).await
    }

    // --- The booking desk (clerks, leaders) and places' schedules (administrators) ------

    /// The places one can book at (the residents' list).
    pub async fn booking_places(self) -> Result<Vec<PlaceInfo>, ApiError> {
        self.0.get("/api/v1/booking/places").await
    }

    /// A place's start times of a date for a service (as many free consecutive slots as
    /// it takes; single slots while none is chosen), as residents see them (minimum
    /// notice included).
    pub async fn booking_slots(
        self,
        place_id: i64,
        date: &str,
        service: Option<LegalService>,
    ) -> Result<Vec<SlotInfo>, ApiError> {
        let service = service.map(|s| format!("&service={}", s.code())).unwrap_or_default();
        self.0.get(&format!("/api/v1/booking/places/{place_id}/slots?date={}{service}", encode(date))).await
    }

    /// Cancels a booking or a waiting-list place at the desk, with the reason (recorded).
    pub async fn cancel_booking(self, id: i64, reason: &str) -> Result<StaffBookingRow, ApiError> {
        let body = StaffCancelRequest { reason: reason.to_string() };
        self.0.post(&format!("{BASE}/bookings/{id}/cancel"), &body, None).await
    }

    /// A place's bookings of a day, waiting list included.
    pub async fn day_bookings(self, place_id: i64, date: &str) -> Result<Vec<StaffBookingRow>, ApiError> {
        self.0.get(&format!("{BASE}/bookings?place_id={place_id}&date={}", encode(date))).await
    }

    pub async fn check_in(self, id: i64) -> Result<StaffBookingRow, ApiError> {
        self.0.send(Method::Post, &format!("{BASE}/bookings/{id}/check-in"), None::<&()>, None).await
    }

    pub async fn no_show(self, id: i64) -> Result<StaffBookingRow, ApiError> {
        self.0.send(Method::Post, &format!("{BASE}/bookings/{id}/no-show"), None::<&()>, None).await
    }

    /// Books on behalf of a walk-in; retries must reuse `key`.
    pub async fn book_walk_in(self, req: &BookRequest, key: &str) -> Result<BookingView, ApiError> {
        self.0.post(&format!("{BASE}/bookings"), req, Some(key)).await
    }

    /// Opens the legal-aid application of a booking's applicant.
    pub async fn open_legal_aid(self, booking_id: i64, req: &OpenLegalAid) -> Result<LegalAidCase, ApiError> {
        self.0.post(&format!("{BASE}/bookings/{booking_id}/legal-aid"), req, None).await
    }

    pub async fn legal_aid(self, id: i64) -> Result<LegalAidCase, ApiError> {
        self.0.get(&format!("{BASE}/legal-aid/{id}")).await
    }

    /// 补正 of an application: the decision clock pauses.
    pub async fn legal_aid_request_materials(self, id: i64, req: &RequestMaterials) -> Result<LegalAidCase, ApiError> {
        self.0.post(&format!("{BASE}/legal-aid/{id}/materials"), req, None).await
    }

    /// The materials arrived: the decision clock resumes.
    pub async fn legal_aid_materials_received(self, id: i64) -> Result<LegalAidCase, ApiError> {
        self.0.post(&format!("{BASE}/legal-aid/{id}/materials/received"), &(), None).await
    }

    pub async fn decide_legal_aid(self, id: i64, req: &LegalAidDecision) -> Result<LegalAidCase, ApiError> {
        self.0.post(&format!("{BASE}/legal-aid/{id}/decide"), req, None).await
    }

    pub async fn assign_lawyer(self, id: i64, req: &AssignLawyer) -> Result<LegalAidCase, ApiError> {
        self.0.post(&format!("{BASE}/legal-aid/{id}/assign"), req, None).await
    }

    pub async fn place_schedule(self, id: i64) -> Result<PlaceSchedule, ApiError> {
        self.0.get(&format!("{BASE}/booking-places/{id}")).await
    }

    pub async fn save_place_schedule(self, id: i64, schedule: &PlaceSchedule) -> Result<PlaceSchedule, ApiError> {
        self.0.send(Method::Put, &format!("{BASE}/booking-places/{id}"), Some(schedule), None).await
    }

    // --- Grids: pages (clerks, leaders, administrators), imports and exports ------------

    /// Every grid of the county, by code.
    pub async fn grids(self) -> Result<Vec<GridSummary>, ApiError> {
        self.0.get("/api/v1/grids").await
    }

    /// A grid's page as residents see it.
    pub async fn grid(self, id: i64) -> Result<GridDetail, ApiError> {
        self.0.get(&format!("/api/v1/grids/{id}")).await
    }

    pub async fn update_grid(self, id: i64, update: &GridUpdate) -> Result<GridDetail, ApiError> {
        self.0.send(Method::Put, &format!("{BASE}/grids/{id}"), Some(update), None).await
    }

    /// Imports a GeoJSON file of boundaries taking effect on `effective_from`. All or nothing.
    pub async fn import_boundaries(
        self,
        file: &web_sys::File,
        effective_from: &str,
    ) -> Result<ImportReport, ImportRefused> {
        let url = format!("{BASE}/grids/boundaries?effective_from={}", encode(effective_from));
        self.import(&url, file, "application/geo+json").await
    }

    /// Imports a CSV file of teams. All or nothing.
    pub async fn import_people(self, file: &web_sys::File) -> Result<ImportReport, ImportRefused> {
        self.import(&format!("{BASE}/grids/people"), file, "text/csv").await
    }

    /// Sends the file byte for byte (the server judges its encoding); a refusal keeps
    /// the list of every bad line or feature.
    async fn import(self, url: &str, file: &web_sys::File, content_type: &str) -> Result<ImportReport, ImportRefused> {
        let refused = |error| ImportRefused { error, problems: Vec::new() };
        let (status, text) = self.0.post_file(url, file, content_type).await.map_err(refused)?;
        decode(status, &text).map_err(|error| {
            let problems = serde_json::from_str::<ImportReport>(&text).map(|r| r.errors).unwrap_or_default();
            ImportRefused { error, problems }
        })
    }
}
