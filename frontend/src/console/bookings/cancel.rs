//! 取消预约 at the desk: a booking or a waiting-list place cancelled for a resident
//! (a duplicate, a call to cancel), with the reason required and a confirmation step —
//! the row's button opens this panel, which says what will happen before anything is
//! sent. The server records it as an event with who, when and why; the place goes to
//! the slot's waiting list.

use crate::form::{Errors, Field, show_error};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::Lang;
use ow_shared::booking::{BookingStatus, StaffBookingRow, StaffCancelRequest, validate_staff_cancel};

/// The confirmation of cancelling `row`; `close` hides it, `done` gets the cancelled row.
pub(super) fn cancel_form(
    row: StaffBookingRow,
    close: impl Fn() + Copy + Send + Sync + 'static,
    done: impl Fn(StaffBookingRow) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let api = crate::console::api::use_api();
    let reason = RwSignal::new(String::new());
    let errs: Errors = crate::form::errors();
    let general = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = row.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let reason = match validate_staff_cancel(&StaffCancelRequest { reason: reason.get_untracked() }) {
            Ok(reason) => reason,
            Err(list) => {
                errs.set(list);
                general.set(None);
                crate::browser::focus("c-b-cancel-reason");
                return;
            }
        };
        errs.set(Vec::new());
        general.set(None);
        busy.set(true);
        spawn_local_scoped(async move {
            match api.cancel_booking(id, &reason).await {
                Ok(row) => done(row),
                Err(e) => {
                    show_error(errs, general, e);
                    busy.try_set(false);
                }
            }
        });
    };
    let what = if row.status == BookingStatus::Waiting { "候补" } else { "预约" };
    let title = format!("取消{what}：{}–{} {}", row.start, row.end, row.name);
    let consequence = format!(
        "将取消 {} {}–{} {}（预约码 {}）的{what}。取消后不能恢复；空出的名额自动给候补的第一位群众。取消原因会记录在案。",
        row.service.label(Lang::Zh),
        row.start,
        row.end,
        row.name,
        row.code
    );
    let field = Field::new(errs, "reason").control_id("c-b-cancel-reason");
    view! {
        <section id="c-b-cancel" class="c-panel" aria-labelledby="c-b-cancel-title">
            <h2 id="c-b-cancel-title" tabindex="-1">{title}</h2>
            <p id="c-b-cancel-what">{consequence}</p>
            <form novalidate on:submit=submit class="c-b-cancel-form">
                {field.view("取消原因（必填）", Some("如：重复预约、群众来电取消。"), move |f| view! {
                    <textarea id=f.id() rows="2" maxlength="200" bind:value=reason
                        aria-invalid=f.invalid() aria-describedby=f.described_by()></textarea>
                })}
                <p class="form-error" role="alert">{move || general.get()}</p>
                <div class="c-form-buttons">
                    <button type="submit" id="c-b-cancel-confirm" class="primary" disabled=move || busy.get()>
                        {move || if busy.get() { "正在取消…" } else { "确认取消" }}
                    </button>
                    <button type="button" id="c-b-cancel-keep" class="secondary" on:click=move |_| close()>
                        "不取消"
                    </button>
                </div>
            </form>
        </section>
    }
}
