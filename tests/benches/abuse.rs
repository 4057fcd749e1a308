//! A soak under attack: the real release server (its own process, default limits, on a
//! real port with a temporary database) serves honest residents at a steady rate, first
//! alone, then while an attacker floods it from many addresses with case submissions,
//! 1 MB photo uploads, sign-in guesses and 2 MB tracking numbers. Prints, for the honest
//! load with and without the attack, the success rate and the p99 latency, then the
//! server's peak memory and what the attacker got through. Asserts nothing.
//!
//! Behind a proxy the server takes the client's address from `X-Forwarded-For`
//! (`--trust-forwarded-for`), so every client here names its own: each resident one
//! address, the attacker `ATTACK_ADDRESSES` of them.
//!
//! `cargo bench -p onewindow-tests --bench abuse` (env ABUSE_SECONDS: each phase's length).

#[path = "shared/request.rs"]
mod request;
#[path = "shared/server.rs"]
mod server;

use hdrhistogram::Histogram;
use ow_shared::dto::{Receipt, SubmitCaseRequest};
use server::Server;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Honest residents, each from its own address, each submitting a case and then
/// tracking it once every `RESIDENT_EVERY` (well inside the per-address limits).
const RESIDENTS: usize = 32;
const RESIDENT_EVERY: Duration = Duration::from_secs(1);
/// The attacker's concurrent connections, each sending one kind of attack as fast as it
/// is answered (the kinds shared out evenly).
const ATTACKERS: usize = 32;
/// The addresses the attacker rotates through.
const ATTACK_ADDRESSES: u32 = 4096;

/// The honest side of one phase.
#[derive(Default)]
struct Honest {
    ok: u64,
    failed: BTreeMap<String, u64>,
    latencies: Option<Histogram<u64>>,
}

impl Honest {
    fn total(&self) -> u64 {
        self.ok + self.failed.values().sum::<u64>()
    }
    fn success_pct(&self) -> f64 {
        100.0 * self.ok as f64 / self.total().max(1) as f64
    }
    fn p99_ms(&self) -> f64 {
        self.latencies.as_ref().map_or(0.0, |h| h.value_at_quantile(0.99) as f64 / 1000.0)
    }
}

/// One resident's round: submit, then track what was submitted. Each request's latency
/// is recorded; a failure is counted by its status (or "error" when no answer came).
async fn resident_round(client: &reqwest::Client, url: &str, address: &str, n: u64, seen: &mut Honest) {
    let latencies = seen.latencies.get_or_insert_with(|| Histogram::new(3).unwrap());
    let started = Instant::now();
    let submitted = client
        .post(format!("{url}/api/v1/cases"))
        .header("x-forwarded-for", address)
        .header("idempotency-key", format!("resident-{}-{n:010}-{:x}", address.replace('.', "-"), std::process::id()))
        .json(&request::resident_request(n))
        .send()
        .await;
    let receipt = match submitted {
        Ok(response) if response.status() == 201 => response.json::<Receipt>().await.ok(),
        Ok(response) => {
            *seen.failed.entry(format!("submit {}", response.status().as_u16())).or_default() += 1;
            None
        }
        Err(_) => {
            *seen.failed.entry("submit error".into()).or_default() += 1;
            None
        }
    };
    latencies.record(started.elapsed().as_micros() as u64).unwrap();
    let Some(receipt) = receipt else { return };
    seen.ok += 1;
    let started = Instant::now();
    let tracked = client
        .post(format!("{url}/api/v1/track"))
        .header("x-forwarded-for", address)
        .json(&serde_json::json!({ "tracking_no": receipt.tracking_no, "query_code": receipt.query_code }))
        .send()
        .await;
    let outcome = match tracked {
        Ok(response) => {
            let status = response.status().as_u16();
            if response.bytes().await.is_ok() { status.to_string() } else { "error".into() }
        }
        Err(_) => "error".into(),
    };
    match outcome.as_str() {
        "200" => seen.ok += 1,
        _ => *seen.failed.entry(format!("track {outcome}")).or_default() += 1,
    }
    latencies.record(started.elapsed().as_micros() as u64).unwrap();
}

/// The honest residents for `seconds`, each starting at its own moment in the second.
async fn honest_load(url: &str, seconds: f64) -> Honest {
    let client = reqwest::Client::builder().pool_max_idle_per_host(RESIDENTS).build().unwrap();
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for resident in 0..RESIDENTS {
        let (client, url) = (client.clone(), url.to_string());
        tasks.spawn(async move {
            let address = format!("10.1.{}.{}", resident / 256, resident % 256);
            let offset = RESIDENT_EVERY.mul_f64(resident as f64 / RESIDENTS as f64);
            let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + offset, RESIDENT_EVERY);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut seen = Honest::default();
            let mut n = 0;
            loop {
                ticks.tick().await;
                if Instant::now() >= deadline {
                    break;
                }
                n += 1;
                resident_round(&client, &url, &address, n, &mut seen).await;
            }
            seen
        });
    }
    let mut all = Honest { latencies: Some(Histogram::new(3).unwrap()), ..Honest::default() };
    while let Some(seen) = tasks.join_next().await {
        let seen = seen.unwrap();
        all.ok += seen.ok;
        for (what, n) in seen.failed {
            *all.failed.entry(what).or_default() += n;
        }
        if let (Some(all), Some(one)) = (all.latencies.as_mut(), seen.latencies.as_ref()) {
            all.add(one).unwrap();
        }
    }
    all
}

/// What the attacker sends, in turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Attack {
    Submission,
    Upload,
    SignIn,
    HugeTrackingNo,
}

const ATTACKS: [Attack; 4] = [Attack::Submission, Attack::Upload, Attack::SignIn, Attack::HugeTrackingNo];

impl Attack {
    fn name(self) -> &'static str {
        match self {
            Attack::Submission => "submissions",
            Attack::Upload => "uploads_1mb",
            Attack::SignIn => "sign_ins",
            Attack::HugeTrackingNo => "tracking_2mb",
        }
    }
}

/// The attacker's payloads, made once.
struct Payloads {
    photo: &'static [u8],
    huge_track: &'static [u8],
    submission: SubmitCaseRequest,
}

fn payloads() -> Payloads {
    let huge = "9".repeat(2 * 1024 * 1024);
    let huge_track = serde_json::to_vec(&serde_json::json!({ "tracking_no": huge, "query_code": "12345678" })).unwrap();
    Payloads {
        photo: Box::leak(large_png(1024 * 1024).into_boxed_slice()),
        huge_track: Box::leak(huge_track.into_boxed_slice()),
        submission: SubmitCaseRequest {
            title: "垃圾信息".into(),
            description: "这是一条自动生成的垃圾诉求，用来占满编号和磁盘。".repeat(20),
            ..request::resident_request(0)
        },
    }
}

/// One attacking request; its status (0 when no answer came).
async fn attack_once(client: &reqwest::Client, url: &str, payloads: &Payloads, attack: Attack, n: u64) -> u16 {
    let address = format!("10.200.{}.{}", (n as u32 % ATTACK_ADDRESSES) / 256, n as u32 % 256);
    let request = match attack {
        Attack::Submission => client
            .post(format!("{url}/api/v1/cases"))
            .header("idempotency-key", format!("attack-key-{n:016}-{:x}", std::process::id()))
            .json(&payloads.submission),
        Attack::Upload => {
            client.post(format!("{url}/api/v1/uploads")).header("content-type", "image/png").body(payloads.photo)
        }
        Attack::SignIn => {
            let username = ["admin", "clerk", "leader", "nobody"][n as usize % 4];
            let guess = serde_json::json!({ "username": username, "password": format!("guess-{n}") });
            client.post(format!("{url}/api/v1/console/session")).json(&guess)
        }
        Attack::HugeTrackingNo => client
            .post(format!("{url}/api/v1/track"))
            .header("content-type", "application/json")
            .body(payloads.huge_track),
    };
    match request.header("x-forwarded-for", address).send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            let _ = response.bytes().await;
            status
        }
        Err(_) => 0,
    }
}

/// The attacker, until `stop`: statuses counted per kind of attack.
async fn attacker(url: String, stop: Arc<AtomicBool>) -> BTreeMap<(Attack, u16), u64> {
    let payloads = Arc::new(payloads());
    let client =
        reqwest::Client::builder().pool_max_idle_per_host(ATTACKERS).timeout(Duration::from_secs(60)).build().unwrap();
    let counts = Arc::new(Mutex::new(BTreeMap::new()));
    // ABUSE_ATTACKS=uploads_1mb,sign_ins sends only those (to see what each one costs).
    let only = std::env::var("ABUSE_ATTACKS").unwrap_or_default();
    let attacks: Arc<Vec<Attack>> =
        Arc::new(ATTACKS.into_iter().filter(|a| only.is_empty() || only.split(',').any(|o| o == a.name())).collect());
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..ATTACKERS {
        let (client, url, payloads, stop, counts, attacks) =
            (client.clone(), url.clone(), payloads.clone(), stop.clone(), counts.clone(), attacks.clone());
        tasks.spawn(async move {
            let mut n = worker as u64 * 1_000_003;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let attack = attacks[worker % attacks.len()];
                let status = attack_once(&client, &url, &payloads, attack, n).await;
                *counts.lock().unwrap().entry((attack, status)).or_insert(0u64) += 1;
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    Arc::try_unwrap(counts).map(|m| m.into_inner().unwrap()).unwrap_or_default()
}

/// The 2×3 grey PNG with `extra` bytes more of image data: a large photo stored whole.
fn large_png(extra: usize) -> Vec<u8> {
    const PNG: [u8; 68] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x00, 0x00, 0x9C, 0x81, 0x81, 0x5D, 0x00, 0x00, 0x00,
        0x0B, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0x80, 0x02, 0x00, 0x00, 0x09, 0x00, 0x01, 0xFB, 0x52,
        0xB8, 0xA9, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    let iend = PNG.len() - 12;
    let mut chunk = (extra as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(b"IDAT");
    chunk.extend(std::iter::repeat_n(0u8, extra));
    let crc = !chunk[4..].iter().fold(!0u32, |crc, &b| {
        (0..8).fold(crc ^ u32::from(b), |c, _| if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 })
    });
    chunk.extend_from_slice(&crc.to_be_bytes());
    [&PNG[..iend], &chunk, &PNG[iend..]].concat()
}

fn main() {
    let seconds: f64 = std::env::var("ABUSE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(15.0);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("abuse.sqlite"), &["--demo", "--trust-forwarded-for"]);
    // The residents and the attacker are different machines in life: each side gets its own
    // runtime on its own threads, so that a resident's request is never timed while it waits
    // in this process's task queue behind the attacker's megabyte bodies. They still share
    // the two cores with the server, as the attacker's traffic must.
    let honest = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let attacking = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (calm, attacked, got_through) = honest.block_on(async {
        honest_load(&server.url, 1.0).await; // warm-up
        let calm = honest_load(&server.url, seconds).await;
        let stop = Arc::new(AtomicBool::new(false));
        let attack = attacking.spawn(attacker(server.url.clone(), stop.clone()));
        let attacked = honest_load(&server.url, seconds).await;
        stop.store(true, Ordering::Relaxed);
        (calm, attacked, attack.await.unwrap())
    });
    let peak = server.memory_mb("VmHWM");
    let now = server.memory_mb("VmRSS");

    println!("abuse_honest_success_calm_pct={:.2}", calm.success_pct());
    println!("abuse_honest_success_attacked_pct={:.2}", attacked.success_pct());
    println!("abuse_honest_p99_calm_ms={:.1}", calm.p99_ms());
    println!("abuse_honest_p99_attacked_ms={:.1}", attacked.p99_ms());
    println!("abuse_p99_ratio={:.2}", attacked.p99_ms() / calm.p99_ms().max(0.001));
    println!("abuse_server_peak_rss_mb={peak:.0}");
    println!("abuse_server_rss_after_mb={now:.0}");
    let mut total = 0;
    for attack in ATTACKS {
        let counts: Vec<String> = got_through
            .iter()
            .filter(|((a, _), _)| *a == attack)
            .map(|((_, status), n)| if *status == 0 { format!("no answer ×{n}") } else { format!("{status} ×{n}") })
            .collect();
        total += got_through.iter().filter(|((a, _), _)| *a == attack).map(|(_, n)| n).sum::<u64>();
        println!("abuse_attacker_{}={}", attack.name(), counts.join(", "));
    }
    println!("abuse_attacker_requests={total}");
    println!("abuse_attacker_per_s={:.0}", total as f64 / seconds);
    for (what, n) in calm.failed.iter().chain(&attacked.failed) {
        println!("abuse_honest_failure: {what} ×{n}");
    }
    println!(
        "summary: {RESIDENTS} residents ({} requests calm, {} under attack): success {:.2} % / {:.2} % (goal 100 %), \
         p99 {:.1} ms / {:.1} ms = {:.2}x (goal <= 2x); attacker {ATTACKERS} connections from {ATTACK_ADDRESSES} \
         addresses, {total} requests; server peak RSS {peak:.0} MB (goal <= 256 MB)",
        calm.total(),
        attacked.total(),
        calm.success_pct(),
        attacked.success_pct(),
        calm.p99_ms(),
        attacked.p99_ms(),
        attacked.p99_ms() / calm.p99_ms().max(0.001),
    );
}
