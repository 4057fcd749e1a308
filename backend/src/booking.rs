//! Legal-aid booking (法律服务预约): booking, looking up, cancelling and rescheduling
//! with a code and a mobile (no account), the waiting list, and the staff's day.
//! Knows nothing of HTTP. Every command runs inside one `Db::write` closure, so its
//! checks and its change are one transaction, serialised with every other write; the
//! capacity itself is decided by the conditional statements in `db::booking`.

pub mod legal_aid;
pub mod schedule;

use crate::db::booking::{self as store, BookingRow, InsertRefused, NewBooking, Place};
use crate::error::AppError;
use crate::messages::{self, BookingNotice};
use ow_shared::booking::{
    BookRequest, BookingSettings, BookingStatus, BookingView, CODE_ALPHABET, CODE_LEN, RescheduleRequest,
};
use ow_shared::mask::{mask_mobile, mask_name};
use ow_shared::{ErrorCode, FieldError, Lang};
use rand::Rng;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// Settings keys of the pre-check's income threshold.
pub const THRESHOLD_KEY: &str = "legal_aid_income_threshold";
pub const THRESHOLD_NOTE_KEY: &str = "legal_aid_threshold_note";
/// Used until the province's figure is configured.
const DEFAULT_THRESHOLD: u32 = 2000;

/// The pre-check's settings.
pub fn settings(conn: &Connection) -> Result<BookingSettings, AppError> {
    let threshold = store::setting(conn, THRESHOLD_KEY)?.and_then(|v| v.trim().parse().ok());
    let note = store::setting(conn, THRESHOLD_NOTE_KEY)?;
    Ok(BookingSettings {
        income_threshold: threshold.unwrap_or(DEFAULT_THRESHOLD),
        threshold_note: match (threshold, note) {
            (Some(_), Some(note)) => note,
            (Some(_), None) => "本省法律援助经济困难标准".into(),
            (None, _) => "本省法律援助经济困难标准（尚未设置，暂按演示值）".into(),
        },
    })
}

/// A place or a 422 on `place_id`.
pub fn place(conn: &Connection, id: i64) -> Result<Place, AppError> {
    store::place(conn, id)?.ok_or_else(|| field("place_id", ErrorCode::NotFound))
}

/// Who books: the resident online, or staff for a walk-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Booker {
    Resident,
    Staff(i64),
}

impl Booker {
    fn actor(self) -> String {
        match self {
            Booker::Resident => "resident".into(),
            Booker::Staff(id) => id.to_string(),
        }
    }
}

/// A validated booking request (see `ow_shared::booking::validate_book_request`).
pub struct BookCommand {
    /// The `Idempotency-Key`, for residents.
    pub key: Option<String>,
    pub request: BookRequest,
    pub now_ms: i64,
    pub booker: Booker,
}

/// A booking made, or the one an earlier request with the same key made.
pub struct Booked {
    pub view: BookingView,
    pub replayed: bool,
}

/// Books a slot, or joins its waiting list when full and asked to. Refuses with
/// `SLOT_FULL` (the handler adds the alternatives), `ALREADY_BOOKED_THAT_DAY` (a staff
/// walk-in of the same service that day), or the rules of `schedule::check_slot`.
pub fn book(conn: &Connection, cmd: &BookCommand) -> Result<Booked, AppError> {
    let hash = request_hash(&cmd.request);
    if let Some(key) = &cmd.key
        && let Some((stored_hash, id)) = store::find_idempotent(conn, key)?
    {
        if stored_hash != hash {
            return Err(AppError::Client(ErrorCode::IdempotencyKeyReused));
        }
        let row = store::by_id(conn, id)?.ok_or_else(|| AppError::Internal("idempotent booking vanished".into()))?;
        return Ok(Booked { view: view(conn, &row)?, replayed: true });
    }
    let req = &cmd.request;
    let service = req.service.ok_or_else(|| field("service", ErrorCode::Required))?;
    let place = place(conn, req.place_id)?;
    let walk_in = matches!(cmd.booker, Booker::Staff(_));
    let slot = schedule::check_slot(conn, &place, service, &req.date, &req.start, cmd.now_ms, walk_in)?;
    // Only staff, who may see every booking, are told of the mobile's other booking of
    // this service that day: to anyone else the answer would say whether a stranger has
    // an appointment. Another service the same day is another errand (a consultation in
    // the morning, the application it led to in the afternoon), so it is allowed.
    if walk_in && store::active_on_day(conn, &req.mobile, &slot.day, service)? {
        return Err(AppError::Client(ErrorCode::AlreadyBookedThatDay));
    }
    let (created_by, channel) = match cmd.booker {
        Booker::Resident => (None, "online"),
        Booker::Staff(id) => (Some(id), "walk_in"),
    };
    let insert = |waiting: bool| -> Result<Result<i64, InsertRefused>, AppError> {
        // A fresh code until one is free: 31^8 codes make a second draw rare already.
        for _ in 0..8 {
            let code = new_code();
            let new = NewBooking {
                code: &code,
                place_id: place.info.id,
                service,
                starts_at_ms: slot.starts_at_ms,
                ends_at_ms: slot.ends_at_ms,
                day: &slot.day,
                name: &req.name,
                mobile: &req.mobile,
                description: &req.description,
                urgent: req.urgent,
                channel,
                created_by,
                now_ms: cmd.now_ms,
            };
            match store::insert(conn, &new, waiting)? {
                Err(InsertRefused::CodeTaken) => continue,
                other => return Ok(other),
            }
        }
        Err(AppError::Internal("no free booking code".into()))
    };
    let id = match insert(false)? {
        Ok(id) => id,
        // A waiting-list place has no capacity to refuse, and `insert` draws codes until
        // one is free: any other refusal here is a bug, not the resident's doing.
        Err(InsertRefused::Full) if req.waitlist => match insert(true)? {
            Ok(id) => id,
            Err(refused) => return Err(AppError::Internal(format!("waiting-list insert refused: {refused:?}"))),
        },
        Err(InsertRefused::Full) => return Err(AppError::Client(ErrorCode::SlotFull)),
        Err(refused) => return Err(AppError::Internal(format!("booking insert refused: {refused:?}"))),
    };
    let row = store::by_id(conn, id)?.ok_or_else(|| AppError::Internal("booking vanished".into()))?;
    let kind = if row.status == BookingStatus::Waiting { "waitlisted" } else { "booked" };
    store::record(conn, id, cmd.now_ms, &cmd.booker.actor(), kind, "")?;
    if row.status == BookingStatus::Booked {
        messages::on_booking(conn, id, BookingNotice::Confirmed, "", cmd.now_ms)?;
    }
    if let Some(key) = &cmd.key {
        store::save_idempotent(conn, key, &hash, id, cmd.now_ms)?;
    }
    Ok(Booked { view: view(conn, &row)?, replayed: false })
}

/// The booking of this code if the mobile is its own; None alike for an unknown code
/// and a wrong mobile.
pub fn authenticate(conn: &Connection, code: &str, mobile: &str) -> Result<Option<BookingRow>, AppError> {
    Ok(store::by_code(conn, code)?.filter(|b| b.mobile == mobile))
}

fn authenticated(conn: &Connection, code: &str, mobile: &str) -> Result<BookingRow, AppError> {
    authenticate(conn, code, mobile)?.ok_or(AppError::Client(ErrorCode::BookingNotFound))
}

/// Whether a resident may still cancel or move it: booked or waiting, not yet begun.
fn changeable(b: &BookingRow, now_ms: i64) -> bool {
    matches!(b.status, BookingStatus::Booked | BookingStatus::Waiting) && b.starts_at_ms > now_ms
}

/// Cancels a booking; the slot's first waiting person gets the freed place in the same
/// transaction. Cancelling a cancelled booking again answers it as it is.
pub fn cancel(conn: &Connection, code: &str, mobile: &str, now_ms: i64) -> Result<BookingView, AppError> {
    let b = authenticated(conn, code, mobile)?;
    if b.status == BookingStatus::Cancelled {
        return view(conn, &b);
    }
    if !changeable(&b, now_ms) {
        return Err(AppError::Client(ErrorCode::BookingNotChangeable));
    }
    store::set_status(conn, b.id, &[b.status], BookingStatus::Cancelled, now_ms)?;
    store::record(conn, b.id, now_ms, "resident", "cancelled", "")?;
    promote_freed(conn, &b, now_ms)?;
    let row = store::by_id(conn, b.id)?.ok_or_else(|| AppError::Internal("booking vanished".into()))?;
    view(conn, &row)
}

/// Staff cancel a booking or a waiting-list place (a duplicate, a double of a walk-in,
/// the resident's call), with the reason recorded as an event; the place goes to the
/// slot's waiting list.
pub fn cancel_by_staff(
    conn: &Connection,
    id: i64,
    staff_id: i64,
    reason: &str,
    now_ms: i64,
) -> Result<BookingRow, AppError> {
    let b = store::by_id(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    let from = [BookingStatus::Booked, BookingStatus::Waiting];
    if !from.contains(&b.status) || !store::set_status(conn, id, &from, BookingStatus::Cancelled, now_ms)? {
        return Err(AppError::Client(ErrorCode::BookingNotChangeable));
    }
    store::record(conn, id, now_ms, &staff_id.to_string(), "cancelled_by_staff", reason)?;
    messages::on_booking(conn, id, BookingNotice::CancelledByStaff, reason, now_ms)?;
    if b.status == BookingStatus::Booked {
        promote_freed(conn, &b, now_ms)?;
    }
    store::by_id(conn, id)?.ok_or_else(|| AppError::Internal("booking vanished".into()))
}

/// Gives the places a booking held (all the slots of its span) to the waiting lists.
fn promote_freed(conn: &Connection, freed: &BookingRow, now_ms: i64) -> Result<(), AppError> {
    let day = schedule::day_of(freed.starts_at_ms);
    promote(conn, freed.place_id, &day, (freed.starts_at_ms, freed.ends_at_ms), now_ms)
}

/// Gives free places of a day's `span` to the waiting bookings overlapping it, first
/// come first served — each only if every slot it waits for has a place, so a one-hour
/// booking waits on while only one of its two slots is free — recording each promotion.
fn promote(conn: &Connection, place_id: i64, day: &str, span: (i64, i64), now_ms: i64) -> Result<(), AppError> {
    for waiting in store::waiting_over(conn, place_id, day, span.0, span.1)? {
        if store::promote_if_room(conn, &waiting, place_id, day, now_ms)? {
            store::record(conn, waiting.id, now_ms, "system", "promoted", "")?;
            // The booking page promised "我们会短信通知您".
            messages::on_booking(conn, waiting.id, BookingNotice::Promoted, "", now_ms)?;
        }
    }
    Ok(())
}

/// Moves a booking to another slot of the same place, keeping its code: the new place is
/// taken and the old one freed (and given to the waiting list) in one transaction, or
/// nothing changes. Same rules as a resident's booking.
pub fn reschedule(conn: &Connection, req: &RescheduleRequest, now_ms: i64) -> Result<BookingView, AppError> {
    let b = authenticated(conn, &req.code, &req.mobile)?;
    if !changeable(&b, now_ms) {
        return Err(AppError::Client(ErrorCode::BookingNotChangeable));
    }
    let place = place(conn, b.place_id)?;
    let slot = schedule::check_slot(conn, &place, b.service, &req.date, &req.start, now_ms, false)?;
    if slot.starts_at_ms == b.starts_at_ms && b.status == BookingStatus::Booked {
        return view(conn, &b);
    }
    let to = store::Move {
        id: b.id,
        place_id: b.place_id,
        starts_at_ms: slot.starts_at_ms,
        ends_at_ms: slot.ends_at_ms,
        day: &slot.day,
        now_ms,
    };
    match store::move_if_room(conn, &to)? {
        Ok(()) => {}
        Err(InsertRefused::Full) => return Err(AppError::Client(ErrorCode::SlotFull)),
        Err(refused) => return Err(AppError::Internal(format!("booking move refused: {refused:?}"))),
    }
    let (date, start, _) = schedule::shown(b.starts_at_ms, b.ends_at_ms);
    store::record(conn, b.id, now_ms, "resident", "rescheduled", &format!("from {date} {start}"))?;
    if b.status == BookingStatus::Booked {
        promote_freed(conn, &b, now_ms)?;
    }
    let row = store::by_id(conn, b.id)?.ok_or_else(|| AppError::Internal("booking vanished".into()))?;
    view(conn, &row)
}

/// Staff mark a booking: check-in or no-show, from booked only.
pub fn mark(conn: &Connection, id: i64, to: BookingStatus, staff_id: i64, now_ms: i64) -> Result<BookingRow, AppError> {
    let b = store::by_id(conn, id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    if b.status == to {
        return Ok(b);
    }
    if !store::set_status(conn, id, &[BookingStatus::Booked], to, now_ms)? {
        return Err(AppError::Client(ErrorCode::TransitionNotAllowed));
    }
    store::record(conn, id, now_ms, &staff_id.to_string(), to.code(), "")?;
    store::by_id(conn, id)?.ok_or_else(|| AppError::Internal("booking vanished".into()))
}

/// After a schedule change: places a larger capacity freed go to the waiting lists.
pub fn promote_all(conn: &Connection, place_id: i64, now_ms: i64) -> Result<(), AppError> {
    for day in store::days_with_waiting(conn, place_id, now_ms)? {
        promote(conn, place_id, &day, (i64::MIN, i64::MAX), now_ms)?;
    }
    Ok(())
}

/// A booking as its resident sees it.
pub fn view(conn: &Connection, b: &BookingRow) -> Result<BookingView, AppError> {
    let place = store::place(conn, b.place_id)?.ok_or_else(|| AppError::Internal("booking's place vanished".into()))?;
    let (date, start, end) = schedule::shown(b.starts_at_ms, b.ends_at_ms);
    let waitlist_position =
        if b.status == BookingStatus::Waiting { Some(store::waitlist_position(conn, b)?) } else { None };
    Ok(BookingView {
        code: b.code.clone(),
        status: b.status,
        service: b.service,
        place: place.info,
        date,
        start,
        end,
        name_masked: mask_name(&b.name),
        mobile_masked: mask_mobile(&b.mobile),
        materials: b.service.materials(Lang::Zh).into_iter().map(String::from).collect(),
        waitlist_position,
        promoted: b.promoted,
    })
}

fn field(name: &str, code: ErrorCode) -> AppError {
    AppError::Validation(vec![FieldError::new(name, code)])
}

/// A random code of `CODE_LEN` characters of the unambiguous alphabet.
fn new_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LEN).map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char).collect()
}

fn request_hash(request: &BookRequest) -> String {
    let body = serde_json::to_string(request).unwrap_or_default();
    format!("{:x}", Sha256::digest(body.as_bytes()))
}
