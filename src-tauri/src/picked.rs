//! The paths the webview may name: only those the Rust side handed it this session (picked in a
//! dialog, the file the app was asked to open, a listed backup, a file in the shared folder). A
//! command that reads or writes a file resolves the path through here, so a compromised or buggy
//! page cannot make KOZMOS read or overwrite any other file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kozmos_core::Error;
use tauri::{AppHandle, Manager};

#[derive(Default)]
pub struct Picked(Mutex<HashSet<PathBuf>>);

impl Picked {
    /// Lets the webview name `path` from now on, and returns it as the webview sees it.
    pub fn allow(&self, path: &Path) -> String {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_path_buf());
        path.display().to_string()
    }

    /// The path the webview named, when the Rust side handed it out; else a typed refusal.
    pub fn resolve(&self, path: &str) -> Result<PathBuf, Error> {
        let path = PathBuf::from(path);
        if self.0.lock().unwrap_or_else(|e| e.into_inner()).contains(&path) {
            Ok(path)
        } else {
            Err(Error::invalid(
                "path",
                "path_not_picked",
                "Diese Datei wurde nicht in KOZMOS ausgewählt. Bitte wählen Sie sie über „Datei wählen …“.",
                "This file was not chosen in KOZMOS. Please choose it with “Choose file …”.",
            ))
        }
    }
}

/// `Picked::allow` through the app's managed state.
pub fn allow(app: &AppHandle, path: &Path) -> String {
    app.state::<Picked>().allow(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_handed_out_paths_resolve() {
        let picked = Picked::default();
        let chosen = Path::new("/home/jürgen/USB/kozmos-lamsa.kozmos-sync");
        assert_eq!(
            picked.resolve(&chosen.display().to_string()).unwrap_err().code(),
            "path_not_picked"
        );
        let shown = picked.allow(chosen);
        assert_eq!(picked.resolve(&shown).unwrap(), chosen);
        for other in [
            "/etc/passwd",
            "/home/jürgen/USB/../.ssh/id_ed25519",
            "",
            "kozmos-lamsa.kozmos-sync",
        ] {
            assert_eq!(picked.resolve(other).unwrap_err().code(), "path_not_picked", "{other}");
        }
    }
}
