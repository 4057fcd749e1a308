//! Legal-aid bookings through the real HTTP API under contention: 64 clients all book
//! the same slot until it is full, then all move on to the next one (so most answers
//! are SLOT_FULL with alternatives, as on the morning a popular day opens). Prints
//! figures; asserts only that no slot ever holds more than its capacity.
//!
//! `cargo bench -p onewindow-tests --bench booking` (env BOOKING_SECONDS to change the run).

use hdrhistogram::Histogram;
use onewindow::config::Config;
use ow_shared::booking::{BookRequest, DayInfo, LegalService, PlaceInfo, SlotInfo};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const CLIENTS: usize = 64;

/// Every bookable (place, date, start) of the demo county, in order.
async fn all_slots(client: &reqwest::Client, url: &str) -> Vec<(i64, String, String)> {
    let get = |path: String| {
        let client = client.clone();
        async move { client.get(format!("{url}{path}")).send().await.unwrap().text().await.unwrap() }
    };
    let places: Vec<PlaceInfo> = serde_json::from_str(&get("/api/v1/booking/places".into()).await).unwrap();
    let mut slots = Vec::new();
    for place in places {
        let days: Vec<DayInfo> =
            serde_json::from_str(&get(format!("/api/v1/booking/places/{}/days", place.id)).await).unwrap();
        for day in days.into_iter().filter(|d| d.free > 0) {
            let path = format!("/api/v1/booking/places/{}/slots?date={}", place.id, day.date);
            let day_slots: Vec<SlotInfo> = serde_json::from_str(&get(path).await).unwrap();
            slots.extend(day_slots.into_iter().filter(|s| s.bookable).map(|s| (place.id, day.date.clone(), s.start)));
        }
    }
    slots
}

/// Outcome counts and the latency histogram (µs) of one run.
struct Run {
    booked: u64,
    full: u64,
    other: u64,
    latencies: Histogram<u64>,
    elapsed: f64,
    slots_used: usize,
}

async fn contended(url: &str, slots: Arc<Vec<(i64, String, String)>>, seconds: f64) -> Run {
    let client = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).build().unwrap();
    let cursor = Arc::new(AtomicUsize::new(0));
    let next_mobile = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..CLIENTS {
        let (client, url, slots, cursor, next_mobile) =
            (client.clone(), url.to_string(), slots.clone(), cursor.clone(), next_mobile.clone());
        tasks.spawn(async move {
            let mut latencies = Histogram::<u64>::new(3).unwrap();
            let (mut booked, mut full, mut other) = (0u64, 0u64, 0u64);
            let mut n = 0u64;
            while Instant::now() < deadline {
                let index = cursor.load(Ordering::Relaxed);
                let Some((place_id, date, start)) = slots.get(index) else { break };
                n += 1;
                let body = BookRequest {
                    place_id: *place_id,
                    service: Some(LegalService::Consultation),
                    date: date.clone(),
                    start: start.clone(),
                    name: "张三".into(),
                    mobile: format!("13{:09}", next_mobile.fetch_add(1, Ordering::Relaxed)),
                    description: "劳动合同纠纷咨询".into(),
                    waitlist: false,
                    urgent: false,
                };
                let sent = Instant::now();
                let response = client
                    .post(format!("{url}/api/v1/bookings"))
                    .header("Idempotency-Key", format!("bench-key-{worker:06}-{n:010}"))
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                response.bytes().await.unwrap();
                latencies.record(sent.elapsed().as_micros() as u64).unwrap();
                match status {
                    201 => booked += 1,
                    409 => {
                        full += 1;
                        cursor.fetch_max(index + 1, Ordering::Relaxed);
                    }
                    _ => other += 1,
                }
            }
            (booked, full, other, latencies)
        });
    }
    let mut run =
        Run { booked: 0, full: 0, other: 0, latencies: Histogram::<u64>::new(3).unwrap(), elapsed: 0.0, slots_used: 0 };
    while let Some(done) = tasks.join_next().await {
        let (booked, full, other, latencies) = done.unwrap();
        run.booked += booked;
        run.full += full;
        run.other += other;
        run.latencies.add(latencies).unwrap();
    }
    run.elapsed = started.elapsed().as_secs_f64();
    run.slots_used = cursor.load(Ordering::Relaxed).min(slots.len());
    run
}

fn main() {
    let seconds: f64 = std::env::var("BOOKING_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("bench.sqlite");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let run = runtime.block_on(async {
        let server = onewindow::spawn(Config::for_tests(db_path.clone())).await.unwrap();
        let slots = Arc::new(all_slots(&reqwest::Client::new(), &server.url()).await);
        println!("booking_slots_available={}", slots.len());
        contended(&server.url(), slots, seconds).await
    });
    let conn = rusqlite::Connection::open(&db_path).unwrap();
    let over: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT b.place_id, b.starts_at_ms, count(*) AS n, p.capacity FROM bookings b
               JOIN booking_places p ON p.id = b.place_id WHERE b.status = 'booked'
               GROUP BY b.place_id, b.starts_at_ms HAVING n > p.capacity)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let stored: i64 = conn.query_row("SELECT count(*) FROM bookings", [], |r| r.get(0)).unwrap();
    let answers = run.booked + run.full + run.other;
    let ms = |q: f64| run.latencies.value_at_quantile(q) as f64 / 1000.0;
    println!("booking_clients={CLIENTS}");
    println!("booking_seconds={:.1}", run.elapsed);
    println!("booking_answers_per_s={:.0}", answers as f64 / run.elapsed);
    println!("booking_booked_per_s={:.0}", run.booked as f64 / run.elapsed);
    println!("booking_booked={}", run.booked);
    println!("booking_slot_full={}", run.full);
    println!("booking_other_answers={}", run.other);
    println!("booking_slots_filled={}", run.slots_used);
    println!("booking_p50_ms={:.1}", ms(0.50));
    println!("booking_p99_ms={:.1}", ms(0.99));
    println!("booking_rows_stored={stored}");
    println!("booking_slots_over_capacity={over}");
    assert_eq!(over, 0, "a slot holds more than its capacity");
    assert_eq!(stored as u64, run.booked, "every stored booking was answered 201");
    println!(
        "summary: {CLIENTS} clients on one slot at a time for {:.1} s: {:.0} answers/s, {:.0} bookings/s \
         ({} booked, {} SLOT_FULL, {} slots filled; p50 {:.1} ms, p99 {:.1} ms); no slot over capacity",
        run.elapsed,
        answers as f64 / run.elapsed,
        run.booked as f64 / run.elapsed,
        run.booked,
        run.full,
        run.slots_used,
        ms(0.50),
        ms(0.99)
    );
}
