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

use hdrhistogram::Histogram;
use onewindow::config::Config;
use serde_json::{Value, json};
use std::time::Instant;

const CLIENTS: usize = 8;

/// Fills the demo county with `n` cases spread over its villages and grids, each held by
/// its township's centre, in states and due dates of a working county.
fn generate(path: &std::path::Path, n: u64) -> f64 {
    drop(onewindow::db::Db::open(path).unwrap()); // the schema
    let conn = onewindow::db::open_connection(path).unwrap();
    onewindow::seed::seed_demo_if_empty(&conn).unwrap();
    let started = Instant::now();
    conn.execute_batch("DROP TRIGGER cases_fts_insert; BEGIN").unwrap();
    conn.execute(
        "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1),
              places AS (SELECT g.id AS grid_id, v.id AS village_id, v.township_id AS township_id,
                                row_number() OVER (ORDER BY g.id) - 1 AS k FROM grids g JOIN villages v ON v.id = g.village_id),
              total AS (SELECT count(*) AS n FROM places)
         INSERT INTO cases (tracking_no, query_code_hash, case_type, state, channel, title, description, occurred_on,
                            township_id, village_id, address, other_party_name, contact_name, mobile, identity_protected,
                            created_at_ms, acceptance_due_on, due_on, unit_id, grid_id)
         SELECT printf('B%012d', i), 'x', 'complaint',
                CASE i % 5 WHEN 0 THEN 'registered' WHEN 1 THEN 'accepted' WHEN 2 THEN 'dispatched'
                           WHEN 3 THEN 'replied' ELSE 'closed' END,
                'online', '基准诉求' || i, '基准数据', '2026-01-01', p.township_id, p.village_id, '', '', '张三',
                '13800000000', 0, 1767225600000 + i * 1000, '2026-12-31',
                CASE WHEN i % 5 < 3 THEN date('2026-01-01', '+' || (i % 400) || ' days') END,
                (SELECT u.id FROM units u WHERE u.level = 'township' AND u.township_id = p.township_id), p.grid_id
         FROM seq JOIN total JOIN places p ON p.k = seq.i % total.n",
        [n],
    )
    .unwrap();
    conn.execute_batch(
        "COMMIT; CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
             INSERT INTO cases_fts (rowid, tracking_no, title, description, address)
             VALUES (new.id, new.tracking_no, new.title, new.description, new.address);
         END; ANALYZE;",
    )
    .unwrap();
    started.elapsed().as_secs_f64()
}

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
    let generate_s = generate(&path, cases);
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
