//! Durable intake through the real HTTP API at 64 concurrent clients, with the server's
//! limits as they ship (each client request from its own forwarded address, as behind the
//! hall's proxy: one address may send 120 a minute), beside two ceilings measured in the
//! same run on the same schema and durability (the backend's migrations, WAL,
//! synchronous=FULL): raw SQLite with one commit per case, and a bare group-commit writer
//! fed by 64 producer threads without HTTP. Prints figures; asserts nothing.
//!
//! `cargo bench -p onewindow-tests --bench intake` (env INTAKE_SECONDS to change the run).

#[path = "common/mod.rs"]
mod common;
#[path = "shared/request.rs"]
mod request;

use hdrhistogram::Histogram;
use onewindow::config::Config;
use onewindow::db::{self, cases};
use onewindow::intake::{self, Submission};
use onewindow::limits::Limits;
use ow_shared::CaseType;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

const CLIENTS: usize = 64;

/// Cases per second and the latency histogram (µs) of `CLIENTS` clients for `seconds`.
async fn http_intake(url: &str, seconds: f64) -> (f64, Histogram<u64>) {
    let (url, body) = (url.to_string(), std::sync::Arc::new(request::resident_request(0)));
    common::closed_loop(CLIENTS, seconds, move |client, worker, n| {
        let (url, body) = (url.clone(), body.clone());
        async move {
            let response = client
                .post(format!("{url}/api/v1/cases"))
                .header("x-forwarded-for", next_address())
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

/// The next of 65,536 client addresses, in turn: at the bench's rate each sends far
/// less than the per-address limit, as a county's residents would.
fn next_address() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed) % 65_536;
    format!("10.100.{}.{}", n / 256, n % 256)
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
    let request = request::resident_request(0);
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

/// Cases per second through a bare group-commit writer: `CLIENTS` producer threads each
/// send a submission to one writer thread and wait for its commit; the writer takes
/// whatever is queued (up to 512), stores each through the server's own intake (the case
/// with its full-text index, its number and the idempotency record) and commits once.
/// No HTTP, JSON, validation, limits or savepoints: what intake could reach on this disk.
fn raw_group_commit(path: &std::path::Path, seconds: f64) -> f64 {
    drop(db::Db::open(path).unwrap()); // creates the schema
    let conn = db::open_connection(path).unwrap();
    onewindow::seed::seed_demo_if_empty(&conn).unwrap();
    let calendar = Arc::new(db::holidays::calendar(&conn).unwrap());
    let (rows, queue) = mpsc::channel::<(Submission, mpsc::Sender<()>)>();
    let writer = std::thread::spawn(move || {
        while let Ok(first) = queue.recv() {
            let mut group = vec![first];
            while group.len() < 512 {
                match queue.try_recv() {
                    Ok(row) => group.push(row),
                    Err(_) => break,
                }
            }
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            for (submission, _) in &group {
                intake::submit(&conn, submission).unwrap();
            }
            conn.execute_batch("COMMIT").unwrap();
            for (_, done) in group {
                let _ = done.send(());
            }
        }
    });
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let producers: Vec<_> = (0..CLIENTS)
        .map(|producer| {
            let (rows, calendar) = (rows.clone(), calendar.clone());
            std::thread::spawn(move || {
                let (done, committed) = mpsc::channel();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    n += 1;
                    let submission = Submission {
                        idempotency_key: format!("raw-key-{producer:06}-{n:010}-{:x}", rand_suffix()),
                        request: request::resident_request(0),
                        now_ms: onewindow::clock::now_ms(),
                        calendar: calendar.clone(),
                        walk_in: None,
                        // As the server ships: online requests go to their township's centre.
                        intake_level: onewindow::config::IntakeLevel::Township,
                        grid_id: None,
                        channel: ow_shared::workflow::Channel::Online,
                    };
                    rows.send((submission, done.clone())).unwrap();
                    committed.recv().unwrap();
                }
                n
            })
        })
        .collect();
    drop(rows);
    let total: u64 = producers.into_iter().map(|p| p.join().unwrap()).sum();
    let elapsed = started.elapsed().as_secs_f64();
    writer.join().unwrap();
    total as f64 / elapsed
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
        // The limits as they ship; the clients' addresses as the hall's proxy forwards them.
        let config = Config {
            limits: Limits::default(),
            trust_forwarded_for: true,
            ..Config::for_tests(dir.path().join("bench.sqlite"))
        };
        let server = onewindow::spawn(config).await.unwrap();
        http_intake(&server.url(), 1.0).await; // warm-up
        http_intake(&server.url(), seconds).await
    });
    let raw = raw_one_commit_per_case(&dir.path().join("raw.sqlite"), seconds.min(3.0));
    let grouped = raw_group_commit(&dir.path().join("grouped.sqlite"), seconds);
    let fsyncs = disk_fsyncs_per_second(dir.path());
    let ms = |q: f64| latencies.value_at_quantile(q) as f64 / 1000.0;
    println!("intake_http_cases_per_s={rps:.0}");
    println!("intake_http_p50_ms={:.1}", ms(0.50));
    println!("intake_http_p99_ms={:.1}", ms(0.99));
    println!("raw_sqlite_one_commit_per_case_per_s={raw:.0}");
    println!("intake_ratio_to_raw={:.1}", rps / raw);
    println!("disk_fsyncs_per_s={fsyncs:.0}");
    println!("raw_group_commit_per_s={grouped:.0}");
    println!("intake_ratio_to_group_commit={:.2}", rps / grouped);
    println!(
        "summary: {CLIENTS} clients, {} cases in {seconds} s: {rps:.0} durable cases/s (p50 {:.1} ms, p99 {:.1} ms) vs raw {raw:.0}/s = {:.1}x (goal >= 10x, p99 < 50 ms); vs group-commit ceiling {grouped:.0}/s = {:.2}x (goal >= 0.5x)",
        latencies.len(),
        ms(0.50),
        ms(0.99),
        rps / raw,
        rps / grouped
    );
}
