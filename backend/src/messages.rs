//! Text messages (短信) to residents: which acts send which template, written to the
//! outbox (`db::messages`) inside the act's own transaction, and the delivery policy
//! (quiet hours, the daily cap). The worker (`worker`) sends them through the
//! configured gateway (`gateway`). Knows nothing of HTTP routes.

pub mod gateway;
pub mod worker;

use crate::booking::schedule;
use crate::clock;
use crate::db::messages::{self as store, NewMessage};
use crate::error::AppError;
use ow_shared::case::EventKind;
use ow_shared::validate::normalize_mobile;
use ow_shared::{Lang, workflow::DeclineRoute};
use rand::Rng;
use rusqlite::{Connection, OptionalExtension};
use std::collections::BTreeMap;

/// How messages are sent, as configured (see README, "Text messages"). Its `Debug`
/// hides the secrets.
#[derive(Clone, clap::Args)]
pub struct SmsConfig {
    /// Where messages go: `log` (demo: shown in the console and the server log, not
    /// sent), `http` (the county's own SMS gateway) or `aliyun` (Alibaba Cloud SendSms).
    #[arg(long = "sms-adapter", env = "OW_SMS_ADAPTER", default_value = "log")]
    pub adapter: gateway::Adapter,
    /// The 【签名】 every message starts with (the approved SMS signature).
    #[arg(long = "sms-sign-name", env = "OW_SMS_SIGN_NAME", default_value = "一窗通办")]
    pub sign_name: String,
    /// `http`: the gateway's URL (POST, JSON body).
    #[arg(long = "sms-http-url", env = "OW_SMS_HTTP_URL")]
    pub http_url: Option<String>,
    /// `http`: the shared secret of the HMAC-SHA256 signature (`X-Signature`).
    #[arg(long = "sms-http-secret", env = "OW_SMS_HTTP_SECRET", hide_env_values = true, default_value = "")]
    pub http_secret: String,
    /// `http`: the JSON body's field names, `ours=theirs` pairs for any of
    /// id, mobile, text, template, params (e.g. `mobile=phone,text=content`).
    #[arg(long = "sms-http-fields", env = "OW_SMS_HTTP_FIELDS", default_value = "")]
    pub http_fields: String,
    /// `aliyun`: the endpoint (a local gateway in tests).
    #[arg(
        long = "sms-aliyun-endpoint",
        env = "OW_SMS_ALIYUN_ENDPOINT",
        default_value = "https://dysmsapi.aliyuncs.com/"
    )]
    pub aliyun_endpoint: String,
    /// `aliyun`: the AccessKey ID.
    #[arg(long = "sms-aliyun-access-key-id", env = "OW_SMS_ALIYUN_ACCESS_KEY_ID", default_value = "")]
    pub aliyun_access_key_id: String,
    /// `aliyun`: the AccessKey secret.
    #[arg(
        long = "sms-aliyun-access-key-secret",
        env = "OW_SMS_ALIYUN_ACCESS_KEY_SECRET",
        hide_env_values = true,
        default_value = ""
    )]
    pub aliyun_access_key_secret: String,
    /// `aliyun`: our template ids with their approved TemplateCode, e.g.
    /// `case_received=SMS_1234,case_accepted=SMS_5678`.
    #[arg(long = "sms-aliyun-templates", env = "OW_SMS_ALIYUN_TEMPLATES", default_value = "")]
    pub aliyun_templates: String,
    /// No messages between these times (Asia/Shanghai), except same-day booking
    /// changes; `HH:MM-HH:MM`, equal times for none.
    #[arg(long = "sms-quiet-hours", env = "OW_SMS_QUIET_HOURS", default_value = "21:00-08:00")]
    pub quiet_hours: QuietHours,
    /// The most messages to one mobile in a day; more wait for the next morning.
    #[arg(long = "sms-daily-cap", env = "OW_SMS_DAILY_CAP", default_value_t = 10)]
    pub daily_cap: u32,
    /// Attempts before a message is given up (dead).
    #[arg(long = "sms-max-attempts", env = "OW_SMS_MAX_ATTEMPTS", default_value_t = 6)]
    pub max_attempts: u32,
    /// The first retry's delay; each next one doubles it (at most an hour).
    #[arg(long = "sms-retry-base-ms", env = "OW_SMS_RETRY_BASE_MS", default_value_t = 5000)]
    pub retry_base_ms: u64,
    /// How long one call to the gateway may take.
    #[arg(long = "sms-timeout-ms", env = "OW_SMS_TIMEOUT_MS", default_value_t = 10_000)]
    pub timeout_ms: u64,
    /// Calls to the gateway at once.
    #[arg(long = "sms-concurrency", env = "OW_SMS_CONCURRENCY", default_value_t = 16)]
    pub concurrency: usize,
    /// How often the worker looks for messages due when it has nothing to do.
    #[arg(long = "sms-poll-ms", env = "OW_SMS_POLL_MS", default_value_t = 200)]
    pub poll_ms: u64,
}

impl std::fmt::Debug for SmsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |secret: &str| if secret.is_empty() { "" } else { "<hidden>" };
        f.debug_struct("SmsConfig")
            .field("adapter", &self.adapter)
            .field("sign_name", &self.sign_name)
            .field("http_url", &self.http_url)
            .field("http_secret", &hidden(&self.http_secret))
            .field("http_fields", &self.http_fields)
            .field("aliyun_endpoint", &self.aliyun_endpoint)
            .field("aliyun_access_key_id", &self.aliyun_access_key_id)
            .field("aliyun_access_key_secret", &hidden(&self.aliyun_access_key_secret))
            .field("aliyun_templates", &self.aliyun_templates)
            .field("quiet_hours", &self.quiet_hours)
            .field("daily_cap", &self.daily_cap)
            .field("max_attempts", &self.max_attempts)
            .field("retry_base_ms", &self.retry_base_ms)
            .field("timeout_ms", &self.timeout_ms)
            .field("concurrency", &self.concurrency)
            .field("poll_ms", &self.poll_ms)
            .finish()
    }
}

impl Default for SmsConfig {
    fn default() -> Self {
        SmsConfig {
            adapter: gateway::Adapter::Log,
            sign_name: "一窗通办".into(),
            http_url: None,
            http_secret: String::new(),
            http_fields: String::new(),
            aliyun_endpoint: "https://dysmsapi.aliyuncs.com/".into(),
            aliyun_access_key_id: String::new(),
            aliyun_access_key_secret: String::new(),
            aliyun_templates: String::new(),
            quiet_hours: QuietHours::default(),
            daily_cap: 10,
            max_attempts: 6,
            retry_base_ms: 5000,
            timeout_ms: 10_000,
            concurrency: 16,
            poll_ms: 200,
        }
    }
}

/// Quiet hours, as minutes of the day in Asia/Shanghai: `[start, end)`, across
/// midnight when start > end; none when equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start_min: u32,
    pub end_min: u32,
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours { start_min: 21 * 60, end_min: 8 * 60 }
    }
}

impl std::str::FromStr for QuietHours {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let minute = |t: &str| -> Option<u32> {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
            (h < 24 && m < 60).then_some(h * 60 + m)
        };
        let (start, end) = s.split_once('-').ok_or("expected HH:MM-HH:MM")?;
        match (minute(start), minute(end)) {
            (Some(start_min), Some(end_min)) => Ok(QuietHours { start_min, end_min }),
            _ => Err("expected HH:MM-HH:MM".into()),
        }
    }
}

impl QuietHours {
    /// When quiet hours end, if `now_ms` is within them.
    pub fn quiet_until(&self, now_ms: i64) -> Option<i64> {
        if self.start_min == self.end_min {
            return None;
        }
        let today = clock::date_of(now_ms);
        let minute = ((now_ms - schedule::moment_ms(today, 0)) / 60_000) as u32;
        let quiet = if self.start_min < self.end_min {
            (self.start_min..self.end_min).contains(&minute)
        } else {
            minute >= self.start_min || minute < self.end_min
        };
        if !quiet {
            return None;
        }
        let end_today = schedule::moment_ms(today, self.end_min);
        Some(if end_today > now_ms { end_today } else { schedule::moment_ms(clock::add_days(today, 1), self.end_min) })
    }

    /// The first moment of the next day messages may go out (after the daily cap).
    pub fn next_morning(&self, now_ms: i64) -> i64 {
        let tomorrow = clock::add_days(clock::date_of(now_ms), 1);
        let midnight = schedule::moment_ms(tomorrow, 0);
        self.quiet_until(midnight).unwrap_or(midnight)
    }
}

/// The start of the Shanghai day of `now_ms` (the daily cap counts from it).
pub fn day_start_ms(now_ms: i64) -> i64 {
    schedule::moment_ms(clock::date_of(now_ms), 0)
}

/// The message templates. Chinese SMS platforms send only pre-approved templates with
/// `${parameters}`; the text here is what each template was approved as. Never a
/// query code: a text can be read by anyone who holds the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum Template {
    CaseReceived,
    CaseAccepted,
    CaseDeclined,
    CaseDispatched,
    CaseExtended,
    CaseReplied,
    CaseReviewDecided,
    /// 补正: everything missing asked for at once, with the upload page's link.
    CaseMaterialsRequested,
    /// Three days before the window for a review (复查) closes.
    CaseReviewClosing,
    /// 交办 or 上报: another unit now handles the case and will reply (统一答复).
    CaseHandedOver,
    BookingConfirmed,
    /// The day before the appointment.
    BookingReminder,
    /// 补正 of a legal-aid application: what to bring, by when.
    LegalAidMaterialsRequested,
    BookingPromoted,
    BookingCancelledByStaff,
}

impl Template {
    /// The template's id (stored, and mapped to a provider's TemplateCode).
    pub fn code(self) -> &'static str {
        match self {
            Template::CaseReceived => "case_received",
            Template::CaseAccepted => "case_accepted",
            Template::CaseDeclined => "case_declined",
            Template::CaseDispatched => "case_dispatched",
            Template::CaseExtended => "case_extended",
            Template::CaseReplied => "case_replied",
            Template::CaseReviewDecided => "case_review_decided",
            Template::CaseReviewClosing => "case_review_closing",
            Template::CaseMaterialsRequested => "case_materials_requested",
            Template::CaseHandedOver => "case_handed_over",
            Template::BookingConfirmed => "booking_confirmed",
            Template::BookingReminder => "booking_reminder",
            Template::LegalAidMaterialsRequested => "legal_aid_materials_requested",
            Template::BookingPromoted => "booking_promoted",
            Template::BookingCancelledByStaff => "booking_cancelled_by_staff",
        }
    }

    pub fn from_code(code: &str) -> Option<Template> {
        <Template as strum::VariantArray>::VARIANTS.iter().copied().find(|t| t.code() == code)
    }

    /// The approved text, without the signature.
    pub fn text(self) -> &'static str {
        match self {
            Template::CaseReceived => "您的诉求已收到，编号${no}，将于${due}前告知是否受理。查进度：${link}",
            Template::CaseAccepted => "您的诉求（编号${no}）已受理，依法将于${due}前办结。查进度：${link}",
            Template::CaseDeclined => "您的诉求（编号${no}）不予受理，请通过${route}途径解决。详情：${link}",
            Template::CaseDispatched => "您的诉求（编号${no}）已交${units}办理。查进度：${link}",
            Template::CaseExtended => "您的诉求（编号${no}）办理期限延长至${due}，原因：${reason}。详情：${link}",
            Template::CaseReplied => "您的诉求（编号${no}）已答复，请查看答复意见并评价：${link}",
            Template::CaseReviewDecided => "您申请复查的诉求（编号${no}）已有复查意见，请查看：${link}",
            Template::CaseMaterialsRequested => {
                "您的诉求（编号${no}）需补充材料${count}项，请于${due}前凭查询码上传：${link}"
            }
            Template::CaseHandedOver => "您的诉求（编号${no}）已转由${unit}办理并答复。查进度：${link}",
            Template::CaseReviewClosing => {
                "您的诉求（编号${no}）如对答复意见不服，可在${due}前申请复查，逾期不再受理：${link}"
            }
            Template::BookingReminder => {
                "提醒：您预约了${place}${date} ${start}的${service}，请按时到场并带齐材料。详情：${link}"
            }
            Template::LegalAidMaterialsRequested => {
                "您的法律援助申请需补充材料${count}项，请于${due}前交至${place}，补充期间不计入审查期限。咨询电话${phone}。"
            }
            Template::BookingConfirmed => "您已预约${place}${date} ${start}的${service}，请按时到场。详情：${link}",
            Template::BookingPromoted => {
                "候补成功：您已获得${place}${date} ${start}的${service}名额，请按时到场。详情：${link}"
            }
            Template::BookingCancelledByStaff => {
                "您在${place}${date} ${start}的预约已被取消，原因：${reason}。如有疑问请致电${phone}。"
            }
        }
    }
}

/// A template's parameters.
pub type Params = BTreeMap<String, String>;

/// The text as the resident reads it: 【signature】, the template with its parameters,
/// the `link` parameter (a path) on the site's address.
pub fn render(template: &str, params: &Params, sign_name: &str, site: &str) -> String {
    let text = Template::from_code(template).map(Template::text).unwrap_or_default();
    let mut out = format!("【{sign_name}】{text}");
    for (name, value) in params {
        let value = if name == "link" { format!("{site}{value}") } else { value.clone() };
        out = out.replace(&format!("${{{name}}}"), &value);
    }
    out
}

/// The parameters as a provider receives them (the link made absolute).
pub fn provider_params(params: &Params, site: &str) -> Params {
    params.iter().map(|(k, v)| (k.clone(), if k == "link" { format!("{site}{v}") } else { v.clone() })).collect()
}

/// A reason or a list cut to what a template parameter takes (platforms cap them).
fn short(text: &str, chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(chars - 1).collect::<String>())
    }
}

/// A fresh idempotency id: 32 random hex digits, kept with the message for every attempt.
pub fn new_idempotency_id() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes a message for `mobile`, if it is a mobile (a landline gets no text).
fn enqueue(conn: &Connection, message: NewMessage, params: &Params) -> Result<Option<i64>, AppError> {
    if normalize_mobile(message.mobile).is_err() {
        return Ok(None);
    }
    let json = serde_json::to_string(params).map_err(|e| AppError::Internal(e.to_string()))?;
    let message = NewMessage { params: &json, ..message };
    store::insert(conn, &message, &new_idempotency_id()).map(Some)
}

fn params<const N: usize>(pairs: [(&str, String); N]) -> Params {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// What a case's messages say, read in the act's transaction.
struct CaseContact {
    tracking_no: String,
    mobile: String,
    opt_out: bool,
    acceptance_due_on: String,
    handling_due_on: Option<String>,
    decline_route: Option<String>,
    extension_reason: Option<String>,
    units: Option<String>,
    /// The unit holding the case, which replies.
    holder: Option<String>,
}

fn case_contact(conn: &Connection, case_id: i64) -> Result<Option<CaseContact>, AppError> {
    Ok(conn
        .prepare_cached(
            "SELECT tracking_no, mobile, sms_opt_out, acceptance_due_on, handling_due_on, decline_route,
                    extension_reason,
                    (SELECT group_concat(dep.name, '、') FROM case_dispatches d
                       JOIN departments dep ON dep.id = d.department_id
                      WHERE d.case_id = cases.id AND d.state != 'objected'),
                    (SELECT name FROM units WHERE units.id = cases.unit_id)
             FROM cases WHERE id = ?1",
        )?
        .query_row([case_id], |r| {
            Ok(CaseContact {
                tracking_no: r.get(0)?,
                mobile: r.get(1)?,
                opt_out: r.get(2)?,
                acceptance_due_on: r.get(3)?,
                handling_due_on: r.get(4)?,
                decline_route: r.get(5)?,
                extension_reason: r.get(6)?,
                units: r.get(7)?,
                holder: r.get(8)?,
            })
        })
        .optional()?)
}

/// Writes the message an event of a case sends, if it sends one and the resident did
/// not opt out. Call in the event's own transaction.
pub fn on_case_event(conn: &Connection, case_id: i64, kind: EventKind, now_ms: i64) -> Result<(), AppError> {
    let Some(case) = case_contact(conn, case_id)? else { return Ok(()) };
    if case.opt_out {
        return Ok(());
    }
    let no = || ("no", case.tracking_no.clone());
    let link = || ("link", format!("/track?no={}", case.tracking_no));
    let due = || ("due", case.handling_due_on.clone().unwrap_or_default());
    let (template, params) = match kind {
        EventKind::Submitted | EventKind::WalkInRegistered => {
            (Template::CaseReceived, params([no(), ("due", case.acceptance_due_on.clone()), link()]))
        }
        EventKind::Accepted => (Template::CaseAccepted, params([no(), due(), link()])),
        EventKind::Declined => {
            let route = case
                .decline_route
                .as_deref()
                .and_then(crate::db::from_serde::<DeclineRoute>)
                .map(|r| r.label().to_string())
                .unwrap_or_default();
            (Template::CaseDeclined, params([no(), ("route", route), link()]))
        }
        EventKind::Dispatched => {
            let units = short(case.units.as_deref().unwrap_or("承办部门"), 20);
            (Template::CaseDispatched, params([no(), ("units", units), link()]))
        }
        EventKind::Extended => {
            let reason = short(case.extension_reason.as_deref().unwrap_or_default(), 20);
            (Template::CaseExtended, params([no(), due(), ("reason", reason), link()]))
        }
        EventKind::Replied => (Template::CaseReplied, params([no(), link()])),
        // A hand-over between units changes who replies; one to a grid worker (下派) does not.
        EventKind::HandedDown | EventKind::ReportedUp => {
            let unit = short(case.holder.as_deref().unwrap_or("承办单位"), 20);
            (Template::CaseHandedOver, params([no(), ("unit", unit), link()]))
        }
        EventKind::ReviewDecided => (Template::CaseReviewDecided, params([no(), link()])),
        EventKind::MaterialsRequested => {
            let Some((_, count)) = crate::db::materials::open(conn, case_id)? else { return Ok(()) };
            let due = crate::db::materials::open_due(conn, case_id)?.unwrap_or_default();
            let link = ("link", crate::materials::upload_path(&case.tracking_no));
            (Template::CaseMaterialsRequested, params([no(), ("count", count.to_string()), ("due", due), link]))
        }
        _ => return Ok(()),
    };
    let message = NewMessage {
        case_id: Some(case_id),
        booking_id: None,
        template: template.code(),
        params: "",
        mobile: &case.mobile,
        urgent: false,
        now_ms,
        resent_from: None,
    };
    enqueue(conn, message, &params).map(|_| ())
}

/// What happened to a booking that the resident is told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingNotice {
    Confirmed,
    /// A waiting-list place became a booking (the booking page promises a text).
    Promoted,
    CancelledByStaff,
    /// The day before.
    Reminder,
}

/// Writes the message of a booking's change. Call in the change's own transaction.
/// A change to a booking of the same day goes out even in quiet hours.
pub fn on_booking(
    conn: &Connection,
    booking_id: i64,
    notice: BookingNotice,
    reason: &str,
    now_ms: i64,
) -> Result<(), AppError> {
    let Some(b) = crate::db::booking::by_id(conn, booking_id)? else { return Ok(()) };
    let Some(place) = crate::db::booking::place(conn, b.place_id)? else { return Ok(()) };
    let (date, start, _) = schedule::shown(b.starts_at_ms, b.ends_at_ms);
    let mut p = params([
        ("place", short(&place.info.name, 20)),
        ("date", date.clone()),
        ("start", start),
        ("service", b.service.label(Lang::Zh).to_string()),
    ]);
    let template = match notice {
        BookingNotice::Confirmed => Template::BookingConfirmed,
        BookingNotice::Promoted => Template::BookingPromoted,
        BookingNotice::CancelledByStaff => Template::BookingCancelledByStaff,
        BookingNotice::Reminder => Template::BookingReminder,
    };
    if notice == BookingNotice::CancelledByStaff {
        p.insert("reason".into(), short(if reason.trim().is_empty() { "工作安排调整" } else { reason }, 20));
        p.insert("phone".into(), place.info.phone.clone());
    } else {
        p.insert("link".into(), format!("/booking?code={}", b.code));
    }
    let same_day = date == ow_shared::calendar::format(clock::date_of(now_ms));
    let message = NewMessage {
        case_id: None,
        booking_id: Some(booking_id),
        template: template.code(),
        params: "",
        mobile: &b.mobile,
        urgent: same_day && notice != BookingNotice::Confirmed,
        now_ms,
        resent_from: None,
    };
    enqueue(conn, message, &p).map(|_| ())
}

/// Texts a legal-aid applicant that materials are needed (补正), in the request's
/// transaction.
pub fn on_legal_aid_materials(
    conn: &Connection,
    booking_id: i64,
    count: usize,
    due_on: &str,
    now_ms: i64,
) -> Result<(), AppError> {
    let Some(b) = crate::db::booking::by_id(conn, booking_id)? else { return Ok(()) };
    let Some(place) = crate::db::booking::place(conn, b.place_id)? else { return Ok(()) };
    let p = params([
        ("count", count.to_string()),
        ("due", due_on.to_string()),
        ("place", short(&place.info.name, 20)),
        ("phone", place.info.phone.clone()),
    ]);
    let message = NewMessage {
        case_id: None,
        booking_id: Some(booking_id),
        template: Template::LegalAidMaterialsRequested.code(),
        params: "",
        mobile: &b.mobile,
        urgent: false,
        now_ms,
        resent_from: None,
    };
    enqueue(conn, message, &p).map(|_| ())
}

/// The housekeeping job's reminders as of `now_ms`: tomorrow's bookings, and replied
/// cases whose window for a review closes within 3 days. Each is written once (a
/// later run finds it sent). Returns (bookings, cases) reminded.
pub fn remind(conn: &Connection, now_ms: i64) -> Result<(usize, usize), AppError> {
    let today = clock::date_of(now_ms);
    let tomorrow = ow_shared::calendar::format(clock::add_days(today, 1));
    let bookings = store::bookings_to_remind(conn, &tomorrow)?;
    for id in &bookings {
        on_booking(conn, *id, BookingNotice::Reminder, "", now_ms)?;
    }
    let calendar = crate::db::holidays::calendar(conn)?;
    let mut cases = 0;
    for (case_id, replied_on) in store::replied_cases_to_remind(conn)? {
        let Some(replied_on) = ow_shared::calendar::parse(&replied_on) else { continue };
        let due = ow_shared::workflow::review_request_due(&calendar, replied_on);
        if today > due || clock::add_days(today, 3) < due {
            continue;
        }
        let Some(case) = case_contact(conn, case_id)? else { continue };
        let p = params([
            ("no", case.tracking_no.clone()),
            ("due", ow_shared::calendar::format(due)),
            ("link", format!("/track?no={}", case.tracking_no)),
        ]);
        let message = NewMessage {
            case_id: Some(case_id),
            booking_id: None,
            template: Template::CaseReviewClosing.code(),
            params: "",
            mobile: &case.mobile,
            urgent: false,
            now_ms,
            resent_from: None,
        };
        cases += usize::from(enqueue(conn, message, &p)?.is_some());
    }
    Ok((bookings.len(), cases))
}

/// Sends a failed or dead message of a case again (staff): a new message with a new
/// idempotency id, pointing at the old one, which stops being retried. Returns the new id.
pub fn resend(conn: &Connection, case_id: i64, message_id: i64, now_ms: i64) -> Result<i64, AppError> {
    use ow_shared::ErrorCode;
    let old = store::by_id(conn, message_id)?
        .filter(|m| m.case_id == Some(case_id))
        .ok_or(AppError::Client(ErrorCode::NotFound))?;
    if !old.state.resendable() {
        return Err(AppError::Client(ErrorCode::MessageNotResendable));
    }
    // The case's number now (the original may have been blanked by retention).
    let case = case_contact(conn, case_id)?.ok_or(AppError::Client(ErrorCode::NotFound))?;
    if normalize_mobile(&case.mobile).is_err() {
        return Err(AppError::Client(ErrorCode::MessageNotResendable));
    }
    store::retire(conn, old.id)?;
    let message = NewMessage {
        case_id: Some(case_id),
        booking_id: None,
        template: &old.template,
        params: &old.params,
        mobile: &case.mobile,
        urgent: false,
        now_ms,
        resent_from: Some(old.id),
    };
    store::insert(conn, &message, &new_idempotency_id())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-23 00:00 in Shanghai.
    const MIDNIGHT: i64 = 1_795_363_200_000;
    const HOUR: i64 = 3_600_000;

    fn at(hour: i64, minute: i64) -> i64 {
        MIDNIGHT + hour * HOUR + minute * 60_000
    }

    #[test]
    fn quiet_hours_hold_messages_until_eight() {
        let quiet: QuietHours = "21:00-08:00".parse().unwrap();
        assert_eq!(clock::format_minute(MIDNIGHT), "2026-11-23 00:00");
        assert_eq!(quiet.quiet_until(at(20, 59)), None);
        assert_eq!(quiet.quiet_until(at(21, 0)), Some(at(32, 0)), "until 08:00 the next morning");
        assert_eq!(quiet.quiet_until(at(23, 30)), Some(at(32, 0)));
        assert_eq!(quiet.quiet_until(at(3, 0)), Some(at(8, 0)), "after midnight: until 08:00 that morning");
        assert_eq!(quiet.quiet_until(at(8, 0)), None);
        assert_eq!(quiet.next_morning(at(15, 0)), at(32, 0));
        let none: QuietHours = "00:00-00:00".parse().unwrap();
        assert_eq!(none.quiet_until(at(3, 0)), None);
        assert_eq!(none.next_morning(at(15, 0)), at(24, 0));
        let lunch: QuietHours = "12:00-13:30".parse().unwrap();
        assert_eq!(lunch.quiet_until(at(12, 10)), Some(at(13, 30)));
        assert!("25:00-08:00".parse::<QuietHours>().is_err());
    }

    #[test]
    fn texts_carry_the_signature_and_the_link_never_a_code() {
        let p = params([
            ("no", "2611230000001".into()),
            ("due", "2026-12-08".into()),
            ("link", "/track?no=2611230000001".into()),
        ]);
        let text = render("case_received", &p, "某县一窗通办", "https://yc.example.gov.cn");
        assert_eq!(
            text,
            "【某县一窗通办】您的诉求已收到，编号2611230000001，将于2026-12-08前告知是否受理。\
             查进度：https://yc.example.gov.cn/track?no=2611230000001"
        );
        assert!(!text.contains('$'));
    }

    #[test]
    fn the_configuration_never_prints_its_secrets() {
        let config = SmsConfig {
            http_secret: "s3cret-1".into(),
            aliyun_access_key_secret: "s3cret-2".into(),
            ..Default::default()
        };
        let printed = format!("{config:?}");
        assert!(!printed.contains("s3cret") && printed.contains("<hidden>"), "{printed}");
    }

    #[test]
    fn long_reasons_are_cut() {
        assert_eq!(short("一二三", 5), "一二三");
        assert_eq!(short("一二三四五六", 5), "一二三四…");
    }

    #[test]
    fn every_template_has_a_unique_code() {
        for t in <Template as strum::VariantArray>::VARIANTS {
            assert_eq!(Template::from_code(t.code()), Some(*t));
        }
    }
}
