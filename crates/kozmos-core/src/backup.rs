//! Backup copies of the database file (SQLite `VACUUM INTO`: a consistent copy while it is open).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::store::Store;

/// Copies the database into `dir` as `kozmos-<UTC time>-<reason>.sqlite3` and returns the path.
pub async fn copy(store: &Store, dir: &Path, reason: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| backup_error(dir, &e.to_string()))?;
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default();
    let mut path = dir.join(format!("kozmos-{stamp}-{reason}.sqlite3"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("kozmos-{stamp}-{reason}-{n}.sqlite3"));
    }
    sqlx::query("VACUUM INTO ?")
        .bind(path.display().to_string())
        .execute(store.pool())
        .await
        .map_err(|e| backup_error(&path, &e.to_string()))?;
    Ok(path)
}

fn backup_error(path: &Path, detail: &str) -> Error {
    Error::invalid(
        "backup",
        "backup_failed",
        format!(
            "Die Sicherungskopie in {} ließ sich nicht anlegen ({detail}). Es wurde nichts geändert.",
            path.display()
        ),
        format!(
            "The backup copy in {} could not be made ({detail}). Nothing was changed.",
            path.display()
        ),
    )
}
