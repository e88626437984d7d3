//! Reading and writing rows straight from SQLite on the calling thread. sqlx copies every value
//! of every row (`sqlite3_value_dup`) to send the row from its worker thread, and every bound
//! value on its way in; for hundreds of wide rows at once that copying is most of the time (500
//! rows of 42 columns: about 5 ms read through sqlx, under 1 ms for SQLite to produce them). Here
//! each row's values are lent to a callback, and written values are bound where they lie.

use std::ffi::{c_char, c_int};

use libsqlite3_sys as ffi;
use sqlx::sqlite::LockedSqliteHandle;

use crate::sqlite::message;

/// A value: of the current row, borrowed from SQLite until the next row, or to bind, borrowed from
/// the caller.
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

/// SQLite refused a statement or failed while running it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteError {
    /// SQLite's primary result code (`SQLITE_FULL`, `SQLITE_READONLY`, …).
    pub code: i32,
    /// SQLite's message.
    pub message: String,
}

/// Why rows could not be read: SQLite's error, or the callback's own.
#[derive(Debug)]
pub enum RowsError<E> {
    /// SQLite refused the statement or failed while running it.
    Sqlite(SqliteError),
    /// The callback stopped the reading.
    Row(E),
}

impl<E> From<SqliteError> for RowsError<E> {
    fn from(e: SqliteError) -> Self {
        RowsError::Sqlite(e)
    }
}

/// Runs `sql` (one statement) on the locked connection, with `params` bound in order, and hands
/// each row's values, in column order, to `each`; an error from `each` ends the reading.
pub fn for_each_row<E>(
    handle: &mut LockedSqliteHandle<'_>,
    sql: &str,
    params: &[Cell<'_>],
    mut each: impl for<'r> FnMut(&[Cell<'r>]) -> Result<(), E>,
) -> Result<(), RowsError<E>> {
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is an open connection locked for this thread while `handle` is borrowed (sqlx's
    // worker waits).
    let Some(statement) = unsafe { Statement::prepare(db, sql) }? else {
        return Ok(()); // no statement in `sql`
    };
    // SAFETY: `params` outlive the statement, which is finalized before this returns.
    unsafe { statement.bind(params) }?;
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
            code => return Err(statement.error(code).into()),
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
                            Err(_) => {
                                let message = "a text value is not UTF-8".to_string();
                                return Err(SqliteError {
                                    code: ffi::SQLITE_MISMATCH,
                                    message,
                                }
                                .into());
                            }
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

/// Runs `sql` (one statement that returns no rows, an `INSERT` say) once for each row of `params`:
/// `width` values at a time, bound in order. The statement is prepared once and the values are
/// bound where they lie, without copies. Stops at the first error (the rows before it are written:
/// the caller's transaction decides).
pub fn execute_each(
    handle: &mut LockedSqliteHandle<'_>,
    sql: &str,
    width: usize,
    params: &[Cell<'_>],
) -> Result<(), SqliteError> {
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: as in `for_each_row`.
    let Some(statement) = unsafe { Statement::prepare(db, sql) }? else {
        return Ok(());
    };
    // SAFETY: the statement is live.
    let wanted = unsafe { ffi::sqlite3_bind_parameter_count(statement.0) };
    if width == 0 || usize::try_from(wanted) != Ok(width) || !params.len().is_multiple_of(width) {
        return Err(SqliteError {
            code: ffi::SQLITE_RANGE,
            message: format!(
                "{} values for rows of {width}, the statement takes {wanted}",
                params.len()
            ),
        });
    }
    for row in params.chunks(width) {
        // SAFETY: `params` outlive the statement, which is finalized before this returns.
        unsafe { statement.bind(row) }?;
        // SAFETY: the statement is live; `sqlite3_reset` readies it for the next row (its result
        // repeats the step's error, which is taken from the step).
        let stepped = unsafe { ffi::sqlite3_step(statement.0) };
        if stepped != ffi::SQLITE_DONE && stepped != ffi::SQLITE_ROW {
            return Err(statement.error(stepped));
        }
        // SAFETY: as above.
        unsafe { ffi::sqlite3_reset(statement.0) };
    }
    Ok(())
}

/// A prepared statement, finalized when dropped (on every return path).
struct Statement(*mut ffi::sqlite3_stmt);

impl Statement {
    /// Prepares `sql` on `db`: None when it holds no statement.
    ///
    /// # Safety
    /// `db` is an open connection that no other thread uses while the statement lives.
    unsafe fn prepare(db: *mut ffi::sqlite3, sql: &str) -> Result<Option<Statement>, SqliteError> {
        let too_long = || SqliteError {
            code: ffi::SQLITE_TOOBIG,
            message: "statement too long".into(),
        };
        let sql_len = c_int::try_from(sql.len()).map_err(|_| too_long())?;
        let mut raw: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
        // SAFETY: `db` is usable here (the caller's promise); `sql` is valid for `sql_len` bytes
        // during the call; `raw` receives the statement.
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
            let message = unsafe { message(ffi::sqlite3_errmsg(db)) };
            return Err(SqliteError {
                code: prepared & 0xff,
                message,
            });
        }
        Ok((!raw.is_null()).then_some(Statement(raw)))
    }

    /// Binds `params` to the statement's parameters in order, without copying them.
    ///
    /// # Safety
    /// The text and bytes of `params` stay valid until they are bound again or the statement is
    /// finalized.
    unsafe fn bind(&self, params: &[Cell<'_>]) -> Result<(), SqliteError> {
        for (i, param) in params.iter().enumerate() {
            let index = c_int::try_from(i + 1).map_err(|_| SqliteError {
                code: ffi::SQLITE_RANGE,
                message: "too many parameters".into(),
            })?;
            // SAFETY: the statement is live. Text and blobs are bound SQLITE_STATIC: SQLite reads
            // them in place whenever the statement runs, and the caller keeps them valid (its
            // promise).
            // A slice's pointer is never null, so an empty text or blob binds as empty, not NULL.
            let bound = unsafe {
                match *param {
                    Cell::Null => ffi::sqlite3_bind_null(self.0, index),
                    Cell::Int(n) => ffi::sqlite3_bind_int64(self.0, index, n),
                    Cell::Real(x) => ffi::sqlite3_bind_double(self.0, index, x),
                    Cell::Text(text) => ffi::sqlite3_bind_text64(
                        self.0,
                        index,
                        text.as_ptr() as *const c_char,
                        text.len() as u64,
                        ffi::SQLITE_STATIC(),
                        ffi::SQLITE_UTF8 as u8,
                    ),
                    Cell::Blob(bytes) => ffi::sqlite3_bind_blob64(
                        self.0,
                        index,
                        bytes.as_ptr() as *const std::ffi::c_void,
                        bytes.len() as u64,
                        ffi::SQLITE_STATIC(),
                    ),
                }
            };
            if bound != ffi::SQLITE_OK {
                return Err(self.error(bound));
            }
        }
        Ok(())
    }

    /// The error of a call that returned `code`, with the connection's message.
    fn error(&self, code: c_int) -> SqliteError {
        // SAFETY: the statement is live; its connection's message is copied at once.
        let message = unsafe { message(ffi::sqlite3_errmsg(ffi::sqlite3_db_handle(self.0))) };
        SqliteError {
            code: code & 0xff,
            message,
        }
    }
}

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
