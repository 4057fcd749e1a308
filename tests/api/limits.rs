//! Each limit bites: a server started with a low limit refuses the request past it with
//! the right status, a zh-CN `{code, message}`, `Retry-After`, and stores nothing.

use crate::helpers::{large_png, png_bytes, raw_answer, spawn_app_with};
use ow_shared::ErrorCode;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn assert_rate_limited(status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["code"], "RATE_LIMITED");
    assert_eq!(body["message"], ErrorCode::RateLimited.message(ow_shared::Lang::Zh, None, None));
}

#[tokio::test]
async fn one_address_can_submit_only_so_many_cases_and_photos_a_minute() {
    let app = spawn_app_with(|c| c.limits.writes_per_minute = 3).await;
    let request = app.valid_request().await;
    for _ in 0..2 {
        app.submit(&request).await;
    }
    let (status, _) = app.upload(png_bytes(), "image/png").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _, text) = app.submit_raw(Some(&crate::helpers::new_key()), &request).await;
    assert_rate_limited(status, &serde_json::from_str(&text).unwrap());
    let (status, body) = app.upload(png_bytes(), "image/png").await;
    assert_rate_limited(status, &body);
    assert_eq!(app.count("SELECT count(*) FROM cases"), 2, "the refused one is not stored");
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 1);
    let response = app.track_request("2026112300001", "123456").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "look-ups are counted apart from writes");
}

#[tokio::test]
async fn look_ups_are_limited_per_address_with_a_retry_after() {
    let app = spawn_app_with(|c| c.limits.lookups_per_minute = 2).await;
    for _ in 0..2 {
        assert_eq!(app.track("2026112300001", "123456").await.0, StatusCode::NOT_FOUND);
    }
    let (status, retry, body) = app.track("2026112300001", "123456").await;
    assert_rate_limited(status, &body);
    assert!(retry.unwrap().parse::<u64>().unwrap() >= 1);
    let (status, body) = app.booking_lookup("ABCD2345", "13900000001").await;
    assert_rate_limited(status, &body);
}

#[tokio::test]
async fn behind_a_proxy_each_client_counts_alone_and_an_ipv6_64_counts_as_one() {
    let app = spawn_app_with(|c| {
        c.trust_forwarded_for = true;
        c.limits.lookups_per_minute = 1;
    })
    .await;
    let track = |from: &str| app.track_request("2026112300001", "123456").header("x-forwarded-for", from).send();
    assert_eq!(track("10.0.0.1").await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(track("10.0.0.2").await.unwrap().status(), StatusCode::NOT_FOUND, "another client");
    assert_eq!(track("10.0.0.1").await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(track("2001:db8:1:2::1").await.unwrap().status(), StatusCode::NOT_FOUND);
    let neighbour = track("2001:db8:1:2:ffff::9").await.unwrap();
    assert_eq!(neighbour.status(), StatusCode::TOO_MANY_REQUESTS, "same /64");
}

#[tokio::test]
async fn sign_ins_are_limited_per_address() {
    let app = spawn_app_with(|c| c.limits.sign_ins_per_minute = 2).await;
    for _ in 0..2 {
        assert_eq!(app.post_sign_in("nobody_here", "wrong password").await.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.post_sign_in("clerk", crate::helpers::DEMO_PASSWORD).await;
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "RATE_LIMITED");
}

#[tokio::test]
async fn past_the_uploads_in_flight_an_upload_is_told_to_come_back() {
    let app = spawn_app_with(|c| c.limits.uploads_in_flight = 1).await;
    let stalled = app.stalled_upload().await;
    // The stalled upload holds the only slot once the server has read its headers.
    let mut refused = None;
    for _ in 0..200 {
        let (status, body) = app.upload(png_bytes(), "image/png").await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            refused = Some(body);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let body = refused.expect("a second upload is refused while the first holds the slot");
    assert_eq!(body["code"], "UNAVAILABLE");
    assert!(!body["message"].as_str().unwrap().is_empty());
    drop(stalled);
}

#[tokio::test]
async fn a_request_that_takes_too_long_answers_503_json() {
    let app = spawn_app_with(|c| c.limits.request_seconds = 1).await;
    let mut stalled = app.stalled_upload().await;
    let (status, head, body) = raw_answer(&mut stalled).await;
    assert_eq!(status, 503, "{head}");
    assert!(head.to_ascii_lowercase().contains("retry-after"), "{head}");
    assert_eq!(body["code"], "UNAVAILABLE");
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0);
}

#[tokio::test]
async fn json_bodies_have_a_size_limit() {
    let app = spawn_app_with(|_| {}).await;
    let big = json!({ "tracking_no": "2026112300001", "query_code": "1".repeat(100_000) });
    let (status, body) = app.post_json("/api/v1/track", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["code"], "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn one_address_may_upload_only_so_many_bytes_an_hour() {
    let app = spawn_app_with(|c| c.limits.upload_mb_per_address_per_hour = 1).await;
    let (status, body) = app.upload(large_png(700_000), "image/png").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app.upload(large_png(700_000), "image/png").await;
    assert_rate_limited(status, &body);
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 1);
}

#[tokio::test]
async fn the_server_takes_in_only_so_many_photo_bytes_a_second_from_everyone() {
    let app = spawn_app_with(|c| c.limits.upload_mb_per_second = 1).await;
    // A second's worth or one whole photo (5 MB) at once; then 1 MB a second, whoever sends.
    let mut stored = 0;
    let refusal = loop {
        let (status, body) = app.upload(large_png(2_000_000), "image/png").await;
        if status != StatusCode::CREATED {
            break (status, body);
        }
        stored += 1;
        assert!(stored <= 3, "far more than 5 MB and a second's worth taken in");
    };
    assert!(stored >= 2, "a whole photo's worth may come at once: {stored}");
    assert_eq!((refusal.0, refusal.1["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("UNAVAILABLE")));
    assert_eq!(app.count("SELECT count(*) FROM uploads"), stored);
}

#[tokio::test]
async fn photos_not_yet_part_of_a_case_are_bounded_in_total() {
    let app = spawn_app_with(|c| c.limits.pending_uploads_mb = 1).await;
    let (status, body) = app.upload(large_png(700_000), "image/png").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body["bytes"].as_u64().unwrap() > 700_000, "kept whole");
    let (status, body) = app.upload(large_png(700_000), "image/png").await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("UNAVAILABLE")));
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 1, "nothing more stored");
    // Attached to a case, the first no longer counts: room again.
    let id = body_id(&app).await;
    let request = ow_shared::dto::SubmitCaseRequest { photo_ids: vec![id], ..app.valid_request().await };
    app.submit(&request).await;
    assert_eq!(app.upload(large_png(700_000), "image/png").await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn past_the_bounds_an_upload_is_refused_on_its_headers_before_its_body_is_read() {
    use tokio::io::AsyncWriteExt;
    let app = spawn_app_with(|c| {
        c.limits.pending_uploads_mb = 1;
        c.limits.upload_mb_per_address_per_hour = 2;
    })
    .await;
    assert_eq!(app.upload(large_png(700_000), "image/png").await.0, StatusCode::CREATED);
    let address = app.url.trim_start_matches("http://").to_string();
    // Only the headers: a body that never comes must not be waited for.
    let headers_only = |length: u64| {
        let address = address.clone();
        async move {
            let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
            let head = format!(
                "POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: {length}\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            tokio::time::timeout(std::time::Duration::from_secs(10), raw_answer(&mut stream))
                .await
                .expect("answered without the body")
        }
    };
    let (status, head, body) = headers_only(700_000).await;
    assert_eq!((status, body["code"].as_str()), (503, Some("UNAVAILABLE")), "pending photos full: {head}");
    assert!(head.to_ascii_lowercase().contains("retry-after: 600"), "{head}");
    // The address's hourly bytes: 0.7 MB taken, 1.5 more would pass its 2 MB.
    let (status, _, body) = headers_only(1_500_000).await;
    assert_eq!((status, body["code"].as_str()), (429, Some("RATE_LIMITED")));
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 1, "nothing more stored");
}

async fn body_id(app: &crate::helpers::TestApp) -> String {
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.query_row("SELECT id FROM uploads WHERE case_id IS NULL", [], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn the_writer_queue_is_bounded_by_bytes_and_a_write_past_it_is_told_to_come_back() {
    let app = spawn_app_with(|c| c.limits.writer_queue_mb = 1).await;
    let response = app
        .client
        .post(format!("{}/api/v1/uploads", app.url))
        .header("content-type", "image/png")
        .body(large_png(1_500_000))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "UNAVAILABLE");
    assert_eq!(body["message"], ErrorCode::Unavailable.message(ow_shared::Lang::Zh, None, None));
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0, "nothing stored");
    // What fits in the queue is written.
    assert_eq!(app.upload(large_png(700_000), "image/png").await.0, StatusCode::CREATED);
}

/// Reads from a connection the server should close; true if it did within `within`.
async fn closed_by_server(stream: &mut tokio::net::TcpStream, within: std::time::Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buffer = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => continue, // an error answer before closing is fine too
        }
    }
}

#[tokio::test]
async fn a_connection_that_sends_its_headers_too_slowly_or_nothing_is_closed() {
    use tokio::io::AsyncWriteExt;
    let app = spawn_app_with(|c| c.limits.idle_seconds = 1).await;
    let address = app.url.trim_start_matches("http://").to_string();
    // Slowloris: a partial request line, then a byte now and then, never the whole head.
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    slow.write_all(b"GET /api/v1/hea").await.unwrap();
    let started = std::time::Instant::now();
    let dripping = async {
        for byte in b"lth HTTP/1.1\r\nHost: x\r\n" {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            if slow.write_all(&[*byte]).await.is_err() {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(3), dripping).await;
    assert!(closed_by_server(&mut slow, std::time::Duration::from_secs(5)).await, "the slow client is cut off");
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
    // A connection that sends nothing at all.
    let mut silent = tokio::net::TcpStream::connect(&address).await.unwrap();
    assert!(closed_by_server(&mut silent, std::time::Duration::from_secs(5)).await, "the silent one too");
    // Others are served meanwhile and after.
    assert_eq!(app.get("/api/v1/health").await.status(), StatusCode::OK);
}
