//! Operations: a backup taken while residents submit holds every case acknowledged
//! before it began, and a server started on the copy (the restore) serves them; the
//! readiness check answers only when the database and its writer do.

use crate::helpers::{spawn_app, spawn_app_with};
use ow_shared::dto::Receipt;
use reqwest::StatusCode;
use std::process::Command;
use std::sync::{Arc, Mutex};

/// Runs `onewindow backup` (the real binary) and returns whether it succeeded.
fn backup(db: &std::path::Path, to: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_test-server"))
        .args(["backup", "--db"])
        .arg(db)
        .arg("--to")
        .arg(to)
        .env_remove("OW_DB")
        .output()
        .expect("run the backup command")
}

#[tokio::test]
async fn a_backup_while_writing_holds_every_acknowledged_case_and_restores() {
    let app = Arc::new(spawn_app().await);
    let request = app.valid_request().await;
    let acknowledged: Arc<Mutex<Vec<Receipt>>> = Arc::default();
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let (app, request, acknowledged) = (app.clone(), request.clone(), acknowledged.clone());
            tokio::spawn(async move {
                for _ in 0..40 {
                    let receipt = app.submit(&request).await;
                    acknowledged.lock().unwrap().push(receipt);
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before: Vec<Receipt> = acknowledged.lock().unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.sqlite");
    let (db, to) = (app.db_path.clone(), copy.clone());
    let output = tokio::task::spawn_blocking(move || backup(&db, &to)).await.unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("已备份到"));
    for writer in writers {
        writer.await.unwrap();
    }
    assert!(!backup(&app.db_path, &copy).status.success(), "an existing copy is never overwritten");

    // Restore: a server started on the copy.
    let copy_path = copy.clone();
    let restored = spawn_app_with(move |c| c.db = copy_path).await;
    for receipt in &before {
        let (status, _, body) = restored.track(&receipt.tracking_no, &receipt.query_code).await;
        assert_eq!(status, StatusCode::OK, "{} lost: {body}", receipt.tracking_no);
    }
    let in_copy = restored.count("SELECT count(*) FROM cases");
    assert!(in_copy >= before.len() as i64 && in_copy <= 160, "{in_copy}");
}

#[tokio::test]
async fn ready_when_the_database_and_the_writer_answer() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/api/v1/health/ready").await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("ready")));
}

#[tokio::test]
async fn not_ready_while_the_writer_queue_is_full() {
    let app = spawn_app_with(|c| c.limits.writer_queue = 1).await;
    // Hold the database's write lock from outside, so the writer waits on it.
    let holder = rusqlite::Connection::open(&app.db_path).unwrap();
    holder.execute_batch("PRAGMA busy_timeout = 0; BEGIN IMMEDIATE").unwrap();
    let stuck: Vec<_> = (0..3)
        .map(|_| {
            let client = app.client.clone();
            let url = format!("{}/api/v1/health/ready", app.url);
            tokio::spawn(async move { client.get(url).send().await.map(|r| r.status()) })
        })
        .collect();
    let mut statuses = Vec::new();
    for request in stuck {
        statuses.push(request.await.unwrap().unwrap());
    }
    holder.execute_batch("ROLLBACK").unwrap();
    assert!(statuses.contains(&StatusCode::SERVICE_UNAVAILABLE), "{statuses:?}");
    // The writer catches up with what was queued meanwhile, then answers again.
    let mut ready = false;
    for _ in 0..100 {
        if app.get_json("/api/v1/health/ready").await.0 == StatusCode::OK {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(ready, "ready again once the writer can write");
}
