//! The store's statements that bypass sqlx (`kozmos_os::rows`): the values they bind and read,
//! and their errors as the store's.

use sqlx::sqlite::SqliteConnection;

use kozmos_os::rows::{Cell, RowsError, SqliteError};

use super::{ColType, Fields, TableSpec, Value};
use crate::error::{Error, Result};

/// A value to bind, borrowed.
pub(crate) fn cell(value: &Value) -> Cell<'_> {
    match value {
        Value::Null => Cell::Null,
        Value::Int(n) => Cell::Int(*n),
        Value::Text(text) => Cell::Text(text),
        Value::Blob(bytes) => Cell::Blob(bytes),
    }
}

/// A row's fields from its values in the spec's column order, each of its column's type (as sqlx
/// reads them: an integer column holds integers, a text or list column text, a blob column bytes).
pub(crate) fn fields(spec: &TableSpec, values: &[Cell]) -> Result<Fields> {
    if values.len() != spec.columns.len() {
        return Err(damaged(spec, "columns"));
    }
    let mut fields = Fields::new();
    for (column, cell) in spec.columns.iter().zip(values) {
        let value = match (column.ty, cell) {
            (_, Cell::Null) => Value::Null,
            (ColType::Int, Cell::Int(n)) => Value::Int(*n),
            (ColType::Text | ColType::List, Cell::Text(text)) => Value::Text(text.to_string()),
            (ColType::Blob, Cell::Blob(bytes)) => Value::Blob(bytes.to_vec()),
            (ColType::Blob, Cell::Text(text)) => Value::Blob(text.as_bytes().to_vec()),
            _ => return Err(damaged(spec, column.name)),
        };
        fields.insert(column.name, value);
    }
    Ok(fields)
}

/// A stored value (or row part) of `spec` that is not of the type its column holds.
pub(crate) fn damaged(spec: &TableSpec, what: &str) -> Error {
    Error::Database(format!("{}: the stored {what} has an unexpected type", spec.name))
}

/// SQLite's failure as the store reports it (a full disk and a read-only database by name).
pub(crate) fn failure(e: SqliteError) -> Error {
    Error::from_sqlite(Some(e.code), e.message)
}

/// Runs `sql` with `params` on `conn` and hands each row's values to `each`
/// (`kozmos_os::rows::for_each_row`: each value borrowed from SQLite, not copied).
pub(crate) async fn for_each_row(
    conn: &mut SqliteConnection,
    sql: &str,
    params: &[Cell<'_>],
    each: impl for<'r> FnMut(&[Cell<'r>]) -> Result<()>,
) -> Result<()> {
    let mut handle = conn.lock_handle().await?;
    kozmos_os::rows::for_each_row(&mut handle, sql, params, each).map_err(|e| match e {
        RowsError::Row(e) => e,
        RowsError::Sqlite(e) => failure(e),
    })
}

/// Runs `sql` once for each `width` values of `params` on `conn` (`kozmos_os::rows::execute_each`:
/// prepared once, values bound where they lie): many rows of one shape written at the cost of
/// SQLite's own work.
pub(crate) async fn execute_each(
    conn: &mut SqliteConnection,
    sql: &str,
    width: usize,
    params: &[Cell<'_>],
) -> Result<()> {
    let mut handle = conn.lock_handle().await?;
    kozmos_os::rows::execute_each(&mut handle, sql, width, params).map_err(failure)
}
