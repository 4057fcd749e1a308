//! Teams as CSV: `grid_code,role,name,phone`, UTF-8 with or without a BOM.

use super::{file_problem, utf8};
use crate::db::grids::{self as store, Event};
use crate::error::AppError;
use crate::grids::Actor;
use ow_shared::grid::{GridPerson, GridRole, ImportProblem, ImportReport, check_person};
use rusqlite::Connection;
use std::collections::HashMap;

/// One row of a team file.
pub struct PersonRow {
    pub line: u32,
    pub code: String,
    pub person: GridPerson,
}

const HEADER: [&str; 4] = ["grid_code", "role", "name", "phone"];
const HEADER_ZH: [&str; 4] = ["网格编码", "角色", "姓名", "电话"];

/// The data lines of a CSV file (UTF-8 with or without BOM) with their 1-based line
/// numbers, past a header that must be `header` or `header_zh` (`hint` says so if not);
/// blank lines skipped, each field trimmed and read past the export's formula guard.
pub fn read_lines(
    body: &[u8],
    header: &[&str],
    header_zh: &[&str],
    hint: &str,
) -> (Vec<(u32, Vec<String>)>, Vec<ImportProblem>) {
    let text = match utf8(body) {
        Ok(text) => text,
        Err(problem) => return (Vec::new(), vec![problem]),
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let (mut lines, mut problems, mut header_seen) = (Vec::new(), Vec::new(), false);
    let (mut line, mut counted) = (1u32, 0usize);
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| p.line() as u32).unwrap_or(0);
                problems.push(line_problem(line, "CSV 格式错误（引号不成对？）"));
                break;
            }
        };
        // The reader's own line number counts blank lines before a record as its own.
        let start = record.position().map_or(0, |p| p.byte() as usize).min(text.len());
        let start = start + text[start..].bytes().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        line += text.as_bytes()[counted..start].iter().filter(|&&b| b == b'\n').count() as u32;
        counted = start;
        // A leading `'` is the export's guard against formulas: read past it.
        let fields: Vec<String> = record.iter().map(|f| crate::grids::export::uninert(f).trim().to_string()).collect();
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        if !header_seen {
            header_seen = true;
            let lower: Vec<String> = fields.iter().map(|f| f.to_ascii_lowercase()).collect();
            if lower == header || fields == header_zh {
                continue;
            }
            problems.push(line_problem(line, hint));
            return (Vec::new(), problems);
        }
        lines.push((line, fields));
    }
    (lines, problems)
}

/// A problem of one line, named by its number.
pub fn line_problem(line: u32, message: impl std::fmt::Display) -> ImportProblem {
    ImportProblem { line: Some(line), feature: None, message: format!("第 {line} 行：{message}") }
}

/// Reads a team CSV (`grid_code,role,name,phone`; UTF-8 with or without BOM).
pub fn read_people(body: &[u8]) -> (Vec<PersonRow>, Vec<ImportProblem>) {
    let hint = "表头应为 grid_code,role,name,phone（或 网格编码,角色,姓名,电话）";
    let (lines, mut problems) = read_lines(body, &HEADER, &HEADER_ZH, hint);
    let mut rows = Vec::new();
    for (line, fields) in lines {
        if fields.len() != 4 {
            problems
                .push(line_problem(line, format!("应有 4 列（网格编码、角色、姓名、电话），现有 {} 列", fields.len())));
            continue;
        }
        let mut wrong = Vec::new();
        if fields[0].is_empty() {
            wrong.push("缺少网格编码".to_string());
        }
        let role = GridRole::parse(&fields[1]);
        if role.is_none() {
            let known: Vec<&str> = GridRole::ALL.iter().map(|r| r.label()).collect();
            wrong.push(format!("角色“{}”无法识别，可填：{}", fields[1], known.join("、")));
        }
        let person =
            GridPerson { role: role.unwrap_or(GridRole::Worker), name: fields[2].clone(), phone: fields[3].clone() };
        let (person, errors) = check_person("", &person);
        for error in errors {
            wrong.push(match error.field.as_str() {
                ".name" if fields[2].is_empty() => "缺少姓名".into(),
                ".name" => "姓名应为 1 至 20 个字".into(),
                _ => format!("电话“{}”无效：应为手机号、座机号（如 0851-12345678）或服务热线", fields[3]),
            });
        }
        if wrong.is_empty() {
            rows.push(PersonRow { line, code: fields[0].clone(), person });
        } else {
            problems.push(line_problem(line, wrong.join("；")));
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(file_problem("文件没有数据行"));
    }
    (rows, problems)
}

/// Replaces the teams of the grids the rows name; each must keep a grid worker.
pub fn store_people(
    conn: &Connection,
    rows: Vec<PersonRow>,
    actor: &Actor,
    at_ms: i64,
    mut problems: Vec<ImportProblem>,
) -> Result<ImportReport, AppError> {
    let ids = store::ids_by_code(conn)?;
    let mut teams: Vec<(i64, u32, Vec<GridPerson>)> = Vec::new();
    let mut by_grid: HashMap<i64, usize> = HashMap::new();
    let mut imported = 0;
    for row in rows {
        let Some(&id) = ids.get(&row.code) else {
            problems.push(line_problem(row.line, format!("网格编码 {} 不存在", row.code)));
            continue;
        };
        let team = *by_grid.entry(id).or_insert_with(|| {
            teams.push((id, row.line, Vec::new()));
            teams.len() - 1
        });
        teams[team].2.push(row.person);
        imported += 1;
    }
    let codes: HashMap<i64, &String> = ids.iter().map(|(code, id)| (*id, code)).collect();
    for (id, line, people) in &teams {
        if !people.iter().any(|p| p.role == GridRole::Worker) {
            let code = codes.get(id).map(|c| c.as_str()).unwrap_or_default();
            problems.push(line_problem(*line, format!("网格 {code} 没有网格员：每个网格至少要有一名网格员")));
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line.unwrap_or(0));
        return Err(AppError::Import(ImportReport { imported: 0, errors: problems }));
    }
    for (id, _, mut people) in teams {
        people.sort_by_key(|p| p.role);
        store::replace_people(conn, id, &people)?;
        let detail = serde_json::to_string(&people).map_err(|e| AppError::Internal(e.to_string()))?;
        store::record(
            conn,
            &Event { grid_id: id, at_ms, actor_id: actor.id, actor: &actor.name, kind: "people_import", detail },
        )?;
    }
    Ok(ImportReport { imported, errors: Vec::new() })
}
