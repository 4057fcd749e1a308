//! `/console/staff` 账号 (administrators): staff accounts, a new account, closing one
//! (停用) and setting a new password.

use super::Lookups;
use crate::browser::focus;
use crate::console::ui::{page_title, refusal};
use crate::form::{Errors, Field, first_per_field, show_error};
use crate::load::Loaded;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::staff::{
    CreateStaffRequest, ResetPasswordRequest, Role, StaffAccount, check_password, validate_create_staff,
};
use ow_shared::{ErrorCode, Lang};

/// The accounts page.
pub fn staff_page() -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("账号");
    let accounts = Loaded::<Vec<StaffAccount>>::new();
    let status = RwSignal::new(String::new());
    let load = move || accounts.load(api.staff());
    load();
    // After a change the list stays on screen until the new one arrives.
    let reload = move || accounts.reload_quietly(api.staff());
    view! {
        <h1>"账号"</h1>
        <p id="c-s-status" class="c-status" role="status">{move || status.get()}</p>
        <h2>"工作人员"</h2>
        {accounts.view("c-s-load", load, move |list| table(list, status, reload))}
        {create_form(status, reload)}
    }
}

fn table(
    list: Vec<StaffAccount>,
    status: RwSignal<String>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let rows = list.into_iter().map(|a| row(a, status, reload)).collect_view();
    view! {
        {crate::console::ui::table(
            "c-table c-staff-table",
            "工作人员账号",
            &["用户名", "姓名", "岗位", "单位", "部门", "状态", "操作"],
            false.into(),
            rows,
        )}
    }
}

fn row(a: StaffAccount, status: RwSignal<String>, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let api = crate::console::api::use_api();
    let id = a.id;
    let username = a.username.clone();
    let resetting = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let name = a.display_name.clone();
    let deactivate = {
        let name = name.clone();
        move |_| {
            let name = name.clone();
            spawn_local_scoped(async move {
                match api.deactivate_staff(id).await {
                    Ok(()) => {
                        status.try_set(format!("已停用 {name} 的账号"));
                        reload();
                    }
                    Err(e) => {
                        status.try_set(refusal(&e));
                    }
                }
            });
        }
    };
    let user = username.clone();
    let set_password = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pw = password.get_untracked();
        if let Some(e) = check_password(&user, &pw) {
            error.set(Some(e.message(Lang::Zh)));
            return;
        }
        let name = name.clone();
        spawn_local_scoped(async move {
            match api.reset_password(id, &ResetPasswordRequest { password: pw }).await {
                Ok(()) => {
                    resetting.try_set(false);
                    password.try_set(String::new());
                    status.try_set(format!("已为 {name} 设置新密码，其登录会话已结束"));
                }
                Err(e) => {
                    error.try_set(Some(e.fields.first().map(|f| f.message(Lang::Zh)).unwrap_or_else(|| refusal(&e))));
                }
            }
        });
    };
    // Closing one's own account would lock the last administrator out.
    let is_me =
        expect_context::<super::Auth>().session.with_untracked(|s| s.as_ref().is_some_and(|s| s.staff_id == id));
    // One such form per account, so its ids carry the account's id (`Field` names one
    // field per form).
    let input_id = format!("c-s-newpass-{id}");
    let row_user = username.clone();
    let pass_label = format!("{username} 的新密码");
    let err_id = format!("c-s-newpass-err-{id}");
    view! {
        <tr class="c-staff" data-username=row_user data-active=a.active.to_string()>
            <td data-label="用户名"><code>{username.clone()}</code></td>
            <td data-label="姓名">{a.display_name.clone()}</td>
            <td data-label="岗位">{a.role.label()}</td>
            <td data-label="单位">{a.unit.name.clone()}</td>
            <td data-label="部门">{a.department_name.clone().unwrap_or_else(|| "—".into())}</td>
            <td data-label="状态">{if a.active { "在用" } else { "已停用" }}</td>
            <td class="c-row-actions">
                {(a.active && !is_me).then(|| view! {
                    <button type="button" class="link-button c-danger" id=format!("c-s-deactivate-{id}")
                        aria-label=format!("停用 {}", a.username) on:click=deactivate>"停用"</button>
                })}
                {a.active.then(|| view! {
                    <button type="button" class="link-button" id=format!("c-s-reset-{id}")
                        aria-label=format!("重置 {} 的密码", a.username) aria-expanded=move || resetting.get().to_string()
                        on:click=move |_| resetting.update(|r| *r = !*r)>"重置密码"</button>
                })}
                <Show when=move || resetting.get()>
                    <form class="c-reset" novalidate on:submit=set_password.clone()>
                        <label for=input_id.clone()>{pass_label.clone()}</label>
                        <input type="password" id=input_id.clone() autocomplete="new-password" bind:value=password
                            aria-invalid=move || error.with(Option::is_some).to_string() aria-describedby=err_id.clone() />
                        <p class="err" id=err_id.clone()>{move || error.get()}</p>
                        <button type="submit" class="c-button">"确定"</button>
                    </form>
                </Show>
            </td>
        </tr>
    }
}

fn create_form(status: RwSignal<String>, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let api = crate::console::api::use_api();
    let lookups = expect_context::<Lookups>();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(None::<Role>);
    let department = RwSignal::new(None::<i64>);
    let unit = RwSignal::new(None::<i64>);
    let grid = RwSignal::new(None::<i64>);
    let password = RwSignal::new(String::new());
    // Accounts are made per unit; a grid worker works one grid.
    let units = LocalResource::new(move || async move { api.units().await.unwrap_or_default() });
    let grids = LocalResource::new(move || async move { api.grids().await.unwrap_or_default() });
    let is_grid_worker = move || role.get() == Some(Role::GridWorker);
    let errs: Errors = crate::form::errors();
    let general = RwSignal::new(None::<String>);
    let is_officer = move || role.get() == Some(Role::Officer);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = CreateStaffRequest {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            role: role.get_untracked(),
            department_id: if role.get_untracked() == Some(Role::Officer) { department.get_untracked() } else { None },
            unit_id: unit.get_untracked(),
            grid_id: if role.get_untracked() == Some(Role::GridWorker) { grid.get_untracked() } else { None },
            password: password.get_untracked(),
        };
        let req = match validate_create_staff(&req) {
            Ok(req) => req,
            Err(problems) => {
                let problems = first_per_field(problems);
                focus(&control_id(&problems[0].field));
                errs.set(problems);
                general.set(Some(ErrorCode::ValidationFailed.message(Lang::Zh, None, None)));
                return;
            }
        };
        errs.set(Vec::new());
        general.set(None);
        spawn_local_scoped(async move {
            match api.create_staff(&req).await {
                Ok(account) => {
                    status.try_set(format!("已创建账号 {}（{}）", account.username, account.role.label()));
                    for s in [username, display_name, password] {
                        s.try_set(String::new());
                    }
                    reload();
                }
                Err(e) => show_error(errs, general, e),
            }
        });
    };
    let field = |name, id| Field::new(errs, name).control_id(id);
    view! {
        <section aria-labelledby="c-s-create-title" class="c-panel">
            <h2 id="c-s-create-title">"新建账号"</h2>
            <form novalidate on:submit=submit class="c-inline-form">
                {field("username", "c-s-username").view("用户名", Some("3–32 位字母、数字、下划线、点或连字符"), move |f| view! {
                    <input type="text" id=f.id() autocomplete="off" autocapitalize="none" spellcheck="false" bind:value=username
                        aria-invalid=f.invalid() aria-describedby=f.described_by() />
                })}
                {field("display_name", "c-s-display-name").view("姓名", None, move |f| view! {
                    <input type="text" id=f.id() autocomplete="off" bind:value=display_name
                        aria-invalid=f.invalid() aria-describedby=f.described_by() />
                })}
                {field("role", "c-s-role").view("岗位", None, move |f| view! {
                    <select id=f.id() aria-invalid=f.invalid() aria-describedby=f.described_by()
                        on:change=move |ev| role.set(Role::from_code(&event_target_value(&ev)))>
                        <option value="" prop:selected=move || role.get().is_none()>"请选择"</option>
                        {Role::ALL.map(|r| view! {
                            <option value=r.code() prop:selected=move || role.get() == Some(r)>{r.label()}</option>
                        }).into_iter().collect_view()}
                    </select>
                })}
                {field("department_id", "c-s-department").view("所属部门", Some("承办人必选"), move |f| view! {
                    <select id=f.id() disabled=move || !is_officer()
                        aria-invalid=f.invalid() aria-describedby=f.described_by()
                        on:change=move |ev| department.set(event_target_value(&ev).parse().ok())>
                        <option value="" prop:selected=move || department.get().is_none()>"请选择"</option>
                        {move || lookups.departments.get().into_iter().map(|d| {
                            let id = d.id;
                            view! { <option value=id.to_string() prop:selected=move || department.get() == Some(id)>{d.name}</option> }
                        }).collect_view()}
                    </select>
                })}
                {field("unit_id", "c-s-unit").view("所属单位", Some("县、乡镇（街道）综治中心或村（社区）服务站；不选为县综治中心"), move |f| view! {
                    <select id=f.id() aria-invalid=f.invalid() aria-describedby=f.described_by()
                        on:change=move |ev| unit.set(event_target_value(&ev).parse().ok())>
                        <option value="" prop:selected=move || unit.get().is_none()>"请选择"</option>
                        {move || units.get().unwrap_or_default().into_iter().map(|u| {
                            let id = u.id;
                            let name = format!("{}（{}）", u.name, u.level.label());
                            view! { <option value=id.to_string() prop:selected=move || unit.get() == Some(id)>{name}</option> }
                        }).collect_view()}
                    </select>
                })}
                {field("grid_id", "c-s-grid").view("所在网格", Some("网格员必选，须在所属单位辖区内"), move |f| view! {
                    <select id=f.id() disabled=move || !is_grid_worker()
                        aria-invalid=f.invalid() aria-describedby=f.described_by()
                        on:change=move |ev| grid.set(event_target_value(&ev).parse().ok())>
                        <option value="" prop:selected=move || grid.get().is_none()>"请选择"</option>
                        {move || grids.get().unwrap_or_default().into_iter().map(|g| {
                            let id = g.id;
                            let name = format!("{} {} {}", g.township, g.village, g.name);
                            view! { <option value=id.to_string() prop:selected=move || grid.get() == Some(id)>{name}</option> }
                        }).collect_view()}
                    </select>
                })}
                {field("password", "c-s-password").view("初始密码", Some("至少 10 位，不能与用户名相同"), move |f| view! {
                    <input type="password" id=f.id() autocomplete="new-password" bind:value=password
                        aria-invalid=f.invalid() aria-describedby=f.described_by() />
                })}
                <p class="form-error" role="alert">{move || general.get()}</p>
                <button type="submit" id="c-s-create" class="primary">"创建账号"</button>
            </form>
        </section>
    }
}

fn control_id(field: &str) -> String {
    match field {
        "display_name" => "c-s-display-name".into(),
        "department_id" => "c-s-department".into(),
        "unit_id" => "c-s-unit".into(),
        "grid_id" => "c-s-grid".into(),
        other => format!("c-s-{other}"),
    }
}
