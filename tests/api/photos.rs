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

/// A 3×2 JPEG as a phone writes it: JFIF, EXIF with a GPS position, XMP, a comment, the
/// image, and a second picture after its end (as multi-picture files carry).
fn phone_jpeg() -> Vec<u8> {
    let segment = |marker: u8, contents: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((contents.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(contents);
        s
    };
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0: one entry, the GPS IFD at offset 26; the GPS IFD: latitude 26°34'N.
    exif.extend_from_slice(&[0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]);
    exif.extend_from_slice(&[0, 1, 0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 44, 0, 0, 0, 0]);
    for (n, d) in [(26u32, 1u32), (34, 1), (0, 1)] {
        exif.extend_from_slice(&n.to_be_bytes());
        exif.extend_from_slice(&d.to_be_bytes());
    }
    let mut jpeg = vec![0xFF, 0xD8];
    jpeg.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    jpeg.extend(segment(0xE1, &exif));
    jpeg.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPSLongitude=106.7</x:xmpmeta>"));
    jpeg.extend(segment(0xFE, b"shot on Phone X by Zhang San"));
    jpeg.extend(segment(0xDB, &[[0u8].as_slice(), &[1u8; 64]].concat()));
    jpeg.extend(segment(0xC0, &[8, 0, 2, 0, 3, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]));
    jpeg.extend(segment(0xDA, &[3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0]));
    jpeg.extend_from_slice(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]);
    jpeg.extend_from_slice(b"\xFF\xD8\xFF\xE1\x00\x10Exif\0\0trailing");
    jpeg
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_photo_is_stored_without_its_gps_position_device_or_comments() {
    let app = spawn_app().await;
    let original = phone_jpeg();
    assert!(contains(&original, b"Exif") && contains(&original, b"GPSLongitude"));
    let (status, photo) = app.upload(original.clone(), "image/jpeg").await;
    assert_eq!(status, StatusCode::CREATED, "{photo}");
    assert_eq!((photo["width"].as_u64(), photo["height"].as_u64()), (Some(3), Some(2)));
    let id = photo["id"].as_str().unwrap().to_string();
    app.submit(&SubmitCaseRequest { photo_ids: vec![id.clone()], ..app.valid_request().await }).await;

    let clerk = app.sign_in("clerk").await;
    let (status, stored) = app.console_download(&clerk, &format!("/api/v1/console/photos/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    for metadata in [b"Exif".as_slice(), b"GPSLongitude", b"Phone X", b"trailing", &[0x88, 0x25]] {
        assert!(!contains(&stored, metadata), "{:?} kept", String::from_utf8_lossy(metadata));
    }
    assert_eq!(photo["bytes"].as_u64(), Some(stored.len() as u64));
    assert!(stored.starts_with(&[0xFF, 0xD8]) && stored.ends_with(&[0xFF, 0xD9]), "still a whole JPEG");
    assert!(contains(&stored, b"JFIF") && contains(&stored, &[0x12, 0x34, 0xFF, 0x00, 0x56]), "the image kept");
    let original_scan = original.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    let stored_scan = stored.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    assert_eq!(original[original_scan..original_scan + 19], stored[stored_scan..stored_scan + 19], "same frame");
}

#[tokio::test]
async fn photos_of_an_accusation_never_reach_the_department() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let (_, photo) = app.upload(png_bytes(), "image/png").await;
    let id = photo["id"].as_str().unwrap().to_string();
    let request = SubmitCaseRequest {
        case_type: Some(ow_shared::CaseType::Accusation),
        photo_ids: vec![id.clone()],
        ..app.valid_request().await
    };
    let receipt = app.submit(&request).await;
    let case_id = app.case_id(&desk.clerk, &receipt.tracking_no).await;
    let zongzhi = app.department_id(&desk.clerk, "zongzhi").await;
    app.act_ok(&desk.clerk, case_id, serde_json::json!({ "action": "accept", "note": "" })).await;
    app.act_ok(&desk.clerk, case_id, crate::workflow::dispatch(zongzhi)).await;

    let path = format!("/api/v1/console/photos/{id}");
    assert_eq!(app.console_download(&desk.clerk, &path).await.0, StatusCode::OK, "the centre sees it");
    let (_, seen) = app.case_detail(&desk.zongzhi, case_id).await;
    assert_eq!(seen["photo_ids"], serde_json::json!([]), "not listed for the department");
    assert_eq!(app.console_download(&desk.zongzhi, &path).await.0, StatusCode::NOT_FOUND);
}
