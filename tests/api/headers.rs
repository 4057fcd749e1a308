//! Every answer carries the security headers; the pages' CSP admits their own inline
//! scripts by hash and nothing else inline; personal data is never cached; session
//! cookies are `Secure` unless the server is told it runs on plain http.

use crate::helpers::spawn_app_with;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

const LOADER: &str = "import init from '/app-1.js'; init();";
const FALLBACK: &str = "\n  document.getElementById('ow-fallback').hidden = false;\n";

fn csp_hash(script: &str) -> String {
    use base64::Engine;
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes())))
}

/// A dist/ like the build's: the resident app and the console, each with inline scripts.
fn built_apps() -> tempfile::TempDir {
    let dist = tempfile::tempdir().unwrap();
    let page = |script: &str| {
        format!(
            "<!doctype html><head><script type=\"module\">{LOADER}</script>\
             <script src=\"/external.js\"></script></head><body><script>{script}</script></body>"
        )
    };
    std::fs::write(dist.path().join("index.html"), page(FALLBACK)).unwrap();
    std::fs::create_dir(dist.path().join("console")).unwrap();
    std::fs::write(dist.path().join("console/index.html"), page("console();")).unwrap();
    dist
}

#[tokio::test]
async fn pages_carry_a_csp_that_admits_only_their_own_inline_scripts() {
    let dist = built_apps();
    let dist_path = dist.path().to_path_buf();
    let app = spawn_app_with(move |c| c.dist = Some(dist_path)).await;

    let page = app.get("/track").await;
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
    for hash in [csp_hash(LOADER), csp_hash(FALLBACK), csp_hash("console();")] {
        assert!(script_src.contains(&hash), "{hash} missing from {script_src}");
    }
    assert!(script_src.contains("'wasm-unsafe-eval'"));
    assert!(!script_src.contains("unsafe-inline"), "{script_src}");
    for directive in ["default-src 'self'", "frame-ancestors 'self'", "base-uri 'none'", "form-action 'self'"] {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    assert!(page.headers()["permissions-policy"].to_str().unwrap().contains("geolocation=()"));
    assert!(page.headers().get("strict-transport-security").is_none(), "plain http: no HSTS");

    let console = app.get("/console/queue").await;
    let csp = console.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let policy = console.headers()["permissions-policy"].to_str().unwrap();
    assert!(policy.contains("geolocation=(self)") && policy.contains("camera=()"), "grid workers locate: {policy}");

    let grid = app.get("/grid").await;
    assert!(grid.headers()["permissions-policy"].to_str().unwrap().contains("geolocation=(self)"));
}

#[tokio::test]
async fn api_answers_are_never_cached_nor_sniffed() {
    let app = spawn_app_with(|_| {}).await;
    let receipt = app.submit(&app.valid_request().await).await;
    let response = app.track_request(&receipt.tracking_no, &receipt.query_code).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let qr = app.get(&format!("/api/v1/qr/track/{}.svg", receipt.tracking_no)).await;
    assert_eq!(qr.headers()["cache-control"], "no-store");
    let missing = app.get("/api/v1/no-such-thing").await;
    assert_eq!(missing.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn over_https_cookies_are_secure_and_hsts_is_sent() {
    let app = spawn_app_with(|c| c.public_url = Some("https://yichuang.example.gov.cn".into())).await;
    let response = app.post_sign_in("clerk", crate::helpers::DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));
    assert!(response.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
}

#[tokio::test]
async fn cookies_are_secure_unless_the_server_is_told_it_runs_on_plain_http() {
    let mut config = onewindow::config::Config::for_tests("unused.sqlite".into());
    config.demo = false;
    assert!(config.secure_cookies(), "no public URL, not a demo: Secure");
    config.public_url = Some("http://192.168.1.10:8080".into());
    assert!(!config.secure_cookies(), "an http:// public URL says plain http");
    config.public_url = None;
    config.plain_http = true;
    assert!(!config.secure_cookies(), "--plain-http");

    // The demo on http://127.0.0.1 signs in with a cookie the browser keeps over http.
    let demo = spawn_app_with(|_| {}).await;
    let response = demo.post_sign_in("clerk", crate::helpers::DEMO_PASSWORD).await;
    assert!(!response.headers()["set-cookie"].to_str().unwrap().contains("Secure"));
}
