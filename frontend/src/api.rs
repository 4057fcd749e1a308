//! The only module that speaks HTTP. JSON calls go through fetch (gloo-net); photo
//! uploads use XMLHttpRequest because fetch cannot report upload progress.
//!
//! Every failure is an `ApiError`: the server's own, or one made here (`Network`,
//! `Internal`) so pages handle a single error type and render it from its code.

use gloo_net::http::{Request, Response};
use js_sys::Promise;
use ow_shared::dto::{Receipt, RegionsResponse, SubmitCaseRequest, TrackRequest, TrackResponse, UploadResponse};
use ow_shared::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, ProgressEvent, XmlHttpRequest};

fn network() -> ApiError {
    ApiError::new(ErrorCode::Network)
}

/// The places a case can be about.
pub async fn regions() -> Result<RegionsResponse, ApiError> {
    read(Request::get("/api/v1/regions").send().await).await
}

/// Submits a case. Retries must reuse `key` so the server never makes two cases.
pub async fn submit_case(req: &SubmitCaseRequest, key: &str) -> Result<Receipt, ApiError> {
    let request = Request::post("/api/v1/cases")
        .header("Idempotency-Key", key)
        .json(req)
        .map_err(|_| ApiError::new(ErrorCode::BadRequest))?;
    read(request.send().await).await
}

/// Looks a case up by tracking number and query code.
pub async fn track(req: &TrackRequest) -> Result<TrackResponse, ApiError> {
    let request = Request::post("/api/v1/track").json(req).map_err(|_| ApiError::new(ErrorCode::BadRequest))?;
    read(request.send().await).await
}

/// Uploads one photo as the raw body, calling `on_progress(fraction)` as bytes go out.
pub async fn upload_photo(file: File, on_progress: impl Fn(f64) + 'static) -> Result<UploadResponse, ApiError> {
    let xhr = XmlHttpRequest::new().map_err(|_| network())?;
    xhr.open_with_async("POST", "/api/v1/uploads", true).map_err(|_| network())?;
    let kind = file.type_();
    if !kind.is_empty() {
        let _ = xhr.set_request_header("Content-Type", &kind);
    }
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            on_progress(e.loaded() / e.total());
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    // loadend fires after success, error, abort and timeout alike.
    let done = Promise::new(&mut |resolve, _| xhr.set_onloadend(Some(&resolve)));
    xhr.send_with_opt_blob(Some(&file)).map_err(|_| network())?;
    let _ = JsFuture::from(done).await;
    drop(progress);
    let status = xhr.status().unwrap_or(0);
    if status == 0 {
        return Err(network());
    }
    parse(status, &xhr.response_text().ok().flatten().unwrap_or_default())
}

async fn read<T: DeserializeOwned>(sent: Result<Response, gloo_net::Error>) -> Result<T, ApiError> {
    let response = sent.map_err(|_| network())?;
    let body = response.text().await.map_err(|_| network())?;
    parse(response.status(), &body)
}

/// Turns a status and body into the answer or the error, even when a proxy answered.
fn parse<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|_| ApiError::new(ErrorCode::Internal));
    }
    Err(serde_json::from_str::<ApiError>(body).unwrap_or_else(|_| ApiError::new(code_for(status))))
}

fn code_for(status: u16) -> ErrorCode {
    match status {
        404 => ErrorCode::NotFound,
        413 => ErrorCode::PhotoTooLarge,
        415 => ErrorCode::PhotoTypeUnsupported,
        429 => ErrorCode::TooManyAttempts,
        400..=499 => ErrorCode::BadRequest,
        _ => ErrorCode::Internal,
    }
}
