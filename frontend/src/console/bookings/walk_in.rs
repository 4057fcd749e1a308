//! 代为预约: the desk books for someone at the window, in the place and day the desk
//! has chosen, by the residents' rules save the minimum notice.

use super::Desk;
use crate::browser::{focus, new_key, today};
use crate::form::{Errors, Field, error_text, first_per_field, show_error};
use crate::load::Loaded;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::booking::{BookRequest, BookingView, LegalService, SlotInfo, validate_book_request};
use ow_shared::{ErrorCode, Lang};
use wasm_bindgen::JsValue;

/// `HH:MM` now in Asia/Shanghai.
fn now_hhmm() -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(js_sys::Date::now() + 8.0 * 3_600_000.0));
    format!("{:02}:{:02}", d.get_utc_hours(), d.get_utc_minutes())
}

/// Whether the desk may still book `slot` of `date`: it has room and has not ended
/// (the minimum notice that binds residents does not bind the desk).
fn desk_bookable(slot: &SlotInfo, date: &str) -> bool {
    let today = today();
    slot.remaining > 0 && (date > today.as_str() || (date == today && slot.end.as_str() > now_hhmm().as_str()))
}

/// 代为预约: a booking for someone at the window, in the chosen place and day.
pub(super) fn walk_in_form(desk: Desk) -> impl IntoView {
    let api = crate::console::api::use_api();
    let service = RwSignal::new(None::<LegalService>);
    let start = RwSignal::new(None::<String>);
    let name = RwSignal::new(String::new());
    let mobile = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let errs: Errors = crate::form::errors();
    let general = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<BookingView>);
    // Kept for retries of the same booking so a lost answer never books twice.
    let key = StoredValue::new(new_key());
    // The start times with the date and service they are of.
    let slots = Loaded::<(String, Option<LegalService>, Vec<SlotInfo>)>::new();
    let load_slots = move || {
        let (Some(place), Some(date)) = (desk.place.get_untracked(), untrack(|| desk.valid_date())) else {
            slots.set((String::new(), None, Vec::new()));
            return;
        };
        let service = service.get_untracked();
        slots.load(async move { api.booking_slots(place, &date, service).await.map(|v| (date, service, v)) });
    };
    // Another place, day or service: its start times (a one-hour service starts only
    // where two half-hour slots are free), and no time chosen yet.
    Effect::new(move |_| {
        desk.place.track();
        desk.date.track();
        service.track();
        start.set(None);
        untrack(load_slots);
    });
    let place_name = move || {
        let id = desk.place.get()?;
        desk.places.with(|p| p.as_ref()?.as_ref().ok()?.iter().find(|x| x.id == id).map(|x| x.name.clone()))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = BookRequest {
            place_id: desk.place.get_untracked().unwrap_or_default(),
            service: service.get_untracked(),
            date: desk.date.get_untracked(),
            start: start.get_untracked().unwrap_or_default(),
            name: name.get_untracked(),
            mobile: mobile.get_untracked(),
            description: description.get_untracked(),
            waitlist: false,
            urgent: false,
        };
        let request = match validate_book_request(&request) {
            Ok(r) => r,
            Err(list) => {
                let list = first_per_field(list);
                let first = list.first().map(|e| e.field.clone()).unwrap_or_default();
                errs.set(list);
                general.set(Some("请按提示修改后再提交。".into()));
                focus(field_id(&first));
                return;
            }
        };
        errs.set(Vec::new());
        general.set(None);
        busy.set(true);
        let k = key.get_value();
        spawn_local_scoped(async move {
            match api.book_walk_in(&request, &k).await {
                Ok(view) => {
                    key.set_value(new_key());
                    done.try_set(Some(view));
                    for s in [name, mobile, description] {
                        s.try_set(String::new());
                    }
                    start.try_set(None);
                    desk.load_rows(true);
                    load_slots();
                    request_animation_frame(|| focus("c-b-walkin-done"));
                }
                Err(e) => {
                    // The server answered: nothing was stored under this key.
                    if e.code != ErrorCode::Network {
                        key.set_value(new_key());
                    }
                    if e.code == ErrorCode::SlotFull {
                        load_slots();
                    }
                    show_error(errs, general, e);
                }
            }
            busy.try_set(false);
        });
    };
    let slot_buttons = move || {
        slots.ready().map(|(date, _, list)| {
            if list.is_empty() {
                return view! { <li class="c-empty">"当日不开放预约或没有时段。"</li> }.into_any();
            }
            list.into_iter()
                .map(|s| {
                    let free = desk_bookable(&s, &date);
                    let value = s.start.clone();
                    let v2 = value.clone();
                    let left = if s.remaining == 0 { "已满".to_string() } else { format!("余 {}", s.remaining) };
                    view! {
                        <li>
                            <button type="button" class="c-b-slot" data-start=value.clone() disabled=!free
                                aria-pressed=move || (start.get().as_deref() == Some(v2.as_str())).to_string()
                                on:click=move |_| start.set(Some(value.clone()))>
                                <span class="c-b-slot-time">{format!("{}–{}", s.start, s.end)}</span>
                                " "
                                <span class="c-b-slot-left">{left}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    let result = move || {
        done.get().map(|v| {
            let wait = v.waitlist_position.map(|n| format!("（候补第 {n} 位）")).unwrap_or_default();
            view! {
                <div id="c-b-walkin-done" class="c-b-done" tabindex="-1">
                    <p>
                        "已为 " {v.name_masked.clone()} " 预约" {wait} "，预约码 "
                        <strong id="c-b-walkin-code" class="c-b-code-big">{v.code.clone()}</strong>
                    </p>
                    <p>{format!("{} {} {}–{}，{}", v.service.label(Lang::Zh), v.date, v.start, v.end, v.place.name)}</p>
                    <p class="hint">"请告知群众预约码：凭预约码和手机号可查询、改约或取消。"</p>
                </div>
            }
        })
    };
    let field = |name, id| Field::new(errs, name).control_id(id);
    view! {
        <section id="c-b-walkin" class="c-panel" aria-labelledby="c-b-walkin-title">
            <h2 id="c-b-walkin-title">"代为预约"</h2>
            <p>
                "为来访群众预约 " <strong>{place_name}</strong> " "
                <strong>{move || desk.date.get()}</strong>
                " 的时段（在上方更换预约点和日期）。窗口代约不受提前预约时间限制。"
            </p>
            <div role="status" aria-live="polite">{result}</div>
            <form novalidate on:submit=submit class="c-b-walkin-form">
                {field("service", "c-b-w-service").view("服务", None, move |f| view! {
                    <select id=f.id() aria-invalid=f.invalid() aria-describedby=f.described_by()
                        on:change=move |ev| service.set(LegalService::from_code(&event_target_value(&ev)))>
                        <option value="" prop:selected=move || service.get().is_none()>"请选择服务"</option>
                        {LegalService::ALL.map(|s| view! {
                            <option value=s.code() prop:selected=move || service.get() == Some(s)>{s.label(Lang::Zh)}</option>
                        }).into_iter().collect_view()}
                    </select>
                })}
                // A group of buttons, not one labelled control: its parts by hand.
                <div class="field" role="group" aria-labelledby="c-b-w-slot-label" aria-describedby="err-start err-date">
                    <p id="c-b-w-slot-label" class="c-label" tabindex="-1">"时段"</p>
                    {slots.status("c-b-slots-load", load_slots)}
                    <ul id="c-b-slots" class="c-b-slots" aria-busy=move || slots.with(Option::is_none).to_string()
                        data-service=move || slots.with(|s| {
                            s.as_ref().and_then(|r| r.as_ref().ok()).and_then(|(_, service, _)| service.map(LegalService::code))
                        })>
                        {slot_buttons}
                    </ul>
                    {error_text(errs, "start")}
                    {error_text(errs, "date")}
                </div>
                {field("name", "c-b-w-name").view("姓名", None, move |f| view! {
                    <input type="text" id=f.id() autocomplete="off" bind:value=name
                        aria-invalid=f.invalid() aria-describedby=f.described_by() />
                })}
                {field("mobile", "c-b-w-mobile").view("手机号码", None, move |f| view! {
                    <input type="tel" id=f.id() inputmode="numeric" autocomplete="off" bind:value=mobile
                        aria-invalid=f.invalid() aria-describedby=f.described_by() />
                })}
                {field("description", "c-b-w-description").view("事项简述", None, move |f| view! {
                    <textarea id=f.id() rows="3" maxlength="200" bind:value=description
                        aria-invalid=f.invalid() aria-describedby=f.described_by()></textarea>
                })}
                <p class="form-error" role="alert">{move || general.get()}</p>
                <button type="submit" id="c-b-walkin-submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { "正在预约…" } else { "代为预约" }}
                </button>
            </form>
        </section>
    }
}

/// The control to focus for a field's error.
fn field_id(field: &str) -> &'static str {
    match field {
        "service" => "c-b-w-service",
        "name" => "c-b-w-name",
        "mobile" => "c-b-w-mobile",
        "description" => "c-b-w-description",
        "date" => "c-b-date",
        _ => "c-b-w-slot-label",
    }
}
