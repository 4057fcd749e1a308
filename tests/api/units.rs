//! The county on three levels (issue 12) through the real API: where a case goes in,
//! hand-overs down (交办), to a grid worker (下派) and up (上报) with their clocks, who
//! sees what at each level, dispatch by level, and the unit — never a person — on the
//! resident's timeline.

mod field;
mod matrix;
mod online_grid;
mod screening;
mod tree_import;

use crate::helpers::{Signed, TestApp, spawn_app};
use crate::workflow::due_in_two_weeks;
use ow_shared::CaseType;
use ow_shared::console::CaseDetail;
use ow_shared::dto::Receipt;
use ow_shared::unit::{HandOverTargets, Unit};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A place of the demo county by name: (township id, village id).
pub async fn place(app: &TestApp, township: &str, village: &str) -> (i64, i64) {
    let regions = app.regions().await;
    let t = regions.townships.iter().find(|t| t.name == township).unwrap();
    (t.id, t.villages.iter().find(|v| v.name == village).unwrap().id)
}

/// The id of a unit by name.
pub async fn unit_id(app: &TestApp, who: &Signed, name: &str) -> i64 {
    let (status, body) = app.console_get(who, "/api/v1/console/units").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let units: Vec<Unit> = serde_json::from_value(body).unwrap();
    units.iter().find(|u| u.name == name).unwrap_or_else(|| panic!("no unit {name}")).id
}

/// A walk-in registered by `who` about a place (and grid); its id as the county sees it.
pub async fn case_at(
    app: &TestApp,
    who: &Signed,
    (township, village): (&str, &str),
    grid: Option<&str>,
) -> (i64, Receipt) {
    let (township_id, village_id) = place(app, township, village).await;
    let mut case = app.valid_request().await;
    case.township_id = Some(township_id);
    case.village_id = Some(village_id);
    case.case_type = Some(CaseType::Dispute);
    case.mediation = Some(ow_shared::Mediation::Willing);
    case.title = format!("{village}邻里纠纷");
    let grid_id = match grid {
        Some(code) => Some(app.grid_id(code).await),
        None => None,
    };
    let body = json!({ "case": case, "channel": "visit", "grid_id": grid_id });
    let (status, receipt) = app.post_walk_in(who, body).await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    let receipt: Receipt = serde_json::from_value(receipt).unwrap();
    let county = app.sign_in("clerk").await;
    (app.case_id(&county, &receipt.tracking_no).await, receipt)
}

pub fn assign_down(unit_id: i64) -> Value {
    json!({ "action": "assign_down", "unit_id": unit_id, "reason": "属村级可化解事项", "due_on": due_in_two_weeks() })
}

pub fn report_up(unit_id: i64) -> Value {
    json!({ "action": "report_up", "unit_id": unit_id, "reason": "涉及两个乡镇，需县级协调", "due_on": due_in_two_weeks() })
}

pub fn send_to_grid(staff_id: i64) -> Value {
    json!({ "action": "send_to_grid", "staff_id": staff_id, "reason": "请到现场核实情况", "due_on": due_in_two_weeks() })
}

pub fn resolve_on_spot() -> Value {
    json!({ "action": "resolve_on_spot", "parties": "张三、李四", "agreement": "双方同意共同出资修缮院墙" })
}

fn detail(body: Value) -> CaseDetail {
    serde_json::from_value(body).unwrap()
}

#[tokio::test]
async fn online_requests_go_to_their_townships_centre_and_walk_ins_at_a_station_stay_there() {
    let app = spawn_app().await;
    let county = app.sign_in("clerk").await;
    let receipt = app.submit(&app.valid_request().await).await;
    let id = app.case_id(&county, &receipt.tracking_no).await;
    let case = detail(app.case_detail(&county, id).await.1);
    assert_eq!(case.unit.unwrap().name, "桃源镇综治中心", "the township it is about");
    let station = app.sign_in("station_xingfu").await;
    let (id, _) = case_at(&app, &station, ("城关街道", "幸福社区"), Some("AL010101")).await;
    let case = detail(app.case_detail(&county, id).await.1);
    assert_eq!(case.unit.unwrap().name, "幸福社区服务站", "小事不出村");
    assert_eq!(case.grid.unwrap().name, "幸福社区第1网格");
    // About another village, the station's window takes it in for the township's centre.
    let (id, _) = case_at(&app, &station, ("城关街道", "东门社区"), None).await;
    assert_eq!(detail(app.case_detail(&county, id).await.1).unit.unwrap().name, "城关街道综治中心");
    // A grid that is not the village's is refused, and nothing is stored.
    let before = app.count("SELECT count(*) FROM cases");
    let (township_id, village_id) = place(&app, "城关街道", "东门社区").await;
    let mut case = app.valid_request().await;
    (case.township_id, case.village_id) = (Some(township_id), Some(village_id));
    let body = json!({ "case": case, "channel": "visit", "grid_id": app.grid_id("AL010101").await });
    let (status, answer) = app.post_walk_in(&county, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["fields"][0]["code"], "GRID_UNKNOWN");
    assert!(answer["fields"][0]["message"].as_str().unwrap().contains("网格"));
    assert_eq!(app.count("SELECT count(*) FROM cases"), before);
}

#[tokio::test]
async fn down_to_the_village_to_its_grid_worker_and_settled_on_the_spot_with_the_clocks_running_on() {
    let app = spawn_app().await;
    let township = app.sign_in("clerk_chengguan").await;
    let (id, receipt) = case_at(&app, &township, ("城关街道", "幸福社区"), Some("AL010101")).await;
    let accepted = app.act_ok(&township, id, json!({ "action": "accept", "note": "" })).await;
    let clocks = accepted.deadlines.clone();

    let (status, body) = app.console_get(&township, &format!("/api/v1/console/cases/{id}/hand-over-targets")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let targets: HandOverTargets = serde_json::from_value(body).unwrap();
    assert!(targets.down.iter().any(|u| u.name == "幸福社区服务站"));
    assert!(targets.down.iter().all(|u| !u.name.contains("桃源")), "only its own villages");
    assert_eq!(targets.up.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["县综治中心"]);
    let worker = targets.grid_workers.iter().find(|w| w.grid_name == "幸福社区第1网格").unwrap().staff_id;

    // 交办 down to the village station: the station holds it, the clocks are the same.
    let station_id = unit_id(&app, &township, "幸福社区服务站").await;
    let case = app.act_ok(&township, id, assign_down(station_id)).await;
    assert_eq!(case.unit.as_ref().unwrap().name, "幸福社区服务站");
    assert_eq!(case.deadlines, clocks, "the statutory clocks run on across a hand-over");
    assert_eq!(case.handovers.len(), 1);
    assert_eq!(
        (case.handovers[0].from_unit.as_str(), case.handovers[0].to_unit.as_str()),
        ("城关街道综治中心", "幸福社区服务站")
    );
    // The township centre still sees it, its own village's (and, above the holder, may
    // supervise it); a station of another village does not.
    assert_eq!(app.case_detail(&township, id).await.0, StatusCode::OK);

    // 下派 to the grid worker, who sees it in their list and reports it done.
    let station = app.sign_in("station_xingfu").await;
    let case = app.act_ok(&station, id, send_to_grid(worker)).await;
    assert_eq!(case.grid_worker.as_deref(), Some("网格员-王秀英"));
    let grid = app.sign_in("grid_xingfu").await;
    let (status, page) = app.console_get(&grid, "/api/v1/console/cases").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page["items"].as_array().unwrap().iter().any(|c| c["id"] == id), "{page}");
    let seen = detail(app.case_detail(&grid, id).await.1);
    assert!(seen.mobile.contains('*'), "masked for the grid worker");
    let done = app.act_ok(&grid, id, json!({ "action": "grid_done", "note": "已上门了解，双方愿意调解" })).await;
    assert_eq!(done.grid_worker, None);
    assert!(done.handovers[1].done_at.is_some());
    let (status, _) = app.act(&grid, id, json!({ "action": "grid_done", "note": "再报一次" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "done once");

    // 就地化解 by the station: the resident gets the answer from the station, by name of unit.
    let settled = app.act_ok(&station, id, resolve_on_spot()).await;
    assert!(settled.resolved_on_spot);
    assert_eq!(settled.state, ow_shared::CaseState::Replied);
    let (status, _, body) = app.track(&receipt.tracking_no, &receipt.query_code).await;
    assert_eq!(status, StatusCode::OK);
    let events = body["events"].as_array().unwrap();
    let last = events.last().unwrap();
    assert_eq!((last["kind"].as_str(), last["unit"].as_str()), (Some("resolved_on_spot"), Some("幸福社区服务站")));
    let handed = events.iter().find(|e| e["kind"] == "handed_down").unwrap();
    assert_eq!(handed["unit"], "城关街道综治中心");
    assert!(handed["note"].as_str().unwrap().contains("幸福社区服务站"));
    let text = body.to_string();
    for person in ["王秀英", "何芳", "马兰"] {
        assert!(!text.contains(person), "no staff name on the resident's timeline: {text}");
    }
    assert!(!events.iter().any(|e| e["kind"] == "sent_to_grid"), "who went is internal");
}

#[tokio::test]
async fn up_to_the_county_which_dispatches_to_a_county_bureau_and_replies() {
    let app = spawn_app().await;
    let township = app.sign_in("clerk_taoyuan").await;
    let county = app.sign_in("clerk").await;
    let receipt = app.submit(&app.valid_request().await).await;
    let id = app.case_id(&county, &receipt.tracking_no).await;
    app.act_ok(&township, id, json!({ "action": "accept", "note": "" })).await;
    let case = app.act_ok(&township, id, report_up(unit_id(&app, &township, "县综治中心").await)).await;
    assert_eq!(case.unit.as_ref().unwrap().level, ow_shared::unit::UnitLevel::County);
    assert!(case.available_actions.is_empty(), "nothing left for the township to do: {:?}", case.available_actions);
    // The county holds it now: a township station is below its level.
    let zongzhi = app.department_id(&county, "zongzhi").await;
    let (status, body) = app.act(&county, id, crate::workflow::dispatch(zongzhi)).await;
    assert_eq!(
        (status, body["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("DEPARTMENT_UNKNOWN"))
    );
    let bureau = app.department_id(&county, "county_sifa").await;
    let case = app.act_ok(&county, id, crate::workflow::dispatch(bureau)).await;
    let part = crate::workflow::part(&case, bureau);
    let officer = app.sign_in("officer_county_sifa").await;
    app.act_ok(&officer, id, json!({ "action": "take", "dispatch_id": part })).await;
    app.act_ok(&officer, id, json!({ "action": "respond", "dispatch_id": part, "response": "已协调两镇处理" })).await;
    let (status, _) =
        app.act(&township, id, json!({ "action": "reply", "reply": "经核实已经处理完毕，特此答复。" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the township no longer holds it");
    app.act_ok(&county, id, json!({ "action": "reply", "reply": "经县级协调，已经处理完毕，特此答复。" })).await;
    let (_, _, body) = app.track(&receipt.tracking_no, &receipt.query_code).await;
    let reply = body["events"].as_array().unwrap().iter().find(|e| e["kind"] == "replied").unwrap().clone();
    assert_eq!(reply["unit"], "县综治中心", "统一答复 from the unit holding it");
    assert!(!body.to_string().contains("李敏"), "never a person's name");
}

#[tokio::test]
async fn a_hand_over_to_a_unit_not_there_or_not_below_or_above_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let township = app.sign_in("clerk_chengguan").await;
    let (id, _) = case_at(&app, &township, ("城关街道", "幸福社区"), None).await;
    let other_village = unit_id(&app, &township, "桃源村服务站").await;
    let other_township = unit_id(&app, &township, "桃源镇综治中心").await;
    let own_village = unit_id(&app, &township, "幸福社区服务站").await;
    let county_unit = unit_id(&app, &township, "县综治中心").await;
    let other_worker = app.sign_in("grid_xingfu").await.info.staff_id;
    let events = || app.count(&format!("SELECT count(*) FROM case_events WHERE case_id = {id}"));
    let before = events();
    let refusals = [
        assign_down(999_999),
        assign_down(county_unit),
        assign_down(other_village),
        assign_down(other_township),
        report_up(own_village),
        report_up(other_township),
        report_up(999_999),
        send_to_grid(999_999),
        send_to_grid(township.info.staff_id),
    ];
    for body in refusals {
        let (status, answer) = app.act(&township, id, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {answer}");
        assert_eq!(answer["fields"][0]["code"], "UNIT_UNKNOWN", "{body}");
        assert!(answer["fields"][0]["message"].as_str().unwrap().contains("单位"), "{answer}");
    }
    // A grid worker of another township's grid is not under this one.
    let taoyuan = app.sign_in("clerk_taoyuan").await;
    let (theirs, _) = case_at(&app, &taoyuan, ("桃源镇", "桃源村"), None).await;
    let (status, answer) = app.act(&taoyuan, theirs, send_to_grid(other_worker)).await;
    assert_eq!(
        (status, answer["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("UNIT_UNKNOWN"))
    );
    // Bad reason and due date.
    let (status, answer) = app
        .act(&township, id, json!({ "action": "assign_down", "unit_id": own_village, "reason": "", "due_on": "明天" }))
        .await;
    assert!(status.is_client_error(), "{answer}");
    let (status, answer) = app
        .act(
            &township,
            id,
            json!({ "action": "assign_down", "unit_id": own_village, "reason": "属村级事项",
                                    "due_on": "2020-01-01" }),
        )
        .await;
    assert_eq!((status, answer["code"].as_str()), (StatusCode::BAD_REQUEST, Some("DUE_DATE_INVALID")), "{answer}");
    assert_eq!(events(), before, "nothing recorded");
    assert_eq!(app.count("SELECT count(*) FROM case_handovers"), 0);
    assert_eq!(
        detail(app.case_detail(&township, id).await.1).unit.unwrap().id,
        unit_id(&app, &township, "城关街道综治中心").await
    );
}

#[tokio::test]
async fn a_review_is_decided_by_the_level_above_the_reply_and_a_re_review_by_the_level_above_that() {
    let app = spawn_app().await;
    let station = app.sign_in("station_xingfu").await;
    let township = app.sign_in("clerk_chengguan").await;
    let county = app.sign_in("clerk").await;
    let (id, receipt) = case_at(&app, &station, ("城关街道", "幸福社区"), None).await;
    app.act_ok(&station, id, resolve_on_spot()).await;
    let ask = json!({ "review_reason": "对答复意见不服" });
    assert_eq!(app.resident_act(&receipt, ask.clone()).await.0, StatusCode::OK);
    let decide = json!({ "action": "decide_review", "decision": "经复查，维持原处理意见。" });
    for who in [&station, &county] {
        let (status, body) = app.act(who, id, decide.clone()).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("REVIEW_BY_LEVEL_ABOVE")), "{body}");
        assert!(body["message"].as_str().unwrap().contains("上一级"));
    }
    let seen = detail(app.case_detail(&township, id).await.1);
    assert!(seen.available_actions.contains(&ow_shared::workflow::ActionKind::DecideReview));
    assert!(
        !detail(app.case_detail(&county, id).await.1)
            .available_actions
            .contains(&ow_shared::workflow::ActionKind::DecideReview)
    );
    app.act_ok(&township, id, decide.clone()).await;

    // 复核: the same request once the 复查 is decided, by the level above the township.
    let (status, body) = app.resident_act(&receipt, json!({ "review_reason": "对复查意见不服" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "under_review");
    let (status, _) = app.act(&township, id, decide.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let recheck = json!({ "action": "decide_review", "decision": "经复核，维持复查意见。" });
    let case = app.act_ok(&county, id, recheck).await;
    assert_eq!(case.state, ow_shared::CaseState::Closed);
    let (status, _) = app.resident_act(&receipt, json!({ "review_reason": "还是不服" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "the same facts are not taken up again");
    let (_, _, body) = app.track(&receipt.tracking_no, &receipt.query_code).await;
    let kinds: Vec<&str> = body["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(
        kinds.ends_with(&["review_requested", "review_decided", "re_review_requested", "re_review_decided"]),
        "{kinds:?}"
    );
    let decided = &body["events"].as_array().unwrap()[kinds.len() - 3];
    assert_eq!(decided["unit"], "城关街道综治中心", "the 复查 came from the level above the station");
}

#[tokio::test]
async fn an_administrator_renames_a_unit_and_a_tree_with_a_cycle_is_refused_with_nothing_stored() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let county = unit_id(&app, &admin, "县综治中心").await;
    let township = unit_id(&app, &admin, "城关街道综治中心").await;
    let other_township = unit_id(&app, &admin, "桃源镇综治中心").await;
    let station = unit_id(&app, &admin, "幸福社区服务站").await;
    let before = app.count("SELECT count(*) FROM units WHERE parent_id IS NOT NULL");
    let put = |id: i64, body: Value| {
        let (app, admin) = (&app, &admin);
        async move { app.console_put(admin, &format!("/api/v1/console/units/{id}"), body).await }
    };
    for (id, parent, code) in [
        (county, station, "UNIT_TREE_CYCLE"),
        (township, township, "UNIT_TREE_CYCLE"),
        (township, station, "UNIT_TREE_CYCLE"),
        (station, other_township, "UNIT_UNKNOWN"),
        (station, county, "UNIT_UNKNOWN"),
        (station, 999_999, "UNIT_UNKNOWN"),
    ] {
        let (status, body) = put(id, json!({ "name": "改名测试", "parent_id": parent })).await;
        assert_eq!(
            (status, body["fields"][0]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code)),
            "{id} under {parent}: {body}"
        );
        assert!(body["fields"][0]["message"].as_str().unwrap().contains("单位"), "{body}");
    }
    assert_eq!(app.count("SELECT count(*) FROM units WHERE name = '改名测试'"), 0, "nothing stored");
    assert_eq!(app.count("SELECT count(*) FROM units WHERE parent_id IS NOT NULL"), before);
    let (status, body) = put(station, json!({ "name": "幸福社区党群服务站", "parent_id": township })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["name"], "幸福社区党群服务站");
    let clerk = app.sign_in("clerk").await;
    let (status, _) = app
        .console_put(
            &clerk,
            &format!("/api/v1/console/units/{station}"),
            json!({ "name": "x改名", "parent_id": township }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
