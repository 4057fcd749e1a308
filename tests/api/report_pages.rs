//! The pages written from the figures (issue 13): 工作月报, the A4 monthly report for
//! leaders and clerks (`/console/report`), and 政务公开, the public monthly figures per
//! township (`/open`): what they show, who may see them, and bad input.

use crate::figures::{figures, line};
use crate::helpers::{Signed, TestApp, spawn_app, spawn_app_with};
use crate::units::{case_at, unit_id};
use onewindow::clock;
use ow_shared::figures::{FigureId, add_months, period_containing};
use reqwest::{Method, StatusCode};

async fn page(app: &TestApp, who: Option<&Signed>, path: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let response = match who {
        Some(who) => app.console_request(who, Method::GET, path, false).send().await.unwrap(),
        None => app.get(path).await,
    };
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.text().await.unwrap())
}

fn header(headers: &reqwest::header::HeaderMap, name: &str) -> String {
    headers.get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// Makes a case overdue today (its current step was due long ago).
fn make_overdue(app: &TestApp, case_id: i64) {
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.execute("UPDATE cases SET due_on = '2026-01-05', acceptance_due_on = '2026-01-05' WHERE id = ?1", [case_id])
        .unwrap();
}

fn tracking_no(app: &TestApp, case_id: i64) -> String {
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.query_row("SELECT tracking_no FROM cases WHERE id = ?1", [case_id], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn the_monthly_report_shows_the_figures_charts_and_overdue_cases_of_the_unit() {
    let app = spawn_app().await;
    let county = app.sign_in("leader").await;
    let chengguan = app.sign_in("leader_chengguan").await;
    let (here, _) = case_at(&app, &county, ("城关街道", "幸福社区"), None).await;
    let (there, _) = case_at(&app, &county, ("桃源镇", "桃源村"), None).await;
    make_overdue(&app, here);
    make_overdue(&app, there);
    let month = clock::format_date(clock::date_of(clock::now_ms()))[..7].to_string();

    let (status, headers, html) = page(&app, Some(&county), &format!("/console/report?month={month}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    assert!(header(&headers, "content-security-policy").contains("script-src"), "the console's CSP");
    assert!(html.contains("县综治中心工作月报"), "{html}");
    for heading in ["主要指标", "环比", "同比", "近十二个月各渠道受理量", "超期未办结案件", "@media print", "size:A4"]
    {
        assert!(html.contains(heading), "{heading}");
    }
    assert!(!html.contains("<script"), "no script");
    // Every figure of the report, as the JSON figures of the month name it.
    let report = figures(&app, &county, None).await;
    for figure in &report.figures {
        assert!(html.contains(&format!("data-figure=\"{}\"", figure.id.code())), "{:?}", figure.id);
    }
    assert!(line(&report, FigureId::IntakeVisit).current.numerator >= 2);
    assert!(html.contains(&tracking_no(&app, here)) && html.contains(&tracking_no(&app, there)));
    assert!(html.contains("共 2 件"), "two overdue");
    assert!(!html.contains("13812345678") && !html.contains("张三"), "no personal data");

    // The township's leader: the township's overdue case only; another township refused.
    let (status, _, html) = page(&app, Some(&chengguan), "/console/report").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("城关街道综治中心工作月报"));
    assert!(html.contains(&tracking_no(&app, here)) && !html.contains(&tracking_no(&app, there)));
    let taoyuan = unit_id(&app, &county, "桃源镇综治中心").await;
    let (status, _, html) = page(&app, Some(&chengguan), &format!("/console/report?unit={taoyuan}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("无法打开工作月报"));
    let officer = app.sign_in("officer_zongzhi").await;
    assert_eq!(page(&app, Some(&officer), "/console/report").await.0, StatusCode::FORBIDDEN);
    let (status, _, html) = page(&app, None, "/console/report").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(html.contains("/console/signin"));
    for bad in ["2026-13", "2026-1", "next"] {
        let (status, _, html) = page(&app, Some(&county), &format!("/console/report?month={bad}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(html.contains("lang=\"zh-CN\""));
    }
}

/// Noon in Shanghai on the 10th of last month, in milliseconds.
fn last_month_ms() -> (i64, String) {
    let today = clock::date_of(clock::now_ms());
    let last = period_containing("month", add_months(period_containing("month", today).from, -1));
    let day = clock::add_days(last.from, 9);
    let ms = (day.midnight().assume_utc().unix_timestamp() + 4 * 3600) * 1000;
    (ms, clock::format_date(last.from)[..7].to_string())
}

/// Moves a case's registration to `at_ms` and, when rated, adds its reply then with
/// the rating.
fn move_to(app: &TestApp, case_id: i64, at_ms: i64, rating: Option<&str>) {
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.execute(
        "UPDATE cases SET created_at_ms = ?1, rating = ?2 WHERE id = ?3",
        rusqlite::params![at_ms, rating, case_id],
    )
    .unwrap();
    if rating.is_some() {
        conn.execute(
            "INSERT INTO case_events (case_id, at_ms, actor, unit, kind, to_state, public)
             VALUES (?1, ?2, '测试', '中心', 'replied', 'replied', 1)",
            rusqlite::params![case_id, at_ms + 1000],
        )
        .unwrap();
    }
}

/// The card of one place on the public page.
fn card<'a>(html: &'a str, name: &str) -> &'a str {
    html.split("<section").find(|s| s.contains(&format!("<h2>{name}</h2>"))).unwrap_or_else(|| panic!("{name}"))
}

#[tokio::test]
async fn the_public_page_shows_each_townships_month_without_personal_data_or_small_rates() {
    let app = spawn_app().await;
    let clerk = app.sign_in("leader").await;
    let (at, month) = last_month_ms();
    let ratings = [
        Some("satisfied"),
        Some("satisfied"),
        Some("basically_satisfied"),
        Some("satisfied"),
        Some("dissatisfied"),
        None,
    ];
    for rating in ratings {
        let (id, _) = case_at(&app, &clerk, ("城关街道", "幸福社区"), None).await;
        move_to(&app, id, at, rating);
    }
    let (id, _) = case_at(&app, &clerk, ("桃源镇", "桃源村"), None).await;
    move_to(&app, id, at, Some("satisfied"));
    // One of this month: not in last month's figures.
    case_at(&app, &clerk, ("桃源镇", "桃源村"), None).await;

    let (status, headers, html) = page(&app, None, "/open").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&headers, "cache-control"), "public, max-age=300");
    assert!(html.contains("lang=\"zh-CN\"") && !html.contains("<script"));
    let chengguan = card(&html, "城关街道");
    assert!(chengguan.contains("<dd>6 件</dd>"), "received: {chengguan}");
    assert!(chengguan.contains("<dd>5 件</dd>"), "completed: {chengguan}");
    assert!(chengguan.contains("<dd>80.0%</dd>"), "4 of 5 satisfied: {chengguan}");
    // 桃源镇: one case, one rating — too few to publish a rate.
    let taoyuan = card(&html, "桃源镇");
    assert!(taoyuan.contains("<dd>1 件</dd>") && taoyuan.contains("<dd>—</dd>"), "{taoyuan}");
    assert!(!taoyuan.contains('%'), "{taoyuan}");
    assert!(card(&html, "清河镇").contains("<dd>0 件</dd>"));
    assert!(html.contains(&format!("href=\"/open?month={month}\" aria-current=\"page\"")));
    for personal in ["张三", "13812345678", "138****5678", "邻里纠纷"] {
        assert!(!html.contains(personal), "{personal}");
    }
    // The same month by name, from what was kept.
    let (status, _, again) = page(&app, None, &format!("/open?month={month}")).await;
    assert_eq!((status, again == html), (StatusCode::OK, true));

    for bad in ["2020-01", "2099-01", "abc", "2026-1"] {
        let (status, _, html) = page(&app, None, &format!("/open?month={bad}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
        assert!(html.contains("最近 12 个月"), "{bad}");
    }
}

#[tokio::test]
async fn the_public_page_is_rate_limited_like_the_other_anonymous_reads() {
    let app = spawn_app_with(|config| config.limits.lookups_per_minute = 3).await;
    for _ in 0..3 {
        assert_eq!(page(&app, None, "/open").await.0, StatusCode::OK);
    }
    let (status, headers, html) = page(&app, None, "/open").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!header(&headers, "retry-after").is_empty());
    assert!(html.contains("role=\"alert\"") && html.contains("lang=\"zh-CN\""));
}
