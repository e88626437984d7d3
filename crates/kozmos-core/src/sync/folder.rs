//! The shared folder (kept in step by Nextcloud, Syncthing or a network drive): each installation
//! writes its full export there under its own site id and reads the others' files.

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use super::export::{self, ExportOptions};
use super::file::{self, Passphrase};
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
    /// Whether our file is encrypted (and the others' were read with the same passphrase).
    pub encrypted: bool,
    /// The others' files that are new here (already imported ones are left out).
    pub incoming: Vec<FolderFile>,
}

/// The file this installation writes into the folder.
pub fn own_file(folder: &Path, site: &str) -> PathBuf {
    folder.join(format!("kozmos-{site}.{EXTENSION}"))
}

/// Switches encryption of our file in the folder on or off, or takes a new passphrase. Our old
/// file there is removed at once (a plain copy must not stay readable; the next sync writes it
/// anew). The passphrase is not stored here: the caller keeps it (`folder_secret`, or the
/// session) and hands it to `sync_now`.
pub async fn set_encrypted(store: &Store, encrypted: bool) -> Result<()> {
    if let Some(folder) = super::status::status(store).await?.folder {
        let own = own_file(Path::new(&folder), store.site_id());
        match std::fs::remove_file(&own) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::Io(format!("{}: {e}", own.display())))
            }
            _ => {}
        }
    }
    sqlx::query("UPDATE site SET sync_folder_encrypted = ? WHERE id = 1")
        .bind(encrypted)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// "Sync now": writes our full export into the folder (encrypted with `passphrase` when the
/// folder is set to encryption), then previews every other file there that was not imported yet.
/// Applying them is `import::apply`, file by file, after the user saw them.
pub async fn sync_now(store: &Store, passphrase: Option<&str>) -> Result<FolderSync> {
    let status = super::status::status(store).await?;
    let folder = PathBuf::from(status.folder.ok_or_else(|| {
        Error::invalid(
            "folder",
            "sync_folder_unset",
            "Bitte wählen Sie zuerst den gemeinsamen Ordner.",
            "Please choose the shared folder first.",
        )
    })?);
    let secret = match passphrase.filter(|p| !p.is_empty()) {
        _ if !status.folder_encrypted => None,
        Some(secret) => Some(secret),
        None => return Err(passphrase_needed()),
    };
    let own = own_file(&folder, store.site_id());
    let options = ExportOptions {
        peer: None,
        profile: status.folder_profile,
        passphrase: None,
    };
    let (plain, summary) = export::build(store, &options).await?;
    let unchanged = is_current(store, &own, &summary.export_id, secret.is_some()).await?;
    if !unchanged {
        let (bytes, summary) = match secret {
            Some(secret) => export::encrypted(
                &plain,
                summary,
                &Passphrase {
                    secret: secret.into(),
                    work_factor: None,
                },
            )?,
            None => (plain, summary),
        };
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
            // Only those who know the passphrase can write an encrypted file: a plain one in an
            // encrypted folder was put there by someone else.
            if secret.is_some() && !file::is_encrypted(&bytes) {
                return Err(plain_in_encrypted_folder(&path));
            }
            let verified = file::verify(&bytes, secret)?;
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
        encrypted: secret.is_some(),
        incoming,
    })
}

/// Checks a typed passphrase against our own encrypted file in the folder, when there is one, so
/// that a typo never encrypts the next file with a passphrase the other side does not know.
pub async fn check_passphrase(store: &Store, passphrase: &str) -> Result<()> {
    let Some(folder) = super::status::status(store).await?.folder else {
        return Ok(());
    };
    let Ok(bytes) = file::read(&own_file(Path::new(&folder), store.site_id())) else {
        return Ok(());
    };
    match file::verify(&bytes, Some(passphrase)) {
        Err(e) if file::is_encrypted(&bytes) && e.code() == "sync_passphrase_wrong" => Err(Error::invalid(
            "passphrase",
            "sync_folder_passphrase_wrong",
            "Diese Passphrase passt nicht zur Datei dieser Installation im gemeinsamen Ordner. Bitte prüfen Sie die Schreibweise (auch Groß- und Kleinschreibung).",
            "This passphrase does not match this installation's file in the shared folder. Please check the spelling (including upper and lower case).",
        )),
        // A plain or damaged own file is rewritten by the next sync.
        _ => Ok(()),
    }
}

/// Whether the file at `path` is still the one we wrote last, with this content (export id) and
/// encrypted or not as asked. An encrypted file differs on every write, so bytes cannot tell.
async fn is_current(store: &Store, path: &Path, export_id: &str, encrypted: bool) -> Result<bool> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Ok(false);
    };
    let Some((last_id, sha256, was_encrypted)) = super::history::last_export_named(store, name).await? else {
        return Ok(false);
    };
    Ok(last_id == export_id
        && was_encrypted == encrypted
        && file::read(path).is_ok_and(|bytes| file::sha256_hex(&bytes) == sha256))
}

fn passphrase_needed() -> Error {
    Error::invalid(
        "passphrase",
        "sync_folder_passphrase_needed",
        "Die Datei im gemeinsamen Ordner wird verschlüsselt. Bitte geben Sie die Passphrase ein, die Sie mit der anderen Seite vereinbart haben.",
        "The file in the shared folder is encrypted. Please enter the passphrase agreed with the other side.",
    )
}

fn plain_in_encrypted_folder(path: &Path) -> Error {
    Error::invalid(
        "file",
        "sync_folder_file_plain",
        format!(
            "Die Datei {} ist nicht verschlüsselt, obwohl der gemeinsame Ordner verschlüsselt ist. Sie wurde nicht geöffnet: Bitte prüfen Sie, wer sie abgelegt hat.",
            path.display()
        ),
        format!(
            "The file {} is not encrypted although the shared folder is. It was not opened: please check who put it there.",
            path.display()
        ),
    )
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
