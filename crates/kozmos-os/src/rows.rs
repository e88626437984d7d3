//! Reading rows straight from SQLite on the calling thread. sqlx copies every value of every row
//! (`sqlite3_value_dup`) to send the row from its worker thread; for reads of hundreds of wide
//! rows at once that copying is most of the time (500 rows of 42 columns: about 5 ms through sqlx,
//! under 1 ms for SQLite to produce them). Here each row's values are lent to a callback.

use std::ffi::{c_char, c_int};

use libsqlite3_sys as ffi;
use sqlx::sqlite::LockedSqliteHandle;

use crate::sqlite::message;

/// A value of the current row, borrowed from SQLite until the next row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// NULL.
    Null,
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text (UTF-8; other text is an error).
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
}

/// Why rows could not be read: SQLite's message, or the callback's own error.
#[derive(Debug)]
pub enum RowsError<E> {
    /// SQLite refused the statement or failed while running it (its message).
    Sqlite(String),
    /// The callback stopped the reading.
    Row(E),
}

/// Runs `sql` (one statement) on the locked connection, with the text `params` bound in order,
/// and hands each row's values, in column order, to `each`; an error from `each` ends the reading.
pub fn for_each_row<E>(
    handle: &mut LockedSqliteHandle<'_>,
    sql: &str,
    params: &[&str],
    mut each: impl for<'r> FnMut(&[Cell<'r>]) -> Result<(), E>,
) -> Result<(), RowsError<E>> {
    let db = handle.as_raw_handle().as_ptr();
    let sql_len = c_int::try_from(sql.len()).map_err(|_| RowsError::Sqlite("statement too long".into()))?;
    let mut raw: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
    // SAFETY: `db` is an open connection locked for this thread while `handle` is borrowed (sqlx's
    // worker waits); `sql` is valid for `sql_len` bytes during the call; `raw` receives the statement.
    let prepared = unsafe {
        ffi::sqlite3_prepare_v2(
            db,
            sql.as_ptr() as *const c_char,
            sql_len,
            &mut raw,
            std::ptr::null_mut(),
        )
    };
    if prepared != ffi::SQLITE_OK {
        // SAFETY: SQLite's message for this connection, copied at once.
        return Err(RowsError::Sqlite(unsafe { message(ffi::sqlite3_errmsg(db)) }));
    }
    if raw.is_null() {
        return Ok(()); // no statement in `sql`
    }
    let statement = Statement(raw);
    for (i, param) in params.iter().enumerate() {
        let index = c_int::try_from(i + 1).map_err(|_| RowsError::Sqlite("too many parameters".into()))?;
        // SAFETY: the statement is live; SQLite copies the text (SQLITE_TRANSIENT) before returning.
        let bound = unsafe {
            ffi::sqlite3_bind_text64(
                statement.0,
                index,
                param.as_ptr() as *const c_char,
                param.len() as u64,
                ffi::SQLITE_TRANSIENT(),
                ffi::SQLITE_UTF8 as u8,
            )
        };
        if bound != ffi::SQLITE_OK {
            // SAFETY: as above.
            return Err(RowsError::Sqlite(unsafe { message(ffi::sqlite3_errmsg(db)) }));
        }
    }
    // SAFETY: the statement is live.
    let columns = unsafe { ffi::sqlite3_column_count(statement.0) }.max(0);
    let mut cells: Vec<Cell<'_>> = Vec::with_capacity(columns as usize);
    loop {
        // Stepping invalidates the previous row's values: `cells`, which borrows them, is emptied first.
        cells.clear();
        // SAFETY: the statement is live.
        match unsafe { ffi::sqlite3_step(statement.0) } {
            ffi::SQLITE_ROW => {}
            ffi::SQLITE_DONE => return Ok(()),
            // SAFETY: as above.
            _ => return Err(RowsError::Sqlite(unsafe { message(ffi::sqlite3_errmsg(db)) })),
        }
        for column in 0..columns {
            // SAFETY: the statement is on a row and `column` is below its column count. Text and
            // blob pointers stay valid until the next step or the finalize, and are used before
            // either: `each` gets them for this row only (it cannot keep them, being generic over
            // their lifetime), and `cells` is emptied before the next step.
            let cell = unsafe {
                match ffi::sqlite3_column_type(statement.0, column) {
                    ffi::SQLITE_INTEGER => Cell::Int(ffi::sqlite3_column_int64(statement.0, column)),
                    ffi::SQLITE_FLOAT => Cell::Real(ffi::sqlite3_column_double(statement.0, column)),
                    ffi::SQLITE_TEXT => {
                        let text = ffi::sqlite3_column_text(statement.0, column);
                        let bytes = borrowed(text, ffi::sqlite3_column_bytes(statement.0, column));
                        match std::str::from_utf8(bytes) {
                            Ok(text) => Cell::Text(text),
                            Err(_) => return Err(RowsError::Sqlite("a text value is not UTF-8".into())),
                        }
                    }
                    ffi::SQLITE_BLOB => {
                        let blob = ffi::sqlite3_column_blob(statement.0, column) as *const u8;
                        Cell::Blob(borrowed(blob, ffi::sqlite3_column_bytes(statement.0, column)))
                    }
                    _ => Cell::Null,
                }
            };
            cells.push(cell);
        }
        each(&cells).map_err(RowsError::Row)?;
    }
}

/// A prepared statement, finalized when dropped (on every return path).
struct Statement(*mut ffi::sqlite3_stmt);

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: the statement was prepared and is finalized once, here.
        unsafe { ffi::sqlite3_finalize(self.0) };
    }
}

/// # Safety
/// `data` is null (then `len` is ignored) or valid for `len` bytes for the returned lifetime.
unsafe fn borrowed<'a>(data: *const u8, len: c_int) -> &'a [u8] {
    match data.is_null() || len <= 0 {
        true => &[],
        // SAFETY: non-null and valid for `len` bytes, by the caller's promise.
        false => unsafe { std::slice::from_raw_parts(data, len as usize) },
    }
}
