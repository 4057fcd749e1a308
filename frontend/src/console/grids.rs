//! `/console/grids` 网格 (clerks, leaders, administrators): the county's grids by
//! township and village, each leading to its edit page (`edit`); administrators also
//! import and export boundaries and teams (`import`).

mod edit;
mod import;

pub use edit::grid_page;

use super::{Lookups, paths};
use crate::console::ui::page_title;
use crate::load::Loaded;
use leptos::prelude::*;
use ow_shared::grid::GridSummary;

/// The grid list; `admin` adds the import and export section.
pub fn grids_page(admin: bool) -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("网格");
    let grids = Loaded::<Vec<GridSummary>>::new();
    let load = move || grids.load(api.grids());
    load();
    // After an import the list stays on screen until the new one arrives.
    let reload = move || grids.reload_quietly(api.grids());
    let township = RwSignal::new(None::<i64>);
    let village = RwSignal::new(None::<i64>);
    view! {
        <h1>"网格"</h1>
        <p>"选择网格，编辑其范围说明、网格员和“3+N”队伍、监督电话和服务事项。保存后居民查询页立即更新，每次修改都记录修改人和时间。"</p>
        {filters(township, village)}
        {grids.view("c-g-load", load, move |list| table(list, township, village))}
        {admin.then(|| import::import_section(reload))}
    }
}

/// Township → village, from the regions loaded after signing in.
fn filters(township: RwSignal<Option<i64>>, village: RwSignal<Option<i64>>) -> impl IntoView {
    let lookups = expect_context::<Lookups>();
    let townships = move || {
        lookups
            .regions
            .with(|r| r.iter().flat_map(|r| &r.townships).map(|t| (t.id, t.name.clone())).collect::<Vec<_>>())
    };
    let villages = move || {
        let Some(t) = township.get() else { return Vec::new() };
        lookups.regions.with(|r| {
            r.iter()
                .flat_map(|r| &r.townships)
                .filter(|x| x.id == t)
                .flat_map(|x| &x.villages)
                .map(|v| (v.id, v.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let options = move |list: Vec<(i64, String)>, chosen: RwSignal<Option<i64>>| {
        list.into_iter()
            .map(|(id, name)| view! { <option value=id.to_string() prop:selected=move || chosen.get() == Some(id)>{name}</option> })
            .collect_view()
    };
    view! {
        <div class="c-filters c-g-filters">
            <div class="field">
                <label for="c-g-township">"乡镇（街道）"</label>
                <select id="c-g-township" on:change=move |ev| {
                    township.set(event_target_value(&ev).parse().ok());
                    village.set(None);
                }>
                    <option value="" prop:selected=move || township.get().is_none()>"全部"</option>
                    {move || options(townships(), township)}
                </select>
            </div>
            <div class="field">
                <label for="c-g-village">"村（社区）"</label>
                <select id="c-g-village" disabled=move || township.get().is_none()
                    on:change=move |ev| village.set(event_target_value(&ev).parse().ok())>
                    <option value="" prop:selected=move || village.get().is_none()>"全部"</option>
                    {move || options(villages(), village)}
                </select>
            </div>
        </div>
    }
}

fn table(list: Vec<GridSummary>, township: RwSignal<Option<i64>>, village: RwSignal<Option<i64>>) -> impl IntoView {
    let shown = move || {
        let (t, v) = (township.get(), village.get());
        list.iter()
            .filter(|g| t.is_none_or(|t| g.township_id == t) && v.is_none_or(|v| g.village_id == v))
            .cloned()
            .collect::<Vec<_>>()
    };
    let shown = Memo::new(move |_| shown());
    view! {
        <p id="c-g-count" role="status">{move || format!("共 {} 个网格", shown.with(Vec::len))}</p>
        {crate::console::ui::table(
            "c-table c-g-table",
            "网格列表",
            &["网格", "编码", "乡镇（街道）", "村（社区）"],
            Signal::derive(move || shown.with(Vec::is_empty)),
            move || shown.get().into_iter().map(row).collect_view(),
        )}
    }
}

fn row(g: GridSummary) -> impl IntoView {
    let code = g.code.clone();
    view! {
        <tr class="c-g-row" data-code=code>
            <td data-label="网格">
                <a class="c-g-link" href=paths::grid(g.id) aria-label=format!("编辑 {}", g.name)>{g.name.clone()}</a>
            </td>
            <td data-label="编码"><code>{g.code}</code></td>
            <td data-label="乡镇（街道）">{g.township}</td>
            <td data-label="村（社区）">{g.village}</td>
        </tr>
    }
}
