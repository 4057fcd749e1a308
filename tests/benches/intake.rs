//! Durable intake through the real HTTP API at 64 concurrent clients, beside the raw
//! SQLite ceiling for the same durability (synchronous=FULL, one commit per case),
//! measured in the same run. Prints figures; asserts nothing.
//!
//! `cargo bench -p onewindow-tests --bench intake` (env INTAKE_SECONDS to change the run).

#[path = "common/mod.rs"]
mod common;

use hdrhistogram::Histogram;
use onewindow::config::Config;
use onewindow::db::{self, cases};
use ow_shared::CaseType;
use ow_shared::dto::SubmitCaseRequest;
use std::time::{Duration, Instant};

const CLIENTS: usize = 64;

fn request() -> SubmitCaseRequest {
    SubmitCaseRequest {
        case_type: Some(CaseType::Complaint),
        title: "村口路灯不亮".into(),
        description: "村口的路灯坏了两个星期，晚上出行很不方便，请尽快修理。".into(),
        occurred_on: "2026-11-01".into(),
        township_id: Some(1),
        village_id: Some(1),
        contact_name: "张三".into(),
        mobile: "13812345678".into(),
        privacy_accepted: true,
        ..Default::default()
    }
}

/// Cases per second and the latency histogram (µs) of `CLIENTS` clients for `seconds`.
async fn http_intake(url: &str, seconds: f64) -> (f64, Histogram<u64>) {
    let (url, body) = (url.to_string(), std::sync::Arc::new(request()));
    common::closed_loop(CLIENTS, seconds, move |client, worker, n| {
        let (url, body) = (url.clone(), body.clone());
        async move {
            let response = client
                .post(format!("{url}/api/v1/cases"))
                .header("Idempotency-Key", format!("bench-key-{worker:06}-{n:010}-{:x}", rand_suffix()))
                .json(&*body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
            response.bytes().await.unwrap();
        }
    })
    .await
}

/// A per-process suffix that keeps keys unique across runs against one database.
fn rand_suffix() -> u128 {
    static START: std::sync::OnceLock<u128> = std::sync::OnceLock::new();
    *START.get_or_init(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos())
}

/// Cases per second inserting one case per transaction on a bare connection.
fn raw_one_commit_per_case(path: &std::path::Path, seconds: f64) -> f64 {
    drop(db::Db::open(path).unwrap()); // creates the schema
    let conn = db::open_connection(path).unwrap();
    onewindow::seed::seed_demo_if_empty(&conn).unwrap();
    let request = request();
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut n = 0u64;
    while Instant::now() < deadline {
        n += 1;
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        let case = cases::NewCase {
            request: &request,
            case_type: CaseType::Complaint,
            query_code_hash: "hash",
            created_at_ms: 0,
            acceptance_due_on: "2026-12-08",
            walk_in: None,
            unit_id: 1,
            unit_name: "县综治中心",
            grid_id: None,
            channel: ow_shared::workflow::Channel::Online,
        };
        cases::insert(&conn, &format!("20261123{n:05}"), &case).unwrap();
        conn.execute_batch("COMMIT").unwrap();
    }
    n as f64 / started.elapsed().as_secs_f64()
}

/// How many fsyncs a second this disk does: the raw ceiling and the ratio depend on it.
fn disk_fsyncs_per_second(dir: &std::path::Path) -> f64 {
    use std::io::Write;
    let mut file = std::fs::File::create(dir.join("fsync-probe")).unwrap();
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs(1) {
        file.write_all(b"x").unwrap();
        file.sync_data().unwrap();
        n += 1;
    }
    n as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let seconds: f64 = std::env::var("INTAKE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let (rps, latencies) = runtime.block_on(async {
        let server = onewindow::spawn(Config::for_tests(dir.path().join("bench.sqlite"))).await.unwrap();
        http_intake(&server.url(), 1.0).await; // warm-up
        http_intake(&server.url(), seconds).await
    });
    let raw = raw_one_commit_per_case(&dir.path().join("raw.sqlite"), seconds.min(3.0));
    let fsyncs = disk_fsyncs_per_second(dir.path());
    let ms = |q: f64| latencies.value_at_quantile(q) as f64 / 1000.0;
    println!("intake_http_cases_per_s={rps:.0}");
    println!("intake_http_p50_ms={:.1}", ms(0.50));
    println!("intake_http_p99_ms={:.1}", ms(0.99));
    println!("raw_sqlite_one_commit_per_case_per_s={raw:.0}");
    println!("intake_ratio_to_raw={:.1}", rps / raw);
    println!("disk_fsyncs_per_s={fsyncs:.0}");
    println!(
        "summary: {CLIENTS} clients, {} cases in {seconds} s: {rps:.0} durable cases/s (p50 {:.1} ms, p99 {:.1} ms) vs raw {raw:.0}/s = {:.1}x (goal >= 10x, p99 < 50 ms)",
        latencies.len(),
        ms(0.50),
        ms(0.99),
        rps / raw
    );
}
