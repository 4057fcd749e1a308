//! Staff sign-in, sessions, CSRF and account administration, through the real API.

mod accounts;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use ow_shared::staff::{DemoAccount, Role, SessionInfo};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The demo accounts' shared password (`seed::DEMO_PASSWORD`).
pub const DEMO_PASSWORD: &str = onewindow::seed::DEMO_PASSWORD;

/// A signed-in browser: its session cookie and CSRF token.
pub struct Signed {
    pub cookie: String,
    pub info: SessionInfo,
}

/// Posts a sign-in; returns the response.
pub async fn post_sign_in(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/console/session", app.url))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
}

/// Signs in and expects success.
pub async fn sign_in(app: &TestApp, username: &str, password: &str) -> Signed {
    let response = post_sign_in(app, username, password).await;
    assert_eq!(response.status(), StatusCode::OK, "sign-in of {username}");
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    Signed { cookie, info: response.json().await.unwrap() }
}

/// A console request as this browser: cookie always, CSRF token when `csrf` is true.
pub async fn call(
    app: &TestApp,
    signed: &Signed,
    method: Method,
    path: &str,
    body: Option<Value>,
    csrf: bool,
) -> (StatusCode, Value) {
    let mut request = app.client.request(method, format!("{}{path}", app.url)).header("cookie", &signed.cookie);
    if csrf {
        request = request.header("x-csrf-token", &signed.info.csrf_token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn code(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (status, body["code"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn every_demo_account_signs_in_and_sees_its_session() {
    let app = spawn_app().await;
    let accounts: Vec<DemoAccount> =
        app.client.get(format!("{}/api/v1/console/demo-accounts", app.url)).send().await.unwrap().json().await.unwrap();
    let roles: Vec<Role> = accounts.iter().map(|a| a.role).collect();
    assert_eq!(roles, [Role::Clerk, Role::Officer, Role::Officer, Role::Leader, Role::Admin]);
    for account in &accounts {
        let signed = sign_in(&app, &account.username, &account.password).await;
        assert_eq!((signed.info.role, &signed.info.department_name), (account.role, &account.department_name));
        assert_eq!(signed.info.csrf_token.len(), 64);
        let (status, body) = call(&app, &signed, Method::GET, "/api/v1/console/session", None, false).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(serde_json::from_value::<SessionInfo>(body).unwrap(), signed.info);
    }
    let officers: Vec<_> = accounts.iter().filter(|a| a.role == Role::Officer).collect();
    assert_ne!(officers[0].department_name, officers[1].department_name, "officers of two departments");
    assert_eq!(app.count("SELECT count(*) FROM staff_events WHERE kind = 'sign_in'"), 5);
}

#[tokio::test]
async fn outside_demo_mode_there_are_no_demo_accounts() {
    let app = spawn_app_with(|c| c.demo = false).await;
    let body: Value =
        app.client.get(format!("{}/api/v1/console/demo-accounts", app.url)).send().await.unwrap().json().await.unwrap();
    assert_eq!(body, json!([]));
    assert_eq!(app.count("SELECT count(*) FROM staff"), 0, "no built-in accounts");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_answer_alike() {
    let app = spawn_app().await;
    let wrong = post_sign_in(&app, "clerk", "not-the-password").await;
    let unknown = post_sign_in(&app, "nobody", DEMO_PASSWORD).await;
    assert_eq!((wrong.status(), unknown.status()), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    assert!(wrong.headers().get("set-cookie").is_none());
    let (wrong, unknown) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(wrong, unknown);
    assert!(wrong.contains("SIGN_IN_FAILED"), "{wrong}");
    let (status, code) =
        code(app.client.get(format!("{}/api/v1/console/session", app.url)).send().await.unwrap()).await;
    assert_eq!((status, code.as_str()), (StatusCode::UNAUTHORIZED, "NOT_SIGNED_IN"));
    assert_eq!(app.count("SELECT count(*) FROM staff_events WHERE kind = 'sign_in_failed'"), 2);
}

#[tokio::test]
async fn five_failures_lock_the_account_even_for_the_right_password() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(post_sign_in(&app, "leader", "guess-guess-guess").await.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = post_sign_in(&app, "leader", DEMO_PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = locked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(code(locked).await.1, "TOO_MANY_ATTEMPTS");
    // Other accounts are not affected.
    sign_in(&app, "clerk", DEMO_PASSWORD).await;
}

#[tokio::test]
async fn a_success_resets_the_count_of_failures() {
    let app = spawn_app().await;
    for _ in 0..4 {
        post_sign_in(&app, "leader", "guess-guess-guess").await;
    }
    sign_in(&app, "leader", DEMO_PASSWORD).await;
    for _ in 0..4 {
        post_sign_in(&app, "leader", "guess-guess-guess").await;
    }
    sign_in(&app, "leader", DEMO_PASSWORD).await;
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_token() {
    let app = spawn_app().await;
    let admin = sign_in(&app, "admin", DEMO_PASSWORD).await;
    let session = "/api/v1/console/session";
    let (status, body) = call(&app, &admin, Method::DELETE, session, None, false).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("CSRF_FAILED")));
    let wrong =
        Signed { cookie: admin.cookie.clone(), info: SessionInfo { csrf_token: "0".repeat(64), ..admin.info.clone() } };
    let (status, body) = call(&app, &wrong, Method::DELETE, session, None, true).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("CSRF_FAILED")));
    let new_account =
        json!({ "username": "x_officer", "display_name": "x", "role": "clerk", "password": "long enough!" });
    let (status, body) = call(&app, &admin, Method::POST, "/api/v1/console/staff", Some(new_account), false).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("CSRF_FAILED")));
    assert_eq!(app.count("SELECT count(*) FROM staff WHERE username = 'x_officer'"), 0);
    // Still signed in: reads need no token.
    assert_eq!(call(&app, &admin, Method::GET, session, None, false).await.0, StatusCode::OK);
}

#[tokio::test]
async fn signing_out_ends_the_session_and_clears_the_cookie() {
    let app = spawn_app().await;
    let clerk = sign_in(&app, "clerk", DEMO_PASSWORD).await;
    let response = app
        .client
        .delete(format!("{}/api/v1/console/session", app.url))
        .header("cookie", &clerk.cookie)
        .header("x-csrf-token", &clerk.info.csrf_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cleared = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cleared.starts_with("ow_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
    let (status, body) = call(&app, &clerk, Method::GET, "/api/v1/console/session", None, false).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("NOT_SIGNED_IN")));
    assert_eq!(app.count("SELECT count(*) FROM staff_sessions"), 0);
    assert_eq!(app.count("SELECT count(*) FROM staff_events WHERE kind = 'sign_out'"), 1);
}

#[tokio::test]
async fn the_cookie_is_http_only_strict_and_secure_over_https() {
    let app = spawn_app().await;
    let response = post_sign_in(&app, "clerk", DEMO_PASSWORD).await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert_eq!(response.headers()["cache-control"], "no-store");
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
    assert!(attributes[0].starts_with("ow_session=") && attributes[0].len() == "ow_session=".len() + 64, "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(attributes.contains(&attribute), "{attribute} missing: {cookie}");
    }
    assert!(!attributes.contains(&"Secure"), "plain HTTP: {cookie}");
    // Only a hash of the token is stored.
    let token = &attributes[0]["ow_session=".len()..];
    assert_eq!(app.count(&format!("SELECT count(*) FROM staff_sessions WHERE token_hash = '{token}'")), 0);

    let https = spawn_app_with(|c| c.public_url = Some("https://x.example".into())).await;
    let cookie =
        post_sign_in(&https, "clerk", DEMO_PASSWORD).await.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.split(';').any(|a| a.trim() == "Secure"), "{cookie}");
}
