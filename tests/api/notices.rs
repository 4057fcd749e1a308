//! Written notices (issue 14, item 4): 受理告知书, 不予受理告知书, 转送交办告知书, 处理意见书
//! and 复查意见书 are issued with the acts that need them, each numbered (文号) uniquely per
//! issuing unit and year. (The legal-aid decisions: `booking/legal_aid.rs`.)

use crate::helpers::{Signed, TestApp, spawn_app};
use futures::future::join_all;
use reqwest::{Method, StatusCode};
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
    assert_eq!(status, StatusCode::CONFLICT);
    app.act_ok(&desk.clerk, accepted, json!({ "action": "reply", "reply": "路灯已于本周修复，感谢您的反映。" })).await;

    let list = notices(&app);
    let kinds: Vec<(i64, &str)> = list.iter().map(|n| (n.0, n.1.as_str())).collect();
    assert_eq!(kinds, [(accepted, "acceptance"), (declined, "decline"), (accepted, "reply")]);
    let numbers: Vec<&str> = list.iter().map(|n| n.2.as_str()).collect();
    // Both cases are held by their township's centre, which numbers them: a unit without
    // its own prefix uses its name.
    let unit = "桃源镇综治中心";
    assert_eq!(
        numbers,
        [format!("{unit}〔{year}〕1号"), format!("{unit}〔{year}〕2号"), format!("{unit}〔{year}〕3号")]
    );
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
        "INSERT INTO notices (case_id, kind, issuer, unit, year, seq, number, issued_on, issued_at_ms, body)
         SELECT case_id, kind, issuer, unit, year, seq, number || 'x', issued_on, issued_at_ms, body FROM notices LIMIT 1",
        [],
    );
    assert!(duplicate.is_err(), "same unit, year and running number");
}

/// Posts the resident's notice form: (status, Retry-After, page).
async fn open_as_resident(app: &TestApp, no: &str, code: &str, kind: &str) -> (StatusCode, Option<String>, String) {
    let response = app
        .client
        .post(format!("{}/notice", app.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("tracking_no={no}&query_code={code}&kind={kind}"))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let retry = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
    (status, retry, response.text().await.unwrap())
}

#[tokio::test]
async fn the_resident_opens_a_notice_with_the_query_code_and_guesses_are_limited() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let year = onewindow::clock::date_of(onewindow::clock::now_ms()).year();
    let (id, receipt) = submitted_case(&app, &desk.clerk).await;
    let no = receipt.tracking_no.as_str();

    // The link from 查进度 opens a form; the code travels only in the POST body.
    let page = app.client.get(format!("{}/notice?no={no}&kind=acceptance", app.url)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("form-action 'self'"), "the form may post to the site itself: {csp}");
    let form = page.text().await.unwrap();
    assert!(form.contains("查看受理告知书") && form.contains(&format!("value=\"{no}\"")), "{form}");
    assert!(!form.contains("<script"), "no script: nothing to load, nothing for the CSP to refuse");

    // Before the notice exists: the right code answers "not found", which is no guess.
    let (status, _, _) = open_as_resident(&app, no, &receipt.query_code, "acceptance").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    let (status, _, sheet) = open_as_resident(&app, no, &receipt.query_code, "acceptance").await;
    assert_eq!(status, StatusCode::OK, "{sheet}");
    assert!(sheet.contains(&format!("桃源镇综治中心〔{year}〕1号")) && sheet.contains("受理告知书"), "{sheet}");
    assert!(sheet.contains("id=\"notice-unit\">桃源镇综治中心") && sheet.contains("盖章"), "{sheet}");

    // Wrong codes are refused and counted with /api/v1/track's: the sixth try waits,
    // even with the right code.
    for attempt in 1..=4 {
        let (status, _, page) = open_as_resident(&app, no, &format!("{attempt:08}"), "acceptance").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "attempt {attempt}");
        assert!(!page.contains("notice-number"), "{page}");
    }
    let (status, _, _) = app.track(no, "99999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, retry, page) = open_as_resident(&app, no, &receipt.query_code, "acceptance").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{page}");
    assert!(retry.unwrap().parse::<u64>().unwrap() > 0);
    // A malformed number is refused and not counted.
    let (status, _, _) = open_as_resident(&app, "abc", &receipt.query_code, "acceptance").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn staff_open_a_notice_of_a_case_they_may_see() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let (id, _) = submitted_case(&app, &desk.clerk).await;
    app.act_ok(&desk.clerk, id, json!({ "action": "decline", "route": "litigation", "reason": "属于民事纠纷" })).await;
    let path = format!("/console/notice?case={id}&kind=decline");
    let open = |who: &'static str| {
        let request = match who {
            "clerk" => app.console_request(&desk.clerk, Method::GET, &path, false),
            "sifasuo" => app.console_request(&desk.sifasuo, Method::GET, &path, false),
            _ => app.client.get(format!("{}{path}", app.url)),
        };
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };
    let (status, sheet) = open("clerk").await;
    assert_eq!(status, StatusCode::OK, "{sheet}");
    assert!(sheet.contains("不予受理告知书") && sheet.contains("请依法通过诉讼途径解决"), "{sheet}");
    // An officer sees only their department's cases; nobody signed out sees anything.
    assert_eq!(open("sifasuo").await.0, StatusCode::NOT_FOUND);
    assert_eq!(open("nobody").await.0, StatusCode::UNAUTHORIZED);
    // A kind the case has none of.
    let (status, _) = app.console_get(&desk.clerk, &format!("/console/notice?case={id}&kind=reply")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

fn days_ago(days: i64) -> String {
    let today = onewindow::clock::date_of(onewindow::clock::now_ms());
    ow_shared::calendar::format(onewindow::clock::add_days(today, -days))
}

fn review_by(case: &ow_shared::console::CaseDetail) -> String {
    let kind = ow_shared::dto::DeadlineKind::ReviewRequest;
    case.deadlines.iter().find(|d| d.kind == kind).unwrap().due_on.clone()
}

#[tokio::test]
async fn the_review_window_runs_from_the_delivery_of_the_reply() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let (id, receipt) = submitted_case(&app, &desk.clerk).await;
    let path = format!("/api/v1/console/cases/{id}/notices/delivery");
    let deliver = |via: &str, on: &str| json!({ "kind": "reply", "via": via, "delivered_on": on });

    // No reply yet: nothing to deliver.
    app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    let (status, _) = app.console_post(&desk.clerk, &path, Some(deliver("post", &days_ago(0)))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.act_ok(&desk.clerk, id, json!({ "action": "reply", "reply": "路灯已于本周修复，感谢您的反映。" })).await;
    // The reply was typed 40 days ago and its notice issued then: the window (30 days)
    // from that day has closed.
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    let typed = days_ago(40);
    conn.execute("UPDATE cases SET replied_on = ?1 WHERE id = ?2", rusqlite::params![typed, id]).unwrap();
    conn.execute("UPDATE notices SET issued_on = ?1 WHERE case_id = ?2", rusqlite::params![typed, id]).unwrap();
    let review = json!({ "review_reason": "答复与事实不符，路灯仍不亮" });
    let (status, body) = app.resident_act(&receipt, review.clone()).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("REVIEW_WINDOW_CLOSED")));

    // Refusals say why and change nothing.
    let events = || app.count(&format!("SELECT count(*) FROM case_events WHERE case_id = {id}"));
    let before = events();
    for (body, field) in [
        (deliver("pigeon", &days_ago(5)), "via"),
        (deliver("post", "2026-02-30"), "delivered_on"),
        (deliver("post", &days_ago(-1)), "delivered_on"),
        (deliver("post", &days_ago(41)), "delivered_on"),
    ] {
        let (status, answer) = app.console_post(&desk.clerk, &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {answer}");
        assert_eq!(answer["fields"][0]["field"], field, "{answer}");
    }
    let (status, _) = app.console_post(&desk.sifasuo, &path, Some(deliver("post", &days_ago(5)))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(events(), before);
    assert_eq!(
        app.count(&format!("SELECT count(*) FROM notices WHERE case_id = {id} AND delivered_on IS NOT NULL")),
        0
    );

    // Delivered by post five days ago: the window runs from that day, recorded as an event.
    let (status, body) = app.console_post(&desk.clerk, &path, Some(deliver("post", &days_ago(5)))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let case: ow_shared::console::CaseDetail = serde_json::from_value(body).unwrap();
    assert!(review_by(&case) >= days_ago(5 - 30), "{} runs from the delivery", review_by(&case));
    let delivered = case.events.iter().find(|e| e.kind == ow_shared::case::EventKind::NoticeDelivered).unwrap();
    assert!(delivered.note.contains("处理意见书") && delivered.note.contains("邮寄送达"), "{}", delivered.note);
    assert!(delivered.note.contains(&days_ago(5)), "{}", delivered.note);
    // The case's notices list each with its delivery, for the case page's 告知书 section.
    let (status, list) = app.console_get(&desk.clerk, &format!("/api/v1/console/cases/{id}/notices")).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let list: Vec<ow_shared::notice::NoticeView> = serde_json::from_value(list).unwrap();
    let kinds: Vec<(&str, Option<&str>, Option<&str>)> =
        list.iter().map(|n| (n.kind.as_str(), n.delivered_via.as_deref(), n.delivered_on.as_deref())).collect();
    assert_eq!(kinds, [("acceptance", None, None), ("reply", Some("post"), Some(days_ago(5).as_str()))]);
    assert_eq!(list[1].title, "处理意见书");
    let (status, _) = app.console_get(&desk.sifasuo, &format!("/api/v1/console/cases/{id}/notices")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an officer sees only their department's cases");
    let (_, _, track) = app.track(&receipt.tracking_no, &receipt.query_code).await;
    let deadlines = track["deadlines"].as_array().unwrap();
    let resident_sees = deadlines.iter().find(|d| d["kind"] == "review_request").unwrap();
    assert_eq!(resident_sees["due_on"], review_by(&case).as_str());
    let (status, body) = app.resident_act(&receipt, review).await;
    assert_eq!(status, StatusCode::OK, "within 30 days of the delivery: {body}");
}

#[tokio::test]
async fn a_hand_over_and_a_review_issue_notices_numbered_by_the_unit_that_issues_them() {
    use crate::units::{assign_down, case_at, resolve_on_spot, unit_id};
    let app = spawn_app().await;
    let year = onewindow::clock::date_of(onewindow::clock::now_ms()).year();
    let township = app.sign_in("clerk_chengguan").await;
    let (id, receipt) = case_at(&app, &township, ("城关街道", "幸福社区"), None).await;
    app.act_ok(&township, id, json!({ "action": "accept", "note": "" })).await;
    // 交办 to the village station: the township centre, which handed it on, tells the resident.
    let station_id = unit_id(&app, &township, "幸福社区服务站").await;
    app.act_ok(&township, id, assign_down(station_id)).await;
    let station = app.sign_in("station_xingfu").await;
    app.act_ok(&station, id, resolve_on_spot()).await;

    // An administrator gives the township centre its own 文号 prefix; refusals first.
    let township_id = unit_id(&app, &township, "城关街道综治中心").await;
    let admin = app.sign_in("admin").await;
    let prefix_path = format!("/api/v1/console/units/{township_id}/notice-prefix");
    let (status, _) = app.console_put(&township, &prefix_path, json!({ "prefix": "城综告" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.console_put(&admin, &prefix_path, json!({ "prefix": "长".repeat(21) })).await;
    assert_eq!((status, body["fields"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("prefix")));
    let (status, _) =
        app.console_put(&admin, "/api/v1/console/units/999999/notice-prefix", json!({ "prefix": "x" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app.console_put(&admin, &prefix_path, json!({ "prefix": " 城综告 " })).await;
    assert_eq!((status, body["prefix"].as_str()), (StatusCode::OK, Some("城综告")));

    // 复查 is decided by the level above the station that answered: the township centre.
    assert_eq!(app.resident_act(&receipt, json!({ "review_reason": "对调解结果不服" })).await.0, StatusCode::OK);
    let decision = "经复查，维持原处理意见，请双方按协议履行。";
    app.act_ok(&township, id, json!({ "action": "decide_review", "decision": decision })).await;

    let (status, list) = app.console_get(&township, &format!("/api/v1/console/cases/{id}/notices")).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let list: Vec<ow_shared::notice::NoticeView> = serde_json::from_value(list).unwrap();
    let seen: Vec<(&str, &str, &str)> =
        list.iter().map(|n| (n.kind.as_str(), n.title.as_str(), n.unit.as_str())).collect();
    assert_eq!(
        seen,
        [
            ("acceptance", "受理告知书", "城关街道综治中心"),
            ("handover", "转送交办告知书", "城关街道综治中心"),
            ("review", "复查意见书", "城关街道综治中心"),
        ]
    );
    // The unit's running numbers: its name until it had a prefix, then the prefix.
    let numbers: Vec<&str> = list.iter().map(|n| n.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            format!("城关街道综治中心〔{year}〕1号"),
            format!("城关街道综治中心〔{year}〕2号"),
            format!("城综告〔{year}〕3号")
        ]
    );
    let bodies = notices(&app);
    let handover = &bodies.iter().find(|n| n.1 == "handover").unwrap().3;
    assert!(handover.contains("已依法交办幸福社区服务站办理") && handover.contains("办理期限至"), "{handover}");
    let review = &bodies.iter().find(|n| n.1 == "review").unwrap().3;
    assert!(review.contains(decision) && review.contains("请求复核"), "{review}");

    // The resident opens both from 查进度 with the query code.
    for (kind, text) in [("handover", "转送交办告知书"), ("review", "复查意见书")] {
        let (status, _, sheet) = open_as_resident(&app, &receipt.tracking_no, &receipt.query_code, kind).await;
        assert_eq!(status, StatusCode::OK, "{sheet}");
        assert!(sheet.contains(text), "{sheet}");
    }
    let (_, _, track) = app.track(&receipt.tracking_no, &receipt.query_code).await;
    let events = track["events"].as_array().unwrap();
    assert!(events.iter().any(|e| e["kind"] == "handed_down"), "{track}");
}
