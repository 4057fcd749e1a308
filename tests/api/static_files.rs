//! The built app is served precompressed, cached right, with deep links falling back
//! to index.html, while unknown API paths stay JSON errors.

use crate::helpers::spawn_app_with;
use reqwest::StatusCode;

#[tokio::test]
async fn the_app_is_served_precompressed_with_the_right_cache_rules() {
    let dist = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dist.path().join(name), bytes).unwrap();
    write("index.html", b"<!doctype html><title>plain</title>");
    write("index.html.br", b"brotli-bytes-of-index");
    write("app-3f9a.wasm", b"\0asm\x01\0\0\0");
    write("app-3f9a.wasm.br", b"brotli-bytes-of-wasm");
    let dist_path = dist.path().to_path_buf();
    let app = spawn_app_with(move |c| c.dist = Some(dist_path)).await;
    let get = |path: &str, encoding: &str| {
        app.client.get(format!("{}{path}", app.url)).header("accept-encoding", encoding).send()
    };

    // A deep link from a QR code gets the page, brotli-compressed, never cached stale.
    let page = get("/track?no=2026112300001", "br, gzip").await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["content-encoding"], "br");
    assert_eq!(page.headers()["cache-control"], "no-cache");
    assert_eq!(page.bytes().await.unwrap().as_ref(), b"brotli-bytes-of-index");

    let wasm = get("/app-3f9a.wasm", "identity").await.unwrap();
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert!(wasm.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    let wasm_br = get("/app-3f9a.wasm", "br").await.unwrap();
    assert_eq!(wasm_br.bytes().await.unwrap().as_ref(), b"brotli-bytes-of-wasm");

    let api = get("/api/v1/no-such-thing", "br").await.unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.json::<serde_json::Value>().await.unwrap()["code"], "NOT_FOUND");
}

#[tokio::test]
async fn the_receipt_qr_code_is_an_svg_of_the_tracking_link() {
    let app = spawn_app_with(|_| {}).await;
    let response = app.get("/api/v1/qr/track/2026112300001.svg").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert!(response.text().await.unwrap().contains("<svg"));
    let bad = app.get("/api/v1/qr/track/evil.svg").await;
    assert_eq!(bad.status(), StatusCode::NOT_FOUND);
}
