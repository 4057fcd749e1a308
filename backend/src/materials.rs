//! 补正 — one request for everything missing (一次性告知, 信访工作条例 Art.23; 法律援助法
//! Art.43): staff list every missing item at once with a date; the resident sends them
//! with the query code; the case shows what came back and when. Both acts are events on
//! the case's timeline (the resident's 查进度 shows the list) and the request texts the
//! resident the upload page's link. Knows nothing of HTTP.

use crate::auth::Staff;
use crate::casework::{self, Act};
use crate::clock;
use crate::db::cases::{CENTRE, RESIDENT};
use crate::db::materials as store;
use crate::error::AppError;
use ow_shared::case::{CaseState, EventKind};
use ow_shared::materials::{MaterialRequestView, RequestMaterials, SupplyMaterials, clean_items, validate_request};
use ow_shared::staff::Role;
use ow_shared::{ErrorCode, FieldError, calendar};

/// The longest time given to send materials.
pub const MAX_DAYS: i64 = 30;

/// The upload page's path for a case (the resident adds the query code there).
pub fn upload_path(tracking_no: &str) -> String {
    format!("/materials?no={tracking_no}")
}

/// Whether materials may be asked for in this state: while the case is being handled.
fn requestable(state: CaseState) -> bool {
    matches!(
        state,
        CaseState::Registered
            | CaseState::Accepted
            | CaseState::Dispatched
            | CaseState::Responded
            | CaseState::UnderReview
    )
}

/// Centre staff ask for everything missing at once. `site` is the address the resident
/// opens the upload page at.
pub fn request(
    conn: &rusqlite::Connection,
    act: &Act,
    staff: &Staff,
    req: &RequestMaterials,
    site: &str,
) -> Result<(), AppError> {
    staff.require(Role::CENTRE)?;
    let detail = casework::view(conn, act, staff)?;
    let mut errors = validate_request(req);
    let today = clock::date_of(act.now_ms);
    let due = calendar::parse(req.due_on.trim()).filter(|d| *d > today && *d <= clock::add_days(today, MAX_DAYS));
    if due.is_none() {
        errors.push(FieldError::new("due_on", ErrorCode::DueDateInvalid));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if !requestable(detail.state) {
        return Err(AppError::Client(ErrorCode::MaterialsNotRequestable));
    }
    let items = clean_items(&req.items);
    let due_on = req.due_on.trim();
    if !store::insert(conn, act.case_id, &items, due_on, staff.id, act.now_ms)? {
        return Err(AppError::Client(ErrorCode::MaterialsNotRequestable));
    }
    let list: Vec<String> = items.iter().enumerate().map(|(n, item)| format!("{}. {item}", n + 1)).collect();
    let public = format!(
        "请在 {due_on} 前一次性补充以下材料：{}。请打开 {site}{} ，凭受理编号和查询码上传。",
        list.join("；"),
        upload_path(&detail.tracking_no)
    );
    let note = format!("一次性告知补正材料（{due_on} 前）：{}", list.join("；"));
    let unit = staff.department_name.as_deref().unwrap_or(CENTRE);
    casework::record_public_in_place(
        conn,
        act,
        (&staff.display_name, Some(staff.id), unit),
        EventKind::MaterialsRequested,
        detail.state,
        (&note, &public),
    )
}

/// The resident sends the materials asked for (already proven theirs by the query code).
pub fn supply(conn: &rusqlite::Connection, act: &Act, s: &SupplyMaterials) -> Result<(), AppError> {
    let errors = ow_shared::materials::validate_supply(s);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (request_id, _) = store::open(conn, act.case_id)?.ok_or(AppError::Client(ErrorCode::MaterialsNotRequested))?;
    let note = s.note.trim();
    if !store::answer(conn, act.case_id, request_id, &s.photo_ids, note, act.now_ms)? {
        return Err(AppError::Validation(vec![FieldError::new("photo_ids", ErrorCode::PhotoUnknown)]));
    }
    let (facts, _) = crate::db::workflow::facts(conn, act.case_id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    let public = match (s.photo_ids.len(), note.is_empty()) {
        (0, _) => format!("补充说明：{note}"),
        (n, true) => format!("已上传照片 {n} 张"),
        (n, false) => format!("已上传照片 {n} 张。补充说明：{note}"),
    };
    casework::record_public_in_place(
        conn,
        act,
        (RESIDENT, None, RESIDENT),
        EventKind::MaterialsReceived,
        facts.state,
        (&public, &public),
    )
}

/// A case's requests, for staff who may see the case.
pub fn list(conn: &rusqlite::Connection, act: &Act, staff: &Staff) -> Result<Vec<MaterialRequestView>, AppError> {
    let detail = casework::view(conn, act, staff)?;
    let rows = store::for_case(conn, act.case_id)?;
    Ok(rows
        .into_iter()
        .map(|r| MaterialRequestView {
            id: r.id,
            items: r.items,
            due_on: r.due_on,
            requested_at: clock::format_minute(r.requested_at_ms),
            requested_by: r.requested_by,
            answered_at: r.answered_at_ms.map(clock::format_minute),
            note: r.note,
            // An accuser's photos never reach a department (as the case's own photos).
            photo_ids: if detail.photo_ids.is_empty() && detail.identity_protected { Vec::new() } else { r.photo_ids },
        })
        .collect())
}
