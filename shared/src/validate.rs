//! All input validation, shared by the browser (inline messages while typing) and the
//! server (the authority). Functions return normalised values or the error codes to show.

use crate::case::CaseType;
use crate::dto::{SubmitCaseRequest, Township};
use crate::error::{ErrorCode, FieldError};

/// Length limits, in characters (a Chinese character counts as one).
pub mod limits {
    pub const TITLE: (u32, u32) = (4, 40);
    pub const DESCRIPTION: (u32, u32) = (10, 2000);
    pub const CONTACT_NAME: (u32, u32) = (1, 30);
    pub const ADDRESS_MAX: u32 = 100;
    pub const OTHER_PARTY_MAX: u32 = 30;
    pub const MAX_PHOTOS: u32 = 3;
    pub const MAX_PHOTO_BYTES: u64 = 5 * 1024 * 1024;
    /// Characters of a search box that are searched with.
    pub const SEARCH_MAX: usize = 64;
}

/// Counts characters the way the form's counter shows them: trimmed, one per character.
pub fn char_len(text: &str) -> u32 {
    text.trim().chars().count() as u32
}

/// Whether a text holds a control character other than a line break or tab (a NUL,
/// an escape…): nothing a person types, and trouble for storage, search and exports.
pub fn has_control_chars(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// A search box's text made safe to search with: control characters dropped, trimmed,
/// and cut to `limits::SEARCH_MAX` characters (longer text finds nothing more).
pub fn search_text(input: &str) -> String {
    input.chars().filter(|c| !c.is_control()).collect::<String>().trim().chars().take(limits::SEARCH_MAX).collect()
}

/// Checks a required text's length (`(min, max)` in characters) and its characters.
pub fn check_length(field: &str, text: &str, (min, max): (u32, u32)) -> Option<FieldError> {
    let len = char_len(text);
    let code = if has_control_chars(text) {
        ErrorCode::InvalidCharacters
    } else if len == 0 && min > 0 {
        ErrorCode::Required
    } else if len < min {
        ErrorCode::TooShort
    } else if len > max {
        ErrorCode::TooLong
    } else {
        return None;
    };
    Some(FieldError { min: Some(min), max: Some(max), ..FieldError::new(field, code) })
}

/// Normalises a mainland mobile number: spaces, dashes and a `+86`/`86` prefix are
/// dropped, then it must be 11 digits starting `1[3-9]`.
pub fn normalize_mobile(input: &str) -> Result<String, ErrorCode> {
    let digits: String = normalize_digits(input).chars().filter(|c| !matches!(c, '-' | '+')).collect();
    if digits.is_empty() {
        return Err(ErrorCode::Required);
    }
    let digits = match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 => rest.to_string(),
        _ => digits,
    };
    let bytes = digits.as_bytes();
    let valid = bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1]);
    if valid { Ok(digits) } else { Err(ErrorCode::MobileInvalid) }
}

/// Normalises a mainland landline: an area code (010, 02x, or four digits from 03xx)
/// and a 7–8 digit local number, written `0851-12345678`, `085112345678`,
/// `(0851)12345678` or with spaces, optionally followed by an extension (`-801`,
/// `转801`, `ext801`, `#801`). Answers `0851-12345678[-801]`.
pub fn normalize_landline(input: &str) -> Result<String, ErrorCode> {
    let text = normalize_digits(input).replace(['(', '（'], "").replace([')', '）', '－', '—'], "-");
    let text = text.replace("转", "#").replace("ext", "#").replace("EXT", "#").replace(['x', 'X'], "#");
    let (main, ext) = match text.split_once('#') {
        Some((main, ext)) => (main.trim_end_matches('-').to_string(), Some(ext.trim_start_matches('-').to_string())),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let groups: Vec<&str> = main.split('-').filter(|g| !g.is_empty()).collect();
    let (area, number, ext) = match (groups.as_slice(), ext) {
        ([whole], ext) if digits(whole) => {
            let area_len = if whole.starts_with("010") || whole.starts_with("02") { 3 } else { 4 };
            if whole.len() <= area_len {
                return Err(ErrorCode::LandlinePhoneInvalid);
            }
            (&whole[..area_len], &whole[area_len..], ext)
        }
        ([area, number], ext) => (*area, *number, ext),
        ([area, number, ext], None) => (*area, *number, Some(ext.to_string())),
        _ => return Err(ErrorCode::LandlinePhoneInvalid),
    };
    let area_ok = digits(area) && area.starts_with('0') && !area.starts_with("00") && (3..=4).contains(&area.len());
    let number_ok = digits(number) && (7..=8).contains(&number.len()) && !number.starts_with('0');
    let ext_ok = ext.as_deref().is_none_or(|e| digits(e) && e.len() <= 6);
    if !(area_ok && number_ok && ext_ok) {
        return Err(ErrorCode::LandlinePhoneInvalid);
    }
    Ok(match ext {
        Some(ext) => format!("{area}-{number}-{ext}"),
        None => format!("{area}-{number}"),
    })
}

/// A phone given at the window: a mainland mobile or a landline with its area code.
pub fn normalize_contact_phone(input: &str) -> Result<String, ErrorCode> {
    match normalize_mobile(input) {
        Ok(mobile) => Ok(mobile),
        Err(ErrorCode::Required) => Err(ErrorCode::Required),
        Err(_) => normalize_landline(input),
    }
}

/// How a submission's phone is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneRule<'a> {
    /// The resident's own form: a mobile, which the online channel needs.
    Mobile,
    /// A walk-in, call or letter registered by a clerk: a mobile, a landline, or no
    /// phone when this postal address receives the written notices (an elderly
    /// visitor without a mobile must still be registered).
    PhoneOrPost { postal_address: &'a str },
}

/// Validates an 18-character resident ID number (GB 11643-1999): 17 digits, a valid
/// birth date, and the ISO 7064 MOD 11-2 check character. Returns it with an upper-case X.
pub fn normalize_id_number(input: &str) -> Result<String, ErrorCode> {
    let id: String = input.trim().to_ascii_uppercase();
    let bytes = id.as_bytes();
    let shape_ok = bytes.len() == 18
        && bytes[..17].iter().all(u8::is_ascii_digit)
        && (bytes[17].is_ascii_digit() || bytes[17] == b'X');
    if !shape_ok || parse_date(&format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14])).is_none() {
        return Err(ErrorCode::IdNumberInvalid);
    }
    if id_check_char(&id[..17]) != bytes[17] as char {
        return Err(ErrorCode::IdNumberChecksum);
    }
    Ok(id)
}

/// The check character for the first 17 digits of an ID number.
pub fn id_check_char(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    CHECK[(sum % 11) as usize] as char
}

/// Parses `YYYY-MM-DD` into (year, month, day) if it is a real calendar date from 1900 on.
pub fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y >= 1900 && (1..=days_in_month).contains(&d)).then_some((y, m, d))
}

/// Checks that the village belongs to the township, given the server's list of places.
pub fn check_region(req: &SubmitCaseRequest, townships: &[Township]) -> Option<FieldError> {
    let Some(township) = req.township_id.and_then(|id| townships.iter().find(|t| t.id == id)) else {
        return Some(FieldError::new("township_id", ErrorCode::TownshipUnknown));
    };
    let in_township = req.village_id.is_some_and(|v| township.villages.iter().any(|x| x.id == v));
    (!in_township).then(|| FieldError::new("village_id", ErrorCode::VillageNotInTownship))
}

/// Validates a whole submission (all but the place, see `check_region`) and returns it
/// normalised, or every problem at once. `today` is `YYYY-MM-DD` in Asia/Shanghai.
pub fn validate_submission(req: &SubmitCaseRequest, today: &str) -> Result<SubmitCaseRequest, Vec<FieldError>> {
    validate_with_phone(req, today, normalize_mobile)
}

/// `validate_submission` with the phone checked by `rule`.
pub fn validate_submission_with(
    req: &SubmitCaseRequest,
    today: &str,
    rule: PhoneRule,
) -> Result<SubmitCaseRequest, Vec<FieldError>> {
    match rule {
        PhoneRule::Mobile => validate_submission(req, today),
        PhoneRule::PhoneOrPost { postal_address } => {
            validate_with_phone(req, today, |phone| match normalize_contact_phone(phone) {
                Err(ErrorCode::Required) if !postal_address.trim().is_empty() => Ok(String::new()),
                Err(ErrorCode::Required) => Err(ErrorCode::ContactMissing),
                other => other,
            })
        }
    }
}

/// The submission's checks with `phone` normalising the phone. Generic, so the
/// resident's download (which only ever checks a mobile) carries no landline code.
fn validate_with_phone(
    req: &SubmitCaseRequest,
    today: &str,
    phone: impl FnOnce(&str) -> Result<String, ErrorCode>,
) -> Result<SubmitCaseRequest, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out = req.clone();
    if req.case_type.is_none() {
        errors.push(FieldError::new("case_type", ErrorCode::Required));
    }
    errors.extend(check_length("title", &req.title, limits::TITLE));
    errors.extend(check_length("description", &req.description, limits::DESCRIPTION));
    match parse_date(req.occurred_on.trim()) {
        None if req.occurred_on.trim().is_empty() => errors.push(FieldError::new("occurred_on", ErrorCode::Required)),
        None => errors.push(FieldError::new("occurred_on", ErrorCode::DateInvalid)),
        Some(_) if req.occurred_on.trim() > today => {
            errors.push(FieldError::new("occurred_on", ErrorCode::DateInFuture))
        }
        Some(_) => {}
    }
    errors.extend(check_length("address", &req.address, (0, limits::ADDRESS_MAX)));
    if req.case_type == Some(CaseType::Dispute) {
        errors.extend(check_length("other_party_name", &req.other_party_name, (0, limits::OTHER_PARTY_MAX)));
        if req.mediation.is_none() {
            errors.push(FieldError::new("mediation", ErrorCode::MediationRequired));
        }
    } else {
        // Dispute-only answers are dropped for other types rather than stored unasked.
        out.other_party_name.clear();
        out.mediation = None;
    }
    errors.extend(check_length("contact_name", &req.contact_name, limits::CONTACT_NAME));
    match phone(&req.mobile) {
        Ok(m) => out.mobile = m,
        Err(code) => errors.push(FieldError::new("mobile", code)),
    }
    if !req.id_number.trim().is_empty() {
        match normalize_id_number(&req.id_number) {
            Ok(id) => out.id_number = id,
            Err(code) => errors.push(FieldError::new("id_number", code)),
        }
    }
    if !req.privacy_accepted {
        errors.push(FieldError::new("privacy_accepted", ErrorCode::PrivacyNotAccepted));
    }
    if req.photo_ids.len() as u32 > limits::MAX_PHOTOS {
        errors.push(FieldError {
            max: Some(limits::MAX_PHOTOS),
            ..FieldError::new("photo_ids", ErrorCode::TooManyPhotos)
        });
    }
    for text in
        [&mut out.title, &mut out.description, &mut out.address, &mut out.other_party_name, &mut out.contact_name]
    {
        *text = text.trim().to_string();
    }
    out.occurred_on = out.occurred_on.trim().to_string();
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Drops white space and turns full-width digits (０-９, typed with Chinese input
/// methods) into ASCII ones, so such typing never counts as a wrong code.
pub fn normalize_digits(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            _ => c,
        })
        .collect()
}

/// A tracking number: 13 digits, `YYMMDD` and 7 random digits (numbers of cases filed
/// before were `YYYYMMDD` and a 5-digit sequence; they start with "20", new ones never
/// will before 2100, so both stay valid and never collide). Spaces, dashes and full-width
/// digits are tolerated.
pub fn normalize_tracking_no(input: &str) -> Option<String> {
    let no: String = normalize_digits(input).chars().filter(|c| *c != '-').collect();
    (no.len() == 13 && no.bytes().all(|b| b.is_ascii_digit())).then_some(no)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::Village;

    fn valid() -> SubmitCaseRequest {
        SubmitCaseRequest {
            case_type: Some(CaseType::Complaint),
            title: "路灯不亮".into(),
            description: "村口的路灯已经坏了两个星期，晚上出行很不方便。".into(),
            occurred_on: "2026-11-01".into(),
            township_id: Some(1),
            village_id: Some(10),
            contact_name: "张三".into(),
            mobile: "138 1234 5678".into(),
            privacy_accepted: true,
            ..Default::default()
        }
    }

    fn codes(errors: &[FieldError]) -> Vec<(&str, ErrorCode)> {
        errors.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn a_valid_request_is_normalised() {
        let out = validate_submission(&valid(), "2026-11-23").unwrap();
        assert_eq!(out.mobile, "13812345678");
    }

    #[test]
    fn mobile_numbers() {
        assert_eq!(normalize_mobile("+86 138-1234-5678").unwrap(), "13812345678");
        assert_eq!(normalize_mobile("8613812345678").unwrap(), "13812345678");
        assert_eq!(normalize_mobile(""), Err(ErrorCode::Required));
        for bad in ["12812345678", "1381234567", "138123456789", "1381234567a", "02312345678"] {
            assert_eq!(normalize_mobile(bad), Err(ErrorCode::MobileInvalid), "{bad}");
        }
    }

    #[test]
    fn landlines_with_area_code_and_extension() {
        for (input, want) in [
            ("0851-12345678", "0851-12345678"),
            ("085112345678", "0851-12345678"),
            ("0851 1234 5678", "0851-12345678"),
            ("(0851)12345678", "0851-12345678"),
            ("（0851）1234567", "0851-1234567"),
            ("010-62345678", "010-62345678"),
            ("01062345678", "010-62345678"),
            ("02388888888", "023-88888888"),
            ("0851-12345678-801", "0851-12345678-801"),
            ("0851-12345678转801", "0851-12345678-801"),
            ("085112345678ext801", "0851-12345678-801"),
            ("０８５１－１２３４５６７８", "0851-12345678"),
        ] {
            assert_eq!(normalize_landline(input).as_deref(), Ok(want), "{input}");
        }
        for bad in [
            "12345678",
            "851-12345678",
            "0851-0123456",
            "0851-123456",
            "0851-123456789",
            "0851",
            "0851-12345678-1234567",
            "abc",
        ] {
            assert_eq!(normalize_landline(bad), Err(ErrorCode::LandlinePhoneInvalid), "{bad}");
        }
    }

    #[test]
    fn walk_ins_take_a_landline_or_no_phone_with_a_postal_address() {
        let walk_in = |mobile: &str, post: &'static str| {
            let req = SubmitCaseRequest { mobile: mobile.into(), ..valid() };
            validate_submission_with(&req, "2026-11-23", PhoneRule::PhoneOrPost { postal_address: post })
        };
        assert_eq!(walk_in("0851-12345678", "").unwrap().mobile, "0851-12345678");
        assert_eq!(walk_in("138 1234 5678", "").unwrap().mobile, "13812345678");
        assert_eq!(walk_in("", "桃源镇桃源村3组12号").unwrap().mobile, "");
        assert_eq!(codes(&walk_in("", "").unwrap_err()), [("mobile", ErrorCode::ContactMissing)]);
        assert_eq!(codes(&walk_in("12345", "x").unwrap_err()), [("mobile", ErrorCode::LandlinePhoneInvalid)]);
        // The resident's own form keeps requiring a mobile.
        let online = SubmitCaseRequest { mobile: "0851-12345678".into(), ..valid() };
        assert_eq!(
            codes(&validate_submission(&online, "2026-11-23").unwrap_err()),
            [("mobile", ErrorCode::MobileInvalid)]
        );
        let none = SubmitCaseRequest { mobile: String::new(), ..valid() };
        assert_eq!(codes(&validate_submission(&none, "2026-11-23").unwrap_err()), [("mobile", ErrorCode::Required)]);
    }

    #[test]
    fn id_numbers_follow_gb_11643() {
        // The standard's own example: 11010519491231002X.
        assert_eq!(normalize_id_number("11010519491231002x").unwrap(), "11010519491231002X");
        let first17 = "44052419800101001";
        let id = format!("{first17}{}", id_check_char(first17));
        assert_eq!(normalize_id_number(&id).unwrap(), id);
        assert_eq!(normalize_id_number("110105194912310021"), Err(ErrorCode::IdNumberChecksum));
        assert_eq!(normalize_id_number("11010519491331002X"), Err(ErrorCode::IdNumberInvalid));
        assert_eq!(normalize_id_number("1101051949123100"), Err(ErrorCode::IdNumberInvalid));
        assert_eq!(normalize_id_number("1101051949123100XX"), Err(ErrorCode::IdNumberInvalid));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("26-1-1"), None);
        let future = SubmitCaseRequest { occurred_on: "2026-11-24".into(), ..valid() };
        assert_eq!(
            codes(&validate_submission(&future, "2026-11-23").unwrap_err()),
            [("occurred_on", ErrorCode::DateInFuture)]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let req = SubmitCaseRequest {
            case_type: None,
            privacy_accepted: false,
            mobile: "123".into(),
            title: "灯".into(),
            ..valid()
        };
        let errors = validate_submission(&req, "2026-11-23").unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                ("case_type", ErrorCode::Required),
                ("title", ErrorCode::TooShort),
                ("mobile", ErrorCode::MobileInvalid),
                ("privacy_accepted", ErrorCode::PrivacyNotAccepted)
            ]
        );
        assert_eq!(errors[1].message(crate::Lang::Zh), "至少需要 4 个字");
    }

    #[test]
    fn disputes_need_the_mediation_answer_and_others_drop_it() {
        let dispute = SubmitCaseRequest { case_type: Some(CaseType::Dispute), ..valid() };
        assert_eq!(
            codes(&validate_submission(&dispute, "2026-11-23").unwrap_err()),
            [("mediation", ErrorCode::MediationRequired)]
        );
        let other = SubmitCaseRequest {
            mediation: Some(crate::Mediation::Willing),
            other_party_name: "李四".into(),
            ..valid()
        };
        let out = validate_submission(&other, "2026-11-23").unwrap();
        assert_eq!((out.mediation, out.other_party_name.as_str()), (None, ""));
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let long = SubmitCaseRequest { title: "路".repeat(41), ..valid() };
        assert_eq!(codes(&validate_submission(&long, "2026-11-23").unwrap_err()), [("title", ErrorCode::TooLong)]);
        let ok = SubmitCaseRequest { title: "路".repeat(40), ..valid() };
        assert!(validate_submission(&ok, "2026-11-23").is_ok());
    }

    #[test]
    fn too_many_photos() {
        let req = SubmitCaseRequest { photo_ids: vec!["a".into(); 4], ..valid() };
        assert_eq!(
            codes(&validate_submission(&req, "2026-11-23").unwrap_err()),
            [("photo_ids", ErrorCode::TooManyPhotos)]
        );
    }

    #[test]
    fn village_must_belong_to_township() {
        let places =
            vec![Township {
                id: 1, name: "桃源镇".into(), villages: vec![Village { id: 10, name: "桃源村".into() }]
            }];
        assert_eq!(check_region(&valid(), &places), None);
        let wrong = SubmitCaseRequest { village_id: Some(11), ..valid() };
        assert_eq!(check_region(&wrong, &places).unwrap().code, ErrorCode::VillageNotInTownship);
        let unknown = SubmitCaseRequest { township_id: Some(2), ..valid() };
        assert_eq!(check_region(&unknown, &places).unwrap().code, ErrorCode::TownshipUnknown);
    }

    #[test]
    fn tracking_numbers_tolerate_dashes_and_full_width_digits() {
        assert_eq!(normalize_tracking_no("261206-1234567").as_deref(), Some("2612061234567"));
        assert_eq!(normalize_tracking_no("２６１２０６ １２３４５６７").as_deref(), Some("2612061234567"));
        assert_eq!(normalize_tracking_no("20261123 00012").as_deref(), Some("2026112300012"), "earlier cases");
        assert_eq!(normalize_tracking_no("26120612345678"), None, "14 digits");
        assert_eq!(normalize_tracking_no("261206123456x"), None);
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_kept() {
        assert_eq!(check_length("title", "路灯\0坏了", (2, 50)).map(|e| e.code), Some(ErrorCode::InvalidCharacters));
        assert_eq!(
            check_length("title", "路灯\u{1b}[31m", (2, 50)).map(|e| e.code),
            Some(ErrorCode::InvalidCharacters)
        );
        assert_eq!(check_length("description", "第一行\r\n第二行\t完", (2, 50)), None);
        assert_eq!(search_text(" 路\0灯坏 "), "路灯坏");
        assert_eq!(search_text(&"长".repeat(1000)).chars().count(), limits::SEARCH_MAX);
    }

    #[test]
    fn tracking_numbers() {
        assert_eq!(normalize_tracking_no(" 2026112300001 ").as_deref(), Some("2026112300001"));
        assert_eq!(normalize_tracking_no("2026 1123 00001").as_deref(), Some("2026112300001"));
        assert_eq!(normalize_tracking_no("20261123"), None);
        assert_eq!(normalize_tracking_no("２０２６１１２３０００１２").as_deref(), Some("2026112300012"));
        assert_eq!(normalize_digits(" ４７9 9３ "), "47993");
        assert_eq!(normalize_mobile("１３８１２３４５６７８").unwrap(), "13812345678");
    }
}
