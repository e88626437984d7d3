//! SQLite's session extension, which sqlx does not wrap: what a transaction changes, recorded as a
//! changeset, and that changeset reverted later unless a row it touched changed since. The bundled
//! SQLite is compiled with it (`.cargo/config.toml`).
//!
//! A recording lives on one connection. Every call that touches it takes that connection's
//! `LockedSqliteHandle`, so sqlx's worker thread, which runs the statements (and so the session's
//! hooks), is waiting meanwhile.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr::{self, NonNull};
use std::sync::Mutex;

use libsqlite3_sys as ffi;
use sqlx::sqlite::LockedSqliteHandle;

use crate::sqlite::message;

/// Recordings dropped before `finish` (a cancelled future): the connection may still be running a
/// statement, so they are deleted by the next `clean_up` on their connection. (db, session) addresses.
static ABANDONED: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

/// Which tables a recording leaves out, handed to SQLite as the filter's context.
struct Skipped(fn(&str) -> bool);

/// Records every change to the main database's tables with a primary key, made through one
/// connection, until `finish`.
pub struct Recording {
    db: NonNull<ffi::sqlite3>,
    session: NonNull<ffi::sqlite3_session>,
    skipped: Box<Skipped>,
    finished: bool,
}

// SAFETY: the pointers are used only through `finish` and `Drop`: the first holds the
// connection's lock, the second hands the session to `clean_up`, which holds it too.
unsafe impl Send for Recording {}

impl Recording {
    /// Starts recording on `handle`'s connection; the tables `skipped` names are left out.
    pub fn start(handle: &mut LockedSqliteHandle<'_>, skipped: fn(&str) -> bool) -> Result<Recording, String> {
        let db = handle.as_raw_handle();
        let skipped = Box::new(Skipped(skipped));
        let mut session = ptr::null_mut();
        // SAFETY: `db` is an open connection, locked for this thread. The filter's context is the
        // boxed predicate, which lives as long as the session (`finish`, or leaked by `Drop`).
        unsafe {
            let rc = ffi::sqlite3session_create(db.as_ptr(), c"main".as_ptr(), &mut session);
            let Some(session) = NonNull::new(session).filter(|_| rc == ffi::SQLITE_OK) else {
                return Err(message(ffi::sqlite3_errstr(rc)));
            };
            let context = &*skipped as *const Skipped as *mut c_void;
            ffi::sqlite3session_table_filter(session.as_ptr(), Some(keep_table), context);
            let rc = ffi::sqlite3session_attach(session.as_ptr(), ptr::null());
            if rc != ffi::SQLITE_OK {
                ffi::sqlite3session_delete(session.as_ptr());
                return Err(message(ffi::sqlite3_errstr(rc)));
            }
            Ok(Recording {
                db,
                session,
                skipped,
                finished: false,
            })
        }
    }

    /// Ends the recording and returns what it recorded (empty when nothing changed).
    /// `handle` must be the connection the recording started on.
    pub fn finish(mut self, handle: &mut LockedSqliteHandle<'_>) -> Result<Vec<u8>, String> {
        if handle.as_raw_handle() != self.db {
            return Err("the recording belongs to another connection".into());
        }
        self.finished = true;
        let (mut size, mut data) = (0, ptr::null_mut());
        // SAFETY: the connection is locked for this thread; the session is deleted once, here.
        // SQLite allocated `data` (`size` bytes), copied at once and freed.
        unsafe {
            let rc = ffi::sqlite3session_changeset(self.session.as_ptr(), &mut size, &mut data);
            let changeset = if rc == ffi::SQLITE_OK && !data.is_null() {
                Ok(std::slice::from_raw_parts(data as *const u8, size as usize).to_vec())
            } else if rc == ffi::SQLITE_OK {
                Ok(Vec::new())
            } else {
                Err(message(ffi::sqlite3_errstr(rc)))
            };
            ffi::sqlite3_free(data);
            ffi::sqlite3session_delete(self.session.as_ptr());
            changeset
        }
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        if !self.finished {
            let abandoned = (self.db.as_ptr() as usize, self.session.as_ptr() as usize);
            ABANDONED.lock().unwrap_or_else(|e| e.into_inner()).push(abandoned);
            // The session's filter still points at the predicate until `clean_up` deletes it.
            std::mem::forget(std::mem::replace(&mut self.skipped, Box::new(Skipped(|_| true))));
        }
    }
}

/// Whether a recording was dropped unfinished (then `clean_up` has work).
pub fn has_abandoned() -> bool {
    !ABANDONED.lock().unwrap_or_else(|e| e.into_inner()).is_empty()
}

/// Deletes the recordings dropped unfinished on `handle`'s connection.
pub fn clean_up(handle: &mut LockedSqliteHandle<'_>) {
    let db = handle.as_raw_handle().as_ptr() as usize;
    let mut abandoned = ABANDONED.lock().unwrap_or_else(|e| e.into_inner());
    abandoned.retain(|&(on, session)| {
        if on != db {
            return true;
        }
        // SAFETY: the session was made on this connection, which is locked for this thread, and
        // is deleted once: it leaves the list here.
        unsafe { ffi::sqlite3session_delete(session as *mut ffi::sqlite3_session) };
        false
    });
}

/// Called by SQLite for each table a change touches first: record it unless it is skipped.
unsafe extern "C" fn keep_table(context: *mut c_void, table: *const c_char) -> c_int {
    // SAFETY: the context is the recording's `Skipped`, alive while its session is; `table` is a
    // NUL-terminated name SQLite owns during the call.
    let (skipped, table) = unsafe { (&*(context as *const Skipped), CStr::from_ptr(table)) };
    c_int::from(!table.to_str().is_ok_and(skipped.0))
}

/// Why a changeset could not be reverted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevertError {
    /// A row the changeset touched changed since (or is gone): its table and primary key.
    Changed(Touched),
    /// SQLite's message for any other failure.
    Sqlite(String),
}

/// A table and the primary key (as text) of one row a changeset touches.
pub type Touched = (String, Vec<String>);

/// What `on_conflict` is told and remembers.
struct Revert {
    /// Tables whose later changes the revert overwrites (logs), instead of refusing.
    overwritten: &'static [&'static str],
    refused: Option<Touched>,
}

/// Reverts `changeset` on `handle`'s connection, inside its open transaction. A row it touched that
/// changed since, in a table not listed in `overwritten`, refuses the whole revert (nothing of it is
/// applied) and is named in the error.
pub fn revert(
    handle: &mut LockedSqliteHandle<'_>,
    changeset: &[u8],
    overwritten: &'static [&'static str],
) -> Result<(), RevertError> {
    let db = handle.as_raw_handle().as_ptr();
    let mut context = Revert {
        overwritten,
        refused: None,
    };
    let size = c_int::try_from(changeset.len()).map_err(|_| RevertError::Sqlite("changeset too large".into()))?;
    // SAFETY: the connection is locked for this thread. SQLite reads `changeset` (not written
    // despite the `*mut`) during the call, and calls `on_conflict` with `context`, which outlives it.
    let rc = unsafe {
        ffi::sqlite3changeset_apply_v2(
            db,
            size,
            changeset.as_ptr() as *mut c_void,
            None,
            Some(on_conflict),
            &mut context as *mut Revert as *mut c_void,
            ptr::null_mut(),
            ptr::null_mut(),
            ffi::SQLITE_CHANGESETAPPLY_INVERT,
        )
    };
    match (rc, context.refused) {
        (ffi::SQLITE_OK, _) => Ok(()),
        (_, Some(row)) => Err(RevertError::Changed(row)),
        // SAFETY: `db` is open and locked; the message is copied at once.
        _ => Err(RevertError::Sqlite(unsafe { message(ffi::sqlite3_errmsg(db)) })),
    }
}

/// SQLite's question while reverting: a row is not as the changeset left it.
unsafe extern "C" fn on_conflict(context: *mut c_void, kind: c_int, change: *mut ffi::sqlite3_changeset_iter) -> c_int {
    // SAFETY: the context is `revert`'s `Revert`, alive during the call.
    let context = unsafe { &mut *(context as *mut Revert) };
    if kind == ffi::SQLITE_CHANGESET_FOREIGN_KEY {
        return ffi::SQLITE_CHANGESET_ABORT;
    }
    // SAFETY: `change` is the change in question, valid during the call.
    let Some((table, key)) = (unsafe { describe(change) }) else {
        return ffi::SQLITE_CHANGESET_ABORT;
    };
    if context.overwritten.contains(&table.as_str()) {
        return match kind {
            ffi::SQLITE_CHANGESET_DATA | ffi::SQLITE_CHANGESET_CONFLICT => ffi::SQLITE_CHANGESET_REPLACE,
            _ => ffi::SQLITE_CHANGESET_OMIT,
        };
    }
    context.refused.get_or_insert((table, key));
    ffi::SQLITE_CHANGESET_ABORT
}

/// Every row `changeset` touches, in its order (a table's rows together).
pub fn touched(changeset: &[u8]) -> Result<Vec<Touched>, String> {
    let size = c_int::try_from(changeset.len()).map_err(|_| "changeset too large".to_string())?;
    let mut rows = Vec::new();
    let mut iter = ptr::null_mut();
    // SAFETY: SQLite reads `changeset` while the iterator lives; the iterator is finalized before
    // returning, and each change is read while it is the current one.
    unsafe {
        let rc = ffi::sqlite3changeset_start(&mut iter, size, changeset.as_ptr() as *mut c_void);
        if rc != ffi::SQLITE_OK {
            return Err(message(ffi::sqlite3_errstr(rc)));
        }
        while ffi::sqlite3changeset_next(iter) == ffi::SQLITE_ROW {
            if let Some(row) = describe(iter) {
                rows.push(row);
            }
        }
        let rc = ffi::sqlite3changeset_finalize(iter);
        if rc != ffi::SQLITE_OK {
            return Err(message(ffi::sqlite3_errstr(rc)));
        }
    }
    Ok(rows)
}

/// The table and primary key of the current change: the new values of an insert, else the old.
///
/// # Safety
/// `change` is a valid iterator positioned on a change (or a conflict's change).
unsafe fn describe(change: *mut ffi::sqlite3_changeset_iter) -> Option<Touched> {
    let (mut table, mut columns, mut op, mut indirect) = (ptr::null(), 0, 0, 0);
    let mut primary: *mut u8 = ptr::null_mut();
    // SAFETY: by the caller's promise; the strings and flags SQLite returns stay valid until the
    // iterator moves, and are copied before.
    unsafe {
        if ffi::sqlite3changeset_op(change, &mut table, &mut columns, &mut op, &mut indirect) != ffi::SQLITE_OK
            || ffi::sqlite3changeset_pk(change, &mut primary, &mut columns) != ffi::SQLITE_OK
        {
            return None;
        }
        let table = CStr::from_ptr(table).to_string_lossy().into_owned();
        let mut key = Vec::new();
        for column in 0..columns {
            if *primary.add(column as usize) == 0 {
                continue;
            }
            let mut value = ptr::null_mut();
            let rc = if op == ffi::SQLITE_INSERT {
                ffi::sqlite3changeset_new(change, column, &mut value)
            } else {
                ffi::sqlite3changeset_old(change, column, &mut value)
            };
            let text = if rc == ffi::SQLITE_OK && !value.is_null() {
                ffi::sqlite3_value_text(value)
            } else {
                ptr::null()
            };
            key.push(if text.is_null() {
                String::new()
            } else {
                CStr::from_ptr(text as *const c_char).to_string_lossy().into_owned()
            });
        }
        Some((table, key))
    }
}
