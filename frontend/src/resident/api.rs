//! The resident app's endpoints; `crate::http` does the talking.

use crate::http::Client;
use ow_shared::ApiError;
use ow_shared::dto::{Receipt, RegionsResponse, SubmitCaseRequest, TrackActRequest, TrackRequest, TrackResponse};

const API: Client = Client::PUBLIC;

/// The places a case can be about.
pub async fn regions() -> Result<RegionsResponse, ApiError> {
    API.get("/api/v1/regions").await
}

/// Submits a case. Retries must reuse `key` so the server never makes two cases.
pub async fn submit_case(req: &SubmitCaseRequest, key: &str) -> Result<Receipt, ApiError> {
    API.post("/api/v1/cases", req, Some(key)).await
}

/// Looks a case up by tracking number and query code.
pub async fn track(req: &TrackRequest) -> Result<TrackResponse, ApiError> {
    API.post("/api/v1/track", req, None).await
}

/// The resident rates the reply or asks for a review; answers the updated case.
pub async fn track_act(req: &TrackActRequest) -> Result<TrackResponse, ApiError> {
    API.post("/api/v1/track/act", req, None).await
}
