//! `/console/schedule` 预约排班 (administrators): a booking place's settings (slot
//! length, places per slot, booking window, minimum notice), its weekly opening hours and
//! its own closed days. Checked by the shared `validate_schedule`, as the server checks it.

use crate::form::{Errors, first_per_field, show_error};
use crate::console::ui::{page_title};
use crate::console::ui::loading_or;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::booking::{ClosedDay, OpeningHours, PlaceInfo, PlaceSchedule, validate_schedule};
use ow_shared::{ApiError, Lang};

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/// One editable row of hours or closed days; `key` stays while rows come and go.
#[derive(Clone, Debug, PartialEq)]
struct Line<T> {
    key: u32,
    value: T,
}

/// The form's state: the place's settings as typed, the rows with their keys.
#[derive(Clone, Copy)]
struct Editor {
    place: RwSignal<Option<PlaceInfo>>,
    capacity: RwSignal<String>,
    slot_minutes: RwSignal<String>,
    window_days: RwSignal<String>,
    min_notice: RwSignal<String>,
    name: RwSignal<String>,
    address: RwSignal<String>,
    phone: RwSignal<String>,
    hours: RwSignal<Vec<Line<OpeningHours>>>,
    closed: RwSignal<Vec<Line<ClosedDay>>>,
    next_key: StoredValue<u32>,
}

impl Editor {
    fn new() -> Editor {
        let text = || RwSignal::new(String::new());
        Editor {
            place: RwSignal::new(None),
            capacity: text(),
            slot_minutes: text(),
            window_days: text(),
            min_notice: text(),
            name: text(),
            address: text(),
            phone: text(),
            hours: RwSignal::new(Vec::new()),
            closed: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
        }
    }

    fn key(self) -> u32 {
        let k = self.next_key.get_value() + 1;
        self.next_key.set_value(k);
        k
    }

    /// Fills the form from a schedule.
    fn fill(self, s: PlaceSchedule) {
        self.capacity.set(s.capacity.to_string());
        self.slot_minutes.set(s.place.slot_minutes.to_string());
        self.window_days.set(s.place.window_days.to_string());
        self.min_notice.set(s.place.min_notice_minutes.to_string());
        self.name.set(s.place.name.clone());
        self.address.set(s.place.address.clone());
        self.phone.set(s.place.phone.clone());
        self.hours.set(s.hours.into_iter().map(|value| Line { key: self.key(), value }).collect());
        self.closed.set(s.closed_days.into_iter().map(|value| Line { key: self.key(), value }).collect());
        self.place.set(Some(s.place));
    }

    /// The schedule as typed; a number that is not one becomes 0, which the check refuses.
    fn schedule(self) -> Option<PlaceSchedule> {
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<u32>().unwrap_or(0);
        let place = PlaceInfo {
            name: self.name.get_untracked(),
            address: self.address.get_untracked(),
            phone: self.phone.get_untracked(),
            window_days: number(self.window_days),
            min_notice_minutes: number(self.min_notice),
            slot_minutes: number(self.slot_minutes),
            ..self.place.get_untracked()?
        };
        Some(PlaceSchedule {
            place,
            capacity: number(self.capacity),
            hours: self.hours.get_untracked().into_iter().map(|l| l.value).collect(),
            closed_days: self.closed.get_untracked().into_iter().map(|l| l.value).collect(),
        })
    }
}

/// The schedule page.
pub fn schedule_page() -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("预约排班");
    let places = RwSignal::new(None::<Result<Vec<PlaceInfo>, ApiError>>);
    let chosen = RwSignal::new(None::<i64>);
    let loaded = RwSignal::new(None::<Result<(), ApiError>>);
    let editor = Editor::new();
    let errs: Errors = RwSignal::new(Vec::new());
    let general = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let load_places = move || {
        spawn_local_scoped(async move {
            let answer = api.booking_places().await;
            if let Ok(list) = &answer
                && chosen.get_untracked().is_none()
            {
                chosen.try_set(list.first().map(|p| p.id));
            }
            places.try_set(Some(answer));
        });
    };
    load_places();
    let load = move || {
        let Some(id) = chosen.get_untracked() else { return };
        loaded.set(None);
        spawn_local_scoped(async move {
            let answer = api.place_schedule(id).await;
            if chosen.try_get_untracked() != Some(Some(id)) {
                return;
            }
            loaded.try_set(Some(answer.map(|s| editor.fill(s))));
        });
    };
    Effect::new(move |_| {
        chosen.track();
        errs.set(Vec::new());
        general.set(None);
        untrack(load);
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(id), Some(schedule)) = (chosen.get_untracked(), editor.schedule()) else { return };
        if busy.get_untracked() {
            return;
        }
        if let Err(list) = validate_schedule(&schedule) {
            errs.set(first_per_field(list));
            general.set(Some("请按提示修改后再保存。".into()));
            status.set(String::new());
            return;
        }
        errs.set(Vec::new());
        general.set(None);
        busy.set(true);
        spawn_local_scoped(async move {
            match api.save_place_schedule(id, &schedule).await {
                Ok(saved) => {
                    let name = saved.place.name.clone();
                    editor.fill(saved);
                    status.try_set(format!("已保存 {name} 的排班：群众预约即按新排班办理。"));
                }
                Err(e) => {
                    status.try_set(String::new());
                    show_error(errs, general, e);
                }
            }
            busy.try_set(false);
        });
    };
    let options = move || {
        places.with(|p| match p {
            Some(Ok(list)) => list
                .iter()
                .map(|p| {
                    let id = p.id;
                    view! { <option value=id.to_string() prop:selected=move || chosen.get() == Some(id)>{p.name.clone()}</option> }
                })
                .collect_view()
                .into_any(),
            _ => ().into_any(),
        })
    };
    let places_error = move || {
        places.with(|p| match p {
            Some(Err(e)) => Some(view! {
                <p class="form-error" role="alert">
                    {e.message.clone()} " "
                    <button type="button" class="link-button" on:click=move |_| load_places()>"重试"</button>
                </p>
            }),
            _ => None,
        })
    };
    view! {
        <h1>"预约排班"</h1>
        <p class="lead">"法律服务预约点的开放时间、每时段名额、可预约天数和停止预约的日期。法定节假日按节假日安排自动休息。"</p>
        {places_error}
        <div class="field c-sch-pick">
            <label for="c-sch-place">"预约点"</label>
            <select id="c-sch-place" on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>{options}</select>
        </div>
        <p id="c-sch-status" class="c-status" role="status" aria-live="polite">{move || status.get()}</p>
        {loading_or(loaded, load, move |()| form(editor, errs, general, busy, save))}
    }
}

/// A field's error text under `id`, tracked.
fn err(errs: Errors, field: String, id: String) -> impl IntoView {
    view! {
        <p class="err" id=id>
            {move || errs.with(|v| v.iter().find(|e| e.field == field).map(|e| e.message(Lang::Zh)))}
        </p>
    }
}

/// A safe id for a field's error: `place.window_days` → `c-sch-err-place-window_days`.
fn err_id(field: &str) -> String {
    format!("c-sch-err-{}", field.replace(['.', '[', ']'], "-").trim_end_matches('-'))
}

fn form(
    editor: Editor,
    errs: Errors,
    general: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    save: impl Fn(leptos::ev::SubmitEvent) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let number = move |id: &'static str,
                       field: &'static str,
                       label: &'static str,
                       hint: &'static str,
                       value: RwSignal<String>| {
        let e = err_id(field);
        let hint_id = format!("{id}-hint");
        let described = format!("{hint_id} {e}");
        let bad = move || errs.with(|v| v.iter().any(|x| x.field == field)).to_string();
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input type="text" inputmode="numeric" id=id bind:value=value aria-invalid=bad aria-describedby=described />
                <p class="hint" id=hint_id>{hint}</p>
                {err(errs, field.to_string(), e)}
            </div>
        }
    };
    let text = move |id: &'static str, field: &'static str, label: &'static str, value: RwSignal<String>| {
        let e = err_id(field);
        let bad = move || errs.with(|v| v.iter().any(|x| x.field == field)).to_string();
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input type="text" id=id bind:value=value aria-invalid=bad aria-describedby=e.clone() />
                {err(errs, field.to_string(), e)}
            </div>
        }
    };
    view! {
        <form novalidate on:submit=save class="c-sch-form">
            <section class="c-panel" aria-labelledby="c-sch-settings-title">
                <h2 id="c-sch-settings-title">"预约设置"</h2>
                <div class="c-inline-form">
                    {number("c-sch-slot-minutes", "place.slot_minutes", "每个时段（分钟）", "10–240 分钟", editor.slot_minutes)}
                    {number("c-sch-capacity", "capacity", "每时段名额", "1–50 人", editor.capacity)}
                    {number("c-sch-window-days", "place.window_days", "可提前预约天数", "1–90 天", editor.window_days)}
                    {number("c-sch-min-notice", "place.min_notice_minutes", "最少提前（分钟）", "群众须至少提前这么久预约；窗口代约不受限", editor.min_notice)}
                    {text("c-sch-name", "place.name", "名称", editor.name)}
                    {text("c-sch-address", "place.address", "地址", editor.address)}
                    {text("c-sch-phone", "place.phone", "电话", editor.phone)}
                </div>
            </section>
            {hours_panel(editor, errs)}
            {closed_panel(editor, errs)}
            <p class="form-error" role="alert">{move || general.get()}</p>
            <button type="submit" id="c-sch-save" class="primary c-sch-save" disabled=move || busy.get()>
                {move || if busy.get() { "正在保存…" } else { "保存排班" }}
            </button>
        </form>
    }
}

/// The weekly opening hours: a weekday may have several spans (morning, afternoon).
fn hours_panel(editor: Editor, errs: Errors) -> impl IntoView {
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
                        prop:value=move || get(key, |h| h.open.clone()) aria-invalid=bad aria-describedby=format!("c-sch-hours-hint {e}")
                        on:input=move |ev| { let v = event_target_value(&ev); set(key, &|h| h.open = v.clone()); } />
                </div>
                <div class="field">
                    <label for=format!("c-sch-close-{key}")>"结束"</label>
                    <input type="text" id=format!("c-sch-close-{key}") inputmode="numeric" maxlength="5" placeholder="17:00"
                        prop:value=move || get(key, |h| h.close.clone()) aria-invalid=bad aria-describedby=format!("c-sch-hours-hint {e}")
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
            <p class="hint" id="c-sch-hours-hint">"时间格式 09:00，结束最晚 24:00；一天可有上午、下午多段。没有开放时间的星期不接受预约。"</p>
            <ul class="c-sch-rows" id="c-sch-hours">
                <For each=move || rows.get() key=|l| l.key children=line />
            </ul>
            <p class="err" id="c-sch-err-hours">{overlap}</p>
            <button type="button" id="c-sch-add-hours" class="c-button" on:click=add>"添加开放时间"</button>
        </section>
    }
}

/// The place's own closed days (training, moving…), besides the holiday calendar's.
fn closed_panel(editor: Editor, errs: Errors) -> impl IntoView {
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
