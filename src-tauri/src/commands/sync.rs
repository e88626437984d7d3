//! Sync files: export through the save dialog, import with a preview first, conflicts, history and
//! the shared folder. Each command is a few lines around `kozmos_core::sync`.

use std::future::Future;
use std::io::Read;
use std::path::Path;

use kozmos_core::sync::conflicts::{self, ConflictEntry};
use kozmos_core::sync::detail::{self, Detail, RecordPage};
use kozmos_core::sync::export::{self, ExportOptions, ExportSummary};
use kozmos_core::sync::file::{self, Passphrase, Verified};
use kozmos_core::sync::folder::{self, FolderSync};
use kozmos_core::sync::folder_secret::Kept;
use kozmos_core::sync::history::{self, HistoryEntry};
use kozmos_core::sync::import::{self, ImportOptions, ImportResult, Preview};
use kozmos_core::sync::passphrase::{self, Strength};
use kozmos_core::sync::profile::Profile;
use kozmos_core::sync::status::{self, SyncStatus};
use kozmos_core::sync::undo;
use kozmos_core::{files, site, Error};
use serde::Serialize;
use tauri::{AppHandle, State};

use crate::folder_passphrase::FolderPassphrase;
use crate::open_dialog::{choose_file, choose_folder};
use crate::opened::OpenedFile;
use crate::picked::{Picked, PickedPath};
use crate::save_dialog::{choose_save_path, FileKind};
use crate::AppState;

const SYNC_FILE: FileKind = FileKind {
    filter: "KOZMOS-Sync",
    extension: folder::EXTENSION,
};

/// The file last previewed, verified (and decrypted) once, kept until it is applied; and the
/// records its preview lists, by the token it was previewed with, until another preview or an
/// import replaces them.
#[derive(Default)]
pub struct Previewed(tokio::sync::Mutex<PreviewKept>);

#[derive(Default)]
struct PreviewKept {
    verified: Option<Verified>,
    detail: Option<(String, Detail)>,
}

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ipc/"))]
pub struct SavedSyncFile {
    path: String,
    #[serde(flatten)]
    summary: ExportSummary,
}

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ipc/"))]
pub struct PickedSyncFile {
    #[serde(flatten)]
    picked: PickedPath,
    encrypted: bool,
}

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus, Error> {
    status::status(&state.kozmos()?.store).await
}

#[tauri::command]
pub fn passphrase_strength(passphrase: String) -> Strength {
    passphrase::strength(&passphrase)
}

/// Asks where to save, then writes a sync file there (full, or incremental for `peer`) and records
/// it in the history; None when the user cancels the dialog.
#[tauri::command]
pub async fn export_sync_file(
    app: AppHandle,
    state: State<'_, AppState>,
    peer: Option<String>,
    profile: Profile,
    passphrase: Option<String>,
) -> Result<Option<SavedSyncFile>, Error> {
    let k = state.kozmos()?;
    let passphrase = match passphrase.filter(|p| !p.is_empty()) {
        Some(secret) => {
            passphrase::check(&secret)?;
            Some(Passphrase {
                secret,
                work_factor: None,
            })
        }
        None => None,
    };
    let network = site::load(k.store.pool()).await?.network;
    let name = format!(
        "kozmos-{}-{}.{}",
        network.as_deref().unwrap_or("sync"),
        files::local_now().date(),
        folder::EXTENSION
    );
    let Some(path) = choose_save_path(&app, &name, SYNC_FILE).await else {
        return Ok(None);
    };
    let options = ExportOptions {
        peer,
        profile,
        passphrase,
    };
    let summary = export::to_file(&k.store, &options, &path).await?;
    Ok(Some(SavedSyncFile {
        path: path.display().to_string(),
        summary,
    }))
}

/// Asks which sync file to import; None when the user cancels.
#[tauri::command]
pub async fn pick_sync_file(app: AppHandle, picked: State<'_, Picked>) -> Result<Option<PickedSyncFile>, Error> {
    Ok(choose_file(&app, SYNC_FILE).await.map(|path| describe(&picked, path)))
}

/// The sync file the app was asked to open (double-clicked, or handed over by a later start),
/// once: None when there is none (or it was taken already).
#[tauri::command]
pub fn take_opened_sync_file(opened: State<'_, OpenedFile>, picked: State<'_, Picked>) -> Option<PickedSyncFile> {
    opened.take().map(|path| describe(&picked, path))
}

/// A chosen file's name and whether it is encrypted (a file that cannot be read is reported by
/// the preview, at the file).
fn describe(picked: &Picked, path: std::path::PathBuf) -> PickedSyncFile {
    let mut start = Vec::with_capacity(64);
    let _ = std::fs::File::open(&path).and_then(|f| f.take(64).read_to_end(&mut start));
    PickedSyncFile {
        encrypted: file::is_encrypted(&start),
        picked: picked.remember(path),
    }
}

/// What importing the file would do; writes nothing. The verified file is kept for the apply,
/// the records for `sync_preview_page`.
#[tauri::command]
pub async fn preview_sync_file(
    state: State<'_, AppState>,
    previewed: State<'_, Previewed>,
    picked: State<'_, Picked>,
    folder_passphrase: State<'_, FolderPassphrase>,
    token: String,
    passphrase: Option<String>,
) -> Result<Preview, Error> {
    let store = state.kozmos()?.store.clone();
    let bytes = file::read(&picked.resolve(&token)?)?;
    let passphrase = typed_or_folder(&bytes, passphrase, &folder_passphrase, store.site_id());
    let verified = verify(bytes, passphrase).await?;
    previewed.0.lock().await.detail = None;
    let (preview, detail, verified) = on_blocking_thread(move || async move {
        let (preview, detail) = import::preview_with_detail(&store, &verified).await?;
        Ok((preview, detail, verified))
    })
    .await?;
    *previewed.0.lock().await = PreviewKept {
        verified: Some(verified),
        detail: Some((token, detail)),
    };
    Ok(preview)
}

/// A page of the records that the file previewed with `token` would change (`offset` from 0,
/// at most `detail::PAGE_RECORDS`); `sync_preview_gone` when that preview is no longer kept.
#[tauri::command]
pub async fn sync_preview_page(
    previewed: State<'_, Previewed>,
    token: String,
    offset: i64,
    limit: i64,
) -> Result<RecordPage, Error> {
    match &previewed.0.lock().await.detail {
        Some((kept, detail)) if *kept == token => detail.page(offset, limit),
        _ => Err(detail::gone()),
    }
}

/// Applies the file that was previewed (after a backup copy); refused when the file is no longer
/// the one previewed (`sha256`).
#[tauri::command]
#[allow(clippy::too_many_arguments)] // the command's arguments are what the window sends
pub async fn apply_sync_file(
    state: State<'_, AppState>,
    previewed: State<'_, Previewed>,
    picked: State<'_, Picked>,
    folder_passphrase: State<'_, FolderPassphrase>,
    token: String,
    passphrase: Option<String>,
    accept_clock_ahead: bool,
    allow_mass_changes: bool,
    sha256: String,
) -> Result<ImportResult, Error> {
    let k = state.kozmos()?;
    let path = picked.resolve(&token)?;
    let bytes = file::read(&path)?;
    if file::sha256_hex(&bytes) != sha256 {
        return Err(changed_since_preview());
    }
    let mut kept = previewed.0.lock().await;
    let verified = match kept.verified.take().filter(|v| v.file_sha256 == sha256) {
        Some(verified) => verified,
        None => {
            let passphrase = typed_or_folder(&bytes, passphrase, &folder_passphrase, k.store.site_id());
            verify(bytes, passphrase).await?
        }
    };
    let options = ImportOptions {
        accept_clock_ahead,
        file_name: path.file_name().map(|n| n.to_string_lossy().to_string()),
        backup_dir: Some(k.backup_dir()),
        allow_mass_changes,
        ..ImportOptions::default()
    };
    let store = k.store.clone();
    let (result, verified) = on_blocking_thread(move || async move {
        let result = import::apply(&store, &verified, &options).await;
        Ok((result, verified))
    })
    .await?;
    if result.is_ok() {
        kept.detail = None;
    } else {
        kept.verified = Some(verified);
    }
    result
}

/// The last import, when it can still be undone.
#[tauri::command]
pub async fn undoable_sync_import(state: State<'_, AppState>) -> Result<Option<HistoryEntry>, Error> {
    undo::last(&state.kozmos()?.store).await
}

/// Undoes the last import (refused, with nothing changed, when a record it touched changed since).
#[tauri::command]
pub async fn undo_sync_import(state: State<'_, AppState>) -> Result<HistoryEntry, Error> {
    let store = state.kozmos()?.store.clone();
    on_blocking_thread(move || async move { undo::undo_last(&store).await }).await
}

#[tauri::command]
pub async fn sync_conflicts(state: State<'_, AppState>, include_seen: bool) -> Result<Vec<ConflictEntry>, Error> {
    conflicts::list(&state.kozmos()?.store, include_seen).await
}

#[tauri::command]
pub async fn mark_conflict_seen(state: State<'_, AppState>, id: i64) -> Result<(), Error> {
    conflicts::mark_seen(&state.kozmos()?.store, id).await
}

#[tauri::command]
pub async fn restore_conflict(state: State<'_, AppState>, id: i64) -> Result<(), Error> {
    conflicts::restore(&state.kozmos()?.store, id).await
}

#[tauri::command]
pub async fn sync_history(state: State<'_, AppState>, limit: Option<i64>) -> Result<Vec<HistoryEntry>, Error> {
    history::list(&state.kozmos()?.store, limit.unwrap_or(200)).await
}

/// Sets the shared folder picked with `pick_sync_folder` (its token; without one, clears the
/// folder) and its privacy profile.
#[tauri::command]
pub async fn set_sync_folder(
    state: State<'_, AppState>,
    picked: State<'_, Picked>,
    token: Option<String>,
    profile: Profile,
) -> Result<SyncStatus, Error> {
    let store = &state.kozmos()?.store;
    let folder = token.map(|t| picked.resolve(&t)).transpose()?;
    folder::set(store, folder.as_deref(), profile).await?;
    status::status(store).await
}

/// Changes the privacy profile of the shared folder stored in the database (kept as it is).
#[tauri::command]
pub async fn set_sync_folder_profile(state: State<'_, AppState>, profile: Profile) -> Result<SyncStatus, Error> {
    let store = &state.kozmos()?.store;
    let stored = status::status(store).await?.folder;
    folder::set(store, stored.as_deref().map(Path::new), profile).await?;
    status::status(store).await
}

/// Asks for the shared folder; its token (and path to show), or None when the user cancels.
#[tauri::command]
pub async fn pick_sync_folder(app: AppHandle, picked: State<'_, Picked>) -> Result<Option<PickedPath>, Error> {
    Ok(choose_folder(&app).await.map(|p| picked.remember(p)))
}

/// The folder sync, with a token per incoming file (by its path) for the preview and apply.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ipc/"))]
pub struct FolderSyncResult {
    #[serde(flatten)]
    sync: FolderSync,
    tokens: std::collections::HashMap<String, String>,
}

/// Writes our file into the shared folder stored in the database and previews the others' new
/// files. An encrypted folder takes the passphrase typed now (checked against our last file, then
/// kept for the session and, with `remember`, in the keyring), else the one kept before.
#[tauri::command]
pub async fn sync_folder_now(
    state: State<'_, AppState>,
    picked: State<'_, Picked>,
    folder_passphrase: State<'_, FolderPassphrase>,
    passphrase: Option<String>,
    remember: bool,
) -> Result<FolderSyncResult, Error> {
    let store = state.kozmos()?.store.clone();
    let site = store.site_id().to_string();
    let secret = match passphrase.filter(|p| !p.is_empty()) {
        Some(typed) => {
            folder::check_passphrase(&store, &typed).await?;
            folder_passphrase.remember(&site, &typed, remember);
            Some(typed)
        }
        None => folder_passphrase.current(&site),
    };
    let sync = on_blocking_thread(move || async move { folder::sync_now(&store, secret.as_deref()).await }).await?;
    let tokens = sync
        .incoming
        .iter()
        .map(|f| (f.path.clone(), picked.remember(f.path.clone().into()).token))
        .collect();
    Ok(FolderSyncResult { sync, tokens })
}

/// Where the shared folder's passphrase is known on this computer (None: it will be asked for).
#[tauri::command]
pub async fn sync_folder_passphrase(
    state: State<'_, AppState>,
    folder_passphrase: State<'_, FolderPassphrase>,
) -> Result<Option<Kept>, Error> {
    Ok(folder_passphrase.kept(state.kozmos()?.store.site_id()))
}

/// What the shared folder's encryption is now, and where its passphrase is kept.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ipc/"))]
pub struct FolderEncryption {
    status: SyncStatus,
    kept: Option<Kept>,
}

/// Switches encryption of our folder file on (with the passphrase agreed with the other side,
/// kept for the session and, with `remember`, in the keyring) or off (forgetting it).
#[tauri::command]
pub async fn set_sync_folder_encryption(
    state: State<'_, AppState>,
    folder_passphrase: State<'_, FolderPassphrase>,
    encrypted: bool,
    passphrase: Option<String>,
    remember: bool,
) -> Result<FolderEncryption, Error> {
    let store = &state.kozmos()?.store;
    let kept = if encrypted {
        let secret = passphrase.unwrap_or_default();
        passphrase::check(&secret)?;
        folder::set_encrypted(store, true).await?;
        Some(folder_passphrase.remember(store.site_id(), &secret, remember))
    } else {
        folder::set_encrypted(store, false).await?;
        folder_passphrase.forget(store.site_id());
        None
    };
    Ok(FolderEncryption {
        status: status::status(store).await?,
        kept,
    })
}

/// Forgets the shared folder's passphrase on this computer (session and keyring); the next sync
/// asks for it.
#[tauri::command]
pub async fn forget_sync_folder_passphrase(
    state: State<'_, AppState>,
    folder_passphrase: State<'_, FolderPassphrase>,
) -> Result<(), Error> {
    folder_passphrase.forget(state.kozmos()?.store.site_id());
    Ok(())
}

/// Runs long core work (a preview or apply reads the whole file) on a blocking thread of the
/// runtime, so that other commands stay responsive meanwhile.
async fn on_blocking_thread<T, F, Fut>(work: F) -> Result<T, Error>
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, Error>>,
{
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || runtime.block_on(work()))
        .await
        .map_err(|e| Error::Io(e.to_string()))?
}

/// The passphrase typed for a file; for an encrypted file without one, the shared folder's (a
/// file from the encrypted folder opens with it).
fn typed_or_folder(bytes: &[u8], typed: Option<String>, folder: &FolderPassphrase, site: &str) -> Option<String> {
    match typed.filter(|p| !p.is_empty()) {
        None if file::is_encrypted(bytes) => folder.current(site),
        typed => typed,
    }
}

/// Checks (and decrypts) a whole file off the async threads: scrypt takes about a second.
async fn verify(bytes: Vec<u8>, passphrase: Option<String>) -> Result<Verified, Error> {
    let passphrase = passphrase.filter(|p| !p.is_empty());
    tauri::async_runtime::spawn_blocking(move || file::verify(&bytes, passphrase.as_deref()))
        .await
        .map_err(|e| Error::Io(e.to_string()))?
}

fn changed_since_preview() -> Error {
    Error::invalid(
        "file",
        "sync_file_changed",
        "Die Datei hat sich seit der Vorschau geändert; es wurde nichts übernommen. Bitte sehen Sie sich die Vorschau erneut an.",
        "The file has changed since the preview; nothing was applied. Please look at the preview again.",
    )
}
