//! Opening a file in the system's viewer (to print a PDF): the desktop's default program, or (for
//! the real-window tests) the program named in `KOZMOS_VIEWER`, called with the file's path.

use std::path::{Path, PathBuf};

use kozmos_core::Error;
use tauri::{AppHandle, Manager};

/// Set to a program to open files with it instead of the system's default viewer.
pub const VIEWER_ENV_VAR: &str = "KOZMOS_VIEWER";

/// A folder in the app's cache for files opened to print (created if missing).
pub fn cache_folder(app: &AppHandle, name: &str) -> Result<PathBuf, Error> {
    let folder = app
        .path()
        .app_cache_dir()
        .map_err(|e| Error::Io(e.to_string()))?
        .join(name);
    std::fs::create_dir_all(&folder).map_err(|e| Error::Io(format!("{}: {e}", folder.display())))?;
    Ok(folder)
}

pub fn open(path: &Path) -> Result<(), Error> {
    let failed = |e: std::io::Error| {
        Error::invalid(
            "viewer",
            "viewer_failed",
            format!(
                "Die Datei {} ließ sich nicht öffnen ({e}). Sie ist gespeichert und kann von Hand geöffnet werden.",
                path.display()
            ),
            format!(
                "The file {} could not be opened ({e}). It is saved and can be opened by hand.",
                path.display()
            ),
        )
    };
    match std::env::var_os(VIEWER_ENV_VAR) {
        Some(program) => std::process::Command::new(program)
            .arg(path)
            .status()
            .map_err(failed)
            .map(|_| ()),
        None => open::that_detached(path).map_err(failed),
    }
}
