//! Leaders' figures (issue 13) through the real HTTP API over a generated county of
//! 1,000,000 cases with their histories (about 4 events each), spread evenly over five
//! years (2022–2026, so a year holds 200,000 cases and the previous year and "last
//! year" have theirs): a county leader's and a township leader's figures for the year
//! 2026, with the previous period and last year beside (the whole report, as the page
//! asks for it). Goal: p99 ≤ 300 ms, the server's peak memory ≤ 128 MB. The server runs
//! as its own process (release build) so that its memory can be read; while the figures
//! are asked for, a resident submits a case every 100 ms, to show the writer is not held.
//! Prints figures; asserts only correctness.
//!
//! `cargo bench -p onewindow-tests --bench figures` (env FIGURES_CASES, FIGURES_SECONDS,
//! FIGURES_DB: where to keep the generated database; it is reused when it is there, so
//! only the first run pays for the generation).

#[path = "common/mod.rs"]
mod common;
#[path = "shared/county.rs"]
mod county;
#[path = "shared/histories.rs"]
mod histories;
#[path = "shared/request.rs"]
mod request;
#[path = "shared/server.rs"]
mod server;

use hdrhistogram::Histogram;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Leaders asking at once (a centre has a few).
const CLIENTS: usize = 2;
/// 2022-01-01 00:00 Shanghai, and five years (1826 days) to spread the cases over.
const FIRST_MS: i64 = 1_640_966_400_000;
const SPAN_MS: i64 = 1826 * 86_400_000;
const YEAR: &str = "from=2026-01-01&to=2026-12-31";

/// The generated database, made once and kept (its name carries the size and the
/// generator's version).
fn database(cases: u64) -> (PathBuf, Option<f64>) {
    let path = std::env::var("FIGURES_DB").map(PathBuf::from).unwrap_or_else(|_| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../target/figures-bench-{cases}-v3.sqlite"))
    });
    if path.exists() {
        return (path, None);
    }
    let partial = path.with_extension("partial");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let spread = county::Spread { first_ms: FIRST_MS, step_ms: SPAN_MS / cases.max(1) as i64 };
    let seconds = county::generate(&partial, cases, spread) + histories::add(&partial);
    let conn = onewindow::db::open_connection(&partial).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    drop(conn);
    std::fs::rename(&partial, &path).unwrap();
    (path, Some(seconds))
}

async fn sign_in(client: &reqwest::Client, url: &str, username: &str) -> String {
    let body = json!({ "username": username, "password": onewindow::seed::DEMO_PASSWORD });
    let response = client
        .post(format!("{url}/api/v1/console/session"))
        .header("x-forwarded-for", "10.255.0.1")
        .header("origin", url)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let cookie =
        response.headers().get("set-cookie").map(|c| c.to_str().unwrap().split(';').next().unwrap().to_string());
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, 200, "{username}: {body}");
    cookie.expect("a session cookie")
}

/// Requests per second and latencies (µs) of a year's figures as `cookie`.
async fn figures(url: &str, cookie: &str, seconds: f64) -> (f64, Histogram<u64>) {
    let (url, cookie) = (format!("{url}/api/v1/console/figures?{YEAR}"), cookie.to_string());
    common::closed_loop(CLIENTS, seconds, move |client, _, n| {
        let (url, cookie) = (url.clone(), cookie.clone());
        async move {
            let address = format!("10.254.{}.{}", n / 256 % 256, n % 256);
            let response =
                client.get(url).header("cookie", cookie).header("x-forwarded-for", address).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.bytes().await.unwrap();
        }
    })
    .await
}

/// A resident submitting a case every 100 ms until `stop`: the latencies (µs) of the
/// writes made while the figures are read.
async fn writes_meanwhile(url: String, stop: Arc<AtomicBool>) -> Histogram<u64> {
    let client = reqwest::Client::new();
    let mut latencies = Histogram::<u64>::new(3).unwrap();
    let mut n = 0u32;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let body = request::resident_request(u64::from(n));
        // Each submission from its own address, as residents are (the limits are per address).
        let address = format!("10.{}.{}.1", n / 256 % 256, n % 256);
        let started = Instant::now();
        let response = client
            .post(format!("{url}/api/v1/cases"))
            .header("x-forwarded-for", address)
            .header("idempotency-key", format!("figures-bench-{n:012}-{:08x}", std::process::id()))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap_or_default());
        latencies.record(started.elapsed().as_micros() as u64).unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    latencies
}

fn main() {
    let cases: u64 = std::env::var("FIGURES_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let seconds: f64 = std::env::var("FIGURES_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10.0);
    let (path, generated_s) = database(cases);
    let server = server::Server::start(&path, &["--demo", "--trust-forwarded-for"]);
    let url = server.url.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut lines = Vec::new();
    runtime.block_on(async {
        let client = reqwest::Client::new();
        for (who, username) in [("county", "leader"), ("township", "leader_chengguan")] {
            let cookie = sign_in(&client, &url, username).await;
            // The first report alone, timed: a report too slow for the server's request
            // time limit is a figure too (its status), not a crash of the bench.
            let started = Instant::now();
            let response = client
                .get(format!("{url}/api/v1/console/figures?{YEAR}"))
                .header("cookie", &cookie)
                .header("x-forwarded-for", "10.255.0.1")
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let first: Value = response.json().await.unwrap_or_default();
            println!("figures_{who}_first_ms={}", started.elapsed().as_millis());
            if status != 200 {
                println!("figures_{who}_first_status={status}");
                lines.push(format!("{who}: the first report answered {status}: {first}"));
                continue;
            }
            let received: u64 = first["figures"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["id"].as_str().unwrap().starts_with("intake_"))
                .map(|f| f["current"]["numerator"].as_u64().unwrap())
                .sum();
            assert!(received > 0, "{who}: {first}");
            figures(&url, &cookie, 1.0).await; // warm-up
            let stop = Arc::new(AtomicBool::new(false));
            let writer = tokio::spawn(writes_meanwhile(url.clone(), stop.clone()));
            let (rps, latencies) = figures(&url, &cookie, seconds).await;
            stop.store(true, Ordering::Relaxed);
            let writes = writer.await.unwrap();
            let ms = |h: &Histogram<u64>, q: f64| h.value_at_quantile(q) as f64 / 1000.0;
            println!("figures_{who}_year_cases={received}");
            println!("figures_{who}_per_s={rps:.1}");
            println!("figures_{who}_p50_ms={:.0}", ms(&latencies, 0.50));
            println!("figures_{who}_p99_ms={:.0}", ms(&latencies, 0.99));
            println!("figures_{who}_writes_p99_ms={:.0}", ms(&writes, 0.99));
            lines.push(format!(
                "{who} ({received} cases in the year) p50 {:.0} ms p99 {:.0} ms, submissions meanwhile p99 {:.0} ms",
                ms(&latencies, 0.50),
                ms(&latencies, 0.99),
                ms(&writes, 0.99)
            ));
        }
    });
    let peak = server.memory_mb("VmHWM");
    println!("figures_cases={cases}");
    println!("figures_server_peak_rss_mb={peak:.0}");
    let generated = generated_s.map_or("reused".to_string(), |s| format!("generated in {s:.0} s"));
    println!(
        "summary: {cases} cases ({generated}); {CLIENTS} clients; {}; server peak RSS {peak:.0} MB",
        lines.join("; ")
    );
}
