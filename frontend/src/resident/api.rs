//! The resident app's endpoints; `crate::http` does the talking.

use crate::http::{Client, decode};
use ow_shared::ApiError;
use ow_shared::dto::{Receipt, RegionsResponse, SubmitCaseRequest, TrackActRequest, TrackRequest, TrackResponse};

const API: Client = Client::PUBLIC;

/// The places a case can be about.
pub async fn regions() -> Result<RegionsResponse, ApiError> {
    API.get("/api/v1/regions").await
}

/// Submits a case. Retries must reuse `key` so the server never makes two cases.
pub async fn submit_case(req: &SubmitCaseRequest, key: &str) -> Result<Receipt, ApiError> {
    let (status, text) = API.post_for_text("/api/v1/cases", req, Some(key)).await?;
    // A reused key's refusal carries the receipt of the case that key made.
    decode(status, &text).map_err(|e| {
        let receipt = serde_json::from_str::<Replayed>(&text).ok().and_then(|r| r.receipt);
        ApiError { receipt, ..e }
    })
}

/// Looks a case up by tracking number and query code.
pub async fn track(req: &TrackRequest) -> Result<TrackResponse, ApiError> {
    API.post("/api/v1/track", req, None).await
}

/// The resident rates the reply or asks for a review; answers the updated case.
pub async fn track_act(req: &TrackActRequest) -> Result<TrackResponse, ApiError> {
    API.post("/api/v1/track/act", req, None).await
}

/// The receipt in an `IDEMPOTENCY_KEY_REUSED` refusal.
#[derive(serde::Deserialize)]
struct Replayed {
    #[serde(default)]
    receipt: Option<Box<Receipt>>,
}
