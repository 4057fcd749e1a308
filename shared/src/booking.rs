//! Legal-aid booking (法律服务预约): the services with all their materials (一次性告知),
//! places, days and slots, bookings, and the eligibility pre-check of 法律援助法 — pure
//! code, so the browser runs the pre-check with no round trip and the server agrees.

use crate::Lang;
use crate::calendar;
use crate::error::{ErrorCode, FieldError};
use crate::validate::{check_length, limits, normalize_mobile};
use serde::{Deserialize, Serialize};

mod legal_aid;
mod precheck;
pub use legal_aid::*;
pub use precheck::*;

/// What a resident books (法律援助法 Art.22–23 forms of service, plus people's mediation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LegalService {
    /// 法律咨询
    Consultation,
    /// 代写法律文书
    DocumentDrafting,
    /// 法律援助申请
    LegalAidApplication,
    /// 人民调解
    Mediation,
}

impl LegalService {
    /// All services in the order the app offers them.
    pub const ALL: [LegalService; 4] = [
        LegalService::Consultation,
        LegalService::DocumentDrafting,
        LegalService::LegalAidApplication,
        LegalService::Mediation,
    ];

    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            LegalService::Consultation => "consultation",
            LegalService::DocumentDrafting => "document_drafting",
            LegalService::LegalAidApplication => "legal_aid_application",
            LegalService::Mediation => "mediation",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<LegalService> {
        LegalService::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The name shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            LegalService::Consultation => lang.pick("法律咨询", "Legal consultation"),
            LegalService::DocumentDrafting => lang.pick("代写法律文书", "Drafting legal documents"),
            LegalService::LegalAidApplication => lang.pick("法律援助申请", "Applying for legal aid"),
            LegalService::Mediation => lang.pick("人民调解", "People's mediation"),
        }
    }

    /// What the service is, in one sentence.
    pub fn what(self, lang: Lang) -> &'static str {
        match self {
            LegalService::Consultation => lang.pick(
                "当面解答婚姻家庭、劳动、借贷、邻里、土地等法律问题，免费，任何人都可以预约。",
                "Face-to-face answers on family, work, debts, neighbours, land and other legal questions; free and open to everyone.",
            ),
            LegalService::DocumentDrafting => lang.pick(
                "为符合条件的群众免费代写起诉状、答辩状、申请书等法律文书。",
                "Free drafting of statements of claim, defences, applications and other legal documents for those who qualify.",
            ),
            LegalService::LegalAidApplication => lang.pick(
                "申请由法律援助机构指派律师免费代理或辩护（《法律援助法》），受理后 7 日内作出决定。",
                "Apply for a lawyer assigned free of charge (Legal Aid Law); a decision is made within 7 days.",
            ),
            LegalService::Mediation => lang.pick(
                "由人民调解员免费调解邻里、婚姻家庭、损害赔偿等民间纠纷，调解协议具有法律约束力。",
                "Free mediation of neighbour, family, compensation and other civil disputes; the agreement is legally binding.",
            ),
        }
    }

    /// About how long the appointment takes, in minutes.
    pub fn minutes(self) -> u32 {
        match self {
            LegalService::Consultation => 30,
            LegalService::DocumentDrafting => 45,
            LegalService::LegalAidApplication => 60,
            LegalService::Mediation => 60,
        }
    }

    /// Every material to bring, told all at once (一次性告知; 法律援助法 Art.43).
    pub fn materials(self, lang: Lang) -> Vec<&'static str> {
        let id = lang.pick(
            "本人有效身份证件（身份证、户口簿等）原件",
            "Your valid ID (ID card or household register), original",
        );
        match self {
            LegalService::Consultation => vec![
                id,
                lang.pick(
                    "与问题有关的材料：合同、借条、票据、聊天记录、判决书等（原件或复印件）",
                    "Papers about the question: contracts, IOUs, receipts, chat records, judgments (originals or copies)",
                ),
                lang.pick("想问的问题，可事先写成提纲（可选）", "Your questions, written down beforehand (optional)"),
            ],
            LegalService::DocumentDrafting => vec![
                id,
                lang.pick("对方当事人的姓名（名称）、住址和联系方式", "The other party's name, address and contact details"),
                lang.pick("事实经过的书面说明和证据材料（复印件）", "A written account of the facts and the evidence (copies)"),
                lang.pick("您的具体请求（如要求支付的金额）", "What exactly you ask for (e.g. the amount claimed)"),
            ],
            LegalService::LegalAidApplication => vec![
                id,
                lang.pick(
                    "法律援助申请表（可在现场填写）",
                    "The legal-aid application form (can be filled in on site)",
                ),
                lang.pick(
                    "经济困难状况说明表，如实说明并作出个人诚信承诺（第四十一条）",
                    "A statement of your financial situation with a personal pledge of honesty (Art.41)",
                ),
                lang.pick(
                    "与申请事项有关的证明材料：合同、欠条、工资条、病历、鉴定意见、判决书等",
                    "Evidence about the matter: contracts, IOUs, pay slips, medical records, expert opinions, judgments",
                ),
                lang.pick(
                    "免予核查经济困难的，带相应证明：低保证、特困供养证、残疾证、优抚证等（第四十二条）",
                    "If exempt from the means check: proof such as a subsistence-allowance, disability or veterans' card (Art.42)",
                ),
                lang.pick(
                    "代为申请的，带代理人身份证件和代理权限证明（如监护关系证明、授权委托书）",
                    "Applying for someone else: your ID and proof of authority (guardianship papers or a power of attorney)",
                ),
            ],
            LegalService::Mediation => vec![
                id,
                lang.pick("对方当事人的姓名、住址和联系方式（由调解员通知到场）", "The other party's name, address and phone (the mediator invites them)"),
                lang.pick("纠纷经过的简要说明", "A short account of the dispute"),
                lang.pick("相关证据：合同、欠条、照片、视频、医疗票据等", "Evidence: contracts, IOUs, photos, videos, medical bills"),
            ],
        }
    }

    /// The service as the app lists it.
    pub fn info(self, lang: Lang) -> ServiceInfo {
        ServiceInfo {
            service: self,
            name: self.label(lang).into(),
            what: self.what(lang).into(),
            minutes: self.minutes(),
            materials: self.materials(lang).into_iter().map(String::from).collect(),
        }
    }
}

/// `GET /api/v1/booking/services`: one service with ALL its materials (一次性告知).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceInfo {
    pub service: LegalService,
    pub name: String,
    pub what: String,
    /// About how long it takes.
    pub minutes: u32,
    pub materials: Vec<String>,
}

/// A place to book at: the county 公共法律服务中心 or a township 司法所.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceInfo {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub phone: String,
    /// Days ahead one can book (today … today + window_days).
    pub window_days: u32,
    /// A slot must start at least this many minutes from now.
    pub min_notice_minutes: u32,
    pub slot_minutes: u32,
}

/// One day of a place's booking window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayInfo {
    /// `YYYY-MM-DD`, Asia/Shanghai.
    pub date: String,
    pub open: bool,
    /// Why it is closed (e.g. 春节, 周六休息) or a remark (e.g. 调休上班); may be empty.
    pub note: String,
    /// Places still bookable that day.
    pub free: u32,
}

/// One slot of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotInfo {
    /// `HH:MM`, Asia/Shanghai.
    pub start: String,
    pub end: String,
    pub capacity: u32,
    pub taken: u32,
    pub remaining: u32,
    /// False when full or too soon (minimum notice) or past.
    pub bookable: bool,
}

/// `POST /api/v1/bookings` (with `Idempotency-Key`) and the console's walk-in booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookRequest {
    pub place_id: i64,
    pub service: Option<LegalService>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, a slot start of that day.
    pub start: String,
    pub name: String,
    /// Mainland mobile number.
    pub mobile: String,
    /// A short description of the matter.
    pub description: String,
    /// Put me on the waiting list of this slot if it is full.
    #[serde(default)]
    pub waitlist: bool,
}

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    /// On the waiting list of a full slot.
    Waiting,
    Cancelled,
    CheckedIn,
    NoShow,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 5] = [
        BookingStatus::Booked,
        BookingStatus::Waiting,
        BookingStatus::Cancelled,
        BookingStatus::CheckedIn,
        BookingStatus::NoShow,
    ];

    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::Waiting => "waiting",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::CheckedIn => "checked_in",
            BookingStatus::NoShow => "no_show",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<BookingStatus> {
        BookingStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The name shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            BookingStatus::Booked => lang.pick("已预约", "Booked"),
            BookingStatus::Waiting => lang.pick("候补中", "On the waiting list"),
            BookingStatus::Cancelled => lang.pick("已取消", "Cancelled"),
            BookingStatus::CheckedIn => lang.pick("已签到", "Checked in"),
            BookingStatus::NoShow => lang.pick("未到", "Did not come"),
        }
    }
}

/// A booking as its resident sees it: the confirmation and what lookup answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingView {
    /// 8 characters of an unambiguous alphabet (no 0/O, 1/I/L).
    pub code: String,
    pub status: BookingStatus,
    pub service: LegalService,
    pub place: PlaceInfo,
    pub date: String,
    pub start: String,
    pub end: String,
    pub name_masked: String,
    pub mobile_masked: String,
    pub materials: Vec<String>,
    /// 1-based, while waiting.
    pub waitlist_position: Option<u32>,
    /// Was waiting and got the place after a cancellation.
    pub promoted: bool,
}

/// A free slot offered instead of a full one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotRef {
    pub date: String,
    pub start: String,
    pub remaining: u32,
}

/// `POST /api/v1/bookings/lookup` and `/cancel`: no account, the code and the mobile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingLookup {
    pub code: String,
    pub mobile: String,
}

/// `POST /api/v1/bookings/reschedule`: another slot at the same place, same code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RescheduleRequest {
    pub code: String,
    pub mobile: String,
    pub date: String,
    pub start: String,
}

/// `GET /api/v1/booking/settings`: what the pre-check compares income with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingSettings {
    /// Yuan per person per month.
    pub income_threshold: u32,
    /// e.g. 本省法律援助经济困难标准（演示值）.
    pub threshold_note: String,
}

/// Length limits of a booking's texts, in characters.
pub mod booking_limits {
    pub const NAME: (u32, u32) = super::limits::CONTACT_NAME;
    pub const DESCRIPTION: (u32, u32) = (1, 200);
}

/// The alphabet of booking codes: no 0/O, 1/I/L, so a code read out is typed right.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a booking code.
pub const CODE_LEN: usize = 8;

/// Normalises a typed booking code: spaces and dashes dropped, full-width characters
/// and lower case accepted. None when it cannot be a code.
pub fn normalize_booking_code(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c {
            // Full-width ASCII (Chinese input methods) to ASCII.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// Parses `HH:MM` (00:00–24:00) into minutes after midnight.
pub fn parse_hhmm(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let minutes = h * 60 + m;
    (m < 60 && minutes <= 24 * 60).then_some(minutes)
}

/// Minutes after midnight as `HH:MM`.
pub fn format_hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Validates a booking form and returns it normalised (trimmed texts, normalised
/// mobile), or every problem at once. Whether the slot exists and is free is the
/// server's to say.
pub fn validate_book_request(req: &BookRequest) -> Result<BookRequest, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out = req.clone();
    if req.service.is_none() {
        errors.push(FieldError::new("service", ErrorCode::Required));
    }
    errors.extend(check_date_and_start(&req.date, &req.start));
    errors.extend(check_length("name", &req.name, booking_limits::NAME));
    errors.extend(check_length("description", &req.description, booking_limits::DESCRIPTION));
    match normalize_mobile(&req.mobile) {
        Ok(m) => out.mobile = m,
        Err(code) => errors.push(FieldError::new("mobile", code)),
    }
    out.name = req.name.trim().to_string();
    out.description = req.description.trim().to_string();
    out.date = req.date.trim().to_string();
    out.start = req.start.trim().to_string();
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Checks the `date` and `start` fields of a booking or a reschedule.
pub fn check_date_and_start(date: &str, start: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if date.trim().is_empty() {
        errors.push(FieldError::new("date", ErrorCode::Required));
    } else if calendar::parse(date.trim()).is_none() {
        errors.push(FieldError::new("date", ErrorCode::DateInvalid));
    }
    if start.trim().is_empty() {
        errors.push(FieldError::new("start", ErrorCode::Required));
    } else if parse_hhmm(start).is_none_or(|m| m >= 24 * 60) {
        errors.push(FieldError::new("start", ErrorCode::TimeInvalid));
    }
    errors
}

/// `GET /api/v1/console/bookings?place_id=&date=`: one booking of the day, for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffBookingRow {
    pub id: i64,
    pub code: String,
    pub status: BookingStatus,
    pub service: LegalService,
    pub start: String,
    pub end: String,
    pub name: String,
    /// In full: the clerk may have to call.
    pub mobile: String,
    pub description: String,
}

/// Opening hours of one weekday; a day may have several (morning and afternoon).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpeningHours {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    /// `HH:MM`.
    pub open: String,
    /// `HH:MM`, up to `24:00`.
    pub close: String,
}

/// A day a place is closed besides the holiday calendar's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosedDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub reason: String,
}

/// `GET/PUT /api/v1/console/booking-places/{id}`: what staff configure of a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceSchedule {
    /// `id` is taken from the path when saving.
    pub place: PlaceInfo,
    /// Places per slot.
    pub capacity: u32,
    pub hours: Vec<OpeningHours>,
    pub closed_days: Vec<ClosedDay>,
}

/// Limits of a place's settings.
pub mod schedule_limits {
    pub const NAME: (u32, u32) = (2, 40);
    pub const ADDRESS: (u32, u32) = (2, 100);
    pub const PHONE: (u32, u32) = (5, 30);
    pub const WINDOW_DAYS: (u32, u32) = (1, 90);
    pub const MIN_NOTICE_MINUTES: (u32, u32) = (0, 7 * 24 * 60);
    pub const SLOT_MINUTES: (u32, u32) = (10, 240);
    pub const CAPACITY: (u32, u32) = (1, 50);
    pub const REASON_MAX: u32 = 20;
}

/// Checks a place's schedule as staff edit it; returns it trimmed and sorted, or every
/// problem at once.
pub fn validate_schedule(schedule: &PlaceSchedule) -> Result<PlaceSchedule, Vec<FieldError>> {
    use schedule_limits as l;
    let mut errors = Vec::new();
    let place = &schedule.place;
    errors.extend(check_length("place.name", &place.name, l::NAME));
    errors.extend(check_length("place.address", &place.address, l::ADDRESS));
    errors.extend(check_length("place.phone", &place.phone, l::PHONE));
    let mut range = |field: &str, value: u32, (min, max): (u32, u32)| {
        if !(min..=max).contains(&value) {
            errors.push(FieldError { min: Some(min), max: Some(max), ..FieldError::new(field, ErrorCode::OutOfRange) });
        }
    };
    range("place.window_days", place.window_days, l::WINDOW_DAYS);
    range("place.min_notice_minutes", place.min_notice_minutes, l::MIN_NOTICE_MINUTES);
    range("place.slot_minutes", place.slot_minutes, l::SLOT_MINUTES);
    range("capacity", schedule.capacity, l::CAPACITY);
    let mut spans: Vec<(u8, u32, u32)> = Vec::new();
    for (i, hours) in schedule.hours.iter().enumerate() {
        match (parse_hhmm(&hours.open), parse_hhmm(&hours.close)) {
            (Some(open), Some(close)) if (1..=7).contains(&hours.weekday) && open < close => {
                spans.push((hours.weekday, open, close))
            }
            _ => errors.push(FieldError::new(&format!("hours[{i}]"), ErrorCode::TimeInvalid)),
        }
    }
    spans.sort();
    if spans.windows(2).any(|w| w[0].0 == w[1].0 && w[1].1 < w[0].2) {
        errors.push(FieldError::new("hours", ErrorCode::TimeInvalid));
    }
    let mut closed_days = Vec::new();
    for (i, day) in schedule.closed_days.iter().enumerate() {
        if calendar::parse(day.date.trim()).is_none() {
            errors.push(FieldError::new(&format!("closed_days[{i}].date"), ErrorCode::DateInvalid));
        }
        errors.extend(check_length(&format!("closed_days[{i}].reason"), &day.reason, (0, l::REASON_MAX)));
        closed_days.push(ClosedDay { date: day.date.trim().into(), reason: day.reason.trim().into() });
    }
    closed_days.sort_by(|a, b| a.date.cmp(&b.date));
    closed_days.dedup_by(|a, b| a.date == b.date);
    if !errors.is_empty() {
        return Err(errors);
    }
    let hours = spans
        .into_iter()
        .map(|(weekday, open, close)| OpeningHours { weekday, open: format_hhmm(open), close: format_hhmm(close) })
        .collect();
    let place = PlaceInfo {
        name: place.name.trim().into(),
        address: place.address.trim().into(),
        phone: place.phone.trim().into(),
        ..place.clone()
    };
    Ok(PlaceSchedule { place, capacity: schedule.capacity, hours, closed_days })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn booking_codes_are_normalised_and_checked() {
        assert_eq!(normalize_booking_code(" abcd-2345 ").as_deref(), Some("ABCD2345"));
        assert_eq!(normalize_booking_code("ＡＢＣＤ２３４５").as_deref(), Some("ABCD2345"));
        assert_eq!(normalize_booking_code("ABCD0345"), None, "0 is not in the alphabet");
        assert_eq!(normalize_booking_code("ABC2345"), None);
    }

    #[test]
    fn times_parse_and_format() {
        assert_eq!(parse_hhmm("09:30"), Some(570));
        assert_eq!(parse_hhmm("24:00"), Some(1440));
        assert_eq!(parse_hhmm("24:30"), None);
        assert_eq!(parse_hhmm("9:30"), None);
        assert_eq!(parse_hhmm("09:60"), None);
        assert_eq!(format_hhmm(570), "09:30");
    }

    #[test]
    fn a_booking_form_reports_every_problem_at_once() {
        let errors = validate_book_request(&BookRequest { start: "25:00".into(), ..Default::default() }).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("service", ErrorCode::Required),
                ("date", ErrorCode::Required),
                ("start", ErrorCode::TimeInvalid),
                ("name", ErrorCode::Required),
                ("description", ErrorCode::Required),
                ("mobile", ErrorCode::Required),
            ]
        );
        let ok = validate_book_request(&BookRequest {
            place_id: 1,
            service: Some(LegalService::Consultation),
            date: "2026-11-24".into(),
            start: "09:00".into(),
            name: " 张三 ".into(),
            mobile: "+86 138 1234 5678".into(),
            description: "欠薪".into(),
            waitlist: false,
        })
        .unwrap();
        assert_eq!((ok.name.as_str(), ok.mobile.as_str()), ("张三", "13812345678"));
    }

    #[test]
    fn schedules_are_checked_and_sorted() {
        let place = PlaceInfo {
            id: 1,
            name: "县公共法律服务中心".into(),
            address: "城关街道人民路1号".into(),
            phone: "0000-1234567".into(),
            window_days: 14,
            min_notice_minutes: 120,
            slot_minutes: 30,
        };
        let hours = |weekday, open: &str, close: &str| OpeningHours { weekday, open: open.into(), close: close.into() };
        let schedule = PlaceSchedule {
            place: place.clone(),
            capacity: 2,
            hours: vec![hours(1, "14:00", "17:30"), hours(1, "09:00", "12:00"), hours(7, "00:00", "24:00")],
            closed_days: vec![ClosedDay { date: "2026-12-01".into(), reason: " 培训 ".into() }],
        };
        let ok = validate_schedule(&schedule).unwrap();
        assert_eq!(ok.hours[0], hours(1, "09:00", "12:00"));
        assert_eq!(ok.closed_days[0].reason, "培训");
        let bad = PlaceSchedule {
            capacity: 0,
            hours: vec![hours(1, "09:00", "12:00"), hours(1, "11:00", "13:00"), hours(8, "09:00", "10:00")],
            closed_days: vec![ClosedDay { date: "2026-13-01".into(), reason: String::new() }],
            place: PlaceInfo { slot_minutes: 5, ..place },
        };
        let fields: Vec<String> = validate_schedule(&bad).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["place.slot_minutes", "capacity", "hours[2]", "hours", "closed_days[0].date"]);
    }

    #[test]
    fn every_service_tells_all_its_materials() {
        for service in LegalService::ALL {
            assert_eq!(LegalService::from_code(service.code()), Some(service));
            let zh = service.info(Lang::Zh);
            let en = service.info(Lang::En);
            assert!(zh.materials.len() >= 3 && zh.materials.len() == en.materials.len());
            assert!(zh.materials[0].contains("身份证"));
        }
        let json = serde_json::to_string(&LegalService::LegalAidApplication).unwrap();
        assert_eq!(json, "\"legal_aid_application\"");
    }
}
