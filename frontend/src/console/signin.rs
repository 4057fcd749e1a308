//! `/console/signin`: user name and password; in demo mode, the demo accounts.

use super::{Auth, paths};
use crate::browser::focus;
use crate::console::ui::page_title;
use crate::form::{Field, show_error};
use crate::nav::{Router, query_param};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::staff::{DemoAccount, SignInRequest};
use ow_shared::{ErrorCode, FieldError};

/// Where to go after signing in: the page that sent here, if it is a console page.
pub fn next_page() -> String {
    query_param("next")
        .filter(|n| n.starts_with("/console") && !n.starts_with(paths::SIGN_IN) && !n.contains("//"))
        .unwrap_or_else(|| paths::QUEUE.to_string())
}

/// The sign-in page.
pub fn sign_in_page() -> impl IntoView {
    let api = crate::console::api::use_api();
    page_title("登录");
    let auth = expect_context::<Auth>();
    let router = Router::get();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errs = crate::form::errors();
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let demo = RwSignal::new(Vec::<DemoAccount>::new());
    spawn_local_scoped(async move {
        if let Ok(list) = api.demo_accounts().await {
            demo.try_set(list);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let req =
            SignInRequest { username: username.get_untracked().trim().to_string(), password: password.get_untracked() };
        let missing: Vec<FieldError> = [("username", &req.username), ("password", &req.password)]
            .into_iter()
            .filter(|(_, value)| value.is_empty())
            .map(|(field, _)| FieldError::new(field, ErrorCode::Required))
            .collect();
        error.set(None);
        if let Some(first) = missing.first() {
            focus(if first.field == "username" { "c-username" } else { "c-password" });
            errs.set(missing);
            return;
        }
        errs.set(Vec::new());
        sending.set(true);
        spawn_local_scoped(async move {
            let result = api.sign_in(&req).await;
            sending.try_set(false);
            match result {
                Ok(info) => {
                    let next = next_page();
                    auth.signed_in(info);
                    router.navigate(&next);
                }
                Err(e) => show_error(errs, error, e),
            }
        });
    };
    let use_account = move |a: DemoAccount| {
        username.set(a.username);
        password.set(a.password);
    };
    view! {
        <div class="c-signin">
            <h1>"工作台登录"</h1>
            <form novalidate on:submit=submit>
                // Each control also points at the form's error: a refused sign-in is the pair's.
                {Field::new(errs, "username").control_id("c-username").view("用户名", None, move |f| view! {
                    <input type="text" id=f.id() autocomplete="username" autocapitalize="none" spellcheck="false"
                        aria-invalid=f.invalid() aria-describedby=format!("{} c-signin-error", f.described_by())
                        bind:value=username />
                })}
                {Field::new(errs, "password").control_id("c-password").view("密码", None, move |f| view! {
                    <input type="password" id=f.id() autocomplete="current-password"
                        aria-invalid=f.invalid() aria-describedby=format!("{} c-signin-error", f.described_by())
                        bind:value=password />
                })}
                <p id="c-signin-error" class="form-error" role="alert">{move || error.get()}</p>
                <button type="submit" id="c-signin" class="primary" disabled=move || sending.get()>
                    {move || if sending.get() { "正在登录…" } else { "登录" }}
                </button>
            </form>
            <Show when=move || demo.with(|d| !d.is_empty())>
                <section class="c-demo" aria-labelledby="c-demo-title">
                    <h2 id="c-demo-title">"演示账号"</h2>
                    <p class="hint">"演示模式：以下账号仅供试用，数据为虚构。"</p>
                    <div class="c-table-wrap">
                        <table class="c-table">
                            <thead>
                                <tr><th scope="col">"用户名"</th><th scope="col">"密码"</th><th scope="col">"岗位"</th><th scope="col"><span class="visually-hidden">"操作"</span></th></tr>
                            </thead>
                            <tbody>
                                {move || demo.get().into_iter().map(|a| {
                                    let role = match &a.department_name {
                                        Some(d) => format!("{}（{d}）", a.role.label()),
                                        None => a.role.label().to_string(),
                                    };
                                    let (name, pass) = (a.username.clone(), a.password.clone());
                                    let label = format!("使用 {name} 登录");
                                    view! {
                                        <tr class="c-demo-account" data-username=name.clone()>
                                            <td data-label="用户名"><code>{name.clone()}</code></td>
                                            <td data-label="密码"><code>{pass}</code></td>
                                            <td data-label="岗位">{role}</td>
                                            <td>
                                                <button type="button" class="link-button" id=format!("c-demo-{name}")
                                                    aria-label=label on:click=move |_| use_account(a.clone())>
                                                    "填入"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            </Show>
        </div>
    }
}
