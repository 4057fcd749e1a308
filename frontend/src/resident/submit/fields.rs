//! The sections of the submission form. Element ids (`f-*`, `err-*`, `count-*`) are a
//! contract with the browser tests.

use super::state::Form;
use crate::form::{error_text, invalid, label};
use crate::i18n::{tr, use_lang};
use crate::resident::Regions;
use leptos::prelude::*;
use ow_shared::dto::SubmitCaseRequest;
use ow_shared::validate::limits;
use ow_shared::{CaseType, Mediation};

/// 类型: one radio per case type.
pub fn case_type(form: Form) -> impl IntoView {
    let lang = use_lang();
    let choices = CaseType::ALL.map(|t| {
        let id = format!("f-case_type-{}", t.code());
        let choose = move |_| {
            form.req.update(|r| r.case_type = Some(t));
            form.check("case_type");
        };
        view! {
            <div class="choice">
                <input
                    type="radio"
                    name="case_type"
                    id=id.clone()
                    value=t.code()
                    prop:checked=move || form.req.with(|r| r.case_type == Some(t))
                    aria-invalid=invalid(form.errors, "case_type")
                    aria-describedby="err-case_type"
                    on:change=choose
                />
                <label for=id>{move || t.label(lang.get())}</label>
            </div>
        }
    });
    let accusation = move || form.req.with(|r| r.case_type.is_some_and(|t| t.hides_identity_from_departments()));
    view! {
        <fieldset class="field">
            <legend>{tr("类型", "Type")}</legend>
            <div class="choices">{choices.into_iter().collect_view()}</div>
            {error_text(form.errors, "case_type")}
        </fieldset>
        <Show when=accusation>
            <p class="notice" id="accusation-notice">
                {tr(
                    "检举事项：依据《信访工作条例》第三十条，您的身份信息和检举材料严格保密，绝不提供给承办部门和被检举人。",
                    "Accusations: under Art.30 of the Regulations on Letters and Visits, your identity and material are kept confidential and never shown to the handling department or the accused.",
                )}
            </p>
        </Show>
    }
}

/// 标题, 详细情况, 发生日期.
pub fn what(form: Form, today: String) -> impl IntoView {
    let e = form.errors;
    view! {
            <div class="field">
    {label("title", "标题", "Title", false, Some(("一句话说明是什么事", "The matter in a few words")))}
                {text_input(form, TextInput { field: "title", kind: "text", autocomplete: "off", inputmode: None, spellcheck: None, described_by: "hint-title count-title err-title", get: |r| &r.title, set: |r, v| r.title = v })}
                {crate::form::counter("title", limits::TITLE.1, form.text(|r| &r.title))}
            {error_text(e, "title")}
    </div>
            <div class="field">
    {label("description", "详细情况", "Details", false, Some(("发生了什么、涉及谁、希望怎样解决", "What happened, who is involved, what you hope for")))}
                <textarea
                    id="f-description"
                    rows="6"
                    prop:value=form.initial(|r| &r.description)
                    aria-invalid=invalid(e, "description")
                    aria-describedby="hint-description count-description err-description"
                    on:input=form.edit("description", |r, v| r.description = v)
                    on:blur=form.on_leave("description")
                ></textarea>
                {crate::form::counter("description", limits::DESCRIPTION.1, form.text(|r| &r.description))}
            {error_text(e, "description")}
    </div>
            <div class="field">
    {label("occurred_on", "发生日期", "Date it happened", false, Some(("年-月-日，如 2026-12-01", "Year-month-day, e.g. 2026-12-01")))}
                <input
                    type="date"
                    id="f-occurred_on"
                    max=today
                    prop:value=form.initial(|r| &r.occurred_on)
                    aria-invalid=invalid(e, "occurred_on")
                    aria-describedby="hint-occurred_on err-occurred_on"
                    on:input=form.edit("occurred_on", |r, v| r.occurred_on = v)
                    on:change=form.on_leave("occurred_on")
                    on:blur=form.on_leave("occurred_on")
                />
            {error_text(e, "occurred_on")}
    </div>
        }
}

/// 乡镇（街道）, 村（社区）, 详细地址. Villages follow the chosen township.
pub fn place(form: Form, regions: Regions) -> impl IntoView {
    let e = form.errors;
    let lang = use_lang();
    let townships = move || regions.0.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map(|r| r.townships.clone()));
    // A memo, so typing elsewhere does not rebuild the option lists.
    let township_id = Memo::new(move |_| form.req.with(|r| r.township_id));
    let villages = move || {
        let chosen = township_id.get()?;
        townships()?.into_iter().find(|t| t.id == chosen).map(|t| t.villages)
    };
    let choose_township = move |ev| {
        let id = event_target_value(&ev).parse().ok();
        form.req.update(|r| {
            r.township_id = id;
            r.village_id = None;
        });
        form.check("township_id");
    };
    let choose_village = move |ev| {
        let id = event_target_value(&ev).parse().ok();
        form.req.update(|r| r.village_id = id);
        form.check("village_id");
    };
    let load_failed = move || regions.0.with(|r| matches!(r, Some(Err(_))));
    view! {
            <div class="field">
    {label("township_id", "乡镇（街道）", "Township or street", false, None)}
                <select
                    id="f-township_id"
                    aria-invalid=invalid(e, "township_id")
                    aria-describedby="err-township_id"
                    on:change=choose_township
                >
                    <option value="" prop:selected=move || township_id.get().is_none()>
                        {tr("请选择", "Choose")}
                    </option>
                    {move || townships().unwrap_or_default().into_iter().map(|t| option(t.id, t.name, move || township_id.get() == Some(t.id))).collect_view()}
                </select>
                <Show when=load_failed>
                    <p class="hint">
                        {move || crate::i18n::message(ow_shared::ErrorCode::Network, lang.get())}
                        " "
                        <button type="button" class="link-button" on:click=move |_| regions.load()>
                            {tr("重新加载", "Reload")}
                        </button>
                    </p>
                </Show>
            {error_text(e, "township_id")}
    </div>
            <div class="field">
    {label("village_id", "村（社区）", "Village or community", false, None)}
                <select
                    id="f-village_id"
                    disabled=move || township_id.get().is_none()
                    aria-invalid=invalid(e, "village_id")
                    aria-describedby="err-village_id"
                    on:change=choose_village
                >
                    <option value="" prop:selected=move || form.req.with(|r| r.village_id.is_none())>
                        {move || if township_id.get().is_none() { lang.get().pick("请先选择乡镇", "Choose a township first") } else { lang.get().pick("请选择", "Choose") }}
                    </option>
                    {move || villages().unwrap_or_default().into_iter().map(|v| option(v.id, v.name, move || form.req.with(|r| r.village_id == Some(v.id)))).collect_view()}
                </select>
            {error_text(e, "village_id")}
    </div>
            <div class="field">
    {label("address", "详细地址", "Address", true, None)}
                {text_input(form, TextInput { field: "address", kind: "text", autocomplete: "off", inputmode: None, spellcheck: None, described_by: "err-address", get: |r| &r.address, set: |r, v| r.address = v })}
            {error_text(e, "address")}
    </div>
        }
}

fn option(id: i64, name: String, selected: impl Fn() -> bool + Send + Sync + 'static) -> impl IntoView {
    view! { <option value=id.to_string() prop:selected=selected>{name}</option> }
}

/// Only for disputes: the other party and whether they will mediate.
pub fn dispute(form: Form) -> impl IntoView {
    let e = form.errors;
    let lang = use_lang();
    let is_dispute = move || form.req.with(|r| r.case_type == Some(CaseType::Dispute));
    let choose = move |ev| {
        let code = event_target_value(&ev);
        form.req.update(|r| r.mediation = Mediation::ALL.into_iter().find(|m| m.code() == code));
        form.check("mediation");
    };
    view! {
            <Show when=is_dispute>
                <div class="field">
    {label("other_party_name", "对方姓名或单位", "Other party", true, None)}
                    {text_input(form, TextInput { field: "other_party_name", kind: "text", autocomplete: "off", inputmode: None, spellcheck: None, described_by: "err-other_party_name", get: |r| &r.other_party_name, set: |r, v| r.other_party_name = v })}
                {error_text(e, "other_party_name")}
    </div>
                <div class="field">
    {label("mediation", "对方是否愿意调解", "Is the other party willing to mediate?", false, None)}
                    <select id="f-mediation" aria-invalid=invalid(e, "mediation") aria-describedby="err-mediation" on:change=choose>
                        <option value="" prop:selected=move || form.req.with(|r| r.mediation.is_none())>
                            {tr("请选择", "Choose")}
                        </option>
                        {Mediation::ALL.map(|m| {
                            let selected = move || form.req.with(|r| r.mediation == Some(m));
                            view! { <option value=m.code() prop:selected=selected>{move || m.label(lang.get())}</option> }
                        }).into_iter().collect_view()}
                    </select>
                {error_text(e, "mediation")}
    </div>
            </Show>
        }
}

/// What sets one text input of the form apart from the others.
pub struct TextInput {
    pub field: &'static str,
    /// `text` or `tel`.
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub inputmode: Option<&'static str>,
    pub spellcheck: Option<&'static str>,
    /// Ids of the hint, counter and error elements, space-separated.
    pub described_by: &'static str,
    pub get: fn(&SubmitCaseRequest) -> &String,
    pub set: fn(&mut SubmitCaseRequest, String),
}

/// A text input bound to one field of the request (`f-{field}`), checked when left.
/// One function for all of them keeps their wiring identical and the wasm small.
#[inline(never)]
pub fn text_input(form: Form, spec: TextInput) -> impl IntoView {
    view! {
        <input
            type=spec.kind
            id=format!("f-{}", spec.field)
            autocomplete=spec.autocomplete
            inputmode=spec.inputmode
            spellcheck=spec.spellcheck
            prop:value=form.initial(spec.get)
            aria-invalid=invalid(form.errors, spec.field)
            aria-describedby=spec.described_by
            on:input=form.edit(spec.field, spec.set)
            on:blur=form.on_leave(spec.field)
        />
    }
}
