//! "Use my location" through the real HTTP API with 10,000 grids, beside the static
//! health endpoint of the same server in the same run (the bare "hello" rate of this
//! machine). Goal: locate ≥ 0.5× hello. Prints figures; asserts only correctness.
//!
//! `cargo bench -p onewindow-tests --bench grids` (env GRIDS_SECONDS to change the run).

#[path = "common/mod.rs"]
mod common;

use hdrhistogram::Histogram;
use onewindow::config::Config;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;

const CLIENTS: usize = 64;
const SIDE: usize = 100; // SIDE × SIDE grids
const CELL: f64 = 0.02; // degrees
const WEST: f64 = 103.0;
const SOUTH: f64 = 25.0;

/// A deterministic pseudo-random stream (no dependency needed for a benchmark).
struct Lcg(u64);

impl Lcg {
    fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// 10,000 grids on a lattice west of the demo county, each ring with 8 points.
fn lattice() -> Value {
    let mut features = Vec::with_capacity(SIDE * SIDE);
    for row in 0..SIDE {
        for col in 0..SIDE {
            let (x, y) = (WEST + col as f64 * CELL, SOUTH + row as f64 * CELL);
            let h = CELL / 2.0;
            let ring = json!([
                [x, y],
                [x + h, y],
                [x + CELL, y],
                [x + CELL, y + h],
                [x + CELL, y + CELL],
                [x + h, y + CELL],
                [x, y + CELL],
                [x, y + h],
                [x, y]
            ]);
            let n = row * SIDE + col;
            features.push(json!({
                "type": "Feature",
                "properties": { "code": format!("BX{n:05}"), "name": format!("基准网格{n}"),
                                "township": "城关街道", "village": "幸福社区" },
                "geometry": { "type": "Polygon", "coordinates": [ring] },
            }));
        }
    }
    json!({ "type": "FeatureCollection", "features": features })
}

/// Points over the lattice and a margin around it, so some fall outside every grid.
fn points(n: usize) -> Vec<(f64, f64)> {
    let mut random = Lcg(2026);
    let span = SIDE as f64 * CELL * 1.1;
    let (x0, y0) = (WEST - SIDE as f64 * CELL * 0.05, SOUTH - SIDE as f64 * CELL * 0.05);
    (0..n).map(|_| (x0 + random.next_unit() * span, y0 + random.next_unit() * span)).collect()
}

async fn sign_in_admin(client: &reqwest::Client, url: &str) -> (String, String) {
    let body = json!({ "username": "admin", "password": onewindow::seed::DEMO_PASSWORD });
    let response = client.post(format!("{url}/api/v1/console/session")).json(&body).send().await.unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let info: Value = response.json().await.unwrap();
    (cookie, info["csrf_token"].as_str().unwrap().to_string())
}

/// Requests per second and latencies (µs) of `CLIENTS` clients GETting `paths` in turn.
async fn load(url: &str, paths: Arc<Vec<String>>, seconds: f64) -> (f64, Histogram<u64>) {
    let url = url.to_string();
    common::closed_loop(CLIENTS, seconds, move |client, worker, n| {
        let path = format!("{url}{}", paths[(worker * 7919 + n as usize) % paths.len()]);
        async move {
            let response = client.get(path).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.bytes().await.unwrap();
        }
    })
    .await
}

fn main() {
    let seconds: f64 = std::env::var("GRIDS_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let server = onewindow::spawn(Config::for_tests(dir.path().join("bench.sqlite"))).await.unwrap();
        let url = server.url();
        let client = reqwest::Client::new();
        let (cookie, csrf) = sign_in_admin(&client, &url).await;
        let body = lattice().to_string();
        let started = Instant::now();
        let response = client
            .post(format!("{url}/api/v1/console/grids/boundaries?effective_from=2026-01-01"))
            .header("cookie", cookie)
            .header("x-csrf-token", csrf)
            .header("content-type", "application/geo+json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let import_s = started.elapsed().as_secs_f64();
        let status = response.status();
        let report: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["imported"].as_u64(), Some((SIDE * SIDE) as u64));

        let locate_paths: Vec<String> =
            points(10_000).iter().map(|(lon, lat)| format!("/api/v1/grids/locate?lon={lon:.6}&lat={lat:.6}")).collect();
        // Correctness first: every answer is a bench grid, inside or with a distance.
        let mut inside = 0;
        for path in locate_paths.iter().take(500) {
            let hit: Value = client.get(format!("{url}{path}")).send().await.unwrap().json().await.unwrap();
            assert!(hit["grid"]["code"].as_str().unwrap().starts_with("BX"), "{hit}");
            if hit["inside"] == true {
                inside += 1;
            } else {
                assert!(hit["distance_m"].as_f64().unwrap() > 0.0);
            }
        }
        let locate_paths = Arc::new(locate_paths);
        let hello_paths = Arc::new(vec!["/api/v1/health".to_string()]);
        load(&url, hello_paths.clone(), 1.0).await; // warm-up
        load(&url, locate_paths.clone(), 1.0).await;
        // Interleaved halves, so a change of machine load mid-run hits both alike.
        let (mut hello, mut locate) = (0.0, 0.0);
        let mut latencies = Histogram::<u64>::new(3).unwrap();
        for _ in 0..2 {
            hello += load(&url, hello_paths.clone(), seconds / 2.0).await.0 / 2.0;
            let (rps, histogram) = load(&url, locate_paths.clone(), seconds / 2.0).await;
            locate += rps / 2.0;
            latencies.add(histogram).unwrap();
        }
        let ms = |q: f64| latencies.value_at_quantile(q) as f64 / 1000.0;
        println!("grids_count={}", SIDE * SIDE);
        println!("grids_import_bytes={}", body.len());
        println!("grids_import_s={import_s:.2}");
        println!("locate_inside_share={:.2}", inside as f64 / 500.0);
        println!("hello_http_per_s={hello:.0}");
        println!("locate_http_per_s={locate:.0}");
        println!("locate_ratio_to_hello={:.2}", locate / hello);
        println!("locate_http_p50_ms={:.2}", ms(0.50));
        println!("locate_http_p99_ms={:.2}", ms(0.99));
        println!(
            "summary: {CLIENTS} clients, {} grids: locate {locate:.0}/s vs hello {hello:.0}/s = {:.2}x (goal >= 0.5x), p50 {:.2} ms, p99 {:.2} ms; import {:.2} s",
            SIDE * SIDE,
            locate / hello,
            ms(0.50),
            ms(0.99),
            import_s
        );
    });
}
