//! Restoring a backup (above `backup` and `sync`, which it uses): the file is checked on a staged copy (SQLite header, integrity, a KOZMOS
//! schema not newer than this build, this installation's site), the current state is backed up,
//! the stage is migrated, keeps this installation's settings and newer clock, gets its search
//! index rebuilt, and replaces the database file by a rename while no connection is open (refused
//! while another program has it open).

mod reapply;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection, Row};
use ts_rs::TS;

use crate::backup::{create, info, keep, BackupInfo, REASON_BEFORE_RESTORE};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::{db, files, search, Kozmos};
use kozmos_syncfile::file::{decrypt, is_encrypted};
use reapply::Known;

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// What a checked backup holds (shown before the user confirms).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Checked {
    pub file_name: String,
    /// From the file name, when it is a KOZMOS backup name.
    pub created_at: Option<String>,
    pub encrypted: bool,
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub associations: i64,
    #[ts(type = "number")]
    pub foundations: i64,
    #[ts(type = "number")]
    pub persons: i64,
    /// Persons erased here that the backup still holds: the restore erases them again.
    #[ts(type = "number")]
    pub erasures_reapplied: u64,
}

/// A finished restore: the reopened database and the backup of the state it replaced.
pub struct Restored {
    pub kozmos: Kozmos,
    pub checked: Checked,
    pub safety_backup: BackupInfo,
}

/// Checks `file` without changing anything.
pub async fn check(k: &Kozmos, file: &Path, passphrase: Option<&str>) -> Result<Checked> {
    let stage = stage_path(k);
    let known = reapply::known(&mut *k.store.pool().acquire().await?).await?;
    let checked = stage_and_check(k, file, passphrase, &stage, &known).await;
    remove_stage(&stage);
    checked
}

/// Restores `file` over the database of `k`. On success the handle in `Restored` replaces `k`,
/// whose pool is closed. On an error before the swap nothing changed and `k` stays usable; when
/// `k`'s pool is closed (the swap itself failed), the caller reopens with `k.reopen()`.
/// Refused (`database_in_use`) while another KOZMOS process has the database open: the restore
/// holds the database's lock exclusively (`lock`) until the restored file is open.
pub async fn restore(k: &Kozmos, file: &Path, passphrase: Option<&str>) -> Result<Restored> {
    k.lock().exclusive()?;
    let stage = stage_path(k);
    let result = restore_staged(k, file, passphrase, &stage).await;
    remove_stage(&stage);
    if result.is_err() && !k.store.pool().is_closed() {
        k.lock().share()?;
    }
    result
}

async fn restore_staged(k: &Kozmos, file: &Path, passphrase: Option<&str>, stage: &Path) -> Result<Restored> {
    let known = reapply::known(&mut *k.store.pool().acquire().await?).await?;
    let mut checked = stage_and_check(k, file, passphrase, stage, &known).await?;
    // Brings the stage's schema up to date and rebuilds its search index (invariant 6).
    let staged = Store::new(db::open(stage).await?, k.store.site_id());
    search::rebuild_index(&staged).await?;
    let safety_backup = create(k, REASON_BEFORE_RESTORE, None).await?;
    let keep = keep(k.store.pool()).await?;
    let site = sqlx::query("SELECT network, volunteer, ui_lang, clock FROM site WHERE id = 1")
        .fetch_one(k.store.pool())
        .await?;
    let current_clock: i64 = site.try_get("clock")?;
    // What each peer reported having is still true of the peer; the newest reports stay.
    let peers: Vec<(String, Option<String>, String, String)> =
        sqlx::query_as("SELECT site, network, vector, last_seen FROM sync_peers")
            .fetch_all(k.store.pool())
            .await?;
    // This installation's settings stay; the clock never goes back (invariant 3). The old state
    // lacks the own writes made since the backup: the peers known now are to send them back.
    let mut tx = staged.pool().begin_with("BEGIN IMMEDIATE").await?;
    let backup_clock: i64 = sqlx::query_scalar("SELECT clock FROM site WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("UPDATE site SET network = ?, volunteer = ?, ui_lang = ?, clock = max(clock, ?) WHERE id = 1")
        .bind(site.try_get::<Option<String>, _>("network")?)
        .bind(site.try_get::<Option<String>, _>("volunteer")?)
        .bind(site.try_get::<String, _>("ui_lang")?)
        .bind(current_clock)
        .execute(&mut *tx)
        .await?;
    for (peer, network, vector, last_seen) in &peers {
        crate::sync::vector::save_peer_report(&mut tx, peer, network.as_deref(), vector, last_seen).await?;
    }
    let peers: Vec<String> = peers.into_iter().map(|(site, ..)| site).collect();
    crate::sync::vector::cap_own_after_restore(&mut tx, k.store.site_id(), backup_clock, &peers).await?;
    // The backup's last import is history now: undoing it over the restored state is not offered.
    crate::sync::undo::forget(&mut tx).await?;
    sqlx::query(
        "INSERT INTO backup_settings (id, keep) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET keep = excluded.keep",
    )
    .bind(keep)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // Erasures and forgotten persons never come back with an older state; done on the stage, so
    // the database is never replaced by a state that holds them. (The restore holds the lock
    // exclusively: `known` cannot have changed since.)
    checked.erasures_reapplied = reapply::reapply(&staged, &known).await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(staged.pool())
        .await?;
    staged.close().await;
    remove_sidecars(stage);

    // Closed, but the lock stays exclusive until the restored file is open (`reopen`).
    k.store.close().await;
    swap(stage, &k.path)?;
    let kozmos = k.reopen().await?;
    Ok(Restored {
        kozmos,
        checked,
        safety_backup,
    })
}

/// The largest backup restored: far above a database of every association of both networks with
/// logos, and within what the restore holds in memory (the file and its decrypted copy).
const MAX_BACKUP_BYTES: u64 = 1 << 30;

/// Copies (or decrypts) `file` to `stage` and checks it there, so the backup itself is never
/// opened by SQLite (which could add files beside it).
async fn stage_and_check(
    k: &Kozmos,
    file: &Path,
    passphrase: Option<&str>,
    stage: &Path,
    known: &Known,
) -> Result<Checked> {
    if !file.exists() {
        return Err(refused(
            "backup_not_found",
            format!("Die Datei {} gibt es nicht.", file.display()),
            format!("The file {} does not exist.", file.display()),
        ));
    }
    let bytes = crate::files::read_bounded(file, MAX_BACKUP_BYTES)?;
    let encrypted = is_encrypted(&bytes);
    let plain = if encrypted {
        let passphrase = passphrase.filter(|p| !p.is_empty()).ok_or_else(|| {
            Error::invalid(
                "passphrase",
                "backup_passphrase_needed",
                "Diese Sicherung ist verschlüsselt. Bitte geben Sie das Passwort ein, mit dem sie angelegt wurde.",
                "This backup is encrypted. Please enter the passphrase it was made with.",
            )
        })?;
        decrypt(&bytes, passphrase).map_err(|e| match e.code() {
            "sync_passphrase_wrong" => Error::invalid(
                "passphrase",
                "backup_passphrase_wrong",
                "Das Passwort passt nicht zu dieser Sicherung. Bitte prüfen Sie die Schreibweise (auch Groß- und Kleinschreibung).",
                "The passphrase does not match this backup. Please check the spelling (including upper and lower case).",
            ),
            "sync_work_factor_too_high" => e,
            _ => damaged(),
        })?
    } else {
        bytes
    };
    if plain.is_empty() {
        return Err(refused(
            "backup_empty",
            "Die Datei ist leer (0 Byte). Es wurde nichts geändert.",
            "The file is empty (0 bytes). Nothing was changed.",
        ));
    }
    if !plain.starts_with(SQLITE_MAGIC) {
        return Err(not_kozmos());
    }
    remove_stage(stage);
    std::fs::write(stage, &plain).map_err(|e| restore_error(stage, &e.to_string()))?;
    drop(plain);
    let mut conn = connect(stage).await?;
    let checked = inspect(&mut conn, k, file, encrypted, known).await;
    let _ = conn.close().await;
    checked
}

async fn connect(stage: &Path) -> Result<SqliteConnection> {
    let options = SqliteConnectOptions::from_str("sqlite:")
        .map_err(|e| Error::Io(e.to_string()))?
        .filename(stage);
    SqliteConnection::connect_with(&options).await.map_err(|_| damaged())
}

async fn inspect(
    conn: &mut SqliteConnection,
    k: &Kozmos,
    file: &Path,
    encrypted: bool,
    known: &Known,
) -> Result<Checked> {
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(|_| damaged())?;
    if integrity.first().map(String::as_str) != Some("ok") {
        return Err(damaged());
    }
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'
           AND name IN ('_sqlx_migrations', 'site', 'associations', 'foundations', 'persons', 'stamps')",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|_| damaged())?;
    if tables != 6 {
        return Err(not_kozmos());
    }
    let schema_version: i64 = sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations")
        .fetch_one(&mut *conn)
        .await
        .map_err(|_| not_kozmos())?;
    if schema_version > db::schema_version() {
        return Err(refused(
            "backup_too_new",
            "Diese Sicherung stammt von einer neueren KOZMOS-Version. Bitte aktualisieren Sie KOZMOS zuerst. Es wurde nichts geändert.",
            "This backup comes from a newer KOZMOS version. Please update KOZMOS first. Nothing was changed.",
        ));
    }
    let site_id: Option<String> = sqlx::query_scalar("SELECT site_id FROM site WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await
        .map_err(|_| not_kozmos())?;
    if site_id.as_deref() != Some(k.store.site_id()) {
        return Err(refused(
            "backup_other_installation",
            "Diese Sicherung stammt von einer anderen KOZMOS-Installation. Daten anderer Installationen kommen über den Abgleich (Sync-Datei) herein. Es wurde nichts geändert.",
            "This backup comes from another KOZMOS installation. Data of other installations comes in through sync files. Nothing was changed.",
        ));
    }
    let count = |table: &str| format!("SELECT count(*) FROM {table} WHERE life = 'alive'");
    let mut counts = [0i64; 3];
    for (n, table) in ["associations", "foundations", "persons"].iter().enumerate() {
        counts[n] = sqlx::query_scalar(sqlx::AssertSqlSafe(count(table)))
            .fetch_one(&mut *conn)
            .await
            .map_err(|_| not_kozmos())?;
    }
    Ok(Checked {
        file_name: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        created_at: info(file).map(|b| b.created_at),
        encrypted,
        schema_version,
        associations: counts[0],
        foundations: counts[1],
        persons: counts[2],
        erasures_reapplied: reapply::erasures_undone(conn, known)
            .await
            .map_err(|_| not_kozmos())?
            .len() as u64,
    })
}

fn stage_path(k: &Kozmos) -> PathBuf {
    let mut name = k.path.file_name().unwrap_or_default().to_os_string();
    name.push(".restore");
    k.path.with_file_name(name)
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Moves the checked stage over the database, whose pool is closed. SQLite removes the -wal and
/// -shm files (and a rollback journal) when the last connection closes; when one is still there,
/// another program has the database open, and replacing the file under it would lose its writes
/// (Windows refuses to replace an open file anyway). Either way the database stays as it was.
fn swap(stage: &Path, database: &Path) -> Result<()> {
    let in_use = || Error::DatabaseInUse {
        path: database.display().to_string(),
    };
    if SIDECARS.iter().any(|suffix| sidecar(database, suffix).exists()) {
        return Err(in_use());
    }
    std::fs::rename(stage, database).map_err(|e| {
        if files::held_open(database, &e) {
            in_use()
        } else {
            restore_error(database, &e.to_string())
        }
    })
}

const SIDECARS: [&str; 3] = ["-wal", "-shm", "-journal"];

fn remove_sidecars(path: &Path) {
    for suffix in SIDECARS {
        let _ = std::fs::remove_file(sidecar(path, suffix));
    }
}

fn remove_stage(stage: &Path) {
    let _ = std::fs::remove_file(stage);
    remove_sidecars(stage);
}

fn refused(code: &str, de: impl Into<String>, en: impl Into<String>) -> Error {
    Error::invalid("file", code, de, en)
}

fn not_kozmos() -> Error {
    refused(
        "backup_not_kozmos",
        "Diese Datei ist keine KOZMOS-Sicherung. Bitte wählen Sie eine Datei aus dem Ordner „backups“ neben der Datenbank. Es wurde nichts geändert.",
        "This file is not a KOZMOS backup. Please choose a file from the \"backups\" folder beside the database. Nothing was changed.",
    )
}

fn damaged() -> Error {
    refused(
        "backup_damaged",
        "Die Sicherung ist beschädigt oder unvollständig und kann nicht wiederhergestellt werden. Es wurde nichts geändert.",
        "The backup is damaged or incomplete and cannot be restored. Nothing was changed.",
    )
}

fn restore_error(path: &Path, detail: &str) -> Error {
    Error::invalid(
        "file",
        "restore_failed",
        format!(
            "Die Wiederherstellung nach {} ist fehlgeschlagen ({detail}).",
            path.display()
        ),
        format!("Restoring to {} failed ({detail}).", path.display()),
    )
}
