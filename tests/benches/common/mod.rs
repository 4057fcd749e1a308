//! What the benches share: a closed loop of HTTP clients against a running server.

use hdrhistogram::Histogram;
use std::future::Future;
use std::time::{Duration, Instant};

/// Runs `clients` workers for `seconds`, each sending `request(client, worker, n)` for
/// n = 1, 2, … as soon as the previous answer is in. Returns requests per second and the
/// latency histogram (µs). `request` checks its own answer.
pub async fn closed_loop<F, Fut>(clients: usize, seconds: f64, request: F) -> (f64, Histogram<u64>)
where
    F: Fn(reqwest::Client, usize, u64) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let client = reqwest::Client::builder().pool_max_idle_per_host(clients).build().unwrap();
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..clients {
        let (client, request) = (client.clone(), request.clone());
        tasks.spawn(async move {
            let mut latencies = Histogram::<u64>::new(3).unwrap();
            let mut n = 0u64;
            while Instant::now() < deadline {
                n += 1;
                let started = Instant::now();
                request(client.clone(), worker, n).await;
                latencies.record(started.elapsed().as_micros() as u64).unwrap();
            }
            latencies
        });
    }
    let started = Instant::now();
    let mut all = Histogram::<u64>::new(3).unwrap();
    while let Some(latencies) = tasks.join_next().await {
        all.add(latencies.unwrap()).unwrap();
    }
    (all.len() as f64 / started.elapsed().as_secs_f64().max(seconds), all)
}
