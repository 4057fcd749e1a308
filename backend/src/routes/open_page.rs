//! `/open` 政务公开: a few figures of a month for every township — requests received,
//! completed, the on-time rate and satisfaction — for residents (issue 13). A page written
//! by the server (no script, its style inline), so that it costs the resident app's first
//! load nothing. Anonymous, so it is counted against the look-up rate limit; computed
//! once per month shown and kept for a few minutes; it holds no personal data, and a rate
//! over fewer than `MIN_DENOMINATOR` cases is not published (one or two ratings would
//! tell whose they were). It never answers a 5xx: while the figures cannot be read it
//! shows the last ones it had, or says to come back later.

use super::notice_page::escape;
use crate::db::{figures as figures_db, units};
use crate::error::AppError;
use crate::limits::Kind;
use crate::{AppState, clock};
use axum::Router;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use ow_shared::calendar;
use ow_shared::figures::{FigureId, FigureValue, FiguresReport, Period, add_months, period_containing};
use ow_shared::unit::Unit;
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::Date;

/// The page's route.
pub fn router() -> Router<AppState> {
    Router::new().route("/open", get(open_page))
}

/// A rate over fewer cases than this is shown as "—".
pub const MIN_DENOMINATOR: u32 = 5;
/// How many past months can be shown.
const MONTHS_SHOWN: i32 = 12;
/// How long a month's page is kept before it is counted again.
const FRESH_FOR: Duration = Duration::from_secs(600);
/// How long browsers and proxies may keep it.
const CACHE_CONTROL: &str = "public, max-age=300";
/// How long a request waits for the figures before the page says to come back later
/// (well within the server's request time limit; the counting goes on and is kept).
const WAIT_FOR: Duration = Duration::from_secs(10);

/// The pages counted, by month: when, and the HTML.
#[derive(Default)]
pub struct Cache {
    pages: Mutex<HashMap<String, (Instant, Arc<str>)>>,
    /// One count at a time: a crowd asking for a month not yet kept waits for one count.
    counting: tokio::sync::Mutex<()>,
}

impl Cache {
    fn get(&self, month: &str) -> Option<(Instant, Arc<str>)> {
        self.pages.lock().ok()?.get(month).cloned()
    }

    fn put(&self, month: &str, html: Arc<str>) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.insert(month.to_string(), (Instant::now(), html));
        }
    }
}

/// `?month=YYYY-MM`; the last whole month by default.
#[derive(Debug, Deserialize)]
pub struct Which {
    #[serde(default)]
    month: String,
}

/// One township's figures of the month.
struct Line {
    name: String,
    received: u32,
    completed: u32,
    on_time: FigureValue,
    satisfaction: FigureValue,
}

impl Line {
    fn of(name: String, report: &FiguresReport) -> Line {
        let value = |id: FigureId| report.figures.iter().find(|l| l.id == id).map(|l| l.current);
        let zero = FigureValue::rate(0, 0);
        Line {
            name,
            // 收到: every channel's intake.
            received: report
                .figures
                .iter()
                .filter(|l| l.id.intake_channel().is_some())
                .map(|l| l.current.numerator)
                .sum(),
            // 办结: replied to, or settled on the spot, in the month.
            completed: value(FigureId::RatingParticipation).and_then(|v| v.denominator).unwrap_or(0),
            on_time: value(FigureId::OnTimeCompletion).unwrap_or(zero),
            satisfaction: value(FigureId::Satisfaction).unwrap_or(zero),
        }
    }
}

const STYLE: &str = "body{font:18px/1.7 system-ui,\"PingFang SC\",\"Microsoft YaHei\",sans-serif;margin:0;color:#1a1a1a;background:#f6f7f9}\
main{max-width:40rem;margin:0 auto;padding:1rem;box-sizing:border-box}h1{font-size:1.5rem;margin:.5rem 0}\
h2{font-size:1.25rem;margin:0 0 .5rem}a{color:#0b5cad}.lead{margin-top:0}\
.town{background:#fff;border:1px solid #ccd;border-radius:8px;padding:.75rem 1rem;margin:1rem 0}\
.town.total{border-color:#0b5cad;border-width:2px}dl{display:grid;grid-template-columns:1fr 1fr;gap:.5rem 1rem;margin:0}\
dt{font-size:.9rem;color:#444}dd{margin:0;font-size:1.4rem;font-weight:700}\
.months{display:flex;flex-wrap:wrap;gap:.25rem .75rem;padding:0;list-style:none}.months a{display:inline-block;padding:.4rem 0;min-height:44px;box-sizing:border-box}\
.note{font-size:.95rem;color:#333}.error{color:#a4000f;font-weight:600}";

fn page(status: StatusCode, body: &str, cache_control: &'static str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>政务公开 - 一窗通办</title>\
         <meta name=\"description\" content=\"各乡镇（街道）群众诉求受理、办结、按期办结率和满意率，按月公开。\">\
         <style>{STYLE}</style></head><body>{body}</body></html>"
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    response
}

/// A message instead of the figures, with a way on.
fn notice(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<main><h1>政务公开</h1><p class=\"error\" role=\"alert\">{}</p>\
         <p><a href=\"/open\">查看最近一个月</a>　<a href=\"/\">返回首页</a></p></main>",
        escape(message)
    );
    page(status, &body, "no-store")
}

/// The month asked for, if it is a whole month of the last `MONTHS_SHOWN` before today's.
fn month_of(text: &str, today: Date) -> Option<Period> {
    let this_month = period_containing("month", today);
    let latest = period_containing("month", add_months(this_month.from, -1));
    if text.is_empty() {
        return Some(latest);
    }
    let first = (text.len() == 7).then(|| calendar::parse(&format!("{text}-01"))).flatten()?;
    let oldest = add_months(latest.from, -(MONTHS_SHOWN - 1));
    (oldest..=latest.from).contains(&first).then(|| period_containing("month", first))
}

async fn open_page(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(which): Query<Which>,
) -> Response {
    if let Err(refused) = state.rate_limits.check(Kind::Lookup, state.client_ip(peer, &headers)) {
        let message = refused.resident_message();
        let answer = refused.into_response();
        let mut page = notice(answer.status(), &message);
        if let Some(retry) = answer.headers().get(header::RETRY_AFTER) {
            page.headers_mut().insert(header::RETRY_AFTER, retry.clone());
        }
        return page;
    }
    let today = clock::date_of(clock::now_ms());
    let Some(month) = month_of(which.month.trim(), today) else {
        return notice(StatusCode::NOT_FOUND, "没有这个月份的公开数据：可查看最近 12 个月。");
    };
    let key = calendar::format(month.from)[..7].to_string();
    let cached = state.open_figures.get(&key);
    if let Some((at, html)) = &cached
        && at.elapsed() < FRESH_FOR
    {
        return page(StatusCode::OK, html, CACHE_CONTROL);
    }
    // Counted in a task of its own: a slow count goes on and is kept for the next visitor
    // even when this one is answered "later".
    let counting = tokio::spawn(count(state.clone(), key.clone(), month, today));
    match tokio::time::timeout(WAIT_FOR, counting).await {
        Ok(Ok(Ok(html))) => page(StatusCode::OK, &html, CACHE_CONTROL),
        answer => {
            if let Ok(Ok(Err(e))) = &answer {
                tracing::warn!(error = %e, "the public figures could not be counted");
            }
            match cached {
                Some((_, html)) => page(StatusCode::OK, &html, "no-store"),
                None => notice(StatusCode::OK, "数据正在统计，请稍后刷新再看。"),
            }
        }
    }
}

/// Counts a month's page (once, however many ask at the same time) and keeps it.
async fn count(state: AppState, key: String, month: Period, today: Date) -> Result<Arc<str>, AppError> {
    let _one_at_a_time = state.open_figures.counting.lock().await;
    if let Some((at, html)) = state.open_figures.get(&key)
        && at.elapsed() < FRESH_FOR
    {
        return Ok(html);
    }
    let places = state.places().await?;
    let townships: Vec<(i64, String)> = places.townships.iter().map(|t| (t.id, t.name.clone())).collect();
    let county_name = places.county.clone();
    let (total, lines) = state
        .db
        .read(move |conn| {
            let total = Line::of(county_name, &figures_db::report(conn, &units::county(conn)?, month, today)?);
            let mut lines = Vec::new();
            for (id, name) in townships {
                let Some(unit): Option<Unit> = units::township_centre(conn, id)? else { continue };
                lines.push(Line::of(name, &figures_db::report(conn, &unit, month, today)?));
            }
            Ok((total, lines))
        })
        .await?;
    let html: Arc<str> = Arc::from(render(month, today, &total, &lines));
    state.open_figures.put(&key, html.clone());
    Ok(html)
}

/// A rate as published: "—" over fewer than `MIN_DENOMINATOR` cases.
fn published(rate: &FigureValue) -> String {
    match rate.denominator {
        Some(d) if d >= MIN_DENOMINATOR => rate.display(),
        _ => "—".to_string(),
    }
}

fn card(line: &Line, class: &str) -> String {
    format!(
        "<section class=\"town{class}\"><h2>{}</h2><dl>\
         <div><dt>收到诉求</dt><dd>{} 件</dd></div><div><dt>办结</dt><dd>{} 件</dd></div>\
         <div><dt>按期办结率</dt><dd>{}</dd></div><div><dt>满意率</dt><dd>{}</dd></div></dl></section>",
        escape(&line.name),
        line.received,
        line.completed,
        published(&line.on_time),
        published(&line.satisfaction)
    )
}

fn render(month: Period, today: Date, total: &Line, lines: &[Line]) -> String {
    let label = |p: Period| format!("{}年{}月", p.from.year(), p.from.month() as u8);
    let mut html = format!(
        "<main><h1>政务公开：{}群众诉求办理情况</h1>\
         <p class=\"lead\">{} 至 {}，全县及各乡镇（街道）。每月初更新上一个月的数据。</p>",
        label(month),
        calendar::format(month.from),
        calendar::format(month.to)
    );
    html += &card(total, " total");
    for line in lines {
        html += &card(line, "");
    }
    let _ = write!(
        html,
        "<h2>说明</h2><ul class=\"note\">\
         <li>收到诉求：本月通过网上、来访、来电、来信和网格员上报登记的诉求。</li>\
         <li>办结：本月作出答复或就地化解的诉求。</li>\
         <li>按期办结率：办理期限在本月的诉求中，在期限内办结的比例；依法批准的延期计入期限。</li>\
         <li>满意率：本月答复且群众已评价的诉求中，评价为满意或基本满意的比例。</li>\
         <li>件数少于 {MIN_DENOMINATOR} 件的比率不公布（显示“—”），以免推断出个人的评价。</li></ul>"
    );
    html += "<h2>其他月份</h2><nav aria-label=\"其他月份\"><ul class=\"months\">";
    let latest = month_of("", today).map_or(month.from, |p| p.from);
    for back in 0..MONTHS_SHOWN {
        let first = add_months(latest, -back);
        let p = period_containing("month", first);
        let key = &calendar::format(first)[..7];
        if first == month.from {
            let _ = write!(html, "<li><a href=\"/open?month={key}\" aria-current=\"page\">{}</a></li>", label(p));
        } else {
            let _ = write!(html, "<li><a href=\"/open?month={key}\">{}</a></li>", label(p));
        }
    }
    html += "</ul></nav><p><a href=\"/\">返回一窗通办首页</a>　<a href=\"/track\">查进度</a></p></main>";
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_twelve_whole_months_are_shown() {
        let today = calendar::parse("2026-12-06").unwrap();
        let month = |text: &str| month_of(text, today).map(|p| calendar::format(p.from));
        assert_eq!(month(""), Some("2026-11-01".into()));
        assert_eq!(month("2025-12"), Some("2025-12-01".into()));
        for refused in ["2025-11", "2026-12", "2027-01", "2026-1", "abc", "2026-11-01"] {
            assert_eq!(month(refused), None, "{refused}");
        }
    }

    #[test]
    fn small_rates_are_not_published() {
        assert_eq!(published(&FigureValue::rate(3, 4)), "—");
        assert_eq!(published(&FigureValue::rate(4, 5)), "80.0%");
        assert_eq!(published(&FigureValue::rate(0, 0)), "—");
    }
}
