//! The only module that speaks HTTP. JSON calls go through fetch (web-sys directly:
//! gloo-net cost bundle bytes for little here); photo
//! uploads use XMLHttpRequest because fetch cannot report upload progress.
//!
//! Every failure is an `ApiError`: the server's own, or one made here (`Network`,
//! `Internal`) so pages handle a single error type and render it from its code.

use js_sys::Promise;
use ow_shared::dto::{
    Receipt, RegionsResponse, SubmitCaseRequest, TrackActRequest, TrackRequest, TrackResponse, UploadResponse,
};
use ow_shared::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, Headers, ProgressEvent, RequestInit, Response, XmlHttpRequest};

fn network() -> ApiError {
    ApiError::bare(ErrorCode::Network)
}

/// The places a case can be about.
pub async fn regions() -> Result<RegionsResponse, ApiError> {
    let (status, body) = call("/api/v1/regions", None, None).await?;
    parse(status, &body)
}

/// Submits a case. Retries must reuse `key` so the server never makes two cases.
pub async fn submit_case(req: &SubmitCaseRequest, key: &str) -> Result<Receipt, ApiError> {
    let (status, body) = call("/api/v1/cases", Some(to_json(req)?), Some(key)).await?;
    parse(status, &body)
}

/// Looks a case up by tracking number and query code.
pub async fn track(req: &TrackRequest) -> Result<TrackResponse, ApiError> {
    let (status, body) = call("/api/v1/track", Some(to_json(req)?), None).await?;
    parse(status, &body)
}

/// The resident rates the reply or asks for a review; answers the updated case.
pub async fn track_act(req: &TrackActRequest) -> Result<TrackResponse, ApiError> {
    let (status, body) = call("/api/v1/track/act", Some(to_json(req)?), None).await?;
    parse(status, &body)
}

fn to_json(value: &impl serde::Serialize) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|_| ApiError::bare(ErrorCode::BadRequest))
}

/// GET `url`, or POST `body` as JSON; the status and body text of the answer.
/// Deliberately not generic: one copy of the request code serves every call.
async fn call(url: &str, body: Option<String>, key: Option<&str>) -> Result<(u16, String), ApiError> {
    let init = RequestInit::new();
    let headers = Headers::new().map_err(|_| network())?;
    if let Some(json) = body {
        init.set_method("POST");
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(&json));
    }
    if let Some(key) = key {
        let _ = headers.set("Idempotency-Key", key);
    }
    init.set_headers(&headers);
    let answer = JsFuture::from(web_sys::window().ok_or_else(network)?.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| network())?;
    let response: Response = answer.unchecked_into();
    let text = JsFuture::from(response.text().map_err(|_| network())?).await.map_err(|_| network())?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
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

/// Turns a status and body into the answer or the error, even when a proxy answered.
fn parse<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|_| ApiError::bare(ErrorCode::Internal));
    }
    Err(serde_json::from_str::<WireError>(body)
        .map(WireError::into_api_error)
        .unwrap_or_else(|_| ApiError::bare(code_for(status))))
}

/// The parts of an error answer this app reads. Not `ApiError` itself: its other
/// fields (e.g. the booking app's `alternatives`) would add their decoders to every
/// resident's download; serde skips what is not named here.
#[derive(serde::Deserialize)]
struct WireError {
    code: ErrorCode,
    #[serde(default)]
    fields: Vec<ow_shared::FieldError>,
    #[serde(default)]
    receipt: Option<Box<Receipt>>,
}

impl WireError {
    fn into_api_error(self) -> ApiError {
        ApiError { fields: self.fields, receipt: self.receipt, ..ApiError::bare(self.code) }
    }
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
