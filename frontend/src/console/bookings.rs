//! `/console/bookings` 预约 (clerks, leaders): a place's bookings of a day at the desk —
//! check-in, no-show, taking a legal-aid application — and booking on behalf of a
//! walk-in (代为预约), by the residents' rules save the minimum notice.

use crate::form::{Errors, error_text, first_per_field, invalid, show_error};
use crate::browser::{focus, new_key, today};
use crate::console::ui::{page_title};
use super::legal_aid;
use crate::console::ui::loading_or;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::booking::{
    BookRequest, BookingStatus, BookingView, LegalService, PlaceInfo, SlotInfo, StaffBookingRow, validate_book_request,
};
use ow_shared::{ApiError, ErrorCode, Lang};
use wasm_bindgen::JsValue;

type Loaded<T> = RwSignal<Option<Result<T, ApiError>>>;

/// The place and day the desk works on; the list and the walk-in form follow them.
#[derive(Clone, Copy)]
struct Desk {
    places: Loaded<Vec<PlaceInfo>>,
    place: RwSignal<Option<i64>>,
    date: RwSignal<String>,
    rows: Loaded<Vec<StaffBookingRow>>,
    /// Bumped to reload the day's list (after a walk-in).
    reload: RwSignal<u32>,
}

impl Desk {
    /// The chosen date when it is a date.
    fn valid_date(self) -> Option<String> {
        let date = self.date.get();
        ow_shared::calendar::parse(&date).map(|_| date)
    }
}

/// The bookings page.
pub fn bookings_page() -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("预约");
    let desk = Desk {
        places: RwSignal::new(None),
        place: RwSignal::new(None),
        date: RwSignal::new(today()),
        rows: RwSignal::new(None),
        reload: RwSignal::new(0),
    };
    let load_places = move || {
        spawn_local_scoped(async move {
            let answer = api.booking_places().await;
            if let Ok(list) = &answer
                && desk.place.get_untracked().is_none()
            {
                desk.place.try_set(list.first().map(|p| p.id));
            }
            desk.places.try_set(Some(answer));
        });
    };
    load_places();
    // Answers can overtake each other: only the newest request's answer is shown.
    let generation = StoredValue::new(0u32);
    let load_rows = move || {
        let Some(place) = desk.place.get_untracked() else { return };
        let Some(date) = desk.valid_date() else {
            desk.rows.set(Some(Err(ApiError::new(ErrorCode::DateInvalid))));
            return;
        };
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        spawn_local_scoped(async move {
            let answer = api.day_bookings(place, &date).await;
            if generation.try_get_value() == Some(mine) {
                desk.rows.try_set(Some(answer));
            }
        });
    };
    Effect::new(move |prev: Option<(Option<i64>, String)>| {
        let now = (desk.place.get(), desk.date.get());
        desk.reload.track();
        // Another place or day: no stale list meanwhile; a reload keeps the list shown.
        if prev.as_ref() != Some(&now) {
            desk.rows.set(None);
        }
        untrack(load_rows);
        now
    });
    let status = RwSignal::new(String::new());
    // The booking whose legal-aid application is being taken.
    let opening = RwSignal::new(None::<StaffBookingRow>);
    let mark = move |id: i64, check_in: bool| {
        spawn_local_scoped(async move {
            let answer = if check_in { api.check_in(id).await } else { api.no_show(id).await };
            match answer {
                Ok(row) => {
                    status.try_set(format!("{} {}：{}", row.start, row.name, row.status.label(Lang::Zh)));
                    desk.rows.try_update(|r| {
                        if let Some(Ok(list)) = r
                            && let Some(old) = list.iter_mut().find(|x| x.id == row.id)
                        {
                            *old = row;
                        }
                    });
                    // The pressed button is gone: keep the keyboard on that booking.
                    request_animation_frame(move || focus(&format!("c-b-state-{id}")));
                }
                Err(e) => {
                    status.try_set(format!("未能办理：{}", e.message));
                }
            }
        });
    };
    let open_aid = move |row: StaffBookingRow| {
        opening.set(Some(row));
        request_animation_frame(|| focus("c-la-open-title"));
    };
    let place_options = move || {
        desk.places.with(|p| match p {
            Some(Ok(list)) => list
                .iter()
                .map(|p| {
                    let id = p.id;
                    view! { <option value=id.to_string() prop:selected=move || desk.place.get() == Some(id)>{p.name.clone()}</option> }
                })
                .collect_view()
                .into_any(),
            _ => ().into_any(),
        })
    };
    let places_error = move || {
        desk.places.with(|p| match p {
            Some(Err(e)) => Some(view! {
                <p class="form-error" role="alert">
                    {e.message.clone()} " "
                    <button type="button" class="link-button" on:click=move |_| load_places()>"重试"</button>
                </p>
            }),
            _ => None,
        })
    };
    let heading = move || match desk.valid_date() {
        Some(date) => format!("{date} 的预约"),
        None => "当日预约".to_string(),
    };
    view! {
        <h1>"法律服务预约"</h1>
        <p class="lead">"查看各预约点当日的预约和候补，办理签到、未到，受理法律援助申请，为来访群众代为预约。"</p>
        {places_error}
        <div class="c-b-pick">
            <div class="field">
                <label for="c-b-place">"预约点"</label>
                <select id="c-b-place" on:change=move |ev| desk.place.set(event_target_value(&ev).parse().ok())>
                    {place_options}
                </select>
            </div>
            <div class="field">
                <label for="c-b-date">"日期"</label>
                <input type="date" id="c-b-date" bind:value=desk.date />
            </div>
        </div>
        <p id="c-b-status" class="c-status" role="status" aria-live="polite">{move || status.get()}</p>
        <section aria-labelledby="c-b-day-title">
            <h2 id="c-b-day-title">{heading}</h2>
            <div id="c-b-list" aria-busy=move || desk.rows.with(Option::is_none).to_string()>
                {loading_or(desk.rows, load_rows, move |list| day_list(list, mark, open_aid))}
            </div>
        </section>
        {move || opening.get().map(|row| legal_aid::open_form(row, move || opening.set(None)))}
        {walk_in_form(desk)}
    }
}

/// The day's bookings: a table on wide screens, cards on narrow ones.
fn day_list(
    list: Vec<StaffBookingRow>,
    mark: impl Fn(i64, bool) + Copy + Send + Sync + 'static,
    open_aid: impl Fn(StaffBookingRow) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="c-empty">"当日没有预约。"</p> }.into_any();
    }
    let rows = list.into_iter().map(|r| row(r, mark, open_aid)).collect_view();
    view! {
        <div class="c-table-wrap">
            <table class="c-table c-b-table">
                <caption class="visually-hidden">"当日预约（含候补）"</caption>
                <thead>
                    <tr>
                        <th scope="col">"时段"</th>
                        <th scope="col">"服务"</th>
                        <th scope="col">"姓名"</th>
                        <th scope="col">"手机号码"</th>
                        <th scope="col">"事项"</th>
                        <th scope="col">"状态"</th>
                        <th scope="col">"操作"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One booking with what can be done with it now.
fn row(
    r: StaffBookingRow,
    mark: impl Fn(i64, bool) + Copy + Send + Sync + 'static,
    open_aid: impl Fn(StaffBookingRow) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = r.id;
    let booked = r.status == BookingStatus::Booked;
    let aid = r.service == LegalService::LegalAidApplication
        && matches!(r.status, BookingStatus::Booked | BookingStatus::CheckedIn);
    let who = format!("{} {}", r.start, r.name);
    let (who1, who2, who3) = (who.clone(), who.clone(), who);
    let tel = format!("tel:{}", r.mobile);
    let status_class = format!("c-b-state c-b-state-{}", r.status.code());
    let r2 = r.clone();
    view! {
        <tr class="c-b-row" data-id=id data-code=r.code.clone() data-status=r.status.code()>
            <td data-label="时段"><span class="c-cell"><strong>{format!("{}–{}", r.start, r.end)}</strong></span></td>
            <td data-label="服务"><span class="c-cell">{r.service.label(Lang::Zh)}</span></td>
            <td data-label="姓名">
                <span class="c-cell">{r.name.clone()} <span class="c-b-code">{format!("预约码 {}", r.code)}</span></span>
            </td>
            <td data-label="手机号码"><span class="c-cell"><a href=tel>{r.mobile.clone()}</a></span></td>
            <td data-label="事项"><span class="c-cell c-b-description">{r.description.clone()}</span></td>
            <td data-label="状态">
                <span class="c-cell"><span id=format!("c-b-state-{id}") class=status_class tabindex="-1">{r.status.label(Lang::Zh)}</span></span>
            </td>
            <td class="c-row-actions">
                {booked.then(|| view! {
                    <button type="button" class="c-button" id=format!("c-b-checkin-{id}")
                        aria-label=format!("签到：{who1}") on:click=move |_| mark(id, true)>"签到"</button>
                    " "
                    <button type="button" class="c-button" id=format!("c-b-noshow-{id}")
                        aria-label=format!("未到：{who2}") on:click=move |_| mark(id, false)>"未到"</button>
                })}
                " "
                {aid.then(|| view! {
                    <button type="button" class="c-button" id=format!("c-b-legal-aid-{id}")
                        aria-label=format!("受理法律援助申请：{who3}") on:click=move |_| open_aid(r2.clone())>
                        "受理法律援助申请"
                    </button>
                })}
            </td>
        </tr>
    }
}

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
fn walk_in_form(desk: Desk) -> impl IntoView {
    let api = crate::console::api::use_api();
    let service = RwSignal::new(None::<LegalService>);
    let start = RwSignal::new(None::<String>);
    let name = RwSignal::new(String::new());
    let mobile = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let errs: Errors = RwSignal::new(Vec::new());
    let general = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<BookingView>);
    // Kept for retries of the same booking so a lost answer never books twice.
    let key = StoredValue::new(new_key());
    let slots: Loaded<(String, Vec<SlotInfo>)> = RwSignal::new(None);
    let load_slots = move || {
        let (Some(place), Some(date)) = (desk.place.get_untracked(), untrack(|| desk.valid_date())) else {
            slots.set(Some(Ok((String::new(), Vec::new()))));
            return;
        };
        slots.set(None);
        spawn_local_scoped(async move {
            let answer = api.booking_slots(place, &date).await;
            // Only the answer for what is still chosen.
            let still = desk.place.try_get_untracked() == Some(Some(place))
                && desk.date.try_get_untracked().as_deref() == Some(date.as_str());
            if still {
                slots.try_set(Some(answer.map(|v| (date, v))));
            }
        });
    };
    Effect::new(move |_| {
        desk.place.track();
        desk.date.track();
        start.set(None);
        untrack(load_slots);
    });
    let place_name = move || {
        desk.places.with(|p| {
            let id = desk.place.get()?;
            p.as_ref()?.as_ref().ok()?.iter().find(|x| x.id == id).map(|x| x.name.clone())
        })
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
                    desk.reload.try_update(|n| *n += 1);
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
        slots.with(|s| match s {
            None => view! { <p class="c-loading" role="status">"加载中…"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message.clone()}</p> }.into_any(),
            Some(Ok((_, list))) if list.is_empty() => {
                view! { <p class="c-empty">"当日不开放预约或没有时段。"</p> }.into_any()
            }
            Some(Ok((date, list))) => list
                .iter()
                .map(|s| {
                    let free = desk_bookable(s, date);
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
                .into_any(),
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
                <div class="field">
                    <label for="c-b-w-service">"服务"</label>
                    <select id="c-b-w-service" aria-invalid=invalid(errs, "service") aria-describedby="err-service"
                        on:change=move |ev| service.set(LegalService::from_code(&event_target_value(&ev)))>
                        <option value="" prop:selected=move || service.get().is_none()>"请选择服务"</option>
                        {LegalService::ALL.map(|s| view! {
                            <option value=s.code() prop:selected=move || service.get() == Some(s)>{s.label(Lang::Zh)}</option>
                        }).into_iter().collect_view()}
                    </select>
                    {error_text(errs, "service")}
                </div>
                <div class="field" role="group" aria-labelledby="c-b-w-slot-label" aria-describedby="err-start">
                    <p id="c-b-w-slot-label" class="c-label" tabindex="-1">"时段"</p>
                    <ul id="c-b-slots" class="c-b-slots" aria-busy=move || slots.with(Option::is_none).to_string()>
                        {slot_buttons}
                    </ul>
                    {error_text(errs, "start")}
                    {error_text(errs, "date")}
                </div>
                <div class="field">
                    <label for="c-b-w-name">"姓名"</label>
                    <input type="text" id="c-b-w-name" autocomplete="off" bind:value=name
                        aria-invalid=invalid(errs, "name") aria-describedby="err-name" />
                    {error_text(errs, "name")}
                </div>
                <div class="field">
                    <label for="c-b-w-mobile">"手机号码"</label>
                    <input type="tel" id="c-b-w-mobile" inputmode="numeric" autocomplete="off" bind:value=mobile
                        aria-invalid=invalid(errs, "mobile") aria-describedby="err-mobile" />
                    {error_text(errs, "mobile")}
                </div>
                <div class="field c-b-wide">
                    <label for="c-b-w-description">"事项简述"</label>
                    <textarea id="c-b-w-description" rows="3" maxlength="200" bind:value=description
                        aria-invalid=invalid(errs, "description") aria-describedby="err-description"></textarea>
                    {error_text(errs, "description")}
                </div>
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
