//! 受理法律援助申请: the form that takes the application of a booking's applicant,
//! checking them in, with what they say of their matter and means (the pre-check's
//! answers, for reference only).

use crate::console::paths;
use crate::form::{Errors, Field, invalid, show_error};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::booking::{
    AidMatter, NoFinanceCheck, NoMeansTest, OpenLegalAid, PrecheckAnswers, StaffBookingRow, legal_aid_limits,
};
use ow_shared::validate::check_length;
use ow_shared::{ApiError, ErrorCode, FieldError, Lang};

/// The form that takes the application of `row`'s applicant (checking them in) and
/// goes to its page; `close` hides it.
pub fn open_form(row: StaffBookingRow, close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let api = crate::console::api::use_api();
    let matter = RwSignal::new(None::<AidMatter>);
    let no_means = RwSignal::new(None::<NoMeansTest>);
    let groups = RwSignal::new(Vec::<NoFinanceCheck>::new());
    let income = RwSignal::new(String::new());
    let limitation = RwSignal::new(String::new());
    let note = RwSignal::new(row.description.clone());
    let errs: Errors = crate::form::errors();
    let general = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let router = crate::nav::Router::get();
    let booking_id = row.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut problems = Vec::new();
        let income_text = income.get_untracked().trim().to_string();
        let monthly = if income_text.is_empty() {
            None
        } else {
            match income_text.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    problems.push(FieldError::new("income", ErrorCode::BadRequest));
                    None
                }
            }
        };
        let limit = limitation.get_untracked().trim().to_string();
        if !limit.is_empty() && ow_shared::calendar::parse(&limit).is_none() {
            problems.push(FieldError::new("limitation", ErrorCode::DateInvalid));
        }
        let text = note.get_untracked();
        problems.extend(check_length("note", &text, (0, legal_aid_limits::NOTE_MAX)));
        if !problems.is_empty() {
            errs.set(problems);
            return;
        }
        errs.set(Vec::new());
        general.set(None);
        let request = OpenLegalAid {
            answers: PrecheckAnswers {
                matter: matter.get_untracked(),
                no_means_test: no_means.get_untracked(),
                groups: groups.get_untracked(),
                monthly_income_per_person: monthly,
                limitation_ends_on: (!limit.is_empty()).then_some(limit),
            },
            note: text.trim().to_string(),
        };
        busy.set(true);
        spawn_local_scoped(async move {
            match api.open_legal_aid(booking_id, &request).await {
                Ok(case) => router.navigate(&paths::legal_aid(case.id)),
                Err(e) => {
                    let e = if e.code == ErrorCode::TransitionNotAllowed {
                        ApiError {
                            message: "该预约已受理过法律援助申请，或已取消、未到，不能再受理。".into(), ..e
                        }
                    } else {
                        e
                    };
                    show_error(errs, general, e);
                    busy.try_set(false);
                }
            }
        });
    };
    let income_msg = move || errs.with(|v| v.iter().any(|e| e.field == "income")).then_some("请填写整数金额（元）");
    let field = |name, id| Field::new(errs, name).control_id(id);
    view! {
        <section id="c-la-open" class="c-panel c-la-open" aria-labelledby="c-la-open-title">
            <h2 id="c-la-open-title" tabindex="-1">{format!("受理法律援助申请：{} {}", row.start, row.name)}</h2>
            <p class="hint">"以下为申请人所述情况，仅作审查参考（预审结果不是决定）。受理即为申请人签到，自受理之日起 7 日内作出决定。"</p>
            <form novalidate on:submit=submit class="c-inline-form">
                {field("matter", "c-la-matter").view("申请事项（第三十一条）", None, move |f| view! {
                    <select id=f.id() aria-describedby=f.described_by() on:change=move |ev| {
                        let v = event_target_value(&ev);
                        matter.set(AidMatter::ALL.into_iter().find(|m| code_of(m) == v));
                    }>
                        <option value="">"未说明"</option>
                        {AidMatter::ALL.map(|m| view! { <option value=code_of(&m)>{m.label(Lang::Zh)}</option> }).into_iter().collect_view()}
                    </select>
                })}
                {field("no_means_test", "c-la-no-means").view("不受经济困难条件限制的情形（第三十二条）", None, move |f| view! {
                    <select id=f.id() aria-describedby=f.described_by() on:change=move |ev| {
                        let v = event_target_value(&ev);
                        no_means.set(NoMeansTest::ALL.into_iter().find(|m| code_of(m) == v));
                    }>
                        <option value="">"无"</option>
                        {NoMeansTest::ALL.map(|m| view! { <option value=code_of(&m)>{m.label(Lang::Zh)}</option> }).into_iter().collect_view()}
                    </select>
                })}
                // Not `Field::view`: no shared code says "a whole number of yuan", so its own words.
                <div class="field">
                    <label for="c-la-income">"家庭人均月收入（元）"</label>
                    <input type="text" id="c-la-income" inputmode="numeric" bind:value=income
                        aria-invalid=invalid(errs, "income") aria-describedby="err-income" />
                    <p class="err" id="err-income">{income_msg}</p>
                </div>
                {field("limitation", "c-la-limitation").view(
                    "时效或期限届满日（如有）",
                    Some("不足 7 日的，可先行提供法律援助（第四十四条）。"),
                    move |f| view! {
                        <input type="date" id=f.id() bind:value=limitation
                            aria-invalid=f.invalid() aria-describedby=f.described_by() />
                    },
                )}
                <fieldset class="field c-la-groups">
                    <legend>"免予核查经济困难的情形（第四十二条）"</legend>
                    {NoFinanceCheck::ALL.iter().enumerate().map(|(i, g)| {
                        let g = *g;
                        let id = format!("c-la-group-{i}");
                        view! {
                            <div class="check">
                                <input type="checkbox" id=id.clone() prop:checked=move || groups.with(|v| v.contains(&g))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        groups.update(|v| {
                                            v.retain(|x| *x != g);
                                            if on { v.push(g) }
                                        });
                                    } />
                                <label for=id>{g.label(Lang::Zh)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                {field("note", "c-la-note").view("申请事项说明", None, move |f| view! {
                    <textarea id=f.id() rows="3" bind:value=note
                        aria-invalid=f.invalid() aria-describedby=f.described_by()></textarea>
                })}
                <p class="form-error" role="alert">{move || general.get()}</p>
                <div class="c-form-buttons c-la-wide">
                    <button type="submit" id="c-la-open-submit" class="primary" disabled=move || busy.get()>"受理申请"</button>
                    <button type="button" id="c-la-open-cancel" class="secondary" on:click=move |_| close()>"取消"</button>
                </div>
            </form>
        </section>
    }
}

/// The wire code of a unit enum.
fn code_of(value: &impl serde::Serialize) -> String {
    crate::console::ui::wire_code(value)
}
