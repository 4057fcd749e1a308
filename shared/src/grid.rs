//! Grids (网格): finding one's grid from where one lives, and the grid's public page —
//! its worker and 3+N team, supervision phone and service items (Binzhou Art.6, 10).
//! Wire types of `/api/v1/grids…` and `/api/v1/console/grids…`, and their validation.

pub mod gcj02;

use crate::validate::{char_len, check_length, normalize_mobile};
use crate::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};

/// A member of a grid's team: the grid worker and the "3+N" forces around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GridRole {
    /// 网格员
    Worker,
    /// 乡镇指导员
    TownGuide,
    /// 村干部
    VillageCadre,
    /// 寨长
    HamletHead,
    /// 保洁员
    Cleaner,
    /// 水管员
    WaterKeeper,
    /// 护路员
    RoadKeeper,
    /// 安全员
    SafetyOfficer,
    /// 护林员
    ForestRanger,
}

impl GridRole {
    /// Every role, in the order a grid page lists them.
    pub const ALL: [GridRole; 9] = [
        GridRole::Worker,
        GridRole::TownGuide,
        GridRole::VillageCadre,
        GridRole::HamletHead,
        GridRole::Cleaner,
        GridRole::WaterKeeper,
        GridRole::RoadKeeper,
        GridRole::SafetyOfficer,
        GridRole::ForestRanger,
    ];

    /// The stable code on the wire, in the database and in CSV files.
    pub fn code(self) -> &'static str {
        match self {
            GridRole::Worker => "worker",
            GridRole::TownGuide => "town_guide",
            GridRole::VillageCadre => "village_cadre",
            GridRole::HamletHead => "hamlet_head",
            GridRole::Cleaner => "cleaner",
            GridRole::WaterKeeper => "water_keeper",
            GridRole::RoadKeeper => "road_keeper",
            GridRole::SafetyOfficer => "safety_officer",
            GridRole::ForestRanger => "forest_ranger",
        }
    }

    /// The zh-CN name.
    pub fn label(self) -> &'static str {
        match self {
            GridRole::Worker => "网格员",
            GridRole::TownGuide => "乡镇指导员",
            GridRole::VillageCadre => "村干部",
            GridRole::HamletHead => "寨长",
            GridRole::Cleaner => "保洁员",
            GridRole::WaterKeeper => "水管员",
            GridRole::RoadKeeper => "护路员",
            GridRole::SafetyOfficer => "安全员",
            GridRole::ForestRanger => "护林员",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<GridRole> {
        GridRole::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Parses what a spreadsheet holds: the code or the zh-CN name, spaces ignored.
    pub fn parse(text: &str) -> Option<GridRole> {
        let text = text.trim();
        GridRole::ALL.into_iter().find(|r| r.code().eq_ignore_ascii_case(text) || r.label() == text)
    }
}

/// One member of a grid's team. Public by regulation (Binzhou Art.6): the full phone is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridPerson {
    pub role: GridRole,
    pub name: String,
    pub phone: String,
}

/// A grid and where it belongs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridSummary {
    pub id: i64,
    /// E.g. `AL010101`: county, township, village, grid.
    pub code: String,
    pub name: String,
    pub township_id: i64,
    pub township: String,
    pub village_id: i64,
    pub village: String,
}

/// A grid's public page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridDetail {
    pub summary: GridSummary,
    pub area_description: String,
    pub supervision_phone: String,
    /// The grid worker first, then the 3+N team in `GridRole::ALL` order.
    pub people: Vec<GridPerson>,
    /// 网格服务事项.
    pub service_items: Vec<String>,
    /// The rings, `[lon, lat]` WGS84, of the boundary in effect today, simplified for
    /// drawing: each polygon's outer ring followed by its holes (a reservoir, say),
    /// drawn even-odd so a hole stays empty; empty when the grid has no boundary yet.
    pub outline: Vec<Vec<[f64; 2]>>,
    /// 0 when the grid has no boundary yet.
    pub boundary_version: u32,
    /// `YYYY-MM-DD`; empty when the grid has no boundary yet.
    pub effective_from: String,
}

/// The grid of a point: the one whose boundary holds it, or else the nearest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocateResult {
    pub grid: GridSummary,
    /// True when the point is inside the boundary (or on its edge).
    pub inside: bool,
    /// When `inside` is false: metres from the point to the nearest grid's boundary.
    pub distance_m: Option<f64>,
}

/// One answer of the address search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridMatch {
    pub grid: GridSummary,
    /// What matched: the grid's, village's or township's name, or an address/place keyword.
    pub matched: String,
}

/// The answer to an import: how many features/rows were stored, or every problem.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub imported: u32,
    pub errors: Vec<ImportProblem>,
}

/// One bad row or feature of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    /// CSV: the 1-based line number in the file (the header is line 1).
    pub line: Option<u32>,
    /// GeoJSON: the 1-based number of the feature in `features`.
    pub feature: Option<u32>,
    /// zh-CN, naming the line or feature.
    pub message: String,
}

/// What staff edit on a grid's page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridUpdate {
    pub area_description: String,
    pub supervision_phone: String,
    pub people: Vec<GridPerson>,
    pub service_items: Vec<String>,
}

/// Limits of a grid's page.
pub mod limits {
    pub const AREA_DESCRIPTION: (u32, u32) = (0, 500);
    pub const PERSON_NAME: (u32, u32) = (1, 20);
    pub const SERVICE_ITEM: (u32, u32) = (1, 100);
    pub const MAX_PEOPLE: u32 = 30;
    pub const MAX_SERVICE_ITEMS: u32 = 30;
    /// Address search answers at most this many grids.
    pub const SEARCH_RESULTS: usize = 10;
}

/// A phone on a grid page: a mainland mobile, a landline (`0851-12345678`, area code
/// optional) or a short service number such as 12345. Spaces and full-width digits are
/// tolerated; the answer is what is shown.
pub fn normalize_phone(input: &str) -> Result<String, ErrorCode> {
    let text: String = crate::validate::normalize_digits(input);
    if text.is_empty() {
        return Err(ErrorCode::Required);
    }
    if let Ok(mobile) = normalize_mobile(&text) {
        return Ok(mobile);
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let valid = match text.split_once('-') {
        Some((area, number)) => {
            digits(area)
                && area.starts_with('0')
                && (3..=4).contains(&area.len())
                && number.len() >= 5
                && number.len() <= 8
                && digits(number)
        }
        None => digits(&text) && (5..=12).contains(&text.len()),
    };
    if valid { Ok(text) } else { Err(ErrorCode::PhoneInvalid) }
}

/// Checks one person of a team; `field` is its path, e.g. `people[2]`.
pub fn check_person(field: &str, person: &GridPerson) -> (GridPerson, Vec<FieldError>) {
    let mut errors = Vec::new();
    if let Some(e) = check_length(&format!("{field}.name"), &person.name, limits::PERSON_NAME) {
        errors.push(e);
    }
    let phone = match normalize_phone(&person.phone) {
        Ok(phone) => phone,
        Err(code) => {
            errors.push(FieldError::new(&format!("{field}.phone"), code));
            person.phone.trim().to_string()
        }
    };
    (GridPerson { role: person.role, name: person.name.trim().to_string(), phone }, errors)
}

/// Validates an edit of a grid's page; answers it normalised (trimmed, team in role
/// order), or every problem at once.
pub fn validate_grid_update(update: &GridUpdate) -> Result<GridUpdate, Vec<FieldError>> {
    let mut errors = Vec::new();
    if let Some(e) = check_length("area_description", &update.area_description, limits::AREA_DESCRIPTION) {
        errors.push(e);
    }
    let supervision_phone = match normalize_phone(&update.supervision_phone) {
        Ok(phone) => phone,
        Err(code) => {
            errors.push(FieldError::new("supervision_phone", code));
            String::new()
        }
    };
    let mut people = Vec::new();
    for (i, person) in update.people.iter().enumerate() {
        let (person, problems) = check_person(&format!("people[{i}]"), person);
        errors.extend(problems);
        people.push(person);
    }
    if !people.iter().any(|p| p.role == GridRole::Worker) {
        errors.push(FieldError::new("people", ErrorCode::GridWorkerRequired));
    }
    if people.len() as u32 > limits::MAX_PEOPLE {
        errors.push(FieldError { max: Some(limits::MAX_PEOPLE), ..FieldError::new("people", ErrorCode::TooLong) });
    }
    people.sort_by_key(|p| p.role);
    let service_items: Vec<String> =
        update.service_items.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    for (i, item) in service_items.iter().enumerate() {
        if char_len(item) > limits::SERVICE_ITEM.1 {
            let field = format!("service_items[{i}]");
            errors
                .push(FieldError { max: Some(limits::SERVICE_ITEM.1), ..FieldError::new(&field, ErrorCode::TooLong) });
        }
    }
    if service_items.len() as u32 > limits::MAX_SERVICE_ITEMS {
        let max = Some(limits::MAX_SERVICE_ITEMS);
        errors.push(FieldError { max, ..FieldError::new("service_items", ErrorCode::TooLong) });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(GridUpdate {
        area_description: update.area_description.trim().to_string(),
        supervision_phone,
        people,
        service_items,
    })
}

/// An address search query as matched: full-width letters and digits (Chinese input
/// methods) made ASCII, white space and control characters dropped, Latin letters
/// lower-cased, cut to `limits::SEARCH_MAX` characters.
pub fn normalize_search(query: &str) -> String {
    query
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(crate::validate::limits::SEARCH_MAX)
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// What the address search tries, longest first: the (normalised) address itself,
/// then shorter and shorter leading parts cut where an address unit ends (…村, …组,
/// …小区, …栋, …单元, …室), so "幸福小区5栋2单元301室" is found by its known part
/// "幸福小区5栋". Cuts fall only after such a unit, never inside a number: an unknown
/// "幸福小区15栋" falls back to "幸福小区", not to "幸福小区1". Parts shorter than 2
/// characters are not tried.
pub fn address_candidates(query: &str) -> Vec<String> {
    const UNIT_ENDS: &[char] = &[
        '省', '市', '县', '区', '镇', '乡', '街', '道', '村', '组', '寨', '屯', '庄', '路', '巷', '弄', '号', '栋',
        '幢', '座', '元', '层', '楼', '室', '户', '苑', '园', '里', '湾',
    ];
    let query = normalize_search(query);
    let mut candidates = vec![query.clone()];
    let ends: Vec<usize> =
        query.char_indices().filter(|(_, c)| UNIT_ENDS.contains(c)).map(|(i, c)| i + c.len_utf8()).collect();
    for end in ends.into_iter().rev() {
        let part = &query[..end];
        // "…5栋" followed by "2" is not a cut: the next character starts a new unit only
        // when this one is complete, which a unit character marks.
        if part.chars().count() >= 2 && !candidates.iter().any(|c| c == part) {
            candidates.push(part.to_string());
        }
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_tried_from_its_longest_known_part() {
        assert_eq!(
            address_candidates("幸福小区5栋2单元301室"),
            ["幸福小区5栋2单元301室", "幸福小区5栋2单元", "幸福小区5栋", "幸福小区"]
        );
        assert_eq!(address_candidates("幸福小区 15栋"), ["幸福小区15栋", "幸福小区"]);
        assert_eq!(address_candidates("桃源村3组张家"), ["桃源村3组张家", "桃源村3组", "桃源村"]);
        assert_eq!(address_candidates("桃源"), ["桃源"]);
        assert_eq!(address_candidates("村"), ["村"], "a lone unit is the query itself, not a cut");
    }

    #[test]
    fn roles_parse_from_code_or_chinese_name() {
        for role in GridRole::ALL {
            assert_eq!(GridRole::parse(role.code()), Some(role));
            assert_eq!(GridRole::parse(&format!(" {} ", role.label())), Some(role));
            assert_eq!(GridRole::from_code(role.code()), Some(role));
        }
        assert_eq!(GridRole::parse("WORKER"), Some(GridRole::Worker));
        assert_eq!(GridRole::parse("村长"), None);
    }

    #[test]
    fn phones_are_mobiles_landlines_or_service_numbers() {
        assert_eq!(normalize_phone("138 1234 5678").as_deref(), Ok("13812345678"));
        assert_eq!(normalize_phone("0851-２８２２１２３４").as_deref(), Ok("0851-28221234"));
        assert_eq!(normalize_phone("12345").as_deref(), Ok("12345"));
        assert_eq!(normalize_phone("").unwrap_err(), ErrorCode::Required);
        for bad in ["1234", "abc", "851-28221234", "0851-", "0851-123456789", "138-1234-5678x"] {
            assert_eq!(normalize_phone(bad).unwrap_err(), ErrorCode::PhoneInvalid, "{bad}");
        }
    }

    #[test]
    fn an_update_needs_a_worker_and_valid_phones() {
        let person = |role, name: &str, phone: &str| GridPerson { role, name: name.into(), phone: phone.into() };
        let update = GridUpdate {
            area_description: " 东至河 ".into(),
            supervision_phone: "0851-28221234".into(),
            people: vec![
                person(GridRole::Cleaner, "李四", "13900000001"),
                person(GridRole::Worker, "张三", "13900000002"),
            ],
            service_items: vec![" 矛盾纠纷调解 ".into(), "".into()],
        };
        let ok = validate_grid_update(&update).unwrap();
        assert_eq!(ok.people[0].role, GridRole::Worker, "worker listed first");
        assert_eq!(ok.service_items, ["矛盾纠纷调解"]);
        assert_eq!(ok.area_description, "东至河");

        let bad =
            GridUpdate { supervision_phone: "x".into(), people: vec![person(GridRole::Cleaner, "", "1")], ..update };
        let fields: Vec<_> = validate_grid_update(&bad).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            [
                ("supervision_phone".into(), ErrorCode::PhoneInvalid),
                ("people[0].name".into(), ErrorCode::Required),
                ("people[0].phone".into(), ErrorCode::PhoneInvalid),
                ("people".into(), ErrorCode::GridWorkerRequired),
            ]
        );
    }

    #[test]
    fn search_queries_are_normalised() {
        assert_eq!(normalize_search(" 幸福小区５栋 "), "幸福小区5栋");
        assert_eq!(normalize_search("ＡＢ c"), "abc");
    }
}
