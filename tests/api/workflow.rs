//! The case workflow through the real API: walk-in, accept, dispatch, objection,
//! re-dispatch, response, reply, the resident's rating and review, callbacks, the
//! queue's filters and search, privacy, and the append-only record.

mod authz;
mod extension;
mod issue11;

use crate::helpers::{DEMO_PASSWORD, spawn_app, spawn_app_with};
use ow_shared::CaseType;
use ow_shared::console::{CaseDetail, QueuePage};
use ow_shared::dto::Receipt;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A due date two weeks ahead, inside every legal limit.
pub fn due_in_two_weeks() -> String {
    let today = onewindow::clock::date_of(onewindow::clock::now_ms());
    onewindow::clock::format_date(onewindow::clock::add_days(today, 14))
}

pub fn dispatch(department: i64) -> Value {
    json!({ "action": "dispatch", "department_ids": [department], "due_on": due_in_two_weeks(), "note": "请核实处理" })
}

/// The dispatch id of a department's part.
pub fn part(case: &CaseDetail, department: i64) -> i64 {
    case.dispatches.iter().rev().find(|d| d.department_id == department).unwrap().id
}

#[tokio::test]
async fn a_walk_in_goes_through_objection_re_dispatch_reply_rating_callback_and_review() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let (zongzhi, sifasuo) =
        (app.department_id(&desk.clerk, "zongzhi").await, app.department_id(&desk.clerk, "sifasuo").await);
    let receipt = app.walk_in(&desk.clerk, CaseType::Complaint, "菜市场夜间噪音扰民").await;
    assert_eq!(receipt.query_code.len(), 8);
    let id = app.case_id(&desk.clerk, &receipt.tracking_no).await;

    let case = app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    assert_eq!(case.state, ow_shared::CaseState::Accepted);
    assert_eq!(case.channel, ow_shared::workflow::Channel::Visit);
    assert_eq!((case.group_size, case.representatives.len()), (3, 2));
    assert_eq!(case.registered_by.as_deref(), Some("窗口-李敏"), "首问负责: who registered it");
    let handling = case.deadlines.iter().find(|d| d.kind == ow_shared::dto::DeadlineKind::Handling).unwrap();
    assert_eq!(case.due_on.as_deref(), Some(handling.due_on.as_str()));

    let case = app.act_ok(&desk.clerk, id, dispatch(zongzhi)).await;
    assert_eq!(case.state, ow_shared::CaseState::Dispatched);
    assert_eq!(
        case.due_on,
        Some(due_in_two_weeks()),
        "the department's due date, before the legal limit, runs the clock"
    );
    // The other department cannot even see it.
    assert_eq!(app.case_detail(&desk.sifasuo, id).await.0, StatusCode::NOT_FOUND);
    let case = app
        .act_ok(
            &desk.zongzhi,
            id,
            json!({ "action": "object", "dispatch_id": part(&case, zongzhi), "reason": "噪音执法属综合行政执法队" }),
        )
        .await;
    // The objection waits for the centre's 核实同意: until then the department holds it.
    assert_eq!(case.state, ow_shared::CaseState::Dispatched, "still the department's");
    assert!(case.dispatches[0].objection_pending);
    let objection = json!({ "action": "decide_objection", "dispatch_id": part(&case, zongzhi), "agree": true,
                            "note": "" });
    let (status, _) = app.act(&desk.zongzhi, id, objection.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a department does not decide its own objection");
    let case = app.act_ok(&desk.clerk, id, objection).await;
    assert_eq!(case.state, ow_shared::CaseState::Accepted, "back to the centre for re-dispatch");
    let case = app.case_detail(&desk.zongzhi, id).await.1;
    assert_eq!(case["available_actions"], json!([]), "nothing left for the officer");

    let case = app.act_ok(&desk.clerk, id, dispatch(sifasuo)).await;
    let mine = part(&case, sifasuo);
    app.act_ok(&desk.sifasuo, id, json!({ "action": "take", "dispatch_id": mine })).await;
    let case = app
        .act_ok(
            &desk.sifasuo,
            id,
            json!({ "action": "respond", "dispatch_id": mine, "response": "已约谈市场管理方，夜间22点后停止装卸" }),
        )
        .await;
    assert_eq!(case.state, ow_shared::CaseState::Responded);

    let reply = "经协调，菜市场已承诺夜间22点后停止装卸作业，请您监督。";
    let case = app.act_ok(&desk.clerk, id, json!({ "action": "reply", "reply": reply })).await;
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
    let (status, tracked) = app.resident_act(&receipt, json!({ "rating": "dissatisfied" })).await;
    assert_eq!(status, StatusCode::OK, "{tracked}");
    assert_eq!((tracked["state"].as_str(), tracked["rating"].as_str()), (Some("closed"), Some("dissatisfied")));
    let (status, again) = app.resident_act(&receipt, json!({ "rating": "satisfied" })).await;
    assert_eq!((status, again["code"].as_str()), (StatusCode::CONFLICT, Some("TRANSITION_NOT_ALLOWED")));

    // 不满意 opened a callback task, which the queue finds.
    let (_, page) = app.console_get(&desk.clerk, "/api/v1/console/cases?callback=open").await;
    let page: QueuePage = serde_json::from_value(page).unwrap();
    assert_eq!(page.items.iter().map(|i| i.id).collect::<Vec<_>>(), vec![id]);
    assert_eq!(page.counts.open_callbacks, 1);
    let case =
        app.act_ok(&desk.clerk, id, json!({ "action": "complete_callback", "note": "已电话回访，群众表示理解" })).await;
    assert!(case.callbacks[0].done_at.is_some());

    // Within 30 days of the reply the resident can ask for a review.
    let (status, tracked) = app.resident_act(&receipt, json!({ "review_reason": "夜间仍有装卸" })).await;
    assert_eq!((status, tracked["state"].as_str()), (StatusCode::OK, Some("under_review")), "{tracked}");
    let case = app
        .act_ok(
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
            "objection_agreed",
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
    let desk = app.desk().await;
    let receipt = app.walk_in(&desk.clerk, CaseType::Dispute, "邻里宅基地边界纠纷").await;
    let id = app.case_id(&desk.clerk, &receipt.tracking_no).await;
    let events_before = app.count(&format!("SELECT count(*) FROM case_events WHERE case_id = {id}"));

    // Replying before accepting; declining without a route; a bad due date.
    let (status, body) =
        app.act(&desk.clerk, id, json!({ "action": "reply", "reply": "这是一个足够长的答复内容。" })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("TRANSITION_NOT_ALLOWED")));
    assert_eq!(body["message"], "案件当前状态下不能进行此操作");
    let (status, body) = app.act(&desk.clerk, id, json!({ "action": "decline", "reason": "" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<_> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["route", "reason"]);
    let (status, body) = app.act(&desk.clerk, id, json!({ "action": "teleport" })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("BAD_REQUEST")));
    assert_eq!(app.count(&format!("SELECT count(*) FROM case_events WHERE case_id = {id}")), events_before);

    app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    let yesterday = "2020-01-01";
    let (status, body) = app
        .act(&desk.clerk, id, json!({ "action": "dispatch", "department_ids": [1], "due_on": yesterday, "note": "" }))
        .await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("DUE_DATE_INVALID")), "{body}");
    let (status, body) = app
        .act(
            &desk.clerk,
            id,
            json!({ "action": "dispatch", "department_ids": [999], "due_on": due_in_two_weeks(), "note": "" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["code"], "DEPARTMENT_UNKNOWN");
    // A dispute cannot be answered before its mediation outcome is recorded.
    let (status, body) =
        app.act(&desk.clerk, id, json!({ "action": "reply", "reply": "这是一个足够长的答复内容。" })).await;
    assert_eq!(body["code"], "MEDIATION_OUTCOME_REQUIRED", "{status} {body}");
    let outcome = json!({ "outcome": "settled", "agreement": "双方同意以现有围墙为界",
                          "judicial_confirmation_on": "2026-11-20" });
    let case = app.act_ok(&desk.clerk, id, json!({ "action": "record_mediation", "outcome": outcome })).await;
    assert!(case.mediation_outcome.is_some());
    // One extension, at most 30 days, by a leader; the resident sees the reason.
    let (status, _) =
        app.act(&desk.leader, id, json!({ "action": "extend", "days": 31, "reason": "需现场勘验" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let case = app.act_ok(&desk.leader, id, json!({ "action": "extend", "days": 30, "reason": "需现场勘验" })).await;
    assert_eq!(case.extension.as_ref().map(|e| e.days), Some(30));
    let (status, body) =
        app.act(&desk.leader, id, json!({ "action": "extend", "days": 5, "reason": "需现场勘验" })).await;
    assert_eq!(body["code"], "EXTENSION_ALREADY_USED", "{status}");
    let (_, _, tracked) = app.track(&receipt.tracking_no, &receipt.query_code).await;
    assert!(tracked["events"].to_string().contains("需现场勘验"));
    assert!(tracked["events"].to_string().contains("调解成功"));
    assert!(!tracked["events"].to_string().contains("现有围墙"), "the agreement's text stays inside");
    // 领导包案 shows who.
    let case = app.act_ok(&desk.leader, id, json!({ "action": "take_as_leader" })).await;
    assert_eq!(case.leader.as_deref(), Some("王主任"));
}

#[tokio::test]
async fn the_queue_filters_searches_in_chinese_and_pages() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let sifasuo = app.department_id(&desk.clerk, "sifasuo").await;
    let lamp = app.walk_in(&desk.clerk, CaseType::Complaint, "村口路灯不亮").await;
    let noise = app.walk_in(&desk.clerk, CaseType::Complaint, "广场舞噪音扰民").await;
    let help = app.walk_in(&desk.clerk, CaseType::Help, "低保申请咨询").await;
    for _ in 0..21 {
        app.submit(&app.valid_request().await).await;
    }
    let queue = |query: &'static str| {
        let (app, clerk) = (&app, &desk.clerk);
        async move {
            let (status, page) = app.console_get(clerk, &format!("/api/v1/console/cases?{query}")).await;
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

    let lamp_id = app.case_id(&desk.clerk, &lamp.tracking_no).await;
    app.act_ok(&desk.clerk, lamp_id, json!({ "action": "accept", "note": "" })).await;
    app.act_ok(&desk.clerk, lamp_id, dispatch(sifasuo)).await;
    let to_sifasuo = queue("department_id=0").await;
    assert_eq!(to_sifasuo.total, 0);
    let (_, page) = app.console_get(&desk.clerk, &format!("/api/v1/console/cases?department_id={sifasuo}")).await;
    assert_eq!(page["total"], 1);
    // An officer's queue holds only their department's cases.
    let (_, page) = app.console_get(&desk.sifasuo, "/api/v1/console/cases").await;
    assert_eq!(page["total"], 1);
    let (_, page) = app.console_get(&desk.zongzhi, "/api/v1/console/cases").await;
    assert_eq!(page["total"], 0);
    // Bad filters are a clear 400, not a crash.
    let (status, body) = app.console_get(&desk.clerk, "/api/v1/console/cases?state=flying").await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("BAD_REQUEST")));
}

#[tokio::test]
async fn overdue_cases_are_flagged_and_counted() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let old = app.walk_in(&desk.clerk, CaseType::Complaint, "积水长期未处理").await;
    app.walk_in(&desk.clerk, CaseType::Complaint, "新近的诉求事项").await;
    // Time passes: the acceptance deadline of the first case was yesterday.
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.execute(
        "UPDATE cases SET due_on = '2026-01-05', acceptance_due_on = '2026-01-05' WHERE tracking_no = ?1",
        [&old.tracking_no],
    )
    .unwrap();
    let (_, page) = app.console_get(&desk.clerk, "/api/v1/console/cases?due=overdue").await;
    let page: QueuePage = serde_json::from_value(page).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].tracking_no, old.tracking_no);
    assert_eq!(page.items[0].urgency, Some(ow_shared::calendar::Urgency::Overdue));
    assert_eq!(page.counts.overdue, 1);
    // Sorted by due date the overdue one comes first.
    let (_, page) = app.console_get(&desk.clerk, "/api/v1/console/cases").await;
    assert_eq!(page["items"][0]["tracking_no"], old.tracking_no.as_str());
}

#[tokio::test]
async fn possible_repeats_are_found_by_person_and_by_text() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let first = app.walk_in(&desk.clerk, CaseType::Complaint, "小区电梯经常停运").await;
    let repeats = |body: Value| {
        let (app, clerk) = (&app, &desk.clerk);
        async move {
            let (status, list) = app.console_post(clerk, "/api/v1/console/cases/repeats", Some(body)).await;
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
    // Neighbours in one village describe one noise in other words: offered there, not
    // county-wide (two shared trigrams of ten is chance elsewhere).
    let noise = app.walk_in(&desk.clerk, CaseType::Complaint, "邻居装修噪音扰民").await;
    let village = app.valid_request().await.village_id.unwrap();
    let upstairs = "楼上装修噪音影响老人休息";
    assert!(repeats(json!({ "text": upstairs })).await.is_empty(), "county-wide it is not similar enough");
    assert_eq!(
        repeats(json!({ "text": upstairs, "village_id": village })).await,
        [(noise.tracking_no.clone(), "similar_text".into())]
    );
    assert!(repeats(json!({ "text": upstairs, "village_id": village + 1000 })).await.is_empty());
    // Linking a new walk-in to the earlier case.
    let first_id = app.case_id(&desk.clerk, &first.tracking_no).await;
    let mut case = app.valid_request().await;
    case.title = "电梯又停运了".into();
    let (status, second) =
        app.post_walk_in(&desk.clerk, json!({ "case": case, "channel": "phone", "linked_case_id": first_id })).await;
    assert_eq!(status, StatusCode::CREATED);
    let second: Receipt = serde_json::from_value(second).unwrap();
    let second_id = app.case_id(&desk.clerk, &second.tracking_no).await;
    let (_, body) = app.case_detail(&desk.clerk, second_id).await;
    assert_eq!(body["linked_case"]["tracking_no"], first.tracking_no.as_str());
    // Officers do not get to probe who filed what.
    let (status, _) = app
        .console_post(&desk.zongzhi, "/api/v1/console/cases/repeats", Some(json!({ "mobile": "13812345678" })))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn walk_in_validation_reports_every_field_at_once() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let mut case = app.valid_request().await;
    case.mobile = "12345".into();
    let body = json!({ "case": case, "group_size": 0, "representatives": ["甲", "乙", "丙", "丁", "戊", "己"] });
    let (status, body) = app.post_walk_in(&desk.clerk, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut codes: Vec<_> =
        body["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect();
    codes.sort();
    // At the window a landline is also taken, so the message asks for either.
    assert_eq!(codes, ["GROUP_SIZE_INVALID", "LANDLINE_PHONE_INVALID", "REQUIRED", "TOO_MANY_REPRESENTATIVES"]);
    assert_eq!(app.count("SELECT count(*) FROM cases"), 0);
}

#[tokio::test]
async fn an_accusers_identity_never_reaches_a_department() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let zongzhi = app.department_id(&desk.clerk, "zongzhi").await;
    let receipt = app.walk_in(&desk.clerk, CaseType::Accusation, "检举某单位违规收费").await;
    let id = app.case_id(&desk.clerk, &receipt.tracking_no).await;
    app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    app.act_ok(&desk.clerk, id, dispatch(zongzhi)).await;

    let (_, seen) = app.case_detail(&desk.zongzhi, id).await;
    for field in ["contact_name", "mobile"] {
        assert_eq!(seen[field], ow_shared::console::WITHHELD, "{field}");
    }
    assert!(seen["representatives"].as_array().unwrap().iter().all(|r| r == ow_shared::console::WITHHELD));
    assert!(!seen.to_string().contains("13812345678") && !seen.to_string().contains("张三"));
    // The clerk who took it in sees the name, the number masked; administrators nothing.
    let (_, clerk_view) = app.case_detail(&desk.clerk, id).await;
    assert_eq!(clerk_view["mobile"], "138****5678");
    assert_eq!(app.case_detail(&desk.admin, id).await.0, StatusCode::FORBIDDEN);
    // An ordinary complaint: the officer sees the name, the mobile masked (to reveal).
    let other = app.walk_in(&desk.clerk, CaseType::Complaint, "路边摊占道经营").await;
    let other_id = app.case_id(&desk.clerk, &other.tracking_no).await;
    app.act_ok(&desk.clerk, other_id, json!({ "action": "accept", "note": "" })).await;
    app.act_ok(&desk.clerk, other_id, dispatch(zongzhi)).await;
    let (_, seen) = app.case_detail(&desk.zongzhi, other_id).await;
    assert_eq!(seen["mobile"], "138****5678");
}

#[tokio::test]
async fn deadlines_follow_the_holiday_calendar_which_administrators_edit() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let (status, days) = app.console_get(&desk.clerk, "/api/v1/console/holidays?year=2026").await;
    assert_eq!(status, StatusCode::OK);
    let days = days.as_array().unwrap();
    assert!(days.iter().any(|d| d["date"] == "2026-02-14" && d["kind"] == "workday"), "make-up Saturday seeded");
    assert!(days.iter().any(|d| d["date"] == "2026-02-17" && d["kind"] == "holiday"));

    // Today's 15-day acceptance deadline; make that day a holiday and the next case's
    // deadline moves to the next working day.
    let first = app.walk_in(&desk.clerk, CaseType::Complaint, "第一件诉求事项").await;
    let due = first.deadlines[0].due_on.clone();
    let (status, _) = app
        .console_put(
            &desk.clerk,
            &format!("/api/v1/console/holidays/{due}"),
            json!({ "kind": "holiday", "name": "地方假日" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only administrators edit the calendar");
    let (status, _) = app
        .console_put(
            &desk.admin,
            &format!("/api/v1/console/holidays/{due}"),
            json!({ "kind": "holiday", "name": "地方假日" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let second = app.walk_in(&desk.clerk, CaseType::Complaint, "第二件诉求事项").await;
    assert!(second.deadlines[0].due_on > due, "{} should be after {due}", second.deadlines[0].due_on);
    // The running clock of the first case follows the edit too.
    let first_id = app.case_id(&desk.clerk, &first.tracking_no).await;
    let first_due = || async { app.case_detail(&desk.clerk, first_id).await.1["due_on"].as_str().unwrap().to_string() };
    assert_eq!(first_due().await, second.deadlines[0].due_on);
    let (status, body) = app
        .console_put(&desk.admin, "/api/v1/console/holidays/2026-02-30", json!({ "kind": "holiday", "name": "x" }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = app.console_delete(&desk.admin, &format!("/api/v1/console/holidays/{due}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(first_due().await, due, "removing the holiday moves it back");
}

#[tokio::test]
async fn a_department_that_objected_or_a_linked_case_reveals_no_one() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let (zongzhi, sifasuo) =
        (app.department_id(&desk.clerk, "zongzhi").await, app.department_id(&desk.clerk, "sifasuo").await);
    let earlier = app.walk_in(&desk.clerk, CaseType::Complaint, "早先的一件投诉事项").await;
    let earlier_id = app.case_id(&desk.clerk, &earlier.tracking_no).await;
    let mut case = app.valid_request().await;
    case.case_type = Some(CaseType::Accusation);
    case.title = "检举违规收费问题".into();
    let (_, accusation) =
        app.post_walk_in(&desk.clerk, json!({ "case": case, "channel": "visit", "linked_case_id": earlier_id })).await;
    let accusation: Receipt = serde_json::from_value(accusation).unwrap();
    let id = app.case_id(&desk.clerk, &accusation.tracking_no).await;
    app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    let case = app.act_ok(&desk.clerk, id, dispatch(zongzhi)).await;
    assert!(case.linked_case.is_some(), "the clerk sees the link");
    let (_, seen) = app.case_detail(&desk.zongzhi, id).await;
    assert_eq!(seen["linked_case"], Value::Null, "an officer cannot follow the link to the accuser's other case");

    // A complaint objected away: the department keeps its record, not the contact.
    let other = app.walk_in(&desk.clerk, CaseType::Complaint, "占道经营问题反映").await;
    let other_id = app.case_id(&desk.clerk, &other.tracking_no).await;
    app.act_ok(&desk.clerk, other_id, json!({ "action": "accept", "note": "" })).await;
    let case = app.act_ok(&desk.clerk, other_id, dispatch(zongzhi)).await;
    let (_, seen) = app.case_detail(&desk.zongzhi, other_id).await;
    assert_eq!(seen["mobile"], "138****5678");
    app.act_ok(
        &desk.zongzhi,
        other_id,
        json!({ "action": "object", "dispatch_id": part(&case, zongzhi), "reason": "不属本部门职责" }),
    )
    .await;
    let (_, seen) = app.case_detail(&desk.zongzhi, other_id).await;
    assert_eq!(seen["mobile"], "138****5678", "until the centre agrees, the department still holds it");
    let agree = json!({ "action": "decide_objection", "dispatch_id": part(&case, zongzhi), "agree": true, "note": "" });
    app.act_ok(&desk.clerk, other_id, agree).await;
    app.act_ok(&desk.clerk, other_id, dispatch(sifasuo)).await;
    let (status, seen) = app.case_detail(&desk.zongzhi, other_id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["mobile"], ow_shared::console::WITHHELD);

    // One department gets one part, however the request is written.
    let twice = json!({ "action": "dispatch", "department_ids": [zongzhi, zongzhi], "due_on": due_in_two_weeks(),
                        "note": "" });
    let (status, body) = app.act(&desk.clerk, other_id, twice).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn demo_accounts_stop_working_outside_demo_mode() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ow.sqlite");
    let demo = spawn_app_with(|c| c.db = db.clone()).await;
    assert_eq!(demo.post_sign_in("admin", DEMO_PASSWORD).await.status(), StatusCode::OK);
    drop(demo);
    let real = spawn_app_with(|c| {
        c.db = db;
        c.demo = false;
    })
    .await;
    let status = real.post_sign_in("admin", DEMO_PASSWORD).await.status();
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the published password opens nothing");
}
