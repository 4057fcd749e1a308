//! Issue 13's "fix first": an extension (延期) asked for after the handling time has run
//! out is refused, so it can never erase a case's 超期 flag.

use super::dispatch;
use crate::helpers::spawn_app;
use ow_shared::CaseType;
use ow_shared::calendar::Urgency;
use ow_shared::console::CaseDetail;
use ow_shared::workflow::ActionKind;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn an_extension_after_the_deadline_is_refused_and_the_case_stays_overdue() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let zongzhi = app.department_id(&desk.clerk, "zongzhi").await;
    let receipt = app.walk_in(&desk.clerk, CaseType::Complaint, "小区消防通道长期被占").await;
    let id = app.case_id(&desk.clerk, &receipt.tracking_no).await;
    app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    app.act_ok(&desk.clerk, id, dispatch(zongzhi)).await;
    let (_, seen) = app.case_detail(&desk.leader, id).await;
    let seen: CaseDetail = serde_json::from_value(seen).unwrap();
    assert!(seen.available_actions.contains(&ActionKind::Extend), "in time, the leader may extend");

    // Time passes: the 60-day limit (and the department's due date) ended yesterday.
    let yesterday = onewindow::clock::format_date(onewindow::clock::add_days(
        onewindow::clock::date_of(onewindow::clock::now_ms()),
        -1,
    ));
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.execute("UPDATE cases SET handling_due_on = ?2, due_on = ?2 WHERE id = ?1", rusqlite::params![id, yesterday])
        .unwrap();
    let events = || app.count(&format!("SELECT count(*) FROM case_events WHERE case_id = {id}"));
    let before = events();

    let (_, seen) = app.case_detail(&desk.leader, id).await;
    let seen: CaseDetail = serde_json::from_value(seen).unwrap();
    assert_eq!(seen.urgency, Some(Urgency::Overdue));
    assert!(!seen.available_actions.contains(&ActionKind::Extend), "the console no longer offers 延期");

    let (status, body) =
        app.act(&desk.leader, id, json!({ "action": "extend", "days": 30, "reason": "需现场勘验" })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("EXTENSION_TOO_LATE")), "{body}");
    assert_eq!(body["message"], "办理期限已过，不能再延期");

    // Nothing stored: no event, no extension, the same limit, still overdue.
    assert_eq!(events(), before);
    let sql = format!(
        "SELECT count(*) FROM cases WHERE id = {id} AND extension_days IS NULL AND handling_due_on = '{yesterday}'"
    );
    assert_eq!(app.count(&sql), 1);
    let (_, seen) = app.case_detail(&desk.leader, id).await;
    let seen: CaseDetail = serde_json::from_value(seen).unwrap();
    assert!(seen.extension.is_none());
    assert_eq!(seen.urgency, Some(Urgency::Overdue), "the 超期 flag stays");
}
