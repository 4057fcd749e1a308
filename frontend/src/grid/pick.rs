//! Township → village → the village's grids, for those who know where they live but not
//! a name to search for (or cannot share their position).

use super::{api, grid_href, remember};
use crate::i18n::{tr, use_lang};
use crate::load::Loaded;
use leptos::prelude::*;
use ow_shared::dto::RegionsResponse;
use ow_shared::grid::GridSummary;

/// The choose-your-place section.
#[component]
pub fn Pick() -> impl IntoView {
    let lang = use_lang();
    let regions: Loaded<RegionsResponse> = Loaded::new();
    let fetch_regions = move || regions.load(api::regions());
    fetch_regions();
    // Back from a grid's page: the choice is in the address (see `remember`).
    let param = |name| crate::nav::query_param(name).and_then(|v| v.parse::<i64>().ok());
    let township = RwSignal::new(param("township"));
    let village = RwSignal::new(param("village"));
    let grids: Loaded<Vec<GridSummary>> = Loaded::new();
    let fetch_grids = move || {
        if let Some(id) = village.get_untracked() {
            grids.load(api::grids(id));
        }
    };
    fetch_grids();
    let keep = move || {
        let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        remember(&[("township", id(township.get_untracked())), ("village", id(village.get_untracked()))]);
    };
    let townships = move || regions.ready().map(|r| r.townships).unwrap_or_default();
    let villages = move || {
        let chosen = township.get()?;
        regions.ready()?.townships.into_iter().find(|t| t.id == chosen).map(|t| t.villages)
    };
    let choose_township = move |ev| {
        township.set(event_target_value(&ev).parse().ok());
        village.set(None);
        keep();
    };
    let choose_village = move |ev| {
        village.set(event_target_value(&ev).parse().ok());
        keep();
        fetch_grids();
    };
    let list = move || {
        let chosen = village.get()?;
        let found = grids.ready()?;
        Some(if found.is_empty() {
            view! {
                <p class="g-status" id="g-no-grids">
                    {tr(
                        "该村（社区）暂未划分网格，请拨打下方服务大厅电话咨询。",
                        "This village has no grids yet; please call the service hall below.",
                    )}
                </p>
            }
            .into_any()
        } else {
            let links = found.into_iter().filter(|g| g.village_id == chosen).map(grid_link).collect_view();
            view! { <ul id="g-grids" class="g-list">{links}</ul> }.into_any()
        })
    };
    let option = move |id: i64, name: String, selected: RwSignal<Option<i64>>| {
        view! {
            <option value=id.to_string() prop:selected=move || selected.get() == Some(id)>
                {name}
            </option>
        }
    };
    view! {
        <section class="g-way" aria-labelledby="g-pick-title">
            <h2 id="g-pick-title">{tr("按乡镇和村查找", "By township and village")}</h2>
            {regions.status("g-regions-status", fetch_regions)}
            <div class="field">
                <label for="g-township">{tr("乡镇（街道）", "Township or street")}</label>
                <select id="g-township" on:change=choose_township>
                    <option value="" prop:selected=move || township.get().is_none()>
                        {tr("请选择", "Choose")}
                    </option>
                    {move || townships().into_iter().map(|t| option(t.id, t.name, township)).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="g-village">{tr("村（社区）", "Village or community")}</label>
                <select id="g-village" disabled=move || township.get().is_none() on:change=choose_village>
                    <option value="" prop:selected=move || village.get().is_none()>
                        {move || {
                            if township.get().is_none() {
                                lang.get().pick("请先选择乡镇", "Choose a township first")
                            } else {
                                lang.get().pick("请选择", "Choose")
                            }
                        }}
                    </option>
                    {move || villages().unwrap_or_default().into_iter().map(|v| option(v.id, v.name, village)).collect_view()}
                </select>
            </div>
            // No village chosen: nothing is loading.
            <div hidden=move || village.get().is_none()>{grids.status("g-grids-status", fetch_grids)}</div>
            {list}
        </section>
    }
}

/// A grid of the chosen village, linking to its page.
fn grid_link(g: GridSummary) -> impl IntoView {
    view! {
        <li>
            <a class="g-grid-link g-card" href=grid_href(g.id)>
                <span class="g-card-title">{g.name}</span>
                <span class="g-card-text">{g.code}</span>
            </a>
        </li>
    }
}
