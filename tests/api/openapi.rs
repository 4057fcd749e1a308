//! The OpenAPI document is served and describes every route.

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_openapi_document_lists_the_api() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/cases",
        "/api/v1/track",
        "/api/v1/uploads",
        "/api/v1/regions",
        "/api/v1/qr/track/{file}",
        "/api/v1/track/act",
        "/api/v1/console/cases",
        "/api/v1/console/cases/{id}/actions",
        "/api/v1/console/units",
        "/api/v1/console/cases/{id}/hand-over-targets",
        "/api/v1/console/grid-reports",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    for schema in [
        "SubmitCaseRequest",
        "Receipt",
        "TrackResponse",
        "ApiError",
        "ErrorCode",
        "Action",
        "CaseDetail",
        "QueuePage",
        "Unit",
        "HandOverTargets",
        "GridReportRequest",
    ] {
        assert!(doc["components"]["schemas"].get(schema).is_some(), "{schema} missing");
    }
}

#[tokio::test]
async fn every_limit_answer_is_documented() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let statuses = |path: &str, method: &str| -> Vec<String> {
        let responses =
            doc["paths"][path][method]["responses"].as_object().unwrap_or_else(|| panic!("{method} {path}"));
        responses.keys().cloned().collect()
    };
    for path in [
        "/api/v1/cases",
        "/api/v1/uploads",
        "/api/v1/track",
        "/api/v1/track/act",
        "/api/v1/bookings",
        "/api/v1/bookings/lookup",
        "/api/v1/bookings/cancel",
        "/api/v1/bookings/reschedule",
        "/api/v1/console/session",
    ] {
        let documented = statuses(path, "post");
        for status in ["413", "429", "503"] {
            assert!(documented.iter().any(|s| s == status), "POST {path} lacks {status}: {documented:?}");
        }
    }
    assert!(statuses("/api/v1/track", "post").iter().any(|s| s == "422"), "a malformed number");
    assert!(statuses("/api/v1/regions", "get").iter().any(|s| s == "503"), "timeouts");
    assert!(!statuses("/api/v1/regions", "get").iter().any(|s| s == "429"), "reads are not rate limited");
}
