//! The console's side: staff sign in, then every request carries the session cookie, and
//! every state change the CSRF token too, as the console app sends them.

use super::{DEMO_PASSWORD, TestApp, new_key};
use ow_shared::CaseType;
use ow_shared::console::{CaseDetail, QueuePage};
use ow_shared::dto::Receipt;
use ow_shared::staff::SessionInfo;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

/// A signed-in browser: its session cookie and CSRF token.
pub struct Signed {
    pub cookie: String,
    pub info: SessionInfo,
}

/// The five demo accounts, signed in.
pub struct Desk {
    pub clerk: Signed,
    pub leader: Signed,
    pub admin: Signed,
    pub zongzhi: Signed,
    pub sifasuo: Signed,
}

impl TestApp {
    /// Posts a sign-in; the response, whatever it is.
    pub async fn post_sign_in(&self, username: &str, password: &str) -> Response {
        self.client
            .post(format!("{}/api/v1/console/session", self.url))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .unwrap()
    }

    /// Signs in with this password and expects success.
    pub async fn sign_in_with(&self, username: &str, password: &str) -> Signed {
        let response = self.post_sign_in(username, password).await;
        assert_eq!(response.status(), StatusCode::OK, "sign-in of {username}");
        let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        Signed { cookie, info: response.json().await.unwrap() }
    }

    /// Signs a demo account in with the demo password and expects success.
    pub async fn sign_in(&self, username: &str) -> Signed {
        self.sign_in_with(username, DEMO_PASSWORD).await
    }

    /// The five demo accounts, signed in.
    pub async fn desk(&self) -> Desk {
        Desk {
            clerk: self.sign_in("clerk").await,
            leader: self.sign_in("leader").await,
            admin: self.sign_in("admin").await,
            zongzhi: self.sign_in("officer_zongzhi").await,
            sifasuo: self.sign_in("officer_sifasuo").await,
        }
    }

    /// A console request as `who`, not yet sent: the cookie always, the CSRF token when `csrf`.
    pub fn console_request(&self, who: &Signed, method: Method, path: &str, csrf: bool) -> RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.url)).header("cookie", &who.cookie);
        if csrf { request.header("x-csrf-token", &who.info.csrf_token) } else { request }
    }

    async fn console_call(
        &self,
        who: &Signed,
        method: Method,
        path: &str,
        body: Option<Value>,
        csrf: bool,
    ) -> (StatusCode, Value) {
        let mut request = self.console_request(who, method, path, csrf);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A console read (cookie only); status and body.
    pub async fn console_get(&self, who: &Signed, path: &str) -> (StatusCode, Value) {
        self.console_call(who, Method::GET, path, None, false).await
    }

    /// A console POST with the CSRF token; status and body.
    pub async fn console_post(&self, who: &Signed, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.console_call(who, Method::POST, path, body, true).await
    }

    /// A console PUT with the CSRF token; status and body.
    pub async fn console_put(&self, who: &Signed, path: &str, body: Value) -> (StatusCode, Value) {
        self.console_call(who, Method::PUT, path, Some(body), true).await
    }

    /// A console DELETE with the CSRF token; status and body.
    pub async fn console_delete(&self, who: &Signed, path: &str) -> (StatusCode, Value) {
        self.console_call(who, Method::DELETE, path, None, true).await
    }

    /// A console request that leaves the CSRF token out, as a forged one would.
    pub async fn console_without_csrf(
        &self,
        who: &Signed,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.console_call(who, method, path, body, false).await
    }

    /// Posts a raw file with the CSRF token; status and body.
    pub async fn console_upload(
        &self,
        who: &Signed,
        path: &str,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> (StatusCode, Value) {
        let request = self.console_request(who, Method::POST, path, true);
        let response = request.header("content-type", content_type).body(bytes).send().await.unwrap();
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    /// A console download (cookie only); status and the bytes.
    pub async fn console_download(&self, who: &Signed, path: &str) -> (StatusCode, Vec<u8>) {
        let response = self.console_request(who, Method::GET, path, false).send().await.unwrap();
        (response.status(), response.bytes().await.unwrap().to_vec())
    }

    /// Posts a walk-in registration (`{ "case": …, "channel": …, … }`) with a fresh
    /// idempotency key; status and body.
    pub async fn post_walk_in(&self, who: &Signed, body: Value) -> (StatusCode, Value) {
        let request = self.console_request(who, Method::POST, "/api/v1/console/cases", true);
        let response = request.header("idempotency-key", new_key()).json(&body).send().await.unwrap();
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    /// A walk-in registered by `who` (a visit of three with two representatives); the receipt.
    pub async fn walk_in(&self, who: &Signed, case_type: CaseType, title: &str) -> Receipt {
        let mut case = self.valid_request().await;
        case.case_type = Some(case_type);
        case.title = title.into();
        if case_type == CaseType::Dispute {
            case.mediation = Some(ow_shared::Mediation::Willing);
        }
        let body = json!({ "case": case, "channel": "visit", "group_size": 3, "representatives": ["赵一", "钱二"] });
        let (status, receipt) = self.post_walk_in(who, body).await;
        assert_eq!(status, StatusCode::CREATED, "{receipt}");
        serde_json::from_value(receipt).unwrap()
    }

    /// The case id of a tracking number, as the clerk's queue search finds it.
    pub async fn case_id(&self, clerk: &Signed, tracking_no: &str) -> i64 {
        let (status, page) = self.console_get(clerk, &format!("/api/v1/console/cases?q={tracking_no}")).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let page: QueuePage = serde_json::from_value(page).unwrap();
        assert_eq!(page.items.len(), 1, "exactly one case has number {tracking_no}");
        page.items[0].id
    }

    /// A case as `who` may see it; status and body.
    pub async fn case_detail(&self, who: &Signed, id: i64) -> (StatusCode, Value) {
        self.console_get(who, &format!("/api/v1/console/cases/{id}")).await
    }

    /// Posts an action on a case; status and body.
    pub async fn act(&self, who: &Signed, id: i64, action: Value) -> (StatusCode, Value) {
        self.console_post(who, &format!("/api/v1/console/cases/{id}/actions"), Some(action)).await
    }

    /// Posts an action that must succeed; the case afterwards.
    pub async fn act_ok(&self, who: &Signed, id: i64, action: Value) -> CaseDetail {
        let (status, body) = self.act(who, id, action.clone()).await;
        assert_eq!(status, StatusCode::OK, "{action} → {body}");
        serde_json::from_value(body).unwrap()
    }

    /// The id of the department with this code.
    pub async fn department_id(&self, who: &Signed, code: &str) -> i64 {
        let (_, list) = self.console_get(who, "/api/v1/console/departments").await;
        list.as_array().unwrap().iter().find(|d| d["code"] == code).unwrap()["id"].as_i64().unwrap()
    }
}
