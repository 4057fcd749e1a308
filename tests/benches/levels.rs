//! The queues of the county's levels (issue 12) through the real HTTP API with 1,000,000
//! cases over the demo county: one township centre's queue and a grid worker's list
//! (first page, sorted by due date, with the counts), beside the county-wide queue.
//! Goal: p99 ≤ 100 ms for the township and the grid worker. Prints figures; asserts only
//! correctness.
//!
//! `cargo bench -p onewindow-tests --bench levels` (env LEVELS_CASES, LEVELS_SECONDS).
//! The cases are generated in SQL, without their full-text index (the queue's first page
//! does not search).

#[path = "common/mod.rs"]
mod common;
#[path = "shared/county.rs"]
mod county;

use hdrhistogram::Histogram;
use onewindow::config::Config;
use serde_json::{Value, json};

const CLIENTS: usize = 8;
/// From 2026-01-01 00:00 UTC, a second between cases.
const SPREAD: county::Spread = county::Spread { first_ms: 1_767_225_600_000, step_ms: 1000 };

async fn sign_in(client: &reqwest::Client, url: &str, username: &str) -> String {
    let body = json!({ "username": username, "password": onewindow::seed::DEMO_PASSWORD });
    let response = client.post(format!("{url}/api/v1/console/session")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200, "{username}");
    response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
}

/// Requests per second and latencies (µs) of the queue's first page as `cookie`.
async fn queue(url: &str, cookie: &str, seconds: f64) -> (f64, Histogram<u64>) {
    let (url, cookie) = (format!("{url}/api/v1/console/cases?sort=due&page=1"), cookie.to_string());
    common::closed_loop(CLIENTS, seconds, move |client, _, _| {
        let (url, cookie) = (url.clone(), cookie.clone());
        async move {
            let response = client.get(url).header("cookie", cookie).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.bytes().await.unwrap();
        }
    })
    .await
}

fn main() {
    let cases: u64 = std::env::var("LEVELS_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let seconds: f64 = std::env::var("LEVELS_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.sqlite");
    let generate_s = county::generate(&path, cases, SPREAD);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let server = onewindow::spawn(Config::for_tests(path.clone())).await.unwrap();
        let url = server.url();
        let client = reqwest::Client::new();
        let mut lines = Vec::new();
        for (who, username) in [("township", "clerk_chengguan"), ("grid_worker", "grid_xingfu"), ("county", "clerk")] {
            let cookie = sign_in(&client, &url, username).await;
            let first: Value = client
                .get(format!("{url}/api/v1/console/cases?sort=due&page=1"))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let total = first["total"].as_u64().unwrap();
            assert!(total > 0 && first["items"].as_array().unwrap().len() == 20, "{who}: {total}");
            queue(&url, &cookie, 1.0).await; // warm-up
            let (rps, latencies) = queue(&url, &cookie, seconds).await;
            let ms = |q: f64| latencies.value_at_quantile(q) as f64 / 1000.0;
            println!("levels_{who}_cases={total}");
            println!("levels_{who}_per_s={rps:.0}");
            println!("levels_{who}_p50_ms={:.1}", ms(0.50));
            println!("levels_{who}_p99_ms={:.1}", ms(0.99));
            lines.push(format!("{who} ({total} cases) p50 {:.1} ms p99 {:.1} ms", ms(0.50), ms(0.99)));
        }
        println!("summary: {cases} cases generated in {generate_s:.0} s; {CLIENTS} clients; {}", lines.join("; "));
    });
}
