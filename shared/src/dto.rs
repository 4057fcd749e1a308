//! Wire types of the `/api/v1` API. The server serialises them, the browser parses them.

use crate::Lang;
use crate::case::{CaseState, CaseType, EventKind, Mediation};
use serde::{Deserialize, Serialize};

/// A village (村) or community (社区).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Village {
    pub id: i64,
    pub name: String,
}

/// A township (乡镇) or street (街道) with its villages and communities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Township {
    pub id: i64,
    pub name: String,
    pub villages: Vec<Village>,
}

/// `GET /api/v1/regions`: the places a request can be about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionsResponse {
    pub county: String,
    pub townships: Vec<Township>,
}

/// `POST /api/v1/uploads`: a photo accepted after checking its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadResponse {
    /// Refer to the photo by this id in `SubmitCaseRequest::photo_ids`.
    pub id: String,
    /// `jpeg`, `png` or `webp`, as read from the bytes.
    pub kind: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
}

/// `POST /api/v1/cases`: a resident's request. Send an `Idempotency-Key` header with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitCaseRequest {
    pub case_type: Option<CaseType>,
    pub title: String,
    pub description: String,
    /// When it happened, `YYYY-MM-DD`.
    pub occurred_on: String,
    pub township_id: Option<i64>,
    pub village_id: Option<i64>,
    /// Optional address line within the village.
    #[serde(default)]
    pub address: String,
    /// For disputes: the other party's name, optional.
    #[serde(default)]
    pub other_party_name: String,
    /// For disputes: whether the other party is willing to mediate; required then.
    #[serde(default)]
    pub mediation: Option<Mediation>,
    pub contact_name: String,
    /// Mainland mobile number.
    pub mobile: String,
    /// Optional 18-character resident ID number (GB 11643).
    #[serde(default)]
    pub id_number: String,
    pub privacy_accepted: bool,
    /// Ids from `POST /api/v1/uploads`, at most three.
    #[serde(default)]
    pub photo_ids: Vec<String>,
    /// The resident asked for no text messages about this request (不接收短信通知).
    /// Left out of the JSON when false, so earlier requests' retries still match.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sms_opt_out: bool,
    /// The grid, when the form was opened from a grid's page (找网格 → 在本网格反映诉求).
    /// Kept only when it is a grid of `village_id`. Left out of the JSON when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_id: Option<i64>,
}

/// Which statutory time limit a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::VariantArray, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DeadlineKind {
    /// Written notice of acceptance or not, within 15 days (信访工作条例 Art.23).
    AcceptanceNotice,
    /// Handling within 60 days of acceptance (Art.34), plus any extension.
    Handling,
    /// A review (复查) may be asked for within 30 days of the reply (Art.35).
    ReviewRequest,
    /// A review is decided within 30 days (Art.35).
    Review,
}

impl crate::coded::Coded for DeadlineKind {
    const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;
    fn code(self) -> &'static str {
        self.into()
    }
}
crate::deserialize_by_code!(DeadlineKind);

impl DeadlineKind {
    /// What the deadline means for the resident.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DeadlineKind::AcceptanceNotice => lang.pick(
                "15日内书面告知是否受理（《信访工作条例》第二十三条）",
                "Written notice of acceptance within 15 days (Art.23)",
            ),
            DeadlineKind::Handling => lang.pick(
                "受理后60日内办结（《信访工作条例》第三十四条）",
                "Handled within 60 days of acceptance (Art.34)",
            ),
            DeadlineKind::ReviewRequest => lang.pick(
                "答复后30日内可申请复查（《信访工作条例》第三十五条）",
                "A review may be asked for within 30 days of the reply (Art.35)",
            ),
            DeadlineKind::Review => {
                lang.pick("复查30日内作出意见（《信访工作条例》第三十五条）", "Review decided within 30 days (Art.35)")
            }
        }
    }
}

/// A time limit that applies to a case now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadline {
    pub kind: DeadlineKind,
    /// The last day, `YYYY-MM-DD`, Asia/Shanghai.
    pub due_on: String,
}

/// The answer to a submission: everything the receipt (回执) shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub tracking_no: String,
    /// Shown this once; the server keeps only its hash.
    pub query_code: String,
    /// `YYYY-MM-DD HH:MM`, Asia/Shanghai.
    pub submitted_at: String,
    pub case_type: CaseType,
    pub title: String,
    pub township: String,
    pub village: String,
    pub state: CaseState,
    pub contact_name_masked: String,
    pub mobile_masked: String,
    pub photo_count: u32,
    /// True for 检举: the identity is never shown to a handling department.
    pub identity_protected: bool,
    pub deadlines: Vec<Deadline>,
}

/// `POST /api/v1/track`: look a case up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackRequest {
    pub tracking_no: String,
    pub query_code: String,
}

/// One public event on a case's timeline. Never names staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicEvent {
    /// `YYYY-MM-DD HH:MM`, Asia/Shanghai.
    pub at: String,
    pub kind: EventKind,
    /// Who acted, as a unit (e.g. 一窗通办, a department), never a person.
    pub unit: String,
    /// What the resident is told: the reply, a decline's route and reason, an
    /// extension's reason, the departments dispatched to. Empty for most events.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The answer to a tracking look-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackResponse {
    pub tracking_no: String,
    pub case_type: CaseType,
    pub title: String,
    pub state: CaseState,
    pub submitted_at: String,
    pub township: String,
    pub village: String,
    pub deadlines: Vec<Deadline>,
    /// Oldest first.
    pub events: Vec<PublicEvent>,
    /// The resident's rating, once given.
    #[serde(default)]
    pub rating: Option<crate::workflow::Rating>,
    /// Whether the reply can be rated now (state 已答复).
    #[serde(default)]
    pub can_rate: bool,
    /// Whether a review (复查) can be asked for now.
    #[serde(default)]
    pub can_request_review: bool,
}

/// `POST /api/v1/track/act`: the resident rates the reply (`rating`, with an optional
/// reason in `review_reason`) or, without a rating, asks for a review with `review_reason`, proving it is their case with the
/// query code. Answers the updated `TrackResponse`. (Flat rather than a tagged enum:
/// it is serialised in every resident's download, and flat is the smallest code.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackActRequest {
    pub tracking_no: String,
    pub query_code: String,
    #[serde(default)]
    pub rating: Option<crate::workflow::Rating>,
    /// Without a rating: why a review is asked for (4–500 characters). With a rating:
    /// the optional reason for it (≤ 200 characters), which the callback task a 不满意
    /// opens shows to staff. One field for both keeps every resident's download small.
    /// (After a 不满意, the rating's event on the public timeline says by when the
    /// centre calls back, and until when a review may be asked for.)
    #[serde(default)]
    pub review_reason: String,
}

impl TrackActRequest {
    /// The act it asks for.
    pub fn action(&self) -> crate::workflow::ResidentAction {
        match self.rating {
            Some(rating) => crate::workflow::ResidentAction::Rate { rating, reason: self.review_reason.clone() },
            None => crate::workflow::ResidentAction::RequestReview { reason: self.review_reason.clone() },
        }
    }
}

/// The hall's phone number, shown wherever the app cannot help (also in index.html).
pub const HALL_PHONE: &str = "0000-12345";
