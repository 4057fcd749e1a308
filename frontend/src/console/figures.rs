//! `/console/figures` 统计: leaders' figures (issue 13) for a period — month, quarter,
//! year or any range — with the previous period and the same period last year beside;
//! each definition as the figure's tooltip; every number a link to the queue showing
//! exactly the cases it counted; monthly intake by channel as an SVG chart with its
//! numbers as a table too.

use crate::console::api::{self, use_api};
use crate::console::paths;
use crate::console::ui::page_title;
use crate::load::Loaded;
use leptos::prelude::*;
use ow_shared::figures::{
    FigureId, FigureKind, FigureLine, FigurePart, FigureSection, FigureValue, FiguresReport, MonthlyIntake, PeriodDto,
};
use ow_shared::unit::{UnitLevel, UnitRef};
use ow_shared::workflow::Channel;

/// The queue listing the cases behind one side of a figure.
pub fn queue_link(figure: FigureId, part: FigurePart, period: &PeriodDto, unit: i64) -> String {
    let part = match part {
        FigurePart::Numerator => "numerator",
        FigurePart::Denominator => "denominator",
    };
    format!("{}?figure={}&part={part}&from={}&to={}&unit={unit}", paths::QUEUE, figure.code(), period.from, period.to)
}

/// The figure filter of a queue address (`figure`, `part`, `from`, `to`, `unit`), as a
/// query string for the API; empty when it has none.
pub fn behind_query(location: &str) -> String {
    let search = location.split_once('?').map(|(_, s)| s).unwrap_or_default();
    let keep = ["figure", "part", "from", "to", "unit"];
    let pairs: Vec<&str> =
        search.split('&').filter(|p| keep.contains(&p.split('=').next().unwrap_or_default())).collect();
    if pairs.iter().any(|p| p.starts_with("figure=")) { pairs.join("&") } else { String::new() }
}

/// What the queue says it shows for a figure filter: "按期办结率（分子）2026-03-01 至 2026-03-31".
pub fn behind_label(query: &str) -> String {
    let get = |key: &str| {
        query.split('&').find_map(|p| p.strip_prefix(key).and_then(|v| v.strip_prefix('='))).unwrap_or_default()
    };
    let name = FigureId::from_code(get("figure")).map(|f| f.definition().name).unwrap_or("指标");
    let part = if get("part") == "denominator" { "（分母）" } else { "" };
    format!("{name}{part}：{} 至 {}", get("from"), get("to"))
}

/// The first and last day of today's month, quarter or year.
fn preset(kind: &str) -> (String, String) {
    let today = ow_shared::calendar::parse(&crate::browser::today());
    today
        .map(|day| ow_shared::figures::period_containing(kind, day))
        .map(|p| (ow_shared::calendar::format(p.from), ow_shared::calendar::format(p.to)))
        .unwrap_or_default()
}

/// The figures page.
pub fn figures_page() -> impl IntoView {
    page_title("统计");
    let api = use_api();
    let (from0, to0) = preset("month");
    let from = RwSignal::new(from0);
    let to = RwSignal::new(to0);
    let kind = RwSignal::new("month".to_string());
    // The unit asked for; empty for the caller's own.
    let unit = RwSignal::new(String::new());
    let choices = RwSignal::new(Vec::<UnitRef>::new());
    let result = Loaded::<FiguresReport>::new();
    let load = move || {
        let mut query = format!("from={}&to={}", api::encode(&from.get_untracked()), api::encode(&to.get_untracked()));
        let chosen = unit.get_untracked();
        if !chosen.is_empty() {
            query.push_str(&format!("&unit={}", api::encode(&chosen)));
        }
        result.reload_quietly(async move {
            let report = api.figures(&query).await;
            if let Ok(r) = &report {
                choices.set(r.choices.clone());
            }
            report
        });
    };
    load();
    let choose = move |k: &'static str| {
        kind.set(k.to_string());
        if k != "range" {
            let (f, t) = preset(k);
            from.set(f);
            to.set(t);
            load();
        }
    };
    let kind_button = move |id: &'static str, k: &'static str, label: &'static str| {
        view! {
            <button type="button" id=id class="c-button" aria-pressed=move || (kind.get() == k).to_string()
                on:click=move |_| choose(k)>{label}</button>
        }
    };
    view! {
        <h1>"统计"</h1>
        <form class="c-fig-period" aria-label="统计期间" on:submit=move |ev| { ev.prevent_default(); load(); }>
            <div class="c-fig-kinds" role="group" aria-label="期间">
                {kind_button("c-fig-month", "month", "本月")}
                {kind_button("c-fig-quarter", "quarter", "本季度")}
                {kind_button("c-fig-year", "year", "本年")}
                {kind_button("c-fig-range", "range", "自定义")}
            </div>
            <div class="c-filter-grid">
                <div class="field">
                    <label for="c-fig-from">"起始日期"</label>
                    <input type="date" id="c-fig-from" bind:value=from on:input=move |_| kind.set("range".into()) />
                </div>
                <div class="field">
                    <label for="c-fig-to">"截止日期"</label>
                    <input type="date" id="c-fig-to" bind:value=to on:input=move |_| kind.set("range".into()) />
                </div>
                <div class="field">
                    <label for="c-fig-unit">"单位"</label>
                    <select id="c-fig-unit" on:change=move |ev| { unit.set(event_target_value(&ev)); load(); }>
                        {move || unit_options(&choices.get(), &unit.get_untracked())}
                    </select>
                </div>
                <div class="field">
                    <button type="submit" id="c-fig-go" class="c-button c-button-primary">"查询"</button>
                </div>
            </div>
        </form>
        <div id="c-figures" aria-live="polite" aria-busy=move || result.with(Option::is_none).to_string()>
            {result.view("c-fig-load", load, report)}
        </div>
    }
}

/// The unit picker's options: the units the caller may see, indented by level.
fn unit_options(choices: &[UnitRef], chosen: &str) -> impl IntoView + use<> {
    choices
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let indent = match u.level {
                UnitLevel::County => "",
                UnitLevel::Township => "　",
                UnitLevel::Village => "　　",
            };
            // The first choice is the caller's own unit, asked for with no `unit`.
            let value = if i == 0 { String::new() } else { u.id.to_string() };
            let selected = value == chosen;
            view! { <option value=value selected=selected>{format!("{indent}{}", u.name)}</option> }
        })
        .collect_view()
}

fn report(report: FiguresReport) -> impl IntoView {
    let unit = report.unit_id;
    let periods = (report.period.clone(), report.previous.clone(), report.last_year.clone());
    let mut rows = Vec::new();
    for section in FigureSection::ALL {
        let lines: Vec<_> = report.figures.iter().filter(|l| l.section == section).cloned().collect();
        if lines.is_empty() {
            continue;
        }
        rows.push(
            view! {
                <tr class="c-fig-section"><th colspan="4" scope="colgroup">{section.label()}</th></tr>
            }
            .into_any(),
        );
        rows.extend(lines.into_iter().map(|line| row(line, &periods, unit).into_any()));
    }
    let heads = ["指标", "本期", "上期", "去年同期"];
    view! {
        <p id="c-fig-scope">
            {format!(
                "{}　本期 {} 至 {}；上期 {} 至 {}；去年同期 {} 至 {}",
                report.unit_name, periods.0.from, periods.0.to, periods.1.from, periods.1.to, periods.2.from, periods.2.to
            )}
        </p>
        <p class="c-hint">"指标名称上悬停或聚焦可查看口径；点击数字查看对应案件。"</p>
        {outputs(&periods.0, unit)}
        <div class="c-table-wrap">
            <table class="c-table c-fig-table" id="c-fig-table">
                <caption class="visually-hidden">"统计指标"</caption>
                <thead><tr>{heads.map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {chart(report.monthly_intake, unit)}
    }
}

/// 导出 Excel (the table as .xlsx, a download) and 工作月报 (the A4 monthly report of the
/// period's first month, a page of its own written by the server).
fn outputs(period: &PeriodDto, unit: i64) -> impl IntoView + use<> {
    let xlsx = format!("{}?from={}&to={}&unit={unit}", api::FIGURES_EXPORT, period.from, period.to);
    let month = period.from.get(..7).unwrap_or_default();
    let report = format!("{}?month={month}&unit={unit}", paths::REPORT);
    view! {
        <p class="c-fig-outputs">
            <a id="c-fig-export" class="c-button c-link-button" href=xlsx download>"导出 Excel"</a>
            " "
            <a id="c-fig-report" class="c-button c-link-button" href=report rel="external">{format!("{month} 工作月报（打印）")}</a>
        </p>
    }
}

fn row(line: FigureLine, periods: &(PeriodDto, PeriodDto, PeriodDto), unit: i64) -> impl IntoView + use<> {
    let (current, previous, last_year) = periods;
    let id = line.id;
    let cell = move |label: &'static str, value: FigureValue, period: &PeriodDto| {
        let number = number(id, value, period.clone(), unit);
        view! { <td data-label=label><span class="c-cell">{number}</span></td> }
    };
    view! {
        <tr class="c-fig-row" data-figure=id.code()>
            <th scope="row" data-label="指标">
                <span class="c-cell">
                    <span class="c-fig-name" tabindex="0" title=line.definition.clone()>{line.name}</span>
                    <span class="visually-hidden">{format!("（口径：{}）", line.definition)}</span>
                </span>
            </th>
            {cell("本期", line.current, current)}
            {cell("上期", line.previous, previous)}
            {cell("去年同期", line.last_year, last_year)}
        </tr>
    }
}

/// A figure's value as links: a rate to its numerator's cases, with "n/d" beside where
/// both open their cases; a count to its cases; days to the cases they are of. Figures
/// of bookings and legal-aid applications are plain numbers (no list of them to open).
fn number(id: FigureId, value: FigureValue, period: PeriodDto, unit: i64) -> AnyView {
    if !id.opens_cases() {
        let parts = value.denominator.map(|d| format!(" ({}/{d})", value.numerator));
        return view! { <span class="c-fig-value">{value.display()}</span>{parts} }.into_any();
    }
    let link = |part| queue_link(id, part, &period, unit);
    let main = view! { <a class="c-fig-value" href=link(FigurePart::Numerator)>{value.display()}</a> };
    if id.kind() == FigureKind::Days {
        let cases = view! {
            " ("<a class="c-fig-num" href=link(FigurePart::Numerator) aria-label=format!("{} 件", value.numerator)>
                {format!("{}件", value.numerator)}
            </a>")"
        };
        return view! { {main} {cases} }.into_any();
    }
    let parts = value.denominator.map(|d| {
        view! {
            " ("
            <a class="c-fig-num" href=link(FigurePart::Numerator) aria-label=format!("分子 {}", value.numerator)>
                {value.numerator}
            </a>
            "/"
            <a class="c-fig-den" href=link(FigurePart::Denominator) aria-label=format!("分母 {d}")>{d}</a>
            ")"
        }
    });
    view! { {main} {parts} }.into_any()
}

/// Colours of the channels' bars (contrast ≥ 3:1 on white), and their labels.
fn channel_style(channel: Channel) -> &'static str {
    match channel {
        Channel::Visit => "#1f5fa8",
        Channel::Phone => "#b35900",
        Channel::Letter => "#2e7d32",
        Channel::Online => "#6a3d9a",
        Channel::Grid => "#b0003a",
    }
}

/// Monthly intake by channel: grouped bars in SVG (hidden from screen readers, which get
/// the table below with the same numbers).
fn chart(months: Vec<MonthlyIntake>, unit: i64) -> impl IntoView {
    let max = months.iter().flat_map(|m| m.by_channel.iter().map(|c| c.count)).max().unwrap_or(0).max(1);
    let (bar, gap, height) = (8u32, 12u32, 120u32);
    let group = bar * Channel::ALL.len() as u32 + gap;
    let width = (group * months.len() as u32).max(group);
    let bars = months
        .iter()
        .enumerate()
        .flat_map(|(i, m)| {
            m.by_channel.iter().enumerate().map(move |(j, c)| {
                let h = c.count * height / max;
                let x = i as u32 * group + j as u32 * bar;
                view! { <rect x=x y=height - h width=bar - 1 height=h fill=channel_style(c.channel)></rect> }
            })
        })
        .collect_view();
    let labels = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let x = i as u32 * group;
            view! { <text x=x y=height + 14 font-size="10">{m.month[5..].to_string()}</text> }
        })
        .collect_view();
    let legend = Channel::ALL
        .map(|c| {
            view! {
                <li><span class="c-fig-swatch" style=format!("background:{}", channel_style(c))></span>{c.label()}</li>
            }
        })
        .collect_view();
    let heads = Channel::ALL.map(|c| view! { <th scope="col">{c.label()}</th> }).collect_view();
    let rows = months
        .into_iter()
        .map(|m| {
            let cells = m
                .by_channel
                .iter()
                .map(|c| {
                    let href = queue_link(c.figure, FigurePart::Numerator, &m.period, unit);
                    view! { <td data-label=c.channel.label()><span class="c-cell"><a href=href>{c.count}</a></span></td> }
                })
                .collect_view();
            view! { <tr><th scope="row" data-label="月份"><span class="c-cell">{m.month}</span></th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <section aria-labelledby="c-fig-chart-title">
            <h2 id="c-fig-chart-title">"各渠道月度受理量"</h2>
            <svg id="c-fig-chart" class="c-fig-chart" viewBox=format!("0 0 {width} {}", height + 18)
                aria-hidden="true" focusable="false">{bars}{labels}</svg>
            <ul class="c-fig-legend" aria-hidden="true">{legend}</ul>
            <div class="c-table-wrap">
                <table class="c-table" id="c-fig-monthly">
                    <caption>"各渠道月度受理量（数据表）"</caption>
                    <thead><tr><th scope="col">"月份"</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_link_carries_exactly_the_figure_filter() {
        let period = PeriodDto { from: "2026-03-01".into(), to: "2026-03-31".into() };
        let link = queue_link(FigureId::OnTimeCompletion, FigurePart::Denominator, &period, 3);
        let query = behind_query(&format!("{link}&page=2"));
        assert_eq!(query, "figure=on_time_completion&part=denominator&from=2026-03-01&to=2026-03-31&unit=3");
        assert_eq!(behind_label(&query), "按期办结率（分母）：2026-03-01 至 2026-03-31");
        assert_eq!(behind_query("/console?state=closed"), "");
    }
}
