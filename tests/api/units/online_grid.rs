//! Cases know their grid when submitted online (issue 12): the grid page's
//! "在本网格反映诉求" link carries the grid, and the case stores it when it is a grid of
//! the village the request is about. A grid of another village, or none at all, is
//! dropped rather than refused: the request is taken in without a grid.

use crate::helpers::{TestApp, spawn_app};
use ow_shared::console::CaseDetail;
use ow_shared::dto::SubmitCaseRequest;

fn grid_id(app: &TestApp, code: &str) -> i64 {
    app.count(&format!("SELECT id FROM grids WHERE code = '{code}'"))
}

#[tokio::test]
async fn an_online_request_from_a_grid_page_stores_its_grid_and_a_wrong_one_is_dropped() {
    let app = spawn_app().await;
    // valid_request is about 桃源镇 桃源村, whose first grid is AL020101.
    let own = grid_id(&app, "AL020101");
    let elsewhere = grid_id(&app, "AL010101");
    let clerk = app.sign_in("clerk").await;
    for (grid, expected) in [(Some(own), Some(own)), (Some(elsewhere), None), (Some(999_999), None), (None, None)] {
        let receipt = app.submit(&SubmitCaseRequest { grid_id: grid, ..app.valid_request().await }).await;
        let id = app.case_id(&clerk, &receipt.tracking_no).await;
        let case: CaseDetail = serde_json::from_value(app.case_detail(&clerk, id).await.1).unwrap();
        assert_eq!(case.grid.map(|g| g.id), expected, "grid {grid:?}");
        let stored = app.count(&format!("SELECT coalesce(grid_id, 0) FROM cases WHERE id = {id}"));
        assert_eq!(stored, expected.unwrap_or(0));
    }
}

/// The templates of the texts a case sent, oldest first.
async fn texts(app: &TestApp, who: &crate::helpers::Signed, id: i64) -> Vec<(String, String)> {
    let (_, body) = app.console_get(who, &format!("/api/v1/console/cases/{id}/messages")).await;
    body.as_array()
        .unwrap()
        .iter()
        .map(|m| (m["template"].as_str().unwrap().to_string(), m["text"].as_str().unwrap_or_default().to_string()))
        .collect()
}

#[tokio::test]
async fn a_hand_over_that_changes_who_replies_texts_the_resident_the_unit_never_a_person() {
    let app = spawn_app().await;
    let receipt = app.submit(&app.valid_request().await).await;
    let township = app.sign_in("clerk_taoyuan").await;
    let id = app.case_id(&township, &receipt.tracking_no).await;
    let station = crate::units::unit_id(&app, &township, "桃源村服务站").await;
    app.act_ok(&township, id, crate::units::assign_down(station)).await;
    let sent = texts(&app, &township, id).await;
    let last = sent.last().unwrap();
    assert_eq!(last.0, "case_handed_over", "{sent:?}");
    assert!(last.1.contains("桃源村服务站") && last.1.contains(&receipt.tracking_no), "{}", last.1);
    assert!(!last.1.contains("桃源镇-"), "no staff name: {}", last.1);
    // 上报 to the county: the county replies now.
    let station_clerk = app.sign_in("station_taoyuan").await;
    let county = crate::units::unit_id(&app, &station_clerk, "县综治中心").await;
    app.act_ok(&station_clerk, id, crate::units::report_up(county)).await;
    let sent = texts(&app, &township, id).await;
    assert!(sent.last().unwrap().1.contains("县综治中心"), "{sent:?}");
    assert_eq!(sent.iter().filter(|(t, _)| t == "case_handed_over").count(), 2);
}
