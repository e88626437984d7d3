//! Where the database lives and how it is opened.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::error::{Error, Result};
use crate::storage::{self, StorageNote};
use crate::upkeep::Checkpoints;

pub const DB_FILE_NAME: &str = "kozmos.sqlite3";
pub const DB_ENV_VAR: &str = "KOZMOS_DB";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The database path: the `--db` option, else `KOZMOS_DB`, else the user's data directory
/// (e.g. ~/.local/share/kozmos/kozmos.sqlite3 on Linux, %APPDATA%\KOZMOS\kozmos\data on Windows).
pub fn resolve_path(option: Option<&Path>, env: Option<OsString>) -> Result<PathBuf> {
    if let Some(path) = option.filter(|p| !p.as_os_str().is_empty()) {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = env.filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    default_path()
}

/// The path the database has when nothing overrides it.
pub fn default_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("de", "KOZMOS", "kozmos").ok_or_else(|| Error::DatabaseOpen {
        path: DB_FILE_NAME.into(),
        detail: "no home directory".into(),
    })?;
    Ok(dirs.data_dir().join(DB_FILE_NAME))
}

/// The newest schema (migration) version this build knows.
pub fn schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Opens (creating on first start) the database and brings its schema up to date.
pub async fn open(path: &Path) -> Result<SqlitePool> {
    open_checked(path).await.map(|(pool, _)| pool)
}

/// As `open`, with a note when the file lies on a network drive or in a cloud folder; such a
/// database gets a rollback journal instead of WAL (see `storage`).
pub async fn open_checked(path: &Path) -> Result<(SqlitePool, Option<StorageNote>)> {
    let shown = path.display().to_string();
    let open_error = |detail: String| Error::DatabaseOpen {
        path: shown.clone(),
        detail,
    };
    prepare_folder(path)?;
    configure_sqlite();
    let note = storage::check(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    let journal = match note {
        Some(_) => SqliteJournalMode::Delete,
        None => SqliteJournalMode::Wal,
    };
    let options = SqliteConnectOptions::from_str("sqlite:")
        .map_err(|e| open_error(e.to_string()))?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(journal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let checkpoints = Arc::new(Checkpoints::default());
    let watched = Arc::clone(&checkpoints);
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .after_connect(move |conn, _| {
            let checkpoints = Arc::clone(&watched);
            Box::pin(async move { checkpoints.watch(conn).await })
        })
        // A file on this machine does not hang up as a server can: the ping sqlx sends before
        // handing out a connection is one more trip to its worker thread for every query.
        .test_before_acquire(false)
        // SQLite ends a transaction by itself on some errors (a full disk); sqlx then still counts
        // it as open and the connection could never begin again. Such a connection is closed.
        .after_release(|conn, _| Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) }))
        .connect_with(options)
        .await
        .map_err(|e| open_error(friendly(e.to_string())))?;
    checkpoints.run(pool.clone());
    match MIGRATOR.run(&pool).await {
        Ok(()) => Ok((pool, note)),
        Err(sqlx::migrate::MigrateError::VersionMissing(_)) => Err(Error::DatabaseTooNew { path: shown }),
        Err(e) => Err(open_error(friendly(e.to_string()))),
    }
}

/// SQLite's process-wide options, set once before its first connection: no memory statistics (each
/// of SQLite's allocations would take a process-wide lock to count it).
fn configure_sqlite() {
    static CONFIGURED: std::sync::Once = std::sync::Once::new();
    CONFIGURED.call_once(|| {
        kozmos_os::sqlite::skip_memory_statistics();
    });
}

/// Turns SQLite's wording for a foreign file into words a user understands.
fn friendly(text: String) -> String {
    if text.contains("not a database") || text.contains("file is encrypted") {
        "the file is not a KOZMOS database".into()
    } else {
        text
    }
}

/// Refuses a folder given as the database and creates the folder the database goes into.
pub fn prepare_folder(path: &Path) -> Result<()> {
    let open_error = |detail: String| Error::DatabaseOpen {
        path: path.display().to_string(),
        detail,
    };
    if path.is_dir() {
        return Err(open_error("this is a folder, not a file".into()));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| open_error(e.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// sqlx keeps a checksum of each migration's bytes in the database and refuses a database whose
    /// applied migrations differ. A checkout with CRLF line endings (git on Windows) would make every
    /// database made by another build unopenable; .gitattributes keeps *.sql at LF.
    #[test]
    fn migrations_are_embedded_with_unix_line_endings() {
        for m in super::MIGRATOR.iter() {
            assert!(
                !m.sql.as_str().contains('\r'),
                "migration {} has CRLF line endings",
                m.version
            );
        }
    }
}
