//! Written notices (issue 14, item 4): 受理告知书, 不予受理告知书 and 处理意见书 are issued
//! with the acts that need them, each numbered (文号) uniquely per unit and year.

use crate::helpers::{Signed, TestApp, spawn_app};
use futures::future::join_all;
use serde_json::json;
use std::collections::HashSet;

async fn submitted_case(app: &TestApp, clerk: &Signed) -> (i64, ow_shared::dto::Receipt) {
    let receipt = app.submit(&app.valid_request().await).await;
    (app.case_id(clerk, &receipt.tracking_no).await, receipt)
}

/// Every notice of the test's database: (case, kind, number, body).
fn notices(app: &TestApp) -> Vec<(i64, String, String, String)> {
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    let mut stmt = conn.prepare("SELECT case_id, kind, number, body FROM notices ORDER BY id").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(Result::unwrap).collect()
}

#[tokio::test]
async fn accepting_declining_and_replying_issue_numbered_notices() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let year = onewindow::clock::date_of(onewindow::clock::now_ms()).year();

    let (accepted, _) = submitted_case(&app, &desk.clerk).await;
    app.act_ok(&desk.clerk, accepted, json!({ "action": "accept", "note": "" })).await;
    let (declined, _) = submitted_case(&app, &desk.clerk).await;
    app.act_ok(&desk.clerk, declined, json!({ "action": "decline", "route": "arbitration", "reason": "属于劳动争议" }))
        .await;
    // An act that needs no notice issues none; a refused act issues none.
    app.act_ok(&desk.leader, accepted, json!({ "action": "extend", "days": 10, "reason": "需现场勘验" })).await;
    let (status, _) = app.act(&desk.clerk, declined, json!({ "action": "accept", "note": "" })).await;
    assert_eq!(status, reqwest::StatusCode::CONFLICT);
    app.act_ok(&desk.clerk, accepted, json!({ "action": "reply", "reply": "路灯已于本周修复，感谢您的反映。" })).await;

    let list = notices(&app);
    let kinds: Vec<(i64, &str)> = list.iter().map(|n| (n.0, n.1.as_str())).collect();
    assert_eq!(kinds, [(accepted, "acceptance"), (declined, "decline"), (accepted, "reply")]);
    let numbers: Vec<&str> = list.iter().map(|n| n.2.as_str()).collect();
    assert_eq!(numbers, [format!("一窗〔{year}〕1号"), format!("一窗〔{year}〕2号"), format!("一窗〔{year}〕3号")]);
    assert!(list[0].3.contains("已依法受理"), "{}", list[0].3);
    assert!(list[1].3.contains("请依法通过仲裁途径解决") && list[1].3.contains("属于劳动争议"), "{}", list[1].3);
    assert!(list[2].3.contains("路灯已于本周修复"), "{}", list[2].3);
}

#[tokio::test]
async fn many_notices_at_once_never_share_a_number() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let mut ids = Vec::new();
    for _ in 0..24 {
        ids.push(submitted_case(&app, &desk.clerk).await.0);
    }
    let accepts = ids.iter().map(|id| app.act_ok(&desk.clerk, *id, json!({ "action": "accept", "note": "" })));
    join_all(accepts).await;

    let list = notices(&app);
    assert_eq!(list.len(), ids.len());
    let distinct: HashSet<&str> = list.iter().map(|n| n.2.as_str()).collect();
    assert_eq!(distinct.len(), ids.len(), "{list:?}");
    // The table itself refuses a second notice with a number already taken.
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    let duplicate = conn.execute(
        "INSERT INTO notices (case_id, kind, unit, year, seq, number, issued_on, issued_at_ms, body)
         SELECT case_id, kind, unit, year, seq, number || 'x', issued_on, issued_at_ms, body FROM notices LIMIT 1",
        [],
    );
    assert!(duplicate.is_err(), "same unit, year and running number");
}
