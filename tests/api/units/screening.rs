//! 排查 (issue 12): a grid worker's screening round with its findings, graded 红/黄/绿 and
//! settled, watched or reported up — reported up is a case of channel 网格上报 in the
//! township centre's queue with its grid; a retry is the same round; the township and
//! the county see the open risks of their grids, other townships nothing; every change
//! is an append-only event; bad input is a zh-CN 4xx with nothing stored.

use crate::helpers::{Signed, TestApp, new_key, spawn_app};
use ow_shared::console::CaseDetail;
use ow_shared::screening::{RiskLevel, RiskState, RiskView, ScreeningRound};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn post_round(app: &TestApp, who: &Signed, key: &str, body: &Value) -> (StatusCode, bool, Value) {
    let response = app
        .console_request(who, Method::POST, "/api/v1/console/screenings", true)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let replayed = response.headers().contains_key("idempotent-replayed");
    (response.status(), replayed, response.json().await.unwrap_or(Value::Null))
}

fn round() -> Value {
    json!({ "households": 23, "note": "幸福小区1—5栋",
        "findings": [
            { "kind": "dispute", "level": "green", "description": "2栋楼道堆物邻里争执", "state": "settled" },
            { "kind": "hazard", "level": "yellow", "description": "4栋外墙瓷砖松动", "state": "watched" },
            { "kind": "dispute", "level": "red", "description": "两户因宅基地界址争执，扬言动手",
              "people": "赵某、钱某", "state": "reported" }
        ] })
}

fn grid_id(app: &TestApp, code: &str) -> i64 {
    app.count(&format!("SELECT id FROM grids WHERE code = '{code}'"))
}

async fn risks(app: &TestApp, who: &Signed, query: &str) -> (StatusCode, Value) {
    app.console_get(who, &format!("/api/v1/console/risks{query}")).await
}

fn parsed(body: Value) -> Vec<RiskView> {
    serde_json::from_value(body).unwrap()
}

#[tokio::test]
async fn a_round_records_its_findings_and_the_red_one_goes_up_as_a_case_of_its_grid() {
    let app = spawn_app().await;
    let worker = app.sign_in("grid_xingfu").await;
    let key = new_key();
    let (status, replayed, body) = post_round(&app, &worker, &key, &round()).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, false), "{body}");
    let recorded: ScreeningRound = serde_json::from_value(body).unwrap();
    assert_eq!((recorded.households, recorded.grid_name.as_str()), (23, "幸福社区第1网格"));
    assert_eq!(recorded.by, "网格员-王秀英");
    let states: Vec<RiskState> = recorded.risks.iter().map(|r| r.state).collect();
    assert_eq!(states, [RiskState::Settled, RiskState::Watched, RiskState::Reported]);
    let up = &recorded.risks[2];
    let tracking_no = up.tracking_no.clone().expect("reported up: a case");

    // A weak signal: the same round sent again is the same round, and no second case.
    let (status, replayed, again) = post_round(&app, &worker, &key, &round()).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, true), "{again}");
    assert_eq!(again["id"], recorded.id);
    assert_eq!(app.count("SELECT count(*) FROM screening_rounds"), 1);
    assert_eq!(app.count("SELECT count(*) FROM cases"), 1);
    // The same key for another round is refused, with nothing stored.
    let mut other = round();
    other["households"] = json!(5);
    let (status, _, body) = post_round(&app, &worker, &key, &other).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("IDEMPOTENCY_KEY_REUSED")));

    // The case: 网格上报 in the township centre's queue, with its grid and the grade.
    let township = app.sign_in("clerk_chengguan").await;
    let id = app.case_id(&township, &tracking_no).await;
    let case: CaseDetail = serde_json::from_value(app.case_detail(&township, id).await.1).unwrap();
    assert_eq!(case.channel, ow_shared::workflow::Channel::Grid);
    assert_eq!(case.unit.unwrap().name, "城关街道综治中心");
    assert_eq!(case.grid.unwrap().name, "幸福社区第1网格");
    assert_eq!(case.case_type, ow_shared::CaseType::Dispute);
    assert!(case.description.contains("红色风险") && case.description.contains("赵某"), "{}", case.description);

    // Who/when of every finding, append-only.
    assert_eq!(app.count("SELECT count(*) FROM screening_events WHERE action = 'found'"), 3);
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    assert!(conn.execute("UPDATE screening_events SET note = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM screening_rounds", []).is_err());
}

#[tokio::test]
async fn the_township_and_the_county_see_their_grids_open_risks_other_townships_nothing() {
    let app = spawn_app().await;
    let worker = app.sign_in("grid_xingfu").await;
    let (status, _, body) = post_round(&app, &worker, &new_key(), &round()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let grid = grid_id(&app, "AL010101");

    let township = app.sign_in("clerk_chengguan").await;
    let (status, body) = risks(&app, &township, "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let open = parsed(body);
    // Open: the watched one and the one reported up (its case is not finished); gravest first.
    let levels: Vec<RiskLevel> = open.iter().map(|r| r.level).collect();
    assert_eq!(levels, [RiskLevel::Red, RiskLevel::Yellow]);
    let (_, body) = risks(&app, &township, &format!("?grid_id={grid}&level=yellow")).await;
    let yellow = parsed(body);
    assert_eq!(yellow.len(), 1);
    assert_eq!(yellow[0].description, "4栋外墙瓷砖松动");
    let (_, body) = risks(&app, &township, "?all=true").await;
    assert_eq!(parsed(body).len(), 3, "settled ones too when asked");
    let other_grid = grid_id(&app, "AL010102");
    let (_, body) = risks(&app, &township, &format!("?grid_id={other_grid}")).await;
    assert!(parsed(body).is_empty());

    let county = app.sign_in("clerk").await;
    assert_eq!(parsed(risks(&app, &county, "").await.1).len(), 2);
    let elsewhere = app.sign_in("clerk_taoyuan").await;
    assert!(parsed(risks(&app, &elsewhere, "").await.1).is_empty());
    let (status, body) = app.console_get(&elsewhere, "/api/v1/console/screenings").await;
    assert_eq!((status, body.as_array().map(Vec::len)), (StatusCode::OK, Some(0)));
    let officer = app.sign_in("officer_zongzhi").await;
    assert_eq!(risks(&app, &officer, "").await.0, StatusCode::FORBIDDEN);
    let (status, body) = app.console_get(&worker, "/api/v1/console/screenings").await;
    assert_eq!((status, body[0]["risks"].as_array().map(Vec::len)), (StatusCode::OK, Some(3)));
    let (status, body) = risks(&app, &township, "?level=purple").await;
    assert_eq!(
        (status, body["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("RISK_LEVEL_UNKNOWN"))
    );
}

#[tokio::test]
async fn a_watched_risk_is_regraded_then_reported_up_and_every_change_is_an_event() {
    let app = spawn_app().await;
    let worker = app.sign_in("grid_xingfu").await;
    let (_, _, body) = post_round(&app, &worker, &new_key(), &round()).await;
    let watched = body["risks"][1]["id"].as_i64().unwrap();
    let path = format!("/api/v1/console/risks/{watched}");

    let (status, body) =
        app.console_post(&worker, &path, Some(json!({ "state": "watched", "level": "red", "note": "裂缝变大" }))).await;
    assert_eq!((status, body["level"].as_str()), (StatusCode::OK, Some("red")), "{body}");
    let up = json!({ "state": "reported", "note": "需住建部门处置" });
    let (status, body) = app.console_post(&worker, &path, Some(up.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let risk: RiskView = serde_json::from_value(body).unwrap();
    assert_eq!(risk.state, RiskState::Reported);
    let tracking_no = risk.tracking_no.clone().unwrap();
    // A retry changes nothing and makes no second case.
    let (status, body) = app.console_post(&worker, &path, Some(up)).await;
    assert_eq!((status, body["tracking_no"].as_str()), (StatusCode::OK, Some(tracking_no.as_str())));
    assert_eq!(app.count("SELECT count(*) FROM cases"), 2);
    // Reported is final.
    let (status, body) = app.console_post(&worker, &path, Some(json!({ "state": "settled" }))).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("TRANSITION_NOT_ALLOWED")));

    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    let history: String = conn
        .query_row(
            "SELECT group_concat(action || ':' || level || ':' || state, ',') FROM
             (SELECT * FROM screening_events WHERE risk_id = ?1 ORDER BY id)",
            [watched],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(history, "found:yellow:watched,regraded:red:watched,reported:red:reported");
    let who: i64 = conn
        .query_row("SELECT count(*) FROM screening_events WHERE staff_id IS NOT NULL AND at_ms > 0", [], |r| r.get(0))
        .unwrap();
    assert_eq!(who, 5);
    let township = app.sign_in("clerk_chengguan").await;
    let id = app.case_id(&township, &tracking_no).await;
    let case: CaseDetail = serde_json::from_value(app.case_detail(&township, id).await.1).unwrap();
    assert_eq!(case.case_type, ow_shared::CaseType::Help, "a risk asks the centre to act");

    // Another worker's grid, or someone else, cannot touch it: "not found", like nothing there.
    let clerk = township;
    let (status, _) = app.console_post(&clerk, &path, Some(json!({ "state": "settled" }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) =
        app.console_post(&worker, "/api/v1/console/risks/999999", Some(json!({ "state": "settled" }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_rounds_are_refused_in_zh_cn_and_nothing_is_stored() {
    let app = spawn_app().await;
    let worker = app.sign_in("grid_xingfu").await;
    let field_code = |body: &Value| body["fields"][0]["code"].as_str().map(str::to_string);

    let mut unknown_grid = round();
    unknown_grid["grid_id"] = json!(999_999);
    let (status, _, body) = post_round(&app, &worker, &new_key(), &unknown_grid).await;
    assert_eq!((status, field_code(&body).as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("GRID_UNKNOWN")));
    assert!(body["fields"][0]["message"].as_str().unwrap().contains("网格"));

    let mut not_mine = round();
    not_mine["grid_id"] = json!(grid_id(&app, "AL010102"));
    let (status, _, body) = post_round(&app, &worker, &new_key(), &not_mine).await;
    assert_eq!((status, field_code(&body).as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("GRID_NOT_YOURS")));
    assert!(body["fields"][0]["message"].as_str().unwrap().contains("本人负责网格"), "{body}");

    let mut orange = round();
    orange["findings"][1]["level"] = json!("orange");
    let (status, _, body) = post_round(&app, &worker, &new_key(), &orange).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "findings[1].level");
    assert_eq!(field_code(&body).as_deref(), Some("RISK_LEVEL_UNKNOWN"));
    assert_eq!(body["fields"][0]["message"], "风险等级只能是红、黄、绿之一");

    let mut short = round();
    short["findings"][2]["description"] = json!("吵");
    short["households"] = json!(5000);
    let (status, _, body) = post_round(&app, &worker, &new_key(), &short).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["households", "findings[2].description"]);

    let mut no_such_state = round();
    no_such_state["findings"][0]["state"] = json!("forgotten");
    let (status, _, body) = post_round(&app, &worker, &new_key(), &no_such_state).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_ascii()), "a zh-CN message: {body}");

    let (status, _, _) = post_round(&app, &worker, "", &round()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let clerk = app.sign_in("clerk_chengguan").await;
    let (status, _, _) = post_round(&app, &clerk, &new_key(), &round()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, body) = app
        .console_post(&worker, "/api/v1/console/risks/1", Some(json!({ "state": "watched", "level": "blue" })))
        .await;
    assert_eq!((status, field_code(&body).as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("RISK_LEVEL_UNKNOWN")));

    for table in ["screening_rounds", "screening_risks", "screening_events", "cases"] {
        assert_eq!(app.count(&format!("SELECT count(*) FROM {table}")), 0, "{table}");
    }
}

#[tokio::test]
async fn retention_blanks_the_people_of_findings_done_with_and_keeps_the_watched_ones_and_every_event() {
    let app = spawn_app().await;
    let worker = app.sign_in("grid_xingfu").await;
    let mut body = round();
    body["findings"][0]["people"] = json!("孙某、李某");
    body["findings"][1]["people"] = json!("周某");
    let (status, _, recorded) = post_round(&app, &worker, &new_key(), &body).await;
    assert_eq!(status, StatusCode::CREATED, "{recorded}");
    let events = app.count("SELECT count(*) FROM screening_events");

    let db = onewindow::db::Db::open(&app.db_path).unwrap();
    let policy = onewindow::housekeeping::Retention::default();
    let now = onewindow::clock::now_ms();
    let done = onewindow::housekeeping::retain(&db, &policy, now).await.unwrap();
    assert_eq!(done.screening, 0, "nothing is due yet");
    assert_eq!(app.count("SELECT count(*) FROM screening_risks WHERE people != ''"), 3);

    let in_four_years = now + 4 * 365 * 24 * 60 * 60 * 1000;
    let done = onewindow::housekeeping::retain(&db, &policy, in_four_years).await.unwrap();
    assert_eq!(done.screening, 2, "the settled finding and the one reported up");
    assert_eq!(app.count("SELECT count(*) FROM screening_risks WHERE people = '周某' AND state = 'watched'"), 1);
    assert_eq!(app.count("SELECT count(*) FROM screening_risks WHERE people LIKE '%某%'"), 1);
    assert_eq!(app.count("SELECT count(*) FROM screening_risks"), 3, "the findings stay, graded");
    assert_eq!(app.count("SELECT count(*) FROM screening_events"), events, "every event stays");
}
