//! Paths the Rust side picked (a dialog, a file the app was asked to open, the shared folder's
//! incoming files). The window gets an opaque random token for each and hands it back to the
//! commands that read the file, so the webview can never name an arbitrary path. Tokens live for
//! this session only (kept in memory).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kozmos_core::Error;
use serde::Serialize;

#[derive(Default)]
pub struct Picked(Mutex<HashMap<String, PathBuf>>);

/// What the window gets for a picked path: the token to hand back, and the path and file name to
/// show.
#[derive(Serialize, Clone, Debug)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ipc/"))]
pub struct PickedPath {
    pub token: String,
    pub path: String,
    pub name: String,
}

impl Picked {
    /// Keeps `path` and returns a new token for it.
    pub fn remember(&self, path: PathBuf) -> PickedPath {
        let token = uuid::Uuid::new_v4().simple().to_string();
        let shown = PickedPath {
            token: token.clone(),
            path: path.display().to_string(),
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
        };
        self.0.lock().unwrap_or_else(|p| p.into_inner()).insert(token, path);
        shown
    }

    /// The path a token stands for; an unknown token is refused.
    pub fn resolve(&self, token: &str) -> Result<PathBuf, Error> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(token)
            .cloned()
            .ok_or_else(|| {
                Error::invalid(
                    "file",
                    "unknown_file_token",
                    "Diese Datei ist nicht mehr ausgewählt. Bitte wählen Sie sie noch einmal aus.",
                    "This file is no longer selected. Please choose it again.",
                )
            })
    }
}

/// A backup named by its file name, inside `dir` (this database's backups folder) only: a name
/// with a path separator, `..`, or an absolute path is refused.
pub fn backup_in(dir: &Path, name: &str) -> Result<PathBuf, Error> {
    let plain = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', ':', '\0'])
        && Path::new(name).file_name().is_some_and(|n| n == name);
    if !plain {
        return Err(Error::invalid(
            "file",
            "backup_name_invalid",
            "Diese Sicherung gibt es im Sicherungsordner nicht. Bitte wählen Sie eine Sicherung aus der Liste.",
            "There is no such backup in the backups folder. Please choose a backup from the list.",
        ));
    }
    Ok(dir.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_resolves_to_the_picked_path() {
        let picked = Picked::default();
        let shown = picked.remember(PathBuf::from("/home/anna/Verein Ä.kozmos-sync"));
        assert_eq!(shown.name, "Verein Ä.kozmos-sync");
        assert_eq!(
            picked.resolve(&shown.token).unwrap(),
            PathBuf::from("/home/anna/Verein Ä.kozmos-sync")
        );
        let other = picked.remember(PathBuf::from("/tmp/b.csv"));
        assert_ne!(shown.token, other.token);
        assert_eq!(shown.token.len(), 32);
    }

    #[test]
    fn an_unknown_token_or_a_path_is_refused() {
        let picked = Picked::default();
        picked.remember(PathBuf::from("/tmp/a.csv"));
        for token in ["", "nope", "/etc/passwd", "/tmp/a.csv"] {
            let e = picked.resolve(token).unwrap_err();
            assert_eq!(e.code(), "unknown_file_token");
        }
    }

    #[test]
    fn backup_names_stay_inside_the_backups_folder() {
        let dir = Path::new("/data/backups");
        let name = "kozmos-2026-12-04T10-00-00Z-manuell.sqlite3";
        assert_eq!(backup_in(dir, name).unwrap(), dir.join(name));
        for bad in [
            "../../etc/passwd",
            "..",
            ".",
            "",
            "/etc/passwd",
            "sub/x.sqlite3",
            "..\\..\\x.sqlite3",
            "C:\\x.sqlite3",
            "C:x.sqlite3",
        ] {
            let e = backup_in(dir, bad).unwrap_err();
            assert_eq!(e.code(), "backup_name_invalid", "{bad}");
        }
    }
}
