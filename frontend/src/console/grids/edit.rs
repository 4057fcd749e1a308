//! `/console/grids/{id}` 编辑网格: the area, supervision phone, team (网格员 and the 3+N
//! forces) and service items residents see on the grid's page. The shared validation
//! runs first; the server runs it again and records each change as an event.

use super::super::paths;
use crate::browser::focus;
use crate::console::ui::{page_title, refusal};
use crate::form::{Errors, Field, error_text, first_per_field, message_for};
use crate::load::Loaded;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::grid::{GridDetail, GridPerson, GridRole, GridUpdate, limits, validate_grid_update};
use ow_shared::{ErrorCode, Lang};

/// What is being edited. The team's names and phones change in place, untracked, so
/// typing never rebuilds the rows; adding or removing a person does.
#[derive(Clone, Copy)]
struct Draft {
    area: RwSignal<String>,
    supervision: RwSignal<String>,
    people: RwSignal<Vec<GridPerson>>,
    services: RwSignal<String>,
}

impl Draft {
    fn new(d: &GridDetail) -> Draft {
        Draft {
            area: RwSignal::new(d.area_description.clone()),
            supervision: RwSignal::new(d.supervision_phone.clone()),
            people: RwSignal::new(d.people.clone()),
            services: RwSignal::new(d.service_items.join("\n")),
        }
    }

    fn fill(self, d: &GridDetail) {
        self.area.try_set(d.area_description.clone());
        self.supervision.try_set(d.supervision_phone.clone());
        self.people.try_set(d.people.clone());
        self.services.try_set(d.service_items.join("\n"));
    }

    /// The request, people in the order shown so that `people[i]` errors name row i.
    fn update(self) -> GridUpdate {
        GridUpdate {
            area_description: self.area.get_untracked(),
            supervision_phone: self.supervision.get_untracked(),
            people: self.people.get_untracked(),
            service_items: self.services.with_untracked(|s| s.lines().map(String::from).collect()),
        }
    }

    fn edit(self, i: usize, change: impl FnOnce(&mut GridPerson)) {
        self.people.update_untracked(|v| {
            if let Some(p) = v.get_mut(i) {
                change(p);
            }
        });
    }
}

/// The error line of a team member's field, `people[0].name` → `c-g-err-people-0-name`.
/// The rows come and go, so their fields are named at run time, which `Field` (named
/// once, `&'static str`) cannot express: they keep this id scheme.
fn err_id(field: &str) -> String {
    format!("c-g-err-{}", field.replace("].", "-").replace(['[', ']', '.'], "-"))
}

/// The control to focus for an error of `field`.
fn control_id(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("people[")
        && let Some((i, part)) = rest.split_once("].")
    {
        return format!("c-g-person-{part}-{i}");
    }
    match field {
        "area_description" => "c-g-area".into(),
        "supervision_phone" => "c-g-supervision".into(),
        "people" => "c-g-person-add".into(),
        _ => "c-g-services".into(),
    }
}

/// A team member's field's error line (see `err_id`).
fn row_error_text(errs: Errors, field: String) -> impl IntoView {
    let id = err_id(&field);
    view! { <p class="err" id=id>{move || message_for(errs, &field)}</p> }
}

/// `aria-invalid` of a team member's field.
fn row_invalid(errs: Errors, field: String) -> impl Fn() -> &'static str + Send + Sync + 'static {
    move || if message_for(errs, &field).is_some() { "true" } else { "false" }
}

/// Every problem of the service items, each naming its item.
fn services_message(errs: Errors) -> Option<String> {
    errs.with(|v| {
        let texts: Vec<String> = v
            .iter()
            .filter(|e| e.field.starts_with("service_items"))
            .map(|e| {
                match e.field.strip_prefix("service_items[").and_then(|i| i.trim_end_matches(']').parse::<usize>().ok())
                {
                    Some(i) => format!("第 {} 项：{}", i + 1, e.message(Lang::Zh)),
                    None => e.message(Lang::Zh),
                }
            })
            .collect();
        (!texts.is_empty()).then(|| texts.join("；"))
    })
}

/// The edit page of grid `id`.
pub fn grid_page(id: i64) -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("编辑网格");
    let grid = Loaded::<GridDetail>::new();
    let load = move || grid.load(api.grid(id));
    load();
    view! {
        <p class="c-back"><a href=paths::GRIDS>"返回网格列表"</a></p>
        {grid.view("c-g-load", load, move |d| edit_form(id, d))}
    }
}

/// The form, its draft made from the grid as loaded.
fn edit_form(id: i64, d: GridDetail) -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title(&format!("编辑网格 {}", d.summary.name));
    let draft = Draft::new(&d);
    let s = d.summary;
    let status = RwSignal::new(String::new());
    let errs: Errors = crate::form::errors();
    let general = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let update = draft.update();
        status.set(String::new());
        if let Err(problems) = validate_grid_update(&update) {
            let problems = first_per_field(problems);
            focus(&control_id(&problems[0].field));
            errs.set(problems);
            general.set(Some(ErrorCode::ValidationFailed.message(Lang::Zh, None, None)));
            return;
        }
        errs.set(Vec::new());
        general.set(None);
        saving.set(true);
        spawn_local_scoped(async move {
            match api.update_grid(id, &update).await {
                Ok(saved) => {
                    draft.fill(&saved);
                    let at = js_sys::Date::new_0();
                    let time = format!("{:02}:{:02}", at.get_hours(), at.get_minutes());
                    status.try_set(format!("已保存（{time}），居民查询的网格页面已更新。"));
                }
                Err(mut e) => {
                    // Not `show_error`: the team's errors keep their row (`people[2].phone`).
                    let fields = first_per_field(std::mem::take(&mut e.fields));
                    if let Some(first) = fields.first() {
                        focus(&control_id(&first.field));
                    }
                    errs.try_set(fields);
                    general.try_set(Some(refusal(&e)));
                }
            }
            saving.try_set(false);
        });
    };
    let add = move |_| {
        let len = draft.people.with_untracked(Vec::len);
        let missing = |r: &GridRole| draft.people.with_untracked(|v| v.iter().all(|p| p.role != *r));
        let role = GridRole::ALL.into_iter().find(missing).unwrap_or(GridRole::Cleaner);
        draft.people.update(|v| v.push(GridPerson { role, name: String::new(), phone: String::new() }));
        request_animation_frame(move || focus(&format!("c-g-person-role-{len}")));
    };
    let full = move || draft.people.with(Vec::len) as u32 >= limits::MAX_PEOPLE;
    let rows =
        move || draft.people.get().into_iter().enumerate().map(|(i, p)| person_row(i, p, draft, errs)).collect_view();
    let place = format!("{} · {} {}", s.code, s.township, s.village);
    view! {
        <h1>{format!("编辑网格：{}", s.name)}</h1>
        <p class="c-g-meta">
            {place} " · "
            <a id="c-g-public" href=format!("/grid/{id}") rel="external">"查看居民看到的网格页面"</a>
        </p>
        <p id="c-g-status" class="c-status" role="status" aria-live="polite">{move || status.get()}</p>
        <form class="c-g-edit" novalidate on:submit=save>
            {Field::new(errs, "area_description").control_id("c-g-area").view("网格范围说明", Some("选填，最多 500 字"), move |f| view! {
                <textarea id=f.id() rows="3" bind:value=draft.area
                    aria-invalid=f.invalid() aria-describedby=f.described_by()></textarea>
            })}
            {Field::new(errs, "supervision_phone").control_id("c-g-supervision").view(
                "监督电话",
                Some("手机、固定电话（如 0851-28221234）或 12345 等服务号码"),
                move |f| view! {
                    <input type="tel" id=f.id() autocomplete="off" bind:value=draft.supervision
                        aria-invalid=f.invalid() aria-describedby=f.described_by() />
                },
            )}
            <fieldset class="field c-g-team" aria-describedby="hint-people err-people">
                <legend>"网格员和“3+N”队伍"</legend>
                <p class="hint" id="hint-people">"至少一名网格员。姓名和电话向居民公开，保存后按角色排列。"</p>
                <ol class="c-g-people">{rows}</ol>
                {error_text(errs, "people")}
                <button type="button" id="c-g-person-add" class="c-button" disabled=full on:click=add>"添加人员"</button>
            </fieldset>
            // Not `Field::view`: the error line lists every item's problem, each by its number.
            <div class="field">
                <label for="c-g-services">"网格服务事项"</label>
                <p class="hint" id="hint-service_items">"每行一项，最多 30 项，每项不超过 100 字"</p>
                <textarea id="c-g-services" rows="6" bind:value=draft.services
                    aria-invalid=move || if services_message(errs).is_some() { "true" } else { "false" }
                    aria-describedby="hint-service_items err-service_items"></textarea>
                <p class="err" id="err-service_items">{move || services_message(errs)}</p>
            </div>
            <p class="form-error" role="alert">{move || general.get()}</p>
            <button type="submit" id="c-g-save" class="primary" disabled=move || saving.get()>"保存"</button>
        </form>
    }
}

/// Row `i` of the team: role, name, phone and a remove button.
fn person_row(i: usize, p: GridPerson, draft: Draft, errs: Errors) -> impl IntoView {
    let n = i + 1;
    let who = if p.name.is_empty() { format!("第 {n} 人") } else { format!("第 {n} 人（{}）", p.name) };
    let (role_id, name_id, phone_id) =
        (format!("c-g-person-role-{i}"), format!("c-g-person-name-{i}"), format!("c-g-person-phone-{i}"));
    let (name_field, phone_field) = (format!("people[{i}].name"), format!("people[{i}].phone"));
    let hidden = move || view! { <span class="visually-hidden">{format!("第 {n} 人")}</span> };
    let remove = move |_| {
        draft.people.update(|v| {
            if i < v.len() {
                v.remove(i);
            }
        });
        // Rows after it moved up: their errors no longer match.
        errs.set(Vec::new());
        request_animation_frame(|| focus("c-g-person-add"));
    };
    let role = p.role;
    view! {
        <li class="c-g-person">
            <div class="field">
                <label for=role_id.clone()>{hidden()}"角色"</label>
                <select id=role_id on:change=move |ev| {
                    if let Some(r) = GridRole::from_code(&event_target_value(&ev)) {
                        draft.edit(i, |p| p.role = r);
                    }
                }>
                    {GridRole::ALL.map(|r| view! { <option value=r.code() selected={r == role}>{r.label()}</option> })
                        .into_iter().collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=name_id.clone()>{hidden()}"姓名"</label>
                <input type="text" id=name_id autocomplete="off" prop:value=p.name.clone()
                    on:input=move |ev| { let v = event_target_value(&ev); draft.edit(i, |p| p.name = v); }
                    aria-invalid=row_invalid(errs, name_field.clone()) aria-describedby=err_id(&name_field) />
                {row_error_text(errs, name_field.clone())}
            </div>
            <div class="field">
                <label for=phone_id.clone()>{hidden()}"电话"</label>
                <input type="tel" id=phone_id autocomplete="off" prop:value=p.phone.clone()
                    on:input=move |ev| { let v = event_target_value(&ev); draft.edit(i, |p| p.phone = v); }
                    aria-invalid=row_invalid(errs, phone_field.clone()) aria-describedby=err_id(&phone_field) />
                {row_error_text(errs, phone_field.clone())}
            </div>
            <button type="button" class="link-button c-danger c-g-person-remove" id=format!("c-g-person-remove-{i}")
                aria-label=format!("删除{who}") on:click=remove>"删除"</button>
        </li>
    }
}
