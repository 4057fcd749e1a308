//! Wire types of the staff console's API (`/api/v1/console/*`).
//!
//! Personal data in these types is already cut to what the caller's role may see
//! (`workflow::contact_visibility`): masked or replaced by "（依法保密）".

use crate::calendar::Urgency;
use crate::case::{CaseState, CaseType, EventKind, Mediation};
use crate::dto::{Deadline, SubmitCaseRequest};
use crate::workflow::{ActionKind, Channel, DeclineRoute, DispatchState, MediationOutcome, Rating};
use serde::{Deserialize, Serialize};

mod walk_in;

pub use walk_in::{GROUP_SIZE, REPRESENTATIVE_NAME_CHARS, validate_walk_in};

/// What replaces a withheld name or number (检举, 信访工作条例 Art.30).
pub const WITHHELD: &str = "（依法保密）";

/// `POST /api/v1/console/cases` (with an `Idempotency-Key`): a clerk registers a
/// walk-in, phone call or letter on the resident's behalf (代办登记). Answers a
/// `Receipt`, query code included, to print for the resident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalkInRequest {
    /// The same fields and validation as the resident's own form; the fields below are
    /// checked by `validate_walk_in`.
    pub case: SubmitCaseRequest,
    pub channel: Option<Channel>,
    /// How many people came (集体访 when more than one); 1 if empty.
    #[serde(default)]
    pub group_size: Option<u32>,
    /// For group visits: at most 5 representatives' names (Art.20).
    #[serde(default)]
    pub representatives: Vec<String>,
    /// An earlier case of the same person or matter (重复访), by id.
    #[serde(default)]
    pub linked_case_id: Option<i64>,
    /// The grid the matter is in, where known (a grid of the case's village).
    #[serde(default)]
    pub grid_id: Option<i64>,
    /// Where written notices are posted (通信地址). Required when no phone is given:
    /// at the window `case.mobile` may be a mobile, a landline, or empty.
    #[serde(default)]
    pub postal_address: String,
}

/// `POST /api/v1/console/cases/repeats`: while the clerk types, possible repeats.
/// A POST so that phone and ID numbers never appear in a URL or a log line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RepeatQuery {
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub id_number: String,
    /// Title or description typed so far.
    #[serde(default)]
    pub text: String,
    /// The village chosen so far: open cases there with a little of the same text are
    /// offered too (neighbours describe one noise or one leak in different words).
    #[serde(default)]
    pub village_id: Option<i64>,
}

/// Why an earlier case may be the same matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RepeatReason {
    /// Same mobile or ID number within 180 days.
    SamePerson,
    /// Similar title or description.
    SimilarText,
}

/// A possible repeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RepeatCandidate {
    pub case_id: i64,
    pub tracking_no: String,
    pub title: String,
    pub state: CaseState,
    /// `YYYY-MM-DD HH:MM`.
    pub submitted_at: String,
    pub reason: RepeatReason,
}

/// `GET /api/v1/console/cases?…`: the queue's filters, all optional.
/// `due`: `overdue` or `soon`; `mine`: cases I registered, took as leader, or (officers)
/// my department's pending parts; `callback`: `open` for open callback tasks;
/// `contact`: `failed` for cases whose last text message could not be delivered;
/// `q`: full text (tracking number, title, description, address); `sort`: `due`
/// (earliest first, the default) or `new`; `page` from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct QueueQuery {
    pub state: Option<CaseState>,
    pub township_id: Option<i64>,
    pub case_type: Option<CaseType>,
    pub department_id: Option<i64>,
    pub due: Option<String>,
    pub mine: Option<bool>,
    pub callback: Option<String>,
    pub contact: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<u32>,
    /// Cases of one grid (网格).
    pub grid_id: Option<i64>,
    /// The cases behind a figure (issue 13): `figure` and `part` (numerator by default)
    /// for the period `from`–`to` and the unit's area, exactly as the figure counted them.
    pub figure: Option<crate::figures::FigureId>,
    pub part: Option<crate::figures::FigurePart>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub unit: Option<i64>,
}

/// Cases per queue page.
pub const QUEUE_PAGE_SIZE: u32 = 20;

/// One line of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub id: i64,
    pub tracking_no: String,
    pub case_type: CaseType,
    pub state: CaseState,
    pub channel: Channel,
    pub title: String,
    pub township: String,
    pub village: String,
    pub submitted_at: String,
    /// The current step's last day, if a clock runs.
    pub due_on: Option<String>,
    pub urgency: Option<Urgency>,
    /// Departments with an active part.
    pub departments: Vec<String>,
    pub leader: Option<String>,
    pub group_size: u32,
    pub open_callback: bool,
    /// The unit holding the case.
    #[serde(default)]
    pub unit: String,
    /// The case's grid, where known.
    #[serde(default)]
    pub grid: Option<GridRef>,
    /// The grid worker with an open task on it (下派), by staff id.
    #[serde(default)]
    pub grid_worker_id: Option<i64>,
}

/// A grid, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridRef {
    pub id: i64,
    pub name: String,
}

/// One hand-over of a case between units (交办, 下派, 上报).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandOverView {
    pub kind: crate::workflow::HandOverKind,
    pub from_unit: String,
    pub to_unit: String,
    /// The grid worker, for 下派.
    pub to_staff: Option<String>,
    pub reason: String,
    pub due_on: String,
    pub at: String,
    pub by: String,
    /// A grid worker's task: when done, and their note.
    pub done_at: Option<String>,
    pub done_note: Option<String>,
}

/// Counts across everything the caller may see (not just this page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueCounts {
    pub overdue: u32,
    pub due_soon: u32,
    pub open_callbacks: u32,
}

/// A page of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    /// Matching cases in all pages.
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
    pub counts: QueueCounts,
}

/// One department's part of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchView {
    pub id: i64,
    pub department_id: i64,
    pub department_name: String,
    pub state: DispatchState,
    pub dispatched_at: String,
    pub due_on: String,
    pub objection_due_on: String,
    pub objection_reason: Option<String>,
    /// An objection waits for the centre's 核实同意; the department still holds its part.
    #[serde(default)]
    pub objection_pending: bool,
    pub response: Option<String>,
}

/// An event as staff see it: with the person who acted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffEvent {
    pub at: String,
    pub kind: EventKind,
    /// Display name of the member of staff, or 群众 for the resident.
    pub actor: String,
    pub unit: String,
    pub from_state: Option<CaseState>,
    pub to_state: CaseState,
    pub note: String,
    pub public: bool,
}

/// A callback task (回访) after a "不满意" rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallbackView {
    pub id: i64,
    pub opened_at: String,
    pub due_on: String,
    pub done_at: Option<String>,
    pub done_by: Option<String>,
    pub note: Option<String>,
    /// Why the resident was not satisfied, if they said (optional, ≤ 200 characters).
    #[serde(default)]
    pub reason: String,
}

/// `GET /api/v1/console/cases/{id}`: everything about a case the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDetail {
    pub id: i64,
    pub tracking_no: String,
    pub case_type: CaseType,
    pub state: CaseState,
    pub channel: Channel,
    pub title: String,
    pub description: String,
    pub occurred_on: String,
    pub township: String,
    pub village: String,
    pub address: String,
    pub other_party_name: String,
    pub mediation: Option<Mediation>,
    /// Cut to the caller's role; `WITHHELD` for an accuser seen by a department.
    /// Phone (a mobile, a landline, or empty) and ID number are masked for every role:
    /// `POST …/cases/{id}/contact` reveals them (`can_reveal_contact`).
    pub contact_name: String,
    pub mobile: String,
    pub id_number: String,
    /// Where written notices are posted, for walk-ins and letters (may be empty).
    #[serde(default)]
    pub postal_address: String,
    /// Whether the caller may reveal the full phone and ID number.
    #[serde(default)]
    pub can_reveal_contact: bool,
    pub identity_protected: bool,
    pub group_size: u32,
    pub representatives: Vec<String>,
    pub submitted_at: String,
    /// 首问负责: the clerk who registered it, if it came through the window.
    pub registered_by: Option<String>,
    /// 领导包案.
    pub leader: Option<String>,
    pub linked_case: Option<LinkedCase>,
    pub photo_ids: Vec<String>,
    /// Every clock of the case with its last day.
    pub deadlines: Vec<Deadline>,
    pub due_on: Option<String>,
    pub urgency: Option<Urgency>,
    pub decline: Option<DeclineView>,
    pub dispatches: Vec<DispatchView>,
    pub mediation_outcome: Option<MediationOutcome>,
    pub extension: Option<ExtensionView>,
    pub reply: Option<String>,
    pub rating: Option<Rating>,
    pub callbacks: Vec<CallbackView>,
    pub review: Option<ReviewView>,
    /// The unit holding the case (统一答复 comes from it).
    pub unit: Option<crate::unit::UnitRef>,
    /// The case's grid, where known.
    pub grid: Option<GridRef>,
    /// The grid worker it was sent down to (下派), while that task is open.
    pub grid_worker: Option<String>,
    /// Settled on the spot (就地化解).
    pub resolved_on_spot: bool,
    /// Every hand-over, oldest first.
    pub handovers: Vec<HandOverView>,
    /// Oldest first; nothing can edit or delete them.
    pub events: Vec<StaffEvent>,
    /// What the caller can do now.
    pub available_actions: Vec<ActionKind>,
}

/// `POST /api/v1/console/cases/{id}/contact` (查看完整号码): the full phone and ID
/// number, for roles that must reach the resident; each call is an event (who, when).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactView {
    /// A mobile, a landline (`0851-12345678[-801]`), or empty.
    pub mobile: String,
    pub id_number: String,
}

/// `POST /api/v1/console/cases/{id}/query-code` (clerks): issues a new query code and
/// answers the case's receipt with it; the old code stops working. The clerk confirms
/// that the visitor's identity was checked at the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReissueQueryCode {
    pub identity_checked: bool,
}

/// A linked earlier case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedCase {
    pub id: i64,
    pub tracking_no: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeclineView {
    pub route: DeclineRoute,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExtensionView {
    pub days: u32,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewView {
    pub requested_at: String,
    pub reason: String,
    pub due_on: String,
    pub decision: Option<String>,
}

/// `PUT /api/v1/console/holidays/{date}` (administrators): set a day's kind.
/// `DELETE` the same path returns the day to the ordinary week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetHolidayRequest {
    pub kind: crate::calendar::DayKind,
    pub name: String,
}
