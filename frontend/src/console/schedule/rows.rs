//! The schedule's rows, which come and go: the weekly opening hours and the place's own
//! closed days. Their fields are named at run time (`hours[2]`, `closed_days[0].date`),
//! which `Field` (named once, `&'static str`) cannot express, so each row's error line
//! keeps an id of its own, by the row's stable key: `c-sch-err-hours-{key}`.

use super::{Editor, Line};
use crate::form::Errors;
use leptos::prelude::*;
use ow_shared::Lang;
use ow_shared::booking::{ClosedDay, OpeningHours};

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/// The weekly opening hours: a weekday may have several spans (morning, afternoon).
pub(super) fn hours_panel(editor: Editor, errs: Errors) -> impl IntoView {
    let rows = editor.hours;
    let index_of = move |key: u32| rows.with(|v| v.iter().position(|l| l.key == key));
    let set = move |key: u32, f: &dyn Fn(&mut OpeningHours)| {
        rows.update(|v| {
            if let Some(l) = v.iter_mut().find(|l| l.key == key) {
                f(&mut l.value);
            }
        })
    };
    let get = move |key: u32, f: fn(&OpeningHours) -> String| {
        rows.with(|v| v.iter().find(|l| l.key == key).map(|l| f(&l.value)).unwrap_or_default())
    };
    let add = move |_| {
        let key = editor.key();
        rows.update(|v| {
            let weekday = v.last().map_or(1, |l| l.value.weekday);
            v.push(Line { key, value: OpeningHours { weekday, open: "09:00".into(), close: "12:00".into() } })
        });
        errs.set(Vec::new());
        request_animation_frame(move || crate::browser::focus(&format!("c-sch-weekday-{key}")));
    };
    let line = move |l: Line<OpeningHours>| {
        let key = l.key;
        let field = move || index_of(key).map(|i| format!("hours[{i}]")).unwrap_or_default();
        let e = format!("c-sch-err-hours-{key}");
        let message = move || {
            let f = field();
            errs.with(|v| v.iter().find(|x| x.field == f).map(|x| x.message(Lang::Zh)))
        };
        let bad = move || message().is_some().to_string();
        let n = move || index_of(key).map_or(0, |i| i + 1);
        view! {
            <li class="c-sch-hours-row" data-key=key>
                <div class="field">
                    <label for=format!("c-sch-weekday-{key}")>{move || format!("第 {} 行 星期", n())}</label>
                    <select id=format!("c-sch-weekday-{key}") on:change=move |ev| {
                        let d = event_target_value(&ev).parse().unwrap_or(1);
                        set(key, &|h| h.weekday = d);
                    }>
                        {(1u8..=7).map(|d| view! {
                            <option value=d.to_string() prop:selected=move || get(key, |h| h.weekday.to_string()) == d.to_string()>
                                {WEEKDAYS[usize::from(d - 1)]}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=format!("c-sch-open-{key}")>"开始"</label>
                    <input type="text" id=format!("c-sch-open-{key}") inputmode="numeric" maxlength="5" placeholder="09:00"
                        prop:value=move || get(key, |h| h.open.clone()) aria-invalid=bad aria-describedby=format!("hint-hours {e}")
                        on:input=move |ev| { let v = event_target_value(&ev); set(key, &|h| h.open = v.clone()); } />
                </div>
                <div class="field">
                    <label for=format!("c-sch-close-{key}")>"结束"</label>
                    <input type="text" id=format!("c-sch-close-{key}") inputmode="numeric" maxlength="5" placeholder="17:00"
                        prop:value=move || get(key, |h| h.close.clone()) aria-invalid=bad aria-describedby=format!("hint-hours {e}")
                        on:input=move |ev| { let v = event_target_value(&ev); set(key, &|h| h.close = v.clone()); } />
                </div>
                <button type="button" class="link-button c-danger" id=format!("c-sch-remove-hours-{key}")
                    aria-label=move || format!("删除第 {} 行开放时间", n())
                    on:click=move |_| { rows.update(|v| v.retain(|l| l.key != key)); errs.set(Vec::new()); }>
                    "删除"
                </button>
                <p class="err c-sch-row-err" id=e.clone()>{message}</p>
            </li>
        }
    };
    let overlap =
        move || errs.with(|v| v.iter().any(|x| x.field == "hours")).then_some("同一天的开放时间有重叠，请调整。");
    view! {
        <section class="c-panel" aria-labelledby="c-sch-hours-title">
            <h2 id="c-sch-hours-title">"每周开放时间"</h2>
            <p class="hint" id="hint-hours">"时间格式 09:00，结束最晚 24:00；一天可有上午、下午多段。没有开放时间的星期不接受预约。"</p>
            <ul class="c-sch-rows" id="c-sch-hours">
                <For each=move || rows.get() key=|l| l.key children=line />
            </ul>
            // The list's own error, in its own words: the shared code only says "invalid time".
            <p class="err" id="err-hours">{overlap}</p>
            <button type="button" id="c-sch-add-hours" class="c-button" on:click=add>"添加开放时间"</button>
        </section>
    }
}

/// The place's own closed days (training, moving…), besides the holiday calendar's.
pub(super) fn closed_panel(editor: Editor, errs: Errors) -> impl IntoView {
    let rows = editor.closed;
    let index_of = move |key: u32| rows.with(|v| v.iter().position(|l| l.key == key));
    let set = move |key: u32, f: &dyn Fn(&mut ClosedDay)| {
        rows.update(|v| {
            if let Some(l) = v.iter_mut().find(|l| l.key == key) {
                f(&mut l.value);
            }
        })
    };
    let get = move |key: u32, f: fn(&ClosedDay) -> String| {
        rows.with(|v| v.iter().find(|l| l.key == key).map(|l| f(&l.value)).unwrap_or_default())
    };
    let add = move |_| {
        let key = editor.key();
        rows.update(|v| v.push(Line { key, value: ClosedDay { date: String::new(), reason: String::new() } }));
        errs.set(Vec::new());
        request_animation_frame(move || crate::browser::focus(&format!("c-sch-closed-date-{key}")));
    };
    let line = move |l: Line<ClosedDay>| {
        let key = l.key;
        let message = move |part: &'static str| {
            move || {
                let f = index_of(key).map(|i| format!("closed_days[{i}].{part}")).unwrap_or_default();
                errs.with(|v| v.iter().find(|x| x.field == f).map(|x| x.message(Lang::Zh)))
            }
        };
        let (date_e, reason_e) = (format!("c-sch-err-closed-date-{key}"), format!("c-sch-err-closed-reason-{key}"));
        let n = move || index_of(key).map_or(0, |i| i + 1);
        view! {
            <li class="c-sch-closed-row" data-key=key>
                <div class="field">
                    <label for=format!("c-sch-closed-date-{key}")>{move || format!("停止预约日期 {}", n())}</label>
                    <input type="date" id=format!("c-sch-closed-date-{key}") prop:value=move || get(key, |d| d.date.clone())
                        aria-invalid=move || message("date")().is_some().to_string() aria-describedby=date_e.clone()
                        on:input=move |ev| { let v = event_target_value(&ev); set(key, &|d| d.date = v.clone()); } />
                    <p class="err" id=date_e.clone()>{message("date")}</p>
                </div>
                <div class="field">
                    <label for=format!("c-sch-closed-reason-{key}")>"原因"</label>
                    <input type="text" id=format!("c-sch-closed-reason-{key}") maxlength="20" placeholder="如：集中培训"
                        prop:value=move || get(key, |d| d.reason.clone())
                        aria-invalid=move || message("reason")().is_some().to_string() aria-describedby=reason_e.clone()
                        on:input=move |ev| { let v = event_target_value(&ev); set(key, &|d| d.reason = v.clone()); } />
                    <p class="err" id=reason_e.clone()>{message("reason")}</p>
                </div>
                <button type="button" class="link-button c-danger" id=format!("c-sch-remove-closed-{key}")
                    aria-label=move || format!("删除停止预约日期 {}", n())
                    on:click=move |_| { rows.update(|v| v.retain(|l| l.key != key)); errs.set(Vec::new()); }>
                    "删除"
                </button>
            </li>
        }
    };
    view! {
        <section class="c-panel" aria-labelledby="c-sch-closed-title">
            <h2 id="c-sch-closed-title">"停止预约日期"</h2>
            <p class="hint">"本预约点另行休息的日期（如集中培训）；已有的预约不受影响，请另行通知群众。"</p>
            <ul class="c-sch-rows" id="c-sch-closed">
                <For each=move || rows.get() key=|l| l.key children=line />
            </ul>
            <button type="button" id="c-sch-add-closed" class="c-button" on:click=add>"添加停止预约日期"</button>
        </section>
    }
}
