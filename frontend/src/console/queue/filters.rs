//! The queue's filters: their state, kept for the whole visit, the query string they
//! make, and the controls (search box, selects, checkboxes) that change them.

use crate::console::{Lookups, api};
use leptos::prelude::*;
use ow_shared::{CaseState, CaseType, Lang};

/// The queue's filters, all as their query-string values ("" for any).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub state: String,
    pub township_id: String,
    pub case_type: String,
    pub department_id: String,
    pub grid_id: String,
    /// `overdue` or `soon`.
    pub due: String,
    pub mine: bool,
    pub callback: bool,
    /// Cases whose last text message could not be delivered (联系失败).
    pub contact_failed: bool,
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
        add("grid_id", &self.grid_id);
        add("due", &self.due);
        add("mine", if self.mine { "true" } else { "" });
        add("callback", if self.callback { "open" } else { "" });
        add("contact", if self.contact_failed { "failed" } else { "" });
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

/// The filter controls and the search box.
pub fn filters(state: QueueState) -> impl IntoView {
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
    // The grids of the township chosen (or all), by place.
    let grids = Signal::derive(move || {
        let township = f.with(|x| x.township_id.clone());
        lookups.grids.with(|g| {
            g.iter()
                .filter(|g| township.is_empty() || g.township_id.to_string() == township)
                .map(|g| (g.id.to_string(), format!("{} {}", g.village, g.name)))
                .collect()
        })
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
                {select("c-filter-grid", "网格", grids, |x| x.grid_id.clone(), |x, v| x.grid_id = v)}
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
                {check("c-filter-contact-failed", "短信联系失败", |x| x.contact_failed, |x, on| x.contact_failed = on)}
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
