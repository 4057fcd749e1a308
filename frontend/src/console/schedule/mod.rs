//! `/console/schedule` 预约排班 (administrators): a booking place's settings (slot
//! length, places per slot, booking window, minimum notice), its weekly opening hours and
//! its own closed days (`rows`). Checked by the shared `validate_schedule`, as the server
//! checks it.

mod rows;

use crate::console::ui::page_title;
use crate::form::{Errors, Field, first_per_field, show_error};
use crate::load::Loaded;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::FieldError;
use ow_shared::booking::{ClosedDay, OpeningHours, PlaceInfo, PlaceSchedule, validate_schedule};

/// One editable row of hours or closed days; `key` stays while rows come and go.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Line<T> {
    pub(super) key: u32,
    pub(super) value: T,
}

/// The form's state: the place's settings as typed, the rows with their keys.
#[derive(Clone, Copy)]
pub(super) struct Editor {
    place: RwSignal<Option<PlaceInfo>>,
    capacity: RwSignal<String>,
    slot_minutes: RwSignal<String>,
    window_days: RwSignal<String>,
    min_notice: RwSignal<String>,
    name: RwSignal<String>,
    address: RwSignal<String>,
    phone: RwSignal<String>,
    pub(super) hours: RwSignal<Vec<Line<OpeningHours>>>,
    pub(super) closed: RwSignal<Vec<Line<ClosedDay>>>,
    next_key: StoredValue<u32>,
}

impl Editor {
    /// The form filled from `s`.
    fn new(s: PlaceSchedule) -> Editor {
        let text = || RwSignal::new(String::new());
        let editor = Editor {
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
        };
        editor.fill(s);
        editor
    }

    /// A new row's key.
    pub(super) fn key(self) -> u32 {
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
    let places = Loaded::<Vec<PlaceInfo>>::new();
    let chosen = RwSignal::new(None::<i64>);
    let schedule = Loaded::<PlaceSchedule>::new();
    let status = RwSignal::new(String::new());
    let load_places = move || places.load(api.booking_places());
    load_places();
    // The first place is chosen to begin with.
    Effect::new(move |_| {
        if let Some(list) = places.ready()
            && chosen.get_untracked().is_none()
        {
            chosen.set(list.first().map(|p| p.id));
        }
    });
    let load = move || {
        if let Some(id) = chosen.get_untracked() {
            schedule.load(api.place_schedule(id));
        }
    };
    Effect::new(move |_| {
        chosen.track();
        untrack(load);
    });
    let options =
        move || {
            places.ready().unwrap_or_default().into_iter().map(|p| {
            let id = p.id;
            view! { <option value=id.to_string() prop:selected=move || chosen.get() == Some(id)>{p.name}</option> }
        }).collect_view()
        };
    view! {
        <h1>"预约排班"</h1>
        <p class="lead">"法律服务预约点的开放时间、每时段名额、可预约天数和停止预约的日期。法定节假日按节假日安排自动休息。"</p>
        {places.status("c-sch-places-load", load_places)}
        // Which place to edit, not an answer to check: no error line.
        <div class="field c-sch-pick">
            <label for="c-sch-place">"预约点"</label>
            <select id="c-sch-place" on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>{options}</select>
        </div>
        <p id="c-sch-status" class="c-status" role="status" aria-live="polite">{move || status.get()}</p>
        {schedule.view("c-sch-load", load, move |s| form(s, status))}
    }
}

/// The settings' errors under their own names (`place.window_days` → `window_days`), so
/// that each is a `Field`; the rows' keep theirs (`hours[2]`, `closed_days[0].date`).
fn by_field(list: Vec<FieldError>) -> Vec<FieldError> {
    let named = |e: FieldError| match e.field.strip_prefix("place.") {
        Some(field) => FieldError { field: field.to_string(), ..e },
        None => e,
    };
    first_per_field(list.into_iter().map(named).collect())
}

/// The form of the schedule `s`, and saving it.
fn form(s: PlaceSchedule, status: RwSignal<String>) -> impl IntoView {
    let api = crate::console::api::use_api();
    let id = s.place.id;
    let editor = Editor::new(s);
    let errs: Errors = crate::form::errors();
    let general = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(schedule) = editor.schedule() else { return };
        if busy.get_untracked() {
            return;
        }
        if let Err(list) = validate_schedule(&schedule) {
            errs.set(by_field(list));
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
                Err(mut e) => {
                    status.try_set(String::new());
                    // The message from `show_error`; the fields keep their rows.
                    let fields = std::mem::take(&mut e.fields);
                    show_error(errs, general, e);
                    errs.try_set(by_field(fields));
                }
            }
            busy.try_set(false);
        });
    };
    let number = move |name: &'static str,
                       id: &'static str,
                       label: &'static str,
                       hint: &'static str,
                       value: RwSignal<String>| {
        Field::new(errs, name).control_id(id).view(label, Some(hint), move |f| {
            view! {
                <input type="text" inputmode="numeric" id=f.id() bind:value=value
                    aria-invalid=f.invalid() aria-describedby=f.described_by() />
            }
        })
    };
    let text = move |name: &'static str, id: &'static str, label: &'static str, value: RwSignal<String>| {
        Field::new(errs, name).control_id(id).view(label, None, move |f| view! {
            <input type="text" id=f.id() bind:value=value aria-invalid=f.invalid() aria-describedby=f.described_by() />
        })
    };
    view! {
        <form novalidate on:submit=save class="c-sch-form">
            <section class="c-panel" aria-labelledby="c-sch-settings-title">
                <h2 id="c-sch-settings-title">"预约设置"</h2>
                <div class="c-inline-form">
                    {number("slot_minutes", "c-sch-slot-minutes", "每个时段（分钟）", "10–240 分钟", editor.slot_minutes)}
                    {number("capacity", "c-sch-capacity", "每时段名额", "1–50 人", editor.capacity)}
                    {number("window_days", "c-sch-window-days", "可提前预约天数", "1–90 天", editor.window_days)}
                    {number("min_notice_minutes", "c-sch-min-notice", "最少提前（分钟）", "群众须至少提前这么久预约；窗口代约不受限", editor.min_notice)}
                    {text("name", "c-sch-name", "名称", editor.name)}
                    {text("address", "c-sch-address", "地址", editor.address)}
                    {text("phone", "c-sch-phone", "电话", editor.phone)}
                </div>
            </section>
            {rows::hours_panel(editor, errs)}
            {rows::closed_panel(editor, errs)}
            <p class="form-error" role="alert">{move || general.get()}</p>
            <button type="submit" id="c-sch-save" class="primary c-sch-save" disabled=move || busy.get()>
                {move || if busy.get() { "正在保存…" } else { "保存排班" }}
            </button>
        </form>
    }
}
