//! The only module that speaks HTTP, for all four apps: JSON and raw files over fetch,
//! and photo uploads over XMLHttpRequest (fetch cannot report upload progress). Each
//! app's `api.rs` holds only its endpoints.
//!
//! Every request has a time limit (`gloo-timers`; a slow network answers `TIMEOUT`, with
//! a zh-CN message from `shared`) and is aborted (`AbortController`) when the page that
//! made it goes away: the reactive owner of the call is cleaned up when its page is
//! unmounted. Every failure is one `ApiError`, decoded the same way everywhere: the
//! server's `{code, fields, receipt}`, or, when something else (a proxy) answered, the
//! code that the status means.
//!
//! Fetch is called through `web-sys`, not `gloo-net`: gloo-net's request builder (and
//! the `http` crate under it) cost the resident app 1,628 bytes of brotli, measured,
//! against a first-load budget it was already at.

use leptos::prelude::*;
use ow_shared::{ApiError, ErrorCode, FieldError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use web_sys::{AbortController, ProgressEvent, XmlHttpRequest};

/// How long a JSON request may take before the app says the network is slow.
const TIMEOUT_MS: u32 = 20_000;
/// How long a file (a photo of up to 5 MB, an import) may take on a slow phone network.
pub const UPLOAD_TIMEOUT_MS: u32 = 180_000;

/// A client of the API. The resident apps use `Client::PUBLIC`, which carries nothing;
/// the console's client carries the signed-in session (`StaffSession`). Generic over
/// the session so that the resident apps' code holds none of the session's.
#[derive(Clone, Copy, Default)]
pub struct Client<S: Session = Anonymous> {
    session: S,
}

/// What a session adds to every request.
pub trait Session: Copy + 'static {
    /// The CSRF token to send with a state change, if any.
    fn csrf(self) -> Option<String>;
    /// Called when an answer says the session has ended.
    fn signed_out(self);
}

/// No session: the resident apps.
#[derive(Clone, Copy, Default)]
pub struct Anonymous;

impl Session for Anonymous {
    fn csrf(self) -> Option<String> {
        None
    }
    fn signed_out(self) {}
}

/// A signed-in member of staff.
#[derive(Clone, Copy)]
pub struct StaffSession {
    /// The session's CSRF token, sent as `X-CSRF-Token` on every state change.
    pub csrf: Signal<String>,
    /// Runs when any request answers `NOT_SIGNED_IN` (the session expired or was ended).
    pub on_signed_out: Callback<()>,
}

impl Session for StaffSession {
    fn csrf(self) -> Option<String> {
        Some(self.csrf.get_untracked()).filter(|t| !t.is_empty())
    }
    fn signed_out(self) {
        self.on_signed_out.run(());
    }
}

/// The HTTP methods the API uses.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A request body.
enum Body<'a> {
    None,
    Json(String),
    /// A file sent byte for byte (the server judges its type and encoding).
    Raw(&'a JsValue, &'a str),
}

impl Client {
    /// The anonymous client of the resident apps.
    pub const PUBLIC: Client = Client { session: Anonymous };
}

impl Client<StaffSession> {
    /// A client for a signed-in member of staff.
    pub fn staff(session: StaffSession) -> Client<StaffSession> {
        Client { session }
    }
}

impl<S: Session> Client<S> {
    /// GETs JSON.
    pub async fn get<T: DeserializeOwned>(self, url: &str) -> Result<T, ApiError> {
        let (status, text) = self.fetch(Method::Get, url, Body::None, None, TIMEOUT_MS).await?;
        self.checked(decode(status, &text))
    }

    /// POSTs `body` as JSON. A `key` (`Idempotency-Key`) makes retries safe.
    pub async fn post<T: DeserializeOwned>(
        self,
        url: &str,
        body: &impl Serialize,
        key: Option<&str>,
    ) -> Result<T, ApiError> {
        self.send(Method::Post, url, Some(body), key).await
    }

    /// POSTs `body` as JSON: the status and body text of any answer, for a call that
    /// reads more of a refusal than `decode` does.
    pub async fn post_for_text(
        self,
        url: &str,
        body: &impl Serialize,
        key: Option<&str>,
    ) -> Result<(u16, String), ApiError> {
        self.fetch(Method::Post, url, Body::Json(to_json(body)?), key, TIMEOUT_MS).await
    }

    /// Sends `body` (if any) as JSON with `method`.
    pub async fn send<T: DeserializeOwned>(
        self,
        method: Method,
        url: &str,
        body: Option<&impl Serialize>,
        key: Option<&str>,
    ) -> Result<T, ApiError> {
        let body = body.map(to_json).transpose()?.map_or(Body::None, Body::Json);
        let (status, text) = self.fetch(method, url, body, key, TIMEOUT_MS).await?;
        self.checked(decode(status, &text))
    }

    /// Like `send`, for answers with no body worth reading (204, or one ignored).
    pub async fn send_empty(self, method: Method, url: &str, body: Option<&impl Serialize>) -> Result<(), ApiError> {
        let body = body.map(to_json).transpose()?.map_or(Body::None, Body::Json);
        let (status, text) = self.fetch(method, url, body, None, TIMEOUT_MS).await?;
        if (200..300).contains(&status) {
            return Ok(());
        }
        self.checked(Err(decode_error(status, &text)))
    }

    /// POSTs a file as the raw body with its content type: the status and body text of
    /// any answer, for callers that read more of a refusal than the error (an import's
    /// list of bad lines); `decode` them.
    pub async fn post_file(self, url: &str, file: &JsValue, content_type: &str) -> Result<(u16, String), ApiError> {
        let (status, text) =
            self.fetch(Method::Post, url, Body::Raw(file, content_type), None, UPLOAD_TIMEOUT_MS).await?;
        if !(200..300).contains(&status) {
            // Only for the sign-out hook: the caller decodes the refusal itself.
            let _ = self.checked(Err::<(), _>(decode_error(status, &text)));
        }
        Ok((status, text))
    }

    /// Runs the signed-out hook on `NOT_SIGNED_IN`, then passes the result on.
    fn checked<T>(self, result: Result<T, ApiError>) -> Result<T, ApiError> {
        if let Err(e) = &result
            && e.code == ErrorCode::NotSignedIn
        {
            self.session.signed_out();
        }
        result
    }

    /// One request: the status and body text of the answer. Not generic, so one copy of
    /// this code serves every call.
    async fn fetch(
        self,
        method: Method,
        url: &str,
        body: Body<'_>,
        key: Option<&str>,
        timeout_ms: u32,
    ) -> Result<(u16, String), ApiError> {
        let init = web_sys::RequestInit::new();
        init.set_method(method.as_str());
        let headers = web_sys::Headers::new().map_err(|_| ApiError::bare(ErrorCode::Network))?;
        let _ = headers.set("Accept", "application/json");
        if let Some(key) = key {
            let _ = headers.set("Idempotency-Key", key);
        }
        if method != Method::Get
            && let Some(token) = self.session.csrf()
        {
            let _ = headers.set("X-CSRF-Token", &token);
        }
        match body {
            Body::None => {}
            Body::Json(json) => {
                let _ = headers.set("Content-Type", "application/json");
                init.set_body(&JsValue::from_str(&json));
            }
            Body::Raw(file, content_type) => {
                let _ = headers.set("Content-Type", content_type);
                init.set_body(file);
            }
        }
        init.set_headers(&headers);
        let guard = Guard::start(timeout_ms);
        init.set_signal(guard.signal().as_ref());
        let window = web_sys::window().ok_or_else(|| guard.failure())?;
        let answer = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await
            .map_err(|_| guard.failure())?;
        let response: web_sys::Response = answer.unchecked_into();
        let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(|_| guard.failure())?)
            .await
            .map_err(|_| guard.failure())?;
        Ok((response.status(), text.as_string().unwrap_or_default()))
    }
}

/// The abort controller of one request: aborts it when its time is up or when the
/// page that made it goes away, and tells the two apart from a dropped connection.
pub struct Guard {
    controller: Option<AbortController>,
    timed_out: Rc<Cell<bool>>,
    _timer: Option<gloo_timers::callback::Timeout>,
}

impl Guard {
    /// Starts the clock, and ties the request to the current reactive owner (the page).
    pub fn start(timeout_ms: u32) -> Guard {
        let controller = AbortController::new().ok();
        let timed_out = Rc::new(Cell::new(false));
        let timer = controller.clone().map(|c| {
            let flag = timed_out.clone();
            gloo_timers::callback::Timeout::new(timeout_ms, move || {
                flag.set(true);
                c.abort();
            })
        });
        if let Some(c) = controller.clone() {
            let c = send_wrapper::SendWrapper::new(c);
            on_cleanup(move || c.abort());
        }
        Guard { controller, timed_out, _timer: timer }
    }

    /// The signal to hand to the request.
    pub fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.controller.as_ref().map(|c| c.signal())
    }

    /// The error of a request that failed without an answer.
    pub fn failure(&self) -> ApiError {
        ApiError::bare(if self.timed_out.get() { ErrorCode::Timeout } else { ErrorCode::Network })
    }
}

/// A photo upload in flight. Removing the photo (`cancel`) or leaving its page aborts it.
#[derive(Clone)]
pub struct Upload(send_wrapper::SendWrapper<XmlHttpRequest>);

impl Upload {
    /// Stops the upload; its `finish` then answers `Network`, which callers ignore for a
    /// photo that is gone.
    pub fn cancel(&self) {
        let _ = self.0.abort();
    }
}

/// Starts uploading `file` as the raw body of a POST to `url`, calling
/// `on_progress(fraction)` as bytes go out. XMLHttpRequest, because fetch cannot report
/// upload progress. Returns the handle and the answer to await.
pub fn upload<T: DeserializeOwned, P: Fn(f64) + 'static>(
    url: &str,
    file: &web_sys::File,
    on_progress: P,
) -> Result<(Upload, impl std::future::Future<Output = Result<T, ApiError>> + use<T, P>), ApiError> {
    let network = || ApiError::bare(ErrorCode::Network);
    let xhr = XmlHttpRequest::new().map_err(|_| network())?;
    xhr.open_with_async("POST", url, true).map_err(|_| network())?;
    xhr.set_timeout(UPLOAD_TIMEOUT_MS);
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
    let done = js_sys::Promise::new(&mut |resolve, _| xhr.set_onloadend(Some(&resolve)));
    let started = js_sys::Date::now();
    xhr.send_with_opt_blob(Some(file)).map_err(|_| network())?;
    let handle = Upload(send_wrapper::SendWrapper::new(xhr.clone()));
    let on_leave = handle.clone();
    on_cleanup(move || on_leave.cancel());
    let answer = async move {
        let _ = wasm_bindgen_futures::JsFuture::from(done).await;
        drop(progress);
        match xhr.status().unwrap_or(0) {
            0 if js_sys::Date::now() - started >= f64::from(UPLOAD_TIMEOUT_MS) => {
                Err(ApiError::bare(ErrorCode::Timeout))
            }
            0 => Err(network()),
            status => decode(status, &xhr.response_text().ok().flatten().unwrap_or_default()),
        }
    };
    Ok((handle, answer))
}

fn to_json(value: &impl Serialize) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|_| ApiError::bare(ErrorCode::BadRequest))
}

/// Turns a status and body into the answer or the error.
pub fn decode<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|_| ApiError::bare(ErrorCode::Internal));
    }
    Err(decode_error(status, body))
}

/// The error of a non-2xx answer: the server's own, else what the status means (a proxy
/// or a gateway answered). Every app decodes errors here, so each status is handled alike.
pub fn decode_error(status: u16, body: &str) -> ApiError {
    match serde_json::from_str::<WireError>(body) {
        Ok(e) => ApiError { fields: e.fields, ..ApiError::bare(e.code) },
        Err(_) => ApiError::bare(code_for_status(status)),
    }
}

/// The error an answer without our JSON body means.
pub fn code_for_status(status: u16) -> ErrorCode {
    match status {
        401 => ErrorCode::NotSignedIn,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::PhotoTypeUnsupported,
        422 => ErrorCode::ValidationFailed,
        429 => ErrorCode::TooManyAttempts,
        408 | 504 => ErrorCode::Timeout,
        502 | 503 => ErrorCode::Unavailable,
        400..=499 => ErrorCode::BadRequest,
        _ => ErrorCode::Internal,
    }
}

/// The parts of an error answer every app reads. Not `ApiError` itself: the apps word
/// messages from the code in the reader's language (so the server's `message` is not
/// read), and the extras of two refusals — a reused key's `receipt`, a full slot's
/// `alternatives` — are read by the one call that meets each (`post_for_text`), so that
/// no other app carries their decoders.
#[derive(serde::Deserialize)]
struct WireError {
    code: ErrorCode,
    #[serde(default)]
    fields: Vec<FieldError>,
}

/// `encodeURIComponent`: a query-string or path component.
pub fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

/// `path?k=v&…`, the values encoded and empty ones left out.
pub fn with_query(path: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> =
        params.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode(v))).collect();
    if query.is_empty() { path.to_string() } else { format!("{path}?{}", query.join("&")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_the_api_answers_has_one_meaning_when_a_proxy_answered() {
        let expected = [
            (401, ErrorCode::NotSignedIn),
            (403, ErrorCode::Forbidden),
            (404, ErrorCode::NotFound),
            (409, ErrorCode::Conflict),
            (413, ErrorCode::PayloadTooLarge),
            (415, ErrorCode::PhotoTypeUnsupported),
            (422, ErrorCode::ValidationFailed),
            (429, ErrorCode::TooManyAttempts),
            (400, ErrorCode::BadRequest),
            (500, ErrorCode::Internal),
            (502, ErrorCode::Unavailable),
            (503, ErrorCode::Unavailable),
            (504, ErrorCode::Timeout),
        ];
        for (status, code) in expected {
            assert_eq!(decode_error(status, "<html>Bad Gateway</html>").code, code, "status {status}");
        }
    }

    #[test]
    fn the_servers_own_error_wins_over_the_status() {
        let body = r#"{"code":"VALIDATION_FAILED","message":"填写的内容有误","fields":[{"field":"mobile","code":"MOBILE_INVALID"}]}"#;
        let error = decode_error(422, body);
        assert_eq!(error.code, ErrorCode::ValidationFailed);
        assert_eq!(error.fields.len(), 1);
        assert_eq!(error.fields[0].code, ErrorCode::MobileInvalid);
        // A code this build does not know (a newer server) still decodes by status.
        assert_eq!(decode_error(429, r#"{"code":"SOMETHING_NEW"}"#).code, ErrorCode::TooManyAttempts);
    }

    #[test]
    fn a_success_that_is_not_the_expected_json_is_an_internal_error() {
        let answer: Result<Vec<u32>, ApiError> = decode(200, "<html>captive portal</html>");
        assert_eq!(answer.unwrap_err().code, ErrorCode::Internal);
        assert_eq!(decode::<Vec<u32>>(200, "[1,2]").unwrap(), vec![1, 2]);
    }
}
