//! Leaders' figures (issue 13) through the real API: who may see which unit's figures,
//! the counts from real walk-ins and acts, and bad periods refused.

use crate::helpers::{Signed, TestApp, error_code, spawn_app};
use crate::units::{case_at, unit_id};
use ow_shared::ErrorCode;
use ow_shared::figures::{FigureId, FigureLine, FigureValue, FiguresReport};
use reqwest::StatusCode;
use serde_json::json;

/// The period around today: a month back to a month ahead (Shanghai dates).
pub fn this_period() -> (String, String) {
    use onewindow::clock;
    let today = clock::date_of(clock::now_ms());
    (clock::format_date(clock::add_days(today, -30)), clock::format_date(clock::add_days(today, 30)))
}

pub async fn figures(app: &TestApp, who: &Signed, unit: Option<i64>) -> FiguresReport {
    let (from, to) = this_period();
    let unit = unit.map(|u| format!("&unit={u}")).unwrap_or_default();
    let (status, body) = app.console_get(who, &format!("/api/v1/console/figures?from={from}&to={to}{unit}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).unwrap()
}

pub fn line(report: &FiguresReport, id: FigureId) -> &FigureLine {
    report.figures.iter().find(|f| f.id == id).unwrap()
}

#[tokio::test]
async fn leaders_see_their_area_counted_from_the_cases() {
    let app = spawn_app().await;
    let county = app.sign_in("leader").await;
    let chengguan = app.sign_in("leader_chengguan").await;
    let (a, _) = case_at(&app, &county, ("城关街道", "幸福社区"), None).await;
    case_at(&app, &county, ("城关街道", "幸福社区"), None).await;
    case_at(&app, &county, ("桃源镇", "桃源村"), None).await;
    app.act_ok(&county, a, json!({ "action": "accept", "note": "" })).await;

    let all = figures(&app, &county, None).await;
    assert_eq!(line(&all, FigureId::IntakeVisit).current, FigureValue::count(3));
    assert_eq!(line(&all, FigureId::IntakeOnline).current, FigureValue::count(0));
    assert_eq!(line(&all, FigureId::AcceptanceOnTime).current, FigureValue::rate(1, 3));
    assert_eq!(line(&all, FigureId::IntakeVisit).last_year, FigureValue::count(0));
    assert!(line(&all, FigureId::Completion).definition.contains("办理期限"));
    assert_eq!(all.unit_name, "县综治中心");
    // The unit picker: the county leader may pick every unit, the township's leader
    // their township and its stations, a clerk their own unit only.
    assert_eq!(all.choices[0].name, "县综治中心");
    assert!(all.choices.iter().any(|u| u.name == "桃源镇综治中心"));

    // The township's leader: their township by default; the county leader may ask for it.
    let township = figures(&app, &chengguan, None).await;
    assert_eq!(line(&township, FigureId::IntakeVisit).current, FigureValue::count(2));
    assert_eq!(township.choices[0].id, township.unit_id);
    assert!(township.choices.iter().any(|u| u.name == "幸福社区服务站"));
    assert!(!township.choices.iter().any(|u| u.name.starts_with("桃源")), "{:?}", township.choices);
    let clerk = app.sign_in("clerk_taoyuan").await;
    assert_eq!(figures(&app, &clerk, None).await.choices.len(), 1);
    let asked = figures(&app, &county, Some(township.unit_id)).await;
    assert_eq!(asked.figures, township.figures);
    // A village station below it, asked for by the township's leader.
    let station = unit_id(&app, &county, "幸福社区服务站").await;
    assert_eq!(line(&figures(&app, &chengguan, Some(station)).await, FigureId::IntakeVisit).current.numerator, 2);
}

#[tokio::test]
async fn only_leaders_and_clerks_see_figures_and_clerks_only_their_unit() {
    let app = spawn_app().await;
    let (from, to) = this_period();
    let county = app.sign_in("leader").await;
    let taoyuan = unit_id(&app, &county, "桃源镇综治中心").await;
    let path = |unit: i64| format!("/api/v1/console/figures?from={from}&to={to}&unit={unit}");
    let chengguan = app.sign_in("leader_chengguan").await;
    assert_eq!(app.console_get(&chengguan, &path(taoyuan)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.console_get(&chengguan, &path(1)).await.0, StatusCode::FORBIDDEN);
    let clerk = app.sign_in("clerk_taoyuan").await;
    assert_eq!(app.console_get(&clerk, &path(taoyuan)).await.0, StatusCode::OK);
    assert_eq!(app.console_get(&clerk, &path(1)).await.0, StatusCode::FORBIDDEN);
    for who in ["officer_zongzhi", "grid_xingfu", "admin"] {
        let signed = app.sign_in(who).await;
        let (status, body) = app.console_get(&signed, &path(1)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, ErrorCode::Forbidden), "{who}");
    }
    let (status, _) = app.get_json(&path(1)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_periods_and_units_are_refused_with_the_field() {
    let app = spawn_app().await;
    let leader = app.sign_in("leader").await;
    for (query, field) in [
        ("from=2026-02-30&to=2026-03-31", "from"),
        ("from=2026-03-31&to=2026-03-01", "to"),
        ("from=2020-01-01&to=2026-03-01", "to"),
        ("from=2026-03-01&to=nonsense", "to"),
        ("from=2026-03-01&to=2026-03-31&unit=999999", "unit"),
    ] {
        let (status, body) = app.console_get(&leader, &format!("/api/v1/console/figures?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["fields"][0]["field"], field, "{query}: {body}");
    }
    let (status, _) = app.console_get(&leader, "/api/v1/console/figures?to=2026-03-31").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// The queue for this period with more of a query.
async fn queue(app: &TestApp, who: &Signed, query: &str) -> serde_json::Value {
    let (from, to) = this_period();
    let path = format!("/api/v1/console/cases?from={from}&to={to}&{query}");
    let (status, body) = app.console_get(who, &path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

#[tokio::test]
async fn every_number_opens_the_cases_it_counted() {
    let app = spawn_app().await;
    let county = app.sign_in("leader").await;
    let chengguan = app.sign_in("leader_chengguan").await;
    let (a, receipt) = case_at(&app, &county, ("城关街道", "幸福社区"), None).await;
    case_at(&app, &county, ("城关街道", "幸福社区"), None).await;
    case_at(&app, &county, ("桃源镇", "桃源村"), None).await;
    app.act_ok(&county, a, json!({ "action": "accept", "note": "" })).await;
    let report = figures(&app, &county, None).await;
    for figure in FigureId::ALL.into_iter().filter(|f| f.opens_cases()) {
        let value = line(&report, figure).current;
        let numerator = queue(&app, &county, &format!("figure={}", figure.code())).await;
        assert_eq!(numerator["total"], value.numerator, "{figure:?}");
        if let Some(denominator) = value.denominator {
            let listed = queue(&app, &county, &format!("figure={}&part=denominator", figure.code())).await;
            assert_eq!(listed["total"], denominator, "{figure:?}");
        }
    }
    let on_time = queue(&app, &county, "figure=acceptance_on_time").await;
    assert_eq!(on_time["items"][0]["tracking_no"], receipt.tracking_no.as_str());

    // A township's leader: the township's cases only; another township's refused.
    let township = queue(&app, &chengguan, "figure=intake_visit").await;
    assert_eq!(township["total"], 2);
    let taoyuan = unit_id(&app, &county, "桃源镇综治中心").await;
    let (from, to) = this_period();
    let path = format!("/api/v1/console/cases?figure=intake_visit&from={from}&to={to}&unit={taoyuan}");
    assert_eq!(app.console_get(&chengguan, &path).await.0, StatusCode::FORBIDDEN);
    let officer = app.sign_in("officer_zongzhi").await;
    assert_eq!(app.console_get(&officer, &path).await.0, StatusCode::FORBIDDEN);
    let (status, body) = app.console_get(&county, "/api/v1/console/cases?figure=intake_visit&to=2026-03-01").await;
    assert_eq!((status, body["fields"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("from")));
}
