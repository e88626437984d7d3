//! Backups: the list, a backup now (encrypted on request), the number kept, restore.

use std::time::Duration;

use kozmos_core::backup::{self, BackupInfo, BackupOverview};
use kozmos_core::restore::{self, Checked};
use kozmos_core::sync::file::Passphrase;
use kozmos_core::sync::passphrase;
use kozmos_core::Error;
use serde::Deserialize;
use tauri::{AppHandle, Manager, State};

use crate::open_dialog::choose_file;
use crate::picked::{backup_in, Picked, PickedPath};
use crate::save_dialog::FileKind;
use crate::AppState;

const BACKUP_FILE: FileKind = FileKind {
    filter: "KOZMOS-Sicherung",
    extension: "sqlite3",
};

/// How long the daily backup waits after start: copying the whole database would compete with
/// the first screen for the disk and both cores (measured with `scripts/bench-app.mjs`).
const DAILY_BACKUP_DELAY: Duration = Duration::from_secs(3);

/// The daily backup, off the UI thread and after the first screen; a failure is kept for the
/// Backups page, never blocks.
pub fn spawn_daily(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(DAILY_BACKUP_DELAY).await;
        let state = app.state::<AppState>();
        let outcome = match state.kozmos() {
            Ok(k) => backup::daily(&k).await.map(|_| ()),
            Err(_) => Ok(()),
        };
        state.daily_backup_done(outcome);
    });
}

#[tauri::command]
pub async fn backup_overview(state: State<'_, AppState>) -> Result<BackupOverview, Error> {
    backup::overview(&state.kozmos()?).await
}

/// Once the daily backup on start has run: Ok when it worked (or was not needed), its error otherwise.
#[tauri::command]
pub async fn daily_backup_status(state: State<'_, AppState>) -> Result<(), Error> {
    state.daily_backup_outcome().await
}

#[tauri::command]
pub async fn create_backup(state: State<'_, AppState>, passphrase: Option<String>) -> Result<BackupInfo, Error> {
    let passphrase = match passphrase {
        Some(secret) => {
            passphrase::check(&secret)?;
            Some(Passphrase {
                secret,
                work_factor: None,
            })
        }
        None => None,
    };
    backup::create(&state.kozmos()?, backup::REASON_MANUAL, passphrase.as_ref()).await
}

#[tauri::command]
pub async fn set_backup_keep(state: State<'_, AppState>, keep: i64) -> Result<BackupOverview, Error> {
    backup::set_keep(&state.kozmos()?, keep).await
}

/// Which backup to check or restore: one of the list (its file name, inside this database's
/// backups folder only) or a file picked elsewhere (its token).
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ipc/"))]
pub enum BackupSource {
    Listed(String),
    Picked(String),
}

impl BackupSource {
    fn path(&self, k: &kozmos_core::Kozmos, picked: &Picked) -> Result<std::path::PathBuf, Error> {
        match self {
            BackupSource::Listed(name) => backup_in(&k.backup_dir(), name),
            BackupSource::Picked(token) => picked.resolve(token),
        }
    }
}

/// Asks for a backup file elsewhere (a USB stick); None when the user cancels.
#[tauri::command]
pub async fn choose_backup_file(app: AppHandle, picked: State<'_, Picked>) -> Result<Option<PickedPath>, Error> {
    Ok(choose_file(&app, BACKUP_FILE).await.map(|p| picked.remember(p)))
}

/// Checks the file without changing anything (for the confirm dialog).
#[tauri::command]
pub async fn check_backup(
    state: State<'_, AppState>,
    picked: State<'_, Picked>,
    source: BackupSource,
    passphrase: Option<String>,
) -> Result<Checked, Error> {
    let k = state.kozmos()?;
    let path = source.path(&k, &picked)?;
    restore::check(&k, &path, passphrase.as_deref()).await
}

/// Restores the file; the app continues with the reopened database.
#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    picked: State<'_, Picked>,
    source: BackupSource,
    passphrase: Option<String>,
) -> Result<Checked, Error> {
    let k = state.kozmos()?;
    let path = source.path(&k, &picked)?;
    let _restoring = state.begin_restore().ok_or_else(Error::restore_in_progress)?;
    match restore::restore(&k, &path, passphrase.as_deref()).await {
        Ok(restored) => {
            state.replace(restored.kozmos);
            Ok(restored.checked)
        }
        Err(e) => {
            if k.store.pool().is_closed() {
                state.replace(k.reopen().await?);
            }
            Err(e)
        }
    }
}
