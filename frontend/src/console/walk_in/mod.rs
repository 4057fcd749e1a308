//! `/console/walk-in` 代办登记: a clerk registers a visit, call or letter on the
//! resident's behalf. The same fields, ids and shared validation as the resident's
//! form (`fields`), plus how the matter came in, how many people came (集体访, at most
//! 5 representatives) and, while typing, possible repeats (重复访) to link (`repeats`).

mod fields;
mod repeats;
mod state;

use super::{LastReceipt, Lookups, paths};
use crate::form::show_error;
use crate::load::Loaded;
use crate::nav::Router;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::console::RepeatCandidate;
use ow_shared::{ApiError, ErrorCode};
use state::Form;

/// The walk-in page.
pub fn walk_in_page() -> impl IntoView {
    let api = crate::console::api::use_api();
    crate::console::ui::page_title("代办登记");
    let lookups = expect_context::<Lookups>();
    let last = expect_context::<LastReceipt>();
    let router = Router::get();
    let form = Form::new(lookups);
    let repeats = Loaded::<Vec<RepeatCandidate>>::new();
    repeats::watch_repeats(form, repeats);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.sending.get_untracked() {
            return;
        }
        let Some(req) = form.check_all() else { return };
        form.general.set(None);
        form.sending.set(true);
        let key = form.key.get_value();
        spawn_local_scoped(async move {
            let result = api.walk_in(&req, &key).await;
            form.sending.try_set(false);
            let (receipt, replayed) = match result {
                Ok(receipt) => (receipt, false),
                Err(ApiError { code: ErrorCode::IdempotencyKeyReused, receipt: Some(r), .. }) => (*r, true),
                Err(e) => {
                    if e.code == ErrorCode::IdempotencyKeyReused {
                        form.key.try_set_value(crate::browser::new_key());
                    }
                    show_error(form.errs, form.general, e);
                    return;
                }
            };
            last.keep(receipt, replayed);
            router.navigate(paths::RECEIPT);
        });
    };
    view! {
        <h1>"代办登记"</h1>
        <p class="lead">"群众来访、来电、来信反映的事项，由窗口人员代为登记（无差别受理），登记后打印回执交群众。"</p>
        <form novalidate on:submit=submit class="c-walkin">
            {fields::intake(form)}
            {fields::case_type(form)}
            {fields::what(form)}
            {fields::place(form)}
            {fields::dispute(form)}
            {fields::contact(form)}
            {repeats::repeat_hints(form, repeats)}
            {fields::privacy(form)}
            <p id="c-walkin-error" class="form-error" role="alert">{move || form.general.get()}</p>
            <button type="submit" id="c-walkin-submit" class="primary" disabled=move || form.sending.get()>
                {move || if form.sending.get() { "正在登记…" } else { "登记并出具回执" }}
            </button>
        </form>
    }
}
