//! Reading stored values out of rows: the one place where a stored code becomes its
//! enum again.

use rusqlite::{Row, RowIndex};

/// Reads a stored code by column name or position; an unknown one is an error, never a
/// made-up state shown to anyone.
pub fn code<T>(row: &Row, column: impl RowIndex, parse: impl Fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let index = column.idx(row.as_ref())?;
    let value: String = row.get(index)?;
    parse(&value).ok_or_else(|| {
        let unknown = format!("unknown code {value}").into();
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, unknown)
    })
}

/// A unit enum stored under its serde name (e.g. `administrative_review`).
pub fn from_serde<T: serde::de::DeserializeOwned>(code: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(code.to_string())).ok()
}
