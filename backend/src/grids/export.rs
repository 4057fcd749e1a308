//! Exports in the import formats: what comes out imports back unchanged.

use crate::db::grids as store;
use crate::error::AppError;
use rusqlite::Connection;
use serde_json::{Value, json};

/// Every grid's boundary in effect on `day`, with its page fields and address keywords,
/// as a GeoJSON FeatureCollection.
pub fn boundaries(conn: &Connection, day: &str) -> Result<Value, AppError> {
    let mut features = Vec::new();
    for (grid, boundary) in store::boundaries_on(conn, day)? {
        let page = store::page(conn, grid.id)?;
        let geometry: Value =
            serde_json::from_str(&boundary.geometry).map_err(|e| AppError::Internal(e.to_string()))?;
        features.push(json!({
            "type": "Feature",
            "properties": {
                "code": grid.code,
                "name": grid.name,
                "township": grid.township,
                "village": grid.village,
                "area_description": page.area_description,
                "supervision_phone": page.supervision_phone,
                "service_items": page.service_items,
                "places": store::places(conn, grid.id)?,
                "version": boundary.version,
                "effective_from": boundary.effective_from,
            },
            "geometry": geometry,
        }));
    }
    Ok(json!({ "type": "FeatureCollection", "features": features }))
}

/// A cell that Excel or WPS would run as a formula (`=`, `+`, `-`, `@`, tab, CR first)
/// gets a leading `'`, which they show as text; the import takes the `'` off again.
pub fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(cell) { format!("'{cell}").into() } else { cell.into() }
}

/// A cell as `inert` wrote it, read back as it was.
pub fn uninert(cell: &str) -> &str {
    cell.strip_prefix('\'').filter(|rest| rest.starts_with(FORMULA_STARTS)).unwrap_or(cell)
}

/// Whether Excel or WPS would take the cell for a formula (the .xlsx exports write such
/// cells as text with a quote prefix: `exports::Sheet::text`).
pub fn looks_like_formula(cell: &str) -> bool {
    cell.starts_with(FORMULA_STARTS)
}

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Every grid's team as CSV, UTF-8 with a BOM so that Excel and WPS open it as UTF-8.
pub fn people_csv(conn: &Connection) -> Result<Vec<u8>, AppError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let fail = |e: csv::Error| AppError::Internal(e.to_string());
        writer.write_record(["grid_code", "role", "name", "phone"]).map_err(fail)?;
        for (code, person) in store::all_people(conn)? {
            let row = [code.as_str(), person.role.label(), &person.name, &person.phone].map(inert);
            writer.write_record(row.iter().map(|cell| cell.as_bytes())).map_err(fail)?;
        }
        writer.flush().map_err(|e| AppError::Internal(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{inert, uninert};

    #[test]
    fn formula_cells_are_made_text_and_read_back() {
        for cell in ["=1+1", "+86 851 1234", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(inert(cell), format!("'{cell}"));
            assert_eq!(uninert(&inert(cell)), cell);
        }
        assert_eq!(inert("张三"), "张三");
        assert_eq!(uninert("'quoted"), "'quoted", "a name's own quote stays");
    }
}
