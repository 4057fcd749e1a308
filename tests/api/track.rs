//! Tracking: the right code shows the case; a wrong one tells nothing; guessing is slowed.

use crate::helpers::spawn_app;
use reqwest::StatusCode;

#[tokio::test]
async fn the_right_code_shows_state_and_public_timeline() {
    let app = spawn_app().await;
    let receipt = app.submit(&app.valid_request().await).await;
    // Typed with spaces, as read off a receipt, and the code in full-width digits (Chinese IME).
    let spaced = format!("{} {}", &receipt.tracking_no[..8], &receipt.tracking_no[8..]);
    let full_width: String =
        receipt.query_code.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap()).collect();
    let (status, _, body) = app.track(&spaced, &full_width).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["tracking_no"], receipt.tracking_no.as_str());
    assert_eq!(body["state"], "registered");
    assert_eq!(body["title"], "村口路灯不亮");
    let events = body["events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    // Online requests go to the centre of their township (issue 12); a unit, never a person.
    let centre = format!("{}综治中心", receipt.township);
    assert_eq!((events[0]["kind"].as_str(), events[0]["unit"].as_str()), (Some("submitted"), Some(centre.as_str())));
    assert_eq!(body["deadlines"][0]["kind"], "acceptance_notice");
    let text = body.to_string();
    assert!(!text.contains("13812345678") && !text.contains("张三"), "no personal data: {text}");
}

#[tokio::test]
async fn a_wrong_code_and_an_unknown_number_look_the_same() {
    let app = spawn_app().await;
    let receipt = app.submit(&app.valid_request().await).await;
    let wrong_code = app.track(&receipt.tracking_no, "00000000").await;
    let unknown_number = app.track("2000010100001", "00000000").await;
    assert_eq!(wrong_code.0, StatusCode::NOT_FOUND);
    assert_eq!(wrong_code.0, unknown_number.0);
    assert_eq!(wrong_code.2, unknown_number.2);
    assert_eq!(wrong_code.2["code"], "TRACK_NOT_FOUND");
}

#[tokio::test]
async fn repeated_wrong_codes_are_slowed_down() {
    let app = spawn_app().await;
    let receipt = app.submit(&app.valid_request().await).await;
    for attempt in 1..=5 {
        let (status, _, _) = app.track(&receipt.tracking_no, &format!("{attempt:08}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "attempt {attempt}");
    }
    // Now even the right code waits: otherwise guessing could go on.
    let (status, retry_after, body) = app.track(&receipt.tracking_no, &receipt.query_code).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after.unwrap().parse::<u64>().unwrap() > 0);
    assert_eq!(body["code"], "TOO_MANY_ATTEMPTS");
    assert_eq!(body["message"], "尝试次数过多，请稍后再试");
    // Another case is not locked by this one's guesses.
    let other = app.submit(&app.valid_request().await).await;
    assert_eq!(app.track(&other.tracking_no, &other.query_code).await.0, StatusCode::OK);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_resident_has_their_own_count() {
    let app = crate::helpers::spawn_app_with(|c| c.trust_forwarded_for = true).await;
    let receipt = app.submit(&app.valid_request().await).await;
    let track_from = |address: &'static str, code: String| {
        let request =
            app.track_request(&receipt.tracking_no, &code).header("x-forwarded-for", format!("1.2.3.4, {address}"));
        async move { request.send().await.unwrap().status() }
    };
    for _ in 0..5 {
        assert_eq!(track_from("10.0.0.1", "00000000".into()).await, StatusCode::NOT_FOUND);
    }
    assert_eq!(track_from("10.0.0.1", receipt.query_code.clone()).await, StatusCode::TOO_MANY_REQUESTS);
    // The owner, elsewhere, is not locked out by someone else's guesses.
    assert_eq!(track_from("10.0.0.2", receipt.query_code.clone()).await, StatusCode::OK);
}

#[tokio::test]
async fn without_a_trusted_proxy_forwarded_headers_are_ignored() {
    let app = spawn_app().await;
    let receipt = app.submit(&app.valid_request().await).await;
    for n in 0..6 {
        let request = app.track_request(&receipt.tracking_no, "00000000");
        let status = request.header("x-forwarded-for", format!("10.9.9.{n}")).send().await.unwrap().status();
        let expected = if n < 5 { StatusCode::NOT_FOUND } else { StatusCode::TOO_MANY_REQUESTS };
        assert_eq!(status, expected, "attempt {n}: a forged header must not reset the count");
    }
}

#[tokio::test]
async fn malformed_numbers_are_refused_before_they_are_counted() {
    let app = spawn_app().await;
    let receipt = app.submit(&app.valid_request().await).await;
    for typed in ["2026", "x".repeat(2_000).as_str(), "2026112300001\u{0}", "20261123０００01x"] {
        let (status, _, body) = app.track(typed, "00000000").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["fields"][0]["field"], "tracking_no");
    }
    // Far more malformed tries than the 30 an address may get wrong: none counted.
    for n in 0..40 {
        app.track(&format!("bad-{n}"), "00000000").await;
    }
    assert_eq!(app.track(&receipt.tracking_no, &receipt.query_code).await.0, StatusCode::OK);
}

#[tokio::test]
async fn numbers_do_not_run_out_nor_follow_each_other_and_earlier_numbers_still_work() {
    let app = spawn_app().await;
    let request = app.valid_request().await;
    let first = app.submit(&request).await;
    let second = app.submit(&request).await;
    for receipt in [&first, &second] {
        assert_eq!(receipt.tracking_no.len(), 13, "{}", receipt.tracking_no);
        assert!(receipt.tracking_no.bytes().all(|b| b.is_ascii_digit()));
        assert!(!receipt.tracking_no.starts_with("20"), "never an earlier number: {}", receipt.tracking_no);
        assert_eq!(receipt.query_code.len(), 8, "{}", receipt.query_code);
    }
    assert_eq!(first.tracking_no[..6], second.tracking_no[..6], "the day comes first");
    let sequence = |no: &str| no[6..].parse::<u64>().unwrap();
    assert_ne!(sequence(&second.tracking_no), sequence(&first.tracking_no) + 1, "not the next number");
    let read_out = format!("{}-{}", &first.tracking_no[..6], &first.tracking_no[6..]);
    assert_eq!(app.track(&read_out, &first.query_code).await.0, StatusCode::OK, "read out in two groups");

    // A case filed before the change, numbered by day and sequence.
    use sha2::Digest;
    let old_hash = format!("{:x}", sha2::Sha256::digest(b"2026112300001:12345678"));
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    let sql = "UPDATE cases SET tracking_no = '2026112300001', query_code_hash = ?1 WHERE tracking_no = ?2";
    conn.execute(sql, [old_hash.as_str(), second.tracking_no.as_str()]).unwrap();
    let (status, _, body) = app.track("20261123 00001", "1234 5678").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
