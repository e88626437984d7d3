//! Where the database file lives, as far as SQLite cares. On a network drive SQLite's WAL mode is
//! unsafe (its shared memory does not work across computers), and a folder that a cloud client
//! (OneDrive, Dropbox, Nextcloud, Google Drive, iCloud Drive) keeps in step copies the database
//! and its WAL at different moments. Such a database is opened with a rollback journal instead,
//! and the app and the CLI show a note.

use std::ffi::OsString;
use std::path::{Component, Path};

use serde::Serialize;
use ts_rs::TS;

/// A note about where the database lives, for a warning banner in the app and a line in the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StorageNote {
    /// "database_on_network_drive" or "database_in_cloud_folder".
    pub code: String,
    /// The database file.
    pub path: String,
    pub message_de: String,
    pub message_en: String,
}

impl StorageNote {
    pub fn message(&self, lang: crate::Lang) -> &str {
        lang.pick(&self.message_de, &self.message_en)
    }
}

/// Where a path lies, when SQLite's WAL is unsafe there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    NetworkDrive,
    /// A folder a cloud client syncs, named by its service.
    CloudFolder(&'static str),
}

/// The note for the database at `path` (absolute), when it lies on a network drive or in a cloud
/// folder: by its path and the environment, then by asking the system about its drive.
pub fn check(path: &Path) -> Option<StorageNote> {
    let place = classify(path, |name| std::env::var_os(name)).or_else(|| on_network_drive(path))?;
    Some(note(path, place))
}

/// Tells a network or cloud place from the path alone (and the environment, via `env`): UNC paths
/// (`\\server\share`), the OneDrive folders Windows names in its environment, and the folder names
/// the cloud clients use.
pub fn classify(path: &Path, env: impl Fn(&str) -> Option<OsString>) -> Option<Place> {
    if is_unc(&path.to_string_lossy()) {
        return Some(Place::NetworkDrive);
    }
    for var in ["OneDrive", "OneDriveCommercial", "OneDriveConsumer"] {
        if let Some(folder) = env(var).filter(|f| !f.is_empty()) {
            if starts_with_folder(path, Path::new(&folder)) {
                return Some(Place::CloudFolder("OneDrive"));
            }
        }
    }
    let names: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name.to_string_lossy().to_lowercase()),
            _ => None,
        })
        .collect();
    names.iter().enumerate().find_map(|(n, name)| {
        let parent = n.checked_sub(1).map(|p| names[p].as_str());
        cloud_service(parent, name, names.get(n + 1).map(String::as_str)).map(Place::CloudFolder)
    })
}

/// The cloud service whose client keeps a folder of this name (lower case) in step; `parent` and
/// `inner` are the names around it.
fn cloud_service(parent: Option<&str>, name: &str, inner: Option<&str>) -> Option<&'static str> {
    Some(match name {
        // "OneDrive - Firma GmbH" is a business account; "Dropbox (Firma)" a team.
        n if n == "onedrive" || n.starts_with("onedrive - ") => "OneDrive",
        n if n == "dropbox" || n.starts_with("dropbox (") => "Dropbox",
        "nextcloud" | "owncloud" => "Nextcloud",
        // Google Drive for desktop shows the drive as G:\My Drive (German: Meine Ablage).
        "google drive" | "googledrive" | "my drive" | "meine ablage" => "Google Drive",
        "icloud drive" | "iclouddrive" => "iCloud Drive",
        // macOS: iCloud Drive lives in ~/Library/Mobile Documents, the others in
        // ~/Library/CloudStorage/<Service>-<account>.
        "mobile documents" if parent == Some("library") => "iCloud Drive",
        "cloudstorage" if parent == Some("library") => inner
            .and_then(|i| cloud_service(None, i.split('-').next()?, None))
            .unwrap_or("macOS CloudStorage"),
        _ => return None,
    })
}

/// `\\server\share\…` or `//server/share/…`, also `\\?\UNC\server\…`; not `\\?\C:\…` or `\\.\…`.
pub fn is_unc(path: &str) -> bool {
    let unified = path.replace('/', "\\");
    match unified.strip_prefix("\\\\") {
        Some(rest) if rest.len() >= 4 && rest[..4].eq_ignore_ascii_case("?\\un") => {
            rest[4..].starts_with(['c', 'C']) && rest[5..].starts_with('\\')
        }
        Some(rest) => !rest.is_empty() && !rest.starts_with(['?', '.', '\\']),
        None => false,
    }
}

/// Whether `path` is `folder` or inside it; case-insensitive, as on Windows and macOS.
fn starts_with_folder(path: &Path, folder: &Path) -> bool {
    let lower = |p: &Path| -> Vec<String> {
        p.components()
            .map(|c| c.as_os_str().to_string_lossy().to_lowercase())
            .collect()
    };
    let (path, folder) = (lower(path), lower(folder));
    !folder.is_empty() && path.starts_with(&folder)
}

/// The folder lies on a network drive: a mapped drive letter on Windows, a network file system
/// (NFS, SMB/CIFS, AFS, 9p, Ceph, WebDAV, …) on Linux and macOS.
fn on_network_drive(path: &Path) -> Option<Place> {
    use kozmos_os::FileSystem;
    /// Linux `statfs` magic numbers of network file systems.
    const NETWORK: [u32; 9] = [
        0x6969,      // NFS
        0x517B,      // SMB
        0xFF53_4D42, // CIFS
        0xFE53_4D42, // SMB2
        0x5346_414F, // AFS
        0x7375_7245, // Coda
        0x0000_564C, // NCP
        0x0102_1997, // 9p (shares of virtual machines and WSL)
        0x00C3_6400, // Ceph
    ];
    if let Some(Component::Prefix(prefix)) = path.components().next() {
        use std::path::Prefix;
        return match prefix.kind() {
            Prefix::Disk(letter) | Prefix::VerbatimDisk(letter) => {
                kozmos_os::is_network_drive(letter as char).then_some(Place::NetworkDrive)
            }
            _ => None,
        };
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty())?;
    let network = match kozmos_os::file_system(folder)? {
        FileSystem::Magic(magic) => NETWORK.contains(&magic),
        FileSystem::Name(name) => matches!(name.as_str(), "smbfs" | "afpfs" | "nfs" | "webdav" | "cifs"),
    };
    network.then_some(Place::NetworkDrive)
}

fn note(path: &Path, place: Place) -> StorageNote {
    let shown = path.display();
    let (code, message_de, message_en) = match place {
        Place::NetworkDrive => (
            "database_on_network_drive",
            format!(
                "Die Datenbank {shown} liegt auf einem Netzlaufwerk. KOZMOS schreibt dort langsamer, aber sicherer. Bitte öffnen Sie sie nie von zwei Rechnern zugleich; am besten liegt sie auf diesem Rechner, und Daten kommen über Sync-Dateien herein."
            ),
            format!(
                "The database {shown} is on a network drive. KOZMOS writes there more slowly but more safely. Please never open it from two computers at once; it is best kept on this computer, with data coming in through sync files."
            ),
        ),
        Place::CloudFolder(service) => (
            "database_in_cloud_folder",
            format!(
                "Die Datenbank {shown} liegt in einem Cloud-Ordner ({service}). Dessen Abgleich kann sie beschädigen, wenn er sie mitten im Schreiben kopiert oder zwei Rechner sie ändern; KOZMOS schreibt deshalb vorsichtiger, aber langsamer. Am besten liegt die Datenbank außerhalb dieses Ordners; für den Austausch gibt es den gemeinsamen Sync-Ordner."
            ),
            format!(
                "The database {shown} is in a cloud folder ({service}). Its syncing can damage it when it copies the file in the middle of a write or two computers change it, so KOZMOS writes more carefully, if more slowly. The database is best kept outside this folder; the shared sync folder is there for exchanging data."
            ),
        ),
    };
    StorageNote {
        code: code.into(),
        path: shown.to_string(),
        message_de,
        message_en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(path: &str) -> Option<Place> {
        classify(Path::new(path), |_| None)
    }

    #[test]
    fn cloud_folders_are_told_by_their_names() {
        let cloud = |p| match place(p) {
            Some(Place::CloudFolder(service)) => service,
            other => panic!("{p}: {other:?}"),
        };
        assert_eq!(cloud("/home/amira/Dropbox/KOZMOS/kozmos.sqlite3"), "Dropbox");
        assert_eq!(cloud("/home/amira/Dropbox (LAMSA)/kozmos.sqlite3"), "Dropbox");
        assert_eq!(cloud("/home/amira/Nextcloud/Daten/kozmos.sqlite3"), "Nextcloud");
        assert_eq!(cloud("/home/amira/onedrive/kozmos.sqlite3"), "OneDrive");
        assert_eq!(
            cloud("/home/amira/OneDrive - MigraNetz Thüringen e.V/kozmos.sqlite3"),
            "OneDrive"
        );
        assert_eq!(cloud("/media/G/Meine Ablage/kozmos.sqlite3"), "Google Drive");
        assert_eq!(
            cloud("/Users/jürgen/Library/Mobile Documents/com~apple~CloudDocs/k.sqlite3"),
            "iCloud Drive"
        );
        assert_eq!(
            cloud("/Users/jürgen/Library/CloudStorage/OneDrive-Persönlich/k.sqlite3"),
            "OneDrive"
        );
        assert_eq!(
            cloud("/Users/jürgen/Library/CloudStorage/Box-Box/k.sqlite3"),
            "macOS CloudStorage"
        );
    }

    #[test]
    fn ordinary_folders_are_not_flagged() {
        for path in [
            "/home/jürgen müller/.local/share/kozmos/kozmos.sqlite3",
            "/home/amira/Dropbox-Export/kozmos.sqlite3",
            "/home/amira/Documents/Nextcloud-Anleitung/kozmos.sqlite3",
            "/Users/jürgen/Library/Application Support/de.KOZMOS.kozmos/kozmos.sqlite3",
            "kozmos.sqlite3",
        ] {
            assert_eq!(place(path), None, "{path}");
        }
    }

    #[test]
    fn the_onedrive_folders_windows_names_count_whatever_they_are_called() {
        let env = |name: &str| (name == "OneDriveCommercial").then(|| OsString::from("/home/x/Firmenablage"));
        let inside = classify(Path::new("/home/x/Firmenablage/KOZMOS/k.sqlite3"), env);
        assert_eq!(inside, Some(Place::CloudFolder("OneDrive")));
        assert_eq!(classify(Path::new("/home/x/Firmenablage2/k.sqlite3"), env), None);
        let empty = |_: &str| Some(OsString::new());
        assert_eq!(classify(Path::new("/home/x/k.sqlite3"), empty), None);
    }

    #[test]
    fn unc_paths_are_network_drives() {
        for unc in [
            r"\\server\share\kozmos.sqlite3",
            "//nas/KOZMOS/kozmos.sqlite3",
            r"\\?\UNC\server\share\kozmos.sqlite3",
        ] {
            assert!(is_unc(unc), "{unc}");
        }
        for local in [
            r"C:\Users\Jürgen Müller\AppData\Roaming\KOZMOS\kozmos.sqlite3",
            r"\\?\C:\Users\x\kozmos.sqlite3",
            r"\\.\C:\x",
            "/home/x/kozmos.sqlite3",
            r"\\",
            r"\\?\UNCLE\x",
        ] {
            assert!(!is_unc(local), "{local}");
        }
    }

    #[cfg(windows)]
    #[test]
    fn on_windows_a_unc_path_gets_the_note_a_local_drive_not() {
        let unc = check(Path::new(r"\\nas\KOZMOS\kozmos.sqlite3")).expect("a note");
        assert_eq!(unc.code, "database_on_network_drive");
        assert!(
            unc.message_de.contains(r"\\nas\KOZMOS\kozmos.sqlite3"),
            "{}",
            unc.message_de
        );
        let local = std::path::absolute(std::env::temp_dir().join("kozmos.sqlite3")).unwrap();
        assert_eq!(check(&local), None, "{}", local.display());
    }

    #[test]
    fn the_note_names_the_file_in_german_and_english() {
        let n = note(
            Path::new("/home/x/Dropbox/kozmos.sqlite3"),
            Place::CloudFolder("Dropbox"),
        );
        assert_eq!(n.code, "database_in_cloud_folder");
        assert!(
            n.message_de.contains("/home/x/Dropbox/kozmos.sqlite3") && n.message_de.contains("Cloud-Ordner (Dropbox)")
        );
        assert!(n.message_en.contains("cloud folder (Dropbox)"));
        let n = note(Path::new(r"N:\kozmos.sqlite3"), Place::NetworkDrive);
        assert_eq!(n.code, "database_on_network_drive");
        assert!(n.message_de.contains("Netzlaufwerk"));
    }
}
