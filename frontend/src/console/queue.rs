//! `/console` 工作台: the queue of cases the signed-in member of staff may see, with
//! counts (超期, 3日内到期, 待回访) that double as filters, the filters, full-text search,
//! sorting and paging. A table on wide screens, a card list on narrow ones (CSS only).

use crate::console::ui::{page_title, urgency_badge};
use super::{Auth, Lookups, api, paths};
use crate::console::ui::loading_or;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::console::{QueueItem, QueuePage};
use ow_shared::staff::Role;
use ow_shared::{ApiError, CaseState, CaseType, Lang};

/// The queue's filters, all as their query-string values ("" for any).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub state: String,
    pub township_id: String,
    pub case_type: String,
    pub department_id: String,
    /// `overdue` or `soon`.
    pub due: String,
    pub mine: bool,
    pub callback: bool,
    pub q: String,
    /// `due` (default) or `new`.
    pub sort: String,
    pub page: u32,
}

impl Filters {
    /// The query string for `GET /api/v1/console/cases`.
    pub fn query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut add = |key: &str, value: &str| {
            if !value.is_empty() {
                parts.push(format!("{key}={}", api::encode(value)));
            }
        };
        add("state", &self.state);
        add("township_id", &self.township_id);
        add("case_type", &self.case_type);
        add("department_id", &self.department_id);
        add("due", &self.due);
        add("mine", if self.mine { "true" } else { "" });
        add("callback", if self.callback { "open" } else { "" });
        add("q", self.q.trim());
        add("sort", &self.sort);
        add("page", &self.page.max(1).to_string());
        parts.join("&")
    }
}

/// The filters, kept for the whole visit so coming back to the queue keeps them.
#[derive(Clone, Copy)]
pub struct QueueState(pub RwSignal<Filters>);

impl QueueState {
    pub fn new() -> QueueState {
        QueueState(RwSignal::new(Filters { page: 1, ..Filters::default() }))
    }

    /// Changes one filter and goes back to the first page.
    pub fn change(self, f: impl FnOnce(&mut Filters)) {
        self.0.update(|x| {
            f(x);
            x.page = 1;
        });
    }
}

/// The queue page.
pub fn queue_page() -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("工作台");
    let state = expect_context::<QueueState>();
    let auth = expect_context::<Auth>();
    let result = RwSignal::new(None::<Result<QueuePage, ApiError>>);
    // Answers can overtake each other: only the newest request's answer is shown.
    let generation = StoredValue::new(0u32);
    let load = move || {
        let query = state.0.with_untracked(Filters::query);
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        spawn_local_scoped(async move {
            let answer = api.queue(&query).await;
            if generation.try_get_value() == Some(mine) {
                result.try_set(Some(answer));
            }
        });
    };
    Effect::new(move |_| {
        state.0.track();
        load();
    });
    let heading = move || match auth.role() {
        Some(Role::Officer) => "本部门待办",
        _ => "工作台",
    };
    view! {
        <h1>{heading}</h1>
        {counts(state, result)}
        {filters(state)}
        <div id="c-queue" aria-live="polite" aria-busy=move || result.with(Option::is_none).to_string()>
            {loading_or(result, load, move |page| list(state, page))}
        </div>
    }
}

/// 超期 N · 3日内到期 N · 待回访 N, each a toggle of its filter.
fn counts(state: QueueState, result: RwSignal<Option<Result<QueuePage, ApiError>>>) -> impl IntoView {
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

/// The filter controls and the search box.
fn filters(state: QueueState) -> impl IntoView {
    let lookups = expect_context::<Lookups>();
    let f = state.0;
    let select = move |id: &'static str,
                       label: &'static str,
                       options: Signal<Vec<(String, String)>>,
                       get: fn(&Filters) -> String,
                       set: fn(&mut Filters, String)| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id on:change=move |ev| {
                    let value = event_target_value(&ev);
                    state.change(|x| set(x, value));
                }>
                    <option value="" prop:selected=move || f.with(get).is_empty()>"全部"</option>
                    {move || options.get().into_iter().map(|(value, text)| {
                        let v = value.clone();
                        view! { <option value=value prop:selected=move || f.with(get) == v>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let states = Signal::derive(|| {
        CaseState::ALL.iter().map(|s| (s.code().to_string(), s.label(Lang::Zh).to_string())).collect()
    });
    let types = Signal::derive(|| {
        CaseType::ALL.iter().map(|t| (t.code().to_string(), t.label(Lang::Zh).to_string())).collect()
    });
    let townships = Signal::derive(move || {
        lookups
            .regions
            .with(|r| r.iter().flat_map(|r| &r.townships).map(|t| (t.id.to_string(), t.name.clone())).collect())
    });
    let departments = Signal::derive(move || {
        lookups.departments.with(|d| d.iter().map(|d| (d.id.to_string(), d.name.clone())).collect())
    });
    let due = Signal::derive(|| {
        vec![("overdue".to_string(), "超期".to_string()), ("soon".to_string(), "3日内到期".to_string())]
    });
    let search = RwSignal::new(f.with_untracked(|x| x.q.clone()));
    let wide = window().inner_width().ok().and_then(|w| w.as_f64()).is_none_or(|w| w >= 600.0);
    let submit_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = search.get_untracked();
        state.change(|x| x.q = q);
    };
    let check = move |id: &'static str, label: &'static str, get: fn(&Filters) -> bool, set: fn(&mut Filters, bool)| {
        view! {
            <div class="field check">
                <input type="checkbox" id=id prop:checked=move || f.with(get)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        state.change(|x| set(x, on));
                    } />
                <label for=id>{label}</label>
            </div>
        }
    };
    view! {
        <form class="c-search" role="search" on:submit=submit_search>
            <label for="c-search">"全文检索"</label>
            <div class="c-search-row">
                <input type="search" id="c-search" placeholder="受理编号、标题、内容、地址" bind:value=search />
                <button type="submit" id="c-search-submit" class="c-button">"检索"</button>
            </div>
        </form>
        // Open on the hall's PCs; folded on a phone, where it would fill the screen.
        <details class="c-filters" open=wide>
            <summary>"筛选与排序"</summary>
            <div class="c-filter-grid">
                {select("c-filter-state", "状态", states, |x| x.state.clone(), |x, v| x.state = v)}
                {select("c-filter-township", "乡镇（街道）", townships, |x| x.township_id.clone(), |x, v| x.township_id = v)}
                {select("c-filter-type", "类型", types, |x| x.case_type.clone(), |x, v| x.case_type = v)}
                {select("c-filter-department", "承办部门", departments, |x| x.department_id.clone(), |x, v| x.department_id = v)}
                {select("c-filter-due", "到期", due, |x| x.due.clone(), |x, v| x.due = v)}
                <div class="field">
                    <label for="c-sort">"排序"</label>
                    <select id="c-sort" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        state.change(|x| x.sort = v);
                    }>
                        <option value="due" prop:selected=move || f.with(|x| x.sort != "new")>"按到期"</option>
                        <option value="new" prop:selected=move || f.with(|x| x.sort == "new")>"按登记"</option>
                    </select>
                </div>
                {check("c-filter-mine", "只看我的", |x| x.mine, |x, on| x.mine = on)}
                {check("c-filter-callback", "待回访", |x| x.callback, |x, on| x.callback = on)}
            </div>
            <button type="button" class="link-button" id="c-filter-reset"
                on:click=move |_| {
                    search.set(String::new());
                    f.set(Filters { page: 1, ..Filters::default() });
                }>
                "清除筛选"
            </button>
        </details>
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
        <div class="c-table-wrap">
            <table class="c-table c-queue" hidden=empty>
                <caption class="visually-hidden">"案件列表"</caption>
                <thead>
                    <tr>
                        <th scope="col">"受理编号"</th>
                        <th scope="col">"类型"</th>
                        <th scope="col">"标题"</th>
                        <th scope="col">"地点"</th>
                        <th scope="col">"状态"</th>
                        <th scope="col">"办理期限"</th>
                        <th scope="col">"承办部门"</th>
                        <th scope="col">"包案领导"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
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
    let place = [item.township.as_str(), item.village.as_str()].join(" ");
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
            <td data-label="承办部门"><span class="c-cell">{departments}</span></td>
            <td data-label="包案领导"><span class="c-cell">{item.leader.unwrap_or_else(|| "—".into())}</span></td>
        </tr>
    }
}
