//! The security headers every response carries, set by one layer (`layer`).
//!
//! The Content-Security-Policy allows scripts from the site itself, WebAssembly, and the
//! inline scripts of the built pages by their SHA-256 (Trunk's loader and the fallback
//! script). Those pages are rewritten by the build's hook after Trunk, so the hashes are
//! read from `dist` when the server starts rather than written down here.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

/// The header values, computed once at start.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    /// The CSP of the resident apps (framed by nothing but themselves).
    resident_csp: HeaderValue,
    /// The CSP of the staff console (framed by nothing).
    console_csp: HeaderValue,
    /// Sent when the site is served over https.
    hsts: Option<HeaderValue>,
}

/// The CSP of API answers: JSON and images, which must never run or be framed.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

impl SecurityHeaders {
    /// The headers for the app built into `dist` (if any), served over https or not.
    pub fn new(dist: Option<&Path>, https: bool) -> SecurityHeaders {
        let hashes = dist.map(inline_script_hashes).unwrap_or_default();
        let csp = |frame_ancestors: &str| {
            let scripts: String = hashes.iter().map(|h| format!(" 'sha256-{h}'")).collect();
            let policy = format!(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
                 style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
                 font-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
                 frame-ancestors {frame_ancestors}; base-uri 'none'; form-action 'self'"
            );
            HeaderValue::from_str(&policy).expect("base64 hashes and ASCII make a valid header")
        };
        SecurityHeaders {
            resident_csp: csp("'self'"),
            console_csp: csp("'none'"),
            hsts: https.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
        }
    }

    fn apply(&self, path: &str, headers: &mut HeaderMap) {
        let api = path.starts_with("/api/");
        let console = path == "/console" || path.starts_with("/console/");
        let grid = path == "/grid" || path.starts_with("/grid/");
        let csp = if api {
            HeaderValue::from_static(API_CSP)
        } else if console {
            self.console_csp.clone()
        } else {
            self.resident_csp.clone()
        };
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        // Tracking links carry numbers: never send them to another site.
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        headers.insert(
            "permissions-policy",
            // The grid lookup and the console (grid workers report where they stand, issue
            // 12; the console is one document, so the whole of it) may ask for the position.
            HeaderValue::from_static(if grid || console {
                "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"
            } else {
                "geolocation=(), camera=(), microphone=(), payment=(), usb=()"
            }),
        );
        if console {
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        }
        if let Some(hsts) = &self.hsts {
            headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
        }
        // API answers carry cases, codes and sessions: a shared counter PC must keep none
        // of them. Routes with public, cacheable answers say so themselves.
        if api && !headers.contains_key(header::CACHE_CONTROL) {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
}

/// The layer's function: see `crate::app`.
pub async fn layer(State(headers): State<Arc<SecurityHeaders>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    if path.starts_with("/api/") {
        // A timeout or a body limit answers bare; the API answers `{code, message}`.
        response = crate::error::bare_to_json(response);
    }
    headers.apply(&path, response.headers_mut());
    response
}

/// The base64 SHA-256 of every inline `<script>` of every page under `dist`.
fn inline_script_hashes(dist: &Path) -> BTreeSet<String> {
    let mut hashes = BTreeSet::new();
    let mut dirs = vec![dist.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "html")
                && let Ok(page) = std::fs::read_to_string(&path)
            {
                hashes.extend(inline_scripts(&page).map(|script| hash_text(&Sha256::digest(script.as_bytes()))));
            }
        }
    }
    hashes
}

/// The text of each `<script>` without a `src`, exactly as the browser hashes it.
fn inline_scripts(page: &str) -> impl Iterator<Item = &str> {
    let mut rest = page;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find("<script")?;
            let open_end = start + rest[start..].find('>')?;
            let tag = &rest[start..open_end];
            let body_start = open_end + 1;
            let body_end = body_start + rest[body_start..].find("</script")?;
            let body = &rest[body_start..body_end];
            rest = &rest[body_end..];
            if !tag.contains(" src=") && !tag.contains("\tsrc=") && !tag.contains("\nsrc=") {
                return Some(body);
            }
        }
    })
}

/// Standard base64 with padding, as CSP hashes are written.
fn hash_text(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let page = "<head><script src=\"/a.js\"></script><script type=\"module\">import x;</script>\
                    <noscript><style>p{}</style></noscript><script>\n  go();\n</script></head>";
        assert_eq!(inline_scripts(page).collect::<Vec<_>>(), vec!["import x;", "\n  go();\n"]);
    }

    #[test]
    fn hashes_are_written_as_csp_expects() {
        // The CSP specification's own example: alert('Hello, world.');
        let hash = hash_text(&Sha256::digest(b"alert('Hello, world.');"));
        assert_eq!(hash, "qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=");
    }
}
