//! The unit tree as CSV (`level,name,parent,township,village`, or 级别,名称,上级单位,
//! 乡镇（街道）,村（社区）): administrators export it, rename and re-place units in a
//! spreadsheet and import it back. The file is checked as a whole, as the grid imports
//! are: every bad line is named with a zh-CN reason and nothing is stored.
//!
//! What a line may say follows the county's three levels (DOMAIN.md: 县综治中心 ← 乡镇/街道
//! 综治中心 ← 村/社区服务站): one county centre without a parent; a township centre under
//! the county centre; a village station under the centre of its own township — never
//! directly under the county (a village is reached through its township: 小事不出村、大事
//! 不出镇). Each line names the place its unit serves, which must exist (places come from
//! the regions and the grid imports; this file names and places their units, it does not
//! make townships or villages). Units not in the file stay as they are.

use crate::db::units;
use crate::error::AppError;
use crate::grids::export::inert;
use crate::grids::import::{file_problem, line_problem, read_lines};
use ow_shared::grid::{ImportProblem, ImportReport};
use ow_shared::unit::{UNIT_NAME_CHARS, Unit, UnitLevel};
use ow_shared::validate::char_len;
use rusqlite::{Connection, params};
use std::collections::HashMap;

const HEADER: [&str; 5] = ["level", "name", "parent", "township", "village"];
const HEADER_ZH: [&str; 5] = ["级别", "名称", "上级单位", "乡镇（街道）", "村（社区）"];

/// One line of a unit-tree file.
#[derive(Debug, Clone)]
pub struct UnitRow {
    pub line: u32,
    pub level: UnitLevel,
    pub name: String,
    pub parent: String,
    pub township: String,
    pub village: String,
}

/// A level as written: its code, its label, or the short word.
fn level_of(text: &str) -> Option<UnitLevel> {
    match text {
        "county" | "县级" | "县" => Some(UnitLevel::County),
        "township" | "乡镇（街道）" | "乡镇(街道)" | "乡镇" | "街道" => Some(UnitLevel::Township),
        "village" | "村（社区）" | "村(社区)" | "村" | "社区" => Some(UnitLevel::Village),
        _ => None,
    }
}

/// Reads a unit-tree CSV: the lines that are fine on their own, and the problems of the rest.
pub fn read(body: &[u8]) -> (Vec<UnitRow>, Vec<ImportProblem>) {
    let hint = "表头应为 level,name,parent,township,village（或 级别,名称,上级单位,乡镇（街道）,村（社区））";
    let (lines, mut problems) = read_lines(body, &HEADER, &HEADER_ZH, hint);
    let mut rows = Vec::new();
    for (line, fields) in lines {
        if fields.len() != 5 {
            let message =
                format!("应有 5 列（级别、名称、上级单位、乡镇（街道）、村（社区）），现有 {} 列", fields.len());
            problems.push(line_problem(line, message));
            continue;
        }
        let mut wrong = Vec::new();
        let level = level_of(&fields[0]);
        if level.is_none() {
            wrong.push(format!("级别“{}”无法识别，可填：县级、乡镇（街道）、村（社区）", fields[0]));
        }
        let chars = char_len(&fields[1]);
        if chars < UNIT_NAME_CHARS.0 || chars > UNIT_NAME_CHARS.1 {
            wrong.push(format!("名称应为 {} 至 {} 个字", UNIT_NAME_CHARS.0, UNIT_NAME_CHARS.1));
        }
        match (level, wrong.is_empty()) {
            (Some(level), true) => rows.push(UnitRow {
                line,
                level,
                name: fields[1].clone(),
                parent: fields[2].clone(),
                township: fields[3].clone(),
                village: fields[4].clone(),
            }),
            _ => problems.push(line_problem(line, wrong.join("；"))),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(file_problem("文件没有数据行"));
    }
    (rows, problems)
}

/// The unit a line is about, found by the place it serves; or why there is none.
fn unit_of(conn: &Connection, row: &UnitRow) -> Result<Result<Unit, String>, AppError> {
    let township = |conn: &Connection| -> Result<Option<i64>, AppError> {
        Ok(conn
            .prepare_cached("SELECT id FROM townships WHERE name = ?1")?
            .query_row([&row.township], |r| r.get(0))
            .ok())
    };
    Ok(match row.level {
        UnitLevel::County if !row.township.is_empty() || !row.village.is_empty() => {
            Err("县级单位不填乡镇（街道）和村（社区）".into())
        }
        UnitLevel::County => Ok(units::county(conn)?),
        UnitLevel::Township if !row.village.is_empty() => Err("乡镇（街道）综治中心不填村（社区）".into()),
        UnitLevel::Township | UnitLevel::Village if row.township.is_empty() => Err("缺少所在乡镇（街道）".into()),
        UnitLevel::Township => match township(conn)? {
            Some(id) => {
                units::township_centre(conn, id)?.ok_or_else(|| format!("乡镇（街道）“{}”没有综治中心", row.township))
            }
            None => Err(format!("找不到乡镇（街道）“{}”", row.township)),
        },
        UnitLevel::Village if row.village.is_empty() => Err("缺少所在村（社区）".into()),
        UnitLevel::Village => {
            let village: Option<i64> = match township(conn)? {
                Some(t) => conn
                    .prepare_cached("SELECT id FROM villages WHERE township_id = ?1 AND name = ?2")?
                    .query_row(params![t, &row.village], |r| r.get(0))
                    .ok(),
                None => return Ok(Err(format!("找不到乡镇（街道）“{}”", row.township))),
            };
            match village {
                Some(id) => {
                    units::village_station(conn, id)?.ok_or_else(|| format!("村（社区）“{}”没有服务站", row.village))
                }
                None => Err(format!("乡镇（街道）“{}”下没有村（社区）“{}”", row.township, row.village)),
            }
        }
    })
}

/// The chain of parents from a line, by name, if it comes back to the line: `A → B → A`.
fn cycle_from(start: &str, parent_of: &HashMap<&str, &str>) -> Option<String> {
    let mut chain = vec![start];
    let mut at = start;
    while let Some(&parent) = parent_of.get(at) {
        if parent == start {
            chain.push(parent);
            return Some(chain.join(" → "));
        }
        if chain.contains(&parent) || chain.len() > parent_of.len() {
            return None; // a loop further up: reported on its own lines
        }
        chain.push(parent);
        at = parent;
    }
    None
}

/// Why a parent does not fit a line's level, if it does not: the parent must be exactly
/// one level up, and a village's the centre of its own township.
fn misfit(row: &UnitRow, parent: &UnitRow) -> Option<String> {
    match (row.level, parent.level) {
        (UnitLevel::County, _) => Some("县级单位没有上级单位".into()),
        (UnitLevel::Township, UnitLevel::County) => None,
        (UnitLevel::Township, _) => Some("乡镇（街道）综治中心的上级应为县级单位".into()),
        (UnitLevel::Village, UnitLevel::Township) if parent.township == row.township => None,
        (UnitLevel::Village, UnitLevel::Township) => {
            Some(format!("村（社区）服务站的上级应为所在乡镇（街道）“{}”的综治中心", row.township))
        }
        (UnitLevel::Village, UnitLevel::County) => Some(
            "村（社区）服务站不能直接隶属县级单位：县—乡镇（街道）—村（社区）三级，上级应为所在乡镇（街道）的综治中心"
                .into(),
        ),
        (UnitLevel::Village, UnitLevel::Village) => Some("村（社区）服务站的上级不能是村（社区）服务站".into()),
    }
}

/// Checks the whole file against the database and, if nothing is wrong, names and
/// places every unit it lists, in the caller's one write transaction.
pub fn store(
    conn: &Connection,
    rows: Vec<UnitRow>,
    mut problems: Vec<ImportProblem>,
) -> Result<ImportReport, AppError> {
    if rows.is_empty() {
        // Nothing readable (a wrong header, no data lines): the reading's problems say why.
        return Err(AppError::Import(ImportReport { imported: 0, errors: problems }));
    }
    let mut found: Vec<(UnitRow, Unit)> = Vec::new();
    let mut by_name: HashMap<&str, &UnitRow> = HashMap::new();
    let mut by_unit: HashMap<i64, u32> = HashMap::new();
    for row in &rows {
        if let Some(first) = by_name.get(row.name.as_str()) {
            problems.push(line_problem(row.line, format!("名称“{}”与第 {} 行重复", row.name, first.line)));
            continue;
        }
        by_name.insert(&row.name, row);
        match unit_of(conn, row)? {
            Err(why) => problems.push(line_problem(row.line, why)),
            Ok(unit) => match by_unit.get(&unit.id) {
                Some(first) => {
                    problems.push(line_problem(row.line, format!("与第 {first} 行是同一单位（同一地方只有一个）")))
                }
                None => {
                    by_unit.insert(unit.id, row.line);
                    found.push((row.clone(), unit));
                }
            },
        }
    }
    let counties: Vec<&UnitRow> = rows.iter().filter(|r| r.level == UnitLevel::County).collect();
    if counties.len() != 1 {
        let lines: Vec<String> = counties.iter().map(|r| r.line.to_string()).collect();
        let message = match lines.len() {
            0 => "文件中应有一个县级单位（整棵单位树的根）".to_string(),
            _ => format!("文件中只能有一个县级单位，现有 {} 个（第 {} 行）", lines.len(), lines.join("、")),
        };
        problems.push(file_problem(message));
    }
    // Units the file leaves out keep their names, which the file must not take.
    for unit in units::all(conn)? {
        if let Some(row) = by_name.get(unit.name.as_str())
            && !by_unit.contains_key(&unit.id)
        {
            problems.push(line_problem(row.line, format!("名称“{}”已是文件之外的单位的名称", row.name)));
        }
    }
    let parent_of: HashMap<&str, &str> =
        rows.iter().filter(|r| !r.parent.is_empty()).map(|r| (r.name.as_str(), r.parent.as_str())).collect();
    for row in &rows {
        if row.parent.is_empty() {
            if row.level != UnitLevel::County {
                problems.push(line_problem(row.line, "缺少上级单位"));
            }
            continue;
        }
        if let Some(cycle) = cycle_from(&row.name, &parent_of) {
            problems.push(line_problem(row.line, format!("上级关系成环：{cycle}")));
            continue;
        }
        match by_name.get(row.parent.as_str()) {
            None => problems.push(line_problem(row.line, format!("上级单位“{}”不在文件中", row.parent))),
            Some(parent) => problems.extend(misfit(row, parent).map(|why| line_problem(row.line, why))),
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line.unwrap_or(0));
        problems.dedup();
        return Err(AppError::Import(ImportReport { imported: 0, errors: problems }));
    }
    // Parents before children, so every parent is in place when its children are set.
    found.sort_by_key(|(row, _)| std::cmp::Reverse(row.level));
    let ids: HashMap<&str, i64> = found.iter().map(|(row, unit)| (row.name.as_str(), unit.id)).collect();
    for (row, unit) in &found {
        let parent = ids.get(row.parent.as_str()).copied();
        conn.prepare_cached("UPDATE units SET name = ?2, parent_id = ?3 WHERE id = ?1")?
            .execute(params![unit.id, row.name, parent])?;
    }
    Ok(ImportReport { imported: found.len() as u32, errors: Vec::new() })
}

/// Every unit as the import takes it (UTF-8 with a BOM, for Excel and WPS).
pub fn export(conn: &Connection) -> Result<Vec<u8>, AppError> {
    let all = units::all(conn)?;
    let names: HashMap<i64, &str> = all.iter().map(|u| (u.id, u.name.as_str())).collect();
    let townships: HashMap<i64, String> = conn
        .prepare("SELECT id, name FROM townships")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let villages: HashMap<i64, String> = conn
        .prepare("SELECT id, name FROM villages")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let fail = |e: csv::Error| AppError::Internal(e.to_string());
        writer.write_record(HEADER_ZH).map_err(fail)?;
        for unit in &all {
            let place = |id: Option<i64>, names: &HashMap<i64, String>| {
                id.and_then(|id| names.get(&id)).cloned().unwrap_or_default()
            };
            let (township, village) = (place(unit.township_id, &townships), place(unit.village_id, &villages));
            let row = [
                unit.level.label(),
                &unit.name,
                unit.parent_id.and_then(|p| names.get(&p).copied()).unwrap_or_default(),
                &township,
                &village,
            ]
            .map(inert);
            writer.write_record(row.iter().map(|cell| cell.as_bytes())).map_err(fail)?;
        }
        writer.flush().map_err(|e| AppError::Internal(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_is_named_from_its_line() {
        let parent_of: HashMap<&str, &str> = [("甲中心", "乙中心"), ("乙中心", "甲中心"), ("丙站", "甲中心")].into();
        assert_eq!(cycle_from("甲中心", &parent_of).as_deref(), Some("甲中心 → 乙中心 → 甲中心"));
        assert_eq!(cycle_from("丙站", &parent_of), None, "below a loop, not in it");
    }

    #[test]
    fn levels_read_as_codes_labels_or_short_words() {
        assert_eq!(level_of("县级"), Some(UnitLevel::County));
        assert_eq!(level_of("街道"), Some(UnitLevel::Township));
        assert_eq!(level_of("村（社区）"), Some(UnitLevel::Village));
        assert_eq!(level_of("地级"), None);
    }
}
