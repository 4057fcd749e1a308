//! `/booking/slot`: the place, then a day of its booking window, then a time. The
//! day-and-time picker is shared with rescheduling on 我的预约.

use super::{api, day_label, href, paths, service_from_code};
use crate::i18n::{page_title, tr, use_lang};
use crate::load::Loaded;
use crate::nav::query_param;
use leptos::prelude::*;
use ow_shared::booking::{DayInfo, LegalService, PlaceInfo, SlotInfo};

/// Place, day and time of a new booking.
#[component]
pub fn SlotPage() -> impl IntoView {
    page_title("选择时间", "Choose a time");
    let lang = use_lang();
    let code = query_param("service").unwrap_or_default();
    let service = service_from_code(&code);
    let places: Loaded<Vec<PlaceInfo>> = Loaded::new();
    let fetch = move || places.load(api::places());
    fetch();
    let place = RwSignal::new(query_param("place").and_then(|p| p.parse::<i64>().ok()));
    // The only place is chosen for the resident.
    Effect::new(move |_| {
        if let Some(list) = places.ready()
            && list.len() == 1
            && place.get_untracked().is_none()
        {
            place.set(Some(list[0].id));
        }
    });
    let router = crate::nav::Router::get();
    // The pre-check's urgent flag, passed on to the details and the booking.
    let urgent = query_param("urgent").filter(|u| u == "1").unwrap_or_default();
    let pick = move |date: String, start: String, waitlist: bool| {
        let place = place.get_untracked().map(|p| p.to_string()).unwrap_or_default();
        let params = [
            ("service", code.as_str()),
            ("place", &place),
            ("date", &date),
            ("start", &start),
            ("waitlist", if waitlist { "1" } else { "" }),
            ("urgent", urgent.as_str()),
        ];
        router.navigate(&href(paths::DETAILS, &params));
    };
    let chosen = move || places.ready().and_then(|v| v.into_iter().find(|p| Some(p.id) == place.get()));
    let options = move || {
        places.ready().map(|v| {
            v.into_iter()
                .map(|p| view! { <option value=p.id.to_string() selected=Some(p.id) == place.get_untracked()>{p.name}</option> })
                .collect_view()
        })
    };
    view! {
        <h1>{tr("选择地点和时间", "Choose a place and time")}</h1>
        <p class="lead" id="b-slot-service">
            {tr("预约服务：", "Service: ")}
            {move || service.map(|s| s.label(lang.get()))}
            " "
            <a href=paths::SERVICES>{tr("更换服务", "Change")}</a>
        </p>
        {places.status("b-places-status", fetch)}
        <div class="field">
            <label for="b-place">{tr("办理地点", "Place")}</label>
            <select id="b-place" on:change=move |ev| place.set(event_target_value(&ev).parse().ok())>
                <option value="" selected=place.get_untracked().is_none()>{tr("请选择办理地点", "Choose a place")}</option>
                {options}
            </select>
            <p class="hint" id="b-place-info">
                {move || {
                    chosen()
                        .map(|p| {
                            // Tap to call; the number never breaks across lines.
                            let tel = format!("tel:{}", p.phone);
                            view! {
                                {p.address}
                                " · "
                                <a class="b-nowrap" href=tel>{p.phone}</a>
                            }
                        })
                }}
            </p>
        </div>
        {day_slots(place.into(), Signal::stored(service), query_param("date"), pick)}
    }
}

/// The days of `place` and, once one is chosen, its start times for `service` (as many
/// free consecutive slots as it takes). `pick(date, start, waitlist)` runs when a time
/// (or a full time's waiting list) is chosen.
pub fn day_slots(
    place: Signal<Option<i64>>,
    service: Signal<Option<LegalService>>,
    initial: Option<String>,
    pick: impl Fn(String, String, bool) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let days: Loaded<Vec<DayInfo>> = Loaded::new();
    let day = RwSignal::new(initial);
    // The times with the day they are of.
    let slots: Loaded<(String, Vec<SlotInfo>)> = Loaded::new();
    let fetch_days = move || {
        if let Some(id) = place.get_untracked() {
            days.load(api::days(id, service.get_untracked()));
        }
    };
    let fetch_slots = move || {
        if let (Some(id), Some(date)) = (place.get_untracked(), day.get_untracked()) {
            let service = service.get_untracked();
            slots.load(async move { api::slots(id, &date, service).await.map(|v| (date, v)) });
        }
    };
    Effect::new(move |prev: Option<Option<i64>>| {
        let now = place.get();
        // Another place: its days, and no day chosen yet.
        if prev.is_some_and(|p| p != now) {
            day.set(None);
        }
        untrack(fetch_days);
        now
    });
    Effect::new(move |_| {
        day.track();
        place.track();
        untrack(fetch_slots);
    });
    let day_list = move || {
        days.ready().map(|v| {
            v.into_iter()
                .map(|d| {
                    let date = d.date.clone();
                    let date2 = d.date.clone();
                    let pressed = move || (day.get().as_deref() == Some(date2.as_str())).to_string();
                    let l = lang.get_untracked();
                    let note = if !d.open {
                        d.note.clone()
                    } else if d.free == 0 {
                        // Full, or too late today: no time left to book either way.
                        l.pick("暂无空位", "None free").to_string()
                    } else {
                        format!("{}{}{}", l.pick("余 ", ""), d.free, l.pick("", " free"))
                    };
                    view! {
                        <li>
                            <button type="button" class="b-day" data-date=d.date.clone() disabled=!d.open
                                aria-pressed=pressed on:click=move |_| day.set(Some(date.clone()))>
                                <span class="b-day-date">{day_label(&d.date, lang.get())}</span>
                                <span class="b-day-note">{note}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let slot_list = move || {
        let date = day.get()?;
        let pick = pick.clone();
        let (of, list) = slots.ready()?;
        (of == date).then(|| list.into_iter().map(move |s| slot_item(s, date.clone(), pick.clone())).collect_view())
    };
    view! {
        <section class="b-picker" aria-labelledby="b-days-title" hidden=move || place.get().is_none()>
            <h2 id="b-days-title">{tr("选择日期", "Choose a day")}</h2>
            {days.status("b-days-status", fetch_days)}
            <ul class="b-days">{day_list}</ul>
            <h2 id="b-slots-title">{tr("选择时段", "Choose a time")}</h2>
            <p class="hint" hidden=move || day.get().is_some()>{tr("请先选择日期。", "Choose a day first.")}</p>
            <div hidden=move || day.get().is_none()>{slots.status("b-slots-status", fetch_slots)}</div>
            <ul class="b-slots" aria-labelledby="b-slots-title" aria-busy=move || slots.with(Option::is_none).to_string()
                data-date=move || slots.with(|s| s.as_ref().and_then(|r| r.as_ref().ok()).map(|(d, _)| d.clone()))>
                {slot_list}
            </ul>
        </section>
    }
}

/// One time: bookable with the places left, or full with the waiting list offered.
fn slot_item(s: SlotInfo, date: String, pick: impl Fn(String, String, bool) + Clone + 'static) -> impl IntoView {
    let lang = use_lang();
    let full = s.remaining == 0;
    let left = move || {
        let l = lang.get();
        if full {
            l.pick("已满", "Full").to_string()
        } else if !s.bookable {
            l.pick("不可预约", "Not bookable").to_string()
        } else {
            format!("{}{}{}", l.pick("剩余 ", ""), s.remaining, l.pick(" 个名额", " places left"))
        }
    };
    let (start, start2) = (s.start.clone(), s.start.clone());
    let (date2, pick2) = (date.clone(), pick.clone());
    let wait = full.then(|| {
        let text = s.start.clone();
        view! {
            <button type="button" class="secondary b-join-wait" data-start=s.start.clone()
                on:click=move |_| pick2(date2.clone(), start2.clone(), true)>
                {move || format!("{} {}", lang.get().pick("加入候补", "Join the waiting list"), text)}
            </button>
        }
    });
    view! {
        <li class="b-slot-item">
            <button type="button" class="b-slot" data-start=s.start.clone() disabled=!s.bookable
                on:click=move |_| pick(date.clone(), start.clone(), false)>
                <span class="b-slot-time">{format!("{}–{}", s.start, s.end)}</span>
                <span class="b-slot-left">{left}</span>
            </button>
            {wait}
        </li>
    }
}
