//! Text messages through a local gateway that answers every request after a steady
//! 100 ms: how many messages the delivery worker delivers per second (a backlog of
//! submissions, default settings: 16 calls at once), and the outbox's lag — from the
//! commit of the act that wrote a message to the gateway's answer — at a steady
//! 100 submissions per second. Prints figures.
//!
//! `cargo bench -p onewindow-tests --bench messages` (env SMS_BACKLOG, SMS_LAG_SECONDS).

use axum::routing::post;
use hdrhistogram::Histogram;
use onewindow::config::Config;
use onewindow::messages::gateway::Adapter;
use onewindow::messages::{QuietHours, SmsConfig};
use ow_shared::CaseType;
use ow_shared::dto::SubmitCaseRequest;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const GATEWAY_LATENCY: Duration = Duration::from_millis(100);
const OFFERED_PER_S: u64 = 100;

/// A gateway that takes every message after `GATEWAY_LATENCY`.
async fn gateway() -> String {
    let app = axum::Router::new().route(
        "/sms",
        post(|| async {
            tokio::time::sleep(GATEWAY_LATENCY).await;
            "{\"ok\":true}"
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

static NEXT: AtomicU64 = AtomicU64::new(0);

/// Submits one case (one message), from its own mobile.
async fn submit(client: &reqwest::Client, url: &str) {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let body = SubmitCaseRequest {
        case_type: Some(CaseType::Help),
        title: "楼道灯坏了".into(),
        description: "三单元楼道的灯坏了一个月，老人上下楼很危险。".into(),
        occurred_on: "2026-11-01".into(),
        township_id: Some(1),
        village_id: Some(1),
        contact_name: "王五".into(),
        mobile: format!("139{n:08}"),
        privacy_accepted: true,
        ..Default::default()
    };
    let response = client
        .post(format!("{url}/api/v1/cases"))
        .header("Idempotency-Key", format!("bench-sms-key-{n:012}-{}", std::process::id()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

/// Waits until every message is delivered; (first created, last delivered) in ms.
async fn all_delivered(db: &std::path::Path, from_id: i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    loop {
        let open: i64 = conn
            .query_row("SELECT count(*) FROM messages WHERE id > ?1 AND state != 'delivered'", [from_id], |r| r.get(0))
            .unwrap();
        if open == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn main() {
    let backlog: u64 = std::env::var("SMS_BACKLOG").ok().and_then(|s| s.parse().ok()).unwrap_or(2000);
    let lag_seconds: u64 = std::env::var("SMS_LAG_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.sqlite");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let gateway = gateway().await;
        let mut config = Config::for_tests(db.clone());
        // The defaults, except the gateway and no quiet hours (the bench may run at night).
        config.sms = SmsConfig {
            adapter: Adapter::Http,
            http_url: Some(gateway),
            http_secret: "bench-secret".into(),
            quiet_hours: QuietHours { start_min: 0, end_min: 0 },
            ..SmsConfig::default()
        };
        let concurrency = config.sms.concurrency;
        let server = onewindow::spawn(config).await.unwrap();
        let url = server.url();
        let client = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();

        // Throughput: a backlog far beyond what the gateway can take at once.
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..32 {
            let (client, url) = (client.clone(), url.clone());
            tasks.spawn(async move {
                while NEXT.load(Ordering::Relaxed) < backlog {
                    submit(&client, &url).await;
                }
            });
        }
        while tasks.join_next().await.is_some() {}
        all_delivered(&db, 0).await;
        let conn = rusqlite::Connection::open(&db).unwrap();
        let (count, first, last): (i64, i64, i64) = conn
            .query_row("SELECT count(*), min(delivered_at_ms), max(delivered_at_ms) FROM messages", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        let last_id: i64 = conn.query_row("SELECT max(id) FROM messages", [], |r| r.get(0)).unwrap();
        let per_s = count as f64 / ((last - first).max(1) as f64 / 1000.0);

        // Lag: a steady 100 submissions a second, each writing one message.
        let started = Instant::now();
        let mut ticks = tokio::time::interval(Duration::from_micros(1_000_000 / OFFERED_PER_S));
        let mut sent = tokio::task::JoinSet::new();
        while started.elapsed() < Duration::from_secs(lag_seconds) {
            ticks.tick().await;
            let (client, url) = (client.clone(), url.clone());
            sent.spawn(async move { submit(&client, &url).await });
        }
        while sent.join_next().await.is_some() {}
        all_delivered(&db, last_id).await;
        let mut lag = Histogram::<u64>::new(3).unwrap();
        let mut stmt = conn.prepare("SELECT delivered_at_ms - created_at_ms FROM messages WHERE id > ?1").unwrap();
        for ms in stmt.query_map([last_id], |r| r.get::<_, i64>(0)).unwrap() {
            lag.record(ms.unwrap().max(0) as u64).unwrap();
        }
        println!("sms_gateway_latency_ms={}", GATEWAY_LATENCY.as_millis());
        println!("sms_concurrency={concurrency}");
        println!("sms_backlog={count}");
        println!("sms_delivered_per_s={per_s:.0}");
        println!("sms_lag_offered_per_s={OFFERED_PER_S}");
        println!("sms_lag_messages={}", lag.len());
        println!("sms_lag_p50_ms={}", lag.value_at_quantile(0.50));
        println!("sms_lag_p99_ms={}", lag.value_at_quantile(0.99));
    });
}
