//! `/console/field/report` 上报 and `/console/field/settle` 就地化解: what, where (the
//! phone's position → the grid, or the grid picked), photos, the people involved and, when
//! settled, what the parties agreed. Kept as a draft on the phone until the server has it.

use super::photos;
use crate::browser::{focus, new_key};
use crate::console::{Auth, Lookups};
use crate::form::{Errors, Field, show_error};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::dto::Receipt;
use ow_shared::unit::{GPS_TOLERANCE_M, GridReportRequest, SettledOnSpot};
use ow_shared::validate::limits::MAX_PHOTOS;
use ow_shared::{ApiError, CaseType, ErrorCode, Lang};
use serde::{Deserialize, Serialize};

/// What is typed, as kept on the phone (one draft per page) with its idempotency key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Draft {
    key: String,
    case_type: Option<CaseType>,
    title: String,
    description: String,
    people: String,
    address: String,
    grid_id: Option<i64>,
    /// The phone's position and the grid found there.
    position: Option<(f64, f64)>,
    located: String,
    photo_ids: Vec<String>,
    parties: String,
    agreement: String,
}

fn draft_key(settle: bool) -> &'static str {
    if settle { "ow.field.settle" } else { "ow.field.report" }
}

/// The report page; `settle` for 就地化解.
pub fn report_page(settle: bool) -> impl IntoView {
    let title = if settle { "就地化解" } else { "上报" };
    crate::console::ui::page_title(title);
    let api = crate::console::api::use_api();
    let saved: Draft = crate::storage::load(draft_key(settle)).unwrap_or_default();
    let draft = RwSignal::new(if saved.key.is_empty() { Draft { key: new_key(), ..saved } } else { saved });
    // Every change is kept at once: a dropped signal or a closed tab loses nothing.
    Effect::new(move |_| draft.with(|d| crate::storage::save(draft_key(settle), d)));
    let errs: Errors = crate::form::errors();
    let general = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let done = RwSignal::new(None::<Receipt>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let d = draft.get_untracked();
        let req = GridReportRequest {
            case_type: d.case_type,
            title: d.title.trim().to_string(),
            description: d.description.trim().to_string(),
            people: d.people.trim().to_string(),
            lon: d.position.map(|p| p.0),
            lat: d.position.map(|p| p.1),
            grid_id: d.grid_id,
            address: d.address.trim().to_string(),
            photo_ids: d.photo_ids.clone(),
            settled: settle.then(|| SettledOnSpot { parties: d.parties.clone(), agreement: d.agreement.clone() }),
        };
        errs.set(Vec::new());
        general.set(None);
        sending.set(true);
        spawn_local_scoped(async move {
            let result = api.grid_report(&req, &d.key).await;
            sending.try_set(false);
            let receipt = match result {
                Ok(receipt) => receipt,
                // Sent before, its answer lost: the case it made.
                Err(ApiError { code: ErrorCode::IdempotencyKeyReused, receipt: Some(receipt), .. }) => *receipt,
                Err(e) => {
                    let field = e.fields.first().map(|f| format!("f-{}", f.field));
                    show_error(errs, general, e);
                    if let Some(id) = field {
                        focus(&id);
                    }
                    return;
                }
            };
            crate::storage::remove(draft_key(settle));
            draft.try_set(Draft { key: new_key(), ..Draft::default() });
            done.try_set(Some(receipt));
            request_animation_frame(|| focus("f-done"));
        });
    };
    let lead = if settle {
        "当场调解成功的矛盾纠纷：登记当事人和协议内容，作为网格就地化解的案件办结。"
    } else {
        "巡查中发现的问题：登记后进入乡镇（街道）综治中心待办，并记入本网格。"
    };
    view! {
        <div class="f-page">
            <p class="c-back"><a href=super::paths::HOME>"← 网格工作"</a></p>
            <h1>{title}</h1>
            <p class="lead">{lead}</p>
            {move || done.get().map(|r| view! {
                <div class="notice f-done" id="f-done" tabindex="-1" role="status">
                    <p>{format!("已{}，受理编号 {}。", if settle { "登记就地化解" } else { "上报" }, r.tracking_no)}</p>
                    <p><a class="c-button f-big" href=super::paths::HOME>"返回网格工作"</a></p>
                </div>
            })}
            <form novalidate class="f-form" on:submit=submit>
                {type_field(draft, errs)}
                {text("title", "事项", Some("一句话说明，如“3栋漏水邻里纠纷”"), draft, errs, |d| &mut d.title, |d| d.title.clone(), false)}
                {text("description", "情况", None, draft, errs, |d| &mut d.description, |d| d.description.clone(), true)}
                {text("people", "涉及人员", Some("姓名、联系方式等，选填"), draft, errs, |d| &mut d.people, |d| d.people.clone(), true)}
                {place(draft, errs)}
                {text("address", "具体位置", Some("小区、楼栋、组等，选填"), draft, errs, |d| &mut d.address, |d| d.address.clone(), false)}
                {photo_field(draft, errs)}
                {settle.then(|| view! {
                    {text("parties", "当事人", Some("双方当事人姓名"), draft, errs, |d| &mut d.parties, |d| d.parties.clone(), false)}
                    {text("agreement", "达成的协议", None, draft, errs, |d| &mut d.agreement, |d| d.agreement.clone(), true)}
                })}
                <p class="form-error" role="alert">{move || general.get()}</p>
                <button type="submit" id="f-submit" class="primary f-big" disabled=move || sending.get()>
                    {move || if sending.get() { "正在提交…" } else if settle { "登记就地化解" } else { "上报" }}
                </button>
                <p class="hint">"内容已自动保存在本机；网络不好时可稍后再点提交，不会重复登记。"</p>
            </form>
        </div>
    }
}

/// A text input or textarea bound to one draft field.
#[allow(clippy::too_many_arguments)]
fn text(
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    draft: RwSignal<Draft>,
    errs: Errors,
    set: fn(&mut Draft) -> &mut String,
    get: fn(&Draft) -> String,
    long: bool,
) -> impl IntoView {
    Field::new(errs, name).view(label, hint, move |f| {
        let on_input = move |ev| {
            let value = event_target_value(&ev);
            draft.update(|d| *set(d) = value);
        };
        if long {
            view! {
                <textarea id=f.id() rows="4" prop:value=move || draft.with(get) on:input=on_input
                    aria-invalid=f.invalid() aria-describedby=f.described_by()></textarea>
            }
            .into_any()
        } else {
            view! {
                <input type="text" id=f.id() prop:value=move || draft.with(get) on:input=on_input
                    aria-invalid=f.invalid() aria-describedby=f.described_by() />
            }
            .into_any()
        }
    })
}

/// The kind of matter, as large radio buttons.
fn type_field(draft: RwSignal<Draft>, errs: Errors) -> impl IntoView {
    let choices = CaseType::ALL
        .into_iter()
        .map(|t| {
            let id = format!("f-type-{}", t.code());
            view! {
                <div class="choice f-choice">
                    <input type="radio" name="f-type" id=id.clone() value=t.code()
                        prop:checked=move || draft.with(|d| d.case_type == Some(t))
                        on:change=move |_| draft.update(|d| d.case_type = Some(t)) />
                    <label for=id>{t.label(Lang::Zh)}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field" id="f-case_type" tabindex="-1" aria-describedby="err-case_type">
            <legend>"类型"</legend>
            <div class="choices f-choices">{choices}</div>
            {crate::form::error_text(errs, "case_type")}
        </fieldset>
    }
}

/// Where: the phone's position (the grid there), or a grid of the worker's village.
fn place(draft: RwSignal<Draft>, errs: Errors) -> impl IntoView {
    let lookups = expect_context::<Lookups>();
    let auth = expect_context::<Auth>();
    let own = auth.session.with_untracked(|s| s.as_ref().and_then(|s| s.grid_id));
    let locating = RwSignal::new(false);
    let failed = RwSignal::new(None::<&'static str>);
    let locate = move |_| {
        locating.set(true);
        failed.set(None);
        spawn_local_scoped(async move {
            let found = match crate::grid::locate::position().await {
                Ok((lon, lat)) => crate::grid::api::locate(lon, lat).await.map(|hit| (lon, lat, hit)).ok(),
                Err(_) => None,
            };
            locating.try_set(false);
            match found {
                Some((lon, lat, hit)) => {
                    let far = hit.distance_m.is_some_and(|d| d > GPS_TOLERANCE_M);
                    let located = if far {
                        format!("当前位置不在任何网格内（距{}约{}米）", hit.grid.name, hit.distance_m.unwrap_or(0.0))
                    } else {
                        format!("{} {}", hit.grid.village, hit.grid.name)
                    };
                    draft.try_update(|d| {
                        d.position = Some((lon, lat));
                        d.located = located;
                    });
                }
                None => {
                    failed.try_set(Some("无法获取位置，请检查手机定位权限，或在下方选择网格。"));
                }
            }
        });
    };
    // The grids of the worker's village, their own first.
    let grids = move || {
        let all = lookups.grids.get();
        let village = all.iter().find(|g| Some(g.id) == own).map(|g| g.village_id);
        all.into_iter().filter(|g| Some(g.village_id) == village).collect::<Vec<_>>()
    };
    view! {
        <fieldset class="field" id="f-grid_id" tabindex="-1" aria-describedby="err-grid_id">
            <legend>"地点"</legend>
            <button type="button" id="f-locate" class="c-button f-big" on:click=locate disabled=move || locating.get()>
                {move || if locating.get() { "正在定位…" } else { "用手机定位" }}
            </button>
            <p id="f-located" role="status">
                {move || draft.with(|d| d.position.map(|_| format!("定位：{}", d.located)))}
                {move || failed.get()}
            </p>
            {move || draft.with(|d| d.position.is_some()).then(|| view! {
                <button type="button" class="link-button" id="f-unlocate"
                    on:click=move |_| draft.update(|d| { d.position = None; d.located.clear(); })>
                    "不用定位，改为选择网格"
                </button>
            })}
            <label for="f-grid">"或选择网格"</label>
            <select id="f-grid" disabled=move || draft.with(|d| d.position.is_some())
                on:change=move |ev| {
                    let value = event_target_value(&ev).parse().ok();
                    draft.update(|d| d.grid_id = value);
                }>
                <option value="" prop:selected=move || draft.with(|d| d.grid_id.is_none())>"本人网格"</option>
                {move || grids().into_iter().map(|g| {
                    let id = g.id;
                    view! { <option value=id.to_string() prop:selected=move || draft.with(|d| d.grid_id == Some(id))>{g.name}</option> }
                }).collect_view()}
            </select>
            {crate::form::error_text(errs, "grid_id")}
        </fieldset>
    }
}

/// Photos: taken or chosen, made smaller, uploaded; at most three.
fn photo_field(draft: RwSignal<Draft>, errs: Errors) -> impl IntoView {
    let busy = RwSignal::new(0u32);
    let failed = RwSignal::new(None::<String>);
    let pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(files) = input.files() else { return };
        let room = (MAX_PHOTOS as usize).saturating_sub(draft.with_untracked(|d| d.photo_ids.len()));
        let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).take(room).collect();
        input.set_value("");
        for file in files {
            busy.update(|n| *n += 1);
            spawn_local_scoped(async move {
                match photos::upload(file).await {
                    Ok(id) => {
                        draft.try_update(|d| d.photo_ids.push(id));
                    }
                    Err(e) => {
                        failed.try_set(Some(crate::console::ui::refusal(&e)));
                    }
                }
                busy.try_update(|n| *n = n.saturating_sub(1));
            });
        }
    };
    view! {
        <div class="field" id="f-photos">
            <input type="file" id="f-photo" class="f-file" accept="image/*" multiple on:change=pick
                aria-describedby="f-photo-count err-photo_ids" />
            <label for="f-photo" class="c-button f-big">"拍照或选择照片"</label>
            <p id="f-photo-count" role="status">
                {move || {
                    let n = draft.with(|d| d.photo_ids.len());
                    let sending = busy.get();
                    if sending > 0 { format!("已添加 {n} 张，正在上传 {sending} 张…") } else { format!("已添加 {n} 张（最多 {MAX_PHOTOS} 张）") }
                }}
            </p>
            {move || (draft.with(|d| !d.photo_ids.is_empty())).then(|| view! {
                <button type="button" class="link-button" id="f-photo-clear" on:click=move |_| draft.update(|d| d.photo_ids.clear())>
                    "清除照片"
                </button>
            })}
            <p class="err">{move || failed.get()}</p>
            {crate::form::error_text(errs, "photo_ids")}
        </div>
    }
}
