//! Backups: the list, a backup now (encrypted on request), the number kept, restore.

use kozmos_core::backup::{self, BackupInfo, BackupOverview, Checked};
use kozmos_core::sync::file::Passphrase;
use kozmos_core::sync::passphrase;
use kozmos_core::Error;
use tauri::{AppHandle, Manager, State};

use crate::open_dialog::choose_file;
use crate::save_dialog::FileKind;
use crate::AppState;

const BACKUP_FILE: FileKind = FileKind {
    filter: "KOZMOS-Sicherung",
    extension: "sqlite3",
};

/// The daily backup, off the UI thread; a failure is kept for the Backups page, never blocks.
pub fn spawn_daily(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        if let Ok(k) = state.kozmos() {
            state.set_daily_backup_error(backup::daily(&k).await.err());
        }
    });
}

#[tauri::command]
pub async fn backup_overview(state: State<'_, AppState>) -> Result<BackupOverview, Error> {
    backup::overview(&state.kozmos()?).await
}

/// Ok when the daily backup on start worked (or is still running), its error otherwise.
#[tauri::command]
pub async fn daily_backup_status(state: State<'_, AppState>) -> Result<(), Error> {
    state.daily_backup_error().map_or(Ok(()), Err)
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

/// Asks for a backup file elsewhere (a USB stick); None when the user cancels.
#[tauri::command]
pub async fn choose_backup_file(app: AppHandle) -> Result<Option<String>, Error> {
    Ok(choose_file(&app, BACKUP_FILE).await.map(|p| p.display().to_string()))
}

/// Checks the file without changing anything (for the confirm dialog).
#[tauri::command]
pub async fn check_backup(
    state: State<'_, AppState>,
    path: String,
    passphrase: Option<String>,
) -> Result<Checked, Error> {
    backup::check(&state.kozmos()?, path.as_ref(), passphrase.as_deref()).await
}

/// Restores the file; the app continues with the reopened database.
#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    path: String,
    passphrase: Option<String>,
) -> Result<Checked, Error> {
    let k = state.kozmos()?;
    match backup::restore(&k, path.as_ref(), passphrase.as_deref()).await {
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
