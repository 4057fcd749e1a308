//! Bad input never gives a 5xx: control characters, NUL, lone surrogates, 10 MB strings,
//! deep JSON and wrong types, in every field of every route a resident (or a signed-in
//! clerk) can post to, answer a 4xx `{code, message}` in zh-CN, and store nothing.

use crate::helpers::{TestApp, new_key, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// What is thrown into each field, as JSON text: serde would never write some of them.
const NASTY: [&str; 8] = [
    r#""a\u0000b""#,
    r#""\u001b[31m红色""#,
    r#""\ud800""#,
    r#""\udfff\ud800x""#,
    "1e400",
    "-9223372036854775809",
    "[[[\"x\"]]]",
    r#"{"$ne": null}"#,
];

/// Every table the routes below could write to.
fn stored(app: &TestApp) -> i64 {
    ["cases", "case_events", "uploads", "bookings", "staff_sessions", "idempotency_keys"]
        .iter()
        .map(|t| app.count(&format!("SELECT count(*) FROM {t}")))
        .sum()
}

/// Each field of `template` replaced by each nasty value; plus the whole body as a
/// 10 MB string and as JSON nested 100,000 deep.
fn variants(template: &Value) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![
        ("10 MB string".to_string(), format!("{{\"x\": \"{}\"}}", "长".repeat(3_500_000)).into_bytes()),
        ("deep".to_string(), format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes()),
        ("not JSON".to_string(), b"\x00\xff\xfe".to_vec()),
    ];
    for key in template.as_object().unwrap().keys() {
        for nasty in NASTY {
            let mut body = template.clone();
            body[key] = json!("__NASTY__");
            let text = body.to_string().replace("\"__NASTY__\"", nasty);
            out.push((format!("{key} = {nasty}"), text.into_bytes()));
        }
        let mut body = template.clone();
        body[key] = json!("长".repeat(3_500_000));
        out.push((format!("{key} = 10 MB"), body.to_string().into_bytes()));
    }
    out
}

async fn assert_refused(app: &TestApp, path: &str, headers: &[(&str, &str)], template: &Value) {
    for (what, body) in variants(template) {
        let (status, answer) = app.post_raw(path, headers, body).await;
        assert!(status.is_client_error(), "{path} with {what}: {status} {answer}");
        assert!(answer["code"].is_string(), "{path} with {what}: {answer}");
        assert!(!answer["message"].as_str().unwrap_or_default().is_empty(), "{path} with {what}: {answer}");
    }
}

#[tokio::test]
async fn no_field_of_any_public_route_gives_a_5xx_or_stores_anything() {
    let app = spawn_app().await;
    let before = stored(&app);
    // A dispute: every field of the form is read (others drop the dispute-only ones).
    let mut case = serde_json::to_value(app.valid_request().await).unwrap();
    case["case_type"] = json!("dispute");
    case["other_party_name"] = json!("李四");
    case["mediation"] = json!("willing");
    case["id_number"] = json!("11010519491231002X");
    let key = new_key();
    assert_refused(&app, "/api/v1/cases", &[("idempotency-key", &key)], &case).await;
    let track = json!({ "tracking_no": "2026112300001", "query_code": "123456" });
    assert_refused(&app, "/api/v1/track", &[], &track).await;
    let act =
        json!({ "tracking_no": "2026112300001", "query_code": "123456", "rating": "satisfied", "review_reason": "x" });
    assert_refused(&app, "/api/v1/track/act", &[], &act).await;
    let place = app.booking_centre().await;
    let slot = app.bookable_slots(place.id).await.remove(0);
    let book = serde_json::to_value(crate::booking::request(place.id, &slot, "13900000001")).unwrap();
    let key = new_key();
    assert_refused(&app, "/api/v1/bookings", &[("idempotency-key", &key)], &book).await;
    let code = json!({ "code": "ABCD2345", "mobile": "13900000001" });
    assert_refused(&app, "/api/v1/bookings/lookup", &[], &code).await;
    assert_refused(&app, "/api/v1/bookings/cancel", &[], &code).await;
    let moved = json!({ "code": "ABCD2345", "mobile": "13900000001", "date": slot.0, "start": slot.1 });
    assert_refused(&app, "/api/v1/bookings/reschedule", &[], &moved).await;
    let sign_in = json!({ "username": "nobody_here", "password": "not the password" });
    assert_refused(&app, "/api/v1/console/session", &[], &sign_in).await;
    assert_eq!(stored(&app), before, "nothing stored");
    // Each refused body was one field away from these, which are taken.
    let (status, _) = app.post_raw("/api/v1/cases", &[("idempotency-key", &new_key())], case.to_string().into()).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) =
        app.post_raw("/api/v1/bookings", &[("idempotency-key", &new_key())], book.to_string().into()).await;
    assert_eq!(status, StatusCode::CREATED);

    for path in [
        "/api/v1/grids/search?q=%00%00%00",
        "/api/v1/grids/search?q=a%00b%00c%00d",
        "/api/v1/grids/search?q=%ED%A0%80%ED%A0%80%ED%A0%80",
        "/api/v1/grids?village_id=%00",
        "/api/v1/grids?village_id=1e400",
        "/api/v1/grids/locate?lon=%00&lat=1",
        "/api/v1/grids/locate?lon=1e400&lat=-1e400",
        "/api/v1/grids/%00",
        "/api/v1/grids/99999999999999999999",
        "/api/v1/qr/track/%00.svg",
        "/api/v1/qr/booking/%00.svg",
        "/api/v1/booking/places/%00/days",
        "/api/v1/booking/places/1/slots?date=%00",
        "/api/v1/booking/places/1/slots?date=2026-13-45",
    ] {
        let (status, body) = app.get_json(path).await;
        assert!(status.is_client_error() || status.is_success(), "{path}: {status} {body}");
        if status.is_client_error() {
            assert!(body["code"].is_string(), "{path}: {body}");
        }
    }
}

#[tokio::test]
async fn a_signed_in_clerk_cannot_break_the_console_with_bad_input_either() {
    let app = spawn_app().await;
    let clerk = app.sign_in("clerk").await;
    for q in ["%00%00%00", "a%00b%00c", "%22%00*%20OR%20", "NEAR(%00", &"长".repeat(2000)] {
        let (status, body) = app.console_get(&clerk, &format!("/api/v1/console/cases?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "q={q}: {body}");
    }
    for path in ["/api/v1/console/cases/%00", "/api/v1/console/cases?page=1e400", "/api/v1/console/photos/%00"] {
        let (status, body) = app.console_get(&clerk, path).await;
        assert!(status.is_client_error(), "{path}: {status} {body}");
    }
    let before = stored(&app);
    let case = serde_json::to_value(app.valid_request().await).unwrap();
    let walk_in =
        json!({ "case": case, "channel": "visit", "group_size": 1, "representatives": [], "linked_case_id": null });
    let key = new_key();
    let headers = [
        ("cookie", clerk.cookie.as_str()),
        ("x-csrf-token", clerk.info.csrf_token.as_str()),
        ("idempotency-key", &key),
    ];
    assert_refused(&app, "/api/v1/console/cases", &headers, &walk_in).await;
    assert_eq!(stored(&app), before, "nothing stored");
}
