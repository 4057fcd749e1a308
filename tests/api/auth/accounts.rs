//! Account administration: only administrators, checked input, and changes that end
//! the sessions they must; and `create-admin` on a new installation.

use crate::helpers::{DEMO_PASSWORD, spawn_app, spawn_app_with, status_and_code};
use ow_shared::staff::{Role, StaffAccount};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn only_administrators_manage_accounts() {
    let app = spawn_app().await;
    for username in ["clerk", "officer_zongzhi", "leader"] {
        let signed = app.sign_in(username).await;
        let (status, body) = app.console_get(&signed, "/api/v1/console/staff").await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("FORBIDDEN")), "{username}");
        let (status, departments) = app.console_get(&signed, "/api/v1/console/departments").await;
        // The township stations and the county bureaus (issue 12).
        assert_eq!((status, departments.as_array().unwrap().len()), (StatusCode::OK, 7 + 4));
    }
    let response = app.get("/api/v1/console/staff").await;
    assert_eq!(status_and_code(response).await, (StatusCode::UNAUTHORIZED, "NOT_SIGNED_IN".to_string()));
    let admin = app.sign_in("admin").await;
    let (status, body) = app.console_get(&admin, "/api/v1/console/staff").await;
    assert_eq!(status, StatusCode::OK);
    let accounts: Vec<StaffAccount> = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(accounts.len(), 12);
    assert!(!body.to_string().contains("argon2"), "no password hashes");
}

#[tokio::test]
async fn an_administrator_creates_an_officer_who_can_sign_in() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let paichusuo = app.department_id(&admin, "paichusuo").await;
    let new = json!({ "username": "officer_pcs", "display_name": "派出所-刘洋", "role": "officer",
                      "department_id": paichusuo, "password": "a long passphrase" });
    let (status, body) = app.console_post(&admin, "/api/v1/console/staff", Some(new.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!((body["department_name"].as_str(), body["active"].as_bool()), (Some("派出所"), Some(true)));
    let officer = app.sign_in_with("officer_pcs", "a long passphrase").await;
    assert_eq!((officer.info.role, officer.info.display_name.as_str()), (Role::Officer, "派出所-刘洋"));
    // The same name again, in another case.
    let mut again = new;
    again["username"] = json!("Officer_PCS");
    let (status, body) = app.console_post(&admin, "/api/v1/console/staff", Some(again)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("USERNAME_TAKEN")));
    assert_eq!(
        app.count("SELECT count(*) FROM staff_events WHERE kind = 'account_created' AND actor_id IS NOT NULL"),
        1
    );
}

#[tokio::test]
async fn new_accounts_are_checked() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let create = |body: Value| app.console_post(&admin, "/api/v1/console/staff", Some(body));
    let (status, body) =
        create(json!({ "username": "clerk2", "display_name": "窗口-赵", "role": "clerk", "password": "clerk2" })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("VALIDATION_FAILED")));
    assert_eq!(
        body["fields"],
        json!([{ "field": "password", "code": "PASSWORD_TOO_WEAK", "min": 10,
                                        "message": "密码至少 10 位，且不能与用户名相同" }])
    );
    let (_, body) =
        create(json!({ "username": "o", "display_name": "", "role": "officer", "password": "a long passphrase" }))
            .await;
    let fields: Vec<(&str, &str)> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [("username", "TOO_SHORT"), ("display_name", "REQUIRED"), ("department_id", "DEPARTMENT_UNKNOWN")]
    );
    let (status, body) = create(json!({ "username": "officer_x", "display_name": "x", "role": "officer",
                                        "department_id": 999, "password": "a long passphrase" }))
    .await;
    assert_eq!(
        (status, body["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("DEPARTMENT_UNKNOWN"))
    );
    assert_eq!(app.count("SELECT count(*) FROM staff"), 12, "nothing created");
}

#[tokio::test]
async fn deactivating_an_account_ends_its_sessions() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let officer = app.sign_in("officer_sifasuo").await;
    let path = format!("/api/v1/console/staff/{}/deactivate", officer.info.staff_id);
    let (status, body) = app.console_post(&admin, &path, None).await;
    assert_eq!((status, body["active"].as_bool()), (StatusCode::OK, Some(false)), "{body}");
    let (status, _) = app.console_get(&officer, "/api/v1/console/session").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, code) = status_and_code(app.post_sign_in("officer_sifasuo", DEMO_PASSWORD).await).await;
    assert_eq!((status, code.as_str()), (StatusCode::UNAUTHORIZED, "SIGN_IN_FAILED"), "a closed account answers alike");
    // Not one's own account, and not one that does not exist.
    let own = format!("/api/v1/console/staff/{}/deactivate", admin.info.staff_id);
    assert_eq!(app.console_post(&admin, &own, None).await.0, StatusCode::FORBIDDEN);
    let unknown = "/api/v1/console/staff/999/deactivate";
    assert_eq!(app.console_post(&admin, unknown, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.count("SELECT count(*) FROM staff_events WHERE kind = 'deactivated'"), 1);
}

#[tokio::test]
async fn a_new_password_ends_the_old_sessions_and_lifts_a_lock() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let clerk = app.sign_in("clerk").await;
    for _ in 0..5 {
        app.post_sign_in("clerk", "guess-guess-guess").await;
    }
    let path = format!("/api/v1/console/staff/{}/password", clerk.info.staff_id);
    let (status, body) = app.console_post(&admin, &path, Some(json!({ "password": "clerk" }))).await;
    assert_eq!(
        (status, body["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("PASSWORD_TOO_WEAK"))
    );
    let (status, _) = app.console_post(&admin, &path, Some(json!({ "password": "new passphrase 2" }))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.console_get(&clerk, "/api/v1/console/session").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.post_sign_in("clerk", DEMO_PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    app.sign_in_with("clerk", "new passphrase 2").await;
    // Administrators setting their own password stay signed in.
    let own = format!("/api/v1/console/staff/{}/password", admin.info.staff_id);
    let (status, _) = app.console_post(&admin, &own, Some(json!({ "password": "admin passphrase" }))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.console_get(&admin, "/api/v1/console/session").await.0, StatusCode::OK);
}

#[tokio::test]
async fn create_admin_makes_the_first_account_of_a_new_installation() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.sqlite");
    let create_admin = |username: &str, password: Option<&str>, stdin: &str| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_test-server"));
        command.args(["create-admin", "--db"]).arg(&db).args(["--username", username, "--display-name", "县管理员"]);
        command.env_remove("OW_ADMIN_PASSWORD").env_remove("OW_DB");
        if let Some(password) = password {
            command.env("OW_ADMIN_PASSWORD", password);
        }
        let mut child = command.stdin(Stdio::piped()).stderr(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        (output.status.success(), String::from_utf8(output.stderr).unwrap())
    };
    let (ok, stderr) = create_admin("county_admin", Some("short"), "");
    assert!(!ok && stderr.contains("密码至少 10 位"), "{stderr}");
    let (ok, stderr) = create_admin("county_admin", Some("a long passphrase"), "");
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("a long passphrase"), "the password is never echoed");
    let (ok, stderr) = create_admin("County_Admin", None, "another passphrase\n");
    assert!(!ok && stderr.contains("已被使用"), "{stderr}");
    let (ok, stderr) = create_admin("second_admin", None, "another passphrase\n");
    assert!(ok, "{stderr}");

    let app = spawn_app_with(|c| {
        c.db = db.clone();
        c.demo = false;
    })
    .await;
    let first = app.sign_in_with("county_admin", "a long passphrase").await;
    assert_eq!((first.info.role, first.info.display_name.as_str()), (Role::Admin, "县管理员"));
    assert_eq!(app.sign_in_with("second_admin", "another passphrase").await.info.role, Role::Admin);
}
