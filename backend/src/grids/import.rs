//! Imports: boundaries as a GeoJSON FeatureCollection, teams as CSV. Reading checks the
//! file alone; storing checks it against the database and writes it in the caller's
//! one write transaction. Either everything is stored or, with every problem listed by
//! feature or line, nothing (`AppError::Import` rolls the transaction back).

mod people;

pub use people::{line_problem, read_lines, read_people, store_people};

use super::{Actor, geojson};
use crate::db::grids::{self as store, Event};
use crate::error::AppError;
use ow_shared::grid::{ImportProblem, ImportReport, normalize_phone, normalize_search};
use ow_shared::validate::char_len;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::collections::HashSet;

/// One feature of a boundary file, read and checked on its own.
pub struct Feature {
    /// 1-based, as in the problems' messages.
    pub number: u32,
    pub code: String,
    pub name: Option<String>,
    pub township: Option<String>,
    pub village: Option<String>,
    pub area_description: Option<String>,
    pub supervision_phone: Option<String>,
    pub service_items: Option<Vec<String>>,
    pub places: Option<Vec<String>>,
    /// GeoJSON as stored.
    pub geometry: String,
}

fn feature_problem(number: u32, code: &str, message: impl std::fmt::Display) -> ImportProblem {
    let who = if code.is_empty() { String::new() } else { format!("（{code}）") };
    ImportProblem { line: None, feature: Some(number), message: format!("第 {number} 个要素{who}：{message}") }
}

pub(crate) fn file_problem(message: impl Into<String>) -> ImportProblem {
    ImportProblem { line: None, feature: None, message: message.into() }
}

/// Text without a UTF-8 byte-order mark (Excel and WPS write one).
fn utf8(body: &[u8]) -> Result<&str, ImportProblem> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    std::str::from_utf8(body).map_err(|_| {
        file_problem(
            "文件不是 UTF-8 编码；请在 Excel/WPS 中“另存为”选择“CSV UTF-8（逗号分隔）”，或用文本编辑器转为 UTF-8",
        )
    })
}

/// Reads a FeatureCollection: the features that are fine, and the problems of the rest.
pub fn read_features(body: &[u8]) -> (Vec<Feature>, Vec<ImportProblem>) {
    let text = match utf8(body) {
        Ok(text) => text,
        Err(problem) => return (Vec::new(), vec![problem]),
    };
    let collection: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            let message = format!("不是有效的 GeoJSON（JSON 格式错误，第 {} 行第 {} 列）", e.line(), e.column());
            return (Vec::new(), vec![ImportProblem { line: Some(e.line() as u32), ..file_problem(message) }]);
        }
    };
    let features = match (collection.get("type").and_then(Value::as_str), collection.get("features")) {
        (Some("FeatureCollection"), Some(Value::Array(features))) if !features.is_empty() => features,
        (Some("FeatureCollection"), _) => {
            return (Vec::new(), vec![file_problem("FeatureCollection 中没有要素（features）")]);
        }
        _ => return (Vec::new(), vec![file_problem("文件应为 GeoJSON 的 FeatureCollection")]),
    };
    let mut read = Vec::new();
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for (i, feature) in features.iter().enumerate() {
        let number = i as u32 + 1;
        match read_feature(number, feature) {
            Ok(feature) if !seen.insert(feature.code.clone()) => {
                problems.push(feature_problem(number, &feature.code, "网格编码在文件中重复出现"));
            }
            Ok(feature) => read.push(feature),
            Err(mut found) => problems.append(&mut found),
        }
    }
    (read, problems)
}

fn read_feature(number: u32, feature: &Value) -> Result<Feature, Vec<ImportProblem>> {
    let properties = feature.get("properties").and_then(Value::as_object);
    let text = |key: &str| properties.and_then(|p| p.get(key)).and_then(Value::as_str).map(|s| s.trim().to_string());
    let code = text("code").unwrap_or_default();
    let mut problems = Vec::new();
    let mut problem = |message: String| problems.push(feature_problem(number, &code, message));
    if feature.get("type").and_then(Value::as_str) != Some("Feature") {
        problem("应为 type 为 Feature 的要素".into());
    }
    let code_ok = !code.is_empty() && code.len() <= 32 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !code_ok {
        problem("properties.code（网格编码）缺失或无效：应为字母、数字组成，如 AL010101".into());
    }
    for key in ["name", "township", "village", "area_description", "supervision_phone"] {
        if properties.and_then(|p| p.get(key)).is_some_and(|v| !v.is_string() && !v.is_null()) {
            problem(format!("properties.{key} 应为文本"));
        }
    }
    let list = |key: &str, problem: &mut dyn FnMut(String)| -> Option<Vec<String>> {
        let value = properties.and_then(|p| p.get(key)).filter(|v| !v.is_null())?;
        match value.as_array().map(|a| a.iter().map(|v| v.as_str().map(|s| s.trim().to_string())).collect()) {
            Some(Some(items)) => Some(items),
            _ => {
                problem(format!("properties.{key} 应为文本数组"));
                None
            }
        }
    };
    let service_items = list("service_items", &mut problem);
    let places =
        list("places", &mut problem).map(|p| p.iter().map(|p| normalize_search(p)).filter(|p| !p.is_empty()).collect());
    let name = text("name").filter(|n| !n.is_empty());
    if name.as_ref().is_some_and(|n| char_len(n) > 40) {
        problem("网格名称最多 40 个字".into());
    }
    let area_description = text("area_description");
    if area_description.as_ref().is_some_and(|a| char_len(a) > 500) {
        problem("区域描述最多 500 个字".into());
    }
    let supervision_phone = match text("supervision_phone").filter(|p| !p.is_empty()) {
        Some(phone) => match normalize_phone(&phone) {
            Ok(phone) => Some(phone),
            Err(_) => {
                problem(format!("监督电话“{phone}”无效"));
                None
            }
        },
        None => None,
    };
    let geometry = match feature.get("geometry").map(geojson::read) {
        Some(Ok(shape)) => Some(shape.geometry.to_string()),
        Some(Err(found)) => {
            found.into_iter().for_each(&mut problem);
            None
        }
        None => {
            problem("缺少几何对象（geometry）".into());
            None
        }
    };
    match geometry {
        Some(geometry) if problems.is_empty() => Ok(Feature {
            number,
            code,
            name,
            township: text("township"),
            village: text("village"),
            area_description,
            supervision_phone,
            service_items,
            places,
            geometry,
        }),
        _ => Err(problems),
    }
}

/// Stores checked features as boundary versions effective from `effective_from`;
/// `problems` are those found reading the file. A feature whose geometry equals the
/// grid's newest version only updates its properties; a re-drawn one gets a new version,
/// which must start after the newest. A code not yet known makes a new grid when the
/// feature names its township, village and name.
pub fn store_boundaries(
    conn: &Connection,
    features: Vec<Feature>,
    effective_from: &str,
    actor: &Actor,
    at_ms: i64,
    mut problems: Vec<ImportProblem>,
) -> Result<ImportReport, AppError> {
    let mut ids = store::ids_by_code(conn)?;
    let mut plans = Vec::new();
    for feature in &features {
        let problem = |message: String| feature_problem(feature.number, &feature.code, message);
        let id = match ids.get(&feature.code) {
            Some(&id) => id,
            None => match (&feature.township, &feature.village, &feature.name) {
                (Some(township), Some(village), Some(name)) => {
                    match store::village_by_names(conn, township, village)? {
                        Some(village_id) => {
                            let id = store::insert_grid(conn, village_id, &feature.code, name)?;
                            ids.insert(feature.code.clone(), id);
                            id
                        }
                        None => {
                            problems.push(problem(format!("乡镇（街道）“{township}”下没有村（社区）“{village}”")));
                            continue;
                        }
                    }
                }
                _ => {
                    let message = "网格编码不存在；新建网格须在 properties 中写明 township、village 和 name";
                    problems.push(problem(message.into()));
                    continue;
                }
            },
        };
        let latest = store::latest_boundary(conn, id)?;
        let version = match &latest {
            Some(latest) if latest.geometry == feature.geometry => None,
            Some(latest) if latest.effective_from.as_str() >= effective_from => {
                problems.push(problem(format!(
                    "生效日期 {effective_from} 须晚于该网格最新边界（第 {} 版）的生效日期 {}",
                    latest.version, latest.effective_from
                )));
                continue;
            }
            Some(latest) => Some(latest.version + 1),
            None => Some(1),
        };
        plans.push((id, version, feature));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.feature.unwrap_or(0));
        return Err(AppError::Import(ImportReport { imported: 0, errors: problems }));
    }
    for (id, version, feature) in &plans {
        if let Some(name) = &feature.name {
            store::set_name(conn, *id, name)?;
        }
        if feature.area_description.is_some() || feature.supervision_phone.is_some() {
            let page = store::page(conn, *id)?;
            let area = feature.area_description.as_deref().unwrap_or(&page.area_description);
            let phone = feature.supervision_phone.as_deref().unwrap_or(&page.supervision_phone);
            store::set_page_fields(conn, *id, area, phone)?;
        }
        if let Some(items) = &feature.service_items {
            store::replace_service_items(conn, *id, items)?;
        }
        if let Some(places) = &feature.places {
            store::replace_places(conn, *id, places)?;
        }
        if let Some(version) = version {
            store::insert_boundary(conn, *id, *version, effective_from, &feature.geometry, at_ms)?;
        }
        let detail = json!({ "version": version, "effective_from": effective_from, "redrawn": version.is_some() });
        let event = Event {
            grid_id: *id,
            at_ms,
            actor_id: actor.id,
            actor: &actor.name,
            kind: "boundary_import",
            detail: detail.to_string(),
        };
        store::record(conn, &event)?;
    }
    store::rebuild_search(conn)?;
    Ok(ImportReport { imported: plans.len() as u32, errors: Vec::new() })
}
