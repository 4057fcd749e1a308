//! The server's one error type, turned into a JSON `ApiError` response in one place.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ow_shared::{ApiError, ErrorCode, FieldError};

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("client error {0:?}")]
    Client(ErrorCode),
    #[error("idempotency key reused with a different body")]
    KeyReused(Box<ow_shared::dto::Receipt>),
    #[error("too many attempts, retry after {0} s")]
    TooManyAttempts(u64),
    /// A rate limit of the client's address (or mobile) is used up.
    #[error("rate limited, retry after {0} s")]
    RateLimited(u64),
    /// The server is at a capacity limit (uploads in flight, the writer's queue): retry soon.
    #[error("unavailable, retry after {0} s")]
    Unavailable(u64),
    /// The disk (or the configured database size) is full: nothing was stored.
    #[error("storage full")]
    StorageFull,
    /// A body, query string or path parameter that does not parse.
    #[error("malformed request: {0}")]
    Malformed(String),
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("internal: {0}")]
    Internal(String),
    /// An import refused whole: every bad feature or row, nothing stored.
    #[error("import refused: {} problems", .0.errors.len())]
    Import(ow_shared::grid::ImportReport),
}

impl AppError {
    /// A database error that only says the disk is full is answered as `StorageFull`.
    pub fn full_disk(&self) -> bool {
        match self {
            AppError::StorageFull => true,
            AppError::Db(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull),
            _ => false,
        }
    }

    fn status(&self) -> StatusCode {
        if self.full_disk() {
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Client(code) => client_status(*code),
            AppError::KeyReused(_) => StatusCode::CONFLICT,
            AppError::TooManyAttempts(_) | AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::StorageFull => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Malformed(_) => StatusCode::BAD_REQUEST,
            AppError::Db(_) | AppError::Pool(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Import(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The error's message as a resident reads it (for server-written pages).
    pub fn resident_message(&self) -> String {
        self.body().message
    }

    fn body(&self) -> ApiError {
        if self.full_disk() {
            return ApiError::new(ErrorCode::StorageFull);
        }
        match self {
            AppError::Validation(fields) => ApiError::validation(fields.clone()),
            AppError::Client(code) => ApiError::new(*code),
            AppError::KeyReused(receipt) => {
                ApiError { receipt: Some(receipt.clone()), ..ApiError::new(ErrorCode::IdempotencyKeyReused) }
            }
            AppError::TooManyAttempts(_) => ApiError::new(ErrorCode::TooManyAttempts),
            AppError::RateLimited(_) => ApiError::new(ErrorCode::RateLimited),
            AppError::Unavailable(_) => ApiError::new(ErrorCode::Unavailable),
            AppError::StorageFull => ApiError::new(ErrorCode::StorageFull),
            AppError::Malformed(_) => ApiError::new(ErrorCode::BadRequest),
            AppError::Db(_) | AppError::Pool(_) | AppError::Internal(_) => ApiError::new(ErrorCode::Internal),
            AppError::Import(_) => ApiError::new(ErrorCode::ImportFailed),
        }
    }
}

fn client_status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::PhotoTooLarge | ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PhotoTypeUnsupported => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::IdempotencyKeyReused => StatusCode::CONFLICT,
        ErrorCode::TrackNotFound | ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::TooManyAttempts | ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Unavailable | ErrorCode::StorageFull => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::NotSignedIn | ErrorCode::SignInFailed => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden | ErrorCode::CsrfFailed | ErrorCode::NotHolder | ErrorCode::ReviewByLevelAbove => {
            StatusCode::FORBIDDEN
        }
        ErrorCode::UsernameTaken
        | ErrorCode::CaseChanged
        | ErrorCode::TransitionNotAllowed
        | ErrorCode::ObjectionWindowClosed
        | ErrorCode::ExtensionAlreadyUsed
        | ErrorCode::ExtensionTooLate
        | ErrorCode::ReviewWindowClosed
        | ErrorCode::MediationOutcomeRequired => StatusCode::CONFLICT,
        ErrorCode::SlotFull | ErrorCode::AlreadyBookedThatDay | ErrorCode::BookingNotChangeable => StatusCode::CONFLICT,
        ErrorCode::MessageNotResendable | ErrorCode::MaterialsNotRequestable | ErrorCode::MaterialsNotRequested => {
            StatusCode::CONFLICT
        }
        ErrorCode::BookingNotFound => StatusCode::NOT_FOUND,
        ErrorCode::GridNotFound => StatusCode::NOT_FOUND,
        ErrorCode::ImportFailed => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            // Internal details are logged, never echoed; messages here never hold personal data.
            tracing::error!(error = %self, "request failed");
        }
        if let AppError::Import(report) = &self {
            // Both an ApiError (code, message) and the ImportReport (imported, errors).
            let mut body = serde_json::to_value(self.body()).unwrap_or_default();
            if let (Some(body), Ok(serde_json::Value::Object(report))) =
                (body.as_object_mut(), serde_json::to_value(report))
            {
                body.extend(report);
            }
            return (status, axum::Json(body)).into_response();
        }
        let mut response = (status, axum::Json(self.body())).into_response();
        if let AppError::TooManyAttempts(seconds) | AppError::RateLimited(seconds) | AppError::Unavailable(seconds) =
            self
        {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        } else if self.full_disk() {
            // Space comes back when an operator frees it: ask for a retry in a minute.
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(60u64));
        }
        response
    }
}

/// The JSON error for an API answer that a layer (a timeout, a body limit) made bare,
/// so that every API error is `{code, message}` however it arose.
pub fn bare_to_json(response: Response) -> Response {
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    let status = response.status();
    if json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::TOO_MANY_REQUESTS => ErrorCode::RateLimited,
        StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE => ErrorCode::Unavailable,
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::BadRequest,
        s if s.is_server_error() => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    };
    let mut answer = (status, axum::Json(ApiError::new(code))).into_response();
    if let Some(retry) = response.headers().get(header::RETRY_AFTER) {
        answer.headers_mut().insert(header::RETRY_AFTER, retry.clone());
    } else if code == ErrorCode::Unavailable {
        answer.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(5u64));
    }
    answer
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return AppError::Client(ErrorCode::PayloadTooLarge);
        }
        AppError::Malformed(rejection.body_text())
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::Malformed(rejection.body_text())
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        // A route whose pattern lacks the parameter is our bug, not the client's.
        if rejection.status().is_server_error() {
            return AppError::Internal(rejection.body_text());
        }
        AppError::Malformed(rejection.body_text())
    }
}

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> Self {
        AppError::Client(code)
    }
}

/// A JSON body whose rejections are JSON errors too.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

/// A query string whose rejections are JSON errors too (400 `BAD_REQUEST`).
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ApiQuery<T>(pub T);

/// Path parameters whose rejections are JSON errors too (400 `BAD_REQUEST`, e.g. a
/// number that is not one).
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
