//! Preferences of the app on this computer (not of a database): whether to look for updates at
//! start. Kept as JSON in the app's config folder; a missing or unreadable file means the defaults.

use std::path::PathBuf;

use kozmos_core::{files, Error};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ipc/"))]
pub struct Preferences {
    /// Look for a new release when the app starts (silently when offline).
    pub check_updates_at_start: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            check_updates_at_start: true,
        }
    }
}

fn path(app: &AppHandle) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|dir| dir.join("preferences.json"))
}

/// The saved preferences; the defaults when there are none or the file cannot be read (it is
/// written whole on the next change).
pub fn load(app: &AppHandle) -> Preferences {
    path(app)
        .and_then(|path| std::fs::read(path).ok())
        .map(|bytes| parse(&bytes))
        .unwrap_or_default()
}

fn parse(bytes: &[u8]) -> Preferences {
    serde_json::from_slice(bytes).unwrap_or_default()
}

pub fn save(app: &AppHandle, preferences: &Preferences) -> Result<(), Error> {
    let path = path(app).ok_or_else(|| Error::Io("no configuration folder for KOZMOS".into()))?;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|e| Error::Io(format!("{}: {e}", folder.display())))?;
    }
    let json = serde_json::to_vec_pretty(preferences).map_err(|e| Error::Io(e.to_string()))?;
    files::write_atomically(&path, &json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_choice_is_read_back_and_anything_else_means_the_defaults() {
        assert!(!parse(br#"{"check_updates_at_start": false}"#).check_updates_at_start);
        for bad in [
            &b""[..],
            b"{",
            b"\xff\xfe",
            b"[]",
            br#"{"check_updates_at_start": "no"}"#,
        ] {
            assert_eq!(parse(bad), Preferences::default(), "{bad:?}");
        }
        assert!(parse(b"{}").check_updates_at_start);
    }
}
