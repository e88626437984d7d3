//! Which file or folder to open: the system dialog, or (for the real-window tests, which cannot
//! drive a native dialog) the path named in `KOZMOS_OPEN_FILE` or `KOZMOS_OPEN_DIR`.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::{DialogExt, FilePath};

use crate::save_dialog::{placed, FileKind};

/// Set to a file to skip the open dialog and take that file.
pub const OPEN_FILE_ENV_VAR: &str = "KOZMOS_OPEN_FILE";
/// Set to a folder to skip the folder dialog and take that folder.
pub const OPEN_DIR_ENV_VAR: &str = "KOZMOS_OPEN_DIR";

/// Asks which file to open (offering files of `kind`, and all files); None when the user cancels.
pub async fn choose_file(app: &AppHandle, kind: FileKind) -> Option<PathBuf> {
    choose_file_of(app, kind.filter, &[kind.extension]).await
}

/// Asks which file to open, offering files with any of `extensions` under the filter name.
pub async fn choose_file_of(app: &AppHandle, filter: &str, extensions: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(OPEN_FILE_ENV_VAR) {
        return Some(PathBuf::from(path));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let dialog = app.dialog().file().add_filter(filter, extensions);
    placed(app, dialog).pick_file(move |path| {
        let _ = tx.send(path.and_then(into_path));
    });
    rx.await.ok().flatten()
}

/// Asks for a folder; None when the user cancels.
pub async fn choose_folder(app: &AppHandle) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(OPEN_DIR_ENV_VAR) {
        return Some(PathBuf::from(path));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    placed(app, app.dialog().file()).pick_folder(move |path| {
        let _ = tx.send(path.and_then(into_path));
    });
    rx.await.ok().flatten()
}

fn into_path(path: FilePath) -> Option<PathBuf> {
    path.into_path().ok()
}
