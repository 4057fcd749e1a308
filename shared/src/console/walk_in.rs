//! The walk-in registration's own rules, beyond the resident form's
//! (`validate::validate_submission` and `check_region`). The console checks them as the
//! clerk types and the server checks them again, with this one function.

use super::WalkInRequest;
use crate::validate::{check_length, limits::ADDRESS_MAX};
use crate::workflow::limits::MAX_REPRESENTATIVES;
use crate::{ErrorCode, FieldError};

/// How many people one registration may count (来访人数).
pub const GROUP_SIZE: (u32, u32) = (1, 999);
/// A representative's name, in characters.
pub const REPRESENTATIVE_NAME_CHARS: (u32, u32) = (1, 30);

/// Checks a walk-in's channel, group size and representatives, reporting every problem
/// at once: a channel is chosen; the group counts 1–999 people (none given means 1);
/// representatives are chosen only by a group of two or more, at most 5 of them
/// (信访工作条例 Art.20), each name 1–30 characters.
pub fn validate_walk_in(request: &WalkInRequest) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match request.channel {
        None => errors.push(FieldError::new("channel", ErrorCode::Required)),
        // 网格上报 comes from a grid worker's own report, never from the window.
        Some(crate::workflow::Channel::Grid) => errors.push(FieldError::new("channel", ErrorCode::BadRequest)),
        Some(_) => {}
    }
    let group_size = request.group_size.unwrap_or(1);
    let size_valid = (GROUP_SIZE.0..=GROUP_SIZE.1).contains(&group_size);
    // Representatives are chosen by a group (集体访); one person represents themself.
    let lone_representatives = !request.representatives.is_empty() && group_size < 2;
    if !size_valid || lone_representatives {
        errors.push(FieldError::new("group_size", ErrorCode::GroupSizeInvalid));
    }
    if request.representatives.len() > MAX_REPRESENTATIVES as usize {
        errors.push(FieldError {
            max: Some(MAX_REPRESENTATIVES),
            ..FieldError::new("representatives", ErrorCode::TooManyRepresentatives)
        });
    }
    for (i, name) in request.representatives.iter().enumerate() {
        errors.extend(check_length(&format!("representatives.{i}"), name, REPRESENTATIVE_NAME_CHARS));
    }
    errors.extend(check_length("postal_address", &request.postal_address, (0, ADDRESS_MAX)));
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::Channel;

    fn group(size: Option<u32>, representatives: &[&str]) -> WalkInRequest {
        WalkInRequest {
            channel: Some(Channel::Visit),
            group_size: size,
            representatives: representatives.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    fn codes(request: &WalkInRequest) -> Vec<(String, ErrorCode)> {
        validate_walk_in(request).into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_lone_visitor_and_a_group_with_representatives_pass() {
        assert!(codes(&group(None, &[])).is_empty(), "no size given means one person");
        assert!(codes(&group(Some(1), &[])).is_empty());
        assert!(codes(&group(Some(999), &["张三", "李四", "王五", "赵六", "钱七"])).is_empty());
    }

    #[test]
    fn a_channel_is_required() {
        let request = WalkInRequest { channel: None, ..group(None, &[]) };
        assert_eq!(codes(&request), [("channel".to_string(), ErrorCode::Required)]);
    }

    #[test]
    fn the_group_counts_one_to_999_people() {
        for size in [0, 1000, u32::MAX] {
            assert_eq!(codes(&group(Some(size), &[])), [("group_size".to_string(), ErrorCode::GroupSizeInvalid)]);
        }
    }

    #[test]
    fn only_a_group_chooses_representatives() {
        for size in [None, Some(1)] {
            assert_eq!(codes(&group(size, &["张三"])), [("group_size".to_string(), ErrorCode::GroupSizeInvalid)]);
        }
        assert!(codes(&group(Some(2), &["张三"])).is_empty());
    }

    #[test]
    fn at_most_five_representatives() {
        let errors = validate_walk_in(&group(Some(30), &["甲", "乙", "丙", "丁", "戊", "己"]));
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].field.as_str(), errors[0].code), ("representatives", ErrorCode::TooManyRepresentatives));
        assert_eq!(errors[0].max, Some(MAX_REPRESENTATIVES));
    }

    #[test]
    fn each_name_has_one_to_thirty_characters() {
        let long = "王".repeat(31);
        let request = group(Some(3), &["  ", "张三", &long]);
        assert_eq!(
            codes(&request),
            [
                ("representatives.0".to_string(), ErrorCode::Required),
                ("representatives.2".to_string(), ErrorCode::TooLong)
            ]
        );
        assert!(codes(&group(Some(3), &[&"王".repeat(30)])).is_empty(), "30 characters, not bytes");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let request = WalkInRequest { channel: None, ..group(Some(0), &["", "乙", "丙", "丁", "戊", "己"]) };
        let fields: Vec<String> = codes(&request).into_iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["channel", "group_size", "representatives", "representatives.0"]);
    }
}
