//! Staff sign-in, sessions, CSRF and account administration, through the real API.

mod accounts;

use crate::helpers::{DEMO_PASSWORD, Signed, spawn_app, spawn_app_with, status_and_code};
use ow_shared::staff::{DemoAccount, Role, SessionInfo};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn every_demo_account_signs_in_and_sees_its_session() {
    let app = spawn_app().await;
    let accounts: Vec<DemoAccount> = app.get("/api/v1/console/demo-accounts").await.json().await.unwrap();
    let roles: Vec<Role> = accounts.iter().map(|a| a.role).collect();
    // One of each role at the county centre, a county bureau's officer, then the
    // township centres', the village stations' and a grid worker (issue 12).
    assert_eq!(roles[..5], [Role::Clerk, Role::Officer, Role::Officer, Role::Leader, Role::Admin]);
    assert!(Role::ALL.iter().all(|r| roles.contains(r)), "every role has a demo account");
    for account in &accounts {
        let signed = app.sign_in_with(&account.username, &account.password).await;
        assert_eq!((signed.info.role, &signed.info.department_name), (account.role, &account.department_name));
        assert_eq!(signed.info.csrf_token.len(), 64);
        let (status, body) = app.console_get(&signed, "/api/v1/console/session").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(serde_json::from_value::<SessionInfo>(body).unwrap(), signed.info);
    }
    let officers: Vec<_> = accounts.iter().filter(|a| a.role == Role::Officer).collect();
    assert_ne!(officers[0].department_name, officers[1].department_name, "officers of two departments");
    assert_eq!(app.count("SELECT count(*) FROM staff_events WHERE kind = 'sign_in'"), accounts.len() as i64);
}

#[tokio::test]
async fn outside_demo_mode_there_are_no_demo_accounts() {
    let app = spawn_app_with(|c| c.demo = false).await;
    let body: Value = app.get("/api/v1/console/demo-accounts").await.json().await.unwrap();
    assert_eq!(body, json!([]));
    assert_eq!(app.count("SELECT count(*) FROM staff"), 0, "no built-in accounts");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_answer_alike() {
    let app = spawn_app().await;
    let wrong = app.post_sign_in("clerk", "not-the-password").await;
    let unknown = app.post_sign_in("nobody", DEMO_PASSWORD).await;
    assert_eq!((wrong.status(), unknown.status()), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    assert!(wrong.headers().get("set-cookie").is_none());
    let (wrong, unknown) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(wrong, unknown);
    assert!(wrong.contains("SIGN_IN_FAILED"), "{wrong}");
    let (status, code) = status_and_code(app.get("/api/v1/console/session").await).await;
    assert_eq!((status, code.as_str()), (StatusCode::UNAUTHORIZED, "NOT_SIGNED_IN"));
    assert_eq!(app.count("SELECT count(*) FROM staff_events WHERE kind = 'sign_in_failed'"), 2);
}

#[tokio::test]
async fn five_failures_lock_the_name_for_that_address_answering_like_a_wrong_password() {
    let app = spawn_app_with(|c| c.trust_forwarded_for = true).await;
    let from = |address: &'static str, username: &'static str, password: &'static str| {
        app.client
            .post(format!("{}/api/v1/console/session", app.url))
            .header("x-forwarded-for", address)
            .json(&json!({ "username": username, "password": password }))
            .send()
    };
    let wrong = from("203.0.113.9", "leader", "guess-guess-guess").await.unwrap().text().await.unwrap();
    for _ in 0..4 {
        from("203.0.113.9", "leader", "guess-guess-guess").await.unwrap();
    }
    let locked = from("203.0.113.9", "leader", DEMO_PASSWORD).await.unwrap();
    assert_eq!(locked.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(locked.text().await.unwrap(), wrong, "locked answers like a wrong password");
    let unknown = from("203.0.113.9", "no_such_user", "guess-guess-guess").await.unwrap();
    assert_eq!((unknown.status(), unknown.text().await.unwrap()), (StatusCode::UNAUTHORIZED, wrong));
    // The hall's own address is not locked out by a stranger's guesses.
    assert_eq!(from("10.1.1.1", "leader", DEMO_PASSWORD).await.unwrap().status(), StatusCode::OK);
    assert_eq!(from("203.0.113.9", "clerk", DEMO_PASSWORD).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_burst_of_guesses_is_mostly_refused_unevaluated_and_the_right_one_refused_alike() {
    let app = spawn_app().await;
    let guesses = (0..30).map(|n| app.post_sign_in("admin", if n == 29 { "x" } else { "guess-guess-guess" }));
    let answers = futures::future::join_all(guesses).await;
    let mut bodies = Vec::new();
    for answer in answers {
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
        bodies.push(answer.text().await.unwrap());
    }
    let right = app.post_sign_in("admin", DEMO_PASSWORD).await;
    assert_eq!(right.status(), StatusCode::UNAUTHORIZED, "the right password while locked");
    let right = right.text().await.unwrap();
    assert!(bodies.iter().all(|b| *b == right), "every answer alike: {right}");
    let evaluated = app.count("SELECT count(*) FROM staff_events WHERE kind = 'sign_in_failed'");
    assert!(evaluated <= 5, "{evaluated} passwords were checked");
    assert_eq!(app.count("SELECT count(*) FROM staff_sessions"), 0);
}

#[tokio::test]
async fn a_success_resets_the_count_of_failures() {
    let app = spawn_app().await;
    for _ in 0..4 {
        app.post_sign_in("leader", "guess-guess-guess").await;
    }
    app.sign_in("leader").await;
    for _ in 0..4 {
        app.post_sign_in("leader", "guess-guess-guess").await;
    }
    app.sign_in("leader").await;
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_token() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let session = "/api/v1/console/session";
    let (status, body) = app.console_without_csrf(&admin, Method::DELETE, session, None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("CSRF_FAILED")));
    let wrong =
        Signed { cookie: admin.cookie.clone(), info: SessionInfo { csrf_token: "0".repeat(64), ..admin.info.clone() } };
    let (status, body) = app.console_delete(&wrong, session).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("CSRF_FAILED")));
    let new_account =
        json!({ "username": "x_officer", "display_name": "x", "role": "clerk", "password": "long enough!" });
    let (status, body) =
        app.console_without_csrf(&admin, Method::POST, "/api/v1/console/staff", Some(new_account)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("CSRF_FAILED")));
    assert_eq!(app.count("SELECT count(*) FROM staff WHERE username = 'x_officer'"), 0);
    // Still signed in: reads need no token.
    assert_eq!(app.console_get(&admin, session).await.0, StatusCode::OK);
}

#[tokio::test]
async fn signing_out_ends_the_session_and_clears_the_cookie() {
    let app = spawn_app().await;
    let clerk = app.sign_in("clerk").await;
    let response = app.console_request(&clerk, Method::DELETE, "/api/v1/console/session", true).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cleared = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cleared.starts_with("ow_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
    let (status, body) = app.console_get(&clerk, "/api/v1/console/session").await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("NOT_SIGNED_IN")));
    assert_eq!(app.count("SELECT count(*) FROM staff_sessions"), 0);
    assert_eq!(app.count("SELECT count(*) FROM staff_events WHERE kind = 'sign_out'"), 1);
}

#[tokio::test]
async fn the_cookie_is_http_only_strict_and_secure_over_https() {
    let app = spawn_app().await;
    let response = app.post_sign_in("clerk", DEMO_PASSWORD).await;
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
    let cookie = https.post_sign_in("clerk", DEMO_PASSWORD).await.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.split(';').any(|a| a.trim() == "Secure"), "{cookie}");
}
