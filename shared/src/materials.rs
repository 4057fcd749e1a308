//! 补正 — one request for everything missing (一次性告知): staff list every missing item
//! at once with a date, the resident sends them with the query code, and the case shows
//! what came back and when.

use crate::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};

/// The most items one request lists, and the longest item.
pub const MAX_ITEMS: usize = 10;
pub const ITEM_CHARS: usize = 100;
/// The most photos one answer carries, and the longest note.
pub const MAX_PHOTOS: usize = 9;
pub const NOTE_CHARS: usize = 500;

/// `POST /api/v1/console/cases/{id}/materials`: what is missing, all of it, and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestMaterials {
    /// One line per missing item (a paper, a photo, a fact to state).
    pub items: Vec<String>,
    /// `YYYY-MM-DD`: the last day to send them.
    pub due_on: String,
}

/// The items as sent, trimmed, empty lines dropped.
pub fn clean_items(items: &[String]) -> Vec<String> {
    items.iter().map(|i| i.trim().to_string()).filter(|i| !i.is_empty()).collect()
}

/// Checks a request's items (the due date is checked against today by the server).
pub fn validate_request(r: &RequestMaterials) -> Vec<FieldError> {
    let items = clean_items(&r.items);
    let mut errors = Vec::new();
    if items.is_empty() {
        errors.push(FieldError::new("items", ErrorCode::Required));
    } else if items.len() > MAX_ITEMS || items.iter().any(|i| i.chars().count() > ITEM_CHARS) {
        errors.push(FieldError { max: Some(ITEM_CHARS as u32), ..FieldError::new("items", ErrorCode::TooLong) });
    }
    errors
}

/// One 补正 request of a case as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaterialRequestView {
    pub id: i64,
    pub items: Vec<String>,
    pub due_on: String,
    /// `YYYY-MM-DD HH:MM`.
    pub requested_at: String,
    pub requested_by: String,
    /// When the resident sent the materials; None while awaited.
    pub answered_at: Option<String>,
    /// The resident's note with them.
    pub note: String,
    /// The photos sent (`/api/v1/console/photos/{id}`).
    pub photo_ids: Vec<String>,
}

/// `POST /api/v1/track/materials`: the resident sends the missing materials, proving
/// the case is theirs with the query code. Photos come from `POST /api/v1/uploads`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplyMaterials {
    pub tracking_no: String,
    pub query_code: String,
    #[serde(default)]
    pub photo_ids: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// Checks an answer: some photos or a note, within the limits.
pub fn validate_supply(s: &SupplyMaterials) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if s.photo_ids.is_empty() && s.note.trim().is_empty() {
        errors.push(FieldError::new("photo_ids", ErrorCode::Required));
    }
    if s.photo_ids.len() > MAX_PHOTOS {
        errors.push(FieldError { max: Some(MAX_PHOTOS as u32), ..FieldError::new("photo_ids", ErrorCode::TooLong) });
    }
    if s.note.trim().chars().count() > NOTE_CHARS {
        errors.push(FieldError { max: Some(NOTE_CHARS as u32), ..FieldError::new("note", ErrorCode::TooLong) });
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_lists_one_to_ten_short_items() {
        let r = |items: &[&str]| RequestMaterials {
            items: items.iter().map(|s| s.to_string()).collect(),
            due_on: "2026-12-20".into(),
        };
        assert!(validate_request(&r(&["身份证复印件", " ", "收入证明"])).is_empty());
        assert_eq!(clean_items(&r(&["身份证复印件", " ", "收入证明"]).items).len(), 2);
        assert_eq!(validate_request(&r(&[" "]))[0].code, ErrorCode::Required);
        assert_eq!(validate_request(&r(&["x"; 11]))[0].code, ErrorCode::TooLong);
    }

    #[test]
    fn an_answer_needs_photos_or_a_note() {
        let empty = SupplyMaterials::default();
        assert_eq!(validate_supply(&empty)[0].field, "photo_ids");
        assert!(validate_supply(&SupplyMaterials { note: "已补充".into(), ..empty }).is_empty());
    }
}
