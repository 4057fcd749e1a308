//! The case workflow through the real API: walk-in, accept, dispatch, objection,
//! re-dispatch, response, reply, the resident's rating and review, callbacks, the
//! queue's filters and search, privacy, and the append-only record.

mod authz;

use crate::auth::{Signed, call, sign_in};
use crate::helpers::{TestApp, new_key, spawn_app};
use ow_shared::CaseType;
use ow_shared::console::{CaseDetail, QueuePage};
use ow_shared::dto::Receipt;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const PASSWORD: &str = onewindow::seed::DEMO_PASSWORD;

/// The five demo accounts, signed in.
pub struct Desk {
    pub clerk: Signed,
    pub leader: Signed,
    pub admin: Signed,
    pub zongzhi: Signed,
    pub sifasuo: Signed,
}

impl Desk {
    pub async fn open(app: &TestApp) -> Desk {
        Desk {
            clerk: sign_in(app, "clerk", PASSWORD).await,
            leader: sign_in(app, "leader", PASSWORD).await,
            admin: sign_in(app, "admin", PASSWORD).await,
            zongzhi: sign_in(app, "officer_zongzhi", PASSWORD).await,
            sifasuo: sign_in(app, "officer_sifasuo", PASSWORD).await,
        }
    }
}

/// A walk-in registered by `who`; the receipt.
pub async fn walk_in(app: &TestApp, who: &Signed, case_type: CaseType, title: &str) -> Receipt {
    let mut case = app.valid_request().await;
    case.case_type = Some(case_type);
    case.title = title.into();
    if case_type == CaseType::Dispute {
        case.mediation = Some(ow_shared::Mediation::Willing);
    }
    let response = app
        .client
        .post(format!("{}/api/v1/console/cases", app.url))
        .header("cookie", &who.cookie)
        .header("x-csrf-token", &who.info.csrf_token)
        .header("idempotency-key", new_key())
        .json(&json!({ "case": case, "channel": "visit", "group_size": 3, "representatives": ["赵一", "钱二"] }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// The case id of a tracking number, as the clerk's queue search finds it.
pub async fn case_id(app: &TestApp, clerk: &Signed, tracking_no: &str) -> i64 {
    let (status, page) =
        call(app, clerk, Method::GET, &format!("/api/v1/console/cases?q={tracking_no}"), None, false).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let page: QueuePage = serde_json::from_value(page).unwrap();
    assert_eq!(page.items.len(), 1, "exactly one case has number {tracking_no}");
    page.items[0].id
}

/// Posts an action; status and body.
pub async fn act(app: &TestApp, who: &Signed, id: i64, action: Value) -> (StatusCode, Value) {
    call(app, who, Method::POST, &format!("/api/v1/console/cases/{id}/actions"), Some(action), true).await
}

/// Posts an action that must succeed; the case afterwards.
pub async fn act_ok(app: &TestApp, who: &Signed, id: i64, action: Value) -> CaseDetail {
    let (status, body) = act(app, who, id, action.clone()).await;
    assert_eq!(status, StatusCode::OK, "{action} → {body}");
    serde_json::from_value(body).unwrap()
}

pub async fn detail(app: &TestApp, who: &Signed, id: i64) -> (StatusCode, Value) {
    call(app, who, Method::GET, &format!("/api/v1/console/cases/{id}"), None, false).await
}

/// A due date two weeks ahead, inside every legal limit.
pub fn due_in_two_weeks() -> String {
    let today = onewindow::clock::date_of(onewindow::clock::now_ms());
    onewindow::clock::format_date(onewindow::clock::add_days(today, 14))
}

pub async fn department_id(app: &TestApp, who: &Signed, code: &str) -> i64 {
    let (_, list) = call(app, who, Method::GET, "/api/v1/console/departments", None, false).await;
    list.as_array().unwrap().iter().find(|d| d["code"] == code).unwrap()["id"].as_i64().unwrap()
}

pub fn dispatch(department: i64) -> Value {
    json!({ "action": "dispatch", "department_ids": [department], "due_on": due_in_two_weeks(), "note": "请核实处理" })
}

/// The dispatch id of a department's part.
pub fn part(case: &CaseDetail, department: i64) -> i64 {
    case.dispatches.iter().rev().find(|d| d.department_id == department).unwrap().id
}

async fn resident_act(app: &TestApp, receipt: &Receipt, action: Value) -> (StatusCode, Value) {
    let response = app
        .client
        .post(format!("{}/api/v1/track/act", app.url))
        .json(&{
            let mut body = action.clone();
            body["tracking_no"] = json!(receipt.tracking_no);
            body["query_code"] = json!(receipt.query_code);
            body
        })
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_walk_in_goes_through_objection_re_dispatch_reply_rating_callback_and_review() {
    let app = spawn_app().await;
    let desk = Desk::open(&app).await;
    let (zongzhi, sifasuo) =
        (department_id(&app, &desk.clerk, "zongzhi").await, department_id(&app, &desk.clerk, "sifasuo").await);
    let receipt = walk_in(&app, &desk.clerk, CaseType::Complaint, "菜市场夜间噪音扰民").await;
    assert_eq!(receipt.query_code.len(), 8);
    let id = case_id(&app, &desk.clerk, &receipt.tracking_no).await;

    let case = act_ok(&app, &desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    assert_eq!(case.state, ow_shared::CaseState::Accepted);
    assert_eq!(case.channel, ow_shared::workflow::Channel::Visit);
    assert_eq!((case.group_size, case.representatives.len()), (3, 2));
    assert_eq!(case.registered_by.as_deref(), Some("窗口-李敏"), "首问负责: who registered it");
    let handling = case.deadlines.iter().find(|d| d.kind == ow_shared::dto::DeadlineKind::Handling).unwrap();
    assert_eq!(case.due_on.as_deref(), Some(handling.due_on.as_str()));

    let case = act_ok(&app, &desk.clerk, id, dispatch(zongzhi)).await;
    assert_eq!(case.state, ow_shared::CaseState::Dispatched);
    assert_eq!(
        case.due_on,
        Some(due_in_two_weeks()),
        "the department's due date, before the legal limit, runs the clock"
    );
    // The other department cannot even see it.
    assert_eq!(detail(&app, &desk.sifasuo, id).await.0, StatusCode::NOT_FOUND);
    let case = act_ok(
        &app,
        &desk.zongzhi,
        id,
        json!({ "action": "object", "dispatch_id": part(&case, zongzhi), "reason": "噪音执法属综合行政执法队" }),
    )
    .await;
    assert_eq!(case.state, ow_shared::CaseState::Accepted, "back to the centre for re-dispatch");
    assert_eq!(case.available_actions, Vec::<ow_shared::workflow::ActionKind>::new(), "nothing left for the officer");

    let case = act_ok(&app, &desk.clerk, id, dispatch(sifasuo)).await;
    let mine = part(&case, sifasuo);
    act_ok(&app, &desk.sifasuo, id, json!({ "action": "take", "dispatch_id": mine })).await;
    let case = act_ok(
        &app,
        &desk.sifasuo,
        id,
        json!({ "action": "respond", "dispatch_id": mine, "response": "已约谈市场管理方，夜间22点后停止装卸" }),
    )
    .await;
    assert_eq!(case.state, ow_shared::CaseState::Responded);

    let reply = "经协调，菜市场已承诺夜间22点后停止装卸作业，请您监督。";
    let case = act_ok(&app, &desk.clerk, id, json!({ "action": "reply", "reply": reply })).await;
    assert_eq!(case.state, ow_shared::CaseState::Replied);

    // The resident sees the reply, never a member of staff's name, and rates it.
    let (status, _, tracked) = app.track(&receipt.tracking_no, &receipt.query_code).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tracked["can_rate"], true);
    let timeline = tracked["events"].to_string();
    assert!(timeline.contains(reply), "{timeline}");
    assert!(timeline.contains("司法所"), "departments are named: {timeline}");
    for name in ["李敏", "张伟", "陈静", "王主任"] {
        assert!(!timeline.contains(name), "staff name {name} leaked: {timeline}");
    }
    assert!(!timeline.contains("噪音执法属"), "the objection is internal");
    let (status, tracked) = resident_act(&app, &receipt, json!({ "rating": "dissatisfied" })).await;
    assert_eq!(status, StatusCode::OK, "{tracked}");
    assert_eq!((tracked["state"].as_str(), tracked["rating"].as_str()), (Some("closed"), Some("dissatisfied")));
    let (status, again) = resident_act(&app, &receipt, json!({ "rating": "satisfied" })).await;
    assert_eq!((status, again["code"].as_str()), (StatusCode::CONFLICT, Some("TRANSITION_NOT_ALLOWED")));

    // 不满意 opened a callback task, which the queue finds.
    let (_, page) = call(&app, &desk.clerk, Method::GET, "/api/v1/console/cases?callback=open", None, false).await;
    let page: QueuePage = serde_json::from_value(page).unwrap();
    assert_eq!(page.items.iter().map(|i| i.id).collect::<Vec<_>>(), vec![id]);
    assert_eq!(page.counts.open_callbacks, 1);
    let case =
        act_ok(&app, &desk.clerk, id, json!({ "action": "complete_callback", "note": "已电话回访，群众表示理解" }))
            .await;
    assert!(case.callbacks[0].done_at.is_some());

    // Within 30 days of the reply the resident can ask for a review.
    let (status, tracked) = resident_act(&app, &receipt, json!({ "review_reason": "夜间仍有装卸" })).await;
    assert_eq!((status, tracked["state"].as_str()), (StatusCode::OK, Some("under_review")), "{tracked}");
    let case = act_ok(
        &app,
        &desk.leader,
        id,
        json!({ "action": "decide_review", "decision": "经复查，责成市场管理方整改并每周巡查。" }),
    )
    .await;
    assert_eq!(case.state, ow_shared::CaseState::Closed);

    // Every act is an event with who, when and from → to; the table refuses edits.
    let kinds: Vec<_> = case.events.iter().map(|e| e.kind.code()).collect();
    assert_eq!(
        kinds,
        [
            "walk_in_registered",
            "accepted",
            "dispatched",
            "dispatch_objected",
            "dispatched",
            "dispatch_taken",
            "responded",
            "replied",
            "rated",
            "callback_opened",
            "callback_completed",
            "review_requested",
            "review_decided"
        ]
    );
    let objection = &case.events[3];
    assert_eq!((objection.actor.as_str(), objection.unit.as_str()), ("综治办-张伟", "综治办（应急管理办）"));
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    assert!(conn.execute("UPDATE case_events SET note = 'x' WHERE case_id = ?1", [id]).is_err());
    assert!(conn.execute("DELETE FROM case_events WHERE case_id = ?1", [id]).is_err());
}

#[tokio::test]
async fn refusals_say_why_and_change_nothing() {
    let app = spawn_app().await;
    let desk = Desk::open(&app).await;
    let receipt = walk_in(&app, &desk.clerk, CaseType::Dispute, "邻里宅基地边界纠纷").await;
    let id = case_id(&app, &desk.clerk, &receipt.tracking_no).await;
    let events_before = app.count(&format!("SELECT count(*) FROM case_events WHERE case_id = {id}"));

    // Replying before accepting; declining without a route; a bad due date.
    let (status, body) =
        act(&app, &desk.clerk, id, json!({ "action": "reply", "reply": "这是一个足够长的答复内容。" })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("TRANSITION_NOT_ALLOWED")));
    assert_eq!(body["message"], "案件当前状态下不能进行此操作");
    let (status, body) = act(&app, &desk.clerk, id, json!({ "action": "decline", "reason": "" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<_> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["route", "reason"]);
    let (status, body) = act(&app, &desk.clerk, id, json!({ "action": "teleport" })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("BAD_REQUEST")));
    assert_eq!(app.count(&format!("SELECT count(*) FROM case_events WHERE case_id = {id}")), events_before);

    act_ok(&app, &desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    let yesterday = "2020-01-01";
    let (status, body) = act(
        &app,
        &desk.clerk,
        id,
        json!({ "action": "dispatch", "department_ids": [1], "due_on": yesterday, "note": "" }),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("DUE_DATE_INVALID")), "{body}");
    let (status, body) = act(
        &app,
        &desk.clerk,
        id,
        json!({ "action": "dispatch", "department_ids": [999], "due_on": due_in_two_weeks(), "note": "" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["code"], "DEPARTMENT_UNKNOWN");
    // A dispute cannot be answered before its mediation outcome is recorded.
    let (status, body) =
        act(&app, &desk.clerk, id, json!({ "action": "reply", "reply": "这是一个足够长的答复内容。" })).await;
    assert_eq!(body["code"], "MEDIATION_OUTCOME_REQUIRED", "{status} {body}");
    let case = act_ok(
        &app,
        &desk.clerk,
        id,
        json!({ "action": "record_mediation", "outcome": { "outcome": "settled", "agreement": "双方同意以现有围墙为界",
                 "judicial_confirmation_on": "2026-11-20" } }),
    )
    .await;
    assert!(case.mediation_outcome.is_some());
    // One extension, at most 30 days, by a leader; the resident sees the reason.
    let (status, _) =
        act(&app, &desk.leader, id, json!({ "action": "extend", "days": 31, "reason": "需现场勘验" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let case = act_ok(&app, &desk.leader, id, json!({ "action": "extend", "days": 30, "reason": "需现场勘验" })).await;
    assert_eq!(case.extension.as_ref().map(|e| e.days), Some(30));
    let (status, body) =
        act(&app, &desk.leader, id, json!({ "action": "extend", "days": 5, "reason": "需现场勘验" })).await;
    assert_eq!(body["code"], "EXTENSION_ALREADY_USED", "{status}");
    let (_, _, tracked) = app.track(&receipt.tracking_no, &receipt.query_code).await;
    assert!(tracked["events"].to_string().contains("需现场勘验"));
    assert!(tracked["events"].to_string().contains("调解成功"));
    assert!(!tracked["events"].to_string().contains("现有围墙"), "the agreement's text stays inside");
    // 领导包案 shows who.
    let case = act_ok(&app, &desk.leader, id, json!({ "action": "take_as_leader" })).await;
    assert_eq!(case.leader.as_deref(), Some("王主任"));
}

#[tokio::test]
async fn the_queue_filters_searches_in_chinese_and_pages() {
    let app = spawn_app().await;
    let desk = Desk::open(&app).await;
    let sifasuo = department_id(&app, &desk.clerk, "sifasuo").await;
    let lamp = walk_in(&app, &desk.clerk, CaseType::Complaint, "村口路灯不亮").await;
    let noise = walk_in(&app, &desk.clerk, CaseType::Complaint, "广场舞噪音扰民").await;
    let help = walk_in(&app, &desk.clerk, CaseType::Help, "低保申请咨询").await;
    for _ in 0..21 {
        app.submit(&app.valid_request().await).await;
    }
    let queue = |query: &'static str| {
        let (app, clerk) = (&app, &desk.clerk);
        async move {
            let (status, page) =
                call(app, clerk, Method::GET, &format!("/api/v1/console/cases?{query}"), None, false).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            serde_json::from_value::<QueuePage>(page).unwrap()
        }
    };
    let numbers =
        |page: &QueuePage| page.items.iter().map(|i| i.tracking_no.as_str().to_owned()).collect::<Vec<String>>();

    // Trigram full text (3+ characters) and the short-query fallback (噪音 is two).
    assert_eq!(numbers(&queue("q=广场舞噪音").await), vec![noise.tracking_no.clone()]);
    assert_eq!(numbers(&queue("q=%E5%99%AA%E9%9F%B3").await), vec![noise.tracking_no.clone()], "噪音");
    assert_eq!(numbers(&queue("q=%E4%BD%8E%E4%BF%9D").await), vec![help.tracking_no.clone()], "低保");
    assert_eq!(queue("q=路灯").await.total, 24, "every case's description (valid_request's) mentions the lamp");
    assert_eq!(queue("case_type=help").await.total, 1);
    assert_eq!(queue("mine=true").await.total, 3, "the clerk registered three");

    // Paging: 24 cases, 20 a page.
    let first = queue("sort=new").await;
    assert_eq!((first.total, first.items.len(), first.page_size), (24, 20, 20));
    assert_eq!(queue("sort=new&page=2").await.items.len(), 4);
    assert_eq!(first.items[0].tracking_no, *numbers(&queue("sort=new").await).first().unwrap());

    // Sorted by due date, the registered cases all run their acceptance clock; flags
    // are computed against today.
    let by_due = queue("state=registered").await;
    assert_eq!(by_due.total, 24);
    assert!(by_due.items.iter().all(|i| i.due_on.is_some() && i.urgency.is_some()));
    assert_eq!(queue("due=overdue").await.total, 0);

    let lamp_id = case_id(&app, &desk.clerk, &lamp.tracking_no).await;
    act_ok(&app, &desk.clerk, lamp_id, json!({ "action": "accept", "note": "" })).await;
    act_ok(&app, &desk.clerk, lamp_id, dispatch(sifasuo)).await;
    let to_sifasuo = queue("department_id=0").await;
    assert_eq!(to_sifasuo.total, 0);
    let (_, page) =
        call(&app, &desk.clerk, Method::GET, &format!("/api/v1/console/cases?department_id={sifasuo}"), None, false)
            .await;
    assert_eq!(page["total"], 1);
    // An officer's queue holds only their department's cases.
    let (_, page) = call(&app, &desk.sifasuo, Method::GET, "/api/v1/console/cases", None, false).await;
    assert_eq!(page["total"], 1);
    let (_, page) = call(&app, &desk.zongzhi, Method::GET, "/api/v1/console/cases", None, false).await;
    assert_eq!(page["total"], 0);
    // Bad filters are a clear 400, not a crash.
    let (status, body) = call(&app, &desk.clerk, Method::GET, "/api/v1/console/cases?state=flying", None, false).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("BAD_REQUEST")));
}

#[tokio::test]
async fn overdue_cases_are_flagged_and_counted() {
    let app = spawn_app().await;
    let desk = Desk::open(&app).await;
    let old = walk_in(&app, &desk.clerk, CaseType::Complaint, "积水长期未处理").await;
    walk_in(&app, &desk.clerk, CaseType::Complaint, "新近的诉求事项").await;
    // Time passes: the acceptance deadline of the first case was yesterday.
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.execute(
        "UPDATE cases SET due_on = '2026-01-05', acceptance_due_on = '2026-01-05' WHERE tracking_no = ?1",
        [&old.tracking_no],
    )
    .unwrap();
    let (_, page) = call(&app, &desk.clerk, Method::GET, "/api/v1/console/cases?due=overdue", None, false).await;
    let page: QueuePage = serde_json::from_value(page).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].tracking_no, old.tracking_no);
    assert_eq!(page.items[0].urgency, Some(ow_shared::calendar::Urgency::Overdue));
    assert_eq!(page.counts.overdue, 1);
    // Sorted by due date the overdue one comes first.
    let (_, page) = call(&app, &desk.clerk, Method::GET, "/api/v1/console/cases", None, false).await;
    assert_eq!(page["items"][0]["tracking_no"], old.tracking_no.as_str());
}

#[tokio::test]
async fn possible_repeats_are_found_by_person_and_by_text() {
    let app = spawn_app().await;
    let desk = Desk::open(&app).await;
    let first = walk_in(&app, &desk.clerk, CaseType::Complaint, "小区电梯经常停运").await;
    let repeats = |body: Value| {
        let (app, clerk) = (&app, &desk.clerk);
        async move {
            let (status, list) =
                call(app, clerk, Method::POST, "/api/v1/console/cases/repeats", Some(body), true).await;
            assert_eq!(status, StatusCode::OK, "{list}");
            list.as_array()
                .unwrap()
                .iter()
                .map(|c| (c["tracking_no"].as_str().unwrap().to_string(), c["reason"].as_str().unwrap().to_string()))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        repeats(json!({ "mobile": "138 1234 5678" })).await,
        [(first.tracking_no.clone(), "same_person".into())]
    );
    assert!(repeats(json!({ "mobile": "1381234" })).await.is_empty(), "a prefix finds no one");
    assert_eq!(repeats(json!({ "text": "电梯经常停运" })).await, [(first.tracking_no.clone(), "similar_text".into())]);
    assert!(repeats(json!({ "text": "路面坑洼" })).await.is_empty());
    // Linking a new walk-in to the earlier case.
    let first_id = case_id(&app, &desk.clerk, &first.tracking_no).await;
    let mut case = app.valid_request().await;
    case.title = "电梯又停运了".into();
    let response = app
        .client
        .post(format!("{}/api/v1/console/cases", app.url))
        .header("cookie", &desk.clerk.cookie)
        .header("x-csrf-token", &desk.clerk.info.csrf_token)
        .header("idempotency-key", new_key())
        .json(&json!({ "case": case, "channel": "phone", "linked_case_id": first_id }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let second: Receipt = response.json().await.unwrap();
    let second_id = case_id(&app, &desk.clerk, &second.tracking_no).await;
    let (_, body) = detail(&app, &desk.clerk, second_id).await;
    assert_eq!(body["linked_case"]["tracking_no"], first.tracking_no.as_str());
    // Officers do not get to probe who filed what.
    let (status, _) = call(
        &app,
        &desk.zongzhi,
        Method::POST,
        "/api/v1/console/cases/repeats",
        Some(json!({ "mobile": "13812345678" })),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn walk_in_validation_reports_every_field_at_once() {
    let app = spawn_app().await;
    let desk = Desk::open(&app).await;
    let mut case = app.valid_request().await;
    case.mobile = "12345".into();
    let response = app
        .client
        .post(format!("{}/api/v1/console/cases", app.url))
        .header("cookie", &desk.clerk.cookie)
        .header("x-csrf-token", &desk.clerk.info.csrf_token)
        .header("idempotency-key", new_key())
        .json(&json!({ "case": case, "group_size": 0, "representatives": ["甲", "乙", "丙", "丁", "戊", "己"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    let mut codes: Vec<_> =
        body["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect();
    codes.sort();
    assert_eq!(codes, ["GROUP_SIZE_INVALID", "MOBILE_INVALID", "REQUIRED", "TOO_MANY_REPRESENTATIVES"]);
    assert_eq!(app.count("SELECT count(*) FROM cases"), 0);
}

#[tokio::test]
async fn an_accusers_identity_never_reaches_a_department() {
    let app = spawn_app().await;
    let desk = Desk::open(&app).await;
    let zongzhi = department_id(&app, &desk.clerk, "zongzhi").await;
    let receipt = walk_in(&app, &desk.clerk, CaseType::Accusation, "检举某单位违规收费").await;
    let id = case_id(&app, &desk.clerk, &receipt.tracking_no).await;
    act_ok(&app, &desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    act_ok(&app, &desk.clerk, id, dispatch(zongzhi)).await;

    let (_, seen) = detail(&app, &desk.zongzhi, id).await;
    for field in ["contact_name", "mobile"] {
        assert_eq!(seen[field], ow_shared::console::WITHHELD, "{field}");
    }
    assert!(seen["representatives"].as_array().unwrap().iter().all(|r| r == ow_shared::console::WITHHELD));
    assert!(!seen.to_string().contains("13812345678") && !seen.to_string().contains("张三"));
    // The clerk who took it in sees it in full; an administrator only masked.
    let (_, clerk_view) = detail(&app, &desk.clerk, id).await;
    assert_eq!(clerk_view["mobile"], "13812345678");
    assert_eq!(detail(&app, &desk.admin, id).await.0, StatusCode::FORBIDDEN);
    // An ordinary complaint: the officer sees name and mobile to call back, ID masked.
    let other = walk_in(&app, &desk.clerk, CaseType::Complaint, "路边摊占道经营").await;
    let other_id = case_id(&app, &desk.clerk, &other.tracking_no).await;
    act_ok(&app, &desk.clerk, other_id, json!({ "action": "accept", "note": "" })).await;
    act_ok(&app, &desk.clerk, other_id, dispatch(zongzhi)).await;
    let (_, seen) = detail(&app, &desk.zongzhi, other_id).await;
    assert_eq!(seen["mobile"], "13812345678");
}

#[tokio::test]
async fn deadlines_follow_the_holiday_calendar_which_administrators_edit() {
    let app = spawn_app().await;
    let desk = Desk::open(&app).await;
    let (status, days) = call(&app, &desk.clerk, Method::GET, "/api/v1/console/holidays?year=2026", None, false).await;
    assert_eq!(status, StatusCode::OK);
    let days = days.as_array().unwrap();
    assert!(days.iter().any(|d| d["date"] == "2026-02-14" && d["kind"] == "workday"), "make-up Saturday seeded");
    assert!(days.iter().any(|d| d["date"] == "2026-02-17" && d["kind"] == "holiday"));

    // Today's 15-day acceptance deadline; make that day a holiday and the next case's
    // deadline moves to the next working day.
    let first = walk_in(&app, &desk.clerk, CaseType::Complaint, "第一件诉求事项").await;
    let due = first.deadlines[0].due_on.clone();
    let (status, _) = call(
        &app,
        &desk.clerk,
        Method::PUT,
        &format!("/api/v1/console/holidays/{due}"),
        Some(json!({ "kind": "holiday", "name": "地方假日" })),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only administrators edit the calendar");
    let (status, _) = call(
        &app,
        &desk.admin,
        Method::PUT,
        &format!("/api/v1/console/holidays/{due}"),
        Some(json!({ "kind": "holiday", "name": "地方假日" })),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let second = walk_in(&app, &desk.clerk, CaseType::Complaint, "第二件诉求事项").await;
    assert!(second.deadlines[0].due_on > due, "{} should be after {due}", second.deadlines[0].due_on);
    // The running clock of the first case follows the edit too.
    let first_id = case_id(&app, &desk.clerk, &first.tracking_no).await;
    let first_due = || async { detail(&app, &desk.clerk, first_id).await.1["due_on"].as_str().unwrap().to_string() };
    assert_eq!(first_due().await, second.deadlines[0].due_on);
    let (status, body) = call(
        &app,
        &desk.admin,
        Method::PUT,
        "/api/v1/console/holidays/2026-02-30",
        Some(json!({ "kind": "holiday", "name": "x" })),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) =
        call(&app, &desk.admin, Method::DELETE, &format!("/api/v1/console/holidays/{due}"), None, true).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(first_due().await, due, "removing the holiday moves it back");
}

#[tokio::test]
async fn a_department_that_objected_or_a_linked_case_reveals_no_one() {
    let app = spawn_app().await;
    let desk = Desk::open(&app).await;
    let (zongzhi, sifasuo) =
        (department_id(&app, &desk.clerk, "zongzhi").await, department_id(&app, &desk.clerk, "sifasuo").await);
    let earlier = walk_in(&app, &desk.clerk, CaseType::Complaint, "早先的一件投诉事项").await;
    let earlier_id = case_id(&app, &desk.clerk, &earlier.tracking_no).await;
    let mut case = app.valid_request().await;
    case.case_type = Some(CaseType::Accusation);
    case.title = "检举违规收费问题".into();
    let response = app
        .client
        .post(format!("{}/api/v1/console/cases", app.url))
        .header("cookie", &desk.clerk.cookie)
        .header("x-csrf-token", &desk.clerk.info.csrf_token)
        .header("idempotency-key", new_key())
        .json(&json!({ "case": case, "channel": "visit", "linked_case_id": earlier_id }))
        .send()
        .await
        .unwrap();
    let accusation: Receipt = response.json().await.unwrap();
    let id = case_id(&app, &desk.clerk, &accusation.tracking_no).await;
    act_ok(&app, &desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    let case = act_ok(&app, &desk.clerk, id, dispatch(zongzhi)).await;
    assert!(case.linked_case.is_some(), "the clerk sees the link");
    let (_, seen) = detail(&app, &desk.zongzhi, id).await;
    assert_eq!(seen["linked_case"], Value::Null, "an officer cannot follow the link to the accuser's other case");

    // A complaint objected away: the department keeps its record, not the contact.
    let other = walk_in(&app, &desk.clerk, CaseType::Complaint, "占道经营问题反映").await;
    let other_id = case_id(&app, &desk.clerk, &other.tracking_no).await;
    act_ok(&app, &desk.clerk, other_id, json!({ "action": "accept", "note": "" })).await;
    let case = act_ok(&app, &desk.clerk, other_id, dispatch(zongzhi)).await;
    let (_, seen) = detail(&app, &desk.zongzhi, other_id).await;
    assert_eq!(seen["mobile"], "13812345678");
    act_ok(
        &app,
        &desk.zongzhi,
        other_id,
        json!({ "action": "object", "dispatch_id": part(&case, zongzhi), "reason": "不属本部门职责" }),
    )
    .await;
    act_ok(&app, &desk.clerk, other_id, dispatch(sifasuo)).await;
    let (status, seen) = detail(&app, &desk.zongzhi, other_id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["mobile"], ow_shared::console::WITHHELD);

    // One department gets one part, however the request is written.
    let (status, body) = act(
        &app,
        &desk.clerk,
        other_id,
        json!({ "action": "dispatch", "department_ids": [zongzhi, zongzhi], "due_on": due_in_two_weeks(), "note": "" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn demo_accounts_stop_working_outside_demo_mode() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ow.sqlite");
    let demo = onewindow::spawn(onewindow::config::Config::for_tests(db.clone())).await.unwrap();
    let client = reqwest::Client::new();
    let sign_in = |url: String| {
        let client = client.clone();
        async move {
            client
                .post(format!("{url}/api/v1/console/session"))
                .json(&json!({ "username": "admin", "password": PASSWORD }))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(sign_in(demo.url()).await, StatusCode::OK);
    demo.task.abort();
    let config = onewindow::config::Config { demo: false, ..onewindow::config::Config::for_tests(db) };
    let real = onewindow::spawn(config).await.unwrap();
    assert_eq!(sign_in(real.url()).await, StatusCode::UNAUTHORIZED, "the published password opens nothing");
    real.task.abort();
}
