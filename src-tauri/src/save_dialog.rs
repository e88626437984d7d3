//! Where to save an export: the system save dialog, or (for the real-window tests, which cannot
//! drive a native dialog) the folder named in `KOZMOS_SAVE_DIR`.

use std::path::PathBuf;

use kozmos_core::{files, Error};
use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

/// Set to a folder to skip the dialog and save there under the suggested name.
pub const SAVE_DIR_ENV_VAR: &str = "KOZMOS_SAVE_DIR";

/// What kind of file is saved: the dialog's filter name and extension.
pub struct FileKind {
    pub filter: &'static str,
    pub extension: &'static str,
}

/// A file dialog that starts where people keep documents (not the app's working folder), in front
/// of the app's window.
pub fn placed(app: &AppHandle, mut dialog: FileDialogBuilder<Wry>) -> FileDialogBuilder<Wry> {
    if let Ok(folder) = app.path().document_dir().or_else(|_| app.path().home_dir()) {
        dialog = dialog.set_directory(folder);
    }
    if let Some(window) = app.webview_windows().into_values().next() {
        dialog = dialog.set_parent(&window);
    }
    dialog
}

/// Asks where to save `suggested` (a file name); None when the user cancels.
pub async fn choose_save_path(app: &AppHandle, suggested: &str, kind: FileKind) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(SAVE_DIR_ENV_VAR) {
        return Some(PathBuf::from(dir).join(suggested));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let dialog = app
        .dialog()
        .file()
        .set_file_name(suggested)
        .add_filter(kind.filter, &[kind.extension]);
    placed(app, dialog).save_file(move |path| {
        let _ = tx.send(path.and_then(|p| p.into_path().ok()));
    });
    let path = rx.await.ok().flatten()?;
    // A name typed without the extension gets it, so the file opens with the right program.
    Some(if path.extension().is_none() {
        path.with_extension(kind.extension)
    } else {
        path
    })
}

/// Asks where to save and writes `bytes` there whole; the path, or None when the user cancels.
pub async fn save(app: &AppHandle, suggested: &str, kind: FileKind, bytes: &[u8]) -> Result<Option<String>, Error> {
    let Some(path) = choose_save_path(app, suggested, kind).await else {
        return Ok(None);
    };
    files::write_atomically(&path, bytes)?;
    Ok(Some(path.display().to_string()))
}
