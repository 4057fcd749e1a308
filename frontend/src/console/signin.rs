//! `/console/signin`: user name and password; in demo mode, the demo accounts.

use crate::console::ui::{page_title};
use super::{Auth, paths};
use crate::nav::{Router, query_param};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::staff::{DemoAccount, SignInRequest};

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
        if req.username.is_empty() || req.password.is_empty() {
            error.set(Some("请输入用户名和密码".into()));
            return;
        }
        sending.set(true);
        error.set(None);
        spawn_local_scoped(async move {
            let result = api.sign_in(&req).await;
            sending.try_set(false);
            match result {
                Ok(info) => {
                    let next = next_page();
                    auth.signed_in(info);
                    router.navigate(&next);
                }
                Err(e) => {
                    error.try_set(Some(e.message));
                }
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
                <div class="field">
                    <label for="c-username">"用户名"</label>
                    <input type="text" id="c-username" autocomplete="username" autocapitalize="none" spellcheck="false"
                        aria-describedby="c-signin-error" bind:value=username />
                </div>
                <div class="field">
                    <label for="c-password">"密码"</label>
                    <input type="password" id="c-password" autocomplete="current-password"
                        aria-describedby="c-signin-error" bind:value=password />
                </div>
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
