//! Backup copies of the database file in `backups/` beside it (SQLite's online backup API: a
//! consistent page copy while it is open), optionally encrypted with age and a passphrase; the daily automatic
//! backup and keep-N pruning of automatic ones. Restoring one is `crate::restore`, above this module
//! and the sync engine (which makes a copy before each import).
//!
//! A backup's file name carries its time and reason: `kozmos-20261129-120000-auto.sqlite3`
//! (`.sqlite3.age` when encrypted). Every reason but `manuell` is automatic; only automatic
//! backups are pruned, manual ones stay until the user deletes them.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, SqlitePool};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::files::write_atomically;
use crate::store::Store;
use crate::Kozmos;
use kozmos_syncfile::file::{encrypt, Passphrase};

/// Why a backup was made; its file name carries it (`kozmos-<UTC time>-<reason>.sqlite3`). The UI
/// gets the same list as a generated type, so a new reason cannot go without a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(rename = "BackupReason")]
pub enum Reason {
    /// The daily backup made when the app starts.
    #[serde(rename = "auto")]
    Daily,
    /// A backup the user asked for; never pruned.
    #[serde(rename = "manuell")]
    Manual,
    /// Before a sync file was applied.
    #[serde(rename = "vor-import")]
    BeforeSyncImport,
    /// Before a spreadsheet import.
    #[serde(rename = "vor-tabellenimport")]
    BeforeTableImport,
    /// The state just before a restore replaced it.
    #[serde(rename = "vor-wiederherstellung")]
    BeforeRestore,
}

impl Reason {
    /// As in the file name.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Daily => "auto",
            Reason::Manual => "manuell",
            Reason::BeforeSyncImport => "vor-import",
            Reason::BeforeTableImport => "vor-tabellenimport",
            Reason::BeforeRestore => "vor-wiederherstellung",
        }
    }

    /// When the copy must be on the disk: the user's own backups and the state a restore replaces
    /// before the call returns; a copy before an import in the background (the database still
    /// holds that state until the import commits, and the copy is on the disk a moment later),
    /// which keeps an fsync of the whole file (130 ms at scale 100) out of the wait.
    fn flush(self) -> Flush {
        match self {
            Reason::BeforeSyncImport | Reason::BeforeTableImport => Flush::Background,
            Reason::Daily | Reason::Manual | Reason::BeforeRestore => Flush::Now,
        }
    }
}

/// When a copy is flushed to the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flush {
    Now,
    Background,
    /// A temporary file, read back and removed.
    Never,
}

pub const REASON_DAILY: Reason = Reason::Daily;
pub const REASON_MANUAL: Reason = Reason::Manual;
pub const REASON_BEFORE_RESTORE: Reason = Reason::BeforeRestore;
/// Before a spreadsheet import (before a sync import: `Reason::BeforeSyncImport`).
pub const REASON_IMPORT: Reason = Reason::BeforeTableImport;

/// Automatic backups kept: the allowed range and the default (the UI's `bindings/limits.ts`).
pub const KEEP_MIN: u32 = 1;
pub const KEEP_MAX: u32 = 365;
pub const KEEP_DEFAULT: u32 = 14;

const PREFIX: &str = "kozmos-";
const PLAIN_SUFFIX: &str = ".sqlite3";
const ENCRYPTED_SUFFIX: &str = ".sqlite3.age";

/// One backup file as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupInfo {
    pub file_name: String,
    pub path: String,
    /// When it was made, RFC 3339 UTC (from its file name).
    pub created_at: String,
    pub reason: String,
    /// Automatic backups (all but "manuell") are pruned beyond the number kept, each reason on its
    /// own: copies before imports never push out daily backups.
    pub automatic: bool,
    pub encrypted: bool,
    #[ts(type = "number")]
    pub size_bytes: u64,
}

/// The backups and the setting shown on the Backups page.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BackupOverview {
    pub folder: String,
    pub keep: u32,
    /// Newest first.
    pub backups: Vec<BackupInfo>,
}

/// Copies the database into `dir` as `kozmos-<UTC time>-<reason>.sqlite3` and returns the path,
/// then prunes the older copies for the same reason beyond the number kept. This is the copy made
/// before an import; `create` is the full action (encryption too).
pub async fn copy(store: &Store, dir: &Path, reason: Reason) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| backup_error(dir, &e.to_string()))?;
    let path = free_name(dir, &stamp(store.now_ms()), reason.as_str(), PLAIN_SUFFIX);
    page_copy(store.pool(), &path, reason.flush()).await?;
    prune_reason(dir, reason.as_str(), keep(store.pool()).await?)?;
    Ok(path)
}

/// Makes a backup of `k` for `reason` (encrypted when a passphrase is given), then prunes the
/// automatic backups for that reason beyond the number kept.
pub async fn create(k: &Kozmos, reason: Reason, passphrase: Option<&Passphrase>) -> Result<BackupInfo> {
    let dir = k.backup_dir();
    let path = match passphrase {
        None => copy(&k.store, &dir, reason).await?,
        Some(passphrase) => {
            std::fs::create_dir_all(&dir).map_err(|e| backup_error(&dir, &e.to_string()))?;
            let path = free_name(&dir, &stamp(k.store.now_ms()), reason.as_str(), ENCRYPTED_SUFFIX);
            let plain = dir.join(format!(".{}.plain", file_name(&path)));
            let _ = std::fs::remove_file(&plain);
            let made = encrypt_copy(k.store.pool(), &plain, &path, passphrase).await;
            let _ = std::fs::remove_file(&plain);
            made?;
            prune_reason(&dir, reason.as_str(), keep(k.store.pool()).await?)?;
            path
        }
    };
    info(&path).ok_or_else(|| backup_error(&path, "not listed"))
}

async fn encrypt_copy(pool: &SqlitePool, plain: &Path, path: &Path, passphrase: &Passphrase) -> Result<()> {
    page_copy(pool, plain, Flush::Never).await?;
    let bytes = std::fs::read(plain).map_err(|e| backup_error(plain, &e.to_string()))?;
    write_atomically(path, &encrypt(&bytes, passphrase)?)
}

/// The daily automatic backup: made when no automatic backup exists yet for today (UTC, by the
/// store's clock). Returns None when there was one already.
pub async fn daily(k: &Kozmos) -> Result<Option<BackupInfo>> {
    let today = &stamp(k.store.now_ms())[..8];
    let made_today = list(&k.backup_dir())?
        .iter()
        .any(|b| b.reason == REASON_DAILY.as_str() && b.created_at.replace('-', "").starts_with(today));
    if made_today {
        return Ok(None);
    }
    create(k, REASON_DAILY, None).await.map(Some)
}

/// The backups in `dir`, newest first (a missing folder has none).
pub fn list(dir: &Path) -> Result<Vec<BackupInfo>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::Io(format!("{}: {e}", dir.display()))),
    };
    let mut backups: Vec<BackupInfo> = entries.filter_map(|e| info(&e.ok()?.path())).collect();
    backups.sort_by(|a, b| b.file_name.cmp(&a.file_name));
    Ok(backups)
}

/// The overview for the Backups page and `kozmos backup list`.
pub async fn overview(k: &Kozmos) -> Result<BackupOverview> {
    let dir = k.backup_dir();
    Ok(BackupOverview {
        folder: dir.display().to_string(),
        keep: keep(k.store.pool()).await?,
        backups: list(&dir)?,
    })
}

/// Deletes the automatic backups beyond the newest `keep` of each reason; returns how many were
/// deleted.
pub fn prune(dir: &Path, keep: u32) -> Result<usize> {
    let mut reasons: Vec<String> = list(dir)?
        .into_iter()
        .filter(|b| b.automatic)
        .map(|b| b.reason)
        .collect();
    reasons.sort();
    reasons.dedup();
    reasons.iter().map(|reason| prune_reason(dir, reason, keep)).sum()
}

/// Deletes the automatic backups for `reason` beyond the newest `keep`. One that another program
/// holds open (on Windows a virus scanner may, for a moment) stays until next time.
fn prune_reason(dir: &Path, reason: &str, keep: u32) -> Result<usize> {
    let old: Vec<BackupInfo> = list(dir)?
        .into_iter()
        .filter(|b| b.automatic && b.reason == reason)
        .skip(keep as usize)
        .collect();
    let mut deleted = 0;
    for b in &old {
        let path = Path::new(&b.path);
        match std::fs::remove_file(path) {
            Ok(()) => deleted += 1,
            Err(e) if crate::files::held_open(path, &e) => {}
            Err(e) => return Err(Error::Io(format!("{}: {e}", b.path))),
        }
    }
    Ok(deleted)
}

/// How many automatic backups are kept.
pub async fn keep(pool: &SqlitePool) -> Result<u32> {
    let keep: Option<i64> = sqlx::query_scalar("SELECT keep FROM backup_settings WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    Ok(keep.map_or(KEEP_DEFAULT, |n| n.clamp(KEEP_MIN as i64, KEEP_MAX as i64) as u32))
}

/// Sets how many automatic backups are kept (`KEEP_MIN` to `KEEP_MAX`) and prunes to it.
pub async fn set_keep(k: &Kozmos, keep: i64) -> Result<BackupOverview> {
    if !(KEEP_MIN as i64..=KEEP_MAX as i64).contains(&keep) {
        return Err(Error::invalid(
            "keep",
            "backup_keep_invalid",
            format!("Bitte eine Zahl von {KEEP_MIN} bis {KEEP_MAX} angeben."),
            format!("Please give a number from {KEEP_MIN} to {KEEP_MAX}."),
        ));
    }
    sqlx::query(
        "INSERT INTO backup_settings (id, keep) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET keep = excluded.keep",
    )
    .bind(keep)
    .execute(k.store.pool())
    .await?;
    prune(&k.backup_dir(), keep as u32)?;
    overview(k).await
}

/// A backup file's facts from its name and size; None for any other file.
pub(crate) fn info(path: &Path) -> Option<BackupInfo> {
    let name = path.file_name()?.to_str()?;
    let (rest, encrypted) = match name.strip_suffix(ENCRYPTED_SUFFIX) {
        Some(rest) => (rest, true),
        None => (name.strip_suffix(PLAIN_SUFFIX)?, false),
    };
    let rest = rest.strip_prefix(PREFIX)?;
    let (stamp, reason) = (rest.get(..15)?, rest.get(16..)?);
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(&stamp[..8]) && &stamp[8..9] == "-" && digits(&stamp[9..])) || reason.is_empty() {
        return None;
    }
    // A second backup in the same second gets "-2", "-3": not part of the reason.
    let reason = match reason.rsplit_once('-') {
        Some((head, n)) if digits(n) && !head.is_empty() => head,
        _ => reason,
    };
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    Some(BackupInfo {
        file_name: name.to_string(),
        path: path.display().to_string(),
        created_at: format!(
            "{}-{}-{}T{}:{}:{}Z",
            &stamp[..4],
            &stamp[4..6],
            &stamp[6..8],
            &stamp[9..11],
            &stamp[11..13],
            &stamp[13..15]
        ),
        automatic: reason != REASON_MANUAL.as_str(),
        reason: reason.to_string(),
        encrypted,
        size_bytes: meta.len(),
    })
}

fn stamp(now_ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(now_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default()
}

fn free_name(dir: &Path, stamp: &str, reason: &str, suffix: &str) -> PathBuf {
    let mut path = dir.join(format!("{PREFIX}{stamp}-{reason}{suffix}"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{PREFIX}{stamp}-{reason}-{n}{suffix}"));
    }
    path
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Copies the database's last commit into `path`, page by page (SQLite's online backup API, as fast
/// as the disk writes; `VACUUM INTO` rebuilt every table and index and took five times as long). The
/// copy is written under a hidden name (without a journal or syncs: it is removed if anything
/// fails), flushed to the disk as `flush` says, renamed when complete, and is a single file (no WAL).
/// Like the database, it holds no erased data: an erasure vacuums the database at once.
async fn page_copy(pool: &SqlitePool, path: &Path, flush: Flush) -> Result<()> {
    let partial = path.with_file_name(format!(".{}.part", file_name(path)));
    let _ = std::fs::remove_file(&partial);
    let copied = copy_pages(pool, &partial)
        .await
        .and_then(|()| flush_copy(&partial, flush))
        .and_then(|()| std::fs::rename(&partial, path).map_err(|e| e.to_string()));
    copied.map_err(|detail| {
        let _ = std::fs::remove_file(&partial);
        backup_error(path, &detail)
    })
}

/// Flushes a copy to the disk (in the background: the open file survives the rename).
fn flush_copy(path: &Path, flush: Flush) -> std::result::Result<(), String> {
    // Windows flushes only through a handle that may write (FlushFileBuffers: access denied else).
    let writable = || std::fs::OpenOptions::new().write(true).open(path);
    match flush {
        Flush::Never => Ok(()),
        Flush::Now => writable().and_then(|file| file.sync_all()).map_err(|e| e.to_string()),
        Flush::Background => {
            let file = writable().map_err(|e| e.to_string())?;
            std::thread::spawn(move || file.sync_all());
            Ok(())
        }
    }
}

async fn copy_pages(pool: &SqlitePool, path: &Path) -> std::result::Result<(), String> {
    let text = |e: sqlx::Error| e.to_string();
    let mut copy = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Off)
        .synchronous(SqliteSynchronous::Off)
        .connect()
        .await
        .map_err(text)?;
    {
        let mut source = pool.acquire().await.map_err(text)?;
        let mut source = source.lock_handle().await.map_err(text)?;
        let mut destination = copy.lock_handle().await.map_err(text)?;
        kozmos_os::sqlite::copy_database(&mut source, &mut destination)?;
    }
    // The pages carry the database's WAL mode; the copy is one file.
    sqlx::query("PRAGMA journal_mode = DELETE")
        .execute(&mut copy)
        .await
        .map_err(text)?;
    copy.close().await.map_err(text)
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
