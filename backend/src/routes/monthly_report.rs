//! `/console/report?month=YYYY-MM&unit=…`: 工作月报, the monthly report a centre sends
//! upward (issue 13), as an A4 page written by the server (no script, its style inline,
//! as the written notices are): the headline figures with the month before and the same
//! month last year beside and the change against each, the last twelve months' intake
//! by channel and the month's rates as charts (SVG, each with its numbers as a table),
//! and the cases overdue on the day it is printed. For leaders (their unit and those
//! below) and clerks (their own unit), like the figures it is made of; generic over the
//! figures report, so a figure added there appears here too.

use super::notice_page::escape;
use crate::auth::Staff;
use crate::db::{figures as figures_db, queue, units};
use crate::error::AppError;
use crate::routes::console::{cases, figures};
use crate::{AppState, clock};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use ow_shared::calendar;
use ow_shared::console::{QueueItem, QueueQuery};
use ow_shared::figures::{FigureLine, FigureValue, FiguresReport, Period, add_months};
use ow_shared::staff::Role;
use ow_shared::workflow::Channel;
use ow_shared::{ErrorCode, FieldError};
use serde::Deserialize;
use std::fmt::Write as _;
use time::Date;

/// The page's route.
pub fn router() -> Router<AppState> {
    Router::new().route("/console/report", get(report_page))
}

/// `?month=YYYY-MM&unit=…`; this month and the caller's unit by default.
#[derive(Debug, Deserialize)]
pub struct Which {
    #[serde(default)]
    month: String,
    unit: Option<i64>,
}

/// The overdue cases listed at most (the count says how many there are).
const OVERDUE_LISTED: u32 = 200;

const STYLE: &str = "body{font:15px/1.6 system-ui,\"PingFang SC\",\"Microsoft YaHei\",sans-serif;margin:0;color:#1a1a1a;background:#f6f7f9}\
a{color:#0b5cad}.noprint{max-width:210mm;margin:0 auto;padding:1rem;box-sizing:border-box}\
.noprint form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}.noprint label{display:block;font-weight:600}\
input,select,button{font:inherit;max-width:100%;box-sizing:border-box}input,select{padding:.4rem;border:1px solid #666;border-radius:4px;background:#fff}\
button{padding:.5rem 1rem;border:0;border-radius:4px;background:#0b5cad;color:#fff;min-height:44px}\
.sheet{background:#fff;box-sizing:border-box;width:100%;max-width:210mm;margin:0 auto 2rem;padding:15mm;overflow-wrap:anywhere}\
h1{text-align:center;font-size:1.5rem;margin:0 0 .25rem}.sub{text-align:center;margin:0 0 1rem;color:#444}\
h2{font-size:1.1rem;margin:1.2rem 0 .5rem;border-bottom:2px solid #0b5cad}\
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}th,td{border:1px solid #999;padding:.2rem .35rem;text-align:left;vertical-align:top}\
th{background:#e8eef5}td.n{text-align:right;white-space:nowrap}.up{color:#1b5e20}.down{color:#a4000f}\
figure{margin:.5rem 0}figcaption{font-weight:600}svg{width:100%;height:auto;display:block}\
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:.25rem 0;font-size:.85rem}\
.sw{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:middle}.wrap{overflow-x:auto}\
.error{color:#a4000f;font-weight:600}\
@media (max-width:600px){.sheet{padding:1rem}}\
@page{size:A4;margin:12mm}@media print{body{background:#fff;font-size:11pt}.noprint{display:none}\
.sheet{max-width:none;padding:0;margin:0}h2{break-after:avoid}tr,figure{break-inside:avoid}.wrap{overflow:visible}}";

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} - 一窗通办</title>\
         <style>{STYLE}</style></head><body>{body}</body></html>",
        escape(title)
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], html)
        .into_response()
}

fn error_page(e: AppError) -> Response {
    let message = e.resident_message();
    let status = e.into_response().status();
    let sign_in =
        if status == StatusCode::UNAUTHORIZED { "<p><a href=\"/console/signin\">登录工作台</a></p>" } else { "" };
    page(
        status,
        "工作月报",
        &format!(
            "<main class=\"noprint\"><h1>无法打开工作月报</h1><p class=\"error\" role=\"alert\">{}</p>{sign_in}\
             <p><a href=\"/console/figures\">返回统计</a></p></main>",
            escape(&message)
        ),
    )
}

/// A `YYYY-MM` month as the period of its days; empty means this month.
fn month_of(text: &str, today: Date) -> Result<Period, AppError> {
    if text.is_empty() {
        return Ok(ow_shared::figures::period_containing("month", today));
    }
    let invalid = || AppError::Validation(vec![FieldError::new("month", ErrorCode::DateInvalid)]);
    let first = (text.len() == 7).then(|| calendar::parse(&format!("{text}-01"))).flatten().ok_or_else(invalid)?;
    Ok(ow_shared::figures::period_containing("month", first))
}

/// Everything the page shows.
struct Report {
    month: FiguresReport,
    /// The twelve months up to this one, for the intake chart.
    year: FiguresReport,
    overdue: (Vec<QueueItem>, u32),
    /// The units the caller may choose: id and name.
    units: Vec<(i64, String)>,
}

async fn report_page(
    State(state): State<AppState>,
    staff: Result<Staff, AppError>,
    Query(which): Query<Which>,
) -> Response {
    let now_ms = clock::now_ms();
    let today = clock::date_of(now_ms);
    let answer = async {
        let staff = staff?;
        staff.require(Role::CENTRE)?;
        let month = month_of(which.month.trim(), today)?;
        let scope = cases::scope(&staff);
        state
            .db
            .read(move |conn| {
                let unit = figures::permitted_unit(conn, &staff, which.unit)?;
                let year = Period { from: add_months(month.from, -11), to: month.to };
                let overdue_query = QueueQuery { due: Some("overdue".into()), ..QueueQuery::default() };
                let area = queue::area_clause(figures_db::area_of(&unit));
                let overdue = queue::all_within(conn, &overdue_query, scope, today, area, OVERDUE_LISTED)?;
                let mut choices = vec![(staff.unit.id, staff.unit.name.clone())];
                if staff.role == Role::Leader {
                    choices.extend(units::descendants(conn, staff.unit.id)?.into_iter().map(|u| (u.id, u.name)));
                }
                Ok(Report {
                    month: figures_db::report(conn, &unit, month, today)?,
                    year: figures_db::report(conn, &unit, year, today)?,
                    overdue,
                    units: choices,
                })
            })
            .await
    };
    match answer.await {
        Ok(report) => {
            let title = format!("{}工作月报（{}）", report.month.unit_name, month_label(&report.month.period.from));
            page(StatusCode::OK, &title, &render(&report, &title, today, now_ms))
        }
        Err(e) => error_page(e),
    }
}

/// "2026年11月" of a `YYYY-MM-DD`.
fn month_label(day: &str) -> String {
    let (year, month) = (day.get(..4).unwrap_or_default(), day.get(5..7).unwrap_or_default());
    format!("{year}年{}月", month.trim_start_matches('0'))
}

fn render(r: &Report, title: &str, today: Date, now_ms: i64) -> String {
    let m = &r.month;
    let mut html = controls(r);
    let _ = write!(
        html,
        "<main class=\"sheet\" id=\"report\"><h1>{}</h1><p class=\"sub\">{} 至 {}　编制单位：{}　生成时间：{}</p>",
        escape(title),
        m.period.from,
        m.period.to,
        escape(&m.unit_name),
        clock::format_minute(now_ms)
    );
    html += "<h2 id=\"r-headline\">一、主要指标</h2>";
    html += &headline(m);
    html += "<h2 id=\"r-charts\">二、图表</h2>";
    html += &intake_chart(&r.year);
    html += &rates_chart(m);
    let _ = write!(html, "<h2 id=\"r-overdue\">三、超期未办结案件（截至 {}）</h2>", calendar::format(today));
    html += &overdue(&r.overdue, today);
    html += "</main>";
    html
}

/// The form choosing the month and unit, and the ways out; not printed.
fn controls(r: &Report) -> String {
    let m = &r.month;
    let month = m.period.from.get(..7).unwrap_or_default();
    let options: String = r
        .units
        .iter()
        .map(|(id, name)| {
            let selected = if *id == m.unit_id { " selected" } else { "" };
            format!("<option value=\"{id}\"{selected}>{}</option>", escape(name))
        })
        .collect();
    format!(
        "<div class=\"noprint\"><form method=\"get\" action=\"/console/report\">\
         <div><label for=\"r-month\">月份</label><input type=\"month\" id=\"r-month\" name=\"month\" value=\"{month}\" required></div>\
         <div><label for=\"r-unit\">单位</label><select id=\"r-unit\" name=\"unit\">{options}</select></div>\
         <div><button type=\"submit\" id=\"r-go\">查看</button></div></form>\
         <p>请使用浏览器的“打印”功能打印或另存为 PDF（A4）。\
         <a id=\"r-xlsx\" href=\"/api/v1/console/figures.xlsx?from={}&amp;to={}&amp;unit={}\" download>导出 Excel</a>　\
         <a href=\"/console/figures\">返回统计</a></p></div>",
        m.period.from, m.period.to, m.unit_id
    )
}

/// A figure's value as shown.
fn shown(value: &FigureValue) -> String {
    value.display()
}

/// The change from `before` to `now`: percentage points for a rate, per cent for a
/// count; "—" where there is nothing to compare with.
fn change(now: &FigureValue, before: &FigureValue) -> (String, &'static str) {
    let signed = |delta: i64, unit: &str| -> (String, &'static str) {
        let class = match delta.signum() {
            1 => "up",
            -1 => "down",
            _ => "",
        };
        if delta == 0 {
            return ("持平".into(), class);
        }
        let sign = if delta > 0 { "+" } else { "−" };
        let abs = delta.unsigned_abs();
        (format!("{sign}{}.{}{unit}", abs / 10, abs % 10), class)
    };
    match (now.denominator, now.per_mille, before.per_mille) {
        (Some(_), Some(a), Some(b)) => signed(i64::from(a) - i64::from(b), "个百分点"),
        (Some(_), _, _) => ("—".into(), ""),
        (None, _, _) if before.numerator == 0 => ("—".into(), ""),
        (None, _, _) => {
            let (a, b) = (i64::from(now.numerator), i64::from(before.numerator));
            // Tenths of a per cent, rounded half away from zero.
            let d = a - b;
            let tenths = (d * 2000 + d.signum() * b) / (2 * b);
            signed(tenths, "%")
        }
    }
}

fn headline(m: &FiguresReport) -> String {
    let mut html = format!(
        "<div class=\"wrap\"><table id=\"r-figures\"><caption class=\"sub\">本月 {} 至 {}；上月 {} 至 {}；去年同月 {} 至 {}</caption>\
         <thead><tr><th scope=\"col\">指标</th><th scope=\"col\">本月</th><th scope=\"col\">上月</th><th scope=\"col\">环比</th>\
         <th scope=\"col\">去年同月</th><th scope=\"col\">同比</th></tr></thead><tbody>",
        m.period.from, m.period.to, m.previous.from, m.previous.to, m.last_year.from, m.last_year.to
    );
    for line in &m.figures {
        html += &headline_row(line);
    }
    html + "</tbody></table></div>"
}

fn headline_row(line: &FigureLine) -> String {
    let (mom, mom_class) = change(&line.current, &line.previous);
    let (yoy, yoy_class) = change(&line.current, &line.last_year);
    let parts = |v: &FigureValue| match v.denominator {
        Some(d) => format!("{}<br><small>{}/{d}</small>", shown(v), v.numerator),
        None => shown(v),
    };
    format!(
        "<tr data-figure=\"{}\"><th scope=\"row\" title=\"{}\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td>\
         <td class=\"n {mom_class}\">{mom}</td><td class=\"n\">{}</td><td class=\"n {yoy_class}\">{yoy}</td></tr>",
        line.id.code(),
        escape(&line.definition),
        escape(&line.name),
        parts(&line.current),
        parts(&line.previous),
        parts(&line.last_year),
    )
}

/// The channels' colours (as the console's chart), ≥ 3:1 on white.
fn colour(channel: Channel) -> &'static str {
    match channel {
        Channel::Visit => "#1f5fa8",
        Channel::Phone => "#b35900",
        Channel::Letter => "#2e7d32",
        Channel::Online => "#6a3d9a",
        Channel::Grid => "#b0003a",
    }
}

/// The last twelve months' intake, stacked by channel, with the numbers as a table.
fn intake_chart(year: &FiguresReport) -> String {
    let months = &year.monthly_intake;
    let total = |i: usize| months[i].by_channel.iter().map(|c| c.count).sum::<u32>();
    let max = (0..months.len()).map(total).max().unwrap_or(0).max(1);
    let (width, height, top, bottom) = (640u32, 200u32, 16u32, 20u32);
    let slot = width / months.len().max(1) as u32;
    let bar = slot * 3 / 5;
    let plot = height - top - bottom;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"r-intake-title\" id=\"r-intake-chart\">\
         <title id=\"r-intake-title\">近十二个月各渠道受理量（数字见下表）</title>\
         <line x1=\"0\" y1=\"{y}\" x2=\"{width}\" y2=\"{y}\" stroke=\"#666\"/>",
        y = height - bottom
    );
    for (i, month) in months.iter().enumerate() {
        let x = i as u32 * slot + (slot - bar) / 2;
        let mut y = height - bottom;
        for c in &month.by_channel {
            let h = c.count * plot / max;
            y -= h;
            if h > 0 {
                let _ = write!(
                    svg,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{h}\" fill=\"{}\"/>",
                    colour(c.channel)
                );
            }
        }
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            x + bar / 2,
            height - 5,
            month.month.get(5..).unwrap_or_default(),
            x + bar / 2,
            y.saturating_sub(3).max(11),
            total(i)
        );
    }
    svg += "</svg>";
    let legend: String = Channel::ALL
        .iter()
        .map(|c| format!("<li><span class=\"sw\" style=\"background:{}\"></span>{}</li>", colour(*c), c.label()))
        .collect();
    let heads: String = Channel::ALL.iter().map(|c| format!("<th scope=\"col\">{}</th>", c.label())).collect();
    let rows: String = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let cells: String = m.by_channel.iter().map(|c| format!("<td class=\"n\">{}</td>", c.count)).collect();
            format!("<tr><th scope=\"row\">{}</th>{cells}<td class=\"n\">{}</td></tr>", m.month, total(i))
        })
        .collect();
    format!(
        "<figure id=\"r-intake\"><figcaption>图1　近十二个月各渠道受理量</figcaption>{svg}\
         <ul class=\"legend\" aria-hidden=\"true\">{legend}</ul><div class=\"wrap\"><table id=\"r-intake-table\">\
         <thead><tr><th scope=\"col\">月份</th>{heads}<th scope=\"col\">合计</th></tr></thead><tbody>{rows}</tbody></table></div></figure>"
    )
}

/// The month's rates beside the month before and the same month last year, as bars.
fn rates_chart(m: &FiguresReport) -> String {
    let rates: Vec<&FigureLine> = m.figures.iter().filter(|l| l.current.denominator.is_some()).collect();
    let series = [("本月", "#0b5cad"), ("上月", "#767676"), ("去年同月", "#b35900")];
    let (label_w, width, row_h, bar_h) = (110u32, 640u32, 42u32, 11u32);
    let plot = width - label_w - 50;
    let height = row_h * rates.len().max(1) as u32 + 4;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"r-rates-title\" id=\"r-rates-chart\">\
         <title id=\"r-rates-title\">本月主要比率与上月、去年同月对比（数字见表一）</title>"
    );
    for (i, line) in rates.iter().enumerate() {
        let y0 = i as u32 * row_h + 2;
        let _ = write!(svg, "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text>", y0 + 20, escape(&line.name));
        for (j, (value, (_, fill))) in [line.current, line.previous, line.last_year].iter().zip(series).enumerate() {
            let y = y0 + j as u32 * (bar_h + 2);
            let w = value.per_mille.map_or(0, |p| p.min(1000) * plot / 1000);
            let _ = write!(
                svg,
                "<rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{bar_h}\" fill=\"{fill}\"/>\
                 <text x=\"{}\" y=\"{}\" font-size=\"10\">{}</text>",
                label_w + w + 4,
                y + bar_h - 1,
                shown(value)
            );
        }
    }
    svg += "</svg>";
    let legend: String = series
        .iter()
        .map(|(name, fill)| format!("<li><span class=\"sw\" style=\"background:{fill}\"></span>{name}</li>"))
        .collect();
    format!(
        "<figure id=\"r-rates\"><figcaption>图2　本月主要比率与上月、去年同月对比</figcaption>{svg}\
         <ul class=\"legend\" aria-hidden=\"true\">{legend}</ul></figure>"
    )
}

/// The cases overdue today, in the queue's order (the longest overdue first).
fn overdue((items, total): &(Vec<QueueItem>, u32), today: Date) -> String {
    if items.is_empty() {
        return "<p id=\"r-overdue-none\">无超期未办结案件。</p>".into();
    }
    let more = if (items.len() as u32) < *total {
        format!("，以下列出超期最久的 {} 件", items.len())
    } else {
        String::new()
    };
    let mut html = format!(
        "<p id=\"r-overdue-count\">共 {total} 件{more}。</p><div class=\"wrap\"><table id=\"r-overdue-table\"><thead><tr>\
         <th scope=\"col\">受理编号</th><th scope=\"col\">标题</th><th scope=\"col\">地点</th><th scope=\"col\">办理期限</th>\
         <th scope=\"col\">超期天数</th><th scope=\"col\">承办单位</th><th scope=\"col\">承办部门</th></tr></thead><tbody>"
    );
    for item in items {
        let due = item.due_on.as_deref().unwrap_or_default();
        let days = calendar::parse(due).map(|d| calendar::days_between(d, today)).unwrap_or_default();
        let departments = if item.departments.is_empty() { "—".to_string() } else { item.departments.join("、") };
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td><td class=\"n\">{days}</td><td>{}</td><td>{}</td></tr>",
            escape(&item.tracking_no),
            escape(&item.title),
            escape(&item.township),
            escape(&item.village),
            escape(due),
            escape(&item.unit),
            escape(&departments)
        );
    }
    html + "</tbody></table></div>"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_points_for_rates_and_per_cent_for_counts() {
        let rate = FigureValue::rate;
        assert_eq!(change(&rate(3, 4), &rate(1, 2)).0, "+25.0个百分点");
        assert_eq!(change(&rate(1, 3), &rate(1, 2)).0, "−16.7个百分点");
        assert_eq!(change(&rate(1, 2), &rate(0, 0)).0, "—");
        assert_eq!(change(&rate(1, 2), &rate(2, 4)).0, "持平");
        let count = FigureValue::count;
        assert_eq!(change(&count(9), &count(8)).0, "+12.5%");
        assert_eq!(change(&count(2), &count(3)).0, "−33.3%");
        assert_eq!(change(&count(5), &count(0)).0, "—");
    }

    #[test]
    fn a_month_is_parsed_or_refused() {
        let today = calendar::parse("2026-12-06").unwrap();
        assert_eq!(calendar::format(month_of("2026-02", today).unwrap().to), "2026-02-28");
        assert_eq!(calendar::format(month_of("", today).unwrap().from), "2026-12-01");
        for bad in ["2026-13", "2026-2", "abc", "2026-02-01"] {
            assert!(month_of(bad, today).is_err(), "{bad}");
        }
        assert_eq!(month_label("2026-03-01"), "2026年3月");
    }
}
