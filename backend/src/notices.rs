//! Written notices (书面告知, issue 14 item 4): the acts that need one issue it in the
//! same transaction as their event — 受理告知书 (accept), 不予受理告知书 (decline, naming
//! the route), 转送/交办告知 (a hand-over to another unit), 处理意见书 (the reply),
//! 复查意见书 (the review's decision), and the legal-aid centre's 给予/不予法律援助决定书 —
//! numbered per issuing unit and year (文号).

use crate::auth::Staff;
use crate::casework::{self, Act};
use crate::clock;
use crate::db::notices::{self as store, NewNotice};
use crate::error::AppError;
use ow_shared::calendar;
use ow_shared::case::EventKind;
use ow_shared::notice::{NoticeView, RecordDelivery, VIAS};
use ow_shared::staff::Role;
use ow_shared::{ErrorCode, FieldError};
use rusqlite::{Connection, OptionalExtension};

/// How notices are headed and numbered.
#[derive(Debug, Clone, clap::Args)]
pub struct NoticeConfig {
    /// The county centre's prefix in the notice number (文号), e.g. the county's
    /// abbreviation; a unit's own prefix (set by an administrator) wins, and a unit
    /// without one uses its name.
    #[arg(long = "notice-prefix", env = "OW_NOTICE_PREFIX", default_value = "一窗")]
    pub prefix: String,
    /// The number's pattern: `{prefix}`, `{year}` and `{seq}` (the running number within
    /// the unit's year) are filled in; `{year}` and `{seq}` must be there, or numbers
    /// would repeat.
    #[arg(
        long = "notice-number-pattern",
        env = "OW_NOTICE_NUMBER_PATTERN",
        default_value = "{prefix}〔{year}〕{seq}号",
        value_parser = pattern
    )]
    pub pattern: String,
    /// The legal-aid centre's name on its decisions (法律援助决定书).
    #[arg(long = "legal-aid-unit", env = "OW_LEGAL_AID_UNIT", default_value = "县法律援助中心")]
    pub legal_aid_unit: String,
    /// The legal-aid centre's prefix in its decisions' numbers.
    #[arg(long = "legal-aid-notice-prefix", env = "OW_LEGAL_AID_NOTICE_PREFIX", default_value = "法援")]
    pub legal_aid_prefix: String,
}

impl Default for NoticeConfig {
    fn default() -> Self {
        NoticeConfig {
            prefix: "一窗".into(),
            pattern: "{prefix}〔{year}〕{seq}号".into(),
            legal_aid_unit: "县法律援助中心".into(),
            legal_aid_prefix: "法援".into(),
        }
    }
}

/// Checks a number pattern at start: without `{year}` and `{seq}` two notices would get
/// the same number, which the table refuses — every later act would fail.
fn pattern(value: &str) -> Result<String, String> {
    if value.contains("{year}") && value.contains("{seq}") {
        Ok(value.to_string())
    } else {
        Err("the pattern must contain {year} and {seq}".into())
    }
}

/// Who issues a notice: whose running numbers, the name printed, the number's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// `unit:<id>` or `legal_aid`.
    pub key: String,
    pub name: String,
    pub prefix: String,
}

impl NoticeConfig {
    /// The printed number of an issuer's `seq`th notice of `year`.
    pub fn number(&self, prefix: &str, year: i32, seq: i64) -> String {
        self.pattern.replace("{prefix}", prefix).replace("{year}", &year.to_string()).replace("{seq}", &seq.to_string())
    }

    /// The legal-aid centre, issuer of the legal-aid decisions.
    pub fn legal_aid(&self) -> Issuer {
        Issuer { key: "legal_aid".into(), name: self.legal_aid_unit.clone(), prefix: self.legal_aid_prefix.clone() }
    }

    /// A unit of the county (the county centre when `unit_id` is None).
    pub fn unit(&self, conn: &Connection, unit_id: Option<i64>) -> Result<Issuer, AppError> {
        let (id, level, name, prefix): (i64, String, String, Option<String>) = conn
            .prepare_cached(
                "SELECT id, level, name, notice_prefix FROM units
                 WHERE id = coalesce(?1, (SELECT id FROM units WHERE level = 'county'))",
            )?
            .query_row([unit_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        let prefix = prefix
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| if level == "county" { self.prefix.clone() } else { name.clone() });
        Ok(Issuer { key: format!("unit:{id}"), name, prefix })
    }
}

/// A notice's title as printed.
pub fn title(kind: &str) -> &'static str {
    match kind {
        "acceptance" => "受理告知书",
        "decline" => "不予受理告知书",
        "handover" => "转送交办告知书",
        "review" => "复查意见书",
        "legal_aid_granted" => "给予法律援助决定书",
        "legal_aid_refused" => "不予法律援助决定书",
        _ => "处理意见书",
    }
}

/// Issues the notice an event needs, if it needs one: called in the event's transaction,
/// after the act has written the case's columns the text is made of.
pub fn issue_for(
    conn: &Connection,
    case_id: i64,
    event: EventKind,
    now_ms: i64,
    config: &NoticeConfig,
) -> Result<Option<i64>, AppError> {
    let Some(kind) = event.notice_kind() else {
        return Ok(None);
    };
    let body = body(conn, case_id, kind)?;
    let issuer = config.unit(conn, issuing_unit(conn, case_id, kind)?)?;
    issue(conn, Subject::Case(case_id), kind, &body, &issuer, now_ms, config).map(Some)
}

/// What a notice is about.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    Case(i64),
    LegalAid(i64),
}

/// Stores a notice with the issuer's next number of the year.
fn issue(
    conn: &Connection,
    subject: Subject,
    kind: &str,
    body: &str,
    issuer: &Issuer,
    now_ms: i64,
    config: &NoticeConfig,
) -> Result<i64, AppError> {
    let today = clock::date_of(now_ms);
    let issued_on = calendar::format(today);
    let (case_id, legal_aid_id) = match subject {
        Subject::Case(id) => (Some(id), None),
        Subject::LegalAid(id) => (None, Some(id)),
    };
    let notice = NewNotice {
        case_id,
        legal_aid_id,
        kind,
        issuer: &issuer.key,
        unit: &issuer.name,
        year: today.year(),
        issued_on: &issued_on,
        issued_at_ms: now_ms,
        body,
    };
    store::insert(conn, &notice, |seq| config.number(&issuer.prefix, today.year(), seq))
}

/// The unit that issues a case's notice: the one that handed it on for a 转送/交办告知
/// (the case has already moved), the reviewing unit for a 复查意见书, else the holder.
fn issuing_unit(conn: &Connection, case_id: i64, kind: &str) -> Result<Option<i64>, AppError> {
    let sql = match kind {
        "handover" => "SELECT from_unit_id FROM case_handovers WHERE case_id = ?1 ORDER BY id DESC LIMIT 1",
        "review" => "SELECT coalesce(review_unit_id, unit_id) FROM cases WHERE id = ?1",
        _ => "SELECT unit_id FROM cases WHERE id = ?1",
    };
    Ok(conn.prepare_cached(sql)?.query_row([case_id], |r| r.get(0)).optional()?.flatten())
}

/// Issues the legal-aid centre's decision (给予/不予法律援助决定书) in the decision's
/// transaction: the grant says a lawyer follows by when; the refusal its reasons and
/// the right to object (法律援助法 Art.49). No personal data in the text: the booking
/// code names the application.
pub fn issue_legal_aid_decision(
    conn: &Connection,
    application: &ow_shared::booking::LegalAidCase,
    decision: &ow_shared::booking::LegalAidDecision,
    now_ms: i64,
    config: &NoticeConfig,
) -> Result<i64, AppError> {
    let subject =
        format!("申请人（预约号 {}）：你于 {} 提出的法律援助申请", application.booking_code, application.received_on);
    let (kind, body) = if decision.approve {
        let due = application.lawyer_due_on.as_deref().unwrap_or_default();
        (
            "legal_aid_granted",
            format!(
                "{subject}，经审查，符合法律援助条件，本中心决定给予法律援助，将于 {due} 前指派法律援助人员并告知你。"
            ),
        )
    } else {
        (
            "legal_aid_refused",
            format!(
                "{subject}，经审查，本中心决定不予法律援助。理由：{}。\n\
                 如对本决定有异议，可以向设立本中心的司法行政部门提出；对司法行政部门维持本决定不服的，\
                 可以依法申请行政复议或者提起行政诉讼（《中华人民共和国法律援助法》第四十九条）。",
                decision.reasons.trim().trim_end_matches('。')
            ),
        )
    };
    issue(conn, Subject::LegalAid(application.id), kind, &body, &config.legal_aid(), now_ms, config)
}

/// The notice's text, from what the act recorded on the case.
fn body(conn: &Connection, case_id: i64, kind: &str) -> Result<String, AppError> {
    let case = conn
        .prepare_cached(
            "SELECT tracking_no, title, handling_due_on, decline_route, decline_reason, reply, review_decision,
                    review_requested_at_ms
             FROM cases WHERE id = ?1",
        )?
        .query_row([case_id], |r| {
            Ok(CaseText {
                tracking_no: r.get(0)?,
                title: r.get(1)?,
                handling_due_on: r.get(2)?,
                decline_route: r.get(3)?,
                decline_reason: r.get(4)?,
                reply: r.get(5)?,
                review_decision: r.get(6)?,
                review_requested_at_ms: r.get(7)?,
            })
        })?;
    let subject = format!("您提出的“{}”（受理编号 {}）", case.title, case.tracking_no);
    Ok(match kind {
        "acceptance" => {
            format!("{subject}，本中心已依法受理，将于 {} 前办结并书面答复。", case.handling_due_on.unwrap_or_default())
        }
        "decline" => {
            let route = case
                .decline_route
                .as_deref()
                .and_then(|c| serde_json::from_value::<ow_shared::workflow::DeclineRoute>(c.into()).ok())
                .map(|r| r.label())
                .unwrap_or("其他法定途径");
            format!(
                "{subject}，经审查，不予受理。理由：{}。请依法通过{route}途径解决。",
                case.decline_reason.unwrap_or_default().trim_end_matches('。')
            )
        }
        "handover" => handover_text(conn, case_id, &subject)?,
        "review" => format!(
            "{subject}，您于 {} 请求复查。经复查，意见如下：\n{}\n如对复查意见不服，可自收到本意见书之日起 30 日内向复查机关的上一级机关请求复核。",
            case.review_requested_at_ms.map(|ms| calendar::format(clock::date_of(ms))).unwrap_or_default(),
            case.review_decision.unwrap_or_default()
        ),
        _ => format!(
            "{subject}，处理意见如下：\n{}\n如对本处理意见不服，可自收到本意见书之日起 30 日内请求复查。",
            case.reply.unwrap_or_default()
        ),
    })
}

/// 转送/交办告知: to which unit the case went, and by when it is to be handled there.
fn handover_text(conn: &Connection, case_id: i64, subject: &str) -> Result<String, AppError> {
    let (kind, to, due_on): (String, String, String) = conn
        .prepare_cached(
            "SELECT h.kind, u.name, h.due_on FROM case_handovers h JOIN units u ON u.id = h.to_unit_id
             WHERE h.case_id = ?1 ORDER BY h.id DESC LIMIT 1",
        )?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let how = if kind == "report_up" { "报送" } else { "交办" };
    Ok(format!(
        "{subject}，已依法{how}{to}办理，办理期限至 {due_on}。{to}将向您答复；您仍可凭受理编号和查询码查询办理进度。"
    ))
}

struct CaseText {
    tracking_no: String,
    title: String,
    handling_due_on: Option<String>,
    decline_route: Option<String>,
    decline_reason: Option<String>,
    reply: Option<String>,
    review_decision: Option<String>,
    review_requested_at_ms: Option<i64>,
}

/// 送达: records how and on which day the case's latest notice of a kind reached the
/// resident, as an event (centre staff). A 处理意见书's delivery day starts the review
/// window (`db::workflow::facts`).
pub fn record_delivery(conn: &Connection, act: &Act, staff: &Staff, req: &RecordDelivery) -> Result<(), AppError> {
    staff.require(Role::CENTRE)?;
    let detail = casework::view(conn, act, staff)?;
    let mut errors = Vec::new();
    let via = VIAS.iter().find(|(code, _)| *code == req.via);
    if via.is_none() {
        errors.push(FieldError::new("via", ErrorCode::Required));
    }
    let delivered_on = calendar::parse(req.delivered_on.trim());
    match delivered_on {
        None => errors.push(FieldError::new("delivered_on", ErrorCode::DateInvalid)),
        Some(day) if day > clock::date_of(act.now_ms) => {
            errors.push(FieldError::new("delivered_on", ErrorCode::DateInFuture))
        }
        Some(_) => {}
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let notice = store::for_case(conn, act.case_id)?
        .into_iter()
        .rev()
        .find(|n| n.kind == req.kind)
        .ok_or(AppError::Client(ErrorCode::NotFound))?;
    let day = calendar::format(delivered_on.expect("checked above"));
    // Delivered before it was issued: a typing error, refused like any impossible date.
    if day < notice.issued_on {
        return Err(AppError::Validation(vec![FieldError::new("delivered_on", ErrorCode::DateInvalid)]));
    }
    let (via, via_label) = via.expect("checked above");
    store::set_delivered(conn, notice.id, via, &day)?;
    let note = format!("{}（{}）{}，送达日期 {day}", title(&notice.kind), notice.number, via_label);
    casework::record_staff_in_place(conn, act, staff, EventKind::NoticeDelivered, detail.state, &note)
}

/// The case's notices, oldest first, with their delivery: for staff who may see the case.
pub fn list(conn: &Connection, act: &Act, staff: &Staff) -> Result<Vec<NoticeView>, AppError> {
    casework::view(conn, act, staff)?;
    Ok(store::for_case(conn, act.case_id)?
        .into_iter()
        .map(|n| NoticeView {
            id: n.id,
            title: title(&n.kind).to_string(),
            kind: n.kind,
            number: n.number,
            unit: n.unit,
            issued_on: n.issued_on,
            delivered_via: n.delivered_via,
            delivered_on: n.delivered_on,
        })
        .collect())
}

/// Sets a unit's own 文号 prefix; empty: back to the default.
pub fn set_prefix(conn: &Connection, unit_id: i64, prefix: &str) -> Result<(), AppError> {
    let changed = conn
        .prepare_cached("UPDATE units SET notice_prefix = nullif(?2, '') WHERE id = ?1")?
        .execute(rusqlite::params![unit_id, prefix])?;
    if changed == 0 {
        return Err(AppError::Client(ErrorCode::NotFound));
    }
    Ok(())
}
