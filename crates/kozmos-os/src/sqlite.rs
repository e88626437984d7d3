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

/// The log's size (pages) past which SQLite's automatic checkpoint copies it (SQLite's default).
pub const AUTOCHECKPOINT_PAGES: u32 = 1000;

/// What a connection calls after each of its commits in WAL mode, with the pages its write-ahead
/// log then holds (`on_wal_commit`).
pub type WalHook = Box<dyn Fn(u32) + Send + Sync>;

/// Calls `hook` after each commit on this connection with the pages its write-ahead log holds,
/// in place of SQLite's automatic checkpoint (which copies the log into the database file inside
/// the commit that fills it past `AUTOCHECKPOINT_PAGES`, so that commit waits for the copy). The connection
/// owns the hook from here and drops it when it closes. Returns false when SQLite could not take it
/// (out of memory): the automatic checkpoint stays then.
pub fn on_wal_commit(handle: &mut LockedSqliteHandle<'_>, hook: WalHook) -> bool {
    const KEY: &CStr = c"kozmos_wal_hook";
    let db = handle.as_raw_handle().as_ptr();
    let context = Box::into_raw(Box::new(hook)).cast::<std::ffi::c_void>();
    // SAFETY: `db` is an open connection, locked for this thread (sqlx's worker waits). `context`
    // is a live `Box<WalHook>`; the hook is registered first, then SQLite is made its owner through
    // the connection's client data, whose destructor (`drop_hook`) frees it when the connection
    // closes or the data is replaced. A replaced earlier hook is no longer registered when its
    // destructor runs. Should SQLite refuse the client data, the hook is taken back (the automatic
    // checkpoint restored) before the box is freed, so SQLite never holds a freed pointer.
    unsafe {
        ffi::sqlite3_wal_hook(db, Some(call_hook), context);
        if ffi::sqlite3_set_clientdata(db, KEY.as_ptr(), context, Some(drop_hook)) != ffi::SQLITE_OK {
            ffi::sqlite3_wal_autocheckpoint(db, AUTOCHECKPOINT_PAGES as std::ffi::c_int);
            drop(Box::from_raw(context.cast::<WalHook>()));
            return false;
        }
    }
    true
}

/// SQLite's call after a commit: the hook with the log's pages; a panic stops here, not in C.
unsafe extern "C" fn call_hook(
    context: *mut std::ffi::c_void,
    _db: *mut ffi::sqlite3,
    _database: *const std::ffi::c_char,
    pages: std::ffi::c_int,
) -> std::ffi::c_int {
    // SAFETY: `context` is the `Box<WalHook>` registered by `on_wal_commit`, alive while the
    // connection holds it as client data, which outlives every commit on it.
    let hook = unsafe { &*context.cast::<WalHook>() };
    let pages = u32::try_from(pages).unwrap_or(0);
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| hook(pages)));
    ffi::SQLITE_OK
}

/// SQLite's destructor of the client data: frees the hook.
unsafe extern "C" fn drop_hook(context: *mut std::ffi::c_void) {
    // SAFETY: SQLite calls this once, with the pointer `on_wal_commit` gave it from `Box::into_raw`.
    drop(unsafe { Box::from_raw(context.cast::<WalHook>()) });
}
