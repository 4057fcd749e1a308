//! `/console/walk-in` 代办登记: a clerk registers a visit, call or letter on the
//! resident's behalf. The same fields, ids and shared validation as the resident's
//! form, plus how the matter came in, how many people came (集体访, at most 5
//! representatives) and, while typing, possible repeats (重复访) to link.

use super::form::{field_error_text as error_text, focus, new_key, show_error, today};
use super::{LastReceipt, Lookups, api, paths};
use crate::components::field::{Errors, counter, invalid, label, set_error};
use crate::nav::Router;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ow_shared::console::{RepeatCandidate, RepeatQuery, RepeatReason, WalkInRequest};
use ow_shared::dto::SubmitCaseRequest;
use ow_shared::validate::{char_len, check_region, limits, normalize_id_number, normalize_mobile, validate_submission};
use ow_shared::workflow::{Channel, limits::MAX_REPRESENTATIVES};
use ow_shared::{ApiError, CaseType, ErrorCode, FieldError, Lang, Mediation};
use std::time::Duration;

/// Every signal of the form; `Copy` so handlers can take it freely.
#[derive(Clone, Copy)]
struct Form {
    case_type: RwSignal<Option<CaseType>>,
    title: RwSignal<String>,
    description: RwSignal<String>,
    occurred_on: RwSignal<String>,
    township_id: RwSignal<Option<i64>>,
    village_id: RwSignal<Option<i64>>,
    address: RwSignal<String>,
    other_party_name: RwSignal<String>,
    mediation: RwSignal<Option<Mediation>>,
    contact_name: RwSignal<String>,
    mobile: RwSignal<String>,
    id_number: RwSignal<String>,
    privacy: RwSignal<bool>,
    channel: RwSignal<Option<Channel>>,
    group_size: RwSignal<String>,
    representatives: RwSignal<String>,
    linked: RwSignal<Option<RepeatCandidate>>,
    key: StoredValue<String>,
    errs: Errors,
    general: RwSignal<Option<String>>,
    sending: RwSignal<bool>,
    lookups: Lookups,
}

impl Form {
    fn new(lookups: Lookups) -> Form {
        let s = || RwSignal::new(String::new());
        Form {
            case_type: RwSignal::new(None),
            title: s(),
            description: s(),
            occurred_on: RwSignal::new(today()),
            township_id: RwSignal::new(None),
            village_id: RwSignal::new(None),
            address: s(),
            other_party_name: s(),
            mediation: RwSignal::new(None),
            contact_name: s(),
            mobile: s(),
            id_number: s(),
            privacy: RwSignal::new(false),
            channel: RwSignal::new(Some(Channel::Visit)),
            group_size: RwSignal::new("1".into()),
            representatives: s(),
            linked: RwSignal::new(None),
            key: StoredValue::new(new_key()),
            errs: RwSignal::new(Vec::new()),
            general: RwSignal::new(None),
            sending: RwSignal::new(false),
            lookups,
        }
    }

    fn case(self) -> SubmitCaseRequest {
        let g = |s: RwSignal<String>| s.get_untracked();
        SubmitCaseRequest {
            case_type: self.case_type.get_untracked(),
            title: g(self.title),
            description: g(self.description),
            occurred_on: g(self.occurred_on),
            township_id: self.township_id.get_untracked(),
            village_id: self.village_id.get_untracked(),
            address: g(self.address),
            other_party_name: g(self.other_party_name),
            mediation: self.mediation.get_untracked(),
            contact_name: g(self.contact_name),
            mobile: g(self.mobile),
            id_number: g(self.id_number),
            privacy_accepted: self.privacy.get_untracked(),
            photo_ids: Vec::new(),
        }
    }

    fn representatives(self) -> Vec<String> {
        self.representatives
            .get_untracked()
            .split(['\n', '、', ',', '，', ';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }

    /// Every problem: the shared submission rules, the place, and the walk-in's own.
    fn problems(self) -> Vec<FieldError> {
        let req = self.case();
        let mut problems = validate_submission(&req, &today()).err().unwrap_or_default();
        let region = self.lookups.regions.with_untracked(|r| match r {
            Some(regions) => check_region(&req, &regions.townships),
            None if req.township_id.is_none() => Some(FieldError::new("township_id", ErrorCode::TownshipUnknown)),
            None => None,
        });
        problems.extend(region);
        if self.channel.get_untracked().is_none() {
            problems.push(FieldError::new("channel", ErrorCode::Required));
        }
        let size: Option<u32> = self.group_size.get_untracked().trim().parse().ok();
        if !size.is_some_and(|n| (1..=999).contains(&n)) {
            problems.push(FieldError::new("group_size", ErrorCode::GroupSizeInvalid));
        }
        if self.representatives().len() as u32 > MAX_REPRESENTATIVES {
            problems.push(FieldError {
                max: Some(MAX_REPRESENTATIVES),
                ..FieldError::new("representatives", ErrorCode::TooManyRepresentatives)
            });
        }
        problems
    }

    /// Checks one field when it is left; an empty field passed over is no mistake yet.
    fn check(self, field: &'static str) {
        let found = self.problems().into_iter().find(|e| e.field == field);
        let had = self.errs.with_untracked(|v| v.iter().any(|e| e.field == field));
        set_error(self.errs, field, found.filter(|e| had || e.code != ErrorCode::Required));
    }

    fn leave<E>(self, field: &'static str) -> impl Fn(E) + Copy + 'static {
        move |_| self.check(field)
    }

    /// The request to send, or `None` with every problem shown and the first focused.
    fn check_all(self) -> Option<WalkInRequest> {
        let problems = super::form::first_per_field(self.problems());
        if let Some(first) = problems.first() {
            focus(&self.control_id(&first.field));
            self.errs.set(problems);
            self.general.set(Some(ErrorCode::ValidationFailed.message(Lang::Zh, None, None)));
            return None;
        }
        self.errs.set(Vec::new());
        let case = validate_submission(&self.case(), &today()).ok()?;
        Some(WalkInRequest {
            case,
            channel: self.channel.get_untracked(),
            group_size: self.group_size.get_untracked().trim().parse().ok(),
            representatives: self.representatives(),
            linked_case_id: self.linked.get_untracked().map(|c| c.case_id),
        })
    }

    fn control_id(self, field: &str) -> String {
        match field {
            "case_type" => format!("f-case_type-{}", self.case_type.get_untracked().map_or("suggestion", |t| t.code())),
            "channel" => "c-f-channel".into(),
            "group_size" => "c-f-group-size".into(),
            "representatives" => "c-f-representatives".into(),
            other => format!("f-{other}"),
        }
    }
}

/// The walk-in page.
pub fn walk_in_page() -> impl IntoView {
    super::form::page_title("代办登记");
    let lookups = expect_context::<Lookups>();
    let last = expect_context::<LastReceipt>();
    let router = Router::get();
    let form = Form::new(lookups);
    let repeats = RwSignal::new(Vec::<RepeatCandidate>::new());
    watch_repeats(form, repeats);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.sending.get_untracked() {
            return;
        }
        let Some(req) = form.check_all() else { return };
        form.general.set(None);
        form.sending.set(true);
        let key = form.key.get_value();
        spawn_local(async move {
            let result = api::walk_in(&req, &key).await;
            form.sending.try_set(false);
            let (receipt, replayed) = match result {
                Ok(receipt) => (receipt, false),
                Err(ApiError { code: ErrorCode::IdempotencyKeyReused, receipt: Some(r), .. }) => (*r, true),
                Err(e) => {
                    if e.code == ErrorCode::IdempotencyKeyReused {
                        form.key.try_set_value(new_key());
                    }
                    show_error(form.errs, form.general, e);
                    return;
                }
            };
            last.0.set(Some((receipt, replayed)));
            router.navigate(paths::RECEIPT);
        });
    };
    view! {
        <h1>"代办登记"</h1>
        <p class="lead">"群众来访、来电、来信反映的事项，由窗口人员代为登记（无差别受理），登记后打印回执交群众。"</p>
        <form novalidate on:submit=submit class="c-walkin">
            {intake(form)}
            {case_type(form)}
            {what(form)}
            {place(form)}
            {dispute(form)}
            {contact(form)}
            {repeat_hints(form, repeats)}
            {privacy(form)}
            <p id="c-walkin-error" class="form-error" role="alert">{move || form.general.get()}</p>
            <button type="submit" id="c-walkin-submit" class="primary" disabled=move || form.sending.get()>
                {move || if form.sending.get() { "正在登记…" } else { "登记并出具回执" }}
            </button>
        </form>
    }
}

/// 来源渠道, 来访人数, 代表.
fn intake(form: Form) -> impl IntoView {
    let e = form.errs;
    view! {
        <div class="c-intake">
            <div class="field">
                <label for="c-f-channel">"来源渠道"</label>
                <select id="c-f-channel" aria-invalid=invalid(e, "channel") aria-describedby="err-channel"
                    on:change=move |ev| {
                        let code = event_target_value(&ev);
                        form.channel.set(Channel::from_code(&code));
                        form.check("channel");
                    }>
                    <option value="" prop:selected=move || form.channel.get().is_none()>"请选择"</option>
                    {Channel::ALL.map(|c| view! {
                        <option value=c.code() prop:selected=move || form.channel.get() == Some(c)>{c.label()}</option>
                    }).into_iter().collect_view()}
                </select>
                {error_text(e, "channel")}
            </div>
            <div class="field">
                <label for="c-f-group-size">"来访人数"</label>
                <p class="hint" id="hint-group_size">"多人来访为集体访，应推选不超过 5 名代表（《信访工作条例》第二十条）。"</p>
                <input type="number" id="c-f-group-size" min="1" max="999" inputmode="numeric"
                    bind:value=form.group_size aria-invalid=invalid(e, "group_size")
                    aria-describedby="hint-group_size err-group_size" on:blur=form.leave("group_size") />
                {error_text(e, "group_size")}
            </div>
            <div class="field">
                <label for="c-f-representatives">"代表姓名"<span class="optional">"（选填，集体访时填写，每行一位，最多 5 位）"</span></label>
                <textarea id="c-f-representatives" rows="2" bind:value=form.representatives
                    aria-invalid=invalid(e, "representatives") aria-describedby="err-representatives"
                    on:blur=form.leave("representatives")></textarea>
                {error_text(e, "representatives")}
            </div>
        </div>
    }
}

/// 类型: one radio per case type (ids as in the resident's form).
fn case_type(form: Form) -> impl IntoView {
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
fn text_input(form: Form, field: &'static str, value: RwSignal<String>, kind: &'static str, described_by: &'static str) -> impl IntoView {
    view! {
        <input type=kind id=format!("f-{field}") autocomplete="off" bind:value=value
            aria-invalid=invalid(form.errs, field) aria-describedby=described_by on:blur=form.leave(field) />
    }
}

/// 标题, 详细情况, 发生日期.
fn what(form: Form) -> impl IntoView {
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
fn place(form: Form) -> impl IntoView {
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
            {label("address", "详细地址", "Address", true, None)}
            {text_input(form, "address", form.address, "text", "err-address")}
            {error_text(e, "address")}
        </div>
    }
}

/// Only for disputes: the other party and whether they will mediate.
fn dispute(form: Form) -> impl IntoView {
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

/// 联系人, 手机号码, 身份证号码.
fn contact(form: Form) -> impl IntoView {
    let e = form.errs;
    view! {
        <div class="field">
            {label("contact_name", "群众姓名", "Name", false, None)}
            {text_input(form, "contact_name", form.contact_name, "text", "err-contact_name")}
            {error_text(e, "contact_name")}
        </div>
        <div class="field">
            {label("mobile", "手机号码", "Mobile", false, None)}
            <input type="tel" id="f-mobile" inputmode="numeric" autocomplete="off" bind:value=form.mobile
                aria-invalid=invalid(e, "mobile") aria-describedby="err-mobile" on:blur=form.leave("mobile") />
            {error_text(e, "mobile")}
        </div>
        <div class="field">
            {label("id_number", "身份证号码", "ID number", true, None)}
            {text_input(form, "id_number", form.id_number, "text", "err-id_number")}
            {error_text(e, "id_number")}
        </div>
    }
}

/// 个人信息告知, read aloud to the resident, and their consent.
fn privacy(form: Form) -> impl IntoView {
    view! {
        <details class="privacy">
            <summary>"个人信息告知（请向群众宣读）"</summary>
            <p>"收集内容：姓名、手机号码、身份证号码（选填）及所反映的事项。"</p>
            <p>"用途：仅用于受理、办理、答复诉求和与您联系，不作他用。"</p>
            <p>"保护：您的信息严格保密；工作人员查看时手机号、身份证号均脱敏显示；检举事项不向承办部门提供您的身份。"</p>
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

/// Asks for possible repeats ~400 ms after the mobile, ID number or title last changed.
fn watch_repeats(form: Form, repeats: RwSignal<Vec<RepeatCandidate>>) {
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        let mobile = form.mobile.get();
        let id_number = form.id_number.get();
        let title = form.title.get();
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        let query = RepeatQuery {
            mobile: normalize_mobile(&mobile).unwrap_or_default(),
            id_number: normalize_id_number(&id_number).unwrap_or_default(),
            text: if char_len(&title) >= limits::TITLE.0 { title.trim().to_string() } else { String::new() },
        };
        if query.mobile.is_empty() && query.id_number.is_empty() && query.text.is_empty() {
            repeats.set(Vec::new());
            return;
        }
        set_timeout(
            move || {
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                spawn_local(async move {
                    if let Ok(list) = api::repeats(&query).await
                        && generation.try_get_value() == Some(mine)
                    {
                        repeats.try_set(list);
                    }
                });
            },
            Duration::from_millis(400),
        );
    });
}

/// 可能重复: earlier cases of the same person or matter, each linkable (关联此件).
fn repeat_hints(form: Form, repeats: RwSignal<Vec<RepeatCandidate>>) -> impl IntoView {
    let linked_text = move || form.linked.get().map(|c| format!("已关联：{} {}", c.tracking_no, c.title));
    let items = move || {
        repeats
            .get()
            .into_iter()
            .map(|c| {
                let case_id = c.case_id;
                let reason = match c.reason {
                    RepeatReason::SamePerson => "同一人（手机号或身份证号相同）",
                    RepeatReason::SimilarText => "内容相似",
                };
                let is_linked = move || form.linked.with(|l| l.as_ref().is_some_and(|l| l.case_id == case_id));
                let label = format!("关联此件：{}", c.tracking_no);
                let candidate = c.clone();
                view! {
                    <li class="c-repeat" data-case-id=case_id.to_string() data-tracking-no=c.tracking_no.clone()>
                        <a href=paths::case(case_id) target="_blank" rel="noopener">{c.tracking_no.clone()}</a>
                        " " <strong>{c.title.clone()}</strong>
                        <span class="c-repeat-meta">{format!("{} · {} · {}", c.state.label(Lang::Zh), c.submitted_at, reason)}</span>
                        <button type="button" class="c-button c-repeat-link" aria-label=label
                            aria-pressed=move || is_linked().to_string()
                            on:click=move |_| form.linked.set(Some(candidate.clone()))>
                            {move || if is_linked() { "已关联" } else { "关联此件" }}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let shown = move || repeats.with(|r| !r.is_empty()) || form.linked.with(Option::is_some);
    // The region is always there (a live region must exist before it changes).
    view! {
        <section id="c-repeats" class="c-repeats" aria-live="polite">
            <Show when=shown>
                <h2>"可能重复"</h2>
                <p class="hint">"同一群众或相似事项近期已有登记：如属重复访，请关联原件。"</p>
                <ul>{items}</ul>
                <Show when=move || form.linked.with(Option::is_some)>
                    <p class="c-linked" id="c-linked">
                        {linked_text}
                        " "
                        <button type="button" class="link-button" id="c-repeat-unlink" on:click=move |_| form.linked.set(None)>
                            "取消关联"
                        </button>
                    </p>
                </Show>
            </Show>
        </section>
    }
}
