//! Search by a place name: grid, village or township names and the address keywords of
//! grids ("幸福小区5栋", "桃源"), ranked by the server. Searches as one types, 300 ms after
//! the last key, and never while a Chinese input method is still composing.

use super::{api, grid_href, remember};
use crate::i18n::{message, tr, use_lang};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::ErrorCode;
use ow_shared::grid::GridMatch;
use std::time::Duration;

/// The last answer: what was searched and what came back.
type Answer = Option<(String, Result<Vec<GridMatch>, ErrorCode>)>;

/// The search section.
#[component]
pub fn Search() -> impl IntoView {
    let lang = use_lang();
    let input = NodeRef::<Input>::new();
    let answer: RwSignal<Answer> = RwSignal::new(None);
    let searching = RwSignal::new(false);
    // Answers can arrive out of order: only the latest search's counts.
    let latest = StoredValue::new(0u32);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let run = move |q: String| {
        // None: the page is gone (a timer fired after it was left).
        let Some(this) = latest.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        let q = q.trim().to_string();
        remember(&[("q", q.clone())]);
        if q.is_empty() {
            searching.set(false);
            answer.set(None);
            return;
        }
        searching.set(true);
        spawn_local_scoped(async move {
            let result = api::search(&q).await.map_err(|e| e.code);
            if latest.try_get_value() == Some(this) {
                searching.set(false);
                answer.set(Some((q, result)));
                // The answer (or "没有找到") shows where the eye is: the search box at the
                // top of the screen, the message and the matches right under it, not
                // below the fold or behind a phone's keyboard.
                if let Some(form) = document().get_element_by_id("g-search-form") {
                    form.scroll_into_view_with_bool(true);
                }
            }
        });
    };
    let schedule = move |q: String| {
        if let Some(Some(pending)) = timer.try_get_value() {
            pending.clear();
        }
        timer.try_set_value(set_timeout_with_handle(move || run(q), Duration::from_millis(300)).ok());
    };
    let value = move || input.get_untracked().map(|i| i.value()).unwrap_or_default();
    let on_input = move |ev: leptos::ev::Event| {
        let composing = js_sys::Reflect::get(&ev, &"isComposing".into()).is_ok_and(|c| c.is_truthy());
        if !composing {
            schedule(value());
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(Some(pending)) = timer.try_get_value() {
            pending.clear();
        }
        run(value());
    };
    // Back from a grid's page: the search is in the address (see `remember`).
    let initial = crate::nav::query_param("q").unwrap_or_default();
    if !initial.trim().is_empty() {
        run(initial.clone());
    }
    let status = move || {
        let l = lang.get();
        if searching.get() {
            return l.pick("正在搜索…", "Searching…").to_string();
        }
        answer.with(|a| match a {
            None => String::new(),
            Some((_, Err(code))) => message(*code, l),
            Some((q, Ok(found))) if found.is_empty() => match l {
                ow_shared::Lang::Zh => format!("没有找到与“{q}”相关的网格。请换个说法，或在下方按乡镇和村查找。"),
                ow_shared::Lang::En => {
                    format!("No grid found for “{q}”. Try other words, or choose your township and village below.")
                }
            },
            Some((_, Ok(found))) => match l {
                ow_shared::Lang::Zh => format!("找到 {} 个网格：", found.len()),
                ow_shared::Lang::En => format!("{} grid(s) found:", found.len()),
            },
        })
    };
    let matches = move || {
        answer.with(|a| match a {
            Some((_, Ok(found))) => found.iter().cloned().map(|m| match_item(m, lang)).collect_view(),
            _ => Vec::new(),
        })
    };
    view! {
        <section class="g-way" aria-labelledby="g-search-title">
            <h2 id="g-search-title">{tr("搜索地名", "Search by place name")}</h2>
            <form role="search" id="g-search-form" novalidate on:submit=submit>
                <div class="field">
                    <label for="g-search">{tr("小区、村（社区）或网格名称", "Estate, village or grid name")}</label>
                    <p class="hint" id="g-search-hint">
                        {tr("例如：桃源、幸福小区5栋2单元。输入后自动搜索。", "For example 桃源 or 幸福小区5栋2单元. Results appear as you type.")}
                    </p>
                    <div class="g-search-row">
                        <input
                            type="text"
                            id="g-search"
                            node_ref=input
                            enterkeyhint="search"
                            autocomplete="off"
                            aria-describedby="g-search-hint"
                            prop:value=initial
                            on:input=on_input
                            on:compositionend=move |_| schedule(value())
                        />
                        <button type="submit" class="secondary g-search-go">
                            {tr("搜索", "Search")}
                        </button>
                    </div>
                </div>
            </form>
            <p id="g-search-status" class="g-status" role="status">
                {status}
            </p>
            <ul id="g-matches" class="g-list">
                {matches}
            </ul>
        </section>
    }
}

/// One match: the grid, where it is, and what matched when that is not already shown
/// (an address keyword such as "幸福小区5栋").
fn match_item(m: GridMatch, lang: RwSignal<ow_shared::Lang>) -> impl IntoView {
    let g = m.grid;
    let shown = [&g.name, &g.township, &g.village].contains(&&m.matched);
    let why = (!shown).then(|| {
        let matched = m.matched;
        view! {
            <span class="g-card-text">{move || format!("{}{matched}", lang.get().pick("匹配：", "Matched: "))}</span>
        }
    });
    view! {
        <li>
            <a class="g-match g-card" href=grid_href(g.id)>
                <span class="g-card-title">{g.name}</span>
                <span class="g-card-text">{format!("{} · {}", g.township, g.village)}</span>
                {why}
            </a>
        </li>
    }
}
