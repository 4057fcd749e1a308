//! `/console/holidays` 节假日 (administrators): the year's holiday calendar — rest days
//! (放假) and make-up working days (调休上班) — which every working-day clock follows.

use crate::browser::this_year;
use crate::console::ui::{page_title, refusal};
use crate::form::{Errors, Field, show_error};
use crate::load::Loaded;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::calendar::{CalendarDay, DayKind};
use ow_shared::console::SetHolidayRequest;
use ow_shared::validate::parse_date;
use ow_shared::{ErrorCode, FieldError};

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

fn kind_label(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Holiday => "放假",
        DayKind::Workday => "调休上班",
    }
}

fn weekday(date: &str) -> &'static str {
    ow_shared::calendar::parse(date).map_or("", |d| WEEKDAYS[usize::from(d.weekday().number_days_from_monday())])
}

/// The holidays page.
pub fn holidays_page() -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("节假日");
    let year = RwSignal::new(this_year());
    let days = Loaded::<Vec<CalendarDay>>::new();
    let status = RwSignal::new(String::new());
    let load = move || days.load(api.holidays(year.get_untracked()));
    // After a change the year's list stays on screen until the new one arrives.
    let reload = move || days.reload_quietly(api.holidays(year.get_untracked()));
    Effect::new(move |_| {
        year.track();
        untrack(load);
    });
    let date = RwSignal::new(String::new());
    let kind = RwSignal::new("holiday".to_string());
    let name = RwSignal::new(String::new());
    let errs: Errors = crate::form::errors();
    let general = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = date.get_untracked().trim().to_string();
        let n = name.get_untracked().trim().to_string();
        let mut problems = Vec::new();
        if parse_date(&d).is_none() {
            problems
                .push(FieldError::new("date", if d.is_empty() { ErrorCode::Required } else { ErrorCode::DateInvalid }));
        }
        problems.extend(ow_shared::validate::check_length("name", &n, (1, 20)));
        if !problems.is_empty() {
            errs.set(problems);
            general.set(None);
            return;
        }
        errs.set(Vec::new());
        general.set(None);
        let k = if kind.get_untracked() == "workday" { DayKind::Workday } else { DayKind::Holiday };
        spawn_local_scoped(async move {
            match api.set_holiday(&d, &SetHolidayRequest { kind: k, name: n.clone() }).await {
                Ok(()) => {
                    status.try_set(format!("已保存：{d} {} {n}", kind_label(k)));
                    date.try_set(String::new());
                    name.try_set(String::new());
                    if d.starts_with(&year.get_untracked().to_string()) {
                        reload();
                    } else if let Some(y) = d.get(..4).and_then(|y| y.parse().ok()) {
                        year.try_set(y);
                    }
                }
                Err(e) => show_error(errs, general, e),
            }
        });
    };
    let remove = move |d: String| {
        spawn_local_scoped(async move {
            match api.delete_holiday(&d).await {
                Ok(()) => {
                    status.try_set(format!("已删除 {d}，恢复为正常作息"));
                    reload();
                }
                Err(e) => {
                    status.try_set(refusal(&e));
                }
            }
        });
    };
    let edit = move |day: CalendarDay| {
        date.set(day.date);
        kind.set(if day.kind == DayKind::Workday { "workday".into() } else { "holiday".into() });
        name.set(day.name);
        crate::browser::focus("c-h-date");
    };
    let this = this_year();
    let field = |name, id| Field::new(errs, name).control_id(id);
    view! {
        <h1>"节假日"</h1>
        <p class="lead">"按国务院办公厅节假日安排维护：工作日期限（如5个工作日异议期）据此计算。"</p>
        <div class="field c-year">
            <label for="c-h-year">"年份"</label>
            <select id="c-h-year" on:change=move |ev| {
                if let Ok(y) = event_target_value(&ev).parse() { year.set(y) }
            }>
                {[this - 1, this, this + 1].map(|y| view! {
                    <option value=y.to_string() prop:selected=move || year.get() == y>{format!("{y} 年")}</option>
                }).into_iter().collect_view()}
            </select>
        </div>
        <section aria-labelledby="c-h-form-title" class="c-panel">
            <h2 id="c-h-form-title">"添加或修改"</h2>
            <form novalidate on:submit=save class="c-inline-form">
                {field("date", "c-h-date").view("日期", None, move |f| view! {
                    <input type="date" id=f.id() bind:value=date aria-invalid=f.invalid() aria-describedby=f.described_by() />
                })}
                {field("kind", "c-h-kind").view("类型", None, move |f| view! {
                    <select id=f.id() aria-describedby=f.described_by() on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="holiday" prop:selected=move || kind.get() != "workday">"放假"</option>
                        <option value="workday" prop:selected=move || kind.get() == "workday">"调休上班"</option>
                    </select>
                })}
                {field("name", "c-h-name").view("名称", None, move |f| view! {
                    <input type="text" id=f.id() placeholder="如：春节" bind:value=name aria-invalid=f.invalid()
                        aria-describedby=f.described_by() />
                })}
                <p class="form-error" role="alert">{move || general.get()}</p>
                <button type="submit" id="c-h-save" class="primary">"保存"</button>
            </form>
        </section>
        <p id="c-h-status" class="c-status" role="status">{move || status.get()}</p>
        <h2>{move || format!("{} 年安排", year.get())}</h2>
        {days.view("c-h-load", load, move |list| table(list, edit, remove))}
    }
}

fn table(
    list: Vec<CalendarDay>,
    edit: impl Fn(CalendarDay) + Copy + Send + Sync + 'static,
    remove: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="c-empty">"本年尚无节假日安排，全部按周一至周五工作计算。"</p> }.into_any();
    }
    let rows = list
        .into_iter()
        .map(|day| {
            let (d1, d2) = (day.date.clone(), day.date.clone());
            let day2 = day.clone();
            view! {
                <tr class="c-holiday" data-date=day.date.clone() data-kind=if day.kind == DayKind::Workday { "workday" } else { "holiday" }>
                    <td data-label="日期">{day.date.clone()} " " {weekday(&day.date)}</td>
                    <td data-label="类型">{kind_label(day.kind)}</td>
                    <td data-label="名称">{day.name.clone()}</td>
                    <td class="c-row-actions">
                        <button type="button" class="link-button" aria-label=format!("修改 {d1}") on:click=move |_| edit(day2.clone())>"修改"</button>
                        <button type="button" class="link-button c-danger" id=format!("c-h-delete-{d2}") aria-label=format!("删除 {d2}")
                            on:click=move |_| remove(d2.clone())>"删除"</button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {crate::console::ui::table("c-table", "节假日安排", &["日期", "类型", "名称", "操作"], false.into(), rows)}
    }
    .into_any()
}
