//! Killing the server at any moment loses no acknowledged case, and retrying every
//! submission afterwards makes no second case.

use crate::helpers::new_key;
use ow_shared::CaseType;
use ow_shared::dto::{Receipt, SubmitCaseRequest};
use reqwest::StatusCode;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The real server binary as its own process, so that it can be killed with SIGKILL.
pub struct ServerProcess {
    pub child: Child,
    pub url: String,
}

impl ServerProcess {
    pub fn start(db: &std::path::Path, log: &std::path::Path) -> ServerProcess {
        ServerProcess::start_with(db, log, &[])
    }

    /// Like `start`, with more flags.
    pub fn start_with(db: &std::path::Path, log: &std::path::Path, flags: &[&str]) -> ServerProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_test-server"))
            // Thousands of submissions from one address: the rate limit is raised, explicitly.
            .args(["serve", "--addr", "127.0.0.1:0", "--demo", "--writes-per-minute", "1000000", "--db"])
            .arg(db)
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap())
            .spawn()
            .expect("start the server binary");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.trim().strip_prefix("listening on ").expect("the server says where it listens").to_string();
        ServerProcess { child, url }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn request() -> SubmitCaseRequest {
    SubmitCaseRequest {
        case_type: Some(CaseType::Help),
        title: "楼道灯坏了".into(),
        description: "三单元楼道的灯坏了一个月，老人上下楼很危险。".into(),
        occurred_on: "2026-11-01".into(),
        township_id: Some(1),
        village_id: Some(1),
        contact_name: "王五".into(),
        mobile: "13912345678".into(),
        privacy_accepted: true,
        ..Default::default()
    }
}

pub async fn send(client: &reqwest::Client, url: &str, key: &str) -> Option<Receipt> {
    let response =
        client.post(format!("{url}/api/v1/cases")).header("Idempotency-Key", key).json(&request()).send().await.ok()?;
    if response.status() != StatusCode::CREATED {
        return None;
    }
    response.json().await.ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_acknowledged_case_and_retries_make_no_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let (db, log) = (dir.path().join("ow.sqlite"), dir.path().join("server.log"));
    let mut server = ServerProcess::start(&db, &log);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();

    let acknowledged: Arc<Mutex<Vec<(String, Receipt)>>> = Arc::default();
    let sent: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..32 {
        let (client, url, acknowledged, sent) =
            (client.clone(), server.url.clone(), acknowledged.clone(), sent.clone());
        clients.spawn(async move {
            loop {
                let key = new_key();
                sent.lock().unwrap().push(key.clone());
                match send(&client, &url, &key).await {
                    Some(receipt) => acknowledged.lock().unwrap().push((key, receipt)),
                    None => return, // the server is gone
                }
            }
        });
    }
    // Kill it mid-stream, without warning, once a good number of cases are in.
    while acknowledged.lock().unwrap().len() < 300 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    while clients.join_next().await.is_some() {}
    drop(server);

    let acknowledged = acknowledged.lock().unwrap().clone();
    let sent = sent.lock().unwrap().clone();
    let conn = rusqlite::Connection::open(&db).unwrap();
    for (_, receipt) in &acknowledged {
        let found: i64 = conn
            .query_row("SELECT count(*) FROM cases WHERE tracking_no = ?1", [&receipt.tracking_no], |r| r.get(0))
            .unwrap();
        assert_eq!(found, 1, "acknowledged case {} was lost", receipt.tracking_no);
    }
    drop(conn);

    // Every device retries whatever it sent: each key ends with exactly one case.
    let server = ServerProcess::start(&db, &log);
    for key in &sent {
        let receipt = send(&client, &server.url, key).await.expect("a retry succeeds");
        if let Some((_, first)) = acknowledged.iter().find(|(k, _)| k == key) {
            assert_eq!(&receipt, first, "a retry returns the original receipt");
        }
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let cases: i64 = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).unwrap();
    assert_eq!(cases as usize, sent.len(), "one case per submission, no duplicates");
    drop(server);

    let log = std::fs::read_to_string(&log).unwrap();
    assert!(!log.contains("13912345678"), "the mobile number never reaches the log");
}
