//! `/console/risks` 风险: the open risks the grid workers of the caller's area found on
//! their rounds (排查) — watched, or reported up and not yet finished — gravest first,
//! filtered by grid and grade; one reported up links to its case.

use crate::console::paths;
use crate::console::ui::page_title;
use crate::load::Loaded;
use leptos::prelude::*;
use ow_shared::screening::{RiskLevel, RiskView};

/// The risks page (clerks and leaders: their unit's area).
pub fn risks_page() -> impl IntoView {
    page_title("风险");
    let api = crate::console::api::use_api();
    let list = Loaded::<Vec<RiskView>>::new();
    let load = move || list.load(api.risks(""));
    load();
    let grid = RwSignal::new(None::<i64>);
    let level = RwSignal::new(None::<RiskLevel>);
    view! {
        <h1>"风险"</h1>
        <p class="lead">"各网格员排查登记、尚未化解的矛盾纠纷和风险隐患（持续关注中的，及已上报、案件尚未办结的）。"</p>
        {list.view("c-risks-load", load, move |all| risk_table(all, grid, level))}
    }
}

fn risk_table(all: Vec<RiskView>, grid: RwSignal<Option<i64>>, level: RwSignal<Option<RiskLevel>>) -> impl IntoView {
    let mut grids: Vec<(i64, String)> =
        all.iter().map(|r| (r.grid_id, format!("{} {}", r.village, r.grid_name))).collect();
    grids.sort();
    grids.dedup();
    let all = StoredValue::new(all);
    let shown = Memo::new(move |_| {
        all.with_value(|rows| {
            rows.iter()
                .filter(|r| grid.get().is_none_or(|g| r.grid_id == g))
                .filter(|r| level.get().is_none_or(|l| r.level == l))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let grid_options =
        grids.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view();
    let level_options = RiskLevel::ALL
        .into_iter()
        .map(|l| view! { <option value=l.code()>{format!("{}色", l.label())}</option> })
        .collect_view();
    view! {
        <div class="c-filters">
            <label for="c-risks-grid">"网格"</label>
            <select id="c-risks-grid" on:change=move |ev| grid.set(event_target_value(&ev).parse().ok())>
                <option value="">"全部网格"</option>
                {grid_options}
            </select>
            <label for="c-risks-level">"风险等级"</label>
            <select id="c-risks-level" on:change=move |ev| level.set(RiskLevel::from_code(&event_target_value(&ev)))>
                <option value="">"全部等级"</option>
                {level_options}
            </select>
        </div>
        <p id="c-risks-count" role="status">{move || format!("共 {} 项", shown.with(Vec::len))}</p>
        {crate::console::ui::table(
            "c-table c-risks-table",
            "在管风险",
            &["等级", "类型", "情况", "涉及人员", "网格", "状态", "发现日期", "案件"],
            Signal::derive(move || shown.with(Vec::is_empty)),
            move || shown.get().into_iter().map(row).collect_view(),
        )}
    }
}

fn row(r: RiskView) -> impl IntoView {
    let case = r.case_id.zip(r.tracking_no.clone()).map(|(id, no)| view! { <a href=paths::case(id)>{no}</a> });
    view! {
        <tr data-risk=r.id>
            <td><span class=format!("c-risk-level c-risk-{}", r.level.code())>{format!("{}色", r.level.label())}</span></td>
            <td>{r.kind.label()}</td>
            <td>{r.description.clone()}</td>
            <td>{r.people.clone()}</td>
            <td>{format!("{} {}", r.village, r.grid_name)}</td>
            <td>{r.state.label()}</td>
            <td>{r.found_on.clone()}</td>
            <td>{case}</td>
        </tr>
    }
}
