//! The `.xlsx` exports (issue 13) read back with calamine: the figures table holds the
//! very numbers of the JSON figures, a case list the very cases of the queue, a title
//! written as a formula comes back as text, and the roles and units are those of the
//! JSON routes.

use crate::figures::{figures, this_period};
use crate::helpers::{Signed, TestApp, spawn_app};
use crate::units::{case_at, place, unit_id};
use calamine::{Data, Range, Reader, Xlsx};
use ow_shared::figures::FiguresReport;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::io::Cursor;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A download: status, Content-Type, Content-Disposition and the bytes.
async fn download(app: &TestApp, who: &Signed, path: &str) -> (StatusCode, String, String, Vec<u8>) {
    let response = app.console_request(who, Method::GET, path, false).send().await.unwrap();
    let header = |name: &str| {
        response.headers().get(name).map(|v| v.to_str().unwrap_or_default().to_string()).unwrap_or_default()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    (response.status(), content_type, disposition, response.bytes().await.unwrap().to_vec())
}

fn workbook(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).expect("an .xlsx file calamine can open")
}

/// The rows under the header row that starts with `first`.
fn table(range: &Range<Data>, first: &str) -> Vec<Vec<Data>> {
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let head = rows.iter().position(|r| r.first() == Some(&Data::String(first.into()))).expect("the header row");
    rows[head + 1..].to_vec()
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("not text: {other:?}"),
    }
}

fn figures_path((from, to): &(String, String), unit: Option<i64>) -> String {
    let unit = unit.map(|u| format!("&unit={u}")).unwrap_or_default();
    format!("/api/v1/console/figures.xlsx?from={from}&to={to}{unit}")
}

/// Every figure of the report is a row of 统计指标 with the same value, numerator and
/// denominator for each of the three periods.
fn assert_same_figures(report: &FiguresReport, bytes: Vec<u8>) {
    let mut book = workbook(bytes);
    let rows = table(&book.worksheet_range("统计指标").unwrap(), "指标");
    assert_eq!(rows.len(), report.figures.len());
    for (line, row) in report.figures.iter().zip(&rows) {
        assert_eq!(text(&row[0]), line.name);
        assert_eq!(text(&row[11]), line.id.code());
        for (col, value) in [(1, line.current), (4, line.previous), (7, line.last_year)] {
            match (value.denominator, value.per_mille) {
                (None, _) => assert_eq!(number(&row[col]), f64::from(value.numerator), "{:?}", line.id),
                (Some(_), None) => assert_eq!(text(&row[col]), "—", "{:?}", line.id),
                (Some(_), Some(p)) => {
                    assert!((number(&row[col]) - f64::from(p) / 1000.0).abs() < 1e-9, "{:?}", line.id)
                }
            }
            assert_eq!(number(&row[col + 1]), f64::from(value.numerator), "{:?}", line.id);
            match value.denominator {
                Some(d) => assert_eq!(number(&row[col + 2]), f64::from(d), "{:?}", line.id),
                None => assert_eq!(row[col + 2], Data::Empty),
            }
        }
    }
    let months = table(&book.worksheet_range("月度受理量").unwrap(), "月份");
    assert_eq!(months.len(), report.monthly_intake.len());
    for (month, row) in report.monthly_intake.iter().zip(&months) {
        assert_eq!(text(&row[0]), month.month);
        let counts: Vec<f64> = row[3..].iter().map(number).collect();
        assert_eq!(counts, month.by_channel.iter().map(|c| f64::from(c.count)).collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn the_figures_workbook_holds_the_numbers_of_the_json_figures() {
    let app = spawn_app().await;
    let county = app.sign_in("leader").await;
    let chengguan = app.sign_in("leader_chengguan").await;
    let (a, _) = case_at(&app, &county, ("城关街道", "幸福社区"), None).await;
    case_at(&app, &county, ("城关街道", "幸福社区"), None).await;
    case_at(&app, &county, ("桃源镇", "桃源村"), None).await;
    app.act_ok(&county, a, json!({ "action": "accept", "note": "" })).await;
    let period = this_period();

    let report = figures(&app, &county, None).await;
    let (status, content_type, disposition, bytes) = download(&app, &county, &figures_path(&period, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, XLSX);
    assert!(bytes.starts_with(b"PK"), "a zip");
    // 统计_县综治中心_<from>至<to>.xlsx, percent-encoded UTF-8, beside an ASCII name.
    let expected = format!("统计_县综治中心_{}至{}.xlsx", period.0, period.1);
    let encoded: String = expected
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    assert!(disposition.starts_with("attachment; filename=\"figures-"), "{disposition}");
    assert!(disposition.ends_with(&format!("filename*=UTF-8''{encoded}")), "{disposition}");
    assert_same_figures(&report, bytes);

    // A township's leader: their township, as the JSON says.
    let township = figures(&app, &chengguan, None).await;
    let (status, _, _, bytes) = download(&app, &chengguan, &figures_path(&period, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_same_figures(&township, bytes);
}

#[tokio::test]
async fn the_figures_workbook_answers_to_the_same_people_as_the_figures() {
    let app = spawn_app().await;
    let period = this_period();
    let county = app.sign_in("leader").await;
    let taoyuan = unit_id(&app, &county, "桃源镇综治中心").await;
    let chengguan = app.sign_in("leader_chengguan").await;
    assert_eq!(download(&app, &chengguan, &figures_path(&period, Some(taoyuan))).await.0, StatusCode::FORBIDDEN);
    let clerk = app.sign_in("clerk_taoyuan").await;
    assert_eq!(download(&app, &clerk, &figures_path(&period, Some(taoyuan))).await.0, StatusCode::OK);
    for who in ["officer_zongzhi", "grid_xingfu", "admin"] {
        let signed = app.sign_in(who).await;
        assert_eq!(download(&app, &signed, &figures_path(&period, None)).await.0, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(app.get(&figures_path(&period, None)).await.status(), StatusCode::UNAUTHORIZED);
    let (status, content_type, _, _) =
        download(&app, &county, "/api/v1/console/figures.xlsx?from=2026-03-31&to=2026-03-01").await;
    assert_eq!((status, content_type.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "application/json"));
    let path = figures_path(&period, Some(999_999));
    assert_eq!(download(&app, &county, &path).await.0, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A walk-in at 城关街道 幸福社区 with this title; its tracking number.
async fn walk_in_titled(app: &TestApp, who: &Signed, title: &str) -> String {
    let (township_id, village_id) = place(app, "城关街道", "幸福社区").await;
    let mut case = app.valid_request().await;
    (case.township_id, case.village_id) = (Some(township_id), Some(village_id));
    case.title = title.into();
    let (status, receipt) = app.post_walk_in(who, json!({ "case": case, "channel": "visit" })).await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    receipt["tracking_no"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_case_list_holds_the_queues_cases_with_formulas_as_text_and_no_personal_data() {
    let app = spawn_app().await;
    let county = app.sign_in("leader").await;
    let formula = "=HYPERLINK(\"http://example.com\",\"点我\")";
    let evil = walk_in_titled(&app, &county, formula).await;
    walk_in_titled(&app, &county, "+86 路灯不亮").await;
    case_at(&app, &county, ("桃源镇", "桃源村"), None).await;
    let mobile = app.valid_request().await.mobile;
    let (from, to) = this_period();

    // The cases behind a figure: the queue's total and tracking numbers, in its order.
    let behind = format!("figure=intake_visit&from={from}&to={to}");
    let (_, queue) = app.console_get(&county, &format!("/api/v1/console/cases?{behind}")).await;
    let (status, content_type, disposition, bytes) =
        download(&app, &county, &format!("/api/v1/console/cases.xlsx?{behind}")).await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, XLSX));
    assert!(disposition.contains("filename*=UTF-8''%E6%A1%88%E4%BB%B6%E6%B8%85%E5%8D%95_"), "案件清单_: {disposition}");
    let mut book = workbook(bytes);
    let range = book.worksheet_range("案件清单").unwrap();
    let rows = table(&range, "受理编号");
    assert_eq!(rows.len() as u64, queue["total"].as_u64().unwrap());
    let listed: Vec<String> = rows.iter().map(|r| text(&r[0])).collect();
    let queued: Vec<String> =
        queue["items"].as_array().unwrap().iter().map(|i| i["tracking_no"].as_str().unwrap().to_string()).collect();
    assert_eq!(listed, queued);
    // The formula is a string cell, the text as typed; the workbook has no formula at all.
    let row = rows.iter().find(|r| text(&r[0]) == evil).unwrap();
    assert_eq!(row[1], Data::String(formula.into()));
    assert!(rows.iter().any(|r| text(&r[1]) == "+86 路灯不亮"));
    let formulas = book.worksheet_formula("案件清单").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula cells");
    // Nothing the queue does not show: no mobile, whole or masked, and no name.
    for (_, _, cell) in range.used_cells() {
        let cell = cell.to_string();
        assert!(!cell.contains(&mobile) && !cell.contains("****") && !cell.contains("张三"), "{cell}");
    }

    // The queue's own filters, within what the caller sees: the township's leader gets
    // the township's cases; an officer none of them (none dispatched to them).
    let chengguan = app.sign_in("leader_chengguan").await;
    let (_, queue) = app.console_get(&chengguan, "/api/v1/console/cases?q=路灯").await;
    let (status, _, _, bytes) = download(&app, &chengguan, "/api/v1/console/cases.xlsx?q=路灯").await;
    assert_eq!(status, StatusCode::OK);
    let rows = table(&workbook(bytes).worksheet_range("案件清单").unwrap(), "受理编号");
    assert_eq!(rows.len() as u64, queue["total"].as_u64().unwrap());
    assert_eq!(rows.len(), 2, "the two of 城关街道, not 桃源镇's");
    let officer = app.sign_in("officer_zongzhi").await;
    let (status, _, _, bytes) = download(&app, &officer, "/api/v1/console/cases.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    assert!(table(&workbook(bytes).worksheet_range("案件清单").unwrap(), "受理编号").is_empty());

    // A figure's list: leaders and clerks only, within their units.
    assert_eq!(
        download(&app, &officer, &format!("/api/v1/console/cases.xlsx?{behind}")).await.0,
        StatusCode::FORBIDDEN
    );
    let taoyuan = unit_id(&app, &county, "桃源镇综治中心").await;
    let other = format!("/api/v1/console/cases.xlsx?{behind}&unit={taoyuan}");
    assert_eq!(download(&app, &chengguan, &other).await.0, StatusCode::FORBIDDEN);
    let admin = app.sign_in("admin").await;
    assert_eq!(download(&app, &admin, "/api/v1/console/cases.xlsx").await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/console/cases.xlsx").await.status(), StatusCode::UNAUTHORIZED);
    let (status, _, _, _) =
        download(&app, &county, "/api/v1/console/cases.xlsx?figure=intake_visit&from=2026-02-30&to=2026-03-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
