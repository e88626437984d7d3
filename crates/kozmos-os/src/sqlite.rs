//! SQLite's process-wide configuration and its online backup API, which sqlx does not wrap.

use std::ffi::CStr;

use libsqlite3_sys as ffi;
use sqlx::sqlite::LockedSqliteHandle;

/// Turns off SQLite's memory statistics for this process: with them on (the bundled library's
/// default), every allocation SQLite makes takes a process-wide mutex to count it, and nothing
/// here reads the counts. Takes effect only before SQLite's first use in the process (its first
/// connection); later calls change nothing. Returns whether it took effect.
pub fn skip_memory_statistics() -> bool {
    // SAFETY: the option takes one int. Before SQLite initialises, `sqlite3_config` sets it; once
    // SQLite is initialised it returns SQLITE_MISUSE and changes nothing. SQLite documents the call
    // as not thread-safe against other SQLite use at the same moment: the caller makes it once,
    // before its first connection (`db::open`); had another thread begun using SQLite then, only
    // the memory counters could come out inconsistent.
    unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int) == ffi::SQLITE_OK }
}

/// Copies every page of `source`'s main database into `destination`'s, in one step of SQLite's
/// online backup API: a consistent copy of `source`'s last commit, which replaces what
/// `destination` held. The error is SQLite's message.
pub fn copy_database(
    source: &mut LockedSqliteHandle<'_>,
    destination: &mut LockedSqliteHandle<'_>,
) -> Result<(), String> {
    let source = source.as_raw_handle().as_ptr();
    let destination = destination.as_raw_handle().as_ptr();
    let main = c"main".as_ptr();
    // SAFETY: both handles are open connections, locked for this thread while the borrows last
    // (sqlx's worker threads wait), and distinct (two `&mut`). The backup object is used only
    // here and finished before returning; `sqlite3_errmsg`/`sqlite3_errstr` return strings
    // SQLite owns, copied at once.
    unsafe {
        let backup = ffi::sqlite3_backup_init(destination, main, source, main);
        if backup.is_null() {
            return Err(message(ffi::sqlite3_errmsg(destination)));
        }
        let step = ffi::sqlite3_backup_step(backup, -1);
        let finish = ffi::sqlite3_backup_finish(backup);
        if step != ffi::SQLITE_DONE {
            return Err(message(ffi::sqlite3_errstr(step)));
        }
        if finish != ffi::SQLITE_OK {
            return Err(message(ffi::sqlite3_errmsg(destination)));
        }
    }
    Ok(())
}

/// # Safety
/// `text` is null or a NUL-terminated string that stays valid during the call.
pub(crate) unsafe fn message(text: *const std::ffi::c_char) -> String {
    if text.is_null() {
        return "unknown SQLite error".to_string();
    }
    // SAFETY: non-null and NUL-terminated, by the caller's promise.
    unsafe { CStr::from_ptr(text) }.to_string_lossy().into_owned()
}
