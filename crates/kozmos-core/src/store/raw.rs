//! The store's statements that bypass sqlx (`kozmos_os::rows`): the values they bind and read,
//! and their errors as the store's.

use sqlx::sqlite::SqliteConnection;

use kozmos_os::rows::{Cell, SqliteError};

use super::Value;
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

/// SQLite's failure as the store reports it (a full disk and a read-only database by name).
pub(crate) fn failure(e: SqliteError) -> Error {
    Error::from_sqlite(Some(e.code), e.message)
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
