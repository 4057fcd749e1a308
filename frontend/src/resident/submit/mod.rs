//! `/submit` 我要反映: the request form. Everything typed is kept (draft in localStorage,
//! never cleared on an error) and every resend of one draft carries the same
//! idempotency key, so a double tap or a dropped connection never makes two cases.

mod contact;
mod fields;
mod state;

use crate::components::photos::{PhotoPicker, PhotoState};
use crate::i18n::{page_title, tr, use_lang};
use crate::resident::{LastReceipt, Regions, api};
use crate::storage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ow_shared::{ApiError, ErrorCode};
use state::{Form, Notice};

/// The 我要反映 page.
#[component]
pub fn Submit() -> impl IntoView {
    page_title("我要反映", "Make a request");
    let lang = use_lang();
    let regions = expect_context::<Regions>();
    let form = Form::restore(regions);
    form.autosave();
    let router = crate::nav::Router::get();
    let last_receipt = expect_context::<LastReceipt>();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.sending.get_untracked() {
            return;
        }
        if form.photos.with_untracked(|v| v.iter().any(|p| p.state == PhotoState::Uploading)) {
            form.notice.set(Some(Notice::PhotosUploading));
            return;
        }
        let Some(req) = form.check_all() else { return };
        form.notice.set(None);
        form.sending.set(true);
        let key = form.key.get_untracked();
        spawn_local(async move {
            let result = api::submit_case(&req, &key).await;
            form.sending.try_set(false);
            // The key already made a case: its receipt is the answer this draft lost.
            let (receipt, replayed) = match result {
                Ok(receipt) => (receipt, false),
                Err(ApiError { code: ErrorCode::IdempotencyKeyReused, receipt: Some(receipt), .. }) => (*receipt, true),
                Err(error) => return form.show_server_error(error),
            };
            last_receipt.keep(receipt, replayed);
            storage::remove(storage::DRAFT);
            router.navigate("/receipt");
        });
    };
    let notice = move || form.notice.get().map(|n| n.text(lang.get()));
    view! {
        <h1>{tr("我要反映", "Make a request")}</h1>
        <p class="lead">
            {tr(
                "建议、求助、投诉、矛盾纠纷、检举、咨询，都可以在这里提出，无需区分找哪个部门。标注“选填”的项目可以不填。",
                "Suggestions, requests for help, complaints, disputes, accusations and inquiries are all taken here; you need not know which office is responsible.",
            )}
        </p>
        <p class="hint">
            {tr("填写内容会自动保存在本机，刷新页面不会丢失。", "What you type is saved on this device as you go.")}
        </p>
        <form novalidate on:submit=submit>
            {fields::case_type(form)}
            {fields::what(form, crate::browser::today())}
            {fields::place(form, regions)}
            {fields::dispute(form)}
            <PhotoPicker photos=form.photos errors=form.errors />
            {contact::contact(form)}
            <p id="form-error" class="form-error" role="alert">
                {notice}
            </p>
            <button type="submit" id="submit-case" class="primary" disabled=move || form.sending.get()>
                {move || if form.sending.get() { tr("正在提交…", "Submitting…")() } else { tr("提交", "Submit")() }}
            </button>
        </form>
    }
}
