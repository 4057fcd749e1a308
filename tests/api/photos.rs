//! Photos: checked by content, at most 5 MB, attached to one case only.

use crate::helpers::{png_bytes, spawn_app};
use ow_shared::dto::SubmitCaseRequest;
use reqwest::StatusCode;

#[tokio::test]
async fn a_real_png_is_accepted_and_attached_to_the_case() {
    let app = spawn_app().await;
    // Declared as JPEG on purpose: the content decides, not the label.
    let (status, photo) = app.upload(png_bytes(), "image/jpeg").await;
    assert_eq!(status, StatusCode::CREATED, "{photo}");
    assert_eq!(
        (photo["kind"].as_str(), photo["width"].as_u64(), photo["height"].as_u64()),
        (Some("png"), Some(2), Some(3))
    );
    let id = photo["id"].as_str().unwrap().to_string();
    let request = SubmitCaseRequest { photo_ids: vec![id.clone()], ..app.valid_request().await };
    let receipt = app.submit(&request).await;
    assert_eq!(receipt.photo_count, 1);
    assert_eq!(app.count("SELECT count(*) FROM uploads WHERE case_id IS NOT NULL"), 1);

    // The same photo cannot be attached to a second case.
    let (_, error) = app.submit_error(&SubmitCaseRequest { title: "另一件事情".into(), ..request }).await;
    assert_eq!(error.fields[0].field, "photo_ids");
    assert_eq!(app.count("SELECT count(*) FROM cases"), 1, "the refused case was not half-stored");
}

#[tokio::test]
async fn a_forged_photo_is_refused() {
    let app = spawn_app().await;
    let (status, error) = app.upload(b"<script>alert(1)</script> pretending to be a jpeg".to_vec(), "image/jpeg").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(error["code"], "PHOTO_TYPE_UNSUPPORTED");
    // Right magic bytes, nothing behind them.
    let (status, _) = app.upload(vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0], "image/jpeg").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // A GIF is a real image, but not one we take.
    let (status, _) = app.upload(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(), "image/gif").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0);
}

#[tokio::test]
async fn an_oversized_photo_is_refused() {
    let app = spawn_app().await;
    let mut big = png_bytes();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let (status, error) = app.upload(big, "image/png").await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error["code"], "PHOTO_TOO_LARGE");
    assert_eq!(error["message"], "照片不能超过 5 MB");
    // Exactly 5 MB of a real PNG (with trailing bytes) is still fine.
    let mut max = png_bytes();
    max.resize(5 * 1024 * 1024, 0);
    assert_eq!(app.upload(max, "image/png").await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn an_oversized_photo_without_a_declared_length_is_refused_while_streaming() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let mut stream = tokio::net::TcpStream::connect(app.url.trim_start_matches("http://")).await.unwrap();
    let head =
        "POST /api/v1/uploads HTTP/1.1\r\nHost: test\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![0u8; 1024 * 1024];
    for _ in 0..6 {
        // The server may answer and stop reading before all 6 MB are sent.
        if stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await.is_err()
            || stream.write_all(&chunk).await.is_err()
            || stream.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = vec![0u8; 512];
    let n = stream.read(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0);
}
