//! The inline forms' fields, one set per action kind: ids `c-f-{field}`, hints
//! `hint-{field}` and errors `err-{field}` linked by `aria-describedby` (`crate::form::Field`).

use crate::console::Lookups;
use crate::console::ui::wire_code;
use crate::form::{Errors, Field, error_text};
use leptos::prelude::*;
use ow_shared::console::CaseDetail;
use ow_shared::workflow::{ActionKind, DeclineRoute};

/// What one form's fields hold; fresh each time a form opens.
#[derive(Clone, Copy)]
pub struct Fields {
    pub note: RwSignal<String>,
    pub reason: RwSignal<String>,
    pub route: RwSignal<String>,
    pub due_on: RwSignal<String>,
    pub departments: RwSignal<Vec<i64>>,
    pub response: RwSignal<String>,
    pub reply: RwSignal<String>,
    pub days: RwSignal<String>,
    /// `settled` or `not_settled`.
    pub outcome: RwSignal<String>,
    pub agreement: RwSignal<String>,
    pub judicial_confirmation_on: RwSignal<String>,
    pub referred_to_court: RwSignal<bool>,
    pub decision: RwSignal<String>,
    /// The unit (交办, 上报) or grid worker (下派) a case is handed to, by id.
    pub target: RwSignal<String>,
    pub parties: RwSignal<String>,
    /// 审核异议: agree (核实同意) or refuse.
    pub agree: RwSignal<bool>,
}

impl Fields {
    pub fn new(default_due: String) -> Fields {
        let s = || RwSignal::new(String::new());
        Fields {
            note: s(),
            reason: s(),
            route: s(),
            due_on: RwSignal::new(default_due),
            departments: RwSignal::new(Vec::new()),
            response: s(),
            reply: s(),
            days: s(),
            outcome: RwSignal::new("settled".into()),
            agreement: s(),
            judicial_confirmation_on: s(),
            referred_to_court: RwSignal::new(false),
            decision: s(),
            target: s(),
            parties: s(),
            agree: RwSignal::new(true),
        }
    }
}

/// The field `$name` of an action's form, its control `c-f-$name`.
macro_rules! field {
    ($errs:expr, $name:literal) => {
        Field::new($errs, $name).control_id(concat!("c-f-", $name))
    };
}

/// A labelled textarea with its hint and error.
fn text_area(field: Field, label: &'static str, hint: Option<&'static str>, value: RwSignal<String>) -> impl IntoView {
    field.view(label, hint, move |f| {
        view! {
            <textarea id=f.id() rows="4" aria-invalid=f.invalid() aria-describedby=f.described_by()
                bind:value=value></textarea>
        }
    })
}

pub fn fields_for(kind: ActionKind, f: Fields, errs: Errors, d: &CaseDetail, dispatch_id: Option<i64>) -> AnyView {
    match kind {
        ActionKind::Accept => text_area(field!(errs, "note"), "受理告知（选填）", Some("告知群众已受理，最多 500 字。"), f.note).into_any(),
        ActionKind::Decline => view! {
            {field!(errs, "route").view(
                "告知途径",
                Some("依法应通过其他途径解决的，告知群众向有关机关提出（《信访工作条例》第三十一条）。"),
                move |c| view! {
                    <select id=c.id() aria-invalid=c.invalid() aria-describedby=c.described_by()
                        on:change=move |ev| f.route.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || f.route.with(String::is_empty)>"请选择"</option>
                        {DeclineRoute::ALL.into_iter().map(|r| {
                            let code = wire_code(&r);
                            let c2 = code.clone();
                            view! { <option value=code prop:selected=move || f.route.with(|v| *v == c2)>{r.label()}</option> }
                        }).collect_view()}
                    </select>
                },
            )}
            {text_area(field!(errs, "reason"), "不予受理理由", Some("群众可见，4–500 字。"), f.reason)}
        }
        .into_any(),
        ActionKind::Dispatch => dispatch_fields(f, errs, d).into_any(),
        ActionKind::Take => view! { <p>"签收后由本部门办理，请在办理期限内答复。"</p> }.into_any(),
        ActionKind::Object => {
            let due = d.dispatches.iter().find(|x| Some(x.id) == dispatch_id).map(|x| x.objection_due_on.clone());
            let hint = due.map(|due| format!("异议须在派单后5个工作日内提出（截至 {due}），中心将重新派单。")).unwrap_or_default();
            view! {
                <p class="hint">{hint}</p>
                {text_area(field!(errs, "reason"), "异议理由", Some("说明为何不属本部门职责，4–500 字。"), f.reason)}
            }
            .into_any()
        }
        ActionKind::Progress => text_area(field!(errs, "note"), "办理进展（内部）", None, f.note).into_any(),
        ActionKind::Respond => text_area(field!(errs, "response"), "办理结果", Some("本部门的办理情况，4–2000 字；中心据此统一答复。"), f.response).into_any(),
        ActionKind::RecordMediation => mediation_fields(f, errs).into_any(),
        ActionKind::Extend => view! {
            {field!(errs, "days").view(
                "延长天数",
                Some("只能延期一次，最多 30 日，理由将告知群众（《信访工作条例》第三十四条）。"),
                move |c| view! {
                    <input type="number" id=c.id() min="1" max="30" inputmode="numeric" bind:value=f.days
                        aria-invalid=c.invalid() aria-describedby=c.described_by() />
                },
            )}
            {text_area(field!(errs, "reason"), "延期理由", None, f.reason)}
        }
        .into_any(),
        ActionKind::TakeAsLeader => view! { <p>"由您包案负责此件（领导包案）。"</p> }.into_any(),
        ActionKind::Reply => text_area(field!(errs, "reply"), "统一答复", Some("中心对群众的统一答复，10–2000 字；群众可凭查询码查看并评价。"), f.reply).into_any(),
        ActionKind::CompleteCallback => text_area(field!(errs, "note"), "回访情况", Some("回访方式、群众意见和整改情况，4–500 字。"), f.note).into_any(),
        ActionKind::DecideReview => text_area(field!(errs, "decision"), "复查意见", Some("10–2000 字。"), f.decision).into_any(),
        ActionKind::AssignDown | ActionKind::SendToGrid | ActionKind::ReportUp => {
            hand_over_fields(kind, f, errs, d.id).into_any()
        }
        ActionKind::GridDone => text_area(field!(errs, "note"), "办结情况", Some("现场处理情况，4–500 字；交回承办单位答复群众。"), f.note).into_any(),
        ActionKind::ResolveOnSpot => view! {
            {text_area(field!(errs, "parties"), "当事人", Some("双方当事人姓名，2–200 字。"), f.parties)}
            {text_area(field!(errs, "agreement"), "达成的协议", Some("4–1000 字；群众查询时只显示“已就地化解，达成调解协议”。"), f.agreement)}
        }
        .into_any(),
        ActionKind::DecideObjection => objection_fields(f, errs, d, dispatch_id).into_any(),
    }
}

/// 审核异议: the department and its reason, agree (the part is released for re-dispatch)
/// or refuse (the department still holds it, told why).
fn objection_fields(f: Fields, errs: Errors, d: &CaseDetail, dispatch_id: Option<i64>) -> impl IntoView {
    let part = d.dispatches.iter().find(|x| Some(x.id) == dispatch_id);
    let what = part
        .map(|x| format!("{}提出异议：{}", x.department_name, x.objection_reason.clone().unwrap_or_default()))
        .unwrap_or_default();
    let radio = move |id: &'static str, value: bool, label: &'static str| {
        view! {
            <div class="choice">
                <input type="radio" name="c-agree" id=id prop:checked=move || f.agree.get() == value
                    on:change=move |_| f.agree.set(value) />
                <label for=id>{label}</label>
            </div>
        }
    };
    view! {
        <p class="hint">{what}</p>
        <fieldset class="field">
            <legend>"审核意见"</legend>
            <div class="choices">
                {radio("c-f-agree-yes", true, "核实同意（退回，重新派单）")}
                {radio("c-f-agree-no", false, "不予同意（仍由该部门办理）")}
            </div>
        </fieldset>
        {text_area(field!(errs, "note"), "说明", Some("不予同意时须说明理由，4–500 字。"), f.note)}
    }
}

/// 交办, 下派, 上报: where to (the units below or above the holder, or the grid workers
/// under it, as the server lists them), why, and by when. The statutory clocks run on.
fn hand_over_fields(kind: ActionKind, f: Fields, errs: Errors, case_id: i64) -> impl IntoView {
    let api = crate::console::api::use_api();
    let targets = LocalResource::new(move || async move { api.hand_over_targets(case_id).await.unwrap_or_default() });
    let (label, hint) = match kind {
        ActionKind::AssignDown => ("交办至", "本单位下级的乡镇（街道）综治中心或村（社区）服务站。"),
        ActionKind::SendToGrid => ("下派网格员", "本单位辖区内网格的网格员；完成后交回本单位。"),
        _ => ("上报至", "跨乡镇、群体性或疑难复杂的，上报上级单位。"),
    };
    let options = move || {
        let Some(t) = targets.get() else { return Vec::new() };
        match kind {
            ActionKind::AssignDown => t.down.iter().map(|u| (u.id, u.name.clone())).collect(),
            ActionKind::SendToGrid => {
                t.grid_workers.iter().map(|w| (w.staff_id, format!("{}（{}）", w.display_name, w.grid_name))).collect()
            }
            _ => t.up.iter().map(|u| (u.id, u.name.clone())).collect::<Vec<_>>(),
        }
    };
    let field_name = if kind == ActionKind::SendToGrid { "staff_id" } else { "unit_id" };
    view! {
        {Field::new(errs, field_name).control_id("c-f-target").view(label, Some(hint), move |c| view! {
            <select id=c.id() aria-invalid=c.invalid() aria-describedby=c.described_by()
                on:change=move |ev| f.target.set(event_target_value(&ev))>
                <option value="" prop:selected=move || f.target.with(String::is_empty)>"请选择"</option>
                {move || options().into_iter().map(|(id, name)| {
                    let value = id.to_string();
                    let v2 = value.clone();
                    view! { <option value=value prop:selected=move || f.target.with(|t| *t == v2)>{name}</option> }
                }).collect_view()}
            </select>
        })}
        {text_area(field!(errs, "reason"), "理由", Some("4–500 字；群众查询时只显示转交的单位名称。"), f.reason)}
        {field!(errs, "due_on").view("办理期限", Some("须晚于今天、不晚于法定期限；法定期限不因转交而中断。"), move |c| view! {
            <input type="date" id=c.id() bind:value=f.due_on aria-invalid=c.invalid() aria-describedby=c.described_by() />
        })}
    }
}

/// 派单: departments (those already handling it are shown, not offered), due date, note.
fn dispatch_fields(f: Fields, errs: Errors, d: &CaseDetail) -> impl IntoView {
    let lookups = expect_context::<Lookups>();
    let active: Vec<i64> = d.dispatches.iter().filter(|x| x.state.is_active()).map(|x| x.department_id).collect();
    // 派单 goes to departments of the case's level or above.
    let level = d.unit.as_ref().map(|u| u.level);
    let boxes = move || {
        let active = active.clone();
        lookups
            .departments
            .get()
            .into_iter()
            .filter(|dep| level.is_none_or(|level| dep.level >= level))
            .map(|dep| {
                let id = format!("c-f-dept-{}", dep.id);
                let busy = active.contains(&dep.id);
                let dep_id = dep.id;
                let toggle = move |ev| {
                    let on = event_target_checked(&ev);
                    f.departments.update(|v| {
                        v.retain(|x| *x != dep_id);
                        if on {
                            v.push(dep_id);
                        }
                    });
                };
                let name = if busy { format!("{}（办理中）", dep.name) } else { dep.name.clone() };
                view! {
                    <div class="choice">
                        <input type="checkbox" id=id.clone() value=dep.id.to_string() disabled=busy
                            prop:checked=move || f.departments.with(|v| v.contains(&dep_id))
                            aria-describedby="err-department_ids" on:change=toggle />
                        <label for=id>{name}</label>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="field" id="c-f-departments" tabindex="-1" aria-describedby="err-department_ids">
            <legend>"承办部门（可多选）"</legend>
            <div class="choices">{boxes}</div>
            {error_text(errs, "department_ids")}
        </fieldset>
        {field!(errs, "due_on").view("办理期限", Some("默认为法定办理期限；须晚于今天、不晚于法定期限。"), move |c| view! {
            <input type="date" id=c.id() bind:value=f.due_on aria-invalid=c.invalid() aria-describedby=c.described_by() />
        })}
        {text_area(field!(errs, "note"), "派单说明（选填）", None, f.note)}
    }
}

/// 调解结果: settled with the agreement (and the court's confirmation date), or not.
fn mediation_fields(f: Fields, errs: Errors) -> impl IntoView {
    let settled = move || f.outcome.with(|o| o == "settled");
    let radio = move |value: &'static str, label: &'static str| {
        let id = format!("c-f-outcome-{value}");
        view! {
            <div class="choice">
                <input type="radio" name="c-outcome" id=id.clone() value=value
                    prop:checked=move || f.outcome.with(|o| o == value)
                    on:change=move |_| f.outcome.set(value.to_string()) />
                <label for=id>{label}</label>
            </div>
        }
    };
    view! {
        <fieldset class="field">
            <legend>"调解结果"</legend>
            <div class="choices">
                {radio("settled", "调解成功")}
                {radio("not_settled", "调解不成功")}
            </div>
        </fieldset>
        <Show when=settled fallback=move || view! {
            <div class="field check">
                <input type="checkbox" id="c-f-referred_to_court" bind:checked=f.referred_to_court />
                <label for="c-f-referred_to_court">"已移送法院（诉调对接）"</label>
            </div>
            {text_area(field!(errs, "note"), "说明（选填）", None, f.note)}
        }>
            {text_area(field!(errs, "agreement"), "调解协议内容", Some("4–1000 字；群众查询时只显示“已达成调解协议”。"), f.agreement)}
            {field!(errs, "judicial_confirmation_on").view("司法确认日期（选填）", None, move |c| view! {
                <input type="date" id=c.id() bind:value=f.judicial_confirmation_on
                    aria-invalid=c.invalid() aria-describedby=c.described_by() />
            })}
        </Show>
    }
}
