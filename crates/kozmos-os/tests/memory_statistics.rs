//! SQLite's memory statistics, turned off before its first use in the process: a test binary of
//! its own, so that no other test uses SQLite first.

use libsqlite3_sys as ffi;

/// Runs `sql` on an in-memory database of its own.
fn run(sql: &std::ffi::CStr) {
    let mut db = std::ptr::null_mut();
    // SAFETY: the handle is opened, used and closed here; the statement text is NUL-terminated.
    unsafe {
        assert_eq!(ffi::sqlite3_open(c":memory:".as_ptr(), &mut db), ffi::SQLITE_OK);
        let rc = ffi::sqlite3_exec(db, sql.as_ptr(), None, std::ptr::null_mut(), std::ptr::null_mut());
        assert_eq!(rc, ffi::SQLITE_OK);
        assert_eq!(ffi::sqlite3_close(db), ffi::SQLITE_OK);
    }
}

#[test]
fn sqlite_allocates_without_counting_once_statistics_are_skipped_before_its_first_use() {
    assert!(kozmos_os::sqlite::skip_memory_statistics(), "before SQLite's first use");
    run(c"CREATE TABLE t (x);
          WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
          INSERT INTO t SELECT randomblob(1000) FROM n;");
    // SAFETY: a plain read of SQLite's counter.
    let counted = unsafe { ffi::sqlite3_memory_highwater(0) };
    assert_eq!(counted, 0, "a megabyte went through SQLite's allocator uncounted");
    assert!(
        !kozmos_os::sqlite::skip_memory_statistics(),
        "SQLite in use: the call changes nothing and says so"
    );
}
