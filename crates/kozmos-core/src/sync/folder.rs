//! The shared folder (kept in step by Nextcloud, Syncthing or a network drive): each installation
//! writes its full export there under its own site id and reads the others' files.

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use super::export::{self, ExportOptions};
use super::file;
use super::import::{self, Preview};
use super::profile::Profile;
use crate::error::{Error, Result};
use crate::store::Store;

/// Sync files end in this.
pub const EXTENSION: &str = "kozmos-sync";

/// Sets (or clears, with None) the shared folder and the privacy profile of what goes there.
pub async fn set(store: &Store, folder: Option<&Path>, profile: Profile) -> Result<()> {
    if let Some(folder) = folder {
        // Kept as text and opened again later: a name that is not Unicode could not come back.
        if folder.to_str().is_none() {
            return Err(not_unicode("folder", folder));
        }
        if !folder.is_dir() {
            return Err(Error::invalid(
                "folder",
                "sync_folder_missing",
                format!(
                    "Den Ordner {} gibt es nicht (oder er ist nicht erreichbar).",
                    folder.display()
                ),
                format!("The folder {} does not exist (or cannot be reached).", folder.display()),
            ));
        }
    }
    sqlx::query("UPDATE site SET sync_folder = ?, sync_folder_profile = ? WHERE id = 1")
        .bind(folder.and_then(Path::to_str))
        .bind(profile.as_str())
        .execute(store.pool())
        .await?;
    Ok(())
}

/// One other installation's file in the folder, verified and previewed (or why it cannot be read).
#[derive(Debug, Clone, Serialize, TS)]
pub struct FolderFile {
    pub path: String,
    pub preview: Option<Preview>,
    pub error: Option<crate::ErrorPayload>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FolderSync {
    /// Our own file, written (or left as it was when nothing changed).
    pub written: String,
    pub written_changed: bool,
    /// The others' files that are new here (already imported ones are left out).
    pub incoming: Vec<FolderFile>,
}

/// The file this installation writes into the folder.
pub fn own_file(folder: &Path, site: &str) -> PathBuf {
    folder.join(format!("kozmos-{site}.{EXTENSION}"))
}

/// "Sync now": writes our full export into the folder, then previews every other file there
/// that was not imported yet. Applying them is `import::apply`, file by file, after the user saw them.
pub async fn sync_now(store: &Store) -> Result<FolderSync> {
    let status = super::status::status(store).await?;
    let folder = PathBuf::from(status.folder.ok_or_else(|| {
        Error::invalid(
            "folder",
            "sync_folder_unset",
            "Bitte wählen Sie zuerst den gemeinsamen Ordner.",
            "Please choose the shared folder first.",
        )
    })?);
    let options = ExportOptions {
        peer: None,
        profile: status.folder_profile,
        passphrase: None,
    };
    let own = own_file(&folder, store.site_id());
    let (bytes, summary) = export::build(store, &options).await?;
    let unchanged = std::fs::read(&own).is_ok_and(|old| old == bytes);
    if !unchanged {
        crate::files::write_atomically(&own, &bytes)?;
        super::history::record_export(store, &summary, &own).await?;
    }
    let mut incoming = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map_err(|e| Error::Io(format!("{}: {e}", folder.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == EXTENSION) && *p != own)
        .collect();
    entries.sort();
    for path in entries {
        let shown = path.display().to_string();
        let result = async {
            // The app opens the file again by this text to apply it.
            if path.to_str().is_none() {
                return Err(not_unicode("file", &path));
            }
            let bytes = file::read(&path)?;
            let verified = file::verify(&bytes, None)?;
            import::preview(store, &verified).await
        }
        .await;
        match result {
            Ok(preview) if preview.already_imported.is_some() => {}
            Ok(preview) => incoming.push(FolderFile {
                path: shown,
                preview: Some(preview),
                error: None,
            }),
            Err(e) => incoming.push(FolderFile {
                path: shown,
                preview: None,
                error: Some(e.payload()),
            }),
        }
    }
    Ok(FolderSync {
        written: own.display().to_string(),
        written_changed: !unchanged,
        incoming,
    })
}

/// A folder or file whose name is not Unicode (possible on Linux, from another system's disk).
fn not_unicode(field: &str, path: &Path) -> Error {
    Error::invalid(
        field,
        "sync_name_not_unicode",
        format!(
            "Der Name {} enthält Zeichen, die KOZMOS nicht lesen kann. Bitte benennen Sie ihn um.",
            path.display()
        ),
        format!(
            "The name {} holds characters KOZMOS cannot read. Please rename it.",
            path.display()
        ),
    )
}
