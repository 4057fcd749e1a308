//! Starting the server and talking to it: every request a test makes goes through a
//! `TestApp` method here (the console's in `helpers/console.rs`, booking's in
//! `helpers/booking.rs`, grids' in `helpers/grids.rs`), so no test file writes its own.

mod booking;
mod console;
mod grids;
mod messages;
pub mod sms_gateway;

pub use console::{Desk, Signed};

use onewindow::config::Config;
use ow_shared::dto::{Receipt, RegionsResponse, SubmitCaseRequest};
use ow_shared::{ApiError, CaseType, ErrorCode};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

/// The demo accounts' shared password (`seed::DEMO_PASSWORD`).
pub const DEMO_PASSWORD: &str = onewindow::seed::DEMO_PASSWORD;

/// A running server with its own database, and a client for it.
pub struct TestApp {
    pub url: String,
    pub client: reqwest::Client,
    pub db_path: std::path::PathBuf,
    _dir: tempfile::TempDir,
    server: onewindow::RunningServer,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.task.abort();
    }
}

/// Starts the server on a free port with the demo county in a new database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like `spawn_app`, with a chance to change the configuration first.
pub async fn spawn_app_with(change: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("ow.sqlite");
    let mut config = Config::for_tests(db_path);
    change(&mut config);
    let db_path = config.db.clone();
    let server = onewindow::spawn(config).await.expect("the server starts");
    TestApp { url: server.url(), client: reqwest::Client::new(), db_path, _dir: dir, server }
}

/// A fresh idempotency key (the server takes 22 characters or more, as browsers send).
pub fn new_key() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("test-key-{:016}-{}", NEXT.fetch_add(1, Ordering::Relaxed), std::process::id())
}

/// The error code of an error body.
pub fn error_code(body: &Value) -> ErrorCode {
    serde_json::from_value(body["code"].clone()).unwrap_or_else(|_| panic!("no error code in {body}"))
}

/// The status and the error code of an error response.
pub async fn status_and_code(response: Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (status, body["code"].as_str().unwrap().to_string())
}

impl TestApp {
    /// A GET of a path of the API, unread.
    pub async fn get(&self, path: &str) -> Response {
        self.client.get(format!("{}{path}", self.url)).send().await.unwrap()
    }

    /// A GET that answers JSON; status and body (`null` when the body is not JSON).
    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let response = self.get(path).await;
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    /// A GET that must answer 200; the body.
    pub async fn get_ok(&self, path: &str) -> Value {
        let (status, body) = self.get_json(path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}");
        body
    }

    /// POSTs JSON; status and body (`null` when the body is not JSON).
    pub async fn post_json(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        let response = self.client.post(format!("{}{path}", self.url)).json(body).send().await.unwrap();
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    /// POSTs raw bytes (JSON that serde would not write, say) with extra headers; status
    /// and body (`null` when the body is not JSON).
    pub async fn post_raw(&self, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> (StatusCode, Value) {
        let mut request =
            self.client.post(format!("{}{path}", self.url)).header("content-type", "application/json").body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    /// The county's townships and villages.
    pub async fn regions(&self) -> RegionsResponse {
        self.client.get(format!("{}/api/v1/regions", self.url)).send().await.unwrap().json().await.unwrap()
    }

    /// A valid complaint about the first village of the second township.
    pub async fn valid_request(&self) -> SubmitCaseRequest {
        let regions = self.regions().await;
        let township = &regions.townships[1];
        SubmitCaseRequest {
            case_type: Some(CaseType::Complaint),
            title: "村口路灯不亮".into(),
            description: "村口的路灯坏了两个星期，晚上出行很不方便，请尽快修理。".into(),
            occurred_on: "2026-11-01".into(),
            township_id: Some(township.id),
            village_id: Some(township.villages[0].id),
            address: "村委会东侧".into(),
            contact_name: "张三".into(),
            mobile: "13812345678".into(),
            privacy_accepted: true,
            ..Default::default()
        }
    }

    /// Posts a submission with the given key; returns status, replay header and body.
    pub async fn submit_raw(&self, key: Option<&str>, body: &SubmitCaseRequest) -> (StatusCode, bool, String) {
        let mut request = self.client.post(format!("{}/api/v1/cases", self.url)).json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request.send().await.unwrap();
        let replayed = response.headers().get("idempotent-replayed").is_some();
        (response.status(), replayed, response.text().await.unwrap())
    }

    /// Submits and expects a receipt.
    pub async fn submit(&self, body: &SubmitCaseRequest) -> Receipt {
        let (status, _, text) = self.submit_raw(Some(&new_key()), body).await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Submits and expects an error.
    pub async fn submit_error(&self, body: &SubmitCaseRequest) -> (StatusCode, ApiError) {
        let (status, _, text) = self.submit_raw(Some(&new_key()), body).await;
        assert!(!status.is_success(), "expected an error, got {text}");
        (status, serde_json::from_str(&text).unwrap())
    }

    /// A tracking look-up, not yet sent (for tests that add headers).
    pub fn track_request(&self, tracking_no: &str, query_code: &str) -> RequestBuilder {
        self.client
            .post(format!("{}/api/v1/track", self.url))
            .json(&json!({ "tracking_no": tracking_no, "query_code": query_code }))
    }

    /// Posts a tracking look-up; returns status, Retry-After and body.
    pub async fn track(&self, tracking_no: &str, query_code: &str) -> (StatusCode, Option<String>, Value) {
        let response = self.track_request(tracking_no, query_code).send().await.unwrap();
        let retry = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
        (response.status(), retry, response.json().await.unwrap())
    }

    /// The resident's act on their case (a rating, a review request), with its number and code.
    pub async fn resident_act(&self, receipt: &Receipt, action: Value) -> (StatusCode, Value) {
        let mut body = action;
        body["tracking_no"] = json!(receipt.tracking_no);
        body["query_code"] = json!(receipt.query_code);
        let response = self.client.post(format!("{}/api/v1/track/act", self.url)).json(&body).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// Uploads raw bytes as a photo.
    pub async fn upload(&self, bytes: Vec<u8>, content_type: &str) -> (StatusCode, Value) {
        let response = self
            .client
            .post(format!("{}/api/v1/uploads", self.url))
            .header("content-type", content_type)
            .body(bytes)
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// Starts a photo upload that sends its headers and a few bytes, then stalls (a slow
    /// phone, or a client holding a slot on purpose). Read the answer with `raw_answer`.
    pub async fn stalled_upload(&self) -> tokio::net::TcpStream {
        use tokio::io::AsyncWriteExt;
        let mut stream = tokio::net::TcpStream::connect(self.url.trim_start_matches("http://")).await.unwrap();
        let head = "POST /api/v1/uploads HTTP/1.1\r\nHost: test\r\nContent-Type: image/png\r\n\
                    Content-Length: 100000\r\n\r\n\x00\x01\x02";
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.flush().await.unwrap();
        stream
    }

    /// Counts rows in a table of the server's database (a second connection, read only).
    pub fn count(&self, sql: &str) -> i64 {
        let conn = rusqlite::Connection::open(&self.db_path).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

/// The status line and body of a raw HTTP/1.1 answer (`stalled_upload`), once the
/// server closes the connection or has sent its whole answer.
pub async fn raw_answer(stream: &mut tokio::net::TcpStream) -> (u16, String, Value) {
    use tokio::io::AsyncReadExt;
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.unwrap_or(0);
        bytes.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&bytes).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
                .and_then(|v| v.parse::<usize>().ok());
            if n == 0 || length.is_some_and(|len| body.len() >= len) {
                let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
                return (status, head.to_string(), serde_json::from_str(body).unwrap_or(Value::Null));
            }
        }
        assert!(n > 0, "the connection closed without an answer: {text}");
    }
}

/// A real 2×3 PNG (8-bit grey), small enough to embed.
pub fn png_bytes() -> Vec<u8> {
    const PNG: [u8; 68] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x00, 0x00, 0x9C, 0x81, 0x81, 0x5D, 0x00, 0x00, 0x00,
        0x0B, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0x80, 0x02, 0x00, 0x00, 0x09, 0x00, 0x01, 0xFB, 0x52,
        0xB8, 0xA9, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    PNG.to_vec()
}

/// The 2×3 PNG of `png_bytes` with `extra` more bytes of image data (a second IDAT
/// chunk): a large photo that is kept whole when stored.
pub fn large_png(extra: usize) -> Vec<u8> {
    let png = png_bytes();
    let iend = png.len() - 12;
    let mut chunk = (extra as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(b"IDAT");
    chunk.extend(std::iter::repeat_n(0u8, extra));
    let crc = crc32(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    [&png[..iend], &chunk, &png[iend..]].concat()
}

/// CRC-32 (ISO-HDLC) as PNG chunks carry it.
fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |crc, &b| {
        (0..8).fold(crc ^ u32::from(b), |c, _| if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 })
    })
}
