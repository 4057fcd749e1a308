//! `/console` 工作台: the queue of cases the signed-in member of staff may see, with
//! counts (超期, 3日内到期, 待回访) that double as filters, the filters (`filters`), full-text
//! search, sorting and paging. A table on wide screens, a card list on narrow ones (CSS only).

mod filters;

pub use filters::{Filters, QueueState};

use super::{Auth, paths};
use crate::console::ui::{page_title, urgency_badge};
use crate::load::Loaded;
use filters::filters;
use leptos::prelude::*;
use ow_shared::Lang;
use ow_shared::console::{QueueItem, QueuePage};
use ow_shared::staff::Role;

/// The queue page.
pub fn queue_page() -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("工作台");
    let state = expect_context::<QueueState>();
    let auth = expect_context::<Auth>();
    let result = Loaded::<QueuePage>::new();
    // Opened from a figure (统计): exactly the cases it counted, within the filters.
    let router = crate::nav::Router::get();
    let behind = Memo::new(move |_| crate::console::figures::behind_query(&router.location.get()));
    let with_behind = move |query: String| {
        let behind = behind.get();
        if behind.is_empty() { query } else { format!("{query}&{behind}") }
    };
    let load = move || {
        let query = untrack(|| with_behind(state.0.with(Filters::query)));
        result.load(async move { api.queue(&query).await });
    };
    // Another filter or page: the list shown stays until the new one arrives.
    Effect::new(move |_| {
        let query = with_behind(state.0.with(Filters::query));
        result.reload_quietly(async move { api.queue(&query).await });
    });
    let behind_note = move || {
        let query = behind.get();
        (!query.is_empty()).then(|| {
            view! {
                <p id="c-queue-figure" class="c-notice">
                    "按统计指标显示 " {crate::console::figures::behind_label(&query)} " "
                    <a href=paths::QUEUE>"显示全部"</a>
                </p>
            }
        })
    };
    let heading = move || match auth.role() {
        Some(Role::Officer) => "本部门待办",
        Some(Role::GridWorker) => "本网格待办",
        _ => "工作台",
    };
    // 导出 Excel: every case these filters (or the figure) select, not only this page.
    let export = move || format!("{}?{}", crate::console::api::CASES_EXPORT, with_behind(state.0.with(Filters::query)));
    view! {
        <h1>{heading}</h1>
        {behind_note}
        {counts(state, result)}
        {filters(state)}
        <p class="c-queue-outputs"><a id="c-queue-export" class="c-button c-link-button" href=export download>"导出 Excel"</a></p>
        <div id="c-queue" aria-live="polite" aria-busy=move || result.with(Option::is_none).to_string()>
            {result.view("c-queue-load", load, move |page| list(state, page))}
        </div>
    }
}

/// 超期 N · 3日内到期 N · 待回访 N, each a toggle of its filter.
fn counts(state: QueueState, result: Loaded<QueuePage>) -> impl IntoView {
    let counts = move || result.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map(|p| p.counts));
    let f = state.0;
    let button = move |id: &'static str,
                       label: &'static str,
                       n: fn(ow_shared::console::QueueCounts) -> u32,
                       on: fn(&Filters) -> bool,
                       toggle: fn(&mut Filters)| {
        view! {
            <li>
                <button type="button" id=id class="c-count" aria-pressed=move || f.with(on).to_string()
                    on:click=move |_| state.change(toggle)>
                    <span class="c-count-label">{label}</span>
                    " "
                    <span class="c-count-n">{move || counts().map(|c| n(c).to_string()).unwrap_or_else(|| "…".into())}</span>
                </button>
            </li>
        }
    };
    view! {
        <ul class="c-counts" aria-label="提醒（点击筛选）">
            {button("c-count-overdue", "超期", |c| c.overdue, |f| f.due == "overdue", |f| {
                f.due = if f.due == "overdue" { String::new() } else { "overdue".into() };
            })}
            {button("c-count-soon", "3日内到期", |c| c.due_soon, |f| f.due == "soon", |f| {
                f.due = if f.due == "soon" { String::new() } else { "soon".into() };
            })}
            {button("c-count-callbacks", "待回访", |c| c.open_callbacks, |f| f.callback, |f| f.callback = !f.callback)}
        </ul>
    }
}

/// The page of cases and the pager.
fn list(state: QueueState, page: QueuePage) -> impl IntoView {
    let pages = page.total.div_ceil(page.page_size.max(1)).max(1);
    let (current, total) = (page.page, page.total);
    let go = move |to: u32| state.0.update(|f| f.page = to);
    let rows = page.items.into_iter().map(row).collect_view();
    let empty = total == 0;
    view! {
        {empty.then(|| view! { <p class="c-empty">"没有符合条件的案件。"</p> })}
        {crate::console::ui::table(
            "c-table c-queue",
            "案件列表",
            &["受理编号", "类型", "标题", "地点", "状态", "办理期限", "承办单位", "承办部门", "包案领导"],
            empty.into(),
            rows,
        )}
        <nav class="c-pager" aria-label="翻页">
            <button type="button" id="c-prev" class="c-button" disabled={current <= 1} on:click=move |_| go(current - 1)>
                "上一页"
            </button>
            <p id="c-page-info">{format!("第 {current} 页，共 {total} 条")}</p>
            <button type="button" id="c-next" class="c-button" disabled={current >= pages} on:click=move |_| go(current + 1)>
                "下一页"
            </button>
        </nav>
    }
}

/// One case of the queue.
fn row(item: QueueItem) -> impl IntoView {
    let grid = item.grid.as_ref().map(|g| g.name.as_str()).unwrap_or_default();
    let place = [item.township.as_str(), item.village.as_str(), grid].join(" ").trim().to_string();
    let departments = if item.departments.is_empty() { "—".to_string() } else { item.departments.join("、") };
    let due = item.due_on.clone().unwrap_or_else(|| "—".into());
    let no = item.tracking_no.clone();
    view! {
        <tr class="c-queue-row" data-tracking-no=no data-state=item.state.code()>
            <td data-label="受理编号">
                <span class="c-cell"><a class="c-case-link" href=paths::case(item.id)>{item.tracking_no}</a></span>
            </td>
            <td data-label="类型">
                <span class="c-cell">
                    {item.case_type.label(Lang::Zh)}
                    <span class="c-channel">{format!("·{}", item.channel.label())}</span>
                    {(item.group_size > 1).then(|| view! { " " <span class="c-badge c-badge-info">{format!("集体访{}人", item.group_size)}</span> })}
                </span>
            </td>
            <td data-label="标题"><span class="c-cell">{item.title}</span></td>
            <td data-label="地点"><span class="c-cell">{place}</span></td>
            <td data-label="状态">
                <span class="c-cell">
                    {item.state.label(Lang::Zh)}
                    {item.open_callback.then(|| view! { " " <span class="c-badge c-badge-callback">"待回访"</span> })}
                </span>
            </td>
            <td data-label="办理期限"><span class="c-cell">{due} " " {urgency_badge(item.urgency)}</span></td>
            <td data-label="承办单位"><span class="c-cell">{item.unit}</span></td>
            <td data-label="承办部门"><span class="c-cell">{departments}</span></td>
            <td data-label="包案领导"><span class="c-cell">{item.leader.unwrap_or_else(|| "—".into())}</span></td>
        </tr>
    }
}
