//! The walk-in form's fields. Ids (`f-*`, `err-*`, `hint-*`) are those of the
//! resident's form where the field is the same; the walk-in's own are `c-f-*`.

use super::state::Form;
use crate::browser::today;
use crate::form::{Field, counter, error_text, invalid, label};
use leptos::prelude::*;
use ow_shared::validate::limits;
use ow_shared::workflow::Channel;
use ow_shared::{CaseType, Lang, Mediation};

/// 来源渠道, 来访人数, 代表.
pub fn intake(form: Form) -> impl IntoView {
    let field = |name, id| Field::new(form.errs, name).control_id(id);
    view! {
        <div class="c-intake">
            {field("channel", "c-f-channel").view("来源渠道", None, move |f| view! {
                <select id=f.id() aria-invalid=f.invalid() aria-describedby=f.described_by()
                    on:change=move |ev| {
                        let code = event_target_value(&ev);
                        form.channel.set(Channel::from_code(&code));
                        form.check("channel");
                    }>
                    <option value="" prop:selected=move || form.channel.get().is_none()>"请选择"</option>
                    {Channel::AT_THE_WINDOW.map(|c| view! {
                        <option value=c.code() prop:selected=move || form.channel.get() == Some(c)>{c.label()}</option>
                    }).into_iter().collect_view()}
                </select>
            })}
            {field("group_size", "c-f-group-size").view(
                "来访人数",
                Some("多人来访为集体访，应推选不超过 5 名代表（《信访工作条例》第二十条）。"),
                move |f| view! {
                    <input type="number" id=f.id() min="1" max="999" inputmode="numeric" bind:value=form.group_size
                        aria-invalid=f.invalid() aria-describedby=f.described_by() on:blur=form.leave("group_size") />
                },
            )}
            {field("representatives", "c-f-representatives").view(
                "代表姓名",
                Some("选填，集体访时填写，每行一位，最多 5 位，每位不超过 30 字。"),
                move |f| view! {
                    <textarea id=f.id() rows="2" bind:value=form.representatives
                        aria-invalid=f.invalid() aria-describedby=f.described_by()
                        on:blur=form.leave("representatives")></textarea>
                },
            )}
        </div>
    }
}

/// 类型: one radio per case type (ids as in the resident's form).
pub fn case_type(form: Form) -> impl IntoView {
    let choices = CaseType::ALL.map(|t| {
        let id = format!("f-case_type-{}", t.code());
        view! {
            <div class="choice">
                <input type="radio" name="case_type" id=id.clone() value=t.code()
                    prop:checked=move || form.case_type.get() == Some(t)
                    aria-invalid=invalid(form.errs, "case_type") aria-describedby="err-case_type"
                    on:change=move |_| {
                        form.case_type.set(Some(t));
                        form.check("case_type");
                    } />
                <label for=id>{t.label(Lang::Zh)}</label>
            </div>
        }
    });
    let accusation = move || form.case_type.get().is_some_and(|t| t.hides_identity_from_departments());
    view! {
        <fieldset class="field">
            <legend>"类型"</legend>
            <div class="choices">{choices.into_iter().collect_view()}</div>
            {error_text(form.errs, "case_type")}
        </fieldset>
        <Show when=accusation>
            <p class="notice" id="accusation-notice">"检举事项：检举人身份和检举材料依法保密，不向承办部门和被检举人提供（《信访工作条例》第三十条）。"</p>
        </Show>
    }
}

/// A text input `f-{field}` bound to `value`, checked when left.
pub fn text_input(
    form: Form,
    field: &'static str,
    value: RwSignal<String>,
    kind: &'static str,
    described_by: &'static str,
) -> impl IntoView {
    view! {
        <input type=kind id=format!("f-{field}") autocomplete="off" bind:value=value
            aria-invalid=invalid(form.errs, field) aria-describedby=described_by on:blur=form.leave(field) />
    }
}

/// 标题, 详细情况, 发生日期.
pub fn what(form: Form) -> impl IntoView {
    let e = form.errs;
    view! {
        <div class="field">
            {label("title", "标题", "Title", false, Some(("一句话说明是什么事", "")))}
            {text_input(form, "title", form.title, "text", "hint-title count-title err-title")}
            {counter("title", limits::TITLE.1, move || form.title.get())}
            {error_text(e, "title")}
        </div>
        <div class="field">
            {label("description", "详细情况", "Details", false, Some(("如实记录群众所述：发生了什么、涉及谁、诉求是什么", "")))}
            <textarea id="f-description" rows="6" bind:value=form.description aria-invalid=invalid(e, "description")
                aria-describedby="hint-description count-description err-description" on:blur=form.leave("description")></textarea>
            {counter("description", limits::DESCRIPTION.1, move || form.description.get())}
            {error_text(e, "description")}
        </div>
        <div class="field">
            {label("occurred_on", "发生日期", "Date", false, None)}
            <input type="date" id="f-occurred_on" max=today() bind:value=form.occurred_on
                aria-invalid=invalid(e, "occurred_on") aria-describedby="err-occurred_on" on:blur=form.leave("occurred_on") />
            {error_text(e, "occurred_on")}
        </div>
    }
}

/// 乡镇（街道）, 村（社区）, 详细地址.
pub fn place(form: Form) -> impl IntoView {
    let e = form.errs;
    let regions = form.lookups.regions;
    let townships = move || regions.with(|r| r.as_ref().map(|r| r.townships.clone()).unwrap_or_default());
    let villages = move || {
        let chosen = form.township_id.get();
        regions.with(|r| {
            r.as_ref()
                .and_then(|r| r.townships.iter().find(|t| Some(t.id) == chosen))
                .map(|t| t.villages.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <div class="field">
            {label("township_id", "乡镇（街道）", "Township", false, None)}
            <select id="f-township_id" aria-invalid=invalid(e, "township_id") aria-describedby="err-township_id"
                on:change=move |ev| {
                    form.township_id.set(event_target_value(&ev).parse().ok());
                    form.village_id.set(None);
                    form.grid_id.set(None);
                    form.check("township_id");
                }>
                <option value="" prop:selected=move || form.township_id.get().is_none()>"请选择"</option>
                {move || townships().into_iter().map(|t| {
                    let id = t.id;
                    view! { <option value=id.to_string() prop:selected=move || form.township_id.get() == Some(id)>{t.name}</option> }
                }).collect_view()}
            </select>
            {error_text(e, "township_id")}
        </div>
        <div class="field">
            {label("village_id", "村（社区）", "Village", false, None)}
            <select id="f-village_id" disabled=move || form.township_id.get().is_none()
                aria-invalid=invalid(e, "village_id") aria-describedby="err-village_id"
                on:change=move |ev| {
                    form.village_id.set(event_target_value(&ev).parse().ok());
                    form.grid_id.set(None);
                    form.check("village_id");
                }>
                <option value="" prop:selected=move || form.village_id.get().is_none()>
                    {move || if form.township_id.get().is_none() { "请先选择乡镇" } else { "请选择" }}
                </option>
                {move || villages().into_iter().map(|v| {
                    let id = v.id;
                    view! { <option value=id.to_string() prop:selected=move || form.village_id.get() == Some(id)>{v.name}</option> }
                }).collect_view()}
            </select>
            {error_text(e, "village_id")}
        </div>
        <div class="field">
            <label for="f-grid_id">"所在网格" <span class="optional">"（选填）"</span></label>
            <select id="f-grid_id" disabled=move || form.village_id.get().is_none()
                aria-describedby="err-grid_id"
                on:change=move |ev| form.grid_id.set(event_target_value(&ev).parse().ok())>
                <option value="" prop:selected=move || form.grid_id.get().is_none()>"不清楚"</option>
                {move || {
                    let village = form.village_id.get();
                    form.lookups.grids.get().into_iter().filter(|g| Some(g.village_id) == village).map(|g| {
                        let id = g.id;
                        view! { <option value=id.to_string() prop:selected=move || form.grid_id.get() == Some(id)>{g.name}</option> }
                    }).collect_view()
                }}
            </select>
            {error_text(e, "grid_id")}
        </div>
        <div class="field">
            {label("address", "详细地址", "Address", true, None)}
            {text_input(form, "address", form.address, "text", "err-address")}
            {error_text(e, "address")}
        </div>
    }
}

/// Only for disputes: the other party and whether they will mediate.
pub fn dispute(form: Form) -> impl IntoView {
    let e = form.errs;
    let is_dispute = move || form.case_type.get() == Some(CaseType::Dispute);
    view! {
        <Show when=is_dispute>
            <div class="field">
                {label("other_party_name", "对方姓名或单位", "Other party", true, None)}
                {text_input(form, "other_party_name", form.other_party_name, "text", "err-other_party_name")}
                {error_text(e, "other_party_name")}
            </div>
            <div class="field">
                {label("mediation", "对方是否愿意调解", "Mediation", false, None)}
                <select id="f-mediation" aria-invalid=invalid(e, "mediation") aria-describedby="err-mediation"
                    on:change=move |ev| {
                        let code = event_target_value(&ev);
                        form.mediation.set(Mediation::ALL.into_iter().find(|m| m.code() == code));
                        form.check("mediation");
                    }>
                    <option value="" prop:selected=move || form.mediation.get().is_none()>"请选择"</option>
                    {Mediation::ALL.map(|m| view! {
                        <option value=m.code() prop:selected=move || form.mediation.get() == Some(m)>{m.label(Lang::Zh)}</option>
                    }).into_iter().collect_view()}
                </select>
                {error_text(e, "mediation")}
            </div>
        </Show>
    }
}

/// 联系人, 联系电话 (a mobile or a landline), 通信地址 (for notices when there is no
/// phone), 身份证号码.
pub fn contact(form: Form) -> impl IntoView {
    let e = form.errs;
    view! {
        <div class="field">
            {label("contact_name", "群众姓名", "Name", false, None)}
            {text_input(form, "contact_name", form.contact_name, "text", "err-contact_name")}
            {error_text(e, "contact_name")}
        </div>
        <div class="field">
            {label("mobile", "联系电话", "Phone", false, Some((PHONE_HINT, PHONE_HINT)))}
            <input type="tel" id="f-mobile" autocomplete="off" bind:value=form.mobile
                aria-invalid=invalid(e, "mobile") aria-describedby="hint-mobile err-mobile" on:blur=form.leave("mobile") />
            {error_text(e, "mobile")}
        </div>
        <div class="field check">
            <input type="checkbox" id="f-sms_opt_out" bind:checked=form.sms_opt_out />
            <label for="f-sms_opt_out">"群众不接收短信通知（仍可凭受理编号和查询码查进度）"</label>
        </div>
        <div class="field">
            {label("postal_address", "通信地址", "Postal address", true, Some((POST_HINT, POST_HINT)))}
            <input type="text" id="f-postal_address" autocomplete="off" bind:value=form.postal_address
                aria-invalid=invalid(e, "postal_address") aria-describedby="hint-postal_address err-postal_address"
                on:blur=move |_| {
                    form.check("postal_address");
                    form.check("mobile");
                } />
            {error_text(e, "postal_address")}
        </div>
        <div class="field">
            {label("id_number", "身份证号码", "ID number", true, None)}
            {text_input(form, "id_number", form.id_number, "text", "err-id_number")}
            {error_text(e, "id_number")}
        </div>
    }
}

const PHONE_HINT: &str =
    "手机号，或带区号的固定电话（如 0851-12345678，分机写在后面）。没有电话的可不填，但须填写通信地址。";
const POST_HINT: &str = "受理告知书等书面告知寄送的地址；没有电话时必填。";

/// 个人信息告知, read aloud to the resident, and their consent.
pub fn privacy(form: Form) -> impl IntoView {
    view! {
        <details class="privacy">
            <summary>"个人信息告知（请向群众宣读）"</summary>
            <p>"收集内容：姓名、联系电话（手机或固定电话）或通信地址、身份证号码（选填）及所反映的事项。"</p>
            <p>"用途：仅用于受理、办理、答复诉求和与您联系，不作他用。"</p>
            <p>"保护：您的信息严格保密。工作人员查看时电话号码、身份证号默认脱敏显示；窗口工作人员、中心领导和承办部门工作人员因联系、回访确需查看完整号码时，须点击“查看完整号码”，系统记录查看人和查看时间。检举事项不向承办部门提供您的身份。"</p>
        </details>
        <div class="field check">
            <input type="checkbox" id="f-privacy_accepted" bind:checked=form.privacy
                aria-invalid=invalid(form.errs, "privacy_accepted") aria-describedby="err-privacy_accepted"
                on:change=move |_| form.check("privacy_accepted") />
            <label for="f-privacy_accepted">"已向群众宣读个人信息告知，群众同意"</label>
            {error_text(form.errs, "privacy_accepted")}
        </div>
    }
}
