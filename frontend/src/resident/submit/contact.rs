//! The contact section: name, mobile, optional ID number, the choice of no text
//! messages, and the personal-information notice with its consent checkbox.

use super::fields::{TextInput, text_input};
use super::state::Form;
use crate::form::{error_text, invalid, label};
use crate::i18n::{tr, use_lang};
use leptos::prelude::*;
use ow_shared::Lang;

/// 联系人, 手机号码, 身份证号码 and the consent.
pub fn contact(form: Form) -> impl IntoView {
    let e = form.errors;
    let lang = use_lang();
    let accept = move |ev| {
        let checked = event_target_checked(&ev);
        form.req.update(|r| r.privacy_accepted = checked);
        form.check("privacy_accepted");
    };
    view! {
            <div class="field">
    {label("contact_name", "联系人姓名", "Your name", false, None)}
                {text_input(form, TextInput { field: "contact_name", kind: "text", autocomplete: "name", inputmode: None, spellcheck: None, described_by: "err-contact_name", get: |r| &r.contact_name, set: |r, v| r.contact_name = v })}
            {error_text(e, "contact_name")}
    </div>
            <div class="field">
    {label("mobile", "手机号码", "Mobile number", false, Some(("用于联系您、告知办理结果", "To contact you about the outcome")))}
                {text_input(form, TextInput { field: "mobile", kind: "tel", autocomplete: "tel", inputmode: Some("numeric"), spellcheck: None, described_by: "hint-mobile err-mobile", get: |r| &r.mobile, set: |r, v| r.mobile = v })}
            {error_text(e, "mobile")}
    </div>
            <div class="field">
    {label("id_number", "身份证号码", "ID number", true, Some(("不会保存在本机草稿中", "Never kept in the draft on this device")))}
                {text_input(form, TextInput { field: "id_number", kind: "text", autocomplete: "off", inputmode: None, spellcheck: Some("false"), described_by: "hint-id_number err-id_number", get: |r| &r.id_number, set: |r, v| r.id_number = v })}
            {error_text(e, "id_number")}
            {form.restored.then(|| view! {
                <p class="hint" id="note-id_number" hidden=move || form.req.with(|r| !r.id_number.is_empty())>
                    {tr(
                        "已恢复上次填写的内容。身份证号码不保存在本机，如需填写请重新输入。",
                        "Your earlier answers were restored. The ID number is not kept on this device; type it again if you want to give it.",
                    )}
                </p>
            })}
    </div>
            <div class="field check">
                <input type="checkbox" id="f-sms_opt_out" prop:checked=move || form.req.with(|r| r.sms_opt_out)
                    on:change=move |ev| { let on = event_target_checked(&ev); form.req.update(|r| r.sms_opt_out = on) } />
                <label for="f-sms_opt_out">{tr("不接收短信通知（仍可凭编号和查询码查进度）", "No text messages (you can still track it online)")}</label>
            </div>
            // Static markup (see `privacy_markup`).
            <details class="privacy" inner_html=move || privacy_markup(lang.get())></details>
            <div class="field check">
                <input
                    type="checkbox"
                    id="f-privacy_accepted"
                    prop:checked=move || form.req.with(|r| r.privacy_accepted)
                    aria-invalid=invalid(e, "privacy_accepted")
                    aria-describedby="err-privacy_accepted"
                    on:change=accept
                />
                <label for="f-privacy_accepted">{tr("我已阅读并同意个人信息告知", "I have read and accept the notice")}</label>
                {error_text(e, "privacy_accepted")}
            </div>
        }
}

/// The personal-information notice (个人信息告知) in `lang`: what is collected, why, and
/// exactly who sees the full number and how (the console masks it until a member of
/// staff who must call back reveals it, which is recorded). Markup, not typed views: it
/// is in every resident's first load.
fn privacy_markup(lang: Lang) -> String {
    let [summary, what, why, protection] = match lang {
        Lang::Zh => [
            "个人信息告知（请阅读）",
            "收集内容：姓名、手机号码、身份证号码（选填）及您填写的诉求内容和照片。",
            "用途：仅用于受理、办理、答复您的诉求和与您联系，不作他用。",
            "保护：您的信息严格保密。工作人员查看时手机号、身份证号默认脱敏显示；窗口工作人员、中心领导和承办部门工作人员为与您联系、回访确需查看完整号码时，须逐次点击“查看完整号码”，系统记录查看人和查看时间。检举事项不向承办部门提供您的身份。",
        ],
        Lang::En => [
            "Personal information notice (please read)",
            "What we collect: your name, mobile number, ID number (optional), and the request and photos you give.",
            "Why: only to take in, handle and answer your request and to contact you.",
            "Protection: kept confidential. Staff see your mobile and ID number masked; when the window staff, the centre's leaders or the handling department must see the full number to contact you or call you back, they reveal it case by case and the system records who looked and when. For accusations your identity is never given to the handling department.",
        ],
    };
    format!("<summary>{summary}</summary><p>{what}</p><p>{why}</p><p>{protection}</p>")
}
