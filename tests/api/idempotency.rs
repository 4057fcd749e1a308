//! A retry never creates a second case.

use crate::helpers::{new_key, spawn_app};
use ow_shared::dto::{Receipt, SubmitCaseRequest};
use ow_shared::{ApiError, ErrorCode};
use reqwest::StatusCode;

#[tokio::test]
async fn the_same_key_and_body_return_the_same_receipt() {
    let app = spawn_app().await;
    let request = app.valid_request().await;
    let key = new_key();
    let (first_status, first_replayed, first) = app.submit_raw(Some(&key), &request).await;
    let (again_status, again_replayed, again) = app.submit_raw(Some(&key), &request).await;
    assert_eq!((first_status, again_status), (StatusCode::CREATED, StatusCode::CREATED));
    assert!(!first_replayed && again_replayed);
    let (first, again): (Receipt, Receipt) =
        (serde_json::from_str(&first).unwrap(), serde_json::from_str(&again).unwrap());
    assert_eq!(first, again, "same number and the same query code");
    assert_eq!(app.count("SELECT count(*) FROM cases"), 1);
}

#[tokio::test]
async fn the_same_key_with_a_different_body_is_refused() {
    let app = spawn_app().await;
    let request = app.valid_request().await;
    let key = new_key();
    let (_, _, first) = app.submit_raw(Some(&key), &request).await;
    let first: Receipt = serde_json::from_str(&first).unwrap();
    // E.g. the answer was lost, the page reloaded without the ID number, and the title edited.
    let changed = SubmitCaseRequest { title: "另一件事情".into(), ..request };
    let (status, _, body) = app.submit_raw(Some(&key), &changed).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let error: ApiError = serde_json::from_str(&body).unwrap();
    assert_eq!(error.code, ErrorCode::IdempotencyKeyReused);
    assert_eq!(error.receipt.as_deref(), Some(&first), "the device gets its original receipt and code back");
    assert_eq!(app.count("SELECT count(*) FROM cases"), 1);
}

#[tokio::test]
async fn a_submission_without_a_key_is_refused() {
    let app = spawn_app().await;
    let (status, _, body) = app.submit_raw(None, &app.valid_request().await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(serde_json::from_str::<ApiError>(&body).unwrap().code, ErrorCode::IdempotencyKeyMissing);
    // Guessable keys would replay someone else's receipt (with its query code).
    for weak in ["short", "12345678", "aaaaaaaaaaaaaaaaaaaaa", "0123456789abcdef 0123456789"] {
        let (status, _, _) = app.submit_raw(Some(weak), &app.valid_request().await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{weak}");
    }
    assert_eq!(app.count("SELECT count(*) FROM cases"), 0);
}

#[tokio::test]
async fn many_simultaneous_retries_make_one_case() {
    let app = spawn_app().await;
    let request = app.valid_request().await;
    let key = new_key();
    let sends = (0..20).map(|_| app.submit_raw(Some(&key), &request));
    let answers = futures::future::join_all(sends).await;
    let numbers: std::collections::HashSet<String> = answers
        .into_iter()
        .map(|(status, _, body)| {
            assert_eq!(status, StatusCode::CREATED, "{body}");
            serde_json::from_str::<Receipt>(&body).unwrap().tracking_no
        })
        .collect();
    assert_eq!(numbers.len(), 1);
    assert_eq!(app.count("SELECT count(*) FROM cases"), 1);
}
