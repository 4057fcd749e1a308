//! A grid worker in the field (issue 12): a report from a round with the phone's GPS
//! becomes a case of channel 网格上报 in the township centre's queue with its grid; a
//! dispute settled on the spot a case closed at grid level; retries answer the same
//! case; a fix outside every grid is refused and nothing is stored.

use crate::grids::{centre, demo_feature, rings};
use crate::helpers::{Signed, TestApp, new_key, spawn_app};
use ow_shared::console::CaseDetail;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn post_report(app: &TestApp, who: &Signed, key: &str, body: &Value) -> (StatusCode, bool, Value) {
    let response = app
        .console_request(who, Method::POST, "/api/v1/console/grid-reports", true)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let replayed = response.headers().contains_key("idempotent-replayed");
    (response.status(), replayed, response.json().await.unwrap_or(Value::Null))
}

fn report(at: (f64, f64)) -> Value {
    json!({ "case_type": "dispute", "title": "邻里漏水纠纷", "description": "三楼住户漏水到二楼，双方争执。",
            "people": "二楼王某、三楼李某", "lon": at.0, "lat": at.1, "address": "幸福小区3栋" })
}

#[tokio::test]
async fn a_report_from_the_round_lands_in_the_township_centres_queue_with_its_grid() {
    let app = spawn_app().await;
    let worker = app.sign_in("grid_xingfu").await;
    let here = centre(&rings(&demo_feature("AL010101"))[0][0]);
    let key = new_key();
    let (status, replayed, receipt) = post_report(&app, &worker, &key, &report(here)).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, false), "{receipt}");
    // A weak signal: the same report sent again is the same case.
    let (status, replayed, again) = post_report(&app, &worker, &key, &report(here)).await;
    assert_eq!((status, replayed, &again["tracking_no"]), (StatusCode::CREATED, true, &receipt["tracking_no"]));
    assert_eq!(app.count("SELECT count(*) FROM cases WHERE channel = 'grid'"), 1);

    let township = app.sign_in("clerk_chengguan").await;
    let tracking_no = receipt["tracking_no"].as_str().unwrap();
    let id = app.case_id(&township, tracking_no).await;
    let case: CaseDetail = serde_json::from_value(app.case_detail(&township, id).await.1).unwrap();
    assert_eq!(case.channel, ow_shared::workflow::Channel::Grid);
    assert_eq!(case.unit.unwrap().name, "城关街道综治中心");
    assert_eq!(case.grid.unwrap().name, "幸福社区第1网格");
    assert_eq!(case.events[0].kind, ow_shared::case::EventKind::GridReported);
    assert!(case.description.contains("二楼王某"));
    let (_, page) = app.console_get(&worker, "/api/v1/console/cases").await;
    assert!(
        page["items"].as_array().unwrap().iter().any(|c| c["tracking_no"] == tracking_no),
        "in the worker's list too"
    );
}

#[tokio::test]
async fn a_dispute_settled_on_the_spot_is_a_case_closed_at_grid_level() {
    let app = spawn_app().await;
    let worker = app.sign_in("grid_xingfu").await;
    let mut body = report(centre(&rings(&demo_feature("AL010101"))[0][0]));
    body["settled"] = json!({ "parties": "二楼王某、三楼李某", "agreement": "李某负责修复防水，赔偿王某500元" });
    let (status, _, receipt) = post_report(&app, &worker, &new_key(), &body).await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    let township = app.sign_in("clerk_chengguan").await;
    let id = app.case_id(&township, receipt["tracking_no"].as_str().unwrap()).await;
    let case: CaseDetail = serde_json::from_value(app.case_detail(&township, id).await.1).unwrap();
    assert_eq!(case.state, ow_shared::CaseState::Closed);
    assert!(case.resolved_on_spot);
    assert_eq!(
        app.count("SELECT count(*) FROM cases WHERE resolved_on_spot = 1 AND channel = 'grid'"),
        1,
        "counted apart"
    );
}

#[tokio::test]
async fn a_report_outside_every_grid_or_by_anyone_else_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let worker = app.sign_in("grid_xingfu").await;
    for at in [(107.35, 27.875), (116.4, 39.9)] {
        let (status, _, body) = post_report(&app, &worker, &new_key(), &report(at)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["fields"][0]["code"], "GRID_UNKNOWN");
        assert!(body["fields"][0]["message"].as_str().unwrap().contains("网格"));
    }
    let (status, _, body) = post_report(
        &app,
        &worker,
        &new_key(),
        &json!({ "case_type": "dispute", "title": "",
        "description": "", "grid_id": 999_999 }),
    )
    .await;
    assert_eq!((status, body["fields"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("GRID_UNKNOWN")));
    let (status, _, body) = post_report(
        &app,
        &worker,
        &new_key(),
        &json!({ "case_type": "dispute", "title": "",
        "description": "" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"title") && fields.contains(&"description"), "{fields:?}");
    let clerk = app.sign_in("clerk_chengguan").await;
    let (status, _, _) = post_report(&app, &clerk, &new_key(), &report((107.35, 27.875))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, body) = post_report(&app, &worker, "", &report((107.35, 27.875))).await;
    assert!(status.is_client_error(), "{body}");
    assert_eq!(app.count("SELECT count(*) FROM cases"), 0);
}
