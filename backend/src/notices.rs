//! Written notices (书面告知, issue 14 item 4): the acts that need one issue it in the
//! same transaction as their event — 受理告知书 (accept), 不予受理告知书 (decline, naming
//! the route), 处理意见书 (the reply) — numbered per unit and year (文号).

use crate::auth::Staff;
use crate::casework::{self, Act};
use crate::clock;
use crate::db::notices::{self as store, NewNotice};
use crate::error::AppError;
use ow_shared::calendar;
use ow_shared::case::EventKind;
use ow_shared::notice::{RecordDelivery, VIAS};
use ow_shared::staff::Role;
use ow_shared::{ErrorCode, FieldError};
use rusqlite::Connection;

/// How notices are headed and numbered.
#[derive(Debug, Clone, clap::Args)]
pub struct NoticeConfig {
    /// The issuing unit's name, printed on every notice (the centre's name).
    #[arg(long = "notice-unit", env = "OW_NOTICE_UNIT", default_value = "一窗通办")]
    pub unit: String,
    /// The unit's prefix in the notice number (文号), e.g. a county's abbreviation.
    #[arg(long = "notice-prefix", env = "OW_NOTICE_PREFIX", default_value = "一窗")]
    pub prefix: String,
    /// The number's pattern: `{prefix}`, `{year}` and `{seq}` (the running number within
    /// the unit's year) are filled in.
    #[arg(
        long = "notice-number-pattern",
        env = "OW_NOTICE_NUMBER_PATTERN",
        default_value = "{prefix}〔{year}〕{seq}号"
    )]
    pub pattern: String,
}

impl Default for NoticeConfig {
    fn default() -> Self {
        NoticeConfig {
            unit: "一窗通办".into(), prefix: "一窗".into(), pattern: "{prefix}〔{year}〕{seq}号".into()
        }
    }
}

impl NoticeConfig {
    /// The printed number of the `seq`th notice of `year`.
    pub fn number(&self, year: i32, seq: i64) -> String {
        self.pattern
            .replace("{prefix}", &self.prefix)
            .replace("{year}", &year.to_string())
            .replace("{seq}", &seq.to_string())
    }
}

/// A notice's title as printed.
pub fn title(kind: &str) -> &'static str {
    match kind {
        "acceptance" => "受理告知书",
        "decline" => "不予受理告知书",
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
    let today = clock::date_of(now_ms);
    let body = body(conn, case_id, kind)?;
    let issued_on = calendar::format(today);
    let notice = NewNotice {
        case_id,
        kind,
        unit: &config.unit,
        year: today.year(),
        issued_on: &issued_on,
        issued_at_ms: now_ms,
        body: &body,
    };
    store::insert(conn, &notice, |seq| config.number(today.year(), seq)).map(Some)
}

/// The notice's text, from what the act recorded on the case.
fn body(conn: &Connection, case_id: i64, kind: &str) -> Result<String, AppError> {
    let case = conn
        .prepare_cached(
            "SELECT tracking_no, title, handling_due_on, decline_route, decline_reason, reply FROM cases WHERE id = ?1",
        )?
        .query_row([case_id], |r| {
            Ok(CaseText {
                tracking_no: r.get(0)?,
                title: r.get(1)?,
                handling_due_on: r.get(2)?,
                decline_route: r.get(3)?,
                decline_reason: r.get(4)?,
                reply: r.get(5)?,
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
        _ => format!(
            "{subject}，处理意见如下：\n{}\n如对本处理意见不服，可自收到本意见书之日起 30 日内请求复查。",
            case.reply.unwrap_or_default()
        ),
    })
}

struct CaseText {
    tracking_no: String,
    title: String,
    handling_due_on: Option<String>,
    decline_route: Option<String>,
    decline_reason: Option<String>,
    reply: Option<String>,
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
