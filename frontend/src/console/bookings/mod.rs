//! `/console/bookings` 预约 (clerks, leaders): a place's bookings of a day at the desk —
//! check-in, no-show, taking a legal-aid application — and booking on behalf of a
//! walk-in (代为预约, `walk_in`), by the residents' rules save the minimum notice.

mod cancel;
mod walk_in;

use super::api::Api;
use super::legal_aid;
use crate::browser::{focus, today};
use crate::console::ui::{page_title, refusal};
use crate::load::Loaded;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::booking::{BookingStatus, LegalService, PlaceInfo, StaffBookingRow, parse_hhmm};
use ow_shared::{ApiError, ErrorCode, Lang};

/// The place and day the desk works on; the list and the walk-in form follow them.
#[derive(Clone, Copy)]
struct Desk {
    api: Api,
    places: Loaded<Vec<PlaceInfo>>,
    place: RwSignal<Option<i64>>,
    date: RwSignal<String>,
    rows: Loaded<Vec<StaffBookingRow>>,
}

impl Desk {
    /// The chosen date when it is a date (tracked).
    fn valid_date(self) -> Option<String> {
        let date = self.date.get();
        ow_shared::calendar::parse(&date).map(|_| date)
    }

    /// Loads the chosen place's bookings of the chosen day; `quietly` keeps the list
    /// on screen meanwhile (after booking a walk-in).
    fn load_rows(self, quietly: bool) {
        let Some(place) = self.place.get_untracked() else { return };
        let date = untrack(|| self.valid_date());
        let api = self.api;
        let answer = async move {
            match date {
                Some(date) => api.day_bookings(place, &date).await,
                None => Err(ApiError::new(ErrorCode::DateInvalid)),
            }
        };
        if quietly { self.rows.reload_quietly(answer) } else { self.rows.load(answer) }
    }
}

/// The bookings page.
pub fn bookings_page() -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("预约");
    let desk = Desk {
        api,
        places: Loaded::new(),
        place: RwSignal::new(None),
        date: RwSignal::new(today()),
        rows: Loaded::new(),
    };
    let load_places = move || desk.places.load(api.booking_places());
    load_places();
    // The first place is chosen to begin with.
    Effect::new(move |_| {
        if let Some(list) = desk.places.ready()
            && desk.place.get_untracked().is_none()
        {
            desk.place.set(list.first().map(|p| p.id));
        }
    });
    // Another place or day: its list, with no stale one meanwhile.
    Effect::new(move |_| {
        desk.place.track();
        desk.date.track();
        untrack(|| desk.load_rows(false));
    });
    let status = RwSignal::new(String::new());
    // The booking whose legal-aid application is being taken.
    let opening = RwSignal::new(None::<StaffBookingRow>);
    // The booking whose cancellation is being confirmed.
    let cancelling = RwSignal::new(None::<StaffBookingRow>);
    let mark = move |id: i64, check_in: bool| {
        spawn_local_scoped(async move {
            let answer = if check_in { api.check_in(id).await } else { api.no_show(id).await };
            match answer {
                Ok(row) => {
                    status.try_set(format!("{} {}：{}", row.start, row.name, row.status.label(Lang::Zh)));
                    desk.rows.update(|list| {
                        if let Some(old) = list.iter_mut().find(|x| x.id == row.id) {
                            *old = row;
                        }
                    });
                    // The pressed button is gone: keep the keyboard on that booking.
                    request_animation_frame(move || focus(&format!("c-b-state-{id}")));
                }
                Err(e) => {
                    status.try_set(format!("未能办理：{}", refusal(&e)));
                }
            }
        });
    };
    let open_aid = move |row: StaffBookingRow| {
        cancelling.set(None);
        opening.set(Some(row));
        request_animation_frame(|| focus("c-la-open-title"));
    };
    let ask_cancel = move |row: StaffBookingRow| {
        opening.set(None);
        cancelling.set(Some(row));
        request_animation_frame(|| focus("c-b-cancel-title"));
    };
    let keep = move || {
        let id = cancelling.get_untracked().map(|r| r.id);
        cancelling.set(None);
        if let Some(id) = id {
            request_animation_frame(move || focus(&format!("c-b-state-{id}")));
        }
    };
    let cancelled = move |row: StaffBookingRow| {
        let id = row.id;
        status.try_set(format!("{} {}：{}", row.start, row.name, row.status.label(Lang::Zh)));
        cancelling.try_set(None);
        desk.rows.update(|list| {
            if let Some(old) = list.iter_mut().find(|x| x.id == row.id) {
                *old = row;
            }
        });
        // A waiting person may have got the place: the day as it is now, kept on screen meanwhile.
        desk.load_rows(true);
        request_animation_frame(move || focus(&format!("c-b-state-{id}")));
    };
    // The place's slot length, to say how many slots a booking holds.
    let slot_minutes = Signal::derive(move || {
        let id = desk.place.get()?;
        desk.places.with(|p| p.as_ref()?.as_ref().ok()?.iter().find(|x| x.id == id).map(|x| x.slot_minutes))
    });
    let place_options = move || {
        desk.places.ready().unwrap_or_default().into_iter().map(|p| {
            let id = p.id;
            view! { <option value=id.to_string() prop:selected=move || desk.place.get() == Some(id)>{p.name}</option> }
        }).collect_view()
    };
    let heading = move || match desk.valid_date() {
        Some(date) => format!("{date} 的预约"),
        None => "当日预约".to_string(),
    };
    view! {
        <h1>"法律服务预约"</h1>
        <p class="lead">"查看各预约点当日的预约和候补，办理签到、未到和取消预约，受理法律援助申请，为来访群众代为预约。"</p>
        {desk.places.status("c-b-places-load", load_places)}
        // The place and the day are what the desk looks at, not answers to check: no errors.
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
                {desk.rows.view("c-b-load", move || desk.load_rows(false), move |list| {
                    day_list(list, slot_minutes.get_untracked(), Acts { mark, open_aid, ask_cancel })
                })}
            </div>
        </section>
        {move || opening.get().map(|row| legal_aid::open_form(row, move || opening.set(None)))}
        {move || cancelling.get().map(|row| cancel::cancel_form(row, keep, cancelled))}
        {walk_in::walk_in_form(desk)}
    }
}

/// What the desk can do with a row.
#[derive(Clone, Copy)]
struct Acts<M, A, C> {
    /// Check-in (`true`) or no-show.
    mark: M,
    open_aid: A,
    /// Opens the cancellation's confirmation.
    ask_cancel: C,
}

/// The day's bookings: a table on wide screens, cards on narrow ones.
fn day_list<M, A, C>(list: Vec<StaffBookingRow>, slot_minutes: Option<u32>, acts: Acts<M, A, C>) -> impl IntoView
where
    M: Fn(i64, bool) + Copy + Send + Sync + 'static,
    A: Fn(StaffBookingRow) + Copy + Send + Sync + 'static,
    C: Fn(StaffBookingRow) + Copy + Send + Sync + 'static,
{
    if list.is_empty() {
        return view! { <p class="c-empty">"当日没有预约。"</p> }.into_any();
    }
    let rows = list.into_iter().map(|r| row(r, slot_minutes, acts)).collect_view();
    view! {
        {crate::console::ui::table(
            "c-table c-b-table",
            "当日预约（含候补）",
            &["时段", "服务", "姓名", "手机号码", "事项", "状态", "操作"],
            false.into(),
            rows,
        )}
    }
    .into_any()
}

/// "占 2 个时段" when a booking's span covers more than one slot of the place.
fn span_note(r: &StaffBookingRow, slot_minutes: Option<u32>) -> Option<String> {
    let minutes = parse_hhmm(&r.end)?.checked_sub(parse_hhmm(&r.start)?)?;
    let slots = minutes / slot_minutes.filter(|m| *m > 0)?;
    (slots > 1).then(|| format!("占 {slots} 个时段"))
}

/// One booking with what can be done with it now.
fn row<M, A, C>(r: StaffBookingRow, slot_minutes: Option<u32>, acts: Acts<M, A, C>) -> impl IntoView
where
    M: Fn(i64, bool) + Copy + Send + Sync + 'static,
    A: Fn(StaffBookingRow) + Copy + Send + Sync + 'static,
    C: Fn(StaffBookingRow) + Copy + Send + Sync + 'static,
{
    let Acts { mark, open_aid, ask_cancel } = acts;
    let id = r.id;
    let booked = r.status == BookingStatus::Booked;
    let cancellable = matches!(r.status, BookingStatus::Booked | BookingStatus::Waiting);
    let aid = r.service == LegalService::LegalAidApplication
        && matches!(r.status, BookingStatus::Booked | BookingStatus::CheckedIn);
    let who = format!("{} {}", r.start, r.name);
    let (who1, who2, who3, who4) = (who.clone(), who.clone(), who.clone(), who);
    let tel = format!("tel:{}", r.mobile);
    let status_class = format!("c-b-state c-b-state-{}", r.status.code());
    let span = span_note(&r, slot_minutes);
    let (r2, r3) = (r.clone(), r.clone());
    view! {
        <tr class="c-b-row" data-id=id data-code=r.code.clone() data-status=r.status.code()>
            <td data-label="时段">
                <span class="c-cell">
                    <strong class="c-b-time">{format!("{}–{}", r.start, r.end)}</strong>
                    {span.map(|s| view! { " " <span class="c-b-span">{s}</span> })}
                </span>
            </td>
            <td data-label="服务"><span class="c-cell">{r.service.label(Lang::Zh)}</span></td>
            <td data-label="姓名">
                <span class="c-cell">
                    {r.name.clone()} <span class="c-b-code">{format!("预约码 {}", r.code)}</span>
                    {r.urgent.then(|| view! { <span class="c-badge c-badge-overdue c-b-urgent">"紧急：时效将届满"</span> })}
                </span>
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
                " "
                {cancellable.then(|| view! {
                    <button type="button" class="c-button" id=format!("c-b-cancel-{id}")
                        aria-label=format!("取消预约：{who4}") on:click=move |_| ask_cancel(r3.clone())>
                        "取消预约"
                    </button>
                })}
            </td>
        </tr>
    }
}
