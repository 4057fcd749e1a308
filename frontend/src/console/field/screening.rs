//! `/console/field/screening` 排查登记: one round — households visited, a note, and each
//! dispute or risk found with its grade (红/黄/绿) and what became of it (已化解, 持续关注,
//! 上报乡镇). Kept on the phone as a draft with its idempotency key until the server has
//! it, as 上报 is. Below, the grid's open risks, where a watched one is settled or
//! reported up later.

use crate::browser::{focus, new_key};
use crate::console::ui::refusal;
use crate::form::{Errors, first_per_field, message_for};
use crate::load::Loaded;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::screening::{
    FindingInput, FindingKind, RiskLevel, RiskState, RiskView, ScreeningRequest, ScreeningRound, UpdateRiskRequest,
};
use ow_shared::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

const DRAFT_KEY: &str = "ow.field.screening";

/// A finding as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct FindingDraft {
    kind: FindingKind,
    level: String,
    description: String,
    people: String,
    state: RiskState,
}

impl Default for FindingDraft {
    fn default() -> Self {
        FindingDraft {
            kind: FindingKind::Dispute,
            level: String::new(),
            description: String::new(),
            people: String::new(),
            state: RiskState::Watched,
        }
    }
}

/// The round as typed, kept on the phone with its key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Draft {
    key: String,
    households: String,
    note: String,
    findings: Vec<FindingDraft>,
}

impl Draft {
    fn request(&self) -> ScreeningRequest {
        ScreeningRequest {
            grid_id: None,
            households: self.households.trim().parse().unwrap_or(0),
            note: self.note.trim().to_string(),
            findings: self
                .findings
                .iter()
                .map(|f| FindingInput {
                    kind: f.kind,
                    level: f.level.clone(),
                    description: f.description.trim().to_string(),
                    people: f.people.trim().to_string(),
                    state: f.state,
                })
                .collect(),
        }
    }
}

/// The 排查 page.
pub fn screening_page() -> impl IntoView {
    crate::console::ui::page_title("排查登记");
    let api = crate::console::api::use_api();
    let saved: Draft = crate::storage::load(DRAFT_KEY).unwrap_or_default();
    let draft = RwSignal::new(if saved.key.is_empty() { Draft { key: new_key(), ..saved } } else { saved });
    Effect::new(move |_| draft.with(|d| crate::storage::save(DRAFT_KEY, d)));
    let errs: Errors = crate::form::errors();
    let general = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let done = RwSignal::new(None::<ScreeningRound>);
    let risks = Loaded::<Vec<RiskView>>::new();
    let load_risks = move || risks.load(api.risks(""));
    load_risks();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let d = draft.get_untracked();
        errs.set(Vec::new());
        general.set(None);
        if d.households.trim().parse::<u32>().is_err() {
            errs.set(vec![ow_shared::FieldError {
                min: Some(0),
                max: Some(ow_shared::screening::MAX_HOUSEHOLDS),
                ..ow_shared::FieldError::new("households", ErrorCode::OutOfRange)
            }]);
            focus("f-households");
            return;
        }
        sending.set(true);
        spawn_local_scoped(async move {
            let result = api.screening(&d.request(), &d.key).await;
            sending.try_set(false);
            match result {
                Ok(round) => {
                    crate::storage::remove(DRAFT_KEY);
                    draft.try_set(Draft { key: new_key(), ..Draft::default() });
                    done.try_set(Some(round));
                    risks.reload_quietly(api.risks(""));
                    request_animation_frame(|| focus("f-done"));
                }
                Err(e) => show_refusal(errs, general, e),
            }
        });
    };
    let count = Memo::new(move |_| draft.with(|d| d.findings.len()));
    view! {
        <div class="f-page">
            <p class="c-back"><a href=super::paths::HOME>"← 网格工作"</a></p>
            <h1>"排查登记"</h1>
            <p class="lead">"一次走访排查：走访户数，发现的矛盾纠纷和风险隐患，每项的风险等级和处理情况。选择“上报乡镇”的进入乡镇（街道）综治中心待办。"</p>
            {move || done.get().map(|r| view! {
                <div class="notice f-done" id="f-done" tabindex="-1" role="status">
                    <p>{summary(&r)}</p>
                </div>
            })}
            <form novalidate class="f-form" on:submit=submit>
                <div class="field">
                    <label for="f-households">"走访户数"</label>
                    <input type="text" inputmode="numeric" id="f-households" aria-describedby="err-households"
                        aria-invalid=move || message_for(errs, "households").is_some().to_string()
                        prop:value=move || draft.with(|d| d.households.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.households = v); } />
                    <p class="err" id="err-households">{move || message_for(errs, "households")}</p>
                </div>
                <div class="field">
                    <label for="f-note">"走访范围和情况"</label>
                    <textarea id="f-note" rows="2" aria-describedby="err-note"
                        prop:value=move || draft.with(|d| d.note.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.note = v); }></textarea>
                    <p class="err" id="err-note">{move || message_for(errs, "note")}</p>
                </div>
                <h2>"发现的问题"</h2>
                {move || (count.get() == 0).then(|| view! { <p class="hint">"没有发现问题时可直接提交。"</p> })}
                <ol class="f-findings">
                    {move || (0..count.get()).map(|i| finding(draft, errs, i)).collect_view()}
                </ol>
                <button type="button" class="c-button f-big" id="f-add-finding"
                    on:click=move |_| {
                        draft.update(|d| d.findings.push(FindingDraft::default()));
                        let n = count.get_untracked();
                        request_animation_frame(move || focus(&format!("f-finding-{}-description", n.saturating_sub(1))));
                    }>
                    "添加一项"
                </button>
                <p class="form-error" role="alert">{move || general.get()}</p>
                <button type="submit" id="f-submit" class="primary f-big" disabled=move || sending.get()>
                    {move || if sending.get() { "正在提交…" } else { "提交排查记录" }}
                </button>
                <p class="hint">"内容已自动保存在本机；网络不好时可稍后再点提交，不会重复登记。"</p>
            </form>
            <h2 id="f-risks-title">"本网格在管风险"</h2>
            {risks.view("f-risks-load", load_risks, move |list| open_risks(list, load_risks))}
        </div>
    }
}

/// The server's refusal: each field's first problem beside it (names kept whole, as
/// `findings[1].level`), the first one focused, the message above the button.
fn show_refusal(errs: Errors, general: RwSignal<Option<String>>, e: ApiError) {
    let fields = first_per_field(e.fields.clone());
    let first = fields.first().map(|f| control_of(&f.field));
    errs.try_set(fields);
    general.try_set(Some(refusal(&e)));
    if let Some(id) = first {
        focus(&id);
    }
}

/// The control a field's error belongs to: `findings[1].level` → `f-finding-1-level`.
fn control_of(field: &str) -> String {
    match field.strip_prefix("findings[").and_then(|rest| rest.split_once("].")) {
        Some((i, name)) => format!("f-finding-{i}-{name}"),
        None => format!("f-{field}"),
    }
}

fn summary(round: &ScreeningRound) -> String {
    let up: Vec<&str> = round.risks.iter().filter_map(|r| r.tracking_no.as_deref()).collect();
    let mut text = format!("已登记排查：走访 {} 户，发现 {} 项。", round.households, round.risks.len());
    if !up.is_empty() {
        text.push_str(&format!("已上报 {} 项，受理编号 {}。", up.len(), up.join("、")));
    }
    text
}

/// One finding of the round: kind, grade, what, who, and what became of it.
fn finding(draft: RwSignal<Draft>, errs: Errors, i: usize) -> impl IntoView {
    let get =
        move |f: fn(&FindingDraft) -> String| move || draft.with(|d| d.findings.get(i).map(f).unwrap_or_default());
    let set = move |f: fn(&mut FindingDraft, String)| {
        move |ev| {
            let value = event_target_value(&ev);
            draft.update(|d| {
                if let Some(x) = d.findings.get_mut(i) {
                    f(x, value)
                }
            });
        }
    };
    let err = move |name: &'static str| move || message_for(errs, &format!("findings[{i}].{name}"));
    let id = move |name: &str| format!("f-finding-{i}-{name}");
    let states = [(RiskState::Settled, "已化解"), (RiskState::Watched, "持续关注"), (RiskState::Reported, "上报乡镇")];
    view! {
        <li class="f-finding">
            <fieldset class="field">
                <legend>{format!("第 {} 项", i + 1)}</legend>
                <div class="choices f-choices" role="radiogroup" aria-label="类型">
                    {FindingKind::ALL.into_iter().map(|kind| {
                        let rid = format!("f-finding-{i}-kind-{}", kind.code());
                        view! {
                            <div class="choice f-choice">
                                <input type="radio" name=format!("f-finding-{i}-kind") id=rid.clone()
                                    prop:checked=move || draft.with(|d| d.findings.get(i).is_some_and(|f| f.kind == kind))
                                    on:change=move |_| draft.update(|d| { if let Some(x) = d.findings.get_mut(i) { x.kind = kind } }) />
                                <label for=rid>{kind.label()}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
                <fieldset class="f-levels" id=id("level") tabindex="-1" aria-describedby=id("level-err")>
                    <legend>"风险等级"</legend>
                    <div class="choices f-choices">
                        {RiskLevel::ALL.into_iter().map(|level| {
                            let rid = format!("f-finding-{i}-level-{}", level.code());
                            view! {
                                <div class=format!("choice f-choice f-level-{}", level.code())>
                                    <input type="radio" name=format!("f-finding-{i}-level") id=rid.clone() value=level.code()
                                        prop:checked=move || draft.with(|d| d.findings.get(i).is_some_and(|f| f.level == level.code()))
                                        on:change=move |_| draft.update(|d| { if let Some(x) = d.findings.get_mut(i) { x.level = level.code().into() } }) />
                                    <label for=rid>{level.label()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    <p class="err" id=id("level-err")>{err("level")}</p>
                </fieldset>
                <label for=id("description")>"情况"</label>
                <textarea id=id("description") rows="3" aria-describedby=id("description-err")
                    prop:value=get(|f| f.description.clone()) on:input=set(|f, v| f.description = v)></textarea>
                <p class="err" id=id("description-err")>{err("description")}</p>
                <label for=id("people")>"涉及人员（选填）"</label>
                <input type="text" id=id("people") aria-describedby=id("people-err")
                    prop:value=get(|f| f.people.clone()) on:input=set(|f, v| f.people = v) />
                <p class="err" id=id("people-err")>{err("people")}</p>
                <fieldset class="f-states">
                    <legend>"处理情况"</legend>
                    <div class="choices f-choices">
                        {states.into_iter().map(|(state, label)| {
                            let rid = format!("f-finding-{i}-state-{}", state.code());
                            view! {
                                <div class="choice f-choice">
                                    <input type="radio" name=format!("f-finding-{i}-state") id=rid.clone()
                                        prop:checked=move || draft.with(|d| d.findings.get(i).is_some_and(|f| f.state == state))
                                        on:change=move |_| draft.update(|d| { if let Some(x) = d.findings.get_mut(i) { x.state = state } }) />
                                    <label for=rid>{label}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <button type="button" class="link-button" id=id("remove")
                    on:click=move |_| draft.update(|d| { if i < d.findings.len() { d.findings.remove(i); } })>
                    {format!("删除第 {} 项", i + 1)}
                </button>
            </fieldset>
        </li>
    }
}

/// The grid's open risks; a watched one can be settled or reported up.
fn open_risks(list: Vec<RiskView>, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="c-empty" id="f-risks">"本网格暂无在管风险。"</p> }.into_any();
    }
    let rows = list.into_iter().map(|r| risk_item(r, reload)).collect_view();
    view! { <ul class="f-tasks" id="f-risks" aria-labelledby="f-risks-title">{rows}</ul> }.into_any()
}

fn risk_item(risk: RiskView, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let watched = risk.state == RiskState::Watched;
    let meta = format!(
        "{}风险 · {} · {} · {}",
        risk.level.label(),
        risk.kind.label(),
        risk.state.label(),
        risk.tracking_no
            .as_deref()
            .map(|n| format!("受理编号 {n}"))
            .unwrap_or_else(|| format!("{} 发现", risk.found_on))
    );
    view! {
        <li class=format!("f-task f-risk f-risk-{}", risk.level.code()) data-risk=risk.id>
            <p class="f-risk-text">{risk.description.clone()}</p>
            <p class="f-task-meta">{meta}</p>
            {watched.then(|| risk_actions(risk.id, reload))}
        </li>
    }
}

/// 已化解 / 上报乡镇 for a watched risk, with an optional note.
fn risk_actions(id: i64, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let api = crate::console::api::use_api();
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let note_id = format!("f-risk-note-{id}");
    let err_id = format!("f-risk-err-{id}");
    let act = move |state: RiskState| {
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        let request = UpdateRiskRequest { state, level: None, note: note.get_untracked().trim().to_string() };
        spawn_local_scoped(async move {
            let result = api.update_risk(id, &request).await;
            sending.try_set(false);
            match result {
                Ok(_) => reload(),
                Err(e) => {
                    error.try_set(Some(refusal(&e)));
                }
            }
        });
    };
    view! {
        <label for=note_id.clone()>"说明（选填）"</label>
        <input type="text" id=note_id.clone() bind:value=note aria-describedby=err_id.clone() />
        <p class="err" id=err_id.clone() role="alert">{move || error.get()}</p>
        <div class="f-risk-actions">
            <button type="button" class="c-button f-big" id=format!("f-risk-settle-{id}")
                disabled=move || sending.get() on:click=move |_| act(RiskState::Settled)>"已化解"</button>
            <button type="button" class="c-button f-big" id=format!("f-risk-report-{id}")
                disabled=move || sending.get() on:click=move |_| act(RiskState::Reported)>"上报乡镇"</button>
        </div>
    }
}
